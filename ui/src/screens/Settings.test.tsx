import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Settings } from "../bindings";
import { AppProvider } from "../state/AppState";
import { baseHandlers, settings } from "../test/fixtures";
import { callsTo, mockCommands } from "../test/tauriCore";
import { SettingsScreen } from "./Settings";

vi.mock("@tauri-apps/api/core", () => import("../test/tauriCore"));

describe("Settings", () => {
  it("validates inline, saves, and shows the backend's error", async () => {
    let fail = false;
    mockCommands({
      ...baseHandlers(),
      settings_save: (a) => {
        if (fail) throw { kind: "network", message: "Cannot reach http://127.0.0.1:9999." };
        return a.settings as Settings;
      },
    });
    const user = userEvent.setup();
    render(
      <AppProvider>
        <SettingsScreen />
      </AppProvider>,
    );
    const chain = await screen.findByTestId("settings-chain-id");
    await user.clear(chain);
    await user.type(chain, "abc");
    await user.click(screen.getByTestId("settings-save"));
    expect(screen.getByTestId("settings-error")).toHaveTextContent("chain id");
    expect(callsTo("settings_save")).toHaveLength(0);

    await user.clear(chain);
    await user.type(chain, "1");
    await user.click(screen.getByTestId("settings-allow-high-impact"));
    await user.type(screen.getByTestId("settings-manifest-path"), "/tmp/deploy.json{Enter}");
    expect(await screen.findByTestId("settings-message")).toHaveTextContent("Saved");
    expect(callsTo("settings_save")[0]).toEqual({ settings: { ...settings, chainId: 1, allowHighImpact: true, manifestPath: "/tmp/deploy.json" }, password: null });

    fail = true;
    const rpc = screen.getByTestId("settings-rpc-url");
    await user.clear(rpc);
    await user.type(rpc, "http://127.0.0.1:9999");
    await user.click(screen.getByTestId("settings-save"));
    await waitFor(() => expect(screen.getByTestId("settings-error")).toHaveTextContent("Cannot reach http://127.0.0.1:9999."));
  });

  it("asks for the wallet password when the Rust side says the change weakens protection", async () => {
    mockCommands({
      ...baseHandlers(),
      settings_save: (a) => {
        if (a.password !== "correct horse") throw { kind: "passwordRequired", message: "a slippage above 5% weakens your protection: enter the wallet password to save it" };
        return a.settings as Settings;
      },
    });
    const user = userEvent.setup();
    render(
      <AppProvider>
        <SettingsScreen />
      </AppProvider>,
    );
    const slip = await screen.findByTestId("settings-slippage");
    await user.clear(slip);
    await user.type(slip, "20");
    await user.click(screen.getByTestId("settings-save"));
    expect(await screen.findByTestId("settings-error")).toHaveTextContent("enter the wallet password");
    await user.type(screen.getByTestId("settings-password"), "correct horse");
    await user.click(screen.getByTestId("settings-save"));
    expect(await screen.findByTestId("settings-message")).toHaveTextContent("Saved");
    const calls = callsTo("settings_save");
    expect(calls).toHaveLength(2);
    expect(calls[1]).toEqual({ settings: { ...settings, slippageBps: 2000 }, password: "correct horse" });
    expect(screen.queryByTestId("settings-password")).toBeNull();
  });

  it("saves the default fee and the fee cap (empty: no cap), and refuses a malformed cap", async () => {
    mockCommands({ ...baseHandlers(), settings_save: (a) => a.settings as Settings });
    const user = userEvent.setup();
    render(
      <AppProvider>
        <SettingsScreen />
      </AppProvider>,
    );
    const cap = await screen.findByTestId("settings-fee-cap");
    expect(cap).toHaveValue("");
    expect(screen.getByTestId("settings-fee-speed")).toHaveValue("normal");
    await user.type(cap, "5O");
    await user.click(screen.getByTestId("settings-save"));
    expect(screen.getByTestId("settings-error")).toHaveTextContent("Fee cap");
    expect(callsTo("settings_save")).toHaveLength(0);

    await user.clear(cap);
    await user.type(cap, " 42.5 ");
    await user.selectOptions(screen.getByTestId("settings-fee-speed"), "fast");
    await user.click(screen.getByTestId("settings-save"));
    expect(await screen.findByTestId("settings-message")).toHaveTextContent("Saved");
    expect(callsTo("settings_save")[0]).toEqual({ settings: { ...settings, feeSpeed: "fast", feeCapGwei: "42.5" }, password: null });
    expect(screen.getByTestId("settings-fee-cap")).toHaveValue("42.5");
  });

  it("removing the fee cap goes through the password flow and saves null", async () => {
    mockCommands({
      ...baseHandlers(),
      settings_get: () => ({ ...settings, feeCapGwei: "30" }),
      settings_save: (a) => {
        const next = a.settings as Settings;
        if (next.feeCapGwei === null && a.password !== "correct horse") {
          throw { kind: "passwordRequired", message: "removing the fee cap weakens your protection: enter the wallet password to save it" };
        }
        return next;
      },
    });
    const user = userEvent.setup();
    render(
      <AppProvider>
        <SettingsScreen />
      </AppProvider>,
    );
    const cap = await screen.findByTestId("settings-fee-cap");
    await waitFor(() => expect(cap).toHaveValue("30"));
    await user.clear(cap);
    await user.click(screen.getByTestId("settings-save"));
    expect(await screen.findByTestId("settings-error")).toHaveTextContent("removing the fee cap");
    await user.type(screen.getByTestId("settings-password"), "correct horse");
    await user.click(screen.getByTestId("settings-save"));
    expect(await screen.findByTestId("settings-message")).toHaveTextContent("Saved");
    expect(callsTo("settings_save")).toEqual([
      { settings: { ...settings, feeCapGwei: null }, password: null },
      { settings: { ...settings, feeCapGwei: null }, password: "correct horse" },
    ]);
  });
});
