import type { AccountInfo } from "../../bindings";
import { shortAddress } from "../../lib/format";

type Props = {
  accounts: AccountInfo[];
  active: string | null;
  busy: boolean;
  onSelect: (address: string) => void;
};

function isActive(a: AccountInfo, active: string | null) {
  return active !== null && a.address.toLowerCase() === active.toLowerCase();
}

export function KeystoreAccounts({ accounts, active, busy, onSelect }: Props) {
  if (accounts.length === 0) return null;
  return (
    <div className="card sub">
      <h2>Accounts</h2>
      <ul className="accounts">
        {accounts.map((a) => (
          <li key={a.address}>
            <button
              type="button"
              className={isActive(a, active) ? "account active" : "account"}
              data-testid={`wallet-account-${a.address.toLowerCase()}`}
              aria-current={isActive(a, active) ? "true" : undefined}
              disabled={busy}
              onClick={() => onSelect(a.address)}
            >
              <span className="account-label">{a.label}</span> <code title={a.address}>{shortAddress(a.address)}</code>
              {isActive(a, active) && <span className="badge">active</span>}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Anvil's well-known accounts (chain 31337 only): public keys, for testing. */
export function DevAccounts({ accounts, active, busy, onSelect }: Props) {
  if (accounts.length === 0) return null;
  return (
    <div className="card sub dev-accounts">
      <h2>Test accounts</h2>
      <p className="warning">These keys are public (Anvil's defaults). Never send real funds to them.</p>
      <ul className="accounts">
        {accounts.map((a, n) => (
          <li key={a.address} className={isActive(a, active) ? "account-row active" : "account-row"} data-testid={`wallet-account-${a.address.toLowerCase()}`}>
            <span className="badge danger">TEST ONLY — public Anvil key</span> <span>{a.label || `Dev #${n}`}</span>{" "}
            <code title={a.address}>{shortAddress(a.address)}</code>
            {isActive(a, active) ? (
              <span className="badge">active</span>
            ) : (
              <button type="button" className="btn-small" data-testid={`wallet-dev-use-${n}`} disabled={busy} onClick={() => onSelect(a.address)}>
                Use
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
