import { useState } from "react";
import { commands, type AppError, type WalletState } from "../../bindings";
import { CopyButton } from "../../components/CopyButton";
import { settle } from "../../lib/errors";

/** Frame's local JSON-RPC endpoint, the external signer most people run. */
export const FRAME_URL = "http://127.0.0.1:1248";

type Busy = null | "external" | "browser" | "disconnect" | "switch";

/** What the wallet card says about a connected external or browser wallet. */
export function remoteSummary(w: WalletState): string | null {
  const r = w.remote;
  if (!r) return null;
  if (r.kind === "external") return `External signer at ${r.url}`;
  if (r.address) return `Browser wallet${r.wallet ? ` ${r.wallet}` : ""}`;
  return r.pageOpen ? "Browser page open: pick your wallet there" : "Waiting for the browser page to be opened";
}

/**
 * Connect the wallet the person already uses: an external signer such as
 * Frame (it confirms every request itself), or a browser extension through
 * a local page. The local wallet (create, import, unlock) is below this card.
 */
export function ConnectWallet(props: { wallet: WalletState; onState: (w: WalletState, msg: string | null) => void; onError: (e: AppError | null) => void }) {
  const { wallet, onState, onError } = props;
  const [url, setUrl] = useState(FRAME_URL);
  const [busy, setBusy] = useState<Busy>(null);
  const remote = wallet.remote;

  const run = async (kind: Busy, p: ReturnType<typeof commands.walletDisconnect>, msg: string) => {
    setBusy(kind);
    onError(null);
    const r = await settle(p);
    setBusy(null);
    if (r.ok) onState(r.data, msg);
    else onError(r.error);
  };

  if (remote) {
    return (
      <div className="card sub" data-testid="wallet-remote" data-kind={remote.kind}>
        <h2>Connected wallet</h2>
        <p data-testid="wallet-remote-summary">{remoteSummary(wallet)}</p>
        {remote.kind === "browser" && !remote.address && (
          <div className="field">
            <label htmlFor="bridge-url">Open this page in the browser that has your wallet</label>
            <div className="row">
              <code id="bridge-url" className="break" data-testid="wallet-bridge-url">
                {remote.url}
              </code>{" "}
              <CopyButton text={remote.url} testId="wallet-bridge-copy" label="Copy link" />
            </div>
            <p className="muted">The page only works on this computer and for this session. Nothing is signed without your approval in the wallet.</p>
          </div>
        )}
        <p className="muted">Every transaction and permit is confirmed in your wallet, not here.</p>
        <div className="actions">
          <button type="button" className="secondary" data-testid="wallet-switch-chain" disabled={busy !== null || !wallet.active} onClick={() => void run("switch", commands.walletSwitchChain(), "The wallet switched network.")}>
            {busy === "switch" ? "Asking the wallet…" : "Switch wallet's network"}
          </button>
          <button type="button" className="secondary" data-testid="wallet-disconnect" disabled={busy !== null} onClick={() => void run("disconnect", commands.walletDisconnect(), "Disconnected.")}>
            Disconnect
          </button>
        </div>
      </div>
    );
  }

  return (
    <div className="card sub" data-testid="wallet-connect">
      <h2>Connect a wallet</h2>
      <p className="muted">Use the wallet you already trust; it keeps your keys and asks you to confirm each request. Or use a local wallet below.</p>
      <form
        className="field"
        onSubmit={(e) => {
          e.preventDefault();
          void run("external", commands.walletConnectExternal(url), "External signer connected.");
        }}
      >
        <label htmlFor="external-url">External signer (e.g. Frame)</label>
        <div className="row">
          <input id="external-url" data-testid="wallet-external-url" value={url} onChange={(e) => setUrl(e.target.value)} spellCheck={false} />
          <button type="submit" className="primary" data-testid="wallet-connect-external" disabled={busy !== null || url.trim() === ""}>
            {busy === "external" ? "Connecting…" : "Connect"}
          </button>
        </div>
      </form>
      <div className="field">
        <label>Browser wallet (MetaMask, Rabby, …)</label>
        <button type="button" className="secondary" data-testid="wallet-connect-browser" disabled={busy !== null} onClick={() => void run("browser", commands.walletConnectBrowser(), "Open the page in your browser and pick your wallet.")}>
          {busy === "browser" ? "Starting…" : "Connect a browser wallet"}
        </button>
      </div>
    </div>
  );
}
