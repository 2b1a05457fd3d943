//! `/api-tokens`: the tokens a person manages — operators' access-check
//! tokens for data providers and their own administration tokens, a supplier admin's
//! tokens for the supplier's systems, an approver's tokens for their municipality's robots. A new token's secret is shown on
//! the answer to the form that made it, once; the list shows each token's last use.

use actix_web::{HttpResponse, get, post, web};
use askama::Template;
use serde::Deserialize;
use time::Duration;

use crate::app::api_tokens::{self, TokenOrder, TokenProblem};
use crate::auth::{CsrfForm, CurrentUser};
use crate::db::api_tokens::Listed;
use crate::domain::api_token::{Permission, TokenKind};
use crate::domain::policy::{Actor, token_kinds};
use crate::domain::request_form::{format_date, parse_typed_date};
use crate::error::AppError;
use crate::routes::Notice;
use crate::routes::{Page, date, datetime, redirect, render, render_invalid};
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(overview).service(create).service(revoke);
}

/// How long a new token lives unless the person chooses otherwise.
const DEFAULT_LIFE: Duration = Duration::days(90);

struct Offer {
    kind: &'static str,
    heading: String,
    explanation: String,
    /// The last day as the form shows it: what was sent for this kind, else its default.
    expires_on: String,
    /// How far ahead a token of this kind may run.
    expiry_hint: String,
    permissions: Vec<PermissionChoice>,
}

struct PermissionChoice {
    code: &'static str,
    label: String,
    checked: bool,
}

struct Line {
    id: String,
    name: String,
    kind: String,
    permissions: String,
    made: String,
    expires: String,
    last_used: String,
    state: String,
    can_revoke: bool,
}

/// A refused order: the message and the field it is about (`name`, `expires`, `perm`,
/// `supplier`), for the form of the kind that was sent.
struct Refused {
    message: String,
    field: &'static str,
}

struct Shown {
    name: String,
    secret: String,
    expires: String,
}

#[derive(Template)]
#[template(path = "api_tokens.html")]
struct TokensPage {
    page: Page,
    offers: Vec<Offer>,
    suppliers: Vec<(String, String)>,
    lines: Vec<Line>,
    input: TokenInput,
    error: Option<Refused>,
    shown: Option<Shown>,
}

impl TokensPage {
    /// The message about `field` of the form of `kind`, if the refusal is about it.
    fn error_at(&self, kind: &str, field: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|e| self.input.kind == kind && e.field == field)
            .map(|e| e.message.as_str())
    }
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct TokenInput {
    kind: String,
    name: String,
    expires_on: String,
    permission: Vec<String>,
    supplier: String,
}

fn kind_label(kind: TokenKind) -> String {
    crate::i18n::texts().t(&format!("token-kind-{}", kind.as_str()))
}

fn permission_label(p: Permission) -> String {
    crate::i18n::texts().t(&format!("token-permission-{}", p.as_str()))
}

/// How long a new token of `kind` lives unless the person chooses otherwise: the
/// default, or the longest the kind may when that is shorter.
fn default_life(kind: TokenKind) -> Duration {
    DEFAULT_LIFE.min(kind.longest() - Duration::days(1))
}

/// The catalogue key saying how far ahead a token of `kind` may run.
fn expiry_key(kind: TokenKind, base: &str) -> String {
    match kind {
        TokenKind::Operator => format!("{base}-operator"),
        _ => base.to_string(),
    }
}

/// What was wrong with the order, and the field it is about.
fn problem_text(kind: TokenKind, problem: TokenProblem) -> Refused {
    let (key, field) = match problem {
        TokenProblem::NoName => ("token-no-name", "name"),
        TokenProblem::NameTooLong => ("token-name-too-long", "name"),
        TokenProblem::NoExpiry => ("token-no-expiry", "expires"),
        TokenProblem::ExpiryPassed => ("token-expiry-passed", "expires"),
        TokenProblem::ExpiryTooFar => {
            let key = expiry_key(kind, "token-expiry-too-far");
            return Refused {
                message: crate::i18n::texts().t(&key),
                field: "expires",
            };
        }
        TokenProblem::NoPermission => ("token-no-permission", "perm"),
        TokenProblem::PermissionNotOffered => ("token-permission-not-offered", "perm"),
        TokenProblem::NoSupplier => ("token-no-supplier", "supplier"),
    };
    Refused {
        message: crate::i18n::texts().t(key),
        field,
    }
}

fn offer(kind: TokenKind, input: &TokenInput) -> Offer {
    let tx = crate::i18n::texts();
    let chosen_kind = input.kind == kind.as_str();
    Offer {
        kind: kind.as_str(),
        heading: tx.t(&format!("token-offer-{}", kind.as_str())),
        explanation: tx.t(&format!("token-offer-{}-why", kind.as_str())),
        expires_on: if chosen_kind {
            input.expires_on.clone()
        } else {
            format_date(crate::db::now().date() + default_life(kind))
        },
        expiry_hint: tx.t(&expiry_key(kind, "tokens-last-day-hint")),
        permissions: kind
            .offers()
            .iter()
            .map(|p| PermissionChoice {
                code: p.as_str(),
                label: permission_label(*p),
                checked: if chosen_kind {
                    input.permission.iter().any(|c| c == p.as_str())
                } else {
                    *p == Permission::Read || *p == Permission::Access
                },
            })
            .collect(),
    }
}

