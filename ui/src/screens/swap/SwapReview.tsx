import type { ReactNode } from "react";
import type { FeeSelection, Simulation, SwapQuote } from "../../bindings";
import { BalanceChanges } from "../../components/BalanceChanges";
import { FeeSelector } from "../../components/FeeSelector";
import { formatDisplay, usdValue } from "../../lib/amount";
import { weiToEth, weiToGwei } from "../../lib/fees";
import { formatUsd } from "../../lib/format";
import { limitText, routeText } from "./QuoteDetails";

type Props = {
  quote: SwapQuote;
  /** The simulation for the chosen fee; null while it runs or when it failed (the screen shows the error). */
  sim: Simulation | null;
  simulating: boolean;
  fee: FeeSelection;
  /** USD per ETH (native ETH's price), for the fee in USD; null: not priced. */
  ethUsd: number | null;
  onFee: (fee: FeeSelection) => void;
  busy: boolean;
  /** Confirm is enabled only with this (impact accepted, unverified tokens ticked). */
  canConfirm: boolean;
  /** The confirmation of unverified tokens (nothing when none needs it). */
  tokenConfirm?: ReactNode;
  onConfirm: () => void;
  onBack: () => void;
};

/**
 * The expected fee and the most the transaction can cost (max fee × gas
 * limit, what is signed), and both in USD when ETH has a price.
 */
export function FeeLines({ sim, ethUsd }: { sim: Simulation; ethUsd: number | null }) {
  const expectedUsd = formatUsd(usdValue(sim.feeExpectedWei, 18, ethUsd));
  const worstUsd = formatUsd(usdValue(sim.feeWorstWei, 18, ethUsd));
  return (
    <div className="fee-lines">
      <div data-testid="swap-fee-expected">Expected fee ≈ {weiToEth(sim.feeExpectedWei)} ETH</div>
      <div data-testid="swap-fee-worst" className="muted">
        At most {weiToEth(sim.feeWorstWei)} ETH (gas limit {sim.gasLimit.toLocaleString("en-US")} × max fee {weiToGwei(sim.maxFeePerGasWei)} gwei)
      </div>
      {expectedUsd !== "" && (
        <div className="muted small" data-testid="swap-fee-usd">
          ≈ {expectedUsd} expected, at most {worstUsd}
        </div>
      )}
    </div>
  );
}

/** What is paid and received, each with its USD value when priced. */
function ReviewAmounts({ quote: q }: { quote: SwapQuote }) {
  const usdIn = formatUsd(q.usdIn);
  const usdOut = formatUsd(q.usdOut);
  return (
    <div className="grid2" data-testid="swap-review-amounts">
      <span>You pay</span>
      <span data-testid="swap-review-in">
        {formatDisplay(q.amountIn, q.tokenIn.decimals)} {q.tokenIn.symbol}
        {usdIn !== "" && <span className="usd"> (≈ {usdIn})</span>}
      </span>
      <span>You receive</span>
      <span data-testid="swap-review-out">
        {formatDisplay(q.amountOut, q.tokenOut.decimals)} {q.tokenOut.symbol}
        {usdOut !== "" && <span className="usd"> (≈ {usdOut})</span>}
      </span>
      {q.transferFeeBps !== null && q.amountReceived !== null && (
        <>
          <span>Transfer fee</span>
          <span className="warning" data-testid="swap-review-transfer-fee">
            A token on this route takes {(q.transferFeeBps / 100).toFixed(2)}% on transfer: about{" "}
            {formatDisplay(q.amountReceived, q.tokenOut.decimals)} {q.tokenOut.symbol} arrive. The
            swap uses the router&apos;s fee-on-transfer function; the minimum applies to what arrives.
          </span>
        </>
      )}
    </div>
  );
}

/**
 * The reviewed quote: the fee choice, the simulated outcome for that fee, and
 * the final confirmation. `swap-simulation` is shown only with a simulation
 * for the current fee, when Confirm can be pressed.
 */
export function SwapReview({ quote, sim, simulating, fee, ethUsd, onFee, busy, canConfirm, tokenConfirm, onConfirm, onBack }: Props) {
  const state = sim ? "ready" : simulating ? "simulating" : "failed";
  return (
    <div className="review" data-testid="swap-review-panel" data-state={state}>
      <h3>Review</h3>
      <p className="muted">
        {routeText(quote)} · {limitText(quote)}
      </p>
      <ReviewAmounts quote={quote} />
      <FeeSelector value={fee} onChange={onFee} disabled={busy} />
      {sim ? (
        <div data-testid="swap-simulation">
          <p>Expected balance changes (simulated):</p>
          <BalanceChanges changes={sim.changes} testIdPrefix="swap-change-" />
          <FeeLines sim={sim} ethUsd={ethUsd} />
        </div>
      ) : simulating ? (
        <p className="muted" data-testid="swap-simulating">
          <span className="spinner" aria-hidden="true" />
          Simulating…
        </p>
      ) : (
        <p className="muted">The simulation failed (see below); change the fee or go back.</p>
      )}
      {tokenConfirm}
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
