//! Wallet and settings operations: create, import, unlock, lock, select, and
//! saving the settings (which reconnects and restarts the embedded indexer);
//! the auto-lock, which only a person's actions postpone
//! ([`Core::user_action`]); and the delay after wrong wallet passwords
//! ([`crate::wallet::gate`]). Key derivation and keystore encryption run off
//! the async workers and outside the wallet's lock, so the status bar and the
//! auto-lock never wait for them.

use std::sync::Arc;
use std::time::Duration;

use alloy::primitives::Address;
use alloy::signers::local::PrivateKeySigner;
use zeroize::Zeroizing;

use crate::core::Core;
use crate::error::{AppError, AppResult};
use crate::settings::Settings;
use crate::wallet::vault::{self, OpenError};
use crate::wallet::{CreateWallet, ImportWallet, WalletState, from_phrase};

/// How often the idle timer is looked at.
const AUTO_LOCK_CHECK: Duration = Duration::from_millis(400);

/// The wallet session's auto-lock: locks a wallet that no user action
/// touched for the auto-lock time and tells the UI, until the app exits.
pub async fn auto_lock(core: Arc<Core>) {
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

/// One admitted check of the wallet password; the gate is released when it
/// drops (after a wrong password's delay).
struct Attempt<'a>(&'a Core);

impl Drop for Attempt<'_> {
    fn drop(&mut self) {
        self.0.wallet().gate().release();
    }
}

impl Attempt<'_> {
    /// Passes a password check's outcome on. A wrong password is counted and
    /// its reply held back for the gate's delay (other attempts are refused
    /// meanwhile); the right one resets the count.
    fn settle<T>(&self, out: Result<T, OpenError>) -> AppResult<T> {
        match out {
            Ok(v) => {
                self.0.wallet().gate().right();
                Ok(v)
            }
            Err(OpenError::WrongPassword) => {
                let (delay, failures) = {
                    let mut w = self.0.wallet();
                    let delay = w.gate().wrong();
                    (delay, w.gate().failures())
                };
                tracing::warn!(
                    failures,
                    delay_secs = delay.as_secs(),
                    "wrong wallet password"
                );
                if !delay.is_zero() {
                    blocking(|| std::thread::sleep(delay));
                }
                Err(OpenError::WrongPassword.into())
            }
            Err(OpenError::Other(e)) => Err(e),
        }
    }
}

impl Core {
    /// Records an action of the person at the keyboard: it postpones the
    /// auto-lock (see [`crate::wallet::Wallet::user_action`] for what counts).
    pub fn user_action(&self) {
        self.wallet().user_action();
    }

    /// Sets the idle time before the wallet locks itself, below the
    /// settings' one-minute granularity (for tests of the auto-lock).
    pub fn set_auto_lock_after(&self, idle: Duration) {
        self.wallet().set_auto_lock_after(idle);
    }

