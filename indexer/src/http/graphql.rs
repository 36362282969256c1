//! `/graphql`: a GraphQL request run on a blocking thread with one pooled
//! read-only connection (SQLite or PostgreSQL), its statement stopped when
//! it runs past the time limit (SQLite's interrupt, PostgreSQL's cancel
//! request).
//! Executed requests answer 200 with `{data, errors}`; a request that is not
//! GraphQL at all answers 400, an unreadable database 503, both with
//! `{errors: [{message}]}`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{App, Raw, Shared, Taken};
use crate::db::Db;
use crate::graphql::TIMEOUT;

fn errors(status: StatusCode, msg: impl Into<String>) -> Response {
    (
        status,
        axum::Json(json!({ "errors": [{ "message": msg.into() }] })),
    )
        .into_response()
}

/// `POST /graphql` with a JSON body `{query, variables, operationName}`.
pub(super) async fn post(State(app): Shared, mut raw: Raw, body: Bytes) -> Response {
    let chain = match super::chain_param(&mut raw) {
        Ok(c) => c,
        Err(e) => return errors(StatusCode::BAD_REQUEST, e.to_string()),
    };
    match serde_json::from_slice::<async_graphql::Request>(&body) {
        Ok(req) => run(app, chain, req).await,
        Err(e) => errors(
            StatusCode::BAD_REQUEST,
            format!(
                "the body is not a GraphQL request: send JSON like {{\"query\": \"{{ pairs {{ id }} }}\"}} ({e})"
            ),
        ),
    }
}

/// `GET /graphql?query=...&variables=...&operationName=...`.
pub(super) async fn get(State(app): Shared, mut raw: Raw) -> Response {
    let chain = match super::chain_param(&mut raw) {
        Ok(c) => c,
        Err(e) => return errors(StatusCode::BAD_REQUEST, e.to_string()),
    };
    let Ok(axum::extract::Query(map)) = raw else {
        return errors(StatusCode::BAD_REQUEST, "bad query string");
    };
    let map: HashMap<String, String> = map;
    let Some(query) = map.get("query").filter(|q| !q.trim().is_empty()) else {
        return errors(
            StatusCode::BAD_REQUEST,
            "GET /graphql needs a `query` parameter (or POST a JSON body)",
        );
    };
    let mut req = async_graphql::Request::new(query.clone());
    if let Some(v) = map.get("variables").filter(|v| !v.trim().is_empty()) {
        match serde_json::from_str::<async_graphql::Variables>(v) {
            Ok(vars) => req = req.variables(vars),
            Err(e) => {
                return errors(
                    StatusCode::BAD_REQUEST,
                    format!("`variables` is not a JSON object: {e}"),
                );
            }
        }
    }
    if let Some(op) = map.get("operationName").filter(|v| !v.trim().is_empty()) {
        req = req.operation_name(op.clone());
    }
    run(app, chain, req).await
}

/// How to stop the statement a request is running, from the async side.
enum Stop {
    /// SQLite's interrupt.
    Lite(rusqlite::InterruptHandle),
    /// PostgreSQL's cancel request (sent on a connection of its own).
    Pg(tokio_postgres::CancelToken),
}

async fn run(app: Arc<App>, chain: Option<u64>, req: async_graphql::Request) -> Response {
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel();
    let worker = app.clone();
    let mut task = tokio::task::spawn_blocking(move || {
        let Taken { db, chain } = worker.take(chain)?;
        let _ = stop_tx.send(match &db {
            Db::Lite(c) => Stop::Lite(c.get_interrupt_handle()),
            Db::Pg(c) => Stop::Pg(c.cancel_token()),
        });
        let (response, db) = worker.gql.run(db, req);
        crate::Result::Ok((response, Taken { db, chain }))
    });
    // A connection whose statement was cancelled is not reused: a cancel
    // request that arrives late would stop the next request's statement.
    let mut reuse = true;
    let joined = match tokio::time::timeout(TIMEOUT, &mut task).await {
        Ok(joined) => joined,
        Err(_) => {
            // Stop the running statement: the resolvers answer with errors.
            match stop_rx.await {
                Ok(Stop::Lite(h)) => h.interrupt(),
                Ok(Stop::Pg(token)) => {
                    reuse = false;
                    if let Err(e) = token.cancel_query(tokio_postgres::NoTls).await {
                        tracing::warn!("the GraphQL statement could not be cancelled: {e}");
                    }
                }
                Err(_) => {}
            }
            task.await
        }
    };
    match joined {
        Ok(Ok((response, taken))) => {
            if reuse {
                app.give(taken);
            }
            axum::Json(response).into_response()
        }
        Ok(Err(e)) => errors(super::status(&e), super::error_message(e)),
        Err(e) => errors(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the query task failed: {e}"),
        ),
    }
}
