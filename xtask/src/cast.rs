//! `cast` invocations against a local node, and reading what cast prints.

use anyhow::Result;

use crate::proc::Cmd;
use crate::ws;

/// `cast <subcommand> --rpc-url <url>`; options go before positional arguments
/// (trailing variadic arguments would swallow them).
pub fn cmd(subcommand: &str, url: &str) -> Cmd {
    Cmd::new(ws::cast()).args([subcommand, "--rpc-url", url])
}

/// Reads `to.sig(args)` with `eth_call`; `sig` includes the return types,
/// e.g. `getPair(address,address)(address)`. Returns cast's rendering.
pub fn call(url: &str, to: &str, sig: &str, args: &[String]) -> Result<String> {
    cmd("call", url).arg(to).arg(sig).args(args).read()
}

/// The leading number of cast's rendering of a uint (`2988020943 [2.988e9]`).
pub fn uint(rendered: &str) -> Option<String> {
    let first = rendered.split_whitespace().next()?;
    (!first.is_empty() && first.bytes().all(|b| b.is_ascii_digit())).then(|| first.to_string())
}

/// The last number of cast's rendering of a `uint256[]` (`[1, 2 [2e0]]`).
pub fn last_uint(rendered: &str) -> Option<String> {
    let inner = rendered.trim().strip_prefix('[')?.strip_suffix(']')?;
    uint(inner.split(',').next_back()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cast_renderings() {
        assert_eq!(uint("2988020943 [2.988e9]").as_deref(), Some("2988020943"));
        assert_eq!(uint("8").as_deref(), Some("8"));
        assert_eq!(uint("0xabc"), None);
        assert_eq!(
            last_uint("[1000000000000000000 [1e18], 996006981039903216 [9.96e17]]").as_deref(),
            Some("996006981039903216")
        );
        assert_eq!(last_uint("[5]").as_deref(), Some("5"));
        assert_eq!(last_uint("[]"), None);
        assert_eq!(last_uint("12"), None);
    }
}
