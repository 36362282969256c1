//! Where an index lives, as the command line and the config file name it.

/// Where the index lives: a SQLite file (the default) or a PostgreSQL
/// database, named by a `postgres://` or `postgresql://` URL.
#[derive(Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(from = "String")]
pub enum Location {
    /// A SQLite file.
    File(std::path::PathBuf),
    /// A PostgreSQL connection URL (`postgres://user:password@host:port/db`).
    Postgres(String),
}

impl Location {
    /// Whether `s` names a PostgreSQL database (`postgres://` or
    /// `postgresql://`) rather than a file; also true of the redacted form
    /// errors carry.
    pub fn is_postgres_url(s: &str) -> bool {
        s.starts_with("postgres://") || s.starts_with("postgresql://")
    }
}

impl From<String> for Location {
    fn from(s: String) -> Self {
        if Self::is_postgres_url(&s) {
            Self::Postgres(s)
        } else {
            Self::File(s.into())
        }
    }
}

impl From<std::path::PathBuf> for Location {
    fn from(p: std::path::PathBuf) -> Self {
        Self::File(p)
    }
}

impl From<&std::path::Path> for Location {
    fn from(p: &std::path::Path) -> Self {
        Self::File(p.to_path_buf())
    }
}

impl std::str::FromStr for Location {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        Ok(s.to_string().into())
    }
}

/// The file's path, or the URL without its password.
impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::File(p) => write!(f, "{}", p.display()),
            Self::Postgres(url) => f.write_str(&super::pg_sql::redact(url)),
        }
    }
}

/// As Display, so a `{:?}` of a config holding it prints no password.
impl std::fmt::Debug for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::File(p) => f.debug_tuple("File").field(p).finish(),
            Self::Postgres(_) => f.debug_tuple("Postgres").field(&self.to_string()).finish(),
        }
    }
}
