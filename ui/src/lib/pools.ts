import type { PoolView } from "../bindings";

/** "WETH/USDC": the pair's name as the list shows it (without the spaces). */
export function pairName(p: PoolView): string {
  return `${p.token0.symbol}/${p.token1.symbol}`;
}

/**
 * Pools matching a search, case-insensitively: a substring of either
 * token's symbol or of the pair's name ("weth/usdc", in either order,
 * spaces ignored), or a prefix ("0x…") of the pair's or a token's address.
 * An empty query keeps every pool.
 */
export function filterPools(pools: PoolView[], query: string): PoolView[] {
  const q = query.trim().toLowerCase().replace(/\s+/g, "");
  if (!q) return pools;
  const hexPrefix = /^0x[0-9a-f]*$/.test(q);
  return pools.filter((p) => {
    const s0 = p.token0.symbol.toLowerCase();
    const s1 = p.token1.symbol.toLowerCase();
    if (s0.includes(q) || s1.includes(q)) return true;
    if (q.includes("/") && (`${s0}/${s1}`.includes(q) || `${s1}/${s0}`.includes(q))) return true;
    return hexPrefix && [p.pair, p.token0.address, p.token1.address].some((a) => a.toLowerCase().startsWith(q));
  });
}

/**
 * What the list can be sorted by: only what a `PoolView` carries and is
 * comparable across pools. Reserves and 24 h volumes are in each pool's own
 * tokens (not comparable); a volume sort needs a priced volume (e.g. in ETH)
 * from the indexer first, and would be one more entry here.
 */
export const POOL_SORTS = [
  { key: "created", label: "Oldest first" },
  { key: "pair", label: "Pair (A–Z)" },
  { key: "tvl", label: "TVL (ETH), highest first" },
  { key: "swaps", label: "Swaps 24h, most first" },
] as const;

export type PoolSort = (typeof POOL_SORTS)[number]["key"];

export function isPoolSort(s: string): s is PoolSort {
  return POOL_SORTS.some((x) => x.key === s);
}

const byName = (a: PoolView, b: PoolView) =>
  pairName(a).localeCompare(pairName(b), "en", { sensitivity: "base" }) || a.pair.toLowerCase().localeCompare(b.pair.toLowerCase());

/** A sorted copy; "created" keeps the indexer's order (pairs by creation). Unknown TVLs sort last. */
export function sortPools(pools: PoolView[], sort: PoolSort): PoolView[] {
  const out = [...pools];
  switch (sort) {
    case "created":
      return out;
    case "pair":
      return out.sort(byName);
    case "tvl":
      return out.sort((a, b) => {
        if (a.tvlEth === null || b.tvlEth === null) return a.tvlEth === b.tvlEth ? byName(a, b) : a.tvlEth === null ? 1 : -1;
        return b.tvlEth - a.tvlEth || byName(a, b);
      });
    case "swaps":
      return out.sort((a, b) => b.swaps24h - a.swaps24h || byName(a, b));
  }
}
