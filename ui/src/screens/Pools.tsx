import { useEffect, useState } from "react";
import { commands, type AppError, type PoolView } from "../bindings";
import { ErrorBox } from "../components/ErrorBox";
import { formatDisplay } from "../lib/amount";
import { settle } from "../lib/errors";
import { formatPrice } from "../lib/format";
import { useApp } from "../state/AppState";
import { PoolPage } from "./pools/PoolPage";

export function Pools() {
  const app = useApp();
  const [pools, setPools] = useState<PoolView[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  useEffect(() => {
    if (selected) return;
    let live = true;
    void settle(commands.poolsList()).then((r) => {
      if (!live) return;
      if (r.ok) {
        setPools(r.data);
        setError(null);
      } else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [app.block, selected]);

  if (selected) return <PoolPage pair={selected} onBack={() => setSelected(null)} />;
  return (
    <section aria-labelledby="pools-title">
      <h1 id="pools-title">Pools</h1>
      <ErrorBox error={error} testId="pools-error" />
      {pools === null ? (
        <p className="muted">Loading pools…</p>
      ) : pools.length === 0 ? (
        <p className="muted">No pools indexed yet.</p>
      ) : (
        <table className="table clickable">
          <thead>
            <tr>
              <th>Pair</th>
              <th>Price</th>
              <th>TVL (ETH)</th>
              <th>Volume 24h</th>
              <th>Swaps 24h</th>
            </tr>
          </thead>
          <tbody>
            {pools.map((p) => (
              <tr
                key={p.pair}
                data-testid={`pool-row-${p.pair.toLowerCase()}`}
                tabIndex={0}
                onClick={() => setSelected(p.pair)}
                onKeyDown={(e) => {
                  if (e.key === "Enter" || e.key === " ") {
                    e.preventDefault();
                    setSelected(p.pair);
                  }
                }}
              >
                <td>
                  <button
                    type="button"
                    className="link"
                    data-testid={`pool-open-${p.pair.toLowerCase()}`}
                    onClick={(e) => {
                      e.stopPropagation();
                      setSelected(p.pair);
                    }}
                  >
                    {p.token0.symbol} / {p.token1.symbol}
                  </button>
                </td>
                <td>
                  {formatPrice(p.price)} {p.token1.symbol}
                </td>
                <td>{p.tvlEth === null ? "—" : formatPrice(p.tvlEth)}</td>
                <td>
                  {formatDisplay(p.volume0_24h, p.token0.decimals, 4)} {p.token0.symbol} · {formatDisplay(p.volume1_24h, p.token1.decimals, 4)} {p.token1.symbol}
                </td>
                <td>{p.swaps24h}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
