// Price-impact tiers (basis points: 100 = 1%).
//   < 1%        none
//   >= 1%       low     (warning)
//   >= 3%       medium  (warning)
//   >= 5%       high    (warning)
//   > 10%       confirm (the user must tick a confirmation)
//   > 15%       blocked (refused) unless settings.allowHighImpact, then confirm

export type ImpactTier = "none" | "low" | "medium" | "high" | "confirm" | "blocked";

export const IMPACT_LOW_BPS = 100;
export const IMPACT_MEDIUM_BPS = 300;
export const IMPACT_HIGH_BPS = 500;
export const IMPACT_CONFIRM_ABOVE_BPS = 1000;
export const IMPACT_BLOCK_ABOVE_BPS = 1500;

export function impactTier(bps: number, allowHighImpact: boolean): ImpactTier {
  if (bps > IMPACT_BLOCK_ABOVE_BPS) return allowHighImpact ? "confirm" : "blocked";
  if (bps > IMPACT_CONFIRM_ABOVE_BPS) return "confirm";
  if (bps >= IMPACT_HIGH_BPS) return "high";
  if (bps >= IMPACT_MEDIUM_BPS) return "medium";
  if (bps >= IMPACT_LOW_BPS) return "low";
  return "none";
}

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
      return "Price impact above 15%: swap refused (allow it in Settings)";
  }
}

/** "1.23%" from basis points (display only). */
export function formatBps(bps: number): string {
  return `${(bps / 100).toFixed(2)}%`;
}
