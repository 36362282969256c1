//! The SQLite schema: a documented, versioned public interface (README,
//! "The index database"). Migrations run in order inside one transaction;
//! `PRAGMA user_version` records the version reached.
//!
//! Since version 4 every row carries the `chain_id` of the chain it was read
//! from, and every key leads with it: one store holds several chains.
//!
//! Conventions: addresses and hashes are lower-case `0x…` hex TEXT; uint256
//! amounts are exact decimal TEXT (cast with care: SQLite's REAL has 53 bits);
//! times are unix seconds (INTEGER); `price` columns are REAL, token1 per
//! token0 in whole tokens (decimals applied), for charts.

/// Each migration, in order; index + 1 is the version it brings the database to.
pub const MIGRATIONS: &[&str] = &[
    // 1: raw events, derived analytics, the checkpoint.
    r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Blocks that carried indexed events, and the checkpoint block: their hashes are
-- what reorgs are detected with.
CREATE TABLE blocks (
    number      INTEGER PRIMARY KEY,
    hash        TEXT NOT NULL,
    timestamp   INTEGER NOT NULL
);

CREATE TABLE tokens (
    address  TEXT PRIMARY KEY,
    symbol   TEXT,
    name     TEXT,
    decimals INTEGER,
    unit     REAL              -- 10^decimals, for prices in SQL (NULL when unknown)
);

CREATE TABLE pairs (
    address      TEXT PRIMARY KEY,
    token0       TEXT NOT NULL,
    token1       TEXT NOT NULL,
    pair_index   INTEGER NOT NULL,
    block_number INTEGER NOT NULL,
    log_index    INTEGER NOT NULL,
    tx_hash      TEXT NOT NULL,
    timestamp    INTEGER NOT NULL
);
CREATE INDEX pairs_token0 ON pairs(token0);
CREATE INDEX pairs_token1 ON pairs(token1);

CREATE TABLE swaps (
    block_number INTEGER NOT NULL,
    log_index    INTEGER NOT NULL,
    tx_hash      TEXT NOT NULL,
    pair         TEXT NOT NULL,
    sender       TEXT NOT NULL,
    recipient    TEXT NOT NULL,
    amount0_in   TEXT NOT NULL,
    amount1_in   TEXT NOT NULL,
    amount0_out  TEXT NOT NULL,
    amount1_out  TEXT NOT NULL,
    reserve0     TEXT,            -- the pair's reserves after the swap (its Sync)
    reserve1     TEXT,
    price        REAL,            -- token1 per token0 after the swap
    timestamp    INTEGER NOT NULL,
    PRIMARY KEY (block_number, log_index)
) WITHOUT ROWID;
CREATE INDEX swaps_pair_time ON swaps(pair, timestamp);
CREATE INDEX swaps_recipient_time ON swaps(recipient, timestamp);
CREATE INDEX swaps_time ON swaps(timestamp);

CREATE TABLE mints (
    block_number INTEGER NOT NULL,
    log_index    INTEGER NOT NULL,
    tx_hash      TEXT NOT NULL,
    pair         TEXT NOT NULL,
    sender       TEXT NOT NULL,
    amount0      TEXT NOT NULL,
    amount1      TEXT NOT NULL,
    timestamp    INTEGER NOT NULL,
    PRIMARY KEY (block_number, log_index)
) WITHOUT ROWID;
CREATE INDEX mints_pair_time ON mints(pair, timestamp);

CREATE TABLE burns (
    block_number INTEGER NOT NULL,
    log_index    INTEGER NOT NULL,
    tx_hash      TEXT NOT NULL,
    pair         TEXT NOT NULL,
    sender       TEXT NOT NULL,
    recipient    TEXT NOT NULL,
    amount0      TEXT NOT NULL,
    amount1      TEXT NOT NULL,
    timestamp    INTEGER NOT NULL,
    PRIMARY KEY (block_number, log_index)
) WITHOUT ROWID;
CREATE INDEX burns_pair_time ON burns(pair, timestamp);

CREATE TABLE syncs (
    block_number INTEGER NOT NULL,
    log_index    INTEGER NOT NULL,
    pair         TEXT NOT NULL,
    reserve0     TEXT NOT NULL,
    reserve1     TEXT NOT NULL,
    timestamp    INTEGER NOT NULL,
    PRIMARY KEY (block_number, log_index)
) WITHOUT ROWID;
CREATE INDEX syncs_pair_time ON syncs(pair, timestamp);

CREATE TABLE lp_transfers (
    block_number INTEGER NOT NULL,
    log_index    INTEGER NOT NULL,
    tx_hash      TEXT NOT NULL,
    pair         TEXT NOT NULL,
    from_address TEXT NOT NULL,
    to_address   TEXT NOT NULL,
    value        TEXT NOT NULL,
    timestamp    INTEGER NOT NULL,
    PRIMARY KEY (block_number, log_index)
) WITHOUT ROWID;
CREATE INDEX lp_transfers_to ON lp_transfers(to_address);
CREATE INDEX lp_transfers_from ON lp_transfers(from_address);

-- Derived, rebuilt from the raw tables for every bucket a batch or a reorg touches.
CREATE TABLE candles (
    pair      TEXT NOT NULL,
    interval  INTEGER NOT NULL,   -- seconds: 60, 300, 3600, 86400
    bucket    INTEGER NOT NULL,   -- start of the bucket (unix seconds)
    open      REAL NOT NULL,
    high      REAL NOT NULL,
    low       REAL NOT NULL,
    close     REAL NOT NULL,
    volume0   TEXT NOT NULL,      -- token0 in + out, base units
    volume1   TEXT NOT NULL,
    swaps     INTEGER NOT NULL,
    PRIMARY KEY (pair, interval, bucket)
) WITHOUT ROWID;

CREATE TABLE pair_days (
    pair      TEXT NOT NULL,
    day       INTEGER NOT NULL,   -- start of the UTC day (unix seconds)
    volume0   TEXT NOT NULL,
    volume1   TEXT NOT NULL,
    fees0     TEXT NOT NULL,      -- 0.3% of token0 paid in
    fees1     TEXT NOT NULL,
    swaps     INTEGER NOT NULL,
    reserve0  TEXT NOT NULL,      -- reserves at the end of the day
    reserve1  TEXT NOT NULL,
    PRIMARY KEY (pair, day)
) WITHOUT ROWID;

CREATE TABLE token_days (
    token     TEXT NOT NULL,
    day       INTEGER NOT NULL,
    volume    TEXT NOT NULL,      -- in + out over every pair, base units
    fees      TEXT NOT NULL,
    tvl       TEXT NOT NULL,      -- held by every pair at the end of the day
    swaps     INTEGER NOT NULL,
    PRIMARY KEY (token, day)
) WITHOUT ROWID;

-- One account's trades: the recipient of the swap, with its execution price
-- (token out per token in, whole tokens).
CREATE VIEW account_trades AS
SELECT s.recipient AS account, s.timestamp, s.block_number, s.log_index, s.tx_hash, s.pair,
       CASE WHEN s.amount0_in != '0' THEN p.token0 ELSE p.token1 END AS token_in,
       CASE WHEN s.amount0_in != '0' THEN p.token1 ELSE p.token0 END AS token_out,
       CASE WHEN s.amount0_in != '0' THEN s.amount0_in ELSE s.amount1_in END AS amount_in,
       CASE WHEN s.amount0_in != '0' THEN s.amount1_out ELSE s.amount0_out END AS amount_out,
       CASE WHEN s.amount0_in != '0'
            THEN (CAST(s.amount1_out AS REAL) / coalesce(t1.unit, 1))
               / (CAST(s.amount0_in AS REAL) / coalesce(t0.unit, 1))
            ELSE (CAST(s.amount0_out AS REAL) / coalesce(t0.unit, 1))
               / (CAST(s.amount1_in AS REAL) / coalesce(t1.unit, 1))
       END AS execution_price
FROM swaps s
JOIN pairs p ON p.address = s.pair
LEFT JOIN tokens t0 ON t0.address = p.token0
LEFT JOIN tokens t1 ON t1.address = p.token1;
"#,
    // 2: a candle opens where the price stood before its first swap (version 1
    // opened it at that swap's own price, so a bucket of one swap was a flat
    // line), and the price before each swap counts in high and low. Exact
    // reserves before a swap need 256-bit arithmetic, so `Store::migrate`
    // rebuilds the candles from the raw swaps in Rust after this step.
    "-- candles rebuilt by the store",
    // 3: the Uniswap V2 subgraph's pricing (`crate::pricing`), stored on the
    // rows it was computed at, and its USD and ETH sums in the derived tables
    // (micro-USD and micro-ETH integers: sums stay exact and associative).
    // The store re-prices every event when the pricing settings change
    // (and so after this migration).
    r#"
ALTER TABLE syncs ADD COLUMN eth_price REAL;            -- Bundle.ethPrice after this Sync
ALTER TABLE syncs ADD COLUMN derived_eth0 REAL;         -- token0.derivedETH after it
ALTER TABLE syncs ADD COLUMN derived_eth1 REAL;
ALTER TABLE syncs ADD COLUMN tracked_reserve_eth REAL;  -- Pair.trackedReserveETH
ALTER TABLE swaps ADD COLUMN tracked_usd REAL;          -- what the swap adds to volumeUSD
ALTER TABLE swaps ADD COLUMN tracked_eth REAL;
ALTER TABLE swaps ADD COLUMN untracked_usd REAL;        -- ... to untrackedVolumeUSD
ALTER TABLE swaps ADD COLUMN eth0 REAL;                 -- token0 in + out, in ETH
ALTER TABLE swaps ADD COLUMN usd0 REAL;                 -- ... in USD
ALTER TABLE swaps ADD COLUMN eth1 REAL;
ALTER TABLE swaps ADD COLUMN usd1 REAL;
ALTER TABLE mints ADD COLUMN amount_usd REAL;
ALTER TABLE burns ADD COLUMN amount_usd REAL;
CREATE INDEX lp_transfers_pair ON lp_transfers(pair);
ALTER TABLE candles ADD COLUMN volume_usd INTEGER NOT NULL DEFAULT 0;    -- tracked, micro-USD
ALTER TABLE pair_days ADD COLUMN volume_usd INTEGER NOT NULL DEFAULT 0;  -- tracked, micro-USD
ALTER TABLE pair_days ADD COLUMN volume_eth INTEGER NOT NULL DEFAULT 0;  -- tracked, micro-ETH
ALTER TABLE pair_days ADD COLUMN untracked_usd INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pair_days ADD COLUMN eth0 INTEGER NOT NULL DEFAULT 0;        -- token0's side, micro-ETH
ALTER TABLE pair_days ADD COLUMN usd0 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pair_days ADD COLUMN eth1 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pair_days ADD COLUMN usd1 INTEGER NOT NULL DEFAULT 0;
ALTER TABLE token_days ADD COLUMN volume_usd INTEGER NOT NULL DEFAULT 0;     -- tracked over its pairs
ALTER TABLE token_days ADD COLUMN untracked_usd INTEGER NOT NULL DEFAULT 0;
ALTER TABLE token_days ADD COLUMN side_eth INTEGER NOT NULL DEFAULT 0;       -- its own amounts, micro-ETH
ALTER TABLE token_days ADD COLUMN side_usd INTEGER NOT NULL DEFAULT 0;
"#,
    // 4: several chains in one store. Every row carries its `chain_id`, which
    // leads every key; `chains` holds what `meta` held per chain (factory,
    // genesis, checkpoint, pricing). SQLite cannot change a primary key, so
    // `Store::migrate` rebuilds the tables from `TABLES_V4` and copies the
    // rows over (tagged with the chain `meta` recorded) after this step.
    "-- tables rebuilt by the store",
];

