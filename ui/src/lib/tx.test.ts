import { describe, expect, it, vi } from "vitest";
import type { AppError, TxResult, TxStatus } from "../bindings";
import type { Result } from "./result";
import { Channel } from "@tauri-apps/api/core";
import { runTx } from "./tx";
import { settle, toAppError } from "./errors";

vi.mock("@tauri-apps/api/core", () => import("../test/tauriCore"));

const ok = (data: TxResult): Result<TxResult, AppError> => ({ status: "ok", data });

describe("runTx", () => {
  it("forwards streamed stages and ends in failed when the command fails silently", async () => {
    const seen: TxStatus[] = [];
    const out = await runTx(async (ch: Channel<TxStatus>) => {
      ch.onmessage({ stage: "signing", message: "Signing", hash: null });
      return { status: "error", error: { kind: "revert", message: "TRANSFER_FAILED" } };
    }, (s) => seen.push(s));
    expect(out).toEqual({ ok: false, error: { kind: "revert", message: "TRANSFER_FAILED" } });
    expect(seen.map((s) => s.stage)).toEqual(["checking", "signing", "failed"]);
    expect(seen.at(-1)?.message).toBe("TRANSFER_FAILED");
  });

  it("ends in mined with the hash when the command succeeds", async () => {
    const seen: TxStatus[] = [];
    const hash = "0x" + "77".repeat(32);
    const out = await runTx(async () => ok({ hash, block: 9, gasUsed: 1, changes: [], feePaidWei: "21000", check: null }), (s) => seen.push(s));
    expect(out.ok).toBe(true);
    expect(seen.at(-1)).toEqual({ stage: "mined", message: "Mined in block 9", hash });
  });
});

describe("errors", () => {
  it("turns anything a command rejects with into an AppError", async () => {
    expect(toAppError("command swap_quote not found")).toEqual({ kind: "internal", message: "command swap_quote not found" });
    expect(toAppError({ kind: "bogus", message: "x" })).toEqual({ kind: "internal", message: "x" });
    expect(await settle(Promise.reject(new Error("IPC down")))).toEqual({ ok: false, error: { kind: "internal", message: "IPC down" } });
  });
});
