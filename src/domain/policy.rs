//! Who may do what: the one place that decides authorization (DESIGN §4).
//!
//! Every handler asks [`allows`] about one action on one target; list pages ask
//! [`view_scope`] and [`decide_scope`] for the same rules in a form a query can use.
//! Rules:
//! - supplier users act only on their own supplier's services, requests and agreements;
//! - municipal officers see everything administered by their municipality but decide and
//!   revoke only for its *kommunale* institutions (ejerform 1) — self-governing, private and
//!   contracted-out institutions decide for themselves;
//! - institution staff see, decide and revoke for the institutions they are attached to;
//! - operators and auditors see; they never decide or act for a supplier;
//! - shared mailboxes: an institution's staff register its mailboxes, a municipality's
//!   officers the municipality's; a delegation gives no such right, and operators do not
//!   register them for anyone;
//! - who holds approver rights at an institution is seen by its staff and by the officers
//!   of the municipality that administers it.
//!
//! An operator's "see everything" covers requests and agreements; an auditor's scope is a
//! municipality, or the whole portal when the assignment names none.
//!
//! Delegation (fuldmagt) adds [`Grant`]s, valid for a period: a self-governing
//! institution's staff let its municipality's officers decide for it, and an officer lets a
//! named colleague decide what the officer decides (the municipality's kommunale
//! institutions). A decision allowed only through a grant records the delegation.

use super::codes::Ownership;
use super::roles::{Role, RoleAssignment};

/// The signed-in person as the policy sees them.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub user_id: String,
    pub roles: Vec<RoleAssignment>,
    /// Rights held through delegations that are in force today.
    pub grants: Vec<Grant>,
    /// When acting through an API token: the only actions the token was made for. The
    /// person's roles still decide on what; this narrows which actions. `None` in the browser.
    pub permits: Option<Vec<Action>>,
}

impl Actor {
    /// Whether the token (if any) this person acts through was made for `action`.
    pub fn permitted(&self, action: Action) -> bool {
        self.permits.as_ref().is_none_or(|p| p.contains(&action))
    }
}

/// A right to decide (and revoke) held through a delegation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// Recorded with each decision made under it.
    pub delegation: String,
    pub covers: Covers,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Covers {
    /// One institution, while the municipality that received the delegation still
    /// administers it (its staff delegated to the municipality).
    Institution {
        number: String,
        municipality: String,
    },
    /// What a municipal officer of this municipality decides (a colleague's delegation).
    OfficerOf(String),
}

fn grant_allows(g: &Grant, action: Action, t: &Target<'_>) -> bool {
    match &g.covers {
        Covers::Institution {
            number,
            municipality,
        } => {
            number == t.institution_number
                && municipality == t.municipality_code
                && matches!(
                    action,
                    Action::ViewRequest
                        | Action::ViewAgreement
                        | Action::DecideRequest
                        | Action::RevokeAgreement
                        | Action::SuspendAgreement
                        | Action::ResumeAgreement
                )
        }
        // What the officer decides, never the officer's mailboxes or approver list.
        Covers::OfficerOf(m) => {
            matches!(
                action,
                Action::ViewRequest
                    | Action::ViewAgreement
                    | Action::DecideRequest
                    | Action::RevokeAgreement
            ) && role_allows(
                &RoleAssignment::municipal(Role::MunicipalOfficer, m),
                action,
                t,
            )
        }
    }
}

