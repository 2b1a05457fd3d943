//! Pure domain types and rules: no actix, no diesel. Everything here parses
//! input into types that can only hold valid values, and decides who may do what.

pub mod administration;
pub mod api_token;
pub mod audit_actions;
pub mod codes;
pub mod institution_number;
pub mod keyset;
pub mod mailbox;
pub mod password_rules;
pub mod policy;
pub mod register_file;
pub mod request_form;
pub mod roles;
pub mod status;
pub mod system_reason;

pub use institution_number::{InstitutionNumber, NumberError, NumberKind};
pub use roles::{Role, RoleAssignment};
pub use status::{AgreementStatus, RequestStatus};
pub use system_reason::{Reason, SystemReason};
