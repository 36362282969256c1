//! `tidepool serve`: a read-only JSON API over the index, on 127.0.0.1:8546 by
//! default. Every request reads through its own read-only connection (taken
//! from a small pool, on a blocking thread) to the index: a SQLite file, whose
//! WAL readers never block the indexer writing it, or a PostgreSQL database
//! (a read-only session).
//!
//! | endpoint | parameters | answer |
//! |---|---|---|
//! | `GET /health` | | `{status, chain_id, factory, checkpoint_block, checkpoint_hash, chains}` |
//! | `GET /pairs` | `token`, `at` | every pair: tokens, symbols, decimals, latest reserves, price, swap count, exact 24 h volume of each side up to `at` |
//! | `GET /pairs/{address}/swaps` | `account`, `from`, `to`, `limit`, `offset` | the pair's swaps, newest first |
//! | `GET /pairs/{address}/candles` | `interval` (default 3600), `from`, `to`, `limit` | OHLC candles, oldest first |
//! | `GET /pairs/{address}/tvl` | `interval`, `from`, `to`, `limit` | reserves after every Sync (or the last one of each `interval`) |
//! | `GET /swaps` | `pair`, `token`, `account`, `from`, `to`, `limit`, `offset` | swaps, newest first |
//! | `GET /volume` | `pair` or `token`, `from`, `to`, `limit`; or `at` alone | daily volume and fees of a pair or token; with neither, the 24 h volume of every pair up to `at` |
//! | `GET /tokens/{address}/tvl` | `from`, `to`, `limit` | the token's TVL at the end of each day |
//! | `GET /accounts/{address}` | `from`, `to`, `limit`, `offset` | the account's swaps, mints and burns, newest first, with execution prices |
//! | `POST /graphql`, `GET /graphql` | a GraphQL request (JSON body; or `query`, `variables`, `operationName` in the URL) | the Uniswap V2 subgraph's schema ([`crate::graphql`]): `{data, errors}` |
//!
//! Every endpoint reads one chain: `chain` (a chain id) names it, and may be
//! left out while the store holds a single chain; `/health` lists them all in
//! `chains`.
//!
//! Parameters: addresses are `0x` + 40 hex digits (a `token` may also be a
//! symbol only one indexed token has); `from`, `to` and `at` are unix seconds
//! or RFC 3339 (`2026-11-29`, `2026-11-29T10:00:00Z`), the range being
//! `[from, to)`; `interval` is seconds or `5m`, `1h`, `1d` (a multiple of 60);
//! `limit` is 1..=10,000 (default 100 for histories, 1,000 for time series);
//! empty parameters (`from=`) count as absent. See [`crate::query`] for the
//! columns and conventions: amounts are exact decimal strings.
//!
//! Answers are JSON arrays of objects (except `/health`). Errors are
//! `{"error": "<what is wrong and what to do>"}`: 400 for bad parameters, 404
//! for an unknown path, 405 for a method other than GET, 503 when the database
//! cannot be opened (not indexed yet, older schema), 500 otherwise.

use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query as UrlQuery, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tokio::net::TcpListener;

use crate::db::{Db, Location};
use crate::error::{Error, Result};
use crate::graphql::GraphQl;
use crate::query::{
    self, AccountParams, CandlesParams, PairsParams, SwapsParams, TvlParams, VolumeParams, fields,
};
use crate::scope;
use crate::store::Store;

mod graphql;

/// The default address of `tidepool serve`.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8546";

/// Idle connections kept for reuse.
const POOL: usize = 8;

struct App {
    at: Location,
    /// Idle read-only connections, each with the chain it is scoped to.
    pool: Mutex<Vec<(Db, Option<u64>)>>,
    gql: GraphQl,
}

/// A connection taken from the pool, scoped to one chain.
struct Taken {
    db: Db,
    chain: Option<u64>,
}

impl App {
    /// A read-only connection scoped to `chain` (`None`: the store's only
    /// chain): pooled, or opened.
    fn take(&self, chain: Option<u64>) -> Result<Taken> {
        let pooled = self.pool.lock().map(|mut p| p.pop()).unwrap_or(None);
        let (mut db, scoped) = match pooled {
            Some(c) => c,
            None => (Store::open_reader_unscoped(&self.at)?, None),
        };
        let wanted = scope::resolve_from(scope::chains_db(&db)?, chain)?;
        let chain = if wanted == scoped {
            scoped
        } else {
            scope::read_db(&mut db, wanted)?
        };
        Ok(Taken { db, chain })
    }

    /// Returns a connection to the pool (kept if the pool has room).
    fn give(&self, t: Taken) {
        if let Ok(mut p) = self.pool.lock()
            && p.len() < POOL
        {
            p.push((t.db, t.chain));
        }
    }

    fn with_conn<T>(&self, chain: Option<u64>, f: impl FnOnce(&Db) -> Result<T>) -> Result<T> {
        let t = self.take(chain)?;
        let out = f(&t.db);
        self.give(t);
        out
    }
}

