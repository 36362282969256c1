//! SQLite functions the GraphQL queries need for exact 256-bit values stored
//! as decimal TEXT: `u256_sum(x)` (aggregate), `u256_sub(a, b)` (saturating)
//! and `u256_dec(raw, decimals)` (a raw amount as a BigDecimal string in whole
//! tokens, exact). Registered on each SQLite connection the endpoint reads
//! through; a PostgreSQL store is created with the same functions
//! (`crate::db::pg_schema::GRAPHQL_FUNCTIONS`).

use alloy::primitives::U256;
use rusqlite::functions::{Aggregate, Context, FunctionFlags};
use rusqlite::{Connection, Result};
use tidepool_sdk::alloy;
use tidepool_sdk::amount::format_units;

fn u256(ctx: &Context<'_>, i: usize) -> Result<Option<U256>> {
    let Some(text) = ctx.get::<Option<String>>(i)? else {
        return Ok(None);
    };
    text.parse::<U256>().map(Some).map_err(|e| {
        rusqlite::Error::UserFunctionError(format!("not a uint256: {text:?} ({e})").into())
    })
}

struct Sum;

impl Aggregate<U256, String> for Sum {
    fn init(&self, _: &mut Context<'_>) -> Result<U256> {
        Ok(U256::ZERO)
    }

    fn step(&self, ctx: &mut Context<'_>, acc: &mut U256) -> Result<()> {
        if let Some(v) = u256(ctx, 0)? {
            *acc = acc.saturating_add(v);
        }
        Ok(())
    }

    fn finalize(&self, _: &mut Context<'_>, acc: Option<U256>) -> Result<String> {
        Ok(acc.unwrap_or_default().to_string())
    }
}

/// Registers the functions on `conn`.
pub fn register(conn: &Connection) -> Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_aggregate_function("u256_sum", 1, flags, Sum)?;
    conn.create_scalar_function("u256_sub", 2, flags, |ctx| {
        Ok(match (u256(ctx, 0)?, u256(ctx, 1)?) {
            (Some(a), Some(b)) => Some(a.saturating_sub(b).to_string()),
            (Some(a), None) => Some(a.to_string()),
            _ => None,
        })
    })?;
    conn.create_scalar_function("u256_dec", 2, flags, |ctx| {
        let decimals = ctx.get::<Option<i64>>(1)?.unwrap_or(0).clamp(0, 255) as u8;
        Ok(u256(ctx, 0)?.map(|raw| format_units(raw, decimals)))
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_sums_and_decimals() {
        let c = Connection::open_in_memory().unwrap();
        register(&c).unwrap();
        let one = |sql: &str| {
            c.query_row(sql, [], |r| r.get::<_, Option<String>>(0))
                .unwrap()
        };
        let big = BIG;
        assert_eq!(
            one(
                "SELECT u256_sum(x) FROM (SELECT '123456789012345678901234567' AS x UNION ALL SELECT '1' UNION ALL SELECT NULL)"
            ),
            Some("123456789012345678901234568".into())
        );
        assert_eq!(
            one("SELECT u256_sum(x) FROM (SELECT 1 AS x) WHERE 0"),
            Some("0".into())
        );
        assert_eq!(
            one(&format!("SELECT u256_sub('{big}', '1')"))
                .unwrap()
                .len(),
            78
        );
        assert_eq!(one("SELECT u256_sub('1', '2')"), Some("0".into()));
        for (raw, d, want) in DECIMALS {
            assert_eq!(
                one(&format!("SELECT u256_dec('{raw}', {d})")),
                Some(want.to_string()),
                "{raw} {d}"
            );
        }
        assert_eq!(one("SELECT u256_dec(NULL, 18)"), None);
        let err = c.query_row("SELECT u256_dec('12x', 18)", [], |r| r.get::<_, String>(0));
        assert!(err.unwrap_err().to_string().contains("not a uint256"));
        decimals_on(&crate::db::Db::Lite(c));
    }

    const BIG: &str =
        "115792089237316195423570985008687907853269984665640564039457584007913129639935";

    /// (raw, decimals, whole tokens).
    const DECIMALS: [(&str, i64, &str); 8] = [
        ("1500000", 6, "1.5"),
        ("0", 18, "0"),
        ("1", 18, "0.000000000000000001"),
        ("1000000000000000000", 18, "1"),
        ("42", 0, "42"),
        ("42", -3, "42"),
        (
            "123456789012345678901234567",
            18,
            "123456789.012345678901234567",
        ),
        (
            BIG,
            77,
            "1.15792089237316195423570985008687907853269984665640564039457584007913129639935",
        ),
    ];

    /// `u256_dec` over bound values, through the storage seam.
    fn decimals_on(db: &crate::db::Db) {
        for (raw, d, want) in DECIMALS {
            let got: String = db
                .read_opt(
                    "SELECT u256_dec(CAST(?1 AS TEXT), ?2)",
                    crate::args![raw, d],
                )
                .unwrap()
                .unwrap()
                .get(0)
                .unwrap();
            assert_eq!(got, want, "{raw} {d}");
        }
    }

    #[test]
    fn postgresql_has_the_same_functions() {
        let pg = tidepool_testkit::postgres::PgCluster::start().unwrap();
        let mut db = crate::db::Db::Pg(crate::db::PgConn::connect(&pg.url()).unwrap());
        crate::db::Sql::batch(&mut db, crate::db::pg_schema::GRAPHQL_FUNCTIONS).unwrap();
        let one = |sql: &str| -> Option<String> {
            db.read_opt(sql, &[]).unwrap().unwrap().get(0).unwrap()
        };
        assert_eq!(
            one(
                "SELECT u256_sum(x) FROM (VALUES (CAST('123456789012345678901234567' AS NUMERIC)), (1), (NULL)) v(x)"
            ),
            Some("123456789012345678901234568".into())
        );
        assert_eq!(
            one("SELECT u256_sum(x) FROM (SELECT CAST(1 AS NUMERIC) AS x) z WHERE FALSE"),
            Some("0".into())
        );
        assert_eq!(
            one(&format!("SELECT u256_sub(CAST('{BIG}' AS NUMERIC), 1)"))
                .unwrap()
                .len(),
            78
        );
        assert_eq!(one("SELECT u256_sub(1, 2)"), Some("0".into()));
        assert_eq!(one("SELECT u256_sub(5, NULL)"), Some("5".into()));
        assert_eq!(one("SELECT u256_sub(NULL, 5)"), None);
        assert_eq!(one("SELECT u256_dec(CAST(NULL AS NUMERIC), 18)"), None);
        assert_eq!(
            one(
                "SELECT instr('abcabc', 'ca') || ',' || instr('abc', 'x') || ',' || instr('abc', '')"
            ),
            Some("3,0,1".into())
        );
        decimals_on(&db);
    }
}
