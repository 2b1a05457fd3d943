//! `/mailboxes` (Fælles postkasser): institution staff register the shared mailboxes that
//! receive their institution's notifications, municipal officers the municipality's —
//! an address, an optional label, the language of its mail and which notifications it
//! receives — and remove them. Anyone else gets 403.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;

use crate::app;
use crate::app::mailboxes::{MailboxForm, Overview};
use crate::auth::{CsrfForm, CurrentUser};
use crate::domain::mailbox::{LABEL_MAX, MailKind, MailboxOwner, MailboxProblem};
use crate::error::AppError;
use crate::routes::Notice;
use crate::routes::{Choice, Page, choices, redirect, render_with};
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list).service(create).service(remove);
}

/// One registered mailbox as the page lists it.
struct Line {
    id: String,
    email: String,
    label: Option<String>,
    owner: String,
    language: String,
    kinds: String,
}

/// A checkbox for one kind of notification.
struct KindChoice {
    code: &'static str,
    label: String,
    hint: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "mailboxes.html")]
struct MailboxesPage {
    page: Page,
    lines: Vec<Line>,
    owners: Vec<Choice>,
    languages: Vec<Choice>,
    kinds: Vec<KindChoice>,
    input: MailboxInput,
    /// The message, and the id of the field it is about.
    error: Option<(String, &'static str)>,
}

impl MailboxesPage {
    fn error_at(&self, field: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|(_, f)| *f == field)
            .map(|(m, _)| m.as_str())
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct MailboxInput {
    owner: String,
    email: String,
    label: String,
    language: String,
    kinds: Vec<String>,
}

async fn load(state: &AppState, user: &CurrentUser) -> Result<Overview, AppError> {
    let actor = user.actor();
    let overview = state
        .db
        .run(move |conn| app::mailboxes::overview(conn, &actor))
        .await?;
    if overview.owners.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok(overview)
}

fn render_page(
    user: &CurrentUser,
    overview: Overview,
    input: MailboxInput,
    error: Option<(String, &'static str)>,
    notice: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let tx = crate::i18n::texts();
    let name_of = |owner: &MailboxOwner| {
        overview
            .owners
            .iter()
            .find(|o| &o.owner == owner)
            .map(|o| o.name.clone())
            .unwrap_or_default()
    };
    let lines = overview
        .mailboxes
        .iter()
        .map(|m| Line {
            id: m.id.clone(),
            email: m.email.clone(),
            label: m.label.clone(),
            owner: m.owner().map(|o| name_of(&o)).unwrap_or_default(),
            language: tx.t(&format!("mailbox-language-{}", m.language)),
            kinds: m
                .kinds()
                .kinds()
                .iter()
                .map(|k| tx.t(&format!("mailbox-kind-{}", k.as_str())))
                .collect::<Vec<_>>()
                .join(", "),
        })
        .collect();
    let owner_codes: Vec<(String, String)> = overview
        .owners
        .iter()
        .map(|o| {
            let kind = match o.owner {
                MailboxOwner::Institution(_) => "mailboxes-owner-institution",
                MailboxOwner::Municipality(_) => "mailboxes-owner-municipality",
            };
            (o.owner.code(), tx.a(kind, "name", &o.name))
        })
        .collect();
    let fresh = error.is_none() && input.email.is_empty();
    let kinds = MailKind::ALL
        .into_iter()
        .map(|k| KindChoice {
            code: k.as_str(),
            label: tx.t(&format!("mailbox-kind-{}", k.as_str())),
            hint: tx.t(&format!("mailbox-kind-{}-hint", k.as_str())),
            checked: fresh || input.kinds.iter().any(|c| c == k.as_str()),
        })
        .collect();
    let languages = choices(
        [
            ("da", tx.t("mailbox-language-da")),
            ("en", tx.t("mailbox-language-en")),
        ],
        if input.language.is_empty() {
            "da"
        } else {
            &input.language
        },
    );
    let page = MailboxesPage {
        page: Page::for_user(user, "/mailboxes").with_notice(notice),
        lines,
        owners: choices(
            owner_codes.iter().map(|(c, l)| (c.as_str(), l.clone())),
            &input.owner,
        ),
        languages,
        kinds,
        input,
        error,
    };
    render_with(
        if page.error.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
        &page,
    )
}

#[get("/mailboxes")]
async fn list(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<Notice>,
) -> Result<HttpResponse, AppError> {
    let overview = load(&state, &user).await?;
    render_page(
        &user,
        overview,
        MailboxInput::default(),
        None,
        query.notice.as_deref(),
    )
}

/// The words for a refused mailbox, and the field they are about.
pub(crate) fn problem_words(problem: &MailboxProblem) -> (String, &'static str) {
    let tx = crate::i18n::texts();
    match problem {
        MailboxProblem::BadAddress => (tx.t("mailbox-bad-address"), "email"),
        MailboxProblem::LabelTooLong => (
            tx.a("mailbox-label-too-long", "max", &LABEL_MAX.to_string()),
            "label",
        ),
        MailboxProblem::NoKinds => (tx.t("mailbox-no-kinds"), "kinds"),
        MailboxProblem::BadLanguage => (tx.t("mailbox-bad-language"), "language"),
        MailboxProblem::AlreadyRegistered(email) => {
            (tx.a("mailbox-already-registered", "email", email), "email")
        }
    }
}

#[post("/mailboxes")]
async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    CsrfForm(input): CsrfForm<MailboxInput>,
) -> Result<HttpResponse, AppError> {
    let overview = load(&state, &user).await?;
    let Some(owner) = MailboxOwner::parse(&input.owner) else {
        let message = crate::i18n::texts().t("mailbox-no-owner");
        return render_page(&user, overview, input, Some((message, "owner")), None);
    };
    let acting = user.acting();
    let form = MailboxForm {
        email: input.email.clone(),
        label: input.label.clone(),
        language: input.language.clone(),
        kinds: input.kinds.clone(),
    };
    let outcome = state
        .db
        .run(move |conn| app::mailboxes::add(conn, &acting, &owner, &form))
        .await?;
    match outcome {
        Ok(_) => Ok(redirect("/mailboxes?notice=mailbox-added")),
        Err(problem) => {
            let refused = problem_words(&problem);
            render_page(&user, overview, input, Some(refused), None)
        }
    }
}

#[post("/mailboxes/{id}/remove")]
async fn remove(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    _: CsrfForm<crate::routes::NoFields>,
) -> Result<HttpResponse, AppError> {
    let (acting, id) = (user.acting(), id.into_inner());
    state
        .db
        .run(move |conn| app::mailboxes::remove(conn, &acting, &id))
        .await?;
    Ok(redirect("/mailboxes?notice=mailbox-removed"))
}
