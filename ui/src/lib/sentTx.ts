// The pending-transactions panel's wording of what the tracker decided.
import type { SentTxView } from "../bindings";
import { shortHash } from "./format";
import { weiToEth } from "./fees";

const KINDS: Record<string, string> = {
  swap: "Swap",
  approval: "Approval",
  addLiquidity: "Deposit",
  removeLiquidity: "Withdrawal",
  cancel: "Cancel",
  other: "Other",
};

export function txKindText(kind: string): string {
  return KINDS[kind] ?? "Other";
}

export function isPending(t: SentTxView): boolean {
  return t.state === "pending";
}

function feeSuffix(t: SentTxView): string {
  return t.feePaidWei !== null ? ` (fee ${weiToEth(t.feePaidWei)} ETH)` : "";
}

/** The state in words: "Confirmed in block 12 (fee 0.0001 ETH)", "Replaced by 0x12ab…". */
export function txStateText(t: SentTxView): string {
  switch (t.state) {
    case "pending":
      return "Pending";
    case "mined":
      return `${t.block !== null ? `Confirmed in block ${t.block}` : "Confirmed"}${feeSuffix(t)}`;
    case "reverted":
      return `${t.block !== null ? `Reverted in block ${t.block}` : "Reverted"}${feeSuffix(t)}`;
    case "replaced":
      return t.replacedBy ? `Replaced by ${shortHash(t.replacedBy)}` : "Replaced (another transaction with its nonce was mined)";
    case "dropped":
      return "Dropped by the node — nothing was spent";
    default:
      return t.state;
  }
}

/** "speed-up of 0x…" / "cancellation of 0x…" for a replacement, else null. */
export function txReplacesText(t: SentTxView): string | null {
  if (!t.replaces) return null;
  return `${t.kind === "cancel" ? "cancellation" : "speed-up"} of ${shortHash(t.replaces)}`;
}
