import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { AmountInput } from "./AmountInput";
import { PriceImpact } from "./PriceImpact";
import { TxStatusView } from "./TxStatusView";

function Harness({ decimals, onValue }: { decimals: number; onValue?: (v: string) => void }) {
  const [v, setV] = useState("");
  return (
    <AmountInput
      id="amt"
      label="Amount"
      testId="amt"
      value={v}
      decimals={decimals}
      onChange={(x) => {
        setV(x);
        onValue?.(x);
      }}
    />
  );
}

describe("AmountInput", () => {
  it("refuses the keystroke that exceeds the token's decimals and says why", async () => {
    const user = userEvent.setup();
    render(<Harness decimals={6} />);
    const input = screen.getByTestId("amt");
    await user.type(input, "1.2345678");
    expect(input).toHaveValue("1.234567");
    expect(screen.getByTestId("amt-error")).toHaveTextContent("At most 6 decimals");
    expect(input).toHaveAttribute("aria-invalid", "true");
  });

  it("refuses letters, keeps the last valid value, and clears the message on the next valid key", async () => {
    const user = userEvent.setup();
    render(<Harness decimals={18} />);
    const input = screen.getByTestId("amt");
    await user.type(input, "12x");
    expect(input).toHaveValue("12");
    expect(screen.getByTestId("amt-error")).toHaveTextContent("Only digits");
    await user.type(input, "3");
    expect(input).toHaveValue("123");
    expect(screen.getByTestId("amt-error")).toHaveTextContent(/^$/);
  });

  it("turns '.' into '0.' and strips leading zeros", async () => {
    const user = userEvent.setup();
    const seen = vi.fn();
    render(<Harness decimals={18} onValue={seen} />);
    const input = screen.getByTestId("amt");
    await user.type(input, ".5");
    expect(input).toHaveValue("0.5");
    await user.clear(input);
    await user.type(input, "007");
    expect(input).toHaveValue("7");
    expect(seen).toHaveBeenLastCalledWith("7");
  });

  it("accepts only whole numbers for a 0-decimals token", async () => {
    const user = userEvent.setup();
    render(<Harness decimals={0} />);
    const input = screen.getByTestId("amt");
    await user.type(input, "42.");
    expect(input).toHaveValue("42");
    expect(screen.getByTestId("amt-error")).toHaveTextContent("no decimals");
    await user.type(input, "5");
    expect(input).toHaveValue("425");
  });

  it("is labelled for assistive tech", () => {
    render(<Harness decimals={6} />);
    expect(screen.getByLabelText("Amount")).toBe(screen.getByTestId("amt"));
  });
});

describe("PriceImpact", () => {
  it("shows the percentage and tier", () => {
    render(<PriceImpact bps={1234} tier="confirm" />);
    const el = screen.getByTestId("swap-price-impact");
    expect(el).toHaveAttribute("data-tier", "confirm");
    expect(el).toHaveTextContent("12.34%");
    expect(el).toHaveTextContent("confirm");
  });

  it("explains a blocked swap and shows no warning under 1%", () => {
    const { rerender } = render(<PriceImpact bps={1600} tier="blocked" />);
    expect(screen.getByTestId("swap-price-impact")).toHaveAttribute("data-tier", "blocked");
    expect(screen.getByTestId("swap-price-impact")).toHaveTextContent("refused");
    rerender(<PriceImpact bps={99} tier="none" />);
    expect(screen.getByTestId("swap-price-impact")).toHaveAttribute("data-tier", "none");
    expect(screen.getByTestId("swap-price-impact")).toHaveTextContent(/^Price impact0\.99%$/);
  });
});

describe("TxStatusView", () => {
  it("exposes the stage and the hash", () => {
    render(<TxStatusView testId="st" status={{ stage: "sent", message: "Waiting for the block", hash: "0x" + "ab".repeat(32) }} />);
    const el = screen.getByTestId("st");
    expect(el).toHaveAttribute("data-stage", "sent");
    expect(el).toHaveTextContent("Sent");
    expect(el).toHaveTextContent("0xabababab…");
  });

  it("leaves a failure's sentence to the error box but keeps the hash", () => {
    render(<TxStatusView testId="st" status={{ stage: "failed", message: "slippage exceeded", hash: "0x" + "cd".repeat(32) }} />);
    const el = screen.getByTestId("st");
    expect(el).toHaveAttribute("data-stage", "failed");
    expect(el).toHaveTextContent("Failed");
    expect(el).toHaveTextContent("0xcdcdcdcd…");
    expect(el).not.toHaveTextContent("slippage exceeded");
  });
});
