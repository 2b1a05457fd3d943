//! API tokens: making one (shown once), listing and revoking the ones a person manages,
//! and finding who a call acts as from the token it carries. Making and revoking are
//! audited; a call through a token is audited as the person behind it, with the token.

use serde_json::json;
use time::{Date, Duration, PrimitiveDateTime, Time};

use super::token_cache::{Secret, TokenCache};
use super::{Acting, Error, Result};
use crate::db::api_tokens::{self, ApiToken, Listed, NewToken, Which};
use crate::db::audit::{self, Entry};
use crate::db::{DbConnection, delegations, users, write_tx};
use crate::domain::api_token::{Behind, Permission, TokenKind, token_actor};
use crate::domain::policy::{may_manage_token, token_kinds};

/// The longest name a token may have.
pub const NAME_MAX: usize = 100;

/// A token as the person asks for it.
#[derive(Debug, Clone)]
pub struct TokenOrder {
    pub kind: TokenKind,
    pub name: String,
    /// The last day it works.
    pub expires_on: Option<Date>,
    pub permissions: Vec<Permission>,
    /// For a supplier token: which supplier (a supplier admin of one needs not say).
    pub supplier_id: Option<String>,
}

/// What is wrong with an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    NoName,
    NameTooLong,
    NoExpiry,
    ExpiryPassed,
    ExpiryTooFar,
    NoPermission,
    PermissionNotOffered,
    /// A supplier token for a supplier the person is not an admin of (or none chosen).
    NoSupplier,
}

/// A token just made: its id and the secret, shown this once.
#[derive(Debug, Clone)]
pub struct Made {
    pub id: String,
    pub secret: String,
    pub expires_at: PrimitiveDateTime,
}

impl TokenOrder {
    /// The permissions as kept: reading is part of every supplier and approver token
    /// (what it files, decides or ends it must see), so it is stored and listed as such.
    fn stored_permissions(&self) -> Vec<Permission> {
        let mut permissions = self.permissions.clone();
        if self.kind.reads() {
            permissions.push(Permission::Read);
        }
        permissions
    }

    /// The order checked; `today` is the first day it could expire on.
    fn check(&self, today: Date) -> std::result::Result<PrimitiveDateTime, TokenProblem> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(TokenProblem::NoName);
        }
        if name.chars().count() > NAME_MAX {
            return Err(TokenProblem::NameTooLong);
        }
        let expires_on = self.expires_on.ok_or(TokenProblem::NoExpiry)?;
        if expires_on < today {
            return Err(TokenProblem::ExpiryPassed);
        }
        if expires_on - today > self.kind.longest() - Duration::days(1) {
            return Err(TokenProblem::ExpiryTooFar);
        }
        if self.permissions.is_empty() {
            return Err(TokenProblem::NoPermission);
        }
        if self
            .permissions
            .iter()
            .any(|p| !self.kind.offers().contains(p))
        {
            return Err(TokenProblem::PermissionNotOffered);
        }
        let day_after = expires_on.next_day().unwrap_or(expires_on);
        Ok(PrimitiveDateTime::new(day_after, Time::MIDNIGHT))
    }
}

/// The supplier a supplier token is for: the one named, or the person's only one.
fn supplier_of(acting: &Acting, order: &TokenOrder) -> Option<String> {
    if order.kind != TokenKind::Supplier {
        return None;
    }
    if let Some(id) = &order.supplier_id {
        return Some(id.clone());
    }
    let mut admin_of = supplier_admin_of(acting);
    let only = admin_of.next().map(str::to_string);
    only.filter(|_| admin_of.next().is_none())
}

/// The suppliers `acting` is an admin of.
pub fn supplier_admin_of(acting: &Acting) -> impl Iterator<Item = &str> {
    acting
        .actor
        .roles
        .iter()
        .filter(|a| a.role == crate::domain::Role::SupplierAdmin)
        .filter_map(|a| a.supplier_id.as_deref())
}

