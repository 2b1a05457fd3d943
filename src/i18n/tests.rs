//! The catalogues hold the same keys in both languages, every key the templates and the
//! code ask for exists, and plurals come from the catalogue.

use std::collections::BTreeSet;
use std::path::Path;

use super::*;
use crate::domain::keyset::CappedCount;

/// The message keys of one language's catalogue files.
fn keys_of(language: Language) -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("templates/locales")
        .join(language.code());
    let mut keys = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).expect("catalogue folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "ftl") {
            let text = std::fs::read_to_string(&path).expect("catalogue");
            for line in text.lines() {
                if let Some((key, _)) = line.split_once(" =")
                    && !key.starts_with(['#', ' ', '-', '.', '['])
                    && !key.is_empty()
                {
                    keys.insert(key.to_string());
                }
            }
        }
    }
    keys
}

/// Every literal key asked for with `.t("…")`, `.n("…"` or `.a("…"` in the templates and
/// the Rust sources.
fn keys_used() -> BTreeSet<String> {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path
                .extension()
                .is_some_and(|e| e == "html" || e == "txt" || e == "rs")
            {
                out.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    walk(&root.join("templates"), &mut files);
    walk(&root.join("src"), &mut files);
    let mut used = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("source");
        for call in [".t(\"", ".n(\"", ".a(\"", ".with_two(\"", ".with(\""] {
            for piece in text.split(call).skip(1) {
                if let Some((key, _)) = piece.split_once('"')
                    && key
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                    && !key.is_empty()
                {
                    used.insert(key.to_string());
                }
            }
        }
    }
    used
}

#[test]
fn both_languages_hold_the_same_keys() {
    let danish = keys_of(Language::Danish);
    let english = keys_of(Language::English);
    assert!(
        danish.len() > 50,
        "the catalogues were found: {}",
        danish.len()
    );
    let only_danish: Vec<_> = danish.difference(&english).collect();
    let only_english: Vec<_> = english.difference(&danish).collect();
    assert!(
        only_danish.is_empty(),
        "missing in English: {only_danish:?}"
    );
    assert!(
        only_english.is_empty(),
        "missing in Danish: {only_english:?}"
    );
}

#[test]
fn every_key_asked_for_exists_in_both_languages() {
    let used = keys_used();
    assert!(
        used.contains("sign-out"),
        "the scan finds the layout's keys"
    );
    for language in Language::ALL {
        let texts = language.texts();
        let missing: Vec<_> = used.iter().filter(|k| !texts.has(k)).collect();
        assert!(missing.is_empty(), "{language:?} lacks {missing:?}");
    }
}

#[test]
fn every_message_of_a_catalogue_is_found_in_its_language() {
    for language in Language::ALL {
        let texts = language.texts();
        for key in keys_of(language) {
            assert!(texts.has(&key), "{key} in {language:?}");
        }
    }
}

#[test]
fn a_missing_key_shows_itself_and_no_language_borrows_from_the_other() {
    let missing = ["no", "such", "key"].join("-");
    assert_eq!(Language::English.texts().t(&missing), "⟦no-such-key⟧");
    assert!(!Language::English.texts().has(&missing));
    assert!(
        Language::English.texts().has("home-welcome-name"),
        "found without its $name"
    );
    assert_eq!(Language::Danish.texts().t("sign-out"), "Log ud");
    assert_eq!(Language::English.texts().t("sign-out"), "Sign out");
}

#[tokio::test]
async fn the_request_reads_the_chosen_language_until_a_person_chooses_theirs() {
    assert_eq!(current(), Language::Danish, "outside a request");
    in_language(Language::English, async {
        assert_eq!(current(), Language::English);
        choose(Language::Danish);
        assert_eq!(current(), Language::Danish);
    })
    .await;
}

