import { useState } from "react";
import { commands, type AppError, type WalletState } from "../bindings";
import { CopyButton } from "../components/CopyButton";
import { ErrorBox } from "../components/ErrorBox";
import { settle } from "../lib/errors";
import { useApp } from "../state/AppState";
import { DevAccounts, KeystoreAccounts } from "./wallet/AccountList";
import { ConnectWallet } from "./wallet/ConnectWallet";
import { CreateWallet } from "./wallet/CreateWallet";
import { ImportWallet } from "./wallet/ImportWallet";

type Mode = null | "create" | "import";

export function Wallet() {
  const app = useApp();
  const wallet = app.wallet;
  const [mode, setMode] = useState<Mode>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState<null | "unlock" | "lock" | "select">(null);

  if (!wallet) return <p className="muted">Loading wallet…</p>;

  const apply = (w: WalletState, msg: string | null) => {
    app.setWallet(w);
    setMessage(msg);
    setError(null);
    void app.refreshTokens();
  };
  const act = async (kind: "unlock" | "lock" | "select", p: ReturnType<typeof commands.walletLock>, msg: string) => {
    setBusy(kind);
    setMessage(null);
    const r = await settle(p);
    setBusy(null);
    if (r.ok) apply(r.data, msg);
    else setError(r.error);
  };

  const keystore = wallet.accounts.filter((a) => a.kind === "keystore");
  const dev = wallet.accounts.filter((a) => a.kind === "dev");
  const active = wallet.active ? wallet.accounts.find((a) => a.address.toLowerCase() === wallet.active?.toLowerCase()) : undefined;
  const locked = wallet.hasKeystore && !wallet.unlocked;

  return (
    <section className="wallet" aria-labelledby="wallet-title">
      <h1 id="wallet-title">Wallet</h1>
      <ErrorBox error={error} testId="wallet-error" />
      {message && (
        <div className="message" data-testid="wallet-message" role="status">
          {message}
        </div>
      )}

      <ConnectWallet wallet={wallet} onState={apply} onError={setError} />

      <div className="card sub">
        <h2>Active account</h2>
        {wallet.active ? (
          <div className="active-account">
            {active?.testOnly && <span className="badge danger">TEST ONLY — public Anvil key</span>}
            {active?.label && <span> {active.label}</span>}
            <div>
              <code className="break" data-testid="wallet-active-address">
                {wallet.active}
              </code>{" "}
              <CopyButton text={wallet.active} testId="wallet-copy-address" label="Copy address" />
            </div>
          </div>
        ) : (
          <p className="muted">{locked ? "The wallet is locked." : "No active account."}</p>
        )}
        {(wallet.unlocked || wallet.active) && (
          <button type="button" className="secondary" data-testid="wallet-lock" disabled={busy !== null} onClick={() => void act("lock", commands.walletLock(), "Locked.")}>
            {busy === "lock" ? "Locking…" : "Lock"}
          </button>
        )}
        {wallet.hasKeystore && <p className="muted">Auto-lock after {wallet.autoLockMins} min of inactivity.</p>}
      </div>

      {locked && (
        <form
          className="card sub"
          aria-labelledby="unlock-title"
          onSubmit={(e) => {
            e.preventDefault();
            const pw = password;
            setPassword("");
            void act("unlock", commands.walletUnlock(pw), "Unlocked.");
          }}
        >
          <h2 id="unlock-title">Unlock</h2>
          <div className="field">
            <label htmlFor="unlock-password">Wallet password</label>
            <input id="unlock-password" type="password" data-testid="wallet-unlock-password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          </div>
          <button type="submit" className="primary" data-testid="wallet-unlock-submit" disabled={busy !== null || password === ""}>
            {busy === "unlock" ? "Unlocking…" : "Unlock"}
          </button>
        </form>
      )}

      <KeystoreAccounts
        accounts={keystore}
        active={wallet.active}
        busy={busy !== null}
        onSelect={(addr) => void act("select", commands.walletSelect(addr), "Active account changed.")}
      />
      <DevAccounts
        accounts={dev}
        active={wallet.active}
        busy={busy !== null}
        onSelect={(addr) => void act("select", commands.walletSelect(addr), "Using a test account.")}
      />

      {mode === null && (
        <div className="actions">
          <button type="button" className="primary" data-testid="wallet-create-start" onClick={() => { setMode("create"); setError(null); setMessage(null); }}>
            Create new account
          </button>
          <button type="button" className="secondary" data-testid="wallet-import-start" onClick={() => { setMode("import"); setError(null); setMessage(null); }}>
            Import account
          </button>
        </div>
      )}
      {mode === "create" && (
        <CreateWallet
          hasKeystore={wallet.hasKeystore}
          onError={setError}
          onCancel={() => setMode(null)}
          onDone={(w, msg) => {
            setMode(null);
            apply(w, msg);
          }}
        />
      )}
      {mode === "import" && (
        <ImportWallet
          hasKeystore={wallet.hasKeystore}
          onError={setError}
          onCancel={() => setMode(null)}
          onDone={(w, msg) => {
            setMode(null);
            apply(w, msg);
          }}
        />
      )}
    </section>
  );
}
