import { useEffect, useState } from "react";
import { commands, type AppError, type PoolView } from "../bindings";
import { ErrorBox } from "../components/ErrorBox";
import { formatDisplay } from "../lib/amount";
import { settle } from "../lib/errors";
import { formatPrice, formatUsd } from "../lib/format";
import { filterPools, isPoolSort, POOL_SORTS, sortPools, tvlText, type PoolSort } from "../lib/pools";
import { useApp } from "../state/AppState";
import { PoolPage } from "./pools/PoolPage";

function PoolRow({ p, onOpen }: { p: PoolView; onOpen: (pair: string) => void }) {
  const id = p.pair.toLowerCase();
  return (
    <tr
      data-testid={`pool-row-${id}`}
      tabIndex={0}
      onClick={() => onOpen(p.pair)}
      onKeyDown={(e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          onOpen(p.pair);
        }
      }}
    >
      <td>
        <button
          type="button"
          className="link"
          data-testid={`pool-open-${id}`}
          onClick={(e) => {
            e.stopPropagation();
            onOpen(p.pair);
          }}
        >
          {p.token0.symbol} / {p.token1.symbol}
        </button>
      </td>
      <td>
        {formatPrice(p.price)} {p.token1.symbol}
      </td>
      <td data-testid={`pool-tvl-${id}`}>{tvlText(p)}</td>
      <td data-testid={`pool-volume-${id}`}>
        {p.volume24hUsd !== null && <div>{formatUsd(p.volume24hUsd)}</div>}
        <div className={p.volume24hUsd !== null ? "muted small" : undefined}>
          {formatDisplay(p.volume0_24h, p.token0.decimals, 4)} {p.token0.symbol} · {formatDisplay(p.volume1_24h, p.token1.decimals, 4)} {p.token1.symbol}
        </div>
      </td>
      <td>{p.swaps24h}</td>
    </tr>
  );
}

/** Search box and sort selector above the list. */
function ListControls({ query, onQuery, sort, onSort }: { query: string; onQuery: (q: string) => void; sort: PoolSort; onSort: (s: PoolSort) => void }) {
  return (
    <div className="list-controls">
      <div className="field grow">
        <label htmlFor="pools-search">Search pools</label>
        <input
          id="pools-search"
          type="search"
          data-testid="pools-search"
          placeholder="Symbol, pair or address"
          autoComplete="off"
          spellCheck={false}
          value={query}
          onChange={(e) => onQuery(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="pools-sort">Sort by</label>
        <select
          id="pools-sort"
          data-testid="pools-sort"
          value={sort}
          onChange={(e) => {
            if (isPoolSort(e.target.value)) onSort(e.target.value);
          }}
        >
          {POOL_SORTS.map((x) => (
            <option key={x.key} value={x.key}>
              {x.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

export function Pools() {
  const app = useApp();
  const [pools, setPools] = useState<PoolView[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [query, setQuery] = useState("");
  const [sort, setSort] = useState<PoolSort>("created");

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
  }, [app.block, selected, app.indexed]);

  if (selected) return <PoolPage pair={selected} onBack={() => setSelected(null)} />;
  const shown = pools === null ? [] : sortPools(filterPools(pools, query), sort);
  return (
    <section aria-labelledby="pools-title">
      <h1 id="pools-title">Pools</h1>
      <ErrorBox error={error} testId="pools-error" />
      {pools === null ? (
        <p className="muted">Loading pools…</p>
      ) : pools.length === 0 ? (
        <p className="muted">No pools indexed yet.</p>
      ) : (
        <>
          <ListControls query={query} onQuery={setQuery} sort={sort} onSort={setSort} />
          {shown.length === 0 ? (
            <p className="muted" data-testid="pools-no-match" role="status">
              No pool matches “{query.trim()}”
            </p>
          ) : (
            <table className="table clickable" data-testid="pools-table">
              <thead>
                <tr>
                  <th>Pair</th>
                  <th>Price</th>
                  <th>TVL</th>
                  <th>Volume 24h</th>
                  <th>Swaps 24h</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((p) => (
                  <PoolRow key={p.pair} p={p} onOpen={setSelected} />
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
