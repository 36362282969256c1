import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { WalletState } from "../bindings";
import { isValidPhrase } from "../lib/mnemonic";
import { AppProvider } from "../state/AppState";
import { baseHandlers, DEV0, DEV1, devWallet } from "../test/fixtures";
import { callsTo, mockCommands } from "../test/tauriCore";
import { Wallet } from "./Wallet";

vi.mock("@tauri-apps/api/core", () => import("../test/tauriCore"));

const created: WalletState = {
  hasKeystore: true,
  unlocked: true,
  accounts: [{ address: "0x1111111111111111111111111111111111111111", label: "Main", kind: "keystore", testOnly: false }],
  active: "0x1111111111111111111111111111111111111111",
  autoLockMins: 15,
  remote: null,
};

async function setup(handlers: Record<string, (a: Record<string, unknown>) => unknown> = {}, wallet: WalletState = devWallet) {
  mockCommands({ ...baseHandlers({ wallet }), ...handlers });
  const user = userEvent.setup();
  render(
    <AppProvider>
      <Wallet />
    </AppProvider>,
  );
  await screen.findByTestId("wallet-create-start");
  return user;
}

/** Reads the 12 shown words, goes on, and returns the asked positions. */
async function showAndNext(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByTestId("wallet-create-start"));
  const words = Array.from({ length: 12 }, (_, i) => screen.getByTestId(`wallet-create-word-${i + 1}`).textContent ?? "");
  await user.click(screen.getByTestId("wallet-create-next"));
  const asked = Array.from({ length: 12 }, (_, i) => i + 1).filter((i) => screen.queryByTestId(`wallet-create-confirm-${i}`));
  return { words, asked };
}

describe("Wallet: create", () => {
  it("shows a valid 12-word phrase and asks for 3 of its words", async () => {
    const user = await setup();
    const { words, asked } = await showAndNext(user);
    expect(words.every((w) => /^[a-z]+$/.test(w))).toBe(true);
    expect(isValidPhrase(words.join(" "))).toBe(true);
    expect(asked).toHaveLength(3);
  });

  it("refuses wrong confirmation words and does not create the account", async () => {
    const user = await setup({ wallet_create: () => created });
    const { words, asked } = await showAndNext(user);
    const [p1, p2, p3] = asked as [number, number, number];
    await user.type(screen.getByTestId(`wallet-create-confirm-${p1}`), words[p1 - 1] ?? "");
    await user.type(screen.getByTestId(`wallet-create-confirm-${p2}`), words[p2 - 1] ?? "");
    const wrong = words[p3 - 1] === "zoo" ? "abandon" : "zoo";
    await user.type(screen.getByTestId(`wallet-create-confirm-${p3}`), wrong);
    await user.type(screen.getByTestId("wallet-create-password"), "correct horse");
    await user.type(screen.getByTestId("wallet-create-password2"), "correct horse");
    await user.click(screen.getByTestId("wallet-create-submit"));
    expect(await screen.findByTestId("wallet-error")).toHaveTextContent("do not match");
    expect(callsTo("wallet_create")).toHaveLength(0);
  });

  it("refuses short or differing passwords", async () => {
    const user = await setup({ wallet_create: () => created });
    const { words, asked } = await showAndNext(user);
    for (const p of asked) await user.type(screen.getByTestId(`wallet-create-confirm-${p}`), words[p - 1] ?? "");
    await user.type(screen.getByTestId("wallet-create-password"), "short");
    await user.type(screen.getByTestId("wallet-create-password2"), "short");
    await user.click(screen.getByTestId("wallet-create-submit"));
    expect(await screen.findByTestId("wallet-error")).toHaveTextContent("at least 8");
    await user.clear(screen.getByTestId("wallet-create-password"));
    await user.type(screen.getByTestId("wallet-create-password"), "long enough 1");
    await user.clear(screen.getByTestId("wallet-create-password2"));
    await user.type(screen.getByTestId("wallet-create-password2"), "long enough 2");
    await user.click(screen.getByTestId("wallet-create-submit"));
    expect(await screen.findByTestId("wallet-error")).toHaveTextContent("differ");
    expect(callsTo("wallet_create")).toHaveLength(0);
  });

  it("creates the account with the shown phrase when the words match, then forgets the phrase", async () => {
    const user = await setup({ wallet_create: () => created });
    const { words, asked } = await showAndNext(user);
    for (const p of asked) await user.type(screen.getByTestId(`wallet-create-confirm-${p}`), ` ${(words[p - 1] ?? "").toUpperCase()} `);
    await user.type(screen.getByTestId("wallet-create-label"), "Main");
    await user.type(screen.getByTestId("wallet-create-password"), "correct horse");
    await user.type(screen.getByTestId("wallet-create-password2"), "correct horse{Enter}");
    expect(await screen.findByTestId("wallet-message")).toHaveTextContent("Account created");
    expect(callsTo("wallet_create")).toEqual([{ req: { label: "Main", phrase: words.join(" "), password: "correct horse" } }]);
    expect(screen.queryByTestId("wallet-create-word-1")).toBeNull();
    expect(screen.getByTestId("wallet-active-address")).toHaveTextContent(created.active ?? "");
  });
});

