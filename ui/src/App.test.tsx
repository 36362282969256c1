import { act, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import App from "./App";
import type { AppEvent } from "./bindings";
import { baseHandlers, DEV0, devWallet, status } from "./test/fixtures";
import { callsTo, channels, mockCommands } from "./test/tauriCore";

vi.mock("@tauri-apps/api/core", () => import("./test/tauriCore"));

const send = (ev: AppEvent) => act(() => (channels[0] as unknown as { onmessage: (e: AppEvent) => void }).onmessage(ev));

describe("App shell and status bar", () => {
  it("marks #app ready after status() and shows connection, block, index and account", async () => {
    mockCommands(baseHandlers());
    render(<App />);
    await waitFor(() => expect(document.getElementById("app")).toHaveAttribute("data-ready", "true"));
    expect(screen.getByTestId("status-connection")).toHaveAttribute("data-state", "connected");
    expect(screen.getByTestId("status-block")).toHaveTextContent("42");
    expect(screen.getByTestId("status-index")).toHaveTextContent("40/42");
    expect(screen.getByTestId("status-account")).toHaveTextContent(`${DEV0.slice(0, 6)}…${DEV0.slice(-4)}`);
    expect(screen.getByTestId("status-account")).toHaveTextContent("test-only");
    expect(callsTo("subscribe")).toHaveLength(1);
  });

  it("follows events: blocks, index, chain mismatch, auto-lock", async () => {
    mockCommands(baseHandlers());
    render(<App />);
    await waitFor(() => expect(document.getElementById("app")).toHaveAttribute("data-ready", "true"));
    send({ kind: "block", number: 43 });
    expect(screen.getByTestId("status-block")).toHaveTextContent("43");
    send({ kind: "index", progress: { checkpoint: 43, target: 43, following: true, events: 12, error: null } });
    expect(screen.getByTestId("status-index")).toHaveTextContent("following");
    const problem = "The node is on chain 1 but Settings expect 31337: sending is blocked.";
    send({ kind: "connection", state: { ...status().connection, chainId: 1, chainMatches: false, problem } });
    expect(screen.getByTestId("status-connection")).toHaveAttribute("data-state", "mismatch");
    expect(screen.getByTestId("status-connection")).toHaveTextContent(problem);
    send({ kind: "wallet", state: { ...devWallet, hasKeystore: true, unlocked: false, active: null } });
    expect(screen.getByTestId("status-account")).toHaveTextContent("Locked");
  });

  it("shows a disconnected node with its problem sentence", async () => {
    mockCommands(
      baseHandlers({
        connection: { ...status().connection, connected: false, chainId: null, blockNumber: null, problem: "Cannot reach http://127.0.0.1:8545." },
      }),
    );
    render(<App />);
    // Before status() answers the bar already reads "disconnected" ("Connecting…"): wait for the sentence.
    await waitFor(() => expect(screen.getByTestId("status-connection")).toHaveTextContent("Cannot reach"));
    expect(screen.getByTestId("status-connection")).toHaveAttribute("data-state", "disconnected");
  });

  it("navigates with the tabs and locks from the status bar", async () => {
    mockCommands({ ...baseHandlers(), wallet_lock: () => ({ ...devWallet, active: null }) });
    const user = userEvent.setup();
    render(<App />);
    await waitFor(() => expect(document.getElementById("app")).toHaveAttribute("data-ready", "true"));
    await user.click(screen.getByTestId("nav-wallet"));
    expect(screen.getByRole("heading", { name: "Wallet" })).toBeInTheDocument();
    await user.click(screen.getByTestId("status-lock"));
    await waitFor(() => expect(screen.getByTestId("status-account")).toHaveTextContent("No account"));
    expect(callsTo("wallet_lock")).toHaveLength(1);
  });

  it("reaches Approvals from the navigation and the transactions panel from the status bar", async () => {
    mockCommands({ ...baseHandlers(), approvals_list: () => [], tx_list: () => [] });
    const user = userEvent.setup();
    render(<App />);
    await waitFor(() => expect(document.getElementById("app")).toHaveAttribute("data-ready", "true"));
    await user.click(screen.getByTestId("nav-approvals"));
    expect(screen.getByRole("heading", { name: "Approvals" })).toBeInTheDocument();
    expect(await screen.findByTestId("approvals-empty")).toBeInTheDocument();
    await user.click(screen.getByTestId("pending-button"));
    expect(await screen.findByTestId("pending-empty")).toHaveTextContent("No transactions");
    await user.click(screen.getByTestId("nav-swap"));
    expect(screen.getByTestId("pending-panel")).toBeInTheDocument();
  });
});
