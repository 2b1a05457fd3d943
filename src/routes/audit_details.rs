//! An audit row's details (the JSON facts it was written with) as a reader reads them:
//! one line per fact with its name from the catalogue, a change as "before → after",
//! codes by their texts, ids left to the row's link, and nothing lost — unknown facts
//! are shown under their own name.

use serde_json::Value;

use crate::domain::codes::{CodeList, Level};
use crate::domain::{AgreementStatus, Reason, RequestStatus};
use crate::i18n::Texts;

/// One fact of a row.
pub struct DetailLine {
    pub label: String,
    pub value: String,
}

/// The facts of `details` (the row's JSON) about a `target_type` row, in `tx`'s language;
/// `scope_name` gives a scope code's name, `municipality_name` a municipality code's.
pub fn readable(
    details: &str,
    target_type: &str,
    tx: Texts,
    scope_name: &dyn Fn(&str) -> String,
    municipality_name: &dyn Fn(&str) -> String,
) -> Vec<DetailLine> {
    let Ok(Value::Object(facts)) = serde_json::from_str::<Value>(details) else {
        return Vec::new();
    };
    let say = |key: &str, value: &Value| -> String {
        match (key, value) {
            (_, Value::Null) => "–".to_string(),
            (_, Value::Bool(yes)) => tx.t(if *yes { "audit-yes" } else { "audit-no" }),
            (_, Value::Array(items)) if items.is_empty() => "–".to_string(),
            ("scopes" | "granted" | "refused", Value::Array(codes)) => codes
                .iter()
                .filter_map(Value::as_str)
                .map(scope_name)
                .collect::<Vec<_>>()
                .join(", "),
            ("kind", Value::String(_)) if target_type == "api_token" => {
                coded(tx, "token-kind", value)
            }
            ("kind", Value::String(_)) if target_type == "request" => {
                coded(tx, "polish-request-kind", value)
            }
            // A token's permissions, kept as one space-separated text (or a list).
            ("permissions", Value::String(codes)) => codes
                .split_whitespace()
                .map(|code| coded(tx, "token-permission", &Value::from(code)))
                .collect::<Vec<_>>()
                .join(", "),
            ("permissions", Value::Array(codes)) => codes
                .iter()
                .map(|code| coded(tx, "token-permission", code))
                .collect::<Vec<_>>()
                .join(", "),
            ("expires_at", Value::String(text)) => time::PrimitiveDateTime::parse(
                text,
                time::macros::format_description!(
                    "[year]-[month]-[day] [hour padding:none]:[minute]:[second].[subsecond]"
                ),
            )
            .map_or_else(|_| text.clone(), super::datetime),
            (_, Value::Array(items)) => items.iter().map(plain).collect::<Vec<_>>().join(", "),
            // Scope code → the approver's reason for not approving it.
            ("refusal_reasons", Value::Object(reasons)) => reasons
                .iter()
                .map(|(code, why)| format!("{}: {}", scope_name(code), plain(why)))
                .collect::<Vec<_>>()
                .join("; "),
            (_, Value::String(text)) => code_text(key, text, tx, municipality_name),
            (_, other) => plain(other),
        }
    };
    let mut lines = Vec::new();
    if let (Some(before), Some(after)) = (facts.get("before"), facts.get("after")) {
        let state = |v: &Value| {
            let code = v.as_str().unwrap_or_default();
            match target_type {
                "request" if RequestStatus::parse(code).is_some() => tx.request_status(code),
                "agreement" if AgreementStatus::parse(code).is_some() => tx.agreement_status(code),
                "service" => coded(tx, "service-status", v),
                _ => match v {
                    Value::Bool(yes) => tx.t(if *yes { "audit-yes" } else { "audit-no" }),
                    other => plain(other),
                },
            }
        };
        lines.push(DetailLine {
            label: tx.t("audit-detail-status"),
            value: format!("{} → {}", state(before), state(after)),
        });
    }
    // A reason the system gave is a code and its arguments: read as the sentence it stands
    // for, under the reason's own name.
    let system_reason = facts.contains_key("reason_code").then(|| {
        let args = facts.get("reason_args").and_then(|v| match v {
            Value::Null => None,
            Value::String(text) => Some(text.clone()),
            other => Some(other.to_string()),
        });
        Reason::from_columns(
            facts.get("reason").and_then(Value::as_str),
            facts.get("reason_code").and_then(Value::as_str),
            args.as_deref(),
        )
        .map_or_else(|| "–".to_string(), |r| tx.reason(&r))
    });
    for (key, value) in &facts {
        if matches!(
            key.as_str(),
            "before" | "after" | "reason_code" | "reason_args"
        ) || is_an_id(key)
        {
            continue;
        }
        if key == "reason"
            && let Some(reason) = &system_reason
        {
            lines.push(DetailLine {
                label: tx.t("audit-detail-reason"),
                value: reason.clone(),
            });
            continue;
        }
        if key == "changes"
            && let Value::Array(changes) = value
        {
            for change in changes {
                let field = change.get("field").and_then(Value::as_str).unwrap_or("");
                let side = |name: &str| {
                    change
                        .get(name)
                        .map(|v| match v.as_str() {
                            Some(text) => code_text(field, text, tx, municipality_name),
                            None => plain(v),
                        })
                        .filter(|text| !text.is_empty())
                        .unwrap_or_else(|| "–".to_string())
                };
                lines.push(DetailLine {
                    label: label_of(&format!("register-field-{field}"), field, tx),
                    value: format!("{} → {}", side("before"), side("after")),
                });
            }
            continue;
        }
        lines.push(DetailLine {
            label: label_of(&format!("audit-detail-{key}"), key, tx),
            value: say(key, value),
        });
    }
    lines
}

