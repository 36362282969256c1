//! The page, embedded: plain HTML, one same-origin script and one style
//! sheet, no third-party code.

/// `GET /?token=…`.
pub(crate) const INDEX_HTML: &str = include_str!("../page/index.html");
/// `GET /app.js`.
pub(crate) const APP_JS: &str = include_str!("../page/app.js");
/// `GET /style.css`.
pub(crate) const STYLE_CSS: &str = include_str!("../page/style.css");
