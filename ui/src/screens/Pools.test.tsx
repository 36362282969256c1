import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { AppEvent, PoolView } from "../bindings";
import { AppProvider } from "../state/AppState";
import { baseHandlers, ETH, PAIR, USDC } from "../test/fixtures";
import { callsTo, channels, mockCommands } from "../test/tauriCore";
import { filterPools, sortPools, tvlText } from "../lib/pools";
import { Pools } from "./Pools";

vi.mock("@tauri-apps/api/core", () => import("../test/tauriCore"));

const chart = vi.hoisted(() => ({ created: 0, removed: 0, data: [] as unknown[], volume: [] as unknown[] }));
vi.mock("lightweight-charts", () => ({
  CandlestickSeries: { kind: "candles" },
  HistogramSeries: { kind: "histogram" },
  ColorType: { Solid: "solid" },
  createChart: () => {
    chart.created++;
    return {
      addSeries: (def: { kind: string }) => ({
        setData: (d: unknown[]) => (def.kind === "histogram" ? (chart.volume = d) : (chart.data = d)),
        applyOptions: () => {},
        priceScale: () => ({ applyOptions: () => {} }),
      }),
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
  tvlUsd: 400_000,
  volume24hUsd: 20_000,
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
          { time: 1_700_000_060, open: 2000, high: 2010, low: 1990, close: 2005, volume0: "1", volume1: "1", swaps: 1 },
          { time: 1_700_000_000, open: 1990, high: 2000, low: 1985, close: 2000, volume0: "2500000000000000000", volume1: "4975000000", swaps: 1 },
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
    expect(screen.getByTestId(`pool-tvl-${PAIR.toLowerCase()}`)).toHaveTextContent("$400,000.00");
    expect(screen.getByTestId(`pool-volume-${PAIR.toLowerCase()}`)).toHaveTextContent("$20,000.00");
    await user.click(rowEl);
    expect(await screen.findByTestId("pool-chart")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId("pool-swaps")).toHaveTextContent("1 WETH → 1,990 USDC"));
    expect(screen.queryByTestId("pool-chart-empty")).toBeNull();
    expect(chart.created).toBe(1);
    expect(callsTo("pool_detail")[0]).toEqual({ pair: PAIR, interval: 3600 });
    await user.click(screen.getByTestId("pool-interval-60"));
    await waitFor(() => expect(chart.data).toHaveLength(2));
    expect((chart.data[0] as { time: number }).time).toBe(1_700_000_000); // sorted ascending
    // Volume bars in token1 (USDC, 6 decimals: the price's quote token), at the candles' times.
    expect(chart.volume).toEqual([
      { time: 1_700_000_000, value: 4975 },
      { time: 1_700_000_060, value: 1e-6 },
    ]);
    expect(screen.getByText(/Bars: volume in USDC\./)).toBeInTheDocument();
    expect(screen.getByTestId("pool-tvl-usd")).toHaveTextContent("TVL $400,000.00");
    await user.click(screen.getByTestId("pool-back"));
    expect(chart.removed).toBe(1);
    expect(await screen.findByTestId(`pool-row-${PAIR.toLowerCase()}`)).toBeInTheDocument();
  });
});

const WBTC = { ...USDC, address: "0x2260FAC5E5542a773Aa44fBCfeDf7C193bc2C599", symbol: "WBTC", name: "Wrapped BTC", decimals: 8 };
const DAI_T = { ...USDC, address: "0x6B175474E89094C44Da98b954EedeAC495271d0F", symbol: "DAI", name: "Dai", decimals: 18 };
const pools: PoolView[] = [
  pool, // WETH/USDC, TVL 200 ETH / $400,000, volume $20,000, 7 swaps
  { ...pool, pair: "0xAbCd000000000000000000000000000000000001", token0: WBTC, token1: DAI_T, tvlEth: 500, tvlUsd: 1_000_000, volume24hUsd: null, swaps24h: 2 },
  { ...pool, pair: "0x1234000000000000000000000000000000000002", token0: DAI_T, token1: USDC, tvlEth: null, tvlUsd: null, volume24hUsd: 50_000, swaps24h: 40 },
];
const names = () => within(screen.getByTestId("pools-table")).getAllByRole("button").map((b) => b.textContent);

