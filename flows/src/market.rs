//! The market as both front ends see it: one [`MarketState`] per deployment,
//! loaded from its disk cache when there is one, kept current by
//! [`Market::refresh`] and saved back now and then.

use std::path::{Path, PathBuf};

use std::sync::Arc;
use tidepool_sdk::Address;
use tidepool_sdk::chain::Client;
use tidepool_sdk::liquidity::{self, Position};
use tidepool_sdk::manifest::Manifest;

use tidepool_sdk::marketstate::{MarketState, Refresh, cache};
use tidepool_sdk::prices::{PriceConfig, Prices};
use tidepool_sdk::route::RouteGraph;

use crate::Result;

/// Blocks between two saves of the cache while following the chain.
const SAVE_EVERY: u64 = 100;

/// Every pool of one deployment with reserves at a recent block.
#[derive(Debug)]
pub struct Market {
    state: MarketState,
    cache: Option<PathBuf>,
    saved_at: Option<u64>,
    /// USD prices, computed from the pairs as they are now (dropped when a
    /// refresh changes a pair: an empty block keeps them).
    prices: Option<Arc<Prices>>,
}

impl Market {
    /// The market of `manifest`'s deployment: from the cache under
    /// `data_dir` when it fits, brought to the latest block, and saved.
    pub async fn open(
        client: &Client,
        manifest: &Manifest,
        data_dir: Option<&Path>,
    ) -> Result<Self> {
        let cache = data_dir.map(|d| cache::path(d, manifest.chain_id, manifest.factory));
        let state = cache
            .as_deref()
            .and_then(|p| {
                MarketState::load(
                    p,
                    manifest.chain_id,
                    manifest.genesis_hash,
                    manifest.factory,
                )
            })
            .unwrap_or_else(|| {
                MarketState::new(manifest.chain_id, manifest.genesis_hash, manifest.factory)
            });
        let mut market = Self {
            state,
            cache,
            saved_at: None,
            prices: None,
        };
        market.refresh(client).await?;
        Ok(market)
    }

    /// Brings the market to the latest block; saves the cache after a
    /// reload, a reorg, or every [`SAVE_EVERY`] blocks.
    pub async fn refresh(&mut self, client: &Client) -> Result<Refresh> {
        let r = self.state.refresh(client).await?;
        if r != Refresh::default() {
            self.prices = None;
        }
        let due = self
            .saved_at
            .is_none_or(|b| self.state.block() >= b + SAVE_EVERY);
        if r.reloaded
            || r.rolled_back > 0
            || (due && r != Refresh::default())
            || self.saved_at.is_none()
        {
            self.save();
        }
        Ok(r)
    }

    /// Writes the cache now (a failure is logged: the cache is only a speed-up).
    pub fn save(&mut self) {
        if let Some(path) = &self.cache {
            match self.state.save(path) {
                Ok(()) => self.saved_at = Some(self.state.block()),
                Err(e) => tracing::warn!(error = %e, "the market cache was not saved"),
            }
        }
    }

    /// The state.
    pub fn state(&self) -> &MarketState {
        &self.state
    }

    /// The route graph over every pool with liquidity.
    pub fn graph(&self) -> &RouteGraph {
        self.state.graph()
    }

    /// The route graph as a shared handle (see [`MarketState::shared_graph`]).
    pub fn shared_graph(&self) -> Arc<RouteGraph> {
        self.state.shared_graph()
    }

    /// USD prices at the current reserves from the deployment's stablecoins
    /// through the market's own pools (computed again only after a refresh
    /// that changed a pair).
    pub fn prices(&mut self, manifest: &Manifest) -> Arc<Prices> {
        if let Some(p) = &self.prices {
            return p.clone();
        }
        let p = Arc::new(Prices::compute(
            self.state.pairs(),
            &PriceConfig::from_manifest(manifest),
        ));
        self.prices = Some(p.clone());
        p
    }

    /// Every pool in which `owner` holds LP tokens.
    pub async fn positions(&self, client: &Client, owner: Address) -> Result<Vec<Position>> {
        Ok(liquidity::positions_in(client, &self.state, owner).await?)
    }
}
