import { useState } from "react";
import { commands, type AppError, type WalletState } from "../../bindings";
import { settle } from "../../lib/errors";
import { confirmationMatches, generatePhrase, pickPositions } from "../../lib/mnemonic";

export const MIN_PASSWORD = 8;
const CONFIRM_WORDS = 3;

type Props = {
  hasKeystore: boolean;
  onDone: (w: WalletState, message: string) => void;
  onError: (e: AppError | null) => void;
  onCancel: () => void;
  /** For tests: a fixed phrase instead of a random one. */
  makePhrase?: () => string;
};

/** New account: a 12-word phrase shown once, 3 words typed back, then label + password. */
export function CreateWallet({ hasKeystore, onDone, onError, onCancel, makePhrase = generatePhrase }: Props) {
  const [phrase, setPhrase] = useState<string | null>(() => makePhrase());
  const [step, setStep] = useState<"show" | "confirm">("show");
  const [positions] = useState(() => pickPositions(12, CONFIRM_WORDS));
  const [answers, setAnswers] = useState<Record<number, string>>({});
  const [label, setLabel] = useState("");
  const [pw, setPw] = useState("");
  const [pw2, setPw2] = useState("");
  const [busy, setBusy] = useState(false);

  const words = phrase ? phrase.split(" ") : [];
  const clearSecrets = () => {
    setPhrase(null);
    setAnswers({});
    setPw("");
    setPw2("");
  };

  const submit = async () => {
    if (!phrase) return;
    if (!confirmationMatches(phrase, answers, positions)) {
      return onError({ kind: "input", message: `The words do not match positions ${positions.join(", ")}. Check what you wrote down.` });
    }
    if (pw.length < MIN_PASSWORD) return onError({ kind: "input", message: `The password needs at least ${MIN_PASSWORD} characters.` });
    if (pw !== pw2) return onError({ kind: "input", message: "The two passwords differ." });
    onError(null);
    setBusy(true);
    const r = await settle(commands.walletCreate({ label: label.trim() || "Account", phrase, password: pw }));
    setBusy(false);
    setPw("");
    setPw2("");
    if (r.ok) {
      clearSecrets();
      onDone(r.data, "Account created.");
    } else onError(r.error);
  };

  if (!phrase) return null;
  if (step === "show") {
    return (
      <div className="card sub" aria-labelledby="create-title">
        <h2 id="create-title">Your recovery phrase</h2>
        <p className="warning">
          Write these 12 words down on paper, in order, and keep them safe. They are shown only now. Anyone who has them
          controls the funds; without them a lost password cannot be recovered.
        </p>
        <ol className="phrase">
          {words.map((w, i) => (
            <li key={i}>
              <span className="muted">{i + 1}.</span> <span data-testid={`wallet-create-word-${i + 1}`}>{w}</span>
            </li>
          ))}
        </ol>
        <div className="actions">
          <button type="button" className="secondary" onClick={() => { clearSecrets(); onCancel(); }}>
            Cancel
          </button>
          <button type="button" className="primary" data-testid="wallet-create-next" onClick={() => setStep("confirm")}>
            I have written it down
          </button>
        </div>
      </div>
    );
  }
  return (
    <form
      className="card sub"
      aria-labelledby="confirm-title"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h2 id="confirm-title">Confirm your phrase</h2>
      <p>Type the words at these positions.</p>
      {positions.map((p) => (
        <div className="field" key={p}>
          <label htmlFor={`confirm-${p}`}>Word #{p}</label>
          <input
            id={`confirm-${p}`}
            data-testid={`wallet-create-confirm-${p}`}
            autoComplete="off"
            spellCheck={false}
            value={answers[p] ?? ""}
            onChange={(e) => setAnswers({ ...answers, [p]: e.target.value })}
          />
        </div>
      ))}
      <div className="field">
        <label htmlFor="create-label">Label</label>
        <input id="create-label" data-testid="wallet-create-label" value={label} placeholder="Account" onChange={(e) => setLabel(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="create-password">{hasKeystore ? "Wallet password (the one you already use)" : "Wallet password (min 8 characters)"}</label>
        <input id="create-password" type="password" data-testid="wallet-create-password" autoComplete="new-password" value={pw} onChange={(e) => setPw(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="create-password2">Repeat password</label>
        <input id="create-password2" type="password" data-testid="wallet-create-password2" autoComplete="new-password" value={pw2} onChange={(e) => setPw2(e.target.value)} />
      </div>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => setStep("show")} disabled={busy}>
          Show phrase again
        </button>
        <button type="submit" className="primary" data-testid="wallet-create-submit" disabled={busy}>
          {busy ? "Creating…" : "Create account"}
        </button>
      </div>
    </form>
  );
}
