//! API tokens as the policy sees them: the four kinds, what each may be made for, how
//! long each may live, and the actor a token acts as. A token never reaches further than
//! the person behind it could in the browser: its actor holds at most that person's roles,
//! narrowed to the token's supplier or approver rights and to the actions it was made for.

use time::Duration;

use super::policy::{Action, Actor, Grant};
use super::roles::{Role, RoleAssignment};

/// Who a token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A data provider asking the access check and the change feed; made by an operator.
    AccessCheck,
    /// A supplier's own system; made by a supplier admin, acts for the supplier.
    Supplier,
    /// An approver's robot; made by an officer or institution staff member, acts as them.
    Approver,
    /// An operator's administration robot (suppliers, their services, the scope
    /// catalogue); made by an operator, acts as them while they are one. It reads no
    /// requests or agreements and lives at most [`OPERATOR_LONGEST`].
    Operator,
}

/// The longest a token may live.
pub const LONGEST: Duration = Duration::days(366);
/// The longest an operator's token may live: it changes who may file, so it is renewed
/// (and its need reconsidered) each quarter.
pub const OPERATOR_LONGEST: Duration = Duration::days(90);

impl TokenKind {
    pub const ALL: [TokenKind; 4] = [
        Self::AccessCheck,
        Self::Supplier,
        Self::Approver,
        Self::Operator,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::AccessCheck => "access_check",
            Self::Supplier => "supplier",
            Self::Approver => "approver",
            Self::Operator => "operator",
        }
    }

    /// The longest a token of this kind may live.
    pub fn longest(self) -> Duration {
        match self {
            Self::Operator => OPERATOR_LONGEST,
            _ => LONGEST,
        }
    }

    /// Whether reading requests and agreements is part of every token of this kind (what
    /// it files, decides or ends it must see).
    pub fn reads(self) -> bool {
        matches!(self, Self::Supplier | Self::Approver)
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The permissions a token of this kind may be made with.
    pub fn offers(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Self::AccessCheck => &[Access],
            Self::Supplier => &[Read, File, Withdraw, Terminate, Administer],
            Self::Approver => &[Read, Decide, Revoke, Mailboxes],
            Self::Operator => &[Suppliers, Scopes],
        }
    }
}

/// One thing a token may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Permission {
    /// Read requests and agreements.
    Read,
    File,
    Withdraw,
    Terminate,
    Decide,
    Revoke,
    /// Ask the access check and read the agreement change feed.
    Access,
    /// Register and remove the approver's shared mailboxes.
    Mailboxes,
    /// Run the supplier's account: its services and colleagues (a supplier admin's token).
    Administer,
    /// Create and verify suppliers and run any supplier's services (an operator's token).
    Suppliers,
    /// Add and edit the scope catalogue (an operator's token).
    Scopes,
}

impl Permission {
    pub const ALL: [Permission; 11] = [
        Self::Read,
        Self::File,
        Self::Withdraw,
        Self::Terminate,
        Self::Decide,
        Self::Revoke,
        Self::Access,
        Self::Mailboxes,
        Self::Administer,
        Self::Suppliers,
        Self::Scopes,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::File => "file",
            Self::Withdraw => "withdraw",
            Self::Terminate => "terminate",
            Self::Decide => "decide",
            Self::Revoke => "revoke",
            Self::Access => "access",
            Self::Mailboxes => "mailboxes",
            Self::Administer => "administer",
            Self::Suppliers => "suppliers",
            Self::Scopes => "scopes",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == text)
    }

    /// The policy actions this permission opens.
    fn actions(self) -> &'static [Action] {
        use Action::*;
        match self {
            Self::Read => &[ViewRequest, ViewAgreement],
            Self::File => &[FileRequest, RenewAgreement],
            Self::Withdraw => &[WithdrawRequest],
            Self::Terminate => &[TerminateAgreement, PauseService, ResumeService],
            Self::Decide => &[DecideRequest],
            Self::Revoke => &[RevokeAgreement, SuspendAgreement, ResumeAgreement],
            Self::Access | Self::Administer => &[],
            Self::Mailboxes => &[ManageInstitutionMailboxes, ManageMunicipalMailboxes],
            Self::Suppliers => &[AdministerSuppliers],
            Self::Scopes => &[AdministerScopes],
        }
    }

    /// Permissions as stored: space-separated codes, in a fixed order.
    pub fn join(permissions: &[Permission]) -> String {
        let mut sorted = permissions.to_vec();
        sorted.sort();
        sorted.dedup();
        sorted
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Permissions from storage; unknown codes are dropped (they open nothing).
    pub fn split(stored: &str) -> Vec<Permission> {
        stored.split_whitespace().filter_map(Self::parse).collect()
    }
}

