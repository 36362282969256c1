import { CandlestickSeries, ColorType, createChart, type CandlestickData, type IChartApi, type ISeriesApi, type UTCTimestamp } from "lightweight-charts";
import { useEffect, useRef } from "react";
import type { Candle } from "../bindings";

export function toChartData(candles: Candle[]): CandlestickData<UTCTimestamp>[] {
  // lightweight-charts needs strictly increasing times.
  const sorted = [...candles].sort((a, b) => a.time - b.time);
  const out: CandlestickData<UTCTimestamp>[] = [];
  for (const c of sorted) {
    const time = (c.time > 1e12 ? Math.floor(c.time / 1000) : c.time) as UTCTimestamp;
    const last = out[out.length - 1];
    if (last && last.time >= time) continue;
    if (c.open === null || c.high === null || c.low === null || c.close === null) continue;
    out.push({ time, open: c.open, high: c.high, low: c.low, close: c.close });
  }
  return out;
}

/**
 * Decimals for the price axis: two for prices of 1 and more, enough for four
 * significant digits below (0.000333 → 6), at most 10.
 */
export function pricePrecision(candles: CandlestickData<UTCTimestamp>[]): number {
  const top = Math.max(0, ...candles.map((c) => c.high));
  if (!(top > 0) || top >= 1) return 2;
  return Math.min(10, Math.max(2, Math.ceil(-Math.log10(top)) + 3));
}

/**
 * The locale the chart formats its dates with: the first of the webview's
 * languages that is a valid BCP 47 tag, else "en-US" (the app's number locale).
 * The chart defaults to `navigator.language`, which WebKitGTK takes from the
 * process locale: under `LANG=C` (or unset) that is "C", which `Intl` rejects
 * with a RangeError thrown from every paint, so the chart draws nothing.
 */
export function chartLocale(languages: readonly string[]): string {
  for (const tag of languages) {
    try {
      const [canonical] = Intl.getCanonicalLocales(tag);
      if (canonical) return canonical;
    } catch {
      // Not a language tag (a POSIX locale name such as "C" or "C.UTF-8"): try the next.
    }
  }
  return "en-US";
}

function browserLanguages(): string[] {
  return [...(navigator.languages ?? []), navigator.language].filter((l): l is string => typeof l === "string" && l !== "");
}

/** Candlestick chart: created on mount, resized with its container, removed on unmount. */
export function CandleChart({ candles }: { candles: Candle[] }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const series = useRef<ISeriesApi<"Candlestick"> | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    // Sized explicitly and on window resizes: `autoSize` relies on
    // ResizeObserver's device-pixel boxes, which WebKitGTK (the Linux
    // webview) does not report, and the chart then never draws.
    const c = createChart(el, {
      width: el.clientWidth || 600,
      height: el.clientHeight || 300,
      // The built-in logo injects an inline <style> (refused by the CSP) and a web link;
      // attribution is given as text under the chart instead (Apache-2.0 NOTICE).
      layout: { background: { type: ColorType.Solid, color: "#121821" }, textColor: "#c9d3e0", attributionLogo: false },
      grid: { vertLines: { color: "#1e2633" }, horzLines: { color: "#1e2633" } },
      localization: { locale: chartLocale(browserLanguages()) },
      // fitContent would stretch a handful of candles across the whole width.
      timeScale: { timeVisible: true, secondsVisible: false, maxBarSpacing: 24, rightOffset: 3 },
      rightPriceScale: { borderColor: "#2a3444" },
    });
    chart.current = c;
    const resize = () => c.applyOptions({ width: el.clientWidth || 600, height: el.clientHeight || 300 });
    window.addEventListener("resize", resize);
    series.current = c.addSeries(CandlestickSeries, {
      upColor: "#26a69a",
      downColor: "#ef5350",
      borderVisible: false,
      wickUpColor: "#26a69a",
      wickDownColor: "#ef5350",
      priceFormat: { type: "price", precision: 6, minMove: 0.000001 },
    });
    return () => {
      window.removeEventListener("resize", resize);
      c.remove();
      chart.current = null;
      series.current = null;
    };
  }, []);

  useEffect(() => {
    const data = toChartData(candles);
    const precision = pricePrecision(data);
    series.current?.applyOptions({ priceFormat: { type: "price", precision, minMove: 10 ** -precision } });
    series.current?.setData(data);
    chart.current?.timeScale().fitContent();
  }, [candles]);

  return (
    <figure className="chart-figure">
      <div className="chart" ref={box} data-testid="pool-chart" aria-label="Price chart" role="img" />
      <figcaption className="hint">Chart: TradingView Lightweight Charts™</figcaption>
    </figure>
  );
}
