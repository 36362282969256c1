//! `cargo xtask package`: the desktop app as a Debian package (`.deb`), built
//! offline.
//!
//! 1. setup (idempotent), then the UI (`ui/dist`) and the release app
//!    (`cargo build --release --locked -p tidepool-app`, which embeds the UI);
//! 2. the package's `Depends:` from the shared libraries the binary links, as
//!    debhelper computes it (`dpkg-shlibdeps`, with the version floors of the
//!    libraries' symbols files), so the list cannot drift from the binary;
//! 3. `tauri bundle --bundles deb` (the npm `@tauri-apps/cli`, pinned in the
//!    root package.json): Tauri's own deb bundler, which downloads nothing. It
//!    takes the name, icons, section, description and desktop entry template
//!    (`src-tauri/packaging/tidepool.desktop`) from `src-tauri/tauri.conf.json`
//!    (`bundle`) and the version from `src-tauri/Cargo.toml`. It also stamps
//!    the bundle type into `target/release/tidepool-app` (Tauri's
//!    `bundle_type()`), in place;
//! 4. checks of the result: the control fields, the files and their owner, the
//!    desktop entry (our own rules, and `desktop-file-validate` when installed).
//!
//! The package lands in `target/release/bundle/deb/Tidepool_<version>_<arch>.deb`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail, ensure};
use serde_json::{Value, json};

use crate::proc::{Cmd, cargo};
use crate::{setup, ui, ws};

/// The app's crate directory (holds tauri.conf.json), relative to the root.
const APP_DIR: &str = "src-tauri";

/// The app's binary (`[[bin]]` of src-tauri/Cargo.toml). Tauri names the
/// installed binary, the icon and the desktop entry's `Exec` after it.
const APP_BIN: &str = "tidepool-app";

/// The Debian package name: Tauri's kebab-case of `productName`.
const DEB_PACKAGE: &str = "tidepool";

/// Packages Tauri's CLI appends to `Depends:` itself, unversioned, on Linux.
const TAURI_DEPENDS: &[&str] = &["libwebkit2gtk-4.1-0", "libgtk-3-0"];

/// Icon sizes the package must install into the hicolor theme: desktops look
/// up 128 and 256 pixel icons for launchers and app grids.
const REQUIRED_ICON_SIZES: &[u32] = &[128, 256];

/// The freedesktop main categories; a desktop entry names at least one
/// (<https://specifications.freedesktop.org/menu-spec/latest/category-registry.html>).
const MAIN_CATEGORIES: &[&str] = &[
    "AudioVideo",
    "Audio",
    "Video",
    "Development",
    "Education",
    "Game",
    "Graphics",
    "Network",
    "Office",
    "Science",
    "Settings",
    "System",
    "Utility",
];

/// Builds the `.deb` and checks it.
pub fn run() -> Result<()> {
    setup::run()?;
    for (tool, debian_package) in [("dpkg-deb", "dpkg"), ("dpkg-shlibdeps", "dpkg-dev")] {
        if !setup::has_command(tool) {
            bail!("`{tool}` is missing: install the Debian package {debian_package}");
        }
    }
    let cli = tauri_cli();
    if !cli.is_file() {
        bail!(
            "{} is missing; run `cargo xtask setup` (npm installs @tauri-apps/cli from package.json)",
            ws::rel(&cli)
        );
    }
    let root = ws::root();
    let conf = ws::read_json(&root.join(APP_DIR).join("tauri.conf.json"))?;
    let product = conf["productName"]
        .as_str()
        .context("tauri.conf.json has no productName")?;
    let version = app_version()?;

    println!("\npackage: building the UI and the release app");
    ui::build()?;
    cargo()
        .args(["build", "--release", "--locked", "-p", "tidepool-app"])
        .run()?;
    let release = ws::target_dir().join("release");
    let depends = shlib_depends(&release.join(APP_BIN))?;
    println!("package: Depends (dpkg-shlibdeps): {}", depends.join(", "));

    let arch = Cmd::new("dpkg").arg("--print-architecture").read()?;
    let deb = release
        .join("bundle/deb")
        .join(format!("{product}_{version}_{arch}.deb"));
    if deb.exists() {
        // Never mistake the last run's package for this one's.
        fs::remove_file(&deb).with_context(|| format!("cannot remove {}", ws::rel(&deb)))?;
    }
    println!("\npackage: tauri bundle --bundles deb");
    Cmd::new(&cli)
        .args(["bundle", "--bundles", "deb", "--ci", "--config"])
        .arg(bundle_overrides(&depends).to_string())
        .env("TAURI_APP_PATH", root.join(APP_DIR))
        .env("TAURI_FRONTEND_PATH", root.join("ui"))
        .current_dir(root.join(APP_DIR))
        .run()?;
    ensure!(
        deb.is_file(),
        "tauri bundle did not write {}",
        ws::rel(&deb)
    );
    verify(&deb, product, &version, &depends)?;

    let size = fs::metadata(&deb)?.len();
    println!(
        "\npackage: {} ({size} bytes, {:.1} MB)\n\
         package: install it with  sudo apt-get install ./{}\n\
         package: then start Tidepool from the applications menu, or run `{APP_BIN}`",
        ws::rel(&deb),
        size as f64 / 1e6,
        ws::rel(&deb),
    );
    Ok(())
}

