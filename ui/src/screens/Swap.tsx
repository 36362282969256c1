import { useEffect, useState } from "react";
import { commands, type AppError, type ExecuteSwap, type FeeSelection, type SwapQuote, type TokenView, type TxResult, type TxStatus } from "../bindings";
import { AmountInput } from "../components/AmountInput";
import { BalanceChanges } from "../components/BalanceChanges";
import { ErrorBox } from "../components/ErrorBox";
import { SendGate } from "../components/SendGate";
import { TokenConfirm } from "../components/TokenConfirm";
import { TokenPicker } from "../components/TokenPicker";
import { TxStatusView } from "../components/TxStatusView";
import { formatDisplay, formatPlain, sanitizeAmountInput } from "../lib/amount";
import { presetFee, weiToEth } from "../lib/fees";
import { formatUsd } from "../lib/format";
import { impactAllowsSwap, impactMessage } from "../lib/impact";
import { refreshed, sameToken } from "../lib/tokens";
import { runTx } from "../lib/tx";
import { useApp } from "../state/AppState";
import { useTokenConfirm } from "../state/useTokenConfirm";
import { QuoteDetails } from "./swap/QuoteDetails";
import { SlippageControl } from "./swap/SlippageControl";
import { SwapReview } from "./swap/SwapReview";
import { useSimulation } from "./swap/useSimulation";
import { useSwapQuote } from "./swap/useSwapQuote";

/** Kept back from "Max" on native ETH so the swap can pay for gas. */
export const ETH_GAS_RESERVE = 10n ** 16n; // 0.01 ETH

type Stage = "edit" | "review" | "sending";
type Busy = null | "approve" | "confirm";

function keepIfValid(text: string, decimals: number): string {
  const r = sanitizeAmountInput(text, decimals);
  return r.ok ? r.value : "";
}

/** "≈ $1,990.50" under an amount field; an empty placeholder when the quote has no USD value (keeps the row's layout). */
function UsdNote({ value, testId }: { value: number | null | undefined; testId: string }) {
  const text = formatUsd(value);
  return text === "" ? <span /> : <span className="usd" data-testid={testId}>≈ {text}</span>;
}

function balanceText(t: TokenView | null): string {
  return t && t.balance !== null ? `Balance: ${formatDisplay(t.balance, t.decimals)}` : "";
}