/// The migration that puts a `chain_id` on every row.
pub const CHAIN_IDS: u32 = 4;

/// The data tables, in the order they are rebuilt by migration 4.
pub const DATA_TABLES: &[&str] = &[
    "blocks",
    "tokens",
    "pairs",
    "swaps",
    "mints",
    "burns",
    "syncs",
    "lp_transfers",
    "candles",
    "pair_days",
    "token_days",
];

/// Version 4's tables (without their secondary indexes: `INDEXES_V4`).
pub const TABLES_V4: &str = r#"
-- One row per indexed chain: its factory, its genesis (a devnet restarted under
-- the same chain id is detected by it), the checkpoint and the pricing settings.
CREATE TABLE chains (
    chain_id         INTEGER PRIMARY KEY,
    factory          TEXT NOT NULL,
    genesis_hash     TEXT NOT NULL,
    start_block      INTEGER NOT NULL,
    checkpoint_block INTEGER,           -- the last block whose events are all stored
    checkpoint_hash  TEXT,
    pricing          TEXT              -- JSON, `crate::pricing::PricingConfig`
);

CREATE TABLE blocks (
    chain_id    INTEGER NOT NULL,
    number      INTEGER NOT NULL,
    hash        TEXT NOT NULL,
    timestamp   INTEGER NOT NULL,
    PRIMARY KEY (chain_id, number)
) WITHOUT ROWID;

