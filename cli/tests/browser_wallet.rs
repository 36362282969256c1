//! The CLI with `--browser-wallet`, end to end: each `tidepool` run starts
//! its own bridge page and prints its URL on stderr; the test opens it in
//! headless Chromium (Debian's chromium + chromedriver), where a stand-in
//! EIP-6963 wallet is picked and answers from anvil's unlocked dev accounts.
//! A swap, a deposit and a permit-based withdrawal go through the wallet (the
//! permit as one `eth_signTypedData_v4`); a rejection in the wallet sends
//! nothing and says so once. The page after the withdrawal is saved to
//! `target/e2e-screenshots/cli-browser-wallet/`.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use alloy::providers::Provider;
use serde_json::Value;
use tidepool_sdk::alloy;
use tidepool_sdk::bindings::TestToken;

use tidepool_sdk::signer::dev_address;
use tidepool_sdk::{Address, B256, U256};
use tidepool_testkit::browser::{Chromium, InjectedWallet, Mode, Received};
use tidepool_testkit::cli::CliDevnet as Net;
use tidepool_testkit::wait_for;

const CHAIN: u64 = 31337;
/// The screenshots' group: `target/e2e-screenshots/cli-browser-wallet/`.
const SHOTS: &str = "cli-browser-wallet";
/// How long one command may take, the person's clicks in the page included.
const COMMAND_WITHIN: Duration = Duration::from_secs(120);

/// A `tidepool` run in progress: its stderr is read line by line (the page's
/// URL is on it), its stdout collected. Killed if dropped while running.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
    stderr: Option<JoinHandle<String>>,
    stdout: Option<JoinHandle<String>>,
}

/// How a run ended.
struct Finished {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        if !matches!(self.child.try_wait(), Ok(Some(_))) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Starts `tidepool --json --browser-wallet --from ME ARGS` against the devnet.
fn spawn(net: &Net, me: Address, args: &[&str]) -> Running {
    let me = me.to_string();
    let mut full = vec!["--json", "--browser-wallet", "--from", &me];
    full.extend_from_slice(args);
    let mut child = net
        .command(&full)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tidepool starts");
    let (tx, lines) = mpsc::channel();
    let err = BufReader::new(child.stderr.take().expect("piped stderr"));
    let stderr = std::thread::spawn(move || {
        let mut all = String::new();
        for line in err.lines().map_while(Result::ok) {
            all.push_str(&line);
            all.push('\n');
            let _ = tx.send(line);
        }
        all
    });
    let mut out = child.stdout.take().expect("piped stdout");
    let stdout = std::thread::spawn(move || {
        let mut all = String::new();
        let _ = out.read_to_string(&mut all);
        all
    });
    Running {
        child,
        lines,
        stderr: Some(stderr),
        stdout: Some(stdout),
    }
}

impl Running {
    /// Waits for the page's URL on stderr (after "open this page …").
    async fn page_url(&mut self) -> String {
        let mut seen = Vec::new();
        wait_for(
            "tidepool prints the browser-wallet page's URL",
            Duration::from_secs(60),
            async || {
                while let Ok(line) = self.lines.try_recv() {
                    let t = line.trim();
                    if t.starts_with("http://127.0.0.1:") && t.contains("/?token=") {
                        assert!(
                            seen.iter()
                                .any(|l: &String| l.contains("open this page in the browser")),
                            "the URL comes after its explanation: {seen:?}"
                        );
                        return Ok(t.to_string());
                    }
                    seen.push(line);
                }
                if let Ok(Some(status)) = self.child.try_wait() {
                    panic!("tidepool exited ({status}) without a page URL: {seen:?}");
                }
                Err(format!("stderr so far: {seen:?}"))
            },
        )
        .await
    }