/// The npm-installed Tauri CLI.
fn tauri_cli() -> PathBuf {
    ws::root().join("node_modules/.bin/tauri")
}

/// The app's version: `version` of `[package]` in src-tauri/Cargo.toml (Tauri
/// reads it there too, as tauri.conf.json sets none).
fn app_version() -> Result<String> {
    let path = ws::root().join(APP_DIR).join("Cargo.toml");
    let text =
        fs::read_to_string(&path).with_context(|| format!("cannot read {}", ws::rel(&path)))?;
    toml_string(&text, "package", "version")
        .with_context(|| format!("no literal `version` in [package] of {}", ws::rel(&path)))
}

/// The string value of `key = "…"` in table `[table]` (or `[[table]]`, the
/// first one) of a TOML text: enough for the plain manifests read here.
fn toml_string(text: &str, table: &str, key: &str) -> Option<String> {
    let mut current = "";
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            current = line.trim_matches(|c| c == '[' || c == ']').trim();
            continue;
        }
        if current != table {
            continue;
        }
        if let Some((k, v)) = line.split_once('=')
            && k.trim() == key
        {
            let v = v.trim();
            return v
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .map(str::to_string);
        }
    }
    None
}

/// The packages providing the shared libraries `binary` links, with version
/// floors: `dpkg-shlibdeps`, run against a throw-away `debian/control` as it
/// insists on one. The floors matter (e.g. `libwebkit2gtk-4.1-0 (>= 2.41.90)`:
/// the webview calls cookie functions new in WebKitGTK 2.42), so they are
/// kept even though Tauri then appends the same two packages unversioned.
fn shlib_depends(binary: &Path) -> Result<Vec<String>> {
    let work = ws::target_dir().join("tmp/xtask-package");
    fs::create_dir_all(work.join("debian"))?;
    fs::write(
        work.join("debian/control"),
        format!("Source: {DEB_PACKAGE}\n\nPackage: {DEB_PACKAGE}\nArchitecture: any\n"),
    )?;
    let out = Cmd::new("dpkg-shlibdeps")
        .arg("-O")
        .arg(binary)
        .current_dir(&work)
        .read()?;
    parse_shlibs(&out)
}

/// The `shlibs:Depends` list of `dpkg-shlibdeps -O` output.
fn parse_shlibs(output: &str) -> Result<Vec<String>> {
    let list = output
        .lines()
        .find_map(|line| line.trim().strip_prefix("shlibs:Depends="))
        .with_context(|| format!("no shlibs:Depends in dpkg-shlibdeps output: {output:?}"))?;
    let deps: Vec<String> = list
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_string)
        .collect();
    ensure!(!deps.is_empty(), "dpkg-shlibdeps found no dependency");
    Ok(deps)
}

/// The package name of one `Depends:` item (`libc6 (>= 2.34)` → `libc6`).
fn dependency_name(item: &str) -> &str {
    let item = item.trim();
    let end = item
        .find(|c: char| c.is_whitespace() || c == '(' || c == ':')
        .unwrap_or(item.len());
    &item[..end]
}

/// Every package named in a `Depends:` field, alternatives included.
fn depends_names(field: &str) -> Vec<&str> {
    field
        .split([',', '|'])
        .map(dependency_name)
        .filter(|n| !n.is_empty())
        .collect()
}

/// The configuration merged over tauri.conf.json for this build: the
/// computed `Depends:`.
fn bundle_overrides(depends: &[String]) -> Value {
    json!({ "bundle": { "linux": { "deb": { "depends": depends } } } })
}

