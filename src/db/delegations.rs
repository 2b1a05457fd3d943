//! Delegations (fuldmagt): granting, revoking, listing, and the [`Grant`]s a person holds
//! today. A delegation is in force from `valid_from` through `valid_until` unless revoked;
//! it expires by itself, with no job to run.

use diesel::prelude::*;
use serde_json::json;
use time::{Date, PrimitiveDateTime};

use super::DbConnection;
use super::audit::{self, Caller, Entry};
use super::schema::{delegations, institutions, municipalities, users};
use crate::domain::policy::{Covers, DelegationKind, Grant, may_act_under_delegation};
use crate::domain::request_form::format_date;
use crate::domain::{Role, RoleAssignment};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = delegations)]
pub struct Delegation {
    pub id: String,
    pub kind: String,
    pub institution_number: Option<String>,
    pub municipality_code: String,
    pub granted_by: String,
    pub granted_to: Option<String>,
    pub valid_from: Date,
    pub valid_until: Date,
    pub created_at: PrimitiveDateTime,
    pub revoked_at: Option<PrimitiveDateTime>,
    pub revoked_by: Option<String>,
}

impl Delegation {
    /// How the delegation is named on decisions, receipts and in the audit log.
    pub fn describe(&self) -> String {
        let period = format!(
            "{}–{}",
            format_date(self.valid_from),
            format_date(self.valid_until)
        );
        match &self.institution_number {
            Some(n) if self.kind == "institution_to_municipality" => {
                format!(
                    "fuldmagt fra {n} til kommune {} ({period}, {})",
                    self.municipality_code, self.id
                )
            }
            _ => format!(
                "fuldmagt som kommunens dagtilbudsansvarlige i {} ({period}, {})",
                self.municipality_code, self.id
            ),
        }
    }

    /// The delegation's id within a text [`describe`](Self::describe) made, as decisions
    /// record the delegation they rest on.
    pub fn id_in_description(described: &str) -> Option<&str> {
        let (_, id) = described.strip_suffix(')')?.rsplit_once(", ")?;
        Some(id.trim()).filter(|id| !id.is_empty())
    }

    pub fn in_force(&self, today: Date) -> bool {
        self.revoked_at.is_none() && self.valid_from <= today && today <= self.valid_until
    }
}

/// What a recorded delegation was, for wording it in a reader's language: its kind, the
/// institution it came from (number, name), the municipality's name, who granted it and
/// its period.
#[derive(Debug, Clone)]
pub struct DelegationFacts {
    pub kind: DelegationKind,
    pub institution: Option<(String, String)>,
    pub municipality_name: String,
    pub granted_by_name: String,
    pub valid_from: Date,
    pub valid_until: Date,
}

/// The facts of the delegation a decision recorded (its [`Delegation::describe`] text);
/// none if the text names no delegation that exists.
pub fn facts_of_described(
    conn: &mut DbConnection,
    described: &str,
) -> QueryResult<Option<DelegationFacts>> {
    let Some(id) = Delegation::id_in_description(described) else {
        return Ok(None);
    };
    let found: Option<(Delegation, String, String)> = delegations::table
        .inner_join(users::table.on(users::id.eq(delegations::granted_by)))
        .inner_join(
            municipalities::table.on(municipalities::code.eq(delegations::municipality_code)),
        )
        .filter(delegations::id.eq(id))
        .select((
            Delegation::as_select(),
            users::display_name,
            municipalities::name,
        ))
        .first(conn)
        .optional()?;
    let Some((delegation, granted_by_name, municipality_name)) = found else {
        return Ok(None);
    };
    let Some(kind) = DelegationKind::parse(&delegation.kind) else {
        return Ok(None);
    };
    let institution = match &delegation.institution_number {
        Some(number) => {
            let name: Option<String> = institutions::table
                .find(number)
                .select(institutions::name)
                .first(conn)
                .optional()?;
            Some((number.clone(), name.unwrap_or_default()))
        }
        None => None,
    };
    Ok(Some(DelegationFacts {
        kind,
        institution,
        municipality_name,
        granted_by_name,
        valid_from: delegation.valid_from,
        valid_until: delegation.valid_until,
    }))
}

/// The rights a person holds today through delegations: institutions delegated to a
/// municipality they are an officer of, and officers' delegations to them — each only
/// while the person still holds the role the delegation presumes.
pub fn grants_for(
    conn: &mut DbConnection,
    user_id: &str,
    roles: &[RoleAssignment],
    today: Date,
) -> QueryResult<Vec<Grant>> {
    let municipalities: Vec<String> = roles
        .iter()
        .filter(|r| r.role == Role::MunicipalOfficer)
        .filter_map(|r| r.municipality_code.clone())
        .collect();
    // Either kind reaches only municipal officers (the policy's rule), so nobody else
    // needs to ask the database.
    if municipalities.is_empty() {
        return Ok(Vec::new());
    }
    let found: Vec<Delegation> = delegations::table
        .filter(delegations::revoked_at.is_null())
        .filter(delegations::valid_from.le(today))
        .filter(delegations::valid_until.ge(today))
        .filter(
            delegations::kind
                .eq(DelegationKind::InstitutionToMunicipality.as_str())
                .and(delegations::municipality_code.eq_any(&municipalities))
                .or(delegations::kind
                    .eq(DelegationKind::OfficerToColleague.as_str())
                    .and(delegations::granted_to.eq(user_id))),
        )
        .select(Delegation::as_select())
        .load(conn)?;
    Ok(found
        .into_iter()
        .filter_map(|d| {
            let kind = DelegationKind::parse(&d.kind)?;
            if !may_act_under_delegation(kind, &d.municipality_code, roles) {
                return None;
            }
            let covers = match (kind, &d.institution_number) {
                (DelegationKind::InstitutionToMunicipality, Some(n)) => Covers::Institution {
                    number: n.clone(),
                    municipality: d.municipality_code.clone(),
                },
                (DelegationKind::InstitutionToMunicipality, None) => return None,
                (DelegationKind::OfficerToColleague, _) => {
                    Covers::OfficerOf(d.municipality_code.clone())
                }
            };
            Some(Grant {
                delegation: d.describe(),
                covers,
            })
        })
        .collect())
}

