import type { PoolView } from "../bindings";
import { formatPrice, formatUsd } from "./format";

/** "WETH/USDC": the pair's name as the list shows it (without the spaces). */
export function pairName(p: PoolView): string {
  return `${p.token0.symbol}/${p.token1.symbol}`;
}

/** TVL in USD; in ETH when the pool has no USD price; a dash when neither. */
export function tvlText(p: PoolView): string {
  if (p.tvlUsd !== null && Number.isFinite(p.tvlUsd)) return formatUsd(p.tvlUsd);
  if (p.tvlEth !== null && Number.isFinite(p.tvlEth)) return `${formatPrice(p.tvlEth)} ETH`;
  return "—";
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
 * comparable across pools. Reserves and the 24 h volumes in tokens are in
 * each pool's own tokens (not comparable); TVL and volume compare in USD
 * (or TVL in ETH), where the pool is priced.
 */
export const POOL_SORTS = [
  { key: "created", label: "Oldest first" },
  { key: "pair", label: "Pair (A–Z)" },
  { key: "tvlUsd", label: "TVL (USD), highest first" },
  { key: "volumeUsd", label: "Volume 24h (USD), highest first" },
  { key: "tvl", label: "TVL (ETH), highest first" },
  { key: "swaps", label: "Swaps 24h, most first" },
] as const;

export type PoolSort = (typeof POOL_SORTS)[number]["key"];

export function isPoolSort(s: string): s is PoolSort {
  return POOL_SORTS.some((x) => x.key === s);
}

const byName = (a: PoolView, b: PoolView) =>
  pairName(a).localeCompare(pairName(b), "en", { sensitivity: "base" }) || a.pair.toLowerCase().localeCompare(b.pair.toLowerCase());

/** Highest first; pools without the number (null or not finite) last; ties by name. */
const byNumberDesc = (get: (p: PoolView) => number | null) => (a: PoolView, b: PoolView) => {
  const x = get(a);
  const y = get(b);
  const hasX = x !== null && Number.isFinite(x);
  const hasY = y !== null && Number.isFinite(y);
  if (!hasX || !hasY) return hasX === hasY ? byName(a, b) : hasX ? -1 : 1;
  return y - x || byName(a, b);
};

/** A sorted copy; "created" keeps the indexer's order (pairs by creation). Unknown TVLs and volumes sort last. */
export function sortPools(pools: PoolView[], sort: PoolSort): PoolView[] {
  const out = [...pools];
  switch (sort) {
    case "created":
      return out;
    case "pair":
      return out.sort(byName);
    case "tvlUsd":
      return out.sort(byNumberDesc((p) => p.tvlUsd));
    case "volumeUsd":
      return out.sort(byNumberDesc((p) => p.volume24hUsd));
    case "tvl":
      return out.sort(byNumberDesc((p) => p.tvlEth));
    case "swaps":
      return out.sort((a, b) => b.swaps24h - a.swaps24h || byName(a, b));
  }
}
