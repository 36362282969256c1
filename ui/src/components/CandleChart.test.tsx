import { render } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Candle } from "../bindings";
import { wholeTokens } from "../lib/amount";
import { CandleChart, chartLocale, DOWN_COLOR, pricePrecision, toChartData, toVolumeData, UP_COLOR, VOLUME_COLOR } from "./CandleChart";

type Added = { kind: string; options: Record<string, unknown>; data: unknown[]; scale: unknown[] };
const created = vi.hoisted(() => ({ options: [] as unknown[], series: [] as Added[] }));
vi.mock("lightweight-charts", () => ({
  CandlestickSeries: { kind: "candles" },
  HistogramSeries: { kind: "histogram" },
  ColorType: { Solid: "solid" },
  createChart: (_el: HTMLElement, options: unknown) => {
    created.options.push(options);
    return {
      addSeries: (def: { kind: string }, options: Record<string, unknown>) => {
        const s: Added = { kind: def.kind, options, data: [], scale: [] };
        created.series.push(s);
        return {
          setData: (d: unknown[]) => (s.data = d),
          applyOptions: () => {},
          priceScale: () => ({ applyOptions: (o: unknown) => s.scale.push(o) }),
        };
      },
      timeScale: () => ({ fitContent: () => {} }),
      applyOptions: () => {},
      remove: () => {},
    };
  },
}));

afterEach(() => {
  vi.unstubAllGlobals();
  created.options = [];
  created.series = [];
});

describe("chartLocale", () => {
  it("keeps a valid language tag", () => {
    expect(chartLocale(["de-DE", "en-US"])).toBe("de-DE");
    expect(chartLocale(["en-gb"])).toBe("en-GB");
  });

  it("skips POSIX locale names that Intl rejects", () => {
    // WebKitGTK under LANG=C reports navigator.language "C"; formatting dates
    // with it throws a RangeError on every paint and the chart stays blank.
    expect(() => new Intl.DateTimeFormat("C")).toThrow(RangeError);
    expect(chartLocale(["C", "fr-FR"])).toBe("fr-FR");
    expect(chartLocale(["C"])).toBe("en-US");
    expect(chartLocale(["C.UTF-8", ""])).toBe("en-US");
    expect(chartLocale([])).toBe("en-US");
  });

  it("always gives a locale dates can be formatted with", () => {
    for (const langs of [["C"], ["POSIX"], ["C.UTF-8"], ["en_US.UTF-8"], ["ja-JP"], []]) {
      const locale = chartLocale(langs);
      expect(() => new Date(0).toLocaleString(locale)).not.toThrow();
    }
  });
});

describe("CandleChart", () => {
  it("creates the chart with a usable locale when the webview's language is C", () => {
    vi.stubGlobal("navigator", { ...navigator, language: "C", languages: ["C"] });
    render(<CandleChart candles={[]} />);
    expect(created.options).toHaveLength(1);
    const opts = created.options[0] as { localization?: { locale?: string } };
    expect(opts.localization?.locale).toBe("en-US");
  });

  it("keeps the webview's language when it is a valid tag", () => {
    vi.stubGlobal("navigator", { ...navigator, language: "de-DE", languages: ["de-DE"] });
    render(<CandleChart candles={[]} />);
    const opts = created.options[0] as { localization?: { locale?: string } };
    expect(opts.localization?.locale).toBe("de-DE");
  });
});

describe("CandleChart volume bars", () => {
  const candles: Candle[] = [
    // token0 WETH (18 decimals), token1 USDC (6): the bars count USDC.
    { time: 120, open: 1, high: 2, low: 1, close: 2, volume0: "1250000000000000000", volume1: "2500000", swaps: 2 },
    { time: 60, open: 1, high: 1, low: 1, close: 1, volume0: "500000000000000000", volume1: "1000000", swaps: 1 },
    { time: 180, open: null, high: null, low: null, close: null, volume0: "0", volume1: "0", swaps: 0 },
  ];

  it("draws token1's volume (the quote token) under the candles, in a colour unlike the candles'", () => {
    render(<CandleChart candles={candles} volumeToken={{ symbol: "USDC", decimals: 6 }} />);
    const [volume, price] = created.series;
    // Added first, so the candles are painted over the bars.
    expect(volume?.kind).toBe("histogram");
    expect(price?.kind).toBe("candles");
    expect(price?.options.upColor).toBe(UP_COLOR);
    expect(price?.options.downColor).toBe(DOWN_COLOR);
    expect(volume?.options.color).toBe(VOLUME_COLOR);
    expect([UP_COLOR, DOWN_COLOR].map((c) => c.toLowerCase())).not.toContain(String(volume?.options.color).toLowerCase());
    expect(volume?.options.priceScaleId).toBe("");
    expect(volume?.scale).toEqual([{ scaleMargins: { top: 0.78, bottom: 0 } }]);
    const opts = created.options[0] as { rightPriceScale?: { scaleMargins?: { bottom: number } } };
    expect(opts.rightPriceScale?.scaleMargins?.bottom).toBeGreaterThan(0.22); // candles stay above the bars
    expect(volume?.data).toEqual([
      { time: 60, value: 1 },
      { time: 120, value: 2.5 },
    ]);
    expect(price?.data.map((d) => (d as { time: number }).time)).toEqual([60, 120]);
  });

  it("draws no bars before the pool's tokens are known", () => {
    render(<CandleChart candles={candles} />);
    expect(created.series.find((s) => s.kind === "histogram")?.data).toEqual([]);
  });
});

