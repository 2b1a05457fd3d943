//! The audit log's action codes and what they mean in Danish: one list for the history
//! on request and agreement pages, the viewer's filter and the exports.

pub const ACTIONS: &[(&str, &str)] = &[
    ("request.filed", "Anmodning indsendt"),
    ("request.approved", "Anmodning godkendt"),
    ("request.rejected", "Anmodning afvist"),
    ("request.withdrawn", "Anmodning trukket tilbage"),
    ("request.lapsed", "Anmodning bortfaldet"),
    ("agreement.created", "Aftale oprettet"),
    ("agreement.extended", "Aftale udvidet"),
    ("agreement.terminated", "Aftale opsagt af leverandøren"),
    ("agreement.revoked", "Aftale tilbagekaldt"),
    ("agreement.ended", "Aftale udløbet"),
    (
        "agreement.moved",
        "Aftale flyttet fra A-nummer til G-nummer",
    ),
    ("register.created", "Institution oprettet i registeret"),
    ("register.changed", "Institution ændret i registeret"),
    ("register.closed", "Institution lukket i registeret"),
    ("register.imported", "Registerimport"),
    ("mail.undeliverable", "Mail kunne ikke leveres"),
    ("mail.retried", "Mail sat i kø igen"),
    ("mail.event_failed", "Mail kunne ikke dannes"),
    ("user.login", "Logget ind"),
    ("user.login_failed", "Mislykket login"),
    ("user.logout", "Logget ud"),
    ("user.login_no_access", "Login uden adgang (ingen rolle)"),
    ("user.identity_linked", "Login-identitet knyttet til person"),
    ("user.password_changed", "Adgangskode skiftet"),
    ("user.preferences_changed", "Sprog og mailvalg ændret"),
    (
        "user.password_reset_requested",
        "Nulstilling af adgangskode bestilt",
    ),
    ("user.password_reset", "Adgangskode nulstillet"),
    ("user.totp_enabled", "Totrinsbekræftelse slået til"),
    ("user.totp_disabled", "Totrinsbekræftelse slået fra"),
    ("user.created", "Person oprettet"),
    ("user.invited", "Invitation sendt"),
    ("user.invitation_accepted", "Invitation taget imod"),
    ("user.role_granted", "Rolle givet"),
    ("user.role_removed", "Rolle fjernet"),
    (
        "user.subject_registered",
        "Bruger-id fra login-tjenesten registreret",
    ),
    ("user.disabled", "Konto lukket"),
    ("user.enabled", "Konto genåbnet"),
    ("delegation.granted", "Fuldmagt givet"),
    ("delegation.revoked", "Fuldmagt tilbagekaldt"),
    ("api_token.created", "API-nøgle oprettet"),
    ("api_token.revoked", "API-nøgle tilbagekaldt"),
];

/// The Danish label of an action code, or the code itself when it is not in the list.
pub fn label(code: &str) -> &str {
    ACTIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or(code)
}

#[cfg(test)]
mod tests {
    #[test]
    fn known_codes_have_labels_and_unknown_ones_show_themselves() {
        assert_eq!(super::label("request.approved"), "Anmodning godkendt");
        assert_eq!(super::label("something.new"), "something.new");
    }
}
