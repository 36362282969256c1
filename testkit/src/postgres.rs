//! A private PostgreSQL cluster for a test or a benchmark: `initdb` into a
//! temporary directory, `postgres` on a free loopback port, stopped by its
//! PID when dropped. Debian's `postgresql` package provides the binaries
//! (`cargo xtask setup` installs it); no system service, no Docker.
//!
//! PostgreSQL refuses to run as root, so as root the cluster runs as the
//! package's `postgres` user (`setpriv`, which execs: the PID held is the
//! server's own). Password authentication is on for TCP, with a password
//! drawn at random for each cluster: nothing secret lives in the repository.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::ports::try_free_port;

/// The role the cluster is created with.
pub const USER: &str = "tidepool";

/// The newest PostgreSQL server binaries installed (Debian keeps each major
/// version under `/usr/lib/postgresql/<version>/bin`).
pub fn bin_dir() -> Result<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((v, bin))
        })
        .collect();
    found.sort();
    match found.pop() {
        Some((_, bin)) => Ok(bin),
        None => bail!(
            "PostgreSQL's server is not installed (no /usr/lib/postgresql/<version>/bin/initdb): \
             run `cargo xtask setup`, which installs Debian's postgresql package"
        ),
    }
}

/// A running private cluster with one database, `tidepool`.
pub struct PgCluster {
    child: Option<Child>,
    bin: PathBuf,
    /// The loopback port it listens on.
    pub port: u16,
    password: String,
    // Last: removed after the server has stopped.
    dir: tempfile::TempDir,
}

fn random_hex(bytes: usize) -> Result<String> {
    use std::io::Read;
    let mut buf = vec![0u8; bytes];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut buf)?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// A command for a PostgreSQL binary, as the `postgres` user when root.
fn as_owner(bin: &Path, tool: &str) -> Command {
    if is_root() {
        let mut c = Command::new("setpriv");
        c.args([
            "--reuid=postgres",
            "--regid=postgres",
            "--clear-groups",
            "--",
        ])
        .arg(bin.join(tool));
        c
    } else {
        Command::new(bin.join(tool))
    }
}

fn run(mut cmd: Command, what: &str) -> Result<()> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("cannot run {what}"))?;
    if !out.status.success() {
        bail!(
            "{what} failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout).trim(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

impl PgCluster {
    /// Creates and starts a cluster; returns once it accepts connections and
    /// the `tidepool` database exists.
    pub fn start() -> Result<Self> {
        let bin = bin_dir()?;
        let dir = tempfile::Builder::new()
            .prefix("tidepool-pg-")
            .tempdir()
            .context("no temporary directory for the cluster")?;
        let data = dir.path().join("data");
        let pwfile = dir.path().join("pw");
        let password = random_hex(16)?;
        std::fs::write(&pwfile, &password)?;
        if is_root() {
            // The server's user must own the directory (and read the password file).
            run(
                {
                    let mut c = Command::new("chown");
                    c.args(["-R", "postgres:postgres"]).arg(dir.path());
                    c
                },
                "chown of the cluster directory",
            )?;
        }
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))?;
        let mut initdb = as_owner(&bin, "initdb");
        initdb
            .arg("-D")
            .arg(&data)
            .args([
                "-U",
                USER,
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
            ])
            .arg(format!("--pwfile={}", pwfile.display()))
            .args(["-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
        run(initdb, "initdb")?;
        std::fs::remove_file(&pwfile)?;
        let port = try_free_port()?;
        let mut postgres = as_owner(&bin, "postgres");
        postgres
            .arg("-D")
            .arg(&data)
            .args(["-p", &port.to_string()])
            .args(["-c", "listen_addresses=127.0.0.1"])
            .arg("-c")
            .arg(format!("unix_socket_directories={}", dir.path().display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let child = postgres.spawn().context("cannot start postgres")?;
        let mut cluster = Self {
            child: Some(child),
            bin,
            port,
            password,
            dir,
        };
        cluster.wait_ready(Duration::from_secs(30))?;
        cluster.psql("postgres", "CREATE DATABASE tidepool")?;
        Ok(cluster)
    }

    fn wait_ready(&mut self, timeout: Duration) -> Result<()> {
        let t = Instant::now();
        loop {
            if let Some(c) = self.child.as_mut()
                && let Some(status) = c.try_wait()?
            {
                bail!("postgres exited ({status}) before accepting connections");
            }
            let ready = Command::new(self.bin.join("pg_isready"))
                .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-q"])
                .status()
                .is_ok_and(|s| s.success());
            if ready {
                return Ok(());
            }
            if t.elapsed() > timeout {
                bail!(
                    "postgres does not accept connections on port {} after {timeout:?}",
                    self.port
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The URL of database `db` with the cluster's role and password.
    pub fn url_of(&self, db: &str) -> String {
        format!(
            "postgres://{USER}:{}@127.0.0.1:{}/{db}",
            self.password, self.port
        )
    }

    /// The URL of the `tidepool` database.
    pub fn url(&self) -> String {
        self.url_of("tidepool")
    }

    /// The role's password (for the tests that it is never printed).
    pub fn password(&self) -> &str {
        &self.password
    }

    /// The URL with a wrong password (for the tests of bad credentials).
    pub fn url_with_wrong_password(&self) -> String {
        format!(
            "postgres://{USER}:not-the-password@127.0.0.1:{}/tidepool",
            self.port
        )
    }

    /// Runs one SQL statement with psql over TCP (password authentication)
    /// and returns its unaligned, tuples-only output.
    pub fn psql(&self, db: &str, sql: &str) -> Result<String> {
        let out = Command::new(self.bin.join("psql"))
            .args(["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql])
            .arg(self.url_of(db))
            .stdin(Stdio::null())
            .output()
            .context("cannot run psql")?;
        if !out.status.success() {
            bail!(
                "psql {sql:?} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    /// The server's PID.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Stops the server (fast shutdown: SIGINT to its PID), waiting for it;
    /// SIGKILL if it has not exited after 10 s.
    pub fn stop(&mut self) -> Result<()> {
        let Some(mut child) = self.child.take() else {
            return Ok(());
        };
        // SAFETY: signalling our own child by its PID.
        unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
        let t = Instant::now();
        while child.try_wait()?.is_none() {
            if t.elapsed() > Duration::from_secs(10) {
                child.kill()?;
                child.wait()?;
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(())
    }

    /// The cluster's directory (data in `data/`).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_private_cluster_answers_checks_passwords_and_stops_by_pid() {
        let mut pg = PgCluster::start().unwrap();
        assert_eq!(pg.psql("tidepool", "SELECT 40 + 2").unwrap(), "42");
        let version = pg.psql("tidepool", "SHOW server_version_num").unwrap();
        assert!(version.parse::<u32>().unwrap() >= 150_000, "{version}");
        let wrong = Command::new(pg.bin.join("psql"))
            .args(["-X", "-c", "SELECT 1"])
            .arg(pg.url_with_wrong_password())
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(!wrong.status.success());
        assert!(
            String::from_utf8_lossy(&wrong.stderr).contains("password authentication failed"),
            "{}",
            String::from_utf8_lossy(&wrong.stderr)
        );
        let pid = pg.pid().unwrap();
        let dir = pg.dir().to_path_buf();
        pg.stop().unwrap();
        // SAFETY: signal 0 only asks whether the process exists.
        let alive = unsafe { libc::kill(pid as libc::pid_t, 0) } == 0;
        assert!(!alive, "postgres {pid} still runs");
        drop(pg);
        assert!(!dir.exists(), "the cluster's directory is removed");
    }
}
