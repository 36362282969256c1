//! An anvil on a chain id other than the devnet's, for tests of several
//! chains: a free loopback port, killed on drop, and a client signing with
//! anvil's first public dev key loaded as a plain key (the SDK offers dev
//! accounts by name on chain 31337 only).

use std::process::Stdio;
use std::time::Duration;

use tidepool_sdk::chain::Client;
use tidepool_sdk::signer::{SignerSource, dev_signer};

use crate::ports::free_port;

/// A bare anvil on another chain (no contracts deployed).
pub struct ForeignChain {
    _child: tokio::process::Child,
    /// Its RPC URL.
    pub url: String,
    /// A client signing as anvil's dev account 0.
    pub client: Client,
}

impl ForeignChain {
    /// Starts anvil on `chain_id` and waits until it answers.
    pub async fn start(chain_id: u64) -> Self {
        let port = free_port();
        let child = tokio::process::Command::new(crate::anvil())
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--chain-id", &chain_id.to_string(), "--hardfork", "cancun"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("anvil starts");
        let url = format!("http://127.0.0.1:{port}");
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        let client = loop {
            if let Ok(c) = Client::connect(&url).await {
                break c;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "anvil did not start on port {port}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        assert_eq!(client.chain_id, chain_id);
        let key = format!("{:#x}", dev_signer(0).to_bytes());
        let signer = SignerSource::PrivateKey(key)
            .load(chain_id)
            .expect("anvil's dev key");
        let client = client.with_signer(&signer).expect("a signing client");
        Self {
            _child: child,
            url,
            client,
        }
    }
}
