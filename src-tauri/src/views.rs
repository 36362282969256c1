//! What crosses the IPC boundary: requests from the UI and replies to it.
//! uint256 amounts travel as exact decimal strings in base units; addresses
//! as checksummed hex. TypeScript bindings are generated from these types
//! (`ui/src/bindings.ts`), so the two sides cannot drift apart. The file is
//! long on purpose: every IPC type in one place, mirrored 1:1 by the bindings.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::wallet::WalletState;

/// Where a token in the picker comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum TokenSource {
    /// Native ether.
    Native,
    /// The deployment manifest.
    Manifest,
    /// Found by the indexer in a pool.
    Indexed,
    /// Imported by the user by address.
    Imported,
}

/// A token as the UI shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TokenView {
    /// Checksummed address, or "ETH" for native ether.
    pub address: String,
    /// Symbol.
    pub symbol: String,
    /// Name.
    pub name: String,
    /// Decimals.
    pub decimals: u8,
    /// Where it comes from.
    pub source: TokenSource,
    /// The active account's balance (base units), when an account is active.
    pub balance: Option<String>,
    /// USD per whole token at the market's prices, when priced.
    pub price_usd: Option<f64>,
    /// The token lists that include it (the deployment's own tokens say so).
    pub lists: Vec<String>,
    /// Native, the deployment's, or on a token list: trading it needs no confirmation.
    pub verified: bool,
    /// Unverified, but the person confirmed it once on this chain.
    pub confirmed: bool,
    /// The listed token whose symbol this one copies (checksummed address).
    pub imitates: Option<String>,
    /// What misbehaves in it (bytes32 symbol, reverting calls, absurd decimals).
    pub oddities: Vec<TokenOddity>,
    /// What the person should know before trading it, in words.
    pub warning: Option<String>,
}

/// What a token does that ERC-20 does not say.
pub use tidepool_sdk::manifest::TokenOddity;

/// An imported token list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TokenListView {
    /// The list's name.
    pub name: String,
    /// Its version, `major.minor.patch`.
    pub version: String,
    /// Tokens in it, on every chain.
    pub tokens: u32,
    /// Tokens in it on the connected chain.
    pub on_this_chain: u32,
    /// When it was published (ISO 8601).
    pub published: String,
}

/// Which side of a swap is exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum TradeKind {
    /// The input is exact.
    ExactIn,
    /// The output is exact.
    ExactOut,
}

/// A quote request; `amount` in base units of the exact side.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct QuoteRequest {
    /// Token sold: an address or "ETH".
    pub token_in: String,
    /// Token bought: an address or "ETH".
    pub token_out: String,
    /// Base units (decimal string).
    pub amount: String,
    /// Which side is exact.
    pub kind: TradeKind,
}

/// One pool crossed by a route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RouteHop {
    /// The pair.
    pub pair: String,
    /// Token in at this hop.
    pub token_in: String,
    /// Token out at this hop.
    pub token_out: String,
    /// Its symbol.
    pub symbol_in: String,
    /// Its symbol.
    pub symbol_out: String,
}

/// A quote the user can approve, simulate and execute by its id.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SwapQuote {
    /// Refers to the plan kept on the Rust side.
    pub id: String,
    /// Which side is exact.
    pub kind: TradeKind,
    /// Token sold.
    pub token_in: TokenView,
    /// Token bought.
    pub token_out: TokenView,
    /// Amount sold (base units).
    pub amount_in: String,
    /// Amount bought (base units).
    pub amount_out: String,
    /// Minimum received (exact in) or maximum sold (exact out).
    pub limit: String,
    /// The slippage applied.
    pub slippage_bps: u32,
    /// The deadline setting.
    pub deadline_mins: u32,
    /// The pools crossed.
    pub route: Vec<RouteHop>,
    /// Price impact without the LP fee, in basis points.
    pub price_impact_bps: u32,
    /// What the impact policy says of it, under the user's settings.
    pub impact_tier: ImpactTier,
    /// Token out per token in, whole tokens.
    pub execution_price: f64,
    /// The LP fees paid, in token-in base units.
    pub lp_fee: String,
    /// A token on the route takes a fee on transfer: the share lost, in basis
    /// points (the swap then goes through Router02's fee-on-transfer function).
    pub transfer_fee_bps: Option<u32>,
    /// What would really arrive when a token takes a fee (base units).
    pub amount_received: Option<String>,
    /// USD value of the input at the market's prices (from its own pools), if priced.
    pub usd_in: Option<f64>,
    /// USD value of the output, if priced.
    pub usd_out: Option<f64>,
    /// Whether the router needs an allowance first.
    pub needs_approval: bool,
    /// When it was computed (unix ms).
    pub quoted_at: u64,
    /// The block whose reserves it used.
    pub block: u64,
}

/// How a quote's price impact is treated: the one policy of
/// `tidepool_sdk::impact` decides, the UI renders.
pub use tidepool_sdk::impact::ImpactTier;

/// A signed balance change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct BalanceChange {
    /// Symbol.
    pub symbol: String,
    /// Address or "ETH".
    pub token: String,
    /// Decimals.
    pub decimals: u8,
    /// Signed base units.
    pub delta: String,
}