    /// Waits for the run to end.
    async fn finish(mut self) -> Finished {
        let t = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("waiting for tidepool") {
                break status;
            }
            assert!(
                t.elapsed() < COMMAND_WITHIN,
                "tidepool did not finish within {COMMAND_WITHIN:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let join = |h: Option<JoinHandle<String>>| h.map(|h| h.join().unwrap()).unwrap_or_default();
        Finished {
            status,
            stdout: join(self.stdout.take()),
            stderr: join(self.stderr.take()),
        }
    }
}

/// One command through the browser wallet: run it, open its page, inject
/// the wallet (answering as `mode` says), pick it, and wait for the command
/// to end. Returns how it ended and what the wallet was asked; the page is
/// still open in `chrome` afterwards.
async fn through_browser(
    net: &Net,
    chrome: &Chromium,
    me: Address,
    mode: Mode,
    args: &[&str],
) -> (Finished, Vec<Received>) {
    let mut run = spawn(net, me, args);
    let url = run.page_url().await;
    chrome.open_bridge(&url).await;
    let wallet = InjectedWallet::inject(chrome, &[me], CHAIN, &net.rpc).await;
    wallet.set_mode(mode);
    wallet.click_wallet().await;
    chrome.wait_text("#wallet-text", "Test Wallet").await;
    let done = run.finish().await;
    let asked = wallet.received();
    (done, asked)
}

/// The command's JSON output, which must have succeeded.
fn ok_json(args: &str, done: &Finished) -> Value {
    assert!(
        done.status.success(),
        "{args}: {}\n{}",
        done.status,
        done.stderr
    );
    serde_json::from_str(&done.stdout).unwrap_or_else(|e| panic!("{args}: {e}: {}", done.stdout))
}

fn of<'a>(asked: &'a [Received], method: &str) -> Vec<&'a Received> {
    asked.iter().filter(|r| r.method == method).collect()
}

/// The hashes the wallet answered `eth_sendTransaction` with.
fn sent(asked: &[Received]) -> Vec<B256> {
    of(asked, "eth_sendTransaction")
        .iter()
        .map(|r| match &r.answer {
            Some(Ok(v)) => v.as_str().unwrap().parse().unwrap(),
            other => panic!("the wallet did not send: {other:?}"),
        })
        .collect()
}

fn tx_hash(v: &Value) -> B256 {
    v["tx"]
        .as_str()
        .unwrap_or_else(|| panic!("no tx in {v}"))
        .parse()
        .unwrap()
}

async fn balance_of(net: &Net, token: Address, who: Address) -> U256 {
    let c = net.client().await;
    TestToken::new(token, &c.provider)
        .balanceOf(who)
        .call()
        .await
        .unwrap()
}

