import { describe, expect, it } from "vitest";
import { settings } from "../test/fixtures";
import { confirmationMatches, generatePhrase, isValidPhrase, pickPositions } from "./mnemonic";
import { fromForm, toForm } from "./settingsForm";
import { parseDeadlineMins, parseSlippagePercent } from "./slippage";
import { asAddress, filterTokens, imitatedSymbol, needsConfirmation, tokensToConfirm } from "./tokens";
import { ETH, PEPE, SCAM, TOKENS, USDC, USDC_ADDR } from "../test/fixtures";

describe("slippage and deadline", () => {
  it("accepts 0.01–50% with at most 2 decimals", () => {
    expect(parseSlippagePercent("0.01")).toEqual({ ok: true, value: 1 });
    expect(parseSlippagePercent("0.5")).toEqual({ ok: true, value: 50 });
    expect(parseSlippagePercent(".3")).toEqual({ ok: true, value: 30 });
    expect(parseSlippagePercent("50")).toEqual({ ok: true, value: 5000 });
    expect(parseSlippagePercent("0").ok).toBe(false);
    expect(parseSlippagePercent("50.01").ok).toBe(false);
    expect(parseSlippagePercent("0.001").ok).toBe(false);
    expect(parseSlippagePercent("abc").ok).toBe(false);
  });
  it("deadline is 1–4320 whole minutes", () => {
    expect(parseDeadlineMins("20")).toEqual({ ok: true, value: 20 });
    expect(parseDeadlineMins("0").ok).toBe(false);
    expect(parseDeadlineMins("1.5").ok).toBe(false);
  });
});

describe("settings form", () => {
  it("round-trips and maps an empty manifest path to null", () => {
    expect(fromForm(toForm(settings))).toEqual(settings);
    expect(fromForm({ ...toForm(settings), manifestPath: " /tmp/m.json " })).toMatchObject({ manifestPath: "/tmp/m.json" });
  });
  it("explains what is wrong", () => {
    expect(fromForm({ ...toForm(settings), rpcUrl: "localhost:8545" })).toMatch(/RPC URL/);
    expect(fromForm({ ...toForm(settings), chainId: "x" })).toMatch(/chain id/);
    expect(fromForm({ ...toForm(settings), autoLock: "0" })).toMatch(/Auto-lock/);
  });
});

describe("mnemonic", () => {
  it("generates valid, distinct 12-word phrases", () => {
    const a = generatePhrase();
    const b = generatePhrase();
    expect(a.split(" ")).toHaveLength(12);
    expect(isValidPhrase(a)).toBe(true);
    expect(a).not.toBe(b);
  });
  it("picks distinct sorted positions in 1..12", () => {
    for (let i = 0; i < 20; i++) {
      const p = pickPositions(12, 3);
      expect(new Set(p).size).toBe(3);
      expect(p).toEqual([...p].sort((x, y) => x - y));
      expect(p.every((n) => n >= 1 && n <= 12)).toBe(true);
    }
  });
  it("checks the confirmation words by position, case/space-insensitively", () => {
    const phrase = "abandon ability able about above absent absorb abstract absurd abuse access accident";
    expect(confirmationMatches(phrase, { 2: " Ability ", 5: "above", 12: "accident" }, [2, 5, 12])).toBe(true);
    expect(confirmationMatches(phrase, { 2: "ability", 5: "absent", 12: "accident" }, [2, 5, 12])).toBe(false);
    expect(confirmationMatches(phrase, { 2: "ability" }, [2, 5])).toBe(false);
  });
});

describe("tokens", () => {
  it("filters by symbol, name or address", () => {
    expect(filterTokens(TOKENS, "usd").map((t) => t.symbol)).toEqual(["USDC"]);
    expect(filterTokens(TOKENS, "stablecoin").map((t) => t.symbol)).toEqual(["DAI"]);
    expect(filterTokens(TOKENS, USDC_ADDR.slice(0, 10).toLowerCase()).map((t) => t.symbol)).toEqual(["USDC"]);
    expect(filterTokens(TOKENS, "  ")).toHaveLength(3);
  });
  it("recognises and checksums pasted addresses", () => {
    expect(asAddress(USDC_ADDR.toLowerCase())).toBe(USDC_ADDR);
    expect(asAddress("0x123")).toBeNull();
    expect(asAddress("USDC")).toBeNull();
  });
});

describe("tokens to confirm", () => {
  const pepe = { ...PEPE };
  it("asks for unverified, unconfirmed tokens only, each once, never native ETH", () => {
    expect(needsConfirmation(pepe)).toBe(true);
    expect(needsConfirmation({ ...pepe, confirmed: true })).toBe(false);
    expect(needsConfirmation(USDC)).toBe(false);
    expect(needsConfirmation({ ...ETH, verified: false })).toBe(false);
    expect(tokensToConfirm([ETH, pepe, null, { ...pepe, address: pepe.address.toLowerCase() }])).toEqual([pepe]);
    expect(tokensToConfirm([ETH, USDC])).toEqual([]);
  });
  it("after a refusal: every unverified token even if marked confirmed, else every non-native one", () => {
    const confirmed = { ...pepe, confirmed: true };
    expect(tokensToConfirm([ETH, confirmed])).toEqual([]);
    expect(tokensToConfirm([ETH, confirmed], true)).toEqual([confirmed]);
    expect(tokensToConfirm([USDC, confirmed], true)).toEqual([confirmed]);
    expect(tokensToConfirm([ETH, USDC], true)).toEqual([USDC]);
  });
  it("names the imitated token from the known ones", () => {
    expect(imitatedSymbol(SCAM, TOKENS)).toBe("USDC");
    expect(imitatedSymbol({ ...SCAM, symbol: "USDC.e", imitates: "0x0000000000000000000000000000000000000001" }, TOKENS)).toBe("USDC.e");
  });
});
