//! The connection service: connecting with the settings' checks, and the
//! one head follower of the app — a monitor that reads each new block,
//! notices a lost node or a reset chain (an anvil restart: another genesis
//! hash), recovers without an app restart, and publishes all of it as the
//! chain state ([`crate::chain`]) that the rest of the app subscribes to.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use alloy::providers::Provider;
use tidepool_sdk::chain::Client;
use tidepool_sdk::manifest::Manifest;

use crate::chain::{Head, Live};
use crate::core::Core;
use crate::settings::Settings;
use crate::views::ConnectionState;

/// How often the head is read.
const TICK: Duration = Duration::from_millis(400);
/// Every this many ticks the genesis hash is compared too.
const GENESIS_EVERY: u32 = 10;

fn state(settings: &Settings) -> ConnectionState {
    ConnectionState {
        connected: false,
        rpc_url: settings.rpc_url.clone(),
        chain_id: None,
        expected_chain_id: settings.chain_id,
        chain_matches: false,
        block_number: None,
        problem: None,
        resets: 0,
    }
}

/// Connects as the settings say: the node must answer, be on the expected
/// chain and carry the manifest's deployment. Returns the state to show and,
/// when everything checks out, the working connection.
pub async fn connect(settings: &Settings, config_dir: &Path) -> (ConnectionState, Option<Live>) {
    let mut st = state(settings);
    let client = match Client::connect(settings.rpc_url.trim()).await {
        Ok(c) => c,
        Err(e) => {
            st.problem = Some(format!(
                "cannot reach the node at {}: {}. Start it (cargo xtask dev) or fix the RPC URL in Settings",
                settings.rpc_url,
                short_reason(&e.to_string())
            ));
            return (st, None);
        }
    };
    st.connected = true;
    st.chain_id = Some(client.chain_id);
    st.block_number = client.provider.get_block_number().await.ok();
    if client.chain_id != settings.chain_id {
        st.problem = Some(format!(
            "the node at {} is on chain {}, but Settings expect chain {}: sending is blocked. Fix the RPC URL or the chain id in Settings",
            settings.rpc_url, client.chain_id, settings.chain_id
        ));
        return (st, None);
    }
    st.chain_matches = true;
    let path = settings.manifest_file(config_dir);
    let manifest = match Manifest::load(&path) {
        Ok(m) => m,
        Err(e) => {
            st.problem = Some(format!(
                "no Tidepool deployment is known for chain {}: {}. Run the devnet (cargo xtask dev), or set the manifest file in Settings",
                settings.chain_id,
                short_reason(&e.to_string())
            ));
            return (st, None);
        }
    };
    let genesis = match client.genesis_hash().await {
        Ok(g) => g,
        Err(e) => {
            st.connected = false;
            st.problem = Some(e.to_string());
            return (st, None);
        }
    };
    if let Err(e) = client.check_manifest(&manifest).await {
        st.problem = Some(format!(
            "the deployment in {} does not match this chain: {}",
            path.display(),
            short_reason(&e.to_string())
        ));
        return (st, None);
    }
    (
        st,
        Some(Live {
            client,
            manifest,
            genesis,
        }),
    )
}

fn short_reason(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 240 {
        format!("{}…", s.chars().take(240).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Starts the monitor, the wallet's auto-lock and the embedded indexer on
/// the current tokio runtime.
pub fn start(core: &Arc<Core>) {
    let c = core.clone();
    tokio::spawn(async move { monitor(c).await });
    let c = core.clone();
    tokio::spawn(async move { crate::session::auto_lock(c).await });
    let c = core.clone();
    tokio::spawn(async move { crate::embedded::supervise(c).await });
}

/// Reconnects (from scratch) with the current settings.
async fn reconnect(core: &Core, resets: u32) {
    let settings = core.settings();
    let (mut st, live) = connect(&settings, &core.dirs.config).await;
    st.resets = resets;
    if core.set_live(live) {
        st.resets += 1;
        tracing::info!("chain reset detected: quotes dropped, nonces re-read, index rebuilt");
    }
    core.set_connection(st, None);
}

async fn monitor(core: Arc<Core>) {
    let mut shutdown = core.shutdown.subscribe();
    let mut generation = core.generation.subscribe();
    let mut tick: u32 = 0;
    let mut last_block: Option<u64> = None;
    reconnect(&core, 0).await;
    loop {
        tokio::select! {
            _ = tokio::time::sleep(TICK) => {}
            _ = shutdown.changed() => return,
            _ = generation.changed() => {
                let resets = core.connection().resets;
                core.set_live(None);
                reconnect(&core, resets).await;
                last_block = None;
                continue;
            }
        }
        tick = tick.wrapping_add(1);
        let resets = core.connection().resets;
        let Some(live) = core.live_opt() else {
            // Not working: retry about once a second.
            if tick.is_multiple_of(3) {
                reconnect(&core, resets).await;
            }
            continue;
        };
        let head = live
            .client
            .provider
            .get_block_by_number(alloy::eips::BlockNumberOrTag::Latest)
            .await
            .map_err(|e| e.to_string())
            .and_then(|b| b.ok_or_else(|| "no latest block".to_string()))
            .map(|b| (b.header.number, b.header.timestamp));
        let check_genesis = tick.is_multiple_of(GENESIS_EVERY)
            || matches!((&head, last_block), (Ok((h, _)), Some(l)) if *h < l);
        match head {
            Err(_) => {
                // Lost the node: keep the old connection to compare its
                // genesis once it is back, and show the problem meanwhile.
                let mut st = core.connection();
                st.connected = false;
                st.problem = Some(format!(
                    "lost the node at {}: retrying. Sending is blocked until it answers",
                    st.rpc_url
                ));
                core.set_connection(st, None);
                tokio::time::sleep(Duration::from_millis(600)).await;
                reconnect(&core, resets).await;
                last_block = None;
            }
            Ok((h, timestamp)) => {
                if check_genesis
                    && live
                        .client
                        .genesis_hash()
                        .await
                        .is_ok_and(|g| g != live.genesis)
                {
                    reconnect(&core, resets).await;
                    last_block = None;
                    continue;
                }
                if last_block != Some(h) {
                    core.warm_route_graph(&live, h).await;
                }
                last_block = Some(h);
                let head = Head {
                    genesis: live.genesis,
                    number: h,
                    timestamp,
                    seen: std::time::Instant::now(),
                };
                let mut st = core.connection();
                st.block_number = Some(h);
                core.set_connection(st, Some(head));
            }
        }
    }
}
