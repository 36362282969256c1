//! A connection to a JSON-RPC endpoint: the chain it is on, and (once a
//! signer is attached) an account that can send transactions.

use std::sync::Arc;

use alloy::dyn_abi::TypedData;
use alloy::network::EthereumWallet;
use alloy::primitives::{Address, B256, Signature};
use alloy::providers::{DynProvider, Provider, ProviderBuilder};
use alloy::rpc::client::{ClientBuilder, RpcClient};
use alloy::rpc::types::TransactionRequest;
use alloy::signers::SignerSync;
use alloy::signers::local::PrivateKeySigner;
use alloy::transports::{RpcError, TransportError};
use tracing::debug;

use crate::error::{Error, Result};
use crate::fees::FeeChoice;
use crate::manifest::Manifest;
use crate::revert;
use crate::signer::LoadedSigner;
use crate::txwatch::Journal;
use crate::wallet::{BoxFuture, WalletSigner};

/// Who signs for a [`Client`].
#[derive(Clone)]
pub enum Signer {
    /// A key Tidepool holds (keystore, private key, mnemonic, dev account):
    /// transactions are signed here and sent to the node.
    Local(Arc<PrivateKeySigner>),
    /// A wallet that keeps its own key: every transaction and signature is
    /// asked of it.
    Wallet(Arc<WalletSigner>),
}

/// What a local key is about to sign.
#[derive(Debug, Clone, Copy)]
pub enum ToSign<'a> {
    /// A transaction, complete but for the nonce: `to`, data, value, the
    /// gas limit and the EIP-1559 fee caps are what will be signed.
    Transaction(&'a TransactionRequest),
    /// EIP-712 typed data (a permit).
    TypedData(&'a TypedData),
}

/// A check before a local key signs anything, e.g. the desktop app's native
/// confirmation dialog. Wallets that keep their own key confirm in the
/// wallet instead, so the gate is not asked for them.
pub trait SignGate: Send + Sync {
    /// Resolves to `Ok(())` to sign, or an error (usually
    /// [`Error::Declined`]) to sign nothing.
    fn confirm<'a>(&'a self, client: &'a Client, what: ToSign<'a>) -> BoxFuture<'a, Result<()>>;
}

/// A connected endpoint.
#[derive(Clone)]
pub struct Client {
    /// The provider (with a wallet filler once [`Client::with_signer`] was called).
    pub provider: DynProvider,
    /// The transport (one HTTP client or one WebSocket), shared by every
    /// provider made from this connection.
    pub rpc: RpcClient,
    /// The endpoint's URL.
    pub url: String,
    /// The chain id the node reported.
    pub chain_id: u64,
    /// The sending account, if a signer is attached.
    pub from: Option<Address>,
    /// Who signs, if anyone.
    pub signer: Option<Signer>,
    /// Asked before a local key signs.
    pub gate: Option<Arc<dyn SignGate>>,
    /// What the person chose to pay for each transaction.
    pub fees: FeeChoice,
    /// Where every sent transaction is recorded, if anywhere.
    pub journal: Option<Arc<dyn Journal>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Client({} chain {} from {:?})",
            self.url, self.chain_id, self.from
        )
    }
}

