import {
  CandlestickSeries,
  ColorType,
  createChart,
  HistogramSeries,
  type CandlestickData,
  type HistogramData,
  type IChartApi,
  type ISeriesApi,
  type UTCTimestamp,
} from "lightweight-charts";
import { useEffect, useRef } from "react";
import type { Candle } from "../bindings";
import { wholeTokens } from "../lib/amount";

/** Candle colours (the end-to-end test counts pixels of exactly these). */
export const UP_COLOR = "#26a69a";
export const DOWN_COLOR = "#ef5350";
/** Volume bars: a translucent slate, far from both candle colours on the dark background. */
export const VOLUME_COLOR = "rgba(120, 144, 176, 0.45)";

type PricedCandle = Candle & { open: number; high: number; low: number; close: number };

/**
 * The candles the chart draws, with their chart times: sorted by time
 * (lightweight-charts needs strictly increasing times), one per time, and
 * only those with a price (empty buckets have null OHLC).
 */
function chartCandles(candles: Candle[]): { time: UTCTimestamp; c: PricedCandle }[] {
  const sorted = [...candles].sort((a, b) => a.time - b.time);
  const out: { time: UTCTimestamp; c: PricedCandle }[] = [];
  for (const c of sorted) {
    const time = (c.time > 1e12 ? Math.floor(c.time / 1000) : c.time) as UTCTimestamp;
    const last = out[out.length - 1];
    if (last && last.time >= time) continue;
    if (c.open === null || c.high === null || c.low === null || c.close === null) continue;
    out.push({ time, c: { ...c, open: c.open, high: c.high, low: c.low, close: c.close } });
  }
  return out;
}

export function toChartData(candles: Candle[]): CandlestickData<UTCTimestamp>[] {
  return chartCandles(candles).map(({ time, c }) => ({ time, open: c.open, high: c.high, low: c.low, close: c.close }));
}

/**
 * Volume bars, one per drawn candle (same times, so the bars line up with
 * the candles and empty buckets add no slot): token1's volume (`volume1`,
 * base units) in whole tokens, `decimals` being token1's. The price is
 * token1 per token0, so the bars count the quote token, as the price axis does.
 */
export function toVolumeData(candles: Candle[], decimals: number): HistogramData<UTCTimestamp>[] {
  return chartCandles(candles).map(({ time, c }) => ({ time, value: wholeTokens(c.volume1, decimals) }));
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

/** The token the volume bars count: the pool's token1 (the quote token of the price). */
export type VolumeToken = { symbol: string; decimals: number };

/**
 * Candlestick chart with volume bars under the candles: created on mount,
 * resized with its container, removed on unmount. Without `volumeToken`
 * (pool not loaded yet) no bars are drawn.
 */
export function CandleChart({ candles, volumeToken = null }: { candles: Candle[]; volumeToken?: VolumeToken | null }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const series = useRef<ISeriesApi<"Candlestick"> | null>(null);
  const volume = useRef<ISeriesApi<"Histogram"> | null>(null);

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
      // The candles keep the bottom quarter free for the volume bars.
      rightPriceScale: { borderColor: "#2a3444", scaleMargins: { top: 0.1, bottom: 0.25 } },
    });
    chart.current = c;
    const resize = () => c.applyOptions({ width: el.clientWidth || 600, height: el.clientHeight || 300 });
    window.addEventListener("resize", resize);
    // Added first so that the candles draw over the bars. An overlay price
    // scale (id "") of its own, squeezed into the bottom 22% of the pane.
    // The colour is set explicitly: the histogram's default is the up colour.
    const v = c.addSeries(HistogramSeries, {
      color: VOLUME_COLOR,
      priceScaleId: "",
      priceFormat: { type: "volume" },
      lastValueVisible: false,
      priceLineVisible: false,
    });
    v.priceScale().applyOptions({ scaleMargins: { top: 0.78, bottom: 0 } });
    volume.current = v;
    series.current = c.addSeries(CandlestickSeries, {
      upColor: UP_COLOR,
      downColor: DOWN_COLOR,
      borderVisible: false,
      wickUpColor: UP_COLOR,
      wickDownColor: DOWN_COLOR,
      priceFormat: { type: "price", precision: 6, minMove: 0.000001 },
    });
    return () => {
      window.removeEventListener("resize", resize);
      c.remove();
      chart.current = null;
      series.current = null;
      volume.current = null;
    };
  }, []);

  const volumeDecimals = volumeToken?.decimals ?? null;
  useEffect(() => {
    const data = toChartData(candles);
    const precision = pricePrecision(data);
    series.current?.applyOptions({ priceFormat: { type: "price", precision, minMove: 10 ** -precision } });
    series.current?.setData(data);
    volume.current?.setData(volumeDecimals === null ? [] : toVolumeData(candles, volumeDecimals));
    chart.current?.timeScale().fitContent();
  }, [candles, volumeDecimals]);

  return (
    <figure className="chart-figure">
      <div className="chart" ref={box} data-testid="pool-chart" aria-label="Price chart" role="img" />
      {candles.length === 0 && (
        <p className="chart-empty hint" data-testid="pool-chart-empty">
          No trades in this pool yet: candles appear as swaps come in.
        </p>
      )}
      <figcaption className="hint">
        {volumeToken && <>Bars: volume in {volumeToken.symbol}. </>}Chart: TradingView Lightweight Charts™
      </figcaption>
    </figure>
  );
}
