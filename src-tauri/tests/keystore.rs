//! The wallet's keystores and password checks, without a node: private files
//! at geth's standard scrypt cost, keystore imports decrypted in memory, and
//! the growing delay after wrong passwords.

use std::path::Path;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use tidepool_app::core::{Core, Dirs};
use tidepool_app::error::{AppResult, ErrorKind};
use tidepool_app::wallet::{ImportSecret, ImportWallet, WalletState};
use tidepool_sdk::alloy::signers::local::PrivateKeySigner;
use tidepool_sdk::keystore::{self, ScryptCost};

const PASSWORD: &str = "correct horse battery";

fn core(dir: &Path) -> Arc<Core> {
    Core::new(Dirs {
        config: dir.join("config"),
        data: dir.join("data"),
        downloads: dir.join("downloads"),
    })
    .unwrap()
}

fn import_key(core: &Core, key: &PrivateKeySigner, password: &str) -> AppResult<WalletState> {
    core.wallet_import(ImportWallet {
        label: "key".into(),
        secret: ImportSecret::PrivateKey {
            key: tidepool_sdk::alloy::hex::encode(key.to_bytes()),
        },
        password: password.into(),
    })
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let out = f();
    (out, t.elapsed())
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn keystores_are_private_at_the_standard_cost_and_imports_stay_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path());
    let key = PrivateKeySigner::random();
    let (s, took) = timed(|| import_key(&core, &key, PASSWORD).unwrap());
    eprintln!("import into an empty wallet (one encryption): {took:.2?}");
    assert!(s.unlocked);
    let vault = dir.path().join("data/wallet");
    let file = |a: &PrivateKeySigner| {
        let hex = format!("{:x}", a.address());
        vault.join(format!("{}.json", hex.trim_start_matches("0x")))
    };
    let cost = |p: &Path| keystore::scrypt_cost(&std::fs::read_to_string(p).unwrap()).unwrap();
    assert_eq!(cost(&file(&key)), Some(keystore::STANDARD));
    #[cfg(unix)]
    {
        assert_eq!(mode(&vault), 0o700, "the vault directory");
        assert_eq!(
            mode(&vault.join("accounts.json")),
            0o600,
            "the account list"
        );
        assert_eq!(mode(&file(&key)), 0o600, "the keystore");
    }

    // A keystore made elsewhere at a light cost: opened in memory (wrong
    // password first), stored again at the standard cost.
    let other = PrivateKeySigner::random();
    let light = ScryptCost {
        log_n: 10,
        r: 8,
        p: 1,
    };
    let json = keystore::encrypt(&other.to_bytes().0, "keystore pass", light).unwrap();
    let import_json = |keystore_password: &str| {
        core.wallet_import(ImportWallet {
            label: "from a file".into(),
            secret: ImportSecret::Keystore {
                json: json.clone(),
                keystore_password: keystore_password.into(),
            },
            password: PASSWORD.into(),
        })
    };
    let e = import_json("not it").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Wallet);
    assert!(e.message.contains("keystore's password"), "{}", e.message);
    let (s, took) = timed(|| import_json("keystore pass").unwrap());
    eprintln!("import into an unlocked wallet (check + encryption): {took:.2?}");
    assert_eq!(s.active, Some(other.address().to_checksum(None)));
    assert_eq!(cost(&file(&other)), Some(keystore::STANDARD));
    let mut names: Vec<String> = std::fs::read_dir(&vault)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let mut expected = vec![
        "accounts.json".to_string(),
        file(&key)
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .to_string(),
        file(&other)
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .to_string(),
    ];
    expected.sort();
    assert_eq!(names, expected, "no temporary file is left in the vault");
    #[cfg(unix)]
    {
        assert_eq!(mode(&vault.join("accounts.json")), 0o600);
        assert_eq!(mode(&file(&other)), 0o600);
    }

    // Unlocking both: the first alone, then the other.
    core.wallet_lock().unwrap();
    let (s, took) = timed(|| core.wallet_unlock(PASSWORD.into()).unwrap());
    eprintln!("unlock of 2 accounts: {took:.2?}");
    assert!(s.unlocked);
}

/// Tries the right password every 50 ms while `busy` runs; returns each
/// refusal's message and how long it took. Stops at the first admitted try.
fn refusals_while(core: &Core, busy: &thread::JoinHandle<impl Send>) -> Vec<(String, Duration)> {
    let mut seen = Vec::new();
    // Let the busy try be admitted first.
    thread::sleep(Duration::from_millis(100));
    while !busy.is_finished() {
        thread::sleep(Duration::from_millis(50));
        match timed(|| core.wallet_unlock(PASSWORD.into())) {
            (Err(e), took) => seen.push((e.message, took)),
            (Ok(_), _) => break,
        }
    }
    seen
}

