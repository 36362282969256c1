//! The real app in a real window: Xvfb on a free display, tauri-driver (with
//! Debian's WebKitWebDriver) on free ports, and a WebDriver session that
//! launches the built `tidepool-app` binary with its files in a temporary
//! directory. Screenshots go to `target/e2e-screenshots/`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use tidepool_testkit::gui::{Driver, DriverConfig, Xvfb};

/// One app session.
pub struct Gui {
    pub c: Client,
    /// The person at the native confirmation dialogs (accepts by default).
    pub person: super::dialog::Person,
    _driver: Driver,
    _x: Xvfb,
    pub shots: PathBuf,
    shot_n: std::sync::atomic::AtomicU32,
}

impl Gui {
    /// Launches the app with `env` (on top of a clean XDG home in `home`).
    pub async fn launch(home: &Path, env: &[(&str, String)], shots: &str) -> Self {
        let x = Xvfb::start().expect("Xvfb starts");
        let driver = Driver::start(DriverConfig {
            display: &x.display,
            home,
            env,
            log: None,
        })
        .expect("tauri-driver starts");
        let app = Path::new(env!("CARGO_BIN_EXE_tidepool-app"));
        let c = driver
            .session(app, Duration::from_secs(30))
            .await
            .unwrap_or_else(|e| panic!("{e:#}"));
        let shots = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../target/e2e-screenshots")
            .join(shots);
        let _ = std::fs::remove_dir_all(&shots);
        std::fs::create_dir_all(&shots).unwrap();
        Self {
            person: super::dialog::Person::watch(&x.display, shots.clone()),
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

    /// Saves a screenshot (after letting the page paint), retrying once;
    /// returns the PNG saved.
    pub async fn shot(&self, name: &str) -> Option<Vec<u8>> {
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
                std::fs::write(&path, &png).unwrap();
                return Some(png);
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        eprintln!("screenshot {name} failed");
        None
    }
}
