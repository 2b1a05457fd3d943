//! HTTP routes, one module per area, and what they share: the page context every
//! template gets, rendering, notices after a redirect, pagination and date display.
//!
//! A route reads top-down: parse input into domain types, ask the policy, call one `db`
//! function (on the blocking pool), render a template or redirect.

mod account;
mod activity;
pub(crate) mod agreement_pauses;
mod agreements;
pub mod api;
mod api_tokens;
mod approver_rights;
mod audit;
mod audit_details;
mod colleagues;
mod delegations;
mod download;
pub(crate) mod field_problems;
mod format;
mod home;
pub mod language;
mod language_switch;
mod line_problems;
mod mail;
mod mailboxes;
mod oidc;
mod operator_catalogue;
mod profile;
mod public;
mod register;
mod register_import;
pub mod register_problems;
mod renewals;
mod requests;
mod second_factor;
pub(crate) mod services;
mod transparency;
mod unattended;
mod users;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::auth::CurrentUser;
use crate::domain::Role;
use crate::error::AppError;
use crate::i18n::{Language, Texts};

pub use format::{copenhagen_day_start, date, datetime};

/// The query of a page that may show a notice after a redirect (`?notice=saved`).
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub(crate) struct Notice {
    pub notice: Option<String>,
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    api::configure(cfg);
    public::configure(cfg);
    api_tokens::configure(cfg);
    account::configure(cfg);
    oidc::configure(cfg);
    home::configure(cfg);
    mail::configure(cfg);
    profile::configure(cfg);
    second_factor::configure(cfg);
    requests::configure(cfg);
    agreements::configure(cfg);
    delegations::configure(cfg);
    audit::configure(cfg);
    register::configure(cfg);
    transparency::configure(cfg);
    register_import::configure(cfg);
    language_switch::configure(cfg);
    users::configure(cfg);
    unattended::configure(cfg);
    agreement_pauses::configure(cfg);
    renewals::configure(cfg);
    mailboxes::configure(cfg);
    approver_rights::configure(cfg);
    services::configure(cfg);
    colleagues::configure(cfg);
    activity::configure(cfg);
    operator_catalogue::configure(cfg);
    cfg.default_service(web::to(|| async {
        Err::<HttpResponse, _>(AppError::NotFound)
    }));
}

/// One link in the main navigation.
pub struct NavLink {
    pub href: &'static str,
    /// The catalogue key of its label.
    pub label: &'static str,
    pub current: bool,
}

/// What the base layout needs on every page.
pub struct Page {
    /// The language the page is read in, and its words.
    pub lang: Language,
    pub tx: Texts,
    pub signed_in_as: Option<String>,
    pub roles: String,
    pub csrf: String,
    pub notice: Option<String>,
    pub nav: Vec<NavLink>,
    /// The page the language switch leads back to.
    pub here: String,
}

impl Page {
    pub fn anonymous() -> Self {
        let lang = crate::i18n::current();
        Self {
            lang,
            tx: lang.texts(),
            signed_in_as: None,
            roles: String::new(),
            csrf: String::new(),
            notice: None,
            nav: Vec::new(),
            here: language::return_to(),
        }
    }

