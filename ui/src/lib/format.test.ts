import { describe, expect, it } from "vitest";
import { wholeTokens, usdValue } from "./amount";
import { formatUsd } from "./format";

describe("formatUsd", () => {
  it("shows cents and groups thousands from $1 up", () => {
    expect(formatUsd(1234.56)).toBe("$1,234.56");
    expect(formatUsd(1)).toBe("$1.00");
    expect(formatUsd(1990.5)).toBe("$1,990.50");
    expect(formatUsd(1234567.891)).toBe("$1,234,567.89");
  });

  it("keeps two significant digits below $1, and at least cents", () => {
    expect(formatUsd(0.5)).toBe("$0.50");
    expect(formatUsd(0.1234)).toBe("$0.12");
    expect(formatUsd(0.01)).toBe("$0.01");
    expect(formatUsd(0.012345)).toBe("$0.012");
    expect(formatUsd(0.0012)).toBe("$0.0012");
    expect(formatUsd(0.00123456)).toBe("$0.0012");
    expect(formatUsd(0.000012)).toBe("$0.000012");
    expect(formatUsd(0.000001)).toBe("$0.000001");
  });

  it("rounds up to $1 without a fourth digit", () => {
    expect(formatUsd(0.9999)).toBe("$1.00");
    expect(formatUsd(0.996)).toBe("$1.00");
  });

  it("says '< $0.000001' for tiny non-zero values, $0.00 for zero", () => {
    expect(formatUsd(0.0000004)).toBe("< $0.000001");
    expect(formatUsd(1e-18)).toBe("< $0.000001");
    expect(formatUsd(0)).toBe("$0.00");
  });

  it("puts the sign before the dollar", () => {
    expect(formatUsd(-1234.5)).toBe("-$1,234.50");
    expect(formatUsd(-0.0012)).toBe("-$0.0012");
  });

  it("shows nothing for null, undefined, NaN and infinities (never $NaN)", () => {
    expect(formatUsd(null)).toBe("");
    expect(formatUsd(undefined)).toBe("");
    expect(formatUsd(Number.NaN)).toBe("");
    expect(formatUsd(Number.POSITIVE_INFINITY)).toBe("");
    expect(formatUsd(Number.NEGATIVE_INFINITY)).toBe("");
  });

  it("never uses exponent notation", () => {
    for (const x of [1e-6, 3.3e-6, 1e15, 1e21, 123456789.123]) expect(formatUsd(x)).not.toMatch(/e/i);
  });
});

describe("usdValue", () => {
  it("multiplies whole tokens by the price, null when not priced", () => {
    expect(usdValue("1650000000000000", 18, 2000)).toBeCloseTo(3.3, 10);
    expect(usdValue("5000000000", 6, 1)).toBe(5000);
    expect(usdValue("5000000000", 6, null)).toBeNull();
    expect(usdValue("5000000000", 6, Number.NaN)).toBeNull();
    expect(wholeTokens("1990500000", 6)).toBe(1990.5);
  });
});