CREATE TABLE tokens (
    chain_id INTEGER NOT NULL,
    address  TEXT NOT NULL,
    symbol   TEXT,
    name     TEXT,
    decimals INTEGER,
    unit     REAL,             -- 10^decimals, for prices in SQL (NULL when unknown)
    PRIMARY KEY (chain_id, address)
);

CREATE TABLE pairs (
    chain_id     INTEGER NOT NULL,
    address      TEXT NOT NULL,
    token0       TEXT NOT NULL,
    token1       TEXT NOT NULL,
    pair_index   INTEGER NOT NULL,
    block_number INTEGER NOT NULL,
    log_index    INTEGER NOT NULL,
    tx_hash      TEXT NOT NULL,
    timestamp    INTEGER NOT NULL,
    PRIMARY KEY (chain_id, address)
);

CREATE TABLE swaps (
    chain_id     INTEGER NOT NULL,
    block_number INTEGER NOT NULL,
    log_index    INTEGER NOT NULL,
    tx_hash      TEXT NOT NULL,
    pair         TEXT NOT NULL,
    sender       TEXT NOT NULL,
    recipient    TEXT NOT NULL,
    amount0_in   TEXT NOT NULL,
    amount1_in   TEXT NOT NULL,
    amount0_out  TEXT NOT NULL,
    amount1_out  TEXT NOT NULL,
    reserve0     TEXT,            -- the pair's reserves after the swap (its Sync)
    reserve1     TEXT,
    price        REAL,            -- token1 per token0 after the swap
    timestamp    INTEGER NOT NULL,
    tracked_usd   REAL,           -- what the swap adds to volumeUSD
    tracked_eth   REAL,
    untracked_usd REAL,           -- ... to untrackedVolumeUSD
    eth0          REAL,           -- token0 in + out, in ETH
    usd0          REAL,           -- ... in USD
    eth1          REAL,
    usd1          REAL,
    PRIMARY KEY (chain_id, block_number, log_index)
) WITHOUT ROWID;