describe("volume colour", () => {
  // The end-to-end test counts pixels within 12 per channel of the candle
  // colours; the bars, blended over the chart's background, must stay far off.
  const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  it("blends over the background far from both candle colours", () => {
    const m = /^rgba\((\d+), (\d+), (\d+), ([\d.]+)\)$/.exec(VOLUME_COLOR);
    expect(m).not.toBeNull();
    const [r, g, b, a] = (m ?? []).slice(1).map(Number) as [number, number, number, number];
    const bg = rgb("#121821");
    const blended = [r, g, b].map((v, i) => Math.round(a * v + (1 - a) * (bg[i] ?? 0)));
    for (const candle of [rgb(UP_COLOR), rgb(DOWN_COLOR)]) {
      expect(Math.max(...blended.map((v, i) => Math.abs(v - (candle[i] ?? 0))))).toBeGreaterThan(40);
      expect(Math.max(...[r, g, b].map((v, i) => Math.abs(v - (candle[i] ?? 0))))).toBeGreaterThan(40);
    }
  });
});

describe("wholeTokens", () => {
  it("scales base units by the token's decimals", () => {
    expect(wholeTokens("6400000000000000000", 18)).toBe(6.4);
    expect(wholeTokens("1990000000", 6)).toBe(1990);
    expect(wholeTokens("1", 18)).toBe(1e-18);
    expect(wholeTokens("42", 0)).toBe(42);
    expect(wholeTokens("0", 18)).toBe(0);
  });

  it("keeps amounts beyond 2^53 base units close", () => {
    expect(wholeTokens("123456789012345678901234567", 18)).toBeCloseTo(123_456_789.012345678, 6);
  });

  it("reads anything that is not an integer as 0", () => {
    expect(wholeTokens("", 18)).toBe(0);
    expect(wholeTokens("1.5", 18)).toBe(0);
    expect(wholeTokens("abc", 6)).toBe(0);
  });
});

describe("toVolumeData", () => {
  // volume0 is deliberately different: the bars must read volume1.
  const v = (time: number, volume1: string, open: number | null = 1): Candle => ({ time, open, high: open, low: open, close: open, volume0: "7", volume1, swaps: 1 });

  it("reads token1's volume (volume1), not token0's", () => {
    const c: Candle = { time: 60, open: 2000, high: 2000, low: 2000, close: 2000, volume0: "1000000000000000000", volume1: "2000000000", swaps: 1 };
    expect(toVolumeData([c], 6)).toEqual([{ time: 60, value: 2000 }]);
  });

  it("gives one bar per drawn candle, in whole tokens, sorted, at the candles' times", () => {
    const candles = [v(120, "3000000000000000000"), v(60, "500000000000000000"), v(60, "9"), v(1_700_000_000_000, "1000000000000000000")];
    expect(toVolumeData(candles, 18)).toEqual([
      { time: 60, value: 0.5 },
      { time: 120, value: 3 },
      { time: 1_700_000_000, value: 1 },
    ]);
    expect(toVolumeData(candles, 18).map((d) => d.time)).toEqual(toChartData(candles).map((d) => d.time));
  });

  it("gives empty buckets (no price) no bar, so they add no slot to the time scale", () => {
    expect(toVolumeData([v(60, "1000000"), v(120, "0", null), v(180, "2000000")], 6)).toEqual([
      { time: 60, value: 1 },
      { time: 180, value: 2 },
    ]);
    expect(toVolumeData([v(60, "0", null)], 6)).toEqual([]);
    expect(toVolumeData([], 6)).toEqual([]);
  });

  it("keeps a priced bucket without volume as a zero bar", () => {
    expect(toVolumeData([v(60, "0")], 18)).toEqual([{ time: 60, value: 0 }]);
  });
});

describe("toChartData", () => {
  const c = (time: number, open: number | null = 1) => ({ time, open, high: 2, low: 0.5, close: 1.5, volume0: "1", volume1: "1", swaps: 1 });

  it("sorts, keeps one candle per time, drops candles without a price, keeps a lone candle", () => {
    expect(toChartData([c(120), c(60), c(60), c(180, null)]).map((d) => d.time)).toEqual([60, 120]);
    expect(toChartData([c(1_796_228_580)])).toEqual([{ time: 1_796_228_580, open: 1, high: 2, low: 0.5, close: 1.5 }]);
  });
});

describe("pricePrecision", () => {
  const at = (high: number) => [{ time: 1 as never, open: high, high, low: high, close: high }];
  it("uses two decimals from 1 up and four significant digits below", () => {
    expect(pricePrecision(at(2475.52))).toBe(2);
    expect(pricePrecision(at(1))).toBe(2);
    expect(pricePrecision(at(0.5))).toBe(4);
    expect(pricePrecision(at(0.000333))).toBe(7);
    expect(pricePrecision(at(1e-15))).toBe(10);
    expect(pricePrecision([])).toBe(2);
  });
});
