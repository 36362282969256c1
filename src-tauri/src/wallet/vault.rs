//! The encrypted accounts on disk: one keystore V3 file per account in the
//! app's data directory, and `accounts.json` listing them (address, label,
//! file). Every account shares the wallet password. Files are written to a
//! temporary name and renamed, so a crash leaves either the old or the new
//! list, never half of one.

use std::fs;
use std::path::{Path, PathBuf};

use alloy::primitives::Address;
use alloy::signers::local::PrivateKeySigner;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{AppError, AppResult};

/// One stored account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredAccount {
    /// Its address.
    pub address: Address,
    /// The user's name for it.
    pub label: String,
    /// The keystore file's name inside the vault directory.
    pub file: String,
}

/// The vault directory.
#[derive(Debug, Clone)]
pub struct Vault {
    dir: PathBuf,
}

const INDEX: &str = "accounts.json";

fn io(what: &str, path: &Path, e: impl std::fmt::Display) -> AppError {
    AppError::internal(format!("cannot {what} {}: {e}", path.display()))
}

/// Writes `bytes` to `path` through a temporary file and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> AppResult<()> {
    let tmp = path.with_extension("tmp");
    fs::write(&tmp, bytes).map_err(|e| io("write", &tmp, e))?;
    fs::rename(&tmp, path).map_err(|e| io("replace", path, e))
}

impl Vault {
    /// The vault in `dir` (created on first write).
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    /// The accounts, in the order they were added.
    pub fn accounts(&self) -> AppResult<Vec<StoredAccount>> {
        let path = self.dir.join(INDEX);
        match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                io(
                    "read the wallet's account list (move it aside to start afresh)",
                    &path,
                    e,
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(io("read", &path, e)),
        }
    }

    fn save_index(&self, accounts: &[StoredAccount]) -> AppResult<()> {
        let json = serde_json::to_vec_pretty(accounts)
            .map_err(|e| AppError::internal(format!("cannot encode the account list: {e}")))?;
        write_atomic(&self.dir.join(INDEX), &json)
    }

    /// Decrypts one account's key.
    pub fn decrypt(&self, account: &StoredAccount, password: &str) -> AppResult<PrivateKeySigner> {
        decrypt_file(&self.dir.join(&account.file), password)
    }

    /// Checks `password` against the wallet (the first account's keystore);
    /// any password is right for an empty wallet.
    pub fn check_password(&self, password: &str) -> AppResult<()> {
        match self.accounts()?.first() {
            Some(first) => self.decrypt(first, password).map(|_| ()),
            None => Ok(()),
        }
    }

    /// Encrypts `signer` with `password` into a new keystore file and lists it.
    /// Refuses an address already in the wallet and an empty label.
    pub fn add(
        &self,
        signer: &PrivateKeySigner,
        label: &str,
        password: &str,
    ) -> AppResult<StoredAccount> {
        let label = label.trim();
        if label.is_empty() || label.chars().count() > 40 {
            return Err(AppError::input(
                "give the account a name of 1 to 40 characters",
            ));
        }
        check_new_password(password)?;
        let mut accounts = self.accounts()?;
        let address = signer.address();
        if accounts.iter().any(|a| a.address == address) {
            return Err(AppError::input(format!(
                "{address} is already in the wallet"
            )));
        }
        self.check_password(password)?;
        fs::create_dir_all(&self.dir).map_err(|e| io("create", &self.dir, e))?;
        let file = format!("{}.json", format!("{address:x}").trim_start_matches("0x"));
        let key = Zeroizing::new(signer.to_bytes().0);
        PrivateKeySigner::encrypt_keystore(
            &self.dir,
            &mut rand::thread_rng(),
            &key[..],
            password,
            Some(&file),
        )
        .map_err(|e| AppError::internal(format!("cannot write the keystore: {e}")))?;
        let account = StoredAccount {
            address,
            label: label.to_string(),
            file,
        };
        accounts.push(account.clone());
        if let Err(e) = self.save_index(&accounts) {
            let _ = fs::remove_file(self.dir.join(&account.file));
            return Err(e);
        }
        Ok(account)
    }

    /// Decrypts a keystore given as JSON text (an import), through a private
    /// temporary file in the vault directory that is removed afterwards.
    pub fn decrypt_json(&self, json: &str, password: &str) -> AppResult<PrivateKeySigner> {
        serde_json::from_str::<serde_json::Value>(json)
            .ok()
            .filter(|v| v.get("crypto").or_else(|| v.get("Crypto")).is_some())
            .ok_or_else(|| {
                AppError::input(
                    "this is not a keystore V3 JSON file (it has no \"crypto\" section)",
                )
            })?;
        fs::create_dir_all(&self.dir).map_err(|e| io("create", &self.dir, e))?;
        let tmp = self
            .dir
            .join(format!("import-{}.tmp", rand::random::<u64>()));
        fs::write(&tmp, json).map_err(|e| io("write", &tmp, e))?;
        let out = decrypt_file(&tmp, password);
        let _ = fs::remove_file(&tmp);
        out.map_err(|e| {
            AppError::wallet(e.message.replace("wallet password", "keystore's password"))
        })
    }
}

fn decrypt_file(path: &Path, password: &str) -> AppResult<PrivateKeySigner> {
    PrivateKeySigner::decrypt_keystore(path, password).map_err(|e| {
        let why = e.to_string();
        if why.to_lowercase().contains("mac") {
            AppError::wallet("wrong wallet password")
        } else {
            AppError::wallet(format!(
                "cannot decrypt the keystore {}: {why}",
                path.display()
            ))
        }
    })
}

/// A new wallet password must be at least 8 characters.
pub fn check_new_password(password: &str) -> AppResult<()> {
    if password.chars().count() < 8 {
        return Err(AppError::input(
            "the wallet password must be at least 8 characters",
        ));
    }
    Ok(())
}