/// What a new delegation covers.
pub enum NewDelegation {
    /// Staff of a (non-kommunal) institution let its municipality decide.
    InstitutionToMunicipality { institution_number: String },
    /// An officer lets a colleague decide for the municipality.
    OfficerToColleague {
        municipality_code: String,
        colleague_id: String,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum GrantError {
    #[error("the institution does not exist")]
    UnknownInstitution,
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// Gives a delegation. Runs inside the caller's [`write_tx`](super::write_tx), which has
/// asked the policy whether the person receiving it may act under it.
pub fn grant(
    conn: &mut DbConnection,
    caller: &Caller,
    new: NewDelegation,
    valid_from: Date,
    valid_until: Date,
) -> Result<String, GrantError> {
    let id = super::new_id();
    let (kind, institution, municipality, to) = match new {
        NewDelegation::InstitutionToMunicipality { institution_number } => {
            let municipality: String = institutions::table
                .find(&institution_number)
                .select(institutions::municipality_code)
                .first(conn)
                .optional()?
                .ok_or(GrantError::UnknownInstitution)?;
            (
                "institution_to_municipality",
                Some(institution_number),
                municipality,
                None,
            )
        }
        NewDelegation::OfficerToColleague {
            municipality_code,
            colleague_id,
        } => (
            "officer_to_colleague",
            None,
            municipality_code,
            Some(colleague_id),
        ),
    };
    diesel::insert_into(delegations::table)
        .values((
            delegations::id.eq(&id),
            delegations::kind.eq(kind),
            delegations::institution_number.eq(&institution),
            delegations::municipality_code.eq(&municipality),
            delegations::granted_by.eq(caller.user_id.clone().unwrap_or_default()),
            delegations::granted_to.eq(&to),
            delegations::valid_from.eq(valid_from),
            delegations::valid_until.eq(valid_until),
            delegations::created_at.eq(super::now()),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        caller,
        Entry {
            action: "delegation.granted",
            target_type: "delegation",
            target_id: &id,
            institution_number: institution.as_deref(),
            supplier_id: None,
            details: json!({ "kind": kind, "municipality_code": municipality, "granted_to": to,
            "valid_from": format_date(valid_from), "valid_until": format_date(valid_until) }),
        },
    )?;
    Ok(id)
}

pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Delegation>> {
    delegations::table
        .find(id)
        .select(Delegation::as_select())
        .first(conn)
        .optional()
}

/// Ends a delegation now; `false` if it was already revoked. Runs inside the caller's
/// [`write_tx`](super::write_tx).
pub fn revoke(conn: &mut DbConnection, caller: &Caller, id: &str) -> QueryResult<bool> {
    let changed = diesel::update(
        delegations::table
            .find(id)
            .filter(delegations::revoked_at.is_null()),
    )
    .set((
        delegations::revoked_at.eq(super::now()),
        delegations::revoked_by.eq(caller.user_id.as_deref()),
    ))
    .execute(conn)?;
    if changed == 1 {
        let institution: Option<String> = delegations::table
            .find(id)
            .select(delegations::institution_number)
            .first(conn)?;
        audit::record(
            conn,
            caller,
            Entry {
                action: "delegation.revoked",
                target_type: "delegation",
                target_id: id,
                institution_number: institution.as_deref(),
                supplier_id: None,
                details: json!({}),
            },
        )?;
    }
    Ok(changed == 1)
}

/// Delegations a person gave, received, or that concern their institutions or municipality,
/// with the names of the people involved.
pub fn relevant_to(
    conn: &mut DbConnection,
    user_id: &str,
    roles: &[RoleAssignment],
) -> QueryResult<Vec<(Delegation, String, Option<String>)>> {
    let institutions_of: Vec<String> = roles
        .iter()
        .filter_map(|r| r.institution_number.clone())
        .collect();
    let municipalities: Vec<String> = roles
        .iter()
        .filter(|r| r.role == Role::MunicipalOfficer)
        .filter_map(|r| r.municipality_code.clone())
        .collect();
    let rows: Vec<Delegation> = delegations::table
        .filter(
            delegations::granted_by
                .eq(user_id)
                .or(delegations::granted_to.eq(user_id))
                .or(delegations::institution_number.eq_any(&institutions_of))
                .or(delegations::municipality_code.eq_any(&municipalities)),
        )
        .order(delegations::created_at.desc())
        .select(Delegation::as_select())
        .load(conn)?;
    let mut out = Vec::with_capacity(rows.len());
    for d in rows {
        let by: String = users::table
            .find(&d.granted_by)
            .select(users::display_name)
            .first(conn)?;
        let to: Option<String> = match &d.granted_to {
            Some(t) => users::table
                .find(t)
                .select(users::display_name)
                .first(conn)
                .optional()?,
            None => None,
        };
        out.push((d, by, to));
    }
    Ok(out)
}
