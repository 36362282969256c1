import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { AddQuote, AddRequest, PositionView, TxStatus } from "../bindings";
import { AppProvider } from "../state/AppState";
import { baseHandlers, DAI, ETH, PAIR, txResult, USDC } from "../test/fixtures";
import { callsTo, mockCommands } from "../test/tauriCore";
import { Liquidity } from "./Liquidity";

vi.mock("@tauri-apps/api/core", () => import("../test/tauriCore"));

function addQuote(req: AddRequest, exists: boolean, amountB: string): AddQuote {
  return {
    pair: PAIR,
    exists,
    tokenA: ETH,
    tokenB: exists ? USDC : DAI,
    amountA: req.amountA,
    amountB,
    minA: req.amountA,
    minB: amountB,
    liquidity: "44721359549995793",
    shareAfter: exists ? 0.0123 : 1,
    needsApprovalA: false,
    needsApprovalB: true,
  };
}

async function setup(handlers: Record<string, (a: Record<string, unknown>) => unknown>, pick: string) {
  mockCommands({ ...baseHandlers(), ...handlers });
  const user = userEvent.setup();
  render(
    <AppProvider>
      <Liquidity />
    </AppProvider>,
  );
  await waitFor(() => expect(screen.getByTestId("liq-token-a")).toHaveTextContent("ETH"));
  await user.click(screen.getByTestId("liq-token-b"));
  await user.click(screen.getByTestId(`token-option-${pick}`));
  return user;
}

describe("Liquidity: add", () => {
  it("a new pool needs both amounts, says it sets the price, and sends both", async () => {
    const user = await setup(
      {
        liquidity_quote_add: (a) => {
          const req = a.req as AddRequest;
          return addQuote(req, false, req.amountB ?? "0");
        },
        liquidity_add: () => txResult({ hash: "0x" + "33".repeat(32), block: 50, gasUsed: 200000 }),
      },
      "DAI",
    );
    await user.type(screen.getByTestId("liq-amount-a"), "1");
    expect(await screen.findByTestId("liq-new-pool-notice")).toHaveTextContent("creates it");
    expect(screen.getByTestId("liq-add-submit")).toBeDisabled();
    await user.type(screen.getByTestId("liq-amount-b"), "2000");
    await waitFor(() => expect(screen.getByTestId("liq-quote")).toHaveTextContent("100.0000%"));
    expect(screen.getByTestId("liq-new-pool-notice")).toHaveTextContent("1 ETH = 2000.00 DAI");
    await user.click(screen.getByTestId("liq-add-submit"));
    await waitFor(() => expect(screen.getByTestId("liq-status")).toHaveAttribute("data-stage", "mined"));
    expect((callsTo("liquidity_add")[0] as { req: AddRequest }).req).toEqual({
      tokenA: "ETH",
      tokenB: DAI.address,
      amountA: "1000000000000000000",
      amountB: "2000000000000000000000",
      fee: { speed: "normal", maxFeeGwei: null, priorityFeeGwei: null },
    });
  });

  it("an existing pool fills B from the ratio and sends amountB null", async () => {
    const user = await setup(
      {
        liquidity_quote_add: (a) => addQuote(a.req as AddRequest, true, "1990500000"),
        liquidity_add: (a) => {
          (a.onStatus as { onmessage: (s: TxStatus) => void }).onmessage({ stage: "approving", message: "Approving USDC", hash: null });
          return txResult({ hash: "0x" + "44".repeat(32), block: 51, gasUsed: 150000 });
        },
      },
      "USDC",
    );
    await user.type(screen.getByTestId("liq-amount-a"), "1");
    await waitFor(() => expect(screen.getByTestId("liq-amount-b")).toHaveValue("1990.5"));
    expect(screen.queryByTestId("liq-new-pool-notice")).toBeNull();
    expect(screen.getByTestId("liq-quote")).toHaveTextContent("1.2300%");
    expect(screen.getByTestId("liq-quote")).toHaveTextContent("Approval of USDC");
    expect(callsTo("liquidity_quote_add")[0]).toEqual({ req: { tokenA: "ETH", tokenB: USDC.address, amountA: "1000000000000000000", amountB: null } });
    await user.click(screen.getByTestId("liq-add-submit"));
    await waitFor(() => expect(callsTo("liquidity_add")).toHaveLength(1));
    expect((callsTo("liquidity_add")[0] as { req: AddRequest }).req.amountB).toBeNull();
  });

  it("sends the fee chosen in the deposit's review", async () => {
    const user = await setup(
      {
        liquidity_quote_add: (a) => addQuote(a.req as AddRequest, true, "1990500000"),
        liquidity_add: () => txResult(),
      },
      "USDC",
    );
    await user.type(screen.getByTestId("liq-amount-a"), "1");
    await waitFor(() => expect(screen.getByTestId("fee-fast")).toHaveTextContent("23 gwei"));
    await user.click(screen.getByTestId("fee-custom"));
    await user.clear(screen.getByTestId("fee-priority"));
    await user.type(screen.getByTestId("fee-priority"), "2");
    await user.click(screen.getByTestId("liq-add-submit"));
    await waitFor(() => expect(callsTo("liquidity_add")).toHaveLength(1));
    expect((callsTo("liquidity_add")[0] as { req: AddRequest }).req.fee).toEqual({ speed: "normal", maxFeeGwei: "21", priorityFeeGwei: "2" });
  });
});

