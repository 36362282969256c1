//! Loopback ports.

use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// A loopback port nobody listened on a moment ago (the OS's choice). Also a
/// port to point a client at when it must find nothing there.
pub fn free_port() -> u16 {
    try_free_port().expect("the OS hands out a free loopback port")
}

/// [`free_port`], as a result.
pub fn try_free_port() -> Result<u16> {
    let l = TcpListener::bind("127.0.0.1:0").context("no free loopback port")?;
    Ok(l.local_addr()?.port())
}

/// Waits up to `timeout` until something accepts connections on a loopback
/// port; `what` names it in the error.
pub fn wait_listening(port: u16, what: &str, timeout: Duration) -> Result<()> {
    let t = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if t.elapsed() > timeout {
            bail!("{what} does not listen on port {port} after {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    Ok(())
}
