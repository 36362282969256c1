//! Keystore V3 files (Web3 Secret Storage: what geth, Foundry and most
//! wallets read and write), hardened:
//!
//! - new files use scrypt at geth's standard cost (N = 2^18, r = 8, p = 1),
//!   not the light cost (N = 2^13) that alloy's writer uses;
//! - files are written 0600 inside a 0700 directory, fsynced before the
//!   rename that puts them in place, and the directory fsynced after it;
//! - the derived key and the decrypted key bytes live in [`Zeroizing`]
//!   buffers that are wiped when dropped, and nothing secret is copied into
//!   a `Vec` or `String` that outlives the call.
//!
//! Reading accepts both KDFs of the format (scrypt and PBKDF2-HMAC-SHA256)
//! at any cost, so keystores made elsewhere can be imported.

use std::fs;
use std::io::Write;
use std::path::Path;

use aes::cipher::{KeyIvInit, StreamCipher};
use alloy::primitives::{Address, keccak256};
use alloy::signers::local::PrivateKeySigner;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{Error, Result};

type Aes128Ctr = ctr::Ctr128BE<aes::Aes128>;

/// scrypt's cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScryptCost {
    /// log2 of N.
    pub log_n: u8,
    /// Block size.
    pub r: u32,
    /// Parallelism.
    pub p: u32,
}

/// geth's standard cost (`StandardScryptN`, `StandardScryptP`): about
/// 256 MiB and a second of one core per unlock.
pub const STANDARD: ScryptCost = ScryptCost {
    log_n: 18,
    r: 8,
    p: 1,
};

#[derive(Serialize, Deserialize)]
struct File {
    version: u32,
    #[serde(default)]
    id: Option<String>,
    /// Optional in the format; some writers leave it out.
    #[serde(default)]
    address: Option<String>,
    crypto: Crypto,
}

#[derive(Serialize, Deserialize)]
struct Crypto {
    cipher: String,
    cipherparams: CipherParams,
    ciphertext: String,
    kdf: String,
    kdfparams: serde_json::Value,
    mac: String,
}

#[derive(Serialize, Deserialize)]
struct CipherParams {
    iv: String,
}

#[derive(Serialize, Deserialize)]
struct ScryptParams {
    dklen: u32,
    n: u64,
    r: u32,
    p: u32,
    salt: String,
}

#[derive(Deserialize)]
struct Pbkdf2Params {
    dklen: u32,
    c: u32,
    prf: String,
    salt: String,
}

fn bad(msg: impl Into<String>) -> Error {
    Error::BadKeystore(msg.into())
}

fn unhex(s: &str, what: &str) -> Result<Vec<u8>> {
    alloy::hex::decode(s).map_err(|_| bad(format!("its {what} is not hex")))
}

/// Encrypts `key` (32 bytes) with `password` into keystore V3 JSON.
pub fn encrypt(key: &[u8; 32], password: &str, cost: ScryptCost) -> Result<String> {
    let signer = PrivateKeySigner::from_slice(key)
        .map_err(|_| Error::Signer("the key is not a valid secp256k1 private key".into()))?;
    let mut rng = rand::thread_rng();
    let mut salt = [0u8; 32];
    let mut iv = [0u8; 16];
    let mut id = [0u8; 16];
    rng.fill_bytes(&mut salt);
    rng.fill_bytes(&mut iv);
    rng.fill_bytes(&mut id);
    let params = scrypt::Params::new(cost.log_n, cost.r, cost.p)
        .map_err(|_| bad("invalid scrypt parameters"))?;
    let mut derived = Zeroizing::new([0u8; 32]);
    scrypt::scrypt(password.as_bytes(), &salt, &params, &mut derived[..])
        .map_err(|_| bad("scrypt failed"))?;
    let mut ciphertext = key.to_vec();
    Aes128Ctr::new(derived[..16].into(), (&iv).into()).apply_keystream(&mut ciphertext);
    let mac = keccak256([&derived[16..32], &ciphertext[..]].concat());
    // A random (version 4) UUID.
    id[6] = (id[6] & 0x0f) | 0x40;
    id[8] = (id[8] & 0x3f) | 0x80;
    let h = alloy::hex::encode(id);
    let file = File {
        version: 3,
        id: Some(format!(
            "{}-{}-{}-{}-{}",
            &h[..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..]
        )),
        address: Some(alloy::hex::encode(signer.address())),
        crypto: Crypto {
            cipher: "aes-128-ctr".into(),
            cipherparams: CipherParams {
                iv: alloy::hex::encode(iv),
            },
            ciphertext: alloy::hex::encode(&ciphertext),
            kdf: "scrypt".into(),
            kdfparams: serde_json::to_value(ScryptParams {
                dklen: 32,
                n: 1 << cost.log_n,
                r: cost.r,
                p: cost.p,
                salt: alloy::hex::encode(salt),
            })
            .map_err(|e| bad(e.to_string()))?,
            mac: alloy::hex::encode(mac),
        },
    };
    serde_json::to_string_pretty(&file).map_err(|e| bad(e.to_string()))
}