CREATE TABLE mints (
    chain_id     INTEGER NOT NULL,
    block_number INTEGER NOT NULL,
    log_index    INTEGER NOT NULL,
    tx_hash      TEXT NOT NULL,
    pair         TEXT NOT NULL,
    sender       TEXT NOT NULL,
    amount0      TEXT NOT NULL,
    amount1      TEXT NOT NULL,
    timestamp    INTEGER NOT NULL,
    amount_usd   REAL,
    PRIMARY KEY (chain_id, block_number, log_index)
) WITHOUT ROWID;

CREATE TABLE burns (
    chain_id     INTEGER NOT NULL,
    block_number INTEGER NOT NULL,
    log_index    INTEGER NOT NULL,
    tx_hash      TEXT NOT NULL,
    pair         TEXT NOT NULL,
    sender       TEXT NOT NULL,
    recipient    TEXT NOT NULL,
    amount0      TEXT NOT NULL,
    amount1      TEXT NOT NULL,
    timestamp    INTEGER NOT NULL,
    amount_usd   REAL,
    PRIMARY KEY (chain_id, block_number, log_index)
) WITHOUT ROWID;

CREATE TABLE syncs (
    chain_id     INTEGER NOT NULL,
    block_number INTEGER NOT NULL,
    log_index    INTEGER NOT NULL,
    pair         TEXT NOT NULL,
    reserve0     TEXT NOT NULL,
    reserve1     TEXT NOT NULL,
    timestamp    INTEGER NOT NULL,
    eth_price           REAL,     -- Bundle.ethPrice after this Sync
    derived_eth0        REAL,     -- token0.derivedETH after it
    derived_eth1        REAL,
    tracked_reserve_eth REAL,     -- Pair.trackedReserveETH
    PRIMARY KEY (chain_id, block_number, log_index)
) WITHOUT ROWID;

