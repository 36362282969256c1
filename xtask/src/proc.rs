//! Running subprocesses with errors that say which command failed and how.
//!
//! Children never read stdin (CI has none), run in the workspace root unless
//! told otherwise, and are shown to the user as a short, readable command line.

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use anyhow::{Context, Result, bail};

/// A command to run, remembering how to describe itself.
pub struct Cmd {
    inner: Command,
    shown: Vec<String>,
}

/// Longest argument shown verbatim in messages; longer ones (bytecode) are elided.
const SHOWN_ARG_MAX: usize = 72;

impl Cmd {
    /// A command running `program` in the workspace root with stdin closed.
    pub fn new(program: impl AsRef<OsStr>) -> Self {
        let program = program.as_ref();
        let mut inner = Command::new(program);
        inner.current_dir(crate::ws::root()).stdin(Stdio::null());
        let name = Path::new(program)
            .file_name()
            .unwrap_or(program)
            .to_string_lossy()
            .into_owned();
        Cmd {
            inner,
            shown: vec![name],
        }
    }

    /// Adds one argument.
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        let arg = arg.as_ref();
        let text = arg.to_string_lossy();
        self.shown.push(if text.len() > SHOWN_ARG_MAX {
            format!(
                "{}…({} chars)",
                text.chars().take(16).collect::<String>(),
                text.len()
            )
        } else {
            text.into_owned()
        });
        self.inner.arg(arg);
        self
    }

    /// Adds several arguments.
    pub fn args<I, S>(self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        args.into_iter().fold(self, Cmd::arg)
    }

    /// Sets an environment variable for the child.
    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.inner.env(key, value);
        self
    }

    /// Runs in `dir` instead of the workspace root.
    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.inner.current_dir(dir);
        self
    }

    /// The command line as shown in messages.
    pub fn shown(&self) -> String {
        self.shown.join(" ")
    }

    /// Runs with inherited stdout/stderr; fails unless the exit status is 0.
    pub fn run(mut self) -> Result<()> {
        let shown = self.shown();
        let status = self
            .inner
            .status()
            .with_context(|| format!("cannot start `{shown}`"))?;
        if !status.success() {
            bail!("`{shown}` failed ({status})");
        }
        Ok(())
    }

    /// Runs with stdout passed through line by line as it comes (and stderr
    /// inherited); returns what was printed on stdout. Fails unless the exit
    /// status is 0.
    pub fn run_tee(mut self) -> Result<String> {
        use std::io::{BufRead, BufReader, Write};
        let shown = self.shown();
        let mut child = self
            .inner
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot start `{shown}`"))?;
        let mut seen = String::new();
        if let Some(out) = child.stdout.take() {
            let mut stdout = std::io::stdout().lock();
            for line in BufReader::new(out).lines() {
                let line = line.with_context(|| format!("reading the output of `{shown}`"))?;
                writeln!(stdout, "{line}")?;
                seen.push_str(&line);
                seen.push('\n');
            }
        }
        let status = child
            .wait()
            .with_context(|| format!("waiting for `{shown}`"))?;
        if !status.success() {
            bail!("`{shown}` failed ({status})");
        }
        Ok(seen)
    }

    /// Runs capturing stdout and stderr, returning the whole output whatever
    /// the exit status.
    pub fn output_raw(mut self) -> Result<Output> {
        let shown = self.shown();
        self.inner
            .output()
            .with_context(|| format!("cannot start `{shown}`"))
    }

    /// Runs capturing output; returns trimmed stdout, or fails with stderr.
    pub fn read(self) -> Result<String> {
        let shown = self.shown();
        let out = self.output_raw()?;
        if !out.status.success() {
            bail!(
                "`{shown}` failed ({}):\n{}{}",
                out.status,
                String::from_utf8_lossy(&out.stderr).trim_end(),
                String::from_utf8_lossy(&out.stdout).trim_end()
            );
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    /// Whether the command runs and exits with status 0 (output discarded).
    pub fn succeeds(self) -> bool {
        self.output_raw().is_ok_and(|out| out.status.success())
    }
}

/// The `cargo` that runs this xtask (so nested commands use the same toolchain).
pub fn cargo() -> Cmd {
    Cmd::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}
