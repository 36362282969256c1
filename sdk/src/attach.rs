//! `tidepool attach`: a manifest for a Uniswap-V2-compatible deployment that
//! is already on a chain (Uniswap's own, a fork, or Tidepool deployed elsewhere),
//! checked before anything is written.

use alloy::primitives::{Address, B256, U256};
use alloy::providers::Provider;
use alloy::rpc::types::TransactionRequest;
use alloy::sol_types::SolCall;
use thiserror::Error;

use crate::bindings::{TidepoolFactory, TidepoolPair, TidepoolRouter};
use crate::chain::Client;
use crate::error::{Error, Result};
use crate::manifest::{Manifest, Protocol, TokenInfo};
use crate::pair_address::{init_code_hash as tidepool_hash, pair_address};
use crate::presets::PRESETS;

/// Why a deployment could not be attached. Nothing is written in any case.
#[derive(Debug, Error)]
pub enum AttachError {
    /// No contract where the factory or router should be.
    #[error("there is no contract at {address} (the {what}) on chain {chain_id}")]
    NoContract {
        /// "factory" or "router".
        what: &'static str,
        /// The address given.
        address: Address,
        /// The node's chain.
        chain_id: u64,
    },
    /// The factory does not answer V2's `allPairsLength()`.
    #[error("the contract at {0} does not answer allPairsLength(): it is not a Uniswap-V2 factory")]
    NotAFactory(Address),
    /// The router does not answer V2's `factory()` / `WETH()`.
    #[error(
        "the contract at {0} does not answer factory() and WETH(): it is not a Uniswap-V2 router"
    )]
    NotARouter(Address),
    /// The router serves another factory.
    #[error("the router {router} belongs to the factory {its_factory}, not to {factory}")]
    RouterOfOtherFactory {
        /// The router given.
        router: Address,
        /// The factory it names.
        its_factory: Address,
        /// The factory given.
        factory: Address,
    },
    /// The init code hash does not give the factory's pairs.
    #[error(
        "the init code hash {hash} does not match the factory's pairs: it gives {computed} for the tokens of pair {actual}"
    )]
    WrongInitCodeHash {
        /// The hash tried.
        hash: B256,
        /// What CREATE2 gives with it.
        computed: Address,
        /// The factory's own pair.
        actual: Address,
    },
    /// No hash was given and none of the known ones fits.
    #[error("none of the known init code hashes gives the pairs of the factory {0}")]
    UnknownInitCodeHash(Address),
    /// The factory has no pairs and would not simulate creating one.
    #[error(
        "the factory {0} has no pairs yet and refused a simulated createPair, so the init code hash cannot be checked"
    )]
    Unverifiable(Address),
}

/// What to attach.
#[derive(Debug, Clone)]
pub struct AttachSpec {
    /// The factory.
    pub factory: Address,
    /// The router (it names its WETH).
    pub router: Address,
    /// The pair creation code's hash; `None` tries Tidepool's and the presets'.
    pub init_code_hash: Option<B256>,
    /// A display name.
    pub name: Option<String>,
    /// Where an indexer should start; `None` looks for the factory's creation block.
    pub deploy_block: Option<u64>,
    /// Tokens to list besides WETH.
    pub tokens: Vec<Address>,
}

