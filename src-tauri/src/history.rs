//! The account's history: swaps, deposits and withdrawals from the local
//! index, merged with the app's own transaction log ([`crate::txlog`]:
//! pending, failed and approvals, which the index does not hold), newest
//! first; and CSV export.

use alloy::primitives::U256;
use tidepool_indexer::query::{Params, Query};

use crate::core::Core;
use crate::error::{AppError, AppResult};
use crate::txlog::now;
use crate::views::{HistoryKind, HistoryRow, HistoryStatus};
use crate::wallet::vault::write_atomic;

fn text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

impl Core {
    /// The active account's history, newest first.
    pub async fn history(&self, limit: u32, offset: u32) -> AppResult<Vec<HistoryRow>> {
        let rows = self.history_all()?;
        Ok(rows
            .into_iter()
            .skip(offset as usize)
            .take(limit.clamp(1, 1_000) as usize)
            .collect())
    }

    fn history_all(&self) -> AppResult<Vec<HistoryRow>> {
        let live = self.live()?;
        let Some(account) = self.wallet().active_address() else {
            return Err(AppError::wallet(
                "choose an account in Wallet to see its history",
            ));
        };
        let mut rows = self.txlog().of(account, live.genesis);
        let indexed = match crate::embedded::open_index(self) {
            Ok(conn) => {
                let t = Query::Account(Params {
                    account: Some(format!("{account:#x}")),
                    limit: Some(10_000),
                    ..Params::default()
                })
                .run(&conn)?;
                let tokens = token_map(&conn);
                (0..t.rows.len())
                    .filter_map(|i| {
                        let kind = match text(t.get(i, "kind")).as_str() {
                            "swap" => HistoryKind::Swap,
                            "mint" => HistoryKind::Mint,
                            "burn" => HistoryKind::Burn,
                            _ => return None,
                        };
                        let (sa, da) = tokens.get(&text(t.get(i, "token_a"))).cloned()?;
                        let (sb, db) = tokens.get(&text(t.get(i, "token_b"))).cloned()?;
                        Some(HistoryRow {
                            kind,
                            status: HistoryStatus::Confirmed,
                            timestamp: t.get(i, "timestamp").as_u64().unwrap_or(0),
                            block: t.get(i, "block_number").as_u64(),
                            tx_hash: text(t.get(i, "tx_hash")),
                            pair: Some(text(t.get(i, "pair"))),
                            symbol_a: sa,
                            amount_a: text(t.get(i, "amount_a")),
                            decimals_a: da,
                            symbol_b: sb,
                            amount_b: text(t.get(i, "amount_b")),
                            decimals_b: db,
                            detail: None,
                        })
                    })
                    .collect::<Vec<_>>()
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
        let rows = self.history_all()?;
        let account = self
            .wallet()
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
                tidepool_sdk::amount::format_units(
                    U256::from_str_radix(&r.amount_a, 10).unwrap_or_default(),
                    r.decimals_a,
                ),
                r.symbol_b.clone(),
                tidepool_sdk::amount::format_units(
                    U256::from_str_radix(&r.amount_b, 10).unwrap_or_default(),
                    r.decimals_b,
                ),
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

/// Token address → (symbol, decimals), from the index.
fn token_map(conn: &rusqlite::Connection) -> std::collections::HashMap<String, (String, u8)> {
    let mut out = std::collections::HashMap::new();
    let Ok(mut stmt) = conn.prepare("SELECT address, symbol, decimals FROM tokens") else {
        return out;
    };
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, Option<i64>>(2)?,
        ))
    });
    if let Ok(rows) = rows {
        for (a, s, d) in rows.flatten() {
            let sym = s.unwrap_or_else(|| a.get(..8).unwrap_or("?").to_string());
            out.insert(a, (sym, d.and_then(|d| u8::try_from(d).ok()).unwrap_or(18)));
        }
    }
    out
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
