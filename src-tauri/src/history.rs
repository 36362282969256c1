//! The account's history: swaps, deposits and withdrawals from the local
//! index, merged with the app's own transaction log ([`crate::txlog`]:
//! pending, failed and approvals, which the index does not hold), newest
//! first; and CSV export.

use alloy::primitives::{Address, U256};
use tidepool_indexer::query::{self, AccountParams, AccountRow, Activity, TokenRow};
use tidepool_sdk::manifest::{Manifest, TokenInfo};
use tidepool_sdk::market::Asset;
use tidepool_sdk::prices::Prices;
use tidepool_sdk::tokenlist::Verdict;

use crate::core::Core;
use crate::error::{AppError, AppResult};
use crate::txlog::now;
use crate::views::{HistoryKind, HistoryRow, HistoryStatus};
use crate::wallet::vault::write_atomic;

impl Core {
    /// The active account's history, newest first.
    pub async fn history(&self, limit: u32, offset: u32) -> AppResult<Vec<HistoryRow>> {
        let rows = self.history_all()?;
        let mut page: Vec<HistoryRow> = rows
            .into_iter()
            .skip(offset as usize)
            .take(limit.clamp(1, 1_000) as usize)
            .collect();
        let live = self.live()?;
        let prices = self.prices(&live).await?;
        for r in &mut page {
            self.appraise(&live.manifest, &prices, r);
        }
        Ok(page)
    }

    /// Fills a row's verification marks and USD value.
    fn appraise(&self, manifest: &Manifest, prices: &Prices, r: &mut HistoryRow) {
        let parse = |t: &Option<String>| t.as_deref().and_then(|a| a.parse::<Address>().ok());
        let (ta, tb) = (parse(&r.token_a), parse(&r.token_b));
        let trust = self.trust();
        let verified = |t: Option<Address>, symbol: &str| {
            t.is_none_or(|address| {
                let asset = Asset::Token(TokenInfo {
                    symbol: symbol.to_string(),
                    name: String::new(),
                    decimals: 18,
                    address,
                    oddities: Vec::new(),
                });
                matches!(trust.verdict(manifest, &asset), Verdict::Listed(_))
            })
        };
        r.verified_a = verified(ta, &r.symbol_a);
        r.verified_b = verified(tb, &r.symbol_b);
        let value = |t: Option<Address>, amount: &str| {
            let v = U256::from_str_radix(amount, 10).ok()?;
            prices.value(&t?, v)
        };
        let (va, vb) = (value(ta, &r.amount_a), value(tb, &r.amount_b));
        // A stablecoin side was worth then what it is worth now: a swap
        // with one is valued by it (what it fetched or cost); otherwise by
        // what was paid, at today's price.
        let stable = |t: Option<Address>| t.is_some_and(|a| prices.is_reference(&a));
        r.value_usd = match r.kind {
            HistoryKind::Swap if stable(tb) && vb.is_some() => vb,
            HistoryKind::Swap => va.or(vb),
            HistoryKind::Mint | HistoryKind::Burn => va.zip(vb).map(|(a, b)| a + b),
            HistoryKind::Approve => None,
        };
    }

    fn history_all(&self) -> AppResult<Vec<HistoryRow>> {
        let live = self.live()?;
        let Some(account) = self.active_address() else {
            return Err(AppError::wallet(
                "choose an account in Wallet to see its history",
            ));
        };
        let mut rows = self.txlog().of(account, live.genesis);
        let indexed = match crate::embedded::open_index(self) {
            Ok(conn) => {
                let rows = query::account(
                    &conn,
                    &AccountParams {
                        account: Some(format!("{account:#x}")),
                        limit: Some(10_000),
                        ..AccountParams::default()
                    },
                )?;
                indexed_rows(rows, &query::tokens(&conn).unwrap_or_default())
            }
            Err(_) => Vec::new(),
        };
        // The index is the record for what it holds; the log adds the rest.
        let logged: std::collections::HashSet<String> =
            rows.iter().map(|r| r.tx_hash.to_lowercase()).collect();
        for r in indexed {
            if logged.contains(&r.tx_hash.to_lowercase()) {
                if let Some(l) = rows
                    .iter_mut()
                    .find(|l| l.tx_hash.eq_ignore_ascii_case(&r.tx_hash) && l.kind == r.kind)
                {
                    l.status = HistoryStatus::Confirmed;
                    l.block = r.block;
                    l.timestamp = r.timestamp;
                    l.token_a = r.token_a;
                    l.token_b = r.token_b;
                }
                continue;
            }
            rows.push(r);
        }
        rows.sort_by(|a, b| {
            (b.block.unwrap_or(u64::MAX), b.timestamp)
                .cmp(&(a.block.unwrap_or(u64::MAX), a.timestamp))
        });
        Ok(rows)
    }

