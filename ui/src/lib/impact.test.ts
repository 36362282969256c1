import { describe, expect, it } from "vitest";
import { formatBps, impactAllowsSwap, impactTier } from "./impact";

describe("impactTier", () => {
  const cases: [number, string, string][] = [
    // bps, without allowHighImpact, with allowHighImpact
    [0, "none", "none"],
    [99, "none", "none"], // 0.99%
    [100, "low", "low"], // 1%
    [299, "low", "low"],
    [300, "medium", "medium"], // 3%
    [499, "medium", "medium"],
    [500, "high", "high"], // 5%
    [1000, "high", "high"], // 10%: still only a warning
    [1001, "confirm", "confirm"], // 10.01%: needs confirmation
    [1500, "confirm", "confirm"], // 15%: still allowed with confirmation
    [1501, "blocked", "confirm"], // 15.01%: refused unless allowed
    [9999, "blocked", "confirm"],
  ];
  for (const [bps, plain, allowed] of cases) {
    it(`${formatBps(bps)} -> ${plain} / ${allowed} with allowHighImpact`, () => {
      expect(impactTier(bps, false)).toBe(plain);
      expect(impactTier(bps, true)).toBe(allowed);
    });
  }
});

describe("impactAllowsSwap", () => {
  it("needs the confirmation above 10% and refuses blocked swaps", () => {
    expect(impactAllowsSwap("high", false)).toBe(true);
    expect(impactAllowsSwap("confirm", false)).toBe(false);
    expect(impactAllowsSwap("confirm", true)).toBe(true);
    expect(impactAllowsSwap("blocked", true)).toBe(false);
  });
});