CREATE TABLE lp_transfers (
    chain_id     INTEGER NOT NULL,
    block_number INTEGER NOT NULL,
    log_index    INTEGER NOT NULL,
    tx_hash      TEXT NOT NULL,
    pair         TEXT NOT NULL,
    from_address TEXT NOT NULL,
    to_address   TEXT NOT NULL,
    value        TEXT NOT NULL,
    timestamp    INTEGER NOT NULL,
    PRIMARY KEY (chain_id, block_number, log_index)
) WITHOUT ROWID;

CREATE TABLE candles (
    chain_id  INTEGER NOT NULL,
    pair      TEXT NOT NULL,
    interval  INTEGER NOT NULL,   -- seconds: 60, 300, 3600, 86400
    bucket    INTEGER NOT NULL,   -- start of the bucket (unix seconds)
    open      REAL NOT NULL,
    high      REAL NOT NULL,
    low       REAL NOT NULL,
    close     REAL NOT NULL,
    volume0   TEXT NOT NULL,      -- token0 in + out, base units
    volume1   TEXT NOT NULL,
    swaps     INTEGER NOT NULL,
    volume_usd INTEGER NOT NULL DEFAULT 0,    -- tracked, micro-USD
    PRIMARY KEY (chain_id, pair, interval, bucket)
) WITHOUT ROWID;

CREATE TABLE pair_days (
    chain_id  INTEGER NOT NULL,
    pair      TEXT NOT NULL,
    day       INTEGER NOT NULL,   -- start of the UTC day (unix seconds)
    volume0   TEXT NOT NULL,
    volume1   TEXT NOT NULL,
    fees0     TEXT NOT NULL,      -- 0.3% of token0 paid in
    fees1     TEXT NOT NULL,
    swaps     INTEGER NOT NULL,
    reserve0  TEXT NOT NULL,      -- reserves at the end of the day
    reserve1  TEXT NOT NULL,
    volume_usd    INTEGER NOT NULL DEFAULT 0,  -- tracked, micro-USD
    volume_eth    INTEGER NOT NULL DEFAULT 0,  -- tracked, micro-ETH
    untracked_usd INTEGER NOT NULL DEFAULT 0,
    eth0          INTEGER NOT NULL DEFAULT 0,  -- token0's side, micro-ETH
    usd0          INTEGER NOT NULL DEFAULT 0,
    eth1          INTEGER NOT NULL DEFAULT 0,
    usd1          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (chain_id, pair, day)
) WITHOUT ROWID;

