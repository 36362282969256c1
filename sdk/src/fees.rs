//! Transaction fees a person chooses and caps: EIP-1559 presets read from
//! `eth_feeHistory`, custom max fee and priority fee, a cap that refuses to
//! send above it, a legacy gas price on chains without EIP-1559, and the
//! expected and worst-case cost of a transaction.

use alloy::eips::BlockNumberOrTag;
use alloy::primitives::U256;
use alloy::providers::Provider;
use alloy::rpc::types::TransactionRequest;
use serde::{Deserialize, Serialize};

use crate::chain::Client;
use crate::error::{Error, Result};

/// How many recent blocks the presets look at.
const HISTORY_BLOCKS: u64 = 20;
/// The reward percentiles of slow, normal and fast.
const PERCENTILES: [f64; 3] = [10.0, 50.0, 90.0];
/// One gwei in wei.
pub const GWEI: u128 = 1_000_000_000;

/// A fee preset: how soon the transaction should be mined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Speed {
    /// The 10th percentile tip of recent blocks, room for base-fee growth of 25%.
    Slow,
    /// The median tip, room for the base fee to double.
    #[default]
    Normal,
    /// The 90th percentile tip, room for the base fee to grow 2.5×.
    Fast,
}

/// What the person chose to pay, per gas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeeChoice {
    /// The preset used for whatever is not given below.
    pub speed: Speed,
    /// A custom max fee per gas (wei); EIP-1559 chains only.
    pub max_fee: Option<u128>,
    /// A custom priority fee per gas (wei); EIP-1559 chains only.
    pub priority_fee: Option<u128>,
    /// The most the person will pay per gas (wei): a transaction whose max
    /// fee (or gas price) would be above it is not sent.
    pub cap: Option<u128>,
}

/// The fee fields of a transaction, per gas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    tag = "type"
)]
pub enum Fees {
    /// EIP-1559.
    Eip1559 {
        /// The most paid per gas (base fee + tip), wei.
        #[serde(with = "dec")]
        max_fee: u128,
        /// The tip per gas, wei.
        #[serde(with = "dec")]
        priority_fee: u128,
    },
    /// A legacy gas price, wei.
    Legacy {
        /// The price per gas.
        #[serde(with = "dec")]
        gas_price: u128,
    },
}

/// Wei amounts per gas as decimal strings in JSON (u128 does not survive
/// every serde path, and JavaScript numbers stop at 2^53).
mod dec {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &u128, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u128, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

impl Fees {
    /// The most paid per gas.
    pub fn max_per_gas(&self) -> u128 {
        match self {
            Self::Eip1559 { max_fee, .. } => *max_fee,
            Self::Legacy { gas_price } => *gas_price,
        }
    }

    /// Writes these fees into `tx` (clearing the other kind's fields).
    pub fn apply(&self, tx: &mut TransactionRequest) {
        match *self {
            Self::Eip1559 {
                max_fee,
                priority_fee,
            } => {
                tx.gas_price = None;
                tx.max_fee_per_gas = Some(max_fee);
                tx.max_priority_fee_per_gas = Some(priority_fee);
            }
            Self::Legacy { gas_price } => {
                tx.max_fee_per_gas = None;
                tx.max_priority_fee_per_gas = None;
                tx.gas_price = Some(gas_price);
            }
        }
    }

    /// The fees `tx` already carries, if it carries any.
    pub fn of(tx: &TransactionRequest) -> Option<Self> {
        match (
            tx.max_fee_per_gas,
            tx.max_priority_fee_per_gas,
            tx.gas_price,
        ) {
            (Some(max_fee), priority, _) => Some(Self::Eip1559 {
                max_fee,
                priority_fee: priority.unwrap_or(0),
            }),
            (None, _, Some(gas_price)) => Some(Self::Legacy { gas_price }),
            _ => None,
        }
    }

    /// The fees a replacement needs: each field at least 12.5% above these
    /// (nodes ask for 10%), and at least `floor` (today's fees for a speed).
    pub fn bumped(&self, floor: &Fees) -> Fees {
        let up = |v: u128| v + v / 8 + 1;
        match (*self, *floor) {
            (
                Self::Eip1559 {
                    max_fee,
                    priority_fee,
                },
                Self::Eip1559 {
                    max_fee: f_max,
                    priority_fee: f_tip,
                },
            ) => {
                let priority_fee = up(priority_fee).max(f_tip);
                Self::Eip1559 {
                    max_fee: up(max_fee).max(f_max).max(priority_fee),
                    priority_fee,
                }
            }
            (me, f) => Self::Legacy {
                gas_price: up(me.max_per_gas()).max(f.max_per_gas()),
            },
        }
    }
}

/// The chain's fee market now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeeMarket {
    /// The next block's base fee (wei per gas); `None` on a chain without EIP-1559.
    pub base_fee: Option<u128>,
    /// Tips paid in recent blocks at the 10th, 50th and 90th percentile (wei).
    pub tips: [u128; 3],
    /// `eth_gasPrice` (wei), for legacy chains.
    pub gas_price: u128,
}

