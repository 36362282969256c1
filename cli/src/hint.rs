//! The CLI's words for failures. Libraries return typed errors that name
//! what is wrong; this module adds what to do about it in the CLI's terms
//! (the flag to pass, the command to run). The app has its own wording.

use tidepool_flows::FlowError;
use tidepool_sdk::Error as SdkError;
use tidepool_sdk::attach::AttachError;
use tidepool_sdk::impact::ImpactRefusal;
use tidepool_sdk::wallet::WalletFailure;

/// The whole message for `err`: its chain of causes, then a hint.
pub fn render(err: &anyhow::Error) -> String {
    let text = format!("{err:#}");
    match hint(err) {
        Some(h) => format!("{text}; {h}"),
        None => text,
    }
}

/// What to do about `err`, from the first cause in its chain that has a hint.
fn hint(err: &anyhow::Error) -> Option<String> {
    err.chain().find_map(|cause| {
        if let Some(e) = cause.downcast_ref::<FlowError>() {
            return flow(e);
        }
        if let Some(e) = cause.downcast_ref::<SdkError>() {
            return sdk(e);
        }
        if let Some(e) = cause.downcast_ref::<ImpactRefusal>() {
            return Some(impact(e).into());
        }
        if let Some(e) = cause.downcast_ref::<tidepool_indexer::Error>() {
            return index(e);
        }
        if let Some(tidepool_devnet::Error::AnvilNotFound) =
            cause.downcast_ref::<tidepool_devnet::Error>()
        {
            return Some(
                "run `cargo xtask setup` in the Tidepool checkout (it installs the pinned anvil from npm), or pass --anvil PATH / set TIDEPOOL_ANVIL".into(),
            );
        }
        None
    })
}

fn index(e: &tidepool_indexer::Error) -> Option<String> {
    use tidepool_indexer::Error as E;
    Some(match e {
        E::Sdk(e) => return sdk(e),
        E::NoDatabase { .. } => "run `tidepool index` first, or pass the right --db".into(),
        E::Open { path, .. } if tidepool_indexer::db::Location::is_postgres_url(path) => {
            "is the PostgreSQL server up, and are the user, password, host, port and database in --db (or TIDEPOOL_DB) right?".into()
        }
        E::OtherFactory { .. } => "use another --db".into(),
        E::UnknownChain { .. } | E::ChainNeeded { .. } => {
            "pass --chain with one of the chains it holds".into()
        }
        E::DuplicateChain(_) => "give each chain one source in the index config".into(),
        E::NoFactory { .. } => "check --factory (or the manifest) and --rpc".into(),
        E::NotAFactory(_) => "check --factory".into(),
        E::ChainShorterThanStart(_) => "lower --from-block".into(),
        E::Listen { .. } => "pass another address with --listen".into(),
        _ => return None,
    })
}

fn impact(e: &ImpactRefusal) -> &'static str {
    match e {
        ImpactRefusal::Blocked { .. } => {
            "trade a smaller amount, or pass --allow-high-impact if you accept it"
        }
        ImpactRefusal::NeedsConfirmation { .. } => "pass --accept-impact to confirm",
    }
}

fn flow(e: &FlowError) -> Option<String> {
    match e {
        FlowError::Sdk(e) => sdk(e),
        FlowError::UnverifiedToken { address, .. } => Some(format!(
            "check the address where you trust, or import a token list (`tidepool tokens import FILE|URL`); to trade it anyway pass --trust-token {address} (remembered for this chain)"
        )),
        FlowError::Impact(e) => Some(impact(e).into()),
        FlowError::NeedsApproval { symbol, need, .. } => Some(format!(
            "run `tidepool approve {symbol} {need}` first, or drop --approve none"
        )),
        FlowError::SendInProgress { .. } => Some(
            "wait for the other command to finish (`tidepool tx list` shows what is pending), then retry"
                .into(),
        ),
        FlowError::UnknownTransaction(_) => {
            Some("`tidepool tx list` shows the transactions Tidepool sent (check --data-dir)".into())
        }
        FlowError::NotReplaceable { .. } => {
            Some("`tidepool tx status HASH` shows where it stands".into())
        }
        FlowError::Store(_) => Some("check --data-dir".into()),
        FlowError::TokenListSource { .. } => Some(
            "give a readable file or a reachable http(s) URL of a token list (the standard token-list JSON)".into(),
        ),
        FlowError::GasAboveReviewed { .. } => {
            Some("run the swap again: it is quoted and estimated afresh".into())
        }
        FlowError::QuoteForAnotherAccount
        | FlowError::NothingToApprove
        | FlowError::QuoteUsed
        | FlowError::NotYourTransaction { .. } => None,
    }
}

