//! The approver-rights list is paged by institution number, on the page and through the
//! API: a municipality with more institutions than a page is walked to the end with
//! nothing repeated or missed, and a cursor that is not ours starts over.

use std::collections::BTreeSet;

use diesel::prelude::*;
use reqwest::StatusCode;
use tilslutning::db::schema::institutions;

use crate::api_client::machine_of;
use crate::helpers::*;

/// Extra kommunal units in the officer's municipality (the demo has a few), so that
/// the list runs to several pages; two closed ones that must not be listed.
fn add_units(app: &TestApp) -> BTreeSet<String> {
    app.with_db(|c| {
        for n in 1..=60 {
            let number = format!("G17{n:03}");
            let status = if n > 58 { "closed" } else { "active" };
            diesel::insert_into(institutions::table)
                .values((
                    institutions::number.eq(&number),
                    institutions::name.eq(format!("Sidetest {n}")),
                    institutions::level.eq("anvisningsenhed"),
                    institutions::inst_type_code.eq("102"),
                    institutions::ownership_code.eq("1"),
                    institutions::municipality_code.eq(tilslutning::demo::OFFICER_MUNICIPALITY),
                    institutions::status.eq(status),
                ))
                .execute(c)
                .expect("unit");
        }
        institutions::table
            .filter(institutions::municipality_code.eq(tilslutning::demo::OFFICER_MUNICIPALITY))
            .filter(institutions::status.eq("active"))
            .select(institutions::number)
            .load::<String>(c)
            .expect("numbers")
            .into_iter()
            .collect()
    })
}

/// The institution numbers of an approvers page's rows, in order.
fn rows_of(body: &str) -> Vec<String> {
    body.split("<tr id=\"inst-")
        .skip(1)
        .filter_map(|piece| piece.split_once('"').map(|(n, _)| n.to_string()))
        .collect()
}

/// The page's next link, if any.
fn next_of(body: &str) -> Option<String> {
    let at = body.find("rel=\"next\"")?;
    let start = body[..at].rfind("href=\"")? + "href=\"".len();
    let end = body[start..].find('"')? + start;
    Some(body[start..end].replace("&amp;", "&"))
}

#[tokio::test]
async fn the_approvers_page_walks_a_large_municipality_a_page_at_a_time() {
    let app = spawn_app().await;
    let expected = add_units(&app);
    assert!(
        expected.len() > 2 * 25,
        "more than two pages: {}",
        expected.len()
    );
    let officer = app.login_as(OFFICER).await;
    let mut seen = Vec::new();
    let mut path = "/approvers".to_string();
    let mut pages = 0;
    loop {
        let page = officer.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let rows = rows_of(&page.body);
        assert!(rows.len() <= 25, "{path}: {}", rows.len());
        assert!(!rows.is_empty(), "{path}");
        assert!(
            page.contains("Karin Kommune"),
            "every page names the municipality's officers"
        );
        if pages > 0 {
            assert!(
                page.contains("href=\"/approvers\""),
                "back to the first page"
            );
        }
        seen.extend(rows);
        pages += 1;
        match next_of(&page.body) {
            Some(next) => path = next,
            None => break,
        }
        assert!(pages < 20, "the walk ends");
    }
    assert!(pages >= 3, "{pages}");
    let unique: BTreeSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "no row twice: {seen:?}");
    assert_eq!(unique, expected, "no row missed, no closed one");
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(sorted, seen, "by number");

    // A hand-edited cursor is the first page again, never an error.
    let edited = officer.get("/approvers?after=%%%nonsense").await;
    assert_eq!(edited.status, StatusCode::OK);
    assert_eq!(rows_of(&edited.body).first(), seen.first());
}

#[tokio::test]
async fn the_approvers_api_pages_with_limit_and_cursor() {
    let app = spawn_app().await;
    let expected = add_units(&app);
    let reader = machine_of(&app, OFFICER, "approver", &["read"]).await;
    let template = "/api/v1/approvers";
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/approvers?limit=7&cursor={c}"),
            None => "/api/v1/approvers?limit=7".to_string(),
        };
        let answer = reader.get(&path, template).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        let items = answer.body["institutions"]
            .as_array()
            .expect("institutions");
        assert!(items.len() <= 7 && !items.is_empty(), "{}", answer.body);
        assert_eq!(
            answer.body["municipalities"][0]["code"],
            tilslutning::demo::OFFICER_MUNICIPALITY
        );
        seen.extend(
            items
                .iter()
                .map(|i| i["number"].as_str().expect("number").to_string()),
        );
        pages += 1;
        match answer.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => {
                assert!(answer.body["next_cursor"].is_null());
                break;
            }
        }
        assert!(pages < 30, "the walk ends");
    }
    assert!(pages >= 9, "{pages}");
    let unique: BTreeSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "no row twice");
    assert_eq!(unique, expected, "no row missed");

    // Without a limit, a page is 100 rows; a limit out of range is a clear refusal
    // naming the field.
    let first = reader.get("/api/v1/approvers", template).await;
    assert_eq!(
        first.body["institutions"].as_array().map(Vec::len),
        Some(100.min(expected.len()))
    );
    assert_eq!(first.body["next_cursor"].is_string(), expected.len() > 100);
    for bad in ["0", "501"] {
        let refused = reader
            .get(&format!("/api/v1/approvers?limit={bad}"), template)
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(
            (refused.code(), refused.field()),
            ("invalid_value", "limit"),
            "{bad}"
        );
    }
    let unreadable = reader.get("/api/v1/approvers?limit=x", template).await;
    assert_eq!(unreadable.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unreadable.field(), "limit");
    let edited = reader
        .get("/api/v1/approvers?limit=7&cursor=bm90IGpzb24", template)
        .await;
    assert_eq!(edited.status, StatusCode::OK);
    assert_eq!(
        edited.body["institutions"][0]["number"].as_str(),
        seen.first().map(String::as_str)
    );
}
