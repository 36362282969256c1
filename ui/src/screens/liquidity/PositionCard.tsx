import { useEffect, useState } from "react";
import { commands, type AppError, type FeeSelection, type PositionView, type RemoveQuote, type TxResult, type TxStatus } from "../../bindings";
import { FeeSelector } from "../../components/FeeSelector";
import { formatDisplay, formatExact } from "../../lib/amount";
import { settle, type Outcome } from "../../lib/errors";
import { presetFee } from "../../lib/fees";
import { formatFraction, formatUsd } from "../../lib/format";
import { runTx } from "../../lib/tx";
import { useApp } from "../../state/AppState";

type Props = {
  position: PositionView;
  canSend: boolean;
  onStatus: (s: TxStatus) => void;
  onError: (e: AppError | null) => void;
  onDone: (r: Outcome<TxResult>) => void;
};

/** 1–100 whole percent, or null. */
export function parsePercent(text: string): number | null {
  if (!/^\d{1,3}$/.test(text.trim())) return null;
  const n = Number(text);
  return n >= 1 && n <= 100 ? n : null;
}

export function PositionCard({ position: p, canSend, onStatus, onError, onDone }: Props) {
  const app = useApp();
  const id = p.pair.toLowerCase();
  const hasWeth = p.token0.symbol === "WETH" || p.token1.symbol === "WETH";
  const [percent, setPercent] = useState("");
  const [receiveEth, setReceiveEth] = useState(true);
  const [preview, setPreview] = useState<RemoveQuote | null>(null);
  const [busy, setBusy] = useState(false);
  // null: the preset from Settings.
  const [chosenFee, setChosenFee] = useState<FeeSelection | null>(null);
  const fee = chosenFee ?? presetFee(app.settings?.feeSpeed);
  const pct = parsePercent(percent);

  useEffect(() => {
    setPreview(null);
    if (pct === null) return;
    let live = true;
    const t = setTimeout(() => {
      void settle(commands.liquidityQuoteRemove({ pair: p.pair, percent: pct, receiveEth: hasWeth && receiveEth })).then((r) => {
        if (!live) return;
        if (r.ok) setPreview(r.data);
        else onError(r.error);
      });
    }, 200);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [pct, receiveEth, hasWeth, p.pair, p.liquidity, onError]);

  const remove = async () => {
    if (pct === null) return;
    setBusy(true);
    onError(null);
    const out = await runTx((ch) => commands.liquidityRemove({ pair: p.pair, percent: pct, receiveEth: hasWeth && receiveEth, fee }, ch), onStatus);
    setBusy(false);
    if (out.ok) setPercent("");
    onDone(out);
  };

  const s0 = p.token0.symbol;
  const s1 = p.token1.symbol;
  return (
    <li className="card sub position" data-testid={`position-${id}`}>
      <h3>
        {s0} / {s1}
      </h3>
      <div className="grid2">
        <span>Pool share</span>
        <span data-testid={`position-share-${id}`}>{formatFraction(p.share, 4)}</span>
        <span>LP tokens</span>
        <span data-testid={`position-liquidity-${id}`} data-base={p.liquidity}>{formatExact(p.liquidity, 18)}</span>
        <span>Underlying</span>
        <span>
          {formatDisplay(p.amount0, p.token0.decimals)} {s0} + {formatDisplay(p.amount1, p.token1.decimals)} {s1}
        </span>
        {p.valueUsd !== null && formatUsd(p.valueUsd) !== "" && (
          <>
            <span>Value</span>
            <span data-testid={`position-value-${id}`}>≈ {formatUsd(p.valueUsd)}</span>
          </>
        )}
        <span>Fees earned</span>
        <span>
          {formatDisplay(p.fees0, p.token0.decimals)} {s0} + {formatDisplay(p.fees1, p.token1.decimals)} {s1}
        </span>
        <span>Impermanent loss</span>
        <span>{p.impermanentLoss === null ? "—" : formatFraction(p.impermanentLoss)}</span>
      </div>
      <form
        className="remove"
        onSubmit={(e) => {
          e.preventDefault();
          if (pct !== null && canSend && !busy) void remove();
        }}
      >
        <div className="presets">
          {[25, 50, 75, 100].map((v) => (
            <button key={v} type="button" className={pct === v ? "chip active" : "chip"} onClick={() => setPercent(String(v))}>
              {v}%
            </button>
          ))}
          <label htmlFor={`remove-${id}`}>Remove</label>
          <input
            id={`remove-${id}`}
            className="narrow"
            type="number"
            min={1}
            max={100}
            step={1}
            data-testid={`position-remove-percent-${id}`}
            value={percent}
            onChange={(e) => setPercent(e.target.value)}
          />
          <span>%</span>
        </div>
        {percent !== "" && pct === null && <div className="field-error">Enter a whole percentage from 1 to 100.</div>}
        {hasWeth && (
          <label className="check">
            <input type="checkbox" checked={receiveEth} onChange={(e) => setReceiveEth(e.target.checked)} /> Receive ETH instead of WETH
          </label>
        )}
        {preview && pct !== null && (
          <p className="muted">
            You receive ≈ {formatDisplay(preview.amount0, p.token0.decimals)} {s0} + {formatDisplay(preview.amount1, p.token1.decimals)} {s1} (at
            least {formatDisplay(preview.min0, p.token0.decimals)} {s0} + {formatDisplay(preview.min1, p.token1.decimals)} {s1}); burns{" "}
            {formatDisplay(preview.liquidity, 18, 8)} LP
          </p>
        )}
        {pct !== null && <FeeSelector value={fee} onChange={setChosenFee} disabled={busy} />}
        <button type="submit" className="primary" data-testid={`position-remove-submit-${id}`} disabled={pct === null || !canSend || busy}>
          {busy ? "Removing…" : "Remove liquidity"}
        </button>
      </form>
    </li>
  );
}
