//! The encrypted accounts on disk: one keystore V3 file per account in the
//! app's data directory, and `accounts.json` listing them (address, label,
//! file). Every account shares the wallet password.
//!
//! Keystores are written by [`tidepool_sdk::keystore`] at geth's standard
//! scrypt cost (N = 2^18, r = 8, p = 1: about 256 MiB and most of a second
//! per key). Every file, the list included, is private (0600 in a 0700
//! directory), written to a temporary name, fsynced and renamed, so a crash
//! leaves the old or the new file whole, never half of one.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use alloy::primitives::Address;
use alloy::signers::local::PrivateKeySigner;
use serde::{Deserialize, Serialize};
use tidepool_sdk::Error as SdkError;
use tidepool_sdk::keystore;
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

/// Why the wallet's keystores did not open.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The password is not the wallet password.
    #[error("wrong wallet password")]
    WrongPassword,
    /// Anything else: a damaged or missing file.
    #[error(transparent)]
    Other(#[from] AppError),
}

impl From<OpenError> for AppError {
    fn from(e: OpenError) -> Self {
        match e {
            OpenError::WrongPassword => AppError::wallet("wrong wallet password"),
            OpenError::Other(e) => e,
        }
    }
}

/// A decrypted account: its address and its key (wiped when dropped).
pub type Opened = (Address, PrivateKeySigner);

/// A key encrypted for the vault, ready to be stored (nothing secret: the
/// JSON holds only the ciphertext).
pub struct Sealed {
    address: Address,
    json: String,
}

/// How many keystores are decrypted at once: each scrypt at the standard
/// cost takes 256 MiB, so a wallet of several accounts unlocks in half the
/// time without a memory peak of a gigabyte.
const PARALLEL_OPENS: usize = 2;

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

fn write_private(path: &Path, bytes: &[u8]) -> AppResult<()> {
    keystore::write_private(path, bytes)
        .map_err(|e| AppError::internal(format!("cannot save: {e}")))
}

impl Vault {
    /// The vault in `dir` (created, private, on first write).
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

    /// Decrypts one account's key.
    pub fn decrypt(
        &self,
        account: &StoredAccount,
        password: &str,
    ) -> Result<PrivateKeySigner, OpenError> {
        let path = self.dir.join(&account.file);
        keystore::decrypt_file(&path, password).map_err(|e| match e {
            SdkError::WrongPassword => OpenError::WrongPassword,
            other => OpenError::Other(AppError::wallet(format!(
                "cannot open the keystore of {} ({}): {other}",
                account.address,
                path.display()
            ))),
        })
    }

    /// Checks `password` against the wallet (the first of `stored`); any
    /// password is right for an empty wallet.
    pub fn check_password(
        &self,
        stored: &[StoredAccount],
        password: &str,
    ) -> Result<(), OpenError> {
        match stored.first() {
            Some(first) => self.decrypt(first, password).map(drop),
            None => Ok(()),
        }
    }

    /// Decrypts every account of `stored` with the wallet password,
    /// [`PARALLEL_OPENS`] at a time, the first account first. Any failure
    /// stops the rest, so a wrong password costs the time of one key
    /// derivation, not one per account; the first account's verdict says
    /// whether the password is wrong.
    pub fn open_all(
        &self,
        stored: &[StoredAccount],
        password: &str,
    ) -> Result<Vec<Opened>, OpenError> {
        let next = AtomicUsize::new(0);
        let failed = AtomicBool::new(false);
        let work = || {
            let mut done = Vec::new();
            while !failed.load(Ordering::Relaxed) {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(account) = stored.get(i) else { break };
                let out = self.decrypt(account, password);
                failed.fetch_or(out.is_err(), Ordering::Relaxed);
                done.push((i, out));
            }
            done
        };
        let mut results = std::thread::scope(|s| {
            let others: Vec<_> = (1..PARALLEL_OPENS.min(stored.len()))
                .map(|_| s.spawn(work))
                .collect();
            let mut all = work();
            for t in others {
                all.extend(t.join().unwrap_or_default());
            }
            all
        });
        results.sort_by_key(|(i, _)| *i);
        if let Some((0, Err(OpenError::WrongPassword))) = results.first() {
            return Err(OpenError::WrongPassword);
        }
        let mut keys = Vec::with_capacity(stored.len());
        for (i, out) in results {
            match out {
                Ok(key) => keys.push((stored[i].address, key)),
                // The first account opened: this file is damaged or foreign.
                Err(OpenError::WrongPassword) => {
                    return Err(OpenError::Other(AppError::wallet(format!(
                        "the keystore of {} does not open with the wallet password: restore it from a backup or remove it from {}",
                        stored[i].address,
                        self.dir.join(INDEX).display()
                    ))));
                }
                Err(e) => return Err(e),
            }
        }
        if keys.len() != stored.len() {
            return Err(OpenError::Other(AppError::internal(
                "a keystore could not be decrypted (the decryption thread failed)",
            )));
        }
        Ok(keys)
    }

