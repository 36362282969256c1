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
