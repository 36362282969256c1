//! The wallet session: which accounts are unlocked, which one is active, and
//! when to lock again. Decrypted keys live only here, in memory, and are
//! zeroized when dropped (on lock, auto-lock or exit). No reply carries one.

pub mod vault;

use std::collections::HashMap;
use std::fmt;
use std::time::{Duration, Instant};

use alloy::primitives::Address;
use alloy::signers::local::{MnemonicBuilder, PrivateKeySigner};
use serde::{Deserialize, Serialize};
use specta::Type;
use tidepool_sdk::signer::{self, DEV_ACCOUNTS, LoadedSigner};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::{AppError, AppResult};
use vault::Vault;

/// Anvil's chain id: the only chain on which the dev accounts are offered.
pub const ANVIL_CHAIN_ID: u64 = 31337;

/// Where an account's key comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum AccountKind {
    /// An encrypted keystore in the app's data directory.
    Keystore,
    /// One of Anvil's public dev accounts (test-only).
    Dev,
}

/// An account as the UI lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AccountInfo {
    /// The checksummed address.
    pub address: String,
    /// The user's name for it, or "Dev account N".
    pub label: String,
    /// Keystore or dev account.
    pub kind: AccountKind,
    /// Whether the key is public knowledge (Anvil's dev keys).
    pub test_only: bool,
}

/// The wallet as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct WalletState {
    /// Whether any keystore account exists.
    pub has_keystore: bool,
    /// Whether the keystore accounts are unlocked.
    pub unlocked: bool,
    /// Keystore accounts, then (on chain 31337) the dev accounts.
    pub accounts: Vec<AccountInfo>,
    /// The active account, when it can sign now.
    pub active: Option<String>,
    /// Minutes of inactivity before the wallet locks itself.
    pub auto_lock_mins: u32,
}

/// A new account from a phrase the UI generated and the user confirmed.
#[derive(Deserialize, Type, Zeroize, ZeroizeOnDrop)]
#[serde(rename_all = "camelCase")]
pub struct CreateWallet {
    /// The account's name.
    pub label: String,
    /// The BIP-39 phrase (account 0 of m/44'/60'/0'/0 is stored).
    pub phrase: String,
    /// The wallet password.
    pub password: String,
}

/// A secret to import.
#[derive(Deserialize, Type, Zeroize, ZeroizeOnDrop)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum ImportSecret {
    /// A hex private key.
    #[serde(rename_all = "camelCase")]
    PrivateKey {
        /// 64 hex digits, 0x optional.
        key: String,
    },
    /// A BIP-39 phrase and the account index.
    #[serde(rename_all = "camelCase")]
    Mnemonic {
        /// The phrase.
        phrase: String,
        /// m/44'/60'/0'/0/index.
        index: u32,
    },
    /// A keystore V3 JSON and its own password.
    #[serde(rename_all = "camelCase")]
    Keystore {
        /// The file's text.
        json: String,
        /// The keystore's password.
        keystore_password: String,
    },
}

/// An import request.
#[derive(Deserialize, Type, Zeroize, ZeroizeOnDrop)]
#[serde(rename_all = "camelCase")]
pub struct ImportWallet {
    /// The account's name.
    pub label: String,
    /// What to import.
    pub secret: ImportSecret,
    /// The wallet password (set by the first account; later ones must match).
    pub password: String,
}

macro_rules! redacted_debug {
    ($($t:ty),*) => {$(
        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($t), "(<redacted>)"))
            }
        }
    )*};
}
redacted_debug!(CreateWallet, ImportSecret, ImportWallet);

/// The session.
pub struct Wallet {
    vault: Vault,
    unlocked: HashMap<Address, PrivateKeySigner>,
    active: Option<Address>,
    last_activity: Instant,
    auto_lock: Duration,
}

fn dev_index(address: Address) -> Option<u32> {
    (0..DEV_ACCOUNTS).find(|&n| signer::dev_address(n) == address)
}

fn from_phrase(phrase: &str, index: u32) -> AppResult<PrivateKeySigner> {
    let words = phrase.split_whitespace().collect::<Vec<_>>().join(" ");
    if ![12, 15, 18, 21, 24].contains(&words.split(' ').count()) {
        return Err(AppError::input(
            "a recovery phrase has 12, 15, 18, 21 or 24 words",
        ));
    }
    MnemonicBuilder::english()
        .phrase(words.to_lowercase())
        .index(index)
        .and_then(|b| b.build())
        .map_err(|_| {
            AppError::input(
                "this is not a valid BIP-39 recovery phrase: check each word's spelling and the order",
            )
        })
}

impl Wallet {
    /// A locked session over `vault`.
    pub fn new(vault: Vault, auto_lock_mins: u32) -> Self {
        Self {
            vault,
            unlocked: HashMap::new(),
            active: None,
            last_activity: Instant::now(),
            auto_lock: Duration::from_secs(u64::from(auto_lock_mins) * 60),
        }
    }

    /// Records user activity (postpones the auto-lock).
    pub fn touch(&mut self) {
        self.last_activity = Instant::now();
    }

    /// Sets the idle time before the auto-lock.
    pub fn set_auto_lock(&mut self, mins: u32) {
        self.auto_lock = Duration::from_secs(u64::from(mins) * 60);
    }

    /// Sets the idle time before the wallet locks itself, below the settings'
    /// one-minute granularity (for tests of the auto-lock).
    pub fn set_auto_lock_after(&mut self, idle: Duration) {
        self.auto_lock = idle;
    }

