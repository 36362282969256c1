import { Fragment, useEffect, useState } from "react";
import { commands, type AppError, type AttachedView, type PresetView } from "../../bindings";
import { ErrorBox } from "../../components/ErrorBox";
import { attachRequest, CUSTOM_DEPLOYMENT, type AttachForm } from "../../lib/attach";
import { settle, settleValue } from "../../lib/errors";
import { Field } from "./Field";

type Props = {
  /** The RPC URL currently in the settings form (saved or not): the node the deployment is checked on. */
  rpcUrl: string;
  /** After a successful attach: fill the settings form (the user saves it). */
  onAttached: (a: AttachedView) => void;
};

function AttachResult({ a }: { a: AttachedView }) {
  const rows: [string, string, string][] = [
    ["Name", a.name, "name"],
    ["Chain id", String(a.chainId), "chain-id"],
    ["Factory", a.factory, "factory"],
    ["Router", a.router, "router"],
    ["WETH", a.weth, "weth"],
    ["Init code hash", a.initCodeHash, "init-code-hash"],
    ["Manifest", a.manifestPath, "manifest-path"],
  ];
  return (
    <div className="result attach-result" data-testid="settings-attach-result">
      <h3>Checked: {a.name}</h3>
      <div className="grid2">
        {rows.map(([label, value, key]) => (
          <Fragment key={key}>
            <span>{label}</span>
            <code data-testid={`settings-attach-result-${key}`}>{value}</code>
          </Fragment>
        ))}
      </div>
      <p className="message" role="status" data-testid="settings-attach-message">
        The manifest path and chain id are filled in above. Press Save to trade on {a.name}.
      </p>
    </div>
  );
}

/**
 * "Trade on another Uniswap V2 deployment": a preset or a factory and router,
 * checked on the node at the settings form's RPC URL by `market_attach`,
 * which writes the manifest. On success the settings form gets the
 * manifest's path and chain id; nothing is saved here.
 */
export function AttachMarket({ rpcUrl, onAttached }: Props) {
  const [presets, setPresets] = useState<PresetView[] | null>(null);
  const [presetsError, setPresetsError] = useState<AppError | null>(null);
  const [form, setForm] = useState<AttachForm>({ choice: "", factory: "", router: "", initCodeHash: "" });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [result, setResult] = useState<AttachedView | null>(null);

  useEffect(() => {
    let live = true;
    void settleValue(commands.marketPresets()).then((r) => {
      if (!live) return;
      if (r.ok) setPresets(r.data);
      else {
        setPresets([]);
        setPresetsError(r.error);
      }
    });
    return () => {
      live = false;
    };
  }, []);

  // Until the user picks: the first preset, or Custom when there is none.
  const choice = form.choice || presets?.[0]?.id || CUSTOM_DEPLOYMENT;
  const preset = presets?.find((p) => p.id === choice) ?? null;
  const custom = choice === CUSTOM_DEPLOYMENT;
  const set = (patch: Partial<AttachForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setError(null);
  };

  const attach = async () => {
    const req = attachRequest(rpcUrl, { ...form, choice });
    if (typeof req === "string") {
      setError({ kind: "input", message: req });
      return;
    }
    setBusy(true);
    setError(null);
    setResult(null);
    const r = await settle(commands.marketAttach(req));
    setBusy(false);
    if (r.ok) {
      setResult(r.data);
      onAttached(r.data);
    } else setError(r.error);
  };

  return (
    <form
      className="card"
      aria-labelledby="attach-title"
      data-testid="settings-attach"
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) void attach();
      }}
    >
      <h2 id="attach-title">Trade on another Uniswap V2 deployment</h2>
      <p className="hint">
        Checks the deployment on the node at the RPC URL above (code at the factory and router, the router&apos;s factory, the pair init code hash) and
        writes its manifest. The manifest path and chain id are then filled in above; Save switches to it.
      </p>
      {presets === null ? (
        <p className="muted">Loading deployments…</p>
      ) : (
        <Field id="set-attach-preset" label="Deployment">
          <select id="set-attach-preset" data-testid="settings-attach-preset" value={choice} disabled={busy} onChange={(e) => set({ choice: e.target.value })}>
            {presets.map((p) => (
              <option key={p.id} value={p.id} data-testid={`settings-attach-preset-${p.id}`}>
                {p.name} (chain {p.chainId})
              </option>
            ))}
            <option value={CUSTOM_DEPLOYMENT} data-testid="settings-attach-preset-custom">
              Custom (factory and router)
            </option>
          </select>
        </Field>
      )}
      <ErrorBox error={presetsError} testId="settings-attach-presets-error" />
      {preset && (
        <p className="hint" data-testid="settings-attach-preset-info">
          Factory <code>{preset.factory}</code> · router <code>{preset.router}</code> · the node must be on chain {preset.chainId}.
        </p>
      )}
      {custom && presets !== null && (
        <>
          <Field id="set-attach-factory" label="Factory address">
            <input id="set-attach-factory" data-testid="settings-attach-factory" placeholder="0x…" spellCheck={false} autoComplete="off" value={form.factory} onChange={(e) => set({ factory: e.target.value })} />
          </Field>
          <Field id="set-attach-router" label="Router address">
            <input id="set-attach-router" data-testid="settings-attach-router" placeholder="0x…" spellCheck={false} autoComplete="off" value={form.router} onChange={(e) => set({ router: e.target.value })} />
          </Field>
          <Field id="set-attach-init-code-hash" label="Pair init code hash (optional)" hint="Empty: the known hashes are tried against the factory's pairs.">
            <input
              id="set-attach-init-code-hash"
              data-testid="settings-attach-init-code-hash"
              placeholder="0x…"
              spellCheck={false}
              autoComplete="off"
              value={form.initCodeHash}
              onChange={(e) => set({ initCodeHash: e.target.value })}
            />
          </Field>
        </>
      )}
      <ErrorBox error={error} testId="settings-attach-error" />
      <button type="submit" className="primary" data-testid="settings-attach-submit" disabled={busy || presets === null}>
        {busy ? "Checking…" : "Attach"}
      </button>
      {result && <AttachResult a={result} />}
    </form>
  );
}
