import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { ExecuteSwap, FeeSelection, Settings, TxStatus } from "../../bindings";
import { AppProvider } from "../../state/AppState";
import { baseHandlers, quote, settings, simulation, TOKENS, txResult, USDC_ADDR } from "../../test/fixtures";
import { callsTo, mockCommands } from "../../test/tauriCore";
import { Swap } from "../Swap";

vi.mock("@tauri-apps/api/core", () => import("../../test/tauriCore"));

type Handlers = Record<string, (args: Record<string, unknown>) => unknown>;

/** Quotes 1 ETH → USDC and opens the review. */
async function review(handlers: Handlers, saved: Settings = settings) {
  mockCommands({ ...baseHandlers(), settings_get: () => saved, swap_quote: () => quote(), ...handlers });
  const user = userEvent.setup();
  render(
    <AppProvider>
      <Swap />
    </AppProvider>,
  );
  await waitFor(() => expect(screen.getByTestId("swap-token-in")).toHaveTextContent("ETH"));
  await user.click(screen.getByTestId("swap-token-out"));
  await user.click(screen.getByTestId("token-option-USDC"));
  await user.type(screen.getByTestId("swap-amount-in"), "1");
  await waitFor(() => expect(screen.getByTestId("swap-review")).toBeEnabled());
  await user.click(screen.getByTestId("swap-review"));
  return user;
}

const lastSimulatedFee = () => callsTo("swap_simulate").at(-1)?.fee;

describe("Swap review: network fee", () => {
  it("shows the expected fee and the worst case (gas limit × max fee), in USD at ETH's price", async () => {
    await review({ swap_simulate: () => simulation() });
    expect(await screen.findByTestId("swap-simulation")).toBeInTheDocument();
    expect(screen.getByTestId("swap-fee-expected")).toHaveTextContent("Expected fee ≈ 0.00165 ETH");
    expect(screen.getByTestId("swap-fee-worst")).toHaveTextContent("At most 0.00378 ETH (gas limit 180,000 × max fee 21 gwei)");
    // ETH at $2,000: 0.00165 ETH and 0.00378 ETH.
    expect(screen.getByTestId("swap-fee-usd")).toHaveTextContent("≈ $3.30 expected, at most $7.56");
    expect(screen.getByTestId("swap-confirm")).toBeEnabled();
  });

  it("shows no fee in USD when ETH has no price", async () => {
    await review({ tokens_list: () => TOKENS.map((t) => ({ ...t, priceUsd: null })), swap_simulate: () => simulation() });
    expect(await screen.findByTestId("swap-simulation")).toBeInTheDocument();
    expect(screen.queryByTestId("swap-fee-usd")).toBeNull();
    expect(screen.getByTestId("swap-simulation")).not.toHaveTextContent("$");
  });

  it("starts with the preset from Settings, shows the cap, and re-simulates with each choice", async () => {
    const user = await review(
      { swap_simulate: (a) => simulation({ maxFeePerGasWei: (a.fee as FeeSelection).speed === "slow" ? "20100000000" : "23000000000" }) },
      { ...settings, feeSpeed: "fast", feeCapGwei: "50" },
    );
    await screen.findByTestId("swap-simulation");
    expect(callsTo("swap_simulate")).toEqual([{ quoteId: "q1", fee: { speed: "fast", maxFeeGwei: null, priorityFeeGwei: null } }]);
    expect(screen.getByTestId("fee-fast")).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByTestId("fee-cap")).toHaveTextContent("Cap: 50 gwei");
    expect(screen.getByTestId("swap-fee-worst")).toHaveTextContent("max fee 23 gwei");

    await user.click(screen.getByTestId("fee-slow"));
    await waitFor(() => expect(screen.getByTestId("swap-fee-worst")).toHaveTextContent("max fee 20.1 gwei"));
    expect(lastSimulatedFee()).toEqual({ speed: "slow", maxFeeGwei: null, priorityFeeGwei: null });
    expect(screen.getByTestId("fee-slow")).toHaveAttribute("aria-pressed", "true");
  });

  it("sends custom fees to swapSimulate and swapExecute", async () => {
    const user = await review({
      swap_simulate: () => simulation(),
      swap_execute: (a) => {
        (a.onStatus as { onmessage: (s: TxStatus) => void }).onmessage({ stage: "mined", message: "Mined", hash: "0x" + "22".repeat(32) });
        return txResult({ changes: [{ symbol: "USDC", token: USDC_ADDR, decimals: 6, delta: "1990500000" }] });
      },
    });
    await screen.findByTestId("swap-simulation");
    await user.click(screen.getByTestId("fee-custom"));
    // Prefilled from the normal preset (21 gwei, tip 1).
    expect(screen.getByTestId("fee-max")).toHaveValue("21");
    expect(screen.getByTestId("fee-priority")).toHaveValue("1");
    await user.clear(screen.getByTestId("fee-max"));
    await user.type(screen.getByTestId("fee-max"), "40.5");
    await user.clear(screen.getByTestId("fee-priority"));
    await user.type(screen.getByTestId("fee-priority"), "2");
    const custom: FeeSelection = { speed: "normal", maxFeeGwei: "40.5", priorityFeeGwei: "2" };
    await waitFor(() => expect(lastSimulatedFee()).toEqual(custom));
    await waitFor(() => expect(screen.getByTestId("swap-confirm")).toBeEnabled());
    await user.click(screen.getByTestId("swap-confirm"));
    await screen.findByTestId("swap-result");
    expect((callsTo("swap_execute")[0] as { req: ExecuteSwap }).req).toEqual({ quoteId: "q1", confirmImpact: false, fee: custom });
  });

  it("shows a failed simulation (fee above the cap) and keeps Confirm disabled until a fee passes", async () => {
    const user = await review(
      {
        swap_simulate: (a) => {
          if ((a.fee as FeeSelection).speed === "fast") {
            throw { kind: "input", message: "the max fee 23 gwei is above your fee cap of 22 gwei: choose a lower fee or raise the cap in Settings" };
          }
          return simulation();
        },
      },
      { ...settings, feeSpeed: "fast", feeCapGwei: "22" },
    );
    expect(await screen.findByTestId("swap-error")).toHaveTextContent("above your fee cap of 22 gwei");
    expect(screen.getByTestId("swap-error")).toHaveAttribute("data-kind", "input");
    expect(screen.getByTestId("swap-confirm")).toBeDisabled();
    expect(screen.queryByTestId("swap-simulation")).toBeNull();
    expect(screen.getByTestId("swap-review-panel")).toHaveAttribute("data-state", "failed");

    await user.click(screen.getByTestId("fee-normal"));
    expect(await screen.findByTestId("swap-simulation")).toBeInTheDocument();
    expect(screen.queryByTestId("swap-error")).toBeNull();
    expect(screen.getByTestId("swap-confirm")).toBeEnabled();
  });
});

describe("Swap review: fee-on-transfer tokens", () => {
  it("says the token takes a fee and how much arrives", async () => {
    await review({
      swap_quote: () => quote({ transferFeeBps: 200, amountReceived: "1950000000" }),
      swap_simulate: () => simulation(),
    });
    const line = await screen.findByTestId("swap-review-transfer-fee");
    expect(line).toHaveTextContent("takes 2.00% on transfer");
    expect(line).toHaveTextContent("1,950 USDC arrive");
  });

  it("says nothing for ordinary tokens", async () => {
    await review({ swap_simulate: () => simulation() });
    await screen.findByTestId("swap-review-amounts");
    expect(screen.queryByTestId("swap-review-transfer-fee")).toBeNull();
  });
});
