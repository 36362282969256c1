//! [`Val`] in PostgreSQL's binary protocol (parameters by the type the
//! server inferred, columns by their type) and in COPY's text format.

use std::error::Error as StdError;

use bytes::BytesMut;
use tokio_postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};

use super::{Val, numeric};

type BoxError = Box<dyn StdError + Sync + Send>;

impl ToSql for Val {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> std::result::Result<IsNull, BoxError> {
        let text_like = matches!(
            *ty,
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN
        );
        match self {
            Val::Null => return Ok(IsNull::Yes),
            Val::Int(i) => match *ty {
                Type::INT8 => {
                    i.to_sql(ty, out)?;
                }
                Type::INT4 => {
                    i32::try_from(*i)?.to_sql(ty, out)?;
                }
                Type::INT2 => {
                    i16::try_from(*i)?.to_sql(ty, out)?;
                }
                Type::FLOAT8 => {
                    (*i as f64).to_sql(ty, out)?;
                }
                Type::BOOL => {
                    (*i != 0).to_sql(ty, out)?;
                }
                Type::NUMERIC => numeric_into(&i.to_string(), out)?,
                _ if text_like => out.extend_from_slice(i.to_string().as_bytes()),
                _ => return Err(mismatch("an integer", ty)),
            },
            Val::Real(f) => match *ty {
                Type::FLOAT8 => {
                    f.to_sql(ty, out)?;
                }
                Type::FLOAT4 => {
                    (*f as f32).to_sql(ty, out)?;
                }
                Type::NUMERIC if f.is_finite() => numeric_into(&format!("{f}"), out)?,
                _ => return Err(mismatch("a double", ty)),
            },
            Val::Text(t) => match *ty {
                Type::NUMERIC => numeric_into(t, out)?,
                Type::INT8 => {
                    t.parse::<i64>()?.to_sql(ty, out)?;
                }
                _ if text_like => out.extend_from_slice(t.as_bytes()),
                _ => return Err(mismatch("text", ty)),
            },
            Val::U256(u) => match *ty {
                Type::NUMERIC => numeric_into(&u.to_string(), out)?,
                _ if text_like => out.extend_from_slice(u.to_string().as_bytes()),
                _ => return Err(mismatch("a uint256", ty)),
            },
            Val::Bool(b) => match *ty {
                Type::BOOL => {
                    b.to_sql(ty, out)?;
                }
                Type::INT8 | Type::INT4 => return Val::Int(i64::from(*b)).to_sql(ty, out),
                _ => return Err(mismatch("a boolean", ty)),
            },
        };
        Ok(IsNull::No)
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn numeric_into(text: &str, out: &mut BytesMut) -> std::result::Result<(), BoxError> {
    let mut v = Vec::new();
    numeric::encode(text, &mut v)?;
    out.extend_from_slice(&v);
    Ok(())
}

fn mismatch(what: &str, ty: &Type) -> BoxError {
    format!("cannot bind {what} to a parameter of type {ty}").into()
}

impl<'a> FromSql<'a> for Val {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> std::result::Result<Self, BoxError> {
        Ok(match *ty {
            Type::INT8 => Val::Int(i64::from_sql(ty, raw)?),
            Type::INT4 => Val::Int(i32::from_sql(ty, raw)?.into()),
            Type::INT2 => Val::Int(i16::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => Val::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => Val::Real(f32::from_sql(ty, raw)?.into()),
            Type::BOOL => Val::Bool(bool::from_sql(ty, raw)?),
            Type::NUMERIC => Val::Text(numeric::decode(raw)?),
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => {
                Val::Text(String::from_utf8(raw.to_vec())?)
            }
            Type::VOID => Val::Null,
            Type::BYTEA => Val::Text(format!("0x{}", tidepool_sdk::alloy::hex::encode(raw))),
            _ => return Err(format!("unsupported column type {ty}").into()),
        })
    }

    fn from_sql_null(_: &Type) -> std::result::Result<Self, BoxError> {
        Ok(Val::Null)
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// One value in COPY's text format.
pub(super) fn copy_text(v: &Val, out: &mut String) {
    match v {
        Val::Null => out.push_str("\\N"),
        Val::Int(i) => out.push_str(&i.to_string()),
        // Rust's shortest round-trip decimal, which float8in reads back exactly.
        Val::Real(f) if f.is_finite() => out.push_str(&f.to_string()),
        Val::Real(f) if f.is_nan() => out.push_str("NaN"),
        Val::Real(f) => out.push_str(if *f > 0.0 { "Infinity" } else { "-Infinity" }),
        Val::U256(u) => out.push_str(&u.to_string()),
        Val::Bool(b) => out.push(if *b { 't' } else { 'f' }),
        Val::Text(t) => {
            for c in t.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\t' => out.push_str("\\t"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    c => out.push(c),
                }
            }
        }
    }
}

/// The column types [`Val`] reads.
pub(super) fn readable(ty: &Type) -> bool {
    matches!(
        *ty,
        Type::INT8
            | Type::INT4
            | Type::INT2
            | Type::FLOAT8
            | Type::FLOAT4
            | Type::BOOL
            | Type::NUMERIC
            | Type::TEXT
            | Type::VARCHAR
            | Type::BPCHAR
            | Type::NAME
            | Type::VOID
            | Type::BYTEA
    )
}