impl Client {
    /// Connects read-only and asks the node for its chain id.
    ///
    /// `http(s)://` endpoints are used request by request; `ws(s)://` ones over
    /// one WebSocket, which also carries block subscriptions.
    pub async fn connect(url: &str) -> Result<Self> {
        let parsed: url::Url = url.parse().map_err(|_| Error::BadUrl(url.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https" | "ws" | "wss") {
            return Err(Error::BadUrl(url.to_string()));
        }
        let rpc = ClientBuilder::default()
            .connect(url)
            .await
            .map_err(|e| rpc_error(url, e))?;
        let provider = ProviderBuilder::new().connect_client(rpc.clone()).erased();
        let chain_id = provider
            .get_chain_id()
            .await
            .map_err(|e| rpc_error(url, e))?;
        debug!(url, chain_id, "connected");
        Ok(Self {
            provider,
            rpc,
            url: url.to_string(),
            chain_id,
            from: None,
            signer: None,
            gate: None,
            fees: FeeChoice::default(),
            journal: None,
        })
    }

    /// The same endpoint with `signer` sending transactions (nonce, gas and
    /// chain id filled in by alloy).
    pub fn with_signer(&self, signer: &LoadedSigner) -> Result<Self> {
        // The nonce is asked of the node for every transaction (alloy's cached
        // nonce manager would leave a gap after a transaction that failed its
        // gas estimate, and every later one would wait forever).
        let provider = ProviderBuilder::new()
            .disable_recommended_fillers()
            .with_gas_estimation()
            .with_simple_nonce_management()
            .fetch_chain_id()
            .wallet(EthereumWallet::from(signer.signer.clone()))
            .connect_client(self.rpc.clone())
            .erased();
        Ok(Self {
            provider,
            rpc: self.rpc.clone(),
            url: self.url.clone(),
            chain_id: self.chain_id,
            from: Some(signer.address()),
            signer: Some(Signer::Local(Arc::new(signer.signer.clone()))),
            gate: self.gate.clone(),
            fees: self.fees,
            journal: self.journal.clone(),
        })
    }

    /// The same client with `gate` asked before a local key signs.
    pub fn with_gate(mut self, gate: Arc<dyn SignGate>) -> Self {
        self.gate = Some(gate);
        self
    }

    /// The same client paying `fees` for each transaction.
    pub fn with_fees(mut self, fees: FeeChoice) -> Self {
        self.fees = fees;
        self
    }

    /// The same client recording every transaction it sends in `journal`.
    pub fn with_journal(mut self, journal: Arc<dyn Journal>) -> Self {
        self.journal = Some(journal);
        self
    }

    /// The same endpoint with a wallet that keeps its own key sending
    /// transactions: the node is still read here, but every transaction and
    /// signature is asked of the wallet.
    pub fn with_wallet(&self, wallet: WalletSigner) -> Self {
        let provider = ProviderBuilder::new()
            .connect_client(self.rpc.clone())
            .erased();
        Self {
            provider,
            rpc: self.rpc.clone(),
            url: self.url.clone(),
            chain_id: self.chain_id,
            from: Some(wallet.address()),
            signer: Some(Signer::Wallet(Arc::new(wallet))),
            gate: None,
            fees: self.fees,
            journal: self.journal.clone(),
        }
    }

    /// Signs EIP-712 `typed` data as the client's account: locally, or by
    /// the wallet (`eth_signTypedData_v4`).
    pub async fn sign_typed_data(&self, typed: &TypedData) -> Result<Signature> {
        match &self.signer {
            None => Err(Error::NoAccount),
            Some(Signer::Wallet(w)) => w.sign_typed_data(self.chain_id, typed).await,
            Some(Signer::Local(key)) => {
                if let Some(gate) = &self.gate {
                    gate.confirm(self, ToSign::TypedData(typed)).await?;
                }
                let hash = typed
                    .eip712_signing_hash()
                    .map_err(|e| Error::Signer(format!("cannot hash the typed data: {e}")))?;
                key.sign_hash_sync(&hash)
                    .map_err(|e| Error::Signer(format!("cannot sign: {e}")))
            }
        }
    }

    /// The sending account, or an error saying how to choose one.
    pub fn sender(&self) -> Result<Address> {
        self.from.ok_or(Error::NoAccount)
    }

    /// Fails unless the node is on chain `expected`.
    pub fn expect_chain(&self, expected: u64) -> Result<()> {
        if self.chain_id != expected {
            return Err(Error::WrongChain {
                expected,
                actual: self.chain_id,
            });
        }
        Ok(())
    }

    /// The hash of block 0.
    pub async fn genesis_hash(&self) -> Result<B256> {
        let block = self
            .provider
            .get_block_by_number(0.into())
            .await
            .map_err(|e| self.err(e))?
            .ok_or_else(|| Error::Rpc("the node has no block 0".into()))?;
        Ok(block.header.hash)
    }

    /// Checks that `manifest` describes this chain: same chain id, same
    /// genesis block, and code at the router and factory.
    pub async fn check_manifest(&self, manifest: &Manifest) -> Result<()> {
        self.expect_chain(manifest.chain_id)?;
        if self.genesis_hash().await? != manifest.genesis_hash {
            return Err(Error::GenesisMismatch {
                chain_id: manifest.chain_id,
            });
        }
        for (what, address) in [("factory", manifest.factory), ("router", manifest.router)] {
            let code = self
                .provider
                .get_code_at(address)
                .await
                .map_err(|e| self.err(e))?;
            if code.is_empty() {
                return Err(Error::NoCode { what, address });
            }
        }
        Ok(())
    }

    /// Maps a transport error of this endpoint.
    pub fn err(&self, e: TransportError) -> Error {
        rpc_error(&self.url, e)
    }

    /// Maps a contract-call error of this endpoint.
    pub fn call_err(&self, e: alloy::contract::Error) -> Error {
        if let Some(data) = revert::revert_data(&e) {
            return Error::Reverted(revert::decode(&data));
        }
        match e {
            alloy::contract::Error::TransportError(t) => self.err(t),
            other => Error::Rpc(other.to_string()),
        }
    }

    /// The latest block's timestamp (the chain's "now").
    pub async fn chain_time(&self) -> Result<u64> {
        let block = self
            .provider
            .get_block_by_number(alloy::eips::BlockNumberOrTag::Latest)
            .await
            .map_err(|e| self.err(e))?
            .ok_or_else(|| Error::Rpc("the node returned no latest block".into()))?;
        Ok(block.header.timestamp)
    }
}

/// Maps a transport error: connection failures become [`Error::Unreachable`],
/// reverts are decoded, the rest is passed on.
pub fn rpc_error(url: &str, e: TransportError) -> Error {
    if let Some(data) = revert::transport_revert_data(&e) {
        return Error::Reverted(revert::decode(&data));
    }
    match &e {
        RpcError::Transport(kind) => Error::Unreachable {
            url: url.to_string(),
            reason: short(&kind.to_string()),
        },
        RpcError::ErrorResp(payload) => Error::Rpc(payload.message.to_string()),
        other => Error::Rpc(short(&other.to_string())),
    }
}

/// The first line of a message, without reqwest's long cause chains.
fn short(s: &str) -> String {
    s.lines().next().unwrap_or(s).chars().take(200).collect()
}
