//! No secret ever leaves the Rust side: not in any command's serialized
//! reply, not in an error, not in the logs, not in a Debug print.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::*;
use tidepool_app::views::{ExecuteSwap, TradeKind};
use tidepool_app::wallet::{CreateWallet, ImportSecret, ImportWallet};

const PHRASE: &str = "legal winner thank year wave sausage worth useful legal winner thank yellow";
const PASSWORD: &str = "s3cret-wallet-pass";
const KEY: &str = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
const KS_PASSWORD: &str = "keystore-pass-42";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_secret_in_any_reply_error_or_log() {
    let logs = Captured::default();
    let writer = logs.clone();
    tracing_subscriber::fmt()
        .with_env_filter("trace")
        .with_writer(move || writer.clone())
        .init();
    let app = App::start().await;
    let core = &app.core;
    let mut replies: Vec<String> = Vec::new();
    let mut keep = |label: &str, v: Result<String, tidepool_app::error::AppError>| {
        replies.push(format!(
            "{label}: {}",
            match v {
                Ok(s) => s,
                Err(e) => serde_json::to_string(&e).unwrap(),
            }
        ));
    };
    let json = |v: &dyn erased::Ser| v.json();

    let create = CreateWallet {
        label: "main".into(),
        phrase: PHRASE.into(),
        password: PASSWORD.into(),
    };
    assert!(!format!("{create:?}").contains("legal"));
    keep("create", core.wallet_create(create).map(|s| json(&s)));
    keep(
        "create-again",
        core.wallet_create(CreateWallet {
            label: "x".into(),
            phrase: PHRASE.into(),
            password: PASSWORD.into(),
        })
        .map(|s| json(&s)),
    );
    keep(
        "unlock-wrong",
        core.wallet_unlock(format!("{PASSWORD}x")).map(|s| json(&s)),
    );
    keep(
        "unlock",
        core.wallet_unlock(PASSWORD.into()).map(|s| json(&s)),
    );
    keep(
        "import-key-wrong-pass",
        core.wallet_import(ImportWallet {
            label: "k".into(),
            secret: ImportSecret::PrivateKey { key: KEY.into() },
            password: "wrong-pass-1".into(),
        })
        .map(|s| json(&s)),
    );
    keep(
        "import-key",
        core.wallet_import(ImportWallet {
            label: "k".into(),
            secret: ImportSecret::PrivateKey { key: KEY.into() },
            password: PASSWORD.into(),
        })
        .map(|s| json(&s)),
    );
    keep(
        "import-bad-key",
        core.wallet_import(ImportWallet {
            label: "k2".into(),
            secret: ImportSecret::PrivateKey {
                key: format!("{KEY}00"),
            },
            password: PASSWORD.into(),
        })
        .map(|s| json(&s)),
    );
    keep(
        "import-bad-phrase",
        core.wallet_import(ImportWallet {
            label: "p".into(),
            secret: ImportSecret::Mnemonic {
                phrase: PHRASE.replace("yellow", "zebra"),
                index: 3,
            },
            password: PASSWORD.into(),
        })
        .map(|s| json(&s)),
    );
    let ks = tempfile::tempdir().unwrap();
    let signer = tidepool_sdk::alloy::signers::local::PrivateKeySigner::random();
    tidepool_sdk::alloy::signers::local::PrivateKeySigner::encrypt_keystore(
        ks.path(),
        &mut rand::thread_rng(),
        signer.to_bytes(),
        KS_PASSWORD,
        Some("k.json"),
    )
    .unwrap();
    let ks_json = std::fs::read_to_string(ks.path().join("k.json")).unwrap();
    let ks_secret = tidepool_sdk::alloy::hex::encode(signer.to_bytes());
    keep(
        "import-ks-wrong",
        core.wallet_import(ImportWallet {
            label: "ks".into(),
            secret: ImportSecret::Keystore {
                json: ks_json.clone(),
                keystore_password: "nope-nope".into(),
            },
            password: PASSWORD.into(),
        })
        .map(|s| json(&s)),
    );
    keep(
        "import-ks",
        core.wallet_import(ImportWallet {
            label: "ks".into(),
            secret: ImportSecret::Keystore {
                json: ks_json,
                keystore_password: KS_PASSWORD.into(),
            },
            password: PASSWORD.into(),
        })
        .map(|s| json(&s)),
    );
    keep("state", core.wallet_state().map(|s| json(&s)));
    keep("status", core.status().map(|s| json(&s)));
    keep("settings", Ok(json(&core.settings())));
    // A weakening change with a wrong password, then the right one.
    let loose = tidepool_app::settings::Settings {
        slippage_bps: 2000,
        ..core.settings()
    };
    keep(
        "settings weakened, wrong password",
        core.settings_save(loose.clone(), Some("wrong-pass-2".into()))
            .map(|s| json(&s)),
    );
    keep(
        "settings weakened",
        core.settings_save(loose, Some(PASSWORD.into()))
            .map(|s| json(&s)),
    );
    keep("tokens", core.tokens_list().await.map(|s| json(&s)));
    app.use_dev(1);
    let q = core
        .swap_quote(app.quote_req("ETH", "USDC", units(1, 18), TradeKind::ExactIn))
        .await;
    keep("quote", q.clone().map(|s| json(&s)));
    let q = q.unwrap();
    keep(
        "simulate",
        core.swap_simulate(&q.id, None).await.map(|s| json(&s)),
    );
    keep(
        "execute",
        core.swap_execute(
            ExecuteSwap {
                quote_id: q.id,
                confirm_impact: false,
                fee: None,
            },
            &tidepool_app::txflow::Notify::none(),
        )
        .await
        .map(|s| json(&s)),
    );
    keep("positions", core.positions().await.map(|s| json(&s)));
    keep("history", core.history(50, 0).await.map(|s| json(&s)));
    keep("lock", core.wallet_lock().map(|s| json(&s)));

    let everything = format!(
        "{}\n{}",
        replies.join("\n"),
        String::from_utf8_lossy(&logs.0.lock().unwrap())
    );
    assert!(
        everything.contains("wrong wallet password"),
        "the checks ran: {everything}"
    );
    let dev_key = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    let dev1_key = "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
    let mut secrets = vec![
        PHRASE,
        PASSWORD,
        KEY,
        KS_PASSWORD,
        ks_secret.as_str(),
        dev_key,
        dev1_key,
        "legal winner",
        "wrong-pass-1",
        "nope-nope",
        "wrong-pass-2",
    ];
    let with_x = format!("{PASSWORD}x");
    secrets.push(&with_x);
    for s in secrets {
        assert!(
            !everything.to_lowercase().contains(&s.to_lowercase()),
            "a secret leaked: {s}"
        );
    }
    // Keystore files hold no plaintext either.
    for f in std::fs::read_dir(app.dir.path().join("data/wallet")).unwrap() {
        let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
        assert!(!text.contains(KEY) && !text.contains("legal") && !text.contains(&ks_secret));
    }
}

mod erased {
    /// Serializes any reply to JSON, as Tauri does.
    pub trait Ser {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Ser for T {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap()
        }
    }
}