/// A simulation's prediction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Simulation {
    /// The sender's balance changes (ETH includes gas).
    pub changes: Vec<BalanceChange>,
    /// Gas estimate.
    pub gas: u64,
    /// The gas limit that will be signed.
    pub gas_limit: u64,
    /// Expected fee: (next base fee + tip) × gas estimate, wei.
    pub fee_expected_wei: String,
    /// Worst case: max fee × gas limit, wei.
    pub fee_worst_wei: String,
    /// The max fee per gas that will be signed, wei.
    pub max_fee_per_gas_wei: String,
}

/// Executes a quote.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ExecuteSwap {
    /// The quote.
    pub quote_id: String,
    /// The user confirmed a price impact above 10%.
    pub confirm_impact: bool,
    /// The fee chosen in the review (default: the preset from Settings… normal).
    pub fee: Option<crate::sent::FeeSelection>,
}

/// A transaction's stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum TxStage {
    /// Pre-send checks and simulation.
    Checking,
    /// An approval is being sent.
    Approving,
    /// Signing and sending.
    Signing,
    /// Accepted by the node, waiting to be mined.
    Sent,
    /// Mined successfully.
    Mined,
    /// Failed (nothing sent, or reverted).
    Failed,
}

/// A status update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TxStatus {
    /// The stage.
    pub stage: TxStage,
    /// A sentence.
    pub message: String,
    /// The transaction hash once sent.
    pub hash: Option<String>,
}

/// A mined transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct TxResult {
    /// Its hash.
    pub hash: String,
    /// Its block.
    pub block: u64,
    /// Gas used.
    pub gas_used: u64,
    /// The account's actual balance changes (measured before and after).
    pub changes: Vec<BalanceChange>,
    /// The fee paid, wei.
    pub fee_paid_wei: String,
    /// The post-trade check of a swap, in plain words.
    pub check: Option<String>,
}

/// Add liquidity.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AddRequest {
    /// Address or "ETH".
    pub token_a: String,
    /// Address or "ETH".
    pub token_b: String,
    /// Base units.
    pub amount_a: String,
    /// Base units; `None` for an existing pool (the pool's ratio sets it).
    pub amount_b: Option<String>,
    /// The fee chosen in the review (default: the preset from Settings).
    #[serde(default)]
    pub fee: Option<crate::sent::FeeSelection>,
}

/// A deposit preview.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AddQuote {
    /// The pool.
    pub pair: String,
    /// Whether it exists (otherwise this creates it).
    pub exists: bool,
    /// Token A.
    pub token_a: TokenView,
    /// Token B.
    pub token_b: TokenView,
    /// Deposited A.
    pub amount_a: String,
    /// Deposited B.
    pub amount_b: String,
    /// Minimum A after slippage.
    pub min_a: String,
    /// Minimum B after slippage.
    pub min_b: String,
    /// LP tokens minted.
    pub liquidity: String,
    /// Share after (0–1).
    pub share_after: f64,
    /// Whether A needs an approval.
    pub needs_approval_a: bool,
    /// Whether B needs an approval.
    pub needs_approval_b: bool,
}

/// Remove liquidity.
#[derive(Debug, Clone, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RemoveRequest {
    /// The pair.
    pub pair: String,
    /// 1–100.
    pub percent: u32,
    /// Receive ETH instead of WETH.
    pub receive_eth: bool,
    /// The fee chosen in the review (default: the preset from Settings).
    #[serde(default)]
    pub fee: Option<crate::sent::FeeSelection>,
}

/// A withdrawal preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct RemoveQuote {
    /// The pair.
    pub pair: String,
    /// LP burned.
    pub liquidity: String,
    /// token0 received.
    pub amount0: String,
    /// token1 received.
    pub amount1: String,
    /// Minimum token0.
    pub min0: String,
    /// Minimum token1.
    pub min1: String,
}

/// A liquidity position.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PositionView {
    /// The pair.
    pub pair: String,
    /// token0.
    pub token0: TokenView,
    /// token1.
    pub token1: TokenView,
    /// LP held.
    pub liquidity: String,
    /// Share (0–1).
    pub share: f64,
    /// Underlying token0.
    pub amount0: String,
    /// Underlying token1.
    pub amount1: String,
    /// Fees earned since deposit (token0 base units).
    pub fees0: String,
    /// Fees earned since deposit (token1 base units).
    pub fees1: String,
    /// USD value of the underlying tokens, when priced.
    pub value_usd: Option<f64>,
    /// Impermanent loss since deposit (-0.01 = -1%).
    pub impermanent_loss: Option<f64>,
}

