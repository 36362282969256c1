// Display helpers (floats only for prices and percentages).

export function shortAddress(addr: string): string {
  return addr.length > 12 ? `${addr.slice(0, 6)}…${addr.slice(-4)}` : addr;
}

export function shortHash(hash: string): string {
  return hash.length > 14 ? `${hash.slice(0, 10)}…${hash.slice(-6)}` : hash;
}

/** 0.1234 -> "12.34%" */
/** A fraction as a percentage; `null` (a number the Rust side could not represent) shows as a dash. */
export function formatFraction(x: number | null, digits = 2): string {
  if (x === null || !Number.isFinite(x)) return "—";
  return `${(x * 100).toFixed(digits)}%`;
}

/** A price with ~6 significant digits, without exponent notation for normal ranges. */
/** A price; `null` shows as a dash. */
export function formatPrice(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return "—";
  if (!Number.isFinite(x)) return "—";
  if (x === 0) return "0";
  const abs = Math.abs(x);
  if (abs >= 1e15 || abs < 1e-12) return x.toExponential(4);
  if (abs >= 1000) return x.toLocaleString("en-US", { maximumFractionDigits: 2 });
  return Number(x.toPrecision(6)).toString();
}

/** Below this a non-zero USD value reads "< $0.000001". */
export const USD_TINY = 0.000001;

/**
 * A USD value for reading: "$1,234.56" from $1 up (cents, thousands
 * grouped); below $1 two significant digits and at least cents ("$0.50",
 * "$0.012", "$0.0012"); a non-zero value below $0.000001 (either sign) reads
 * "< $0.000001"; negative values get a leading "-".
 * `null` (not priced), NaN and infinities give "" so that nothing is shown.
 */
export function formatUsd(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "";
  const sign = x < 0 ? "-" : "";
  const abs = Math.abs(x);
  if (abs === 0) return "$0.00";
  if (abs < USD_TINY) return "< $0.000001";
  if (abs < 1) {
    // toPrecision stays in plain notation down to 1e-6; keep at least cents.
    const [int = "0", frac = ""] = abs.toPrecision(2).split(".");
    if (Number(int) < 1) {
      const kept = frac.replace(/0+$/, "").padEnd(2, "0");
      return `${sign}$0.${kept}`;
    }
    // Rounded up to $1 (e.g. 0.999): cents below.
  }
  const text = abs.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: true });
  return `${sign}$${text}`;
}

/** unix seconds or ms -> local "YYYY-MM-DD HH:MM:SS" */
export function formatTime(ts: number): string {
  const ms = ts > 1e12 ? ts : ts * 1000;
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function lowerPair(pair: string): string {
  return pair.toLowerCase();
}