/// Checks the built package: control fields, files, desktop entry.
fn verify(deb: &Path, product: &str, version: &str, depends: &[String]) -> Result<()> {
    println!("\npackage: checking {}", ws::rel(deb));
    let fields = Cmd::new("dpkg-deb")
        .arg("--field")
        .arg(deb)
        .args(["Package", "Version", "Depends"])
        .read()?;
    let fields: BTreeMap<&str, &str> = fields.lines().filter_map(|l| l.split_once(": ")).collect();
    ensure!(
        fields.get("Package") == Some(&DEB_PACKAGE),
        "Package is {:?}, expected {DEB_PACKAGE}",
        fields.get("Package")
    );
    ensure!(
        fields.get("Version") == Some(&version),
        "Version is {:?}, expected {version} (src-tauri/Cargo.toml)",
        fields.get("Version")
    );
    let declared = depends_names(fields.get("Depends").copied().unwrap_or(""));
    for dep in depends
        .iter()
        .map(|d| dependency_name(d))
        .chain(TAURI_DEPENDS.iter().copied())
    {
        ensure!(declared.contains(&dep), "Depends lacks {dep}: {declared:?}");
    }

    let listing = Cmd::new("dpkg-deb").arg("--contents").arg(deb).read()?;
    let files = parse_listing(&listing)?;
    let desktop = format!("usr/share/applications/{product}.desktop");
    let bin = format!("usr/bin/{APP_BIN}");
    let mut required = vec![bin.clone(), desktop.clone()];
    required.extend(
        REQUIRED_ICON_SIZES
            .iter()
            .map(|s| format!("usr/share/icons/hicolor/{s}x{s}/apps/{APP_BIN}.png")),
    );
    for path in &required {
        ensure!(
            files.iter().any(|f| &f.path == path),
            "the package lacks {path}"
        );
    }
    for f in &files {
        ensure!(
            f.owner == "0/0" || f.owner == "root/root",
            "{} is owned by {}, not root",
            f.path,
            f.owner
        );
    }
    ensure!(
        files
            .iter()
            .any(|f| f.path == bin && f.mode == "-rwxr-xr-x"),
        "{bin} is not mode 0755"
    );

    // The desktop entry as installed: our rules, then the reference validator.
    let unpacked = ws::target_dir().join("tmp/xtask-package/unpacked");
    if unpacked.exists() {
        fs::remove_dir_all(&unpacked)?;
    }
    Cmd::new("dpkg-deb")
        .arg("-x")
        .arg(deb)
        .arg(&unpacked)
        .run()?;
    let entry_path = unpacked.join(&desktop);
    let entry = fs::read_to_string(&entry_path)?;
    check_desktop_entry(&entry).context("the package's desktop entry")?;
    if setup::has_command("desktop-file-validate") {
        let out = Cmd::new("desktop-file-validate").arg(&entry_path).read()?;
        // It exits 0 on warnings and hints; only errors fail it.
        if !out.is_empty() {
            println!("{out}");
        }
        println!("package: desktop-file-validate: ok");
    } else {
        println!(
            "package: desktop-file-validate not installed (Debian package desktop-file-utils): skipped"
        );
    }
    fs::remove_dir_all(&unpacked)?;
    println!(
        "package: ok: {DEB_PACKAGE} {version}, {} files, Depends: {}",
        files.iter().filter(|f| !f.mode.starts_with('d')).count(),
        fields.get("Depends").copied().unwrap_or("")
    );
    Ok(())
}

/// One entry of `dpkg-deb --contents` (a `tar -tv` listing).
#[derive(Debug, PartialEq)]
struct Entry {
    mode: String,
    owner: String,
    path: String,
}

/// Parses `dpkg-deb --contents` output (paths without a leading `./`).
fn parse_listing(listing: &str) -> Result<Vec<Entry>> {
    listing
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            ensure!(cols.len() >= 6, "unexpected listing line: {line:?}");
            Ok(Entry {
                mode: cols[0].to_string(),
                owner: cols[1].to_string(),
                path: cols[5].trim_start_matches("./").to_string(),
            })
        })
        .collect()
}

