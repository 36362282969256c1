//! Runs the real `tidepool` binary against a real devnet it started itself.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use serde_json::Value;
use tidepool_sdk::chain::Client;
use tidepool_sdk::manifest::Manifest;
use tidepool_sdk::{Address, U256};

/// The binary under test.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_tidepool"))
}

/// `tidepool devnet --port 0` in a temporary directory, stopped with SIGTERM on drop.
pub struct Net {
    pub child: Child,
    /// The devnet's stdout after its first ("ready") line.
    pub stdout: BufReader<std::process::ChildStdout>,
    pub dir: PathBuf,
    _tmp: Option<tempfile::TempDir>,
    pub rpc: String,
    pub manifest_path: PathBuf,
    pub manifest: Manifest,
    pub ready: Value,
}

impl Net {
    pub fn start() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let mut net = Self::start_in(tmp.path(), &[]);
        net._tmp = Some(tmp);
        net
    }

    /// Starts in `dir` (kept by the caller).
    pub fn start_in(dir: &Path, extra: &[&str]) -> Self {
        let manifest_path = dir.join("deployments/31337.json");
        let mut child = Command::new(bin())
            .args(["--json", "devnet", "--port", "0"])
            .args(if extra.contains(&"--db") {
                &["--listen", "127.0.0.1:0"][..]
            } else {
                &["--no-index"][..]
            })
            .args(extra)
            .current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("TIDEPOOL_ANVIL", anvil())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("tidepool devnet starts");
        let mut line = String::new();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        stdout.read_line(&mut line).unwrap();
        let ready: Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("devnet said {line:?}: {e}"));
        assert_eq!(ready["ready"], true);
        let rpc = ready["rpc"].as_str().unwrap().to_string();
        let manifest = Manifest::load(&manifest_path).unwrap();
        Self {
            child,
            stdout,
            dir: dir.to_path_buf(),
            _tmp: None,
            rpc,
            manifest_path,
            manifest,
            ready,
        }
    }

    /// Runs `tidepool --rpc … --manifest … ARGS` in the devnet's directory.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_env(args, &[])
    }

    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = Command::new(bin());
        if !args.contains(&"--rpc") {
            cmd.args(["--rpc", &self.rpc]);
        }
        if !args.contains(&"--manifest") {
            cmd.arg("--manifest").arg(&self.manifest_path);
        }
        cmd.args(args);
        cmd.current_dir(&self.dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default());
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    }

    /// Runs a command that must succeed and prints JSON; returns the JSON.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut full = vec!["--json"];
        full.extend_from_slice(args);
        let out = self.run(&full);
        assert!(
            out.status.success(),
            "tidepool {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stdout)))
    }

    pub async fn client(&self) -> Client {
        Client::connect(&self.rpc).await.unwrap()
    }

    pub fn token(&self, symbol: &str) -> Address {
        self.manifest.token(symbol).unwrap().address
    }

    /// SIGTERM and wait (anvil saves --state then).
    pub fn stop(mut self) {
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        self.child.wait().unwrap();
    }
}

impl Drop for Net {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(Some(_))) {
            return;
        }
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let _ = self.child.wait();
    }
}

/// The pinned anvil of the checkout.
pub fn anvil() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    root.join("node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil")
}

pub fn u(v: &Value) -> U256 {
    v.as_str()
        .unwrap_or_else(|| panic!("{v} is not a string"))
        .parse()
        .unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}
