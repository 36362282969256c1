import type { AppError } from "../bindings";

const TITLES: Record<AppError["kind"], string> = {
  input: "Check your input",
  wallet: "Wallet",
  passwordRequired: "Password needed",
  network: "Network problem",
  chainMismatch: "Wrong chain",
  revert: "Transaction would fail",
  slippage: "Price moved",
  priceImpact: "Price impact",
  unverifiedToken: "Unverified token",
  internal: "Error",
};

export function ErrorBox({ error, testId }: { error: AppError | null; testId: string }) {
  if (!error) return null;
  return (
    <div className={`error-box kind-${error.kind}`} role="alert" data-testid={testId} data-kind={error.kind}>
      <strong>{TITLES[error.kind]}: </strong>
      <span>{error.message}</span>
    </div>
  );
}
