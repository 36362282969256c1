import { useEffect, useState } from "react";
import { commands, type Settings } from "../../bindings";
import { settle } from "../../lib/errors";
import { bpsToPercentText, parseDeadlineMins, parseSlippagePercent, SLIPPAGE_PRESETS_BPS } from "../../lib/slippage";

type Props = { settings: Settings; onSaved: (s: Settings) => void };

/** Slippage presets + custom, and deadline: saved to Settings at once (the quote refreshes). */
export function SlippageControl({ settings, onSaved }: Props) {
  const isPreset = (SLIPPAGE_PRESETS_BPS as readonly number[]).includes(settings.slippageBps);
  const [custom, setCustom] = useState(isPreset ? "" : bpsToPercentText(settings.slippageBps));
  const [deadline, setDeadline] = useState(String(settings.deadlineMins));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => setDeadline(String(settings.deadlineMins)), [settings.deadlineMins]);
  useEffect(() => {
    if (!(SLIPPAGE_PRESETS_BPS as readonly number[]).includes(settings.slippageBps)) {
      setCustom(bpsToPercentText(settings.slippageBps));
    }
  }, [settings.slippageBps]);

  const save = async (patch: Partial<Settings>) => {
    const next = { ...settings, ...patch };
    if (next.slippageBps === settings.slippageBps && next.deadlineMins === settings.deadlineMins) return;
    setBusy(true);
    const r = await settle(commands.settingsSave(next, null));
    setBusy(false);
    if (r.ok) {
      setError(null);
      onSaved(r.data);
    } else if (r.error.kind === "passwordRequired") {
      setError(`${r.error.message} (in Settings, which asks for it)`);
    } else setError(r.error.message);
  };
  const commitCustom = () => {
    if (custom.trim() === "") return;
    const r = parseSlippagePercent(custom);
    if (!r.ok) return setError(r.reason);
    void save({ slippageBps: r.value });
  };
  const commitDeadline = () => {
    const r = parseDeadlineMins(deadline);
    if (!r.ok) return setError(r.reason);
    void save({ deadlineMins: r.value });
  };

  return (
    <fieldset className="slippage" disabled={busy}>
      <legend>Slippage tolerance</legend>
      <div className="presets">
        {SLIPPAGE_PRESETS_BPS.map((bps) => (
          <button
            key={bps}
            type="button"
            data-testid={`swap-slippage-${bps}`}
            className={settings.slippageBps === bps ? "chip active" : "chip"}
            aria-pressed={settings.slippageBps === bps}
            onClick={() => {
              setCustom("");
              void save({ slippageBps: bps });
            }}
          >
            {bpsToPercentText(bps)}%
          </button>
        ))}
        <label htmlFor="swap-slippage-custom" className="sr-only">
          Custom slippage in percent
        </label>
        <input
          id="swap-slippage-custom"
          data-testid="swap-slippage-custom"
          className={!isPreset ? "narrow active" : "narrow"}
          inputMode="decimal"
          placeholder="Custom"
          value={custom}
          onChange={(e) => setCustom(e.target.value)}
          onBlur={commitCustom}
          onKeyDown={(e) => {
            if (e.key === "Enter") commitCustom();
          }}
        />
        <span>%</span>
        <label htmlFor="swap-deadline">Deadline</label>
        <input
          id="swap-deadline"
          data-testid="swap-deadline"
          className="narrow"
          inputMode="numeric"
          value={deadline}
          onChange={(e) => setDeadline(e.target.value)}
          onBlur={commitDeadline}
          onKeyDown={(e) => {
            if (e.key === "Enter") commitDeadline();
          }}
        />
        <span>min</span>
        {busy && <span className="muted">saving…</span>}
      </div>
      {error && (
        <div className="field-error" data-testid="swap-slippage-error" role="alert">
          {error}
        </div>
      )}
    </fieldset>
  );
}
