//! Trading on another Uniswap-V2 deployment from the app: the presets, and a
//! checked manifest written for a preset or for addresses the person gives
//! (the same `sdk::attach` as `tidepool attach`). Saving the settings that
//! point at it stays with `settings_save` (and its password gate).

use serde::{Deserialize, Serialize};
use specta::Type;
use tidepool_sdk::attach::{AttachSpec, attach};
use tidepool_sdk::chain::Client;
use tidepool_sdk::presets::{self, PRESETS};

use crate::core::Core;
use crate::error::{AppError, AppResult};

/// A well-known deployment the Settings screen offers.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PresetView {
    /// Its id, e.g. `uniswap-v2-ethereum`.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The chain it is on.
    pub chain_id: u64,
    /// The factory.
    pub factory: String,
    /// The router.
    pub router: String,
}

/// What to attach: a preset, or a factory and router (and optionally the
/// pair init code hash), through `rpc_url`.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AttachRequest {
    /// The node to check the deployment on.
    pub rpc_url: String,
    /// A preset id.
    pub preset: Option<String>,
    /// The factory (without a preset).
    pub factory: Option<String>,
    /// The router (without a preset).
    pub router: Option<String>,
    /// The pair init code hash, when it is none of the known ones.
    pub init_code_hash: Option<String>,
}

/// The manifest written.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AttachedView {
    /// Where it was written (put it in Settings' manifest).
    pub manifest_path: String,
    /// The deployment's name.
    pub name: String,
    /// The chain (put it in Settings' chain id).
    pub chain_id: u64,
    /// The factory.
    pub factory: String,
    /// The router.
    pub router: String,
    /// WETH, as the router names it.
    pub weth: String,
    /// The init code hash, checked against the factory.
    pub init_code_hash: String,
}

fn address(text: &Option<String>, what: &str) -> AppResult<tidepool_sdk::Address> {
    let t = text.as_deref().map(str::trim).unwrap_or_default();
    t.parse().map_err(|_| {
        AppError::input(format!(
            "the {what} `{t}` is not an address (0x followed by 40 hex digits)"
        ))
    })
}

impl Core {
    /// The presets.
    pub fn market_presets(&self) -> Vec<PresetView> {
        PRESETS
            .iter()
            .map(|p| PresetView {
                id: p.id.into(),
                name: p.name.into(),
                chain_id: p.chain_id,
                factory: p.factory.to_checksum(None),
                router: p.router.to_checksum(None),
            })
            .collect()
    }

    /// Checks the deployment on `req.rpc_url` and writes its manifest under
    /// the config directory; nothing is written when a check fails.
    pub async fn market_attach(&self, req: AttachRequest) -> AppResult<AttachedView> {
        let client = Client::connect(req.rpc_url.trim()).await?;
        let mut spec = match req.preset.as_deref().filter(|p| !p.is_empty()) {
            Some(id) => {
                let p = presets::preset(id)
                    .ok_or_else(|| AppError::input(format!("there is no preset `{id}`")))?;
                if p.chain_id != client.chain_id {
                    return Err(AppError::input(format!(
                        "{} is on chain {}, but {} is on chain {}: give a node of chain {}",
                        p.name, p.chain_id, req.rpc_url, client.chain_id, p.chain_id
                    )));
                }
                AttachSpec {
                    factory: p.factory,
                    router: p.router,
                    init_code_hash: Some(p.init_code_hash),
                    name: Some(p.name.into()),
                    deploy_block: Some(p.deploy_block),
                    tokens: vec![],
                }
            }
            None => AttachSpec {
                factory: address(&req.factory, "factory")?,
                router: address(&req.router, "router")?,
                init_code_hash: None,
                name: None,
                deploy_block: None,
                tokens: vec![],
            },
        };
        if let Some(h) = req
            .init_code_hash
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty())
        {
            spec.init_code_hash = Some(h.parse().map_err(|_| {
                AppError::input(format!(
                    "the init code hash `{h}` is not 0x followed by 64 hex digits"
                ))
            })?);
        }
        let m = attach(&client, &spec).await?;
        let path = self
            .dirs
            .config
            .join("deployments")
            .join(format!("{}-{:#x}.json", m.chain_id, m.factory));
        m.save(&path)?;
        Ok(AttachedView {
            manifest_path: path.display().to_string(),
            name: m.display_name().into(),
            chain_id: m.chain_id,
            factory: m.factory.to_checksum(None),
            router: m.router.to_checksum(None),
            weth: m.weth.to_checksum(None),
            init_code_hash: m.init_code_hash.to_string(),
        })
    }
}