    /// Writes the whole history as CSV into the downloads directory.
    pub async fn history_export(&self) -> AppResult<String> {
        self.user_action();
        let rows = self.history_all()?;
        let account = self
            .active_address()
            .map(|a| format!("{a:#x}"))
            .unwrap_or_default();
        let mut csv = String::from(
            "timestamp,block,kind,status,tx_hash,pair,symbol_a,amount_a,symbol_b,amount_b,detail\n",
        );
        for r in &rows {
            let fields = [
                r.timestamp.to_string(),
                r.block.map(|b| b.to_string()).unwrap_or_default(),
                format!("{:?}", r.kind).to_lowercase(),
                format!("{:?}", r.status).to_lowercase(),
                r.tx_hash.clone(),
                r.pair.clone().unwrap_or_default(),
                r.symbol_a.clone(),
                amount_cell(&r.amount_a, r.decimals_a),
                r.symbol_b.clone(),
                amount_cell(&r.amount_b, r.decimals_b),
                r.detail.clone().unwrap_or_default(),
            ];
            let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            csv.push_str(&line.join(","));
            csv.push('\n');
        }
        std::fs::create_dir_all(&self.dirs.downloads).map_err(|e| {
            AppError::internal(format!(
                "cannot create {}: {e}",
                self.dirs.downloads.display()
            ))
        })?;
        let path = self.dirs.downloads.join(format!(
            "tidepool-history-{}-{}.csv",
            account.get(2..10).unwrap_or("none"),
            now()
        ));
        write_atomic(&path, csv.as_bytes())?;
        Ok(path.display().to_string())
    }
}

/// An amount for the CSV: base units as whole tokens; an unlimited approval
/// as "unlimited" (never 0); anything else as it is.
pub fn amount_cell(base_units: &str, decimals: u8) -> String {
    if base_units == "unlimited" {
        return "unlimited".into();
    }
    match U256::from_str_radix(base_units, 10) {
        Ok(v) if v == U256::MAX => "unlimited".into(),
        Ok(v) => tidepool_sdk::amount::format_units(v, decimals),
        Err(_) => base_units.to_string(),
    }
}

/// The index's swaps, deposits and withdrawals as history rows (fee mints
/// are not the account's own; tokens the index cannot name are skipped).
fn indexed_rows(rows: Vec<AccountRow>, tokens: &[TokenRow]) -> Vec<HistoryRow> {
    let tokens: std::collections::HashMap<&str, (String, u8)> = tokens
        .iter()
        .map(|t| {
            let sym = t
                .symbol
                .clone()
                .unwrap_or_else(|| t.address.get(..8).unwrap_or("?").to_string());
            let dec = t.decimals.and_then(|d| u8::try_from(d).ok()).unwrap_or(18);
            (t.address.as_str(), (sym, dec))
        })
        .collect();
    rows.into_iter()
        .filter_map(|r| {
            let kind = match r.kind {
                Activity::Swap => HistoryKind::Swap,
                Activity::Mint => HistoryKind::Mint,
                Activity::Burn => HistoryKind::Burn,
                Activity::FeeMint => return None,
            };
            let (sa, da) = tokens.get(r.token_a.as_str()).cloned()?;
            let (sb, db) = tokens.get(r.token_b.as_str()).cloned()?;
            Some(HistoryRow {
                kind,
                status: HistoryStatus::Confirmed,
                timestamp: u64::try_from(r.timestamp).unwrap_or(0),
                block: u64::try_from(r.block_number).ok(),
                tx_hash: r.tx_hash,
                pair: Some(r.pair),
                symbol_a: sa,
                amount_a: r.amount_a.unwrap_or_default(),
                decimals_a: da,
                symbol_b: sb,
                amount_b: r.amount_b.unwrap_or_default(),
                decimals_b: db,
                detail: None,
                token_a: Some(r.token_a),
                token_b: Some(r.token_b),
                verified_a: true,
                verified_b: true,
                value_usd: None,
            })
        })
        .collect()
}

/// Quotes a CSV field when it needs it (and neutralises spreadsheet formulas).
pub fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::amount_cell;

    #[test]
    fn an_unlimited_approval_is_exported_as_unlimited_not_zero() {
        assert_eq!(amount_cell("unlimited", 6), "unlimited");
        assert_eq!(
            amount_cell(&tidepool_sdk::U256::MAX.to_string(), 18),
            "unlimited"
        );
        assert_eq!(amount_cell("1500000", 6), "1.5");
        assert_eq!(amount_cell("0", 6), "0");
    }
}
