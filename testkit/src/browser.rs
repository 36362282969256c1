//! The browser-wallet bridge page in a real browser: headless Chromium driven
//! through Debian's chromedriver ([`Chromium`]), and a stand-in wallet
//! extension injected into the page ([`InjectedWallet`]) that announces itself
//! through EIP-6963 and whose signing requests are answered from Rust against
//! anvil (whose unlocked dev accounts sign `eth_sendTransaction` and
//! `eth_signTypedData_v4`), rejected like a person would (4001), or held for
//! the test to settle.
//!
//! ```no_run
//! # async fn demo(page_url: &str, anvil_url: &str) {
//! use tidepool_testkit::browser::{Chromium, InjectedWallet};
//! use tidepool_sdk::signer::dev_address;
//!
//! let chrome = Chromium::start().await;
//! chrome.open_bridge(page_url).await;
//! let wallet = InjectedWallet::inject(&chrome, &[dev_address(1)], 31337, anvil_url).await;
//! wallet.click_wallet().await;
//! // … Tidepool's requests now reach anvil through the page …
//! chrome.screenshot("bridge", "connected").await;
//! chrome.stop().await;
//! # }
//! ```

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use tidepool_sdk::Address;
use tokio::task::JoinHandle;

use crate::poll::wait_for;
use crate::ports::{try_free_port, wait_listening};
use crate::procs::{Proc, alive, descendants, terminate_all};

/// How long the helpers here wait for the page (an element, a text).
pub const PAGE_TIMEOUT: Duration = Duration::from_secs(15);

/// The chromedriver binary: `$CHROMEDRIVER`, else Debian's
/// `/usr/bin/chromedriver` (package chromium-driver).
pub fn chromedriver() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMEDRIVER").filter(|p| !p.is_empty()) {
        return Ok(p.into());
    }
    let p = PathBuf::from("/usr/bin/chromedriver");
    if !p.is_file() {
        bail!(
            "chromedriver is not installed: `cargo xtask setup` installs Debian's chromium and chromium-driver (or set CHROMEDRIVER)"
        );
    }
    Ok(p)
}

/// Where the screenshots of `group` go: `<target>/e2e-screenshots/<group>/`
/// (`<target>`: `$CARGO_TARGET_DIR`, relative to the workspace root, else
/// the workspace's `target/`).
pub fn screenshots_dir(group: &str) -> PathBuf {
    let root = crate::workspace_root();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .filter(|t| !t.is_empty())
        .map(|t| root.join(t))
        .unwrap_or_else(|| root.join("target"));
    target.join("e2e-screenshots").join(group)
}

/// chromedriver on a free loopback port and one headless Chromium session
/// with a throw-away profile. Dropping it stops chromedriver by its pid with
/// its whole process tree (Chromium and its helpers); [`Chromium::stop`]
/// first ends the session so Chromium quits on its own.
pub struct Chromium {
    /// The WebDriver session.
    pub client: Client,
    driver: Proc,
    _profile: tempfile::TempDir,
}

impl Chromium {
    /// Starts chromedriver and a headless Chromium session.
    pub async fn try_start() -> Result<Self> {
        let port = try_free_port()?;
        let driver = Proc::spawn(
            "chromedriver",
            Command::new(chromedriver()?)
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
        )?;
        wait_listening(port, "chromedriver", Duration::from_secs(20))?;
        let profile = tempfile::tempdir()?;
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
        builder.capabilities(serde_json::from_value(caps)?);
        let client = builder
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .context(
                "no Chromium session through chromedriver (is Debian's chromium installed?)",
            )?;
        Ok(Self {
            client,
            driver,
            _profile: profile,
        })
    }

    /// [`Chromium::try_start`], or a panic.
    pub async fn start() -> Self {
        Self::try_start()
            .await
            .expect("headless Chromium starts through chromedriver")
    }

    /// chromedriver's process id.
    pub fn driver_pid(&self) -> u32 {
        self.driver.pid()
    }

    /// Opens a bridge page's URL and waits until its script ran (it sets
    /// `body[data-ready]`, which proves the script loaded under the page's CSP).
    pub async fn open_bridge(&self, url: &str) {
        self.client.goto(url).await.expect("the page opens");
        self.client
            .wait()
            .at_most(PAGE_TIMEOUT)
            .for_element(Locator::Css("body[data-ready='true']"))
            .await
            .expect("the bridge page's script runs under its CSP");
    }

