import { getAddress, isAddress } from "ethers";
import type { TokenOddity, TokenView } from "../bindings";

/** Tokens whose symbol, name or address contains the query (case-insensitive); native ETH first as given. */
export function filterTokens(tokens: TokenView[], query: string): TokenView[] {
  const q = query.trim().toLowerCase();
  if (!q) return tokens;
  return tokens.filter(
    (t) => t.symbol.toLowerCase().includes(q) || t.name.toLowerCase().includes(q) || t.address.toLowerCase().includes(q),
  );
}

/** The checksummed address if the text is one, else null. */
export function asAddress(text: string): string | null {
  const t = text.trim();
  if (!/^0x[0-9a-fA-F]{40}$/.test(t) || !isAddress(t.toLowerCase())) return null;
  return getAddress(t.toLowerCase());
}

export function sameToken(a: TokenView | null | undefined, b: TokenView | null | undefined): boolean {
  return !!a && !!b && a.address.toLowerCase() === b.address.toLowerCase();
}

/** Finds the current version of a token (fresh balance) in a refreshed list. */
export function refreshed(tokens: TokenView[], t: TokenView | null): TokenView | null {
  if (!t) return null;
  return tokens.find((x) => sameToken(x, t)) ?? t;
}

/** Short words for each oddity, as the picker's badges show them. */
export const ODDITY_LABEL: Record<TokenOddity, string> = {
  bytes32Symbol: "bytes32 symbol",
  noSymbol: "no symbol",
  noName: "no name",
  absurdDecimals: "absurd decimals",
  balanceUnreadable: "balance unreadable",
};

/** Native ETH (never needs a confirmation). */
export function isNative(t: TokenView): boolean {
  return t.address === "ETH";
}

/** On none of the person's lists and not confirmed yet: trading it needs a confirmation first. */
export function needsConfirmation(t: TokenView): boolean {
  return !isNative(t) && !t.verified && !t.confirmed;
}

/**
 * The tokens of a trade to confirm before sending, each once: those that need
 * a confirmation, or — after the Rust side refused the trade as unverified
 * (`refused`) — every unverified one even if marked confirmed, and if none is
 * marked unverified, every non-native one (the refusal is the authority).
 */
export function tokensToConfirm(tokens: readonly (TokenView | null | undefined)[], refused = false): TokenView[] {
  const seen = new Set<string>();
  const unique: TokenView[] = [];
  for (const t of tokens) {
    if (!t || isNative(t) || seen.has(t.address.toLowerCase())) continue;
    seen.add(t.address.toLowerCase());
    unique.push(t);
  }
  if (!refused) return unique.filter(needsConfirmation);
  const unverified = unique.filter((t) => !t.verified);
  return unverified.length > 0 ? unverified : unique;
}

/** The symbol of the listed token `t` imitates (from the known tokens), else the symbol it copies. */
export function imitatedSymbol(t: TokenView, known: readonly TokenView[]): string {
  const real = t.imitates ? known.find((x) => x.address.toLowerCase() === t.imitates?.toLowerCase()) : undefined;
  return real?.symbol ?? t.symbol;
}
