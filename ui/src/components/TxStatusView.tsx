import type { TxStage, TxStatus } from "../bindings";
import { shortHash } from "../lib/format";
import { CopyButton } from "./CopyButton";

const LABELS: Record<TxStage, string> = {
  checking: "Checking",
  approving: "Approving",
  signing: "Signing",
  sent: "Sent",
  mined: "Mined",
  failed: "Failed",
};

export function TxStatusView({ status, testId }: { status: TxStatus | null; testId: string }) {
  if (!status) return null;
  const busy = status.stage !== "mined" && status.stage !== "failed";
  return (
    <div className={`tx-status stage-${status.stage}`} data-testid={testId} data-stage={status.stage} data-hash={status.hash ?? undefined} role="status" aria-live="polite">
      <span className="tx-stage">
        {busy && <span className="spinner" aria-hidden="true" />}
        {LABELS[status.stage]}
      </span>
      {/* A failure's sentence is shown once, by the screen's error box below (with its kind). */}
      {status.message && status.stage !== "failed" && <span className="tx-message"> {status.message}</span>}
      {status.hash && (
        <span className="tx-hash">
          {" "}
          <code title={status.hash}>{shortHash(status.hash)}</code> <CopyButton text={status.hash} />
        </span>
      )}
    </div>
  );
}
