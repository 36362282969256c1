import { describe, expect, it } from "vitest";
import { sentTx, settings } from "../test/fixtures";
import { feeKey, gweiOrNull, parseGweiText, presetFee, weiToEth, weiToGwei, weiToGweiPlain } from "./fees";
import { txKindText, txReplacesText, txStateText } from "./sentTx";
import { fromForm, toForm } from "./settingsForm";

describe("fees", () => {
  it("shows wei as ETH and gwei without floats", () => {
    expect(weiToEth("1650000000000000")).toBe("0.00165");
    expect(weiToEth("1")).toBe("<0.00000001");
    expect(weiToGwei("21000000000")).toBe("21");
    expect(weiToGwei("100000000")).toBe("0.1");
    expect(weiToGweiPlain("20123456789")).toBe("20.123456789");
  });
  it("reads gwei fields: empty is none, a trailing dot is dropped, at most 9 decimals, above 0", () => {
    expect(gweiOrNull(" 1. ")).toBe("1");
    expect(gweiOrNull("")).toBeNull();
    expect(parseGweiText("")).toEqual({ ok: true, value: null });
    expect(parseGweiText(" 50 ")).toEqual({ ok: true, value: "50" });
    expect(parseGweiText("0.000000001")).toEqual({ ok: true, value: "0.000000001" });
    expect(parseGweiText("0.0000000001").ok).toBe(false);
    expect(parseGweiText("0").ok).toBe(false);
    expect(parseGweiText("5O").ok).toBe(false);
    expect(parseGweiText("-1").ok).toBe(false);
  });
  it("a preset selection and its key", () => {
    expect(presetFee(undefined)).toEqual({ speed: "normal", maxFeeGwei: null, priorityFeeGwei: null });
    expect(feeKey({ speed: "fast", maxFeeGwei: "30", priorityFeeGwei: null })).not.toBe(feeKey(presetFee("fast")));
  });
});

describe("sent transactions in words", () => {
  it("names kinds and states", () => {
    expect(txKindText("addLiquidity")).toBe("Deposit");
    expect(txKindText("removeLiquidity")).toBe("Withdrawal");
    expect(txKindText("somethingNew")).toBe("Other");
    expect(txStateText(sentTx())).toBe("Pending");
    expect(txStateText(sentTx({ state: "mined", block: 7, feePaidWei: "21000000000000" }))).toBe("Confirmed in block 7 (fee 0.000021 ETH)");
    expect(txStateText(sentTx({ state: "reverted", block: 8, feePaidWei: null }))).toBe("Reverted in block 8");
    expect(txStateText(sentTx({ state: "replaced", replacedBy: "0x" + "ab".repeat(32) }))).toBe("Replaced by 0xabababab…ababab");
    expect(txStateText(sentTx({ state: "dropped" }))).toBe("Dropped by the node — nothing was spent");
  });
  it("says what a replacement replaces", () => {
    expect(txReplacesText(sentTx())).toBeNull();
    expect(txReplacesText(sentTx({ replaces: "0x" + "cd".repeat(32) }))).toBe("speed-up of 0xcdcdcdcd…cdcdcd");
    expect(txReplacesText(sentTx({ kind: "cancel", replaces: "0x" + "cd".repeat(32) }))).toBe("cancellation of 0xcdcdcdcd…cdcdcd");
  });
});

describe("settings fee fields", () => {
  it("round-trips the fee fields", () => {
    const capped = { ...settings, feeSpeed: "fast" as const, feeCapGwei: "12.5" };
    expect(fromForm(toForm(capped))).toEqual(capped);
    expect(fromForm({ ...toForm(capped), feeCap: "  " })).toMatchObject({ feeCapGwei: null });
    expect(fromForm({ ...toForm(capped), feeCap: "abc" })).toMatch(/Fee cap/);
  });
});
