//! `tidepool query …`: the index's analytics as a table, JSON or CSV; and
//! `tidepool serve`: the same over a read-only HTTP JSON API.
//!
//! Times are unix seconds or RFC 3339 (`2026-11-29`, `2026-11-29T10:00:00Z`),
//! ranges `[--from, --to)`; intervals are seconds or `5m`, `1h`, `1d`; amounts
//! are exact base units (decimal strings in JSON).

use std::net::SocketAddr;

use anyhow::{Context as _, Result, bail};
use clap::{Args, Subcommand};
use tidepool_indexer::db::Location;
use tidepool_indexer::http;
use tidepool_indexer::output::{self, Format};
use tidepool_indexer::query::{
    AccountParams, CandlesParams, PairsParams, Request, SwapsParams, TvlParams, VolumeParams,
};
use tidepool_indexer::store::Store;

use crate::Global;
use crate::index::DEFAULT_DB;

fn format(s: &str) -> Result<Format, String> {
    s.parse()
        .map_err(|e: tidepool_indexer::Error| e.to_string())
}

/// The database and the output format.
#[derive(Debug, Args, Clone)]
pub struct Out {
    /// The index (written by `tidepool index`): a SQLite file, or a
    /// PostgreSQL database as postgres://user:password@host:port/database.
    #[arg(long, env = "TIDEPOOL_DB", default_value = DEFAULT_DB)]
    pub db: Location,
    /// The chain to read (required when the database holds several; `sql`
    /// without it sees every chain's rows, each with its chain_id).
    #[arg(long)]
    pub chain: Option<u64>,
    /// Output: table, json or csv [default: table; json with --json].
    #[arg(long, value_parser = format)]
    pub format: Option<Format>,
}

/// A query's flags: the output settings and the query's own parameters (their
/// flags are declared once, on the indexer's parameter struct).
#[derive(Debug, Args)]
pub struct With<P: Args> {
    #[command(flatten)]
    out: Out,
    #[command(flatten)]
    params: P,
}

/// `tidepool query account`: the account may also be given positionally.
#[derive(Debug, Args)]
pub struct AccountArgs {
    #[command(flatten)]
    out: Out,
    /// The account (same as --account).
    #[arg(
        value_name = "ADDRESS",
        required_unless_present = "account",
        conflicts_with = "account"
    )]
    address: Option<String>,
    #[command(flatten)]
    params: AccountParams,
}

/// `tidepool query sql`.
#[derive(Debug, Args)]
pub struct SqlArgs {
    #[command(flatten)]
    out: Out,
    /// One read-only statement, e.g. "SELECT * FROM pair_days LIMIT 5".
    statement: String,
}

/// `tidepool query …`.
#[derive(Debug, Subcommand)]
pub enum QueryCommand {
    /// Every pair: tokens, latest reserves and price, swap count, exact 24 h volume.
    Pairs(With<PairsParams>),
    /// Swaps, newest first (filters --pair, --token, --account, --from/--to).
    Swaps(With<SwapsParams>),
    /// OHLC candles and exact volume of a pair at any interval (a multiple of 60 s).
    Candles(With<CandlesParams>),
    /// Daily volume and fees of a pair or a token; with neither, the 24 h volume of every pair.
    Volume(With<VolumeParams>),
    /// Reserves over time of a pair, or the daily TVL of a token.
    Tvl(With<TvlParams>),
    /// One account's swaps, mints and burns, newest first, with execution prices.
    Account(AccountArgs),
    /// Run one read-only SQL statement on the index (tables: see README "The index database").
    Sql(SqlArgs),
}

impl QueryCommand {
    /// The output settings and the query the flags describe.
    pub fn into_query(self) -> (Out, Request) {
        match self {
            Self::Pairs(a) => (a.out, Request::Pairs(a.params)),
            Self::Swaps(a) => (a.out, Request::Swaps(a.params)),
            Self::Candles(a) => (a.out, Request::Candles(a.params)),
            Self::Volume(a) => (a.out, Request::Volume(a.params)),
            Self::Tvl(a) => (a.out, Request::Tvl(a.params)),
            Self::Account(mut a) => {
                a.params.account = a.address.or(a.params.account);
                (a.out, Request::Account(a.params))
            }
            Self::Sql(a) => (a.out, Request::Sql(a.statement)),
        }
    }
}

/// Runs `query` on the index at `db` (scoped to `chain`) and renders the
/// result.
pub fn render(
    db: &Location,
    chain: Option<u64>,
    query: &Request,
    format: Format,
) -> Result<String> {
    let conn = match (query, chain) {
        // SQL runs read-only whatever the session (`Db::read_columns`).
        (Request::Sql(_), None) => Store::open_reader_unscoped(db)?,
        _ => Store::open_reader(db, chain)?,
    };
    Ok(output::render(&query.run(&conn)?, format))
}

