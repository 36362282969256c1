//! Completing, signing and sending one transaction as a [`Client`]'s
//! account: gas limit from a simulation, nonce, the fees the person chose
//! (checked against their cap before anything is signed), the confirmation
//! gate, and the record in the client's journal.

use alloy::consensus::Transaction as _;
use alloy::network::TransactionBuilder;
use alloy::primitives::TxHash;
use alloy::providers::Provider;
use alloy::rpc::types::TransactionRequest;

use crate::chain::{Client, Signer, ToSign};
use crate::error::{Error, Result};
use crate::fees::{FeeCost, FeeMarket, Fees};
use crate::txwatch::{SentTx, unix_now};

/// A gas limit with room over `estimate`: an estimate is the least gas that
/// succeeded against the pending state in a block with the latest block's
/// timestamp. Mined a second later, a V2 pair also writes its two price
/// accumulators (up to 2 × 22.1k per pool on their first write), so the limit
/// is the estimate + 20% + 150k (unused gas is not charged), below the block
/// gas limit.
pub fn gas_limit_for(estimate: u64) -> u64 {
    (estimate + estimate / 5 + 150_000).min(30_000_000)
}

impl Client {
    /// The chain's fee market now (base fee, recent tips, gas price).
    pub async fn fee_market(&self) -> Result<FeeMarket> {
        FeeMarket::read(self).await
    }

    /// The fees the person's choice gives now, checked against their cap.
    pub async fn choose_fees(&self) -> Result<Fees> {
        self.fee_market().await?.resolve(&self.fees)
    }

    /// What `tx` would cost with the person's fee choice: the gas estimate,
    /// the gas limit Tidepool signs, the expected and the worst-case fee.
    /// Fails as sending would when the fees are above the cap.
    pub async fn fee_cost(&self, tx: &TransactionRequest) -> Result<FeeCost> {
        let mut tx = tx.clone();
        if tx.from.is_none() {
            tx.from = self.from;
        }
        let estimate = self
            .provider
            .estimate_gas(tx.clone())
            .await
            .map_err(|e| self.err(e))?;
        let market = self.fee_market().await?;
        let fees = market.resolve(&self.fees)?;
        Ok(market.cost(&fees, estimate, tx.gas.unwrap_or(gas_limit_for(estimate))))
    }

    /// Fills what `tx` lacks to be signed as the client's account: `from`,
    /// the gas limit, the nonce (for a key Tidepool holds; a wallet picks its
    /// own) and the fees.
    pub async fn prepare(&self, tx: TransactionRequest) -> Result<TransactionRequest> {
        let from = self.sender()?;
        let mut tx = tx.with_from(from);
        if tx.gas.is_none() {
            let estimate = self
                .provider
                .estimate_gas(tx.clone())
                .await
                .map_err(|e| self.err(e))?;
            tx.gas = Some(gas_limit_for(estimate));
        }
        if Fees::of(&tx).is_none() {
            self.choose_fees().await?.apply(&mut tx);
        }
        if tx.nonce.is_none() && matches!(self.signer, Some(Signer::Local(_))) {
            let nonce = self
                .provider
                .get_transaction_count(from)
                .pending()
                .await
                .map_err(|e| self.err(e))?;
            tx.nonce = Some(nonce);
        }
        tx.chain_id = Some(self.chain_id);
        Ok(tx)
    }

    /// Signs and sends `tx` as the client's account (completing it with
    /// [`Client::prepare`]) and returns its hash once the node or the wallet
    /// accepted it.
    pub async fn submit(&self, tx: TransactionRequest) -> Result<TxHash> {
        Ok(self.send_tracked(tx).await?.hash)
    }

    /// [`Client::submit`], returning the record of what was sent (also given
    /// to the client's journal).
    pub async fn send_tracked(&self, tx: TransactionRequest) -> Result<SentTx> {
        let tx = self.prepare(tx).await?;
        let sent_block = self
            .provider
            .get_block_number()
            .await
            .map_err(|e| self.err(e))?;
        let hash = match &self.signer {
            None => return Err(Error::NoAccount),
            Some(Signer::Wallet(w)) => w.send_transaction(self.chain_id, &tx).await?,
            Some(Signer::Local(_)) => {
                if let Some(gate) = &self.gate {
                    gate.confirm(self, ToSign::Transaction(&tx)).await?;
                }
                *self
                    .provider
                    .send_transaction(tx.clone())
                    .await
                    .map_err(|e| self.err(e))?
                    .tx_hash()
            }
        };
        let mut nonce = tx.nonce;
        if nonce.is_none() {
            // The wallet picked it; the node may already know.
            nonce = self
                .provider
                .get_transaction_by_hash(hash)
                .await
                .ok()
                .flatten()
                .map(|t| t.nonce());
        }
        let sent = SentTx {
            hash,
            chain_id: self.chain_id,
            from: self.sender()?,
            nonce,
            to: tx.to.as_ref().and_then(|k| k.to().copied()),
            value: tx.value.unwrap_or_default(),
            input: tx.input.input().cloned().unwrap_or_default(),
            gas_limit: tx.gas.unwrap_or_default(),
            fees: Fees::of(&tx),
            sent_block,
            sent_at: unix_now(),
        };
        if let Some(j) = &self.journal {
            j.sent(&sent);
        }
        Ok(sent)
    }
}