    /// Stores a sealed key under `label` and lists it. Refuses an address
    /// already in the wallet; a failed list write removes the new file.
    pub fn add(&self, sealed: &Sealed, label: &str) -> AppResult<StoredAccount> {
        let label = check_label(label)?;
        let mut accounts = self.accounts()?;
        let address = sealed.address;
        if accounts.iter().any(|a| a.address == address) {
            return Err(already(address));
        }
        let file = format!("{}.json", format!("{address:x}").trim_start_matches("0x"));
        let path = self.dir.join(&file);
        write_private(&path, sealed.json.as_bytes())?;
        let account = StoredAccount {
            address,
            label: label.to_string(),
            file,
        };
        accounts.push(account.clone());
        let saved = serde_json::to_vec_pretty(&accounts)
            .map_err(|e| AppError::internal(format!("cannot encode the account list: {e}")))
            .and_then(|json| write_private(&self.dir.join(INDEX), &json));
        if let Err(e) = saved {
            let _ = fs::remove_file(&path);
            return Err(e);
        }
        Ok(account)
    }

    /// Makes the directory 0700 and the listed files 0600 (vaults written
    /// before the files were private); a failure is logged, not fatal.
    pub fn tighten(&self, stored: &[StoredAccount]) {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let private = |p: &Path| fs::set_permissions(p, fs::Permissions::from_mode(0o600));
            let done = keystore::private_dir(&self.dir)
                .map_err(|e| e.to_string())
                .and_then(|()| {
                    std::iter::once(INDEX)
                        .chain(stored.iter().map(|a| a.file.as_str()))
                        .try_for_each(|f| private(&self.dir.join(f)).map_err(|e| e.to_string()))
                });
            if let Err(e) = done {
                tracing::warn!(dir = %self.dir.display(), "cannot make the wallet's files private: {e}");
            }
        }
        #[cfg(not(unix))]
        let _ = stored;
    }
}

fn already(address: Address) -> AppError {
    AppError::input(format!("{address} is already in the wallet"))
}

/// Refuses an address already among `stored`.
pub fn check_new(stored: &[StoredAccount], address: Address) -> AppResult<()> {
    if stored.iter().any(|a| a.address == address) {
        return Err(already(address));
    }
    Ok(())
}

/// Encrypts `signer`'s key with `password` at the standard scrypt cost.
pub fn seal(signer: &PrivateKeySigner, password: &str) -> AppResult<Sealed> {
    let key = Zeroizing::new(signer.to_bytes().0);
    let json = keystore::encrypt(&key, password, keystore::STANDARD)
        .map_err(|e| AppError::internal(format!("cannot encrypt the key: {e}")))?;
    Ok(Sealed {
        address: signer.address(),
        json,
    })
}

/// Decrypts a keystore given as JSON text (an import), in memory.
pub fn decrypt_import(json: &str, password: &str) -> AppResult<PrivateKeySigner> {
    keystore::decrypt(json, password).map_err(|e| match e {
        SdkError::WrongPassword => {
            AppError::wallet(
                "wrong password for this keystore: enter the keystore's password (the one it was saved with), not the wallet's",
            )
        }
        SdkError::BadKeystore(why) => {
            AppError::input(format!("this is not a keystore V3 JSON file that can be read: {why}"))
        }
        other => AppError::wallet(format!("cannot decrypt this keystore: {other}")),
    })
}

/// A label is 1 to 40 characters (trimmed).
pub fn check_label(label: &str) -> AppResult<&str> {
    let label = label.trim();
    if label.is_empty() || label.chars().count() > 40 {
        return Err(AppError::input(
            "give the account a name of 1 to 40 characters",
        ));
    }
    Ok(label)
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
