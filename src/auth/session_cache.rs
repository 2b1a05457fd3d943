//! Who is behind the sessions this app server has resolved lately, by the hash of the
//! session token, so a page read costs no session, person, role or delegation lookup on
//! most requests. An entry is trusted for the configured time
//! (`TILSLUTNING_SESSION_CACHE_MS`). Any request that may change something (every method but
//! GET and HEAD) forgets them all once it has been answered (a sign-in step only the
//! caller's own session, so a burst of sign-ins leaves the others trusted), so a sign-out, a role taken
//! away or a delegation revoked counts at once on the server that did it, and within that
//! time on the others (as with API tokens). Writes are always checked against the database.

use std::sync::Arc;
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web;

use crate::domain::RoleAssignment;
use crate::domain::policy::Grant;

/// At most this many sessions are kept; more are looked up again.
const CAPACITY: u64 = 50_000;

/// The person behind a session, as the last lookup found them.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub language: String,
    pub roles: Vec<RoleAssignment>,
    pub grants: Vec<Grant>,
}

#[derive(Clone)]
pub struct SessionCache {
    /// None when caching is off.
    people: Option<moka::sync::Cache<String, Arc<Resolved>>>,
}

impl SessionCache {
    pub fn new(trusted_for: Duration) -> Self {
        Self {
            people: (!trusted_for.is_zero()).then(|| {
                moka::sync::Cache::builder()
                    .max_capacity(CAPACITY)
                    .time_to_live(trusted_for)
                    .build()
            }),
        }
    }

    /// The person behind the session with this token hash, while trusted.
    pub fn get(&self, token_hash: &str) -> Option<Arc<Resolved>> {
        self.people.as_ref()?.get(token_hash)
    }

    pub fn keep(&self, token_hash: String, person: Arc<Resolved>) {
        if let Some(people) = &self.people {
            people.insert(token_hash, person);
        }
    }

    /// Forgets one session.
    pub fn forget(&self, token_hash: &str) {
        if let Some(people) = &self.people {
            people.invalidate(token_hash);
        }
    }

    /// Forgets every session (after a request that may have changed one).
    pub fn forget_all(&self) {
        if let Some(people) = &self.people {
            people.invalidate_all();
        }
    }
}

/// Whether a request may be answered from the cache: it reads only.
pub fn reads_only(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD)
}

/// The sign-in steps: each may start a session and end the caller's own old one, and
/// changes nobody else's, so during a burst of sign-ins the other sessions stay trusted.
const SIGN_IN_PATHS: [&str; 2] = ["/login", "/login/code"];

/// What a request that is not a read makes this server forget once it has been answered.
#[derive(Debug, PartialEq, Eq)]
enum Forget {
    /// Only the session the request came with (the token's hash), if any.
    Own(Option<String>),
    /// Every session: the request may have changed anyone's rights.
    All,
}

fn forget_after(path: &str, session_token: Option<&str>) -> Forget {
    if SIGN_IN_PATHS.contains(&path) {
        Forget::Own(session_token.map(crate::db::sessions::hash_token))
    } else {
        Forget::All
    }
}

/// Middleware around every request: once a request that may have changed something has
/// been answered, this server forgets every session it trusted (a sign-in step: only the
/// caller's own).
pub async fn forget_after_changes(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let cache = (!reads_only(req.method()))
        .then(|| {
            req.app_data::<web::Data<crate::startup::AppState>>()
                .cloned()
        })
        .flatten();
    let forget = cache.as_ref().map(|_| {
        let token = req.cookie(crate::auth::session::SESSION_COOKIE);
        forget_after(req.path(), token.as_ref().map(|c| c.value()))
    });
    let answered = next.call(req).await;
    if let (Some(state), Some(forget)) = (cache, forget) {
        match forget {
            Forget::All => state.sessions.forget_all(),
            Forget::Own(Some(hash)) => state.sessions.forget(&hash),
            Forget::Own(None) => {}
        }
    }
    answered
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person() -> Arc<Resolved> {
        Arc::new(Resolved {
            id: "u1".into(),
            email: "a@example.org".into(),
            display_name: "A".into(),
            language: "da".into(),
            roles: Vec::new(),
            grants: Vec::new(),
        })
    }

    #[test]
    fn a_sign_in_forgets_only_the_callers_own_session() {
        assert_eq!(
            forget_after("/login", Some("t1")),
            Forget::Own(Some(crate::db::sessions::hash_token("t1")))
        );
        assert_eq!(forget_after("/login/code", None), Forget::Own(None));
        assert_eq!(forget_after("/logout", Some("t1")), Forget::All);
        assert_eq!(forget_after("/inbox/decide", Some("t1")), Forget::All);
        assert_eq!(forget_after("/login/other", None), Forget::All);
    }

    #[test]
    fn one_session_is_forgotten_alone() {
        let cache = SessionCache::new(Duration::from_secs(60));
        cache.keep("h1".into(), person());
        cache.keep("h2".into(), person());
        cache.forget("h1");
        assert!(cache.get("h1").is_none());
        assert!(cache.get("h2").is_some());
    }

    #[test]
    fn a_kept_session_is_given_back_until_forgotten() {
        let cache = SessionCache::new(Duration::from_secs(60));
        cache.keep("h1".into(), person());
        assert_eq!(cache.get("h1").map(|p| p.id.clone()).as_deref(), Some("u1"));
        assert!(cache.get("h2").is_none());
        cache.forget_all();
        assert!(cache.get("h1").is_none());
    }

    #[test]
    fn off_keeps_nothing() {
        let cache = SessionCache::new(Duration::ZERO);
        cache.keep("h1".into(), person());
        assert!(cache.get("h1").is_none());
    }
}