    /// Whether the wallet is unlocked and idle for longer than the auto-lock time.
    pub fn auto_lock_due(&self) -> bool {
        (self.active.is_some() || !self.unlocked.is_empty())
            && self.last_activity.elapsed() >= self.auto_lock
    }

    /// What the UI shows; `chain_id` is the connected chain (dev accounts only on 31337).
    pub fn state(&self, chain_id: Option<u64>) -> AppResult<WalletState> {
        let stored = self.vault.accounts()?;
        let mut accounts: Vec<AccountInfo> = stored
            .iter()
            .map(|a| AccountInfo {
                address: a.address.to_checksum(None),
                label: a.label.clone(),
                kind: AccountKind::Keystore,
                test_only: dev_index(a.address).is_some(),
            })
            .collect();
        if chain_id == Some(ANVIL_CHAIN_ID) {
            accounts.extend((0..DEV_ACCOUNTS).map(|n| AccountInfo {
                address: signer::dev_address(n).to_checksum(None),
                label: format!("Dev account {n}"),
                kind: AccountKind::Dev,
                test_only: true,
            }));
        }
        Ok(WalletState {
            has_keystore: !stored.is_empty(),
            unlocked: !self.unlocked.is_empty(),
            accounts,
            active: self
                .active
                .filter(|a| self.can_sign(*a, chain_id))
                .map(|a| a.to_checksum(None)),
            auto_lock_mins: u32::try_from(self.auto_lock.as_secs() / 60).unwrap_or(u32::MAX),
        })
    }

    fn can_sign(&self, address: Address, chain_id: Option<u64>) -> bool {
        self.unlocked.contains_key(&address)
            || (chain_id == Some(ANVIL_CHAIN_ID) && dev_index(address).is_some())
    }

    /// Unlocks every keystore account with the wallet password.
    pub fn unlock(&mut self, password: &str) -> AppResult<()> {
        let stored = self.vault.accounts()?;
        if stored.is_empty() {
            return Err(AppError::wallet(
                "there is no account to unlock yet: create or import one",
            ));
        }
        let mut keys = HashMap::new();
        for account in &stored {
            keys.insert(account.address, self.vault.decrypt(account, password)?);
        }
        self.unlocked = keys;
        if self.active.is_none_or(|a| dev_index(a).is_some()) {
            self.active = Some(stored[0].address);
        }
        self.touch();
        Ok(())
    }

    /// Forgets every decrypted key (they are zeroized as they drop) and the
    /// active account, dev accounts included: locked means nothing can sign.
    pub fn lock(&mut self) {
        self.unlocked.clear();
        self.active = None;
    }

    /// Makes `address` the active account.
    pub fn select(&mut self, address: Address, chain_id: Option<u64>) -> AppResult<()> {
        if !self.can_sign(address, chain_id) {
            let known = self.vault.accounts()?.iter().any(|a| a.address == address);
            return Err(AppError::wallet(if known {
                "unlock the wallet first".to_string()
            } else if dev_index(address).is_some() {
                "dev accounts are offered only on Anvil's chain (31337); this node is on another chain"
                    .to_string()
            } else {
                format!("{address} is not an account of this wallet")
            }));
        }
        self.active = Some(address);
        self.touch();
        Ok(())
    }

    fn store(&mut self, signer: PrivateKeySigner, label: &str, password: &str) -> AppResult<()> {
        let address = signer.address();
        self.vault.add(&signer, label, password)?;
        self.unlock(password)?;
        self.active = Some(address);
        Ok(())
    }

    /// Stores account 0 of a new phrase and makes it active.
    pub fn create(&mut self, req: &CreateWallet) -> AppResult<()> {
        let signer = from_phrase(&req.phrase, 0)?;
        self.store(signer, &req.label, &req.password)
    }

    /// Imports a key, phrase account or keystore and makes it active.
    pub fn import(&mut self, req: &ImportWallet) -> AppResult<()> {
        let signer = match &req.secret {
            ImportSecret::PrivateKey { key } => {
                let hex = key.trim();
                let digits = hex.strip_prefix("0x").unwrap_or(hex);
                if digits.len() != 64 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
                    return Err(AppError::input(
                        "a private key is 64 hexadecimal digits (0x optional)",
                    ));
                }
                digits
                    .parse::<PrivateKeySigner>()
                    .map_err(|_| AppError::input("this private key is not a valid secp256k1 key"))?
            }
            ImportSecret::Mnemonic { phrase, index } => from_phrase(phrase, *index)?,
            ImportSecret::Keystore {
                json,
                keystore_password,
            } => self.vault.decrypt_json(json, keystore_password)?,
        };
        self.store(signer, &req.label, &req.password)
    }

    /// The active account's signer, for `chain_id`.
    pub fn signer(&mut self, chain_id: u64) -> AppResult<LoadedSigner> {
        let Some(address) = self.active else {
            return Err(AppError::wallet(
                "no account is active: unlock the wallet or choose an account in Wallet",
            ));
        };
        self.touch();
        if let Some(key) = self.unlocked.get(&address) {
            return Ok(LoadedSigner {
                signer: key.clone(),
                label: "wallet account".into(),
                test_only: dev_index(address).is_some(),
            });
        }
        match dev_index(address) {
            Some(n) => signer::SignerSource::DevAccount(n)
                .load(chain_id)
                .map_err(AppError::from),
            None => Err(AppError::wallet(
                "the wallet is locked: unlock it with your password to send",
            )),
        }
    }

    /// The active account's address, signing or not (for balances and history).
    pub fn active_address(&self) -> Option<Address> {
        self.active
    }
}
