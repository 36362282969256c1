//! The one bridge between loosely given parameters (a URL query string, the
//! [`super::Params`] of a query chosen at run time) and the typed parameter
//! structs: the field names come from the structs' own serde derives, so what
//! a query takes is written down once, on its struct.

use serde::de::{DeserializeOwned, Deserializer, Error as _, Visitor};
use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// Records the field names serde passes to `deserialize_struct`.
struct Introspect<'a>(&'a mut &'static [&'static str]);

impl<'de> Deserializer<'de> for Introspect<'_> {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> std::result::Result<V::Value, Self::Error> {
        Err(Self::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> std::result::Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(Self::Error::custom("introspected"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

/// The field names of a struct deriving `Deserialize`, in declaration order.
pub fn fields<T: DeserializeOwned>() -> &'static [&'static str] {
    let mut out: &'static [&'static str] = &[];
    let _ = T::deserialize(Introspect(&mut out));
    out
}

/// Builds `T` from named values, refusing names `T` does not have with the
/// message `unknown(name, what T takes)`.
pub fn from_entries<T: DeserializeOwned>(
    entries: Vec<(String, Value)>,
    taken: &[&str],
    unknown: impl Fn(&str, &str) -> String,
) -> Result<T> {
    let mut map = Map::new();
    for (k, v) in entries {
        if !taken.contains(&k.as_str()) {
            let takes = if taken.is_empty() {
                "no parameters".to_string()
            } else {
                taken.join(", ")
            };
            return Err(Error::BadQuery(unknown(&k, &takes)));
        }
        map.insert(k, v);
    }
    serde_json::from_value(Value::Object(map)).map_err(|e| Error::BadQuery(e.to_string()))
}

/// `deserialize_with` helpers: each accepts a number or a string (as a URL
/// query string gives it), empty strings counting as absent.
pub mod de {
    use super::*;
    use crate::query::params;

    /// A number or a string.
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Int(i64),
        UInt(u64),
        Text(String),
    }

    fn raw<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Raw>, D::Error> {
        Ok(match Option::<Raw>::deserialize(d)? {
            Some(Raw::Text(s)) if s.trim().is_empty() => None,
            other => other,
        })
    }

    use serde::Deserialize as _;

    fn parsed<'de, D: Deserializer<'de>, T>(
        d: D,
        int: impl FnOnce(i128) -> Result<T>,
        text: impl FnOnce(&str) -> Result<T>,
    ) -> std::result::Result<Option<T>, D::Error> {
        let r = match raw(d)? {
            None => return Ok(None),
            Some(Raw::Int(i)) => int(i.into()),
            Some(Raw::UInt(u)) => int(u.into()),
            Some(Raw::Text(s)) => text(&s),
        };
        r.map(Some).map_err(|e| D::Error::custom(message(e)))
    }

    fn message(e: Error) -> String {
        match e {
            Error::BadQuery(m) => m,
            other => other.to_string(),
        }
    }

    /// Text (an address or a symbol, checked when the query runs).
    pub fn text<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
        Ok(match raw(d)? {
            None => None,
            Some(Raw::Int(i)) => Some(i.to_string()),
            Some(Raw::UInt(u)) => Some(u.to_string()),
            Some(Raw::Text(s)) => Some(s),
        })
    }

    macro_rules! named {
        ($($(#[$doc:meta])* $f:ident: $t:ty = $int:expr, $text:expr;)*) => {$(
            $(#[$doc])*
            pub fn $f<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<$t>, D::Error> {
                let name = stringify!($f);
                parsed(d, |i| $int(name, i), |s| $text(name, s))
            }
        )*};
    }

    fn count(name: &str, i: i128) -> Result<u64> {
        params::count(name, &i.to_string())
    }

    fn seconds(name: &str, i: i128) -> Result<i64> {
        i64::try_from(i).or_else(|_| params::time(name, &i.to_string()))
    }

    fn interval_secs(name: &str, i: i128) -> Result<i64> {
        let _ = name;
        params::check_interval(i64::try_from(i).unwrap_or(0))
    }

    named! {
        /// `from`: unix seconds or RFC 3339.
        from: i64 = seconds, params::time;
        /// `to`: unix seconds or RFC 3339.
        to: i64 = seconds, params::time;
        /// `at`: unix seconds or RFC 3339.
        at: i64 = seconds, params::time;
        /// `interval`: seconds or a duration (`5m`, `1h`).
        interval: i64 = interval_secs, params::interval;
        /// `limit`: a whole number.
        limit: u64 = count, params::count;
        /// `offset`: a whole number.
        offset: u64 = count, params::count;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct P {
        #[serde(default, deserialize_with = "de::text")]
        pair: Option<String>,
        #[serde(default, deserialize_with = "de::interval")]
        interval: Option<i64>,
    }

    #[test]
    fn fields_and_entries() {
        assert_eq!(fields::<P>(), ["pair", "interval"]);
        let unknown = |k: &str, t: &str| format!("{k} not in {t}");
        let p: P = from_entries(
            vec![("interval".into(), Value::from("5m"))],
            fields::<P>(),
            unknown,
        )
        .unwrap();
        assert_eq!(
            p,
            P {
                pair: None,
                interval: Some(300)
            }
        );
        let e = from_entries::<P>(vec![("x".into(), Value::from(1))], fields::<P>(), unknown);
        assert!(matches!(e, Err(Error::BadQuery(m)) if m == "x not in pair, interval"));
        let e = from_entries::<P>(
            vec![("interval".into(), Value::from(90))],
            fields::<P>(),
            unknown,
        );
        assert!(matches!(e, Err(Error::BadQuery(m)) if m.contains("multiple of 60")),);
    }
}
