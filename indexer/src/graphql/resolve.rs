//! Resolvers: each list or lookup is one SQL query selecting the fields the
//! query asks for; references and derived lists query again per parent.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use async_graphql::dynamic::{FieldValue, ResolverContext};
use async_graphql::{Error, Name, Value};

use crate::db::{Db, Val};

use super::entities::entity;
use super::model::{Entity, Field, Kind};
use super::sql::{Bad, filter, order};
use super::{MAX_ENTITIES, MAX_FIRST, MAX_SKIP};

/// The request's database access: one read-only connection, the count
/// of entities fetched so far (the size limit), and when the time limit
/// runs out.
pub struct Reader {
    /// The connection (SQLite: functions registered).
    pub conn: Arc<Mutex<Db>>,
    /// Entities fetched by this request.
    pub fetched: AtomicUsize,
    /// Past this, no more statements start (the running one is stopped by
    /// the caller: an interrupt or a cancel request).
    pub deadline: Instant,
    /// References fetched by this request, by target, id and the fields
    /// asked for: a hundred swaps of one pair look their pair up once.
    pub references: Mutex<HashMap<String, Option<Row>>>,
}

/// One entity fetched: the fields asked for, by name.
#[derive(Debug, Clone)]
pub struct Row {
    entity: &'static Entity,
    id: Val,
    hint: Val,
    values: HashMap<String, Val>,
}

impl Row {
    /// A row known by its id alone (a reference asked only for `id`).
    fn bare(entity: &'static Entity, id: Val, hint: Val) -> Self {
        Row {
            entity,
            id,
            hint,
            values: HashMap::new(),
        }
    }
}

/// `col = value` constraints added to a list's `where`.
type Constraints = Vec<(&'static str, Val)>;

/// The list arguments of a plural field.
struct ListArgs<'a> {
    first: i64,
    skip: i64,
    by: Option<&'static Field>,
    desc: bool,
    filter: Option<&'a indexmap::IndexMap<Name, Value>>,
}

fn list_args<'a>(ctx: &'a ResolverContext<'_>, e: &'static Entity) -> Result<ListArgs<'a>, Error> {
    let int = |name: &str, default: i64| -> Result<i64, Error> {
        match ctx.args.get(name) {
            Some(v) if !v.is_null() => Ok(v.i64()?),
            _ => Ok(default),
        }
    };
    let first = int("first", 100)?;
    if !(0..=MAX_FIRST).contains(&first) {
        return Err(Error::new(format!(
            "`first` must be between 0 and {MAX_FIRST}, got {first}"
        )));
    }
    let skip = int("skip", 0)?;
    if !(0..=MAX_SKIP).contains(&skip) {
        return Err(Error::new(format!(
            "`skip` must be between 0 and {MAX_SKIP}, got {skip}; page with a `where` on the order field (`id_gt`, `timestamp_lt`) instead"
        )));
    }
    let by =
        match ctx.args.get("orderBy") {
            Some(v) if !v.is_null() => {
                let name = v.enum_name()?;
                Some(e.field(name).ok_or_else(|| {
                    Error::new(format!("{} cannot be ordered by `{name}`", e.name))
                })?)
            }
            _ => None,
        };
    let desc = match ctx.args.get("orderDirection") {
        Some(v) if !v.is_null() => v.enum_name()? == "desc",
        _ => false,
    };
    let filter = match ctx.args.get("where") {
        Some(v) if !v.is_null() => match v.as_value() {
            Value::Object(o) => Some(o),
            _ => return Err(Error::new("`where` wants a filter object")),
        },
        _ => None,
    };
    Ok(ListArgs {
        first,
        skip,
        by,
        desc,
        filter,
    })
}

/// The columns a selection needs: every asked-for scalar or reference.
fn selected(ctx: &ResolverContext<'_>, e: &'static Entity) -> Vec<&'static Field> {
    let mut out: Vec<&'static Field> = Vec::new();
    for s in ctx.ctx.field().selection_set() {
        if let Some(f) = e.field(s.name())
            && !out.iter().any(|o| o.name == f.name)
        {
            out.push(f);
        }
    }
    out
}