    /// The text of the first element matching `css` ("" when there is none).
    pub async fn text(&self, css: &str) -> String {
        match self.client.find(Locator::Css(css)).await {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Waits until the first element matching `css` shows `needle`; returns
    /// its whole text.
    pub async fn wait_text(&self, css: &str, needle: &str) -> String {
        wait_for(
            &format!("{css} shows “{needle}”"),
            PAGE_TIMEOUT,
            async || {
                let t = self.text(css).await;
                if t.contains(needle) { Ok(t) } else { Err(t) }
            },
        )
        .await
    }

    /// Saves a screenshot of the page as
    /// `<target>/e2e-screenshots/<group>/<name>.png` ([`screenshots_dir`]);
    /// returns its path.
    pub async fn screenshot(&self, group: &str, name: &str) -> PathBuf {
        // Let the last change paint.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let dir = screenshots_dir(group);
        std::fs::create_dir_all(&dir).expect("the screenshot directory");
        let path = dir.join(format!("{name}.png"));
        let png = self.client.screenshot().await.expect("a screenshot");
        std::fs::write(&path, png).expect("the screenshot is saved");
        path
    }

    /// Ends the session (Chromium quits), stops chromedriver by its pid, then
    /// stops whatever of the browser's process tree is still running.
    pub async fn stop(self) {
        let pid = self.driver.pid();
        let mut tree = descendants(pid);
        let _ = self.client.clone().close().await;
        drop(self);
        // Processes the browser left behind (reparented once their parent quit).
        let left = terminate_all(&tree);
        if !left.is_empty() {
            eprintln!(
                "stopped {} Chromium process(es) left after the session",
                left.len()
            );
        }
        tree.push(pid);
        assert!(
            tree.iter().all(|&p| !alive(p)),
            "chromedriver or Chromium still runs"
        );
    }
}

/// The stand-in extension: answers accounts and chain itself; every other
/// request goes into a queue the Rust side takes from (`window.__tidepoolTake`)
/// and settles (`window.__tidepoolSettle`).
const INJECT: &str = r##"
const [accounts, chainId, uuid] = arguments;
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
window.__tidepoolTake = () => pending.splice(0);
window.__tidepoolSettle = (id, result, error) => {
  const w = waiters.get(id);
  waiters.delete(id);
  if (!w) return false;
  if (error) { const e = new Error(error.message); e.code = error.code; w.reject(e); } else { w.resolve(result); }
  return true;
};
const icon = 'data:image/svg+xml,' + encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="11" fill="#2a9d8f"/><path d="M6 13h12" stroke="#fff" stroke-width="2"/></svg>');
const detail = Object.freeze({
  info: Object.freeze({ uuid, name: 'Test Wallet', icon, rdns: 'dev.tidepool.test' }),
  provider,
});
const announce = () => window.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail }));
window.addEventListener('eip6963:requestProvider', announce);
announce();
"##;

/// The UUID the stand-in wallet announces (its button's `data-uuid`).
pub const WALLET_UUID: &str = "6f1c2c47-1f7e-4a43-9d3e-2b7f2f0a9c11";
/// The name it announces.
pub const WALLET_NAME: &str = "Test Wallet";
/// The reverse-DNS id it announces.
pub const WALLET_RDNS: &str = "dev.tidepool.test";

/// What the stand-in wallet does with a request it does not answer itself
/// (everything but the accounts and the chain).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Performs it on anvil (the unlocked dev accounts sign).
    Forward,
    /// The person says no: error 4001.
    Reject,
    /// Keeps it open until the test settles it ([`InjectedWallet::wait_held`],
    /// [`InjectedWallet::settle`]).
    Hold,
}

/// A request the wallet holds open.
#[derive(Debug, Clone)]
pub struct Held {
    /// The page-side id to settle it by.
    pub id: u64,
    /// The JSON-RPC method.
    pub method: String,
    /// Its params.
    pub params: Value,
}

/// One request the wallet received (other than accounts and chain).
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    /// The JSON-RPC method.
    pub method: String,
    /// Its params as the page passed them.
    pub params: Value,
    /// What the wallet answered: `Some(Ok(result))`, `Some(Err((code,
    /// message)))`, or `None` while held.
    pub answer: Option<Result<Value, (i64, String)>>,
}

