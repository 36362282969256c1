import type { FeeSelection, Simulation, SwapQuote } from "../../bindings";
import { BalanceChanges } from "../../components/BalanceChanges";
import { FeeSelector } from "../../components/FeeSelector";
import { weiToEth, weiToGwei } from "../../lib/fees";
import { limitText, routeText } from "./QuoteDetails";

type Props = {
  quote: SwapQuote;
  /** The simulation for the chosen fee; null while it runs or when it failed (the screen shows the error). */
  sim: Simulation | null;
  simulating: boolean;
  fee: FeeSelection;
  onFee: (fee: FeeSelection) => void;
  busy: boolean;
  canConfirm: boolean;
  onConfirm: () => void;
  onBack: () => void;
};

/** The expected fee and the most the transaction can cost (max fee × gas limit, what is signed). */
export function FeeLines({ sim }: { sim: Simulation }) {
  return (
    <div className="fee-lines">
      <div data-testid="swap-fee-expected">Expected fee ≈ {weiToEth(sim.feeExpectedWei)} ETH</div>
      <div data-testid="swap-fee-worst" className="muted">
        At most {weiToEth(sim.feeWorstWei)} ETH (gas limit {sim.gasLimit.toLocaleString("en-US")} × max fee {weiToGwei(sim.maxFeePerGasWei)} gwei)
      </div>
      <div className="muted small" data-testid="swap-fee-usd">
        No USD price source yet
      </div>
    </div>
  );
}

/**
 * The reviewed quote: the fee choice, the simulated outcome for that fee, and
 * the final confirmation. `swap-simulation` is shown only with a simulation
 * for the current fee, when Confirm can be pressed.
 */
export function SwapReview({ quote, sim, simulating, fee, onFee, busy, canConfirm, onConfirm, onBack }: Props) {
  const state = sim ? "ready" : simulating ? "simulating" : "failed";
  return (
    <div className="review" data-testid="swap-review-panel" data-state={state}>
      <h3>Review</h3>
      <p className="muted">
        {routeText(quote)} · {limitText(quote)}
      </p>
      <FeeSelector value={fee} onChange={onFee} disabled={busy} />
      {sim ? (
        <div data-testid="swap-simulation">
          <p>Expected balance changes (simulated):</p>
          <BalanceChanges changes={sim.changes} testIdPrefix="swap-change-" />
          <FeeLines sim={sim} />
        </div>
      ) : simulating ? (
        <p className="muted" data-testid="swap-simulating">
          <span className="spinner" aria-hidden="true" />
          Simulating…
        </p>
      ) : (
        <p className="muted">The simulation failed (see below); change the fee or go back.</p>
      )}
      <div className="actions">
        <button type="button" className="secondary" data-testid="swap-back" onClick={onBack} disabled={busy}>
          Back
        </button>
        <button type="button" className="primary" data-testid="swap-confirm" disabled={busy || !canConfirm || !sim} onClick={onConfirm}>
          {busy ? "Confirming…" : "Confirm swap"}
        </button>
      </div>
    </div>
  );
}
