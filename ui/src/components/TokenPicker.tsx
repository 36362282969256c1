import { useEffect, useRef, useState } from "react";
import { commands, type AppError, type TokenView } from "../bindings";
import { formatDisplay, usdValue } from "../lib/amount";
import { settle } from "../lib/errors";
import { formatUsd, shortAddress } from "../lib/format";
import { asAddress, filterTokens } from "../lib/tokens";
import { ErrorBox } from "./ErrorBox";
import { TokenFlags } from "./TokenFlags";

type Props = {
  /** data-testid of the opener button (swap-token-in, liq-token-a, …). */
  testId: string;
  label: string;
  tokens: TokenView[];
  selected: TokenView | null;
  onSelect: (t: TokenView) => void;
  /** After an import: refresh the list. */
  onImported?: (t: TokenView) => void;
};

export function TokenPicker({ testId, label, tokens, selected, onSelect, onImported }: Props) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="token-button"
        data-testid={testId}
        aria-label={`${label}: ${selected ? selected.symbol : "select a token"}`}
        onClick={() => setOpen(true)}
      >
        {selected ? selected.symbol : "Select token"} ▾
      </button>
      {open && (
        <TokenPickerDialog
          title={label}
          tokens={tokens}
          onClose={() => setOpen(false)}
          onPick={(t) => {
            setOpen(false);
            onSelect(t);
          }}
          onImported={onImported}
        />
      )}
    </>
  );
}

/** A balance for reading, or null when it is not a number (it then shows as "—"). */
function balanceText(balance: string, decimals: number): string | null {
  try {
    return formatDisplay(balance, decimals);
  } catch {
    return null;
  }
}

/**
 * The balance, and under it its USD value when the token is priced (nothing
 * for a zero balance); "—" when there is none (no account, or `balanceOf`
 * reverted).
 */
function TokenBalance({ t }: { t: TokenView }) {
  const text = t.balance == null ? null : balanceText(t.balance, t.decimals);
  if (t.balance == null || text === null) {
    const why = t.oddities.includes("balanceUnreadable") ? "The balance cannot be read" : "No balance";
    return (
      <span className="token-balance muted" data-testid={`token-balance-${t.symbol}`} title={why}>
        —
      </span>
    );
  }
  const usd = t.balance !== "0" ? formatUsd(usdValue(t.balance, t.decimals, t.priceUsd)) : "";
  return (
    <span className="token-balance" data-testid={`token-balance-${t.symbol}`}>
      <span>{text}</span>
      {usd !== "" && (
        <span className="token-usd" data-testid={`token-usd-${t.symbol}`}>
          {usd}
        </span>
      )}
    </span>
  );
}

type DialogProps = {
  title: string;
  tokens: TokenView[];
  onClose: () => void;
  onPick: (t: TokenView) => void;
  onImported?: ((t: TokenView) => void) | undefined;
};

export function TokenPickerDialog({ title, tokens, onClose, onPick, onImported }: DialogProps) {
  const [query, setQuery] = useState("");
  const [preview, setPreview] = useState<TokenView | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  useEffect(() => searchRef.current?.focus(), []);

  const shown = filterTokens(tokens, query);
  const address = asAddress(query);
  const known = address ? tokens.some((t) => t.address.toLowerCase() === address.toLowerCase()) : false;

  const lookup = async () => {
    if (!address) return;
    setBusy(true);
    setError(null);
    const r = await settle(commands.tokenLookup(address));
    setBusy(false);
    if (r.ok) setPreview(r.data);
    else setError(r.error);
  };
  const confirmImport = async () => {
    if (!preview) return;
    setBusy(true);
    setError(null);
    const r = await settle(commands.tokenImport(preview.address));
    setBusy(false);
    if (r.ok) {
      onImported?.(r.data);
      onPick(r.data);
    } else setError(r.error);
  };

  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-label={title}
        data-testid="token-picker"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === "Escape") onClose();
        }}
      >
        <div className="modal-head">
          <h2>{title}</h2>
          <button type="button" className="btn-small" data-testid="token-picker-close" onClick={onClose}>
            Close
          </button>
        </div>
        <label htmlFor="token-search" className="sr-only">
          Search by symbol, name or address
        </label>
        <input
          id="token-search"
          ref={searchRef}
          data-testid="token-picker-search"
          placeholder="Search symbol, name or paste an address"
          value={query}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => {
            setQuery(e.target.value);
            setPreview(null);
            setError(null);
          }}
        />
        <ul className="token-list">
          {shown.map((t) => (
            <li key={t.address}>
              <button type="button" className="token-option" data-testid={`token-option-${t.symbol}`} data-address={t.address} onClick={() => onPick(t)}>
                <span className="token-symbol">{t.symbol}</span>
                <span className="token-name">
                  <span>
                    {t.name} {t.address !== "ETH" && t.verified && <code>{shortAddress(t.address)}</code>}
                    {t.source === "imported" && <span className="badge warn">imported</span>}
                    {t.priceUsd !== null && formatUsd(t.priceUsd) !== "" && (
                      <span className="token-price" data-testid={`token-price-${t.symbol}`} title={`USD per ${t.symbol}`}>
                        {formatUsd(t.priceUsd)}
                      </span>
                    )}
                  </span>
                  <TokenFlags t={t} known={tokens} />
                </span>
                <TokenBalance t={t} />
              </button>
            </li>
          ))}
          {shown.length === 0 && !address && <li className="muted">No token matches.</li>}
        </ul>
        {address && !known && !preview && (
          <button type="button" data-testid="token-picker-import-button" disabled={busy} onClick={() => void lookup()}>
            {busy ? "Looking up…" : `Import token at ${shortAddress(address)}`}
          </button>
        )}
        {preview && (
          <div className="import-preview">
            <div>
              <strong>{preview.symbol}</strong> — {preview.name} · {preview.decimals} decimals
            </div>
            <code className="break">{preview.address}</code>
            <p className="warning" data-testid="token-picker-import-warning">
              {preview.warning ??
                "Anyone can create a token with any name. Make sure this is the token you want before trading it."}
            </p>
            <button type="button" data-testid="token-picker-import-confirm" disabled={busy} onClick={() => void confirmImport()}>
              {busy ? "Importing…" : `Import ${preview.symbol}`}
            </button>
          </div>
        )}
        <ErrorBox error={error} testId="token-picker-error" />
      </div>
    </div>
  );
}