/// Makes a token, if `acting` may make one of that kind.
pub fn make(
    conn: &mut DbConnection,
    acting: &Acting,
    order: &TokenOrder,
    today: Date,
) -> Result<std::result::Result<Made, TokenProblem>> {
    if !token_kinds(&acting.actor).contains(&order.kind) {
        return Err(Error::Forbidden);
    }
    // A supplier admin of several suppliers must say which; of one, need not.
    let supplier_id = supplier_of(acting, order);
    if !may_manage_token(&acting.actor, order.kind, supplier_id.as_deref(), None) {
        return Ok(Err(TokenProblem::NoSupplier));
    }
    let expires_at = match order.check(today) {
        Ok(at) => at,
        Err(problem) => return Ok(Err(problem)),
    };
    let id = crate::db::new_id();
    let secret = api_tokens::new_secret();
    let permissions = Permission::join(&order.stored_permissions());
    let name = order.name.trim();
    write_tx(conn, |conn| {
        api_tokens::insert(
            conn,
            &NewToken {
                id: &id,
                kind: order.kind,
                name,
                secret: &secret,
                supplier_id: supplier_id.as_deref(),
                permissions: &permissions,
                created_by: acting.user_id(),
                expires_at,
            },
        )?;
        audit::record(
            conn,
            &acting.caller(None),
            Entry {
                action: "api_token.created",
                target_type: "api_token",
                target_id: &id,
                institution_number: None,
                supplier_id: supplier_id.as_deref(),
                details: json!({
                    "kind": order.kind.as_str(),
                    "name": name,
                    "permissions": permissions,
                    "expires_at": expires_at.to_string(),
                }),
            },
        )
    })?;
    Ok(Ok(Made {
        id,
        secret,
        expires_at,
    }))
}

/// The tokens `acting` manages, newest first within each kind.
pub fn managed(conn: &mut DbConnection, acting: &Acting) -> Result<Vec<Listed>> {
    let kinds = token_kinds(&acting.actor);
    // Approver tokens stay their maker's to see and revoke, also after the role is gone.
    let mut which = vec![Which::ApproverMadeBy(acting.user_id())];
    for shared in [TokenKind::AccessCheck, TokenKind::Operator] {
        if kinds.contains(&shared) {
            which.push(Which::Kind(shared));
        }
    }
    if kinds.contains(&TokenKind::Supplier) {
        which.extend(supplier_admin_of(acting).map(Which::Supplier));
    }
    Ok(api_tokens::list(conn, &which)?)
}

/// Revokes a token `acting` manages; `false` when it was already revoked.
/// Revokes a token; `cache` forgets it, so this server refuses it from the next call.
pub fn revoke(
    conn: &mut DbConnection,
    cache: &TokenCache,
    acting: &Acting,
    id: &str,
) -> Result<bool> {
    let token = api_tokens::find(conn, id)?.ok_or(Error::NotFound)?;
    let kind = token.kind().ok_or(Error::NotFound)?;
    // A token the person does not manage does not exist for them.
    if !may_manage_token(
        &acting.actor,
        kind,
        token.supplier_id.as_deref(),
        Some(&token.created_by),
    ) {
        return Err(Error::NotFound);
    }
    let revoked = write_tx(conn, |conn| -> diesel::QueryResult<bool> {
        if !api_tokens::revoke(conn, id, acting.user_id())? {
            return Ok(false);
        }
        audit::record(
            conn,
            &acting.caller(None),
            Entry {
                action: "api_token.revoked",
                target_type: "api_token",
                target_id: id,
                institution_number: None,
                supplier_id: token.supplier_id.as_deref(),
                details: json!({ "kind": kind.as_str(), "name": token.name }),
            },
        )?;
        Ok(true)
    })?;
    cache.forget_all();
    Ok(revoked)
}

/// Who a call acts as.
#[derive(Debug, Clone)]
pub enum Caller {
    /// A data provider's access-check token.
    AccessCheck { token_id: String },
    /// A supplier, approver or operator token, acting as the person behind it with the
    /// token's rights.
    Acting(Acting),
}

impl Caller {
    /// The token the call carries.
    pub fn token_id(&self) -> &str {
        match self {
            Self::AccessCheck { token_id } => token_id,
            Self::Acting(acting) => acting.api_token.as_deref().unwrap_or_default(),
        }
    }
}

