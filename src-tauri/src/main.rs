//! `tidepool-app`: the desktop app. `tidepool-app --export-bindings PATH`
//! writes the TypeScript bindings of its commands and exits.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, path] = args.as_slice()
        && flag == "--export-bindings"
    {
        return tidepool_app::commands::export_bindings(std::path::Path::new(path));
    }
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        anyhow::bail!(
            "no display: the desktop app needs a graphical session (DISPLAY or WAYLAND_DISPLAY). On a headless machine run it under Xvfb: xvfb-run -a tidepool-app"
        );
    }
    tidepool_app::run()
}