/// Checks the deployment and returns its manifest. Every check runs before
/// the caller writes anything.
pub async fn attach(client: &Client, spec: &AttachSpec) -> Result<Manifest> {
    let chain_id = client.chain_id;
    for (what, address) in [("factory", spec.factory), ("router", spec.router)] {
        if !crate::deploy::has_code(client, address).await? {
            return Err(AttachError::NoContract {
                what,
                address,
                chain_id,
            }
            .into());
        }
    }
    let factory = TidepoolFactory::new(spec.factory, &client.provider);
    let count = factory
        .allPairsLength()
        .call()
        .await
        .map_err(|_| AttachError::NotAFactory(spec.factory))?;
    let router = TidepoolRouter::new(spec.router, &client.provider);
    let (its_factory, weth) = tokio::try_join!(async { router.factory().call().await }, async {
        router.WETH().call().await
    },)
    .map_err(|_| AttachError::NotARouter(spec.router))?;
    if its_factory != spec.factory {
        return Err(AttachError::RouterOfOtherFactory {
            router: spec.router,
            its_factory,
            factory: spec.factory,
        }
        .into());
    }
    let samples = sample_pairs(client, spec.factory, count, weth, spec.router).await?;
    let hash = match spec.init_code_hash {
        Some(h) => {
            check_hash(spec.factory, h, &samples)?;
            h
        }
        None => candidates()
            .find(|h| check_hash(spec.factory, *h, &samples).is_ok())
            .ok_or(AttachError::UnknownInitCodeHash(spec.factory))?,
    };
    let protocol = if hash == tidepool_hash() {
        Protocol::Tidepool
    } else {
        Protocol::UniswapV2
    };
    let pair_extension = match protocol {
        Protocol::Tidepool => Some(
            factory
                .pairExtension()
                .call()
                .await
                .map_err(|e| client.call_err(e))?,
        ),
        Protocol::UniswapV2 => None,
    };
    let deploy_block = match spec.deploy_block {
        Some(b) => b,
        None => creation_block(client, spec.factory).await.unwrap_or(0),
    };
    let mut tokens: Vec<TokenInfo> = vec![crate::market::token_info(client, weth).await?];
    for &t in &spec.tokens {
        if tokens.iter().all(|k| k.address != t) {
            tokens.push(crate::market::token_info(client, t).await?);
        }
    }
    Ok(Manifest {
        protocol,
        name: spec.name.clone(),
        chain_id,
        genesis_hash: client.genesis_hash().await?,
        rpc_url: client.url.clone(),
        deploy_block,
        weth,
        factory: spec.factory,
        router: spec.router,
        pair_extension,
        init_code_hash: hash,
        tokens,
    })
}

/// Tidepool's hash, then each preset's.
fn candidates() -> impl Iterator<Item = B256> {
    std::iter::once(tidepool_hash()).chain(PRESETS.iter().map(|p| p.init_code_hash))
}

/// (token0, token1, pair) triples the factory vouches for: up to eight of its
/// pairs spread over `allPairs`, or, with none, what a simulated `createPair`
/// of two existing contracts would return.
async fn sample_pairs(
    client: &Client,
    factory: Address,
    count: U256,
    weth: Address,
    router: Address,
) -> Result<Vec<(Address, Address, Address)>> {
    let f = TidepoolFactory::new(factory, &client.provider);
    if count.is_zero() {
        let (a, b) = crate::pair_address::sort_tokens(weth, router);
        let call = TidepoolFactory::createPairCall {
            tokenA: a,
            tokenB: b,
        };
        let tx = TransactionRequest::default()
            .to(factory)
            .input(call.abi_encode().into());
        let out = client
            .provider
            .call(tx)
            .await
            .map_err(|_| AttachError::Unverifiable(factory))?;
        let pair = TidepoolFactory::createPairCall::abi_decode_returns(&out)
            .map_err(|_| AttachError::Unverifiable(factory))?;
        return Ok(vec![(a, b, pair)]);
    }
    let n: u64 = count.try_into().unwrap_or(u64::MAX);
    let mut idx: Vec<u64> = (0..8u64).map(|k| k * (n - 1) / 7).collect();
    idx.dedup();
    let mut out = Vec::new();
    for i in idx {
        let pair = f
            .allPairs(U256::from(i))
            .call()
            .await
            .map_err(|e| client.call_err(e))?;
        let p = TidepoolPair::new(pair, &client.provider);
        let (t0, t1) = tokio::try_join!(async { p.token0().call().await }, async {
            p.token1().call().await
        })
        .map_err(|e| client.call_err(e))?;
        out.push((t0, t1, pair));
    }
    Ok(out)
}

fn check_hash(
    factory: Address,
    hash: B256,
    samples: &[(Address, Address, Address)],
) -> std::result::Result<(), AttachError> {
    for &(t0, t1, actual) in samples {
        let computed = pair_address(factory, t0, t1, hash);
        if computed != actual {
            return Err(AttachError::WrongInitCodeHash {
                hash,
                computed,
                actual,
            });
        }
    }
    Ok(())
}

/// The first block at which `address` has code, by bisection over
/// `eth_getCode` at past blocks; `None` when the node keeps no such history.
pub async fn creation_block(client: &Client, address: Address) -> Option<u64> {
    let head = client.provider.get_block_number().await.ok()?;
    let has = |b: u64| async move {
        client
            .provider
            .get_code_at(address)
            .block_id(b.into())
            .await
            .map(|c| !c.is_empty())
    };
    if !has(head).await.ok()? {
        return None;
    }
    let (mut lo, mut hi) = (0u64, head); // code at hi, none below lo
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if has(mid).await.ok()? {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Some(lo)
}

impl From<AttachError> for Error {
    fn from(e: AttachError) -> Self {
        Error::Attach(e)
    }
}
