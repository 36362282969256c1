import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { SwapQuote, TokenView, TxStatus } from "../../bindings";
import { AppProvider } from "../../state/AppState";
import { baseHandlers, ETH, PEPE, PEPE_ADDR, quote, SCAM, SCAM_ADDR, simulation, TOKENS, txResult, USDC_ADDR } from "../../test/fixtures";
import { callsTo, invoke, mockCommands } from "../../test/tauriCore";
import { Swap } from "../Swap";

vi.mock("@tauri-apps/api/core", () => import("../../test/tauriCore"));

type Handlers = Record<string, (args: Record<string, unknown>) => unknown>;

const UNVERIFIED = { kind: "unverifiedToken", message: `PEPE (${PEPE_ADDR}) is on none of your token lists: confirm it before trading it.` };

/** The order the commands of interest were called in. */
const order = (...names: string[]) => invoke.mock.calls.map((c) => c[0]).filter((n) => names.includes(n));

/** Picks ETH → `out` and types 1 ETH; the quote is `q`. */
async function quoteWith(out: TokenView, q: SwapQuote, handlers: Handlers = {}) {
  mockCommands({
    ...baseHandlers(),
    tokens_list: () => (TOKENS.some((t) => t.address === out.address) ? TOKENS : [...TOKENS, out]),
    swap_quote: () => q,
    swap_simulate: () => simulation(),
    token_confirm: (a) => ({ ...out, confirmed: a.address === out.address }),
    ...handlers,
  });
  const user = userEvent.setup();
  render(
    <AppProvider>
      <Swap />
    </AppProvider>,
  );
  await waitFor(() => expect(screen.getByTestId("swap-token-in")).toHaveTextContent("ETH"));
  await user.click(screen.getByTestId("swap-token-out"));
  const option = screen.getAllByTestId(`token-option-${out.symbol}`).find((b) => b.getAttribute("data-address") === out.address);
  if (!option) throw new Error("no option");
  await user.click(option);
  await user.type(screen.getByTestId("swap-amount-in"), "1");
  return user;
}

/** …then opens the review. */
async function review(out: TokenView, q: SwapQuote, handlers: Handlers = {}) {
  const user = await quoteWith(out, q, handlers);
  await waitFor(() => expect(screen.getByTestId("swap-review")).toBeEnabled());
  await user.click(screen.getByTestId("swap-review"));
  await screen.findByTestId("swap-simulation");
  return user;
}

const mined = (a: Record<string, unknown>) => {
  (a.onStatus as { onmessage: (s: TxStatus) => void }).onmessage({ stage: "mined", message: "Mined", hash: "0x" + "22".repeat(32) });
  return txResult();
};

