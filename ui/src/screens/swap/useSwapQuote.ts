import { useEffect, useRef, useState } from "react";
import { commands, type AppError, type SwapQuote, type TokenView, type TradeKind } from "../../bindings";
import { toBaseUnits } from "../../lib/amount";
import { settle } from "../../lib/errors";
import { sameToken } from "../../lib/tokens";

export const QUOTE_DEBOUNCE_MS = 250;

type Params = {
  tokenIn: TokenView | null;
  tokenOut: TokenView | null;
  /** The text typed in the field that `kind` refers to (pay for exactIn, receive for exactOut). */
  text: string;
  kind: TradeKind;
  /** Re-quote on each new block, on settings changes and when `nonce` changes. */
  block: number | null;
  settingsKey: string;
  nonce: number;
  /** While reviewing/sending: no re-quotes. */
  paused: boolean;
};

type Stored = { key: string; quote: SwapQuote | null; error: AppError | null };

/** Debounced live quote; only a quote for the current request is returned (never a stale one). */
export function useSwapQuote(p: Params): { quote: SwapQuote | null; error: AppError | null; loading: boolean } {
  const [stored, setStored] = useState<Stored>({ key: "", quote: null, error: null });
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);

  const decimals = p.kind === "exactIn" ? p.tokenIn?.decimals : p.tokenOut?.decimals;
  const amount = decimals !== undefined ? toBaseUnits(p.text, decimals) : null;
  const tin = p.tokenIn?.address ?? "";
  const tout = p.tokenOut?.address ?? "";
  const valid = amount !== null && tin !== "" && tout !== "" && !sameToken(p.tokenIn, p.tokenOut);
  const key = valid ? `${tin}|${tout}|${amount}|${p.kind}` : "";

  useEffect(() => {
    if (!valid || p.paused || amount === null) {
      setLoading(false);
      return;
    }
    const my = ++seq.current;
    setLoading(true);
    const timer = setTimeout(() => {
      void settle(commands.swapQuote({ tokenIn: tin, tokenOut: tout, amount, kind: p.kind })).then((out) => {
        if (my !== seq.current) return;
        setLoading(false);
        setStored({ key, quote: out.ok ? out.data : null, error: out.ok ? null : out.error });
      });
    }, QUOTE_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      seq.current++;
    };
    // `key` covers tokens, amount and kind.
  }, [key, p.block, p.settingsKey, p.nonce, p.paused]);

  const current = key !== "" && stored.key === key;
  return { quote: current ? stored.quote : null, error: current ? stored.error : null, loading: valid && loading };
}
