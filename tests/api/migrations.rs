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

/// The reasons migration (reverted with every newer one): the end-date sentence becomes its code going up, and going
/// down the coded reasons are written back as the Danish sentences they were.
#[tokio::test]
async fn system_reasons_become_codes_and_go_back_to_sentences() {
    use tilslutning::db::schema::{agreements, requests};
    let app = spawn_app_with(Options {
        no_worker: true,
        ..Options::default()
    })
    .await;
    let lapsed: String = app.with_db(|c| {
        requests::table
            .filter(requests::status.eq("lapsed"))
            .select(requests::id)
            .first(c)
            .expect("the demo's lapsed request")
    });
    let ended: String = app.with_db(|c| {
        agreements::table
            .filter(agreements::status.eq("terminated"))
            .select(agreements::id)
            .first(c)
            .expect("an ended agreement")
    });
    let db = app.db.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = db.get().expect("connection");
        // Down to and including the reasons migration, whatever came after it.
        let mut reverted = 0;
        loop {
            reverted += 1;
            let version = pool::revert_last_migration(&mut conn).expect("down");
            if version == "20261203010000" {
                break;
            }
        }
        let sentence: Option<String> = diesel::sql_query(format!(
            "SELECT decision_reason AS text FROM requests WHERE id = '{lapsed}'"
        ))
        .get_result::<Text>(&mut *conn)
        .expect("reason")
        .text;
        assert_eq!(sentence.as_deref(), Some("Institutionen G10502 er lukket."));
        // A sentence the old sweep wrote.
        diesel::sql_query(format!(
            "UPDATE agreements SET status = 'ended', closed_by = NULL, \
             close_reason = 'Slutdatoen er passeret.' WHERE id = '{ended}'"
        ))
        .execute(&mut *conn)
        .expect("old row");
        assert_eq!(pool::run_migrations(&mut conn).expect("up"), reverted);
        let (text, code): (Option<String>, Option<String>) = agreements::table
            .find(&ended)
            .select((agreements::close_reason, agreements::close_reason_code))
            .first(&mut *conn)
            .expect("row");
        assert_eq!((text, code.as_deref()), (None, Some("end-date-passed")));
        let (text, code): (Option<String>, Option<String>) = requests::table
            .find(&lapsed)
            .select((requests::decision_reason, requests::decision_reason_code))
            .first(&mut *conn)
            .expect("row");
        assert_eq!(
            (text.as_deref(), code.as_deref()),
            (Some("Institutionen G10502 er lukket."), None),
            "a sentence from before stays a sentence"
        );
    })
    .await
    .expect("migration test finished");
}

#[derive(QueryableByName)]
struct Text {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    text: Option<String>,
}

#[test]
fn a_mistyped_database_url_is_refused_without_creating_anything() {
    let dir = tempfile::tempdir().expect("temp dir");
    let typo = format!("sqlit://{}", dir.path().join("x.db").display());
    assert!(Db::connect(&typo, 1).is_err());
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);
}
