//! The Tauri commands: intent-level, typed end to end (the TypeScript
//! bindings are generated from these signatures by tauri-specta), each a thin
//! wrapper over [`Core`]. Streams (transaction status, app events) go through
//! Tauri channels. Replies never carry a key, a phrase or a password.

use std::sync::Arc;

use tauri::State;
use tauri::ipc::Channel;

use crate::core::Core;
use crate::error::AppResult;
use crate::sent::{AllowanceView, FeeOptions, FeeSelection, SentTxView};
use crate::settings::Settings;
use crate::txflow::Notify;
use crate::views::*;
use crate::wallet::{CreateWallet, ImportWallet, WalletState};

type Ctx<'a> = State<'a, Arc<Core>>;

fn notify(channel: Channel<TxStatus>) -> Notify {
    Notify::new(move |s| {
        let _ = channel.send(s);
    })
}

/// Everything the status bar shows.
#[tauri::command]
#[specta::specta]
pub fn status(core: Ctx<'_>) -> AppResult<AppStatus> {
    core.status()
}

/// Pushes app events (blocks, index progress, connection, wallet) to the UI.
#[tauri::command]
#[specta::specta]
pub async fn subscribe(core: Ctx<'_>, on_event: Channel<AppEvent>) -> AppResult<()> {
    let mut rx = core.subscribe();
    tokio::spawn(async move {
        loop {
            match rx.recv().await {
                Ok(e) => {
                    if on_event.send(e).is_err() {
                        return;
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(_) => return,
            }
        }
    });
    Ok(())
}

/// The settings.
#[tauri::command]
#[specta::specta]
pub fn settings_get(core: Ctx<'_>) -> AppResult<Settings> {
    Ok(core.settings())
}

/// Validates and saves the settings; `password` is the wallet password,
/// needed for a change that weakens protection.
#[tauri::command]
#[specta::specta]
pub fn settings_save(
    core: Ctx<'_>,
    settings: Settings,
    password: Option<String>,
) -> AppResult<Settings> {
    core.settings_save(settings, password)
}

/// The well-known V2 deployments Settings offers.
#[tauri::command]
#[specta::specta]
pub fn market_presets(core: Ctx<'_>) -> Vec<crate::attach::PresetView> {
    core.market_presets()
}

/// Checks a V2 deployment (a preset, or a factory and router) on a node and
/// writes its manifest; Settings then points at it.
#[tauri::command]
#[specta::specta]
pub async fn market_attach(
    core: Ctx<'_>,
    req: crate::attach::AttachRequest,
) -> AppResult<crate::attach::AttachedView> {
    core.market_attach(req).await
}

/// The wallet's state.
#[tauri::command]
#[specta::specta]
pub fn wallet_state(core: Ctx<'_>) -> AppResult<WalletState> {
    core.wallet_state()
}

/// Stores a new account from a confirmed phrase.
#[tauri::command]
#[specta::specta]
pub async fn wallet_create(core: Ctx<'_>, req: CreateWallet) -> AppResult<WalletState> {
    core.wallet_create(req)
}

/// Imports a key, phrase or keystore.
#[tauri::command]
#[specta::specta]
pub async fn wallet_import(core: Ctx<'_>, req: ImportWallet) -> AppResult<WalletState> {
    core.wallet_import(req)
}

/// Unlocks with the wallet password.
#[tauri::command]
#[specta::specta]
pub async fn wallet_unlock(core: Ctx<'_>, password: String) -> AppResult<WalletState> {
    core.wallet_unlock(password)
}

/// Locks.
#[tauri::command]
#[specta::specta]
pub fn wallet_lock(core: Ctx<'_>) -> AppResult<WalletState> {
    core.wallet_lock()
}

/// Makes an account active.
#[tauri::command]
#[specta::specta]
pub fn wallet_select(core: Ctx<'_>, address: String) -> AppResult<WalletState> {
    // Choosing a local account is choosing not to use the connected wallet.
    core.wallet_disconnect()?;
    core.wallet_select(&address)
}

/// Connects an external JSON-RPC signer (e.g. Frame at its default URL).
#[tauri::command]
#[specta::specta]
pub async fn wallet_connect_external(core: Ctx<'_>, url: String) -> AppResult<WalletState> {
    core.wallet_connect_external(&url).await
}

/// Starts the browser-wallet page; its URL is in the returned state.
#[tauri::command]
#[specta::specta]
pub async fn wallet_connect_browser(core: Ctx<'_>) -> AppResult<WalletState> {
    core.inner().wallet_connect_browser().await
}

/// Asks the connected wallet to switch to the node's chain.
#[tauri::command]
#[specta::specta]
pub async fn wallet_switch_chain(core: Ctx<'_>) -> AppResult<WalletState> {
    core.wallet_switch_chain().await
}

/// Disconnects the external or browser wallet.
#[tauri::command]
#[specta::specta]
pub fn wallet_disconnect(core: Ctx<'_>) -> AppResult<WalletState> {
    core.wallet_disconnect()
}

/// Known tokens with balances.
#[tauri::command]
#[specta::specta]
pub async fn tokens_list(core: Ctx<'_>) -> AppResult<Vec<TokenView>> {
    core.tokens_list().await
}

/// Reads a token for the import preview.
#[tauri::command]
#[specta::specta]
pub async fn token_lookup(core: Ctx<'_>, address: String) -> AppResult<TokenView> {
    core.token_lookup(&address).await
}

/// Imports a token by address.
#[tauri::command]
#[specta::specta]
pub async fn token_import(core: Ctx<'_>, address: String) -> AppResult<TokenView> {
    core.token_import(&address).await
}

/// The imported token lists.
#[tauri::command]
#[specta::specta]
pub fn token_lists(core: Ctx<'_>) -> Vec<TokenListView> {
    core.token_lists()
}

/// Imports a token list from a file path or an http(s) URL.
#[tauri::command]
#[specta::specta]
pub async fn token_list_import(core: Ctx<'_>, source: String) -> AppResult<TokenListView> {
    core.token_list_import(&source).await
}

/// Confirms an unverified token once (on this chain) before its first trade.
#[tauri::command]
#[specta::specta]
pub async fn token_confirm(core: Ctx<'_>, address: String) -> AppResult<TokenView> {
    core.token_confirm(&address).await
}

/// Quotes a swap.
#[tauri::command]
#[specta::specta]
pub async fn swap_quote(core: Ctx<'_>, req: QuoteRequest) -> AppResult<SwapQuote> {
    core.swap_quote(req).await
}

/// Approves the router for a quote's input token.
#[tauri::command]
#[specta::specta]
pub async fn swap_approve(
    core: Ctx<'_>,
    quote_id: String,
    unlimited: bool,
    on_status: Channel<TxStatus>,
) -> AppResult<TxResult> {
    core.swap_approve(&quote_id, unlimited, &notify(on_status))
        .await
}

/// Simulates a quote's swap.
#[tauri::command]
#[specta::specta]
pub async fn swap_simulate(
    core: Ctx<'_>,
    quote_id: String,
    fee: Option<FeeSelection>,
) -> AppResult<Simulation> {
    core.swap_simulate(&quote_id, fee).await
}

/// Executes a quote.
#[tauri::command]
#[specta::specta]
pub async fn swap_execute(
    core: Ctx<'_>,
    req: ExecuteSwap,
    on_status: Channel<TxStatus>,
) -> AppResult<TxResult> {
    core.swap_execute(req, &notify(on_status)).await
}

/// Previews a deposit.
#[tauri::command]
#[specta::specta]
pub async fn liquidity_quote_add(core: Ctx<'_>, req: AddRequest) -> AppResult<AddQuote> {
    core.liquidity_quote_add(req).await
}

/// Deposits (approving what is missing first).
#[tauri::command]
#[specta::specta]
pub async fn liquidity_add(
    core: Ctx<'_>,
    req: AddRequest,
    on_status: Channel<TxStatus>,
) -> AppResult<TxResult> {
    core.liquidity_add(req, &notify(on_status)).await
}

/// Previews a withdrawal.
#[tauri::command]
#[specta::specta]
pub async fn liquidity_quote_remove(core: Ctx<'_>, req: RemoveRequest) -> AppResult<RemoveQuote> {
    core.liquidity_quote_remove(req).await
}

/// Withdraws a percentage of a position.
#[tauri::command]
#[specta::specta]
pub async fn liquidity_remove(
    core: Ctx<'_>,
    req: RemoveRequest,
    on_status: Channel<TxStatus>,
) -> AppResult<TxResult> {
    core.liquidity_remove(req, &notify(on_status)).await
}

/// The active account's positions.
#[tauri::command]
#[specta::specta]
pub async fn positions(core: Ctx<'_>) -> AppResult<Vec<PositionView>> {
    core.positions().await
}

/// Every pool.
#[tauri::command]
#[specta::specta]
pub async fn pools_list(core: Ctx<'_>) -> AppResult<Vec<PoolView>> {
    core.pools_list().await
}

/// A pool's page.
#[tauri::command]
#[specta::specta]
pub async fn pool_detail(core: Ctx<'_>, pair: String, interval: u32) -> AppResult<PoolDetail> {
    core.pool_detail(&pair, interval).await
}

/// The active account's history.
#[tauri::command]
#[specta::specta]
pub async fn history(core: Ctx<'_>, limit: u32, offset: u32) -> AppResult<Vec<HistoryRow>> {
    core.history(limit, offset).await
}

/// Exports the history as CSV; returns the file's path.
#[tauri::command]
#[specta::specta]
pub async fn history_export(core: Ctx<'_>) -> AppResult<String> {
    core.history_export().await
}

/// The active account's transactions (pending ones looked at again).
#[tauri::command]
#[specta::specta]
pub async fn tx_list(core: Ctx<'_>) -> AppResult<Vec<SentTxView>> {
    core.tx_list().await
}

/// Speeds up (or cancels) a pending transaction; returns the replacement.
#[tauri::command]
#[specta::specta]
pub async fn tx_replace(core: Ctx<'_>, hash: String, cancel: bool) -> AppResult<SentTxView> {
    core.tx_replace(&hash, cancel).await
}

/// Fee presets now, and the cap.
#[tauri::command]
#[specta::specta]
pub async fn fee_options(core: Ctx<'_>) -> AppResult<FeeOptions> {
    core.fee_options().await
}

/// The active account's allowances.
#[tauri::command]
#[specta::specta]
pub async fn approvals_list(core: Ctx<'_>) -> AppResult<Vec<AllowanceView>> {
    core.approvals_list().await
}

/// Sets an allowance to 0.
#[tauri::command]
#[specta::specta]
pub async fn approvals_revoke(
    core: Ctx<'_>,
    token: String,
    spender: String,
    on_status: Channel<TxStatus>,
) -> AppResult<TxResult> {
    core.approvals_revoke(&token, &spender, &notify(on_status))
        .await
}

/// The command set and its TypeScript bindings.
pub fn builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        .commands(tauri_specta::collect_commands![
            status,
            subscribe,
            settings_get,
            settings_save,
            market_presets,
            market_attach,
            wallet_state,
            wallet_create,
            wallet_import,
            wallet_unlock,
            wallet_lock,
            wallet_select,
            wallet_connect_external,
            wallet_connect_browser,
            wallet_switch_chain,
            wallet_disconnect,
            tokens_list,
            token_lookup,
            token_import,
            token_lists,
            token_list_import,
            token_confirm,
            swap_quote,
            swap_approve,
            swap_simulate,
            swap_execute,
            liquidity_quote_add,
            liquidity_add,
            liquidity_quote_remove,
            liquidity_remove,
            positions,
            pools_list,
            pool_detail,
            history,
            history_export,
            tx_list,
            tx_replace,
            fee_options,
            approvals_list,
            approvals_revoke,
        ])
        .dangerously_cast_bigints_to_number()
        .disable_serde_phases()
}

/// Writes the TypeScript bindings to `path`.
pub fn export_bindings(path: &std::path::Path) -> anyhow::Result<()> {
    let ts = specta_typescript::Typescript::default().header(
        "// Generated by tauri-specta from src-tauri (cargo xtask bindings). Do not edit.\n",
    );
    builder()
        .export(ts, path)
        .map_err(|e| anyhow::anyhow!("cannot export the TypeScript bindings: {e}"))
}

#[cfg(test)]
mod tests {
    /// The committed `ui/src/bindings.ts` is what the commands generate.
    #[test]
    fn typescript_bindings_are_current() {
        let dir = tempfile::tempdir().unwrap();
        let fresh = dir.path().join("bindings.ts");
        super::export_bindings(&fresh).unwrap();
        let committed =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts");
        let committed = std::fs::read_to_string(&committed).unwrap_or_default();
        assert!(
            std::fs::read_to_string(&fresh).unwrap() == committed,
            "ui/src/bindings.ts is stale: regenerate it with `cargo xtask bindings`"
        );
    }
}