    fn password_attempt(&self) -> AppResult<Attempt<'_>> {
        self.wallet().gate().admit()?;
        Ok(Attempt(self))
    }

    /// Stores a new account from a confirmed phrase and makes it active.
    pub fn wallet_create(&self, req: CreateWallet) -> AppResult<WalletState> {
        self.add_account(&req.label, &req.password, || from_phrase(&req.phrase, 0))?;
        tracing::info!("wallet: account created");
        self.after_wallet_change()
    }

    /// Imports a key, a phrase's account or a keystore.
    pub fn wallet_import(&self, req: ImportWallet) -> AppResult<WalletState> {
        self.add_account(&req.label, &req.password, || req.secret.signer())?;
        tracing::info!("wallet: account imported");
        self.after_wallet_change()
    }

    /// Encrypts the key `key` gives with the wallet password, stores it and
    /// makes it active, the wallet unlocked. A wallet with accounts checks
    /// the password first (through the gate): one key derivation when it is
    /// unlocked, one per account when locked (opening them is the check);
    /// then one more encrypts the new key.
    fn add_account(
        &self,
        label: &str,
        password: &str,
        key: impl FnOnce() -> AppResult<PrivateKeySigner>,
    ) -> AppResult<()> {
        self.user_action();
        vault::check_label(label)?;
        vault::check_new_password(password)?;
        let signer = blocking(key)?;
        let address = signer.address();
        let attempt = self.password_attempt()?;
        let (vault, stored, was_unlocked) = {
            let w = self.wallet();
            (w.vault().clone(), w.vault().accounts()?, w.is_unlocked())
        };
        vault::check_new(&stored, address)?;
        let keys = attempt.settle(blocking(|| {
            if was_unlocked {
                vault.check_password(&stored, password).map(|()| Vec::new())
            } else {
                vault.open_all(&stored, password)
            }
        }))?;
        let sealed = blocking(|| vault::seal(&signer, password))?;
        let mut w = self.wallet();
        w.vault().add(&sealed, label)?;
        // Locked meanwhile (auto-lock): it stays locked, the account stored.
        if !was_unlocked || w.is_unlocked() {
            w.install(
                keys.into_iter().chain([(address, signer)]).collect(),
                Some(address),
            )?;
        }
        w.user_action();
        Ok(())
    }

    /// Unlocks every keystore account with the wallet password. A wrong
    /// password costs one key derivation and, from the second in a row, a
    /// growing wait ([`crate::wallet::gate::delay_after`]).
    pub fn wallet_unlock(&self, password: String) -> AppResult<WalletState> {
        let password = Zeroizing::new(password);
        let attempt = self.password_attempt()?;
        let (vault, stored) = {
            let w = self.wallet();
            (w.vault().clone(), w.vault().accounts()?)
        };
        if stored.is_empty() {
            return Err(AppError::wallet(
                "there is no account to unlock yet: create or import one",
            ));
        }
        let keys = attempt.settle(blocking(|| vault.open_all(&stored, &password)))?;
        vault.tighten(&stored);
        {
            let mut w = self.wallet();
            w.install(keys, None)?;
            w.user_action();
        }
        drop(attempt);
        tracing::info!(accounts = stored.len(), "wallet unlocked");
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
        {
            let mut w = self.wallet();
            w.select(a, chain)?;
            w.user_action();
        }
        self.after_wallet_change()
    }

    fn after_wallet_change(&self) -> AppResult<WalletState> {
        let state = self.wallet_state()?;
        self.emit_wallet();
        Ok(state)
    }

    /// Validates and saves the settings; a changed node, chain or manifest
    /// reconnects and restarts the embedded indexer. A change that weakens
    /// protection (see [`weakens`]) needs the wallet password when the
    /// wallet has keystore accounts (checked through the wrong-password gate).
    pub fn settings_save(
        &self,
        settings: Settings,
        password: Option<String>,
    ) -> AppResult<Settings> {
        let password = password.map(Zeroizing::new);
        let mut settings = settings;
        settings.rpc_url = settings.rpc_url.trim().to_string();
        settings.manifest_path = settings
            .manifest_path
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty());
        settings.validate()?;
        if let Some(why) = weakens(&self.settings(), &settings) {
            let (vault, stored) = {
                let w = self.wallet();
                (w.vault().clone(), w.vault().accounts()?)
            };
            if !stored.is_empty() {
                let Some(password) = password.as_ref().filter(|p| !p.is_empty()) else {
                    return Err(AppError::new(
                        crate::error::ErrorKind::PasswordRequired,
                        format!(
                            "{why} weakens your protection: enter the wallet password to save it"
                        ),
                    ));
                };
                let attempt = self.password_attempt()?;
                attempt.settle(blocking(|| vault.check_password(&stored, password)))?;
            }
        }
        let reconnect = {
            let mut file = self.settings_file();
            let old = file.settings.clone();
            file.settings = settings.clone();
            file.save(&self.dirs.config.join("settings.json"))?;
            old.rpc_url != settings.rpc_url
                || old.chain_id != settings.chain_id
                || old.manifest_path != settings.manifest_path
        };
        {
            let mut w = self.wallet();
            w.set_auto_lock(settings.auto_lock_mins);
            w.user_action();
        }
        if reconnect {
            self.generation.send_modify(|g| *g += 1);
        }
        Ok(settings)
    }
}

/// What in `new` weakens the protection `old` gave, if anything: slippage
/// raised above 5%, allowing high-impact trades, another RPC endpoint or
/// another chain.
pub fn weakens(old: &Settings, new: &Settings) -> Option<&'static str> {
    if new.slippage_bps > 500 && new.slippage_bps > old.slippage_bps {
        return Some("a slippage above 5%");
    }
    if new.allow_high_impact && !old.allow_high_impact {
        return Some("allowing high-impact trades");
    }
    if new.rpc_url != old.rpc_url {
        return Some("changing the RPC endpoint");
    }
    if new.chain_id != old.chain_id {
        return Some("changing the chain");
    }
    let cap = |s: &Settings| s.fee_cap().ok().flatten();
    match (cap(old), cap(new)) {
        (Some(_), None) => return Some("removing the fee cap"),
        (Some(a), Some(b)) if b > a => return Some("raising the fee cap"),
        _ => {}
    }
    None
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
