import { useCallback, useEffect, useState } from "react";
import { commands, type AppError, type TokenListView } from "../../bindings";
import { ErrorBox } from "../../components/ErrorBox";
import { settle, settleValue } from "../../lib/errors";
import { Field } from "./Field";

/** "2024-05-01" from an ISO 8601 time (the whole text when it is not one). */
export function publishedDate(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(iso.trim());
  return m?.[1] ?? iso;
}

function ListsTable({ lists }: { lists: TokenListView[] }) {
  return (
    <table className="table" data-testid="token-lists-table">
      <thead>
        <tr>
          <th>Name</th>
          <th>Version</th>
          <th>Tokens</th>
          <th>On this chain</th>
          <th>Published</th>
        </tr>
      </thead>
      <tbody>
        {lists.map((l) => (
          <tr key={`${l.name}@${l.version}`} data-testid="token-list-row" data-name={l.name}>
            <td>{l.name}</td>
            <td>{l.version}</td>
            <td>{l.tokens.toLocaleString("en-US")}</td>
            <td>{l.onThisChain.toLocaleString("en-US")}</td>
            <td title={l.published}>{publishedDate(l.published)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * "Token lists": the imported lists (`token_lists`), and an import from a file
 * path or an http(s) URL of a standard token-list JSON (`token_list_import`).
 * A token on one of them trades without a confirmation; `onImported` lets the
 * app refresh its tokens (their marks change).
 */
export function TokenLists({ onImported }: { onImported?: (l: TokenListView) => void }) {
  const [lists, setLists] = useState<TokenListView[] | null>(null);
  const [listsError, setListsError] = useState<AppError | null>(null);
  const [source, setSource] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const load = useCallback(async () => {
    const r = await settleValue(commands.tokenLists());
    if (r.ok) {
      setLists(r.data);
      setListsError(null);
    } else {
      setLists((l) => l ?? []);
      setListsError(r.error);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const importList = async () => {
    const from = source.trim();
    if (from === "") {
      setError({ kind: "input", message: "Enter the path of a token-list file or an http(s) URL." });
      return;
    }
    setBusy(true);
    setError(null);
    setMessage(null);
    const r = await settle(commands.tokenListImport(from));
    setBusy(false);
    if (r.ok) {
      const l = r.data;
      setSource("");
      setMessage(`Imported ${l.name} ${l.version}: ${l.tokens} tokens, ${l.onThisChain} on this chain.`);
      onImported?.(l);
      await load();
    } else setError(r.error);
  };

  return (
    <form
      className="card"
      aria-labelledby="token-lists-title"
      data-testid="token-lists"
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) void importList();
      }}
    >
      <h2 id="token-lists-title">Token lists</h2>
      <p className="hint">
        Tokens on these lists (and the deployment&apos;s own) trade without a confirmation. Any other token shows its full address and asks you to confirm it
        once before its first trade.
      </p>
      <ErrorBox error={listsError} testId="token-lists-error" />
      {lists === null ? (
        <p className="muted">Loading token lists…</p>
      ) : lists.length === 0 ? (
        <p className="muted" data-testid="token-lists-empty">
          No token list imported.
        </p>
      ) : (
        <ListsTable lists={lists} />
      )}
      <Field id="set-token-list-source" label="Import a token list" hint="A file path or an http(s) URL of a standard token-list JSON.">
        <input
          id="set-token-list-source"
          data-testid="token-list-source"
          placeholder="/path/to/list.json or https://…"
          spellCheck={false}
          autoComplete="off"
          value={source}
          disabled={busy}
          onChange={(e) => {
            setSource(e.target.value);
            setError(null);
            setMessage(null);
          }}
        />
      </Field>
      <ErrorBox error={error} testId="token-list-import-error" />
      {message && (
        <p className="message" role="status" data-testid="token-list-import-message">
          {message}
        </p>
      )}
      <button type="submit" className="primary" data-testid="token-list-import" disabled={busy}>
        {busy ? "Importing…" : "Import"}
      </button>
    </form>
  );
}
