//! `/operator/unattended` (Uden godkender): the pending requests that nobody can decide,
//! because their institution has no registered approver — so nothing pending is ever
//! invisible to every human. From here an operator gives a person the staff role at such
//! an institution (an existing person by email, or a new one through *Opret person*).

use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::requests::RequestItem;
use super::users::only_operators;
use super::{Page, redirect, render, render_invalid};
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::approvers;
use crate::db::user_admin::StaffGrant;
use crate::domain::Role;
use crate::domain::keyset::CappedCount;
use crate::error::AppError;
use crate::startup::AppState;

/// The most rows the list shows; the total says how many there are in all.
const LIST_LIMIT: i64 = 500;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list).service(assign);
}

/// One institution without an approver, with its waiting requests.
struct Group {
    number: String,
    name: String,
    municipality: String,
    items: Vec<RequestItem>,
}

#[derive(Template)]
#[template(path = "operator/unattended.html")]
struct UnattendedPage {
    page: Page,
    groups: Vec<Group>,
    /// How many there are in all, as the page says it ("mere end 10.000").
    total: String,
    shown: usize,
    more_than_shown: bool,
    input: AssignInput,
    error: Option<String>,
    /// The "create a new person" link when the email belongs to nobody.
    create_link: Option<String>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct AssignInput {
    institution: String,
    email: String,
    notice: Option<String>,
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    input: AssignInput,
    error: Option<String>,
    create_link: Option<String>,
) -> Result<UnattendedPage, AppError> {
    let (rows, total) = state
        .db
        .run(|conn| -> Result<_, AppError> {
            Ok(approvers::pending_without_approver(
                conn,
                crate::db::now().date(),
                LIST_LIMIT,
            )?)
        })
        .await?;
    let mut groups: Vec<Group> = Vec::new();
    for row in &rows {
        let item = RequestItem::from(row);
        match groups.last_mut() {
            Some(g) if g.number == row.institution_number => g.items.push(item),
            _ => groups.push(Group {
                number: row.institution_number.clone(),
                name: row.institution_name.clone(),
                municipality: row.municipality_code.clone(),
                items: vec![item],
            }),
        }
    }
    Ok(UnattendedPage {
        page: Page::for_user(user, "/operator/unattended").with_notice(input.notice.as_deref()),
        groups,
        more_than_shown: match total {
            CappedCount::Exact(n) => n > rows.len() as i64,
            CappedCount::MoreThan(_) => true,
        },
        total: crate::i18n::texts().capped(total),
        shown: rows.len(),
        input,
        error,
        create_link,
    })
}

#[get("/operator/unattended")]
async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<AssignInput>,
) -> Result<HttpResponse, AppError> {
    only_operators(&user)?;
    render(&page(&state, &user, query.into_inner(), None, None).await?)
}

#[post("/operator/unattended/assign")]
async fn assign(
    state: web::Data<AppState>,
    user: CurrentUser,
    CsrfForm(input): CsrfForm<AssignInput>,
) -> Result<HttpResponse, AppError> {
    only_operators(&user)?;
    let email = crate::db::users::normalise_email(&input.email);
    if !email.contains('@') {
        let error = format!(
            "Skriv e-mailadressen på den person, der skal godkende for {}.",
            input.institution.trim()
        );
        return render_invalid(&page(&state, &user, input, Some(error), None).await?);
    }
    let acting = user.acting();
    let institution = input.institution.trim().to_string();
    let outcome = state
        .db
        .run(move |conn| crate::app::people::grant_staff(conn, &acting, &email, &institution))
        .await?;
    let (error, create_link) = match outcome {
        StaffGrant::Granted { .. } => {
            return Ok(redirect("/operator/unattended?notice=approver-added"));
        }
        StaffGrant::AlreadyHeld { .. } => {
            return Ok(redirect("/operator/unattended?notice=role-held"));
        }
        StaffGrant::NoSuchPerson => {
            let query = serde_html_form::to_string([
                ("role", Role::InstitutionStaff.as_str()),
                ("scope", input.institution.trim()),
                ("email", input.email.trim()),
            ])
            .unwrap_or_default();
            (
                format!(
                    "Der findes ingen aktiv person med e-mailen «{}». Opret personen med rollen Institutionspersonale for {}.",
                    input.email.trim(),
                    input.institution.trim()
                ),
                Some(format!("/operator/users/new?{query}")),
            )
        }
        StaffGrant::NotAnInstitution(problem) => (super::users::scope_problem_text(&problem), None),
        StaffGrant::Yourself => (
            "Du kan ikke ændre dine egne roller. Bed en anden operatør om det.".to_string(),
            None,
        ),
    };
    render_invalid(&page(&state, &user, input, Some(error), create_link).await?)
}
