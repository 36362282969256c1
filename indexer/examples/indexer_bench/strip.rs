//! Anvil's state dump without the per-transaction call traces (most of its
//! size, and nothing an indexer reads): every `"traces": [...]` becomes `[]`.

use std::path::Path;

use crate::chain::Res;

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
pub fn traces(src: &Path, dst: &Path) -> Res<(u64, u64)> {
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
