import type { BalanceChange } from "../bindings";
import { formatSigned } from "../lib/amount";

/** Signed balance deltas, one row per token; each row's test id is `${prefix}${symbol}` when a prefix is given. */
export function BalanceChanges({ changes, testIdPrefix }: { changes: BalanceChange[]; testIdPrefix?: string }) {
  if (changes.length === 0) return <p className="muted">No balance changes.</p>;
  return (
    <ul className="changes">
      {changes.map((c) => {
        const neg = c.delta.startsWith("-");
        return (
          <li
            key={`${c.token}-${c.symbol}`}
            className={neg ? "neg" : "pos"}
            data-testid={testIdPrefix ? `${testIdPrefix}${c.symbol}` : undefined}
          >
            <span className="amount">{formatSigned(c.delta, c.decimals)}</span> {c.symbol}
          </li>
        );
      })}
    </ul>
  );
}
