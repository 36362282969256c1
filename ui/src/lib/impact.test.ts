import { describe, expect, it } from "vitest";
import { formatBps, impactAllowsSwap } from "./impact";

describe("formatBps", () => {
  it("shows two decimals", () => {
    expect(formatBps(1234)).toBe("12.34%");
    expect(formatBps(5)).toBe("0.05%");
  });
});

describe("impactAllowsSwap", () => {
  it("needs the confirmation above 10% and refuses blocked swaps", () => {
    expect(impactAllowsSwap("high", false)).toBe(true);
    expect(impactAllowsSwap("confirm", false)).toBe(false);
    expect(impactAllowsSwap("confirm", true)).toBe(true);
    expect(impactAllowsSwap("blocked", true)).toBe(false);
  });
});
