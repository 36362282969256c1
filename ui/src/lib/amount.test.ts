import { describe, expect, it } from "vitest";
import { formatDisplay, formatExact, formatPlain, formatSigned, MAX_UINT256, parseAmount, sanitizeAmountInput, toBaseUnits } from "./amount";

const ok = (value: string) => ({ ok: true, value });

describe("sanitizeAmountInput", () => {
  it("accepts digits and a single decimal point", () => {
    expect(sanitizeAmountInput("", 18)).toEqual(ok(""));
    expect(sanitizeAmountInput("12", 18)).toEqual(ok("12"));
    expect(sanitizeAmountInput("12.5", 18)).toEqual(ok("12.5"));
    expect(sanitizeAmountInput("1.", 6)).toEqual(ok("1."));
  });

  it("accepts '.' and '0.' prefixes", () => {
    expect(sanitizeAmountInput(".", 18)).toEqual(ok("0."));
    expect(sanitizeAmountInput(".5", 18)).toEqual(ok("0.5"));
    expect(sanitizeAmountInput("0.", 18)).toEqual(ok("0."));
    expect(sanitizeAmountInput("0.000", 18)).toEqual(ok("0.000"));
  });

  it("strips leading zeros sensibly", () => {
    expect(sanitizeAmountInput("007", 18)).toEqual(ok("7"));
    expect(sanitizeAmountInput("00.5", 18)).toEqual(ok("0.5"));
    expect(sanitizeAmountInput("0", 18)).toEqual(ok("0"));
    expect(sanitizeAmountInput("000", 18)).toEqual(ok("0"));
    expect(sanitizeAmountInput("10", 18)).toEqual(ok("10"));
  });

  it("reads a comma as the decimal point", () => {
    expect(sanitizeAmountInput("1,5", 6)).toEqual(ok("1.5"));
  });

  it("rejects non-numeric input", () => {
    for (const bad of ["abc", "1a", "-1", "+1", "1e5", "1..2", "1.2.3", "0x10", "1 000", "∞", "NaN"]) {
      const r = sanitizeAmountInput(bad, 18);
      expect(r.ok, bad).toBe(false);
    }
    expect(sanitizeAmountInput("1a", 18)).toEqual({ ok: false, reason: "Only digits and one decimal point" });
  });

  it("rejects more decimals than the token has, as typed", () => {
    expect(sanitizeAmountInput("1.123456", 6)).toEqual(ok("1.123456"));
    expect(sanitizeAmountInput("1.1234567", 6)).toEqual({ ok: false, reason: "At most 6 decimals" });
    expect(sanitizeAmountInput("0.1", 1)).toEqual(ok("0.1"));
    expect(sanitizeAmountInput("0.12", 1)).toEqual({ ok: false, reason: "At most 1 decimal" });
    expect(sanitizeAmountInput("1." + "1".repeat(18), 18).ok).toBe(true);
    expect(sanitizeAmountInput("1." + "1".repeat(19), 18).ok).toBe(false);
  });

  it("handles 0-decimal tokens: whole numbers only", () => {
    expect(sanitizeAmountInput("42", 0)).toEqual(ok("42"));
    expect(sanitizeAmountInput("42.", 0)).toEqual({ ok: false, reason: "This token has no decimals" });
    expect(sanitizeAmountInput(".", 0).ok).toBe(false);
  });

  it("keeps huge values exact and refuses values above uint256", () => {
    const max = MAX_UINT256.toString();
    expect(sanitizeAmountInput(max, 0)).toEqual(ok(max));
    expect(sanitizeAmountInput((MAX_UINT256 + 1n).toString(), 0)).toEqual({ ok: false, reason: "Amount too large" });
    expect(sanitizeAmountInput("1" + "0".repeat(60), 18)).toEqual({ ok: false, reason: "Amount too large" });
    expect(sanitizeAmountInput("9".repeat(200), 18).ok).toBe(false);
  });
});

describe("parseAmount / toBaseUnits", () => {
  it("parses with the token's decimals, exactly", () => {
    expect(parseAmount("1.5", 6)).toBe(1_500_000n);
    expect(parseAmount("1", 18)).toBe(10n ** 18n);
    expect(parseAmount("0.000000000000000001", 18)).toBe(1n);
    expect(parseAmount("123456789012345678901234567890.123456789012345678", 18)).toBe(123456789012345678901234567890123456789012345678n);
    expect(parseAmount("7", 0)).toBe(7n);
  });

  it("reads incomplete text as nothing, '1.' as 1", () => {
    expect(parseAmount("", 18)).toBeNull();
    expect(parseAmount("0.", 18)).toBe(0n);
    expect(parseAmount(".", 18)).toBeNull();
    expect(parseAmount("1.", 6)).toBe(1_000_000n);
    expect(parseAmount("abc", 6)).toBeNull();
  });

  it("toBaseUnits gives a decimal string for positive amounts only", () => {
    expect(toBaseUnits("2.5", 6)).toBe("2500000");
    expect(toBaseUnits("0", 6)).toBeNull();
    expect(toBaseUnits("0.", 6)).toBeNull();
    expect(toBaseUnits(MAX_UINT256.toString(), 0)).toBe(MAX_UINT256.toString());
  });
});

describe("formatting", () => {
  it("formatExact is ethers' formatUnits", () => {
    expect(formatExact("1980547500", 6)).toBe("1980.5475");
    expect(formatExact("1000000", 6)).toBe("1.0");
    expect(formatExact("1", 18)).toBe("0.000000000000000001");
    expect(formatExact(MAX_UINT256, 0)).toBe(MAX_UINT256.toString());
  });

  it("formatPlain drops a trailing .0 so it can go back into an input", () => {
    expect(formatPlain("1000000", 6)).toBe("1");
    expect(formatPlain("1500000", 6)).toBe("1.5");
    expect(formatPlain("42", 0)).toBe("42");
  });

  it("formatSigned shows the sign of a delta", () => {
    expect(formatSigned("1990500000", 6)).toBe("+1990.5");
    expect(formatSigned("-1000000000000000000", 18)).toBe("-1.0");
    expect(formatSigned("0", 18)).toBe("0.0");
  });

  it("formatDisplay truncates, groups and marks dust", () => {
    expect(formatDisplay("1234567891234567", 6)).toBe("1,234,567,891.234567");
    expect(formatDisplay("1999999999999999999", 18, 4)).toBe("1.9999");
    expect(formatDisplay("1000000", 6)).toBe("1");
    expect(formatDisplay("1", 18)).toBe("<0.000001");
    expect(formatDisplay("0", 18)).toBe("0");
    expect(formatDisplay("-2500000", 6)).toBe("-2.5");
  });

  it("formats any number of decimals a token claims (up to 255), where ethers gives up", () => {
    expect(formatExact(`1${"0".repeat(255)}`, 255)).toBe("1.0");
    expect(formatExact("5", 100)).toBe(`0.${"0".repeat(99)}5`);
    expect(formatDisplay("123456", 255)).toBe("<0.000001");
    expect(formatDisplay("0", 255)).toBe("0");
    expect(formatSigned("-5", 90)).toBe(`-0.${"0".repeat(89)}5`);
  });
});
