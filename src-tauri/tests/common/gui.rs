//! The real app in a real window: Xvfb on a free display, tauri-driver (with
//! Debian's WebKitWebDriver) on free ports, and a WebDriver session that
//! launches the built `tidepool-app` binary with its files in a temporary
//! directory. Screenshots go to `target/e2e-screenshots/`.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A child process killed on drop.
pub struct Proc(pub Child);

impl Drop for Proc {
    fn drop(&mut self) {
        // SAFETY: kill has no memory-safety preconditions; the pid is our child's.
        unsafe { libc::kill(self.0.id() as i32, libc::SIGTERM) };
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(3) {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts Xvfb on the first free display from :90; returns it and its name.
pub fn xvfb() -> (Proc, String) {
    for n in 90..200 {
        let lock = PathBuf::from(format!("/tmp/.X{n}-lock"));
        let sock = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        if lock.exists() || sock.exists() {
            continue;
        }
        let child = Command::new("Xvfb")
            .args([
                &format!(":{n}"),
                "-screen",
                "0",
                "1280x900x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb starts (Debian package xvfb; cargo xtask setup installs it)");
        let mut p = Proc(child);
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(10) {
            if sock.exists() {
                return (p, format!(":{n}"));
            }
            if let Ok(Some(_)) = p.0.try_wait() {
                break; // lost a race for this display: try the next
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        drop(p);
    }
    panic!("no free X display for Xvfb");
}

/// The tauri-driver binary: `$TAURI_DRIVER`, else on PATH or in ~/.cargo/bin.
pub fn tauri_driver() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return p.into();
    }
    let mut dirs: Vec<PathBuf> =
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()).collect();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".cargo/bin"));
    }
    dirs.into_iter()
        .map(|d| d.join("tauri-driver"))
        .find(|p| p.is_file())
        .expect("tauri-driver is installed (cargo xtask setup runs `cargo install tauri-driver --version ^2 --locked`)")
}

/// One app session.
pub struct Gui {
    pub c: Client,
    _driver: Proc,
    _x: Proc,
    pub shots: PathBuf,
    shot_n: std::sync::atomic::AtomicU32,
}

