import { useEffect, useState } from "react";
import { commands, type AddRequest, type AppError, type FeeSelection, type TokenView, type TxStatus } from "../../bindings";
import { AmountInput } from "../../components/AmountInput";
import { ErrorBox } from "../../components/ErrorBox";
import { FeeSelector } from "../../components/FeeSelector";
import { SendGate } from "../../components/SendGate";
import { TokenConfirm } from "../../components/TokenConfirm";
import { TokenPicker } from "../../components/TokenPicker";
import { TxStatusView } from "../../components/TxStatusView";
import { formatDisplay, formatExact, formatPlain, toBaseUnits } from "../../lib/amount";
import { presetFee } from "../../lib/fees";
import { formatFraction } from "../../lib/format";
import { refreshed, sameToken } from "../../lib/tokens";
import { runTx } from "../../lib/tx";
import { useApp } from "../../state/AppState";
import { useTokenConfirm } from "../../state/useTokenConfirm";
import { useAddQuote } from "./useAddQuote";

export function AddLiquidity() {
  const app = useApp();
  const [pickA, setPickA] = useState<TokenView | null>(null);
  const [pickB, setPickB] = useState<TokenView | null>(null);
  const [textA, setTextA] = useState("");
  const [textB, setTextB] = useState("");
  const [edited, setEdited] = useState<"a" | "b">("a");
  const [known, setKnown] = useState<{ pair: string; exists: boolean } | null>(null);
  const [status, setStatus] = useState<TxStatus | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [nonce, setNonce] = useState(0);
  // null: the preset from Settings.
  const [chosenFee, setChosenFee] = useState<FeeSelection | null>(null);
  const fee = chosenFee ?? presetFee(app.settings?.feeSpeed);

  useEffect(() => {
    if (!pickA && app.tokens[0]) setPickA(app.tokens[0]);
  }, [app.tokens, pickA]);
  const tokenA = refreshed(app.tokens, pickA);
  const tokenB = refreshed(app.tokens, pickB);
  const pairKey = tokenA && tokenB ? `${tokenA.address}|${tokenB.address}` : "";
  const exists = known && known.pair === pairKey ? known.exists : null;

  const aAmt = tokenA ? toBaseUnits(textA, tokenA.decimals) : null;
  const bAmt = tokenB ? toBaseUnits(textB, tokenB.decimals) : null;
  let req: AddRequest | null = null;
  let reversed = false;
  if (tokenA && tokenB && !sameToken(tokenA, tokenB)) {
    if (exists === true) {
      if (edited === "a" && aAmt) req = { tokenA: tokenA.address, tokenB: tokenB.address, amountA: aAmt, amountB: null };
      else if (edited === "b" && bAmt) {
        req = { tokenA: tokenB.address, tokenB: tokenA.address, amountA: bAmt, amountB: null };
        reversed = true;
      }
    } else if (aAmt && (bAmt || exists === null)) {
      req = { tokenA: tokenA.address, tokenB: tokenB.address, amountA: aAmt, amountB: bAmt };
    }
  }
  const { quote, error: quoteError, loading } = useAddQuote(req, reversed, app.block, nonce);
  // Unverified tokens of the deposit: confirmed by the person before it is sent.
  const tokenGate = useTokenConfirm(quote ? [quote.tokenA, quote.tokenB] : []);

  useEffect(() => {
    if (quote && pairKey) setKnown({ pair: pairKey, exists: quote.exists });
  }, [quote, pairKey]);

  const locked = exists === true;
  const shownA = locked && edited === "b" ? (quote && tokenA ? formatPlain(quote.amountA, tokenA.decimals) : "") : textA;
  const shownB = locked && edited === "a" ? (quote && tokenB ? formatPlain(quote.amountB, tokenB.decimals) : "") : textB;

  const typeA = (v: string) => {
    setTextA(v);
    setEdited("a");
    setError(null);
  };
  const typeB = (v: string) => {
    setTextB(v);
    setEdited("b");
    setError(null);
  };
  const pick = (side: "a" | "b") => (t: TokenView) => {
    const other = side === "a" ? tokenB : tokenA;
    if (sameToken(t, other)) {
      setPickA(tokenB);
      setPickB(tokenA);
    } else if (side === "a") setPickA(t);
    else setPickB(t);
    setTextA("");
    setTextB("");
    setStatus(null);
    setError(null);
    tokenGate.reset();
  };

  const short = (t: TokenView | null, amount: string | undefined) =>
    !!t && t.balance !== null && amount !== undefined && BigInt(amount) > BigInt(t.balance);
  const insufficient = quote ? short(tokenA, quote.amountA) || short(tokenB, quote.amountB) : false;
  const ready = !!quote && (quote.exists || (!!aAmt && !!bAmt)) && !insufficient && !busy && tokenGate.ready;

  const submit = async () => {
    if (!quote || !tokenA || !tokenB) return;
    const r: AddRequest = quote.exists
      ? { tokenA: tokenA.address, tokenB: tokenB.address, amountA: quote.amountA, amountB: null, fee }
      : { tokenA: tokenA.address, tokenB: tokenB.address, amountA: aAmt ?? "0", amountB: bAmt, fee };
    setBusy(true);
    setError(null);
    if (tokenGate.pending.length > 0) {
      const c = await tokenGate.confirmAll();
      void app.refreshTokens();
      if (!c.ok) {
        setBusy(false);
        setError(c.error);
        return;
      }
    }
    const out = await runTx((ch) => commands.liquidityAdd(r, ch), setStatus);
    setBusy(false);
    if (out.ok) {
      setTextA("");
      setTextB("");
      setNonce((n) => n + 1);
      tokenGate.reset();
    } else {
      setError(out.error);
      // Nothing was sent: the confirmation shows again, unticked (never retried on its own).
      if (out.error.kind === "unverifiedToken") tokenGate.refused();
    }
    void app.refreshTokens();
  };

  return (
    <form
      className="card"
      aria-label="Add liquidity"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) void submit();
      }}
    >
      <div className="token-row">
        <AmountInput id="liq-a" label="Token A" testId="liq-amount-a" value={shownA} decimals={tokenA?.decimals ?? 18} onChange={typeA} disabled={busy} />
        <TokenPicker testId="liq-token-a" label="Token A" tokens={app.tokens} selected={tokenA} onSelect={pick("a")} onImported={() => void app.refreshTokens()} />
      </div>
      <div className="token-meta">{tokenA?.balance != null && `Balance: ${formatDisplay(tokenA.balance, tokenA.decimals)}`}</div>
      <div className="token-row">
        <AmountInput id="liq-b" label="Token B" testId="liq-amount-b" value={shownB} decimals={tokenB?.decimals ?? 18} onChange={typeB} disabled={busy} />
        <TokenPicker testId="liq-token-b" label="Token B" tokens={app.tokens} selected={tokenB} onSelect={pick("b")} onImported={() => void app.refreshTokens()} />
      </div>
      <div className="token-meta">{tokenB?.balance != null && `Balance: ${formatDisplay(tokenB.balance, tokenB.decimals)}`}</div>

      {exists === false && (
        <p className="notice" data-testid="liq-new-pool-notice">
          This pool does not exist yet. Adding creates it, and the two amounts you enter set its starting price
          {tokenA && tokenB && aAmt && bAmt ? ` (1 ${tokenA.symbol} = ${(Number(formatExact(bAmt, tokenB.decimals)) / Number(formatExact(aAmt, tokenA.decimals))).toPrecision(6)} ${tokenB.symbol})` : ""}.
          Enter both amounts.
        </p>
      )}
      {locked && <p className="muted">Existing pool: amounts follow the pool's current ratio.</p>}
      {loading && !quote && <p className="muted">Fetching quote…</p>}
      {quote && tokenA && tokenB && (
        <div className="quote-details" data-testid="liq-quote">
          <div className="row">
            <span>LP tokens to receive</span>
            <span>{formatDisplay(quote.liquidity, 18, 8)}</span>
          </div>
          <div className="row">
            <span>Pool share after</span>
            <span>{formatFraction(quote.shareAfter, 4)}</span>
          </div>
          <div className="row">
            <span>Minimum deposited</span>
            <span>
              {formatDisplay(quote.minA, tokenA.decimals)} {tokenA.symbol} · {formatDisplay(quote.minB, tokenB.decimals)} {tokenB.symbol}
            </span>
          </div>
          {(quote.needsApprovalA || quote.needsApprovalB) && (
            <p className="muted">
              Approval of {[quote.needsApprovalA && tokenA.symbol, quote.needsApprovalB && tokenB.symbol].filter(Boolean).join(" and ")} is sent first.
            </p>
          )}
        </div>
      )}
      {quote && <FeeSelector value={fee} onChange={setChosenFee} disabled={busy} />}
      {insufficient && <p className="warning">Insufficient balance.</p>}
      <TokenConfirm gate={tokenGate} known={app.tokens} testId="liq-token-confirm" disabled={busy} />
      <SendGate>
        <button type="submit" className="primary wide" data-testid="liq-add-submit" disabled={!ready}>
          {busy ? "Adding…" : exists === false ? "Create pool and add liquidity" : "Add liquidity"}
        </button>
      </SendGate>
      <TxStatusView status={status} testId="liq-status" />
      <ErrorBox error={error ?? quoteError} testId="liq-error" />
    </form>
  );
}