/// The delegation an action rests on, when no role of the person's own allows it.
pub fn delegation_used(actor: &Actor, action: Action, target: &Target<'_>) -> Option<String> {
    if actor.roles.iter().any(|a| role_allows(a, action, target)) {
        return None;
    }
    actor
        .grants
        .iter()
        .find(|g| grant_allows(g, action, target))
        .map(|g| g.delegation.clone())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    FileRequest,
    ViewRequest,
    WithdrawRequest,
    DecideRequest,
    ViewAgreement,
    TerminateAgreement,
    RevokeAgreement,
    /// The institution side puts one agreement on hold ("sat i bero"), with a reason.
    SuspendAgreement,
    /// The institution side lifts its own hold.
    ResumeAgreement,
    /// The supplier puts every agreement of one of its services on hold. The target is the
    /// service's supplier; its institution fields are empty.
    PauseService,
    /// The supplier lifts its own hold on a service's agreements.
    ResumeService,
    /// The supplier files, from an open agreement, the request that renews it.
    RenewAgreement,
    /// Register and remove the shared mailboxes of the target's institution: its staff.
    ManageInstitutionMailboxes,
    /// Register and remove the shared mailboxes of the target's municipality: its officers.
    ManageMunicipalMailboxes,
    /// See who holds the right to decide at the target's institution: its staff, and the
    /// officers of the municipality that administers it.
    ViewApprovers,
    /// Create and verify suppliers and run any supplier's services: operators. Not about a
    /// target; asked through [`administers_suppliers`].
    AdministerSuppliers,
    /// Add and edit the scope catalogue: operators, through [`administers_scopes`].
    AdministerScopes,
}

impl Action {
    pub const ALL: [Action; 17] = [
        Self::FileRequest,
        Self::ViewRequest,
        Self::WithdrawRequest,
        Self::DecideRequest,
        Self::ViewAgreement,
        Self::TerminateAgreement,
        Self::RevokeAgreement,
        Self::SuspendAgreement,
        Self::ResumeAgreement,
        Self::PauseService,
        Self::ResumeService,
        Self::RenewAgreement,
        Self::ManageInstitutionMailboxes,
        Self::ManageMunicipalMailboxes,
        Self::ViewApprovers,
        Self::AdministerSuppliers,
        Self::AdministerScopes,
    ];
}

/// What an action is about: the supplier on one side, the institution on the other.
#[derive(Debug, Clone)]
pub struct Target<'a> {
    pub supplier_id: &'a str,
    pub institution_number: &'a str,
    pub municipality_code: &'a str,
    pub ownership: Option<Ownership>,
}

pub fn allows(actor: &Actor, action: Action, target: &Target<'_>) -> bool {
    if !actor.permitted(action) {
        return false;
    }
    actor
        .roles
        .iter()
        .any(|assignment| role_allows(assignment, action, target))
        || actor.grants.iter().any(|g| grant_allows(g, action, target))
}

fn role_allows(a: &RoleAssignment, action: Action, t: &Target<'_>) -> bool {
    use Action::*;
    let same = |held: &Option<String>, wanted: &str| held.as_deref() == Some(wanted);
    match a.role {
        Role::SupplierAdmin | Role::SupplierUser => {
            same(&a.supplier_id, t.supplier_id)
                && matches!(
                    action,
                    FileRequest
                        | ViewRequest
                        | WithdrawRequest
                        | ViewAgreement
                        | TerminateAgreement
                        | PauseService
                        | ResumeService
                        | RenewAgreement
                )
        }
        Role::MunicipalOfficer => {
            let in_municipality = same(&a.municipality_code, t.municipality_code);
            match action {
                ViewRequest | ViewAgreement => in_municipality,
                DecideRequest | RevokeAgreement | SuspendAgreement | ResumeAgreement => {
                    in_municipality && t.ownership == Some(Ownership::Municipal)
                }
                ManageMunicipalMailboxes | ViewApprovers => in_municipality,
                _ => false,
            }
        }
        Role::InstitutionStaff => {
            same(&a.institution_number, t.institution_number)
                && matches!(
                    action,
                    ViewRequest
                        | ViewAgreement
                        | DecideRequest
                        | RevokeAgreement
                        | SuspendAgreement
                        | ResumeAgreement
                        | ManageInstitutionMailboxes
                        | ViewApprovers
                )
        }
        Role::Operator => matches!(action, ViewRequest | ViewAgreement),
        Role::Auditor => {
            let in_scope =
                a.municipality_code.is_none() || same(&a.municipality_code, t.municipality_code);
            in_scope && matches!(action, ViewRequest | ViewAgreement)
        }
    }
}

/// Which requests and agreements a person may see, as a union of these sets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ViewScope {
    pub everything: bool,
    pub supplier_ids: Vec<String>,
    pub municipality_codes: Vec<String>,
    pub institution_numbers: Vec<String>,
}

