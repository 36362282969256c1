import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import type { FeeSelection } from "../bindings";
import { presetFee } from "../lib/fees";
import { AppProvider } from "../state/AppState";
import { baseHandlers, feeOptions, GWEI } from "../test/fixtures";
import { mockCommands } from "../test/tauriCore";
import { FeeSelector } from "./FeeSelector";

vi.mock("@tauri-apps/api/core", () => import("../test/tauriCore"));

function Harness({ seen }: { seen: (f: FeeSelection) => void }) {
  const [fee, setFee] = useState<FeeSelection>(presetFee("normal"));
  return (
    <FeeSelector
      value={fee}
      onChange={(f) => {
        setFee(f);
        seen(f);
      }}
    />
  );
}

function setup(handlers: Record<string, (a: Record<string, unknown>) => unknown> = {}) {
  mockCommands({ ...baseHandlers(), ...handlers });
  const seen = vi.fn<(f: FeeSelection) => void>();
  render(
    <AppProvider>
      <Harness seen={seen} />
    </AppProvider>,
  );
  return { user: userEvent.setup(), seen };
}

describe("FeeSelector", () => {
  it("shows each preset's max fee and tip in gwei, the base fee and the cap", async () => {
    setup({ fee_options: () => feeOptions({ capWei: String(25n * GWEI) }) });
    await waitFor(() => expect(screen.getByTestId("fee-slow")).toHaveTextContent("Slow 20.1 gwei · tip 0.1"));
    expect(screen.getByTestId("fee-normal")).toHaveTextContent("Normal 21 gwei · tip 1");
    expect(screen.getByTestId("fee-fast")).toHaveTextContent("Fast 23 gwei · tip 3");
    expect(screen.getByTestId("fee-normal")).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByTestId("fee-base")).toHaveTextContent("Base fee now: 10 gwei");
    expect(screen.getByTestId("fee-cap")).toHaveTextContent("Cap: 25 gwei");
  });

  it("yields the preset picked, then custom values typed in gwei", async () => {
    const { user, seen } = setup();
    await waitFor(() => expect(screen.getByTestId("fee-fast")).toHaveTextContent("23 gwei"));
    await user.click(screen.getByTestId("fee-fast"));
    expect(seen).toHaveBeenLastCalledWith({ speed: "fast", maxFeeGwei: null, priorityFeeGwei: null });
    expect(screen.queryByTestId("fee-max")).toBeNull();

    await user.click(screen.getByTestId("fee-custom"));
    expect(seen).toHaveBeenLastCalledWith({ speed: "fast", maxFeeGwei: "23", priorityFeeGwei: "3" });
    expect(screen.getByTestId("fee-custom")).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByTestId("fee-fast")).toHaveAttribute("aria-pressed", "false");
    await user.clear(screen.getByTestId("fee-max"));
    await user.type(screen.getByTestId("fee-max"), "30.25x");
    expect(screen.getByTestId("fee-max")).toHaveValue("30.25");
    expect(screen.getByTestId("fee-max-error")).toHaveTextContent("Only digits");
    await user.clear(screen.getByTestId("fee-priority"));
    expect(seen).toHaveBeenLastCalledWith({ speed: "fast", maxFeeGwei: "30.25", priorityFeeGwei: null });
    await user.type(screen.getByTestId("fee-priority"), "1.");
    expect(seen).toHaveBeenLastCalledWith({ speed: "fast", maxFeeGwei: "30.25", priorityFeeGwei: "1" });

    await user.click(screen.getByTestId("fee-slow"));
    expect(seen).toHaveBeenLastCalledWith({ speed: "slow", maxFeeGwei: null, priorityFeeGwei: null });
    expect(screen.queryByTestId("fee-max")).toBeNull();
  });

  it("says why the presets are missing when feeOptions fails, and still offers the choice", async () => {
    const { user, seen } = setup({
      fee_options: () => {
        throw { kind: "network", message: "Cannot reach http://127.0.0.1:8545." };
      },
    });
    expect(await screen.findByTestId("fee-error")).toHaveTextContent("Cannot reach");
    expect(screen.getByTestId("fee-normal")).toHaveTextContent(/^Normal$/);
    await user.click(screen.getByTestId("fee-custom"));
    expect(screen.getByTestId("fee-max")).toHaveValue("");
    expect(seen).toHaveBeenLastCalledWith({ speed: "normal", maxFeeGwei: null, priorityFeeGwei: null });
  });

  it("on a chain without EIP-1559 shows gas prices without a tip and offers no custom fee", async () => {
    setup({ fee_options: () => feeOptions({ baseFeeWei: null, presets: feeOptions().presets.map((p) => ({ ...p, priorityFeeWei: "0" })) }) });
    await waitFor(() => expect(screen.getByTestId("fee-fast")).toHaveTextContent(/^Fast 23 gwei$/));
    expect(screen.getByTestId("fee-custom")).toBeDisabled();
    expect(screen.queryByTestId("fee-base")).toBeNull();
  });
});
