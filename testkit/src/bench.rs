//! Facts every benchmark prints beside its figures: the date, the machine
//! and the anvil that ran it; anvil state dumps made smaller to reload.

use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

/// Today's UTC date as YYYY-MM-DD.
pub fn date() -> String {
    let days = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    // H. Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `nproc` and the CPU model.
pub fn machine() -> (usize, String) {
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    (cpus, model)
}

/// anvil's version line.
pub fn anvil_version() -> String {
    crate::try_anvil()
        .ok()
        .and_then(|a| std::process::Command::new(a).arg("--version").output().ok())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.lines().next().map(str::to_string))
        .unwrap_or_else(|| "anvil (unknown version)".into())
}

// Anvil's state dump without the per-transaction call traces (most of its
// size, and nothing a benchmark reads): every `"traces": [...]` becomes `[]`.

/// The index just past the JSON array or object starting at `i`.
fn skip_container(s: &[u8], mut i: usize) -> usize {
    let (mut depth, mut in_str, mut esc) = (0usize, false, false);
    while i < s.len() {
        let c = s[i];
        i += 1;
        if in_str {
            if esc {
                esc = false;
            } else if c == b'\\' {
                esc = true;
            } else if c == b'"' {
                in_str = false;
            }
            continue;
        }
        match c {
            b'"' => in_str = true,
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    i
}

/// Copies `src` to `dst` with every `traces` array emptied; returns both sizes.
pub fn strip_traces(src: &Path, dst: &Path) -> std::io::Result<(u64, u64)> {
    let s = std::fs::read(src)?;
    let mut out = Vec::with_capacity(s.len() / 2);
    let key = b"\"traces\"";
    let (mut i, mut in_str, mut esc) = (0usize, false, false);
    while i < s.len() {
        let c = s[i];
        if in_str {
            out.push(c);
            if esc {
                esc = false;
            } else if c == b'\\' {
                esc = true;
            } else if c == b'"' {
                in_str = false;
            }
            i += 1;
            continue;
        }
        if c == b'"' && s[i..].starts_with(key) {
            // A key (outside any string): `"traces"`, optional spaces, `:`, the value.
            let mut j = i + key.len();
            while j < s.len() && s[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < s.len() && s[j] == b':' {
                j += 1;
                while j < s.len() && s[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j < s.len() && s[j] == b'[' {
                    out.extend_from_slice(b"\"traces\":[]");
                    i = skip_container(&s, j);
                    continue;
                }
            }
        }
        if c == b'"' {
            in_str = true;
        }
        out.push(c);
        i += 1;
    }
    let tmp = dst.with_extension("tmp");
    std::fs::write(&tmp, &out)?;
    std::fs::rename(&tmp, dst)?;
    Ok((s.len() as u64, out.len() as u64))
}
