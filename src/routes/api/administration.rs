//! A supplier's account through the API, for a supplier token made by one of its admins
//! with the `administer` permission: its services (list, create, change, retire — the
//! retirement says what becomes of the agreements in the same call) and its colleagues
//! (list, invite, change between user and admin, remove). The same use cases as the pages (`app::services`,
//! `app::colleagues`), so the same rules: never the last admin, roles only at this
//! supplier, addresses checked.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::call::{ApiCall, ApiJson};
use super::error::{ApiError, Code, ErrorBody, Problem};
use crate::app::colleagues::{self, Invitation, InviteProblem};
use crate::app::services::{self, AgreementChoice, RetireStep};
use crate::db::catalog::Service;
use crate::db::colleagues::{Colleague, Removal, RoleChange};
use crate::domain::administration::{Problems, ServiceInput};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/suppliers/{supplier}/services")
            .route(web::get().to(list_services))
            .route(web::post().to(create_service)),
    )
    .service(
        web::resource("/suppliers/{supplier}/services/{service}")
            .route(web::post().to(update_service)),
    )
    .service(
        web::resource("/suppliers/{supplier}/services/{service}/retire")
            .route(web::post().to(retire_service)),
    )
    .service(
        web::resource("/suppliers/{supplier}/colleagues")
            .route(web::get().to(list_colleagues))
            .route(web::post().to(invite_colleague)),
    )
    .service(
        web::resource("/suppliers/{supplier}/colleagues/{user}/remove")
            .route(web::post().to(remove_colleague)),
    )
    .service(
        web::resource("/suppliers/{supplier}/colleagues/{user}/role")
            .route(web::post().to(change_colleague_role)),
    );
}

/// A service of the supplier.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdministeredService {
    pub id: String,
    pub name: String,
    pub description: String,
    pub website: Option<String>,
    pub privacy_url: Option<String>,
    pub contact_email: Option<String>,
    /// `active` or `retired`.
    pub status: String,
}

