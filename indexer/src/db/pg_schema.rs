//! The schema in PostgreSQL: the same tables, keys and indexes as SQLite's
//! version 4 (`crate::schema`), translated from that one text so the two
//! cannot drift apart.
//!
//! Types: INTEGER → BIGINT, REAL → DOUBLE PRECISION, uint256 amounts →
//! `NUMERIC(78,0)` (exact, summable in SQL), addresses and hashes stay
//! lower-case `0x…` TEXT, compared byte-wise (`COLLATE "C"`, SQLite's order).
//! PostgreSQL starts at version 4: there is no older PostgreSQL store to
//! migrate. `meta.schema_version` records it.

use super::{Db, Sql};
use crate::error::{Error, Result};
use crate::schema::{ACCOUNT_TRADES, DATA_TABLES, INDEXES_V4, TABLES_V4, latest_version};

/// The uint256 columns (exact decimal TEXT in SQLite).
pub const U256_COLUMNS: &[&str] = &[
    "amount0_in",
    "amount1_in",
    "amount0_out",
    "amount1_out",
    "amount0",
    "amount1",
    "reserve0",
    "reserve1",
    "value",
    "volume0",
    "volume1",
    "fees0",
    "fees1",
    "volume",
    "fees",
    "tvl",
];

/// The key under which `meta` records the schema version.
const VERSION_KEY: &str = "schema_version";

/// Serialises schema creation between processes starting at once.
const SCHEMA_LOCK: i64 = 0x7469_6465_706f_6f6c; // "tidepool"