fn sdk(e: &SdkError) -> Option<String> {
    Some(match e {
        SdkError::Unreachable { .. } => "is the node running? Check --rpc".into(),
        SdkError::WrongChain { .. } => "point --rpc at the right node or fix --chain-id".into(),
        SdkError::NoCode { .. } => "redeploy or pass the right --manifest".into(),
        SdkError::GenesisMismatch { .. } => {
            "redeploy, or start the devnet with --state to keep it".into()
        }
        SdkError::NoManifest { .. } => {
            "start a devnet (`tidepool devnet`), deploy (`tidepool deploy`), or pass --manifest"
                .into()
        }
        SdkError::NoAccount => "pass --dev-account N (devnet), --keystore FILE, --mnemonic-file FILE or set TIDEPOOL_PRIVATE_KEY".into(),
        SdkError::DevAccountOffChain { .. } => {
            "use --keystore, --mnemonic-file or TIDEPOOL_PRIVATE_KEY".into()
        }
        SdkError::SlippageExceeded { .. } => "retry, or allow more --slippage".into(),
        SdkError::WrongPassword => "check --password-file or TIDEPOOL_KEYSTORE_PASSWORD".into(),
        SdkError::Wallet { failure, .. } => return wallet(failure),
        SdkError::NoPoolYet { .. } => "pass AMOUNT_B as well".into(),
        SdkError::Attach(a) => return attach(a),
        SdkError::FeeAboveCap { .. } => {
            "raise --fee-cap, pick a slower --speed or a lower --max-fee, or wait for lower fees".into()
        }
        SdkError::Replaced { by, .. } => format!(
            "`tidepool tx status {}` shows what was mined",
            by.map(|b| b.to_string()).unwrap_or_else(|| "HASH".into())
        ),
        SdkError::Dropped { .. } => "check your balance, then send again".into(),
        SdkError::NoRemoveAmount => "pass --percent P or --lp AMOUNT".into(),
        SdkError::Reverted(r) => match r.name.as_str() {
            "Expired" | "PermitExpired" => "retry with a later --deadline".into(),
            "InsufficientOutputAmount"
            | "ExcessiveInputAmount"
            | "InsufficientAAmount"
            | "InsufficientBAmount" => "retry, or allow more --slippage".into(),
            "TransferFromFailed" | "InsufficientAllowance" => "run `tidepool approve`".into(),
            _ => return None,
        },
        _ => return None,
    })
}

fn attach(e: &AttachError) -> Option<String> {
    Some(match e {
        AttachError::NoContract { .. } => {
            "check the address and that --rpc points at the deployment's chain".into()
        }
        AttachError::NotAFactory(_) | AttachError::NotARouter(_) => {
            "pass the V2 factory and its Router02".into()
        }
        AttachError::RouterOfOtherFactory { its_factory, .. } => {
            format!("pass --factory {its_factory}, or the router of your factory")
        }
        AttachError::WrongInitCodeHash { .. } | AttachError::UnknownInitCodeHash(_) => {
            "pass the deployment's --init-code-hash (keccak-256 of its pair creation code)".into()
        }
        AttachError::Unverifiable(_) => {
            "create a pool on it first, so the init code hash can be checked".into()
        }
    })
}

fn wallet(f: &WalletFailure) -> Option<String> {
    Some(match f {
        WalletFailure::WrongChain { .. } => {
            "switch the network in the wallet, or pass --switch-chain to have Tidepool ask it".into()
        }
        WalletFailure::UnknownChain { .. } => {
            "add the network (its RPC URL and chain id) in the wallet, then retry".into()
        }
        WalletFailure::Unauthorized | WalletFailure::NoAccount => {
            "unlock the wallet and allow Tidepool to use the account, then retry".into()
        }
        WalletFailure::AccountMissing(_) => {
            "pass --from with one of the wallet's accounts, or drop --from".into()
        }
        WalletFailure::Closed(_) => {
            "is the wallet running? Check --external-signer (Frame listens on http://127.0.0.1:1248)".into()
        }
        WalletFailure::TypedDataUnsupported => "pass --no-permit to approve instead".into(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_sentence_is_said_twice() {
        let e = anyhow::Error::new(SdkError::Route(tidepool_sdk::route::RouteError::SameToken));
        let text = render(&e);
        assert_eq!(
            text.matches("the input and output token are the same")
                .count(),
            1,
            "{text}"
        );
        let e = anyhow::Error::new(FlowError::Sdk(SdkError::Route(
            tidepool_sdk::route::RouteError::InvalidMaxHops(9),
        )));
        assert_eq!(render(&e).matches("not 9").count(), 1, "{}", render(&e));
    }

    #[test]
    fn hints_name_the_flags() {
        let e = anyhow::Error::new(FlowError::Sdk(SdkError::WrongChain {
            expected: 1,
            actual: 31337,
        }));
        assert_eq!(
            render(&e),
            "the RPC endpoint is on chain 31337, but chain 1 was expected; point --rpc at the right node or fix --chain-id"
        );
        let e = anyhow::Error::new(FlowError::NeedsApproval {
            token: tidepool_sdk::Address::ZERO,
            symbol: "USDC".into(),
            amount: tidepool_sdk::U256::from(5u8),
            need: "0.000005".into(),
        });
        assert!(
            render(&e)
                .ends_with("run `tidepool approve USDC 0.000005` first, or drop --approve none")
        );
    }
}