/// The person behind a token, as they are at the moment of the call.
#[derive(Debug, Clone)]
pub struct Behind<'a> {
    pub user_id: &'a str,
    pub roles: &'a [RoleAssignment],
    pub grants: &'a [Grant],
}

/// The actor a token acts as, or `None` when the person behind it no longer holds the
/// rights it was made under (a supplier admin who left the supplier, an officer whose
/// role was removed, an operator no longer one). Reading is always part of a supplier or
/// approver token: the other permissions act on what it reads.
pub fn token_actor(
    kind: TokenKind,
    supplier_id: Option<&str>,
    permissions: &[Permission],
    behind: Behind<'_>,
) -> Option<Actor> {
    let permits: Vec<Action> = permissions
        .iter()
        .filter(|p| kind.offers().contains(p))
        .flat_map(|p| p.actions().iter().copied())
        .chain(
            [Action::ViewRequest, Action::ViewAgreement]
                .into_iter()
                .filter(|_| kind.reads()),
        )
        .chain((kind == TokenKind::Approver).then_some(Action::ViewApprovers))
        .collect();
    let (roles, grants): (Vec<RoleAssignment>, Vec<Grant>) = match kind {
        TokenKind::AccessCheck => return None,
        TokenKind::Supplier => {
            let supplier_id = supplier_id?;
            let works_there = behind
                .roles
                .iter()
                .any(|a| a.role.is_supplier() && a.supplier_id.as_deref() == Some(supplier_id));
            if !works_there {
                return None;
            }
            // The administer permission keeps the admin role, while its maker holds it.
            let admin = permissions.contains(&Permission::Administer)
                && behind.roles.iter().any(|a| {
                    a.role == Role::SupplierAdmin && a.supplier_id.as_deref() == Some(supplier_id)
                });
            let role = if admin {
                Role::SupplierAdmin
            } else {
                Role::SupplierUser
            };
            (
                vec![RoleAssignment::supplier(role, supplier_id)],
                Vec::new(),
            )
        }
        TokenKind::Approver => {
            let roles: Vec<RoleAssignment> = behind
                .roles
                .iter()
                .filter(|a| matches!(a.role, Role::MunicipalOfficer | Role::InstitutionStaff))
                .cloned()
                .collect();
            if roles.is_empty() && behind.grants.is_empty() {
                return None;
            }
            (roles, behind.grants.to_vec())
        }
        TokenKind::Operator => {
            if !behind.roles.iter().any(|a| a.role == Role::Operator) {
                return None;
            }
            (vec![RoleAssignment::portal(Role::Operator)], Vec::new())
        }
    };
    Some(Actor {
        user_id: behind.user_id.to_string(),
        roles,
        grants,
        permits: Some(permits),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::codes::Ownership;
    use crate::domain::policy::{Target, allows, decide_scope};

    fn target<'a>(supplier: &'a str) -> Target<'a> {
        Target {
            supplier_id: supplier,
            institution_number: "G10001",
            municipality_code: "101",
            ownership: Some(Ownership::Municipal),
        }
    }

    #[test]
    fn a_supplier_token_acts_only_for_its_supplier_and_only_as_made() {
        let roles = [RoleAssignment::supplier(Role::SupplierAdmin, "s1")];
        let behind = Behind {
            user_id: "u",
            roles: &roles,
            grants: &[],
        };
        let actor = token_actor(TokenKind::Supplier, Some("s1"), &[Permission::File], behind)
            .expect("acts while its maker works there");
        assert!(allows(&actor, Action::FileRequest, &target("s1")));
        assert!(allows(&actor, Action::ViewRequest, &target("s1")));
        assert!(!allows(&actor, Action::WithdrawRequest, &target("s1")));
        assert!(!allows(&actor, Action::FileRequest, &target("s2")));
    }

    #[test]
    fn a_supplier_token_stops_when_its_maker_leaves_the_supplier() {
        let roles = [RoleAssignment::supplier(Role::SupplierAdmin, "s2")];
        let behind = Behind {
            user_id: "u",
            roles: &roles,
            grants: &[],
        };
        assert!(
            token_actor(TokenKind::Supplier, Some("s1"), &[Permission::Read], behind).is_none()
        );
    }

    #[test]
    fn an_approver_token_without_decide_decides_nothing() {
        let roles = [
            RoleAssignment::municipal(Role::MunicipalOfficer, "101"),
            RoleAssignment::portal(Role::Operator),
        ];
        let behind = Behind {
            user_id: "u",
            roles: &roles,
            grants: &[],
        };
        let reader = token_actor(
            TokenKind::Approver,
            None,
            &[Permission::Read],
            behind.clone(),
        )
        .expect("an officer");
        assert!(allows(&reader, Action::ViewRequest, &target("s1")));
        assert!(!allows(&reader, Action::DecideRequest, &target("s1")));
        assert!(decide_scope(&reader).is_empty());
        assert!(reader.roles.iter().all(|a| a.role != Role::Operator));
        let decider = token_actor(TokenKind::Approver, None, &[Permission::Decide], behind)
            .expect("an officer");
        assert!(allows(&decider, Action::DecideRequest, &target("s1")));
        assert!(!decide_scope(&decider).is_empty());
    }

    #[test]
    fn a_permission_outside_the_kind_opens_nothing() {
        let roles = [RoleAssignment::municipal(Role::MunicipalOfficer, "101")];
        let behind = Behind {
            user_id: "u",
            roles: &roles,
            grants: &[],
        };
        let actor = token_actor(TokenKind::Approver, None, &[Permission::File], behind)
            .expect("an officer");
        assert!(!allows(&actor, Action::FileRequest, &target("s1")));
        assert!(
            token_actor(
                TokenKind::AccessCheck,
                None,
                &[Permission::Access],
                Behind {
                    user_id: "u",
                    roles: &roles,
                    grants: &[],
                }
            )
            .is_none()
        );
    }

    #[test]
    fn an_operator_token_administers_as_made_reads_nothing_and_stops_with_the_role() {
        use crate::domain::policy::{administers_scopes, administers_suppliers, view_scope};
        let roles = [RoleAssignment::portal(Role::Operator)];
        let behind = Behind {
            user_id: "u",
            roles: &roles,
            grants: &[],
        };
        let suppliers = token_actor(
            TokenKind::Operator,
            None,
            &[Permission::Suppliers],
            behind.clone(),
        )
        .expect("acts while its maker is an operator");
        assert!(administers_suppliers(&suppliers));
        assert!(!administers_scopes(&suppliers));
        assert!(view_scope(&suppliers).is_empty());
        assert!(!allows(&suppliers, Action::ViewRequest, &target("s1")));
        let scopes = token_actor(TokenKind::Operator, None, &[Permission::Scopes], behind)
            .expect("an operator");
        assert!(administers_scopes(&scopes) && !administers_suppliers(&scopes));
        let former = [RoleAssignment::supplier(Role::SupplierAdmin, "s1")];
        let behind = Behind {
            user_id: "u",
            roles: &former,
            grants: &[],
        };
        assert!(token_actor(TokenKind::Operator, None, &[Permission::Suppliers], behind).is_none());
        assert!(TokenKind::Operator.longest() < TokenKind::Supplier.longest());
    }

    #[test]
    fn permissions_are_stored_in_one_order_and_read_back() {
        let stored = Permission::join(&[Permission::Terminate, Permission::Read, Permission::Read]);
        assert_eq!(stored, "read terminate");
        assert_eq!(
            Permission::split(&stored),
            [Permission::Read, Permission::Terminate]
        );
        assert_eq!(Permission::split("read nonsense"), [Permission::Read]);
    }
}