fn replace_word(line: &str, word: &str, with: &str) -> String {
    let b = line.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < line.len() {
        let bounded = line[i..].starts_with(word)
            && (i == 0 || !ident(b[i - 1]))
            && b.get(i + word.len()).is_none_or(|c| !ident(*c));
        if bounded {
            out.push_str(with);
            i += word.len();
        } else {
            let ch = line[i..].chars().next().expect("in bounds");
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// SQLite DDL (the schema's own text) in PostgreSQL's types.
pub fn ddl(sqlite: &str) -> String {
    let mut out = String::with_capacity(sqlite.len() * 2);
    for line in sqlite.lines() {
        let (code, comment) = match line.find("--") {
            Some(i) => line.split_at(i),
            None => (line, ""),
        };
        let code = code.replace(" WITHOUT ROWID", "");
        let column = code.split_whitespace().next().unwrap_or_default();
        let text = if U256_COLUMNS.contains(&column) {
            "NUMERIC(78,0)"
        } else {
            "TEXT COLLATE \"C\""
        };
        let code = replace_word(&code, "TEXT", text);
        let code = replace_word(&code, "INTEGER", "BIGINT");
        let code = replace_word(&code, "REAL", "DOUBLE PRECISION");
        out.push_str(&code);
        out.push_str(comment);
        out.push('\n');
    }
    out
}

/// A secondary index's `table(columns)` for PostgreSQL. SQLite's indexes on
/// a `WITHOUT ROWID` table end with the table's primary key; PostgreSQL's
/// hold only the columns named, so the key columns are appended here. That
/// keeps, for example, "a pair's latest sync" (`ORDER BY timestamp DESC,
/// block_number DESC, log_index DESC LIMIT 1`) one index entry on both:
/// without it PostgreSQL read and sorted every sync of the pair, and the
/// backfill slowed with the table (4,762 rows for one look-up at 24,000
/// syncs).
pub fn index_on(on: &str) -> String {
    let Some((table, cols)) = on.split_once('(') else {
        return on.to_string();
    };
    let named: Vec<&str> = cols
        .trim_end_matches(')')
        .split(',')
        .map(str::trim)
        .collect();
    let Some(key) = without_rowid_key(table.trim()) else {
        return on.to_string();
    };
    let mut all = named.clone();
    all.extend(key.iter().filter(|k| !named.contains(k)));
    format!("{table}({})", all.join(", "))
}

/// The primary key columns of `table` when SQLite stores it `WITHOUT ROWID`.
fn without_rowid_key(table: &str) -> Option<Vec<&'static str>> {
    let start = TABLES_V4.find(&format!("CREATE TABLE {table} ("))?;
    let def = &TABLES_V4[start..];
    let def = &def[..def.find(';')?];
    if !def.ends_with(") WITHOUT ROWID") {
        return None;
    }
    let pk = def.rfind("PRIMARY KEY (")? + "PRIMARY KEY (".len();
    let cols = &def[pk..pk + def[pk..].find(')')?];
    Some(cols.split(',').map(str::trim).collect())
}

/// Everything a new PostgreSQL store is created with.
pub fn create_all() -> String {
    let mut sql = String::from(
        "CREATE TABLE meta (key TEXT COLLATE \"C\" PRIMARY KEY, value TEXT NOT NULL);\n",
    );
    sql.push_str(&ddl(TABLES_V4));
    for (name, on) in INDEXES_V4 {
        sql.push_str(&format!(
            "CREATE INDEX {name} ON public.{};\n",
            index_on(on)
        ));
    }
    sql.push_str(&format!("CREATE {};\n", ddl(ACCOUNT_TRADES)));
    // The chain a session is scoped to (`crate::scope`): functions are not
    // looked up in pg_temp, so this one reads a session setting.
    sql.push_str(
        "CREATE FUNCTION public.scope_chain() RETURNS BIGINT LANGUAGE sql STABLE
         AS $$ SELECT current_setting('tidepool.chain')::BIGINT $$;\n",
    );
    sql.push_str(GRAPHQL_FUNCTIONS);
    sql.push_str(&format!(
        "INSERT INTO meta (key, value) VALUES ('{VERSION_KEY}', '{}');\n",
        latest_version()
    ));
    sql
}

/// The functions the GraphQL endpoint's SQL calls (SQLite registers them on
/// each connection, `crate::graphql`): exact uint256 sums, a saturating
/// difference, and a raw amount as whole tokens (`u256_dec(raw, decimals)`,
/// exact: multiplied by `1e-decimals`, trailing zeros trimmed, the way
/// `format_units` writes it).
pub const GRAPHQL_FUNCTIONS: &str = "
CREATE AGGREGATE public.u256_sum(NUMERIC) (SFUNC = numeric_add, STYPE = NUMERIC, INITCOND = '0');
CREATE FUNCTION public.u256_sub(a NUMERIC, b NUMERIC) RETURNS NUMERIC LANGUAGE sql IMMUTABLE
  AS $$ SELECT CASE WHEN a IS NULL THEN NULL ELSE greatest(a - coalesce(b, 0), 0) END $$;
CREATE FUNCTION public.u256_dec(raw NUMERIC, decimals BIGINT) RETURNS TEXT LANGUAGE sql IMMUTABLE
  AS $$ SELECT CAST(trim_scale(raw * CAST('1e-' || least(greatest(coalesce(decimals, 0), 0), 255) AS NUMERIC)) AS TEXT) $$;
CREATE FUNCTION public.u256_dec(raw TEXT, decimals BIGINT) RETURNS TEXT LANGUAGE sql IMMUTABLE
  AS $$ SELECT public.u256_dec(CAST(raw AS NUMERIC), decimals) $$;
CREATE FUNCTION public.instr(haystack TEXT, needle TEXT) RETURNS INTEGER LANGUAGE sql IMMUTABLE
  AS $$ SELECT strpos(haystack, needle) $$;
";

/// Creates the schema in an empty database, or checks the version of the
/// one it holds. A database that holds other tables of these names, or
/// another version, is refused before anything is written.
pub fn prepare(db: &mut Db, name: &str) -> Result<()> {
    let mut tx = db.begin()?;
    tx.query(
        "SELECT pg_advisory_xact_lock(?1)",
        crate::args![SCHEMA_LOCK],
    )?;
    let has_meta = tx
        .query_one("SELECT to_regclass('public.meta') IS NOT NULL", &[])?
        .get::<bool>(0)?;
    if has_meta {
        let version: Option<String> = tx
            .query_opt(
                "SELECT value FROM public.meta WHERE key = ?1",
                crate::args![VERSION_KEY],
            )?
            .map(|r| r.get(0))
            .transpose()?;
        return match version {
            Some(v) if v == latest_version().to_string() => Ok(()),
            Some(v) => Err(Error::Mismatch(format!(
                "the PostgreSQL database {name} holds tidepool schema version {v}; this tidepool reads and writes version {}",
                latest_version()
            ))),
            None => Err(Error::Mismatch(format!(
                "the PostgreSQL database {name} has a `meta` table that is not tidepool's (no schema version); use an empty database"
            ))),
        };
    }
    for t in DATA_TABLES.iter().chain(&["chains"]) {
        let exists = tx
            .query_one(
                "SELECT to_regclass(?1) IS NOT NULL",
                crate::args![format!("public.{t}")],
            )?
            .get::<bool>(0)?;
        if exists {
            return Err(Error::Mismatch(format!(
                "the PostgreSQL database {name} already has a table `{t}` that tidepool did not create; use an empty database"
            )));
        }
    }
    tx.batch(&create_all())?;
    tx.commit()
}

/// Checks, for a reader, that the database holds a tidepool index of this
/// version (nothing is created: a reader writes nothing).
pub fn check(db: &Db, name: &str) -> Result<()> {
    let version: Option<String> = if db
        .read("SELECT to_regclass('public.meta') IS NOT NULL", &[])?
        .first()
        .map(|r| r.get::<bool>(0))
        .transpose()?
        .unwrap_or(false)
    {
        db.read_opt(
            "SELECT value FROM public.meta WHERE key = ?1",
            crate::args![VERSION_KEY],
        )?
        .map(|r| r.get(0))
        .transpose()?
    } else {
        None
    };
    match version {
        Some(v) if v == latest_version().to_string() => Ok(()),
        Some(v) => Err(Error::Mismatch(format!(
            "the PostgreSQL database {name} holds tidepool schema version {v}; this tidepool reads version {}",
            latest_version()
        ))),
        None => Err(Error::NoDatabase {
            path: name.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_carry_the_key_of_a_without_rowid_table_as_sqlite_does() {
        assert_eq!(
            index_on("syncs(chain_id, pair, timestamp)"),
            "syncs(chain_id, pair, timestamp, block_number, log_index)"
        );
        assert_eq!(
            index_on("lp_transfers(chain_id, to_address)"),
            "lp_transfers(chain_id, to_address, block_number, log_index)"
        );
        // A rowid table's index is left as it is.
        assert_eq!(
            index_on("pairs(chain_id, token0)"),
            "pairs(chain_id, token0)"
        );
        let all = create_all();
        for (name, _) in INDEXES_V4 {
            assert!(
                all.contains(&format!("CREATE INDEX {name} ON public.")),
                "{name}"
            );
        }
    }

    #[test]
    fn types_are_translated_column_by_column() {
        let sql = ddl(TABLES_V4);
        assert!(sql.contains("amount0_in   NUMERIC(78,0) NOT NULL"), "{sql}");
        assert!(sql.contains("reserve0     NUMERIC(78,0),"), "{sql}");
        assert!(
            sql.contains("tx_hash      TEXT COLLATE \"C\" NOT NULL"),
            "{sql}"
        );
        assert!(sql.contains("chain_id     BIGINT NOT NULL"), "{sql}");
        assert!(sql.contains("price        DOUBLE PRECISION,"), "{sql}");
        assert!(!sql.contains("WITHOUT ROWID"));
        assert!(!sql.contains(" REAL") && !sql.contains("INTEGER"));
        let view = ddl(ACCOUNT_TRADES);
        assert!(
            view.contains("CAST(s.amount1_out AS DOUBLE PRECISION)"),
            "{view}"
        );
    }
}
