//! Demo data for trying the portal on the embedded defaults: a register of a few
//! hundred institutions across six municipalities (every level, type and ownership,
//! some closed, some A-numbers mapped to G-numbers), three verified suppliers with services
//! and one the operators have not verified yet (it may not file),
//! one account per role and requests in every state. Loading twice changes nothing,
//! except that a set `TILSLUTNING_DEMO_PASSWORD` resets the demo accounts' password.

use std::fmt;

use anyhow::Context;
use diesel::prelude::*;
use rand::Rng;
use time::{Date, Duration};

use crate::auth::password;
use crate::db::audit::Caller;
use crate::db::catalog::{Service, Supplier};
use crate::db::register::Institution;
use crate::db::requests::{self, Decision, FileCommand};
use crate::db::schema::{institutions, services, suppliers};
use crate::db::{self, DbConnection, agreements};
use crate::domain::request_form::RequestDraft;
use crate::domain::{
    AgreementStatus, InstitutionNumber, Reason, Role, RoleAssignment, SystemReason,
};

/// (municipality code, digit used in its demo numbers)
const MUNICIPALITIES: [(&str, char); 6] = [
    ("101", '1'),
    ("147", '2'),
    ("751", '3'),
    ("461", '4'),
    ("851", '5'),
    ("860", '6'),
];
const KLYNGE_NAMES: [&str; 8] = [
    "Solsikken",
    "Mælkebøtten",
    "Regnbuen",
    "Skovbrynet",
    "Troldehøj",
    "Bakkehuset",
    "Havmågen",
    "Egetræet",
];
const UNIT_KINDS: [(&str, &str); 4] = [
    ("101", "Vuggestuen"),
    ("102", "Børnehaven"),
    ("103", "Aldersintegreret"),
    ("104", "Fritidshjemmet"),
];

pub const SUPPLIER_EMAIL: &str = "leverandoer@demo.tilslutning.dk";
pub const OFFICER_EMAIL: &str = "kommune@demo.tilslutning.dk";
pub const STAFF_EMAIL: &str = "selvejende@demo.tilslutning.dk";
pub const OPERATOR_EMAIL: &str = "drift@demo.tilslutning.dk";
pub const AUDITOR_EMAIL: &str = "revisor@demo.tilslutning.dk";
const SECOND_SUPPLIER_EMAIL: &str = "laering@demo.tilslutning.dk";
/// The admin of the supplier the operators have not verified yet (it may not file).
pub const UNVERIFIED_SUPPLIER_EMAIL: &str = "nystartet@demo.tilslutning.dk";
pub const UNVERIFIED_SUPPLIER: &str = "demo-supplier-4";

/// The demo officer's municipality, and the self-governing klynge whose staff the demo has.
pub const OFFICER_MUNICIPALITY: &str = "101";
pub const SELF_GOVERNING_UNITS: [&str; 4] = ["G10601", "G10602", "G10603", "G10604"];

pub struct Outcome {
    pub created: bool,
    pub password: Option<String>,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.created, &self.password) {
            (true, Some(pw)) | (false, Some(pw)) => {
                writeln!(f, "Demo data is loaded. Demo accounts (password: {pw}):")?;
                for (email, role) in accounts() {
                    writeln!(
                        f,
                        "  {email:<36} {}",
                        crate::i18n::Language::Danish.texts().role(role)
                    )?;
                }
                Ok(())
            }
            (false, None) => write!(
                f,
                "Demo data was already loaded; its password was printed then. \
                 Set TILSLUTNING_DEMO_PASSWORD and load again to reset it."
            ),
            (true, None) => write!(f, "Demo data is loaded."),
        }
    }
}

