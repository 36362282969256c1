//! Fee flags (`--speed`, `--max-fee`, `--priority-fee`, `--fee-cap`) and the
//! transaction store's directory (`--data-dir`), as the sdk and the flows
//! take them; and how a fee is printed.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context as _, Result, bail};
use clap::ValueEnum;
use tidepool_flows::tracker::TxStore;
use tidepool_sdk::U256;
use tidepool_sdk::amount::format_units;
use tidepool_sdk::fees::{FeeChoice, FeeCost, Fees, Speed, gwei, parse_gwei};

use crate::Global;
use crate::config::FileConfig;

/// `--speed`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SpeedArg {
    /// The 10th percentile tip of recent blocks.
    Slow,
    /// The median tip.
    Normal,
    /// The 90th percentile tip.
    Fast,
}

impl From<SpeedArg> for Speed {
    fn from(s: SpeedArg) -> Self {
        match s {
            SpeedArg::Slow => Speed::Slow,
            SpeedArg::Normal => Speed::Normal,
            SpeedArg::Fast => Speed::Fast,
        }
    }
}

fn gwei_flag(v: Option<&str>, flag: &str) -> Result<Option<u128>> {
    v.map(|s| parse_gwei(s).with_context(|| format!("{flag} is a fee per gas in gwei, e.g. 1.5")))
        .transpose()
}

/// The fee choice of the flags, the environment and the config file.
pub fn choice(g: &Global, file: &FileConfig) -> Result<FeeChoice> {
    let speed = match (g.speed, file.speed.as_deref()) {
        (Some(s), _) => s.into(),
        (None, Some(s)) => SpeedArg::from_str(s, true)
            .map_err(|_| {
                anyhow::anyhow!("speed = \"{s}\" in the config file: use slow, normal or fast")
            })?
            .into(),
        (None, None) => Speed::Normal,
    };
    let c = FeeChoice {
        speed,
        max_fee: gwei_flag(g.max_fee.as_deref(), "--max-fee")?,
        priority_fee: gwei_flag(g.priority_fee.as_deref(), "--priority-fee")?,
        cap: gwei_flag(
            g.fee_cap.as_deref().or(file.fee_cap.as_deref()),
            "--fee-cap",
        )?,
    };
    if let (Some(max), Some(tip)) = (c.max_fee, c.priority_fee)
        && tip > max
    {
        bail!(
            "--priority-fee ({}) is above --max-fee ({}); the max fee includes the tip",
            gwei(tip),
            gwei(max)
        );
    }
    Ok(c)
}

/// Where the transaction store lives.
pub fn data_dir(g: &Global, file: &FileConfig) -> PathBuf {
    if let Some(d) = g.data_dir.clone().or_else(|| file.data_dir.clone()) {
        return d;
    }
    let env = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(xdg) = env("XDG_DATA_HOME") {
        return xdg.join("tidepool");
    }
    if let Some(home) = env("HOME") {
        return home.join(".local/share/tidepool");
    }
    PathBuf::from(".tidepool")
}

/// The transaction store.
pub fn store(g: &Global, file: &FileConfig) -> Result<Arc<TxStore>> {
    Ok(TxStore::open(&data_dir(g, file))?)
}

/// "0.000123 ETH" for a wei amount.
pub fn eth(wei: U256) -> String {
    format!("{} ETH", format_units(wei, 18))
}

/// "12 gwei max, 1.5 gwei tip" or "20 gwei".
pub fn per_gas(f: &Fees) -> String {
    match f {
        Fees::Eip1559 {
            max_fee,
            priority_fee,
        } => format!("max {} incl. tip {}", gwei(*max_fee), gwei(*priority_fee)),
        Fees::Legacy { gas_price } => format!("gas price {}", gwei(*gas_price)),
    }
}

/// One line for a fee before sending.
pub fn line(c: &FeeCost) -> String {
    format!(
        "fee       about {} (gas ~{}), at most {} (limit {}; {} per gas); no USD price source yet",
        eth(c.expected),
        c.gas_used,
        eth(c.worst),
        c.gas_limit,
        per_gas(&c.fees)
    )
}

/// A fee as JSON.
pub fn json(c: &FeeCost) -> serde_json::Value {
    serde_json::json!({
        "expectedWei": c.expected.to_string(),
        "worstCaseWei": c.worst.to_string(),
        "gasEstimate": c.gas_used,
        "gasLimit": c.gas_limit,
        "perGas": c.fees,
    })
}
