//! `/agreements`: the agreements a person may see, one agreement's scopes and history,
//! and ending one: the supplier terminates (opsiger), the institution side revokes
//! (tilbagekalder, reason required).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use crate::app;
use crate::app::agreements::{EndRefusal, Ending, MoveRefusal, target};
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::agreements::{self, AgreementDetail, AgreementFilter, AgreementScope};
use crate::domain::codes::CodeList;
use crate::domain::policy::{self, Action, view_scope};
use crate::domain::{AgreementStatus, InstitutionNumber};
use crate::error::AppError;
use crate::routes::requests::{HistoryItem, history_items};
use crate::routes::{Page, Pager, date, datetime, non_empty, redirect, render, render_with};
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(export_csv)
        .service(show)
        .service(terminate)
        .service(revoke)
        .service(move_to_successor)
        .service(legacy_report);
}

pub struct AgreementItem {
    pub id: String,
    pub reference: String,
    pub status_code: String,
    pub status_label: String,
    pub national_word: &'static str,
    pub period: String,
    pub institution_number: String,
    pub institution_name: String,
    pub service: String,
    pub supplier: String,
    /// Who holds it and why, when it is on hold ("sat i bero").
    pub on_hold: Option<String>,
}

/// The holds on a list row in words: "the institution: why; the supplier: why".
pub(crate) fn on_hold_text(r: &agreements::AgreementRow) -> Option<String> {
    let tx = crate::i18n::texts();
    let parts: Vec<String> = r
        .hold_reasons()
        .into_iter()
        .filter_map(|(side, reason)| {
            reason.map(|reason| {
                tx.with_two(
                    "hold-by",
                    "side",
                    &crate::routes::agreement_pauses::side_label(tx, side),
                    "reason",
                    reason,
                )
            })
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    status: Option<String>,
    institution: Option<String>,
    /// The keyset cursor of the previous page's last row.
    after: Option<String>,
}

#[derive(Template)]
#[template(path = "agreements/list.html")]
struct ListPage {
    page: Page,
    items: Vec<AgreementItem>,
    pager: Pager,
    institution: String,
    statuses: Vec<crate::routes::Choice>,
    filter_error: Option<String>,
    /// The report of every agreement the filters match, as CSV.
    export_csv: String,
}

fn period(starts: time::Date, ends: Option<time::Date>) -> String {
    match ends {
        Some(end) => format!("{} – {}", date(starts), date(end)),
        None => crate::i18n::texts().a("period-from", "start", &date(starts)),
    }
}

/// The list's filter from the query, and what was wrong with it (the rest still applies).
fn filter_of(query: &ListQuery) -> (AgreementFilter, Option<String>) {
    let mut filter_error = None;
    let status = non_empty(&query.status).filter(|s| {
        let known = AgreementStatus::parse(s).is_some();
        if !known {
            filter_error = Some(crate::i18n::texts().t("filter-unknown-status"));
        }
        known
    });
    let institution_number =
        non_empty(&query.institution).and_then(|n| match InstitutionNumber::parse(&n) {
            Ok(n) => Some(n.to_string()),
            Err(e) => {
                filter_error = Some(crate::routes::line_problems::malformed(
                    &e,
                    crate::i18n::current(),
                ));
                None
            }
        });
    let filter = AgreementFilter {
        status,
        institution_number,
    };
    (filter, filter_error)
}

/// The agreements report's columns (catalogue keys; the header reads in the reader's
/// language).
const REPORT_HEADER: [&str; 15] = [
    "csv-agreement",
    "csv-status",
    "csv-status-national",
    "csv-institution-number",
    "csv-institution",
    "csv-supplier",
    "csv-service",
    "csv-scopes",
    "csv-approved-by",
    "csv-approved-as",
    "csv-approved",
    "csv-valid-from",
    "csv-valid-until",
    "csv-closed",
    "csv-on-hold",
];

/// Rows the report reads and writes at a time.
const REPORT_BATCH: i64 = 1_000;

fn report_rows(lines: &[app::agreements::ReportLine]) -> anyhow::Result<Vec<u8>> {
    let mut out = crate::csv_export::CsvWriter::rows();
    for line in lines {
        let (r, f) = (&line.row, &line.facts);
        let status = AgreementStatus::parse(&r.status);
        out.row([
            r.reference.clone(),
            crate::i18n::texts().agreement_status(&r.status),
            status
                .map(|s| s.national_word())
                .unwrap_or_default()
                .to_string(),
            r.institution_number.clone(),
            r.institution_name.clone(),
            r.supplier_name.clone(),
            r.service_name.clone(),
            f.scopes.join(", "),
            f.approved_by_name.clone(),
            crate::i18n::texts().role_code(&f.approved_role),
            datetime(r.created_at),
            date(r.starts_on),
            r.ends_on.map(date).unwrap_or_default(),
            f.closed_at.map(crate::routes::datetime).unwrap_or_default(),
            on_hold_text(r).unwrap_or_default(),
        ])?;
    }
    out.into_bytes()
}

/// `/agreements/export.csv`: every agreement the person may see (the list's filters
/// apply), newest first, streamed a batch at a time; Excel opens it as it is.
#[get("/agreements/export.csv")]
async fn export_csv(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let (filter, problem) = filter_of(&query);
    if let Some(problem) = problem {
        return Err(AppError::BadRequest(problem));
    }
    if view_scope(&user.actor()).is_empty() {
        return Err(AppError::Forbidden);
    }
    let acting = user.acting();
    let tx = crate::i18n::texts();
    let head = crate::csv_export::CsvWriter::with_header(REPORT_HEADER.map(|key| tx.t(key)))
        .map_err(anyhow::Error::from)
        .and_then(crate::csv_export::CsvWriter::into_bytes)?;
    let mut after: Option<String> = None;
    Ok(crate::routes::download::stream(
        &state.db,
        "text/csv; charset=utf-8",
        "aftaler.csv",
        head,
        move |conn| {
            let batch =
                app::agreements::report(conn, &acting, &filter, after.as_deref(), REPORT_BATCH)?;
            let Some(last) = batch.last() else {
                return Ok(None);
            };
            after = Some(last.row.cursor());
            report_rows(&batch).map(Some)
        },
    ))
}

#[get("/agreements")]
async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let view = view_scope(&user.actor());
    let (filter, filter_error) = filter_of(&query);
    let after = non_empty(&query.after);
    let mut rows = if view.is_empty() {
        Vec::new()
    } else {
        let after = after.clone();
        state
            .db
            .run(move |conn| -> Result<_, AppError> {
                Ok(agreements::list(
                    conn,
                    &view,
                    &filter,
                    after.as_deref(),
                    crate::routes::PAGE_SIZE + 1,
                )?)
            })
            .await?
    };
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let pager = Pager::keyset(
        "/agreements",
        &[
            ("status", text(&query.status)),
            ("institution", text(&query.institution)),
        ],
        &mut rows,
        after.is_none(),
        |r| r.cursor(),
    );
    let items = rows
        .iter()
        .map(|r| AgreementItem {
            id: r.id.clone(),
            reference: r.reference.clone(),
            status_code: r.status.clone(),
            status_label: crate::i18n::texts().agreement_status(&r.status),
            national_word: AgreementStatus::parse(&r.status)
                .map(AgreementStatus::national_word)
                .unwrap_or(""),
            period: period(r.starts_on, r.ends_on),
            institution_number: r.institution_number.clone(),
            institution_name: r.institution_name.clone(),
            service: r.service_name.clone(),
            supplier: r.supplier_name.clone(),
            on_hold: on_hold_text(r),
        })
        .collect();
    render(&ListPage {
        page: Page::for_user(&user, "/agreements"),
        items,
        pager,
        institution: text(&query.institution),
        statuses: crate::routes::choices(
            AgreementStatus::ALL.iter().map(|s| {
                (
                    s.as_str(),
                    crate::i18n::texts().agreement_status(s.as_str()),
                )
            }),
            &text(&query.status),
        ),
        filter_error,
        export_csv: format!(
            "/agreements/export.csv?{}",
            url::form_urlencoded::Serializer::new(String::new())
                .append_pair("status", &text(&query.status))
                .append_pair("institution", &text(&query.institution))
                .finish()
        ),
    })
}

#[derive(Template)]
#[template(path = "agreements/detail.html")]
pub(crate) struct DetailPage {
    page: Page,
    d: AgreementDetail,
    status_label: String,
    national_word: &'static str,
    period: String,
    created: String,
    closed: Option<String>,
    ownership: String,
    regular: Vec<AgreementScope>,
    sensitive: Vec<AgreementScope>,
    history: Vec<HistoryItem>,
    can_terminate: bool,
    can_revoke: bool,
    /// The G-number an agreement on a legacy A-number can be moved to.
    move_to: Option<String>,
    error: Option<String>,
    reason: String,
    /// Holds ("sat i bero") on it and the buttons that put them on and lift them.
    pauses: crate::routes::agreement_pauses::PauseView,
}

/// The agreement page with `pauses` as the hold section shows it (a refused suspension).
pub(crate) fn detail_page(
    user: &CurrentUser,
    d: AgreementDetail,
    pauses: crate::routes::agreement_pauses::PauseView,
) -> DetailPage {
    let mut p = page(user, d, None, String::new(), None);
    p.pauses = pauses;
    p
}

async fn load_visible(
    state: &AppState,
    user: &CurrentUser,
    id: String,
) -> Result<AgreementDetail, AppError> {
    let acting = user.acting();
    Ok(state
        .db
        .run(move |conn| app::agreements::read(conn, &acting, &id))
        .await?)
}

fn page(
    user: &CurrentUser,
    d: AgreementDetail,
    error: Option<String>,
    reason: String,
    notice: Option<&str>,
) -> DetailPage {
    let actor = user.actor();
    let tx = crate::i18n::texts();
    let status = AgreementStatus::parse(&d.agreement.status).unwrap_or(AgreementStatus::Ended);
    let open = status.is_open();
    let (sensitive, regular): (Vec<_>, Vec<_>) =
        d.scopes.iter().cloned().partition(|s| s.sensitive);
    DetailPage {
        page: Page::for_user(user, "/agreements").with_notice(notice),
        status_label: tx.agreement_status(status.as_str()),
        national_word: status.national_word(),
        period: period(d.agreement.starts_on, d.agreement.ends_on),
        created: datetime(d.agreement.created_at),
        closed: d.agreement.closed_at.map(datetime),
        ownership: tx.code(CodeList::Ownership, &d.institution.ownership_code),
        history: history_items(
            &d.history,
            d.scopes
                .iter()
                .map(|s| (s.code.as_str(), tx.pick(&s.name_da, &s.name_en))),
        ),
        can_terminate: open && policy::allows(&actor, Action::TerminateAgreement, &target(&d)),
        can_revoke: open && policy::allows(&actor, Action::RevokeAgreement, &target(&d)),
        move_to: d.institution.replaced_by.clone().filter(|_| {
            open && d.institution.number.starts_with('A')
                && policy::allows(&actor, Action::RevokeAgreement, &target(&d))
        }),
        pauses: crate::routes::agreement_pauses::view(user, &d),
        regular,
        sensitive,
        error,
        reason,
        d,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ShowQuery {
    notice: Option<String>,
}

#[get("/agreements/{id}")]
async fn show(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    query: web::Query<ShowQuery>,
) -> Result<HttpResponse, AppError> {
    let detail = load_visible(&state, &user, id.into_inner()).await?;
    render_with(
        StatusCode::OK,
        &page(&user, detail, None, String::new(), query.notice.as_deref()),
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EndInput {
    reason: String,
    /// Set by the confirmation step; without it the step is shown first.
    confirmed: Option<String>,
}

/// The step before an agreement ends: what will happen, in words, and the button that
/// does it.
#[derive(Template)]
#[template(path = "agreements/confirm_end.html")]
struct ConfirmEnd {
    page: Page,
    heading: String,
    what_happens: String,
    button: String,
    action: String,
    back: String,
    reason: String,
}

/// Shows the confirmation step for ending the agreement `d` as `ending`.
fn confirm_end(
    user: &CurrentUser,
    d: &AgreementDetail,
    ending: Ending,
    reason: String,
) -> ConfirmEnd {
    let tx = crate::i18n::texts();
    let kind = match ending {
        Ending::Terminate => "terminate",
        Ending::Revoke => "revoke",
    };
    let institution = format!("{} {}", d.institution.number, d.institution.name);
    ConfirmEnd {
        page: Page::for_user(user, "/agreements"),
        heading: tx.a(
            &format!("confirm-{kind}-heading"),
            "reference",
            &d.agreement.reference,
        ),
        what_happens: tx.with(
            &format!("confirm-{kind}-what"),
            &[
                ("supplier", d.supplier.name.clone().into()),
                ("service", d.service.name.clone().into()),
                ("institution", institution.into()),
            ],
        ),
        button: tx.t(&format!("confirm-{kind}-button")),
        action: format!("/agreements/{}/{kind}", d.agreement.id),
        back: format!("/agreements/{}", d.agreement.id),
        reason,
    }
}
async fn end(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    ending: Ending,
    input: EndInput,
) -> Result<HttpResponse, AppError> {
    let reason = input.reason;
    // A revocation without a reason is refused at once; anything else is confirmed first.
    let refused_at_once = ending == Ending::Revoke && reason.trim().is_empty();
    if input.confirmed.is_none() && !refused_at_once {
        let detail = load_visible(state, user, id).await?;
        if !policy::allows(&user.actor(), ending.action(), &target(&detail)) {
            return Err(AppError::Forbidden);
        }
        let open = AgreementStatus::parse(&detail.agreement.status).is_some_and(|s| s.is_open());
        if open {
            return render(&confirm_end(user, &detail, ending, reason));
        }
        let id = detail.agreement.id.clone();
        return end_now(state, user, id, ending, reason).await;
    }
    end_now(state, user, id, ending, reason).await
}

/// Ends the agreement, or shows why it could not be ended.
async fn end_now(
    state: &AppState,
    user: &CurrentUser,
    id: String,
    ending: Ending,
    reason: String,
) -> Result<HttpResponse, AppError> {
    let (acting, agreement_id, typed) = (user.acting(), id.clone(), reason.clone());
    let outcome = state
        .db
        .run(move |conn| app::agreements::end(conn, &acting, &agreement_id, ending, &typed))
        .await?;
    let tx = crate::i18n::texts();
    let (status, message) = match outcome {
        Ok(()) => {
            return Ok(redirect(&format!(
                "/agreements/{id}?notice={}",
                ending.status().as_str()
            )));
        }
        Err(EndRefusal::ReasonRequired) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            tx.t("agreement-revoke-reason-required"),
        ),
        Err(EndRefusal::AlreadyEnded(status)) => (
            StatusCode::CONFLICT,
            tx.a(
                "agreement-already-ended",
                "status",
                &tx.agreement_status(status.as_str()),
            ),
        ),
    };
    let detail = load_visible(state, user, id).await?;
    render_with(status, &page(user, detail, Some(message), reason, None))
}

#[post("/agreements/{id}/terminate")]
async fn terminate(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    CsrfForm(input): CsrfForm<EndInput>,
) -> Result<HttpResponse, AppError> {
    end(&state, &user, id.into_inner(), Ending::Terminate, input).await
}

#[post("/agreements/{id}/revoke")]
async fn revoke(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    CsrfForm(input): CsrfForm<EndInput>,
) -> Result<HttpResponse, AppError> {
    end(&state, &user, id.into_inner(), Ending::Revoke, input).await
}

/// Moves an agreement on a legacy A-number to the G-number that replaces it.
#[post("/agreements/{id}/move")]
async fn move_to_successor(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    _: CsrfForm<EndInput>,
) -> Result<HttpResponse, AppError> {
    let (acting, id) = (user.acting(), id.into_inner());
    let moving = id.clone();
    let outcome = state
        .db
        .run(move |conn| app::agreements::move_to_successor(conn, &acting, &moving))
        .await?;
    let tx = crate::i18n::texts();
    let message = match outcome {
        Ok(new_id) => return Ok(redirect(&format!("/agreements/{new_id}?notice=moved"))),
        Err(MoveRefusal::NotOpen) => tx.t("agreement-move-not-open"),
        Err(MoveRefusal::SuccessorClosed(g)) => {
            tx.a("agreement-move-successor-closed", "number", &g)
        }
        Err(MoveRefusal::NoSuccessor) => tx.t("agreement-move-no-successor"),
    };
    let detail = load_visible(&state, &user, id).await?;
    render_with(
        StatusCode::CONFLICT,
        &page(&user, detail, Some(message), String::new(), None),
    )
}

#[derive(Template)]
#[template(path = "operator/a_numbers.html")]
struct LegacyReport {
    page: Page,
    groups: Vec<(String, Vec<agreements::LegacyAgreement>)>,
    total: usize,
}

/// Every agreement still on a legacy A-number, by municipality (operators); each
/// municipality's heading names it and counts its agreements (`a-numbers-group`).
#[get("/operator/a-numbers")]
async fn legacy_report(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    if !policy::maintains_register(&user.actor()) {
        return Err(AppError::Forbidden);
    }
    let rows = state
        .db
        .run(|conn| -> Result<_, AppError> { Ok(agreements::on_a_numbers(conn)?) })
        .await?;
    let total = rows.len();
    let mut by_municipality: Vec<(String, Vec<agreements::LegacyAgreement>)> = Vec::new();
    for row in rows {
        match by_municipality.last_mut() {
            Some((code, rows)) if *code == row.municipality_code => rows.push(row),
            _ => by_municipality.push((row.municipality_code.clone(), vec![row])),
        }
    }
    let tx = crate::i18n::texts();
    let groups = by_municipality
        .into_iter()
        .map(|(code, rows)| {
            let name = rows[0].municipality_name.clone();
            let heading = tx.with(
                "a-numbers-group",
                &[
                    ("name", name.into()),
                    ("code", code.into()),
                    ("count", rows.len().into()),
                ],
            );
            (heading, rows)
        })
        .collect();
    render(&LegacyReport {
        page: Page::for_user(&user, "/operator/a-numbers"),
        groups,
        total,
    })
}

#[cfg(test)]
mod header_tests {
    #[test]
    fn the_export_header_is_in_both_catalogues() {
        for language in crate::i18n::Language::ALL {
            for key in super::REPORT_HEADER {
                assert!(language.texts().has(key), "{language:?} lacks {key}");
            }
        }
    }
}
