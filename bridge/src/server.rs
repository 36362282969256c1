//! The loopback HTTP server: the page, its script and style, and the API the
//! page calls. Every response carries a strict CSP and no-cache headers;
//! every request must come to `127.0.0.1:PORT`, from no origin or the
//! bridge's own, and (except for the static script and style) carry the
//! session token.

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Json, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use tidepool_sdk::Address;
use tidepool_sdk::wallet::{ProviderError, RequestError};
use tracing::{debug, info, warn};

use crate::page;
use crate::state::{POLL_WAIT, Shared, WalletInfo};

/// The largest request body accepted (answers are hashes and signatures).
pub(crate) const BODY_LIMIT: usize = 64 * 1024;

/// The header the page sends the session token in.
pub(crate) const TOKEN_HEADER: &str = "x-bridge-token";

/// The Content-Security-Policy of every response.
pub(crate) const CSP: &str = "default-src 'none'; script-src 'self'; connect-src 'self'; \
     style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; \
     frame-ancestors 'none'";

type App = Arc<Shared>;

/// The bridge's routes.
pub(crate) fn router(shared: App) -> Router {
    Router::new()
        .route("/", get(index))
        .route(
            "/app.js",
            get(|| async { asset("text/javascript", page::APP_JS) }),
        )
        .route(
            "/style.css",
            get(|| async { asset("text/css", page::STYLE_CSS) }),
        )
        .route("/api/next", get(next))
        .route("/api/answer", post(answer))
        .route("/api/connected", post(connected))
        .layer(middleware::from_fn_with_state(shared.clone(), guard))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn(security_headers))
        .with_state(shared)
}

fn asset(kind: &str, text: &'static str) -> Response {
    let mut r = text.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&format!("{kind}; charset=utf-8")).expect("a valid header"),
    );
    r
}

/// Compares without leaking, through timing, how much of a guess was right.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

fn query_token(query: Option<&str>) -> Option<&str> {
    query?.split('&').find_map(|kv| kv.strip_prefix("token="))
}

fn refuse(status: StatusCode, path: &str, reason: &'static str) -> Response {
    warn!(path, reason, "the browser-wallet bridge refused a request");
    (status, reason).into_response()
}

/// Host, origin and token checks.
async fn guard(State(app): State<App>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let path = req.uri().path().to_string();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    if host != Some(app.host.as_str()) {
        return refuse(StatusCode::FORBIDDEN, &path, "wrong Host");
    }
    if let Some(origin) = headers.get(header::ORIGIN)
        && origin.as_bytes() != app.origin.as_bytes()
    {
        return refuse(StatusCode::FORBIDDEN, &path, "foreign Origin");
    }
    let token = if path.starts_with("/api/") {
        headers.get(TOKEN_HEADER).and_then(|t| t.to_str().ok())
    } else if path == "/" {
        query_token(req.uri().query())
    } else {
        // The static script and style hold no secret.
        return next.run(req).await;
    };
    if !token.is_some_and(|t| same_secret(t, &app.token)) {
        return refuse(StatusCode::FORBIDDEN, &path, "missing or wrong token");
    }
    next.run(req).await
}

async fn security_headers(req: Request, next: Next) -> Response {
    let mut r = next.run(req).await;
    let h = r.headers_mut();
    let set = |h: &mut HeaderMap, k: &'static str, v: &'static str| {
        h.insert(k, HeaderValue::from_static(v));
    };
    set(h, "content-security-policy", CSP);
    set(h, "x-content-type-options", "nosniff");
    set(h, "referrer-policy", "no-referrer");
    set(h, "cache-control", "no-store");
    set(h, "x-frame-options", "DENY");
    set(h, "cross-origin-resource-policy", "same-origin");
    r
}

async fn index() -> Response {
    asset("text/html", page::INDEX_HTML)
}

async fn next(State(app): State<App>) -> Response {
    match app.next(POLL_WAIT).await {
        Ok(Some(d)) => {
            debug!(id = %d.id, method = %d.method, "the page took a request");
            Json(d).into_response()
        }
        Ok(None) => StatusCode::NO_CONTENT.into_response(),
        Err(()) => (StatusCode::SERVICE_UNAVAILABLE, "the bridge was shut down").into_response(),
    }
}

/// `Some(v)` when the field is present, even as `null` (a `null` result is a
/// valid answer, e.g. to `wallet_switchEthereumChain`).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerBody {
    id: String,
    #[serde(default, deserialize_with = "present")]
    result: Option<Value>,
    #[serde(default)]
    error: Option<ProviderError>,
}

fn clip(s: &str, max: usize) -> String {
    s.chars().filter(|c| !c.is_control()).take(max).collect()
}

async fn answer(State(app): State<App>, Json(body): Json<AnswerBody>) -> Response {
    let outcome = match (body.result, body.error) {
        (Some(v), None) => Ok(v),
        (None, Some(e)) => Err(RequestError::Provider(ProviderError {
            code: e.code,
            message: clip(&e.message, 500),
        })),
        _ => {
            return (StatusCode::BAD_REQUEST, "give either result or error").into_response();
        }
    };
    let ok = outcome.is_ok();
    match app.answer(&body.id, outcome) {
        Ok(method) => {
            debug!(id = %body.id, %method, ok, "the page answered a request");
            StatusCode::NO_CONTENT.into_response()
        }
        Err(_) => refuse(
            StatusCode::CONFLICT,
            "/api/answer",
            "no such request is waiting (answered already, or given up on)",
        ),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConnectedBody {
    name: String,
    #[serde(default)]
    rdns: Option<String>,
    #[serde(default)]
    accounts: Vec<String>,
    #[serde(default)]
    chain_id: Option<Value>,
}

fn parse_chain(v: &Value) -> Option<u64> {
    match v {
        Value::String(s) => match s.trim().strip_prefix("0x") {
            Some(h) => u64::from_str_radix(h, 16).ok(),
            None => s.trim().parse().ok(),
        },
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

async fn connected(State(app): State<App>, Json(body): Json<ConnectedBody>) -> Response {
    let name = clip(body.name.trim(), 80);
    if name.is_empty() {
        return (StatusCode::BAD_REQUEST, "the wallet has no name").into_response();
    }
    let accounts: Option<Vec<Address>> = body.accounts.iter().map(|a| a.parse().ok()).collect();
    let Some(accounts) = accounts else {
        return (StatusCode::BAD_REQUEST, "an account is not an address").into_response();
    };
    let info = WalletInfo {
        name,
        rdns: body.rdns.map(|r| clip(&r, 120)).filter(|r| !r.is_empty()),
        accounts,
        chain_id: body.chain_id.as_ref().and_then(parse_chain),
    };
    info!(
        wallet = %info.name,
        rdns = info.rdns.as_deref().unwrap_or(""),
        accounts = info.accounts.len(),
        chain_id = info.chain_id,
        "the browser-wallet page connected a wallet"
    );
    app.connected(info);
    StatusCode::NO_CONTENT.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_chains() {
        assert!(same_secret("abcd", "abcd"));
        assert!(!same_secret("abcd", "abce"));
        assert!(!same_secret("abc", "abcd"));
        assert_eq!(query_token(Some("a=1&token=xyz")), Some("xyz"));
        assert_eq!(query_token(Some("tokens=1")), None);
        assert_eq!(query_token(None), None);
        assert_eq!(parse_chain(&Value::from("0x7a69")), Some(31337));
        assert_eq!(parse_chain(&Value::from(1u64)), Some(1));
        assert_eq!(clip("a\u{7}b", 5), "ab");
    }
}
