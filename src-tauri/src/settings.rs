//! The user's settings, saved as JSON in the app's config directory, with the
//! tokens they imported. `TIDEPOOL_RPC`, `TIDEPOOL_CHAIN_ID` and
//! `TIDEPOOL_MANIFEST` override the file for one run (the run command and the
//! tests use them); saving from the UI writes what the UI shows.

use std::path::{Path, PathBuf};

use alloy::primitives::Address;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::{AppError, AppResult};
use crate::wallet::vault::write_atomic;

/// What the user can set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// The node's JSON-RPC endpoint (http, https, ws or wss).
    pub rpc_url: String,
    /// The chain id the user expects; a mismatch blocks sending.
    pub chain_id: u64,
    /// Slippage in basis points (50 = 0.5%).
    pub slippage_bps: u32,
    /// Minutes before a sent trade expires.
    pub deadline_mins: u32,
    /// Minutes of inactivity before the wallet locks itself.
    pub auto_lock_mins: u32,
    /// Allow swaps with a price impact above 15%.
    pub allow_high_impact: bool,
    /// The deployment manifest; `None`: `deployments/<chain id>.json`.
    pub manifest_path: Option<String>,
    /// The fee preset a review starts with.
    pub fee_speed: FeeSpeed,
    /// The most to pay per gas, in gwei (e.g. "50"); `None`: no cap. A
    /// transaction whose max fee would be above it is not sent.
    pub fee_cap_gwei: Option<String>,
}

/// A fee preset, as the UI offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum FeeSpeed {
    /// The 10th percentile tip of recent blocks.
    Slow,
    /// The median tip.
    #[default]
    Normal,
    /// The 90th percentile tip.
    Fast,
}

impl From<FeeSpeed> for tidepool_sdk::fees::Speed {
    fn from(s: FeeSpeed) -> Self {
        match s {
            FeeSpeed::Slow => Self::Slow,
            FeeSpeed::Normal => Self::Normal,
            FeeSpeed::Fast => Self::Fast,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            rpc_url: "http://127.0.0.1:8545".into(),
            chain_id: 31337,
            slippage_bps: 50,
            deadline_mins: 20,
            auto_lock_mins: 15,
            allow_high_impact: false,
            manifest_path: None,
            fee_speed: FeeSpeed::Normal,
            fee_cap_gwei: None,
        }
    }
}

/// The settings file: settings and imported tokens.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SettingsFile {
    /// The settings.
    pub settings: Settings,
    /// Tokens the user imported by address, per chain id.
    pub imported: Vec<(u64, Address)>,
}

impl Settings {
    /// Refuses values the app cannot work with, naming the field.
    pub fn validate(&self) -> AppResult<()> {
        let url = self.rpc_url.trim();
        let scheme_ok = ["http://", "https://", "ws://", "wss://"]
            .iter()
            .any(|s| url.starts_with(s) && url.len() > s.len());
        if !scheme_ok {
            return Err(AppError::input(format!(
                "RPC URL `{url}` is not an http(s):// or ws(s):// URL (e.g. http://127.0.0.1:8545)"
            )));
        }
        if self.chain_id == 0 {
            return Err(AppError::input("the chain id must be a positive number"));
        }
        self.fee_cap()?;
        if !(1..=5_000).contains(&self.slippage_bps) {
            return Err(AppError::input("slippage must be between 0.01% and 50%"));
        }
        if !(1..=24 * 60).contains(&self.deadline_mins) {
            return Err(AppError::input(
                "the deadline must be between 1 minute and 24 hours",
            ));
        }
        if !(1..=24 * 60).contains(&self.auto_lock_mins) {
            return Err(AppError::input(
                "auto-lock must be between 1 minute and 24 hours",
            ));
        }
        if let Some(p) = &self.manifest_path
            && !p.trim().is_empty()
            && !Path::new(p.trim()).is_file()
        {
            return Err(AppError::input(format!(
                "manifest {p} does not exist: give the path of a deployments/<chain-id>.json file, or leave it empty"
            )));
        }
        Ok(())
    }

    /// Applies the `TIDEPOOL_*` overrides of the environment.
    pub fn with_env(mut self) -> Self {
        if let Ok(v) = std::env::var("TIDEPOOL_RPC") {
            self.rpc_url = v;
        }
        if let Some(id) = std::env::var("TIDEPOOL_CHAIN_ID")
            .ok()
            .and_then(|v| v.parse().ok())
        {
            self.chain_id = id;
        }
        if let Ok(v) = std::env::var("TIDEPOOL_MANIFEST") {
            self.manifest_path = Some(v);
        }
        self
    }

