//! Deploying Tidepool (WETH, the factory, the router) to any chain, and
//! sending transactions with a receipt check.

use std::time::Duration;

use alloy::network::TransactionBuilder;
use alloy::primitives::{Address, Bytes, U256};
use alloy::providers::Provider;
use alloy::rpc::types::{TransactionReceipt, TransactionRequest};
use alloy::sol_types::SolConstructor;
use tracing::info;

use crate::bindings::{TidepoolFactory, TidepoolRouter, WETH};
use crate::chain::Client;
use crate::error::{Error, Result};
use crate::manifest::{Manifest, TokenInfo};
use crate::pair_address::init_code_hash;
use crate::txwatch::{self, SentTx, TxState, Waiting};

/// Sends a transaction from the client's account and follows it until it is
/// mined. A reverted receipt is an error (with the revert decoded by
/// replaying the call at the parent block), and so is a transaction replaced
/// or dropped.
pub async fn send(client: &Client, tx: TransactionRequest) -> Result<TransactionReceipt> {
    send_observed(client, tx, |_| {}, &|_| {}).await
}

/// [`send`], calling `on_sent` once the node or the wallet accepted the
/// transaction (before it is mined) and `on_wait` each time the reason it is
/// still waited for changes (in the mempool, node unreachable), for status
/// displays. Never gives up on a transaction that can still be mined.
pub async fn send_observed(
    client: &Client,
    tx: TransactionRequest,
    on_sent: impl FnOnce(&SentTx) + Send,
    on_wait: &(dyn Fn(&Waiting) + Send + Sync),
) -> Result<TransactionReceipt> {
    let sent = client.send_tracked(tx).await?;
    on_sent(&sent);
    finish(client, &sent, on_wait).await
}

/// Follows an already sent transaction until it is mined (see [`send_observed`]).
pub async fn finish(
    client: &Client,
    sent: &SentTx,
    on_wait: &(dyn Fn(&Waiting) + Send + Sync),
) -> Result<TransactionReceipt> {
    let mut hash = sent.hash;
    match txwatch::wait(client, sent, on_wait).await {
        TxState::Mined { .. } => {}
        TxState::Replaced { by: Some(by) } if same_call(client, sent, by).await => {
            // Sped up (by Tidepool or by the wallet): the same call was mined
            // under another hash, so this transaction did what it was for.
            hash = by;
        }
        TxState::Replaced { by } => return Err(Error::Replaced { hash, by }),
        TxState::Dropped => return Err(Error::Dropped { hash }),
        TxState::Pending => unreachable!("wait returns only a settled state"),
    }
    let receipt = loop {
        match client.provider.get_transaction_receipt(hash).await {
            Ok(Some(r)) => break r,
            Ok(None) => return Err(Error::Rpc(format!("the node lost the receipt of {hash}"))),
            Err(e) => {
                on_wait(&Waiting::NodeUnreachable(client.err(e).to_string()));
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    };
    if !receipt.status() {
        let block = receipt.block_number.unwrap_or_default().saturating_sub(1);
        let mut call = TransactionRequest::default()
            .with_from(sent.from)
            .with_input(sent.input.clone())
            .with_value(sent.value);
        if let Some(to) = sent.to {
            call = call.with_to(to);
        }
        let replay = client.provider.call(call).block(block.into()).await;
        return Err(match replay {
            Err(e) => client.err(e),
            Ok(_) => Error::Rpc(format!(
                "transaction {hash} reverted on chain in block {} (gas used {} of limit {}); the same call succeeds at the block before, so the state changed in between",
                receipt.block_number.unwrap_or_default(),
                receipt.gas_used,
                sent.gas_limit
            )),
        });
    }
    Ok(receipt)
}

/// Whether the transaction `by` makes the same call as `sent` (to, data,
/// value): a speed-up rather than a cancellation or another transaction.
async fn same_call(client: &Client, sent: &SentTx, by: alloy::primitives::TxHash) -> bool {
    use alloy::consensus::Transaction as _;
    match client.provider.get_transaction_by_hash(by).await {
        Ok(Some(t)) => t.to() == sent.to && t.input() == &sent.input && t.value() == sent.value,
        _ => false,
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
        protocol: crate::manifest::Protocol::Tidepool,
        name: None,
        pair_extension: Some(pair_extension),
        init_code_hash: init_code_hash(),
        tokens: vec![TokenInfo {
            symbol: "WETH".into(),
            name: "Wrapped Ether".into(),
            decimals: 18,
            address: weth,
            oddities: Vec::new(),
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
