//! The wallet through the app's commands: create, import (key, phrase,
//! keystore), unlock with the right and wrong password, lock, select, a
//! keystore account that really signs on the devnet, and an auto-lock that
//! only a person's actions postpone. (Keystore files and the wrong-password
//! delay: `keystore.rs`.)

mod common;

use common::*;
use tidepool_app::error::ErrorKind;
use tidepool_app::views::TradeKind;
use tidepool_app::wallet::{AccountKind, CreateWallet, ImportSecret, ImportWallet};
use tidepool_sdk::alloy::network::TransactionBuilder;
use tidepool_sdk::alloy::rpc::types::TransactionRequest;
use tidepool_sdk::alloy::signers::local::PrivateKeySigner;
use tidepool_sdk::chain::Client;
use tidepool_sdk::{Address, signer};

/// BIP-39's test vector: account 0 of "abandon … about".
const PHRASE: &str =
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const PHRASE_ADDRESS: &str = "0x9858EfFD232B4033E47d90003D41EC34EcaEda94";
const PASSWORD: &str = "correct horse battery";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_lock_unlock_import_and_sign() {
    let app = App::start().await;
    let core = &app.core;
    let s = core.wallet_state().unwrap();
    assert!(!s.has_keystore && !s.unlocked && s.active.is_none());
    let dev: Vec<_> = s
        .accounts
        .iter()
        .filter(|a| a.kind == AccountKind::Dev)
        .collect();
    assert_eq!(dev.len(), 10);
    assert!(dev.iter().all(|a| a.test_only));

    // Refusals first: bad phrase, short password, no label.
    let bad = |phrase: &str, password: &str, label: &str| CreateWallet {
        label: label.into(),
        phrase: phrase.into(),
        password: password.into(),
    };
    let e = core
        .wallet_create(bad("abandon abandon about", PASSWORD, "main"))
        .unwrap_err();
    assert!(
        e.message.contains("12, 15, 18, 21 or 24 words"),
        "{}",
        e.message
    );
    let e = core
        .wallet_create(bad(&PHRASE.replace("about", "abandon"), PASSWORD, "main"))
        .unwrap_err();
    assert!(e.message.contains("not a valid BIP-39"), "{}", e.message);
    let e = core
        .wallet_create(bad(PHRASE, "short", "main"))
        .unwrap_err();
    assert!(e.message.contains("at least 8"), "{}", e.message);
    let e = core.wallet_create(bad(PHRASE, PASSWORD, " ")).unwrap_err();
    assert!(e.message.contains("name"), "{}", e.message);
    assert!(
        !core.wallet_state().unwrap().has_keystore,
        "nothing was stored"
    );

    let s = core.wallet_create(bad(PHRASE, PASSWORD, "main")).unwrap();
    assert!(s.has_keystore && s.unlocked);
    assert_eq!(s.active.as_deref(), Some(PHRASE_ADDRESS));
    let files: Vec<_> = std::fs::read_dir(app.dir.path().join("data/wallet"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(
        files.contains(&"accounts.json".to_string()) && files.len() == 2,
        "{files:?}"
    );
    let e = core
        .wallet_create(bad(PHRASE, PASSWORD, "again"))
        .unwrap_err();
    assert!(e.message.contains("already in the wallet"), "{}", e.message);

    // Lock, wrong password, right password.
    let s = core.wallet_lock().unwrap();
    assert!(!s.unlocked && s.active.is_none());
    let e = core.wallet_unlock("wrong password!".into()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Wallet);
    assert!(e.message.contains("wrong wallet password"));
    assert!(!core.wallet_state().unwrap().unlocked);
    let s = core.wallet_unlock(PASSWORD.into()).unwrap();
    assert_eq!(s.active.as_deref(), Some(PHRASE_ADDRESS));

    // Imports: a private key (needs the same wallet password), a phrase index, a keystore.
    let key = PrivateKeySigner::random();
    let key_hex = format!("0x{}", tidepool_sdk::alloy::hex::encode(key.to_bytes()));
    let import = |secret, password: &str| ImportWallet {
        label: "imported".into(),
        secret,
        password: password.into(),
    };
    let e = core
        .wallet_import(import(
            ImportSecret::PrivateKey {
                key: key_hex.clone(),
            },
            "another password",
        ))
        .unwrap_err();
    assert!(e.message.contains("wrong wallet password"), "{}", e.message);
    let e = core
        .wallet_import(import(
            ImportSecret::PrivateKey {
                key: "0x1234".into(),
            },
            PASSWORD,
        ))
        .unwrap_err();
    assert!(e.message.contains("64 hexadecimal digits"), "{}", e.message);
    let s = core
        .wallet_import(import(
            ImportSecret::PrivateKey {
                key: key_hex.clone(),
            },
            PASSWORD,
        ))
        .unwrap();
    assert_eq!(s.active, Some(key.address().to_checksum(None)));
    let s = core
        .wallet_import(ImportWallet {
            label: "second".into(),
            secret: ImportSecret::Mnemonic {
                phrase: PHRASE.into(),
                index: 1,
            },
            password: PASSWORD.into(),
        })
        .unwrap();
    let second = s.active.clone().unwrap();
    assert_ne!(second, PHRASE_ADDRESS);
    let ks_dir = tempfile::tempdir().unwrap();
    let ks_key = PrivateKeySigner::random();
    PrivateKeySigner::encrypt_keystore(
        ks_dir.path(),
        &mut rand::thread_rng(),
        ks_key.to_bytes(),
        "keystore pass",
        Some("k.json"),
    )
    .unwrap();
    let json = std::fs::read_to_string(ks_dir.path().join("k.json")).unwrap();
    let e = core
        .wallet_import(ImportWallet {
            label: "ks".into(),
            secret: ImportSecret::Keystore {
                json: json.clone(),
                keystore_password: "nope".into(),
            },
            password: PASSWORD.into(),
        })
        .unwrap_err();
    assert!(e.message.contains("keystore's password"), "{}", e.message);
    let e = core
        .wallet_import(ImportWallet {
            label: "ks".into(),
            secret: ImportSecret::Keystore {
                json: "{\"x\":1}".into(),
                keystore_password: "nope".into(),
            },
            password: PASSWORD.into(),
        })
        .unwrap_err();
    assert!(e.message.contains("not a keystore V3"), "{}", e.message);
    let s = core
        .wallet_import(ImportWallet {
            label: "ks".into(),
            secret: ImportSecret::Keystore {
                json,
                keystore_password: "keystore pass".into(),
            },
            password: PASSWORD.into(),
        })
        .unwrap();
    assert_eq!(s.active, Some(ks_key.address().to_checksum(None)));
    assert_eq!(
        s.accounts
            .iter()
            .filter(|a| a.kind == AccountKind::Keystore)
            .count(),
        4
    );
    // The imported keystore is re-encrypted with the wallet password: unlock opens all four.
    core.wallet_lock().unwrap();
    let s = core.wallet_unlock(PASSWORD.into()).unwrap();
    assert!(s.unlocked);
    core.wallet_select(&second).unwrap();
    let e = core
        .wallet_select("0x000000000000000000000000000000000000dEaD")
        .unwrap_err();
    assert!(
        e.message.contains("not an account of this wallet"),
        "{}",
        e.message
    );

    // The keystore account signs: fund it from dev account 1, then swap.
    let funder = Client::connect(&app.url()).await.unwrap();
    let funder = funder
        .with_signer(&signer::SignerSource::DevAccount(1).load(31337).unwrap())
        .unwrap();
    let to: Address = second.parse().unwrap();
    tidepool_sdk::deploy::send(
        &funder,
        TransactionRequest::default()
            .with_to(to)
            .with_value(units(5, 18)),
    )
    .await
    .unwrap();
    let q = app
        .quote("ETH", "USDC", units(1, 18), TradeKind::ExactIn)
        .await
        .unwrap();
    app.execute(&q.id.clone(), false).await.unwrap();
    assert_eq!(app.balance("USDC", to).await, u(&q.amount_out));
    // Locked, it cannot sign, and says so.
    core.wallet_lock().unwrap();
    let q = app
        .quote("ETH", "USDC", units(1, 18), TradeKind::ExactIn)
        .await
        .unwrap();
    let e = app.execute(&q.id, false).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Wallet, "{}", e.message);
}

/// Only a person's actions postpone the auto-lock: quotes refreshed and
/// balances, pools, positions, history and status polled as often as the UI
/// does keep nothing unlocked, while choosing an account (a user action) does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quotes_and_polling_do_not_postpone_the_auto_lock() {
    use std::time::{Duration, Instant};
    use tidepool_app::views::AddRequest;

    let app = App::start().await;
    let core = &app.core;
    let key = PrivateKeySigner::random();
    let s = core
        .wallet_import(ImportWallet {
            label: "idle".into(),
            secret: ImportSecret::PrivateKey {
                key: tidepool_sdk::alloy::hex::encode(key.to_bytes()),
            },
            password: PASSWORD.into(),
        })
        .unwrap();
    let me = s.active.unwrap();
    let idle = Duration::from_millis(1200);
    core.set_auto_lock_after(idle);
    let poll = || async {
        let q = app
            .quote("ETH", "USDC", units(1, 18), TradeKind::ExactIn)
            .await;
        let add = AddRequest {
            token_a: "ETH".into(),
            token_b: app.token("USDC"),
            amount_a: units(1, 18).to_string(),
            amount_b: None,
            fee: None,
        };
        let _ = core.liquidity_quote_add(add).await;
        let _ = core.status();
        let _ = core.tokens_list().await;
        let _ = core.pools_list().await;
        let _ = core.positions().await;
        let _ = core.history(20, 0).await;
        q.is_ok()
    };

    // Polling plus a user action every 300 ms: unlocked for twice the idle time.
    let t = Instant::now();
    while t.elapsed() < idle * 2 {
        core.wallet_select(&me).unwrap();
        assert!(poll().await, "quotes work");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    assert!(
        core.wallet_state().unwrap().unlocked,
        "user actions kept it"
    );

    // Polling alone: it locks once the idle time is up (the auto-lock looks
    // every 400 ms), though quotes keep succeeding meanwhile.
    let last_action = Instant::now();
    core.wallet_select(&me).unwrap();
    let mut quotes = 0;
    while core.wallet_state().unwrap().unlocked {
        assert!(
            last_action.elapsed() < idle + Duration::from_secs(3),
            "still unlocked {:?} after the last user action",
            last_action.elapsed()
        );
        quotes += usize::from(poll().await);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let locked_after = last_action.elapsed();
    assert!(locked_after >= idle, "{locked_after:?}");
    assert!(quotes >= 3, "quotes kept coming: {quotes}");
    assert_eq!(core.wallet_state().unwrap().active, None);
}
