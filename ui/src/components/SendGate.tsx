import type { ReactNode } from "react";
import { sendBlocker, useApp } from "../state/AppState";

/** Renders children only when a transaction can be sent; otherwise says why, with a way to Wallet. */
export function SendGate({ children }: { children: ReactNode }) {
  const app = useApp();
  const why = sendBlocker(app);
  if (!why) return <>{children}</>;
  const walletProblem = !app.wallet?.active;
  return (
    <div className="notice send-gate" data-testid="send-gate">
      <span>{why}</span>{" "}
      {walletProblem ? (
        <button type="button" className="btn-small" onClick={() => app.navigate("wallet")}>
          Go to Wallet
        </button>
      ) : (
        <button type="button" className="btn-small" onClick={() => app.navigate("settings")}>
          Open Settings
        </button>
      )}
    </div>
  );
}
