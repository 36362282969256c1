import { useState } from "react";
import { sanitizeAmountInput } from "../lib/amount";

type Props = {
  id: string;
  label: string;
  value: string;
  decimals: number;
  onChange: (value: string) => void;
  testId: string;
  disabled?: boolean;
  placeholder?: string;
  /** The exact amount in base units this field shows (from a quote), for tests and tooling. */
  base?: string | undefined;
};

/**
 * A decimal amount field validated as typed: a keystroke that would make the
 * text invalid (letters, a second ".", more decimals than the token has) is
 * refused, the previous value stays and a short message shows under the input.
 */
export function AmountInput({ id, label, value, decimals, onChange, testId, disabled, placeholder, base }: Props) {
  const [message, setMessage] = useState<string | null>(null);
  const errorId = `${id}-error`;
  return (
    <div className="amount-input">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        data-testid={testId}
        data-base={base}
        type="text"
        inputMode="decimal"
        autoComplete="off"
        spellCheck={false}
        placeholder={placeholder ?? "0.0"}
        value={value}
        disabled={disabled}
        aria-invalid={message !== null}
        aria-describedby={message ? errorId : undefined}
        onChange={(e) => {
          const r = sanitizeAmountInput(e.target.value, decimals);
          if (r.ok) {
            setMessage(null);
            onChange(r.value);
          } else {
            setMessage(r.reason);
          }
        }}
        onBlur={() => setMessage(null)}
      />
      {/* Always rendered (empty when valid) so the layout never shifts
          under the pointer when the message comes and goes. */}
      <div id={errorId} className="field-error" data-testid={`${testId}-error`} role="status">
        {message ?? ""}
      </div>
    </div>
  );
}