#[test]
fn the_keys_made_from_codes_exist_in_both_languages() {
    let mut keys: Vec<String> = crate::domain::Role::ALL
        .iter()
        .map(|r| format!("role-{}", r.as_str()))
        .collect();
    keys.extend(
        crate::routes::NOTICES
            .iter()
            .map(|code| format!("notice-{code}")),
    );
    for kind in [
        "unavailable",
        "not-found",
        "forbidden",
        "login-required",
        "csrf",
        "unexpected",
    ] {
        keys.push(format!("error-{kind}-title"));
        keys.push(format!("error-{kind}"));
    }
    for kind in ["unavailable", "refused", "bad-state", "unconfirmed"] {
        keys.push(format!("oidc-{kind}-title"));
        keys.push(format!("oidc-{kind}"));
    }
    keys.extend(
        crate::routes::api::error::Code::ALL
            .iter()
            .map(|code| code.message_key()),
    );
    for status in crate::domain::RequestStatus::ALL {
        keys.push(format!("request-status-{}", status.as_str()));
    }
    for status in crate::domain::AgreementStatus::ALL {
        keys.push(format!("agreement-status-{}", status.as_str()));
    }
    keys.extend(
        crate::domain::SystemReason::CODES
            .iter()
            .map(|code| format!("reason-{code}")),
    );
    for level in ["daginstitution", "anvisningsenhed", "skole"] {
        keys.push(format!("level-{level}"));
    }
    keys.extend(
        crate::db::mail::STATUSES
            .iter()
            .map(|status| format!("mail-status-{status}")),
    );
    // The fields a register import compares (`db::register_import`).
    for field in [
        "name",
        "level",
        "parent_number",
        "inst_type_code",
        "ownership_code",
        "legal_basis_code",
        "municipality_code",
        "cvr",
        "p_number",
        "street",
        "postal_code",
        "city",
        "email",
        "phone",
    ] {
        keys.push(format!("register-field-{field}"));
    }
    keys.extend(
        crate::domain::audit_actions::ACTIONS
            .iter()
            .map(|code| crate::domain::audit_actions::key(code)),
    );
    keys.extend(crate::routes::field_problems::missing_keys());
    for decision in ["approve", "reject"] {
        for part in ["heading", "all-heading", "chosen", "all", "button"] {
            keys.push(format!("confirm-bulk-{decision}-{part}"));
        }
    }
    for kind in ["revoke", "terminate"] {
        for part in ["heading", "what", "button"] {
            keys.push(format!("confirm-{kind}-{part}"));
        }
    }
    for kind in crate::domain::api_token::TokenKind::ALL {
        keys.push(format!("token-kind-{}", kind.as_str()));
        keys.push(format!("token-offer-{}", kind.as_str()));
        keys.push(format!("token-offer-{}-why", kind.as_str()));
        for permission in kind.offers() {
            keys.push(format!("token-permission-{}", permission.as_str()));
        }
    }
    for list in crate::domain::codes::CodeList::ALL {
        keys.extend(
            list.codes()
                .iter()
                .map(|code| format!("code-{}-{code}", list.key())),
        );
        keys.push(format!("code-{}-unknown", list.key()));
    }
    for language in Language::ALL {
        let texts = language.texts();
        let missing: Vec<_> = keys.iter().filter(|k| !texts.has(k)).collect();
        assert!(missing.is_empty(), "{language:?} lacks {missing:?}");
    }
}

#[test]
fn coded_fields_show_code_and_text_and_an_unknown_code_says_so() {
    use crate::domain::codes::CodeList;
    let danish = Language::Danish.texts();
    let english = Language::English.texts();
    assert_eq!(danish.code(CodeList::Ownership, "2"), "2 – Selvejende");
    assert_eq!(english.code(CodeList::Ownership, "2"), "2 – Self-governing");
    assert_eq!(
        danish.code(CodeList::InstitutionType, "6011"),
        "6011 – institutionstype uden for kodelisten"
    );
    assert_eq!(
        english.code(CodeList::InstitutionType, "6011"),
        "6011 – institution type not in the code list"
    );
}

#[test]
fn plurals_come_from_the_catalogue() {
    let danish = Language::Danish.texts();
    let english = Language::English.texts();
    assert!(danish.n("login-throttled", 1).ends_with("om 1 minut."));
    assert!(danish.n("login-throttled", 5).ends_with("om 5 minutter."));
    assert!(english.n("login-throttled", 1).ends_with("in 1 minute."));
    assert!(english.n("login-throttled", 15).ends_with("in 15 minutes."));
}