fn accounts() -> [(&'static str, Role); 5] {
    [
        (SUPPLIER_EMAIL, Role::SupplierAdmin),
        (OFFICER_EMAIL, Role::MunicipalOfficer),
        (STAFF_EMAIL, Role::InstitutionStaff),
        (OPERATOR_EMAIL, Role::Operator),
        (AUDITOR_EMAIL, Role::Auditor),
    ]
}

fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    let mut part = || {
        (0..5)
            .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
            .collect::<String>()
    };
    format!("demo-{}-{}-{}", part(), part(), part())
}

pub fn load(
    conn: &mut DbConnection,
    password: Option<&str>,
    a_number_cutoff: Date,
) -> anyhow::Result<Outcome> {
    let already: i64 = suppliers::table
        .filter(suppliers::cvr.eq("12345678"))
        .count()
        .get_result(conn)?;
    if already > 0 {
        if let Some(pw) = password {
            let hash = password::hash(pw)?;
            for (email, _) in accounts() {
                db::users::upsert(conn, email, "", Some(&hash))?;
            }
        }
        return Ok(Outcome {
            created: false,
            password: password.map(str::to_string),
        });
    }
    let password = password.map(str::to_string).unwrap_or_else(random_password);
    let hash = password::hash(&password)?;
    db::write_tx(conn, |conn| -> anyhow::Result<()> {
        insert_register(conn)?;
        insert_suppliers(conn)?;
        insert_accounts(conn, &hash)?;
        insert_mailboxes(conn)?;
        Ok(())
    })?;
    db::write_tx(conn, |conn| insert_requests(conn, a_number_cutoff))
        .context("filing demo requests")?;
    Ok(Outcome {
        created: true,
        password: Some(password),
    })
}

fn unit(
    number: String,
    name: String,
    parent: Option<&str>,
    kind: &str,
    ownership: &str,
    municipality: &str,
) -> Institution {
    let legal_basis = match ownership {
        "1" => "DTL19-2",
        "2" => "DTL19-3",
        "3" => "DTL19-5",
        _ => "DTL19-4",
    };
    Institution {
        email: Some(format!("{}@demo-institution.dk", number.to_lowercase())),
        name,
        level: if kind == "107" {
            "daginstitution"
        } else {
            "anvisningsenhed"
        }
        .into(),
        parent_number: parent.map(str::to_string),
        inst_type_code: kind.into(),
        ownership_code: ownership.into(),
        legal_basis_code: Some(legal_basis.into()),
        municipality_code: municipality.into(),
        cvr: Some(format!(
            "3{}",
            &format!("{:0>7}", number[1..].to_string() + "0")[..7]
        )),
        p_number: None,
        street: Some(format!("Demovej {}", &number[3..])),
        postal_code: None,
        city: None,
        phone: None,
        status: "active".into(),
        closed_on: None,
        replaced_by: None,
        number,
    }
}

