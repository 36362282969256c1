import { useEffect, useRef, useState } from "react";
import { commands, type AppError, type FeeSelection, type Simulation } from "../../bindings";
import { settle } from "../../lib/errors";
import { feeKey } from "../../lib/fees";

/** A fee change re-simulates after this pause (the custom fields are typed into). */
export const SIMULATE_DEBOUNCE_MS = 300;

type Stored = { key: string; sim: Simulation | null; error: AppError | null };

/**
 * swapSimulate for the reviewed quote with the chosen fee. Only the result
 * for the current quote and fee is returned: while a new fee is simulated,
 * `sim` is null (so nothing stale is shown or confirmed).
 */
export function useSimulation(quoteId: string | null, fee: FeeSelection): { sim: Simulation | null; error: AppError | null; loading: boolean } {
  const [stored, setStored] = useState<Stored>({ key: "", sim: null, error: null });
  const lastQuote = useRef<string | null>(null);
  const key = quoteId ? `${quoteId}|${feeKey(fee)}` : "";

  useEffect(() => {
    if (!quoteId) {
      lastQuote.current = null;
      setStored({ key: "", sim: null, error: null });
      return;
    }
    // A new review simulates at once; a fee change after a pause.
    const delay = lastQuote.current === quoteId ? SIMULATE_DEBOUNCE_MS : 0;
    lastQuote.current = quoteId;
    let live = true;
    const t = setTimeout(() => {
      void settle(commands.swapSimulate(quoteId, fee)).then((out) => {
        if (!live) return;
        setStored({ key, sim: out.ok ? out.data : null, error: out.ok ? null : out.error });
      });
    }, delay);
    return () => {
      live = false;
      clearTimeout(t);
    };
    // `key` covers the quote and the fee.
  }, [key]);

  const current = key !== "" && stored.key === key;
  return { sim: current ? stored.sim : null, error: current ? stored.error : null, loading: key !== "" && !current };
}