impl Gui {
    /// Launches the app with `env` (on top of a clean XDG home in `home`).
    pub async fn launch(home: &Path, env: &[(&str, String)], shots: &str) -> Self {
        let (x, display) = xvfb();
        let port = free_port();
        let native = free_port();
        let mut cmd = Command::new(tauri_driver());
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ])
        .env("DISPLAY", &display)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_DOWNLOAD_DIR", home.join("downloads"))
        .env("XDG_RUNTIME_DIR", home.join("runtime"))
        .env("LIBGL_ALWAYS_SOFTWARE", "1")
        .env("TIDEPOOL_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
        std::fs::create_dir_all(home.join("runtime")).unwrap();
        for (k, v) in env {
            cmd.env(k, v);
        }
        let driver = Proc(cmd.spawn().expect("tauri-driver starts"));
        let caps: serde_json::Map<String, serde_json::Value> =
            serde_json::from_value(serde_json::json!({
                "browserName": "wry",
                "tauri:options": { "application": env!("CARGO_BIN_EXE_tidepool-app") }
            }))
            .unwrap();
        let url = format!("http://127.0.0.1:{port}");
        let t = Instant::now();
        let c = loop {
            match ClientBuilder::native()
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(c) => break c,
                Err(e) if t.elapsed() < Duration::from_secs(30) => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("no WebDriver session: {e}"),
            }
        };
        let shots = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../target/e2e-screenshots")
            .join(shots);
        let _ = std::fs::remove_dir_all(&shots);
        std::fs::create_dir_all(&shots).unwrap();
        Self {
            c,
            _driver: driver,
            _x: x,
            shots,
            shot_n: Default::default(),
        }
    }

    fn css(id: &str) -> String {
        format!("[data-testid='{id}']")
    }

    /// Waits up to 30 s for the element with this test id.
    pub async fn find(&self, id: &str) -> Element {
        let found = self
            .c
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css(&Self::css(id)))
            .await;
        match found {
            Ok(e) => e,
            Err(e) => {
                self.shot(&format!("missing-{id}")).await;
                panic!("no element {id}: {e}")
            }
        }
    }

    /// Whether an element with this test id is on the page now.
    pub async fn has(&self, id: &str) -> bool {
        self.c.find(Locator::Css(&Self::css(id))).await.is_ok()
    }

    /// Scrolls the element into the middle of the window (WebKitWebDriver
    /// does not scroll for a click), then clicks it.
    pub async fn click(&self, id: &str) {
        let e = self.find(id).await;
        let t = Instant::now();
        loop {
            let arg = serde_json::to_value(&e).unwrap();
            let _ = self
                .c
                .execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg])
                .await;
            match e.click().await {
                Ok(_) => return,
                Err(err) if t.elapsed() < Duration::from_secs(10) => {
                    let _ = err;
                    tokio::time::sleep(Duration::from_millis(150)).await;
                }
                Err(err) => {
                    self.shot(&format!("cannot-click-{id}")).await;
                    panic!("cannot click {id}: {err:?}")
                }
            }
        }
    }

    pub async fn text(&self, id: &str) -> String {
        self.find(id).await.text().await.unwrap()
    }

    pub async fn value(&self, id: &str) -> String {
        self.find(id)
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default()
    }

    pub async fn attr(&self, id: &str, name: &str) -> Option<String> {
        self.find(id).await.attr(name).await.unwrap()
    }

    /// Empties an input and types `text` key by key (as a person would).
    pub async fn type_in(&self, id: &str, text: &str) {
        let e = self.find(id).await;
        // Select all and delete with real key events (a WebDriver `clear`
        // bypasses the page's input handlers), then type.
        e.send_keys("\u{E009}a\u{E000}\u{E003}").await.unwrap();
        e.send_keys(text).await.unwrap();
    }

    /// Waits up to `secs` for `cond` on the text of `id`.
    pub async fn wait_text(&self, id: &str, secs: u64, cond: impl Fn(&str) -> bool) -> String {
        let t = Instant::now();
        loop {
            if let Ok(e) = self.c.find(Locator::Css(&Self::css(id))).await
                && let Ok(s) = e.text().await
                && cond(&s)
            {
                return s;
            }
            if t.elapsed() > Duration::from_secs(secs) {
                self.shot("timeout").await;
                let now = match self.c.find(Locator::Css(&Self::css(id))).await {
                    Ok(e) => e.text().await.unwrap_or_default(),
                    Err(_) => "<absent>".into(),
                };
                panic!("{id}: condition not met in {secs} s; text now: {now:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits for an attribute value.
    pub async fn wait_attr(&self, id: &str, name: &str, want: &[&str], secs: u64) -> String {
        let t = Instant::now();
        loop {
            if let Ok(e) = self.c.find(Locator::Css(&Self::css(id))).await
                && let Ok(Some(v)) = e.attr(name).await
                && want.contains(&v.as_str())
            {
                return v;
            }
            if t.elapsed() > Duration::from_secs(secs) {
                self.shot("timeout").await;
                let text = match self.c.find(Locator::Css(&Self::css(id))).await {
                    Ok(e) => format!("{:?} / {:?}", e.attr(name).await, e.text().await),
                    Err(_) => "<absent>".into(),
                };
                panic!("{id}[{name}] never became one of {want:?}: {text}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Saves a screenshot (after letting the page paint), retrying once.
    pub async fn shot(&self, name: &str) {
        let n = self
            .shot_n
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            + 1;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let path = self.shots.join(format!("{n:02}-{name}.png"));
        for _ in 0..2 {
            if let Ok(png) = self.c.screenshot().await
                && png.len() > 1000
            {
                std::fs::write(&path, png).unwrap();
                return;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        eprintln!("screenshot {name} failed");
    }
}
