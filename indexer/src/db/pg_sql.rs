//! The shared SQL in PostgreSQL's spelling, and the statements PostgreSQL
//! gets in place of SQLite's (many-row inserts); connection strings without
//! their password.

/// `postgres://user@host:port/db` of a connection string, password left out
/// (from the user part and from a `password=` parameter alike).
pub fn redact(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let (rest, query) = match rest.split_once('?') {
                Some((r, q)) => (r, Some(q)),
                None => (rest, None),
            };
            let (auth, host) = match rest.rsplit_once('@') {
                Some((auth, host)) => (Some(auth), host),
                None => (None, rest),
            };
            let mut out = match auth.map(|a| a.split(':').next().unwrap_or_default()) {
                Some(u) => format!("{scheme}://{u}@{host}"),
                None => format!("{scheme}://{host}"),
            };
            let kept: Vec<&str> = query
                .into_iter()
                .flat_map(|q| q.split('&'))
                .filter(|kv| !kv.to_ascii_lowercase().starts_with("password="))
                .collect();
            if !kept.is_empty() {
                out = format!("{out}?{}", kept.join("&"));
            }
            out
        }
        None => "(a PostgreSQL connection string)".into(),
    }
}

/// The shared SQL in PostgreSQL's spelling: `?N` and `?` parameters become
/// `$N`, the `main.` schema `public.` and `temp.` `pg_temp.`; string literals
/// are left alone.
pub fn translate(sql: &str) -> String {
    let b = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() + 16);
    let (mut i, mut next, mut start) = (0, 1, 0);
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    while i < b.len() {
        let c = b[i];
        if c == b'\'' {
            let end = sql[i + 1..].find('\'').map_or(b.len(), |j| i + j + 2);
            out.push_str(&sql[start..end]);
            (i, start) = (end, end);
            continue;
        }
        let word_start = i == 0 || !ident(b[i - 1]);
        if c == b'?' {
            out.push_str(&sql[start..i]);
            let digits = sql[i + 1..].bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 {
                out.push('$');
                out.push_str(&sql[i + 1..i + 1 + digits]);
            } else {
                out.push_str(&format!("${next}"));
                next += 1;
            }
            i += 1 + digits;
            start = i;
            continue;
        }
        let schema = [("main.", "public."), ("temp.", "pg_temp.")]
            .into_iter()
            .find(|(from, _)| word_start && sql[i..].starts_with(from));
        if let Some((from, to)) = schema {
            out.push_str(&sql[start..i]);
            out.push_str(to);
            i += from.len();
            start = i;
            continue;
        }
        i += 1;
    }
    out.push_str(&sql[start.min(b.len())..]);
    out
}

/// Rows per multi-row insert (21 columns × 128 rows stays far below the
/// protocol's 65,535 parameters).
pub(super) const ROWS_PER_INSERT: usize = 128;

/// `INSERT … VALUES (…) [ON CONFLICT …]` of one row as the same insert of
/// `rows` rows, the parameters of row j numbered after row j − 1's; `None`
/// when the statement is not of that shape (or its tail takes parameters).
/// An upsert of many rows must not touch one key twice; the write path's
/// upserts carry distinct keys (one row per candle, day or block).
pub(super) fn multi_row(sql: &str, rows: usize) -> Option<String> {
    let at = sql.rfind("VALUES")? + "VALUES".len();
    let body = sql[at..].trim_start();
    let open = sql.len() - body.len();
    if !body.starts_with('(') {
        return None;
    }
    // The tuple ends at the parenthesis that balances its first one.
    let mut depth = 0usize;
    let mut close = None;
    for (i, b) in body.bytes().enumerate() {
        match b {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let close = open + close?;
    let (tuple, tail) = (&sql[open..=close], &sql[close + 1..]);
    if tail.contains('?') {
        return None;
    }
    let numbers: Vec<usize> = tuple
        .split('?')
        .skip(1)
        .map(|p| {
            p.bytes()
                .take_while(u8::is_ascii_digit)
                .fold(0usize, |n, d| n * 10 + usize::from(d - b'0'))
        })
        .collect();
    let width = *numbers.iter().max()?;
    if numbers.contains(&0) {
        return None;
    }
    let mut out = String::from(&sql[..at]);
    for j in 0..rows {
        out.push_str(if j == 0 { " " } else { ", " });
        let mut rest = tuple;
        while let Some(q) = rest.find('?') {
            out.push_str(&rest[..q]);
            let digits = rest[q + 1..].bytes().take_while(u8::is_ascii_digit).count();
            let k: usize = rest[q + 1..q + 1 + digits].parse().ok()?;
            out.push_str(&format!("?{}", k + j * width));
            rest = &rest[q + 1 + digits..];
        }
        out.push_str(rest);
    }
    out.push_str(tail);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_dialect_becomes_postgresqls() {
        assert_eq!(
            translate("INSERT INTO main.t (a, b) VALUES (scope_chain(), ?1, ?12)"),
            "INSERT INTO public.t (a, b) VALUES (scope_chain(), $1, $12)"
        );
        assert_eq!(
            translate("SELECT x FROM t WHERE a >= ? AND b = '?main.' LIMIT ? OFFSET ?"),
            "SELECT x FROM t WHERE a >= $1 AND b = '?main.' LIMIT $2 OFFSET $3"
        );
        assert_eq!(
            translate("CREATE TEMP VIEW temp.swaps AS SELECT * FROM main.swaps, domain.x"),
            "CREATE TEMP VIEW pg_temp.swaps AS SELECT * FROM public.swaps, domain.x"
        );
    }

    #[test]
    fn one_row_inserts_become_many_row_inserts() {
        let sql = "INSERT INTO main.t (chain_id, a, b) VALUES (scope_chain(), ?1, ?2)";
        assert_eq!(
            multi_row(sql, 3).unwrap(),
            "INSERT INTO main.t (chain_id, a, b) VALUES (scope_chain(), ?1, ?2), (scope_chain(), ?3, ?4), (scope_chain(), ?5, ?6)"
        );
        let upsert = "INSERT INTO main.b (n, h) VALUES (?1, lower(?2)) ON CONFLICT (n) DO UPDATE SET h = excluded.h";
        assert_eq!(
            multi_row(upsert, 2).unwrap(),
            "INSERT INTO main.b (n, h) VALUES (?1, lower(?2)), (?3, lower(?4)) ON CONFLICT (n) DO UPDATE SET h = excluded.h"
        );
        assert_eq!(
            multi_row(
                "INSERT INTO t (a) VALUES (?1) ON CONFLICT (a) DO UPDATE SET a = ?2",
                2
            ),
            None
        );
        assert_eq!(multi_row("UPDATE t SET a = ?1", 2), None);
        assert_eq!(multi_row("INSERT INTO t VALUES (?, ?)", 2), None);
    }

    #[test]
    fn passwords_stay_out_of_names() {
        assert_eq!(
            redact("postgres://tidepool:s3cret@127.0.0.1:5432/index"),
            "postgres://tidepool@127.0.0.1:5432/index"
        );
        assert_eq!(redact("postgresql://h/db"), "postgresql://h/db");
        assert_eq!(
            redact("postgres://u@h:5/db?sslmode=disable&password=s3cret&application_name=x"),
            "postgres://u@h:5/db?sslmode=disable&application_name=x"
        );
        assert_eq!(redact("postgres://h/db?PASSWORD=a@b"), "postgres://h/db");
        assert!(!redact("host=x password=y").contains("password"));
    }
}
