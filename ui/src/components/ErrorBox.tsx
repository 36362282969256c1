import { useEffect, useRef } from "react";
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

/** An error, brought into view when it appears or changes: it may sit at the
 * top of a screen the person scrolled down to act on (the Wallet's unlock). */
export function ErrorBox({ error, testId }: { error: AppError | null; testId: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // jsdom has no scrollIntoView.
    box.current?.scrollIntoView?.({ block: "nearest" });
  }, [error]);
  if (!error) return null;
  return (
    <div ref={box} className={`error-box kind-${error.kind}`} role="alert" data-testid={testId} data-kind={error.kind}>
      <strong>{TITLES[error.kind]}: </strong>
      <span>{error.message}</span>
    </div>
  );
}
