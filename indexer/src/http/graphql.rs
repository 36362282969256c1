//! `/graphql`: a GraphQL request run on a blocking thread with one pooled
//! read-only connection, interrupted when it runs past the time limit.
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

use super::{App, Raw, Shared};
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

async fn run(app: Arc<App>, chain: Option<u64>, req: async_graphql::Request) -> Response {
    let (handle_tx, handle_rx) = tokio::sync::oneshot::channel();
    let worker = app.clone();
    let mut task = tokio::task::spawn_blocking(move || {
        let mut taken = worker.take(chain)?;
        // Until the GraphQL layer reads `Db`, it takes the SQLite connection.
        let db = std::mem::replace(
            &mut taken.db,
            crate::db::Db::Lite(rusqlite::Connection::open_in_memory()?),
        );
        let crate::db::Db::Lite(conn) = db else {
            return Err(crate::Error::Config(
                "GraphQL does not read a PostgreSQL index yet".into(),
            ));
        };
        let _ = handle_tx.send(conn.get_interrupt_handle());
        let (response, conn) = worker.gql.run(conn, req);
        taken.db = crate::db::Db::Lite(conn);
        worker.give(taken);
        crate::Result::Ok(response)
    });
    let joined = match tokio::time::timeout(TIMEOUT, &mut task).await {
        Ok(joined) => joined,
        Err(_) => {
            // Stop the running statement: the resolvers answer with errors.
            if let Ok(h) = handle_rx.await {
                h.interrupt();
            }
            task.await
        }
    };
    match joined {
        Ok(Ok(response)) => axum::Json(response).into_response(),
        Ok(Err(e)) => errors(super::status(&e), super::error_message(e)),
        Err(e) => errors(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the query task failed: {e}"),
        ),
    }
}
