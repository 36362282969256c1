//! The quote store: the swap quotes the UI was shown, kept by id for the
//! approval, simulation and execution that follow, and the route graph
//! cached per block. It is the only owner of both; a chain reset or a new
//! deployment clears it.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use tidepool_sdk::prices::Prices;
use tidepool_sdk::route::RouteGraph;
use tidepool_sdk::{Address, B256};

use crate::error::{AppError, AppResult};
use crate::tokens::Known;
use crate::views::SwapQuote;

/// The most quotes kept (older ones are forgotten).
const KEPT_QUOTES: usize = 64;

/// A quote kept for approval, simulation and execution.
#[derive(Debug, Clone)]
pub struct KeptQuote {
    /// What the UI was shown.
    pub view: SwapQuote,
    /// The quote behind it (its plan, and the account it pays out to).
    pub quote: tidepool_flows::swap::SwapQuote,
    /// The chain it was made on.
    pub genesis: B256,
    /// The gas limit of its last review (simulation): the one signed.
    pub reviewed_gas_limit: Option<u64>,
}

#[derive(Default)]
struct Inner {
    quotes: VecDeque<KeptQuote>,
    /// Ids of quotes already executed (the newest [`KEPT_QUOTES`]).
    used: VecDeque<String>,
    graph: Option<(u64, B256, Arc<RouteGraph>, Arc<Prices>)>,
    /// Tokens read on chain for quotes, by chain (genesis) and address.
    tokens: HashMap<(B256, Address), Known>,
}

/// The most tokens remembered (the map is emptied past it).
const KEPT_TOKENS: usize = 4_096;

/// Kept quotes and the cached route graph.
#[derive(Default)]
pub struct QuoteStore(Mutex<Inner>);

impl QuoteStore {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A token read on chain before (on the chain of `genesis`).
    pub fn token(&self, genesis: B256, address: Address) -> Option<Known> {
        self.lock().tokens.get(&(genesis, address)).cloned()
    }

    /// Remembers a token read on chain.
    pub fn keep_token(&self, genesis: B256, address: Address, known: Known) {
        let mut inner = self.lock();
        if inner.tokens.len() >= KEPT_TOKENS {
            inner.tokens.clear();
        }
        inner.tokens.insert((genesis, address), known);
    }

    /// Forgets a remembered token (its source changed: imported).
    pub fn forget_token(&self, genesis: B256, address: Address) {
        self.lock().tokens.remove(&(genesis, address));
    }

    /// Keeps a quote (the oldest is dropped past [`KEPT_QUOTES`]).
    pub fn keep(&self, q: KeptQuote) {
        let mut inner = self.lock();
        if inner.quotes.len() == KEPT_QUOTES {
            inner.quotes.pop_front();
        }
        inner.quotes.push_back(q);
    }

    /// A kept quote by id.
    pub fn get(&self, id: &str) -> AppResult<KeptQuote> {
        let inner = self.lock();
        if inner.used.iter().any(|u| u == id) {
            return Err(tidepool_flows::FlowError::QuoteUsed.into());
        }
        inner
            .quotes
            .iter()
            .find(|q| q.view.id == id)
            .cloned()
            .ok_or_else(|| {
                AppError::input(
                    "this quote has expired (the chain or the settings changed): get a new quote",
                )
            })
    }

    /// Records the gas limit a review of quote `id` showed.
    pub fn reviewed(&self, id: &str, gas_limit: u64) {
        let mut inner = self.lock();
        if let Some(q) = inner.quotes.iter_mut().find(|q| q.view.id == id) {
            q.reviewed_gas_limit = Some(gas_limit);
        }
    }

    /// Takes a kept quote out of the store for execution: a quote is
    /// executed once, so a second request for it is refused.
    pub fn take(&self, id: &str) -> AppResult<KeptQuote> {
        let mut inner = self.lock();
        match inner.quotes.iter().position(|q| q.view.id == id) {
            Some(i) => {
                if inner.used.len() == KEPT_QUOTES {
                    inner.used.pop_front();
                }
                inner.used.push_back(id.to_string());
                Ok(inner.quotes.remove(i).expect("the position is in range"))
            }
            None => Err(tidepool_flows::FlowError::QuoteUsed.into()),
        }
    }

    /// Returns a taken quote that sent nothing, so it can be executed again.
    pub fn give_back(&self, q: KeptQuote) {
        let mut inner = self.lock();
        inner.used.retain(|u| *u != q.view.id);
        if inner.quotes.len() == KEPT_QUOTES {
            inner.quotes.pop_front();
        }
        inner.quotes.push_back(q);
    }

    /// The route graph cached for `block` on the chain of `genesis`.
    pub fn graph(&self, block: u64, genesis: B256) -> Option<(Arc<RouteGraph>, Arc<Prices>)> {
        self.lock()
            .graph
            .as_ref()
            .filter(|(b, g, _, _)| *b == block && *g == genesis)
            .map(|(_, _, graph, prices)| (graph.clone(), prices.clone()))
    }

    /// Caches the route graph and USD prices read at `block`.
    pub fn cache_graph(
        &self,
        block: u64,
        genesis: B256,
        graph: Arc<RouteGraph>,
        prices: Arc<Prices>,
    ) {
        self.lock().graph = Some((block, genesis, graph, prices));
    }

    /// Forgets the cached route graph (after the app's own transaction).
    pub fn forget_graph(&self) {
        self.lock().graph = None;
    }

    /// Forgets everything (another chain or deployment).
    pub fn clear(&self) {
        *self.lock() = Inner::default();
    }
}
