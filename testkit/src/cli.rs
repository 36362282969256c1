//! The built `tidepool` binary, and `tidepool devnet` run from it.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Output, Stdio};

use serde_json::Value;
use tidepool_sdk::alloy;
use tidepool_sdk::chain::Client;
use tidepool_sdk::manifest::Manifest;
use tidepool_sdk::{Address, U256};

/// A workspace binary built beside the running test or example: in
/// `target/<profile>/` above `current_exe()` (`deps/` or `examples/`). Panics,
/// saying to build `package`, when it is not there.
pub fn workspace_bin(name: &str, package: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test knows its own path");
    let file = format!("{name}{}", std::env::consts::EXE_SUFFIX);
    exe.ancestors()
        .skip(1)
        .take(3)
        .map(|dir| dir.join(&file))
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "no `{name}` binary beside {}: build it first with `cargo build -p {package}` \
                 (`cargo nextest run --workspace` builds every workspace binary)",
                exe.display()
            )
        })
}

/// The `tidepool` binary (package `tidepool-cli`) beside the running test.
pub fn tidepool_bin() -> PathBuf {
    workspace_bin("tidepool", "tidepool-cli")
}

/// `tidepool --json devnet --port 0` in a directory (a temporary one, or the
/// caller's), stopped with SIGTERM on drop. Without `--db` among the extra
/// arguments it runs with `--no-index`; with it, its HTTP API listens on a
/// free port (its address is the second JSON line: [`CliDevnet::read_json`]).
pub struct CliDevnet {
    /// The `tidepool devnet` process.
    pub child: Child,
    /// The devnet's stdout after its first ("ready") line.
    pub stdout: BufReader<ChildStdout>,
    /// The directory it runs in (the manifest is `deployments/31337.json` there).
    pub dir: PathBuf,
    _tmp: Option<tempfile::TempDir>,
    /// anvil's RPC URL.
    pub rpc: String,
    /// The manifest's path.
    pub manifest_path: PathBuf,
    /// The manifest.
    pub manifest: Manifest,
    /// The "ready" line.
    pub ready: Value,
}

impl CliDevnet {
    /// Starts in a temporary directory, without the indexer.
    pub fn start() -> Self {
        let tmp = tempfile::tempdir().expect("a temporary directory");
        let mut net = Self::start_in(tmp.path(), &[]);
        net._tmp = Some(tmp);
        net
    }

    /// Starts in `dir` (kept by the caller) with `extra` arguments.
    pub fn start_in(dir: &Path, extra: &[&str]) -> Self {
        let manifest_path = dir.join("deployments/31337.json");
        let mut child = Command::new(tidepool_bin())
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
            .env("TIDEPOOL_ANVIL", crate::anvil())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("tidepool devnet starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let ready = read_json(&mut stdout);
        assert_eq!(ready["ready"], true, "{ready}");
        let rpc = ready["rpc"].as_str().expect("the RPC URL").to_string();
        let manifest = Manifest::load(&manifest_path).expect("the devnet saved its manifest");
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

    /// Reads the devnet's next line of JSON from its stdout.
    pub fn read_json(&mut self) -> Value {
        read_json(&mut self.stdout)
    }

    /// Runs `tidepool --rpc … --manifest … ARGS` in the devnet's directory.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_env(args, &[])
    }

    /// [`CliDevnet::run`] with extra environment variables (on a cleared
    /// environment). Inside a multi-threaded tokio runtime the wait is
    /// marked blocking, so the runtime's other tasks (a proxy, a server)
    /// keep running.
    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = self.command(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let multi_thread = tokio::runtime::Handle::try_current()
            .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
        if multi_thread {
            tokio::task::block_in_place(|| cmd.output())
        } else {
            cmd.output()
        }
        .expect("tidepool runs")
    }

    /// Asks the devnet's anvil `method` (e.g. `evm_mine`, `evm_setAutomine`).
    pub async fn rpc(&self, method: &'static str, params: Value) -> Value {
        use alloy::providers::Provider;
        self.client()
            .await
            .provider
            .raw_request::<_, Value>(std::borrow::Cow::Borrowed(method), params)
            .await
            .unwrap_or_else(|e| panic!("{method}: {e}"))
    }

    /// `who`'s nonce at the latest block.
    pub async fn nonce(&self, who: Address) -> u64 {
        use alloy::providers::Provider;
        self.client()
            .await
            .provider
            .get_transaction_count(who)
            .await
            .expect("the devnet answers")
    }

    /// Waits (up to a minute) until `who` has more than `count`
    /// transactions counting the mempool's: one was sent.
    pub async fn wait_sent(&self, who: Address, count: u64) {
        use alloy::providers::Provider;
        let c = self.client().await;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while c
            .provider
            .get_transaction_count(who)
            .pending()
            .await
            .expect("the devnet answers")
            <= count
        {
            assert!(
                std::time::Instant::now() < deadline,
                "{who} sent nothing within a minute"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// The command [`CliDevnet::run`] runs, for a caller that spawns it
    /// itself (to talk to it while it runs): `tidepool --rpc … --manifest …
    /// ARGS` in the devnet's directory, on a cleared environment but `PATH`.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(tidepool_bin());
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
        cmd
    }

    /// Runs `tidepool --json ARGS`, which must succeed; returns its JSON.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut full = vec!["--json"];
        full.extend_from_slice(args);
        let out = self.run(&full);
        assert!(
            out.status.success(),
            "tidepool {args:?} failed: {}",
            stderr(&out)
        );
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stdout)))
    }

    /// A client on the devnet's RPC.
    pub async fn client(&self) -> Client {
        Client::connect(&self.rpc)
            .await
            .expect("the devnet answers")
    }

    /// A token's address by symbol.
    pub fn token(&self, symbol: &str) -> Address {
        self.manifest
            .token(symbol)
            .unwrap_or_else(|| panic!("the devnet has no {symbol}"))
            .address
    }

    /// SIGTERM and wait (anvil saves `--state` then).
    pub fn stop(mut self) {
        terminate(&self.child);
        self.child.wait().expect("the devnet exits");
    }
}

impl Drop for CliDevnet {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(Some(_))) {
            return;
        }
        terminate(&self.child);
        let _ = self.child.wait();
    }
}

fn terminate(child: &Child) {
    if let Ok(pid) = i32::try_from(child.id()) {
        // SAFETY: kill has no memory-safety preconditions; the pid is our child's.
        unsafe { libc::kill(pid, libc::SIGTERM) };
    }
}

fn read_json(stdout: &mut BufReader<ChildStdout>) -> Value {
    let mut line = String::new();
    stdout.read_line(&mut line).expect("the devnet's stdout");
    serde_json::from_str(&line).unwrap_or_else(|e| panic!("devnet said {line:?}: {e}"))
}

/// A JSON string holding a decimal uint256.
pub fn u256(v: &Value) -> U256 {
    v.as_str()
        .unwrap_or_else(|| panic!("{v} is not a string"))
        .parse()
        .unwrap_or_else(|e| panic!("{v}: {e}"))
}

/// A command's stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}
