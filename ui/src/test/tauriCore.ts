// Stand-in for "@tauri-apps/api/core" in tests: `vi.mock("@tauri-apps/api/core", () => import("../test/tauriCore"))`.
import { vi } from "vitest";

type Handler = (args: Record<string, unknown>) => unknown;

let handlers: Record<string, Handler> = {};
export const channels: Channel<unknown>[] = [];

/** Sets the command handlers (by Rust command name). A handler may throw an AppError object to fail. */
export function mockCommands(h: Record<string, Handler>): void {
  handlers = h;
  channels.length = 0;
  invoke.mockClear();
}

export const invoke = vi.fn(async (cmd: string, args?: Record<string, unknown>) => {
  const h = handlers[cmd];
  if (!h) throw { kind: "internal", message: `no mock for ${cmd}` };
  return h(args ?? {});
});

let nextId = 1;
export class Channel<T = unknown> {
  id = nextId++;
  onmessage: (response: T) => void = () => {};
  constructor(onmessage?: (response: T) => void) {
    if (onmessage) this.onmessage = onmessage;
    channels.push(this as Channel<unknown>);
  }
}

/** Calls made to a command, as argument objects. */
export function callsTo(cmd: string): Record<string, unknown>[] {
  return invoke.mock.calls.filter((c) => c[0] === cmd).map((c) => c[1] ?? {});
}
