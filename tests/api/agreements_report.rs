//! The agreements report: `/agreements/export.csv` holds every agreement the person may
//! see (and no other), with scopes and who approved it, and opens in Excel as it is.

use diesel::prelude::*;
use reqwest::StatusCode;
use tilslutning::db::schema::{agreements, services};

use crate::helpers::*;

fn rows_of(body: &str) -> Vec<Vec<String>> {
    let text = body
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark for Excel");
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.expect("a CSV row").iter().map(str::to_string).collect())
        .collect()
}

#[tokio::test]
async fn each_person_gets_every_agreement_they_may_see_and_no_other() {
    let app = spawn_app().await;
    let references = |filter: &dyn Fn(&str, &str) -> bool| -> Vec<String> {
        app.with_db(|c| {
            let mut refs: Vec<(String, String, Option<String>)> = agreements::table
                .inner_join(services::table)
                .select((
                    agreements::reference,
                    services::supplier_id,
                    agreements::municipality_code,
                ))
                .load(c)
                .expect("agreements");
            refs.retain(|(_, supplier, municipality)| {
                filter(supplier, municipality.as_deref().unwrap_or(""))
            });
            let mut out: Vec<String> = refs.into_iter().map(|(r, _, _)| r).collect();
            out.sort();
            out
        })
    };
    type Sees = Box<dyn Fn(&str, &str) -> bool>;
    let cases: [(&str, Sees); 3] = [
        (OPERATOR, Box::new(|_, _| true)),
        (SUPPLIER, Box::new(|s, _| s == "demo-supplier-1")),
        (
            OFFICER,
            Box::new(|_, m| m == tilslutning::demo::OFFICER_MUNICIPALITY),
        ),
    ];
    for (who, sees) in cases {
        let session = app.login_as(who).await;
        let response = session.get("/agreements/export.csv").await;
        assert_eq!(response.status, StatusCode::OK, "{who}: {}", response.body);
        let rows = rows_of(&response.body);
        assert_eq!(rows[0][0], "Aftale");
        assert_eq!(rows[0].len(), 15);
        assert_eq!(rows[0][14], "Sat i bero");
        let mut got: Vec<String> = rows[1..].iter().map(|r| r[0].clone()).collect();
        got.sort();
        assert_eq!(got, references(&sees), "{who}");
        assert!(
            rows[1..]
                .iter()
                .all(|r| !r[7].is_empty() && !r[8].is_empty()),
            "scopes and approver are filled in"
        );
    }
    // The list's filters apply; a bad one is refused, not ignored.
    let operator = app.login_as(OPERATOR).await;
    let active = rows_of(
        &operator
            .get("/agreements/export.csv?status=active")
            .await
            .body,
    );
    assert!(
        active[1..]
            .iter()
            .all(|r| r[1] == "Aktiv" && r[2] == "GODKENDT")
    );
    let bad = operator.get("/agreements/export.csv?status=nonsense").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let list = operator.get("/agreements?status=active").await;
    assert!(
        list.contains("/agreements/export.csv?status=active"),
        "the list links to its report"
    );
    assert_eq!(
        app.anonymous().get("/agreements/export.csv").await.status,
        StatusCode::SEE_OTHER
    );
}
