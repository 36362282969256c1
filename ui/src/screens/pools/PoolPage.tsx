import { useEffect, useState } from "react";
import { commands, type AppError, type PoolDetail, type SwapRow } from "../../bindings";
import { CandleChart } from "../../components/CandleChart";
import { CopyButton } from "../../components/CopyButton";
import { ErrorBox } from "../../components/ErrorBox";
import { formatDisplay } from "../../lib/amount";
import { settle } from "../../lib/errors";
import { formatPrice, formatTime, formatUsd, shortHash } from "../../lib/format";
import { useApp } from "../../state/AppState";

export const INTERVALS = [
  { secs: 60, label: "1m" },
  { secs: 300, label: "5m" },
  { secs: 3600, label: "1h" },
  { secs: 86400, label: "1d" },
] as const;

function SwapLine({ s, d }: { s: SwapRow; d: PoolDetail }) {
  const { token0: t0, token1: t1 } = d.pool;
  const sells0 = BigInt(s.amount0In) > 0n;
  const [inAmt, inTok, outAmt, outTok] = sells0 ? [s.amount0In, t0, s.amount1Out, t1] : [s.amount1In, t1, s.amount0Out, t0];
  return (
    <tr>
      <td>{formatTime(s.timestamp)}</td>
      <td>
        {formatDisplay(inAmt, inTok.decimals)} {inTok.symbol} → {formatDisplay(outAmt, outTok.decimals)} {outTok.symbol}
      </td>
      <td>{formatPrice(s.price)}</td>
      <td>
        <code title={s.txHash}>{shortHash(s.txHash)}</code> <CopyButton text={s.txHash} />
      </td>
    </tr>
  );
}

export function PoolPage({ pair, onBack }: { pair: string; onBack: () => void }) {
  const app = useApp();
  const [interval, setIntervalSecs] = useState(3600);
  const [detail, setDetail] = useState<PoolDetail | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    let live = true;
    void settle(commands.poolDetail(pair, interval)).then((r) => {
      if (!live) return;
      if (r.ok) {
        setDetail(r.data);
        setError(null);
      } else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [pair, interval, app.block, app.indexed]);

  const p = detail?.pool;
  return (
    <section aria-labelledby="pool-title">
      <button type="button" className="secondary" data-testid="pool-back" onClick={onBack}>
        ← Pools
      </button>
      <h1 id="pool-title">{p ? `${p.token0.symbol} / ${p.token1.symbol}` : "Pool"}</h1>
      {p && (
        <p className="muted">
          1 {p.token0.symbol} = {formatPrice(p.price)} {p.token1.symbol} · reserves {formatDisplay(p.reserve0, p.token0.decimals)} {p.token0.symbol} /{" "}
          {formatDisplay(p.reserve1, p.token1.decimals)} {p.token1.symbol}
          {p.tvlUsd !== null && <span data-testid="pool-tvl-usd"> · TVL {formatUsd(p.tvlUsd)}</span>}
          {p.volume24hUsd !== null && <span data-testid="pool-volume-usd"> · volume 24h {formatUsd(p.volume24hUsd)}</span>} · <code>{pair}</code>
        </p>
      )}
      <div className="presets" role="group" aria-label="Candle interval">
        {INTERVALS.map((i) => (
          <button
            key={i.secs}
            type="button"
            className={interval === i.secs ? "chip active" : "chip"}
            aria-pressed={interval === i.secs}
            data-testid={`pool-interval-${i.secs}`}
            onClick={() => setIntervalSecs(i.secs)}
          >
            {i.label}
          </button>
        ))}
      </div>
      <CandleChart candles={detail?.candles ?? []} volumeToken={p?.token1 ?? null} />
      <ErrorBox error={error} testId="pool-error" />
      <h2>Recent swaps</h2>
      <table className="table" data-testid="pool-swaps">
        <thead>
          <tr>
            <th>Time</th>
            <th>Trade</th>
            <th>Price ({p ? `${p.token1.symbol}/${p.token0.symbol}` : ""})</th>
            <th>Tx</th>
          </tr>
        </thead>
        <tbody>
          {detail?.swaps.map((s) => <SwapLine key={`${s.txHash}-${s.block}-${s.amount0In}-${s.amount1In}`} s={s} d={detail} />)}
          {detail && detail.swaps.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                No swaps yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