impl FeeMarket {
    /// Reads the last [`HISTORY_BLOCKS`] blocks' fee history and the gas price.
    pub async fn read(client: &Client) -> Result<Self> {
        let history = client
            .provider
            .get_fee_history(HISTORY_BLOCKS, BlockNumberOrTag::Latest, &PERCENTILES)
            .await
            .map_err(|e| client.err(e))?;
        let gas_price = client
            .provider
            .get_gas_price()
            .await
            .map_err(|e| client.err(e))?;
        let base_fee = history
            .base_fee_per_gas
            .last()
            .copied()
            .filter(|b| *b > 0 || history.base_fee_per_gas.iter().any(|x| *x > 0));
        let mut tips = [0u128; 3];
        if let Some(rewards) = &history.reward {
            for (i, tip) in tips.iter_mut().enumerate() {
                let mut col: Vec<u128> = rewards.iter().filter_map(|r| r.get(i).copied()).collect();
                col.sort_unstable();
                *tip = col.get(col.len() / 2).copied().unwrap_or(0);
            }
        }
        Ok(Self {
            base_fee,
            tips,
            gas_price,
        })
    }

    /// What a preset pays here.
    pub fn preset(&self, speed: Speed) -> Fees {
        let (i, num, den) = match speed {
            Speed::Slow => (0, 5, 4),
            Speed::Normal => (1, 2, 1),
            Speed::Fast => (2, 5, 2),
        };
        match self.base_fee {
            Some(base) => {
                let priority_fee = self.tips[i];
                Fees::Eip1559 {
                    max_fee: base * num / den + priority_fee,
                    priority_fee,
                }
            }
            None => {
                let (n, d) = [(1, 1), (11, 10), (13, 10)][i];
                Fees::Legacy {
                    gas_price: self.gas_price * n / d,
                }
            }
        }
    }

    /// The fees `choice` asks for here, checked against its cap: a preset
    /// whose max fee is above the cap is lowered to the cap while the cap
    /// still covers the next base fee and the tip; anything else above the
    /// cap is refused.
    pub fn resolve(&self, choice: &FeeChoice) -> Result<Fees> {
        let preset = self.preset(choice.speed);
        let custom = choice.max_fee.is_some() || choice.priority_fee.is_some();
        let fees = match preset {
            Fees::Eip1559 {
                max_fee,
                priority_fee,
            } if custom => {
                let priority_fee = choice.priority_fee.unwrap_or(priority_fee);
                let max_fee = choice.max_fee.unwrap_or_else(|| max_fee.max(priority_fee));
                if priority_fee > max_fee {
                    return Err(Error::input(format!(
                        "the priority fee ({}) is above the max fee ({}); the max fee includes the tip",
                        gwei(priority_fee),
                        gwei(max_fee)
                    )));
                }
                Fees::Eip1559 {
                    max_fee,
                    priority_fee,
                }
            }
            Fees::Legacy { .. } if custom => {
                return Err(Error::input(
                    "this chain has no EIP-1559 base fee: give a fee cap or a speed instead of a max fee and priority fee",
                ));
            }
            p => p,
        };
        let Some(cap) = choice.cap else {
            return Ok(fees);
        };
        if fees.max_per_gas() <= cap {
            return Ok(fees);
        }
        let need = match fees {
            Fees::Eip1559 { priority_fee, .. } => self.base_fee.unwrap_or(0) + priority_fee,
            Fees::Legacy { gas_price } => gas_price,
        };
        if custom || cap < need {
            return Err(Error::FeeAboveCap {
                max_fee: gwei(fees.max_per_gas()),
                cap: gwei(cap),
                base_fee: self.base_fee.map(gwei),
            });
        }
        Ok(match fees {
            Fees::Eip1559 { priority_fee, .. } => Fees::Eip1559 {
                max_fee: cap,
                priority_fee,
            },
            legacy => legacy,
        })
    }

