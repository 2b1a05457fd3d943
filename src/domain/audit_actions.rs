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

    /// Every action code reads as words of its own in Danish and in English, and every
    /// action the catalogues word is one the list knows (else pages show the raw code).
    #[test]
    fn every_action_has_a_danish_and_an_english_text() {
        use crate::i18n::Language;
        for language in Language::ALL {
            let tx = language.texts();
            for code in super::ACTIONS {
                let key = super::key(code);
                assert!(tx.has(&key), "{language:?} lacks {key}");
                let text = tx.audit_action(code);
                assert!(
                    !text.is_empty() && text != *code && !text.contains('⟦'),
                    "{language:?}: {code} reads {text:?}"
                );
            }
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("templates/locales")
                .join(language.code());
            for file in std::fs::read_dir(dir).expect("catalogue folder") {
                let text = std::fs::read_to_string(file.expect("file").path()).expect("ftl");
                for line in text.lines() {
                    let Some(rest) = line.strip_prefix("audit-action-") else {
                        continue;
                    };
                    let key = format!("audit-action-{}", rest.split(' ').next().unwrap_or(""));
                    assert!(
                        super::ACTIONS.iter().any(|code| super::key(code) == key),
                        "{key} is worded but not in ACTIONS, so it shows as a code"
                    );
                }
            }
        }
        let english = Language::English.texts();
        assert_eq!(english.audit_action("service.retired"), "Service retired");
    }
}
