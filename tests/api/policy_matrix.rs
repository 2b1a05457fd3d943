//! Who may do what: the policy as a matrix (every role × action × relation × ownership
//! against a written-out expectation), the list scopes agreeing with it, and the wrong
//! role at every URL over HTTP getting 403/404 and changing nothing.

use std::collections::BTreeSet;

use reqwest::StatusCode;
use tilslutning::db::requests::{self, ListFilter};
use tilslutning::domain::codes::Ownership;
use tilslutning::domain::policy::{self, Action, Actor, Target, decide_scope, view_scope};
use tilslutning::domain::{Role, RoleAssignment};

use crate::helpers::*;

/// (who, method, path, form fields, expected status)
type UrlCase<'a> = (
    &'a str,
    &'a str,
    String,
    &'a [(&'a str, &'a str)],
    StatusCode,
);

/// How the actor's assignment relates to the target.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Relation {
    Own,
    Other,
}

const SUPPLIER_ACTIONS: &[Action] = &[
    Action::FileRequest,
    Action::ViewRequest,
    Action::WithdrawRequest,
    Action::ViewAgreement,
    Action::TerminateAgreement,
    Action::PauseService,
    Action::ResumeService,
    Action::RenewAgreement,
];
const READ_ACTIONS: &[Action] = &[Action::ViewRequest, Action::ViewAgreement];
/// Staff of the institution: decide, keep its shared mailboxes, see who approves.
const STAFF_ACTIONS: &[Action] = &[
    Action::ViewRequest,
    Action::ViewAgreement,
    Action::DecideRequest,
    Action::RevokeAgreement,
    Action::SuspendAgreement,
    Action::ResumeAgreement,
    Action::ManageInstitutionMailboxes,
    Action::ViewApprovers,
];
/// An officer at a kommunal institution of the municipality: decide, keep the
/// municipality's shared mailboxes, see who approves.
const OFFICER_ACTIONS: &[Action] = &[
    Action::ViewRequest,
    Action::ViewAgreement,
    Action::DecideRequest,
    Action::RevokeAgreement,
    Action::SuspendAgreement,
    Action::ResumeAgreement,
    Action::ManageMunicipalMailboxes,
    Action::ViewApprovers,
];
/// An officer at another institution of the municipality: read, keep the municipality's
/// mailboxes, see who approves.
const OFFICER_READ_ACTIONS: &[Action] = &[
    Action::ViewRequest,
    Action::ViewAgreement,
    Action::ManageMunicipalMailboxes,
    Action::ViewApprovers,
];

/// The written rule book (DESIGN §4), one line per role and relation.
fn expected(role: Role, relation: Relation, ownership: Ownership) -> &'static [Action] {
    use Relation::*;
    match (role, relation) {
        (Role::SupplierAdmin | Role::SupplierUser, Own) => SUPPLIER_ACTIONS,
        (Role::MunicipalOfficer, Own) if ownership == Ownership::Municipal => OFFICER_ACTIONS,
        (Role::MunicipalOfficer, Own) => OFFICER_READ_ACTIONS,
        (Role::InstitutionStaff, Own) => STAFF_ACTIONS,
        (Role::Operator, _) => READ_ACTIONS,
        (Role::Auditor, Own) => READ_ACTIONS,
        _ => &[],
    }
}

fn assignment(role: Role, relation: Relation) -> RoleAssignment {
    let (supplier, municipality, institution) = match relation {
        Relation::Own => ("s1", "101", "G10001"),
        Relation::Other => ("s2", "147", "G20001"),
    };
    match role {
        Role::SupplierAdmin | Role::SupplierUser => RoleAssignment::supplier(role, supplier),
        Role::MunicipalOfficer | Role::Auditor => RoleAssignment::municipal(role, municipality),
        Role::InstitutionStaff => RoleAssignment::institution(institution),
        Role::Operator => RoleAssignment::portal(role),
    }
}

