//! `tidepool attach`: write a manifest for a Uniswap-V2-compatible deployment
//! already on the chain (a preset or addresses), after checking it.

use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;
use serde_json::json;
use tidepool_sdk::attach::{AttachSpec, attach};
use tidepool_sdk::manifest::Manifest;
use tidepool_sdk::presets::{self, PRESETS};

use crate::Global;
use crate::config::FileConfig;
use crate::context::connect;
use crate::swap::parse_address;

/// `tidepool attach`.
#[derive(Debug, Args)]
pub struct AttachArgs {
    /// A well-known deployment by name (see `tidepool attach --list`).
    #[arg(long, conflicts_with_all = ["factory", "router"])]
    pub preset: Option<String>,
    /// The V2 factory.
    #[arg(long, requires = "router")]
    pub factory: Option<String>,
    /// Its router (Router02); WETH is read from it.
    #[arg(long, requires = "factory")]
    pub router: Option<String>,
    /// keccak-256 of the pair creation code [default: the known ones are tried].
    #[arg(long)]
    pub init_code_hash: Option<String>,
    /// A name to show, e.g. "My fork".
    #[arg(long)]
    pub name: Option<String>,
    /// A token to list besides WETH (repeatable).
    #[arg(long = "token")]
    pub tokens: Vec<String>,
    /// Where an indexer starts [default: the factory's creation block, found on the node].
    #[arg(long)]
    pub deploy_block: Option<u64>,
    /// Where to write the manifest [default: --manifest, else deployments/<chain-id>.json].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace a manifest there that describes another deployment.
    #[arg(long)]
    pub force: bool,
    /// List the presets and exit.
    #[arg(long)]
    pub list: bool,
}

/// Checks the deployment, then writes its manifest.
pub async fn run(g: &Global, a: AttachArgs) -> Result<()> {
    if a.list {
        return list(g);
    }
    let file = FileConfig::load(g.config.as_deref())?;
    let client = connect(g, &file).await?;
    let mut spec = match (&a.preset, &a.factory, &a.router) {
        (Some(id), _, _) => {
            let Some(p) = presets::preset(id) else {
                let ids: Vec<&str> = PRESETS.iter().map(|p| p.id).collect();
                bail!("unknown preset `{id}`: use one of {}", ids.join(", "));
            };
            if p.chain_id != client.chain_id {
                bail!(
                    "{} is on chain {}, but the RPC endpoint is on chain {}: point --rpc at a node of chain {}",
                    p.name,
                    p.chain_id,
                    client.chain_id,
                    p.chain_id
                );
            }
            AttachSpec {
                factory: p.factory,
                router: p.router,
                init_code_hash: Some(p.init_code_hash),
                name: Some(p.name.to_string()),
                deploy_block: Some(p.deploy_block),
                tokens: vec![],
            }
        }
        (None, Some(f), Some(r)) => AttachSpec {
            factory: parse_address(f, "--factory")?,
            router: parse_address(r, "--router")?,
            init_code_hash: None,
            name: None,
            deploy_block: None,
            tokens: vec![],
        },
        _ => bail!("say what to attach: --preset NAME, or --factory ADDR --router ADDR"),
    };
    if let Some(h) = &a.init_code_hash {
        spec.init_code_hash = Some(h.parse().map_err(|_| {
            anyhow::anyhow!(
                "--init-code-hash `{h}` is not a 32-byte hex hash (0x followed by 64 hex digits)"
            )
        })?);
    }
    if a.name.is_some() {
        spec.name = a.name.clone();
    }
    if a.deploy_block.is_some() {
        spec.deploy_block = a.deploy_block;
    }
    for t in &a.tokens {
        spec.tokens.push(parse_address(t, "--token")?);
    }
    let manifest = attach(&client, &spec).await?;
    let path = a
        .out
        .or_else(|| g.manifest.clone())
        .unwrap_or_else(|| Manifest::default_path(&PathBuf::from("."), client.chain_id));
    if let Ok(old) = Manifest::load(&path)
        && (old.factory != manifest.factory || old.chain_id != manifest.chain_id)
        && !a.force
    {
        bail!(
            "{} already describes another deployment ({} factory {} on chain {}): pass --out FILE, or --force to replace it",
            path.display(),
            old.display_name(),
            old.factory,
            old.chain_id
        );
    }
    manifest.save(&path)?;
    let m = &manifest;
    if g.json {
        println!(
            "{}",
            json!({"manifest": path, "protocol": m.protocol, "name": m.display_name(), "chainId": m.chain_id, "factory": m.factory, "router": m.router, "weth": m.weth, "initCodeHash": m.init_code_hash, "deployBlock": m.deploy_block, "tokens": m.tokens.iter().map(|t| json!({"symbol": t.symbol, "address": t.address, "decimals": t.decimals})).collect::<Vec<_>>()})
        );
    } else {
        println!("Attached {} on chain {}", m.display_name(), m.chain_id);
        println!("  manifest        {}", path.display());
        println!("  factory         {}", m.factory.to_checksum(None));
        println!("  router          {}", m.router.to_checksum(None));
        println!("  WETH            {}", m.weth.to_checksum(None));
        println!(
            "  init code hash  {} (checked against the factory)",
            m.init_code_hash
        );
        println!("  from block      {}", m.deploy_block);
        for t in &m.tokens[1..] {
            println!("  {:<15} {}", t.symbol, t.address.to_checksum(None));
        }
    }
    Ok(())
}

fn list(g: &Global) -> Result<()> {
    if g.json {
        let rows: Vec<_> = PRESETS
            .iter()
            .map(|p| json!({"id": p.id, "name": p.name, "chainId": p.chain_id, "factory": p.factory, "router": p.router, "initCodeHash": p.init_code_hash}))
            .collect();
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        for p in PRESETS {
            println!(
                "{:<22} {:<24} chain {:<4} factory {}",
                p.id,
                p.name,
                p.chain_id,
                p.factory.to_checksum(None)
            );
        }
    }
    Ok(())
}