/// Runs one entity query: the selected fields of `e` meeting `constraints`
/// and the list arguments.
fn fetch(
    ctx: &ResolverContext<'_>,
    e: &'static Entity,
    constraints: Constraints,
    args: Option<&ListArgs<'_>>,
) -> Result<Vec<Row>, Error> {
    let fields = selected(ctx, e);
    let mut cols = vec![e.id.to_string(), e.hint.unwrap_or("NULL").to_string()];
    for f in &fields {
        cols.push(f.expr.to_string());
        if let Kind::Ref { hint, .. } = f.kind {
            cols.push(hint.unwrap_or("NULL").to_string());
        }
    }
    let mut params: Vec<Val> = Vec::new();
    let mut wheres = vec![format!("({})", e.base)];
    for (col, v) in constraints {
        wheres.push(format!("{col} = ?"));
        params.push(v);
    }
    let (mut first, mut skip, mut sort) = (1, 0, order(e, None, false));
    if let Some(a) = args {
        if let Some(w) = a.filter {
            wheres.push(filter(e, w, &mut params).map_err(|b: Bad| Error::new(b))?);
        }
        (first, skip, sort) = (a.first, a.skip, order(e, a.by, a.desc));
    }
    let sql = format!(
        "SELECT {} FROM {} WHERE {} ORDER BY {sort} LIMIT {first} OFFSET {skip}",
        cols.join(", "),
        e.from,
        wheres.join(" AND ")
    );
    let db = ctx.ctx.data::<Reader>()?;
    if Instant::now() >= db.deadline {
        return Err(timed_out());
    }
    let conn = db
        .conn
        .lock()
        .map_err(|_| Error::new("the database connection was poisoned"))?;
    let read = conn.read(&sql, &params).map_err(sql_error)?;
    drop(conn);
    let mut out = Vec::with_capacity(read.len());
    for r in read {
        let mut values = r.0.into_iter();
        let mut next = || values.next().unwrap_or(Val::Null);
        let mut row = Row::bare(e, next(), next());
        for f in &fields {
            row.values.insert(f.name.to_string(), next());
            if let Kind::Ref { .. } = f.kind {
                row.values.insert(format!("{}#hint", f.name), next());
            }
        }
        out.push(row);
    }
    db.count(out.len())?;
    Ok(out)
}

impl Reader {
    /// Adds `n` entities to the request's total; past [`MAX_ENTITIES`] the
    /// request is refused (a reference answered from the memo counts too).
    fn count(&self, n: usize) -> Result<(), Error> {
        let total = self.fetched.fetch_add(n, Ordering::Relaxed) + n;
        if total > MAX_ENTITIES {
            return Err(Error::new(format!(
                "the query asks for more than {MAX_ENTITIES} entities; ask for fewer (smaller `first` on nested lists) or split it"
            )));
        }
        Ok(())
    }
}

/// The error of a request stopped at the time limit.
fn timed_out() -> Error {
    Error::new(format!(
        "the query ran past {} s and was stopped; ask for less",
        super::TIMEOUT.as_secs()
    ))
}

/// Whether `e` is a statement stopped by the time limit: SQLite's
/// interrupt, or PostgreSQL's cancel (SQLSTATE 57014, `query_canceled`).
fn stopped(e: &crate::Error) -> bool {
    match e {
        crate::Error::Db(rusqlite::Error::SqliteFailure(f, _)) => {
            f.code == rusqlite::ErrorCode::OperationInterrupted
        }
        crate::Error::Pg(p) => p.code() == Some(&tokio_postgres::error::SqlState::QUERY_CANCELED),
        _ => false,
    }
}

fn sql_error(e: crate::Error) -> Error {
    match e {
        e if stopped(&e) => timed_out(),
        e => {
            tracing::error!("graphql query failed: {e}");
            Error::new(format!("the index could not be read: {e}"))
        }
    }
}

fn rows(rows: Vec<Row>) -> FieldValue<'static> {
    FieldValue::list(rows.into_iter().map(FieldValue::owned_any))
}

/// `Query.{plural}`.
pub fn root_list(
    ctx: &ResolverContext<'_>,
    e: &'static Entity,
) -> Result<FieldValue<'static>, Error> {
    super::check_block(ctx)?;
    let args = list_args(ctx, e)?;
    Ok(rows(fetch(ctx, e, Vec::new(), Some(&args))?))
}

/// `Query.{single}(id:)`.
pub fn root_single(
    ctx: &ResolverContext<'_>,
    e: &'static Entity,
) -> Result<Option<FieldValue<'static>>, Error> {
    super::check_block(ctx)?;
    let id = ctx.args.try_get("id")?.string()?.to_lowercase();
    Ok(fetch(ctx, e, vec![(e.id, Val::Text(id))], None)?
        .pop()
        .map(FieldValue::owned_any))
}

/// A scalar field of the parent row, as GraphQL shows it.
pub fn scalar(ctx: &ResolverContext<'_>, f: &'static Field) -> Result<Value, Error> {
    let row = ctx.parent_value.try_downcast_ref::<Row>()?;
    let v = match f.name {
        "id" => &row.id,
        name => row.values.get(name).unwrap_or(&Val::Null),
    };
    Ok(match (f.kind, v) {
        (_, Val::Null) => Value::Null,
        (Kind::Bool, Val::Int(i)) => Value::Boolean(*i != 0),
        (Kind::Bool, Val::Bool(b)) => Value::Boolean(*b),
        (Kind::Int, Val::Int(i)) => Value::from(*i),
        // PostgreSQL's sum() of integers is NUMERIC.
        (Kind::Int, Val::Text(s)) => match s.parse::<i64>() {
            Ok(i) => Value::from(i),
            Err(_) => Value::String(s.clone()),
        },
        (_, Val::Int(i)) => Value::String(i.to_string()),
        (_, Val::Real(x)) => Value::String(real(*x)),
        (_, Val::Text(s)) => Value::String(s.clone()),
        (_, Val::U256(u)) => Value::String(u.to_string()),
        (_, Val::Bool(_)) => return Err(Error::new(format!("`{}` is not readable", f.name))),
    })
}