fn in_view_scope(actor: &Actor, t: &Target<'_>) -> bool {
    let s = view_scope(actor);
    s.everything
        || s.supplier_ids.iter().any(|x| x == t.supplier_id)
        || s.municipality_codes
            .iter()
            .any(|x| x == t.municipality_code)
        || s.institution_numbers
            .iter()
            .any(|x| x == t.institution_number)
}

fn in_decide_scope(actor: &Actor, t: &Target<'_>) -> bool {
    let s = decide_scope(actor);
    (s.municipality_codes
        .iter()
        .any(|x| x == t.municipality_code)
        && t.ownership == Some(Ownership::Municipal))
        || s.institution_numbers
            .iter()
            .any(|x| x == t.institution_number)
}

#[test]
fn every_role_action_and_ownership_matches_the_rule_book() {
    let mut checked = 0;
    for role in Role::ALL {
        for relation in [Relation::Own, Relation::Other] {
            for ownership in Ownership::ALL {
                let actor = Actor {
                    user_id: "u".into(),
                    roles: vec![assignment(role, relation)],
                    ..Actor::default()
                };
                let target = Target {
                    supplier_id: "s1",
                    institution_number: "G10001",
                    municipality_code: "101",
                    ownership: Some(ownership),
                };
                for action in Action::ALL {
                    let want = expected(role, relation, ownership).contains(&action);
                    assert_eq!(
                        policy::allows(&actor, action, &target),
                        want,
                        "{role:?} {relation:?} {ownership:?} {action:?}"
                    );
                    checked += 1;
                }
                assert_eq!(
                    in_view_scope(&actor, &target),
                    policy::allows(&actor, Action::ViewRequest, &target),
                    "view scope {role:?} {relation:?}"
                );
                assert_eq!(
                    in_decide_scope(&actor, &target),
                    policy::allows(&actor, Action::DecideRequest, &target),
                    "decide scope {role:?} {relation:?} {ownership:?}"
                );
            }
        }
    }
    assert_eq!(checked, 6 * 2 * 4 * Action::ALL.len());
}

/// The portal-wide capabilities belong to operators alone, whatever else a person holds.
#[test]
fn only_operators_administer_people_mail_and_the_register() {
    for role in Role::ALL {
        let assignment = match role {
            Role::SupplierAdmin | Role::SupplierUser => RoleAssignment::supplier(role, "s1"),
            Role::MunicipalOfficer => RoleAssignment::municipal(role, "101"),
            Role::InstitutionStaff => RoleAssignment::institution("G10601"),
            Role::Operator | Role::Auditor => RoleAssignment::portal(role),
        };
        let actor = Actor {
            user_id: "u".into(),
            roles: vec![assignment],
            ..Actor::default()
        };
        let operator = role == Role::Operator;
        assert_eq!(
            policy::manages_users(&actor),
            operator,
            "{role:?} manages people"
        );
        assert_eq!(
            policy::handles_mail(&actor),
            operator,
            "{role:?} handles mail"
        );
        assert_eq!(
            policy::maintains_register(&actor),
            operator,
            "{role:?} keeps the register"
        );
    }
}

#[test]
fn an_auditor_without_a_municipality_reads_the_whole_portal() {
    let actor = Actor {
        user_id: "u".into(),
        roles: vec![RoleAssignment::portal(Role::Auditor)],
        ..Actor::default()
    };
    let target = Target {
        supplier_id: "s9",
        institution_number: "G90001",
        municipality_code: "851",
        ownership: Some(Ownership::Private),
    };
    assert!(policy::allows(&actor, Action::ViewAgreement, &target));
    assert!(!policy::allows(&actor, Action::RevokeAgreement, &target));
}