fn line(l: Listed, actor: &Actor, now: time::PrimitiveDateTime) -> Line {
    let t = l.token;
    let kind = t.kind();
    let tx = crate::i18n::texts();
    Line {
        kind: kind.map(kind_label).unwrap_or_default(),
        permissions: Permission::split(&t.permissions)
            .into_iter()
            .map(permission_label)
            .collect::<Vec<_>>()
            .join(", "),
        made: tx.with_two(
            "token-made",
            "when",
            &datetime(t.created_at),
            "who",
            &l.made_by_name,
        ),
        expires: date(t.expires_at.date() - Duration::days(1)),
        last_used: t
            .last_used_at
            .map(datetime)
            .unwrap_or_else(|| tx.t("token-never-used")),
        state: tx.t(if t.revoked_at.is_some() {
            "token-state-revoked"
        } else if t.expires_at <= now {
            "token-state-expired"
        } else {
            "token-state-live"
        }),
        can_revoke: t.is_live(now)
            && kind.is_some_and(|k| {
                crate::domain::policy::may_manage_token(
                    actor,
                    k,
                    t.supplier_id.as_deref(),
                    Some(&t.created_by),
                )
            }),
        id: t.id,
        name: t.name,
    }
}

async fn render_page(
    state: &AppState,
    user: &CurrentUser,
    input: TokenInput,
    error: Option<Refused>,
    shown: Option<Shown>,
    notice: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let acting = user.acting();
    let actor = acting.actor.clone();
    let admin_of: Vec<String> = api_tokens::supplier_admin_of(&acting)
        .map(str::to_string)
        .collect();
    let (listed, suppliers) = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let mut names = Vec::new();
            if admin_of.len() > 1 {
                for id in admin_of {
                    let name = crate::db::catalog::supplier(conn, &id)?.map(|s| s.name);
                    names.push((id.clone(), name.unwrap_or(id)));
                }
            }
            Ok((api_tokens::managed(conn, &acting)?, names))
        })
        .await?;
    let kinds = token_kinds(&actor);
    if kinds.is_empty() && listed.is_empty() {
        return Err(AppError::Forbidden);
    }
    let now = crate::db::now();
    let page = TokensPage {
        page: Page::for_user(user, "/api-tokens").with_notice(notice),
        offers: kinds.into_iter().map(|k| offer(k, &input)).collect(),
        suppliers,
        lines: listed.into_iter().map(|l| line(l, &actor, now)).collect(),
        input,
        error,
        shown,
    };
    if page.error.is_some() {
        render_invalid(&page)
    } else {
        render(&page)
    }
}

/// An empty form: each kind's offer shows its own default last day.
fn fresh_input() -> TokenInput {
    TokenInput::default()
}

#[get("/api-tokens")]
async fn overview(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<Notice>,
) -> Result<HttpResponse, AppError> {
    render_page(
        &state,
        &user,
        fresh_input(),
        None,
        None,
        query.notice.as_deref(),
    )
    .await
}

#[post("/api-tokens")]
async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    CsrfForm(input): CsrfForm<TokenInput>,
) -> Result<HttpResponse, AppError> {
    let kind = TokenKind::parse(&input.kind)
        .ok_or_else(|| AppError::BadRequest(crate::i18n::texts().t("token-no-kind")))?;
    let order = TokenOrder {
        kind,
        name: input.name.clone(),
        expires_on: parse_typed_date(&input.expires_on),
        permissions: input
            .permission
            .iter()
            .filter_map(|p| Permission::parse(p))
            .collect(),
        supplier_id: Some(input.supplier.clone()).filter(|s| !s.is_empty()),
    };
    let acting = user.acting();
    let today = crate::db::now().date();
    let made = state
        .db
        .run(move |conn| api_tokens::make(conn, &acting, &order, today))
        .await?;
    match made {
        Ok(made) => {
            let shown = Shown {
                name: input.name.trim().to_string(),
                secret: made.secret,
                expires: date(made.expires_at.date() - Duration::days(1)),
            };
            render_page(&state, &user, fresh_input(), None, Some(shown), None).await
        }
        Err(problem) => {
            render_page(
                &state,
                &user,
                input,
                Some(problem_text(kind, problem)),
                None,
                None,
            )
            .await
        }
    }
}

#[post("/api-tokens/{id}/revoke")]
async fn revoke(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<String>,
    _: CsrfForm<crate::routes::NoFields>,
) -> Result<HttpResponse, AppError> {
    let (acting, id, tokens) = (user.acting(), id.into_inner(), state.tokens.clone());
    state
        .db
        .run(move |conn| api_tokens::revoke(conn, &tokens, &acting, &id))
        .await?;
    Ok(redirect("/api-tokens?notice=token-revoked"))
}
