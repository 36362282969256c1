use serde_json::json;

use super::*;

fn abi(v: Value) -> Abi {
    parse(&v).expect("valid ABI")
}

fn func(name: &str, inputs: &[&str], outputs: &[&str], mutability: &str) -> Value {
    let params = |tys: &[&str]| -> Vec<Value> {
        tys.iter().map(|t| json!({"name": "", "type": t})).collect()
    };
    json!({"type": "function", "name": name, "inputs": params(inputs),
           "outputs": params(outputs), "stateMutability": mutability})
}

fn event(name: &str, params: &[(&str, &str, bool)]) -> Value {
    let inputs: Vec<Value> = params
        .iter()
        .map(|(n, t, i)| json!({"name": n, "type": t, "indexed": i}))
        .collect();
    json!({"type": "event", "name": name, "inputs": inputs, "anonymous": false})
}

fn reference() -> Abi {
    abi(json!([
        func("getPair", &["address", "address"], &["address"], "view"),
        func(
            "createPair",
            &["address", "address"],
            &["address"],
            "nonpayable"
        ),
        func("WETH", &[], &["address"], "pure"),
        event(
            "PairCreated",
            &[
                ("token0", "address", true),
                ("token1", "address", true),
                ("pair", "address", false),
                ("", "uint256", false)
            ]
        ),
    ]))
}

fn implementation() -> Abi {
    abi(json!([func("WETH", &[], &["address"], "view")]))
}

#[test]
fn identical_abis_match() {
    let report = compare(&reference(), &implementation(), &reference());
    assert!(report.mismatches.is_empty(), "{:?}", report.mismatches);
    assert!(report.notes.is_empty());
}

#[test]
fn legacy_constant_and_payable_flags_are_normalised() {
    let old = abi(json!([
        {"type": "function", "name": "a", "inputs": [], "outputs": [], "constant": true, "payable": false},
        {"type": "function", "name": "b", "inputs": [], "outputs": [], "constant": false, "payable": true},
        {"type": "function", "name": "c", "inputs": [], "outputs": [], "constant": false, "payable": false},
    ]));
    let new = abi(json!([
        func("a", &[], &[], "view"),
        func("b", &[], &[], "payable"),
        func("c", &[], &[], "nonpayable"),
    ]));
    let report = compare(&old, &Abi::default(), &new);
    assert!(report.mismatches.is_empty(), "{:?}", report.mismatches);
}

#[test]
fn missing_function_and_wrong_inputs_are_reported_by_name() {
    let ours = abi(json!([
        func("getPair", &["address"], &["address"], "view"),
        func("WETH", &[], &["address"], "pure"),
        event(
            "PairCreated",
            &[
                ("token0", "address", true),
                ("token1", "address", true),
                ("pair", "address", false),
                ("", "uint256", false)
            ]
        ),
    ]));
    let report = compare(&reference(), &implementation(), &ours);
    assert_eq!(
        report.mismatches,
        vec![
            "function getPair(address,address): missing (ours has getPair(address))",
            "function createPair(address,address): missing",
        ]
    );
}

#[test]
fn outputs_and_mutability_must_match() {
    let ours = abi(json!([
        func(
            "getPair",
            &["address", "address"],
            &["address", "bool"],
            "view"
        ),
        func(
            "createPair",
            &["address", "address"],
            &["address"],
            "payable"
        ),
        func("WETH", &[], &["address"], "view"),
        event(
            "PairCreated",
            &[
                ("token0", "address", true),
                ("token1", "address", true),
                ("pair", "address", false),
                ("", "uint256", false)
            ]
        ),
    ]));
    let report = compare(&reference(), &implementation(), &ours);
    assert_eq!(
        report.mismatches,
        vec![
            "function getPair(address,address): returns (address,bool), V2 returns (address)",
            "function createPair(address,address): payable, V2 has nonpayable",
        ]
    );
    // `view` where the interface says `pure` is accepted because Uniswap's own
    // implementation is `view`.
    assert_eq!(report.notes.len(), 1);
    assert!(report.notes[0].starts_with("function WETH(): view like Uniswap's implementation"));
}

#[test]
fn pure_vs_view_without_implementation_precedent_is_a_mismatch() {
    let ours = abi(json!([
        func("getPair", &["address", "address"], &["address"], "pure"),
        func(
            "createPair",
            &["address", "address"],
            &["address"],
            "nonpayable"
        ),
        func("WETH", &[], &["address"], "pure"),
        event(
            "PairCreated",
            &[
                ("token0", "address", true),
                ("token1", "address", true),
                ("pair", "address", false),
                ("", "uint256", false)
            ]
        ),
    ]));
    let report = compare(&reference(), &implementation(), &ours);
    assert_eq!(
        report.mismatches,
        vec!["function getPair(address,address): pure, V2 has view"]
    );
}

#[test]
fn event_types_indexed_flags_and_names() {
    let ours = abi(json!([
        func("getPair", &["address", "address"], &["address"], "view"),
        func(
            "createPair",
            &["address", "address"],
            &["address"],
            "nonpayable"
        ),
        func("WETH", &[], &["address"], "pure"),
        event(
            "PairCreated",
            &[
                ("token0", "address", true),
                ("token1", "address", false),
                ("pair", "address", false),
                ("", "uint256", false)
            ]
        ),
    ]));
    let report = compare(&reference(), &implementation(), &ours);
    assert_eq!(
        report.mismatches,
        vec![
            "event PairCreated(address indexed,address indexed,address,uint256): differs \
             (ours: PairCreated(address indexed,address,address,uint256))"
        ]
    );

    let renamed = abi(json!([event(
        "PairCreated",
        &[
            ("a", "address", true),
            ("token1", "address", true),
            ("pair", "address", false),
            ("n", "uint256", false)
        ]
    )]));
    let only_event = abi(json!([event(
        "PairCreated",
        &[
            ("token0", "address", true),
            ("token1", "address", true),
            ("pair", "address", false),
            ("", "uint256", false)
        ]
    )]));
    let report = compare(&only_event, &Abi::default(), &renamed);
    assert!(report.mismatches.is_empty());
    assert_eq!(
        report.notes.len(),
        1,
        "parameter names are a note, not a failure"
    );
}

#[test]
fn tuple_types_are_canonical() {
    let v = json!([{
        "type": "function", "name": "f", "stateMutability": "view", "outputs": [],
        "inputs": [{"name": "s", "type": "tuple[]", "components": [
            {"name": "a", "type": "uint256"},
            {"name": "b", "type": "tuple", "components": [{"name": "c", "type": "address"}]}
        ]}]
    }]);
    let parsed = abi(v);
    assert_eq!(parsed.functions[0].signature(), "f((uint256,(address))[])");
}