/// Where a call came from, for the audit rows it writes.
#[derive(Debug, Clone, Default)]
pub struct CallOrigin {
    pub client_addr: Option<String>,
    pub request_id: Option<String>,
}

/// Who the call carrying `secret` acts as, or `None` when the token is unknown, expired or
/// revoked, or the person behind it no longer holds the rights it was made under.
pub fn authenticate(
    conn: &mut DbConnection,
    cache: &TokenCache,
    secret: &Secret,
    origin: CallOrigin,
) -> Result<Option<Caller>> {
    let token = match cache.get(secret) {
        Some(token) => token,
        None => match api_tokens::live_by_hash(conn, &secret.hash)? {
            Some(token) => {
                cache.keep(secret, &token);
                token
            }
            None => return Ok(None),
        },
    };
    let Some(kind) = token.kind() else {
        return Ok(None);
    };
    if kind == TokenKind::AccessCheck {
        return Ok(Some(Caller::AccessCheck { token_id: token.id }));
    }
    acting_behind(conn, &token, kind, origin).map(|a| a.map(Caller::Acting))
}

/// Who a call acts as when the cache alone can say: an access-check token acts as no
/// person, so a trusted one needs no database. None when the database must be asked.
pub fn cached_access_check(cache: &TokenCache, secret: &Secret) -> Option<Caller> {
    let token = cache.get(secret)?;
    (token.kind() == Some(TokenKind::AccessCheck))
        .then_some(Caller::AccessCheck { token_id: token.id })
}

fn acting_behind(
    conn: &mut DbConnection,
    token: &ApiToken,
    kind: TokenKind,
    origin: CallOrigin,
) -> Result<Option<Acting>> {
    let Some((user, roles)) =
        users::with_roles(conn, &token.created_by)?.filter(|(u, _)| u.is_active())
    else {
        return Ok(None);
    };
    let grants = if kind == TokenKind::Approver {
        delegations::grants_for(conn, &user.id, &roles, crate::db::now().date())?
    } else {
        Vec::new()
    };
    let permissions = Permission::split(&token.permissions);
    let behind = Behind {
        user_id: &user.id,
        roles: &roles,
        grants: &grants,
    };
    let Some(actor) = token_actor(kind, token.supplier_id.as_deref(), &permissions, behind) else {
        return Ok(None);
    };
    Ok(Some(Acting {
        actor,
        display_name: user.display_name,
        client_addr: origin.client_addr,
        request_id: origin.request_id,
        api_token: Some(token.id.clone()),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn order(days: i64, permissions: &[Permission]) -> TokenOrder {
        TokenOrder {
            kind: TokenKind::Supplier,
            name: "Skolesystem".into(),
            expires_on: Some(date!(2026 - 12 - 01) + Duration::days(days)),
            permissions: permissions.to_vec(),
            supplier_id: None,
        }
    }

    #[test]
    fn an_order_names_what_is_wrong_with_it() {
        let today = date!(2026 - 12 - 01);
        let check = |o: TokenOrder| o.check(today).err();
        assert_eq!(
            check(order(-1, &[Permission::Read])),
            Some(TokenProblem::ExpiryPassed)
        );
        assert_eq!(
            check(order(366, &[Permission::Read])),
            Some(TokenProblem::ExpiryTooFar)
        );
        assert_eq!(check(order(30, &[])), Some(TokenProblem::NoPermission));
        assert_eq!(
            check(order(30, &[Permission::Decide])),
            Some(TokenProblem::PermissionNotOffered)
        );
        let unnamed = TokenOrder {
            name: "  ".into(),
            ..order(30, &[Permission::Read])
        };
        assert_eq!(check(unnamed), Some(TokenProblem::NoName));
    }

    #[test]
    fn a_token_works_through_its_last_day_and_at_most_a_year() {
        let today = date!(2026 - 12 - 01);
        let at = order(365, &[Permission::Read])
            .check(today)
            .expect("a year is allowed");
        assert_eq!(at.date(), date!(2027 - 12 - 02));
        assert_eq!(at.time(), Time::MIDNIGHT);
        let today_only = order(0, &[Permission::Read]).check(today).expect("today");
        assert_eq!(today_only.date(), date!(2026 - 12 - 02));
    }
}
