//! Tidepool's desktop app, Rust side: it owns the keys, the RPC connection,
//! the sdk and an embedded indexer; the web side (`ui/`) only renders and
//! asks through the typed commands of [`commands`].
//!
//! Security choices: the main window's capability grants only the app's own
//! commands (no filesystem, shell, HTTP or plugin permissions); the CSP allows
//! scripts, styles and connections only from the app itself and its IPC; the
//! JavaScript prototypes are frozen. Tauri's isolation pattern is not used:
//! the UI loads no remote or third-party code at run time (every dependency is
//! bundled from the lockfile), and no reply carries a secret for an injected
//! script to read; isolation would add an iframe hop to every IPC call.

pub mod attach;
pub mod chain;
pub mod commands;
pub mod confirm;
pub mod connect;
pub mod core;
pub mod dialog;
pub mod embedded;
pub mod error;
pub mod history;
pub mod liquidity;
mod market;
pub mod network;
pub mod pools;
pub mod quotes;
pub mod sent;
pub mod session;
pub mod settings;
pub mod swap;
pub mod tokenlists;
pub mod tokens;
pub mod txflow;
pub mod txlog;
pub mod views;
pub mod wallet;

use tauri::Manager;

use crate::core::{Core, Dirs};

/// Logs go to stderr, filtered by `TIDEPOOL_LOG` (default `info`). No secret
/// is ever passed to a log call.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("TIDEPOOL_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Runs the app until its window closes.
pub fn run() -> anyhow::Result<()> {
    init_logging();
    let builder = commands::builder();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(builder.invoke_handler())
        .setup(|app| {
            let path = app.path();
            let data = path.app_data_dir()?;
            let dirs = Dirs {
                config: path.app_config_dir()?,
                downloads: path.download_dir().unwrap_or_else(|_| data.join("exports")),
                data,
            };
            let core = Core::new(dirs).map_err(|e| anyhow::anyhow!(e.message))?;
            core.set_confirmer(std::sync::Arc::new(dialog::NativeDialog(
                app.handle().clone(),
            )));
            let started = core.clone();
            tauri::async_runtime::spawn(async move { network::start(&started) });
            app.manage(core);
            Ok(())
        })
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::Destroyed = event
                && let Some(core) = window.try_state::<std::sync::Arc<Core>>()
            {
                core.shutdown();
            }
        })
        .run(tauri::generate_context!())
        .map_err(|e| anyhow::anyhow!("the app window failed: {e}"))
}
