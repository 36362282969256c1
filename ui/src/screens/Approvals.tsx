import { useCallback, useEffect, useState } from "react";
import { commands, type AllowanceView, type AppError, type TxStatus } from "../bindings";
import { CopyButton } from "../components/CopyButton";
import { ErrorBox } from "../components/ErrorBox";
import { SendGate } from "../components/SendGate";
import { TxStatusView } from "../components/TxStatusView";
import { formatDisplay } from "../lib/amount";
import { settle } from "../lib/errors";
import { shortAddress } from "../lib/format";
import { runTx } from "../lib/tx";
import { sendBlocker, useApp } from "../state/AppState";

/** "Unlimited", or the amount in whole tokens. */
export function allowanceText(a: AllowanceView): string {
  return a.unlimited ? "Unlimited" : `${formatDisplay(a.amount, a.decimals)} ${a.symbol}`;
}

function rowKey(a: AllowanceView): string {
  return `${a.token.toLowerCase()}-${a.spender.toLowerCase()}`;
}

/** The active account's token allowances, each revocable (set to 0). */
export function Approvals() {
  const app = useApp();
  const active = app.wallet?.active ?? null;
  const [list, setList] = useState<AllowanceView[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [revokeError, setRevokeError] = useState<AppError | null>(null);
  const [status, setStatus] = useState<TxStatus | null>(null);
  const [revoking, setRevoking] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    const r = await settle(commands.approvalsList());
    setLoading(false);
    if (r.ok) {
      setList(r.data);
      setError(null);
    } else setError(r.error);
  }, []);

  useEffect(() => {
    setList(null);
    setRevokeError(null);
    setStatus(null);
    if (active) void load();
  }, [active, load]);

  const revoke = async (a: AllowanceView) => {
    setRevoking(rowKey(a));
    setRevokeError(null);
    const out = await runTx((ch) => commands.approvalsRevoke(a.token, a.spender, ch), setStatus);
    setRevoking(null);
    if (!out.ok) setRevokeError(out.error);
    await load();
  };

  const canSend = sendBlocker(app) === null;
  return (
    <section aria-labelledby="approvals-title">
      <h1 id="approvals-title">Approvals</h1>
      <p className="muted">Contracts you allowed to spend your tokens. Revoking sets the allowance to 0 (a transaction).</p>
      <SendGate>{null}</SendGate>
      {active && (
        <div className="actions">
          <button type="button" className="secondary" data-testid="approvals-refresh" disabled={loading || revoking !== null} onClick={() => void load()}>
            {loading ? "Loading…" : "Refresh"}
          </button>
        </div>
      )}
      <TxStatusView status={status} testId="approvals-status" />
      <ErrorBox error={revokeError ?? error} testId="approvals-error" />
      {!active ? null : list === null ? (
        !error && <p className="muted">Loading allowances…</p>
      ) : list.length === 0 ? (
        <p className="muted" data-testid="approvals-empty">
          No allowances: no contract may spend your tokens.
        </p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Token</th>
              <th>Spender</th>
              <th>Allowance</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((a) => {
              const key = rowKey(a);
              return (
                <tr key={key} data-testid="approval-row" data-token={a.token} data-spender={a.spender} data-unlimited={a.unlimited ? "true" : "false"}>
                  <td>
                    <strong>{a.symbol}</strong>{" "}
                    <code className="small" title={a.token}>
                      {shortAddress(a.token)}
                    </code>{" "}
                    <CopyButton text={a.token} />
                  </td>
                  <td data-testid="approval-spender" title={a.spender}>
                    {a.spenderName ?? <code>{shortAddress(a.spender)}</code>} <CopyButton text={a.spender} />
                  </td>
                  <td data-testid="approval-amount" data-base={a.amount}>
                    {a.unlimited ? <span className="badge warn">Unlimited</span> : allowanceText(a)}
                  </td>
                  <td>
                    <button type="button" className="btn-small" data-testid="revoke" disabled={!canSend || revoking !== null} onClick={() => void revoke(a)}>
                      {revoking === key ? "Revoking…" : "Revoke"}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