/// Checks a desktop entry against the rules of the spec that matter here
/// (<https://specifications.freedesktop.org/desktop-entry-spec/latest/>): the
/// `[Desktop Entry]` group first, `Key=Value` lines with unique keys, an
/// application that runs the app's binary without a terminal, its icon, a
/// name, a comment and a main category; no template placeholder left.
fn check_desktop_entry(text: &str) -> Result<()> {
    ensure!(!text.contains("{{"), "a template placeholder is left");
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'));
    ensure!(
        lines.next() == Some("[Desktop Entry]"),
        "the first group is not [Desktop Entry]"
    );
    let mut keys: BTreeMap<&str, &str> = BTreeMap::new();
    for line in lines.take_while(|l| !l.starts_with('[')) {
        let (key, value) = line
            .split_once('=')
            .with_context(|| format!("not a Key=Value line: {line:?}"))?;
        let key = key.trim();
        let name = key.split('[').next().unwrap_or(key);
        ensure!(
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
            "bad key {key:?}"
        );
        ensure!(
            keys.insert(key, value.trim()).is_none(),
            "key {key} appears twice"
        );
    }
    let get = |key: &str| keys.get(key).copied().unwrap_or("");
    ensure!(get("Type") == "Application", "Type is not Application");
    ensure!(!get("Name").is_empty(), "no Name");
    ensure!(!get("Comment").is_empty(), "no Comment");
    ensure!(
        get("Exec").split_whitespace().next() == Some(APP_BIN),
        "Exec does not run {APP_BIN}: {:?}",
        get("Exec")
    );
    ensure!(get("Icon") == APP_BIN, "Icon is not {APP_BIN}");
    ensure!(get("Terminal") == "false", "Terminal is not false");
    let categories = get("Categories");
    ensure!(
        categories.ends_with(';'),
        "Categories does not end with ';': {categories:?}"
    );
    ensure!(
        categories.split(';').any(|c| MAIN_CATEGORIES.contains(&c)),
        "Categories names no main category: {categories:?}"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conf() -> Value {
        ws::read_json(&ws::root().join(APP_DIR).join("tauri.conf.json")).unwrap()
    }

    /// Width and height of a PNG, from its IHDR chunk.
    fn png_size(path: &Path) -> (u32, u32) {
        let bytes = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            bytes.len() > 24
                && bytes.starts_with(b"\x89PNG\r\n\x1a\n")
                && &bytes[12..16] == b"IHDR",
            "{} is not a PNG",
            path.display()
        );
        let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
        (be(16), be(20))
    }

    /// The desktop entry Tauri renders from our template: its handlebars
    /// variables, filled as tauri-bundler fills them (the category `Finance`
    /// becomes `Office;Finance;`).
    fn rendered_entry(conf: &Value) -> String {
        let template = conf["bundle"]["linux"]["deb"]["desktopTemplate"]
            .as_str()
            .expect("bundle.linux.deb.desktopTemplate");
        let text = fs::read_to_string(ws::root().join(APP_DIR).join(template)).unwrap();
        assert_eq!(conf["bundle"]["category"], "Finance");
        [
            ("{{name}}", conf["productName"].as_str().unwrap()),
            (
                "{{comment}}",
                conf["bundle"]["shortDescription"].as_str().unwrap(),
            ),
            ("{{exec}}", APP_BIN),
            ("{{icon}}", APP_BIN),
            ("{{categories}}", "Office;Finance;"),
        ]
        .iter()
        .fold(text, |t, (var, value)| t.replace(var, value))
    }

    #[test]
    fn bundle_config_makes_only_a_deb_with_its_icons() {
        let conf = conf();
        let bundle = &conf["bundle"];
        assert_eq!(bundle["active"], true);
        // Only the deb: the AppImage, MSI and NSIS bundlers download tools.
        assert_eq!(bundle["targets"], json!(["deb"]));
        assert!(
            conf.get("version").is_none(),
            "the version must come from src-tauri/Cargo.toml alone"
        );
        assert_eq!(conf["productName"], "Tidepool");
        let short = bundle["shortDescription"].as_str().unwrap();
        assert!(
            !short.is_empty() && short.len() < 80 && !short.contains('\n'),
            "a Debian synopsis is one line under 80 characters: {short:?}"
        );
        assert!(!bundle["publisher"].as_str().unwrap_or("").is_empty());
        let mut sizes = Vec::new();
        for icon in bundle["icon"].as_array().unwrap() {
            let icon = icon.as_str().unwrap();
            let (w, h) = png_size(&ws::root().join(APP_DIR).join(icon));
            assert_eq!(w, h, "{icon} is not square");
            if let Some(stem) = Path::new(icon).file_stem().and_then(|s| s.to_str())
                && stem.contains('x')
            {
                assert_eq!(
                    stem,
                    format!("{w}x{h}"),
                    "{icon} is named after another size"
                );
            }
            sizes.push(w);
        }
        for size in REQUIRED_ICON_SIZES {
            assert!(sizes.contains(size), "no {size}x{size} icon in {sizes:?}");
        }
    }

    #[test]
    fn names_match_the_crate() {
        let manifest = fs::read_to_string(ws::root().join(APP_DIR).join("Cargo.toml")).unwrap();
        assert_eq!(
            toml_string(&manifest, "bin", "name").as_deref(),
            Some(APP_BIN)
        );
        assert!(
            app_version()
                .unwrap()
                .chars()
                .next()
                .unwrap()
                .is_ascii_digit()
        );
    }

    #[test]
    fn desktop_template_renders_a_valid_entry() {
        let entry = rendered_entry(&conf());
        check_desktop_entry(&entry).unwrap();
    }

    #[test]
    fn desktop_entry_rules_catch_mistakes() {
        let good = rendered_entry(&conf());
        check_desktop_entry(&good).unwrap();
        let bad = [
            good.replace("Terminal=false", "Terminal=true"),
            good.replace("Office;Finance;", "Finance;"),
            good.replace("Office;Finance;", "Office;Finance"),
            good.replace(&format!("Icon={APP_BIN}"), "Icon={{icon}}"),
            good.replace(&format!("Exec={APP_BIN}"), "Exec=tidepool"),
            good.replace("[Desktop Entry]", "[Desktop Entry]\nName=Twice"),
            good.replace("[Desktop Entry]", "[Desktop Action x]"),
            good.replace("Type=Application", "Type=Link"),
        ];
        for (i, entry) in bad.iter().enumerate() {
            assert_ne!(entry, &good, "case {i} changed nothing");
            assert!(
                check_desktop_entry(entry).is_err(),
                "case {i} passed:\n{entry}"
            );
        }
    }

    #[test]
    fn shlibdeps_output() {
        let out = "dpkg-shlibdeps: warning: ignored\nshlibs:Depends=libc6 (>= 2.34), libgtk-3-0 (>= 3.21.4), libsoup-3.0-0 (>= 3.0.3)\n";
        let deps = parse_shlibs(out).unwrap();
        assert_eq!(
            deps,
            [
                "libc6 (>= 2.34)",
                "libgtk-3-0 (>= 3.21.4)",
                "libsoup-3.0-0 (>= 3.0.3)"
            ]
        );
        assert!(parse_shlibs("nothing\n").is_err());
        assert!(parse_shlibs("shlibs:Depends=\n").is_err());
        assert_eq!(
            depends_names("libc6 (>= 2.34), libgcc-s1 | libgcc1, libxdo3:amd64, libgtk-3-0"),
            ["libc6", "libgcc-s1", "libgcc1", "libxdo3", "libgtk-3-0"]
        );
        assert_eq!(
            bundle_overrides(&deps)["bundle"]["linux"]["deb"]["depends"][2],
            "libsoup-3.0-0 (>= 3.0.3)"
        );
    }

    #[test]
    fn listing_parsing() {
        let listing = "drwxr-xr-x 0/0               0 2026-12-02 22:16 usr\n\
                       -rwxr-xr-x 0/0        25497040 2026-12-02 22:16 usr/bin/tidepool-app\n\
                       -rw-r--r-- root/root 345 2024-01-01 00:00 ./usr/share/applications/T.desktop\n";
        let files = parse_listing(listing).unwrap();
        assert_eq!(
            files[1],
            Entry {
                mode: "-rwxr-xr-x".into(),
                owner: "0/0".into(),
                path: "usr/bin/tidepool-app".into()
            }
        );
        assert_eq!(files[2].path, "usr/share/applications/T.desktop");
        assert!(parse_listing("garbage line\n").is_err());
    }

    #[test]
    fn toml_lookup() {
        let text = "[package]\nname = \"a\"\nversion = \"1.2.3\"\n\n[[bin]]\nname = \"b\"\n[dependencies]\nversion = \"9\"\n";
        assert_eq!(
            toml_string(text, "package", "version").as_deref(),
            Some("1.2.3")
        );
        assert_eq!(toml_string(text, "bin", "name").as_deref(), Some("b"));
        assert_eq!(toml_string(text, "package", "edition"), None);
        assert_eq!(
            toml_string(
                "[package]\nversion.workspace = true\n",
                "package",
                "version"
            ),
            None
        );
    }
}
