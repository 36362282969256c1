import { useState } from "react";
import { commands, type ConnectionState, type IndexProgress, type WalletState } from "../bindings";
import { settle } from "../lib/errors";
import { shortAddress } from "../lib/format";
import { useApp } from "../state/AppState";
import { TxPanel } from "./TxPanel";

export function connectionState(c: ConnectionState | null): "connected" | "disconnected" | "mismatch" {
  if (!c || !c.connected) return "disconnected";
  return c.chainMatches ? "connected" : "mismatch";
}

function connectionText(c: ConnectionState | null): string {
  const s = connectionState(c);
  if (!c) return "Connecting…";
  if (s === "connected") return `Connected · chain ${c.chainId ?? "?"}`;
  if (s === "mismatch") return c.problem ?? `Chain mismatch: node is ${c.chainId ?? "?"}, expected ${c.expectedChainId}`;
  return c.problem ?? "Disconnected";
}

export function indexText(i: IndexProgress | null): string {
  if (!i) return "Index: —";
  if (i.error) return `Index error: ${i.error}`;
  if (i.following) return "Index: following";
  if (i.checkpoint === null || i.target === null) return "Index: starting…";
  const pct = i.target > 0 ? Math.min(100, Math.floor((i.checkpoint / i.target) * 100)) : 100;
  return `Index: ${i.checkpoint}/${i.target} (${pct}%)`;
}

function activeAccount(w: WalletState | null) {
  if (!w?.active) return null;
  return w.accounts.find((a) => a.address.toLowerCase() === w.active?.toLowerCase()) ?? null;
}

export function StatusBar() {
  const app = useApp();
  const { connection, index, wallet } = app;
  const [busy, setBusy] = useState(false);
  const state = connectionState(connection);
  const acct = activeAccount(wallet);
  const canLock = !!wallet && (wallet.unlocked || wallet.active !== null);

  const lock = async () => {
    setBusy(true);
    const r = await settle(commands.walletLock());
    setBusy(false);
    if (r.ok) app.setWallet(r.data);
  };

  return (
    <footer className="status-bar" aria-label="Status">
      <span className={`status-item conn-${state}`} data-testid="status-connection" data-state={state} title={connection?.rpcUrl}>
        <span className="dot" aria-hidden="true" /> {connectionText(connection)}
      </span>
      <span className="status-item" data-testid="status-block">
        Block {connection?.blockNumber ?? "—"}
      </span>
      <span className={`status-item${index?.error ? " warn" : ""}`} data-testid="status-index">
        {indexText(index)}
      </span>
      <span className="status-item" data-testid="status-account" title={wallet?.active ?? undefined}>
        {wallet?.active ? (
          <>
            {wallet.remote ? (
              <span className="badge" data-testid="status-wallet-kind">
                {wallet.remote.kind === "external" ? "External signer" : `Browser${wallet.remote.kind === "browser" && wallet.remote.wallet ? `: ${wallet.remote.wallet}` : ""}`}
              </span>
            ) : (
              <span className="badge" data-testid="status-wallet-kind">
                {acct?.kind === "dev" ? "Dev account" : "Local wallet"}
              </span>
            )}{" "}
            {acct?.label ? `${acct.label} ` : ""}
            <code>{shortAddress(wallet.active)}</code>
            {acct?.testOnly && <span className="badge danger">test-only</span>}
          </>
        ) : wallet?.hasKeystore && !wallet.unlocked ? (
          "Locked"
        ) : (
          "No account"
        )}
      </span>
      <TxPanel />
      {canLock ? (
        <button type="button" className="btn-small" data-testid="status-lock" disabled={busy} onClick={() => void lock()}>
          {busy ? "…" : "Lock"}
        </button>
      ) : (
        <button type="button" className="btn-small" data-testid="status-lock" onClick={() => app.navigate("wallet")}>
          {wallet?.hasKeystore ? "Unlock" : "Wallet"}
        </button>
      )}
    </footer>
  );
}
