//! The app's one market state (every pool of the connected deployment,
//! current, cached under the data directory), owned by the core and shared by
//! quotes, the pools list and positions. Refreshed on use when the chain has
//! moved: the work per block is the pools that changed.

use std::sync::Arc;

use tidepool_flows::market::Market;
use tidepool_sdk::Address;
use tidepool_sdk::liquidity::Position;
use tidepool_sdk::marketstate::PairRow;
use tidepool_sdk::prices::Prices;
use tidepool_sdk::route::RouteGraph;

use crate::chain::Live;
use crate::core::Core;
use crate::error::AppResult;

impl Core {
    /// Runs `f` on the market of `live`'s deployment, opened (from the cache)
    /// on first use or after a change of deployment, and brought to the latest block.
    async fn with_market<R>(&self, live: &Live, f: impl FnOnce(&mut Market) -> R) -> AppResult<R> {
        let mut guard = self.market.lock().await;
        let fits = guard.as_ref().is_some_and(|m| {
            m.state().factory() == live.manifest.factory
                && m.state().chain_id() == live.manifest.chain_id
        });
        if fits {
            let m = guard.as_mut().expect("checked above");
            m.refresh(&live.client).await?;
        } else {
            *guard = Some(Market::open(&live.client, &live.manifest, Some(&self.dirs.data)).await?);
        }
        Ok(f(guard.as_mut().expect("opened above")))
    }

    /// The route graph and USD prices at the latest block, cached per block
    /// for quotes: a quote at a known head asks the node nothing.
    pub(crate) async fn route_graph(
        &self,
        live: &Live,
        block: u64,
    ) -> AppResult<(Arc<RouteGraph>, Arc<Prices>)> {
        if let Some(cached) = self.quotes.graph(block, live.genesis) {
            return Ok(cached);
        }
        // Let go of the previous block's graph so that the market updates
        // its own in place rather than copying it (a quote still holding it
        // makes the market copy: correct, only slower).
        self.quotes.forget_graph();
        let (at, g, p) = self
            .with_market(live, |m| {
                (
                    m.state().block(),
                    m.shared_graph(),
                    m.prices(&live.manifest),
                )
            })
            .await?;
        self.quotes
            .cache_graph(at.max(block), live.genesis, g.clone(), p.clone());
        Ok((g, p))
    }

    /// Brings the route graph and USD prices to `block` ahead of the quotes,
    /// once a quote (or a screen) has opened the market: the connection
    /// monitor calls it on each new head before publishing the head, so the
    /// swap screen's requote at a new block finds them ready. A failure is
    /// left to the next quote, which tries again and reports it.
    pub(crate) async fn warm_route_graph(&self, live: &Live, block: u64) {
        if self.market.lock().await.is_none() {
            return;
        }
        if let Err(e) = self.route_graph(live, block).await {
            tracing::debug!(error = %e, block, "the route graph was not brought to the new head");
        }
    }

    /// USD prices at the latest block (see `sdk::prices`).
    pub(crate) async fn prices(&self, live: &Live) -> AppResult<Arc<Prices>> {
        self.with_market(live, |m| m.prices(&live.manifest)).await
    }

    /// Every pair with reserves, in the factory's order.
    pub(crate) async fn market_pairs(&self, live: &Live) -> AppResult<Vec<PairRow>> {
        self.with_market(live, |m| m.state().pairs().to_vec()).await
    }

    /// `owner`'s positions over the whole market.
    pub(crate) async fn market_positions(
        &self,
        live: &Live,
        owner: Address,
    ) -> AppResult<Vec<Position>> {
        let state = self.with_market(live, |m| m.state().clone()).await?;
        Ok(tidepool_sdk::liquidity::positions_in(&live.client, &state, owner).await?)
    }
}