    /// The fee cap in wei per gas, if one is set.
    pub fn fee_cap(&self) -> AppResult<Option<u128>> {
        self.fee_cap_gwei
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                tidepool_sdk::fees::parse_gwei(s).map_err(|_| {
                    AppError::input(format!(
                        "fee cap `{s}` is not a fee per gas in gwei (e.g. 50), or leave it empty for no cap"
                    ))
                })
            })
            .transpose()
    }

    /// The manifest to load: the configured one, else `deployments/<chain id>.json`
    /// in the config directory, else in the working directory.
    pub fn manifest_file(&self, config_dir: &Path) -> PathBuf {
        if let Some(p) = self
            .manifest_path
            .as_deref()
            .filter(|p| !p.trim().is_empty())
        {
            return PathBuf::from(p.trim());
        }
        let name = format!("deployments/{}.json", self.chain_id);
        let in_config = config_dir.join(&name);
        if in_config.is_file() {
            in_config
        } else {
            PathBuf::from(name)
        }
    }
}

impl SettingsFile {
    /// Loads `path`; a missing file gives the defaults.
    pub fn load(path: &Path) -> AppResult<Self> {
        let invalid = |e: serde_json::Error| {
            AppError::internal(format!(
                "the settings file {} is not valid ({e}); fix or delete it",
                path.display()
            ))
        };
        match std::fs::read(path) {
            Ok(bytes) => {
                // A file of an earlier version lacks the newer settings: they
                // take their defaults, the file's values win.
                let mut file: serde_json::Value =
                    serde_json::from_slice(&bytes).map_err(invalid)?;
                let defaults = serde_json::to_value(Settings::default()).map_err(invalid)?;
                if let (Some(saved), serde_json::Value::Object(defaults)) = (
                    file.get_mut("settings").and_then(|v| v.as_object_mut()),
                    defaults,
                ) {
                    for (k, v) in defaults {
                        saved.entry(k).or_insert(v);
                    }
                }
                serde_json::from_value(file).map_err(invalid)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(AppError::internal(format!(
                "cannot read {}: {e}",
                path.display()
            ))),
        }
    }

    /// Saves to `path`.
    pub fn save(&self, path: &Path) -> AppResult<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| AppError::internal(format!("cannot create {}: {e}", dir.display())))?;
        }
        let json = serde_json::to_vec_pretty(self)
            .map_err(|e| AppError::internal(format!("cannot encode the settings: {e}")))?;
        write_atomic(path, &json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_names_the_field() {
        let ok = Settings::default();
        assert!(ok.validate().is_ok());
        let cases = [
            (
                Settings {
                    rpc_url: "localhost:8545".into(),
                    ..ok.clone()
                },
                "RPC URL",
            ),
            (
                Settings {
                    chain_id: 0,
                    ..ok.clone()
                },
                "chain id",
            ),
            (
                Settings {
                    slippage_bps: 0,
                    ..ok.clone()
                },
                "slippage",
            ),
            (
                Settings {
                    slippage_bps: 5001,
                    ..ok.clone()
                },
                "slippage",
            ),
            (
                Settings {
                    deadline_mins: 0,
                    ..ok.clone()
                },
                "deadline",
            ),
            (
                Settings {
                    auto_lock_mins: 0,
                    ..ok.clone()
                },
                "auto-lock",
            ),
            (
                Settings {
                    manifest_path: Some("/no/such/file.json".into()),
                    ..ok.clone()
                },
                "manifest",
            ),
        ];
        for (s, field) in cases {
            let e = s.validate().unwrap_err();
            assert!(e.message.contains(field), "{field}: {}", e.message);
        }
    }

    #[test]
    fn missing_file_gives_defaults_and_saves_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cfg/settings.json");
        let mut f = SettingsFile::load(&path).unwrap();
        assert_eq!(f, SettingsFile::default());
        f.settings.slippage_bps = 100;
        f.imported.push((31337, Address::repeat_byte(7)));
        f.save(&path).unwrap();
        assert_eq!(SettingsFile::load(&path).unwrap(), f);
        // A file of the version before fee settings: they take their defaults.
        std::fs::write(
            &path,
            r#"{"settings":{"rpcUrl":"http://127.0.0.1:9545","chainId":31337,"slippageBps":75,"deadlineMins":20,"autoLockMins":15,"allowHighImpact":false,"manifestPath":null},"imported":[]}"#,
        )
        .unwrap();
        let old = SettingsFile::load(&path).unwrap().settings;
        assert_eq!(old.slippage_bps, 75);
        assert_eq!(old.rpc_url, "http://127.0.0.1:9545");
        assert_eq!(old.fee_speed, FeeSpeed::Normal);
        assert_eq!(old.fee_cap_gwei, None);
        std::fs::write(&path, "{not json").unwrap();
        assert!(
            SettingsFile::load(&path)
                .unwrap_err()
                .message
                .contains("not valid")
        );
    }
}
