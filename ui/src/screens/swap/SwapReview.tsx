import type { Simulation, SwapQuote } from "../../bindings";
import { BalanceChanges } from "../../components/BalanceChanges";
import { formatDisplay } from "../../lib/amount";
import { limitText, routeText } from "./QuoteDetails";

type Props = {
  quote: SwapQuote;
  sim: Simulation;
  busy: boolean;
  canConfirm: boolean;
  onConfirm: () => void;
  onBack: () => void;
};

/** The simulated outcome of the reviewed quote, and the final confirmation. */
export function SwapReview({ quote, sim, busy, canConfirm, onConfirm, onBack }: Props) {
  return (
    <div className="review" data-testid="swap-simulation">
      <h3>Review</h3>
      <p className="muted">
        {routeText(quote)} · {limitText(quote)}
      </p>
      <p>Expected balance changes (simulated):</p>
      <BalanceChanges changes={sim.changes} testIdPrefix="swap-change-" />
      <p className="muted">
        Network fee ≈ {formatDisplay(sim.gasCostWei, 18, 8)} ETH (gas {sim.gas.toLocaleString("en-US")})
      </p>
      <div className="actions">
        <button type="button" className="secondary" onClick={onBack} disabled={busy}>
          Back
        </button>
        <button type="button" className="primary" data-testid="swap-confirm" disabled={busy || !canConfirm} onClick={onConfirm}>
          {busy ? "Confirming…" : "Confirm swap"}
        </button>
      </div>
    </div>
  );
}
