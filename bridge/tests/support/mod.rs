//! Headless Chromium through Debian's chromedriver, and a stand-in wallet
//! extension injected into the bridge page whose signing requests the test
//! answers from Rust against anvil.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use tidepool_testkit::procs::Proc;
use tidepool_testkit::{free_port, wait_for, wait_listening};

/// Where the screenshots go: `<target>/e2e-screenshots/bridge/`.
pub fn shots_dir() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(|t| root.join(t))
        .unwrap_or_else(|| root.join("target"));
    target.join("e2e-screenshots/bridge")
}

fn chromedriver() -> PathBuf {
    if let Some(p) = std::env::var_os("CHROMEDRIVER") {
        return p.into();
    }
    let p = PathBuf::from("/usr/bin/chromedriver");
    assert!(
        p.is_file(),
        "chromedriver is not installed: `cargo xtask setup` installs Debian's chromium and chromium-driver (or set CHROMEDRIVER)"
    );
    p
}

/// chromedriver on a free loopback port, one headless Chromium session with a
/// throw-away profile.
pub struct Chrome {
    /// The WebDriver session.
    pub c: Client,
    driver: Proc,
    _profile: tempfile::TempDir,
}

impl Chrome {
    pub async fn start() -> Self {
        let port = free_port();
        let driver = Proc::spawn(
            "chromedriver",
            Command::new(chromedriver())
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        )
        .expect("chromedriver starts");
        wait_listening(port, "chromedriver", Duration::from_secs(20)).unwrap();
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--window-size=1000,1100",
                format!("--user-data-dir={}", profile.path().display()),
            ]}
        });
        let mut builder = ClientBuilder::native();
        builder.capabilities(serde_json::from_value(caps).unwrap());
        let c = builder
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a Chromium session");
        Self {
            c,
            driver,
            _profile: profile,
        }
    }

    /// Ends the session (Chromium quits), then stops chromedriver by its pid.
    pub async fn stop(self) {
        let pid = self.driver.pid();
        let _ = self.c.close().await;
        drop(self.driver);
        assert!(!tidepool_testkit::procs::alive(pid), "chromedriver stopped");
    }

    /// Saves a screenshot; returns its path.
    pub async fn shot(&self, name: &str) -> PathBuf {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let dir = shots_dir();
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, self.c.screenshot().await.unwrap()).unwrap();
        path
    }

    /// The text of the first element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        match self.c.find(Locator::Css(css)).await {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Waits until the element's text contains `needle`.
    pub async fn wait_text(&self, css: &str, needle: &str) -> String {
        wait_for(
            &format!("{css} shows “{needle}”"),
            Duration::from_secs(15),
            async || {
                let t = self.text(css).await;
                if t.contains(needle) { Ok(t) } else { Err(t) }
            },
        )
        .await
    }
}

/// The stand-in extension: answers accounts and chain itself; every other
/// request goes into `window.__pending` for the test to answer.
const INJECT: &str = r##"
const [accounts, chainId] = arguments;
const waiters = new Map();
const pending = [];
let next = 1;
const provider = {
  request({ method, params }) {
    if (method === 'eth_requestAccounts' || method === 'eth_accounts') return Promise.resolve(accounts.slice());
    if (method === 'eth_chainId') return Promise.resolve(chainId);
    return new Promise((resolve, reject) => {
      const id = next++;
      waiters.set(id, { resolve, reject });
      pending.push({ id, method, params: params === undefined ? null : JSON.parse(JSON.stringify(params)) });
    });
  },
  on() {},
  removeListener() {},
};
window.__take = () => pending.splice(0);
window.__settle = (id, result, error) => {
  const w = waiters.get(id);
  waiters.delete(id);
  if (!w) return false;
  if (error) { const e = new Error(error.message); e.code = error.code; w.reject(e); } else { w.resolve(result); }
  return true;
};
const icon = 'data:image/svg+xml,' + encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="11" fill="#2a9d8f"/><path d="M6 13h12" stroke="#fff" stroke-width="2"/></svg>');
const detail = Object.freeze({
  info: Object.freeze({ uuid: '6f1c2c47-1f7e-4a43-9d3e-2b7f2f0a9c11', name: 'Test Wallet', icon, rdns: 'dev.tidepool.test' }),
  provider,
});
const announce = () => window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail }));
window.addEventListener('eip6963:requestProvider', announce);
announce();
"##;

