//! `tidepool query …`: the index's analytics as a table, JSON or CSV; and
//! `tidepool serve`: the same over a read-only HTTP JSON API.
//!
//! Times are unix seconds or RFC 3339 (`2026-11-29`, `2026-11-29T10:00:00Z`),
//! ranges `[--from, --to)`; intervals are seconds or `5m`, `1h`, `1d`; amounts
//! are exact base units (decimal strings in JSON).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use clap::{Args, Subcommand};
use tidepool_indexer::http;
use tidepool_indexer::output::{self, Format};
use tidepool_indexer::query::{Params, Query, params};
use tidepool_indexer::store::Store;

use crate::Global;
use crate::index::DEFAULT_DB;

fn time(s: &str) -> Result<i64, String> {
    params::time("the time", s).map_err(|e| e.to_string())
}

fn interval(s: &str) -> Result<i64, String> {
    params::interval("the interval", s).map_err(|e| e.to_string())
}

fn format(s: &str) -> Result<Format, String> {
    s.parse()
        .map_err(|e: tidepool_indexer::Error| e.to_string())
}

/// The database and the output format.
#[derive(Debug, Args, Clone)]
pub struct Out {
    /// The index database (written by `tidepool index`).
    #[arg(long, env = "TIDEPOOL_DB", default_value = DEFAULT_DB)]
    pub db: PathBuf,
    /// Output: table, json or csv [default: table; json with --json].
    #[arg(long, value_parser = format)]
    pub format: Option<Format>,
}

/// A time range.
#[derive(Debug, Args, Clone, Default)]
pub struct Range {
    /// From this time (inclusive): unix seconds or RFC 3339 (2026-11-29, 2026-11-29T10:00:00Z).
    #[arg(long, value_parser = time)]
    pub from: Option<i64>,
    /// Up to this time (exclusive).
    #[arg(long, value_parser = time)]
    pub to: Option<i64>,
}

/// `tidepool query pairs`.
#[derive(Debug, Args)]
pub struct PairsArgs {
    #[command(flatten)]
    out: Out,
    /// Only pairs trading this token (address or symbol).
    #[arg(long)]
    token: Option<String>,
    /// End of the 24 h volume window [default: now].
    #[arg(long, value_parser = time)]
    at: Option<i64>,
}

/// `tidepool query swaps`.
#[derive(Debug, Args)]
pub struct SwapsArgs {
    #[command(flatten)]
    out: Out,
    /// Only this pair.
    #[arg(long)]
    pair: Option<String>,
    /// Only pairs trading this token (address or symbol).
    #[arg(long)]
    token: Option<String>,
    /// Only swaps paying out to this account (the swap's recipient).
    #[arg(long)]
    account: Option<String>,
    #[command(flatten)]
    range: Range,
    #[command(flatten)]
    page: Page,
}

/// A page of rows.
#[derive(Debug, Args)]
pub struct Page {
    /// Rows (1 to 10000) [default: 100].
    #[arg(long)]
    limit: Option<u64>,
    /// Rows to skip.
    #[arg(long)]
    offset: Option<u64>,
}

/// `tidepool query candles`.
#[derive(Debug, Args)]
pub struct CandlesArgs {
    #[command(flatten)]
    out: Out,
    /// The pair.
    #[arg(long)]
    pair: String,
    /// Candle size: seconds or 1m, 5m, 1h, 1d (a multiple of 60 s).
    #[arg(long, value_parser = interval, default_value = "1h")]
    interval: i64,
    #[command(flatten)]
    range: Range,
    /// The most recent N candles (1 to 10000) [default: 1000].
    #[arg(long)]
    limit: Option<u64>,
}

/// `tidepool query volume`.
#[derive(Debug, Args)]
pub struct VolumeArgs {
    #[command(flatten)]
    out: Out,
    /// Daily volume of this pair.
    #[arg(long, conflicts_with = "token")]
    pair: Option<String>,
    /// Daily volume of this token over every pair (address or symbol).
    #[arg(long)]
    token: Option<String>,
    #[command(flatten)]
    range: Range,
    /// The most recent N days [default: 1000].
    #[arg(long)]
    limit: Option<u64>,
    /// Without --pair/--token: end of the 24 h window [default: now].
    #[arg(long, value_parser = time, conflicts_with_all = ["pair", "token"])]
    at: Option<i64>,
}

/// `tidepool query tvl`.
#[derive(Debug, Args)]
pub struct TvlArgs {
    #[command(flatten)]
    out: Out,
    /// Reserves of this pair after each Sync.
    #[arg(long, required_unless_present = "token", conflicts_with = "token")]
    pair: Option<String>,
    /// Daily TVL of this token (address or symbol).
    #[arg(long)]
    token: Option<String>,
    /// With --pair: one point per interval (its last Sync): 1h, 1d, …
    #[arg(long, value_parser = interval)]
    interval: Option<i64>,
    #[command(flatten)]
    range: Range,
    /// The most recent N points [default: 1000].
    #[arg(long)]
    limit: Option<u64>,
}

