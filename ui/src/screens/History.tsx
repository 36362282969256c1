import { useEffect, useState } from "react";
import { commands, type AppError, type HistoryRow } from "../bindings";
import { CopyButton } from "../components/CopyButton";
import { ErrorBox } from "../components/ErrorBox";
import { formatDisplay } from "../lib/amount";
import { settle } from "../lib/errors";
import { formatTime, formatUsd, shortHash } from "../lib/format";
import { useApp } from "../state/AppState";

export const PAGE_SIZE = 50;

const KIND_LABEL: Record<HistoryRow["kind"], string> = { swap: "Swap", mint: "Add liquidity", burn: "Remove liquidity", approve: "Approve" };

/** "unverified" after a side whose token is on none of the lists (not native, not the deployment's). */
function Unverified({ verified, address }: { verified: boolean | undefined; address: string | null | undefined }) {
  if (verified !== false) return null;
  return (
    <>
      {" "}
      <span className="tag" data-testid="history-unverified" title={address ? `On none of your token lists: ${address}` : "On none of your token lists"}>
        unverified
      </span>
    </>
  );
}

function Amounts({ r }: { r: HistoryRow }) {
  const a = (
    <>
      {formatDisplay(r.amountA, r.decimalsA)} {r.symbolA}
      <Unverified verified={r.verifiedA} address={r.tokenA} />
    </>
  );
  if (r.kind === "approve")
    return (
      <>
        {r.symbolA}
        <Unverified verified={r.verifiedA} address={r.tokenA} />
      </>
    );
  if (!r.symbolB) return a;
  const b = (
    <>
      {formatDisplay(r.amountB, r.decimalsB)} {r.symbolB}
      <Unverified verified={r.verifiedB} address={r.tokenB} />
    </>
  );
  return (
    <>
      {a} {r.kind === "swap" ? "→" : "+"} {b}
    </>
  );
}

/** What the row moved at today's prices; "—" when not priced. */
function valueText(r: HistoryRow): string {
  return formatUsd(r.valueUsd ?? null) || "—";
}

export function History() {
  const app = useApp();
  const [offset, setOffset] = useState(0);
  const [rows, setRows] = useState<HistoryRow[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [exporting, setExporting] = useState(false);
  const [exportPath, setExportPath] = useState<string | null>(null);
  const active = app.wallet?.active ?? null;

  useEffect(() => {
    let live = true;
    void settle(commands.history(PAGE_SIZE, offset)).then((r) => {
      if (!live) return;
      if (r.ok) {
        setRows(r.data);
        setError(null);
      } else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [offset, app.block, active, app.indexed]);

  const exportCsv = async () => {
    setExporting(true);
    setExportPath(null);
    const r = await settle(commands.historyExport());
    setExporting(false);
    if (r.ok) setExportPath(r.data);
    else setError(r.error);
  };

  return (
    <section aria-labelledby="history-title">
      <h1 id="history-title">History</h1>
      <div className="actions">
        <button type="button" className="secondary" data-testid="history-export" disabled={exporting} onClick={() => void exportCsv()}>
          {exporting ? "Exporting…" : "Export CSV"}
        </button>
        {exportPath && (
          <span className="message">
            Saved to <code data-testid="history-export-path">{exportPath}</code>
          </span>
        )}
      </div>
      <ErrorBox error={error} testId="history-error" />
      {!active && <p className="muted">No active account: history shows the active account's transactions.</p>}
      {rows === null ? (
        <p className="muted">Loading…</p>
      ) : rows.length === 0 && offset === 0 ? (
        <p className="muted">No transactions yet.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Time</th>
              <th>Kind</th>
              <th>Amounts</th>
              <th title="What it moved, at today's market prices">Value (today)</th>
              <th>Status</th>
              <th>Tx</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.txHash}-${r.kind}-${r.amountA}`} data-testid="history-row" data-status={r.status} data-kind={r.kind}>
                <td>{formatTime(r.timestamp)}</td>
                <td>{KIND_LABEL[r.kind]}</td>
                <td>
                  <Amounts r={r} />
                  {r.detail && <div className="error-text small">{r.detail}</div>}
                </td>
                <td data-testid="history-value">{valueText(r)}</td>
                <td>
                  <span className={`badge status-${r.status}`}>{r.status}</span>
                </td>
                <td>
                  <code title={r.txHash}>{shortHash(r.txHash)}</code> <CopyButton text={r.txHash} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="pager">
        <button type="button" className="secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
          ← Newer
        </button>
        <span className="muted">
          {rows && rows.length > 0 ? `${offset + 1}–${offset + rows.length}` : ""}
        </span>
        <button type="button" className="secondary" disabled={!rows || rows.length < PAGE_SIZE} onClick={() => setOffset(offset + PAGE_SIZE)}>
          Older →
        </button>
      </div>
    </section>
  );
}