/// Ids are the row's link and the raw data's business, not the reader's.
fn is_an_id(key: &str) -> bool {
    key.ends_with("_id") || key.ends_with("_ids") || key == "granted_to"
}

/// The catalogue's name of a fact, or the fact's own name.
fn label_of(key: &str, fallback: &str, tx: Texts) -> String {
    if tx.has(key) {
        tx.t(key)
    } else {
        fallback.replace('_', " ")
    }
}

/// A code by its catalogue text `<prefix>-<code>`; a code the catalogue lacks as it is.
fn coded(tx: Texts, prefix: &str, code: &Value) -> String {
    let key = format!("{prefix}-{}", plain(code));
    if tx.has(&key) {
        tx.t(&key)
    } else {
        plain(code)
    }
}

/// A coded fact by its text; other text as it is.
fn code_text(
    key: &str,
    text: &str,
    tx: Texts,
    municipality_name: &dyn Fn(&str) -> String,
) -> String {
    match key {
        "ownership_code" => tx.code(CodeList::Ownership, text),
        "inst_type_code" => tx.code(CodeList::InstitutionType, text),
        "legal_basis_code" => tx.code(CodeList::LegalBasis, text),
        "municipality_code" => municipality_name(text),
        "role" => tx.role_code(text),
        // Who holds an agreement; what a retirement did with the service's agreements.
        "side" => coded(tx, "hold-side", &Value::from(text)),
        "agreements" => coded(tx, "polish-audit-agreements", &Value::from(text)),
        "level" => Level::parse(text).map_or_else(|| text.to_string(), |l| tx.level(l)),
        "language" => crate::i18n::Language::from_code(text).map_or_else(
            || text.to_string(),
            |l| tx.t(&format!("language-{}", l.code())),
        ),
        _ => text.to_string(),
    }
}

fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => "–".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Language;

    fn lines(details: &str, target: &str, language: Language) -> Vec<(String, String)> {
        readable(
            details,
            target,
            language.texts(),
            &|code| format!("«{code}»"),
            &|code| format!("Kommune{code}"),
        )
        .into_iter()
        .map(|l| (l.label, l.value))
        .collect()
    }

    #[test]
    fn a_decision_reads_as_a_change_of_state_with_scope_names() {
        let details = r#"{"reference":"AN-1","before":"pending","after":"approved","granted":["CPR"],"refused":[],"reason":null,"agreement_id":"x"}"#;
        let english = lines(details, "request", Language::English);
        assert_eq!(english[0], ("Status".into(), "Pending → Approved".into()));
        assert!(english.contains(&("Approved data access".into(), "«CPR»".into())));
        assert!(
            !english.iter().any(|(label, _)| label.contains("agreement")),
            "ids are left out"
        );
        let danish = lines(details, "request", Language::Danish);
        assert_eq!(danish[0].1, "Afventer → Godkendt");
    }

    #[test]
    fn reasons_for_refused_scopes_read_scope_by_scope() {
        let details = r#"{"before":"pending","after":"approved","granted":["STAMDATA"],"refused":["CPR"],"refusal_reasons":{"CPR":"Not needed"}}"#;
        let english = lines(details, "request", Language::English);
        assert!(
            english.contains(&(
                "Reasons for data scopes not approved".into(),
                "«CPR»: Not needed".into()
            )),
            "{english:?}"
        );
    }

    #[test]
    fn register_changes_read_field_by_field_with_code_texts() {
        let details = r#"{"changes":[{"field":"inst_type_code","before":"101","after":"102"}],"source":"import"}"#;
        let danish = lines(details, "institution", Language::Danish);
        assert_eq!(
            danish[0].1, "101 – Vuggestue → 102 – Børnehave",
            "{danish:?}"
        );
    }

    #[test]
    fn unknown_facts_keep_their_own_name_and_garbage_shows_nothing() {
        let english = lines(r#"{"brand_new":7}"#, "user", Language::English);
        assert_eq!(english, vec![("brand new".to_string(), "7".to_string())]);
        assert!(lines("not json", "user", Language::English).is_empty());
    }

    #[test]
    fn a_supplier_s_own_rows_read_without_codes() {
        let retired = r#"{"before":"active","after":"retired","name":"App","lapsed_requests":2,"agreements":"terminated","open_agreements":3}"#;
        let english = lines(retired, "service", Language::English);
        assert_eq!(english[0], ("Status".into(), "Active → Retired".into()));
        assert!(
            english.contains(&("The agreements".into(), "Ended".into())),
            "{english:?}"
        );
        let danish = lines(retired, "service", Language::Danish);
        assert_eq!(danish[0].1, "Aktiv → Udfaset");
        assert!(danish.iter().any(|(_, v)| v == "Afsluttet"), "{danish:?}");
        let ended = lines(
            r#"{"reference":"AF-1","before":"active","after":"terminated","reason":null,"reason_code":"service-retired","reason_args":{"service":"App"}}"#,
            "agreement",
            Language::English,
        );
        assert!(
            ended.contains(&(
                "Reason".into(),
                "The supplier has retired the service App.".into()
            )),
            "{ended:?}"
        );
        assert!(
            !ended.iter().any(|(label, _)| label.contains("reason ")),
            "{ended:?}"
        );
        let filed = lines(
            r#"{"kind":"extension","request":"DA-1","refused":[]}"#,
            "request",
            Language::English,
        );
        assert!(
            filed.contains(&("Kind".into(), "Extension".into())),
            "{filed:?}"
        );
        assert!(
            filed.contains(&("Request".into(), "DA-1".into())),
            "{filed:?}"
        );
        assert!(
            filed.iter().any(|(_, v)| v == "–"),
            "an empty list is a dash: {filed:?}"
        );
        let verified = lines(
            r#"{"before":false,"after":true}"#,
            "supplier",
            Language::English,
        );
        assert_eq!(verified[0].1, "no → yes");
        let held = lines(
            r#"{"side":"supplier","reason":"x"}"#,
            "agreement",
            Language::Danish,
        );
        assert!(
            held.contains(&("Part".into(), "leverandøren".into())),
            "{held:?}"
        );
        let token = lines(
            r#"{"kind":"supplier","name":"CI","permissions":"read file","expires_at":"2027-01-03 0:00:00.0"}"#,
            "api_token",
            Language::English,
        );
        assert!(
            token.contains(&("Kind".into(), "Supplier".into())),
            "{token:?}"
        );
        assert!(
            token.contains(&(
                "Permissions".into(),
                "Read requests and agreements, File requests".into()
            )),
            "{token:?}"
        );
        assert!(
            token.contains(&("Expires".into(), "03.01.2027 01:00".into())),
            "{token:?}"
        );
    }
}
