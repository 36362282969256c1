import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { AppEvent, FeeSelection, SwapQuote, TxStatus } from "../bindings";
import { AppProvider } from "../state/AppState";
import { baseHandlers, quote, simulation, txResult, USDC_ADDR } from "../test/fixtures";
import { callsTo, channels, mockCommands } from "../test/tauriCore";
import { Swap } from "./Swap";

vi.mock("@tauri-apps/api/core", () => import("../test/tauriCore"));

type Ch<T> = { onmessage: (t: T) => void };

const NORMAL: FeeSelection = { speed: "normal", maxFeeGwei: null, priorityFeeGwei: null };

async function setup(handlers: Record<string, (args: Record<string, unknown>) => unknown>) {
  mockCommands({ ...baseHandlers(), ...handlers });
  const user = userEvent.setup();
  render(
    <AppProvider>
      <Swap />
    </AppProvider>,
  );
  await waitFor(() => expect(screen.getByTestId("swap-token-in")).toHaveTextContent("ETH"));
  await user.click(screen.getByTestId("swap-token-out"));
  await user.click(screen.getByTestId("token-option-USDC"));
  return user;
}

describe("Swap screen", () => {
  it("quotes exact-in as you type and shows route, minimum received, fee and output", async () => {
    const user = await setup({ swap_quote: () => quote() });
    await user.type(screen.getByTestId("swap-amount-in"), "1");
    expect(await screen.findByTestId("swap-route")).toHaveTextContent("WETH → DAI → USDC");
    expect(screen.getByTestId("swap-limit")).toHaveTextContent("Minimum received: 1980.5475 USDC");
    expect(screen.getByText("Slippage 0.5%")).toBeInTheDocument();
    expect(screen.getByTestId("swap-lp-fee")).toHaveTextContent("0.006 ETH");
    expect(screen.getByTestId("swap-amount-out")).toHaveValue("1990.5");
    expect(screen.getByTestId("swap-price-impact")).toHaveAttribute("data-tier", "none");
    expect(callsTo("swap_quote")).toEqual([{ req: { tokenIn: "ETH", tokenOut: USDC_ADDR, amount: "1000000000000000000", kind: "exactIn" } }]);
  });

  it("shows the quote's USD values next to both amounts and in the review", async () => {
    const user = await setup({ swap_quote: () => quote(), swap_simulate: () => simulation() });
    await user.type(screen.getByTestId("swap-amount-in"), "1");
    expect(await screen.findByTestId("swap-usd-in")).toHaveTextContent("≈ $2,000.00");
    expect(screen.getByTestId("swap-usd-out")).toHaveTextContent("≈ $1,990.50");
    await waitFor(() => expect(screen.getByTestId("swap-review")).toBeEnabled());
    await user.click(screen.getByTestId("swap-review"));
    expect(await screen.findByTestId("swap-review-in")).toHaveTextContent("1 ETH (≈ $2,000.00)");
    expect(screen.getByTestId("swap-review-out")).toHaveTextContent("1,990.5 USDC (≈ $1,990.50)");
    // Still shown beside the (locked) fields while reviewing.
    expect(screen.getByTestId("swap-usd-in")).toHaveTextContent("≈ $2,000.00");
  });

  it("shows no USD value (never $NaN) when a side is not priced", async () => {
    const user = await setup({ swap_quote: () => quote({ usdIn: null, usdOut: Number.NaN }), swap_simulate: () => simulation() });
    await user.type(screen.getByTestId("swap-amount-in"), "1");
    await screen.findByTestId("swap-route");
    expect(screen.queryByTestId("swap-usd-in")).toBeNull();
    expect(screen.queryByTestId("swap-usd-out")).toBeNull();
    await waitFor(() => expect(screen.getByTestId("swap-review")).toBeEnabled());
    await user.click(screen.getByTestId("swap-review"));
    expect(await screen.findByTestId("swap-review-in")).toHaveTextContent(/^1 ETH$/);
    expect(screen.getByTestId("swap-review-amounts")).not.toHaveTextContent("$");
    expect(document.body).not.toHaveTextContent("NaN");
  });

  it("typing in 'you receive' asks an exact-out quote and shows the maximum sold", async () => {
    const q = quote({ kind: "exactOut", amountIn: "50000000000000000", amountOut: "100000000", limit: "50250000000000000" });
    const user = await setup({ swap_quote: () => q });
    await user.type(screen.getByTestId("swap-amount-out"), "100");
    expect(await screen.findByTestId("swap-limit")).toHaveTextContent("Maximum sold: 0.05025 ETH");
    expect(screen.getByTestId("swap-amount-in")).toHaveValue("0.05");
    const reqs = callsTo("swap_quote").map((c) => (c.req as { amount: string; kind: string }));
    expect(reqs.at(-1)).toEqual(expect.objectContaining({ amount: "100000000", kind: "exactOut" }));
  });

  it("debounces: one quote for a burst of keystrokes", async () => {
    const user = await setup({ swap_quote: () => quote() });
    await user.type(screen.getByTestId("swap-amount-in"), "1.25");
    await screen.findByTestId("swap-route");
    expect(callsTo("swap_quote")).toHaveLength(1);
  });

  it("blocks a swap above 15% impact and needs a confirmation above 10%", async () => {
    // The tier is the Rust policy's verdict; the screen renders it.
    let over: Partial<SwapQuote> = { priceImpactBps: 1600, impactTier: "blocked" };
    const user = await setup({ swap_quote: () => quote(over) });
    await user.type(screen.getByTestId("swap-amount-in"), "1");
    await waitFor(() => expect(screen.getByTestId("swap-price-impact")).toHaveAttribute("data-tier", "blocked"));
    expect(screen.getByTestId("swap-review")).toBeDisabled();
    expect(screen.queryByTestId("swap-impact-confirm")).toBeNull();

    over = { priceImpactBps: 1200, impactTier: "confirm" };
    await user.type(screen.getByTestId("swap-amount-in"), "0");
    await waitFor(() => expect(screen.getByTestId("swap-price-impact")).toHaveAttribute("data-tier", "confirm"));
    expect(screen.getByTestId("swap-review")).toBeDisabled();
    await user.click(screen.getByTestId("swap-impact-confirm"));
    expect(screen.getByTestId("swap-review")).toBeEnabled();
  });

  it("shows the AppError message when the quote fails", async () => {
    const user = await setup({
      swap_quote: () => {
        throw { kind: "input", message: "No route between ETH and USDC with enough liquidity." };
      },
    });
    await user.type(screen.getByTestId("swap-amount-in"), "5");
    expect(await screen.findByTestId("swap-error")).toHaveTextContent("No route between ETH and USDC with enough liquidity.");
    expect(screen.getByTestId("swap-error")).toHaveAttribute("data-kind", "input");
  });

  it("re-quotes on a new block", async () => {
    const user = await setup({ swap_quote: () => quote() });
    await user.type(screen.getByTestId("swap-amount-in"), "1");
    await screen.findByTestId("swap-route");
    const sub = channels[0] as unknown as Ch<AppEvent>;
    act(() => sub.onmessage({ kind: "block", number: 43 }));
    await waitFor(() => expect(callsTo("swap_quote")).toHaveLength(2));
    expect(screen.getByTestId("swap-route")).toBeInTheDocument();
  });

  it("approves, simulates, confirms and shows the stages and the result", async () => {
    let approved = false;
    const user = await setup({
      swap_quote: () => quote({ id: approved ? "q2" : "q1", needsApproval: !approved }),
      swap_approve: (a) => {
        const ch = a.onStatus as Ch<TxStatus>;
        ch.onmessage({ stage: "signing", message: "Signing", hash: null });
        ch.onmessage({ stage: "mined", message: "Approved", hash: "0x" + "11".repeat(32) });
        approved = true;
        return txResult({ hash: "0x" + "11".repeat(32), block: 43, gasUsed: 46000 });
      },
      swap_simulate: () =>
        simulation({
          changes: [
            { symbol: "ETH", token: "ETH", decimals: 18, delta: "-1000000000000000000" },
            { symbol: "USDC", token: USDC_ADDR, decimals: 6, delta: "1990500000" },
          ],
        }),
      swap_execute: (a) => {
        const ch = a.onStatus as Ch<TxStatus>;
        ch.onmessage({ stage: "sent", message: "Sent", hash: "0x" + "22".repeat(32) });
        ch.onmessage({ stage: "mined", message: "Mined in block 44", hash: "0x" + "22".repeat(32) });
        return txResult({
          hash: "0x" + "22".repeat(32),
          block: 44,
          gasUsed: 120000,
          changes: [
            { symbol: "ETH", token: "ETH", decimals: 18, delta: "-1000000000000000000" },
            { symbol: "USDC", token: USDC_ADDR, decimals: 6, delta: "1990600000" },
          ],
          feePaidWei: "1234500000000000",
          check: "received 1,990.6 USDC, as quoted or better",
        });
      },
    });
    await user.type(screen.getByTestId("swap-amount-in"), "1");
    const approve = await screen.findByTestId("swap-approve");
    expect(approve).toHaveTextContent("Approve ETH");
    expect(screen.getByTestId("swap-review")).toBeDisabled();
    await user.click(screen.getByTestId("swap-approve-unlimited"));
    await user.click(approve);
    expect(callsTo("swap_approve")[0]).toEqual(expect.objectContaining({ quoteId: "q1", unlimited: true }));
    await waitFor(() => expect(screen.queryByTestId("swap-approve")).toBeNull());
    expect(screen.getByTestId("swap-status")).toHaveAttribute("data-stage", "mined");

    await waitFor(() => expect(screen.getByTestId("swap-review")).toBeEnabled());
    await user.click(screen.getByTestId("swap-review"));
    expect(await screen.findByTestId("swap-simulation")).toBeInTheDocument();
    expect(callsTo("swap_simulate")).toEqual([{ quoteId: "q2", fee: NORMAL }]);
    expect(screen.getByTestId("swap-change-USDC")).toHaveTextContent("+1990.5");
    expect(screen.getByTestId("swap-change-ETH")).toHaveTextContent("-1.0");

    await user.click(screen.getByTestId("swap-confirm"));
    expect(await screen.findByTestId("swap-result")).toHaveTextContent("+1990.6 USDC");
    expect(screen.getByTestId("swap-status")).toHaveAttribute("data-stage", "mined");
    expect(callsTo("swap_execute")[0]).toEqual(expect.objectContaining({ req: { quoteId: "q2", confirmImpact: false, fee: NORMAL } }));
    expect(screen.getByTestId("swap-fee-paid")).toHaveTextContent("Fee paid 0.0012345 ETH · gas used 120,000");
    expect(screen.getByTestId("trade-check")).toHaveTextContent("received 1,990.6 USDC, as quoted or better");
    expect(screen.getByTestId("swap-amount-in")).toHaveValue("");
  });

  it("shows a failed stage with the decoded message when the swap reverts", async () => {
    const user = await setup({
      swap_quote: () => quote(),
      swap_simulate: () => simulation(),
      swap_execute: () => {
        throw { kind: "slippage", message: "Price moved: you would receive less than the minimum (INSUFFICIENT_OUTPUT_AMOUNT)." };
      },
    });
    await user.type(screen.getByTestId("swap-amount-in"), "1");
    await waitFor(() => expect(screen.getByTestId("swap-review")).toBeEnabled());
    await user.click(screen.getByTestId("swap-review"));
    await user.click(await screen.findByTestId("swap-confirm"));
    await waitFor(() => expect(screen.getByTestId("swap-status")).toHaveAttribute("data-stage", "failed"));
    expect(screen.getByTestId("swap-error")).toHaveTextContent("INSUFFICIENT_OUTPUT_AMOUNT");
  });

  it("asks to go to Wallet when no account is active", async () => {
    mockCommands({
      ...baseHandlers({ wallet: { hasKeystore: true, unlocked: false, accounts: [], active: null, autoLockMins: 15, remote: null } }),
      swap_quote: (): SwapQuote => quote(),
    });
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
    expect(await screen.findByTestId("send-gate")).toHaveTextContent("locked");
    expect(screen.queryByTestId("swap-review")).toBeNull();
  });
});
