import type { TokenView } from "../bindings";
import { imitatedSymbol, isNative, ODDITY_LABEL } from "../lib/tokens";

/**
 * What the picker says of a token under its name: the token lists that
 * include it, "Unverified" with its full address (and "confirmed" once the
 * person confirmed it), "Imitates X" with the real token's address, and a
 * badge per oddity.
 */
export function TokenFlags({ t, known }: { t: TokenView; known: readonly TokenView[] }) {
  const native = isNative(t);
  return (
    <span className="token-flags">
      {t.lists.length > 0 ? (
        <span className="token-lists" data-testid="token-lists" title="Token lists that include it">
          {t.lists.join(", ")}
        </span>
      ) : (
        !native && (
          <span className="token-lists" data-testid="token-lists">
            On none of your token lists
          </span>
        )
      )}
      {!t.verified && !native && (
        <span className="token-unverified" data-testid="token-unverified">
          <span className="badge warn">Unverified</span>
          {t.confirmed && (
            <span className="badge" data-testid="token-confirmed" title="You confirmed this token on this chain">
              confirmed
            </span>
          )}
          <code className="break" data-testid="token-full-address">
            {t.address}
          </code>
        </span>
      )}
      {t.imitates && (
        <span className="token-imitates" data-testid="token-imitates">
          <span className="badge danger strong">Imitates {imitatedSymbol(t, known)}</span>
          <span>
            the real one is <code className="break">{t.imitates}</code>
          </span>
        </span>
      )}
      {t.oddities.map((o) => (
        <span key={o} className="badge warn" data-testid="token-oddity" data-oddity={o}>
          {ODDITY_LABEL[o]}
        </span>
      ))}
    </span>
  );
}
