export const SLIPPAGE_PRESETS_BPS = [10, 50, 100] as const;
export const SLIPPAGE_MIN_BPS = 1; // 0.01%
export const SLIPPAGE_MAX_BPS = 5000; // 50%

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Custom slippage typed as a percentage ("0.3") -> basis points, 0.01–50%. */
export function parseSlippagePercent(text: string): Checked<number> {
  const t = text.trim();
  if (!/^\d+(\.\d{0,2})?$|^\.\d{1,2}$/.test(t)) {
    return { ok: false, reason: "Enter a percentage with at most 2 decimals, e.g. 0.3" };
  }
  const [i = "0", f = ""] = t.split(".");
  const bps = Number(i || "0") * 100 + Number(f.padEnd(2, "0"));
  if (bps < SLIPPAGE_MIN_BPS || bps > SLIPPAGE_MAX_BPS) {
    return { ok: false, reason: "Slippage must be between 0.01% and 50%" };
  }
  return { ok: true, value: bps };
}

export function bpsToPercentText(bps: number): string {
  const s = (bps / 100).toFixed(2);
  return s.replace(/\.?0+$/, "");
}

/** Deadline in whole minutes, 1–4320 (3 days). */
export function parseDeadlineMins(text: string): Checked<number> {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return { ok: false, reason: "Deadline: whole minutes" };
  const n = Number(t);
  if (n < 1 || n > 4320) return { ok: false, reason: "Deadline must be 1–4320 minutes" };
  return { ok: true, value: n };
}