describe("Wallet: accounts", () => {
  it("lists Anvil dev accounts as test-only and selects one", async () => {
    const user = await setup({ wallet_select: (a) => ({ ...devWallet, active: a.address as string }) });
    expect(screen.getByTestId("wallet-active-address")).toHaveTextContent(DEV0);
    expect(screen.getByTestId(`wallet-account-${DEV1.toLowerCase()}`)).toHaveTextContent("TEST ONLY — public Anvil key");
    await user.click(screen.getByTestId("wallet-dev-use-1"));
    await waitFor(() => expect(screen.getByTestId("wallet-active-address")).toHaveTextContent(DEV1));
    expect(callsTo("wallet_select")).toEqual([{ address: DEV1 }]);
  });

  it("unlocks with the password and clears the field; shows the error on a wrong one", async () => {
    const locked: WalletState = { ...created, unlocked: false, active: null };
    let tries = 0;
    const user = await setup(
      {
        wallet_unlock: () => {
          tries++;
          if (tries === 1) throw { kind: "wallet", message: "Wrong password." };
          return created;
        },
      },
      locked,
    );
    const pw = screen.getByTestId("wallet-unlock-password");
    await user.type(pw, "nope{Enter}");
    expect(await screen.findByTestId("wallet-error")).toHaveTextContent("Wrong password.");
    expect(pw).toHaveValue("");
    await user.type(screen.getByTestId("wallet-unlock-password"), "correct horse");
    await user.click(screen.getByTestId("wallet-unlock-submit"));
    expect(await screen.findByTestId("wallet-active-address")).toHaveTextContent(created.active ?? "");
    expect(callsTo("wallet_unlock").at(-1)).toEqual({ password: "correct horse" });
  });

  it("imports a private key (0x added) and refuses a malformed one", async () => {
    const user = await setup({ wallet_import: () => created });
    await user.click(screen.getByTestId("wallet-import-start"));
    await user.type(screen.getByTestId("wallet-import-secret"), "1234");
    await user.type(screen.getByTestId("wallet-import-password"), "correct horse");
    await user.click(screen.getByTestId("wallet-import-submit"));
    expect(await screen.findByTestId("wallet-error")).toHaveTextContent("64 hex");
    const key = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    await user.clear(screen.getByTestId("wallet-import-secret"));
    await user.type(screen.getByTestId("wallet-import-secret"), key);
    expect(screen.getByTestId("wallet-import-password")).toHaveValue("correct horse");
    await user.click(screen.getByTestId("wallet-import-submit"));
    expect(await screen.findByTestId("wallet-message")).toHaveTextContent("imported");
    expect(callsTo("wallet_import")).toEqual([{ req: { label: "Imported", secret: { kind: "privateKey", key: `0x${key}` }, password: "correct horse" } }]);
    expect(screen.queryByTestId("wallet-import-secret")).toBeNull();
  });
});

describe("Wallet: connect a wallet you already use", () => {
  const external: WalletState = {
    ...devWallet,
    active: "0x2222222222222222222222222222222222222222",
    remote: { kind: "external", url: "http://127.0.0.1:1248", address: "0x2222222222222222222222222222222222222222" },
  };

  it("connects Frame's endpoint by default and shows the signer as the active account", async () => {
    const user = await setup({ wallet_connect_external: () => external });
    expect(screen.getByTestId<HTMLInputElement>("wallet-external-url").value).toBe("http://127.0.0.1:1248");
    await user.click(screen.getByTestId("wallet-connect-external"));
    await waitFor(() => expect(screen.getByTestId("wallet-remote-summary").textContent).toBe("External signer at http://127.0.0.1:1248"));
    expect(callsTo("wallet_connect_external")).toEqual([{ url: "http://127.0.0.1:1248" }]);
    expect(screen.getByTestId("wallet-active-address").textContent).toBe(external.active);
  });

  it("shows the browser page's link until a wallet is picked there", async () => {
    const waiting: WalletState = {
      ...devWallet,
      active: null,
      remote: { kind: "browser", url: "http://127.0.0.1:40000/?token=ab12", wallet: null, address: null, pageOpen: false },
    };
    const user = await setup({ wallet_connect_browser: () => waiting, wallet_disconnect: () => devWallet });
    await user.click(screen.getByTestId("wallet-connect-browser"));
    expect((await screen.findByTestId("wallet-bridge-url")).textContent).toBe("http://127.0.0.1:40000/?token=ab12");
    expect(screen.getByTestId("wallet-remote-summary").textContent).toBe("Waiting for the browser page to be opened");
    await user.click(screen.getByTestId("wallet-disconnect"));
    await screen.findByTestId("wallet-connect");
    expect(callsTo("wallet_disconnect")).toHaveLength(1);
  });
});
