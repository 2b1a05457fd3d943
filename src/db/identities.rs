//! Who a person signed in through the provider is in the portal. An identity is found by
//! the provider's issuer and subject only; a first sign-in links it to a person the
//! operator pre-registered (by subject, or — for a person without a password of their own
//! and without the operator role — by a verified email), or, when an organisation claim is
//! configured, to a new person with that organisation's approver role.

use diesel::prelude::*;
use serde_json::json;

use super::DbConnection;
use super::audit::{self, Caller, Entry};
use super::schema::{identities, municipalities};
use super::sessions::Stage;
use super::{register, sessions, users};
use crate::auth::oidc::VerifiedIdentity;
use crate::domain::{InstitutionNumber, Role, RoleAssignment};

/// How the identity was tied to the person on this sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// Signed in before, found by subject.
    Known,
    /// First sign-in of a subject the operator pre-registered.
    PreRegisteredSubject,
    /// First sign-in, linked to the person with this verified email.
    VerifiedEmail,
    /// First sign-in, a new person made from the organisation claim.
    OrganisationClaim,
}

impl Link {
    fn as_str(self) -> &'static str {
        match self {
            Self::Known => "known",
            Self::PreRegisteredSubject => "pre_registered_subject",
            Self::VerifiedEmail => "verified_email",
            Self::OrganisationClaim => "organisation_claim",
        }
    }
}

/// The outcome of resolving a verified identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    SignedIn {
        user_id: String,
        link: Link,
    },
    /// Verified, but no person with any role: the "no access yet" page.
    NoAccess {
        user_id: Option<String>,
    },
    Disabled {
        user_id: String,
    },
}

