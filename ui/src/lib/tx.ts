import { Channel } from "@tauri-apps/api/core";
import type { AppError, TxResult, TxStatus } from "../bindings";
import type { Result } from "./result";
import { settle, type Outcome } from "./errors";

type ActivityListener = (s: TxStatus) => void;
const listeners = new Set<ActivityListener>();

/**
 * Hears every TxStatus any transaction command streams (the pending panel
 * refreshes on "sent" and "mined"); returns the unsubscribe function.
 */
export function onTxActivity(l: ActivityListener): () => void {
  listeners.add(l);
  return () => {
    listeners.delete(l);
  };
}

/** A Channel that forwards each TxStatus the Rust side streams. */
export function statusChannel(onStatus: (s: TxStatus) => void): Channel<TxStatus> {
  const ch = new Channel<TxStatus>();
  ch.onmessage = (s) => {
    onStatus(s);
    for (const l of listeners) l(s);
  };
  return ch;
}

/**
 * Runs a transaction command with a status channel. If the command fails
 * without having streamed a "failed" stage, one is reported so the status view
 * always ends in mined or failed.
 */
export async function runTx(
  start: (ch: Channel<TxStatus>) => Promise<Result<TxResult, AppError>>,
  onStatus: (s: TxStatus) => void,
): Promise<Outcome<TxResult>> {
  let last: TxStatus | null = null;
  const ch = statusChannel((s) => {
    last = s;
    onStatus(s);
  });
  onStatus({ stage: "checking", message: "Checking…", hash: null });
  const out = await settle(start(ch));
  const seen = last as TxStatus | null;
  if (!out.ok && seen?.stage !== "failed") {
    onStatus({ stage: "failed", message: out.error.message, hash: seen?.hash ?? null });
  } else if (out.ok && seen?.stage !== "mined") {
    const mined: TxStatus = { stage: "mined", message: `Mined in block ${out.data.block}`, hash: out.data.hash };
    onStatus(mined);
    for (const l of listeners) l(mined);
  }
  return out;
}
