//! The simulation's hands on the chain: the agents' accounts (keys held
//! here, nonces counted here), signing and sending a block's transactions,
//! mining a block at a set timestamp, and rolling blocks back.
//!
//! Transactions are signed locally and sent raw, several in flight: the
//! block order does not depend on arrival, because every transaction of a
//! block carries its own fee cap and priority fee, both falling with the
//! order it was made in (and an agent's nonces rise with that order). Anvil
//! orders its mempool by the fee cap (`maxFeePerGas`), other nodes by the
//! priority fee; both give the same order.

use alloy::consensus::TxEnvelope;
use alloy::eips::eip2718::Encodable2718;
use alloy::network::{EthereumWallet, TransactionBuilder};
use alloy::primitives::{Address, B256, Bytes, U256};
use alloy::providers::Provider;
use alloy::rpc::types::TransactionRequest;
use futures::future::join_all;
use tidepool_sdk::alloy;
use tidepool_sdk::chain::Client;
use tidepool_sdk::signer::SignerSource;

use crate::{Error, Result};

/// Gas each agent transaction may use (set, not estimated: an estimate
/// against the pending block would depend on what else is in it).
pub const TX_GAS: u64 = 400_000;
/// The fee cap of a block's last transaction, wei per gas.
pub const BASE_MAX_FEE: u128 = 100_000_000_000;
/// The priority fee of a block's last transaction, wei per gas.
pub const BASE_TIP: u128 = 1_000_000_000;

/// A transaction's fee cap and priority fee, wei per gas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fee {
    /// `maxFeePerGas`.
    pub max: u128,
    /// `maxPriorityFeePerGas`.
    pub tip: u128,
}

impl Fee {
    /// The fee of a transaction with `later` transactions after it in its
    /// block.
    pub fn nth_last(later: u128) -> Fee {
        Fee {
            max: BASE_MAX_FEE + later,
            tip: BASE_TIP + later,
        }
    }
}
/// Raw transactions in flight at once.
const IN_FLIGHT: usize = 8;

/// One agent's account.
pub struct Account {
    wallet: EthereumWallet,
    /// Its address.
    pub address: Address,
    /// The nonce of its next transaction.
    pub nonce: u64,
}

/// A signed transaction, as sent.
#[derive(Debug, Clone)]
pub struct Signed {
    /// Its hash.
    pub hash: B256,
    /// Its bytes (sent again when a reorg re-includes it).
    pub raw: Bytes,
}

/// The node and the agents' accounts.
pub struct Chain {
    /// The node.
    pub client: Client,
    /// The agents' accounts, by dev-account number.
    accounts: Vec<(u32, Account)>,
    /// The latest block's base fee, wei per gas.
    pub base_fee: u128,
}

impl Chain {
    /// Connects to `url` with the dev accounts `numbers` as agents.
    pub async fn connect(url: &str, numbers: &[u32]) -> Result<Self> {
        let client = Client::connect(url).await?;
        let mut accounts = Vec::new();
        for &n in numbers {
            let s = SignerSource::DevAccount(n).load(client.chain_id)?;
            let address = s.address();
            accounts.push((
                n,
                Account {
                    wallet: EthereumWallet::from(s.signer),
                    address,
                    nonce: 0,
                },
            ));
        }
        let mut chain = Chain {
            client,
            accounts,
            base_fee: 0,
        };
        chain.sync_nonces().await?;
        Ok(chain)
    }

    /// The account of dev account `n`.
    pub fn address(&self, n: u32) -> Address {
        self.accounts
            .iter()
            .find(|(k, _)| *k == n)
            .map(|(_, a)| a.address)
            .unwrap_or_default()
    }

    /// Whether `a` is one of the agents.
    pub fn is_agent(&self, a: Address) -> bool {
        self.accounts.iter().any(|(_, x)| x.address == a)
    }

    /// Reads every agent's nonce from the node (after blocks were dropped).
    pub async fn sync_nonces(&mut self) -> Result<()> {
        for (_, a) in &mut self.accounts {
            a.nonce = self
                .client
                .provider
                .get_transaction_count(a.address)
                .pending()
                .await
                .map_err(|e| self.client.err(e))?;
        }
        Ok(())
    }

    fn rpc(&self, e: alloy::transports::TransportError) -> Error {
        self.client.err(e).into()
    }

