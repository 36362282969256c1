import type { FeeSpeed, Settings } from "../bindings";
import { parseGweiText } from "./fees";
import { bpsToPercentText, parseDeadlineMins, parseSlippagePercent } from "./slippage";

export type SettingsForm = {
  rpcUrl: string;
  chainId: string;
  slippage: string;
  deadline: string;
  autoLock: string;
  allowHighImpact: boolean;
  manifestPath: string;
  feeSpeed: FeeSpeed;
  /** Gwei; empty: no cap. */
  feeCap: string;
};

export function toForm(settings: Settings): SettingsForm {
  const s = settings;
  return {
    rpcUrl: s.rpcUrl,
    chainId: String(s.chainId),
    slippage: bpsToPercentText(s.slippageBps),
    deadline: String(s.deadlineMins),
    autoLock: String(s.autoLockMins),
    allowHighImpact: s.allowHighImpact,
    manifestPath: s.manifestPath ?? "",
    feeSpeed: s.feeSpeed,
    feeCap: s.feeCapGwei ?? "",
  };
}

/** The Settings to save, or the first problem as a sentence. */
export function fromForm(f: SettingsForm): Settings | string {
  const url = f.rpcUrl.trim();
  if (!/^(https?|wss?):\/\/[^\s]+$/i.test(url)) return "The RPC URL must start with http://, https://, ws:// or wss://.";
  if (!/^\d{1,12}$/.test(f.chainId.trim()) || Number(f.chainId) < 1) return "The chain id is a positive whole number (31337 for Anvil).";
  const slip = parseSlippagePercent(f.slippage);
  if (!slip.ok) return slip.reason;
  const dl = parseDeadlineMins(f.deadline);
  if (!dl.ok) return dl.reason;
  if (!/^\d{1,4}$/.test(f.autoLock.trim()) || Number(f.autoLock) < 1 || Number(f.autoLock) > 1440) {
    return "Auto-lock must be 1–1440 minutes.";
  }
  const cap = parseGweiText(f.feeCap);
  if (!cap.ok) return `Fee cap: ${cap.reason}`;
  const manifest = f.manifestPath.trim();
  return {
    rpcUrl: url,
    chainId: Number(f.chainId),
    slippageBps: slip.value,
    deadlineMins: dl.value,
    autoLockMins: Number(f.autoLock),
    allowHighImpact: f.allowHighImpact,
    manifestPath: manifest === "" ? null : manifest,
    feeSpeed: f.feeSpeed,
    feeCapGwei: cap.value,
  };
}
