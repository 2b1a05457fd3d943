//! The signed-in person, resolved from the session cookie on each request, and the
//! session cookie itself (HttpOnly, SameSite=Lax, Secure behind HTTPS).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use super::session_cache::{Resolved, reads_only};
use crate::db::audit::Caller;
use crate::db::sessions;
use crate::domain::policy::{Action, Actor, Grant, Target};
use crate::domain::{Role, RoleAssignment};
use crate::error::AppError;
use crate::startup::AppState;

/// The portal's own cookie name, so it never collides with an identity provider's on the same host.
pub const SESSION_COOKIE: &str = "tilslutning_session";

pub fn session_cookie(token: &str, secure: bool) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, token.to_string())
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .finish()
}

pub fn removal_cookie(name: &'static str) -> Cookie<'static> {
    let mut cookie = Cookie::build(name, "")
        .path("/")
        .max_age(CookieDuration::ZERO)
        .finish();
    cookie.make_removal();
    cookie
}

/// The client's address: the peer's, or — only behind a proxy the operator vouches for
/// (`TILSLUTNING_BEHIND_PROXY=true`) — the address the proxy forwards. A client cannot
/// choose its own address for throttling or the audit log by sending a header.
pub fn client_addr(req: &HttpRequest) -> Option<String> {
    let behind_proxy = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|state| state.settings.behind_proxy);
    let info = req.connection_info();
    let addr = if behind_proxy {
        info.realip_remote_addr()
    } else {
        info.peer_addr()
    };
    addr.map(str::to_string)
}

/// Who is acting, for the audit row, before anyone is signed in (a sign-in, a reset,
/// a provider callback): the person once known, the client address and the request id.
pub fn visitor_caller(req: &HttpRequest, user_id: Option<String>) -> Caller {
    Caller {
        user_id,
        client_addr: client_addr(req),
        request_id: crate::telemetry::request_id(req),
        ..Caller::default()
    }
}

#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<RoleAssignment>,
    pub csrf: String,
    pub client_addr: Option<String>,
    pub request_id: Option<String>,
    /// Rights held today through delegations.
    pub grants: Vec<Grant>,
}

impl CurrentUser {
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.id.clone(),
            roles: self.roles.clone(),
            grants: self.grants.clone(),
            permits: None,
        }
    }

    /// Who is acting, as the use cases (`crate::app`) take it.
    pub fn acting(&self) -> crate::app::Acting {
        crate::app::Acting {
            actor: self.actor(),
            display_name: self.display_name.clone(),
            client_addr: self.client_addr.clone(),
            request_id: self.request_id.clone(),
            api_token: None,
        }
    }

    /// Who is acting, for the audit row, in the role the policy found.
    pub fn caller(&self, role: Option<Role>) -> Caller {
        self.acting().caller(role)
    }

    /// Who is acting on `target`, in which role and under which delegation, for the audit row.
    pub fn caller_for(&self, action: Action, target: &Target<'_>) -> Caller {
        self.caller(None).acting_on(&self.actor(), action, target)
    }

    pub fn has_role(&self, wanted: impl Fn(Role) -> bool) -> bool {
        self.roles.iter().any(|a| wanted(a.role))
    }
}

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| anyhow::anyhow!("app state missing"))?;
            let token = req
                .cookie(SESSION_COOKIE)
                .map(|c| c.value().to_string())
                .ok_or(AppError::LoginRequired)?;
            let hash = sessions::hash_token(&token);
            let reads = reads_only(req.method());
            let cached = reads.then(|| state.sessions.get(&hash)).flatten();
            let person = match cached {
                Some(person) => person,
                None => {
                    let lookup_token = token.clone();
                    let found = state
                        .db
                        .run(move |conn| -> Result<_, AppError> {
                            let Some((user, roles)) = sessions::resume_person(conn, &lookup_token)?
                                .filter(|(u, _)| u.is_active())
                            else {
                                return Ok(None);
                            };
                            let grants = crate::db::delegations::grants_for(
                                conn,
                                &user.id,
                                &roles,
                                crate::db::now().date(),
                            )?;
                            Ok(Some(Resolved {
                                id: user.id,
                                email: user.email,
                                display_name: user.display_name,
                                language: user.language,
                                roles,
                                grants,
                            }))
                        })
                        .await?;
                    let person = Arc::new(found.ok_or(AppError::LoginRequired)?);
                    if reads {
                        state.sessions.keep(hash, person.clone());
                    }
                    person
                }
            };
            if let Some(language) = crate::i18n::Language::from_code(&person.language) {
                crate::i18n::choose(language);
            }
            Ok(CurrentUser {
                id: person.id.clone(),
                email: person.email.clone(),
                display_name: person.display_name.clone(),
                roles: person.roles.clone(),
                csrf: super::csrf::token(&state.settings.session_key, &token),
                client_addr: client_addr(&req),
                request_id: crate::telemetry::request_id(&req),
                grants: person.grants.clone(),
            })
        })
    }
}
