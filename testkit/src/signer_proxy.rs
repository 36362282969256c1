//! A recording JSON-RPC proxy in front of anvil that stands in for an
//! external signer such as Frame: anvil itself signs for its unlocked dev
//! accounts (`eth_sendTransaction`, `eth_signTypedData_v4`), and the proxy
//! records every request, so a test can assert what Tidepool asked the
//! signer, and can be told to answer like a wallet does when the person
//! rejects a request (4001), when it is on another chain, or when it does
//! not offer a method. It also stands in for an RPC endpoint that goes down
//! and comes back ([`SignerProxy::set_down`]).

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use axum::Router;
use axum::extract::State;
use axum::routing::post;
use serde_json::{Value, json};

/// One request the proxy received.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    /// The JSON-RPC method.
    pub method: String,
    /// Its params.
    pub params: Value,
    /// What the proxy answered: the result, or the error object.
    pub answer: Value,
}

#[derive(Default)]
struct Rules {
    /// Answer every request with HTTP 503, as a node that is down.
    down: bool,
    reject: HashSet<String>,
    unsupported: HashSet<String>,
    chain_id: Option<u64>,
}

struct Shared {
    upstream: String,
    http: reqwest::Client,
    rules: Mutex<Rules>,
    log: Mutex<Vec<Recorded>>,
}

/// The proxy, listening on a free loopback port until dropped.
pub struct SignerProxy {
    /// Its URL, e.g. `http://127.0.0.1:40123`.
    pub url: String,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for SignerProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl SignerProxy {
    /// Starts a proxy forwarding to `upstream` (anvil's URL).
    pub async fn start(upstream: &str) -> Result<Self> {
        let shared = Arc::new(Shared {
            upstream: upstream.to_string(),
            http: reqwest::Client::new(),
            rules: Mutex::new(Rules::default()),
            log: Mutex::new(Vec::new()),
        });
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .context("binding the signer proxy")?;
        let url = format!("http://{}", listener.local_addr()?);
        let app = Router::new()
            .route("/", post(handle))
            .with_state(shared.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Self { url, shared, task })
    }

    /// Answers `method` with EIP-1193's 4001 "user rejected" from now on.
    pub fn reject(&self, method: &str) {
        lock(&self.shared.rules).reject.insert(method.into());
    }

    /// Answers `method` with JSON-RPC's -32601 "method not found" from now on.
    pub fn unsupported(&self, method: &str) {
        lock(&self.shared.rules).unsupported.insert(method.into());
    }

    /// Reports `chain_id` for `eth_chainId` from now on (`None`: anvil's).
    pub fn pretend_chain(&self, chain_id: Option<u64>) {
        lock(&self.shared.rules).chain_id = chain_id;
    }

    /// Answers every request with HTTP 503 (`true`), as an RPC endpoint
    /// that is down, or forwards again (`false`).
    pub fn set_down(&self, down: bool) {
        lock(&self.shared.rules).down = down;
    }

    /// Back to forwarding everything.
    pub fn reset_rules(&self) {
        *lock(&self.shared.rules) = Rules::default();
    }

    /// Every request so far, in order.
    pub fn log(&self) -> Vec<Recorded> {
        lock(&self.shared.log).clone()
    }

    /// The requests of `method` so far.
    pub fn calls(&self, method: &str) -> Vec<Recorded> {
        self.log()
            .into_iter()
            .filter(|r| r.method == method)
            .collect()
    }

    /// How many requests of each method so far.
    pub fn counts(&self) -> HashMap<String, usize> {
        let mut m = HashMap::new();
        for r in self.log() {
            *m.entry(r.method).or_default() += 1;
        }
        m
    }
}

async fn one(shared: &Shared, req: Value) -> Value {
    let id = req.get("id").cloned().unwrap_or(Value::Null);
    let method = req["method"].as_str().unwrap_or_default().to_string();
    let params = req.get("params").cloned().unwrap_or(json!([]));
    let canned = {
        let rules = lock(&shared.rules);
        if rules.reject.contains(&method) {
            Some(
                json!({"jsonrpc": "2.0", "id": id, "error": {"code": 4001, "message": "User rejected the request."}}),
            )
        } else if rules.unsupported.contains(&method) {
            Some(
                json!({"jsonrpc": "2.0", "id": id, "error": {"code": -32601, "message": format!("the method {method} does not exist/is not available")}}),
            )
        } else if method == "eth_chainId" {
            rules
                .chain_id
                .map(|c| json!({"jsonrpc": "2.0", "id": id, "result": format!("{c:#x}")}))
        } else {
            None
        }
    };
    let reply = match canned {
        Some(r) => r,
        None => match shared.http.post(&shared.upstream).json(&req).send().await {
            Ok(resp) => resp.json::<Value>().await.unwrap_or_else(|e| {
                json!({"jsonrpc": "2.0", "id": id, "error": {"code": -32603, "message": e.to_string()}})
            }),
            Err(e) => {
                json!({"jsonrpc": "2.0", "id": id, "error": {"code": -32603, "message": e.to_string()}})
            }
        },
    };
    let answer = reply
        .get("result")
        .or_else(|| reply.get("error"))
        .cloned()
        .unwrap_or(Value::Null);
    lock(&shared.log).push(Recorded {
        method,
        params,
        answer,
    });
    reply
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    body: String,
) -> Result<axum::Json<Value>, axum::http::StatusCode> {
    if lock(&shared.rules).down {
        return Err(axum::http::StatusCode::SERVICE_UNAVAILABLE);
    }
    let req: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let reply = match req {
        Value::Array(batch) => {
            let mut out = Vec::with_capacity(batch.len());
            for r in batch {
                out.push(one(&shared, r).await);
            }
            Value::Array(out)
        }
        single => one(&shared, single).await,
    };
    Ok(axum::Json(reply))
}
