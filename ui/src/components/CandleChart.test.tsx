import { render } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CandleChart, chartLocale, pricePrecision, toChartData } from "./CandleChart";

const created = vi.hoisted(() => ({ options: [] as unknown[] }));
vi.mock("lightweight-charts", () => ({
  CandlestickSeries: {},
  ColorType: { Solid: "solid" },
  createChart: (_el: HTMLElement, options: unknown) => {
    created.options.push(options);
    return {
      addSeries: () => ({ setData: () => {}, applyOptions: () => {} }),
      timeScale: () => ({ fitContent: () => {} }),
      applyOptions: () => {},
      remove: () => {},
    };
  },
}));

afterEach(() => {
  vi.unstubAllGlobals();
  created.options = [];
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

describe("toChartData", () => {
  const c = (time: number, open: number | null = 1) => ({ time, open, high: 2, low: 0.5, close: 1.5, volume0: "1", swaps: 1 });

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
