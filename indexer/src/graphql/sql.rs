//! The Graph's list arguments as SQL: `where` (with its suffixes, nested
//! reference filters, `and`/`or`), `orderBy`/`orderDirection`, `first`/`skip`.
//! Every value is a bound parameter, cast to the type its field compares
//! as (PostgreSQL cannot always infer a parameter's type; SQLite keeps the
//! value as it is).

use async_graphql::{Name, Value};
use indexmap::IndexMap;

use crate::db::Val;

use super::entities::entity;
use super::model::{Entity, Field, Kind};

/// The `where` operators, by suffix (longest first where one ends another).
pub const OPS: &[(&str, Op)] = &[
    (
        "_not_contains_nocase",
        Op::Text(TextOp::Contains, true, true),
    ),
    (
        "_not_starts_with_nocase",
        Op::Text(TextOp::StartsWith, true, true),
    ),
    (
        "_not_ends_with_nocase",
        Op::Text(TextOp::EndsWith, true, true),
    ),
    ("_contains_nocase", Op::Text(TextOp::Contains, false, true)),
    (
        "_starts_with_nocase",
        Op::Text(TextOp::StartsWith, false, true),
    ),
    ("_ends_with_nocase", Op::Text(TextOp::EndsWith, false, true)),
    ("_not_contains", Op::Text(TextOp::Contains, true, false)),
    (
        "_not_starts_with",
        Op::Text(TextOp::StartsWith, true, false),
    ),
    ("_not_ends_with", Op::Text(TextOp::EndsWith, true, false)),
    ("_contains", Op::Text(TextOp::Contains, false, false)),
    ("_starts_with", Op::Text(TextOp::StartsWith, false, false)),
    ("_ends_with", Op::Text(TextOp::EndsWith, false, false)),
    ("_not_in", Op::In(true)),
    ("_in", Op::In(false)),
    ("_not", Op::Cmp("!=")),
    ("_gte", Op::Cmp(">=")),
    ("_lte", Op::Cmp("<=")),
    ("_gt", Op::Cmp(">")),
    ("_lt", Op::Cmp("<")),
];

/// A text operator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TextOp {
    /// `_contains`.
    Contains,
    /// `_starts_with`.
    StartsWith,
    /// `_ends_with`.
    EndsWith,
}

/// One `where` operator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    /// `=`, `!=`, `<`, ... (equality is `Cmp("=")`).
    Cmp(&'static str),
    /// `_in` (`true`: `_not_in`).
    In(bool),
    /// A text match: operator, negated, case-insensitive.
    Text(TextOp, bool, bool),
}

impl Op {
    /// Whether the operator applies to fields of `kind`.
    pub fn applies(self, kind: Kind) -> bool {
        match self {
            Op::Text(..) => matches!(kind, Kind::Text | Kind::Ref { .. }),
            Op::Cmp("=") | Op::Cmp("!=") | Op::In(_) => true,
            Op::Cmp(_) => !matches!(kind, Kind::Bool),
        }
    }
}

/// Whether a field of `ty` holds lower-case hex (inputs are lower-cased).
fn is_hex(f: &Field) -> bool {
    matches!(f.ty, "ID" | "Bytes") || matches!(f.kind, Kind::Ref { .. })
}

/// A bad argument, worded for the client.
pub type Bad = String;

