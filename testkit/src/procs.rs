//! Child processes and their trees, read from /proc: signalling, liveness,
//! descendants, names, and [`Proc`], which stops a child's whole tree on drop.

use std::collections::HashMap;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

/// Signals a process by id (our children and their descendants only).
fn signal(pid: u32, sig: i32) {
    if let Ok(pid) = i32::try_from(pid) {
        // SAFETY: kill has no memory-safety preconditions.
        unsafe { libc::kill(pid, sig) };
    }
}

/// Whether a process is running (not gone, not a zombie).
pub fn alive(pid: u32) -> bool {
    // A zombie still has a /proc entry, but its state is Z.
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| stat_fields(&s).map(|(state, _)| state != 'Z'))
        .unwrap_or(false)
}

/// State and parent pid from a /proc/<pid>/stat line (the name may hold spaces
/// and parentheses, so fields are read after the last ')').
fn stat_fields(stat: &str) -> Option<(char, u32)> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut f = rest.split_whitespace();
    let state = f.next()?.chars().next()?;
    let ppid = f.next()?.parse().ok()?;
    Some((state, ppid))
}

/// Every live descendant of `root`, parents before children.
pub fn descendants(root: u32) -> Vec<u32> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for e in dir.flatten() {
            let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                continue;
            };
            if let Ok(stat) = std::fs::read_to_string(e.path().join("stat"))
                && let Some((_, ppid)) = stat_fields(&stat)
            {
                children.entry(ppid).or_default().push(pid);
            }
        }
    }
    let mut out = Vec::new();
    let mut todo = vec![root];
    while let Some(p) = todo.pop() {
        for &c in children.get(&p).map_or(&[][..], Vec::as_slice) {
            out.push(c);
            todo.push(c);
        }
    }
    out
}

/// A process's short name (`comm`, at most 15 characters).
pub fn comm(pid: u32) -> String {
    std::fs::read_to_string(format!("/proc/{pid}/comm"))
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// A child process, stopped on drop with its whole process tree (tauri-driver
/// → WebKitWebDriver → the app → WebKit's processes): SIGTERM, then SIGKILL
/// for whatever is left after a grace period.
pub struct Proc {
    child: Child,
    name: &'static str,
}

impl Proc {
    /// Starts `cmd`; `name` is for messages.
    pub fn spawn(name: &'static str, cmd: &mut Command) -> Result<Self> {
        let child = cmd
            .spawn()
            .with_context(|| format!("cannot start {name}"))?;
        Ok(Self { child, name })
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the process has exited (reaping it if so).
    pub fn exited(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(Some(_)))
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let tree = descendants(self.pid());
        signal(self.pid(), libc::SIGTERM);
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(3) && !self.exited() {
            std::thread::sleep(Duration::from_millis(20));
        }
        if !self.exited() {
            eprintln!("{} did not stop on SIGTERM; killing it", self.name);
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        // Descendants the process did not take down with it.
        terminate_all(&tree);
    }
}

/// Stops those of `pids` still running (descendants of a child of ours):
/// SIGTERM, then SIGKILL after a 2 s grace period. Returns the ones that were
/// still running.
pub fn terminate_all(pids: &[u32]) -> Vec<u32> {
    let left: Vec<u32> = pids.iter().copied().filter(|&p| alive(p)).collect();
    for &p in &left {
        signal(p, libc::SIGTERM);
    }
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(2) && left.iter().any(|&p| alive(p)) {
        std::thread::sleep(Duration::from_millis(20));
    }
    for &p in &left {
        if alive(p) {
            signal(p, libc::SIGKILL);
        }
    }
    left
}
