import { useCallback, useEffect, useState } from "react";
import { commands, type AppError, type PositionView, type TxStatus } from "../../bindings";
import { ErrorBox } from "../../components/ErrorBox";
import { SendGate } from "../../components/SendGate";
import { TxStatusView } from "../../components/TxStatusView";
import { settle } from "../../lib/errors";
import { sendBlocker, useApp } from "../../state/AppState";
import { PositionCard } from "./PositionCard";

export function Positions() {
  const app = useApp();
  const [positions, setPositions] = useState<PositionView[] | null>(null);
  const [status, setStatus] = useState<TxStatus | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const active = app.wallet?.active ?? null;

  const load = useCallback(async () => {
    const r = await settle(commands.positions());
    if (r.ok) setPositions(r.data);
    else setError(r.error);
  }, []);
  useEffect(() => {
    void load();
  }, [load, app.block, active]);

  const canSend = sendBlocker(app) === null;
  return (
    <div>
      <SendGate>{null}</SendGate>
      {positions === null ? (
        <p className="muted">Loading positions…</p>
      ) : positions.length === 0 ? (
        <p className="muted">No liquidity positions for this account.</p>
      ) : (
        <ul className="positions">
          {positions.map((p) => (
            <PositionCard
              key={p.pair}
              position={p}
              canSend={canSend}
              onStatus={setStatus}
              onError={setError}
              onDone={(r) => {
                if (!r.ok) setError(r.error);
                void load();
                void app.refreshTokens();
              }}
            />
          ))}
        </ul>
      )}
      <TxStatusView status={status} testId="liq-status" />
      <ErrorBox error={error} testId="liq-error" />
    </div>
  );
}