#[test]
fn a_capped_count_says_more_than_the_cap() {
    let danish = Language::Danish.texts();
    assert_eq!(danish.capped(CappedCount::from_found(7, 1000)), "7");
    assert_eq!(danish.capped(CappedCount::from_found(1000, 1000)), "1.000");
    assert_eq!(
        danish.capped(CappedCount::from_found(1001, 1000)),
        "mere end 1.000"
    );
    assert_eq!(
        danish.capped(CappedCount::from_found(12_345_678, 10_000_000)),
        "mere end 10.000.000"
    );
    let english = Language::English.texts();
    assert_eq!(
        english.capped(CappedCount::from_found(12_345_678, 10_000_000)),
        "more than 10,000,000"
    );
    assert_eq!(english.number(-1234), "-1,234");
}

/// Where Rust may hold words a person reads: demo data and the list of guessable
/// passwords (they are data), the metrics' help texts (for Prometheus), the operators'
/// console (English), the OpenAPI document (developer documentation) — and two fixed names.
const WORDS_MAY_LIVE_IN: [&str; 5] = [
    "src/demo.rs",
    "src/domain/password_rules.rs",
    "src/telemetry/",
    "src/cli.rs",
    "src/routes/api/openapi.rs",
];
const FIXED_NAMES: [&str; 2] = [
    // The mail's sender name is the product's name.
    "Tilslutning <noreply@{host}>",
    // The prefix of the catalogue crate's own error, which `has` recognises.
    "Fluent errors",
];

/// Lines whose strings are for developers and operators, not for the people using the
/// portal: logs, panics, error chains, attributes and the OpenAPI descriptions.
fn for_developers(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.starts_with("//")
        || trimmed.starts_with("#[")
        || [
            "tracing::",
            "warn!(",
            "info!(",
            "error!(",
            "debug!(",
            "trace!(",
            "expect(",
            "panic!",
            "bail!",
            "anyhow!",
            "ensure!",
            "context(",
            "with_context",
            "assert",
            "unreachable!",
            "println!",
            "eprintln!",
            "writeln!",
            "write!(",
            "description =",
            ".description(",
        ]
        .iter()
        .any(|marker| line.contains(marker))
}

/// A string literal that reads as words to a person: Danish letters, or a capitalised
/// phrase of several words.
fn reads_as_words(literal: &str) -> bool {
    let danish = literal.contains(['æ', 'ø', 'å', 'Æ', 'Ø', 'Å']);
    let mut chars = literal.chars();
    let phrase = chars.next().is_some_and(char::is_uppercase)
        && chars.next().is_some_and(char::is_lowercase)
        && literal.split_whitespace().count() > 1
        && !literal.contains('{')
        && ![
            "SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "WITH", "ALTER",
        ]
        .iter()
        .any(|sql| literal.starts_with(sql));
    danish || phrase
}

#[test]
fn no_words_for_people_are_written_in_rust() {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    walk(&root.join("src"), &mut files);
    let mut found = Vec::new();
    for file in files {
        let name = file
            .strip_prefix(root)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        if name.ends_with("/tests.rs") || WORDS_MAY_LIVE_IN.iter().any(|p| name.starts_with(p)) {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("source");
        for (number, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("#[cfg(test)]") {
                break; // the file's tests follow
            }
            if for_developers(line) {
                continue;
            }
            for literal in line.split('"').skip(1).step_by(2) {
                if reads_as_words(literal) && !FIXED_NAMES.contains(&literal) {
                    found.push(format!("{name}:{}: {literal}", number + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "words for people belong in templates/locales/{{da,en}}/*.ftl, not in Rust:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_guard_against_words_in_rust_sees_them() {
    assert!(reads_as_words("Vælg en tjeneste"));
    assert!(reads_as_words("Choose a service first"));
    assert!(reads_as_words("udløbet"));
    assert!(!reads_as_words("request.approved"));
    assert!(!reads_as_words("SELECT 1 FROM requests"));
    assert!(for_developers("    tracing::warn!(\"Choose a service\");"));
    assert!(!for_developers("    errors.push(\"Choose a service\");"));
}
