//! `/operator/unattended` (Uden godkender): the pending requests that nobody can decide,
//! because their institution has no registered approver — so nothing pending is ever
//! invisible to every human. From here an operator gives a person the staff role at such
//! an institution (an existing person by email, or a new one through *Opret person*).
//! The page speaks the reader's language (the catalogue's `operator.ftl`), names each
//! institution's municipality, and ties a refused email to the form it was typed in.

use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use super::requests::RequestItem;
use super::users::only_operators;
use super::{Page, redirect, render, render_invalid};
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::user_admin::StaffGrant;
use crate::db::{approvers, register};
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
    /// The municipality's name and code.
    municipality: String,
    items: Vec<RequestItem>,
}

#[derive(Template)]
#[template(path = "operator/unattended.html")]
struct UnattendedPage {
    page: Page,
    groups: Vec<Group>,
    /// How many wait in all, as a sentence ("mere end 10.000 anmodninger venter …").
    waiting: String,
    shown: usize,
    /// The staff role's name, which the page tells the operator to give.
    staff_role: String,
    more_than_shown: bool,
    input: AssignInput,
    error: Option<String>,
    /// Whether the error is about the email typed (not the operator's own account).
    about_email: bool,
    /// The "create a new person" link when the email belongs to nobody.
    create_link: Option<String>,
}

impl UnattendedPage {
    /// The field the error is about, when it is about one.
    fn error_field(&self) -> Option<&str> {
        (self.error.is_some() && self.about_email).then_some(self.input.institution.trim())
    }

    /// Whether the refused email was typed in this institution's form.
    fn refused_here(&self, number: &str) -> bool {
        self.error_field() == Some(number)
    }
}

/// A refusal of the assign form: the message, whether it is about the email typed, and
/// the link to create the person.
struct Refused {
    message: String,
    about_email: bool,
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
    refused: Option<Refused>,
) -> Result<UnattendedPage, AppError> {
    let tx = crate::i18n::texts();
    let (rows, total, municipalities) = state
        .db
        .run(|conn| -> Result<_, AppError> {
            let (rows, total) =
                approvers::pending_without_approver(conn, crate::db::now().date(), LIST_LIMIT)?;
            Ok((rows, total, register::municipalities(conn)?))
        })
        .await?;
    let municipality = |code: &str| match municipalities.iter().find(|m| m.code == code) {
        Some(m) => tx.with_two("municipality-with-code", "name", &m.name, "code", code),
        None => code.to_string(),
    };
    let mut groups: Vec<Group> = Vec::new();
    for row in &rows {
        let item = RequestItem::from(row);
        match groups.last_mut() {
            Some(g) if g.number == row.institution_number => g.items.push(item),
            _ => groups.push(Group {
                number: row.institution_number.clone(),
                name: row.institution_name.clone(),
                municipality: municipality(&row.municipality_code),
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
        waiting: tx.with(
            "unattended-waiting",
            &[
                (
                    "count",
                    match total {
                        CappedCount::Exact(n) => n,
                        CappedCount::MoreThan(n) => n.max(2),
                    }
                    .into(),
                ),
                ("total", tx.capped(total).into()),
            ],
        ),
        shown: rows.len(),
        staff_role: tx.role(Role::InstitutionStaff),
        input,
        about_email: refused.as_ref().is_some_and(|r| r.about_email),
        create_link: refused.as_ref().and_then(|r| r.create_link.clone()),
        error: refused.map(|r| r.message),
    })
}

#[get("/operator/unattended")]
async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<AssignInput>,
) -> Result<HttpResponse, AppError> {
    only_operators(&user)?;
    render(&page(&state, &user, query.into_inner(), None).await?)
}

#[post("/operator/unattended/assign")]
async fn assign(
    state: web::Data<AppState>,
    user: CurrentUser,
    CsrfForm(input): CsrfForm<AssignInput>,
) -> Result<HttpResponse, AppError> {
    only_operators(&user)?;
    let tx = crate::i18n::texts();
    let email = crate::db::users::normalise_email(&input.email);
    if !email.contains('@') {
        let refused = Refused {
            message: tx.a(
                "unattended-email-missing",
                "number",
                input.institution.trim(),
            ),
            about_email: true,
            create_link: None,
        };
        return render_invalid(&page(&state, &user, input, Some(refused)).await?);
    }
    let acting = user.acting();
    let institution = input.institution.trim().to_string();
    let outcome = state
        .db
        .run(move |conn| crate::app::people::grant_staff(conn, &acting, &email, &institution))
        .await?;
    let refused = match outcome {
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
            Refused {
                message: tx.with(
                    "unattended-no-such-person",
                    &[
                        ("email", input.email.trim().to_string().into()),
                        ("role", tx.role(Role::InstitutionStaff).into()),
                        ("number", input.institution.trim().to_string().into()),
                    ],
                ),
                about_email: true,
                create_link: Some(format!("/operator/users/new?{query}")),
            }
        }
        StaffGrant::NotAnInstitution(problem) => Refused {
            message: super::users::scope_problem_text(&problem),
            about_email: false,
            create_link: None,
        },
        StaffGrant::Yourself => Refused {
            message: tx.t("unattended-yourself"),
            about_email: false,
            create_link: None,
        },
    };
    render_invalid(&page(&state, &user, input, Some(refused)).await?)
}