/// Takes the `chain` parameter out of a request's query string: the chain
/// every endpoint reads (optional while the store holds one chain).
fn chain_param(raw: &mut Raw) -> Result<Option<u64>> {
    let Ok(UrlQuery(map)) = raw else {
        return Ok(None);
    };
    match map.remove("chain").filter(|v| !v.trim().is_empty()) {
        None => Ok(None),
        Some(v) => v.trim().parse().map(Some).map_err(|_| {
            Error::BadQuery(format!(
                "chain must be a chain id (a whole number), got {v:?}"
            ))
        }),
    }
}

type Shared = State<Arc<App>>;
type Raw = std::result::Result<UrlQuery<HashMap<String, String>>, QueryRejection>;

/// The API's routes over the index at `at` (opened per request, read-only).
pub fn router(at: impl Into<Location>) -> Router {
    let app = Arc::new(App {
        at: at.into(),
        pool: Mutex::new(Vec::new()),
        gql: GraphQl::new(),
    });
    Router::new()
        .route("/health", get(health))
        .route("/pairs", get(pairs))
        .route("/pairs/{address}/swaps", get(pair_swaps))
        .route("/pairs/{address}/candles", get(pair_candles))
        .route("/pairs/{address}/tvl", get(pair_tvl))
        .route("/swaps", get(swaps))
        .route("/volume", get(volume))
        .route("/tokens/{address}/tvl", get(token_tvl))
        .route("/accounts/{address}", get(account))
        .route("/graphql", get(graphql::get).post(graphql::post))
        .fallback(not_found)
        .method_not_allowed_fallback(not_allowed)
        .with_state(app)
}

/// Binds the listening socket (fails with a message naming the address).
pub async fn bind(addr: SocketAddr) -> Result<TcpListener> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| Error::Listen { addr, source })
}

/// Serves the API on `listener` until `shutdown` completes.
pub async fn serve_on(
    listener: TcpListener,
    db: impl Into<Location>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    let db = db.into();
    if let Err(e) = Store::open_reader(&db, None) {
        tracing::warn!("{e}; answering 503 until it can be opened");
    }
    axum::serve(listener, router(db))
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| Error::Config(format!("the HTTP server stopped: {e}")))
}

/// Serves the API over `db` on `addr` until `shutdown` completes.
pub async fn serve(
    db: impl Into<Location>,
    addr: SocketAddr,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<()> {
    serve_on(bind(addr).await?, db, shutdown).await
}

fn error(status: StatusCode, msg: impl Into<String>) -> Response {
    (status, axum::Json(json!({ "error": msg.into() }))).into_response()
}

/// The status an error answers with.
fn status(e: &Error) -> StatusCode {
    match e {
        Error::BadQuery(_) => StatusCode::BAD_REQUEST,
        Error::Open { .. }
        | Error::Mismatch(_)
        | Error::NoDatabase { .. }
        | Error::OtherFactory { .. } => StatusCode::SERVICE_UNAVAILABLE,
        Error::UnknownChain { .. } | Error::ChainNeeded { .. } => StatusCode::BAD_REQUEST,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn error_response(e: Error) -> Response {
    let status = status(&e);
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        tracing::error!("query failed: {e}");
    }
    error(status, error_message(e))
}

/// An error worded for an HTTP client: the API is a front end of its own.
fn error_message(e: Error) -> String {
    let hint = match &e {
        Error::NoDatabase { path } if crate::db::Location::is_postgres_url(path) => Some(
            "nothing is indexed there yet: run `tidepool index --db` with this URL to create it; the API serves it as soon as it exists",
        ),
        Error::NoDatabase { .. } => Some(
            "no such file yet: run `tidepool index` (or `tidepool devnet`) to create it; the API serves it as soon as it exists",
        ),
        Error::OtherFactory { .. } => Some("serve another database"),
        Error::UnknownChain { .. } | Error::ChainNeeded { .. } => {
            Some("pass ?chain= with one of the chains it holds")
        }
        _ => None,
    };
    match hint {
        Some(h) => format!("{e}: {h}"),
        None => e.to_string(),
    }
}

async fn blocking<T: Send + 'static>(
    app: Arc<App>,
    chain: Option<u64>,
    f: impl FnOnce(&Db) -> Result<T> + Send + 'static,
) -> std::result::Result<T, Response> {
    match tokio::task::spawn_blocking(move || app.with_conn(chain, f)).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(error_response(e)),
        Err(e) => Err(error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the query task failed: {e}"),
        )),
    }
}

