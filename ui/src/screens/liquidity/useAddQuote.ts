import { useEffect, useRef, useState } from "react";
import { commands, type AddQuote, type AddRequest, type AppError } from "../../bindings";
import { settle } from "../../lib/errors";

/** A quote asked with A and B swapped, read back in the A/B orientation of the form. */
export function unreverse(q: AddQuote): AddQuote {
  return {
    ...q,
    tokenA: q.tokenB,
    tokenB: q.tokenA,
    amountA: q.amountB,
    amountB: q.amountA,
    minA: q.minB,
    minB: q.minA,
    needsApprovalA: q.needsApprovalB,
    needsApprovalB: q.needsApprovalA,
  };
}

type Stored = { key: string; quote: AddQuote | null; error: AppError | null };

/** Debounced liquidityQuoteAdd for `req` (null: nothing to ask). */
export function useAddQuote(req: AddRequest | null, reversed: boolean, block: number | null, nonce: number) {
  const [stored, setStored] = useState<Stored>({ key: "", quote: null, error: null });
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  const key = req ? `${req.tokenA}|${req.tokenB}|${req.amountA}|${req.amountB ?? ""}|${reversed}` : "";

  useEffect(() => {
    if (!req) {
      setLoading(false);
      return;
    }
    const my = ++seq.current;
    setLoading(true);
    const t = setTimeout(() => {
      void settle(commands.liquidityQuoteAdd(req)).then((out) => {
        if (my !== seq.current) return;
        setLoading(false);
        const quote = out.ok ? (reversed ? unreverse(out.data) : out.data) : null;
        setStored({ key, quote, error: out.ok ? null : out.error });
      });
    }, 250);
    return () => {
      clearTimeout(t);
      seq.current++;
    };
    // `key` covers req and reversed.
  }, [key, block, nonce]);

  const current = key !== "" && stored.key === key;
  return { quote: current ? stored.quote : null, error: current ? stored.error : null, loading: req !== null && loading };
}
