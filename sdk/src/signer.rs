//! Where a signing key comes from: a raw private key, an encrypted keystore
//! file (V3), a BIP-39 mnemonic with an index, or one of Anvil's well-known
//! dev accounts (only on chain id 31337, and always labelled test-only).
//!
//! Nothing secret is logged, printed or kept: keys live inside alloy's
//! `PrivateKeySigner` (which zeroizes on drop) and the [`Debug`] of
//! [`SignerSource`] redacts every secret.

use std::fmt;
use std::path::PathBuf;

use alloy::primitives::Address;
use alloy::signers::local::{MnemonicBuilder, PrivateKeySigner, coins_bip39::English};

use crate::error::{Error, Result};

/// Anvil's chain id: the only chain on which dev accounts are offered.
pub const ANVIL_CHAIN_ID: u64 = 31337;

/// Anvil's public test mnemonic. Its keys are printed by every anvil at start-up
/// and hold value on no real chain: test-only.
pub const ANVIL_MNEMONIC: &str = "test test test test test test test test test test test junk";

/// How many dev accounts anvil funds by default.
pub const DEV_ACCOUNTS: u32 = 10;

/// Where to get a key.
#[derive(Clone)]
pub enum SignerSource {
    /// A hex private key (with or without 0x).
    PrivateKey(String),
    /// An encrypted keystore file and its password.
    Keystore {
        /// The keystore JSON file.
        path: PathBuf,
        /// Its password.
        password: String,
    },
    /// A BIP-39 mnemonic and the account index (m/44'/60'/0'/0/index).
    Mnemonic {
        /// The phrase.
        phrase: String,
        /// The account index.
        index: u32,
    },
    /// Anvil's dev account `n` (0–9).
    DevAccount(u32),
}

impl fmt::Debug for SignerSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::PrivateKey(_) => f.write_str("PrivateKey(<redacted>)"),
            Self::Keystore { path, .. } => write!(f, "Keystore({}, <redacted>)", path.display()),
            Self::Mnemonic { index, .. } => write!(f, "Mnemonic(<redacted>, index {index})"),
            Self::DevAccount(n) => write!(f, "DevAccount({n})"),
        }
    }
}

/// A loaded signer with a description fit for display.
pub struct LoadedSigner {
    /// The signer.
    pub signer: PrivateKeySigner,
    /// e.g. "dev account 1 (test-only)", "keystore wallet.json".
    pub label: String,
    /// Whether the key is public knowledge (Anvil's dev accounts).
    pub test_only: bool,
}

impl LoadedSigner {
    /// The account's address.
    pub fn address(&self) -> Address {
        self.signer.address()
    }
}

impl fmt::Debug for LoadedSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LoadedSigner({} {})", self.label, self.address())
    }
}

impl SignerSource {
    /// Loads the key. `chain_id` is the chain it will sign for: dev accounts are
    /// refused anywhere but Anvil's chain id.
    pub fn load(&self, chain_id: u64) -> Result<LoadedSigner> {
        match self {
            Self::PrivateKey(hex) => {
                let signer: PrivateKeySigner = hex.trim().parse().map_err(|_| {
                    Error::Signer(
                        "the private key is not 32 bytes of hex (64 hex digits, 0x optional)"
                            .into(),
                    )
                })?;
                Ok(LoadedSigner {
                    label: "private key".into(),
                    test_only: is_dev_key(&signer),
                    signer,
                })
            }
            Self::Keystore { path, password } => {
                let signer = crate::keystore::decrypt_file(path, password)?;
                Ok(LoadedSigner {
                    label: format!("keystore {}", path.display()),
                    test_only: is_dev_key(&signer),
                    signer,
                })
            }
            Self::Mnemonic { phrase, index } => {
                let signer = from_mnemonic(phrase, *index)?;
                Ok(LoadedSigner {
                    label: format!("mnemonic account {index}"),
                    test_only: is_dev_key(&signer),
                    signer,
                })
            }
            Self::DevAccount(n) => {
                if chain_id != ANVIL_CHAIN_ID {
                    return Err(Error::DevAccountOffChain {
                        chain_id,
                        anvil: ANVIL_CHAIN_ID,
                    });
                }
                if *n >= DEV_ACCOUNTS {
                    return Err(Error::Signer(format!(
                        "dev account {n} does not exist: anvil has dev accounts 0 to {}",
                        DEV_ACCOUNTS - 1
                    )));
                }
                Ok(LoadedSigner {
                    signer: dev_signer(*n),
                    label: format!("dev account {n} (test-only key)"),
                    test_only: true,
                })
            }
        }
    }
}

