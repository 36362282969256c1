import { useState } from "react";
import { commands, type AppError, type ImportSecret, type WalletState } from "../../bindings";
import { settle } from "../../lib/errors";
import { isValidPhrase } from "../../lib/mnemonic";
import { MIN_PASSWORD } from "./CreateWallet";

type Kind = ImportSecret["kind"];
type Props = {
  hasKeystore: boolean;
  onDone: (w: WalletState, message: string) => void;
  onError: (e: AppError | null) => void;
  onCancel: () => void;
};

/** Builds the secret from the form, or says what is wrong. */
export function buildSecret(kind: Kind, secret: string, index: string, keystorePassword: string): ImportSecret | string {
  const s = secret.trim();
  if (kind === "privateKey") {
    const hex = s.startsWith("0x") || s.startsWith("0X") ? s.slice(2) : s;
    if (!/^[0-9a-fA-F]{64}$/.test(hex)) return "A private key is 64 hex characters (optionally with 0x).";
    return { kind, key: `0x${hex}` };
  }
  if (kind === "mnemonic") {
    const phrase = s.toLowerCase().split(/\s+/).join(" ");
    if (!isValidPhrase(phrase)) return "This is not a valid BIP-39 phrase (check the words and their order).";
    if (!/^\d+$/.test(index.trim()) || Number(index) > 2 ** 31 - 1) return "The account index is a whole number (0 for the first).";
    return { kind, phrase, index: Number(index) };
  }
  try {
    JSON.parse(s);
  } catch {
    return "The keystore is not valid JSON.";
  }
  return { kind, json: s, keystorePassword };
}

export function ImportWallet({ hasKeystore, onDone, onError, onCancel }: Props) {
  const [kind, setKind] = useState<Kind>("privateKey");
  const [secret, setSecret] = useState("");
  const [index, setIndex] = useState("0");
  const [ksPassword, setKsPassword] = useState("");
  const [label, setLabel] = useState("");
  const [pw, setPw] = useState("");
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const built = buildSecret(kind, secret, index, ksPassword);
    if (typeof built === "string") return onError({ kind: "input", message: built });
    if (!hasKeystore && pw.length < MIN_PASSWORD) {
      return onError({ kind: "input", message: `The wallet password needs at least ${MIN_PASSWORD} characters.` });
    }
    onError(null);
    setBusy(true);
    const r = await settle(commands.walletImport({ label: label.trim() || "Imported", secret: built, password: pw }));
    setBusy(false);
    setPw("");
    setKsPassword("");
    if (r.ok) {
      setSecret("");
      onDone(r.data, "Account imported.");
    } else onError(r.error);
  };

  return (
    <form
      className="card sub"
      aria-labelledby="import-title"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id="import-title">Import an account</h2>
      <div className="field">
        <label htmlFor="import-kind">What to import</label>
        <select id="import-kind" data-testid="wallet-import-kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
          <option value="privateKey">Private key</option>
          <option value="mnemonic">Recovery phrase (mnemonic)</option>
          <option value="keystore">Keystore JSON file</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="import-secret">{kind === "privateKey" ? "Private key" : kind === "mnemonic" ? "Recovery phrase" : "Keystore JSON"}</label>
        <textarea
          id="import-secret"
          data-testid="wallet-import-secret"
          rows={kind === "keystore" ? 6 : 3}
          autoComplete="off"
          spellCheck={false}
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
        />
      </div>
      {kind === "keystore" && (
        <>
          <div className="field">
            <label htmlFor="import-file">…or choose the keystore file</label>
            <input
              id="import-file"
              type="file"
              accept=".json,application/json,text/plain"
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (f) void f.text().then(setSecret, () => onError({ kind: "input", message: "Could not read that file." }));
              }}
            />
          </div>
          <div className="field">
            <label htmlFor="import-ks-password">Keystore password</label>
            <input id="import-ks-password" type="password" data-testid="wallet-import-keystore-password" autoComplete="off" value={ksPassword} onChange={(e) => setKsPassword(e.target.value)} />
          </div>
        </>
      )}
      {kind === "mnemonic" && (
        <div className="field">
          <label htmlFor="import-index">Account index</label>
          <input id="import-index" data-testid="wallet-import-index" inputMode="numeric" value={index} onChange={(e) => setIndex(e.target.value)} />
        </div>
      )}
      <div className="field">
        <label htmlFor="import-label">Label</label>
        <input id="import-label" data-testid="wallet-import-label" value={label} placeholder="Imported" onChange={(e) => setLabel(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="import-password">{hasKeystore ? "Wallet password (the one you already use)" : "New wallet password (min 8 characters)"}</label>
        <input id="import-password" type="password" data-testid="wallet-import-password" autoComplete="new-password" value={pw} onChange={(e) => setPw(e.target.value)} />
      </div>
      <div className="actions">
        <button type="button" className="secondary" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className="primary" data-testid="wallet-import-submit" disabled={busy}>
          {busy ? "Importing…" : "Import"}
        </button>
      </div>
    </form>
  );
}
