import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { PoolView } from "../bindings";
import { AppProvider } from "../state/AppState";
import { baseHandlers, ETH, PAIR, USDC } from "../test/fixtures";
import { callsTo, mockCommands } from "../test/tauriCore";
import { Pools } from "./Pools";

vi.mock("@tauri-apps/api/core", () => import("../test/tauriCore"));

const chart = vi.hoisted(() => ({ created: 0, removed: 0, data: [] as unknown[] }));
vi.mock("lightweight-charts", () => ({
  CandlestickSeries: {},
  ColorType: { Solid: "solid" },
  createChart: () => {
    chart.created++;
    return {
      addSeries: () => ({ setData: (d: unknown[]) => (chart.data = d), applyOptions: () => {} }),
      timeScale: () => ({ fitContent: () => {} }),
      remove: () => chart.removed++,
    };
  },
}));

const pool: PoolView = {
  pair: PAIR,
  token0: { ...ETH, symbol: "WETH", address: "0xC0ffee254729296a45a3885639AC7E10F9d54979" },
  token1: USDC,
  reserve0: "100000000000000000000",
  reserve1: "200000000000",
  price: 2000,
  tvlEth: 200,
  volume0_24h: "5000000000000000000",
  volume1_24h: "10000000000",
  swaps24h: 7,
};

describe("Pools", () => {
  it("lists pools and opens a pool page with chart, intervals and swaps", async () => {
    mockCommands({
      ...baseHandlers(),
      pools_list: () => [pool],
      pool_detail: (a) => ({
        pool,
        candles: [
          { time: 1_700_000_060, open: 2000, high: 2010, low: 1990, close: 2005, volume0: "1", swaps: 1 },
          { time: 1_700_000_000, open: 1990, high: 2000, low: 1985, close: 2000, volume0: "1", swaps: 1 },
        ].slice(0, (a.interval as number) === 60 ? 2 : 1),
        swaps: [
          { timestamp: 1_700_000_000, block: 9, txHash: "0x" + "66".repeat(32), recipient: "0x0", amount0In: "1000000000000000000", amount1In: "0", amount0Out: "0", amount1Out: "1990000000", price: 1990 },
        ],
      }),
    });
    const user = userEvent.setup();
    render(
      <AppProvider>
        <Pools />
      </AppProvider>,
    );
    const rowEl = await screen.findByTestId(`pool-row-${PAIR.toLowerCase()}`);
    expect(rowEl).toHaveTextContent("WETH / USDC");
    expect(rowEl).toHaveTextContent("2,000 USDC");
    expect(rowEl).toHaveTextContent("5 WETH · 10,000 USDC");
    await user.click(rowEl);
    expect(await screen.findByTestId("pool-chart")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId("pool-swaps")).toHaveTextContent("1 WETH → 1,990 USDC"));
    expect(chart.created).toBe(1);
    expect(callsTo("pool_detail")[0]).toEqual({ pair: PAIR, interval: 3600 });
    await user.click(screen.getByTestId("pool-interval-60"));
    await waitFor(() => expect(chart.data).toHaveLength(2));
    expect((chart.data[0] as { time: number }).time).toBe(1_700_000_000); // sorted ascending
    await user.click(screen.getByTestId("pool-back"));
    expect(chart.removed).toBe(1);
    expect(await screen.findByTestId(`pool-row-${PAIR.toLowerCase()}`)).toBeInTheDocument();
  });
});