#[test]
fn wrong_passwords_wait_longer_each_time_and_the_right_one_resets() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path());
    import_key(&core, &PrivateKeySigner::random(), PASSWORD).unwrap();
    core.wallet_lock().unwrap();

    // A first typo: answered as soon as the key derivation says so.
    let (e, first) = timed(|| core.wallet_unlock("wrong password 1".into()).unwrap_err());
    assert!(e.message.contains("wrong wallet password"), "{}", e.message);
    eprintln!("first wrong password answered in {first:.2?}");

    // The second in a row is held back 1 s; tries meanwhile are refused at once.
    let c = core.clone();
    let second = thread::spawn(move || timed(|| c.wallet_unlock("wrong password 2".into())));
    let refused = refusals_while(&core, &second);
    let (out, took) = second.join().unwrap();
    let e = out.unwrap_err();
    assert!(e.message.contains("wrong wallet password"), "{}", e.message);
    assert!(took >= Duration::from_secs(1), "held back: {took:?}");
    eprintln!("second wrong password answered in {took:.2?}");
    assert!(!refused.is_empty(), "tries came while the second ran");
    for (message, t) in &refused {
        assert!(t < &Duration::from_millis(250), "refused at once: {t:?}");
        assert!(
            message.contains("being checked") || message.contains("before trying again"),
            "{message}"
        );
    }
    assert!(
        refused
            .iter()
            .any(|(m, _)| m.contains("wrong 2 times in a row: wait 1 s before trying again")),
        "{refused:?}"
    );

    // The right password unlocks and resets the count: a wrong one after it
    // is answered without a wait (a third in a row would wait 2 s).
    let s = core.wallet_unlock(PASSWORD.into()).unwrap();
    assert!(s.unlocked);
    core.wallet_lock().unwrap();
    let c = core.clone();
    let again = thread::spawn(move || c.wallet_unlock("wrong password 3".into()));
    let refused = refusals_while(&core, &again);
    assert!(again.join().unwrap().is_err());
    assert!(
        refused.iter().all(|(m, _)| m.contains("being checked")),
        "no wait after a reset: {refused:?}"
    );
}

#[test]
fn settings_that_weaken_protection_need_the_wallet_password() {
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path());
    let s0 = core.settings();
    // Without a keystore there is no password to ask: a 20% slippage saves.
    let loose = tidepool_app::settings::Settings {
        slippage_bps: 2000,
        ..s0.clone()
    };
    core.settings_save(loose.clone(), None).unwrap();
    core.settings_save(s0.clone(), None).unwrap();
    import_key(&core, &PrivateKeySigner::random(), PASSWORD).unwrap();
    // Tightening or harmless changes need nothing.
    let tighter = tidepool_app::settings::Settings {
        slippage_bps: 10,
        deadline_mins: 5,
        ..s0.clone()
    };
    core.settings_save(tighter, None).unwrap();
    // Each weakening change is refused without the password, saved with it.
    let weaker = [
        tidepool_app::settings::Settings {
            slippage_bps: 2000,
            ..s0.clone()
        },
        tidepool_app::settings::Settings {
            allow_high_impact: true,
            ..s0.clone()
        },
        tidepool_app::settings::Settings {
            rpc_url: "http://127.0.0.1:9".into(),
            ..s0.clone()
        },
        tidepool_app::settings::Settings {
            chain_id: 1,
            ..s0.clone()
        },
    ];
    for w in weaker {
        let before = core.settings();
        let e = core.settings_save(w.clone(), None).unwrap_err();
        assert_eq!(e.kind, ErrorKind::PasswordRequired, "{}", e.message);
        assert!(
            e.message.contains("enter the wallet password"),
            "{}",
            e.message
        );
        assert_eq!(core.settings(), before, "nothing saved");
        let e = core
            .settings_save(w.clone(), Some("not the password".into()))
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Wallet, "{}", e.message);
        assert_eq!(core.settings(), before, "nothing saved");
        // The first typo costs no wait; keep it that way for the next round.
        core.settings_save(w.clone(), Some(PASSWORD.into()))
            .unwrap();
        assert_eq!(core.settings(), w);
        core.settings_save(before, Some(PASSWORD.into())).unwrap();
    }
}
