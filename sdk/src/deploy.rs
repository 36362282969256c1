//! Deploying Tidepool (WETH, the factory, the router) to any chain, and
//! sending transactions with a receipt check.

use std::time::Duration;

use alloy::network::TransactionBuilder;
use alloy::primitives::{Address, Bytes, TxHash, U256};
use alloy::providers::Provider;
use alloy::rpc::types::{TransactionReceipt, TransactionRequest};
use alloy::sol_types::SolConstructor;
use tracing::info;

use crate::bindings::{TidepoolFactory, TidepoolRouter, WETH};
use crate::chain::Client;
use crate::error::{Error, Result};
use crate::manifest::{Manifest, TokenInfo};
use crate::pair_address::init_code_hash;

/// Sends a transaction from the client's account and waits for its receipt.
/// A reverted receipt is an error (with the revert decoded by replaying the
/// call at the parent block).
pub async fn send(client: &Client, tx: TransactionRequest) -> Result<TransactionReceipt> {
    send_observed(client, tx, |_| {}).await
}

/// [`send`], calling `on_sent` with the hash once the node accepted the
/// transaction (before it is mined), for status displays.
pub async fn send_observed(
    client: &Client,
    tx: TransactionRequest,
    on_sent: impl FnOnce(TxHash) + Send,
) -> Result<TransactionReceipt> {
    let from = client.sender()?;
    let mut tx = tx.with_from(from);
    if tx.gas.is_none() {
        // An estimate is the least gas that succeeded against the pending state
        // as the node saw it, in a block with the latest block's timestamp. Mined
        // a second later, a V2 pair also writes its two price accumulators (up to
        // 2 × 22.1k per pool on their first write), so the limit is the estimate
        // + 20% + 150k (unused gas is not charged), below the block gas limit.
        let estimate = client
            .provider
            .estimate_gas(tx.clone())
            .await
            .map_err(|e| client.err(e))?;
        tx.gas = Some((estimate + estimate / 5 + 150_000).min(30_000_000));
    }
    let hash = client.submit(tx.clone()).await?;
    on_sent(hash);
    let receipt = wait_receipt(client, hash).await?;
    if !receipt.status() {
        let block = receipt.block_number.unwrap_or_default().saturating_sub(1);
        let limit = client
            .provider
            .get_transaction_by_hash(hash)
            .await
            .ok()
            .flatten()
            .map(|t| alloy::consensus::Transaction::gas_limit(&t));
        let replay = client.provider.call(tx).block(block.into()).await;
        return Err(match replay {
            Err(e) => client.err(e),
            Ok(_) => Error::Rpc(format!(
                "transaction {hash} reverted on chain in block {} (gas used {} of limit {:?}); the same call succeeds at the block before, so the state changed in between",
                receipt.block_number.unwrap_or_default(),
                receipt.gas_used,
                limit
            )),
        });
    }
    Ok(receipt)
}

/// Polls for a receipt: every 5 ms at first (a devnet mines at once), backing
/// off to 1 s, for up to 5 minutes.
pub async fn wait_receipt(client: &Client, hash: TxHash) -> Result<TransactionReceipt> {
    let mut delay = Duration::from_millis(5);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(300);
    loop {
        if let Some(r) = client
            .provider
            .get_transaction_receipt(hash)
            .await
            .map_err(|e| client.err(e))?
        {
            return Ok(r);
        }
        if tokio::time::Instant::now() > deadline {
            return Err(Error::Rpc(format!(
                "transaction {hash} was not mined within 5 minutes; it may still be pending"
            )));
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(1));
    }
}

/// Deploys a contract from creation code + encoded constructor arguments.
pub async fn deploy_code(client: &Client, code: Bytes) -> Result<(Address, u64)> {
    let tx = TransactionRequest::default().with_deploy_code(code);
    let receipt = send(client, tx).await?;
    let address = receipt
        .contract_address
        .ok_or_else(|| Error::Rpc("the deployment receipt has no contract address".into()))?;
    Ok((address, receipt.block_number.unwrap_or_default()))
}

fn with_args(code: &Bytes, args: Vec<u8>) -> Bytes {
    let mut v = code.to_vec();
    v.extend(args);
    v.into()
}

/// Deploys WETH, the factory (`fee_to_setter` may switch the protocol fee) and
/// the router, the way Uniswap V2 is deployed, and returns their manifest
/// (with WETH as its only token).
pub async fn deploy_core(client: &Client, fee_to_setter: Address) -> Result<Manifest> {
    let (weth, deploy_block) = deploy_code(client, WETH::BYTECODE.clone()).await?;
    let factory_args = TidepoolFactory::constructorCall {
        _feeToSetter: fee_to_setter,
    }
    .abi_encode();
    let (factory, _) =
        deploy_code(client, with_args(&TidepoolFactory::BYTECODE, factory_args)).await?;
    let router_args = TidepoolRouter::constructorCall {
        _factory: factory,
        _weth: weth,
    }
    .abi_encode();
    let (router, _) =
        deploy_code(client, with_args(&TidepoolRouter::BYTECODE, router_args)).await?;
    let pair_extension = TidepoolFactory::new(factory, &client.provider)
        .pairExtension()
        .call()
        .await
        .map_err(|e| client.call_err(e))?;
    info!(%weth, %factory, %router, "Tidepool deployed");
    Ok(Manifest {
        chain_id: client.chain_id,
        genesis_hash: client.genesis_hash().await?,
        rpc_url: client.url.clone(),
        deploy_block,
        weth,
        factory,
        router,
        pair_extension,
        init_code_hash: init_code_hash(),
        tokens: vec![TokenInfo {
            symbol: "WETH".into(),
            name: "Wrapped Ether".into(),
            decimals: 18,
            address: weth,
        }],
    })
}

/// A call to `to` with `data` and `value`, as a transaction request.
pub fn call_tx(to: Address, data: Vec<u8>, value: U256) -> TransactionRequest {
    TransactionRequest::default()
        .with_to(to)
        .with_input(data)
        .with_value(value)
}

/// Whether `address` holds contract code.
pub async fn has_code(client: &Client, address: Address) -> Result<bool> {
    let code = client
        .provider
        .get_code_at(address)
        .await
        .map_err(|e| client.err(e))?;
    Ok(!code.is_empty())
}

/// Runs `tx` as an `eth_call` from the sender at the latest block: the
/// return data, or the revert decoded.
pub async fn simulate(client: &Client, tx: &TransactionRequest) -> Result<Bytes> {
    let tx = tx.clone().with_from(client.sender()?);
    client.provider.call(tx).await.map_err(|e| client.err(e))
}