/// A REAL as a BigDecimal string (no exponent, no trailing `.0`).
fn real(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        "0".into()
    }
}

/// A reference field: the target entity (one more query unless only its id
/// is asked for).
pub fn reference(
    ctx: &ResolverContext<'_>,
    f: &'static Field,
) -> Result<Option<FieldValue<'static>>, Error> {
    let Kind::Ref { target, .. } = f.kind else {
        return Err(Error::new(format!("`{}` is not a reference", f.name)));
    };
    let t = entity(target).ok_or_else(|| Error::new(format!("no entity {target}")))?;
    let row = ctx.parent_value.try_downcast_ref::<Row>()?;
    let id = row.values.get(f.name).cloned().unwrap_or(Val::Null);
    if id == Val::Null {
        return Ok(None);
    }
    let hint = row
        .values
        .get(&format!("{}#hint", f.name))
        .cloned()
        .unwrap_or(Val::Null);
    let only_id = ctx
        .ctx
        .field()
        .selection_set()
        .all(|s| matches!(s.name(), "id" | "__typename"));
    if only_id {
        return Ok(Some(FieldValue::owned_any(Row::bare(t, id, hint))));
    }
    let asked: Vec<String> = ctx
        .ctx
        .field()
        .selection_set()
        .map(|s| s.name().to_string())
        .collect();
    let key = format!("{target}|{id:?}|{hint:?}|{}", asked.join(","));
    let reader = ctx.ctx.data::<Reader>()?;
    let hit = reader
        .references
        .lock()
        .ok()
        .and_then(|m| m.get(&key).cloned());
    if let Some(hit) = hit {
        reader.count(usize::from(hit.is_some()))?;
        return Ok(hit.map(FieldValue::owned_any));
    }
    let mut constraints = vec![(t.id, id)];
    if let (Some(h), false) = (t.hint, hint == Val::Null) {
        constraints.push((h, hint));
    }
    let got = fetch(ctx, t, constraints, None)?.pop();
    if let Ok(mut m) = reader.references.lock() {
        m.insert(key, got.clone());
    }
    Ok(got.map(FieldValue::owned_any))
}

/// A derived list (`Pair.swaps`): the target rows whose reference is the parent.
pub fn derived(
    ctx: &ResolverContext<'_>,
    target: &'static str,
    by: &'static str,
) -> Result<FieldValue<'static>, Error> {
    let t = entity(target).ok_or_else(|| Error::new(format!("no entity {target}")))?;
    let row = ctx.parent_value.try_downcast_ref::<Row>()?;
    let back = t
        .field(by)
        .ok_or_else(|| Error::new(format!("{target} has no `{by}`")))?;
    let mut constraints = vec![(back.expr, row.id.clone())];
    if let (Kind::Ref { hint: Some(h), .. }, Some(_)) = (back.kind, row.entity.hint) {
        constraints.push((h, row.hint.clone()));
    }
    let args = list_args(ctx, t)?;
    Ok(rows(fetch(ctx, t, constraints, Some(&args))?))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::db::PgConn;

    fn message(e: crate::Error) -> String {
        sql_error(e).message
    }

    #[test]
    fn a_sqlite_interrupt_is_the_time_limit() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let handle = conn.get_interrupt_handle();
        let stopper = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(200));
            handle.interrupt();
        });
        let db = Db::Lite(conn);
        let e = db
            .read(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n",
                &[],
            )
            .unwrap_err();
        stopper.join().unwrap();
        assert!(stopped(&e), "{e}");
        assert!(message(e).contains("ran past 10 s"));
    }

    #[test]
    fn a_postgresql_cancel_is_the_time_limit() {
        let pg = tidepool_testkit::postgres::PgCluster::start().unwrap();
        let conn = PgConn::connect(&pg.url()).unwrap();
        let token = conn.cancel_token();
        let stopper = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(token.cancel_query(tokio_postgres::NoTls))
                .unwrap();
        });
        let db = Db::Pg(conn);
        let e = db.read("SELECT pg_sleep(30)", &[]).unwrap_err();
        stopper.join().unwrap();
        assert!(stopped(&e), "{e}");
        assert!(message(e).contains("ran past 10 s"));
        // The connection serves the next statement.
        let one: i64 = db
            .read_opt("SELECT 1", &[])
            .unwrap()
            .unwrap()
            .get(0)
            .unwrap();
        assert_eq!(one, 1);
        // Any other error is not the time limit.
        let e = db.read("SELECT nope", &[]).unwrap_err();
        assert!(!stopped(&e));
        assert!(message(e).contains("could not be read"));
    }
}