function renderList() {
  mockCommands({ ...baseHandlers(), pools_list: () => pools });
  render(
    <AppProvider>
      <Pools />
    </AppProvider>,
  );
}

describe("Pools search and sort", () => {
  it("filters by symbol, case-insensitively", async () => {
    const user = userEvent.setup();
    renderList();
    await screen.findByTestId(`pool-row-${PAIR.toLowerCase()}`);
    expect(names()).toEqual(["WETH / USDC", "WBTC / DAI", "DAI / USDC"]);
    const search = screen.getByLabelText("Search pools");
    await user.type(search, "dai");
    expect(names()).toEqual(["WBTC / DAI", "DAI / USDC"]);
    await user.clear(search);
    await user.type(search, "usd");
    expect(names()).toEqual(["WETH / USDC", "DAI / USDC"]);
    await user.clear(search);
    await user.type(search, " usdc / weth ");
    expect(names()).toEqual(["WETH / USDC"]);
  });

  it("filters by a pair or token address prefix", async () => {
    const user = userEvent.setup();
    renderList();
    const search = await screen.findByLabelText("Search pools");
    await user.type(search, "0xABCD");
    expect(names()).toEqual(["WBTC / DAI"]);
    await user.clear(search);
    await user.type(search, "0xc0FFEE"); // token0 (WETH) of the first pool
    expect(names()).toEqual(["WETH / USDC"]);
    await user.clear(search);
    await user.type(search, USDC.address.slice(0, 10).toLowerCase());
    expect(names()).toEqual(["WETH / USDC", "DAI / USDC"]);
  });

  it("says so when no pool matches", async () => {
    const user = userEvent.setup();
    renderList();
    const search = await screen.findByLabelText("Search pools");
    expect(search).toHaveAttribute("placeholder", expect.stringMatching(/symbol.*address/i));
    await user.type(search, "0xdead");
    expect(screen.getByTestId("pools-no-match")).toHaveTextContent("No pool matches “0xdead”");
    expect(screen.queryByTestId("pools-table")).not.toBeInTheDocument();
    await user.clear(search);
    expect(names()).toHaveLength(3);
  });

  it("sorts by pair, TVL and swaps, and keeps the filter", async () => {
    const user = userEvent.setup();
    renderList();
    const sort = await screen.findByLabelText("Sort by");
    await user.selectOptions(sort, "pair");
    expect(names()).toEqual(["DAI / USDC", "WBTC / DAI", "WETH / USDC"]);
    await user.selectOptions(sort, "tvl");
    expect(names()).toEqual(["WBTC / DAI", "WETH / USDC", "DAI / USDC"]); // unknown TVL last
    await user.selectOptions(sort, "swaps");
    expect(names()).toEqual(["DAI / USDC", "WETH / USDC", "WBTC / DAI"]);
    await user.selectOptions(sort, "tvlUsd");
    expect(names()).toEqual(["WBTC / DAI", "WETH / USDC", "DAI / USDC"]); // unknown USD TVL last
    await user.selectOptions(sort, "volumeUsd");
    expect(names()).toEqual(["DAI / USDC", "WETH / USDC", "WBTC / DAI"]); // unknown USD volume last
    await user.type(screen.getByLabelText("Search pools"), "usdc");
    expect(names()).toEqual(["DAI / USDC", "WETH / USDC"]);
    await user.selectOptions(sort, "created");
    expect(names()).toEqual(["WETH / USDC", "DAI / USDC"]);
  });
});

