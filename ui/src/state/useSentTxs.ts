import { useCallback, useEffect, useState } from "react";
import { commands, type AppError, type SentTxView } from "../bindings";
import { settle } from "../lib/errors";
import { isPending } from "../lib/sentTx";
import { onTxActivity } from "../lib/tx";
import { useSingleFlight } from "./useSingleFlight";

/** How often txList is asked while the panel is open or something is pending. */
export const TX_POLL_MS = 2000;

export type SentTxs = {
  /** Newest first; null until the first answer. */
  txs: SentTxView[] | null;
  error: AppError | null;
  pending: number;
  reload: () => Promise<void>;
};

/**
 * The active account's sent transactions (commands.txList). Loaded once
 * connected, when the account changes, when a transaction command
 * reports "sent" or "mined", and every TX_POLL_MS while `open` or while any
 * is pending; no polling otherwise.
 */
export function useSentTxs(open: boolean, account: string | null, connected: boolean): SentTxs {
  const [txs, setTxs] = useState<SentTxView[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  // One txList at a time; a request made meanwhile runs once after it.
  const load = useCallback(async (): Promise<void> => {
    const r = await settle(commands.txList());
    if (r.ok) {
      setTxs(r.data);
      setError(null);
    } else setError(r.error);
  }, []);
  const reload = useSingleFlight(load);

  // Another account's list is not shown meanwhile; txList needs the node.
  useEffect(() => {
    setTxs(null);
    setError(null);
  }, [account]);
  useEffect(() => {
    if (connected) void reload();
  }, [reload, account, connected]);

  useEffect(() => {
    if (open) void reload();
  }, [open, reload]);

  useEffect(
    () =>
      onTxActivity((s) => {
        if (s.stage === "sent" || s.stage === "mined") void reload();
      }),
    [reload],
  );

  const pending = txs ? txs.filter(isPending).length : 0;
  const poll = open || pending > 0;
  useEffect(() => {
    if (!poll) return;
    const t = setInterval(() => void reload(), TX_POLL_MS);
    return () => clearInterval(t);
  }, [poll, reload]);

  return { txs, error, pending, reload };
}