impl ViewScope {
    pub fn is_empty(&self) -> bool {
        !self.everything
            && self.supplier_ids.is_empty()
            && self.municipality_codes.is_empty()
            && self.institution_numbers.is_empty()
    }

    /// Whether every institution `decide` may decide for is already in view, so a list of
    /// decidable rows need not also be filtered by this scope.
    pub fn covers(&self, decide: &DecideScope) -> bool {
        self.everything
            || (decide
                .municipality_codes
                .iter()
                .all(|m| self.municipality_codes.contains(m))
                && decide
                    .institution_numbers
                    .iter()
                    .all(|n| self.institution_numbers.contains(n)))
    }
}

pub fn view_scope(actor: &Actor) -> ViewScope {
    let mut scope = ViewScope::default();
    if !actor.permitted(Action::ViewRequest) {
        return scope;
    }
    for a in &actor.roles {
        match a.role {
            Role::SupplierAdmin | Role::SupplierUser => {
                scope.supplier_ids.extend(a.supplier_id.clone())
            }
            Role::MunicipalOfficer => scope.municipality_codes.extend(a.municipality_code.clone()),
            Role::InstitutionStaff => scope
                .institution_numbers
                .extend(a.institution_number.clone()),
            Role::Operator => scope.everything = true,
            Role::Auditor => match &a.municipality_code {
                Some(code) => scope.municipality_codes.push(code.clone()),
                None => scope.everything = true,
            },
        }
    }
    for g in &actor.grants {
        match &g.covers {
            Covers::Institution { number, .. } => scope.institution_numbers.push(number.clone()),
            Covers::OfficerOf(m) => scope.municipality_codes.push(m.clone()),
        }
    }
    scope
}

/// Which institutions a person may decide requests (and revoke agreements) for:
/// kommunale institutions of `municipality_codes`, plus `institution_numbers`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecideScope {
    pub municipality_codes: Vec<String>,
    pub institution_numbers: Vec<String>,
}

impl DecideScope {
    pub fn is_empty(&self) -> bool {
        self.municipality_codes.is_empty() && self.institution_numbers.is_empty()
    }

    /// The ownership code a municipal officer's decisions are limited to.
    pub const MUNICIPAL_OWNERSHIP_CODE: &'static str = "1";
}

pub fn decide_scope(actor: &Actor) -> DecideScope {
    let mut scope = DecideScope::default();
    if !actor.permitted(Action::DecideRequest) {
        return scope;
    }
    for a in &actor.roles {
        match a.role {
            Role::MunicipalOfficer => scope.municipality_codes.extend(a.municipality_code.clone()),
            Role::InstitutionStaff => scope
                .institution_numbers
                .extend(a.institution_number.clone()),
            _ => {}
        }
    }
    for g in &actor.grants {
        match &g.covers {
            Covers::Institution { number, .. } => scope.institution_numbers.push(number.clone()),
            Covers::OfficerOf(m) => scope.municipality_codes.push(m.clone()),
        }
    }
    scope
}

/// Which audit rows a person may read: everything (operators, auditors of the whole
/// portal) or the rows about institutions of some municipalities (municipal officers and
/// municipal auditors). Suppliers and institution staff do not read the log here; they
/// see the history on their own requests and agreements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditScope {
    pub everything: bool,
    pub municipality_codes: Vec<String>,
}

impl AuditScope {
    pub fn is_empty(&self) -> bool {
        !self.everything && self.municipality_codes.is_empty()
    }
}

pub fn audit_scope(actor: &Actor) -> AuditScope {
    let mut scope = AuditScope::default();
    // The log is read in the browser; no token reads it.
    if actor.permits.is_some() {
        return scope;
    }
    for a in &actor.roles {
        match (a.role, &a.municipality_code) {
            (Role::Operator, _) | (Role::Auditor, None) => scope.everything = true,
            (Role::Auditor | Role::MunicipalOfficer, Some(code)) => {
                scope.municipality_codes.push(code.clone())
            }
            _ => {}
        }
    }
    scope
}