describe("Liquidity: positions", () => {
  const pos: PositionView = {
    pair: PAIR,
    token0: { ...ETH, address: "0xC0ffee254729296a45a3885639AC7E10F9d54979", symbol: "WETH", name: "Wrapped Ether" },
    token1: USDC,
    liquidity: "1234500000000000000",
    share: 0.25,
    amount0: "2000000000000000000",
    amount1: "4000000000",
    fees0: "3000000000000000",
    fees1: "6000000",
    valueUsd: 8000,
    impermanentLoss: -0.0123,
  };

  it("lists positions and removes a percentage after a preview", async () => {
    mockCommands({
      ...baseHandlers(),
      positions: () => [pos],
      liquidity_quote_remove: () => ({ pair: PAIR, liquidity: "617250000000000000", amount0: "1000000000000000000", amount1: "2000000000", min0: "995000000000000000", min1: "1990000000" }),
      liquidity_remove: () => txResult({ hash: "0x" + "55".repeat(32), block: 60, gasUsed: 90000 }),
    });
    const user = userEvent.setup();
    render(
      <AppProvider>
        <Liquidity />
      </AppProvider>,
    );
    await user.click(screen.getByTestId("liq-tab-positions"));
    const id = PAIR.toLowerCase();
    expect(await screen.findByTestId(`position-${id}`)).toHaveTextContent("WETH / USDC");
    expect(screen.getByTestId(`position-share-${id}`)).toHaveTextContent("25.0000%");
    expect(screen.getByTestId(`position-liquidity-${id}`)).toHaveTextContent("1.2345");
    expect(screen.getByTestId(`position-${id}`)).toHaveTextContent("-1.23%");
    expect(screen.getByTestId(`position-value-${id}`)).toHaveTextContent("≈ $8,000.00");
    expect(screen.getByTestId(`position-remove-submit-${id}`)).toBeDisabled();
    await user.type(screen.getByTestId(`position-remove-percent-${id}`), "50");
    expect(await screen.findByText(/You receive/)).toHaveTextContent("1 WETH + 2,000 USDC");
    await user.click(within(screen.getByTestId(`position-${id}`)).getByTestId("fee-slow"));
    await user.click(screen.getByTestId(`position-remove-submit-${id}`));
    await waitFor(() => expect(screen.getByTestId("liq-status")).toHaveAttribute("data-stage", "mined"));
    expect(callsTo("liquidity_remove")[0]).toEqual(
      expect.objectContaining({ req: { pair: PAIR, percent: 50, receiveEth: true, fee: { speed: "slow", maxFeeGwei: null, priorityFeeGwei: null } } }),
    );
  });
});