/// A filter input value as the SQL value the field compares with.
fn bind(f: &Field, v: &Value, exact: bool) -> Result<Val, Bad> {
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let bad = || format!("`{}` wants a {} value, got {v}", f.name, f.ty);
    Ok(match f.kind {
        Kind::Text | Kind::Ref { .. } => {
            let s = text(v).ok_or_else(bad)?;
            Val::Text(if is_hex(f) { s.to_lowercase() } else { s })
        }
        Kind::Int | Kind::BigInt => Val::Int(
            text(v)
                .and_then(|s| s.trim().parse::<i64>().ok())
                .ok_or_else(bad)?,
        ),
        Kind::Bool => match v {
            Value::Boolean(b) => Val::Bool(*b),
            _ => return Err(bad()),
        },
        Kind::Real => Val::Real(
            text(v)
                .and_then(|s| s.trim().parse::<f64>().ok())
                .ok_or_else(bad)?,
        ),
        Kind::Decimal(_) if exact => {
            Val::Text(canonical_decimal(&text(v).ok_or_else(bad)?).ok_or_else(bad)?)
        }
        Kind::Decimal(_) => Val::Real(
            text(v)
                .and_then(|s| s.trim().parse::<f64>().ok())
                .ok_or_else(bad)?,
        ),
    })
}

/// A decimal number as `u256_dec()` writes it: no sign, no leading or trailing
/// zeros, no exponent (`"01.50"` is `"1.5"`).
pub fn canonical_decimal(s: &str) -> Option<String> {
    let s = s.trim();
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() && frac.is_empty()
        || !(int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    Some(if frac.is_empty() {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    })
}

/// The expression a field sorts and compares (ranges) by.
fn key(f: &Field) -> &'static str {
    match f.kind {
        Kind::Decimal(real) => real,
        _ => f.expr,
    }
}

/// `where` as an SQL condition over `e`'s source, its values pushed to `params`.
pub fn filter(
    e: &'static Entity,
    w: &IndexMap<Name, Value>,
    params: &mut Vec<Val>,
) -> Result<String, Bad> {
    let mut parts = Vec::new();
    for (name, v) in w {
        let name = name.as_str();
        if name == "and" || name == "or" {
            let Value::List(items) = v else {
                return Err(format!("`{name}` wants a list of filters"));
            };
            let mut subs = Vec::new();
            for item in items {
                let Value::Object(o) = item else {
                    return Err(format!("`{name}` wants a list of filters"));
                };
                subs.push(filter(e, o, params)?);
            }
            if !subs.is_empty() {
                let join = if name == "and" { " AND " } else { " OR " };
                parts.push(format!("({})", subs.join(join)));
            }
            continue;
        }
        if let Some(field) = name.strip_suffix('_').and_then(|n| e.field(n))
            && let Kind::Ref { target, .. } = field.kind
        {
            let t = entity(target).ok_or_else(|| format!("no entity {target}"))?;
            let Value::Object(o) = v else {
                return Err(format!("`{name}` wants a {target} filter"));
            };
            let inner = filter(t, o, params)?;
            parts.push(format!(
                "{} IN (SELECT {} FROM {} WHERE ({}) AND {inner})",
                field.expr, t.id, t.from, t.base
            ));
            continue;
        }
        let (field, op) = OPS
            .iter()
            .find_map(|(suffix, op)| {
                let f = e.field(name.strip_suffix(suffix)?)?;
                op.applies(f.kind).then_some((f, *op))
            })
            .or_else(|| e.field(name).map(|f| (f, Op::Cmp("="))))
            .ok_or_else(|| format!("`{name}` is not a filter of {}", e.name))?;
        parts.push(condition(field, op, v, params)?);
    }
    Ok(if parts.is_empty() {
        "TRUE".into()
    } else {
        parts.join(" AND ")
    })
}

/// A parameter marker typed as the value `v` bound for `f` (`?` for a
/// boolean, which every comparison it takes part in types already).
fn mark(v: &Val) -> &'static str {
    match v {
        Val::Int(_) => "CAST(? AS BIGINT)",
        Val::Real(_) => "CAST(? AS DOUBLE PRECISION)",
        Val::Text(_) | Val::U256(_) => "CAST(? AS TEXT)",
        Val::Bool(_) | Val::Null => "?",
    }
}