/// Reads an endpoint's parameters `T` from the URL (empty values are absent)
/// and the path (`bound`); `T`'s fields named in `bound` or `hidden` cannot
/// be given in the URL.
fn parse<T: DeserializeOwned>(raw: Raw, bound: &[(&str, String)], hidden: &[&str]) -> Result<T> {
    let UrlQuery(map) = raw.map_err(|e| Error::BadQuery(format!("bad query string: {e}")))?;
    let fields = fields::fields::<T>();
    let allowed: Vec<&str> = fields
        .iter()
        .copied()
        .filter(|f| !hidden.contains(f) && !bound.iter().any(|(b, _)| b == f))
        .collect();
    let mut given: Vec<(String, Value)> = map
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k, Value::from(v)))
        .collect();
    given.sort_by(|a, b| a.0.cmp(&b.0));
    if let Some((k, _)) = given.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
        return Err(Error::BadQuery(format!(
            "unknown parameter {k:?} for this endpoint; it takes: {}",
            if allowed.is_empty() {
                "no parameters".to_string()
            } else {
                allowed.join(", ")
            }
        )));
    }
    given.extend(
        bound
            .iter()
            .map(|(k, v)| (k.to_string(), Value::from(v.clone()))),
    );
    fields::from_entries(given, fields, |k, _| format!("unknown parameter {k:?}"))
}

/// Answers with the rows `run` returns for the parameters `T` of the request.
async fn answer<T, R>(
    app: Arc<App>,
    mut raw: Raw,
    bound: &[(&str, String)],
    hidden: &[&str],
    run: fn(&Db, &T) -> Result<R>,
) -> Response
where
    T: DeserializeOwned + Send + 'static,
    R: Serialize + Send + 'static,
{
    let chain = match chain_param(&mut raw) {
        Ok(c) => c,
        Err(e) => return error_response(e),
    };
    let p: T = match parse(raw, bound, hidden) {
        Ok(p) => p,
        Err(e) => return error_response(e),
    };
    match blocking(app, chain, move |c| run(c, &p)).await {
        Ok(rows) => axum::Json(rows).into_response(),
        Err(r) => r,
    }
}

async fn health(State(app): Shared, mut raw: Raw) -> Response {
    let chain = match chain_param(&mut raw) {
        Ok(c) => c,
        Err(e) => return error_response(e),
    };
    let row = blocking(app, chain, |c| {
        let chains = scope::chains_db(c)?;
        let row = c
            .read_opt(
                "SELECT chain_id, factory, checkpoint_block, checkpoint_hash FROM chains",
                &[],
            )?
            .map(|r| {
                Ok::<_, Error>((
                    r.get::<i64>(0)?,
                    r.get::<String>(1)?,
                    r.get::<Option<i64>>(2)?,
                    r.get::<Option<String>>(3)?,
                ))
            })
            .transpose()?;
        Ok((row, chains))
    })
    .await;
    let (row, chains) = match row {
        Ok(r) => r,
        Err(r) => return r,
    };
    let (chain_id, factory, block, hash) = match row {
        Some((c, f, b, h)) => (Some(c), Some(f), b, h),
        None => (None, None, None, None),
    };
    axum::Json(json!({
        "status": "ok",
        "chain_id": chain_id,
        "factory": factory,
        "checkpoint_block": block,
        "checkpoint_hash": hash,
        "chains": chains,
    }))
    .into_response()
}

async fn pairs(State(app): Shared, raw: Raw) -> Response {
    answer::<PairsParams, _>(app, raw, &[], &[], query::pairs).await
}

async fn pair_swaps(State(app): Shared, Path(address): Path<String>, raw: Raw) -> Response {
    let bound = [("pair", address)];
    answer::<SwapsParams, _>(app, raw, &bound, &["token"], query::swaps).await
}

async fn pair_candles(State(app): Shared, Path(address): Path<String>, raw: Raw) -> Response {
    let bound = [("pair", address)];
    answer::<CandlesParams, _>(app, raw, &bound, &[], query::candles).await
}

async fn pair_tvl(State(app): Shared, Path(address): Path<String>, raw: Raw) -> Response {
    let bound = [("pair", address)];
    answer::<TvlParams, _>(app, raw, &bound, &["token"], query::tvl).await
}

async fn swaps(State(app): Shared, raw: Raw) -> Response {
    answer::<SwapsParams, _>(app, raw, &[], &[], query::swaps).await
}

async fn volume(State(app): Shared, raw: Raw) -> Response {
    answer::<VolumeParams, _>(app, raw, &[], &[], query::volume).await
}

async fn token_tvl(State(app): Shared, Path(address): Path<String>, raw: Raw) -> Response {
    let bound = [("token", address)];
    answer::<TvlParams, _>(app, raw, &bound, &["pair", "interval"], query::tvl).await
}

async fn account(State(app): Shared, Path(address): Path<String>, raw: Raw) -> Response {
    let bound = [("account", address)];
    answer::<AccountParams, _>(app, raw, &bound, &[], query::account).await
}

async fn not_found(uri: Uri) -> Response {
    error(
        StatusCode::NOT_FOUND,
        format!(
            "no endpoint at {}; the endpoints are /health, /pairs, /pairs/{{address}}/swaps, \
             /pairs/{{address}}/candles, /pairs/{{address}}/tvl, /swaps, /volume, /tokens/{{address}}/tvl, \
             /accounts/{{address}}, /graphql",
            uri.path()
        ),
    )
}

async fn not_allowed() -> Response {
    error(
        StatusCode::METHOD_NOT_ALLOWED,
        "this API is read-only: use GET (and POST for /graphql)",
    )
}
