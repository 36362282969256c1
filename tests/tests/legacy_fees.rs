//! Fees on a chain without EIP-1559 (anvil at the Berlin hardfork): the fee
//! market has no base fee, the presets are legacy gas prices from
//! `eth_gasPrice`, a custom max fee is refused with a sentence, a cap below
//! the gas price sends nothing, and a transfer is sent with the preset's
//! gas price and followed to its receipt by the tracker's rules.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use tidepool_sdk::alloy::consensus::Transaction as _;
use tidepool_sdk::alloy::network::TransactionBuilder;
use tidepool_sdk::alloy::providers::Provider;
use tidepool_sdk::alloy::rpc::types::TransactionRequest;
use tidepool_sdk::chain::Client;
use tidepool_sdk::fees::{FeeChoice, Fees, Speed};
use tidepool_sdk::signer::{SignerSource, dev_address};
use tidepool_sdk::{U256, deploy};
use tidepool_testkit::ports::{free_port, wait_listening};

struct Anvil(Child);

impl Drop for Anvil {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chain_without_eip1559_gets_legacy_gas_prices() {
    let port = free_port();
    let _anvil = Anvil(
        Command::new(tidepool_testkit::anvil())
            .args([
                "--port",
                &port.to_string(),
                "--hardfork",
                "berlin",
                "--gas-price",
                "2000000000",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("anvil starts"),
    );
    wait_listening(port, "anvil", Duration::from_secs(30)).unwrap();
    let client = Client::connect(&format!("http://127.0.0.1:{port}"))
        .await
        .unwrap();
    let market = client.fee_market().await.unwrap();
    assert_eq!(market.base_fee, None, "{market:?}");
    let price = market.gas_price;
    assert!(price > 0);
    assert_eq!(
        market.preset(Speed::Slow),
        Fees::Legacy { gas_price: price }
    );
    assert_eq!(
        market.preset(Speed::Fast),
        Fees::Legacy {
            gas_price: price * 13 / 10
        }
    );
    let custom = FeeChoice {
        max_fee: Some(5),
        ..FeeChoice::default()
    };
    let e = market.resolve(&custom).unwrap_err().to_string();
    assert!(e.contains("no EIP-1559"), "{e}");

    let signer = SignerSource::DevAccount(1).load(client.chain_id).unwrap();
    let to = dev_address(2);
    let transfer = || {
        TransactionRequest::default()
            .with_to(to)
            .with_value(U256::from(1_000u64))
    };
    // A cap below the gas price: nothing is sent.
    let capped = client.with_signer(&signer).unwrap().with_fees(FeeChoice {
        cap: Some(price - 1),
        ..FeeChoice::default()
    });
    let e = deploy::send(&capped, transfer())
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("above your fee cap"), "{e}");
    assert_eq!(
        client
            .provider
            .get_transaction_count(signer.address())
            .await
            .unwrap(),
        0
    );

    let sender = client.with_signer(&signer).unwrap();
    let receipt = deploy::send(&sender, transfer()).await.unwrap();
    let tx = client
        .provider
        .get_transaction_by_hash(receipt.transaction_hash)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        tx.gas_price(),
        Some(price * 11 / 10),
        "normal = 1.1 × eth_gasPrice"
    );
    assert_eq!(receipt.effective_gas_price, price * 11 / 10);
}