/// The demo register, deterministic. Per municipality (digit m): klynger `Gmkk00` with
/// units `Gmkk01`–`Gmkk04` (klynge 06 selvejende, 07 privat, 08 udliciteret, the rest
/// kommunal), a dagpleje area `Gm9001`, a fritidsklub `Gm9101`, schools `CCC001`–`CCC008`,
/// A-numbers `Am01uu` mapped to `Gm01uu`, `Am9999` with no G-number, and closures.
pub fn register() -> Vec<Institution> {
    let mut all = Vec::new();
    for (code, m) in MUNICIPALITIES {
        for (k, name) in KLYNGE_NAMES.iter().enumerate() {
            let kk = k + 1;
            let ownership = match kk {
                6 => "2",
                7 => "3",
                8 => "4",
                _ => "1",
            };
            let klynge = format!("G{m}{kk:02}00");
            all.push(unit(
                klynge.clone(),
                format!("Daginstitution {name}"),
                None,
                "107",
                ownership,
                code,
            ));
            for (u, (kind, label)) in UNIT_KINDS.iter().enumerate() {
                let number = format!("G{m}{kk:02}{:02}", u + 1);
                all.push(unit(
                    number,
                    format!("{label} {name}"),
                    Some(&klynge),
                    kind,
                    ownership,
                    code,
                ));
            }
        }
        all.push(unit(
            format!("G{m}9001"),
            "Dagplejen, område Nord".into(),
            None,
            "106",
            "1",
            code,
        ));
        all.push(unit(
            format!("G{m}9101"),
            "Fritidsklubben Ungehuset".into(),
            None,
            "105",
            "1",
            code,
        ));
        for s in 1..=8 {
            let mut school = unit(
                format!("{code}{s:03}"),
                format!("{} Skole", KLYNGE_NAMES[s - 1]),
                None,
                "1012",
                "1",
                code,
            );
            school.level = "skole".into();
            school.legal_basis_code = Some("FSL".into());
            if s == 8 {
                school.inst_type_code = "1015".into();
                school.ownership_code = "3".into();
                school.legal_basis_code = Some("FRL".into());
                school.name = "Egetræets Friskole".into();
            }
            all.push(school);
        }
        for u in 1..=2 {
            let mut legacy = unit(
                format!("A{m}01{u:02}"),
                format!("{} Solsikken (gammelt nummer)", UNIT_KINDS[u - 1].1),
                None,
                UNIT_KINDS[u - 1].0,
                "1",
                code,
            );
            legacy.replaced_by = Some(format!("G{m}01{u:02}"));
            all.push(legacy);
        }
        all.push(unit(
            format!("A{m}9999"),
            "Naturbørnehaven (uden G-nummer)".into(),
            None,
            "102",
            "1",
            code,
        ));
    }
    let closing_day = time::macros::date!(2025 - 08 - 01);
    for inst in all.iter_mut() {
        if inst.number.ends_with("0304") {
            inst.status = "closed".into();
            inst.closed_on = Some(closing_day);
            inst.replaced_by = Some(format!("{}0401", &inst.number[..2]));
        } else if inst.number.ends_with("0503") {
            inst.status = "closed".into();
            inst.closed_on = Some(closing_day);
        }
    }
    all
}

fn insert_register(conn: &mut DbConnection) -> anyhow::Result<()> {
    let all = register();
    // Parents first, so the parent reference always resolves.
    let (klynger, rest): (Vec<_>, Vec<_>) =
        all.into_iter().partition(|i| i.parent_number.is_none());
    for institution in klynger.iter().chain(rest.iter()) {
        diesel::insert_into(institutions::table)
            .values(institution)
            .execute(conn)?;
    }
    Ok(())
}

pub fn demo_suppliers() -> Vec<(Supplier, Vec<Service>)> {
    let now = db::now();
    let supplier = |id: &str, name: &str, cvr: &str| Supplier {
        id: id.into(),
        name: name.into(),
        cvr: cvr.into(),
        verified: true,
        created_at: now,
    };
    let service = |id: &str, supplier_id: &str, name: &str, description: &str| Service {
        id: id.into(),
        supplier_id: supplier_id.into(),
        name: name.into(),
        description: description.into(),
        website: Some("https://example.org".into()),
        privacy_url: Some("https://example.org/privatliv".into()),
        contact_email: Some(format!("{}@example.org", id)),
        status: "active".into(),
        created_at: now,
    };
    vec![
        (
            supplier("demo-supplier-1", "Børneportalen A/S", "12345678"),
            vec![
                service(
                    "demo-service-app",
                    "demo-supplier-1",
                    "Børneportalen Forældreapp",
                    "Kommunikation mellem dagtilbud og forældre.",
                ),
                service(
                    "demo-service-plads",
                    "demo-supplier-1",
                    "Børneportalen Pladsanvisning",
                    "Pladsanvisning, venteliste og takster.",
                ),
            ],
        ),
        (
            supplier("demo-supplier-2", "Læringsplatformen ApS", "23456789"),
            vec![service(
                "demo-service-laering",
                "demo-supplier-2",
                "Læringsportalen",
                "Læringsforløb og dokumentation.",
            )],
        ),
        (
            supplier("demo-supplier-3", "Kommunedata Systemer A/S", "34567890"),
            vec![service(
                "demo-service-oekonomi",
                "demo-supplier-3",
                "Takstberegning",
                "Beregning af takster og friplads.",
            )],
        ),
        (
            Supplier {
                verified: false,
                ..supplier(UNVERIFIED_SUPPLIER, "Nystartet Software ApS", "45678903")
            },
            vec![service(
                "demo-service-nystartet",
                UNVERIFIED_SUPPLIER,
                "Fremmødeappen",
                "Registrering af fremmøde og afhentning.",
            )],
        ),
    ]
}