struct Shared {
    mode: Mutex<Mode>,
    held: Mutex<Vec<Held>>,
    log: Mutex<Vec<Received>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The Rust side of the stand-in wallet in one page: a background task takes
/// the page's queued requests every 30 ms and answers them as [`Mode`] says.
/// The task ends when the wallet is dropped (do that before opening another
/// page in the same browser and injecting a new wallet there), or when the
/// session ends.
pub struct InjectedWallet {
    client: Client,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl Drop for InjectedWallet {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl InjectedWallet {
    /// Injects the wallet into the page open in `chrome` (it announces itself
    /// at once) with `accounts` (the first is the selected one) on `chain_id`,
    /// and starts answering its requests against `anvil` (a JSON-RPC URL), in
    /// [`Mode::Forward`].
    pub async fn inject(
        chrome: &Chromium,
        accounts: &[Address],
        chain_id: u64,
        anvil: &str,
    ) -> Self {
        let client = chrome.client.clone();
        let accounts: Vec<String> = accounts.iter().map(Address::to_string).collect();
        client
            .execute(
                INJECT,
                vec![
                    json!(accounts),
                    json!(format!("{chain_id:#x}")),
                    json!(WALLET_UUID),
                ],
            )
            .await
            .expect("the wallet is injected");
        let shared = Arc::new(Shared {
            mode: Mutex::new(Mode::Forward),
            held: Mutex::default(),
            log: Mutex::default(),
        });
        let task = tokio::spawn(serve(client.clone(), shared.clone(), anvil.to_string()));
        Self {
            client,
            shared,
            task,
        }
    }

    /// Sets what happens to the next requests.
    pub fn set_mode(&self, mode: Mode) {
        *lock(&self.shared.mode) = mode;
    }

    /// Waits until the page lists the wallet; returns its button.
    pub async fn wallet_button(&self) -> Element {
        self.client
            .wait()
            .at_most(PAGE_TIMEOUT)
            .for_element(Locator::Css(&format!("button[data-uuid='{WALLET_UUID}']")))
            .await
            .expect("the announced wallet gets a button in the page")
    }

    /// Picks the wallet in the page (waiting for its button first), as the
    /// person would.
    /// The page may redraw its wallet list (another announcement) between
    /// finding the button and clicking it: a stale button is found again.
    pub async fn click_wallet(&self) {
        let mut tries = 0;
        loop {
            match self.wallet_button().await.click().await {
                Ok(_) => return,
                Err(fantoccini::error::CmdError::Standard(e))
                    if e.error == fantoccini::error::ErrorStatus::StaleElementReference
                        && tries < 5 =>
                {
                    tries += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
                Err(e) => panic!("the wallet's button clicks: {e:?}"),
            }
        }
    }

    /// Every request the wallet received so far (other than accounts and
    /// chain), oldest first, with its answer.
    pub fn received(&self) -> Vec<Received> {
        lock(&self.shared.log).clone()
    }

    /// The requests received with this method.
    pub fn received_of(&self, method: &str) -> Vec<Received> {
        self.received()
            .into_iter()
            .filter(|r| r.method == method)
            .collect()
    }

    /// Waits until the wallet holds a request (in [`Mode::Hold`]); returns
    /// the most recent one, no longer counted as held.
    pub async fn wait_held(&self) -> Held {
        wait_for("the wallet holds a request", PAGE_TIMEOUT, async || {
            lock(&self.shared.held)
                .pop()
                .ok_or_else(|| "none yet".to_string())
        })
        .await
    }

    /// Settles a held request with a result or an error `(code, message)`;
    /// panics unless the page still had it open.
    pub async fn settle(&self, id: u64, outcome: Result<Value, (i64, &str)>) {
        let outcome = outcome.map_err(|(c, m)| (c, m.to_string()));
        let done = settle(&self.client, id, &outcome)
            .await
            .expect("settling a wallet request");
        assert!(done, "request {id} was open in the wallet");
    }
}

/// Answers one request in the page; whether it was still open there.
async fn settle(
    client: &Client,
    id: u64,
    outcome: &Result<Value, (i64, String)>,
) -> Result<bool, fantoccini::error::CmdError> {
    let (result, error) = match outcome {
        Ok(v) => (v.clone(), Value::Null),
        Err((code, message)) => (Value::Null, json!({ "code": code, "message": message })),
    };
    let done = client
        .execute(
            "return window.__tidepoolSettle ? window.__tidepoolSettle(arguments[0], arguments[1], arguments[2]) : false;",
            vec![json!(id), result, error],
        )
        .await?;
    Ok(done == json!(true))
}

/// The wallet's loop: take the page's requests, answer them as the mode says.
async fn serve(client: Client, shared: Arc<Shared>, anvil: String) {
    let http = reqwest::Client::new();
    loop {
        let taken = match client
            .execute(
                "return window.__tidepoolTake ? window.__tidepoolTake() : [];",
                vec![],
            )
            .await
        {
            Ok(Value::Array(a)) => a,
            Ok(_) => Vec::new(),
            Err(_) => return, // the session ended
        };
        for r in taken {
            let id = r["id"].as_u64().unwrap_or_default();
            let method = r["method"].as_str().unwrap_or_default().to_string();
            let params = r["params"].clone();
            let mode = *lock(&shared.mode);
            let answer = match mode {
                Mode::Hold => None,
                Mode::Reject => Some(Err((4001, "User rejected the request.".to_string()))),
                Mode::Forward => Some(rpc(&http, &anvil, &method, params.clone()).await),
            };
            lock(&shared.log).push(Received {
                method: method.clone(),
                params: params.clone(),
                answer: answer.clone(),
            });
            match answer {
                None => lock(&shared.held).push(Held { id, method, params }),
                Some(outcome) => {
                    if settle(&client, id, &outcome).await.is_err() {
                        return;
                    }
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
}

/// One JSON-RPC call; `Err((code, message))` for an error answer (or no
/// answer: -32603).
pub async fn rpc(
    http: &reqwest::Client,
    url: &str,
    method: &str,
    params: Value,
) -> Result<Value, (i64, String)> {
    let body = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params });
    let answer = async {
        http.post(url)
            .json(&body)
            .send()
            .await?
            .json::<Value>()
            .await
    };
    let v = match answer.await {
        Ok(v) => v,
        Err(e) => return Err((-32603, format!("{url} did not answer: {e}"))),
    };
    match v.get("error") {
        Some(e) => Err((
            e["code"].as_i64().unwrap_or(-32603),
            e["message"].as_str().unwrap_or_default().to_string(),
        )),
        None => Ok(v["result"].clone()),
    }
}