/// A pool in the list.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PoolView {
    /// The pair.
    pub pair: String,
    /// token0.
    pub token0: TokenView,
    /// token1.
    pub token1: TokenView,
    /// Reserve of token0.
    pub reserve0: String,
    /// Reserve of token1.
    pub reserve1: String,
    /// token1 per token0, whole tokens.
    pub price: f64,
    /// Both reserves in ETH, when priced through WETH pools.
    pub tvl_eth: Option<f64>,
    /// 24 h volume of token0.
    #[serde(rename = "volume0_24h")]
    pub volume0_24h: String,
    /// 24 h volume of token1.
    #[serde(rename = "volume1_24h")]
    pub volume1_24h: String,
    /// Both reserves in USD at the market's prices, when a side is priced.
    pub tvl_usd: Option<f64>,
    /// 24 h volume in USD (the priced side), when known.
    pub volume24h_usd: Option<f64>,
    /// Swaps in 24 h.
    pub swaps24h: u64,
}

/// An OHLC candle.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct Candle {
    /// Bucket start (unix seconds).
    pub time: u64,
    /// Open.
    pub open: f64,
    /// High.
    pub high: f64,
    /// Low.
    pub low: f64,
    /// Close.
    pub close: f64,
    /// Volume of token0.
    pub volume0: String,
    /// Volume of token1.
    pub volume1: String,
    /// Swaps.
    pub swaps: u64,
}

/// A pool's swap.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct SwapRow {
    /// Time.
    pub timestamp: u64,
    /// Block.
    pub block: u64,
    /// Transaction.
    pub tx_hash: String,
    /// Recipient.
    pub recipient: String,
    /// token0 in.
    pub amount0_in: String,
    /// token1 in.
    pub amount1_in: String,
    /// token0 out.
    pub amount0_out: String,
    /// token1 out.
    pub amount1_out: String,
    /// Price after.
    pub price: f64,
}

/// A pool page.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PoolDetail {
    /// The pool.
    pub pool: PoolView,
    /// Candles, oldest first.
    pub candles: Vec<Candle>,
    /// Recent swaps, newest first.
    pub swaps: Vec<SwapRow>,
}

/// A history entry's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum HistoryStatus {
    /// Sent, not yet mined.
    Pending,
    /// In the index.
    Confirmed,
    /// Reverted or refused.
    Failed,
}

/// A history entry's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub enum HistoryKind {
    /// A swap.
    Swap,
    /// A deposit.
    Mint,
    /// A withdrawal.
    Burn,
    /// An approval.
    Approve,
}

/// One history entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct HistoryRow {
    /// Kind.
    pub kind: HistoryKind,
    /// Status.
    pub status: HistoryStatus,
    /// Time (unix seconds).
    pub timestamp: u64,
    /// Block, once mined.
    pub block: Option<u64>,
    /// Transaction.
    pub tx_hash: String,
    /// The pair, if any.
    pub pair: Option<String>,
    /// What was paid (swap) or token0 (liquidity).
    pub symbol_a: String,
    /// Base units.
    pub amount_a: String,
    /// Decimals of A.
    pub decimals_a: u8,
    /// What was received (swap) or token1 (liquidity).
    pub symbol_b: String,
    /// Base units.
    pub amount_b: String,
    /// Decimals of B.
    pub decimals_b: u8,
    /// Why it failed.
    pub detail: Option<String>,
    #[serde(default)]
    /// Token A's address, when known (from the index).
    pub token_a: Option<String>,
    #[serde(default)]
    /// Token B's address, when known.
    pub token_b: Option<String>,
    #[serde(default)]
    /// Whether A is native, the deployment's or on a token list.
    pub verified_a: bool,
    #[serde(default)]
    /// Whether B is.
    pub verified_b: bool,
    #[serde(default)]
    /// What it moved, in USD at today's market prices (the paid side of a
    /// swap, both sides of a deposit or withdrawal), if priced.
    pub value_usd: Option<f64>,
}

/// The connection as the status bar shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionState {
    /// Whether the node answers.
    pub connected: bool,
    /// The endpoint.
    pub rpc_url: String,
    /// The node's chain id.
    pub chain_id: Option<u64>,
    /// The settings' chain id.
    pub expected_chain_id: u64,
    /// Whether they agree.
    pub chain_matches: bool,
    /// The latest block.
    pub block_number: Option<u64>,
    /// What blocks sending, in a sentence.
    pub problem: Option<String>,
    /// Chain resets seen since start.
    pub resets: u32,
}

/// The embedded indexer's progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type, Default)]
#[serde(rename_all = "camelCase")]
pub struct IndexProgress {
    /// Last committed block.
    pub checkpoint: Option<u64>,
    /// The block being caught up to.
    pub target: Option<u64>,
    /// At the head.
    pub following: bool,
    /// Events written since start.
    pub events: u64,
    /// The last error, if the indexer is retrying.
    pub error: Option<String>,
}

/// Everything the status bar shows.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    /// Connection.
    pub connection: ConnectionState,
    /// Index.
    pub index: IndexProgress,
    /// Wallet.
    pub wallet: WalletState,
}

/// Pushed to the UI.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum AppEvent {
    /// A new block.
    Block {
        /// Its number.
        number: u64,
    },
    /// Index progress.
    Index {
        /// Progress.
        progress: IndexProgress,
    },
    /// Connection change.
    Connection {
        /// State.
        state: ConnectionState,
    },
    /// Wallet change (e.g. auto-lock).
    Wallet {
        /// State.
        state: WalletState,
    },
}
