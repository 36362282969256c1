//! The bridge end to end: the real page in headless Chromium (Debian's
//! chromium + chromedriver), a stand-in wallet extension announced through
//! EIP-6963, and real anvil signing and sending. Screenshots go to
//! `target/e2e-screenshots/bridge/`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};
use tidepool_bridge::{BridgeError, BridgeOptions, BrowserBridge};
use tidepool_sdk::alloy::dyn_abi::TypedData;
use tidepool_sdk::alloy::rpc::types::TransactionRequest;
use tidepool_sdk::signer::dev_address;
use tidepool_sdk::wallet::{Eip1193, RequestError, WalletFailure, WalletSigner};
use tidepool_sdk::{Address, Error, U256};
use tidepool_testkit::DevnetFixture;
use tidepool_testkit::browser::{Chromium, InjectedWallet, Mode, WALLET_RDNS, rpc};

const CHAIN: u64 = 31337;
/// The screenshots' group: `target/e2e-screenshots/bridge/`.
const SHOTS: &str = "bridge";

fn permit(owner: Address, spender: Address, contract: Address) -> Value {
    json!({
        "types": {
            "EIP712Domain": [
                { "name": "name", "type": "string" },
                { "name": "version", "type": "string" },
                { "name": "chainId", "type": "uint256" },
                { "name": "verifyingContract", "type": "address" }
            ],
            "Permit": [
                { "name": "owner", "type": "address" },
                { "name": "spender", "type": "address" },
                { "name": "value", "type": "uint256" },
                { "name": "nonce", "type": "uint256" },
                { "name": "deadline", "type": "uint256" }
            ]
        },
        "primaryType": "Permit",
        "domain": { "name": "Tidepool LP", "version": "1", "chainId": CHAIN, "verifyingContract": contract },
        "message": {
            "owner": owner, "spender": spender, "value": "1000000000000000000",
            "nonce": "0", "deadline": "1893456000"
        }
    })
}

