//! The wallet session: which accounts are unlocked, which one is active,
//! when to lock again (only a person's actions postpone it: see
//! [`Wallet::user_action`]) and how long to hold back the reply to a wrong
//! password ([`gate`]). Decrypted keys live only here, in memory, and are
//! zeroized when dropped (on lock, auto-lock or exit); the phrase and key
//! text of an import are copied only into buffers that are wiped too. No
//! reply carries one.

pub mod gate;
pub mod vault;

use std::collections::HashMap;
use std::fmt;
use std::time::{Duration, Instant};

use alloy::primitives::Address;
use alloy::signers::local::{MnemonicBuilder, PrivateKeySigner};
use serde::{Deserialize, Serialize};
use specta::Type;
use tidepool_sdk::signer::{self, DEV_ACCOUNTS, LoadedSigner};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::{AppError, AppResult};
use gate::PasswordGate;
use vault::{Opened, Vault};

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
    /// The connected external or browser wallet, which then is the active
    /// account (filled in by the core).
    pub remote: Option<crate::connect::RemoteView>,
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
    last_action: Instant,
    auto_lock: Duration,
    gate: PasswordGate,
}

fn dev_index(address: Address) -> Option<u32> {
    (0..DEV_ACCOUNTS).find(|&n| signer::dev_address(n) == address)
}

/// Account `index` of a BIP-39 phrase (m/44'/60'/0'/0/index). The phrase is
/// normalised (single spaces, lower case) in a buffer that is wiped.
pub fn from_phrase(phrase: &str, index: u32) -> AppResult<PrivateKeySigner> {
    // Lower-casing may lengthen a character; room for that means no
    // reallocation leaves an unwiped copy behind.
    let mut words = Zeroizing::new(String::with_capacity(phrase.len() * 3));
    let mut count = 0;
    for word in phrase.split_whitespace() {
        if count > 0 {
            words.push(' ');
        }
        count += 1;
        word.chars()
            .flat_map(char::to_lowercase)
            .for_each(|c| words.push(c));
    }
    if ![12, 15, 18, 21, 24].contains(&count) {
        return Err(AppError::input(
            "a recovery phrase has 12, 15, 18, 21 or 24 words",
        ));
    }
    // The builder wipes its copy of the phrase when dropped.
    MnemonicBuilder::english()
        .phrase(words.as_str())
        .index(index)
        .and_then(|b| b.build())
        .map_err(|_| {
            AppError::input(
                "this is not a valid BIP-39 recovery phrase: check each word's spelling and the order",
            )
        })
}

/// A hex private key (64 digits, 0x optional), decoded into a wiped buffer.
pub fn from_hex_key(key: &str) -> AppResult<PrivateKeySigner> {
    let hex = key.trim();
    let digits = hex.strip_prefix("0x").unwrap_or(hex);
    let mut bytes = Zeroizing::new([0u8; 32]);
    if digits.len() != 64 || alloy::hex::decode_to_slice(digits, &mut bytes[..]).is_err() {
        return Err(AppError::input(
            "a private key is 64 hexadecimal digits (0x optional)",
        ));
    }
    PrivateKeySigner::from_slice(&bytes[..])
        .map_err(|_| AppError::input("this private key is not a valid secp256k1 key"))
}

impl ImportSecret {
    /// The key this secret holds (a keystore costs one key derivation at
    /// the keystore's own cost).
    pub fn signer(&self) -> AppResult<PrivateKeySigner> {
        match self {
            Self::PrivateKey { key } => from_hex_key(key),
            Self::Mnemonic { phrase, index } => from_phrase(phrase, *index),
            Self::Keystore {
                json,
                keystore_password,
            } => vault::decrypt_import(json, keystore_password),
        }
    }
}

impl Wallet {
    /// A locked session over `vault`.
    pub fn new(vault: Vault, auto_lock_mins: u32) -> Self {
        Self {
            vault,
            unlocked: HashMap::new(),
            active: None,
            last_action: Instant::now(),
            auto_lock: Duration::from_secs(u64::from(auto_lock_mins) * 60),
            gate: PasswordGate::default(),
        }
    }

    /// Records an action of the person at the keyboard (unlock, choosing an
    /// account, a review, a send, a deposit or withdrawal, an approval,
    /// saving the settings, an export): it postpones the auto-lock. Nothing
    /// the app does by itself (quote refreshes, polling of balances, pools,
    /// history or status) may call it.
    pub fn user_action(&mut self) {
        self.last_action = Instant::now();
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

    /// Whether the wallet is unlocked and no user action came for longer
    /// than the auto-lock time.
    pub fn auto_lock_due(&self) -> bool {
        (self.active.is_some() || !self.unlocked.is_empty())
            && self.last_action.elapsed() >= self.auto_lock
    }

    /// The encrypted accounts on disk.
    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    /// The wrong-password throttle.
    pub fn gate(&mut self) -> &mut PasswordGate {
        &mut self.gate
    }

    /// Whether the keystore accounts are unlocked.
    pub fn is_unlocked(&self) -> bool {
        !self.unlocked.is_empty()
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
            remote: None,
        })
    }

    fn can_sign(&self, address: Address, chain_id: Option<u64>) -> bool {
        self.unlocked.contains_key(&address)
            || (chain_id == Some(ANVIL_CHAIN_ID) && dev_index(address).is_some())
    }

    /// Keeps decrypted keys (the wallet password opened them) and makes
    /// `active` the active account; without one, the first stored account
    /// when none or a dev account was active.
    pub fn install(&mut self, keys: Vec<Opened>, active: Option<Address>) -> AppResult<()> {
        self.unlocked.extend(keys);
        match active {
            Some(a) => self.active = Some(a),
            None if self.active.is_none_or(|a| dev_index(a).is_some()) => {
                self.active = self.vault.accounts()?.first().map(|a| a.address);
            }
            None => {}
        }
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
        Ok(())
    }

    /// The active account's signer, for `chain_id`.
    pub fn signer(&self, chain_id: u64) -> AppResult<LoadedSigner> {
        let Some(address) = self.active else {
            return Err(AppError::wallet(
                "no account is active: unlock the wallet or choose an account in Wallet",
            ));
        };
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