fn from_mnemonic(phrase: &str, index: u32) -> Result<PrivateKeySigner> {
    let normalized = phrase.split_whitespace().collect::<Vec<_>>().join(" ");
    MnemonicBuilder::<English>::default()
        .phrase(normalized)
        .index(index)
        .and_then(|b| b.build())
        .map_err(|_| {
            Error::Signer(
                "the mnemonic is not a valid BIP-39 English phrase (12 or 24 words, checksum included)"
                    .into(),
            )
        })
}

/// Anvil's dev keys 0–9: [`ANVIL_MNEMONIC`] at m/44'/60'/0'/0/n, printed by every
/// anvil at start-up. Kept as constants because deriving them (PBKDF2 over the
/// mnemonic) costs tens of milliseconds each; a test checks them against the mnemonic.
const DEV_KEYS: [&str; DEV_ACCOUNTS as usize] = [
    "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    "7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
    "47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
    "8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
    "92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
    "4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
    "dbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
    "2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
];

/// Anvil's dev account `n` (a public test key). Panics if `n` ≥ 10.
pub fn dev_signer(n: u32) -> PrivateKeySigner {
    DEV_KEYS[n as usize].parse().expect("a valid dev key")
}

/// The address of Anvil's dev account `n`.
pub fn dev_address(n: u32) -> Address {
    dev_signer(n).address()
}

fn is_dev_key(signer: &PrivateKeySigner) -> bool {
    (0..DEV_ACCOUNTS).any(|n| dev_address(n) == signer.address())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy::primitives::address;

    #[test]
    fn dev_accounts_are_anvils() {
        assert_eq!(
            dev_address(0),
            address!("f39Fd6e51aad88F6F4ce6aB8827279cffFb92266")
        );
        assert_eq!(
            dev_address(9),
            address!("a0Ee7A142d267C1f36714E4a8F75612F20a79720")
        );
        let s = SignerSource::DevAccount(1).load(31337).unwrap();
        assert!(s.test_only && s.label.contains("test-only"));
    }

    #[test]
    fn dev_keys_are_the_mnemonics() {
        for n in 0..DEV_ACCOUNTS {
            assert_eq!(
                from_mnemonic(ANVIL_MNEMONIC, n).unwrap().address(),
                dev_address(n),
                "key {n}"
            );
        }
    }

    #[test]
    fn dev_accounts_refused_off_anvil() {
        let err = SignerSource::DevAccount(1).load(1).unwrap_err().to_string();
        assert!(err.contains("only offered on chain id 31337"), "{err}");
        let err = SignerSource::DevAccount(10)
            .load(31337)
            .unwrap_err()
            .to_string();
        assert!(err.contains("0 to 9"), "{err}");
    }

    #[test]
    fn private_key_and_mnemonic() {
        let key = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
        let s = SignerSource::PrivateKey(key.into()).load(1).unwrap();
        assert_eq!(s.address(), dev_address(1));
        assert!(s.test_only);
        let m = SignerSource::Mnemonic {
            phrase: format!(" {ANVIL_MNEMONIC}  "),
            index: 2,
        };
        assert_eq!(m.load(1).unwrap().address(), dev_address(2));
        let bad = SignerSource::PrivateKey("0x1234".into())
            .load(1)
            .unwrap_err()
            .to_string();
        assert!(bad.contains("not 32 bytes"), "{bad}");
        let bad = SignerSource::Mnemonic {
            phrase: "test ".repeat(12),
            index: 0,
        };
        assert!(
            bad.load(1)
                .unwrap_err()
                .to_string()
                .contains("not a valid BIP-39")
        );
    }

    #[test]
    fn debug_never_shows_secrets() {
        let key = "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
        let all = [
            SignerSource::PrivateKey(key.into()),
            SignerSource::Mnemonic {
                phrase: ANVIL_MNEMONIC.into(),
                index: 0,
            },
            SignerSource::Keystore {
                path: "k.json".into(),
                password: "hunter22".into(),
            },
        ];
        for s in all {
            let shown = format!("{s:?}");
            assert!(!shown.contains(key) && !shown.contains("junk") && !shown.contains("hunter22"));
        }
    }

    #[test]
    fn keystore_round_trip_and_wrong_password() {
        let dir = std::env::temp_dir().join(format!("tidepool-ks-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut rng = rand::thread_rng();
        let (signer, name) =
            PrivateKeySigner::new_keystore(&dir, &mut rng, "correct horse", None).unwrap();
        let path = dir.join(name);
        let ok = SignerSource::Keystore {
            path: path.clone(),
            password: "correct horse".into(),
        };
        assert_eq!(ok.load(1).unwrap().address(), signer.address());
        let bad = SignerSource::Keystore {
            path,
            password: "wrong".into(),
        };
        let err = bad.load(1).unwrap_err().to_string();
        assert!(err.contains("wrong password"), "{err}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