#[tokio::test]
async fn each_persons_list_shows_exactly_the_requests_they_may_open() {
    let app = spawn_app().await;
    for email in [SUPPLIER, OTHER_SUPPLIER, OFFICER, STAFF, OPERATOR, AUDITOR] {
        let (listed, allowed) = app.with_db(|conn| {
            let user = tilslutning::db::users::find_by_email(conn, email)
                .expect("query")
                .expect("user");
            let actor = Actor {
                user_id: user.id.clone(),
                roles: tilslutning::db::users::roles_of(conn, &user.id).expect("roles"),
                ..Actor::default()
            };
            let rows = requests::list(
                conn,
                &view_scope(&actor),
                None,
                &ListFilter::default(),
                None,
                10_000,
            )
            .expect("list");
            let listed: BTreeSet<String> = rows.into_iter().map(|r| r.id).collect();
            let all = requests::list(
                conn,
                &view_scope(&Actor {
                    user_id: "op".into(),
                    roles: vec![RoleAssignment::portal(Role::Operator)],
                    ..Actor::default()
                }),
                None,
                &ListFilter::default(),
                None,
                10_000,
            )
            .expect("all");
            let allowed: BTreeSet<String> = all
                .iter()
                .filter(|r| {
                    let d = requests::detail(conn, &r.id)
                        .expect("detail")
                        .expect("exists");
                    let target = Target {
                        supplier_id: &d.supplier.id,
                        institution_number: &d.institution.number,
                        municipality_code: &d.institution.municipality_code,
                        ownership: Ownership::from_code(&d.institution.ownership_code),
                    };
                    policy::allows(&actor, Action::ViewRequest, &target)
                })
                .map(|r| r.id.clone())
                .collect();
            (listed, allowed)
        });
        assert!(!allowed.is_empty(), "{email} sees something in the demo");
        assert_eq!(listed, allowed, "{email}");
    }
}

