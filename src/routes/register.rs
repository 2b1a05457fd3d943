//! `/institutions`: the institution register as every signed-in person may read it —
//! search by name or number, filter by municipality, and one institution's details with
//! every coded field shown as code and text, in the reader's language (the words are the
//! catalogue's `register.ftl`).

use actix_web::{HttpResponse, get, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::db::register::{self, Institution, Municipality, RegisterFilter};
use crate::domain::codes::{CodeList, Level};
use crate::domain::{InstitutionNumber, Role};
use crate::error::AppError;
use crate::routes::{Page, Pager, date, non_empty, render};
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list).service(show);
}

pub struct InstitutionItem {
    pub number: String,
    pub name: String,
    pub level: String,
    pub inst_type: String,
    pub ownership: String,
    pub municipality: String,
    pub status: String,
}

fn status_text(i: &Institution) -> String {
    let tx = crate::i18n::texts();
    match (i.is_active(), i.closed_on) {
        (true, _) => tx.t("institution-active"),
        (false, Some(d)) => tx.a("institution-closed-on", "date", &date(d)),
        (false, None) => tx.t("institution-closed"),
    }
}

/// Street, postcode and town on one line, as far as the register knows them.
fn address(i: &Institution) -> Option<String> {
    let town = [i.postal_code.as_deref(), i.city.as_deref()]
        .into_iter()
        .flatten()
        .filter(|part| !part.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let parts: Vec<&str> = [i.street.as_deref().unwrap_or_default(), town.as_str()]
        .into_iter()
        .filter(|part| !part.trim().is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn item(i: &Institution, municipality: &str) -> InstitutionItem {
    let tx = crate::i18n::texts();
    InstitutionItem {
        number: i.number.clone(),
        name: i.name.clone(),
        level: Level::parse(&i.level)
            .map(|level| tx.level(level))
            .unwrap_or_else(|| tx.t("status-unknown")),
        inst_type: tx.code(CodeList::InstitutionType, &i.inst_type_code),
        ownership: tx.code(CodeList::Ownership, &i.ownership_code),
        municipality: tx.with_two(
            "municipality-with-code",
            "name",
            municipality,
            "code",
            &i.municipality_code,
        ),
        status: status_text(i),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    q: Option<String>,
    municipality: Option<String>,
    closed: Option<String>,
    /// The keyset cursor of the previous page's last row.
    after: Option<String>,
}

#[derive(Template)]
#[template(path = "register/list.html")]
struct ListPage {
    page: Page,
    items: Vec<InstitutionItem>,
    pager: Pager,
    q: String,
    municipality: String,
    include_closed: bool,
    municipalities: Vec<Municipality>,
    filter_error: Option<String>,
}

#[get("/institutions")]
async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let mut filter_error = None;
    let municipality_code = non_empty(&query.municipality).filter(|m| {
        let ok = m.len() == 3 && m.chars().all(|c| c.is_ascii_digit());
        if !ok {
            filter_error = Some(crate::i18n::texts().t("register-bad-municipality"));
        }
        ok
    });
    let filter = RegisterFilter {
        text: non_empty(&query.q).map(|q| q.chars().take(132).collect()),
        municipality_code,
        include_closed: query.closed.is_some(),
    };
    let after = non_empty(&query.after);
    let cursor = after.clone();
    let (mut rows, municipalities) = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let rows = register::search(
                conn,
                &filter,
                cursor.as_deref(),
                crate::routes::PAGE_SIZE + 1,
            )?;
            Ok((rows, register::municipalities(conn)?))
        })
        .await?;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let pager = Pager::keyset(
        "/institutions",
        &[
            ("q", text(&query.q)),
            ("municipality", text(&query.municipality)),
            ("closed", text(&query.closed)),
        ],
        &mut rows,
        after.is_none(),
        |(i, _)| i.cursor(),
    );
    render(&ListPage {
        page: Page::for_user(&user, "/institutions"),
        items: rows.iter().map(|(i, m)| item(i, m)).collect(),
        pager,
        q: text(&query.q),
        municipality: text(&query.municipality),
        include_closed: query.closed.is_some(),
        municipalities,
        filter_error,
    })
}

#[derive(Template)]
#[template(path = "register/detail.html")]
struct DetailPage {
    page: Page,
    i: Institution,
    summary: InstitutionItem,
    legal_basis: Option<String>,
    /// The klynge's number and name.
    parent: Option<(String, String)>,
    address: Option<String>,
    units: Vec<InstitutionItem>,
    may_file: bool,
}

#[get("/institutions/{number}")]
async fn show(
    state: web::Data<AppState>,
    user: CurrentUser,
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
            let units = register::active_units_of(conn, std::slice::from_ref(&inst.number))?;
            let parent = match &inst.parent_number {
                Some(number) => Some((
                    number.clone(),
                    register::find(conn, number)?
                        .map(|p| p.name)
                        .unwrap_or_default(),
                )),
                None => None,
            };
            Ok(Some((inst, municipality, units, parent)))
        })
        .await?;
    let (i, municipality, units, parent) = found.ok_or(AppError::NotFound)?;
    render(&DetailPage {
        page: Page::for_user(&user, "/institutions"),
        summary: item(&i, &municipality),
        legal_basis: i
            .legal_basis_code
            .as_deref()
            .map(|c| crate::i18n::texts().code(CodeList::LegalBasis, c)),
        units: units.iter().map(|u| item(u, &municipality)).collect(),
        parent,
        address: address(&i),
        may_file: user.has_role(Role::is_supplier) && i.is_active(),
        i,
    })
}
