//! Logs decoded into the rows the store writes. The event signatures are
//! Uniswap V2's (Tidepool keeps them exactly), so any V2-style factory works.

use alloy::primitives::{Address, B256, U256};
use alloy::rpc::types::Log;
use alloy::sol_types::SolEvent;
use tidepool_sdk::alloy;
use tidepool_sdk::bindings::{TidepoolFactory, TidepoolPair};

/// Where a log sits on the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// Block number.
    pub block_number: u64,
    /// Block hash.
    pub block_hash: B256,
    /// Log index within the block.
    pub log_index: u64,
    /// Transaction hash.
    pub tx_hash: B256,
}

/// A decoded event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// The factory created a pair.
    PairCreated {
        /// token0.
        token0: Address,
        /// token1.
        token1: Address,
        /// The pair.
        pair: Address,
        /// Its index in allPairs (the event's unnamed fourth parameter, minus one).
        index: u64,
    },
    /// A swap.
    Swap {
        /// msg.sender of the pair's swap (usually the router).
        sender: Address,
        /// Where the output went.
        to: Address,
        /// token0 paid in.
        amount0_in: U256,
        /// token1 paid in.
        amount1_in: U256,
        /// token0 paid out.
        amount0_out: U256,
        /// token1 paid out.
        amount1_out: U256,
    },
    /// Liquidity added.
    Mint {
        /// msg.sender of mint.
        sender: Address,
        /// token0 deposited.
        amount0: U256,
        /// token1 deposited.
        amount1: U256,
    },
    /// Liquidity removed.
    Burn {
        /// msg.sender of burn.
        sender: Address,
        /// Where the tokens went.
        to: Address,
        /// token0 withdrawn.
        amount0: U256,
        /// token1 withdrawn.
        amount1: U256,
    },
    /// Reserves after a change.
    Sync {
        /// reserve0.
        reserve0: U256,
        /// reserve1.
        reserve1: U256,
    },
    /// An LP token transfer (mints from and burns to the zero address included).
    Transfer {
        /// From.
        from: Address,
        /// To.
        to: Address,
        /// Amount.
        value: U256,
    },
}

/// A decoded log of a pair or the factory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Where it is.
    pub pos: Position,
    /// The block's timestamp, when the node includes it in the log.
    pub timestamp: Option<u64>,
    /// The emitting contract (the pair, or the factory for PairCreated).
    pub address: Address,
    /// What happened.
    pub kind: Kind,
}

/// The topic0 of every pair event the indexer follows.
pub fn pair_topics() -> Vec<B256> {
    vec![
        TidepoolPair::Swap::SIGNATURE_HASH,
        TidepoolPair::Mint::SIGNATURE_HASH,
        TidepoolPair::Burn::SIGNATURE_HASH,
        TidepoolPair::Sync::SIGNATURE_HASH,
        TidepoolPair::Transfer::SIGNATURE_HASH,
    ]
}

/// The factory's PairCreated topic0.
pub fn pair_created_topic() -> B256 {
    TidepoolFactory::PairCreated::SIGNATURE_HASH
}

/// Decodes a log; `None` for logs that are not one of ours (or malformed, or removed).
pub fn decode(log: &Log) -> Option<Event> {
    if log.removed {
        return None;
    }
    let pos = Position {
        block_number: log.block_number?,
        block_hash: log.block_hash?,
        log_index: log.log_index?,
        tx_hash: log.transaction_hash?,
    };
    let topic0 = *log.topic0()?;
    let data = log.data();
    let kind = if topic0 == TidepoolPair::Swap::SIGNATURE_HASH {
        let e = TidepoolPair::Swap::decode_log_data(data).ok()?;
        Kind::Swap {
            sender: e.sender,
            to: e.to,
            amount0_in: e.amount0In,
            amount1_in: e.amount1In,
            amount0_out: e.amount0Out,
            amount1_out: e.amount1Out,
        }
    } else if topic0 == TidepoolPair::Sync::SIGNATURE_HASH {
        let e = TidepoolPair::Sync::decode_log_data(data).ok()?;
        Kind::Sync {
            reserve0: U256::from(e.reserve0),
            reserve1: U256::from(e.reserve1),
        }
    } else if topic0 == TidepoolPair::Transfer::SIGNATURE_HASH {
        let e = TidepoolPair::Transfer::decode_log_data(data).ok()?;
        Kind::Transfer {
            from: e.from,
            to: e.to,
            value: e.amount,
        }
    } else if topic0 == TidepoolPair::Mint::SIGNATURE_HASH {
        let e = TidepoolPair::Mint::decode_log_data(data).ok()?;
        Kind::Mint {
            sender: e.sender,
            amount0: e.amount0,
            amount1: e.amount1,
        }
    } else if topic0 == TidepoolPair::Burn::SIGNATURE_HASH {
        let e = TidepoolPair::Burn::decode_log_data(data).ok()?;
        Kind::Burn {
            sender: e.sender,
            to: e.to,
            amount0: e.amount0,
            amount1: e.amount1,
        }
    } else if topic0 == TidepoolFactory::PairCreated::SIGNATURE_HASH {
        let e = TidepoolFactory::PairCreated::decode_log_data(data).ok()?;
        let n: u64 = e._3.try_into().ok()?;
        Kind::PairCreated {
            token0: e.token0,
            token1: e.token1,
            pair: e.pair,
            index: n.saturating_sub(1),
        }
    } else {
        return None;
    };
    Some(Event {
        pos,
        timestamp: log.block_timestamp,
        address: log.address(),
        kind,
    })
}
