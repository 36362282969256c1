//! Batched reads through the never-deployed readers of
//! contracts/src/lens/MarketLens.sol: their creation code goes out as an
//! `eth_call`, their answer comes back as the revert error `Answer(…)`.

use alloy::eips::BlockId;
use alloy::network::TransactionBuilder;
use alloy::primitives::{Address, Bytes, U256};
use alloy::providers::Provider;
use alloy::rpc::types::TransactionRequest;
use alloy::sol_types::{SolConstructor, SolError};

use crate::bindings::{BalancesReader, PairsReader, ReservesReader};
use crate::chain::Client;
use crate::error::{Error, Result};
use crate::revert::transport_revert_data;

/// Pairs read per `PairsReader` call: about 13k gas each, ~13M gas a call,
/// under the 30M of a default anvil and the 50M `eth_call` cap of geth.
pub const PAIRS_PER_CALL: usize = 1_000;
/// Pairs (or tokens) per `ReservesReader` / `BalancesReader` call: their
/// addresses travel in the creation code, which EIP-3860 caps at 49,152
/// bytes (32 bytes an address, beside about 1.5 KB of code).
pub const RESERVES_PER_CALL: usize = 1_400;

/// A pair as the factory lists it, with its reserves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairRow {
    /// The pair contract.
    pub pair: Address,
    /// Its token0.
    pub token0: Address,
    /// Its token1.
    pub token1: Address,
    /// Reserve of token0.
    pub reserve0: u128,
    /// Reserve of token1.
    pub reserve1: u128,
}

async fn run(client: &Client, code: Bytes, args: Vec<u8>, block: BlockId) -> Result<Bytes> {
    let mut input = code.to_vec();
    input.extend(args);
    let tx = TransactionRequest::default().with_deploy_code(input);
    match client.provider.call(tx).block(block).await {
        Ok(_) => Err(Error::Rpc(
            "a batch reader returned instead of answering in its revert data".into(),
        )),
        Err(e) => transport_revert_data(&e).ok_or_else(|| client.err(e)),
    }
}

fn bad_answer(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Rpc(format!(
        "the node's answer to a batched {what} read does not decode: {e}"
    ))
}

/// Pairs `start..end` of `factory` (capped at its pair count) at `block`,
/// and the factory's pair count then.
pub async fn pairs(
    client: &Client,
    factory: Address,
    start: u64,
    end: u64,
    block: BlockId,
) -> Result<(u64, Vec<PairRow>)> {
    let args = PairsReader::constructorCall {
        factory,
        start: U256::from(start),
        end: U256::from(end),
    }
    .abi_encode();
    let data = run(client, PairsReader::BYTECODE.clone(), args, block).await?;
    let a = PairsReader::Answer::abi_decode(&data).map_err(|e| bad_answer("pairs", e))?;
    let rows = a
        .pairs
        .into_iter()
        .map(|p| PairRow {
            pair: p.pair,
            token0: p.token0,
            token1: p.token1,
            reserve0: p.reserve0.to::<u128>(),
            reserve1: p.reserve1.to::<u128>(),
        })
        .collect();
    Ok((a.length.saturating_to(), rows))
}

/// The reserves of `pairs` at `block`, in order.
pub async fn reserves(
    client: &Client,
    pairs: &[Address],
    block: BlockId,
) -> Result<Vec<(u128, u128)>> {
    let mut out = Vec::with_capacity(pairs.len());
    for chunk in pairs.chunks(RESERVES_PER_CALL) {
        let args = ReservesReader::constructorCall {
            pairs: chunk.to_vec(),
        }
        .abi_encode();
        let data = run(client, ReservesReader::BYTECODE.clone(), args, block).await?;
        let a = ReservesReader::Answer::abi_decode(&data).map_err(|e| bad_answer("reserves", e))?;
        if a.packed.len() != chunk.len() {
            return Err(bad_answer("reserves", "wrong length"));
        }
        let mask: U256 = (U256::from(1u8) << 112) - U256::from(1u8);
        out.extend(a.packed.into_iter().map(|w: U256| {
            let hi: U256 = w >> 112;
            let lo: U256 = w & mask;
            (hi.to::<u128>(), lo.to::<u128>())
        }));
    }
    Ok(out)
}

/// `owner`'s balance of each of `tokens` at `block`; `None` where `balanceOf` failed.
pub async fn balances(
    client: &Client,
    owner: Address,
    tokens: &[Address],
    block: BlockId,
) -> Result<Vec<Option<U256>>> {
    let mut out = Vec::with_capacity(tokens.len());
    for chunk in tokens.chunks(RESERVES_PER_CALL) {
        let args = BalancesReader::constructorCall {
            owner,
            tokens: chunk.to_vec(),
        }
        .abi_encode();
        let data = run(client, BalancesReader::BYTECODE.clone(), args, block).await?;
        let a = BalancesReader::Answer::abi_decode(&data).map_err(|e| bad_answer("balances", e))?;
        if a.balances.len() != chunk.len() {
            return Err(bad_answer("balances", "wrong length"));
        }
        out.extend(a.balances.into_iter().map(|b| b.ok.then_some(b.amount)));
    }
    Ok(out)
}
