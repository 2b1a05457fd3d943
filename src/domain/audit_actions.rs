//! The audit log's action codes: one list for the history on request and agreement
//! pages, the viewer's filter and the exports. What each means is in the catalogues
//! (`audit-action-<code>`, the code's dot written as a dash).

pub const ACTIONS: &[&str] = &[
    "request.filed",
    "request.approved",
    "request.rejected",
    "request.withdrawn",
    "request.lapsed",
    "agreement.created",
    "agreement.extended",
    "agreement.terminated",
    "agreement.revoked",
    "agreement.ended",
    "agreement.moved",
    "register.created",
    "register.changed",
    "register.closed",
    "register.imported",
    "mail.undeliverable",
    "mail.retried",
    "mail.event_failed",
    "user.login",
    "user.login_failed",
    "user.logout",
    "user.login_no_access",
    "user.identity_linked",
    "user.password_changed",
    "user.preferences_changed",
    "user.password_reset_requested",
    "user.password_reset",
    "user.totp_enabled",
    "user.totp_disabled",
    "user.created",
    "user.invited",
    "user.invitation_accepted",
    "user.role_granted",
    "user.role_removed",
    "user.subject_registered",
    "user.disabled",
    "user.enabled",
    "delegation.granted",
    "delegation.revoked",
    "api_token.created",
    "api_token.revoked",
    "agreement.suspended",
    "agreement.resumed",
    "service.paused",
    "service.resumed",
    "agreement.renewed",
    "mailbox.added",
    "mailbox.removed",
    "request.escalated",
    "request.escalated_to_operators",
    "service.created",
    "service.changed",
    "service.retired",
    "supplier.created",
    "supplier.verified",
    "supplier.unverified",
    "scope.created",
    "scope.changed",
    "scope.retired",
    "scope.reinstated",
];

/// The catalogue key of an action code's words.
pub fn key(code: &str) -> String {
    format!("audit-action-{}", code.replace('.', "-"))
}

pub fn is_known(code: &str) -> bool {
    ACTIONS.contains(&code)
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_are_catalogue_identifiers() {
        assert_eq!(
            super::key("request.approved"),
            "audit-action-request-approved"
        );
        assert!(super::is_known("user.login"));
        assert!(!super::is_known("something.new"));
    }
}
