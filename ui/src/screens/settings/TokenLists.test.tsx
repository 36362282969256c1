import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { TokenListView } from "../../bindings";
import { AppProvider } from "../../state/AppState";
import { baseHandlers } from "../../test/fixtures";
import { callsTo, mockCommands } from "../../test/tauriCore";
import { SettingsScreen } from "../Settings";
import { publishedDate } from "./TokenLists";

vi.mock("@tauri-apps/api/core", () => import("../../test/tauriCore"));

type Handlers = Record<string, (args: Record<string, unknown>) => unknown>;

const DEVNET: TokenListView = { name: "Tidepool Devnet", version: "1.0.0", tokens: 3, onThisChain: 3, published: "2025-01-15T12:00:00Z" };
const UNI: TokenListView = { name: "Uniswap Labs Default", version: "12.4.0", tokens: 1482, onThisChain: 0, published: "2024-11-02T08:30:00.000Z" };

function renderSettings(handlers: Handlers) {
  mockCommands({ ...baseHandlers(), ...handlers });
  const user = userEvent.setup();
  render(
    <AppProvider>
      <SettingsScreen />
    </AppProvider>,
  );
  return user;
}

const rows = () => screen.getAllByTestId("token-list-row").map((r) => within(r).getAllByRole("cell").map((c) => c.textContent));

describe("Settings: token lists", () => {
  it("lists the imported lists with name, version, tokens, on this chain and publication date", async () => {
    renderSettings({ token_lists: () => [DEVNET, UNI] });
    await waitFor(() => expect(screen.getAllByTestId("token-list-row")).toHaveLength(2));
    expect(within(screen.getByTestId("token-lists-table")).getAllByRole("columnheader").map((h) => h.textContent)).toEqual([
      "Name",
      "Version",
      "Tokens",
      "On this chain",
      "Published",
    ]);
    expect(rows()).toEqual([
      ["Tidepool Devnet", "1.0.0", "3", "3", "2025-01-15"],
      ["Uniswap Labs Default", "12.4.0", "1,482", "0", "2024-11-02"],
    ]);
  });

  it("says so when no list is imported", async () => {
    renderSettings({});
    expect(await screen.findByTestId("token-lists-empty")).toHaveTextContent("No token list imported");
  });

  it("imports from a URL, says what it got, and refreshes the lists and the tokens", async () => {
    let lists: TokenListView[] = [DEVNET];
    const user = renderSettings({
      token_lists: () => lists,
      token_list_import: () => {
        lists = [DEVNET, UNI];
        return UNI;
      },
    });
    await waitFor(() => expect(screen.getAllByTestId("token-list-row")).toHaveLength(1));
    const tokensBefore = callsTo("tokens_list").length;
    await user.type(screen.getByTestId("token-list-source"), "  https://tokens.uniswap.org  ");
    await user.click(screen.getByTestId("token-list-import"));
    expect(await screen.findByTestId("token-list-import-message")).toHaveTextContent("Imported Uniswap Labs Default 12.4.0: 1482 tokens, 0 on this chain.");
    expect(callsTo("token_list_import")).toEqual([{ source: "https://tokens.uniswap.org" }]);
    await waitFor(() => expect(screen.getAllByTestId("token-list-row")).toHaveLength(2));
    expect(callsTo("token_lists")).toHaveLength(2);
    await waitFor(() => expect(callsTo("tokens_list").length).toBeGreaterThan(tokensBefore));
    expect(screen.getByTestId("token-list-source")).toHaveValue("");
    expect(screen.queryByTestId("token-list-import-error")).toBeNull();
  });

  it("shows the Rust side's error and keeps the lists and the field as they were", async () => {
    const user = renderSettings({
      token_lists: () => [DEVNET],
      token_list_import: () => {
        throw { kind: "input", message: "Not a token list: tokens[2].decimals is 300 (at most 255)." };
      },
    });
    await waitFor(() => expect(screen.getAllByTestId("token-list-row")).toHaveLength(1));
    await user.type(screen.getByTestId("token-list-source"), "/home/me/bad-list.json{Enter}");
    const err = await screen.findByTestId("token-list-import-error");
    expect(err).toHaveTextContent("Not a token list: tokens[2].decimals is 300 (at most 255).");
    expect(err).toHaveAttribute("data-kind", "input");
    expect(callsTo("token_list_import")).toEqual([{ source: "/home/me/bad-list.json" }]);
    expect(screen.getByTestId("token-list-source")).toHaveValue("/home/me/bad-list.json");
    expect(screen.getAllByTestId("token-list-row")).toHaveLength(1);
    expect(screen.queryByTestId("token-list-import-message")).toBeNull();
    expect(callsTo("token_lists")).toHaveLength(1);
  });

  it("asks for a path or URL before calling the Rust side", async () => {
    const user = renderSettings({ token_list_import: () => UNI });
    await user.click(await screen.findByTestId("token-list-import"));
    expect(screen.getByTestId("token-list-import-error")).toHaveTextContent("file or an http(s) URL");
    expect(callsTo("token_list_import")).toHaveLength(0);
  });

  it("shows why the lists cannot be read", async () => {
    renderSettings({
      token_lists: () => {
        throw { kind: "internal", message: "cannot read token-lists.json" };
      },
    });
    expect(await screen.findByTestId("token-lists-error")).toHaveTextContent("cannot read token-lists.json");
  });
});

describe("publishedDate", () => {
  it("keeps the date of an ISO 8601 time, and any other text as it is", () => {
    expect(publishedDate("2025-01-15T12:00:00Z")).toBe("2025-01-15");
    expect(publishedDate("2025-01-15")).toBe("2025-01-15");
    expect(publishedDate("yesterday")).toBe("yesterday");
  });
});
