import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { AttachedView, Settings } from "../../bindings";
import { attachRequest, CUSTOM_DEPLOYMENT } from "../../lib/attach";
import { AppProvider } from "../../state/AppState";
import { baseHandlers, settings } from "../../test/fixtures";
import { callsTo, mockCommands } from "../../test/tauriCore";
import { SettingsScreen } from "../Settings";

vi.mock("@tauri-apps/api/core", () => import("../../test/tauriCore"));

type Handlers = Record<string, (args: Record<string, unknown>) => unknown>;

const FACTORY = "0x5C69bEe701ef814a2B6a3EDD4B1652CB9cc5aA6f";
const ROUTER = "0x7a250d5630B4cF539739dF2C5dAcb4c659F2488D";
const HASH = "0x96e8ac4277198ff8b6f785478aa9a39f403cb768dd02cbee326c3e7da348845f";
const attached: AttachedView = {
  manifestPath: "/home/me/.config/tidepool/deployments/uniswap-v2-ethereum.json",
  name: "Uniswap V2",
  chainId: 1,
  factory: FACTORY,
  router: ROUTER,
  weth: "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2",
  initCodeHash: HASH,
};

function renderSettings(handlers: Handlers) {
  mockCommands({ ...baseHandlers(), settings_save: (a) => a.settings as Settings, ...handlers });
  const user = userEvent.setup();
  render(
    <AppProvider>
      <SettingsScreen />
    </AppProvider>,
  );
  return user;
}

