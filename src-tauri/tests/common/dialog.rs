//! The person at the app's native confirmation dialog, for real: a thread
//! watches the Xvfb display for a window titled "Confirm …" (xdotool),
//! photographs the screen with the dialog on it (ImageMagick's `import`),
//! and clicks its "Sign and send" or "Cancel" button as told (or holds).

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the person does with the next dialogs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Answer {
    /// Presses "Sign and send".
    Accept = 0,
    /// Presses "Cancel".
    Cancel = 1,
    /// Leaves the dialog open.
    Hold = 2,
}

/// One dialog answered.
#[derive(Debug, Clone)]
pub struct Answered {
    /// Its title.
    pub title: String,
    /// What was pressed.
    pub answer: Answer,
    /// The screenshot taken before answering.
    pub shot: PathBuf,
}

/// The watcher; stops on drop.
pub struct Person {
    answer: Arc<AtomicU8>,
    stop: Arc<AtomicBool>,
    /// Every dialog answered so far.
    pub answered: Arc<Mutex<Vec<Answered>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

fn xdotool(display: &str, args: &[&str]) -> Option<String> {
    let out = Command::new("xdotool")
        .args(args)
        .env("DISPLAY", display)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

impl Person {
    /// Watches `display`, saving screenshots into `shots`.
    pub fn watch(display: &str, shots: PathBuf) -> Self {
        let answer = Arc::new(AtomicU8::new(Answer::Accept as u8));
        let stop = Arc::new(AtomicBool::new(false));
        let answered = Arc::new(Mutex::new(Vec::new()));
        let (a, s, log, display) = (
            answer.clone(),
            stop.clone(),
            answered.clone(),
            display.to_string(),
        );
        let thread = std::thread::spawn(move || {
            let mut n = 0;
            while !s.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(150));
                let mode = a.load(Ordering::SeqCst);
                if mode == Answer::Hold as u8 {
                    continue;
                }
                let Some(ids) = xdotool(&display, &["search", "--name", "^Confirm "]) else {
                    continue;
                };
                let Some(id) = ids.lines().next().map(str::to_string) else {
                    continue;
                };
                let title = xdotool(&display, &["getwindowname", &id]).unwrap_or_default();
                // Let it draw, then photograph the whole screen with it.
                std::thread::sleep(Duration::from_millis(400));
                n += 1;
                let shot = shots.join(format!("dialog-{n:02}.png"));
                let _ = Command::new("import")
                    .args(["-window", "root"])
                    .arg(&shot)
                    .env("DISPLAY", &display)
                    .status();
                // Its two buttons share the bottom row: "Sign and send" on
                // the left half, "Cancel" on the right. Click the one asked
                // for with the mouse, as a person does (Xvfb runs no window
                // manager, so keyboard focus cannot be relied on).
                let geo =
                    xdotool(&display, &["getwindowgeometry", "--shell", &id]).unwrap_or_default();
                let field = |k: &str| -> i64 {
                    geo.lines()
                        .find_map(|l| l.strip_prefix(k)?.strip_prefix('=')?.parse().ok())
                        .unwrap_or(0)
                };
                let (x, y, w, h) = (field("X"), field("Y"), field("WIDTH"), field("HEIGHT"));
                let bx = if mode == Answer::Accept as u8 {
                    x + w / 4
                } else {
                    x + 3 * w / 4
                };
                let by = y + h - 16;
                // Logged before the click, so a test that sees the outcome
                // sees the answer too.
                log.lock().unwrap().push(Answered {
                    title,
                    answer: if mode == Answer::Accept as u8 {
                        Answer::Accept
                    } else {
                        Answer::Cancel
                    },
                    shot,
                });
                let _ = xdotool(
                    &display,
                    &["mousemove", &bx.to_string(), &by.to_string(), "click", "1"],
                );
                // Wait for it to close before looking for the next one.
                for _ in 0..40 {
                    let still = xdotool(&display, &["search", "--name", "^Confirm "])
                        .is_some_and(|s| s.lines().any(|l| l == id));
                    if !still {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
            }
        });
        Self {
            answer,
            stop,
            answered,
            thread: Some(thread),
        }
    }

    /// What to do with the next dialogs.
    pub fn answer(&self, a: Answer) {
        self.answer.store(a as u8, Ordering::SeqCst);
    }

    /// The dialogs answered so far.
    pub fn answered(&self) -> Vec<Answered> {
        self.answered.lock().unwrap().clone()
    }
}

impl Drop for Person {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
