//! The swaps: random router swaps, signed locally as legacy transactions
//! with explicit nonces, gas limit and gas price (no per-transaction estimate,
//! nonce lookup or receipt wait).

use tidepool_sdk::alloy::consensus::{SignableTransaction, TxEnvelope, TxLegacy};
use tidepool_sdk::alloy::eips::eip2718::Encodable2718;
use tidepool_sdk::alloy::hex;
use tidepool_sdk::alloy::primitives::{Address, TxKind, U256, keccak256};
use tidepool_sdk::alloy::signers::SignerSync;
use tidepool_sdk::alloy::signers::local::PrivateKeySigner;
use tidepool_sdk::alloy::sol_types::SolCall;
use tidepool_sdk::bindings::TidepoolRouter;
use tidepool_sdk::signer::ANVIL_CHAIN_ID;

use crate::chain::{Meta, POOL_USD, Res, units};

/// Distinct swap recipients (skewed: a few are very active).
const RECIPIENTS: usize = 1_000;
/// Ample for a one-hop swap (~86k gas).
const GAS_LIMIT: u64 = 200_000;
/// Above anvil's base fee, which only falls with these blocks.
const GAS_PRICE: u128 = 2_000_000_000;

/// Random swaps through the router: a uniform pair and direction, an amount
/// log-uniform in 0.001%–0.3% of the pool's initial depth, and a skewed recipient.
pub struct SwapGen {
    state: u64,
    router: Address,
    tokens: Vec<Address>,
    pairs: Vec<(usize, usize)>,
    recipients: Vec<Address>,
}

impl SwapGen {
    /// A generator over `meta`'s pairs, reproducible from `seed`.
    pub fn new(seed: u64, meta: &Meta) -> Self {
        Self {
            state: seed | 1,
            router: meta.router,
            tokens: meta.tokens.clone(),
            pairs: meta.pairs.iter().map(|p| (p.1, p.2)).collect(),
            recipients: recipients(),
        }
    }

    fn next(&mut self) -> u64 {
        // xorshift64*
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A signed swap transaction (0x hex) from `signer` with `nonce`.
    pub fn swap(&mut self, signer: &PrivateKeySigner, nonce: u64) -> Res<String> {
        let k = (self.next() % self.pairs.len() as u64) as usize;
        let (a, b) = self.pairs[k];
        let (i, o) = if self.next() & 1 == 0 { (a, b) } else { (b, a) };
        let usd = POOL_USD * 10f64.powf(-5.0 + 2.5 * self.unit());
        let u = self.unit();
        let to = self.recipients[((u * u * RECIPIENTS as f64) as usize).min(RECIPIENTS - 1)];
        let call = TidepoolRouter::swapExactTokensForTokensCall {
            amountIn: units(usd, i),
            amountOutMin: U256::ZERO,
            path: vec![self.tokens[i], self.tokens[o]],
            to,
            deadline: U256::MAX,
        };
        sign(signer, nonce, self.router, call.abi_encode())
    }
}

/// The swap recipients: addresses nobody holds a key of.
pub fn recipients() -> Vec<Address> {
    (0..RECIPIENTS as u64)
        .map(|i| Address::from_slice(&keccak256(i.to_be_bytes())[12..]))
        .collect()
}

/// A legacy (EIP-155) transaction, signed and encoded as 0x hex.
pub fn sign(signer: &PrivateKeySigner, nonce: u64, to: Address, data: Vec<u8>) -> Res<String> {
    let tx = TxLegacy {
        chain_id: Some(ANVIL_CHAIN_ID),
        nonce,
        gas_price: GAS_PRICE,
        gas_limit: GAS_LIMIT,
        to: TxKind::Call(to),
        value: U256::ZERO,
        input: data.into(),
    };
    let sig = signer.sign_hash_sync(&tx.signature_hash())?;
    let envelope: TxEnvelope = tx.into_signed(sig).into();
    Ok(format!("0x{}", hex::encode(envelope.encoded_2718())))
}