/// `tidepool query account`.
#[derive(Debug, Args)]
pub struct AccountArgs {
    #[command(flatten)]
    out: Out,
    /// The account.
    #[arg(value_name = "ADDRESS", required_unless_present = "account")]
    address: Option<String>,
    /// The account (same as ADDRESS).
    #[arg(long, conflicts_with = "address")]
    account: Option<String>,
    #[command(flatten)]
    range: Range,
    #[command(flatten)]
    page: Page,
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
    Pairs(PairsArgs),
    /// Swaps, newest first (filters --pair, --token, --account, --from/--to).
    Swaps(SwapsArgs),
    /// OHLC candles and exact volume of a pair at any interval (a multiple of 60 s).
    Candles(CandlesArgs),
    /// Daily volume and fees of a pair or a token; with neither, the 24 h volume of every pair.
    Volume(VolumeArgs),
    /// Reserves over time of a pair, or the daily TVL of a token.
    Tvl(TvlArgs),
    /// One account's swaps, mints and burns, newest first, with execution prices.
    Account(AccountArgs),
    /// Run one read-only SQL statement on the index (tables: see README "The index database").
    Sql(SqlArgs),
}

impl QueryCommand {
    /// The output settings and the query the flags describe.
    pub fn into_query(self) -> (Out, Query) {
        let mut p = Params::default();
        let (out, make): (Out, fn(Params) -> Query) = match self {
            Self::Pairs(a) => {
                (p.token, p.at) = (a.token, a.at);
                (a.out, Query::Pairs)
            }
            Self::Swaps(a) => {
                (p.pair, p.token, p.account) = (a.pair, a.token, a.account);
                (p.from, p.to, p.limit, p.offset) =
                    (a.range.from, a.range.to, a.page.limit, a.page.offset);
                (a.out, Query::Swaps)
            }
            Self::Candles(a) => {
                (p.pair, p.interval, p.limit) = (Some(a.pair), Some(a.interval), a.limit);
                (p.from, p.to) = (a.range.from, a.range.to);
                (a.out, Query::Candles)
            }
            Self::Volume(a) => {
                (p.pair, p.token, p.at, p.limit) = (a.pair, a.token, a.at, a.limit);
                (p.from, p.to) = (a.range.from, a.range.to);
                (a.out, Query::Volume)
            }
            Self::Tvl(a) => {
                (p.pair, p.token, p.interval, p.limit) = (a.pair, a.token, a.interval, a.limit);
                (p.from, p.to) = (a.range.from, a.range.to);
                (a.out, Query::Tvl)
            }
            Self::Account(a) => {
                (p.account, p.limit, p.offset) =
                    (a.address.or(a.account), a.page.limit, a.page.offset);
                (p.from, p.to) = (a.range.from, a.range.to);
                (a.out, Query::Account)
            }
            Self::Sql(a) => return (a.out, Query::Sql(a.statement)),
        };
        (out, make(p))
    }
}

/// Runs `query` on the database at `db` and renders the result.
pub fn render(db: &Path, query: &Query, format: Format) -> Result<String> {
    let conn = Store::open_read_only(db)?;
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
    let text = tokio::task::spawn_blocking(move || render(&out.db, &query, format))
        .await
        .context("the query thread failed")??;
    print!("{text}");
    Ok(())
}

/// `tidepool serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The index database (written by `tidepool index`, possibly at the same time).
    #[arg(long, env = "TIDEPOOL_DB", default_value = DEFAULT_DB)]
    pub db: PathBuf,
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
            serde_json::json!({ "url": format!("http://{addr}"), "db": a.db.display().to_string() })
        );
    } else {
        println!(
            "serving {} on http://{addr} (GET /health, /pairs, /swaps, …); Ctrl-C stops",
            a.db.display()
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

    fn parse(args: &[&str]) -> (Out, Query) {
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
        let p = Params {
            pair: Some(PAIR.into()),
            interval: Some(300),
            from: Some(1_795_910_400),
            to: Some(1_795_996_800),
            ..Params::default()
        };
        assert_eq!(
            (out.db, out.format, q),
            (PathBuf::from("x.db"), Some(Format::Csv), Query::Candles(p))
        );
        let (_, q) = parse(&["candles", "--pair", PAIR]);
        assert!(matches!(
            q,
            Query::Candles(Params {
                interval: Some(3600),
                ..
            })
        ));
        let (_, q) = parse(&["account", PAIR, "--limit", "5", "--offset", "10"]);
        let p = Params {
            account: Some(PAIR.into()),
            limit: Some(5),
            offset: Some(10),
            ..Params::default()
        };
        assert_eq!(q, Query::Account(p));
        let (_, q) = parse(&["volume", "--at", "2026-11-29T10:00:00Z"]);
        assert_eq!(
            q,
            Query::Volume(Params {
                at: Some(1_795_946_400),
                ..Params::default()
            })
        );
        let (out, q) = parse(&["sql", "SELECT 1"]);
        assert_eq!((out.format, q), (None, Query::Sql("SELECT 1".into())));
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
            .conn
            .execute(
                "INSERT INTO tokens (address, symbol, decimals) VALUES ('0xab', 'A,B', 6)",
                [],
            )
            .unwrap();
        drop(store);
        let q = Query::Sql("SELECT symbol, decimals FROM tokens".into());
        assert_eq!(
            render(&db, &q, Format::Csv).unwrap(),
            "symbol,decimals\n\"A,B\",6\n"
        );
        assert_eq!(
            render(&db, &q, Format::Table).unwrap(),
            "symbol  decimals\n------  --------\nA,B            6\n"
        );
        let e = render(&dir.path().join("none.db"), &q, Format::Json).unwrap_err();
        assert!(e.to_string().contains("run `tidepool index` first"), "{e}");
    }
}
