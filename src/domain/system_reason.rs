//! Reasons the system itself gives when it ends a request or an agreement (a closure in
//! the register, an end date passed, a move to a successor number). They are stored as a
//! stable code plus its arguments (JSON text), never as a sentence, so every reader sees
//! them in their own language; a person's own typed reason stays plain text ([`Reason`]).

use serde_json::{Value, json};

/// A reason the system writes, with the facts its wording needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SystemReason {
    /// The institution closed in the register, perhaps continued under another number.
    InstitutionClosed {
        number: String,
        successor: Option<String>,
    },
    /// The agreement's end date has passed.
    EndDatePassed,
    /// The agreement moved from a legacy number to its successor's agreement.
    MovedToSuccessor {
        from: String,
        to: String,
        reference: String,
    },
    /// The supplier retired the service (its pending requests lapse, and its agreements
    /// end when the supplier chose to end them with it).
    ServiceRetired { service: String },
}

impl SystemReason {
    /// Every code, for the catalogue test (`reason-<code>` must exist in both languages).
    pub const CODES: [&'static str; 4] = [
        "institution-closed",
        "end-date-passed",
        "moved-to-successor",
        "service-retired",
    ];

    /// The stable code stored beside the arguments.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InstitutionClosed { .. } => "institution-closed",
            Self::EndDatePassed => "end-date-passed",
            Self::MovedToSuccessor { .. } => "moved-to-successor",
            Self::ServiceRetired { .. } => "service-retired",
        }
    }

    /// The arguments, as stored (a JSON object).
    pub fn args(&self) -> Value {
        match self {
            Self::InstitutionClosed { number, successor } => {
                json!({ "number": number, "successor": successor })
            }
            Self::EndDatePassed => json!({}),
            Self::MovedToSuccessor {
                from,
                to,
                reference,
            } => json!({ "from": from, "to": to, "reference": reference }),
            Self::ServiceRetired { service } => json!({ "service": service }),
        }
    }

    /// The code and the arguments as JSON text, for the two columns.
    pub fn stored(&self) -> (&'static str, String) {
        (self.code(), self.args().to_string())
    }

    /// Reads a stored code and its arguments; `None` for a code this version does not know
    /// or arguments that do not fit it.
    pub fn from_stored(code: &str, args: Option<&str>) -> Option<Self> {
        let args: Value = match args {
            Some(text) if !text.trim().is_empty() => serde_json::from_str(text).ok()?,
            _ => json!({}),
        };
        let text = |key: &str| args.get(key).and_then(Value::as_str).map(str::to_string);
        match code {
            "institution-closed" => Some(Self::InstitutionClosed {
                number: text("number")?,
                successor: text("successor"),
            }),
            "end-date-passed" => Some(Self::EndDatePassed),
            "moved-to-successor" => Some(Self::MovedToSuccessor {
                from: text("from")?,
                to: text("to")?,
                reference: text("reference")?,
            }),
            "service-retired" => Some(Self::ServiceRetired {
                service: text("service")?,
            }),
            _ => None,
        }
    }
}

/// The reason a request or agreement ended with: a person's own words, or one the
/// system gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    Typed(String),
    System(SystemReason),
}

impl Reason {
    /// A typed reason, trimmed; none when blank.
    pub fn typed(text: Option<&str>) -> Option<Self> {
        text.map(str::trim)
            .filter(|t| !t.is_empty())
            .map(|t| Self::Typed(t.to_string()))
    }

    /// The reason held by a row's columns: the system's code (with its arguments) if the
    /// row has a known one, otherwise the free text.
    pub fn from_columns(
        text: Option<&str>,
        code: Option<&str>,
        args: Option<&str>,
    ) -> Option<Self> {
        code.and_then(|code| SystemReason::from_stored(code, args))
            .map(Self::System)
            .or_else(|| Self::typed(text))
    }

    /// The values of the three columns: free text, code, arguments.
    pub fn columns(&self) -> (Option<&str>, Option<&'static str>, Option<String>) {
        match self {
            Self::Typed(text) => (Some(text.as_str()), None, None),
            Self::System(reason) => {
                let (code, args) = reason.stored();
                (None, Some(code), Some(args))
            }
        }
    }

    /// The code of a system reason.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            Self::Typed(_) => None,
            Self::System(reason) => Some(reason.code()),
        }
    }

    /// The reason an audit row's details hold (see [`Reason::audit_fields`]); rows written
    /// before reasons had codes hold only the text.
    pub fn from_details(details: &Value) -> Option<Self> {
        let text = |key: &str| details.get(key).and_then(Value::as_str);
        let args = details
            .get("reason_args")
            .filter(|a| a.is_object())
            .map(Value::to_string);
        Self::from_columns(text("reason"), text("reason_code"), args.as_deref())
    }

    /// The facts for an audit row's details: `reason` (typed text), `reason_code` and
    /// `reason_args` (the system's).
    pub fn audit_fields(reason: Option<&Self>) -> (Value, Value, Value) {
        match reason {
            None => (Value::Null, Value::Null, Value::Null),
            Some(Self::Typed(text)) => (json!(text), Value::Null, Value::Null),
            Some(Self::System(r)) => (Value::Null, json!(r.code()), r.args()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_reads_back_from_its_stored_form() {
        let all = [
            SystemReason::InstitutionClosed {
                number: "G10201".into(),
                successor: Some("G10204".into()),
            },
            SystemReason::InstitutionClosed {
                number: "G10401".into(),
                successor: None,
            },
            SystemReason::EndDatePassed,
            SystemReason::MovedToSuccessor {
                from: "A12345".into(),
                to: "G10201".into(),
                reference: "AF-2026-000001".into(),
            },
            SystemReason::ServiceRetired {
                service: "Forældreapp".into(),
            },
        ];
        for reason in all {
            let (code, args) = reason.stored();
            assert!(SystemReason::CODES.contains(&code));
            assert_eq!(SystemReason::from_stored(code, Some(&args)), Some(reason));
        }
    }

    #[test]
    fn an_unknown_code_falls_back_to_the_text_and_blank_text_is_no_reason() {
        assert_eq!(
            Reason::from_columns(Some("Gammel tekst."), Some("no-such-code"), Some("{}")),
            Some(Reason::Typed("Gammel tekst.".into()))
        );
        assert_eq!(Reason::from_columns(Some("  "), None, None), None);
        assert_eq!(
            Reason::from_columns(None, Some("end-date-passed"), None),
            Some(Reason::System(SystemReason::EndDatePassed))
        );
        assert_eq!(
            SystemReason::from_stored("institution-closed", Some("{}")),
            None,
            "arguments that do not fit are refused"
        );
    }
}
