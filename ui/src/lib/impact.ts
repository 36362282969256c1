// The price-impact tier of a quote is decided on the Rust side (one policy,
// shared with the CLI: tidepool_sdk::impact) and arrives as quote.impactTier;
// this module only words and renders it.

import type { ImpactTier } from "../bindings";

export type { ImpactTier };

/** Whether a swap with this tier may go ahead (given the confirmation checkbox). */
export function impactAllowsSwap(tier: ImpactTier, confirmed: boolean): boolean {
  if (tier === "blocked") return false;
  if (tier === "confirm") return confirmed;
  return true;
}

export function impactMessage(tier: ImpactTier): string | null {
  switch (tier) {
    case "none":
      return null;
    case "low":
      return "Low price impact";
    case "medium":
      return "Medium price impact: you move the price noticeably";
    case "high":
      return "High price impact: you will get a much worse price";
    case "confirm":
      return "Very high price impact: confirm that you accept it";
    case "blocked":
      return "Price impact too high: swap refused (allow it in Settings)";
  }
}

/** "1.23%" from basis points (display only). */
export function formatBps(bps: number): string {
  return `${(bps / 100).toFixed(2)}%`;
}