/// Whether a person may make or revoke an API token of `kind`: operators the
/// access-check and operator tokens (any operator's, so one can stop a colleague's), a supplier's admins that supplier's tokens, and officers and
/// institution staff their own approver tokens (`made_by`, `None` for a token not yet
/// made; its maker may revoke it even after losing the role).
pub fn may_manage_token(
    actor: &Actor,
    kind: super::api_token::TokenKind,
    supplier_id: Option<&str>,
    made_by: Option<&str>,
) -> bool {
    use super::api_token::TokenKind;
    if actor.permits.is_some() {
        return false;
    }
    match kind {
        TokenKind::AccessCheck | TokenKind::Operator => is_operator(actor),
        TokenKind::Supplier => actor.roles.iter().any(|a| {
            a.role == Role::SupplierAdmin
                && a.supplier_id.is_some()
                && a.supplier_id.as_deref() == supplier_id
        }),
        TokenKind::Approver => match made_by {
            Some(maker) => maker == actor.user_id,
            None => actor
                .roles
                .iter()
                .any(|a| matches!(a.role, Role::MunicipalOfficer | Role::InstitutionStaff)),
        },
    }
}

/// The kinds of API token a person may make: [`may_manage_token`] asked for each kind (a
/// supplier token for a supplier they are an admin of).
pub fn token_kinds(actor: &Actor) -> Vec<super::api_token::TokenKind> {
    let admin_of = actor
        .roles
        .iter()
        .find(|a| a.role == Role::SupplierAdmin)
        .and_then(|a| a.supplier_id.as_deref());
    super::api_token::TokenKind::ALL
        .into_iter()
        .filter(|kind| may_manage_token(actor, *kind, admin_of, None))
        .collect()
}

/// Operators maintain the institution register, in the browser.
pub fn maintains_register(actor: &Actor) -> bool {
    actor.permits.is_none() && is_operator(actor)
}

/// Operators administer people: invite them, assign and remove roles, disable accounts.
pub fn manages_users(actor: &Actor) -> bool {
    actor.roles.iter().any(|a| a.role == Role::Operator)
}

/// Operators see the mail queue and put undeliverable mail back in it.
pub fn handles_mail(actor: &Actor) -> bool {
    actor.roles.iter().any(|a| a.role == Role::Operator)
}

/// The suppliers a person may file requests for.
pub fn filing_suppliers(actor: &Actor) -> Vec<String> {
    actor
        .roles
        .iter()
        .filter(|a| a.role.is_supplier())
        .filter_map(|a| a.supplier_id.clone())
        .collect()
}

/// The role under which a person acts on a target, recorded with each decision. Under a
/// delegation it is the person's municipal or institution role, if they hold one.
pub fn acting_role(actor: &Actor, action: Action, target: &Target<'_>) -> Option<Role> {
    actor
        .roles
        .iter()
        .find(|a| role_allows(a, action, target))
        .map(|a| a.role)
        .or_else(|| {
            actor
                .roles
                .iter()
                .map(|a| a.role)
                .find(|r| matches!(r, Role::MunicipalOfficer | Role::InstitutionStaff))
                .filter(|_| actor.grants.iter().any(|g| grant_allows(g, action, target)))
        })
}

/// Whether a person may let the municipality decide for an institution: its staff, when the
/// institution is not kommunal (the municipality already decides for those).
pub fn may_delegate_institution(
    actor: &Actor,
    institution_number: &str,
    ownership: Option<Ownership>,
) -> bool {
    ownership != Some(Ownership::Municipal)
        && actor.roles.iter().any(|a| {
            a.role == Role::InstitutionStaff
                && a.institution_number.as_deref() == Some(institution_number)
        })
}

/// Whether a person may end a delegation: whoever granted it, the staff of the institution
/// it concerns, the officers of the municipality a colleague delegation covers, operators.
pub fn may_revoke_delegation(
    actor: &Actor,
    granted_by: &str,
    institution_number: Option<&str>,
    municipality_code: &str,
) -> bool {
    actor.user_id == granted_by
        || actor.roles.iter().any(|a| match a.role {
            Role::InstitutionStaff => {
                institution_number.is_some()
                    && a.institution_number.as_deref() == institution_number
            }
            Role::MunicipalOfficer => {
                institution_number.is_none()
                    && a.municipality_code.as_deref() == Some(municipality_code)
            }
            Role::Operator => true,
            _ => false,
        })
}

