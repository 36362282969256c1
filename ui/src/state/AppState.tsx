import { Channel } from "@tauri-apps/api/core";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import {
  commands,
  type AppError,
  type AppEvent,
  type ConnectionState,
  type IndexProgress,
  type Settings,
  type TokenView,
  type WalletState,
} from "../bindings";
import { settle } from "../lib/errors";
import { useSingleFlight } from "./useSingleFlight";

export type Tab = "swap" | "pools" | "liquidity" | "history" | "approvals" | "wallet" | "settings";

export type AppState = {
  /** The first status() has settled. */
  ready: boolean;
  startupError: AppError | null;
  connection: ConnectionState | null;
  index: IndexProgress | null;
  wallet: WalletState | null;
    settings: Settings | null;
  tokens: TokenView[];
  tokensError: AppError | null;
  /** Latest block seen (bumps on every block event: refresh quotes/balances). */
  block: number | null;
  /**
   * Last block the index has committed (bumps as the indexer advances, which
   * can be after the chain stopped moving): views of indexed data refresh on it.
   */
  indexed: number | null;
  tab: Tab;
  navigate: (tab: Tab) => void;
  setWallet: (w: WalletState) => void;
  setSettings: (s: Settings) => void;
  refreshTokens: () => Promise<void>;
};

const Ctx = createContext<AppState | null>(null);

export function useApp(): AppState {
  const v = useContext(Ctx);
  if (!v) throw new Error("useApp outside AppProvider");
  return v;
}

export function AppProvider({ children, initialTab = "swap" }: { children: ReactNode; initialTab?: Tab }) {
  const [ready, setReady] = useState(false);
  const [startupError, setStartupError] = useState<AppError | null>(null);
  const [connection, setConnection] = useState<ConnectionState | null>(null);
  const [index, setIndex] = useState<IndexProgress | null>(null);
  const [wallet, setWallet] = useState<WalletState | null>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [tokens, setTokens] = useState<TokenView[]>([]);
  const [tokensError, setTokensError] = useState<AppError | null>(null);
  const [block, setBlock] = useState<number | null>(null);
  const [tab, setTab] = useState<Tab>(initialTab);

  // One tokensList() at a time; a request made meanwhile runs once after it.
  const loadTokens = useCallback(async (): Promise<void> => {
    const out = await settle(commands.tokensList());
    if (out.ok) {
      setTokens(out.data);
      setTokensError(null);
    } else {
      setTokensError(out.error);
    }
  }, []);
  const refreshTokens = useSingleFlight(loadTokens);

  const onEvent = useCallback(
    (ev: AppEvent) => {
      switch (ev.kind) {
        case "block":
          setBlock(ev.number);
          setConnection((c) => (c ? { ...c, blockNumber: ev.number } : c));
          void refreshTokens();
          break;
        case "index":
          setIndex(ev.progress);
          break;
        case "connection":
          setConnection(ev.state);
          if (ev.state.blockNumber !== null) setBlock(ev.state.blockNumber);
          void refreshTokens();
          break;
        case "wallet":
          setWallet(ev.state);
          void refreshTokens();
          break;
      }
    },
    [refreshTokens],
  );

  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void (async () => {
      const st = await settle(commands.status());
      if (st.ok) {
        setConnection(st.data.connection);
        setIndex(st.data.index);
        setWallet(st.data.wallet);
        setBlock(st.data.connection.blockNumber);
      } else {
        setStartupError(st.error);
      }
      setReady(true);
    })();
    void settle(commands.settingsGet()).then((s) => {
      if (s.ok) setSettings(s.data);
    });
    void refreshTokens();
    const ch = new Channel<AppEvent>();
    ch.onmessage = onEvent;
    void settle(commands.subscribe(ch)).then((r) => {
      if (!r.ok) setStartupError(r.error);
    });
  }, [onEvent, refreshTokens, setSettings]);

  const value = useMemo<AppState>(
    () => ({
      ready,
      startupError,
      connection,
      index,
      wallet,
      settings,
      tokens,
      tokensError,
      block,
      indexed: index?.checkpoint ?? null,
      tab,
      navigate: setTab,
      setWallet,
      setSettings,
      refreshTokens,
    }),
    [ready, startupError, connection, index, wallet, settings, setSettings, tokens, tokensError, block, tab, refreshTokens],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

/** Why sending is impossible right now (a sentence), or null when it is possible. */
export function sendBlocker(s: Pick<AppState, "wallet" | "connection">): string | null {
  const w = s.wallet;
  if (!w) return "Loading wallet…";
  if (!w.active) {
    if (w.remote?.kind === "browser") return "Open the browser-wallet page shown in Wallet and pick your wallet there.";
    if (w.hasKeystore && !w.unlocked) return "The wallet is locked. Unlock it in Wallet to send transactions.";
    return "No active account. Connect your wallet, or create, import or pick an account in Wallet.";
  }
  const c = s.connection;
  if (c && !c.connected) return c.problem ?? "Not connected to the node.";
  if (c && !c.chainMatches) return c.problem ?? "The node's chain id does not match Settings.";
  return null;
}