    pub fn for_user(user: &CurrentUser, current: &str) -> Self {
        let is = |f: fn(Role) -> bool| user.has_role(f);
        let supplier = is(Role::is_supplier);
        let approver = is(|r| matches!(r, Role::MunicipalOfficer | Role::InstitutionStaff))
            || !user.grants.is_empty();
        let overseer = is(|r| matches!(r, Role::Operator | Role::Auditor));
        let reads_audit = overseer || is(|r| r == Role::MunicipalOfficer);
        let mut links: Vec<(&'static str, &'static str)> = vec![("/", "nav-home")];
        if supplier {
            links.push(("/requests/new", "nav-new-request"));
        }
        if approver {
            links.push(("/inbox", "nav-inbox"));
        }
        if supplier || approver || overseer {
            links.push(("/requests", "nav-requests"));
            links.push(("/agreements", "nav-agreements"));
        }
        links.push(("/institutions", "nav-institutions"));
        if approver {
            links.push(("/delegations", "nav-delegations"));
        }
        if reads_audit {
            links.push(("/audit", "nav-audit"));
        }
        if is(|r| r == Role::Operator) {
            links.push(("/operator/register", "nav-register-import"));
            links.push(("/operator/a-numbers", "nav-a-numbers"));
            links.push(("/operator/mail", "nav-mail"));
            links.push(("/operator/users", "nav-people"));
            links.push(("/operator/unattended", "nav-unattended"));
            links.push(("/operator/suppliers", "nav-suppliers"));
            links.push(("/operator/scopes", "nav-scopes"));
        }
        if supplier || !crate::domain::policy::admin_of(&user.actor()).is_empty() {
            links.push(("/suppliers", "nav-supplier-account"));
        }
        if !crate::domain::policy::token_kinds(&user.actor()).is_empty() {
            links.push(("/api-tokens", "nav-api-tokens"));
        }
        if is(|r| matches!(r, Role::MunicipalOfficer | Role::InstitutionStaff)) {
            links.push(("/mailboxes", "nav-mailboxes"));
            links.push(("/approvers", "nav-approvers"));
        }
        links.push(("/profile", "nav-profile"));
        let nav = links
            .into_iter()
            .map(|(href, label)| NavLink {
                href,
                label,
                current: if href == "/" {
                    current == "/"
                } else {
                    current.starts_with(href)
                        && !(href == "/requests" && current.starts_with("/requests/new"))
                },
            })
            .collect();
        let lang = crate::i18n::current();
        let tx = lang.texts();
        let mut roles: Vec<String> = user.roles.iter().map(|r| tx.role(r.role)).collect();
        roles.dedup();
        Self {
            lang,
            tx,
            signed_in_as: Some(user.display_name.clone()),
            roles: roles.join(", "),
            csrf: user.csrf.clone(),
            notice: None,
            nav,
            here: language::return_to(),
        }
    }

    pub fn with_notice(mut self, notice: Option<&str>) -> Self {
        self.notice = notice.and_then(|code| notice_text(code, self.tx));
        self
    }
}

/// Messages shown once after a redirect, chosen by a short code in the URL; each is the
/// catalogue's `notice-<code>`.
pub(crate) const NOTICES: &[&str] = &[
    "filed",
    "approved",
    "rejected",
    "withdrawn",
    "terminated",
    "revoked",
    "bulk",
    "signed-out",
    "saved",
    "password",
    "retried",
    "moved",
    "delegated",
    "undelegated",
    "token-revoked",
    "user-created",
    "role-added",
    "role-held",
    "approver-added",
    "role-removed",
    "user-disabled",
    "user-enabled",
    "invited",
    "subject-added",
    "totp-off",
    "totp-password",
    "password-set",
    "reset-sent",
    "suspended",
    "resumed",
    "resumed-still-held",
    "service-paused",
    "service-resumed",
    "renewal-filed",
    "mailbox-added",
    "mailbox-removed",
    "service-created",
    "service-saved",
    "service-retired",
    "service-already-retired",
    "colleague-invited",
    "colleague-removed",
    "supplier-created",
    "supplier-verified",
    "supplier-unverified",
    "scope-created",
    "scope-saved",
    "scope-retired",
    "scope-reinstated",
    "scope-unchanged",
    "colleague-role-changed",
];

fn notice_text(code: &str, texts: Texts) -> Option<String> {
    NOTICES
        .contains(&code)
        .then(|| texts.t(&format!("notice-{code}")))
}

pub fn render<T: Template>(template: &T) -> Result<HttpResponse, AppError> {
    render_with(StatusCode::OK, template)
}

/// Renders a form again with its messages (status 422, so tools see the refusal).
pub fn render_invalid<T: Template>(template: &T) -> Result<HttpResponse, AppError> {
    render_with(StatusCode::UNPROCESSABLE_ENTITY, template)
}

/// Renders a page with the given status; pages are never cached.
pub fn render_with<T: Template>(
    status: StatusCode,
    template: &T,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(template.render()?))
}

