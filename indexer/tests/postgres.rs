//! The PostgreSQL backend against a private cluster: the same chain indexed
//! into SQLite and PostgreSQL gives the same rows, value for value; and bad
//! input (nothing listening, a wrong password, a database holding another
//! schema version or someone else's tables) gets one clear error with
//! nothing written.

mod common;
mod fixture;

use common::*;
use tidepool_indexer::db::Location;
use tidepool_indexer::ingest::Indexer;
use tidepool_testkit::postgres::PgCluster;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_chain_gives_the_same_rows_in_sqlite_and_postgresql() {
    let net = net().await;
    swaps(&net, 20, 61).await;
    new_pool(&net, "PGX").await;
    swaps(&net, 10, 62).await;
    let h = head(&net.trader).await;
    let lite = Stores::new(Backend::Sqlite);
    let pg = Stores::new(Backend::Postgres);
    let (a, b) = (lite.store("index"), pg.store("index"));
    index_to(&net.devnet.url, &net.m, &a, h).await;
    index_to(&net.devnet.url, &net.m, &b, h).await;
    let (da, db) = (dump(&a), dump(&b));
    assert!(da.iter().filter(|l| l.starts_with("swaps")).count() >= 30);
    assert!(da.iter().any(|l| l.starts_with("candles")));
    assert!(da.iter().any(|l| l.starts_with("token_days")));
    assert_eq!(da, db, "every table, value for value");
    // Amounts are numbers PostgreSQL can add up exactly.
    let types: String = one(
        &b,
        "SELECT string_agg(data_type, ',' ORDER BY column_name) FROM information_schema.columns
         WHERE table_name = 'swaps' AND column_name IN ('amount0_in', 'price', 'timestamp', 'tx_hash')",
    );
    assert_eq!(types, "numeric,double precision,bigint,text");
    let total_in: String = one(&b, "SELECT CAST(sum(amount0_in) AS TEXT) FROM public.swaps");
    let expected: alloy::primitives::U256 = raw_rows(&a)
        .iter()
        .filter(|r| r.starts_with("swaps "))
        .map(|r| {
            r.split(' ')
                .nth(6)
                .unwrap()
                .parse::<alloy::primitives::U256>()
                .unwrap()
        })
        .sum();
    assert_eq!(total_in, expected.to_string());
}

#[test]
fn the_query_fixture_is_the_same_in_both_stores() {
    let (lite, pg) = (fixture::build_on(false), fixture::build_on(true));
    let (a, b) = (dump(&lite.at), dump(&pg.at));
    assert!(a.iter().filter(|l| l.starts_with("pair_days")).count() >= 4);
    assert_eq!(a, b);
    // A reader sees the chain, and cannot write.
    let mut r = tidepool_indexer::store::Store::open_reader(&pg.at, None).unwrap();
    let n: i64 = r
        .read_opt("SELECT count(*) FROM swaps", &[])
        .unwrap()
        .unwrap()
        .get(0)
        .unwrap();
    assert_eq!(n, fixture::swaps().len() as i64);
    use tidepool_indexer::db::Sql;
    let e = r
        .execute("DELETE FROM public.swaps", &[])
        .unwrap_err()
        .to_string();
    assert!(e.contains("read-only transaction"), "{e}");
}

/// What `Indexer::open` says for `db`, and that it did not open.
async fn refused(url: &str, m: &tidepool_sdk::manifest::Manifest, db: &Location) -> String {
    let (_s, rx) = tokio::sync::watch::channel(false);
    let started = std::time::Instant::now();
    let e = Indexer::open(config(url, m, db), rx)
        .await
        .err()
        .expect("refused")
        .to_string();
    assert!(
        started.elapsed() < std::time::Duration::from_secs(15),
        "answered in {:?}",
        started.elapsed()
    );
    e
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_postgresql_input_gets_one_clear_error_and_writes_nothing() {
    let net = net().await;
    let pg = PgCluster::start().unwrap();
    let tables = |db: &str| {
        pg.psql(
            db,
            "SELECT coalesce(string_agg(tablename, ',' ORDER BY tablename), '') FROM pg_tables WHERE schemaname = 'public'",
        )
        .unwrap()
    };

    // Nothing listens on the port.
    let port = tidepool_testkit::ports::try_free_port().unwrap();
    let nowhere = Location::Postgres(format!("postgres://tidepool:pw@127.0.0.1:{port}/tidepool"));
    let e = refused(&net.devnet.url, &net.m, &nowhere).await;
    assert!(
        e.starts_with(&format!(
            "cannot open the database postgres://tidepool@127.0.0.1:{port}/tidepool:"
        )),
        "{e}"
    );
    assert!(e.contains("onnection refused"), "{e}");

    // A wrong password: refused by the server, and no password in the words.
    let wrong = Location::Postgres(pg.url_with_wrong_password());
    let e = refused(&net.devnet.url, &net.m, &wrong).await;
    assert!(e.contains("password authentication failed"), "{e}");
    assert!(!e.contains("not-the-password"), "{e}");
    assert_eq!(tables("tidepool"), "", "nothing was created");

    // A database holding another schema version.
    pg.psql("postgres", "CREATE DATABASE older").unwrap();
    pg.psql(
        "older",
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('schema_version', '3')",
    )
    .unwrap();
    let e = refused(
        &net.devnet.url,
        &net.m,
        &Location::Postgres(pg.url_of("older")),
    )
    .await;
    assert!(
        e.contains("holds tidepool schema version 3") && e.contains("version 4"),
        "{e}"
    );
    assert_eq!(tables("older"), "meta", "nothing was added");

    // A database holding someone else's table of a name tidepool uses.
    pg.psql("postgres", "CREATE DATABASE theirs").unwrap();
    pg.psql("theirs", "CREATE TABLE swaps (id INT)").unwrap();
    let e = refused(
        &net.devnet.url,
        &net.m,
        &Location::Postgres(pg.url_of("theirs")),
    )
    .await;
    assert!(e.contains("already has a table `swaps`"), "{e}");
    assert_eq!(tables("theirs"), "swaps", "nothing was added");

    // The same indexer opens a fresh database and writes its schema version.
    pg.psql("postgres", "CREATE DATABASE fresh").unwrap();
    let h = head(&net.trader).await;
    index_to(
        &net.devnet.url,
        &net.m,
        &Location::Postgres(pg.url_of("fresh")),
        h,
    )
    .await;
    assert_eq!(
        pg.psql(
            "fresh",
            "SELECT value FROM meta WHERE key = 'schema_version'"
        )
        .unwrap(),
        "4"
    );
}

use tidepool_sdk::alloy;
