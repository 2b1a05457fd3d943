//! The use cases, one module per area. Each takes who is acting, asks the policy itself,
//! runs its one transaction with its audit and outbox rows, and returns what happened as
//! a typed outcome: facts such as `Outcome::LastOperator`, never sentences. HTML routes,
//! the command line and the JSON API call only this layer; they parse, ask, render.

pub mod access;
pub mod accounts;
pub mod activity;
pub mod agreement_pauses;
pub mod agreements;
pub mod api_tokens;
pub mod approver_rights;
pub mod bulk_decisions;
pub mod catalogue;
pub mod colleagues;
pub mod delegations;
pub mod mail;
pub mod mailboxes;
pub mod people;
pub mod register;
pub mod renewals;
pub mod requests;
pub mod services;
pub mod sign_in;
pub mod token_cache;

use crate::db::audit::Caller;
use crate::domain::Role;
use crate::domain::policy::{self, Action, Actor, Target};

/// Who is acting: their rights as the policy reads them, their name (for the mails that
/// name them), and how the request reached the portal (for the audit row).
#[derive(Debug, Clone)]
pub struct Acting {
    pub actor: Actor,
    pub display_name: String,
    pub client_addr: Option<String>,
    pub request_id: Option<String>,
    /// The API token acting for the person, if the call came through the API.
    pub api_token: Option<String>,
}

impl Acting {
    pub fn user_id(&self) -> &str {
        &self.actor.user_id
    }

    /// The audit row's caller acting on `target`: in the role the policy finds for the
    /// action and under the delegation it rests on, if any.
    pub fn caller_for(&self, action: Action, target: &Target<'_>) -> Caller {
        self.caller(None).acting_on(&self.actor, action, target)
    }

    /// `Ok` when the policy lets this person take `action` on `target`; otherwise
    /// `refused` (`NotFound` for what they may not even see, `Forbidden` otherwise).
    pub fn may(&self, action: Action, target: &Target<'_>, refused: Error) -> Result<()> {
        if policy::allows(&self.actor, action, target) {
            Ok(())
        } else {
            Err(refused)
        }
    }

    /// The audit row's caller, in `role`.
    pub fn caller(&self, role: Option<Role>) -> Caller {
        Caller {
            user_id: Some(self.actor.user_id.clone()),
            role: role.map(|r| r.as_str().to_string()),
            delegation: None,
            client_addr: self.client_addr.clone(),
            request_id: self.request_id.clone(),
            api_token: self.api_token.clone(),
        }
    }
}

/// Why a use case did not run at all.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The policy does not let this person do it.
    #[error("not allowed")]
    Forbidden,
    /// What it names does not exist (or is not theirs to see).
    #[error("not found")]
    NotFound,
    /// The database failed or could not be reached.
    #[error(transparent)]
    Storage(#[from] anyhow::Error),
}

impl From<diesel::result::Error> for Error {
    fn from(e: diesel::result::Error) -> Self {
        Self::Storage(e.into())
    }
}

impl Error {
    /// A unique index refused a write that raced another of the same kind.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, Self::Storage(e) if e
            .downcast_ref::<diesel::result::Error>()
            .is_some_and(crate::db::is_unique_violation))
    }
}

pub type Result<T> = std::result::Result<T, Error>;
