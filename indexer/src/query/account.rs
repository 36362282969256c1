//! One account's history, and arbitrary read-only SQL.

use std::collections::HashMap;

use super::market::HISTORY_LIMIT;
use super::params::{self, MAX_LIMIT, Range};
use super::request::AccountParams;
use super::rows::{AccountRow, Activity};
use super::{Table, json_value};
use crate::args;
use crate::db::{Db, Val};
use crate::error::{Error, Result};

/// The zero address: LP tokens minted come from it.
const ZERO: &str = "0x0000000000000000000000000000000000000000";

/// An LP transfer row: block, log, timestamp, tx, pair, value.
type Lp = (i64, i64, i64, String, String, String);

fn lp_rows(conn: &Db, sql: &str, account: &str, range: Range, n: i64) -> Result<Vec<Lp>> {
    conn.read(sql, args![account, range.from, range.to, n])?
        .iter()
        .map(|r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .collect()
}

/// Where a history row comes from.
enum Source {
    Swap,
    Lp(Lp, bool),
}

/// One `account`'s swaps (as recipient), mints and burns (LP tokens minted to
/// it, LP tokens it sent back to the pair), newest first; `from`/`to`, `limit`
/// (default 100), `offset`. The keys of every candidate row are merged first
/// (swaps_recipient_time covers them); full rows are read only for the
/// requested page.
pub fn account(conn: &Db, p: &AccountParams) -> Result<Vec<AccountRow>> {
    let account = p.account.as_deref().ok_or_else(|| {
        Error::BadQuery("account history needs an account: pass its 0x address".into())
    })?;
    let account = params::address("account", account)?;
    let range = Range::new(p.from, p.to)?;
    let limit = params::limit(p.limit, HISTORY_LIMIT, MAX_LIMIT)?;
    let offset = params::offset(p.offset)?;
    let n = limit.saturating_add(offset);
    let mut keys: Vec<(i64, i64, Source)> = Vec::new();
    let swaps = conn.read(
        "SELECT block_number, log_index FROM swaps WHERE recipient = ?1 AND timestamp >= ?2 AND timestamp < ?3
         ORDER BY timestamp DESC, block_number DESC, log_index DESC LIMIT ?4",
        args![&account, range.from, range.to, n],
    )?;
    for r in swaps {
        keys.push((r.get(0)?, r.get(1)?, Source::Swap));
    }
    // `from_address || ''`: search lp_transfers_to (this account), not
    // lp_transfers_from (every mint of every account comes from 0x0); an
    // expression hides the column's index from SQLite's planner (SQLite's own
    // idiom, a unary `+`, is not PostgreSQL's).
    let minted = lp_rows(
        conn,
        &format!(
            "SELECT block_number, log_index, timestamp, tx_hash, pair, value FROM lp_transfers
             WHERE to_address = ?1 AND from_address || '' = '{ZERO}' AND timestamp >= ?2 AND timestamp < ?3
             ORDER BY block_number DESC, log_index DESC LIMIT ?4"
        ),
        &account,
        range,
        n,
    )?;
    let returned = lp_rows(
        conn,
        "SELECT block_number, log_index, timestamp, tx_hash, pair, value FROM lp_transfers
         WHERE from_address = ?1 AND to_address = pair AND timestamp >= ?2 AND timestamp < ?3
         ORDER BY block_number DESC, log_index DESC LIMIT ?4",
        &account,
        range,
        n,
    )?;
    let lps = minted
        .into_iter()
        .map(|l| (l, true))
        .chain(returned.into_iter().map(|l| (l, false)));
    keys.extend(lps.map(|(l, mint)| (l.0, l.1, Source::Lp(l, mint))));
    keys.sort_by_key(|k| std::cmp::Reverse((k.0, k.1)));
    let page: Vec<_> = keys
        .into_iter()
        .skip(offset as usize)
        .take(limit as usize)
        .collect();
    let wanted: Vec<(i64, i64)> = page
        .iter()
        .filter(|k| matches!(k.2, Source::Swap))
        .map(|k| (k.0, k.1))
        .collect();
    let mut swaps = swap_rows(conn, &wanted)?;
    let mut out = Vec::new();
    let mut tokens: HashMap<String, (String, String)> = HashMap::new();
    for (block, log, source) in page {
        let row = match source {
            Source::Swap => swaps.remove(&(block, log)),
            Source::Lp(lp, mint) => Some(liquidity(conn, &mut tokens, lp, mint)?),
        };
        out.extend(row);
    }
    Ok(out)
}

/// The page's swaps, from the `account_trades` view, in one statement (by
/// primary key: one round trip to a server, not one per row).
fn swap_rows(conn: &Db, keys: &[(i64, i64)]) -> Result<HashMap<(i64, i64), AccountRow>> {
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let values: Vec<String> = (0..keys.len())
        .map(|i| {
            format!(
                "(CAST(?{} AS BIGINT), CAST(?{} AS BIGINT))",
                2 * i + 1,
                2 * i + 2
            )
        })
        .collect();
    let args: Vec<Val> = keys
        .iter()
        .flat_map(|(b, l)| [Val::from(*b), Val::from(*l)])
        .collect();
    conn.read(
        &format!(
            "SELECT timestamp, block_number, log_index, tx_hash, pair, token_in, amount_in, token_out, amount_out,
                    execution_price
             FROM account_trades WHERE (block_number, log_index) IN (VALUES {})",
            values.join(", ")
        ),
        &args,
    )?
    .iter()
    .map(|r| {
        Ok(((r.get(1)?, r.get(2)?), AccountRow {
            kind: Activity::Swap,
            timestamp: r.get(0)?,
            block_number: r.get(1)?,
            log_index: r.get(2)?,
            tx_hash: r.get(3)?,
            pair: r.get(4)?,
            token_a: r.get(5)?,
            amount_a: r.get(6)?,
            token_b: r.get(7)?,
            amount_b: r.get(8)?,
            execution_price: r.get(9)?,
            liquidity: None,
        }))
    })
    .collect()
}

/// A mint or burn row: the amounts come from the pair's next Mint/Burn event in
/// the same transaction.
fn liquidity(
    conn: &Db,
    tokens: &mut HashMap<String, (String, String)>,
    lp: Lp,
    mint: bool,
) -> Result<AccountRow> {
    let (block, log, ts, tx, pair, value) = lp;
    if !tokens.contains_key(&pair) {
        let t: (String, String) = conn
            .read_opt(
                "SELECT token0, token1 FROM pairs WHERE address = ?1",
                args![&pair],
            )?
            .map(|r| Ok::<_, Error>((r.get(0)?, r.get(1)?)))
            .transpose()?
            .unwrap_or_default();
        tokens.insert(pair.clone(), t);
    }
    let (t0, t1) = tokens.get(&pair).cloned().unwrap_or_default();
    let table = if mint { "mints" } else { "burns" };
    let event: Option<(i64, String, String)> = conn
        .read_opt(
            &format!(
                "SELECT log_index, amount0, amount1 FROM {table}
                 WHERE block_number = ?1 AND log_index > ?2 AND pair = ?3 AND tx_hash = ?4 ORDER BY log_index LIMIT 1"
            ),
            args![block, log, &pair, &tx],
        )?
        .map(|r| Ok::<_, Error>((r.get(0)?, r.get(1)?, r.get(2)?)))
        .transpose()?;
    // LP tokens minted to the fee recipient precede the depositor's own mint
    // (or come with a burn): another mint from 0x0 lies between, or no Mint follows.
    let fee = mint
        && match &event {
            None => true,
            Some((next, _, _)) => conn
                .read_opt(
                    "SELECT EXISTS(SELECT 1 FROM lp_transfers WHERE block_number = ?1 AND log_index > ?2
                     AND log_index < ?3 AND pair = ?4 AND from_address = ?5)",
                    args![block, log, *next, &pair, ZERO],
                )?
                .ok_or(Error::NoRow)?
                .get(0)?,
        };
    let kind = match (mint, fee) {
        (true, true) => Activity::FeeMint,
        (true, false) => Activity::Mint,
        _ => Activity::Burn,
    };
    let (amount_a, amount_b) = match event {
        Some((_, a0, a1)) if !fee => (Some(a0), Some(a1)),
        _ => (None, None),
    };
    Ok(AccountRow {
        kind,
        timestamp: ts,
        block_number: block,
        log_index: log,
        tx_hash: tx,
        pair,
        token_a: t0,
        amount_a,
        token_b: t1,
        amount_b,
        execution_price: None,
        liquidity: Some(value),
    })
}