describe("Swap: unverified tokens", () => {
  it("says in the quote area that the review will ask, and shows the token's address, warning and a tick in the review", async () => {
    const user = await quoteWith(PEPE, quote({ tokenOut: PEPE }));
    expect(await screen.findByTestId("swap-unverified-note")).toHaveTextContent("PEPE is on none of your token lists");
    await waitFor(() => expect(screen.getByTestId("swap-review")).toBeEnabled());
    await user.click(screen.getByTestId("swap-review"));
    await screen.findByTestId("swap-simulation");

    const block = within(screen.getByTestId("swap-review-panel")).getByTestId("swap-token-confirm");
    expect(within(block).getByTestId("swap-token-confirm-symbol")).toHaveTextContent("PEPE");
    expect(within(block).getByTestId("swap-token-confirm-address")).toHaveTextContent(PEPE_ADDR);
    expect(within(block).getByTestId("swap-token-confirm-warning")).toHaveTextContent("On none of your token lists");
    expect(within(block).queryByTestId("swap-token-confirm-imitates")).toBeNull();
    expect(within(block).getByLabelText("I checked this address and want to trade this token")).not.toBeChecked();
    expect(screen.getByTestId("swap-confirm")).toBeDisabled();
  });

  it("keeps Confirm disabled until ticked, then confirms the token before executing", async () => {
    const user = await review(PEPE, quote({ tokenOut: PEPE }), { swap_execute: mined });
    expect(screen.getByTestId("swap-confirm")).toBeDisabled();
    await user.click(screen.getByTestId("swap-token-confirm-check"));
    expect(screen.getByTestId("swap-confirm")).toBeEnabled();
    await user.click(screen.getByTestId("swap-token-confirm-check"));
    expect(screen.getByTestId("swap-confirm")).toBeDisabled();
    expect(callsTo("token_confirm")).toHaveLength(0);

    await user.click(screen.getByTestId("swap-token-confirm-check"));
    await user.click(screen.getByTestId("swap-confirm"));
    expect(await screen.findByTestId("swap-result")).toBeInTheDocument();
    expect(callsTo("token_confirm")).toEqual([{ address: PEPE_ADDR }]);
    expect(order("token_confirm", "swap_execute")).toEqual(["token_confirm", "swap_execute"]);
  });

  it("names the imitated token and its real address", async () => {
    await review(SCAM, quote({ tokenOut: SCAM }));
    const block = screen.getByTestId("swap-token-confirm");
    expect(within(block).getByTestId("swap-token-confirm-address")).toHaveTextContent(SCAM_ADDR);
    const note = within(block).getByTestId("swap-token-confirm-imitates");
    expect(note).toHaveTextContent("listed USDC");
    expect(note).toHaveTextContent(USDC_ADDR);
    expect(within(block).getByTestId("swap-token-confirm-warning")).toHaveTextContent("Imitates the listed USDC");
  });

  it("shows a refusal and the confirmation again, unticked, without retrying", async () => {
    const user = await review(PEPE, quote({ tokenOut: PEPE }), {
      swap_execute: () => {
        throw UNVERIFIED;
      },
    });
    await user.click(screen.getByTestId("swap-token-confirm-check"));
    await user.click(screen.getByTestId("swap-confirm"));
    const err = await screen.findByTestId("swap-error");
    expect(err).toHaveAttribute("data-kind", "unverifiedToken");
    expect(err).toHaveTextContent("confirm it before trading it");
    // Still in the review, with the block to tick again.
    expect(screen.getByTestId("swap-review-panel")).toBeInTheDocument();
    expect(screen.getByTestId("swap-token-confirm-address")).toHaveTextContent(PEPE_ADDR);
    expect(screen.getByTestId("swap-token-confirm-check")).not.toBeChecked();
    expect(screen.getByTestId("swap-confirm")).toBeDisabled();
    await new Promise((r) => setTimeout(r, 50));
    expect(callsTo("token_confirm")).toHaveLength(1);
    expect(callsTo("swap_execute")).toHaveLength(1);
  });

  it("asks again after a refusal even for a token marked confirmed", async () => {
    const user = await review({ ...PEPE, confirmed: true }, quote({ tokenOut: { ...PEPE, confirmed: true } }), {
      swap_execute: () => {
        throw UNVERIFIED;
      },
    });
    // Marked confirmed: nothing to tick, nothing confirmed before sending.
    expect(screen.queryByTestId("swap-token-confirm")).toBeNull();
    await user.click(screen.getByTestId("swap-confirm"));
    expect(await screen.findByTestId("swap-error")).toHaveAttribute("data-kind", "unverifiedToken");
    expect(callsTo("token_confirm")).toHaveLength(0);
    expect(screen.getByTestId("swap-token-confirm-address")).toHaveTextContent(PEPE_ADDR);
    expect(screen.getByTestId("swap-confirm")).toBeDisabled();
  });

  it("does not execute when the confirmation fails", async () => {
    const user = await review(PEPE, quote({ tokenOut: PEPE }), {
      token_confirm: () => {
        throw { kind: "internal", message: "cannot write the confirmations file" };
      },
      swap_execute: mined,
    });
    await user.click(screen.getByTestId("swap-token-confirm-check"));
    await user.click(screen.getByTestId("swap-confirm"));
    expect(await screen.findByTestId("swap-error")).toHaveTextContent("cannot write the confirmations file");
    expect(callsTo("swap_execute")).toHaveLength(0);
    expect(screen.getByTestId("swap-review-panel")).toBeInTheDocument();
  });

  it("gates the approval in the quote area the same way", async () => {
    let approved = false;
    const user = await quoteWith(PEPE, quote(), {
      swap_quote: () => quote({ tokenIn: ETH, tokenOut: { ...PEPE, confirmed: approved }, needsApproval: !approved }),
      swap_approve: (a) => {
        approved = true;
        return mined(a);
      },
    });
    const approve = await screen.findByTestId("swap-approve");
    expect(screen.getByTestId("swap-token-confirm-address")).toHaveTextContent(PEPE_ADDR);
    expect(approve).toBeDisabled();
    await user.click(screen.getByTestId("swap-token-confirm-check"));
    expect(approve).toBeEnabled();
    await user.click(approve);
    await waitFor(() => expect(callsTo("swap_approve")).toHaveLength(1));
    expect(order("token_confirm", "swap_approve")).toEqual(["token_confirm", "swap_approve"]);
    // Re-quoted with the token confirmed: nothing more to tick.
    await waitFor(() => expect(screen.queryByTestId("swap-approve")).toBeNull());
    expect(screen.queryByTestId("swap-token-confirm")).toBeNull();
    expect(screen.queryByTestId("swap-unverified-note")).toBeNull();
  });

  it("asks nothing for listed tokens", async () => {
    const user = await review(TOKENS[1] as TokenView, quote(), { swap_execute: mined });
    expect(screen.queryByTestId("swap-token-confirm")).toBeNull();
    await user.click(screen.getByTestId("swap-confirm"));
    await screen.findByTestId("swap-result");
    expect(callsTo("token_confirm")).toHaveLength(0);
  });
});