/// `tidepool query …`: prints the result.
pub async fn run(g: &Global, command: QueryCommand) -> Result<()> {
    let (out, query) = command.into_query();
    let format = match (out.format, g.json) {
        (Some(f), true) if f != Format::Json => bail!(
            "--json asks for JSON but --format asks for {}: pass one of them",
            format!("{f:?}").to_lowercase()
        ),
        (Some(f), _) => f,
        (None, true) => Format::Json,
        (None, false) => Format::Table,
    };
    let text = tokio::task::spawn_blocking(move || render(&out.db, out.chain, &query, format))
        .await
        .context("the query thread failed")??;
    print!("{text}");
    Ok(())
}

/// `tidepool serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The index (written by `tidepool index`, possibly at the same time): a
    /// SQLite file, or a PostgreSQL database as
    /// postgres://user:password@host:port/database.
    #[arg(long, env = "TIDEPOOL_DB", default_value = DEFAULT_DB)]
    pub db: Location,
    /// Address to listen on (loopback by default; port 0 picks a free port).
    #[arg(long, env = "TIDEPOOL_LISTEN", default_value = http::DEFAULT_LISTEN)]
    pub listen: SocketAddr,
}

/// `tidepool serve`: the read-only JSON API until Ctrl-C.
pub async fn serve(g: &Global, a: ServeArgs) -> Result<()> {
    let listener = http::bind(a.listen).await?;
    let addr = listener
        .local_addr()
        .context("reading the listening address")?;
    if g.json {
        println!(
            "{}",
            serde_json::json!({ "url": format!("http://{addr}"), "db": a.db.to_string() })
        );
    } else {
        println!(
            "serving {} on http://{addr} (GET /health, /pairs, /swaps, …); Ctrl-C stops",
            a.db
        );
    }
    let stop = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    http::serve_on(listener, a.db, stop).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::{Cli, Command};

    fn parse(args: &[&str]) -> (Out, Request) {
        let cli = Cli::try_parse_from([&["tidepool", "query"], args].concat()).unwrap();
        match cli.command {
            Command::Query { command } => command.into_query(),
            _ => panic!("not a query"),
        }
    }

    const PAIR: &str = "0x1111111111111111111111111111111111111111";

    #[test]
    fn flags_become_queries() {
        let args = [
            "candles",
            "--pair",
            PAIR,
            "--interval",
            "5m",
            "--from",
            "2026-11-29",
            "--to",
            "1795996800",
        ];
        let (out, q) = parse(&[&args[..], &["--format", "csv", "--db", "x.db"]].concat());
        let p = CandlesParams {
            pair: Some(PAIR.into()),
            interval: Some(300),
            from: Some(1_795_910_400),
            to: Some(1_795_996_800),
            ..CandlesParams::default()
        };
        assert_eq!(
            (out.db, out.format, q),
            (
                Location::File("x.db".into()),
                Some(Format::Csv),
                Request::Candles(p)
            )
        );
        let (_, q) = parse(&["candles", "--pair", PAIR]);
        assert!(matches!(
            q,
            Request::Candles(CandlesParams {
                interval: Some(3600),
                ..
            })
        ));
        let (_, q) = parse(&["account", PAIR, "--limit", "5", "--offset", "10"]);
        let p = AccountParams {
            account: Some(PAIR.into()),
            limit: Some(5),
            offset: Some(10),
            ..AccountParams::default()
        };
        assert_eq!(q, Request::Account(p));
        let (_, q) = parse(&["volume", "--at", "2026-11-29T10:00:00Z"]);
        assert_eq!(
            q,
            Request::Volume(VolumeParams {
                at: Some(1_795_946_400),
                ..VolumeParams::default()
            })
        );
        let (out, q) = parse(&["sql", "SELECT 1"]);
        assert_eq!((out.format, q), (None, Request::Sql("SELECT 1".into())));
    }

    #[test]
    fn bad_flags_are_refused() {
        for args in [
            &["candles", "--pair", PAIR, "--interval", "90s"][..],
            &["candles", "--interval", "1h"],
            &["swaps", "--from", "yesterday"],
            &["swaps", "--format", "xml"],
            &["tvl"],
            &["tvl", "--pair", PAIR, "--token", "USDC"],
            &["volume", "--pair", PAIR, "--at", "5"],
            &["account"],
        ] {
            let all = [&["tidepool", "query"][..], args].concat();
            assert!(Cli::try_parse_from(&all).is_err(), "{args:?}");
        }
        let e = Cli::try_parse_from(["tidepool", "query", "swaps", "--from", "29/11/2026"])
            .err()
            .unwrap();
        assert!(e.to_string().contains("RFC 3339"), "{e}");
    }

    #[test]
    fn renders_from_a_database() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.db");
        let store = Store::open(&db).unwrap();
        store
            .sqlite()
            .unwrap()
            .execute(
                "INSERT INTO tokens (chain_id, address, symbol, decimals) VALUES (1, '0xab', 'A,B', 6)",
                [],
            )
            .unwrap();
        drop(store);
        let db = Location::from(db);
        let q = Request::Sql("SELECT symbol, decimals FROM tokens".into());
        assert_eq!(
            render(&db, None, &q, Format::Csv).unwrap(),
            "symbol,decimals\n\"A,B\",6\n"
        );
        assert_eq!(
            render(&db, None, &q, Format::Table).unwrap(),
            "symbol  decimals\n------  --------\nA,B            6\n"
        );
        let e = render(&dir.path().join("none.db").into(), None, &q, Format::Json).unwrap_err();
        // What the user reads: the error and the CLI's hint.
        let shown = crate::hint::render(&e);
        assert!(shown.starts_with("no index database at"), "{shown}");
        assert!(shown.contains("run `tidepool index` first"), "{shown}");
    }

    #[test]
    fn renders_from_a_postgresql_index() {
        use tidepool_indexer::db::Sql;
        let pg = tidepool_testkit::postgres::PgCluster::start().unwrap();
        let db = Location::Postgres(pg.url());
        let mut store = Store::open_at(&db).unwrap();
        store
            .db
            .batch(
                "INSERT INTO chains (chain_id, factory, genesis_hash, start_block) VALUES (1, '0xf1', '0xg1', 0), (5, '0xf5', '0xg5', 0);
                 INSERT INTO tokens (chain_id, address, symbol, decimals) VALUES (1, '0xab', 'A,B', 6), (5, '0xab', 'FIVE', 18);",
            )
            .unwrap();
        drop(store);
        let q = Request::Sql("SELECT symbol, decimals FROM tokens ORDER BY symbol".into());
        assert_eq!(
            render(&db, Some(1), &q, Format::Csv).unwrap(),
            "symbol,decimals\n\"A,B\",6\n"
        );
        assert_eq!(
            render(&db, None, &q, Format::Table).unwrap(),
            "symbol  decimals\n------  --------\nA,B            6\nFIVE          18\n",
            "SQL without --chain sees every chain"
        );
        let pairs = Request::Pairs(Default::default());
        let e = render(&db, None, &pairs, Format::Json).unwrap_err();
        let shown = crate::hint::render(&e);
        assert!(shown.contains("several chains (1, 5)"), "{shown}");
        let none = render(&db, Some(5), &pairs, Format::Csv).unwrap();
        assert_eq!(none.lines().count(), 1, "{none}");
        for chain in [None, Some(5)] {
            let write = Request::Sql("DELETE FROM tokens".into());
            let e = render(&db, chain, &write, Format::Csv).unwrap_err();
            let shown = crate::hint::render(&e);
            assert!(shown.contains("only read-only statements"), "{shown}");
        }
        assert_eq!(
            render(
                &db,
                None,
                &Request::Sql("SELECT count(*) AS n FROM tokens".into()),
                Format::Csv
            )
            .unwrap(),
            "n\n2\n",
            "nothing was deleted"
        );
        // What `tidepool serve` prints names the database, not its password.
        let Location::Postgres(url) = &db else {
            unreachable!()
        };
        let password = url.split(':').nth(2).unwrap().split('@').next().unwrap();
        assert!(!db.to_string().contains(password), "{db}");
    }

    #[test]
    fn a_store_of_several_chains_is_read_one_chain_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.db");
        let store = Store::open(&db).unwrap();
        store
            .sqlite()
            .unwrap()
            .execute_batch(
                "INSERT INTO chains (chain_id, factory, genesis_hash, start_block) VALUES (1, '0xf1', '0xg1', 0), (5, '0xf5', '0xg5', 0);
                 INSERT INTO tokens (chain_id, address, symbol, decimals) VALUES (1, '0xab', 'ONE', 6), (5, '0xab', 'FIVE', 18);",
            )
            .unwrap();
        drop(store);
        let db = Location::from(db);
        let q = Request::Sql("SELECT symbol FROM tokens ORDER BY symbol".into());
        assert_eq!(
            render(&db, Some(5), &q, Format::Csv).unwrap(),
            "symbol\nFIVE\n"
        );
        assert_eq!(
            render(&db, None, &q, Format::Csv).unwrap(),
            "symbol\nFIVE\nONE\n",
            "SQL without --chain sees every chain"
        );
        let pairs = Request::Pairs(Default::default());
        for (chain, want) in [
            (None, "several chains (1, 5), and no chain was named"),
            (Some(7), "no chain 7 (it holds 1, 5)"),
        ] {
            let e = render(&db, chain, &pairs, Format::Json).unwrap_err();
            let shown = crate::hint::render(&e);
            assert!(shown.contains(want), "{shown}");
            assert!(shown.contains("pass --chain"), "{shown}");
        }
        assert_eq!(
            render(&db, Some(1), &pairs, Format::Csv)
                .unwrap()
                .lines()
                .count(),
            1
        );
    }
}