/// Pre-registers a provider subject for a person, so their first sign-in finds them.
pub fn pre_register(
    conn: &mut DbConnection,
    user_id: &str,
    issuer: &str,
    subject: &str,
) -> QueryResult<()> {
    diesel::insert_into(identities::table)
        .values((
            identities::id.eq(super::new_id()),
            identities::user_id.eq(user_id),
            identities::issuer.eq(issuer),
            identities::subject.eq(subject.trim()),
            identities::created_at.eq(super::now()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The subjects linked to a person, for the operator's view.
pub fn subjects_of(conn: &mut DbConnection, user_id: &str) -> QueryResult<Vec<String>> {
    identities::table
        .filter(identities::user_id.eq(user_id))
        .order(identities::created_at)
        .select(identities::subject)
        .load(conn)
}

fn by_subject(
    conn: &mut DbConnection,
    issuer: &str,
    subject: &str,
) -> QueryResult<Option<(String, String, bool)>> {
    let row: Option<(String, String, Option<time::PrimitiveDateTime>)> = identities::table
        .filter(identities::issuer.eq(issuer))
        .filter(identities::subject.eq(subject))
        .select((
            identities::id,
            identities::user_id,
            identities::last_login_at,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(id, user_id, last)| (id, user_id, last.is_none())))
}

/// Whether the person already has a subject at this provider.
pub fn has_identity_at(conn: &mut DbConnection, user_id: &str, issuer: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        identities::table
            .filter(identities::user_id.eq(user_id))
            .filter(identities::issuer.eq(issuer)),
    ))
    .get_result(conn)
}

/// The approver role an organisation claim stands for: a municipality code gives the
/// municipal officer role, an institution number the institution staff role.
fn role_for_organisation(
    conn: &mut DbConnection,
    organisation: &str,
) -> QueryResult<Option<RoleAssignment>> {
    let municipality: Option<String> = municipalities::table
        .find(organisation)
        .select(municipalities::code)
        .first(conn)
        .optional()?;
    if let Some(code) = municipality {
        return Ok(Some(RoleAssignment::municipal(
            Role::MunicipalOfficer,
            &code,
        )));
    }
    let Ok(number) = InstitutionNumber::parse(organisation) else {
        return Ok(None);
    };
    Ok(register::find(conn, number.as_str())?
        .filter(|i| i.is_active())
        .map(|i| RoleAssignment::institution(&i.number)))
}

/// The person a subject seen for the first time belongs to: the one with its verified
/// email, or a new person from the organisation claim; `None` when neither applies.
fn first_link(
    conn: &mut DbConnection,
    caller: &Caller,
    identity: &VerifiedIdentity,
    verified_email: Option<&str>,
) -> QueryResult<Option<(String, Link)>> {
    if let Some(email) = verified_email
        && let Some(user) = users::find_by_email(conn, email)?
    {
        // Only a person made for signing in through the provider is linked by email:
        // not one already tied to another subject here, not one with a password of
        // their own (and perhaps a second factor), not an operator. Those are linked by
        // the subject an operator registers — an email claim alone never opens them.
        if has_identity_at(conn, &user.id, &identity.issuer)?
            || user.password_hash.is_some()
            || users::roles_of(conn, &user.id)?
                .iter()
                .any(|a| a.role == Role::Operator)
        {
            return Ok(None);
        }
        return Ok(Some((user.id, Link::VerifiedEmail)));
    }
    let mapped = match identity.organisation.as_deref() {
        Some(org) => role_for_organisation(conn, org)?,
        None => None,
    };
    let (Some(assignment), Some(email)) = (mapped, verified_email) else {
        return Ok(None);
    };
    let name = identity.name.clone().unwrap_or_else(|| email.to_string());
    let user_id = users::upsert(conn, email, &name, None)?;
    users::grant(conn, &user_id, &assignment)?;
    audit::record(
        conn,
        &caller.as_user(&user_id),
        Entry {
            action: "user.role_granted",
            target_type: "user",
            target_id: &user_id,
            institution_number: assignment.institution_number.as_deref(),
            supplier_id: None,
            details: json!({
                "role": assignment.role.as_str(),
                "municipality_code": assignment.municipality_code,
                "institution_number": assignment.institution_number,
                "source": "organisation_claim",
                "organisation": identity.organisation,
            }),
        },
    )?;
    Ok(Some((user_id, Link::OrganisationClaim)))
}

/// Finds or links the person behind a verified identity, writing the audit row for a new
/// link or a new person. Runs inside the caller's sign-in transaction.
pub fn resolve(
    conn: &mut DbConnection,
    caller: &Caller,
    identity: &VerifiedIdentity,
) -> QueryResult<Resolution> {
    let now = super::now();
    let verified_email = identity
        .email
        .as_deref()
        .filter(|_| identity.email_verified)
        .map(users::normalise_email)
        .filter(|e| e.contains('@'));

    let (user_id, link) = match by_subject(conn, &identity.issuer, &identity.subject)? {
        Some((id, user_id, first)) => {
            diesel::update(identities::table.find(&id))
                .set(identities::last_login_at.eq(now))
                .execute(conn)?;
            let link = if first {
                Link::PreRegisteredSubject
            } else {
                Link::Known
            };
            (user_id, link)
        }
        None => {
            let Some((user_id, link)) =
                first_link(conn, caller, identity, verified_email.as_deref())?
            else {
                return Ok(Resolution::NoAccess { user_id: None });
            };
            diesel::insert_into(identities::table)
                .values((
                    identities::id.eq(super::new_id()),
                    identities::user_id.eq(&user_id),
                    identities::issuer.eq(&identity.issuer),
                    identities::subject.eq(&identity.subject),
                    identities::created_at.eq(now),
                    identities::last_login_at.eq(now),
                ))
                .execute(conn)?;
            (user_id, link)
        }
    };
    if link != Link::Known {
        let details = json!({
            "issuer": identity.issuer,
            "subject": identity.subject,
            "how": link.as_str(),
        });
        audit::record_for_user(
            conn,
            &caller.as_user(&user_id),
            "user.identity_linked",
            &user_id,
            details,
        )?;
    }
    let Some(user) = users::find(conn, &user_id)? else {
        return Ok(Resolution::NoAccess { user_id: None });
    };
    if !user.is_active() {
        return Ok(Resolution::Disabled { user_id });
    }
    if users::roles_of(conn, &user_id)?.is_empty() {
        return Ok(Resolution::NoAccess {
            user_id: Some(user_id),
        });
    }
    Ok(Resolution::SignedIn { user_id, link })
}

/// What a sign-in through the provider came to.
#[derive(Debug)]
pub enum SignIn {
    SignedIn { token: String },
    Refused { resolution: Resolution },
}

/// Finds the person and, when they may sign in, ends any older session in this browser
/// and starts a new one — with the audit row, in one transaction.
pub fn sign_in(
    conn: &mut DbConnection,
    caller: Caller,
    identity: &VerifiedIdentity,
    old_token: Option<String>,
) -> QueryResult<SignIn> {
    let resolution = resolve(conn, &caller, identity)?;
    let (action, user_id) = match &resolution {
        Resolution::SignedIn { user_id, .. } => ("user.login", Some(user_id.clone())),
        Resolution::NoAccess { user_id } => ("user.login_no_access", user_id.clone()),
        Resolution::Disabled { user_id } => ("user.login_failed", Some(user_id.clone())),
    };
    let caller = Caller {
        user_id: user_id.clone(),
        ..caller
    };
    let details = json!({
        "method": "oidc",
        "issuer": identity.issuer,
        "subject": identity.subject,
        "email": identity.email,
        "reason": matches!(resolution, Resolution::Disabled { .. }).then_some("disabled"),
    });
    let target = user_id.as_deref().unwrap_or("unknown");
    audit::record_for_user(conn, &caller, action, target, details)?;
    let Resolution::SignedIn { user_id, .. } = resolution else {
        return Ok(SignIn::Refused { resolution });
    };
    if let Some(old) = &old_token {
        sessions::end(conn, old)?;
    }
    let token = sessions::start(
        conn,
        &user_id,
        caller.client_addr.as_deref(),
        Stage::Full,
        Some(&identity.id_token),
    )?;
    Ok(SignIn::SignedIn { token })
}
