import type { Settings } from "../bindings";
import { bpsToPercentText, parseDeadlineMins, parseSlippagePercent } from "./slippage";

export type SettingsForm = {
  rpcUrl: string;
  chainId: string;
  slippage: string;
  deadline: string;
  autoLock: string;
  allowHighImpact: boolean;
  manifestPath: string;
};

export function toForm(s: Settings): SettingsForm {
  return {
    rpcUrl: s.rpcUrl,
    chainId: String(s.chainId),
    slippage: bpsToPercentText(s.slippageBps),
    deadline: String(s.deadlineMins),
    autoLock: String(s.autoLockMins),
    allowHighImpact: s.allowHighImpact,
    manifestPath: s.manifestPath ?? "",
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
  const manifest = f.manifestPath.trim();
  return {
    rpcUrl: url,
    chainId: Number(f.chainId),
    slippageBps: slip.value,
    deadlineMins: dl.value,
    autoLockMins: Number(f.autoLock),
    allowHighImpact: f.allowHighImpact,
    manifestPath: manifest === "" ? null : manifest,
  };
}