#[tokio::test]
async fn the_wrong_person_at_every_url_gets_403_or_404_and_changes_nothing() {
    let app = spawn_app().await;
    let (kommunal, _) = app.pending(PLADS_SERVICE, "G10201");
    let (selvejende, _) = app.pending(APP_SERVICE, "G10602");
    let agreement: String = app.with_db(|c| {
        use diesel::prelude::*;
        use tilslutning::db::schema::agreements::dsl::*;
        agreements
            .filter(institution_number.eq("G10401"))
            .filter(status.eq("active"))
            .select(id)
            .first(c)
            .expect("agreement")
    });
    let audit_before = app.count("audit_log");
    let requests_before = app.count("requests");

    let decide = |id: &str| format!("/requests/{id}/decision");
    let withdraw = |id: &str| format!("/requests/{id}/withdraw");
    let approve: &[(&str, &str)] = &[("decision", "approve"), ("scopes", "STAMDATA")];
    let revoke: &[(&str, &str)] = &[("reason", "x")];
    let cases: Vec<UrlCase<'_>> = vec![
        // Another supplier: the first supplier's things do not exist for them.
        (
            OTHER_SUPPLIER,
            "GET",
            format!("/requests/{kommunal}"),
            &[],
            StatusCode::NOT_FOUND,
        ),
        (
            OTHER_SUPPLIER,
            "POST",
            withdraw(&kommunal),
            &[],
            StatusCode::NOT_FOUND,
        ),
        (
            OTHER_SUPPLIER,
            "GET",
            format!("/agreements/{agreement}"),
            &[],
            StatusCode::NOT_FOUND,
        ),
        (
            OTHER_SUPPLIER,
            "POST",
            format!("/agreements/{agreement}/terminate"),
            &[],
            StatusCode::NOT_FOUND,
        ),
        (
            OTHER_SUPPLIER,
            "GET",
            "/inbox".into(),
            &[],
            StatusCode::FORBIDDEN,
        ),
        // The supplier may not decide or revoke.
        (
            SUPPLIER,
            "POST",
            decide(&kommunal),
            approve,
            StatusCode::FORBIDDEN,
        ),
        (
            SUPPLIER,
            "POST",
            format!("/agreements/{agreement}/revoke"),
            revoke,
            StatusCode::FORBIDDEN,
        ),
        (
            SUPPLIER,
            "POST",
            "/inbox/decide".into(),
            &[("ids", "x"), ("decision", "approve")],
            StatusCode::FORBIDDEN,
        ),
        // The officer may not act for the supplier, nor decide for a self-governing unit.
        (
            OFFICER,
            "POST",
            withdraw(&kommunal),
            &[],
            StatusCode::FORBIDDEN,
        ),
        (
            OFFICER,
            "POST",
            format!("/agreements/{agreement}/terminate"),
            &[],
            StatusCode::FORBIDDEN,
        ),
        (
            OFFICER,
            "POST",
            decide(&selvejende),
            approve,
            StatusCode::FORBIDDEN,
        ),
        (
            OFFICER,
            "GET",
            "/requests/new".into(),
            &[],
            StatusCode::FORBIDDEN,
        ),
        (
            OFFICER,
            "POST",
            "/requests".into(),
            &[("service_id", PLADS_SERVICE)],
            StatusCode::FORBIDDEN,
        ),
        // Staff see only their own institutions.
        (
            STAFF,
            "GET",
            format!("/requests/{kommunal}"),
            &[],
            StatusCode::NOT_FOUND,
        ),
        (
            STAFF,
            "POST",
            decide(&kommunal),
            approve,
            StatusCode::NOT_FOUND,
        ),
        (
            STAFF,
            "POST",
            format!("/agreements/{agreement}/revoke"),
            revoke,
            StatusCode::NOT_FOUND,
        ),
        // Operators and auditors read, never act.
        (
            OPERATOR,
            "GET",
            format!("/requests/{kommunal}"),
            &[],
            StatusCode::OK,
        ),
        (
            OPERATOR,
            "POST",
            decide(&kommunal),
            approve,
            StatusCode::FORBIDDEN,
        ),
        (
            OPERATOR,
            "POST",
            withdraw(&kommunal),
            &[],
            StatusCode::FORBIDDEN,
        ),
        (
            OPERATOR,
            "POST",
            format!("/agreements/{agreement}/revoke"),
            revoke,
            StatusCode::FORBIDDEN,
        ),
        (OPERATOR, "GET", "/inbox".into(), &[], StatusCode::FORBIDDEN),
        (
            AUDITOR,
            "GET",
            format!("/agreements/{agreement}"),
            &[],
            StatusCode::OK,
        ),
        (
            AUDITOR,
            "POST",
            decide(&kommunal),
            approve,
            StatusCode::FORBIDDEN,
        ),
        (
            AUDITOR,
            "POST",
            format!("/agreements/{agreement}/terminate"),
            &[],
            StatusCode::FORBIDDEN,
        ),
        // Guessed ids.
        (
            OFFICER,
            "GET",
            "/requests/00000000-0000-0000-0000-000000000000".into(),
            &[],
            StatusCode::NOT_FOUND,
        ),
        (
            OFFICER,
            "POST",
            decide("00000000-0000-0000-0000-000000000000"),
            approve,
            StatusCode::NOT_FOUND,
        ),
        // Shared mailboxes and the approver list: staff and officers, each their own.
        (
            SUPPLIER,
            "GET",
            "/mailboxes".into(),
            &[],
            StatusCode::FORBIDDEN,
        ),
        (
            AUDITOR,
            "GET",
            "/mailboxes".into(),
            &[],
            StatusCode::FORBIDDEN,
        ),
        (
            OPERATOR,
            "GET",
            "/mailboxes".into(),
            &[],
            StatusCode::FORBIDDEN,
        ),
        (
            STAFF,
            "POST",
            "/mailboxes".into(),
            &[
                ("owner", "municipality:101"),
                ("email", "x@example.dk"),
                ("kinds", "new_requests"),
            ],
            StatusCode::FORBIDDEN,
        ),
        (
            OFFICER,
            "POST",
            "/mailboxes".into(),
            &[
                ("owner", "institution:G10601"),
                ("email", "x@example.dk"),
                ("kinds", "new_requests"),
            ],
            StatusCode::FORBIDDEN,
        ),
        (
            SUPPLIER,
            "GET",
            "/approvers".into(),
            &[],
            StatusCode::FORBIDDEN,
        ),
        (
            AUDITOR,
            "GET",
            "/approvers".into(),
            &[],
            StatusCode::FORBIDDEN,
        ),
    ];
    for (email, method, path, fields, want) in cases {
        let session = app.login_as(email).await;
        let page = if method == "GET" {
            session.get(&path).await
        } else {
            session.post(&path, fields).await
        };
        assert_eq!(page.status, want, "{email} {method} {path}");
    }
    let logins = app.count("sessions");
    assert_eq!(app.count("requests"), requests_before);
    assert_eq!(
        app.count("audit_log"),
        audit_before + logins,
        "only the logins were recorded"
    );
    assert_eq!(
        app.request_status(&app.pending(PLADS_SERVICE, "G10201").1),
        "pending"
    );
}

