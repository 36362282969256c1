import { formatBps, impactMessage, type ImpactTier } from "../lib/impact";

export function PriceImpact({ bps, tier }: { bps: number; tier: ImpactTier }) {
  const msg = impactMessage(tier);
  return (
    <div className={`row impact tier-${tier}`} data-testid="swap-price-impact" data-tier={tier}>
      <span>Price impact</span>
      <span>
        {formatBps(bps)}
        {msg && <span className="impact-msg"> — {msg}</span>}
      </span>
    </div>
  );
}
