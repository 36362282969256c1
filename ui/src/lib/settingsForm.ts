import type { FeeSpeed, Settings } from "../bindings";
import { parseGweiText } from "./fees";
import { bpsToPercentText, parseDeadlineMins, parseSlippagePercent } from "./slippage";

/**
 * Settings with every field present. The generated type marks them optional
 * (the Rust struct is `#[serde(default)]`), but the Rust side always sends
 * them all; the defaults below (those of `Settings::default()`) only fill
 * what an older reply might lack.
 */
export type FullSettings = Required<Settings>;

export const DEFAULT_SETTINGS: FullSettings = {
  rpcUrl: "http://127.0.0.1:8545",
  chainId: 31337,
  slippageBps: 50,
  deadlineMins: 20,
  autoLockMins: 15,
  allowHighImpact: false,
  manifestPath: null,
  feeSpeed: "normal",
  feeCapGwei: null,
};

export function withDefaults(s: Settings): FullSettings {
  const d = DEFAULT_SETTINGS;
  return {
    rpcUrl: s.rpcUrl ?? d.rpcUrl,
    chainId: s.chainId ?? d.chainId,
    slippageBps: s.slippageBps ?? d.slippageBps,
    deadlineMins: s.deadlineMins ?? d.deadlineMins,
    autoLockMins: s.autoLockMins ?? d.autoLockMins,
    allowHighImpact: s.allowHighImpact ?? d.allowHighImpact,
    manifestPath: s.manifestPath ?? d.manifestPath,
    feeSpeed: s.feeSpeed ?? d.feeSpeed,
    feeCapGwei: s.feeCapGwei ?? d.feeCapGwei,
  };
}

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
  const s = withDefaults(settings);
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
export function fromForm(f: SettingsForm): FullSettings | string {
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
