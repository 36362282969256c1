//! Tauri's build step, with the app's commands declared so that each gets an
//! `allow-<command>` permission: the main window's capability grants exactly
//! the commands it uses and nothing else.

/// Every command of `src/commands.rs`.
const COMMANDS: &[&str] = &[
    "status",
    "subscribe",
    "settings_get",
    "settings_save",
    "market_presets",
    "market_attach",
    "wallet_state",
    "wallet_create",
    "wallet_import",
    "wallet_unlock",
    "wallet_lock",
    "wallet_select",
    "wallet_connect_external",
    "wallet_connect_browser",
    "wallet_switch_chain",
    "wallet_disconnect",
    "tokens_list",
    "token_lookup",
    "token_import",
    "token_lists",
    "token_list_import",
    "token_confirm",
    "swap_quote",
    "swap_approve",
    "swap_simulate",
    "swap_execute",
    "liquidity_quote_add",
    "liquidity_add",
    "liquidity_quote_remove",
    "liquidity_remove",
    "positions",
    "pools_list",
    "pool_detail",
    "history",
    "history_export",
    "tx_list",
    "tx_replace",
    "fee_options",
    "approvals_list",
    "approvals_revoke",
];

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri build step");
}
