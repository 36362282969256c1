import { useCallback, useState } from "react";
import { commands, type TokenView } from "../bindings";
import { settle, type Outcome } from "../lib/errors";
import { tokensToConfirm } from "../lib/tokens";

export type TokenConfirmGate = {
  /** The trade's tokens the person must confirm before it is sent (empty: none). */
  pending: TokenView[];
  /** Whether the person ticked "I checked this address…" for `t`. */
  isChecked: (t: TokenView) => boolean;
  setChecked: (t: TokenView, on: boolean) => void;
  /** Every pending token is ticked (or none is pending): the send button may be enabled. */
  ready: boolean;
  /**
   * The Rust side refused the trade (`unverifiedToken`): show the block again,
   * unticked, for every unverified token of the trade.
   */
  refused: () => void;
  /** Forgets the ticks and a refusal (another trade). */
  reset: () => void;
  /** `tokenConfirm` for each pending token, in order; stops at the first error. */
  confirmAll: () => Promise<Outcome<TokenView[]>>;
};

const key = (t: TokenView) => t.address.toLowerCase();

/**
 * The confirmation a trade with an unverified token needs: which tokens, the
 * person's ticks, and the `tokenConfirm` calls made before the trade is sent
 * (never retried on their own: a refused trade waits for a new tick).
 */
export function useTokenConfirm(tokens: readonly (TokenView | null | undefined)[]): TokenConfirmGate {
  const [checked, setCheckedSet] = useState<ReadonlySet<string>>(() => new Set());
  const [wasRefused, setWasRefused] = useState(false);
  const pending = tokensToConfirm(tokens, wasRefused);

  const setChecked = useCallback((t: TokenView, on: boolean) => {
    setCheckedSet((s) => {
      const next = new Set(s);
      if (on) next.add(key(t));
      else next.delete(key(t));
      return next;
    });
  }, []);
  const reset = useCallback(() => {
    setCheckedSet(new Set());
    setWasRefused(false);
  }, []);
  const refused = useCallback(() => {
    setCheckedSet(new Set());
    setWasRefused(true);
  }, []);

  const confirmAll = async (): Promise<Outcome<TokenView[]>> => {
    const done: TokenView[] = [];
    for (const t of pending) {
      const r = await settle(commands.tokenConfirm(t.address));
      if (!r.ok) return r;
      done.push(r.data);
    }
    return { ok: true, data: done };
  };

  return {
    pending,
    isChecked: (t) => checked.has(key(t)),
    setChecked,
    ready: pending.every((t) => checked.has(key(t))),
    refused,
    reset,
    confirmAll,
  };
}
