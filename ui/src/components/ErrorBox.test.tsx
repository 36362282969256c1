import { render, screen } from "@testing-library/react";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import type { AppError } from "../bindings";
import { ErrorBox } from "./ErrorBox";

const wrong: AppError = { kind: "wallet", message: "wrong wallet password" };

describe("ErrorBox", () => {
  const scroll = vi.fn();
  const original = Element.prototype.scrollIntoView;
  Element.prototype.scrollIntoView = scroll;
  afterEach(() => {
    scroll.mockClear();
  });
  afterAll(() => {
    Element.prototype.scrollIntoView = original;
  });

  it("shows nothing without an error and scrolls nothing", () => {
    render(<ErrorBox error={null} testId="e" />);
    expect(screen.queryByTestId("e")).toBeNull();
    expect(scroll).not.toHaveBeenCalled();
  });

  it("brings an error into view when it appears and when it changes, not on other renders", () => {
    const { rerender } = render(<ErrorBox error={null} testId="e" />);
    rerender(<ErrorBox error={wrong} testId="e" />);
    expect(screen.getByTestId("e")).toHaveTextContent("Wallet: wrong wallet password");
    expect(scroll).toHaveBeenCalledTimes(1);
    expect(scroll).toHaveBeenCalledWith({ block: "nearest" });
    rerender(<ErrorBox error={wrong} testId="e" />);
    expect(scroll).toHaveBeenCalledTimes(1);
    rerender(<ErrorBox error={{ kind: "wallet", message: "wrong wallet password" }} testId="e" />);
    expect(scroll).toHaveBeenCalledTimes(2);
  });
});