/// The hint that ends an error in the user's SQL: where to see the tables.
fn tables_hint(db: &Db) -> &'static str {
    if db.is_postgres() {
        "`tidepool query sql \"SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'\"`"
    } else {
        "`tidepool query sql \"SELECT sql FROM sqlite_schema\"`"
    }
}

const READ_ONLY: &str = "only read-only statements run here (SELECT, WITH, EXPLAIN, reading PRAGMAs); this one would change the database";
const ONE_STATEMENT: &str = "pass one SQL statement at a time (there is more after the first `;`)";

/// An error of the user's SQL in words: what SQLite or PostgreSQL said about
/// it (with the position of a syntax error), or that it would write, or that
/// it is several statements. Errors that are not the statement's pass as
/// they are.
fn sql_error(db: &Db, e: Error) -> Error {
    let user = |msg: &str| {
        Error::BadQuery(format!(
            "the SQL statement failed: {msg}; see the tables with {}",
            tables_hint(db)
        ))
    };
    match e {
        Error::Db(e) => lite_error(e, user),
        Error::Pg(e) => pg_error(e, user),
        e => e,
    }
}

fn lite_error(e: rusqlite::Error, user: impl Fn(&str) -> Error) -> Error {
    use rusqlite::ErrorCode;
    // A write to a table of a chain-scoped connection (`crate::scope`) is
    // refused while it is prepared: the table is a view there.
    let read_only = |f: &rusqlite::ffi::Error, msg: &str| {
        f.code == ErrorCode::ReadOnly || msg.contains("because it is a view")
    };
    match &e {
        rusqlite::Error::SqlInputError {
            error, msg, offset, ..
        } => {
            if read_only(error, msg) {
                Error::BadQuery(READ_ONLY.into())
            } else if error.code == ErrorCode::Unknown {
                user(&format!("{msg} (at character {offset})"))
            } else {
                Error::Db(e)
            }
        }
        rusqlite::Error::SqliteFailure(f, msg) => {
            let msg = msg.as_deref().unwrap_or("error");
            if read_only(f, msg) {
                Error::BadQuery(READ_ONLY.into())
            } else if f.code == ErrorCode::Unknown {
                user(msg)
            } else {
                Error::Db(e)
            }
        }
        rusqlite::Error::MultipleStatement => Error::BadQuery(ONE_STATEMENT.into()),
        _ => Error::Db(e),
    }
}

