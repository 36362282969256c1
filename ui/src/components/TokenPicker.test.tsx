import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { TokenView } from "../bindings";
import { TOKENS } from "../test/fixtures";
import { callsTo, mockCommands } from "../test/tauriCore";
import { TokenPicker } from "./TokenPicker";

vi.mock("@tauri-apps/api/core", () => import("../test/tauriCore"));

const NEW_ADDR = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0";
const PEPE: TokenView = { address: NEW_ADDR, symbol: "PEPE", name: "Pepe", decimals: 9, source: "imported", balance: "0", priceUsd: null, warning: "Unknown token: check the address." };

function open(onSelect = vi.fn(), onImported = vi.fn()) {
  render(<TokenPicker testId="swap-token-in" label="You pay" tokens={TOKENS} selected={TOKENS[0] ?? null} onSelect={onSelect} onImported={onImported} />);
  return { onSelect, onImported };
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
});
