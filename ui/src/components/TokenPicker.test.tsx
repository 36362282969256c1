import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { TokenView } from "../bindings";
import { DAI, ETH, SCAM, SCAM_ADDR, TOKENS, USDC, USDC_ADDR } from "../test/fixtures";
import { callsTo, mockCommands } from "../test/tauriCore";
import { TokenPicker } from "./TokenPicker";

vi.mock("@tauri-apps/api/core", () => import("../test/tauriCore"));

const NEW_ADDR = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0";
const PEPE: TokenView = {
  address: NEW_ADDR,
  symbol: "PEPE",
  name: "Pepe",
  decimals: 9,
  source: "imported",
  balance: "0",
  priceUsd: null,
  lists: [],
  verified: false,
  confirmed: false,
  imitates: null,
  oddities: [],
  warning: "Unknown token: check the address.",
};

function open(onSelect = vi.fn(), onImported = vi.fn(), tokens: TokenView[] = TOKENS) {
  render(<TokenPicker testId="swap-token-in" label="You pay" tokens={tokens} selected={tokens[0] ?? null} onSelect={onSelect} onImported={onImported} />);
  return { onSelect, onImported };
}

/** The picker's row for the token at `address`. */
function row(address: string): HTMLElement {
  const found = screen.getAllByRole("button").find((b) => b.getAttribute("data-address") === address);
  if (!found) throw new Error(`no row for ${address}`);
  return found;
}