fn insert_suppliers(conn: &mut DbConnection) -> anyhow::Result<()> {
    for (supplier, services_of) in demo_suppliers() {
        diesel::insert_into(suppliers::table)
            .values(&supplier)
            .execute(conn)?;
        for service in &services_of {
            diesel::insert_into(services::table)
                .values(service)
                .execute(conn)?;
        }
    }
    Ok(())
}

/// København's shared daycare mailbox, which gets the municipality's request mail too.
pub const MUNICIPAL_MAILBOX: &str = "dagtilbud-sager@koebenhavn.example.dk";

/// The shared mailbox of the self-governing unit G10601, which receives new requests and
/// outcomes but no reminders.
pub const INSTITUTION_MAILBOX: &str = "kontor@g10601.example.dk";

fn insert_mailboxes(conn: &mut DbConnection) -> anyhow::Result<()> {
    use crate::db::schema::notification_addresses as na;
    diesel::insert_into(na::table)
        .values((
            na::id.eq(db::new_id()),
            na::municipality_code.eq(OFFICER_MUNICIPALITY),
            na::email.eq(MUNICIPAL_MAILBOX),
            na::created_at.eq(db::now()),
            na::label.eq("Kommunens sagssystem"),
        ))
        .execute(conn)?;
    diesel::insert_into(na::table)
        .values((
            na::id.eq(db::new_id()),
            na::institution_number.eq(SELF_GOVERNING_UNITS[0]),
            na::email.eq(INSTITUTION_MAILBOX),
            na::created_at.eq(db::now()),
            na::label.eq("Kontorets fælles indbakke"),
            na::reminders.eq(false),
        ))
        .execute(conn)?;
    Ok(())
}

fn insert_accounts(conn: &mut DbConnection, hash: &str) -> anyhow::Result<()> {
    let people: [(&str, &str, Vec<RoleAssignment>); 6] = [
        (
            SUPPLIER_EMAIL,
            "Lene Leverandør",
            vec![RoleAssignment::supplier(
                Role::SupplierAdmin,
                "demo-supplier-1",
            )],
        ),
        (
            SECOND_SUPPLIER_EMAIL,
            "Lars Læring",
            vec![RoleAssignment::supplier(
                Role::SupplierAdmin,
                "demo-supplier-2",
            )],
        ),
        (
            OFFICER_EMAIL,
            "Karin Kommune",
            vec![RoleAssignment::municipal(
                Role::MunicipalOfficer,
                OFFICER_MUNICIPALITY,
            )],
        ),
        (
            STAFF_EMAIL,
            "Sofie Selvejende",
            SELF_GOVERNING_UNITS
                .iter()
                .map(|n| RoleAssignment::institution(n))
                .collect(),
        ),
        (
            OPERATOR_EMAIL,
            "Dorte Drift",
            vec![RoleAssignment::portal(Role::Operator)],
        ),
        (
            AUDITOR_EMAIL,
            "Rasmus Revisor",
            vec![RoleAssignment::municipal(
                Role::Auditor,
                OFFICER_MUNICIPALITY,
            )],
        ),
    ];
    for (email, name, roles) in people {
        let id = db::users::upsert(conn, email, name, Some(hash))?;
        for role in roles {
            db::users::grant(conn, &id, &role)?;
        }
    }
    let id = db::users::upsert(
        conn,
        UNVERIFIED_SUPPLIER_EMAIL,
        "Nikolaj Nystartet",
        Some(hash),
    )?;
    db::users::grant(
        conn,
        &id,
        &RoleAssignment::supplier(Role::SupplierAdmin, UNVERIFIED_SUPPLIER),
    )?;
    Ok(())
}

