import type { AttachRequest } from "../bindings";

/** The select's value for "Custom" (a factory and router typed in). */
export const CUSTOM_DEPLOYMENT = "custom";

export type AttachForm = {
  /** A preset id, or `CUSTOM_DEPLOYMENT`. */
  choice: string;
  factory: string;
  router: string;
  /** Optional; empty: let the check find it. */
  initCodeHash: string;
};

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const HASH = /^0x[0-9a-fA-F]{64}$/;

/**
 * The request `market_attach` takes for the form, through `rpcUrl` (the RPC
 * URL in the settings form), or the first problem as a sentence. Only the
 * shape is checked here; the Rust side checks the deployment on the node.
 */
export function attachRequest(rpcUrl: string, f: AttachForm): AttachRequest | string {
  const url = rpcUrl.trim();
  if (!/^(https?|wss?):\/\/[^\s]+$/i.test(url)) return "The RPC URL above must start with http://, https://, ws:// or wss://: the deployment is checked on that node.";
  if (f.choice !== CUSTOM_DEPLOYMENT) {
    if (f.choice.trim() === "") return "Choose a deployment.";
    return { rpcUrl: url, preset: f.choice, factory: null, router: null, initCodeHash: null };
  }
  const factory = f.factory.trim();
  const router = f.router.trim();
  const hash = f.initCodeHash.trim();
  if (!ADDRESS.test(factory)) return "The factory is an address: 0x followed by 40 hex digits.";
  if (!ADDRESS.test(router)) return "The router is an address: 0x followed by 40 hex digits.";
  if (hash !== "" && !HASH.test(hash)) return "The init code hash is 0x followed by 64 hex digits (or empty).";
  return { rpcUrl: url, preset: null, factory, router, initCodeHash: hash === "" ? null : hash };
}