describe("Settings: attach another V2 deployment", () => {
  it("lists the presets with their chain ids, then Custom", async () => {
    renderSettings({});
    const select = await screen.findByTestId("settings-attach-preset");
    expect(within(select).getAllByRole("option").map((o) => o.textContent)).toEqual(["Uniswap V2 (chain 1)", "SushiSwap (chain 1)", "Custom (factory and router)"]);
    expect(select).toHaveValue("uniswap-v2-ethereum");
    expect(screen.getByTestId("settings-attach-preset-info")).toHaveTextContent(FACTORY);
    expect(screen.queryByTestId("settings-attach-factory")).toBeNull();
    expect(callsTo("market_presets")).toHaveLength(1);
  });

  it("attaches a preset through the form's RPC URL, fills manifest path and chain id, and saves only on Save", async () => {
    const user = renderSettings({ market_attach: () => attached });
    const rpc = await screen.findByTestId("settings-rpc-url");
    await user.clear(rpc);
    await user.type(rpc, "https://eth.example.org/rpc"); // not saved yet: the attach uses it anyway
    await user.selectOptions(await screen.findByTestId("settings-attach-preset"), "uniswap-v2-ethereum");
    await user.click(screen.getByTestId("settings-attach-submit"));

    const result = await screen.findByTestId("settings-attach-result");
    expect(callsTo("market_attach")).toEqual([{ req: { rpcUrl: "https://eth.example.org/rpc", preset: "uniswap-v2-ethereum", factory: null, router: null, initCodeHash: null } }]);
    expect(result).toHaveTextContent("Uniswap V2");
    expect(screen.getByTestId("settings-attach-result-weth")).toHaveTextContent(attached.weth);
    expect(screen.getByTestId("settings-attach-result-init-code-hash")).toHaveTextContent(HASH);
    expect(screen.getByTestId("settings-attach-result-manifest-path")).toHaveTextContent(attached.manifestPath);
    expect(screen.getByTestId("settings-attach-result-factory")).toHaveTextContent(FACTORY);
    expect(screen.getByTestId("settings-attach-result-router")).toHaveTextContent(ROUTER);
    expect(screen.getByTestId("settings-manifest-path")).toHaveValue(attached.manifestPath);
    expect(screen.getByTestId("settings-chain-id")).toHaveValue("1");
    expect(callsTo("settings_save")).toHaveLength(0);

    await user.click(screen.getByTestId("settings-save"));
    expect(await screen.findByTestId("settings-message")).toHaveTextContent("Saved");
    expect(callsTo("settings_save")).toEqual([
      { settings: { ...settings, rpcUrl: "https://eth.example.org/rpc", chainId: 1, manifestPath: attached.manifestPath }, password: null },
    ]);
  });

  it("attaches a custom factory and router (init code hash optional)", async () => {
    const user = renderSettings({ market_attach: () => ({ ...attached, name: "My fork", chainId: 31337, manifestPath: "/tmp/fork.json" }) });
    await user.selectOptions(await screen.findByTestId("settings-attach-preset"), CUSTOM_DEPLOYMENT);
    expect(screen.queryByTestId("settings-attach-preset-info")).toBeNull();
    await user.type(screen.getByTestId("settings-attach-factory"), FACTORY);
    await user.type(screen.getByTestId("settings-attach-router"), ` ${ROUTER} `);
    await user.click(screen.getByTestId("settings-attach-submit"));
    expect(await screen.findByTestId("settings-attach-result")).toHaveTextContent("My fork");
    expect(callsTo("market_attach")).toEqual([{ req: { rpcUrl: settings.rpcUrl, preset: null, factory: FACTORY, router: ROUTER, initCodeHash: null } }]);
    expect(screen.getByTestId("settings-manifest-path")).toHaveValue("/tmp/fork.json");
    expect(screen.getByTestId("settings-chain-id")).toHaveValue("31337");
  });

  it("shows the Rust side's error and leaves the form as it was", async () => {
    const user = renderSettings({
      market_attach: () => {
        throw { kind: "network", message: "No contract code at the factory 0x5C69…aA6f on chain 31337." };
      },
    });
    await user.click(await screen.findByTestId("settings-attach-submit"));
    const err = await screen.findByTestId("settings-attach-error");
    expect(err).toHaveTextContent("No contract code at the factory");
    expect(err).toHaveClass("error-box");
    expect(err).toHaveAttribute("data-kind", "network");
    expect(screen.queryByTestId("settings-attach-result")).toBeNull();
    expect(screen.getByTestId("settings-manifest-path")).toHaveValue("");
    expect(screen.getByTestId("settings-chain-id")).toHaveValue("31337");
  });

  it("refuses a malformed custom address before asking the node", async () => {
    const user = renderSettings({ market_attach: () => attached });
    await user.selectOptions(await screen.findByTestId("settings-attach-preset"), CUSTOM_DEPLOYMENT);
    await user.type(screen.getByTestId("settings-attach-factory"), "0x1234");
    await user.click(screen.getByTestId("settings-attach-submit"));
    expect(screen.getByTestId("settings-attach-error")).toHaveTextContent("factory");
    expect(callsTo("market_attach")).toHaveLength(0);
  });

  it("offers Custom when the presets cannot be read, and says why", async () => {
    renderSettings({
      market_presets: () => {
        throw { kind: "internal", message: "presets unavailable" };
      },
    });
    expect(await screen.findByTestId("settings-attach-presets-error")).toHaveTextContent("presets unavailable");
    const select = screen.getByTestId("settings-attach-preset");
    expect(select).toHaveValue(CUSTOM_DEPLOYMENT);
    await waitFor(() => expect(screen.getByTestId("settings-attach-factory")).toBeInTheDocument());
  });
});

describe("attachRequest", () => {
  const form = { choice: "sushiswap-ethereum", factory: "", router: "", initCodeHash: "" };
  it("sends a preset by id only", () => {
    expect(attachRequest(" http://127.0.0.1:8545 ", form)).toEqual({ rpcUrl: "http://127.0.0.1:8545", preset: "sushiswap-ethereum", factory: null, router: null, initCodeHash: null });
  });
  it("needs an RPC URL the node can be reached at", () => {
    expect(attachRequest("", form)).toMatch(/RPC URL/);
    expect(attachRequest("localhost:8545", form)).toMatch(/RPC URL/);
  });
  it("checks the custom fields' shape", () => {
    const custom = { choice: CUSTOM_DEPLOYMENT, factory: FACTORY, router: ROUTER, initCodeHash: "" };
    expect(attachRequest("ws://node:8546", { ...custom, initCodeHash: ` ${HASH} ` })).toEqual({ rpcUrl: "ws://node:8546", preset: null, factory: FACTORY, router: ROUTER, initCodeHash: HASH });
    expect(attachRequest("ws://node:8546", { ...custom, router: "router" })).toMatch(/router/);
    expect(attachRequest("ws://node:8546", { ...custom, initCodeHash: "0x12" })).toMatch(/init code hash/);
  });
});