CREATE TABLE token_days (
    chain_id  INTEGER NOT NULL,
    token     TEXT NOT NULL,
    day       INTEGER NOT NULL,
    volume    TEXT NOT NULL,      -- in + out over every pair, base units
    fees      TEXT NOT NULL,
    tvl       TEXT NOT NULL,      -- held by every pair at the end of the day
    swaps     INTEGER NOT NULL,
    volume_usd    INTEGER NOT NULL DEFAULT 0,  -- tracked over its pairs
    untracked_usd INTEGER NOT NULL DEFAULT 0,
    side_eth      INTEGER NOT NULL DEFAULT 0,  -- its own amounts, micro-ETH
    side_usd      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (chain_id, token, day)
) WITHOUT ROWID;
"#;

/// Version 4's secondary indexes: name and `table(columns)`. Every one leads
/// with `chain_id`: a read sees one chain (`crate::scope`).
pub const INDEXES_V4: &[(&str, &str)] = &[
    ("pairs_token0", "pairs(chain_id, token0)"),
    ("pairs_token1", "pairs(chain_id, token1)"),
    ("swaps_pair_time", "swaps(chain_id, pair, timestamp)"),
    (
        "swaps_recipient_time",
        "swaps(chain_id, recipient, timestamp)",
    ),
    ("swaps_time", "swaps(chain_id, timestamp)"),
    ("mints_pair_time", "mints(chain_id, pair, timestamp)"),
    ("burns_pair_time", "burns(chain_id, pair, timestamp)"),
    ("syncs_pair_time", "syncs(chain_id, pair, timestamp)"),
    ("lp_transfers_to", "lp_transfers(chain_id, to_address)"),
    ("lp_transfers_from", "lp_transfers(chain_id, from_address)"),
    ("lp_transfers_pair", "lp_transfers(chain_id, pair)"),
];

/// One account's trades (the recipient of the swap) with the execution price
/// (token out per token in, whole tokens; NULL for a swap that took nothing
/// in, where SQLite's division by zero and PostgreSQL's `nullif` agree).
/// Created in the store, and again as a temporary view over one chain's rows
/// by `crate::scope`.
pub const ACCOUNT_TRADES: &str = r#"
VIEW account_trades AS
SELECT s.chain_id, s.recipient AS account, s.timestamp, s.block_number, s.log_index, s.tx_hash, s.pair,
       CASE WHEN s.amount0_in != '0' THEN p.token0 ELSE p.token1 END AS token_in,
       CASE WHEN s.amount0_in != '0' THEN p.token1 ELSE p.token0 END AS token_out,
       CASE WHEN s.amount0_in != '0' THEN s.amount0_in ELSE s.amount1_in END AS amount_in,
       CASE WHEN s.amount0_in != '0' THEN s.amount1_out ELSE s.amount0_out END AS amount_out,
       CASE WHEN s.amount0_in != '0'
            THEN (CAST(s.amount1_out AS DOUBLE PRECISION) / coalesce(t1.unit, 1))
               / nullif(CAST(s.amount0_in AS DOUBLE PRECISION) / coalesce(t0.unit, 1), 0)
            ELSE (CAST(s.amount0_out AS DOUBLE PRECISION) / coalesce(t0.unit, 1))
               / nullif(CAST(s.amount1_in AS DOUBLE PRECISION) / coalesce(t1.unit, 1), 0)
       END AS execution_price
FROM swaps s
JOIN pairs p ON p.chain_id = s.chain_id AND p.address = s.pair
LEFT JOIN tokens t0 ON t0.chain_id = p.chain_id AND t0.address = p.token0
LEFT JOIN tokens t1 ON t1.chain_id = p.chain_id AND t1.address = p.token1
"#;

/// A table's column names, in order.
pub fn columns(conn: &rusqlite::Connection, table: &str) -> rusqlite::Result<Vec<String>> {
    conn.prepare("SELECT name FROM pragma_table_info(?1)")?
        .query_map([table], |r| r.get(0))?
        .collect()
}

/// The migration after which every candle is rebuilt from the raw swaps.
pub const REBUILD_CANDLES: u32 = 2;

/// The version a fully migrated database has.
pub fn latest_version() -> u32 {
    MIGRATIONS.len() as u32
}