/// The longest `Location` the portal sends to one of its own pages. Locations are built
/// from what visitors send (`next`, filters), and a 100 kB value must not become a 100 kB
/// header.
pub const MAX_LOCATION: usize = 2048;

/// A redirect (303) to a page of the portal, kept under [`MAX_LOCATION`]: past it, query
/// parameters longer than a quarter of that are dropped, and if it is still too long only
/// the path stays (`/` when the path itself is too long).
pub fn redirect(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, bounded_location(location).as_ref()))
        .finish()
}

/// A redirect (303) to the identity provider: a URL built from its discovery document and
/// the portal's own values (which may be long, an ID token hint say), never from input.
pub fn redirect_external(url: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, url))
        .finish()
}

fn bounded_location(location: &str) -> std::borrow::Cow<'_, str> {
    if location.len() <= MAX_LOCATION {
        return location.into();
    }
    tracing::warn!(
        length = location.len(),
        "an overlong redirect was shortened"
    );
    let (path, query) = location.split_once('?').unwrap_or((location, ""));
    if path.len() > MAX_LOCATION {
        return "/".into();
    }
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && pair.len() <= MAX_LOCATION / 4)
        .collect();
    let shortened = if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", kept.join("&"))
    };
    if shortened.len() <= MAX_LOCATION {
        shortened.into()
    } else {
        path.to_string().into()
    }
}

pub const PAGE_SIZE: i64 = 25;

/// Page links for a keyset-paged list: the next page starts after the last row shown
/// (its sort key in `after`), and nothing counts the whole set. `query` holds the
/// list's filters, without the cursor.
pub struct Pager {
    /// Rows on this page.
    pub shown: usize,
    /// Whether there are more after them.
    pub more: bool,
    pub next: Option<String>,
    /// Back to the first page, when this is not it.
    pub first: Option<String>,
}

impl Pager {
    /// `rows` were read with one more than a page, to learn whether there are more:
    /// the surplus is cut off, and `cursor` gives the sort key of the last row kept.
    pub fn keyset<T>(
        path: &str,
        query: &[(&str, String)],
        rows: &mut Vec<T>,
        on_first_page: bool,
        cursor: impl Fn(&T) -> String,
    ) -> Self {
        let more = rows.len() as i64 > PAGE_SIZE;
        rows.truncate(PAGE_SIZE as usize);
        let link = |after: Option<String>| {
            let mut pairs: Vec<(&str, String)> = query
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .cloned()
                .collect();
            pairs.extend(after.map(|a| ("after", a)));
            if pairs.is_empty() {
                return path.to_string();
            }
            format!(
                "{path}?{}",
                serde_html_form::to_string(&pairs).unwrap_or_default()
            )
        };
        Self {
            shown: rows.len(),
            more,
            next: if more {
                rows.last().map(|r| link(Some(cursor(r))))
            } else {
                None
            },
            first: (!on_first_page).then(|| link(None)),
        }
    }
}

/// One option of a `<select>`, with whether it is the current choice.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub fn choices<'a, L: Into<String>>(
    options: impl IntoIterator<Item = (&'a str, L)>,
    current: &str,
) -> Vec<Choice> {
    options
        .into_iter()
        .map(|(value, label)| Choice {
            value: value.to_string(),
            label: label.into(),
            selected: value == current,
        })
        .collect()
}

/// The body of a form that carries nothing but its CSRF token.
#[derive(serde::Deserialize, Default)]
pub struct NoFields {}

/// An empty query value means "no filter".
pub fn non_empty(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlong_locations_lose_their_long_parameters_then_their_query() {
        assert_eq!(bounded_location("/inbox?notice=bulk"), "/inbox?notice=bulk");
        let long = "x".repeat(100_000);
        assert_eq!(
            bounded_location(&format!("/inbox?notice=bulk&done=1&institution={long}")),
            "/inbox?notice=bulk&done=1"
        );
        let many = format!("/inbox?{}", vec!["a=12345678"; 300].join("&"));
        assert_eq!(bounded_location(&many), "/inbox");
        assert_eq!(bounded_location(&format!("/{long}")), "/");
    }
}
