import { useState } from "react";
import { commands, type AttachedView, type Settings } from "../bindings";
import { settle } from "../lib/errors";
import { FEE_SPEEDS } from "../lib/fees";
import { fromForm, toForm, type SettingsForm } from "../lib/settingsForm";
import { useApp } from "../state/AppState";
import { AttachMarket } from "./settings/AttachMarket";
import { Field } from "./settings/Field";
import { TokenLists } from "./settings/TokenLists";

function SettingsEditor({ initial, onSaved, onListImported }: { initial: Settings; onSaved: (s: Settings) => void; onListImported: () => void }) {
  const [form, setForm] = useState<SettingsForm>(() => toForm(initial));
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Asked for by the Rust side when a change weakens protection.
  const [needPassword, setNeedPassword] = useState(false);
  const [password, setPassword] = useState("");
  // Functional: an attach that resolves later must not undo edits made meanwhile.
  const set = (patch: Partial<SettingsForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setMessage(null);
  };
  // Points the form at an attached deployment; the user saves it.
  const attached = (a: AttachedView) => {
    set({ manifestPath: a.manifestPath, chainId: String(a.chainId) });
    setError(null);
  };

  const save = async () => {
    const s = fromForm(form);
    if (typeof s === "string") {
      setError(s);
      setMessage(null);
      return;
    }
    setBusy(true);
    setError(null);
    const pw = needPassword && password !== "" ? password : null;
    setPassword("");
    const r = await settle(commands.settingsSave(s, pw));
    setBusy(false);
    if (r.ok) {
      setForm(toForm(r.data));
      setNeedPassword(false);
      setMessage("Saved.");
      onSaved(r.data);
    } else {
      if (r.error.kind === "passwordRequired") setNeedPassword(true);
      setError(r.error.message);
    }
  };

  return (
    <>
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Field id="set-rpc" label="RPC URL" hint="Your node's JSON-RPC endpoint, e.g. http://127.0.0.1:8545">
          <input id="set-rpc" data-testid="settings-rpc-url" value={form.rpcUrl} spellCheck={false} onChange={(e) => set({ rpcUrl: e.target.value })} />
        </Field>
        <Field id="set-chain" label="Expected chain id" hint="Sending is blocked when the node reports another chain.">
          <input id="set-chain" data-testid="settings-chain-id" inputMode="numeric" value={form.chainId} onChange={(e) => set({ chainId: e.target.value })} />
        </Field>
        <Field id="set-slippage" label="Slippage tolerance (%)" hint="0.01–50">
          <input id="set-slippage" data-testid="settings-slippage" inputMode="decimal" value={form.slippage} onChange={(e) => set({ slippage: e.target.value })} />
        </Field>
        <Field id="set-deadline" label="Transaction deadline (minutes)">
          <input id="set-deadline" data-testid="settings-deadline" inputMode="numeric" value={form.deadline} onChange={(e) => set({ deadline: e.target.value })} />
        </Field>
        <Field id="set-autolock" label="Auto-lock after (minutes of inactivity)">
          <input id="set-autolock" data-testid="settings-auto-lock" inputMode="numeric" value={form.autoLock} onChange={(e) => set({ autoLock: e.target.value })} />
        </Field>
        <div className="field">
          <label className="check">
            <input
              type="checkbox"
              data-testid="settings-allow-high-impact"
              checked={form.allowHighImpact}
              onChange={(e) => set({ allowHighImpact: e.target.checked })}
            />
            Allow swaps with a price impact above 15%
          </label>
          {form.allowHighImpact && (
            <p className="warning">Such swaps lose a large part of their value to the price move. You will still have to confirm each one.</p>
          )}
        </div>
        <Field id="set-fee-speed" label="Default fee" hint="The fee preset each review starts with; a review can change it.">
          <select
            id="set-fee-speed"
            data-testid="settings-fee-speed"
            value={form.feeSpeed}
            onChange={(e) => set({ feeSpeed: FEE_SPEEDS.find((x) => x.speed === e.target.value)?.speed ?? form.feeSpeed })}
          >
            {FEE_SPEEDS.map((x) => (
              <option key={x.speed} value={x.speed}>
                {x.label}
              </option>
            ))}
          </select>
        </Field>
        <Field
          id="set-fee-cap"
          label="Fee cap (gwei)"
          hint="The most to pay per gas: a transaction whose max fee would be above it is not sent. Empty: no cap. Removing or raising it asks for the wallet password."
        >
          <input id="set-fee-cap" data-testid="settings-fee-cap" inputMode="decimal" placeholder="No cap" value={form.feeCap} onChange={(e) => set({ feeCap: e.target.value })} />
        </Field>
        <Field id="set-manifest" label="Deployment manifest (optional)" hint="Empty: deployments/<chainId>.json next to the app's config.">
          <input id="set-manifest" data-testid="settings-manifest-path" value={form.manifestPath} spellCheck={false} onChange={(e) => set({ manifestPath: e.target.value })} />
        </Field>
        {needPassword && (
          <Field id="set-password" label="Wallet password" hint="This change weakens your protection; the wallet password confirms it is you.">
            <input id="set-password" type="password" data-testid="settings-password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          </Field>
        )}
        {error && (
          <div className="error-box" role="alert" data-testid="settings-error">
            {error}
          </div>
        )}
        {message && (
          <div className="message" role="status" data-testid="settings-message">
            {message}
          </div>
        )}
        <button type="submit" className="primary" data-testid="settings-save" disabled={busy}>
          {busy ? "Saving…" : "Save"}
        </button>
      </form>
      <AttachMarket rpcUrl={form.rpcUrl} onAttached={attached} />
      <TokenLists onImported={onListImported} />
    </>
  );
}

export function SettingsScreen() {
  const app = useApp();
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      {app.settings ? <SettingsEditor initial={app.settings} onSaved={app.setSettings} onListImported={() => void app.refreshTokens()} /> : <p className="muted">Loading settings…</p>}
    </section>
  );
}
