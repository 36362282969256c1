//! The market state on disk between runs: a JSON header (chain, genesis,
//! factory, the kept heads) and fixed 88-byte records (pair, token0, token1,
//! reserve0, reserve1 as 14-byte big-endian integers), written to a temporary
//! file and renamed so a crash never leaves half a cache. A cache that does
//! not fit the deployment asked for is ignored, never trusted.

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use alloy::primitives::{Address, B256};
use serde::{Deserialize, Serialize};

use super::{Head, MarketState, PairRow};
use crate::error::{Error, Result};

const MAGIC: &[u8; 8] = b"TPMKT\x00\x00\x01";
const RECORD: usize = 88;

#[derive(Serialize, Deserialize)]
struct Header {
    chain_id: u64,
    genesis: B256,
    factory: Address,
    pairs: u64,
    heads: Vec<HeadOnDisk>,
}

#[derive(Serialize, Deserialize)]
struct HeadOnDisk {
    number: u64,
    hash: B256,
    pair_count: u32,
    touched: Vec<u32>,
}

/// Where the cache of `factory` on `chain_id` lives under `dir`.
pub fn path(dir: &Path, chain_id: u64, factory: Address) -> PathBuf {
    dir.join("market")
        .join(format!("{chain_id}-{factory:#x}.bin"))
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.display().to_string(),
        source,
    }
}

fn put_u112(out: &mut Vec<u8>, v: u128) {
    out.extend_from_slice(&v.to_be_bytes()[2..]);
}

fn get_u112(b: &[u8]) -> u128 {
    let mut x = [0u8; 16];
    x[2..].copy_from_slice(b);
    u128::from_be_bytes(x)
}

impl MarketState {
    /// Writes the state to `path` atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        let header = Header {
            chain_id: self.chain_id,
            genesis: self.genesis,
            factory: self.factory,
            pairs: self.pairs.len() as u64,
            heads: self
                .heads
                .iter()
                .map(|h| HeadOnDisk {
                    number: h.number,
                    hash: h.hash,
                    pair_count: h.pair_count,
                    touched: h.touched.clone(),
                })
                .collect(),
        };
        let json = serde_json::to_vec(&header).expect("a header serializes");
        let mut buf = Vec::with_capacity(16 + json.len() + self.pairs.len() * RECORD);
        buf.extend_from_slice(MAGIC);
        buf.extend_from_slice(&(json.len() as u64).to_le_bytes());
        buf.extend_from_slice(&json);
        for p in &self.pairs {
            buf.extend_from_slice(p.pair.as_slice());
            buf.extend_from_slice(p.token0.as_slice());
            buf.extend_from_slice(p.token1.as_slice());
            put_u112(&mut buf, p.reserve0);
            put_u112(&mut buf, p.reserve1);
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io(path))?;
        }
        let tmp = path.with_extension("bin.tmp");
        let mut f = std::fs::File::create(&tmp).map_err(io(path))?;
        f.write_all(&buf).map_err(io(path))?;
        f.sync_all().map_err(io(path))?;
        std::fs::rename(&tmp, path).map_err(io(path))
    }

    /// Reads a cache written by [`MarketState::save`] for `factory` on the
    /// chain `chain_id` with block 0 `genesis`; `None` when there is none or
    /// it is for something else, damaged, or from another format version.
    pub fn load(path: &Path, chain_id: u64, genesis: B256, factory: Address) -> Option<Self> {
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .ok()?
            .read_to_end(&mut bytes)
            .ok()?;
        if bytes.len() < 16 || &bytes[..8] != MAGIC {
            return None;
        }
        let len = u64::from_le_bytes(bytes[8..16].try_into().ok()?) as usize;
        let header: Header = serde_json::from_slice(bytes.get(16..16 + len)?).ok()?;
        if (header.chain_id, header.genesis, header.factory) != (chain_id, genesis, factory) {
            return None;
        }
        let body = bytes.get(16 + len..)?;
        if body.len() != header.pairs as usize * RECORD {
            return None;
        }
        let mut s = Self::new(chain_id, genesis, factory);
        s.pairs = body
            .chunks_exact(RECORD)
            .map(|r| PairRow {
                pair: Address::from_slice(&r[..20]),
                token0: Address::from_slice(&r[20..40]),
                token1: Address::from_slice(&r[40..60]),
                reserve0: get_u112(&r[60..74]),
                reserve1: get_u112(&r[74..88]),
            })
            .collect();
        s.heads = header
            .heads
            .into_iter()
            .map(|h| Head {
                number: h.number,
                hash: h.hash,
                pair_count: h.pair_count,
                touched: h.touched,
            })
            .collect::<VecDeque<_>>();
        if s.heads
            .back()
            .is_some_and(|h| h.pair_count as usize != s.pairs.len())
        {
            return None;
        }
        s.reindex();
        Some(s)
    }
}