/// Mined, successful, and sent from `me`.
async fn assert_mined_from(net: &Net, hash: B256, me: Address) {
    let r = net
        .client()
        .await
        .provider
        .get_transaction_receipt(hash)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{hash} is not mined"));
    assert_eq!(r.from, me, "{hash}");
    assert!(r.status(), "{hash} reverted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn swap_deposit_and_permit_withdrawal_through_the_browser_wallet() {
    let started = Instant::now();
    let net = Net::start();
    let chrome = Chromium::start().await;
    let me = dev_address(3);
    let usdc = net.token("USDC");
    let lp_token = net.manifest.pair(net.token("WETH"), usdc);

    // A swap: one transaction, sent by the wallet.
    let (n0, usdc0) = (net.nonce(me).await, balance_of(&net, usdc, me).await);
    let (done, asked) = through_browser(
        &net,
        &chrome,
        me,
        Mode::Forward,
        &["swap", "ETH", "USDC", "1"],
    )
    .await;
    let swap = ok_json("swap", &done);
    let hash = tx_hash(&swap);
    assert_eq!(sent(&asked), vec![hash], "{asked:?}");
    assert_mined_from(&net, hash, me).await;
    assert_eq!(net.nonce(me).await, n0 + 1);
    assert!(balance_of(&net, usdc, me).await > usdc0);
    chrome
        .wait_text("#log", &format!("Sent. Transaction {hash}"))
        .await;

    // A deposit (with whatever approval it needs): every transaction the
    // account made is one the wallet sent.
    let n1 = net.nonce(me).await;
    let (done, asked) = through_browser(
        &net,
        &chrome,
        me,
        Mode::Forward,
        &["liquidity", "add", "ETH", "USDC", "1"],
    )
    .await;
    let add = ok_json("liquidity add", &done);
    let hashes = sent(&asked);
    assert_eq!(hashes.last(), Some(&tx_hash(&add)), "{asked:?}");
    assert_eq!(net.nonce(me).await, n1 + hashes.len() as u64);
    for h in &hashes {
        assert_mined_from(&net, *h, me).await;
    }
    assert!(of(&asked, "eth_signTypedData_v4").is_empty());
    let lp = balance_of(&net, lp_token, me).await;
    assert!(lp > U256::ZERO);

    // The withdrawal: a permit signed in the wallet, then one transaction.
    let n2 = net.nonce(me).await;
    let (done, asked) = through_browser(
        &net,
        &chrome,
        me,
        Mode::Forward,
        &["liquidity", "remove", "ETH", "USDC", "--percent", "100"],
    )
    .await;
    let remove = ok_json("liquidity remove", &done);
    let typed = of(&asked, "eth_signTypedData_v4");
    assert_eq!(typed.len(), 1, "one permit signed in the wallet: {asked:?}");
    let params = &typed[0].params;
    assert_eq!(params[0].as_str().unwrap().parse::<Address>().unwrap(), me);
    let data: Value = serde_json::from_str(params[1].as_str().unwrap()).unwrap();
    assert_eq!(data["primaryType"], "Permit");
    assert_eq!(data["domain"]["name"], "Tidepool LP");
    assert!(matches!(typed[0].answer, Some(Ok(_))), "{:?}", typed[0]);
    assert_eq!(sent(&asked), vec![tx_hash(&remove)]);
    assert_eq!(net.nonce(me).await, n2 + 1, "the permit is no transaction");
    assert_mined_from(&net, tx_hash(&remove), me).await;
    assert_eq!(balance_of(&net, lp_token, me).await, U256::ZERO);
    assert_eq!(
        asked.len(),
        2,
        "nothing else asked of the wallet: {asked:?}"
    );

    // The page lists both requests with their outcomes.
    chrome.wait_text("#log", "Signed.").await;
    chrome
        .wait_text("#log", &format!("Sent. Transaction {}", tx_hash(&remove)))
        .await;
    let shot = chrome.screenshot(SHOTS, "after-removal").await;
    eprintln!("screenshot: {}", shot.display());

    chrome.stop().await;
    drop(net);
    eprintln!("took {:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejection_in_the_browser_wallet_sends_nothing() {
    let net = Net::start();
    let chrome = Chromium::start().await;
    let me = dev_address(3);
    let usdc = net.token("USDC");
    let c = net.client().await;
    let before = (
        net.nonce(me).await,
        c.provider.get_balance(me).await.unwrap(),
        balance_of(&net, usdc, me).await,
    );

    let (done, asked) = through_browser(
        &net,
        &chrome,
        me,
        Mode::Reject,
        &["swap", "ETH", "USDC", "1"],
    )
    .await;
    assert!(!done.status.success(), "{}", done.stdout);
    assert_eq!(
        done.stderr
            .matches("the request was rejected in the wallet; nothing was sent")
            .count(),
        1,
        "{}",
        done.stderr
    );
    let asks = of(&asked, "eth_sendTransaction");
    assert_eq!(asks.len(), 1, "asked once, not retried: {asked:?}");
    assert_eq!(
        asks[0].answer,
        Some(Err((4001, "User rejected the request.".into())))
    );
    chrome.wait_text("#log", "Rejected in the wallet").await;

    let after = (
        net.nonce(me).await,
        c.provider.get_balance(me).await.unwrap(),
        balance_of(&net, usdc, me).await,
    );
    assert_eq!(after, before);
    chrome.stop().await;
}
