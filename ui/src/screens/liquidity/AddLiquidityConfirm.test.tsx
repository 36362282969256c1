import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { AddQuote, AddRequest } from "../../bindings";
import { AppProvider } from "../../state/AppState";
import { baseHandlers, ETH, PAIR, PEPE, PEPE_ADDR, TOKENS, txResult } from "../../test/fixtures";
import { callsTo, invoke, mockCommands } from "../../test/tauriCore";
import { Liquidity } from "../Liquidity";

vi.mock("@tauri-apps/api/core", () => import("../../test/tauriCore"));

type Handlers = Record<string, (a: Record<string, unknown>) => unknown>;

/** ETH + PEPE into an existing pool: 1 ETH with 1,000 PEPE. */
function addQuote(req: AddRequest, confirmed = false): AddQuote {
  return {
    pair: PAIR,
    exists: true,
    tokenA: ETH,
    tokenB: { ...PEPE, confirmed },
    amountA: req.amountA,
    amountB: "1000000000000000000000",
    minA: req.amountA,
    minB: "995000000000000000000",
    liquidity: "44721359549995793",
    shareAfter: 0.01,
    needsApprovalA: false,
    needsApprovalB: false,
  };
}

async function setup(handlers: Handlers) {
  mockCommands({
    ...baseHandlers(),
    tokens_list: () => [...TOKENS, PEPE],
    liquidity_quote_add: (a) => addQuote(a.req as AddRequest),
    token_confirm: () => ({ ...PEPE, confirmed: true }),
    ...handlers,
  });
  const user = userEvent.setup();
  render(
    <AppProvider>
      <Liquidity />
    </AppProvider>,
  );
  await waitFor(() => expect(screen.getByTestId("liq-token-a")).toHaveTextContent("ETH"));
  await user.click(screen.getByTestId("liq-token-b"));
  await user.click(screen.getByTestId("token-option-PEPE"));
  await user.type(screen.getByTestId("liq-amount-a"), "1");
  await screen.findByTestId("liq-quote");
  return user;
}

describe("Liquidity: add with an unverified token", () => {
  it("shows the token's address and warning, and confirms it before depositing once ticked", async () => {
    const user = await setup({ liquidity_add: () => txResult() });
    expect(screen.getByTestId("liq-token-confirm-symbol")).toHaveTextContent("PEPE");
    expect(screen.getByTestId("liq-token-confirm-address")).toHaveTextContent(PEPE_ADDR);
    expect(screen.getByTestId("liq-token-confirm-warning")).toHaveTextContent("On none of your token lists");
    expect(screen.getByTestId("liq-add-submit")).toBeDisabled();
    await user.click(screen.getByLabelText("I checked this address and want to trade this token"));
    expect(screen.getByTestId("liq-add-submit")).toBeEnabled();
    await user.click(screen.getByTestId("liq-add-submit"));
    await waitFor(() => expect(screen.getByTestId("liq-status")).toHaveAttribute("data-stage", "mined"));
    expect(callsTo("token_confirm")).toEqual([{ address: PEPE_ADDR }]);
    const order = invoke.mock.calls.map((c) => c[0]).filter((n) => n === "token_confirm" || n === "liquidity_add");
    expect(order).toEqual(["token_confirm", "liquidity_add"]);
  });

  it("shows a refusal and the confirmation again, unticked, without retrying", async () => {
    const user = await setup({
      liquidity_add: () => {
        throw { kind: "unverifiedToken", message: `PEPE (${PEPE_ADDR}) is on none of your token lists.` };
      },
    });
    await user.click(screen.getByTestId("liq-token-confirm-check"));
    await user.click(screen.getByTestId("liq-add-submit"));
    const err = await screen.findByTestId("liq-error");
    expect(err).toHaveAttribute("data-kind", "unverifiedToken");
    expect(screen.getByTestId("liq-token-confirm-address")).toHaveTextContent(PEPE_ADDR);
    expect(screen.getByTestId("liq-token-confirm-check")).not.toBeChecked();
    expect(screen.getByTestId("liq-add-submit")).toBeDisabled();
    expect(callsTo("liquidity_add")).toHaveLength(1);
    expect(callsTo("token_confirm")).toHaveLength(1);
  });

  it("asks nothing for a token the person confirmed before", async () => {
    const user = await setup({ liquidity_quote_add: (a) => addQuote(a.req as AddRequest, true), liquidity_add: () => txResult() });
    expect(screen.queryByTestId("liq-token-confirm")).toBeNull();
    await waitFor(() => expect(screen.getByTestId("liq-add-submit")).toBeEnabled());
    await user.click(screen.getByTestId("liq-add-submit"));
    await waitFor(() => expect(callsTo("liquidity_add")).toHaveLength(1));
    expect(callsTo("token_confirm")).toHaveLength(0);
  });
});