    /// What a transaction of `gas_limit` gas (expected to use `gas_used`)
    /// costs with `fees`: expected (next base fee + tip, or the gas price) ×
    /// gas used, and worst case (max fee × gas limit), in wei.
    pub fn cost(&self, fees: &Fees, gas_used: u64, gas_limit: u64) -> FeeCost {
        let per_gas = match *fees {
            Fees::Eip1559 {
                max_fee,
                priority_fee,
            } => (self.base_fee.unwrap_or(0) + priority_fee).min(max_fee),
            Fees::Legacy { gas_price } => gas_price,
        };
        FeeCost {
            fees: *fees,
            gas_used,
            gas_limit,
            expected: U256::from(per_gas) * U256::from(gas_used),
            worst: U256::from(fees.max_per_gas()) * U256::from(gas_limit),
        }
    }
}

impl FeeCost {
    /// The same cost signed with `gas_limit` (the worst case follows it).
    pub fn with_gas_limit(self, gas_limit: u64) -> FeeCost {
        FeeCost {
            gas_limit,
            worst: U256::from(self.fees.max_per_gas()) * U256::from(gas_limit),
            ..self
        }
    }
}

/// A transaction's fee, before it is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeeCost {
    /// The fees per gas.
    pub fees: Fees,
    /// The gas it is expected to use.
    pub gas_used: u64,
    /// Its gas limit.
    pub gas_limit: u64,
    /// Expected fee, wei.
    pub expected: U256,
    /// The most it can cost, wei.
    pub worst: U256,
}

/// `wei` per gas in gwei, for messages ("12.5 gwei").
pub fn gwei(wei: u128) -> String {
    let whole = wei / GWEI;
    let frac = wei % GWEI;
    if frac == 0 {
        return format!("{whole} gwei");
    }
    let digits = format!("{frac:09}");
    format!("{whole}.{} gwei", digits.trim_end_matches('0'))
}

/// Parses a fee per gas given in gwei ("1.5") into wei.
pub fn parse_gwei(s: &str) -> Result<u128> {
    let v = crate::amount::parse_units(s.trim(), 9, "gwei")
        .map_err(|_| Error::input(format!("`{s}` is not a fee in gwei (e.g. 1.5)")))?;
    u128::try_from(v).map_err(|_| Error::input(format!("`{s}` gwei is too large a fee")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn market(base: Option<u128>) -> FeeMarket {
        FeeMarket {
            base_fee: base,
            tips: [GWEI / 10, GWEI, 3 * GWEI],
            gas_price: 20 * GWEI,
        }
    }

    #[test]
    fn presets_leave_room_for_the_base_fee() {
        let m = market(Some(10 * GWEI));
        assert_eq!(
            m.preset(Speed::Normal),
            Fees::Eip1559 {
                max_fee: 21 * GWEI,
                priority_fee: GWEI
            }
        );
        assert_eq!(m.preset(Speed::Fast).max_per_gas(), 28 * GWEI);
        assert_eq!(
            market(None).preset(Speed::Fast),
            Fees::Legacy {
                gas_price: 26 * GWEI
            }
        );
    }

    #[test]
    fn a_cap_lowers_a_preset_or_refuses() {
        let m = market(Some(10 * GWEI));
        let mut c = FeeChoice {
            cap: Some(15 * GWEI),
            ..FeeChoice::default()
        };
        assert_eq!(m.resolve(&c).unwrap().max_per_gas(), 15 * GWEI);
        c.cap = Some(10 * GWEI);
        let e = m.resolve(&c).unwrap_err().to_string();
        assert!(e.contains("10 gwei"), "{e}");
        c.cap = Some(30 * GWEI);
        c.max_fee = Some(31 * GWEI);
        assert!(m.resolve(&c).is_err());
        c.max_fee = Some(GWEI);
        c.priority_fee = Some(2 * GWEI);
        assert!(m.resolve(&c).is_err());
    }

    #[test]
    fn costs_and_bumps() {
        let m = market(Some(10 * GWEI));
        let f = m.preset(Speed::Normal);
        let cost = m.cost(&f, 100_000, 150_000);
        assert_eq!(cost.expected, U256::from(11 * GWEI * 100_000));
        assert_eq!(cost.worst, U256::from(21 * GWEI * 150_000));
        let b = f.bumped(&m.preset(Speed::Slow));
        assert_eq!(
            b,
            Fees::Eip1559 {
                max_fee: 21 * GWEI + 21 * GWEI / 8 + 1,
                priority_fee: GWEI + GWEI / 8 + 1
            }
        );
        assert_eq!(gwei(1_500_000_000), "1.5 gwei");
        assert_eq!(parse_gwei("1.5").unwrap(), 1_500_000_000);
    }
}