fn caller_for(conn: &mut DbConnection, email: &str, role: Role) -> anyhow::Result<Caller> {
    let user = db::users::find_by_email(conn, email)?.context("demo account missing")?;
    Ok(Caller {
        user_id: Some(user.id),
        role: Some(role.as_str().into()),
        ..Caller::default()
    })
}

fn draft(service_id: &str, scopes: &[&str], numbers: &[&str], purpose: &str) -> RequestDraft {
    let today = db::now().date();
    RequestDraft {
        service_id: service_id.into(),
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
        purpose: purpose.into(),
        sensitive_reason: scopes
            .contains(&"CPR")
            .then(|| "CPR-nummeret bruges til at matche børn med pladsanvisningen.".into()),
        wished_start: today + Duration::days(14),
        wished_end: None,
        message: Some("Vi ser frem til samarbejdet.".into()),
        numbers: numbers
            .iter()
            .enumerate()
            .filter_map(|(i, n)| InstitutionNumber::parse(n).ok().map(|n| (i + 1, n)))
            .collect(),
    }
}

/// Files the demo requests through the real use cases, then decides some of them.
fn insert_requests(conn: &mut DbConnection, a_number_cutoff: Date) -> anyhow::Result<()> {
    let supplier = caller_for(conn, SUPPLIER_EMAIL, Role::SupplierAdmin)?;
    let learning = caller_for(conn, SECOND_SUPPLIER_EMAIL, Role::SupplierAdmin)?;
    let officer = caller_for(conn, OFFICER_EMAIL, Role::MunicipalOfficer)?;
    let staff = caller_for(conn, STAFF_EMAIL, Role::InstitutionStaff)?;
    let today = db::now().date();
    let file = |conn: &mut DbConnection, caller: &Caller, supplier_id: &str, d: RequestDraft| {
        let cmd = FileCommand {
            supplier_id: supplier_id.into(),
            draft: d,
            today,
            a_number_cutoff,
        };
        requests::file(conn, caller, &cmd).map_err(|e| anyhow::anyhow!("{e:?}"))
    };
    let app = "demo-service-app";
    let plads = "demo-service-plads";
    // A klynge number: one pending request per unit (a batch).
    file(
        conn,
        &supplier,
        "demo-supplier-1",
        draft(
            app,
            &["STAMDATA", "BOERN", "FORAELDRE", "UNILOGIN"],
            &["G10100"],
            "Forældreappen skal vise stuer, beskeder og fremmøde.",
        ),
    )?;
    // Pending at the self-governing klynge and at schools.
    file(
        conn,
        &supplier,
        "demo-supplier-1",
        draft(
            app,
            &["STAMDATA", "BOERN", "FORAELDRE"],
            &["G10601", "G10602", "101001"],
            "Forældreappen til selvejende dagtilbud.",
        ),
    )?;
    file(
        conn,
        &supplier,
        "demo-supplier-1",
        draft(
            plads,
            &["STAMDATA", "INDMELDELSER", "CPR"],
            &["G10201", "G10202", "G10203"],
            "Pladsanvisning og venteliste.",
        ),
    )?;
    // Decided ones: approved (full and partial), rejected, withdrawn.
    let approve = file(
        conn,
        &supplier,
        "demo-supplier-1",
        draft(
            plads,
            &["STAMDATA", "INDMELDELSER"],
            &["G10401", "G10402", "G10601"],
            "Pladsanvisning for klyngen.",
        ),
    )?;
    let mut ids = approve.requests.iter().map(|r| r.0.clone());
    if let Some(id) = ids.next() {
        requests::decide(
            conn,
            &officer,
            &id,
            &Decision::Approve {
                scopes: vec!["STAMDATA".into(), "INDMELDELSER".into()],
                comment: None,
                refusal_reasons: Vec::new(),
            },
        )?;
    }
    if let Some(id) = ids.next() {
        requests::decide(
            conn,
            &officer,
            &id,
            &Decision::Approve {
                scopes: vec!["STAMDATA".into()],
                comment: None,
                refusal_reasons: vec![(
                    "INDMELDELSER".into(),
                    "Indmeldelser går gennem kommunens pladsanvisning, ikke institutionen.".into(),
                )],
            },
        )?;
    }
    if let Some(id) = ids.next() {
        requests::decide(
            conn,
            &staff,
            &id,
            &Decision::Approve {
                scopes: vec!["STAMDATA".into(), "INDMELDELSER".into()],
                comment: None,
                refusal_reasons: Vec::new(),
            },
        )?;
    }
    let reject = file(
        conn,
        &learning,
        "demo-supplier-2",
        draft(
            "demo-service-laering",
            &["STAMDATA", "BOERN", "CPR"],
            &["G10501", "G10603"],
            "Læringsforløb for de ældste børn.",
        ),
    )?;
    if let Some((id, ..)) = reject.requests.first() {
        requests::decide(
            conn,
            &officer,
            id,
            &Decision::Reject {
                reason: "CPR-numre er ikke nødvendige for læringsforløb.".into(),
            },
        )?;
    }
    let withdraw = file(
        conn,
        &supplier,
        "demo-supplier-1",
        draft(
            app,
            &["STAMDATA"],
            &["G10701"],
            "Forældreappen til private dagtilbud.",
        ),
    )?;
    if let Some((id, ..)) = withdraw.requests.first() {
        requests::withdraw(conn, &supplier, id)?;
    }
    let lapse = file(
        conn,
        &supplier,
        "demo-supplier-1",
        draft(app, &["STAMDATA"], &["G10502"], "Forældreappen."),
    )?;
    if let Some((id, ..)) = lapse.requests.first() {
        // As a register import would: the unit closes, its pending request lapses.
        diesel::update(institutions::table.find("G10502"))
            .set((
                institutions::status.eq("closed"),
                institutions::closed_on.eq(Some(today)),
            ))
            .execute(conn)?;
        requests::lapse(
            conn,
            &Caller::default(),
            id,
            &SystemReason::InstitutionClosed {
                number: "G10502".into(),
                successor: None,
            },
        )?;
    }
    // An agreement still on a legacy A-number, made before the cutoff.
    let legacy_cmd = FileCommand {
        supplier_id: "demo-supplier-2".into(),
        draft: draft(
            "demo-service-laering",
            &["STAMDATA"],
            &["A10101"],
            "Læringsforløb (gammel aftale).",
        ),
        today,
        a_number_cutoff: Date::MAX,
    };
    let legacy =
        requests::file(conn, &learning, &legacy_cmd).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    if let Some((id, ..)) = legacy.requests.first() {
        requests::decide(
            conn,
            &officer,
            id,
            &Decision::Approve {
                scopes: vec!["STAMDATA".into()],
                comment: None,
                refusal_reasons: Vec::new(),
            },
        )?;
    }
    // Agreements that ended: one terminated by the supplier, one revoked by the officer.
    let ended = file(
        conn,
        &supplier,
        "demo-supplier-1",
        draft(
            app,
            &["STAMDATA", "GRUPPER"],
            &["G10301", "G10402"],
            "Forældreappen, tidligere aftale.",
        ),
    )?;
    for (index, (id, ..)) in ended.requests.iter().enumerate() {
        let decided = requests::decide(
            conn,
            &officer,
            id,
            &Decision::Approve {
                scopes: vec!["STAMDATA".into(), "GRUPPER".into()],
                comment: None,
                refusal_reasons: Vec::new(),
            },
        );
        if let Ok(requests::Decided {
            agreement_id: Some(agreement),
            ..
        }) = decided
        {
            if index == 0 {
                agreements::end(
                    conn,
                    &supplier,
                    &agreement,
                    AgreementStatus::Terminated,
                    Reason::typed(Some("Tjenesten bruges ikke længere.")).as_ref(),
                )?;
            } else {
                agreements::end(
                    conn,
                    &officer,
                    &agreement,
                    AgreementStatus::Revoked,
                    Reason::typed(Some("Aftalen erstattes af en ny.")).as_ref(),
                )?;
            }
        }
    }
    // An extension waiting for the institution's staff: groups added to the agreement at
    // G10604 (it has master data and enrolments), shown as what it has and what is added.
    let base = file(
        conn,
        &supplier,
        "demo-supplier-1",
        draft(
            plads,
            &["STAMDATA", "INDMELDELSER"],
            &["G10604"],
            "Pladsanvisning og venteliste.",
        ),
    )?;
    if let Some((id, ..)) = base.requests.first() {
        requests::decide(conn, &staff, id, &Decision::ApproveAll { comment: None })?;
    }
    file(
        conn,
        &supplier,
        "demo-supplier-1",
        draft(
            plads,
            &["STAMDATA", "INDMELDELSER", "GRUPPER"],
            &["G10604"],
            "Pladsanvisning med stuer og grupper.",
        ),
    )?;
    agreement_lifecycle(conn, &file, &supplier, &officer, today)?;
    Ok(())
}