#[test]
fn delegations_grant_deciding_and_only_that() {
    use tilslutning::domain::policy::{Covers, Grant, delegation_used};
    let selvejende = Target {
        supplier_id: "s1",
        institution_number: "G10601",
        municipality_code: "101",
        ownership: Some(Ownership::SelfGoverning),
    };
    let officer = Actor {
        user_id: "o".into(),
        roles: vec![RoleAssignment::municipal(Role::MunicipalOfficer, "101")],
        ..Actor::default()
    };
    assert!(!policy::allows(
        &officer,
        Action::DecideRequest,
        &selvejende
    ));
    let delegated = Actor {
        grants: vec![Grant {
            delegation: "fuldmagt fra G10601".into(),
            covers: Covers::Institution {
                number: "G10601".into(),
                municipality: "101".into(),
            },
        }],
        ..officer.clone()
    };
    for action in Action::ALL {
        // The mailbox and approver-list rights are the officer's own role's, not the grant's.
        let want = matches!(
            action,
            Action::ViewRequest
                | Action::ViewAgreement
                | Action::DecideRequest
                | Action::RevokeAgreement
                | Action::SuspendAgreement
                | Action::ResumeAgreement
                | Action::ManageMunicipalMailboxes
                | Action::ViewApprovers
        );
        assert_eq!(
            policy::allows(&delegated, action, &selvejende),
            want,
            "{action:?}"
        );
    }
    assert_eq!(
        delegation_used(&delegated, Action::DecideRequest, &selvejende).as_deref(),
        Some("fuldmagt fra G10601")
    );
    let other = Target {
        institution_number: "G10602",
        ..selvejende.clone()
    };
    assert!(
        !policy::allows(&delegated, Action::DecideRequest, &other),
        "only the delegated institution"
    );

    // A colleague with no role of their own decides what the officer decides.
    let colleague = Actor {
        user_id: "c".into(),
        roles: vec![],
        grants: vec![Grant {
            delegation: "vikar".into(),
            covers: Covers::OfficerOf("101".into()),
        }],
        permits: None,
    };
    let kommunal = Target {
        ownership: Some(Ownership::Municipal),
        institution_number: "G10101",
        ..selvejende.clone()
    };
    assert!(policy::allows(&colleague, Action::DecideRequest, &kommunal));
    assert!(!policy::allows(
        &colleague,
        Action::DecideRequest,
        &selvejende
    ));
    assert!(!policy::allows(
        &colleague,
        Action::DecideRequest,
        &Target {
            municipality_code: "147",
            ..kommunal.clone()
        }
    ));
    assert!(!policy::allows(
        &colleague,
        Action::WithdrawRequest,
        &kommunal
    ));
    for action in [
        Action::ManageMunicipalMailboxes,
        Action::ManageInstitutionMailboxes,
        Action::ViewApprovers,
    ] {
        assert!(
            !policy::allows(&colleague, action, &kommunal),
            "a delegation gives no {action:?}"
        );
    }
    assert_eq!(
        delegation_used(&colleague, Action::DecideRequest, &kommunal).as_deref(),
        Some("vikar")
    );
}