async fn u256(http: &reqwest::Client, url: &str, method: &str, who: Address) -> U256 {
    let v = rpc(http, url, method, json!([who, "latest"]))
        .await
        .unwrap();
    v.as_str().unwrap().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_relays_requests_to_a_browser_wallet() {
    let started = Instant::now();
    let fx = DevnetFixture::start().await;
    let anvil = fx.url().to_string();
    let http = reqwest::Client::new();
    let (me, you) = (dev_address(1), dev_address(2));

    let bridge = BrowserBridge::start(BridgeOptions {
        port: None,
        request_timeout: Duration::from_secs(30),
    })
    .await
    .unwrap();
    assert_eq!(bridge.describe(), "the browser wallet (not connected yet)");
    assert!(matches!(
        bridge.wait_connected(Duration::from_millis(100)).await,
        Err(BridgeError::TimedOut { .. })
    ));
    assert!(!bridge.status().page_open);

    // The page, first without any wallet.
    let chrome = Chromium::start().await;
    chrome.open_bridge(&bridge.url()).await;
    chrome.wait_text("#pick-hint", "No wallet found").await;

    // The extension arrives late and announces itself; the page lists it.
    let wallet = InjectedWallet::inject(&chrome, &[me, you], CHAIN, &anvil).await;
    let button = wallet.wallet_button().await;
    assert_eq!(button.text().await.unwrap(), "Test Wallet");
    chrome.screenshot(SHOTS, "01-pick").await;
    button.click().await.unwrap();

    let info = bridge
        .wait_connected(Duration::from_secs(15))
        .await
        .unwrap();
    assert_eq!(info.name, "Test Wallet");
    assert_eq!(info.rdns.as_deref(), Some(WALLET_RDNS));
    assert_eq!((info.accounts[0], info.chain_id), (me, Some(CHAIN)));
    assert_eq!(bridge.describe(), "the browser wallet Test Wallet");
    assert!(bridge.status().page_open);
    chrome.wait_text("#wallet-text", "Test Wallet").await;

    // (1) the chain, (2) a transfer, (3) a typed-data signature, all through
    // WalletSigner as Tidepool uses it.
    let signer = WalletSigner::connect(Arc::new(bridge.clone()), Some(me))
        .await
        .unwrap();
    assert_eq!(signer.chain_id().await.unwrap(), CHAIN);

    let before = u256(&http, &anvil, "eth_getBalance", you).await;
    let tx = TransactionRequest::default().to(you).value(U256::from(1));
    let hash = signer.send_transaction(CHAIN, &tx).await.unwrap();
    let receipt = rpc(&http, &anvil, "eth_getTransactionReceipt", json!([hash]))
        .await
        .unwrap();
    assert_eq!(receipt["transactionHash"], json!(hash));
    assert_eq!(receipt["status"], json!("0x1"));
    assert_eq!(receipt["from"], json!(me.to_string().to_lowercase()));
    let after = u256(&http, &anvil, "eth_getBalance", you).await;
    assert_eq!(after, before + U256::from(1));
    let shown = format!("Sent. Transaction {}", json!(hash).as_str().unwrap());
    chrome.wait_text("#log", &shown).await;

    let m = &fx.devnet.manifest;
    let typed: TypedData = serde_json::from_value(permit(me, m.router, m.factory)).unwrap();
    signer.sign_typed_data(CHAIN, &typed).await.unwrap();
    chrome.wait_text("#log", "Signed.").await;
    let shot = chrome.screenshot(SHOTS, "02-sent-and-signed").await;
    eprintln!("screenshot: {}", shot.display());

    // (4) the person rejects: a typed error, nothing sent.
    wallet.set_mode(Mode::Reject);
    let nonce = u256(&http, &anvil, "eth_getTransactionCount", me).await;
    let err = signer.send_transaction(CHAIN, &tx).await.unwrap_err();
    assert!(
        matches!(&err, Error::Wallet { failure: WalletFailure::Rejected, wallet } if wallet == "the browser wallet Test Wallet"),
        "{err:?}"
    );
    assert_eq!(
        u256(&http, &anvil, "eth_getTransactionCount", me).await,
        nonce
    );
    chrome.wait_text("#log", "Rejected in the wallet").await;

    // (5) refusals.
    refusals(&bridge, &http).await;

    // An answer counts once: Tidepool's caller gets the first one.
    wallet.set_mode(Mode::Hold);
    let asking = bridge.clone();
    let params = json!([{ "from": me, "to": you, "value": "0x1" }]);
    let caller = tokio::spawn(async move { asking.request("eth_sendTransaction", params).await });
    let held = wallet.wait_held().await;
    assert_eq!(held.method, "eth_sendTransaction");
    let pending = bridge.status().pending;
    assert_eq!(pending.len(), 1);
    assert!(pending[0].delivered);
    let id = pending[0].id.clone();
    let (first, second) = (
        format!("0x{}", "11".repeat(32)),
        format!("0x{}", "22".repeat(32)),
    );
    let answer = |result: &str| {
        http.post(format!("{}/api/answer", bridge.origin()))
            .header(BrowserBridge::TOKEN_HEADER, bridge.token())
            .json(&json!({ "id": id, "result": result }))
            .send()
    };
    assert_eq!(
        answer(&first).await.unwrap().status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        answer(&second).await.unwrap().status(),
        StatusCode::CONFLICT
    );
    assert_eq!(caller.await.unwrap(), Ok(json!(first)));
    // The wallet's own late answer is refused too, and the page says so.
    wallet
        .settle(held.id, Err((4001, "User rejected the request.")))
        .await;
    chrome
        .wait_text("#log", "no longer waits for this request")
        .await;

    // (6) a request the wallet never answers times out.
    let text = serde_json::to_string(&typed).unwrap();
    let t = Instant::now();
    let timed_out = bridge
        .request_with_timeout(
            "eth_signTypedData_v4",
            json!([me, text]),
            Duration::from_secs(2),
        )
        .await;
    assert_eq!(timed_out, Err(RequestError::TimedOut { secs: 2 }));
    assert!(t.elapsed() < Duration::from_secs(4), "{:?}", t.elapsed());
    assert!(bridge.status().pending.is_empty());
    let held = wallet.wait_held().await;
    chrome
        .wait_text("#log", "Tidepool stopped waiting after 2 s")
        .await;
    chrome.screenshot(SHOTS, "03-rejected-and-timed-out").await;
    wallet
        .settle(held.id, Ok(json!(format!("0x{}", "33".repeat(65)))))
        .await;
    chrome
        .wait_text("#log li", "later answer was not used")
        .await;

    // Shutting down tells the page (waiting in its request for work by now)
    // and fails every later request.
    tokio::time::sleep(Duration::from_millis(500)).await;
    bridge.shutdown().await;
    let closed = bridge.request("eth_chainId", json!([])).await;
    assert!(matches!(closed, Err(RequestError::Closed(_))), "{closed:?}");
    chrome
        .wait_text("#status", "Tidepool closed this bridge")
        .await;
    chrome.wait_text("#connected-title", "Was connected").await;
    chrome.screenshot(SHOTS, "04-closed").await;

    chrome.stop().await;
    eprintln!("bridge browser test took {:?}", started.elapsed());
}

/// Wrong or missing token, a foreign origin or host, an oversized body, an
/// unknown id: all refused, and every response carries the strict headers.
async fn refusals(bridge: &BrowserBridge, http: &reqwest::Client) {
    let o = bridge.origin();
    let tok = BrowserBridge::TOKEN_HEADER;
    let status = |r: reqwest::Response| r.status();

    let page = http.get(bridge.url()).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let h = page.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert_eq!(h["cache-control"], "no-store");
    let html = page.text().await.unwrap();
    assert!(!html.contains("<script>") && html.contains("src=\"/app.js\""));

    let forbidden = StatusCode::FORBIDDEN;
    let get = |path: &str| http.get(format!("{o}{path}"));
    assert_eq!(status(get("/?token=00").send().await.unwrap()), forbidden);
    assert_eq!(status(get("/").send().await.unwrap()), forbidden);
    assert_eq!(status(get("/api/next").send().await.unwrap()), forbidden);
    let wrong = get("/api/next").header(tok, "ab".repeat(32));
    assert_eq!(status(wrong.send().await.unwrap()), forbidden);
    let post = |path: &str| http.post(format!("{o}{path}"));
    let body = json!({ "id": "x", "result": "0x" });
    let wrong = post("/api/answer").header(tok, "ab".repeat(32)).json(&body);
    assert_eq!(status(wrong.send().await.unwrap()), forbidden);
    let evil = post("/api/answer")
        .header(tok, bridge.token())
        .header("Origin", "http://evil.example")
        .json(&body);
    let r = evil.send().await.unwrap();
    assert_eq!(r.status(), forbidden);
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    let host = get("/api/next")
        .header(tok, bridge.token())
        .header("Host", "evil.example");
    assert_eq!(status(host.send().await.unwrap()), forbidden);

    let ok = |r: reqwest::RequestBuilder| r.header(tok, bridge.token());
    let unknown = ok(post("/api/answer")).json(&body).send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::CONFLICT);
    let huge = json!({ "id": "x", "result": "0".repeat(100_000) });
    let r = ok(post("/api/answer")).json(&huge).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let both = json!({ "id": "x", "result": "0x", "error": { "code": 1, "message": "m" } });
    let r = ok(post("/api/answer")).json(&both).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let same_origin = ok(post("/api/answer")).header("Origin", o).json(&body);
    assert_eq!(
        status(same_origin.send().await.unwrap()),
        StatusCode::CONFLICT
    );
}
