//! Wallet and settings operations: create, import, unlock, lock, select, and
//! saving the settings (which reconnects and restarts the embedded indexer).
//! Key derivation and keystore encryption run off the async workers.

use alloy::primitives::Address;
use zeroize::Zeroizing;

use crate::core::Core;
use crate::error::{AppError, AppResult};
use crate::settings::Settings;
use crate::wallet::{CreateWallet, ImportWallet, WalletState};

/// How often the idle timer is looked at.
const AUTO_LOCK_CHECK: std::time::Duration = std::time::Duration::from_millis(400);

/// The wallet session's auto-lock: locks an idle wallet and tells the UI,
/// until the app exits.
pub async fn auto_lock(core: std::sync::Arc<Core>) {
    let mut shutdown = core.shutdown.subscribe();
    loop {
        tokio::select! {
            _ = tokio::time::sleep(AUTO_LOCK_CHECK) => {}
            _ = shutdown.changed() => return,
        }
        let due = core.wallet().auto_lock_due();
        if due {
            core.wallet().lock();
            tracing::info!("wallet locked after inactivity");
            core.emit_wallet();
        }
    }
}

fn blocking<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}

impl Core {
    /// Stores a new account from a confirmed phrase and makes it active.
    pub fn wallet_create(&self, req: CreateWallet) -> AppResult<WalletState> {
        blocking(|| self.wallet().create(&req))?;
        tracing::info!("wallet: account created");
        self.after_wallet_change()
    }

    /// Imports a key, a phrase's account or a keystore.
    pub fn wallet_import(&self, req: ImportWallet) -> AppResult<WalletState> {
        blocking(|| self.wallet().import(&req))?;
        tracing::info!("wallet: account imported");
        self.after_wallet_change()
    }

    /// Unlocks with the wallet password.
    pub fn wallet_unlock(&self, password: String) -> AppResult<WalletState> {
        let password = Zeroizing::new(password);
        blocking(|| self.wallet().unlock(&password))?;
        self.after_wallet_change()
    }

    /// Locks.
    pub fn wallet_lock(&self) -> AppResult<WalletState> {
        self.wallet().lock();
        self.after_wallet_change()
    }

    /// Chooses the active account.
    pub fn wallet_select(&self, address: &str) -> AppResult<WalletState> {
        let a: Address = address
            .trim()
            .parse()
            .map_err(|_| AppError::input(format!("`{address}` is not an address")))?;
        let chain = self.live_opt().map(|l| l.client.chain_id);
        self.wallet().select(a, chain)?;
        self.after_wallet_change()
    }

    fn after_wallet_change(&self) -> AppResult<WalletState> {
        let state = self.wallet_state()?;
        self.emit_wallet();
        Ok(state)
    }

    /// Validates and saves the settings; a changed node, chain or manifest
    /// reconnects and restarts the embedded indexer.
    pub fn settings_save(&self, settings: Settings) -> AppResult<Settings> {
        let mut settings = settings;
        settings.rpc_url = settings.rpc_url.trim().to_string();
        settings.manifest_path = settings
            .manifest_path
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty());
        settings.validate()?;
        let reconnect = {
            let mut file = self.settings_file();
            let old = file.settings.clone();
            file.settings = settings.clone();
            file.save(&self.dirs.config.join("settings.json"))?;
            old.rpc_url != settings.rpc_url
                || old.chain_id != settings.chain_id
                || old.manifest_path != settings.manifest_path
        };
        self.wallet().set_auto_lock(settings.auto_lock_mins);
        if reconnect {
            self.generation.send_modify(|g| *g += 1);
        }
        Ok(settings)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::core::Dirs;
    use crate::views::AppEvent;
    use crate::wallet::{ImportSecret, ImportWallet};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_idle_wallet_locks_itself_and_tells_the_ui() {
        let dir = tempfile::tempdir().unwrap();
        let core = Core::new(Dirs {
            config: dir.path().join("config"),
            data: dir.path().join("data"),
            downloads: dir.path().join("downloads"),
        })
        .unwrap();
        core.wallet_import(ImportWallet {
            label: "idle".into(),
            // Anvil's public dev key 0: no real funds anywhere.
            secret: ImportSecret::PrivateKey {
                key: "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80".into(),
            },
            password: "correct horse battery".into(),
        })
        .unwrap();
        assert!(core.wallet_state().unwrap().unlocked);
        core.wallet()
            .set_auto_lock_after(Duration::from_millis(300));
        let mut events = core.subscribe();
        tokio::spawn(auto_lock(core.clone()));
        let locked = tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                if let Ok(AppEvent::Wallet { state }) = events.recv().await
                    && !state.unlocked
                {
                    return state;
                }
            }
        })
        .await
        .expect("the wallet locks itself within 10 s of idling");
        assert_eq!(locked.active, None);
        assert!(!core.wallet_state().unwrap().unlocked);
        core.shutdown();
    }
}