fn parse(json: &str) -> Result<File> {
    // Some writers spell the section "Crypto".
    let mut v: serde_json::Value = serde_json::from_str(json).map_err(|_| bad("it is not JSON"))?;
    if let Some(obj) = v.as_object_mut()
        && !obj.contains_key("crypto")
        && let Some(c) = obj.remove("Crypto")
    {
        obj.insert("crypto".into(), c);
    }
    if v.get("crypto").is_none() {
        return Err(bad("it has no \"crypto\" section"));
    }
    let file: File = serde_json::from_value(v).map_err(|e| bad(format!("{e}")))?;
    if file.version != 3 {
        return Err(bad(format!("version {} (only V3 is read)", file.version)));
    }
    Ok(file)
}

/// The scrypt cost a keystore was written with (`None` for PBKDF2).
pub fn scrypt_cost(json: &str) -> Result<Option<ScryptCost>> {
    let file = parse(json)?;
    if file.crypto.kdf != "scrypt" {
        return Ok(None);
    }
    let p: ScryptParams =
        serde_json::from_value(file.crypto.kdfparams).map_err(|e| bad(e.to_string()))?;
    Ok(Some(ScryptCost {
        log_n: p.n.trailing_zeros() as u8,
        r: p.r,
        p: p.p,
    }))
}

/// Decrypts keystore V3 JSON with `password`. A wrong password is
/// [`Error::WrongPassword`]; a damaged or foreign file [`Error::BadKeystore`].
pub fn decrypt(json: &str, password: &str) -> Result<PrivateKeySigner> {
    let file = parse(json)?;
    let c = &file.crypto;
    if c.cipher != "aes-128-ctr" {
        return Err(bad(format!(
            "cipher {} (only aes-128-ctr is read)",
            c.cipher
        )));
    }
    let mut derived = Zeroizing::new([0u8; 32]);
    match c.kdf.as_str() {
        "scrypt" => {
            let p: ScryptParams =
                serde_json::from_value(c.kdfparams.clone()).map_err(|e| bad(e.to_string()))?;
            if p.dklen != 32 || !p.n.is_power_of_two() || p.n < 2 {
                return Err(bad(
                    "its scrypt parameters are not usable (dklen 32, N a power of two)",
                ));
            }
            let params = scrypt::Params::new(p.n.trailing_zeros() as u8, p.r, p.p)
                .map_err(|_| bad("its scrypt parameters are invalid"))?;
            scrypt::scrypt(
                password.as_bytes(),
                &unhex(&p.salt, "salt")?,
                &params,
                &mut derived[..],
            )
            .map_err(|_| bad("scrypt failed"))?;
        }
        "pbkdf2" => {
            let p: Pbkdf2Params =
                serde_json::from_value(c.kdfparams.clone()).map_err(|e| bad(e.to_string()))?;
            if p.dklen != 32 || p.prf != "hmac-sha256" {
                return Err(bad(
                    "its PBKDF2 parameters are not usable (dklen 32, hmac-sha256)",
                ));
            }
            pbkdf2::pbkdf2_hmac::<sha2::Sha256>(
                password.as_bytes(),
                &unhex(&p.salt, "salt")?,
                p.c,
                &mut derived[..],
            );
        }
        other => {
            return Err(bad(format!(
                "KDF {other} (only scrypt and pbkdf2 are read)"
            )));
        }
    }
    let ciphertext = unhex(&c.ciphertext, "ciphertext")?;
    let mac = keccak256([&derived[16..32], &ciphertext[..]].concat());
    if mac.as_slice() != unhex(&c.mac, "mac")?.as_slice() {
        return Err(Error::WrongPassword);
    }
    let iv: [u8; 16] = unhex(&c.cipherparams.iv, "iv")?
        .try_into()
        .map_err(|_| bad("its iv is not 16 bytes"))?;
    let mut key = Zeroizing::new(ciphertext);
    Aes128Ctr::new(derived[..16].into(), (&iv).into()).apply_keystream(&mut key);
    let signer = PrivateKeySigner::from_slice(&key)
        .map_err(|_| bad("the decrypted key is not a valid private key"))?;
    if let Some(Ok(a)) = file.address.as_deref().map(str::parse::<Address>)
        && a != signer.address()
    {
        return Err(bad(format!(
            "it says it holds {a} but decrypts to another account"
        )));
    }
    Ok(signer)
}