fn condition(f: &Field, op: Op, v: &Value, params: &mut Vec<Val>) -> Result<String, Bad> {
    let expr = f.expr;
    Ok(match op {
        Op::Cmp(c) if matches!(v, Value::Null) => match c {
            "=" => format!("{expr} IS NULL"),
            "!=" => format!("{expr} IS NOT NULL"),
            _ => return Err(format!("`{}` cannot be compared with null", f.name)),
        },
        Op::Cmp(c @ ("=" | "!=")) => {
            let v = bind(f, v, true)?;
            let m = mark(&v);
            params.push(v);
            format!("{expr} {c} {m}")
        }
        Op::Cmp(c) => {
            let v = bind(f, v, false)?;
            let m = mark(&v);
            params.push(v);
            format!("{} {c} {m}", key(f))
        }
        Op::In(not) => {
            let Value::List(items) = v else {
                return Err(format!("`{}_in` wants a list", f.name));
            };
            if items.is_empty() {
                return Ok(if not { "TRUE" } else { "FALSE" }.into());
            }
            let mut marks = Vec::with_capacity(items.len());
            for item in items {
                let v = bind(f, item, true)?;
                marks.push(mark(&v));
                params.push(v);
            }
            let marks = marks.join(", ");
            format!("{expr} {}IN ({marks})", if not { "NOT " } else { "" })
        }
        Op::Text(t, not, nocase) => {
            let Val::Text(s) = bind(f, v, true)? else {
                return Err(format!("`{}` wants text", f.name));
            };
            let (x, s) = if nocase {
                (format!("lower({expr})"), s.to_lowercase())
            } else {
                (expr.to_string(), s)
            };
            // `instr` is SQLite's; the PostgreSQL schema defines it
            // (`strpos`). A negative `substr` start counts from the end in
            // SQLite only, so the end is counted from `length(x)`.
            let test = match t {
                TextOp::Contains => format!("instr({x}, CAST(? AS TEXT)) > 0"),
                TextOp::StartsWith => {
                    format!("substr({x}, 1, length(CAST(? AS TEXT))) = CAST(? AS TEXT)")
                }
                TextOp::EndsWith => format!(
                    "substr({x}, length({x}) - length(CAST(? AS TEXT)) + 1) = CAST(? AS TEXT)"
                ),
            };
            let n = if t == TextOp::Contains { 1 } else { 2 };
            params.extend(std::iter::repeat_n(Val::Text(s), n));
            if not { format!("NOT ({test})") } else { test }
        }
    })
}

/// `ORDER BY` for `orderBy`/`orderDirection`: the field's key, then the
/// entity's natural order (in the same direction). A null key sorts first
/// ascending and last descending (SQLite's order, spelled out for
/// PostgreSQL, whose default is the opposite).
pub fn order(e: &Entity, by: Option<&Field>, desc: bool) -> String {
    let dir = if desc { " DESC" } else { "" };
    let nulls = if desc { " NULLS LAST" } else { " NULLS FIRST" };
    let natural = e.natural.split(", ").map(|c| format!("{c}{dir}"));
    // A constant key (`needsComplete`) orders nothing, and PostgreSQL
    // refuses it (SQLite reads an integer as a column number).
    let constant = |k: &str| matches!(k, "TRUE" | "FALSE") || k.parse::<f64>().is_ok();
    // NULLs sort as SQLite sorts them (first ascending, last descending);
    // a non-null field needs no clause, which keeps PostgreSQL on an index
    // read backwards for a descending order.
    by.filter(|f| !constant(key(f)))
        .map(|f| format!("{}{dir}{}", key(f), if f.nullable { nulls } else { "" }))
        .into_iter()
        .chain(natural)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_compared_as_dec_writes_them() {
        assert_eq!(canonical_decimal("01.50").as_deref(), Some("1.5"));
        assert_eq!(canonical_decimal("0.000").as_deref(), Some("0"));
        assert_eq!(canonical_decimal(".5").as_deref(), Some("0.5"));
        assert_eq!(canonical_decimal("100").as_deref(), Some("100"));
        for bad in ["", ".", "1e5", "-1", "1.2.3", "abc"] {
            assert_eq!(canonical_decimal(bad), None, "{bad}");
        }
    }
}
