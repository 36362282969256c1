import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { SentTxView } from "../bindings";
import { statusChannel } from "../lib/tx";
import { AppProvider } from "../state/AppState";
import { TX_POLL_MS } from "../state/useSentTxs";
import { baseHandlers, sentTx } from "../test/fixtures";
import { callsTo, mockCommands } from "../test/tauriCore";
import { StatusBar } from "./StatusBar";

vi.mock("@tauri-apps/api/core", () => import("../test/tauriCore"));

const H = (b: string) => "0x" + b.repeat(32);

function setup(txList: () => SentTxView[], handlers: Record<string, (a: Record<string, unknown>) => unknown> = {}) {
  mockCommands({ ...baseHandlers(), tx_list: txList, ...handlers });
  render(
    <AppProvider>
      <StatusBar />
    </AppProvider>,
  );
}

const row = (hash: string) => {
  const el = screen.getAllByTestId("tx-row").find((r) => r.getAttribute("data-hash") === hash);
  if (!el) throw new Error(`no row ${hash}`);
  return el;
};

describe("Pending transactions panel", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("docks while open: the page makes room beside it, and takes it back when closed", async () => {
    setup(() => []);
    const user = userEvent.setup();
    const body = document.body.classList;
    expect(body.contains("tx-panel-open")).toBe(false);
    await user.click(screen.getByTestId("pending-button"));
    await screen.findByTestId("pending-panel");
    expect(body.contains("tx-panel-open")).toBe(true);
    await user.click(screen.getByTestId("pending-close"));
    expect(screen.queryByTestId("pending-panel")).toBeNull();
    expect(body.contains("tx-panel-open")).toBe(false);
    await user.click(screen.getByTestId("pending-button"));
    expect(body.contains("tx-panel-open")).toBe(true);
  });

  it("counts pending ones on the button and lists every state in words, newest first", async () => {
    const list = [
      sentTx({ hash: H("a1"), kind: "swap", state: "pending", replaces: H("a0") }),
      sentTx({ hash: H("a0"), kind: "swap", state: "replaced", replacedBy: H("a1") }),
      sentTx({ hash: H("b1"), kind: "addLiquidity", state: "mined", block: 41, feePaidWei: "1260000000000000" }),
      sentTx({ hash: H("b2"), kind: "removeLiquidity", state: "reverted", block: 40, feePaidWei: "300000000000000" }),
      sentTx({ hash: H("b3"), kind: "approval", state: "dropped" }),
      sentTx({ hash: H("b4"), kind: "cancel", state: "pending", replaces: H("b5") }),
    ];
    setup(() => list);
    const user = userEvent.setup();
    await waitFor(() => expect(screen.getByTestId("pending-button")).toHaveTextContent("Transactions 2 pending"));
    expect(screen.getByTestId("pending-button")).toHaveAttribute("data-count", "2");
    expect(screen.queryByTestId("pending-panel")).toBeNull();

    await user.click(screen.getByTestId("pending-button"));
    const panel = await screen.findByTestId("pending-panel");
    const rows = within(panel).getAllByTestId("tx-row");
    expect(rows.map((r) => r.getAttribute("data-hash"))).toEqual(list.map((t) => t.hash));
    expect(rows.map((r) => r.getAttribute("data-state"))).toEqual(["pending", "replaced", "mined", "reverted", "dropped", "pending"]);

    const text = (hash: string, id: string) => within(row(hash)).getByTestId(id).textContent;
    expect(text(H("a1"), "tx-state")).toBe("Pending");
    expect(text(H("a1"), "tx-kind")).toBe("Swap");
    expect(text(H("a1"), "tx-replaces")).toBe(`speed-up of ${H("a0").slice(0, 10)}…${H("a0").slice(-6)}`);
    expect(text(H("a0"), "tx-state")).toBe(`Replaced by ${H("a1").slice(0, 10)}…${H("a1").slice(-6)}`);
    expect(text(H("b1"), "tx-kind")).toBe("Deposit");
    expect(text(H("b1"), "tx-state")).toBe("Confirmed in block 41 (fee 0.00126 ETH)");
    expect(text(H("b2"), "tx-kind")).toBe("Withdrawal");
    expect(text(H("b2"), "tx-state")).toContain("Reverted in block 40");
    expect(text(H("b3"), "tx-kind")).toBe("Approval");
    expect(text(H("b3"), "tx-state")).toBe("Dropped by the node — nothing was spent");
    expect(text(H("b4"), "tx-kind")).toBe("Cancel");
    expect(within(row(H("a1"))).getByTestId("tx-copy")).toBeInTheDocument();

    // Speed up / Cancel only on pending rows.
    expect(within(row(H("a1"))).getByTestId("speed-up")).toHaveTextContent("Speed up");
    expect(within(row(H("a1"))).getByTestId("cancel-tx")).toHaveTextContent("Cancel");
    expect(within(row(H("b1"))).queryByTestId("speed-up")).toBeNull();
    expect(within(row(H("a0"))).queryByTestId("cancel-tx")).toBeNull();

    await user.click(screen.getByTestId("pending-close"));
    expect(screen.queryByTestId("pending-panel")).toBeNull();
  });

  it("speeds up and cancels with txReplace and shows the refreshed list", async () => {
    let list = [sentTx({ hash: H("c1"), state: "pending" })];
    setup(() => list, {
      tx_replace: (a) => {
        const old = a.hash as string;
        const fresh = sentTx({ hash: a.cancel ? H("c3") : H("c2"), kind: a.cancel ? "cancel" : "swap", state: "pending", replaces: old });
        list = [fresh, ...list.map((t) => (t.hash === old ? { ...t, state: "replaced", replacedBy: fresh.hash } : t))];
        return fresh;
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByTestId("pending-button"));
    await waitFor(() => expect(screen.getAllByTestId("tx-row")).toHaveLength(1));

    await user.click(within(row(H("c1"))).getByTestId("speed-up"));
    await waitFor(() => expect(screen.getAllByTestId("tx-row")).toHaveLength(2));
    expect(callsTo("tx_replace")).toEqual([{ hash: H("c1"), cancel: false }]);
    expect(row(H("c1"))).toHaveAttribute("data-state", "replaced");
    expect(within(row(H("c2"))).getByTestId("tx-replaces")).toHaveTextContent(`speed-up of ${H("c1").slice(0, 10)}`);

    await user.click(within(row(H("c2"))).getByTestId("cancel-tx"));
    await waitFor(() => expect(screen.getAllByTestId("tx-row")).toHaveLength(3));
    expect(callsTo("tx_replace")[1]).toEqual({ hash: H("c2"), cancel: true });
    expect(screen.getAllByTestId("tx-row")[0]).toHaveAttribute("data-hash", H("c3"));
    expect(within(row(H("c3"))).getByTestId("tx-kind")).toHaveTextContent("Cancel");
    expect(within(row(H("c3"))).getByTestId("tx-replaces")).toHaveTextContent(`cancellation of ${H("c2").slice(0, 10)}`);
    expect(row(H("c2"))).toHaveAttribute("data-state", "replaced");
    expect(screen.queryByTestId("tx-error")).toBeNull();
  });

  it("shows why a speed-up failed and refreshes the list", async () => {
    let list = [sentTx({ hash: H("d1"), state: "pending" })];
    setup(() => list, {
      tx_replace: () => {
        list = [{ ...list[0]!, state: "mined", block: 12, feePaidWei: "21000000000000" }];
        throw { kind: "input", message: "the transaction was mined before it could be replaced" };
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByTestId("pending-button"));
    await user.click(await screen.findByTestId("speed-up"));
    expect(await screen.findByTestId("tx-error")).toHaveTextContent("mined before it could be replaced");
    await waitFor(() => expect(row(H("d1"))).toHaveAttribute("data-state", "mined"));
    expect(within(row(H("d1"))).getByTestId("tx-state")).toHaveTextContent("Confirmed in block 12 (fee 0.000021 ETH)");
  });

  it("polls every 2 s while something is pending or the panel is open, and stops otherwise", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let state = "pending";
    setup(() => [sentTx({ hash: H("e1"), state, block: state === "mined" ? 9 : null })]);
    await waitFor(() => expect(screen.getByTestId("pending-button")).toHaveAttribute("data-count", "1"));
    const calls = () => callsTo("tx_list").length;
    const first = calls();
    await act(() => vi.advanceTimersByTimeAsync(TX_POLL_MS));
    expect(calls()).toBe(first + 1);

    state = "mined";
    await act(() => vi.advanceTimersByTimeAsync(TX_POLL_MS));
    await waitFor(() => expect(screen.getByTestId("pending-button")).toHaveAttribute("data-count", "0"));
    const settled = calls();
    await act(() => vi.advanceTimersByTimeAsync(TX_POLL_MS * 3));
    expect(calls()).toBe(settled);

    // Open: loads at once and polls; closed again: stops.
    fireEvent.click(screen.getByTestId("pending-button"));
    await waitFor(() => expect(calls()).toBe(settled + 1));
    await act(() => vi.advanceTimersByTimeAsync(TX_POLL_MS));
    expect(calls()).toBe(settled + 2);
    fireEvent.click(screen.getByTestId("pending-close"));
    await act(() => vi.advanceTimersByTimeAsync(TX_POLL_MS * 3));
    expect(calls()).toBe(settled + 2);
  });

  it("refreshes once when a transaction reports it was sent", async () => {
    let list: SentTxView[] = [];
    setup(() => list);
    await waitFor(() => expect(callsTo("tx_list")).toHaveLength(1));
    list = [sentTx({ hash: H("f1"), state: "pending" })];
    const ch = statusChannel(() => {});
    act(() => ch.onmessage({ stage: "sent", message: "Sent", hash: H("f1") }));
    await waitFor(() => expect(screen.getByTestId("pending-button")).toHaveTextContent("1 pending"));
    expect(callsTo("tx_list")).toHaveLength(2);
  });
});