    /// Signs `txs` (each from the dev account it names, in order, with the
    /// account's next nonce and fees falling with the order) and sends
    /// them; what was sent, in order.
    pub async fn send(&mut self, txs: Vec<(u32, TransactionRequest)>) -> Result<Vec<Signed>> {
        let n = txs.len() as u128;
        let mut signed = Vec::with_capacity(txs.len());
        for (i, (who, t)) in txs.into_iter().enumerate() {
            signed.push(self.sign(who, t, Fee::nth_last(n - 1 - i as u128)).await?);
        }
        self.send_raw(&signed).await?;
        Ok(signed)
    }

    /// Signs one transaction from dev account `who` with `fee` (its nonce is
    /// taken).
    pub async fn sign(&mut self, who: u32, t: TransactionRequest, fee: Fee) -> Result<Signed> {
        let chain_id = self.client.chain_id;
        let (_, a) = self
            .accounts
            .iter_mut()
            .find(|(k, _)| *k == who)
            .ok_or_else(|| Error::Simulation(format!("dev account {who} is not an agent")))?;
        let mut t = t
            .with_from(a.address)
            .with_nonce(a.nonce)
            .with_chain_id(chain_id)
            .with_max_priority_fee_per_gas(fee.tip)
            .with_max_fee_per_gas(fee.max.max(fee.tip));
        if t.gas.is_none() {
            t.gas = Some(TX_GAS);
        }
        let env: TxEnvelope = t
            .build(&a.wallet)
            .await
            .map_err(|e| Error::Simulation(format!("cannot sign: {e}")))?;
        a.nonce += 1;
        Ok(Signed {
            hash: *env.tx_hash(),
            raw: env.encoded_2718().into(),
        })
    }

    /// Sends signed transactions, several in flight.
    pub async fn send_raw(&self, txs: &[Signed]) -> Result<()> {
        let p = &self.client.provider;
        for chunk in txs.chunks(IN_FLIGHT) {
            // Futures pushed in a loop, not mapped by a closure: a closure
            // borrowing its argument makes the future lose `Send` for rustc.
            let mut sends = Vec::with_capacity(chunk.len());
            for s in chunk {
                sends.push(p.send_raw_transaction(&s.raw));
            }
            for r in join_all(sends).await {
                let _sent = r.map_err(|e| self.rpc(e))?;
            }
        }
        Ok(())
    }

    /// Switches the node's automatic mining on or off.
    pub async fn automine(&self, on: bool) -> Result<()> {
        self.client
            .provider
            .raw_request::<_, ()>("evm_setAutomine".into(), (on,))
            .await
            .map_err(|e| self.rpc(e))
    }

    /// Mines one block at `time`; its number and the transactions it holds.
    pub async fn mine(&mut self, time: u64) -> Result<(u64, Vec<B256>)> {
        let p = &self.client.provider;
        p.raw_request::<_, ()>("evm_setNextBlockTimestamp".into(), (time,))
            .await
            .map_err(|e| self.rpc(e))?;
        p.raw_request::<_, String>("evm_mine".into(), ())
            .await
            .map_err(|e| self.rpc(e))?;
        let block = p
            .get_block(alloy::eips::BlockNumberOrTag::Latest.into())
            .await
            .map_err(|e| self.rpc(e))?
            .ok_or_else(|| Error::Simulation("the node has no latest block".into()))?;
        self.base_fee = block.header.base_fee_per_gas.unwrap_or(0).into();
        let txs = block.transactions.hashes().collect();
        Ok((block.header.number, txs))
    }

    /// The latest block's number and timestamp.
    pub async fn head(&mut self) -> Result<(u64, u64)> {
        let block = self
            .client
            .provider
            .get_block(alloy::eips::BlockNumberOrTag::Latest.into())
            .await
            .map_err(|e| self.rpc(e))?
            .ok_or_else(|| Error::Simulation("the node has no latest block".into()))?;
        self.base_fee = block.header.base_fee_per_gas.unwrap_or(0).into();
        Ok((block.header.number, block.header.timestamp))
    }

    /// Drops the latest `depth` blocks (their transactions leave the chain
    /// and the mempool).
    pub async fn rollback(&self, depth: u64) -> Result<()> {
        self.client
            .provider
            .raw_request::<_, ()>("anvil_rollback".into(), (depth,))
            .await
            .map_err(|e| self.rpc(e))
    }

    /// Balance of `token` held by `who`.
    pub async fn balance(&self, token: Address, who: Address) -> Result<U256> {
        tidepool_sdk::bindings::TestToken::new(token, &self.client.provider)
            .balanceOf(who)
            .call()
            .await
            .map_err(|e| self.client.call_err(e).into())
    }
}
