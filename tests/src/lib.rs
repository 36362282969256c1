//! Cross-component tests live in `tests/tests/`: each starts what it needs
//! (anvil on a free loopback port, the `tidepool` binary, the indexer, the
//! app's core) through the shared test kit and checks that every component
//! reports the same facts.
