//! `/approvers` (Godkendere): institution staff and municipal officers see, for each
//! institution they cover, who holds the right to decide there — its staff, the
//! municipality's officers when it is kommunal or has delegated to the municipality, and
//! delegations in force with their period. Anyone else gets 403. A page shows 25
//! institutions by number (and their municipalities); the next link starts after the
//! last one shown.

use actix_web::{HttpResponse, get, web};
use askama::Template;
use serde::Deserialize;

use crate::app;
use crate::app::approver_rights::Overview;
use crate::auth::CurrentUser;
use crate::db::approver_rights::{Holder, InForce};
use crate::domain::codes::CodeList;
use crate::domain::keyset;
use crate::error::AppError;
use crate::routes::{PAGE_SIZE, Page, Pager, date, non_empty, render};
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(show);
}

/// A delegation in words: who gave it (to whom) and its period.
fn delegation_words(d: &InForce) -> String {
    let tx = crate::i18n::texts();
    let period = format!("{} – {}", date(d.valid_from), date(d.valid_until));
    match &d.granted_to {
        Some(to) => tx.with(
            "approvers-delegation-colleague",
            &[
                ("by", d.granted_by.clone().into()),
                ("to", to.clone().into()),
                ("period", period.into()),
            ],
        ),
        None => tx.with_two(
            "approvers-delegation-institution",
            "by",
            &d.granted_by,
            "period",
            &period,
        ),
    }
}

fn people(holders: &[Holder]) -> Vec<String> {
    holders
        .iter()
        .map(|h| format!("{} ({})", h.name, h.email))
        .collect()
}

struct MunicipalityLine {
    name: String,
    officers: Vec<String>,
    delegations: Vec<String>,
}

struct InstitutionLine {
    number: String,
    name: String,
    ownership: String,
    staff: Vec<String>,
    /// Who at the municipality decides here, in words; `None` when nobody there does.
    municipality: Option<String>,
    delegations: Vec<String>,
    nobody: bool,
}

#[derive(Template)]
#[template(path = "approvers.html")]
struct ApproversPage {
    page: Page,
    municipalities: Vec<MunicipalityLine>,
    institutions: Vec<InstitutionLine>,
    pager: Pager,
}

fn lines(overview: Overview) -> (Vec<MunicipalityLine>, Vec<InstitutionLine>) {
    let tx = crate::i18n::texts();
    let institutions = overview
        .institutions
        .iter()
        .map(|i| {
            let m = overview
                .municipalities
                .iter()
                .find(|m| m.code == i.municipality_code);
            let municipality = (i.officers_decide).then(|| {
                tx.a(
                    "approvers-officers-decide",
                    "municipality",
                    &m.map(|m| m.name.clone()).unwrap_or_default(),
                )
            });
            let officers_exist = m.is_some_and(|m| !m.officers.is_empty());
            InstitutionLine {
                number: i.number.clone(),
                name: i.name.clone(),
                ownership: tx.code(CodeList::Ownership, &i.ownership_code),
                staff: people(&i.staff),
                nobody: i.staff.is_empty() && !(i.officers_decide && officers_exist),
                municipality,
                delegations: i.delegations.iter().map(delegation_words).collect(),
            }
        })
        .collect();
    let municipalities = overview
        .municipalities
        .into_iter()
        .map(|m| MunicipalityLine {
            name: m.name,
            officers: people(&m.officers),
            delegations: m.delegations.iter().map(delegation_words).collect(),
        })
        .collect();
    (municipalities, institutions)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PageQuery {
    /// The cursor of the page before (the last institution number shown).
    after: Option<String>,
}

#[get("/approvers")]
async fn show(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let actor = user.actor();
    let today = crate::db::now().date();
    let token = non_empty(&query.after);
    // A cursor that does not decode is the first page, never an error.
    let after = token
        .as_deref()
        .and_then(|t| keyset::decode(t, 1))
        .and_then(|mut v| v.pop());
    let on_first_page = after.is_none();
    let overview = state
        .db
        .run(move |conn| {
            app::approver_rights::overview(conn, &actor, today, after.as_deref(), PAGE_SIZE)
        })
        .await?;
    let next_after = overview.next_after.clone();
    let (municipalities, institutions) = lines(overview);
    let pager = Pager {
        shown: institutions.len(),
        more: next_after.is_some(),
        next: next_after.map(|n| format!("/approvers?after={}", keyset::encode(&[n]))),
        first: (!on_first_page).then(|| "/approvers".to_string()),
    };
    render(&ApproversPage {
        page: Page::for_user(&user, "/approvers"),
        municipalities,
        institutions,
        pager,
    })
}