/// The agreement's later life: one agreement the institution side has put on hold ("sat
/// i bero"), and one that ends within 30 days (so its end reminders and renewal show).
fn agreement_lifecycle(
    conn: &mut DbConnection,
    file: &dyn Fn(
        &mut DbConnection,
        &Caller,
        &str,
        RequestDraft,
    ) -> anyhow::Result<requests::Filed>,
    supplier: &Caller,
    officer: &Caller,
    today: Date,
) -> anyhow::Result<()> {
    let mut on_hold = draft(
        "demo-service-app",
        &["STAMDATA", "GRUPPER"],
        &["G10501"],
        "Forældreappen til klyngens børnehave.",
    );
    on_hold.wished_start = today;
    let mut ending = draft(
        "demo-service-app",
        &["STAMDATA"],
        &["G10504"],
        "Forældreappen, prøveperiode.",
    );
    ending.wished_start = today;
    ending.wished_end = Some(today + Duration::days(20));
    for (index, d) in [on_hold, ending].into_iter().enumerate() {
        let scopes = d.scopes.clone();
        let wished_end = d.wished_end;
        let filed = file(conn, supplier, "demo-supplier-1", d)?;
        let Some((id, ..)) = filed.requests.first() else {
            continue;
        };
        let decided = requests::decide(
            conn,
            officer,
            id,
            &Decision::Approve {
                scopes,
                comment: None,
                refusal_reasons: Vec::new(),
            },
        )?;
        if let (1, Some(agreement), Some(ends)) = (index, &decided.agreement_id, wished_end) {
            // Its 30-day reminder goes out with the demo's own mail, as the worker would
            // have sent it, so a later sweep adds nothing until 7 days before the end.
            db::outbox::enqueue(
                conn,
                "agreements.ending",
                serde_json::json!({ "agreement_ids": [agreement], "days": 30 }),
            )?;
            db::end_reminders::mark_sent(conn, &[(agreement.clone(), ends)], &[30], db::now())?;
        }
        if let (0, Some(agreement)) = (index, decided.agreement_id) {
            db::agreement_pauses::suspend(
                conn,
                officer,
                &agreement,
                "Afventer ny databehandleraftale med leverandøren.",
            )
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        }
    }
    Ok(())
}
