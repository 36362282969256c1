import { useEffect, useState } from "react";
import { commands, type AppError, type FeeOptions, type FeeSelection, type FeeSpeed } from "../bindings";
import { settle } from "../lib/errors";
import { FEE_SPEEDS, GWEI_DECIMALS, gweiOrNull, isCustomFee, weiToGwei, weiToGweiPlain } from "../lib/fees";
import { useApp } from "../state/AppState";
import { AmountInput } from "./AmountInput";
import { ErrorBox } from "./ErrorBox";

type Props = {
  value: FeeSelection;
  onChange: (fee: FeeSelection) => void;
  disabled?: boolean;
};

/**
 * Slow / Normal / Fast presets (max fee per gas and tip, from feeOptions) or a
 * custom max fee and priority fee in gwei. Controlled: `value` is the
 * selection, `onChange` gets the next one. The presets refresh on each block.
 */
export function FeeSelector({ value, onChange, disabled }: Props) {
  const app = useApp();
  const [options, setOptions] = useState<FeeOptions | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [custom, setCustom] = useState(() => isCustomFee(value));
  const [maxText, setMaxText] = useState(value.maxFeeGwei ?? "");
  const [tipText, setTipText] = useState(value.priorityFeeGwei ?? "");

  useEffect(() => {
    let live = true;
    void settle(commands.feeOptions()).then((r) => {
      if (!live) return;
      if (r.ok) {
        setOptions(r.data);
        setError(null);
      } else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [app.block]);

  const pickPreset = (speed: FeeSpeed) => {
    setCustom(false);
    onChange({ speed, maxFeeGwei: null, priorityFeeGwei: null });
  };
  const pickCustom = () => {
    // Start from the current preset's numbers, so only what is changed differs.
    const preset = options?.presets.find((p) => p.speed === value.speed);
    const max = maxText !== "" ? maxText : preset ? weiToGweiPlain(preset.maxFeeWei) : "";
    const tip = tipText !== "" ? tipText : preset ? weiToGweiPlain(preset.priorityFeeWei) : "";
    setMaxText(max);
    setTipText(tip);
    setCustom(true);
    onChange({ speed: value.speed, maxFeeGwei: gweiOrNull(max), priorityFeeGwei: gweiOrNull(tip) });
  };
  const typeMax = (t: string) => {
    setMaxText(t);
    onChange({ speed: value.speed, maxFeeGwei: gweiOrNull(t), priorityFeeGwei: gweiOrNull(tipText) });
  };
  const typeTip = (t: string) => {
    setTipText(t);
    onChange({ speed: value.speed, maxFeeGwei: gweiOrNull(maxText), priorityFeeGwei: gweiOrNull(t) });
  };

  // No EIP-1559 base fee: presets are gas prices, and the Rust side refuses a custom max fee and tip.
  const legacy = options !== null && options.baseFeeWei === null;
  const cap = app.settings?.feeCapGwei ?? (options?.capWei ? weiToGwei(options.capWei) : null);
  return (
    <fieldset className="fee-selector" data-testid="fee-selector" data-speed={value.speed} data-custom={custom ? "true" : "false"} disabled={disabled}>
      <legend>Network fee</legend>
      <div className="presets">
        {FEE_SPEEDS.map(({ speed, label }) => {
          const p = options?.presets.find((x) => x.speed === speed);
          const active = !custom && value.speed === speed;
          return (
            <button
              key={speed}
              type="button"
              className={active ? "chip fee-option active" : "chip fee-option"}
              data-testid={`fee-${speed}`}
              aria-pressed={active}
              onClick={() => pickPreset(speed)}
            >
              <strong>{label}</strong>
              {p && (
                <span className="small">
                  {" "}
                  {weiToGwei(p.maxFeeWei)} gwei{legacy ? "" : ` · tip ${weiToGwei(p.priorityFeeWei)}`}
                </span>
              )}
            </button>
          );
        })}
        <button
          type="button"
          className={custom ? "chip active" : "chip"}
          data-testid="fee-custom"
          aria-pressed={custom}
          disabled={legacy && !custom}
          title={legacy ? "This chain has no EIP-1559 base fee: pick a speed (and set a cap in Settings)." : undefined}
          onClick={pickCustom}
        >
          Custom
        </button>
      </div>
      {custom && (
        <div className="fee-custom">
          <AmountInput id="fee-max" label="Max fee (gwei)" testId="fee-max" value={maxText} decimals={GWEI_DECIMALS} onChange={typeMax} placeholder="e.g. 30" />
          <AmountInput id="fee-priority" label="Priority fee (gwei)" testId="fee-priority" value={tipText} decimals={GWEI_DECIMALS} onChange={typeTip} placeholder="e.g. 1.5" />
        </div>
      )}
      <div className="fee-meta muted small">
        {options?.baseFeeWei && <span data-testid="fee-base">Base fee now: {weiToGwei(options.baseFeeWei)} gwei</span>}
        {cap && <span data-testid="fee-cap">Cap: {cap} gwei</span>}
      </div>
      <ErrorBox error={error} testId="fee-error" />
    </fieldset>
  );
}