/// Reads and decrypts the keystore at `path`.
pub fn decrypt_file(path: &Path, password: &str) -> Result<PrivateKeySigner> {
    let json = Zeroizing::new(fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?);
    decrypt(&json, password)
}

/// Creates `dir` (and parents) with mode 0700 where it is new, and tightens
/// it to 0700 where it exists.
pub fn private_dir(dir: &Path) -> Result<()> {
    let io = |source| Error::Io {
        path: dir.display().to_string(),
        source,
    };
    fs::create_dir_all(dir).map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(io)?;
    }
    Ok(())
}

/// Writes `bytes` to `path` as a private file (0600) in a private directory
/// (0700): to a temporary name, fsynced, renamed into place, and the
/// directory fsynced, so a crash leaves the old file or the new one whole.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    private_dir(dir)?;
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let io = |p: &Path| {
        let p = p.display().to_string();
        move |source| Error::Io { path: p, source }
    };
    let mut opts = fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(&tmp).map_err(io(&tmp))?;
    let written = f.write_all(bytes).and_then(|_| f.sync_all());
    drop(f);
    if let Err(e) = written.and_then(|_| fs::rename(&tmp, path)) {
        let _ = fs::remove_file(&tmp);
        return Err(io(path)(e));
    }
    fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io(dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIGHT: ScryptCost = ScryptCost {
        log_n: 10,
        r: 8,
        p: 1,
    };

    #[test]
    fn round_trip_wrong_password_and_cost() {
        let key = [7u8; 32];
        let json = encrypt(&key, "correct horse", LIGHT).unwrap();
        let signer = decrypt(&json, "correct horse").unwrap();
        assert_eq!(signer.to_bytes().0, key);
        assert!(matches!(decrypt(&json, "wrong"), Err(Error::WrongPassword)));
        assert_eq!(scrypt_cost(&json).unwrap(), Some(LIGHT));
        // Readable by the reference reader (alloy / eth-keystore) too.
        let dir = tempfile_dir();
        let path = dir.join("k.json");
        write_private(&path, json.as_bytes()).unwrap();
        let other = PrivateKeySigner::decrypt_keystore(&path, "correct horse").unwrap();
        assert_eq!(other.address(), signer.address());
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn reads_keystores_written_elsewhere() {
        let dir = tempfile_dir();
        let mut rng = rand::thread_rng();
        let (signer, name) = PrivateKeySigner::new_keystore(&dir, &mut rng, "pw", None).unwrap();
        let back = decrypt_file(&dir.join(name), "pw").unwrap();
        assert_eq!(back.address(), signer.address());
        assert!(matches!(
            decrypt("{\"version\":3}", "pw"),
            Err(Error::BadKeystore(_))
        ));
        fs::remove_dir_all(dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile_dir().join("vault");
        let path = dir.join("a.json");
        write_private(&path, b"{}").unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&dir), 0o700);
        fs::remove_dir_all(dir.parent().unwrap()).unwrap();
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!(
            "tidepool-keystore-{}-{}",
            std::process::id(),
            rand::random::<u64>()
        ));
        fs::create_dir_all(&d).unwrap();
        d
    }
}
