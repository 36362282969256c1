//! A Uniswap-V2-subgraph-compatible GraphQL endpoint over the index
//! (`POST /graphql`, `GET /graphql?query=` in `tidepool serve`): the
//! subgraph's entities and fields, with The Graph's query conventions —
//! `entity(id:)`, `entities(first, skip, orderBy, orderDirection, where)`
//! with the `_gt`/`_in`/`_contains`/... suffixes, nested `field_` filters,
//! `and`/`or`, `BigInt`/`BigDecimal` as strings, `Bytes`/`ID` as lower-case
//! hex, `_meta { block { number hash timestamp } }`.
//!
//! Read-only: every request runs on one read-only connection of the store,
//! under a depth and complexity limit, an entity count limit and a time
//! limit; a bad query gets GraphQL errors with locations.
//!
//! Built on async-graphql's dynamic schema: the entities are data
//! ([`entities::ENTITIES`]), each field one SQL expression, so a query reads
//! only the fields it asks for.

mod entities;
mod model;
mod resolve;
mod schema;
mod sql;
mod sqlfn;

use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use async_graphql::dynamic::{ResolverContext, Schema};
use async_graphql::{Error, Request, Response, ServerError};

use crate::db::Db;
use resolve::Reader;

/// `first` at most (The Graph's cap).
pub const MAX_FIRST: i64 = 1000;
/// `skip` at most (The Graph's cap).
pub const MAX_SKIP: i64 = 5000;
/// Entities one request may fetch, over all its lists and references.
pub const MAX_ENTITIES: usize = 20_000;
/// Nesting depth at most.
pub const DEPTH: usize = 10;
/// Fields (counted once per selection) at most.
pub const COMPLEXITY: usize = 1_000;
/// Time one request may run before its SQL is interrupted.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// The indexed head `_meta` reports.
pub struct Head {
    /// Checkpoint block number.
    pub number: i64,
    /// Its hash.
    pub hash: String,
    /// Its timestamp, when the block is stored.
    pub timestamp: Option<i64>,
}

fn head(conn: &Mutex<Db>) -> async_graphql::Result<Head> {
    let conn = conn
        .lock()
        .map_err(|_| Error::new("the database connection was poisoned"))?;
    let read = || -> crate::Result<Option<Head>> {
        let checkpoint =
            conn.read_opt("SELECT checkpoint_block, checkpoint_hash FROM chains", &[])?;
        let (Some(number), Some(hash)) = (match checkpoint {
            Some(r) => (r.get::<Option<i64>>(0)?, r.get::<Option<String>>(1)?),
            None => (None, None),
        }) else {
            return Ok(None);
        };
        let timestamp = conn
            .read_opt(
                "SELECT timestamp FROM blocks WHERE number = ?1",
                crate::args![number],
            )?
            .map(|r| r.get::<Option<i64>>(0))
            .transpose()?
            .flatten();
        Ok(Some(Head {
            number,
            hash,
            timestamp,
        }))
    };
    read()
        .map_err(|e| Error::new(format!("the index could not be read: {e}")))?
        .ok_or_else(|| Error::new("nothing is indexed yet: run `tidepool index` first"))
}

/// Refuses a `block:` argument that asks for another block than the head:
/// the index keeps the latest state only.
fn check_block(ctx: &ResolverContext<'_>) -> async_graphql::Result<()> {
    let Some(b) = ctx.args.get("block").filter(|b| !b.is_null()) else {
        return Ok(());
    };
    let b = b.object()?;
    let head = head(&ctx.ctx.data::<Reader>()?.conn)?;
    let int = |k: &str| {
        b.get(k)
            .filter(|v| !v.is_null())
            .map(|v| v.i64())
            .transpose()
    };
    let ok = match (
        int("number")?,
        int("number_gte")?,
        b.get("hash").filter(|v| !v.is_null()),
    ) {
        (Some(n), _, _) => n == head.number,
        (_, Some(n), _) => n <= head.number,
        (_, _, Some(h)) => h.string()?.eq_ignore_ascii_case(&head.hash),
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        Err(Error::new(format!(
            "the local index answers at its latest block ({}) only: time-travel queries are not supported; drop `block` or use `number_gte` up to {}",
            head.number, head.number
        )))
    }
}

/// The GraphQL endpoint's schema (built once).
pub struct GraphQl {
    schema: Schema,
}

impl GraphQl {
    /// Builds the schema.
    pub fn new() -> Self {
        // The schema is generated from static definitions: a failure here is
        // a bug in them, caught by every test that serves a query.
        let schema = schema::build().expect("the GraphQL schema builds");
        GraphQl { schema }
    }

    /// The schema in SDL (for clients that generate code from it).
    pub fn sdl(&self) -> String {
        self.schema.sdl()
    }

    /// Runs `request` on `db` (a read-only connection of the store, SQLite
    /// or PostgreSQL), blocking: call it on a blocking thread. No statement
    /// starts after [`TIMEOUT`]; stopping the one running then is the
    /// caller's (`http`: SQLite's interrupt, PostgreSQL's cancel request).
    pub fn run(&self, db: Db, request: Request) -> (Response, Db) {
        if let Db::Lite(conn) = &db
            && let Err(e) = sqlfn::register(conn)
        {
            let err = ServerError::new(format!("the index could not be read: {e}"), None);
            return (Response::from_errors(vec![err]), db);
        }
        let shared = Arc::new(Mutex::new(db));
        let db = Reader {
            conn: shared.clone(),
            fetched: AtomicUsize::new(0),
            deadline: Instant::now() + TIMEOUT,
            references: Default::default(),
        };
        let response = block_on(self.schema.execute(request.data(db)));
        // The request (and with it every handle to the connection) is gone.
        let db = Arc::into_inner(shared)
            .expect("the request released the connection")
            .into_inner()
            .unwrap_or_else(|p| p.into_inner());
        (response, db)
    }
}

/// Runs `f` to completion on this thread. Not `futures::executor::block_on`:
/// the PostgreSQL adapter waits for its replies with that one inside the
/// resolvers, and it refuses to run nested in itself.
fn block_on<F: std::future::Future>(f: F) -> F::Output {
    use std::task::{Context, Poll, Wake, Waker};
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut f = std::pin::pin!(f);
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
        std::thread::park();
    }
}

impl Default for GraphQl {
    fn default() -> Self {
        Self::new()
    }
}
