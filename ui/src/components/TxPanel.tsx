import { useEffect, useState } from "react";
import { commands, type AppError, type SentTxView } from "../bindings";
import { settle } from "../lib/errors";
import { formatTime, shortHash } from "../lib/format";
import { isPending, txKindText, txReplacesText, txStateText } from "../lib/sentTx";
import { sendBlocker, useApp } from "../state/AppState";
import { useSentTxs } from "../state/useSentTxs";
import { CopyButton } from "./CopyButton";
import { ErrorBox } from "./ErrorBox";

type RowProps = {
  tx: SentTxView;
  canSend: boolean;
  busy: "speed-up" | "cancel" | null;
  anyBusy: boolean;
  onReplace: (hash: string, cancel: boolean) => void;
};

function TxRow({ tx, canSend, busy, anyBusy, onReplace }: RowProps) {
  const replaces = txReplacesText(tx);
  return (
    <li className={`tx-row state-${tx.state}`} data-testid="tx-row" data-hash={tx.hash} data-state={tx.state} data-kind={tx.kind}>
      <div className="tx-row-head">
        <strong data-testid="tx-kind">{txKindText(tx.kind)}</strong>
        <span className="muted small">
          {tx.nonce !== null && `nonce ${tx.nonce} · `}
          {formatTime(tx.sentAt)}
        </span>
      </div>
      <div>
        <code title={tx.hash}>{shortHash(tx.hash)}</code> <CopyButton text={tx.hash} testId="tx-copy" />
        {replaces && " "}
        {replaces && (
          <span className="muted small" data-testid="tx-replaces">
            {replaces}
          </span>
        )}
      </div>
      <div className={`tx-state state-${tx.state}`} data-testid="tx-state">
        {isPending(tx) && <span className="spinner" aria-hidden="true" />}
        {txStateText(tx)}
      </div>
      {isPending(tx) && (
        <div className="actions">
          <button type="button" className="btn-small" data-testid="speed-up" disabled={!canSend || anyBusy} onClick={() => onReplace(tx.hash, false)}>
            {busy === "speed-up" ? "Speeding up…" : "Speed up"}
          </button>
          <button type="button" className="btn-small" data-testid="cancel-tx" disabled={!canSend || anyBusy} onClick={() => onReplace(tx.hash, true)}>
            {busy === "cancel" ? "Cancelling…" : "Cancel"}
          </button>
        </div>
      )}
    </li>
  );
}

/**
 * The status bar's "Transactions" button and the panel it opens: the active
 * account's sent transactions with their state, and speed-up / cancel for
 * pending ones.
 */
export function TxPanel() {
  const app = useApp();
  const [open, setOpen] = useState(false);
  const { txs, error, pending, reload } = useSentTxs(open, app.wallet?.active ?? null, !!app.connection?.connected);
  const [busy, setBusy] = useState<{ hash: string; kind: "speed-up" | "cancel" } | null>(null);
  const [actionError, setActionError] = useState<AppError | null>(null);
  const canSend = sendBlocker(app) === null;
  // While open, the panel is docked: the page makes room beside it (on a
  // wide enough window) instead of the panel covering what was just done.
  useEffect(() => {
    document.body.classList.toggle("tx-panel-open", open);
    return () => document.body.classList.remove("tx-panel-open");
  }, [open]);

  const replace = async (hash: string, cancel: boolean) => {
    setBusy({ hash, kind: cancel ? "cancel" : "speed-up" });
    setActionError(null);
    const r = await settle(commands.txReplace(hash, cancel));
    setBusy(null);
    if (!r.ok) setActionError(r.error);
    await reload();
  };

  return (
    <>
      <button
        type="button"
        className={`btn-small push-right${pending > 0 ? " has-pending" : ""}`}
        data-testid="pending-button"
        data-count={pending}
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        Transactions
        {pending > 0 && " "}
        {pending > 0 && (
          <span className="badge warn" data-testid="pending-count">
            {pending} pending
          </span>
        )}
      </button>
      {open && (
        <section className="tx-panel" data-testid="pending-panel" aria-label="Transactions">
          <div className="modal-head">
            <h2>Transactions</h2>
            <button type="button" className="btn-small" data-testid="pending-close" onClick={() => setOpen(false)}>
              Close
            </button>
          </div>
          <ErrorBox error={actionError} testId="tx-error" />
          <ErrorBox error={error} testId="pending-error" />
          {txs === null ? (
            !error && <p className="muted">Loading…</p>
          ) : txs.length === 0 ? (
            <p className="muted" data-testid="pending-empty">
              No transactions sent from this account yet.
            </p>
          ) : (
            <ul className="tx-list">
              {txs.map((t) => (
                <TxRow
                  key={t.hash}
                  tx={t}
                  canSend={canSend}
                  busy={busy?.hash === t.hash ? busy.kind : null}
                  anyBusy={busy !== null}
                  onReplace={(h, c) => void replace(h, c)}
                />
              ))}
            </ul>
          )}
        </section>
      )}
    </>
  );
}
