import type { SwapQuote } from "../../bindings";
import { PriceImpact } from "../../components/PriceImpact";
import { formatDisplay, formatExact } from "../../lib/amount";
import { formatPrice } from "../../lib/format";
import type { ImpactTier } from "../../lib/impact";
import { bpsToPercentText } from "../../lib/slippage";

export function routeText(q: SwapQuote): string {
  if (q.route.length === 0) return `${q.tokenIn.symbol} → ${q.tokenOut.symbol}`;
  const first = q.route[0];
  return [first ? first.symbolIn : q.tokenIn.symbol, ...q.route.map((h) => h.symbolOut)].join(" → ");
}

export function limitText(q: SwapQuote): string {
  return q.kind === "exactIn"
    ? `Minimum received: ${formatExact(q.limit, q.tokenOut.decimals)} ${q.tokenOut.symbol}`
    : `Maximum sold: ${formatExact(q.limit, q.tokenIn.decimals)} ${q.tokenIn.symbol}`;
}

export function QuoteDetails({ quote, tier }: { quote: SwapQuote; tier: ImpactTier }) {
  const inv = quote.executionPrice !== null && quote.executionPrice > 0 ? 1 / quote.executionPrice : null;
  return (
    <div className="quote-details" data-testid="swap-quote">
      <div className="row">
        <span>Route</span>
        <span data-testid="swap-route">{routeText(quote)}</span>
      </div>
      <div className="row">
        <span>Price</span>
        <span title={`1 ${quote.tokenOut.symbol} = ${formatPrice(inv)} ${quote.tokenIn.symbol}`}>
          1 {quote.tokenIn.symbol} = {formatPrice(quote.executionPrice)} {quote.tokenOut.symbol}
        </span>
      </div>
      <PriceImpact bps={quote.priceImpactBps} tier={tier} />
      <div className="row">
        <span>Slippage {bpsToPercentText(quote.slippageBps)}%</span>
        <span data-testid="swap-limit">{limitText(quote)}</span>
      </div>
      <div className="row">
        <span>LP fee</span>
        <span data-testid="swap-lp-fee">
          {formatDisplay(quote.lpFee, quote.tokenIn.decimals, 8)} {quote.tokenIn.symbol}
        </span>
      </div>
      <div className="row muted">
        <span>Quoted at block</span>
        <span>
          {quote.block} · deadline {quote.deadlineMins} min
        </span>
      </div>
    </div>
  );
}