describe("TokenPicker", () => {
  it("lists every token and filters by symbol, name and address", async () => {
    const user = userEvent.setup();
    open();
    await user.click(screen.getByTestId("swap-token-in"));
    expect(screen.getByTestId("token-option-ETH")).toBeInTheDocument();
    expect(screen.getByTestId("token-option-USDC")).toBeInTheDocument();
    expect(screen.getByTestId("token-option-DAI")).toBeInTheDocument();
    const search = screen.getByTestId("token-picker-search");
    expect(search).toHaveFocus();
    await user.type(search, "usd");
    expect(screen.queryByTestId("token-option-ETH")).toBeNull();
    expect(screen.getByTestId("token-option-USDC")).toBeInTheDocument();
    await user.clear(search);
    await user.type(search, "stable");
    expect(screen.getByTestId("token-option-DAI")).toBeInTheDocument();
    expect(screen.queryByTestId("token-option-USDC")).toBeNull();
  });

  it("shows each priced token's USD price and the USD value of its balance", async () => {
    const user = userEvent.setup();
    open();
    await user.click(screen.getByTestId("swap-token-in"));
    expect(screen.getByTestId("token-price-ETH")).toHaveTextContent("$2,000.00");
    expect(screen.getByTestId("token-usd-ETH")).toHaveTextContent("$20,000.00"); // 10 ETH
    expect(screen.getByTestId("token-price-USDC")).toHaveTextContent("$1.00");
    expect(screen.getByTestId("token-usd-USDC")).toHaveTextContent("$5,000.00");
    // DAI has no price: nothing, not "$NaN" or "$0.00".
    expect(screen.queryByTestId("token-price-DAI")).toBeNull();
    expect(screen.queryByTestId("token-usd-DAI")).toBeNull();
    expect(screen.getByTestId("token-option-DAI")).not.toHaveTextContent("$");
  });

  it("selects a token and closes", async () => {
    const user = userEvent.setup();
    const { onSelect } = open();
    await user.click(screen.getByTestId("swap-token-in"));
    await user.click(screen.getByTestId("token-option-USDC"));
    expect(onSelect).toHaveBeenCalledWith(expect.objectContaining({ symbol: "USDC" }));
    expect(screen.queryByTestId("token-picker-search")).toBeNull();
  });

  it("imports a pasted address after a preview with the warning", async () => {
    mockCommands({ token_lookup: () => PEPE, token_import: () => PEPE });
    const user = userEvent.setup();
    const { onSelect, onImported } = open();
    await user.click(screen.getByTestId("swap-token-in"));
    await user.type(screen.getByTestId("token-picker-search"), NEW_ADDR.toLowerCase());
    await user.click(screen.getByTestId("token-picker-import-button"));
    expect(await screen.findByTestId("token-picker-import-warning")).toHaveTextContent("Unknown token");
    expect(screen.getByText(/9 decimals/)).toBeInTheDocument();
    expect(callsTo("token_lookup")).toEqual([{ address: NEW_ADDR }]);
    expect(callsTo("token_import")).toHaveLength(0);
    await user.click(screen.getByTestId("token-picker-import-confirm"));
    await waitFor(() => expect(onSelect).toHaveBeenCalledWith(PEPE));
    expect(onImported).toHaveBeenCalledWith(PEPE);
    expect(callsTo("token_import")).toEqual([{ address: NEW_ADDR }]);
  });

  it("closes with Escape", async () => {
    const user = userEvent.setup();
    open();
    await user.click(screen.getByTestId("swap-token-in"));
    await user.keyboard("{Escape}");
    expect(screen.queryByTestId("token-picker-search")).toBeNull();
  });

  it("shows the lists that include each token, and nothing alarming for listed ones", async () => {
    const user = userEvent.setup();
    open();
    await user.click(screen.getByTestId("swap-token-in"));
    const usdc = row(USDC_ADDR);
    expect(within(usdc).getByTestId("token-lists")).toHaveTextContent("Tidepool Devnet, the deployment's manifest");
    expect(within(row(DAI.address)).getByTestId("token-lists")).toHaveTextContent(/^Tidepool Devnet$/);
    for (const r of [usdc, row("ETH")]) {
      expect(within(r).queryByTestId("token-unverified")).toBeNull();
      expect(within(r).queryByTestId("token-imitates")).toBeNull();
      expect(within(r).queryByTestId("token-oddity")).toBeNull();
    }
    // Native ETH: no list line at all.
    expect(within(row("ETH")).queryByTestId("token-lists")).toBeNull();
  });

  it("marks an unverified token with its full address, and an imitation with the real token's address", async () => {
    const user = userEvent.setup();
    open(vi.fn(), vi.fn(), [ETH, USDC, SCAM]);
    await user.click(screen.getByTestId("swap-token-in"));
    const fake = row(SCAM_ADDR);
    expect(within(fake).getByTestId("token-lists")).toHaveTextContent("On none of your token lists");
    expect(within(fake).getByTestId("token-unverified")).toHaveTextContent("Unverified");
    expect(within(fake).getByTestId("token-full-address")).toHaveTextContent(SCAM_ADDR);
    expect(within(fake).queryByTestId("token-confirmed")).toBeNull();
    const imitates = within(fake).getByTestId("token-imitates");
    expect(imitates).toHaveTextContent("Imitates USDC");
    expect(imitates).toHaveTextContent(USDC_ADDR);
    // The real USDC is not marked.
    expect(within(row(USDC_ADDR)).queryByTestId("token-imitates")).toBeNull();
  });

  it("says 'confirmed' for an unverified token the person confirmed", async () => {
    const user = userEvent.setup();
    open(vi.fn(), vi.fn(), [ETH, { ...PEPE, confirmed: true }]);
    await user.click(screen.getByTestId("swap-token-in"));
    const pepe = row(NEW_ADDR);
    expect(within(pepe).getByTestId("token-unverified")).toHaveTextContent("Unverified");
    expect(within(pepe).getByTestId("token-confirmed")).toHaveTextContent("confirmed");
    expect(within(pepe).getByTestId("token-full-address")).toHaveTextContent(NEW_ADDR);
  });

  it("shows a badge per oddity, and a dash for a balance it could not read", async () => {
    const odd: TokenView = {
      ...PEPE,
      symbol: "?",
      name: "?",
      decimals: 255,
      balance: null,
      oddities: ["noSymbol", "noName", "absurdDecimals", "balanceUnreadable"],
    };
    const old: TokenView = { ...DAI, address: "0x89d24A6b4CcB1B6fAA2625fE562bDD9a23260359", symbol: "MKR", oddities: ["bytes32Symbol"], balance: "7" };
    const user = userEvent.setup();
    open(vi.fn(), vi.fn(), [ETH, odd, old]);
    await user.click(screen.getByTestId("swap-token-in"));
    const r = row(NEW_ADDR);
    expect(within(r).getAllByTestId("token-oddity").map((b) => b.textContent)).toEqual(["no symbol", "no name", "absurd decimals", "balance unreadable"]);
    expect(within(r).getByTestId("token-balance-?")).toHaveTextContent("—");
    expect(within(row(old.address)).getByTestId("token-oddity")).toHaveTextContent("bytes32 symbol");
    expect(within(row(old.address)).getByTestId("token-balance-MKR")).toHaveTextContent("<0.000001");
  });

  it("renders a token with 255 decimals and a balance (no crash)", async () => {
    const user = userEvent.setup();
    open(vi.fn(), vi.fn(), [ETH, { ...PEPE, decimals: 255, balance: "1000", oddities: ["absurdDecimals"] }]);
    await user.click(screen.getByTestId("swap-token-in"));
    expect(within(row(NEW_ADDR)).getByTestId("token-balance-PEPE")).toHaveTextContent("<0.000001");
  });
});