impl From<Service> for AdministeredService {
    fn from(s: Service) -> Self {
        Self {
            id: s.id,
            name: s.name,
            description: s.description,
            website: s.website,
            privacy_url: s.privacy_url,
            contact_email: s.contact_email,
            status: s.status,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdministeredServices {
    pub services: Vec<AdministeredService>,
}

/// A service as sent: name and description required; the addresses optional, `http(s)`
/// web addresses and a well-formed email when given.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ServiceFieldsIn {
    pub name: String,
    pub description: String,
    pub website: Option<String>,
    pub privacy_url: Option<String>,
    pub contact_email: Option<String>,
}

impl ServiceFieldsIn {
    fn input(self) -> ServiceInput {
        ServiceInput {
            name: self.name,
            description: self.description,
            website: self.website.unwrap_or_default(),
            privacy_url: self.privacy_url.unwrap_or_default(),
            contact_email: self.contact_email.unwrap_or_default(),
        }
    }
}

/// A refused form: `invalid_value` at the first field to blame, each in `problems`.
pub(super) fn refused(call: &ApiCall, problems: &Problems) -> ApiError {
    let mut e = call.error(Code::InvalidValue);
    for (field, problem) in problems {
        e.problems.push(Problem {
            code: Code::InvalidValue.as_str().to_string(),
            message: crate::routes::services::problem_text(field, *problem),
            field: format!("/{field}"),
            institution: None,
        });
    }
    match problems.first() {
        Some((field, _)) => e.at(format!("/{field}")),
        None => e,
    }
}

/// The supplier's services, active ones first.
#[utoipa::path(get, path = "/api/v1/suppliers/{supplier}/services", tag = "supplier",
    params(("supplier" = String, Path, description = "The supplier's id")),
    responses(
        (status = 200, description = "The supplier's services", body = AdministeredServices),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token does not administer this supplier", body = ErrorBody),
        (status = 404, description = "No such supplier for this token", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn list_services(
    call: ApiCall,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let supplier = path.into_inner();
    let (_, all) = call
        .run(move |conn| services::list(conn, &acting, &supplier))
        .await?;
    Ok(HttpResponse::Ok().json(AdministeredServices {
        services: all.into_iter().map(AdministeredService::from).collect(),
    }))
}

/// Creates a service of the supplier.
#[utoipa::path(post, path = "/api/v1/suppliers/{supplier}/services", tag = "supplier",
    params(("supplier" = String, Path, description = "The supplier's id")),
    request_body = ServiceFieldsIn,
    responses(
        (status = 201, description = "The new service", body = AdministeredService),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token does not administer this supplier", body = ErrorBody),
        (status = 404, description = "No such supplier for this token", body = ErrorBody),
        (status = 422, description = "A field was refused; `problems` names each", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn create_service(
    call: ApiCall,
    path: web::Path<String>,
    body: ApiJson<ServiceFieldsIn>,
) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let supplier = path.into_inner();
    let input = body.0.input();
    let created = call
        .run(move |conn| {
            let created = services::create(conn, &acting, &supplier, &input)?;
            match created {
                Ok(id) => Ok(Ok(services::read(conn, &acting, &supplier, &id)?.1)),
                Err(problems) => Ok(Err(problems)),
            }
        })
        .await?;
    match created {
        Ok(service) => Ok(HttpResponse::Created().json(AdministeredService::from(service))),
        Err(problems) => Err(refused(&call, &problems)),
    }
}

/// Changes a service's fields (all of them, as sent).
#[utoipa::path(post, path = "/api/v1/suppliers/{supplier}/services/{service}", tag = "supplier",
    params(
        ("supplier" = String, Path, description = "The supplier's id"),
        ("service" = String, Path, description = "The service's id"),
    ),
    request_body = ServiceFieldsIn,
    responses(
        (status = 200, description = "The service as it is now", body = AdministeredService),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token does not administer this supplier", body = ErrorBody),
        (status = 404, description = "No such service for this token", body = ErrorBody),
        (status = 422, description = "A field was refused; `problems` names each", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn update_service(
    call: ApiCall,
    path: web::Path<(String, String)>,
    body: ApiJson<ServiceFieldsIn>,
) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let (supplier, service) = path.into_inner();
    let input = body.0.input();
    let updated = call
        .run(
            move |conn| match services::update(conn, &acting, &supplier, &service, &input)? {
                Ok(_) => Ok(Ok(services::read(conn, &acting, &supplier, &service)?.1)),
                Err(problems) => Ok(Err(problems)),
            },
        )
        .await?;
    match updated {
        Ok(service) => Ok(HttpResponse::Ok().json(AdministeredService::from(service))),
        Err(problems) => Err(refused(&call, &problems)),
    }
}

/// What becomes of a retired service's agreements.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RetireIn {
    /// `end` terminates its agreements now; `keep` leaves them in force until they end.
    pub agreements: String,
}

/// What a retirement did.
#[derive(Debug, Serialize, ToSchema)]
pub struct RetiredOut {
    pub service: AdministeredService,
    /// Pending requests that lapsed (reason `service-retired`).
    pub lapsed_requests: usize,
    /// Agreements terminated with it.
    pub ended_agreements: usize,
    /// Agreements left in force.
    pub kept_agreements: usize,
}

/// Retires a service: its pending requests lapse, it takes no new ones, and its
/// agreements end now or run on, as `agreements` says.
#[utoipa::path(post, path = "/api/v1/suppliers/{supplier}/services/{service}/retire", tag = "supplier",
    params(
        ("supplier" = String, Path, description = "The supplier's id"),
        ("service" = String, Path, description = "The service's id"),
    ),
    request_body = RetireIn,
    responses(
        (status = 200, description = "The service, retired, and what it touched", body = RetiredOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token does not administer this supplier", body = ErrorBody),
        (status = 404, description = "No such service for this token", body = ErrorBody),
        (status = 409, description = "It was retired already", body = ErrorBody),
        (status = 422, description = "`agreements` is neither `end` nor `keep`", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn retire_service(
    call: ApiCall,
    path: web::Path<(String, String)>,
    body: ApiJson<RetireIn>,
) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let (supplier, service) = path.into_inner();
    let Some(choice) = AgreementChoice::parse(&body.0.agreements) else {
        return Err(call.error(Code::InvalidValue).at("/agreements"));
    };
    let (step, now) = call
        .run(move |conn| {
            let step = services::retire(conn, &acting, &supplier, &service, Some(choice))?;
            Ok((step, services::read(conn, &acting, &supplier, &service)?.1))
        })
        .await?;
    match step {
        RetireStep::Done(done) => Ok(HttpResponse::Ok().json(RetiredOut {
            service: now.into(),
            lapsed_requests: done.lapsed_requests,
            ended_agreements: done.ended_agreements,
            kept_agreements: done.kept_agreements,
        })),
        RetireStep::AlreadyRetired | RetireStep::Confirm { .. } => Err(call.error(Code::Conflict)),
    }
}

/// A colleague at the supplier.
#[derive(Debug, Serialize, ToSchema)]
pub struct ColleagueOut {
    pub id: String,
    pub email: String,
    pub display_name: String,
    /// `active` or `disabled`.
    pub status: String,
    /// `supplier_admin` and/or `supplier_user`.
    pub roles: Vec<String>,
}

impl From<Colleague> for ColleagueOut {
    fn from(c: Colleague) -> Self {
        Self {
            roles: c.roles.iter().map(|r| r.as_str().to_string()).collect(),
            id: c.user_id,
            email: c.email,
            display_name: c.display_name,
            status: c.status,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ColleaguesOut {
    pub colleagues: Vec<ColleagueOut>,
}

/// The supplier's people.
#[utoipa::path(get, path = "/api/v1/suppliers/{supplier}/colleagues", tag = "supplier",
    params(("supplier" = String, Path, description = "The supplier's id")),
    responses(
        (status = 200, description = "Everyone holding a role at the supplier", body = ColleaguesOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token does not administer this supplier", body = ErrorBody),
        (status = 404, description = "No such supplier for this token", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn list_colleagues(
    call: ApiCall,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let supplier = path.into_inner();
    let (_, all) = call
        .run(move |conn| colleagues::list(conn, &acting, &supplier))
        .await?;
    Ok(HttpResponse::Ok().json(ColleaguesOut {
        colleagues: all.into_iter().map(ColleagueOut::from).collect(),
    }))
}

/// A colleague to invite.
#[derive(Debug, Deserialize, ToSchema)]
pub struct InvitationIn {
    pub email: String,
    pub display_name: String,
    /// `supplier_user` or `supplier_admin`.
    pub role: String,
}

/// Invites a colleague: a new account with the role at this supplier, mailed a link to
/// choose a password.
#[utoipa::path(post, path = "/api/v1/suppliers/{supplier}/colleagues", tag = "supplier",
    params(("supplier" = String, Path, description = "The supplier's id")),
    request_body = InvitationIn,
    responses(
        (status = 201, description = "The new colleague, invited", body = ColleagueOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token does not administer this supplier", body = ErrorBody),
        (status = 404, description = "No such supplier for this token", body = ErrorBody),
        (status = 422, description = "A field was refused, or the email has an account already", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn invite_colleague(
    call: ApiCall,
    path: web::Path<String>,
    body: ApiJson<InvitationIn>,
) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let supplier = path.into_inner();
    let base_url = call.base_url();
    let form = Invitation {
        email: body.0.email,
        display_name: body.0.display_name,
        role: body.0.role,
    };
    let invited = call
        .run(
            move |conn| match colleagues::invite(conn, &acting, &supplier, &form, &base_url)? {
                Ok(id) => {
                    let (_, all) = colleagues::list(conn, &acting, &supplier)?;
                    Ok(Ok(all.into_iter().find(|c| c.user_id == id)))
                }
                Err(problems) => Ok(Err(problems)),
            },
        )
        .await?;
    match invited {
        Ok(Some(colleague)) => Ok(HttpResponse::Created().json(ColleagueOut::from(colleague))),
        Ok(None) => Err(call.error(Code::Internal)),
        Err(problems) => {
            let tx = crate::i18n::texts();
            let mut e = call.error(Code::InvalidValue);
            for (field, problem) in &problems {
                e.problems.push(Problem {
                    code: Code::InvalidValue.as_str().to_string(),
                    message: match problem {
                        InviteProblem::BadEmail => tx.t("person-problem-bad-email"),
                        InviteProblem::NoName => tx.t("person-problem-no-name"),
                        InviteProblem::BadRole => tx.t("colleague-problem-role"),
                        InviteProblem::EmailTaken(email) => {
                            tx.a("colleague-problem-email-taken", "email", email)
                        }
                    },
                    field: format!("/{field}"),
                    institution: None,
                });
            }
            Err(match problems.first() {
                Some((field, _)) => e.at(format!("/{field}")),
                None => e,
            })
        }
    }
}

/// What a removal did.
#[derive(Debug, Serialize, ToSchema)]
pub struct RemovedOut {
    pub removed: bool,
}

/// Takes every role the person holds at the supplier; their sessions end.
#[utoipa::path(post, path = "/api/v1/suppliers/{supplier}/colleagues/{user}/remove", tag = "supplier",
    params(
        ("supplier" = String, Path, description = "The supplier's id"),
        ("user" = String, Path, description = "The colleague's id"),
    ),
    responses(
        (status = 200, description = "Removed", body = RemovedOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token does not administer this supplier", body = ErrorBody),
        (status = 404, description = "No such colleague for this token", body = ErrorBody),
        (status = 409, description = "They are the supplier's last admin (`last_admin`)", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn remove_colleague(
    call: ApiCall,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let (supplier, user) = path.into_inner();
    let removal = call
        .run(move |conn| colleagues::remove(conn, &acting, &supplier, &user))
        .await?;
    match removal {
        Removal::Removed => Ok(HttpResponse::Ok().json(RemovedOut { removed: true })),
        Removal::NotColleague => Err(call.error(Code::NotFound)),
        Removal::LastAdmin => Err(call.error(Code::LastAdmin)),
    }
}

/// The role a colleague is to hold at the supplier.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleIn {
    /// `supplier_user` or `supplier_admin`.
    pub role: String,
}

/// Makes a colleague a supplier user or a supplier admin (that role only, at this
/// supplier); their sessions end. The last admin is never made a user.
#[utoipa::path(post, path = "/api/v1/suppliers/{supplier}/colleagues/{user}/role", tag = "supplier",
    params(
        ("supplier" = String, Path, description = "The supplier's id"),
        ("user" = String, Path, description = "The colleague's id"),
    ),
    request_body = RoleIn,
    responses(
        (status = 200, description = "The colleague, with the role (also when they held it already)", body = ColleagueOut),
        (status = 401, description = "No valid token", body = ErrorBody),
        (status = 403, description = "The token does not administer this supplier", body = ErrorBody),
        (status = 404, description = "No such colleague for this token", body = ErrorBody),
        (status = 409, description = "They are the supplier's last admin (`last_admin`)", body = ErrorBody),
        (status = 422, description = "Not one of the two roles (`field` is `/role`)", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn change_colleague_role(
    call: ApiCall,
    path: web::Path<(String, String)>,
    body: ApiJson<RoleIn>,
) -> Result<HttpResponse, ApiError> {
    let acting = call.acting()?;
    let (supplier, user) = path.into_inner();
    let role = body.0.role;
    let changed = call
        .run(move |conn| {
            let changed = colleagues::change_role(conn, &acting, &supplier, &user, &role)?;
            let (_, all) = colleagues::list(conn, &acting, &supplier)?;
            Ok((changed, all.into_iter().find(|c| c.user_id == user)))
        })
        .await?;
    match changed {
        (Some(RoleChange::Changed | RoleChange::Unchanged), Some(colleague)) => {
            Ok(HttpResponse::Ok().json(ColleagueOut::from(colleague)))
        }
        (Some(RoleChange::LastAdmin), _) => Err(call.error(Code::LastAdmin)),
        (None, _) => Err(call.error(Code::InvalidValue).at("/role")),
        (Some(_), _) => Err(call.error(Code::NotFound)),
    }
}
