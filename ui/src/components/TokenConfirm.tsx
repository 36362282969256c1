import type { TokenView } from "../bindings";
import { imitatedSymbol } from "../lib/tokens";
import type { TokenConfirmGate } from "../state/useTokenConfirm";

type Props = {
  gate: TokenConfirmGate;
  /** The known tokens, to name the token an imitation copies. */
  known: readonly TokenView[];
  /** data-testid of the block; each token's part and checkbox derive from it. */
  testId: string;
  disabled?: boolean;
};

/**
 * Before a trade with a token on none of the person's lists: its symbol, its
 * full address, the Rust side's warning, the imitation (if any), and a tick
 * per token. Nothing when no token needs it.
 */
export function TokenConfirm({ gate, known, testId, disabled = false }: Props) {
  if (gate.pending.length === 0) return null;
  return (
    <div className="token-confirm" data-testid={testId} role="group" aria-label="Unverified tokens">
      <strong>{gate.pending.length === 1 ? "This token is on none of your token lists" : "These tokens are on none of your token lists"}</strong>
      {gate.pending.map((t) => {
        const id = `${testId}-${t.address.toLowerCase()}`;
        return (
          <div key={t.address} className="token-confirm-item" data-testid={`${testId}-token`} data-address={t.address}>
            <div>
              <strong data-testid={`${testId}-symbol`}>{t.symbol}</strong> <span className="muted">{t.name}</span>
            </div>
            <code className="break" data-testid={`${testId}-address`}>
              {t.address}
            </code>
            {t.warning && (
              <p className="warning" data-testid={`${testId}-warning`}>
                {t.warning}
              </p>
            )}
            {t.imitates && (
              <p className="error-text" data-testid={`${testId}-imitates`}>
                It copies the symbol of the listed {imitatedSymbol(t, known)} at <code className="break">{t.imitates}</code>: this is not that token.
              </p>
            )}
            <label className="check danger" htmlFor={id}>
              <input
                id={id}
                type="checkbox"
                data-testid={`${testId}-check`}
                checked={gate.isChecked(t)}
                disabled={disabled}
                onChange={(e) => gate.setChecked(t, e.target.checked)}
              />
              I checked this address and want to trade this token
            </label>
          </div>
        );
      })}
    </div>
  );
}
