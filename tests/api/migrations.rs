//! Every migration runs up, down and up again on the backend under test.

use diesel::prelude::*;
use tilslutning::db::{Db, pool};

use crate::helpers::*;

#[tokio::test]
async fn migrations_run_up_down_and_up_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let settings = test_settings(dir.path(), &Options::default());
    let db = Db::connect(&settings.database_url, 1).expect("connect");
    tokio::task::spawn_blocking(move || {
        let mut conn = db.get().expect("connection");
        let applied = pool::run_migrations(&mut conn).expect("up");
        assert!(applied >= 2);
        let reverted = pool::revert_all_migrations(&mut conn).expect("down");
        assert_eq!(reverted, applied);
        assert_eq!(pool::run_migrations(&mut conn).expect("up again"), applied);
        use tilslutning::db::schema::{municipalities, scopes};
        let kommuner: i64 = municipalities::table
            .count()
            .get_result(&mut *conn)
            .expect("count");
        assert_eq!(kommuner, 98, "all 98 municipalities");
        let sensitive: Vec<String> = scopes::table
            .filter(scopes::sensitive.eq(true))
            .order(scopes::code)
            .select(scopes::code)
            .load(&mut *conn)
            .expect("scopes");
        assert_eq!(sensitive, vec!["CPR".to_string(), "INDKOMST".to_string()]);
    })
    .await
    .expect("migration test finished");
}

#[test]
fn a_mistyped_database_url_is_refused_without_creating_anything() {
    let dir = tempfile::tempdir().expect("temp dir");
    let typo = format!("sqlit://{}", dir.path().join("x.db").display());
    assert!(Db::connect(&typo, 1).is_err());
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);
}
