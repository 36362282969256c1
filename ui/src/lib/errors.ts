import type { AppError, ErrorKind } from "../bindings";
import type { Result } from "./result";

const KINDS: readonly ErrorKind[] = [
  "input",
  "wallet",
  "passwordRequired",
  "network",
  "chainMismatch",
  "revert",
  "slippage",
  "priceImpact",
  "unverifiedToken",
  "internal",
];

/** Whatever a command rejected with, as an AppError a person can read. */
export function toAppError(e: unknown): AppError {
  if (typeof e === "object" && e !== null && "message" in e) {
    const rec = e as { kind?: unknown; message?: unknown };
    const message = typeof rec.message === "string" ? rec.message : String(rec.message);
    const kind = KINDS.find((k) => k === rec.kind) ?? "internal";
    return { kind, message };
  }
  if (typeof e === "string") return { kind: "internal", message: e };
  return { kind: "internal", message: "Unexpected error" };
}

export type Outcome<T> = { ok: true; data: T } | { ok: false; error: AppError };

/** Awaits a command and never throws: thrown errors become AppErrors too. */
export async function settle<T>(p: Promise<Result<T, AppError>>): Promise<Outcome<T>> {
  try {
    const r = await p;
    if (r.status === "ok") return { ok: true, data: r.data };
    return { ok: false, error: toAppError(r.error) };
  } catch (e) {
    return { ok: false, error: toAppError(e) };
  }
}

/**
 * `settle` for the commands generated without an error type (they resolve
 * to the value itself, e.g. `marketPresets`, and reject on failure).
 */
export async function settleValue<T>(p: Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, data: await p };
  } catch (e) {
    return { ok: false, error: toAppError(e) };
  }
}