/// The two kinds of delegation (fuldmagt).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DelegationKind {
    /// Staff of a non-kommunal institution let the municipality that administers it decide.
    InstitutionToMunicipality,
    /// A municipal officer lets a named colleague decide for the municipality.
    OfficerToColleague,
}

impl DelegationKind {
    pub const ALL: [DelegationKind; 2] =
        [Self::InstitutionToMunicipality, Self::OfficerToColleague];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::InstitutionToMunicipality => "institution_to_municipality",
            Self::OfficerToColleague => "officer_to_colleague",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == code)
    }
}

/// Whether a person holding `roles` may act under a delegation of `kind` for the
/// municipality `municipality_code` — asked when the delegation is given and again at
/// every decision, so a later change of roles ends its effect. Either kind presumes the
/// person is a municipal officer of that municipality: a delegation never reaches a
/// supplier user, an auditor, an operator or institution staff as such, nor an officer of
/// another municipality.
pub fn may_act_under_delegation(
    kind: DelegationKind,
    municipality_code: &str,
    roles: &[RoleAssignment],
) -> bool {
    match kind {
        DelegationKind::InstitutionToMunicipality | DelegationKind::OfficerToColleague => {
            roles.iter().any(|a| {
                a.role == Role::MunicipalOfficer
                    && a.municipality_code.as_deref() == Some(municipality_code)
            })
        }
    }
}

/// Whether anyone can decide requests at an institution, from the facts about it: its
/// own staff decide; the municipality's officers decide for a kommunale institution, and
/// for another one only under a delegation (fuldmagt) in force. Operators and auditors
/// never decide, so an institution without any of these has nobody yet.
pub fn someone_decides(
    ownership: Option<Ownership>,
    has_staff: bool,
    municipality_has_officer: bool,
    delegated_to_municipality: bool,
) -> bool {
    has_staff
        || (municipality_has_officer
            && (ownership == Some(Ownership::Municipal) || delegated_to_municipality))
}

/// Whether a person may let a colleague decide for a municipality: its officers.
pub fn may_delegate_municipality(actor: &Actor, municipality_code: &str) -> bool {
    actor.roles.iter().any(|a| {
        a.role == Role::MunicipalOfficer
            && a.municipality_code.as_deref() == Some(municipality_code)
    })
}

/// Whether a person may manage a supplier's services (create, edit, retire): the
/// supplier's own admins, and operators for any supplier. A supplier token acts as an
/// admin only when made with the `administer` permission by one, an operator's token
/// only with `suppliers` (see `api_token`).
pub fn may_manage_services(actor: &Actor, supplier_id: &str) -> bool {
    is_admin_of(actor, supplier_id) || administers_suppliers(actor)
}

/// Whether a person sees a supplier's services (the services page, one service through
/// the API): anyone working for the supplier (whatever their token was made for; its
/// staff pause and resume services there without editing them) and the operators who
/// keep suppliers. Someone who sees it but may not act on it is refused (403); anyone
/// else finds nothing there (404).
pub fn sees_service(actor: &Actor, supplier_id: &str) -> bool {
    filing_suppliers(actor).iter().any(|s| s == supplier_id) || administers_suppliers(actor)
}

/// Whether a person may invite and remove a supplier's colleagues: its own admins
/// (operators do this in their people administration).
pub fn may_manage_colleagues(actor: &Actor, supplier_id: &str) -> bool {
    is_admin_of(actor, supplier_id)
}

/// Whether a person may read a supplier's activity (the audit rows about it): its own
/// admins, and operators, who read the whole log anyway.
pub fn may_read_supplier_activity(actor: &Actor, supplier_id: &str) -> bool {
    is_admin_of(actor, supplier_id) || (actor.permits.is_none() && is_operator(actor))
}

/// Operators keep the suppliers (create, verify, their services), in the browser or with
/// an operator token made for it.
pub fn administers_suppliers(actor: &Actor) -> bool {
    is_operator(actor) && actor.permitted(Action::AdministerSuppliers)
}