/// The UUID the stand-in wallet announces.
pub const WALLET_UUID: &str = "6f1c2c47-1f7e-4a43-9d3e-2b7f2f0a9c11";

/// What the stand-in wallet does with a signing request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Performs it on anvil (the unlocked dev accounts sign).
    Forward,
    /// The person says no (4001).
    Reject,
    /// Keeps it open until the test settles it.
    Hold,
}

/// A request the wallet holds.
#[derive(Debug, Clone)]
pub struct Held {
    pub id: u64,
    pub method: String,
}

/// The Rust side of the stand-in wallet.
#[derive(Clone)]
pub struct Wallet {
    c: Client,
    mode: Arc<Mutex<Mode>>,
    held: Arc<Mutex<Vec<Held>>>,
}

impl Wallet {
    /// Injects the wallet into the open page (it announces itself at once)
    /// and starts answering its requests against `anvil`.
    pub async fn inject(c: &Client, accounts: Vec<String>, chain_id: &str, anvil: String) -> Self {
        c.execute(INJECT, vec![json!(accounts), json!(chain_id)])
            .await
            .expect("the wallet is injected");
        let w = Self {
            c: c.clone(),
            mode: Arc::new(Mutex::new(Mode::Forward)),
            held: Arc::default(),
        };
        let me = w.clone();
        tokio::spawn(async move { me.serve(anvil).await });
        w
    }

    pub fn set(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }

    /// Waits until the wallet holds a request; returns it.
    pub async fn wait_held(&self) -> Held {
        wait_for(
            "the wallet holds a request",
            Duration::from_secs(15),
            async || {
                self.held
                    .lock()
                    .unwrap()
                    .pop()
                    .ok_or_else(|| "none".to_string())
            },
        )
        .await
    }

    /// Settles a held request with a result or an error.
    pub async fn settle(&self, id: u64, outcome: Result<Value, (i64, &str)>) {
        let (result, error) = match outcome {
            Ok(v) => (v, Value::Null),
            Err((code, message)) => (Value::Null, json!({ "code": code, "message": message })),
        };
        let done = self
            .c
            .execute(
                "return window.__settle(arguments[0], arguments[1], arguments[2]);",
                vec![json!(id), result, error],
            )
            .await
            .expect("settling a wallet request");
        assert_eq!(done, json!(true), "request {id} was open in the wallet");
    }

    async fn serve(self, anvil: String) {
        let http = reqwest::Client::new();
        loop {
            let taken = match self
                .c
                .execute("return window.__take ? window.__take() : [];", vec![])
                .await
            {
                Ok(Value::Array(a)) => a,
                Ok(_) => Vec::new(),
                Err(_) => return, // the session ended
            };
            for r in taken {
                let id = r["id"].as_u64().unwrap();
                let method = r["method"].as_str().unwrap_or_default().to_string();
                let mode = *self.mode.lock().unwrap();
                match mode {
                    Mode::Hold => self.held.lock().unwrap().push(Held { id, method }),
                    Mode::Reject => {
                        self.settle(id, Err((4001, "User rejected the request.")))
                            .await;
                    }
                    Mode::Forward => {
                        let answer = rpc(&http, &anvil, &method, r["params"].clone()).await;
                        let answer = answer.as_ref().map_err(|(c, m)| (*c, m.as_str()));
                        self.settle(id, answer.cloned()).await;
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(30)).await;
        }
    }
}

/// One JSON-RPC call; `Err((code, message))` for an error answer.
pub async fn rpc(
    http: &reqwest::Client,
    url: &str,
    method: &str,
    params: Value,
) -> Result<Value, (i64, String)> {
    let body = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params });
    let v: Value = http
        .post(url)
        .json(&body)
        .send()
        .await
        .expect("anvil answers")
        .json()
        .await
        .expect("anvil answers JSON");
    match v.get("error") {
        Some(e) => Err((
            e["code"].as_i64().unwrap_or(-32603),
            e["message"].as_str().unwrap_or_default().to_string(),
        )),
        None => Ok(v["result"].clone()),
    }
}