export function Swap() {
  const app = useApp();
  const { settings } = app;
  const [pickIn, setPickIn] = useState<TokenView | null>(null);
  const [pickOut, setPickOut] = useState<TokenView | null>(null);
  const [edited, setEdited] = useState<"in" | "out">("in");
  const [text, setText] = useState("");
  const [stage, setStage] = useState<Stage>("edit");
  const [busy, setBusy] = useState<Busy>(null);
  const [nonce, setNonce] = useState(0);
  const [unlimited, setUnlimited] = useState(false);
  const [impactConfirmed, setImpactConfirmed] = useState(false);
  const [reviewing, setReviewing] = useState<SwapQuote | null>(null);
  // null: the preset from Settings.
  const [chosenFee, setChosenFee] = useState<FeeSelection | null>(null);
  const [txStatus, setTxStatus] = useState<TxStatus | null>(null);
  const [result, setResult] = useState<TxResult | null>(null);
  const [actionError, setActionError] = useState<AppError | null>(null);

  // Default pair: native ETH -> nothing; keep balances fresh from the shared list.
  useEffect(() => {
    if (!pickIn && app.tokens[0]) setPickIn(app.tokens[0]);
  }, [app.tokens, pickIn]);
  const tokenIn = refreshed(app.tokens, pickIn);
  const tokenOut = refreshed(app.tokens, pickOut);

  const kind = edited === "in" ? "exactIn" : "exactOut";
  const { quote, error: quoteError, loading } = useSwapQuote({
    tokenIn,
    tokenOut,
    text,
    kind,
    block: app.block,
    settingsKey: settings ? `${settings.slippageBps}/${settings.deadlineMins}/${settings.allowHighImpact}` : "",
    nonce,
    paused: stage !== "edit",
  });

  const fee = chosenFee ?? presetFee(settings?.feeSpeed);
  const simulation = useSimulation(stage !== "edit" && reviewing ? reviewing.id : null, fee);

  // The quote the amount fields show: the reviewed one while reviewing.
  const shown = reviewing ?? quote;
  // Unverified tokens of the shown quote: confirmed by the person before an approval or the swap.
  const tokenGate = useTokenConfirm(shown ? [shown.tokenIn, shown.tokenOut] : []);

  const inText = edited === "in" ? text : quote && tokenIn ? formatPlain(quote.amountIn, tokenIn.decimals) : "";
  const outText = edited === "out" ? text : quote && tokenOut ? formatPlain(quote.amountOut, tokenOut.decimals) : "";

  const resetFlow = () => {
    setStage("edit");
    setReviewing(null);
    setChosenFee(null);
    setImpactConfirmed(false);
    setActionError(null);
    setResult(null);
    setTxStatus(null);
    tokenGate.reset();
  };
  const typeIn = (v: string) => {
    setEdited("in");
    setText(v);
    resetFlow();
  };
  const typeOut = (v: string) => {
    setEdited("out");
    setText(v);
    resetFlow();
  };
  const flip = () => {
    setPickIn(tokenOut);
    setPickOut(tokenIn);
    setEdited(edited === "in" ? "out" : "in");
    resetFlow();
  };
  const selectIn = (t: TokenView) => {
    if (sameToken(t, tokenOut)) return flip();
    setPickIn(t);
    if (edited === "in") setText(keepIfValid(text, t.decimals));
    resetFlow();
  };
  const selectOut = (t: TokenView) => {
    if (sameToken(t, tokenIn)) return flip();
    setPickOut(t);
    if (edited === "out") setText(keepIfValid(text, t.decimals));
    resetFlow();
  };
  const max = () => {
    if (!tokenIn || tokenIn.balance === null) return;
    let v = BigInt(tokenIn.balance);
    if (tokenIn.address === "ETH") v = v > ETH_GAS_RESERVE ? v - ETH_GAS_RESERVE : 0n;
    typeIn(formatPlain(v, tokenIn.decimals));
  };

  const tier = quote ? quote.impactTier : "none";
  const insufficient =
    !!quote && !!tokenIn && tokenIn.balance !== null && BigInt(quote.amountIn) > BigInt(tokenIn.balance);
  const canReview =
    !!quote && !quote.needsApproval && !insufficient && impactAllowsSwap(tier, impactConfirmed) && busy === null;

  /** tokenConfirm for the tokens the person ticked; false (and the error shown) when one fails. */
  const confirmTokens = async (): Promise<boolean> => {
    if (tokenGate.pending.length === 0) return true;
    const c = await tokenGate.confirmAll();
    void app.refreshTokens();
    if (!c.ok) setActionError(c.error);
    return c.ok;
  };
  /** A refusal for an unverified token shows the confirmation again (unticked); nothing is retried. */
  const failed = (e: AppError) => {
    setActionError(e);
    if (e.kind === "unverifiedToken") tokenGate.refused();
  };

  const approve = async () => {
    if (!quote || !tokenGate.ready) return;
    setBusy("approve");
    setActionError(null);
    setResult(null);
    if (!(await confirmTokens())) {
      setBusy(null);
      return;
    }
    const out = await runTx((ch) => commands.swapApprove(quote.id, unlimited, ch), setTxStatus);
    setBusy(null);
    if (!out.ok) failed(out.error);
    void app.refreshTokens();
    setNonce((n) => n + 1);
  };
  // The review simulates with the fee chosen there (the preset from Settings first).
  const review = () => {
    if (!quote) return;
    setActionError(null);
    setResult(null);
    setTxStatus(null);
    setChosenFee(null);
    setReviewing(quote);
    setStage("review");
    tokenGate.reset();
  };
  const confirm = async () => {
    if (!reviewing || !simulation.sim || !tokenGate.ready) return;
    setBusy("confirm");
    setStage("sending");
    setActionError(null);
    if (!(await confirmTokens())) {
      setBusy(null);
      setStage("review");
      return;
    }
    const req: ExecuteSwap = { quoteId: reviewing.id, confirmImpact: tier === "confirm" && impactConfirmed, fee };
    const out = await runTx((ch) => commands.swapExecute(req, ch), setTxStatus);
    setBusy(null);
    if (!out.ok && out.error.kind === "unverifiedToken") {
      // Nothing was sent: stay in the review, with the confirmation to tick again.
      setStage("review");
      failed(out.error);
      void app.refreshTokens();
      return;
    }
    setStage("edit");
    setReviewing(null);
    setChosenFee(null);
    setImpactConfirmed(false);
    if (out.ok) {
      setResult(out.data);
      setText("");
    } else setActionError(out.error);
    void app.refreshTokens();
  };

  const editing = stage === "edit";
  const ethUsd = app.tokens.find((t) => t.address === "ETH")?.priceUsd ?? null;
  const error = actionError ?? (editing ? null : simulation.error) ?? quoteError;
  return (
    <section className="card swap" aria-labelledby="swap-title">
      <h1 id="swap-title">Swap</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (editing && canReview) review();
        }}
      >
        <div className="token-row">
          <AmountInput id="swap-in" label="You pay" testId="swap-amount-in" base={shown?.amountIn} value={inText} decimals={tokenIn?.decimals ?? 18} onChange={typeIn} disabled={!editing} />
          <TokenPicker testId="swap-token-in" label="You pay" tokens={app.tokens} selected={tokenIn} onSelect={selectIn} onImported={() => void app.refreshTokens()} />
        </div>
        <div className="token-meta">
          <UsdNote value={shown?.usdIn} testId="swap-usd-in" />
          <span>
            {balanceText(tokenIn)}{" "}
            <button type="button" className="btn-small" data-testid="swap-max" onClick={max} disabled={!editing || tokenIn?.balance == null}>
              Max
            </button>
          </span>
        </div>
        <div className="flip-row">
          <button type="button" className="flip" data-testid="swap-flip" onClick={flip} disabled={!editing} aria-label="Flip tokens">
            ⇅
          </button>
        </div>
        <div className="token-row">
          <AmountInput id="swap-out" label="You receive" testId="swap-amount-out" base={shown?.amountOut} value={outText} decimals={tokenOut?.decimals ?? 18} onChange={typeOut} disabled={!editing} />
          <TokenPicker testId="swap-token-out" label="You receive" tokens={app.tokens} selected={tokenOut} onSelect={selectOut} onImported={() => void app.refreshTokens()} />
        </div>
        <div className="token-meta">
          <UsdNote value={shown?.usdOut} testId="swap-usd-out" />
          <span>{balanceText(tokenOut)}</span>
        </div>

        {settings && <SlippageControl settings={settings} onSaved={app.setSettings} />}

        {loading && !quote && <p className="muted">Fetching quote…</p>}
        {quote && <QuoteDetails quote={quote} tier={tier} />}
        {editing && quote && !quote.needsApproval && tokenGate.pending.length > 0 && (
          <p className="warning" data-testid="swap-unverified-note">
            {tokenGate.pending.map((t) => t.symbol).join(" and ")} {tokenGate.pending.length === 1 ? "is" : "are"} on none of your token lists: the review
            shows {tokenGate.pending.length === 1 ? "its address" : "their addresses"} to check before the swap.
          </p>
        )}
        {insufficient && tokenIn && <p className="warning">Insufficient {tokenIn.symbol} balance.</p>}

        {quote && tier === "confirm" && editing && (
          <label className="check danger">
            <input type="checkbox" data-testid="swap-impact-confirm" checked={impactConfirmed} onChange={(e) => setImpactConfirmed(e.target.checked)} />
            I accept this price impact
          </label>
        )}
        {quote && tier === "blocked" && <p className="error-text">{impactMessage("blocked")}</p>}

        {editing && quote && (
          <SendGate>
            {quote.needsApproval && (
              <div className="approve">
                <TokenConfirm gate={tokenGate} known={app.tokens} testId="swap-token-confirm" disabled={busy !== null} />
                <label className="check">
                  <input type="checkbox" data-testid="swap-approve-unlimited" checked={unlimited} onChange={(e) => setUnlimited(e.target.checked)} />
                  Unlimited approval (no approval next time; the router may spend any amount of {quote.tokenIn.symbol})
                </label>
                <button type="button" className="primary" data-testid="swap-approve" disabled={busy !== null || !tokenGate.ready} onClick={() => void approve()}>
                  {busy === "approve" ? "Approving…" : `Approve ${quote.tokenIn.symbol}`}
                </button>
              </div>
            )}
            <button type="submit" className="primary wide" data-testid="swap-review" disabled={!canReview}>
              {quote.needsApproval ? "Approve first" : "Review swap"}
            </button>
          </SendGate>
        )}
      </form>

      {stage !== "edit" && reviewing && (
        <SwapReview
          quote={reviewing}
          sim={simulation.sim}
          simulating={simulation.loading}
          fee={fee}
          ethUsd={ethUsd}
          onFee={setChosenFee}
          busy={busy !== null}
          canConfirm={impactAllowsSwap(tier, impactConfirmed) && tokenGate.ready}
          tokenConfirm={<TokenConfirm gate={tokenGate} known={app.tokens} testId="swap-token-confirm" disabled={busy !== null} />}
          onConfirm={() => void confirm()}
          onBack={resetFlow}
        />
      )}

      <TxStatusView status={txStatus} testId="swap-status" />
      <ErrorBox error={error} testId="swap-error" />
      {result && (
        <div className="result" data-testid="swap-result">
          <h3>Swap confirmed in block {result.block}</h3>
          <BalanceChanges changes={result.changes} testIdPrefix="swap-result-" />
          <p className="muted" data-testid="swap-fee-paid">
            Fee paid {weiToEth(result.feePaidWei)} ETH · gas used {result.gasUsed.toLocaleString("en-US")}
          </p>
          {result.check && (
            <p className="notice" data-testid="trade-check">
              {result.check}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
