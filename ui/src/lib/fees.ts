// Network fees: wei amounts shown in ETH or gwei (never floats), and the
// FeeSelection a review sends.
import type { FeeSelection, FeeSpeed } from "../bindings";
import { formatDisplay, formatPlain } from "./amount";
import type { Checked } from "./slippage";

export const GWEI_DECIMALS = 9;

export const FEE_SPEEDS: readonly { speed: FeeSpeed; label: string }[] = [
  { speed: "slow", label: "Slow" },
  { speed: "normal", label: "Normal" },
  { speed: "fast", label: "Fast" },
];

/** A preset with no custom values: what a review starts with. */
export function presetFee(speed: FeeSpeed | undefined): FeeSelection {
  return { speed: speed ?? "normal", maxFeeGwei: null, priorityFeeGwei: null };
}

export function isCustomFee(f: FeeSelection): boolean {
  return f.maxFeeGwei !== null || f.priorityFeeGwei !== null;
}

/** Identifies a selection (to re-simulate when it changes). */
export function feeKey(f: FeeSelection): string {
  return `${f.speed}|${f.maxFeeGwei ?? ""}|${f.priorityFeeGwei ?? ""}`;
}

/** Wei as ETH for reading: "0.00031". */
export function weiToEth(wei: string | bigint): string {
  return formatDisplay(wei, 18, 8);
}

/** Wei per gas as gwei for reading: "21.5". */
export function weiToGwei(wei: string | bigint): string {
  return formatDisplay(wei, GWEI_DECIMALS, 4);
}

/** Wei per gas as exact gwei, for a field the user may edit. */
export function weiToGweiPlain(wei: string | bigint): string {
  return formatPlain(wei, GWEI_DECIMALS);
}

/** A gwei field's text as sent: trimmed, "1." read as "1", empty as null. */
export function gweiOrNull(text: string): string | null {
  const t = text.trim().replace(/\.$/, "");
  return t === "" ? null : t;
}

/** A fee per gas typed in gwei (empty: none), at most 9 decimals, above 0. */
export function parseGweiText(text: string): Checked<string | null> {
  const t = gweiOrNull(text);
  if (t === null) return { ok: true, value: null };
  if (!/^\d+(\.\d{1,9})?$/.test(t)) return { ok: false, reason: "enter a fee per gas in gwei, e.g. 50 or 1.5 (at most 9 decimals), or leave it empty" };
  if (/^[0.]+$/.test(t)) return { ok: false, reason: "the cap must be above 0 gwei" };
  return { ok: true, value: t };
}