describe("filterPools / sortPools", () => {
  it("matches hex-looking symbols as symbols and only prefixes of addresses", () => {
    const zx = { ...pools[1]!, token0: { ...WBTC, symbol: "0xBTC" } };
    expect(filterPools([zx], "0xb").map((p) => p.token0.symbol)).toEqual(["0xBTC"]);
    expect(filterPools(pools, "abcd")).toEqual([]); // inside an address, not a prefix
    expect(filterPools(pools, "0x")).toHaveLength(3);
    expect(filterPools(pools, "   ")).toBe(pools);
  });

  it("offers TVL and 24 h volume in USD as sorts", async () => {
    renderList();
    const sort = await screen.findByLabelText("Sort by");
    const labels = within(sort).getAllByRole("option").map((o) => o.textContent);
    expect(labels).toEqual(expect.arrayContaining(["TVL (USD), highest first", "Volume 24h (USD), highest first"]));
  });

  it("sorts by USD TVL and volume with unpriced pools last, by name among themselves", () => {
    const mk = (pair: string, sym: string, tvlUsd: number | null, volume24hUsd: number | null): PoolView => ({
      ...pool,
      pair,
      token0: { ...WBTC, symbol: sym },
      tvlUsd,
      volume24hUsd,
    });
    const list = [mk("0x01", "ZED", null, null), mk("0x02", "ALPHA", null, 5), mk("0x03", "MID", 10, Number.NaN), mk("0x04", "TOP", 99, 1), mk("0x05", "LOW", 0, null)];
    const order = (s: "tvlUsd" | "volumeUsd") => sortPools(list, s).map((p) => p.token0.symbol);
    expect(order("tvlUsd")).toEqual(["TOP", "MID", "LOW", "ALPHA", "ZED"]);
    expect(order("volumeUsd")).toEqual(["ALPHA", "TOP", "LOW", "MID", "ZED"]);
  });

  it("shows TVL in USD, in ETH when the pool has no USD price, else a dash", () => {
    expect(tvlText(pool)).toBe("$400,000.00");
    expect(tvlText({ ...pool, tvlUsd: null })).toBe("200 ETH");
    expect(tvlText({ ...pool, tvlUsd: null, tvlEth: null })).toBe("—");
  });

  it("does not reorder its input", () => {
    const copy = [...pools];
    sortPools(pools, "pair");
    expect(pools).toEqual(copy);
  });
});

/** Renders the pools screen and opens the pool's page. */
async function openPoolPage(): Promise<void> {
  const user = userEvent.setup();
  render(
    <AppProvider>
      <Pools />
    </AppProvider>,
  );
  await user.click(await screen.findByTestId(`pool-row-${PAIR.toLowerCase()}`));
}

describe("Pool page chart", () => {
  it("says so in the chart while a pool has no trades", async () => {
    mockCommands({
      ...baseHandlers(),
      pools_list: () => [pool],
      pool_detail: () => ({ pool, candles: [], swaps: [] }),
    });
    await openPoolPage();
    expect(await screen.findByTestId("pool-chart-empty")).toHaveTextContent("No trades in this pool yet");
  });

  it("reads the pool again when the index advances, even with no new block", async () => {
    let indexed = false;
    const candle = { time: 1_700_000_000, open: 2000, high: 2010, low: 1990, close: 2005, volume0: "1", volume1: "1", swaps: 1 };
    mockCommands({
      ...baseHandlers(),
      pools_list: () => [pool],
      pool_detail: () => ({ pool, candles: indexed ? [candle] : [], swaps: [] }),
    });
    await openPoolPage();
    await screen.findByTestId("pool-chart-empty");
    const reads = callsTo("pool_detail").length;
    // The chain stopped; the indexer catches up with its last blocks.
    indexed = true;
    const events = channels[0] as unknown as { onmessage: (e: AppEvent) => void };
    const progress = { checkpoint: 120, target: 120, following: true, events: 500, error: null };
    act(() => events.onmessage({ kind: "index", progress }));
    await waitFor(() => expect(screen.queryByTestId("pool-chart-empty")).not.toBeInTheDocument());
    expect(callsTo("pool_detail").length).toBeGreaterThan(reads);
    expect(chart.data).toHaveLength(1);
  });
});
