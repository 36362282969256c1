import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { AllowanceView, TxStatus } from "../bindings";
import { MAX_UINT256 } from "../lib/amount";
import { AppProvider } from "../state/AppState";
import { baseHandlers, DAI_ADDR, txResult, USDC_ADDR } from "../test/fixtures";
import { callsTo, mockCommands } from "../test/tauriCore";
import { Approvals } from "./Approvals";

vi.mock("@tauri-apps/api/core", () => import("../test/tauriCore"));

const ROUTER = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0";
const OTHER = "0x1234567890AbcdEF1234567890aBcdef12345678";

const usdcToRouter: AllowanceView = {
  token: USDC_ADDR,
  symbol: "USDC",
  decimals: 6,
  spender: ROUTER,
  spenderName: "router",
  amount: MAX_UINT256.toString(),
  unlimited: true,
};
const daiToOther: AllowanceView = {
  token: DAI_ADDR,
  symbol: "DAI",
  decimals: 18,
  spender: OTHER,
  spenderName: null,
  amount: "12500000000000000000",
  unlimited: false,
};

function setup(handlers: Record<string, (a: Record<string, unknown>) => unknown>, over: Parameters<typeof baseHandlers>[0] = {}) {
  mockCommands({ ...baseHandlers(over), ...handlers });
  render(
    <AppProvider>
      <Approvals />
    </AppProvider>,
  );
  return userEvent.setup();
}

describe("Approvals", () => {
  it("lists allowances: unlimited as Unlimited, the router by name, others by address and amount", async () => {
    setup({ approvals_list: () => [usdcToRouter, daiToOther] });
    await waitFor(() => expect(screen.getAllByTestId("approval-row")).toHaveLength(2));
    const [usdc, dai] = screen.getAllByTestId("approval-row");
    expect(usdc).toHaveAttribute("data-token", USDC_ADDR);
    expect(usdc).toHaveAttribute("data-unlimited", "true");
    expect(usdc).toHaveTextContent("USDC");
    expect(usdc).toHaveTextContent(`${USDC_ADDR.slice(0, 6)}…${USDC_ADDR.slice(-4)}`);
    expect(within(usdc!).getByTestId("approval-amount")).toHaveTextContent(/^Unlimited$/);
    expect(within(usdc!).getByTestId("approval-spender")).toHaveTextContent(/^router/);
    expect(within(dai!).getByTestId("approval-amount")).toHaveTextContent("12.5 DAI");
    expect(within(dai!).getByTestId("approval-spender")).toHaveTextContent(`${OTHER.slice(0, 6)}…${OTHER.slice(-4)}`);
    expect(dai).toHaveAttribute("data-spender", OTHER);
  });

  it("revokes with the token and spender, shows the stages and reloads the list", async () => {
    let list = [usdcToRouter, daiToOther];
    const user = setup({
      approvals_list: () => list,
      approvals_revoke: (a) => {
        (a.onStatus as { onmessage: (s: TxStatus) => void }).onmessage({ stage: "sent", message: "Revoking", hash: "0x" + "66".repeat(32) });
        list = [daiToOther];
        return txResult({ hash: "0x" + "66".repeat(32) });
      },
    });
    await waitFor(() => expect(screen.getAllByTestId("approval-row")).toHaveLength(2));
    await user.click(within(screen.getAllByTestId("approval-row")[0]!).getByTestId("revoke"));
    await waitFor(() => expect(screen.getAllByTestId("approval-row")).toHaveLength(1));
    expect(callsTo("approvals_revoke")).toEqual([{ token: USDC_ADDR, spender: ROUTER, onStatus: expect.anything() }]);
    expect(screen.getByTestId("approvals-status")).toHaveAttribute("data-stage", "mined");
    expect(screen.getByTestId("approval-row")).toHaveAttribute("data-token", DAI_ADDR);
    expect(callsTo("approvals_list")).toHaveLength(2);
  });

  it("shows a failed revoke's reason", async () => {
    const user = setup({
      approvals_list: () => [daiToOther],
      approvals_revoke: () => {
        throw { kind: "wallet", message: "cancelled at the confirmation" };
      },
    });
    await user.click(await screen.findByTestId("revoke"));
    expect(await screen.findByTestId("approvals-error")).toHaveTextContent("cancelled at the confirmation");
    expect(screen.getByTestId("approvals-status")).toHaveAttribute("data-stage", "failed");
    expect(screen.getByTestId("approval-row")).toBeInTheDocument();
  });

  it("says so when no contract may spend the tokens", async () => {
    setup({ approvals_list: () => [] });
    expect(await screen.findByTestId("approvals-empty")).toHaveTextContent("No allowances: no contract may spend your tokens.");
  });

  it("asks for an account first and lists nothing without one", async () => {
    setup({ approvals_list: () => [usdcToRouter] }, { wallet: { hasKeystore: true, unlocked: false, accounts: [], active: null, autoLockMins: 15, remote: null } });
    expect(await screen.findByTestId("send-gate")).toHaveTextContent("locked");
    expect(screen.queryByTestId("approval-row")).toBeNull();
    expect(callsTo("approvals_list")).toHaveLength(0);
  });
});