fn pg_error(e: tokio_postgres::Error, user: impl Fn(&str) -> Error) -> Error {
    use tokio_postgres::error::{ErrorPosition, SqlState};
    let Some(db) = e.as_db_error() else {
        return Error::Pg(e);
    };
    let code = db.code();
    if *code == SqlState::READ_ONLY_SQL_TRANSACTION {
        return Error::BadQuery(READ_ONLY.into());
    }
    if db.message().contains("cannot insert multiple commands") {
        return Error::BadQuery(ONE_STATEMENT.into());
    }
    // The server's trouble (connection, resources, shutdown, internal), not
    // the statement's.
    let class = code.code().get(..2).unwrap_or_default();
    if ["08", "53", "57", "58", "XX"].contains(&class) {
        return Error::Pg(e);
    }
    match db.position() {
        // 1-based characters; SQLite's offsets (and these) count from 0.
        Some(ErrorPosition::Original(p)) => user(&format!(
            "{} (at character {})",
            db.message(),
            p.saturating_sub(1)
        )),
        _ => user(db.message()),
    }
}

/// Runs one read-only statement and returns its columns and rows.
pub fn sql(db: &Db, sql: &str) -> Result<Table> {
    let sql = sql.trim();
    if sql.is_empty() {
        return Err(Error::BadQuery(
            "the SQL statement is empty: pass one SELECT statement".into(),
        ));
    }
    let (columns, rows) = db.read_columns(sql).map_err(|e| sql_error(db, e))?;
    Ok(Table {
        columns,
        rows: rows
            .iter()
            .map(|r| r.0.iter().map(json_value).collect())
            .collect(),
    })
}
