import { ErrorBox } from "./components/ErrorBox";
import { StatusBar } from "./components/StatusBar";
import { Approvals } from "./screens/Approvals";
import { History } from "./screens/History";
import { Liquidity } from "./screens/Liquidity";
import { Pools } from "./screens/Pools";
import { SettingsScreen } from "./screens/Settings";
import { Swap } from "./screens/Swap";
import { Wallet } from "./screens/Wallet";
import { AppProvider, useApp, type Tab } from "./state/AppState";

const TABS: { id: Tab; label: string }[] = [
  { id: "swap", label: "Swap" },
  { id: "pools", label: "Pools" },
  { id: "liquidity", label: "Liquidity" },
  { id: "history", label: "History" },
  { id: "approvals", label: "Approvals" },
  { id: "wallet", label: "Wallet" },
  { id: "settings", label: "Settings" },
];

function Screen({ tab }: { tab: Tab }) {
  switch (tab) {
    case "swap":
      return <Swap />;
    case "pools":
      return <Pools />;
    case "liquidity":
      return <Liquidity />;
    case "history":
      return <History />;
    case "approvals":
      return <Approvals />;
    case "wallet":
      return <Wallet />;
    case "settings":
      return <SettingsScreen />;
  }
}

function Shell() {
  const app = useApp();
  return (
    <div id="app" data-ready={app.ready ? "true" : "false"}>
      <header className="top">
        <span className="brand">Tidepool</span>
        <nav aria-label="Main">
          {TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              data-testid={`nav-${t.id}`}
              className={app.tab === t.id ? "tab active" : "tab"}
              aria-current={app.tab === t.id ? "page" : undefined}
              onClick={() => app.navigate(t.id)}
            >
              {t.label}
            </button>
          ))}
        </nav>
      </header>
      <main>
        <ErrorBox error={app.startupError} testId="app-error" />
        {app.ready ? <Screen tab={app.tab} /> : <p className="muted">Starting…</p>}
      </main>
      <StatusBar />
    </div>
  );
}

export default function App({ initialTab }: { initialTab?: Tab }) {
  return (
    <AppProvider initialTab={initialTab}>
      <Shell />
    </AppProvider>
  );
}