/// Operators keep the scope catalogue, in the browser or with an operator token made for it.
pub fn administers_scopes(actor: &Actor) -> bool {
    is_operator(actor) && actor.permitted(Action::AdministerScopes)
}

/// Whether the operators' administration pages open for a person: either part of it.
pub fn administers_catalogue(actor: &Actor) -> bool {
    administers_suppliers(actor) || administers_scopes(actor)
}

/// The suppliers a person is an admin of.
pub fn admin_of(actor: &Actor) -> Vec<String> {
    actor
        .roles
        .iter()
        .filter(|a| a.role == Role::SupplierAdmin)
        .filter_map(|a| a.supplier_id.clone())
        .collect()
}

fn is_admin_of(actor: &Actor, supplier_id: &str) -> bool {
    actor
        .roles
        .iter()
        .any(|a| a.role == Role::SupplierAdmin && a.supplier_id.as_deref() == Some(supplier_id))
}

fn is_operator(actor: &Actor) -> bool {
    actor.roles.iter().any(|a| a.role == Role::Operator)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(ownership: Ownership) -> Target<'static> {
        Target {
            supplier_id: "s1",
            institution_number: "G10001",
            municipality_code: "101",
            ownership: Some(ownership),
        }
    }

    #[test]
    fn officer_decides_only_kommunale_institutions_in_own_municipality() {
        let officer = Actor {
            user_id: "u".into(),
            roles: vec![RoleAssignment::municipal(Role::MunicipalOfficer, "101")],
            ..Actor::default()
        };
        assert!(allows(
            &officer,
            Action::DecideRequest,
            &target(Ownership::Municipal)
        ));
        assert!(!allows(
            &officer,
            Action::DecideRequest,
            &target(Ownership::SelfGoverning)
        ));
        assert!(allows(
            &officer,
            Action::ViewRequest,
            &target(Ownership::SelfGoverning)
        ));
        let elsewhere = Target {
            municipality_code: "147",
            ..target(Ownership::Municipal)
        };
        assert!(!allows(&officer, Action::ViewRequest, &elsewhere));
    }

    #[test]
    fn scopes_follow_the_roles() {
        let actor = Actor {
            user_id: "u".into(),
            roles: vec![
                RoleAssignment::municipal(Role::MunicipalOfficer, "101"),
                RoleAssignment::institution("G20002"),
            ],
            ..Actor::default()
        };
        let decide = decide_scope(&actor);
        assert_eq!(decide.municipality_codes, vec!["101".to_string()]);
        assert_eq!(decide.institution_numbers, vec!["G20002".to_string()]);
        assert!(!view_scope(&actor).everything);
        assert_eq!(
            acting_role(&actor, Action::DecideRequest, &target(Ownership::Municipal)),
            Some(Role::MunicipalOfficer)
        );
    }

    #[test]
    fn every_decide_scope_lies_within_the_same_persons_view() {
        let supplier = RoleAssignment::supplier(Role::SupplierUser, "s1");
        let people = [
            vec![RoleAssignment::municipal(Role::MunicipalOfficer, "101")],
            vec![RoleAssignment::institution("G20002")],
            vec![
                RoleAssignment::municipal(Role::MunicipalOfficer, "101"),
                RoleAssignment::municipal(Role::MunicipalOfficer, "147"),
                RoleAssignment::institution("G20002"),
            ],
            vec![supplier],
        ];
        for roles in people {
            let actor = Actor {
                user_id: "u".into(),
                roles,
                ..Actor::default()
            };
            assert!(view_scope(&actor).covers(&decide_scope(&actor)));
        }
        let officer = Actor {
            user_id: "u".into(),
            roles: vec![RoleAssignment::municipal(Role::MunicipalOfficer, "101")],
            ..Actor::default()
        };
        let wider = DecideScope {
            municipality_codes: vec!["101".into(), "147".into()],
            institution_numbers: vec![],
        };
        assert!(!view_scope(&officer).covers(&wider));
        let other_institution = DecideScope {
            municipality_codes: vec![],
            institution_numbers: vec!["G20002".into()],
        };
        assert!(!view_scope(&officer).covers(&other_institution));
    }
}
