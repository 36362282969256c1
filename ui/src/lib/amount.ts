// Amounts: what the user types (decimal text) <-> base units (bigint / decimal
// string over IPC). Never floats.
import { parseUnits } from "ethers";

export const MAX_UINT256 = (1n << 256n) - 1n;

export type TypedAmount = { ok: true; value: string } | { ok: false; reason: string };

/**
 * Validates and normalises text as the user types it into an amount field for
 * a token with `decimals` decimals. On failure the caller keeps the previous
 * value and shows `reason`.
 *  - "" stays ""; "," is read as "."; "." becomes "0."
 *  - leading zeros are stripped ("007" -> "7", "00.5" -> "0.5")
 *  - letters, signs, spaces, exponents and a second "." are refused
 *  - more fraction digits than the token has are refused
 *  - values above uint256 are refused
 */
export function sanitizeAmountInput(raw: string, decimals: number): TypedAmount {
  let text = raw.trim().replace(/,/g, ".");
  if (text === "") return { ok: true, value: "" };
  if (!/^[0-9]*\.?[0-9]*$/.test(text)) {
    return { ok: false, reason: "Only digits and one decimal point" };
  }
  if (text.startsWith(".")) text = "0" + text;
  const dot = text.indexOf(".");
  let intPart = dot === -1 ? text : text.slice(0, dot);
  const fracPart = dot === -1 ? null : text.slice(dot + 1);
  intPart = intPart.replace(/^0+(?=\d)/, "");
  if (fracPart !== null) {
    if (decimals === 0) return { ok: false, reason: "This token has no decimals" };
    if (fracPart.length > decimals) {
      return { ok: false, reason: `At most ${decimals} decimal${decimals === 1 ? "" : "s"}` };
    }
  }
  const value = fracPart === null ? intPart : `${intPart}.${fracPart}`;
  const digits = (intPart + (fracPart ?? "").padEnd(decimals, "0")).replace(/^0+/, "");
  if (digits.length > 78 || (digits !== "" && BigInt(digits) > MAX_UINT256)) {
    return { ok: false, reason: "Amount too large" };
  }
  return { ok: true, value };
}

/**
 * Parses a (sanitised) decimal text into base units. Returns null for empty or
 * incomplete text ("", "0.", ".") or anything invalid. "1." reads as 1.
 */
export function parseAmount(text: string, decimals: number): bigint | null {
  let t = text.trim();
  if (t.endsWith(".")) t = t.slice(0, -1);
  if (t === "" || !/^[0-9]+(\.[0-9]+)?$/.test(t)) return null;
  try {
    return parseUnits(t, decimals);
  } catch {
    return null;
  }
}

/** Parsed base units as the decimal string the IPC expects, or null when not a positive amount. */
export function toBaseUnits(text: string, decimals: number): string | null {
  const v = parseAmount(text, decimals);
  return v !== null && v > 0n && v <= MAX_UINT256 ? v.toString() : null;
}

function toBig(value: string | bigint): bigint {
  return typeof value === "bigint" ? value : BigInt(value);
}

/**
 * ethers' formatUnits ("1.0", "0.5", "-1.25"), for any number of decimals: a
 * token may claim up to 255, which ethers refuses (and the screen must still
 * show it).
 */
function formatUnits(v: bigint, decimals: number): string {
  const d = Math.max(0, Math.trunc(decimals));
  const neg = v < 0n;
  const digits = (neg ? -v : v).toString().padStart(d + 1, "0");
  const int = digits.slice(0, digits.length - d);
  const frac = digits.slice(digits.length - d).replace(/0+$/, "");
  if (d === 0) return `${neg ? "-" : ""}${int}`;
  return `${neg ? "-" : ""}${int}.${frac === "" ? "0" : frac}`;
}

/** ethers' formatUnits, exact (keeps a trailing ".0" for whole numbers: "1.0"). */
export function formatExact(value: string | bigint, decimals: number): string {
  return formatUnits(toBig(value), decimals);
}

/** Exact, without a trailing ".0": what goes back into an input field. */
export function formatPlain(value: string | bigint, decimals: number): string {
  const s = formatUnits(toBig(value), decimals);
  return s.endsWith(".0") ? s.slice(0, -2) : s;
}

/** Signed exact delta with an explicit "+" for gains: "+1.5", "-0.25", "0.0". */
export function formatSigned(value: string | bigint, decimals: number): string {
  const v = toBig(value);
  const s = formatUnits(v, decimals);
  return v > 0n ? `+${s}` : s;
}

/**
 * For reading, not for typing back: at most `maxFrac` fraction digits
 * (truncated, never rounded up), trailing zeros dropped, thousands grouped.
 * A non-zero amount smaller than the shown precision reads "<0.000001".
 */
export function formatDisplay(value: string | bigint, decimals: number, maxFrac = 6): string {
  const v = toBig(value);
  const neg = v < 0n;
  const abs = neg ? -v : v;
  const full = formatUnits(abs, decimals);
  const [intRaw, fracRaw = ""] = full.split(".");
  const frac = fracRaw.slice(0, maxFrac).replace(/0+$/, "");
  const intPart = (intRaw ?? "0").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  if (abs > 0n && intPart === "0" && frac === "") {
    return `${neg ? "-" : ""}<0.${"0".repeat(Math.max(0, maxFrac - 1))}1`;
  }
  return `${neg ? "-" : ""}${intPart}${frac ? "." + frac : ""}`;
}

/** Base units (a decimal integer string) as whole tokens, as a float for drawing and USD estimates; 0 if not a number. */
export function wholeTokens(baseUnits: string, decimals: number): number {
  let v: bigint;
  try {
    v = BigInt(baseUnits.trim());
  } catch {
    return 0;
  }
  const scale = 10n ** BigInt(Math.max(0, Math.trunc(decimals)));
  const whole = v / scale;
  const frac = v % scale;
  return Number(whole) + Number(frac) / Number(scale);
}

/** The USD value of an amount in base units at `priceUsd` per whole token; null when not priced. */
export function usdValue(baseUnits: string, decimals: number, priceUsd: number | null): number | null {
  if (priceUsd === null || !Number.isFinite(priceUsd)) return null;
  return wholeTokens(baseUnits, decimals) * priceUsd;
}
