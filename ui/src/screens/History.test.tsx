import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { HistoryRow } from "../bindings";
import { AppProvider } from "../state/AppState";
import { baseHandlers } from "../test/fixtures";
import { callsTo, mockCommands } from "../test/tauriCore";
import { History, PAGE_SIZE } from "./History";

vi.mock("@tauri-apps/api/core", () => import("../test/tauriCore"));

function row(i: number, over: Partial<HistoryRow> = {}): HistoryRow {
  return {
    kind: "swap",
    status: "confirmed",
    timestamp: 1_700_000_000 + i,
    block: 100 + i,
    txHash: `0x${i.toString(16).padStart(64, "0")}`,
    pair: null,
    symbolA: "ETH",
    amountA: "1000000000000000000",
    decimalsA: 18,
    symbolB: "USDC",
    amountB: "1990500000",
    decimalsB: 6,
    detail: null,
    ...over,
  };
}

describe("History", () => {
  it("shows rows with status and kind, pages by 50, and exports CSV", async () => {
    const page1 = Array.from({ length: PAGE_SIZE }, (_, i) => row(i, i === 0 ? { status: "failed", detail: "Deadline passed (EXPIRED)." } : {}));
    mockCommands({
      ...baseHandlers(),
      history: (a) => ((a.offset as number) === 0 ? page1 : [row(99, { kind: "mint", status: "pending" })]),
      history_export: () => "/home/me/Downloads/tidepool-history.csv",
    });
    const user = userEvent.setup();
    render(
      <AppProvider>
        <History />
      </AppProvider>,
    );
    await waitFor(() => expect(screen.getAllByTestId("history-row")).toHaveLength(PAGE_SIZE));
    const first = screen.getAllByTestId("history-row")[0];
    expect(first).toHaveAttribute("data-status", "failed");
    expect(first).toHaveAttribute("data-kind", "swap");
    expect(first).toHaveTextContent("1 ETH → 1,990.5 USDC");
    expect(first).toHaveTextContent("EXPIRED");

    await user.click(screen.getByText("Older →"));
    await waitFor(() => expect(screen.getAllByTestId("history-row")).toHaveLength(1));
    expect(screen.getByTestId("history-row")).toHaveAttribute("data-kind", "mint");
    expect(callsTo("history").at(-1)).toEqual({ limit: 50, offset: 50 });
    expect(screen.getByText("Older →")).toBeDisabled();

    await user.click(screen.getByTestId("history-export"));
    expect(await screen.findByTestId("history-export-path")).toHaveTextContent("/home/me/Downloads/tidepool-history.csv");
  });

  it("shows each row's value at today's prices, or a dash, and tags unverified sides", async () => {
    const SCAM = "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9";
    mockCommands({
      ...baseHandlers(),
      history: () => [
        row(1, { valueUsd: 1990.5, tokenA: null, tokenB: "0x5FbDB2315678afecb367f032d93F642f64180aa3", verifiedA: true, verifiedB: true }),
        row(2, { symbolB: "PEPE", amountB: "5000000000000000000", decimalsB: 18, tokenB: SCAM, verifiedA: true, verifiedB: false, valueUsd: null }),
        row(3, { kind: "mint", symbolA: "PEPE", tokenA: SCAM, verifiedA: false, verifiedB: true, valueUsd: 0.004 }),
        row(4, { kind: "approve", symbolA: "PEPE", tokenA: SCAM, verifiedA: false, symbolB: "", amountB: "0" }),
        // An older row without the new fields.
        row(5),
      ],
    });
    render(
      <AppProvider>
        <History />
      </AppProvider>,
    );
    await waitFor(() => expect(screen.getAllByTestId("history-row")).toHaveLength(5));
    expect(screen.getByRole("columnheader", { name: /Value \(today\)/ })).toBeInTheDocument();
    const [swap, unverified, mint, approve, old] = screen.getAllByTestId("history-row").map((r) => within(r));
    expect(swap?.getByTestId("history-value")).toHaveTextContent(/^\$1,990\.50$/);
    expect(swap?.queryByTestId("history-unverified")).toBeNull();

    expect(unverified?.getByTestId("history-value")).toHaveTextContent(/^—$/);
    const tag = unverified?.getByTestId("history-unverified");
    expect(tag).toHaveTextContent("unverified");
    expect(tag).toHaveAttribute("title", expect.stringContaining(SCAM));
    // The tag follows the received side (B), not the paid one.
    expect(unverified?.getAllByRole("cell")[2]).toHaveTextContent("1 ETH → 5 PEPE unverified");

    expect(mint?.getByTestId("history-value")).toHaveTextContent("$0.004");
    expect(mint?.getAllByRole("cell")[2]).toHaveTextContent("1 PEPE unverified + 1,990.5 USDC");
    expect(approve?.getByTestId("history-unverified")).toBeInTheDocument();
    expect(approve?.getByTestId("history-value")).toHaveTextContent("—");

    expect(old?.getByTestId("history-value")).toHaveTextContent("—");
    expect(old?.queryByTestId("history-unverified")).toBeNull();
  });
});
