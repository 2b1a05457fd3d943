//! `/aabenhed`: the public, read-only transparency pages — search an institution by name
//! or number, and see which services of which suppliers have an active data-access
//! agreement there, for which data and since when. What a parent or a data-protection
//! officer wants to know; no login, and no personal data (no names of people, no reasons).

use actix_web::{HttpResponse, get, web};
use askama::Template;
use serde::Deserialize;

use crate::db::agreements::{self, PublicAgreement};
use crate::db::register::{self, RegisterFilter};
use crate::domain::InstitutionNumber;
use crate::domain::codes::{CodeList, Level};
use crate::error::AppError;
use crate::routes::{Page, date, non_empty, render};
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(search).service(institution);
}

struct Hit {
    number: String,
    name: String,
    kind: String,
    municipality: String,
}

#[derive(Template)]
#[template(path = "transparency/search.html")]
struct SearchPage {
    page: Page,
    q: String,
    hits: Vec<Hit>,
    searched: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Query {
    q: Option<String>,
}

#[get("/aabenhed")]
async fn search(
    state: web::Data<AppState>,
    query: web::Query<Query>,
) -> Result<HttpResponse, AppError> {
    let q = non_empty(&query.q).map(|q| q.chars().take(132).collect::<String>());
    let hits = match q.clone() {
        None => Vec::new(),
        Some(text) => {
            let filter = RegisterFilter {
                text: Some(text),
                municipality_code: None,
                include_closed: false,
            };
            let rows = state
                .db
                .run(move |conn| -> Result<_, AppError> {
                    Ok(register::search(conn, &filter, None, 50)?)
                })
                .await?;
            let tx = crate::i18n::texts();
            rows.into_iter()
                .map(|(i, m)| Hit {
                    kind: Level::parse(&i.level)
                        .map(|level| tx.level(level))
                        .unwrap_or_default(),
                    municipality: m,
                    number: i.number,
                    name: i.name,
                })
                .collect()
        }
    };
    render(&SearchPage {
        page: Page::anonymous(),
        searched: q.is_some(),
        q: q.unwrap_or_default(),
        hits,
    })
}

struct AgreementLine {
    service: String,
    supplier: String,
    since: String,
    scopes: String,
    purpose: String,
    privacy_url: Option<String>,
}

#[derive(Template)]
#[template(path = "transparency/institution.html")]
struct InstitutionPage {
    page: Page,
    name: String,
    /// Number and name.
    heading: String,
    inst_type: String,
    municipality: String,
    closed: bool,
    agreements: Vec<AgreementLine>,
}

#[get("/aabenhed/{number}")]
async fn institution(
    state: web::Data<AppState>,
    number: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let number = InstitutionNumber::parse(&number)
        .map_err(|_| AppError::NotFound)?
        .to_string();
    let found = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let Some(inst) = register::find(conn, &number)? else {
                return Ok(None);
            };
            let municipality =
                register::municipality_name(conn, &inst.municipality_code)?.unwrap_or_default();
            let agreements = agreements::public_for_institution(conn, &inst.number)?;
            Ok(Some((inst, municipality, agreements)))
        })
        .await?;
    let (inst, municipality, found) = found.ok_or(AppError::NotFound)?;
    render(&InstitutionPage {
        page: Page::anonymous(),
        closed: !inst.is_active(),
        inst_type: crate::i18n::texts().code(CodeList::InstitutionType, &inst.inst_type_code),
        municipality,
        agreements: found
            .into_iter()
            .map(|a: PublicAgreement| AgreementLine {
                service: a.service,
                supplier: format!("{} (CVR {})", a.supplier, a.supplier_cvr),
                since: date(a.since),
                scopes: a.scopes.join(", "),
                purpose: a.purpose,
                privacy_url: a.privacy_url,
            })
            .collect(),
        heading: format!("{} {}", inst.number, inst.name),
        name: inst.name,
    })
}