/// Every role as the delegate × every kind of delegation: only a municipal officer of the
/// delegation's municipality may act under it — never a supplier user, an auditor, an
/// operator or institution staff as such, nor an officer elsewhere.
#[test]
fn every_role_as_delegate_of_every_delegation_kind() {
    use tilslutning::domain::policy::{DelegationKind, may_act_under_delegation};
    let delegates: Vec<(&str, Vec<RoleAssignment>, bool)> = vec![
        ("nobody", vec![], false),
        (
            "supplier admin",
            vec![RoleAssignment::supplier(Role::SupplierAdmin, "s1")],
            false,
        ),
        (
            "supplier user",
            vec![RoleAssignment::supplier(Role::SupplierUser, "s1")],
            false,
        ),
        (
            "officer here",
            vec![RoleAssignment::municipal(Role::MunicipalOfficer, "101")],
            true,
        ),
        (
            "officer elsewhere",
            vec![RoleAssignment::municipal(Role::MunicipalOfficer, "147")],
            false,
        ),
        ("staff", vec![RoleAssignment::institution("G10601")], false),
        (
            "operator",
            vec![RoleAssignment::portal(Role::Operator)],
            false,
        ),
        (
            "auditor here",
            vec![RoleAssignment::municipal(Role::Auditor, "101")],
            false,
        ),
        (
            "auditor of the portal",
            vec![RoleAssignment::portal(Role::Auditor)],
            false,
        ),
        (
            "operator who is also an officer here",
            vec![
                RoleAssignment::portal(Role::Operator),
                RoleAssignment::municipal(Role::MunicipalOfficer, "101"),
            ],
            true,
        ),
    ];
    let mut checked = 0;
    for kind in DelegationKind::ALL {
        assert_eq!(DelegationKind::parse(kind.as_str()), Some(kind));
        for (who, roles, want) in &delegates {
            assert_eq!(
                may_act_under_delegation(kind, "101", roles),
                *want,
                "{who} under {kind:?}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 20);
}

/// Tokens in the matrix: who may make or revoke each kind, and what a token made by each
/// role may do through each permission, against every action and relation — never more
/// than the role itself may in the browser.
#[test]
fn tokens_reach_no_further_than_the_roles_behind_them() {
    use tilslutning::domain::api_token::{Behind, Permission, TokenKind, token_actor};
    let mut checked = 0;
    for role in Role::ALL {
        let roles = vec![assignment(role, Relation::Own)];
        let person = Actor {
            user_id: "u".into(),
            roles: roles.clone(),
            ..Actor::default()
        };
        for kind in TokenKind::ALL {
            let may_make = policy::may_manage_token(&person, kind, Some("s1"), None);
            let expected = match kind {
                TokenKind::AccessCheck | TokenKind::Operator => role == Role::Operator,
                TokenKind::Supplier => role == Role::SupplierAdmin,
                TokenKind::Approver => {
                    matches!(role, Role::MunicipalOfficer | Role::InstitutionStaff)
                }
            };
            assert_eq!(may_make, expected, "{role:?} making a {kind:?} token");
            assert!(
                !policy::may_manage_token(&person, kind, Some("s2"), Some("someone-else"))
                    || matches!(kind, TokenKind::AccessCheck | TokenKind::Operator),
                "{role:?} revoking another's {kind:?} token"
            );
            for permission in Permission::ALL {
                let behind = Behind {
                    user_id: "u",
                    roles: &roles,
                    grants: &[],
                };
                let Some(actor) = token_actor(kind, Some("s1"), &[permission], behind) else {
                    continue;
                };
                assert!(
                    !policy::may_manage_token(&actor, kind, Some("s1"), Some("u")),
                    "a token never makes or revokes tokens"
                );
                for action in Action::ALL {
                    for relation in [Relation::Own, Relation::Other] {
                        for ownership in Ownership::ALL {
                            let (supplier, municipality, institution) = match relation {
                                Relation::Own => ("s1", "101", "G10001"),
                                Relation::Other => ("s2", "147", "G20001"),
                            };
                            let target = Target {
                                supplier_id: supplier,
                                institution_number: institution,
                                municipality_code: municipality,
                                ownership: Some(ownership),
                            };
                            let by_token = policy::allows(&actor, action, &target);
                            if by_token {
                                assert!(
                                    policy::allows(&person, action, &target),
                                    "a {kind:?} token of a {role:?} with {permission:?} may {action:?} where its maker may not"
                                );
                            }
                            checked += 1;
                        }
                    }
                }
            }
        }
    }
    assert!(checked > 500, "{checked}");
}

/// The supplier's account and the operators' administration in the matrix: every role
/// and relation against each administration right, and what a token carries of them.
#[test]
fn a_suppliers_account_is_run_by_its_admins_and_the_catalogue_by_operators() {
    use tilslutning::domain::api_token::{Behind, Permission, TokenKind, token_actor};
    for role in Role::ALL {
        for relation in [Relation::Own, Relation::Other] {
            let person = Actor {
                user_id: "u".into(),
                roles: vec![assignment(role, relation)],
                ..Actor::default()
            };
            let own_admin = role == Role::SupplierAdmin && relation == Relation::Own;
            let operator = role == Role::Operator;
            assert_eq!(
                policy::may_manage_services(&person, "s1"),
                own_admin || operator,
                "{role:?} {relation:?} services"
            );
            assert_eq!(
                policy::may_manage_colleagues(&person, "s1"),
                own_admin,
                "{role:?} {relation:?} colleagues"
            );
            assert_eq!(
                policy::may_read_supplier_activity(&person, "s1"),
                own_admin || operator,
                "{role:?} {relation:?} activity"
            );
            assert_eq!(
                policy::administers_catalogue(&person),
                operator,
                "{role:?} catalogue"
            );
            assert_eq!(policy::administers_suppliers(&person), operator);
            assert_eq!(policy::administers_scopes(&person), operator);
        }
        // A supplier token administers only when made with `administer` by an admin.
        let roles = vec![assignment(role, Relation::Own)];
        for permission in Permission::ALL {
            let behind = Behind {
                user_id: "u",
                roles: &roles,
                grants: &[],
            };
            for kind in TokenKind::ALL {
                let Some(actor) = token_actor(kind, Some("s1"), &[permission], behind.clone())
                else {
                    continue;
                };
                let own_admin = kind == TokenKind::Supplier
                    && permission == Permission::Administer
                    && role == Role::SupplierAdmin;
                // An operator's token made for suppliers runs any supplier's services.
                let keeps_suppliers = kind == TokenKind::Operator
                    && permission == Permission::Suppliers
                    && role == Role::Operator;
                let keeps_scopes = kind == TokenKind::Operator
                    && permission == Permission::Scopes
                    && role == Role::Operator;
                assert_eq!(
                    policy::may_manage_services(&actor, "s1"),
                    own_admin || keeps_suppliers,
                    "{kind:?} token of {role:?} with {permission:?}"
                );
                assert_eq!(policy::may_manage_colleagues(&actor, "s1"), own_admin);
                assert_eq!(policy::may_manage_services(&actor, "s2"), keeps_suppliers);
                assert!(!policy::may_read_supplier_activity(&actor, "s1") || own_admin);
                assert_eq!(policy::administers_suppliers(&actor), keeps_suppliers);
                assert_eq!(policy::administers_scopes(&actor), keeps_scopes);
                assert!(
                    !policy::maintains_register(&actor) && policy::audit_scope(&actor).is_empty(),
                    "no token reads the log or keeps the register"
                );
            }
        }
    }
}
