//! A local anvil owned by xtask: listens on 127.0.0.1 only and is killed when
//! the [`Anvil`] guard drops (normal exit, error, panic). If xtask itself is
//! killed (Ctrl-C, SIGTERM), the kernel kills anvil too (`PR_SET_PDEATHSIG`).

use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::ws;

/// A running anvil, killed on drop.
pub struct Anvil {
    child: Child,
    url: String,
}

impl Anvil {
    /// Starts a silent anvil on a free loopback port (see [`Anvil::start_on`]).
    pub fn start() -> Result<Self> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        Self::start_on(port, &[])
    }

    /// Starts anvil (`--hardfork cancun`, like foundry.toml's evm_version) on
    /// 127.0.0.1:`port` with `extra` arguments, its output discarded, and waits
    /// until it accepts connections.
    pub fn start_on(port: u16, extra: &[&str]) -> Result<Self> {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            bail!(
                "port {port} on 127.0.0.1 is already in use: stop what listens there or choose another port"
            );
        }
        let mut cmd = Command::new(ws::anvil());
        cmd.args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--hardfork", "cancun", "--quiet"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        // SAFETY: prctl is async-signal-safe and touches no memory of the parent.
        unsafe {
            cmd.pre_exec(|| {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().context("cannot start anvil")?;
        let mut anvil = Anvil {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = anvil.child.try_wait()? {
                bail!("anvil exited during startup ({status})");
            }
            if Instant::now() > deadline {
                bail!("anvil did not listen on port {port} within 20 s");
            }
            sleep(Duration::from_millis(50));
        }
        Ok(anvil)
    }

    /// The JSON-RPC URL.
    pub fn url(&self) -> &str {
        &self.url
    }
}

impl Drop for Anvil {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
