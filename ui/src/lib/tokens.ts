import { getAddress, isAddress } from "ethers";
import type { TokenView } from "../bindings";

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
