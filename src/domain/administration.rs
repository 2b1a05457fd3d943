//! The forms of the supplier's and the operators' administration, parsed into checked
//! fields or the problems with them, field by field: a service (name, description,
//! website, privacy-policy address, contact email), a supplier (name, CVR number) and a
//! scope of the catalogue (code, Danish and English names and descriptions, sensitivity,
//! sort order). Web addresses must be absolute `http`/`https` ones with a host; an email
//! address must parse as one; a CVR number is 8 digits passing the modulus-11 check
//! (weights 2 7 6 5 4 3 2 1, the sum divisible by 11), as the Central Business Register
//! issues them.

/// Longest name accepted.
pub const MAX_NAME: usize = 200;
/// Longest description accepted.
pub const MAX_DESCRIPTION: usize = 4000;
/// Longest web or email address accepted.
pub const MAX_ADDRESS: usize = 500;
/// Longest scope code accepted.
pub const MAX_CODE: usize = 40;

/// What is wrong with one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Missing,
    TooLong,
    /// Not an absolute `http`/`https` address with a host.
    NotAWebAddress,
    NotAnEmail,
    /// A CVR number is 8 digits.
    CvrNotEightDigits,
    /// 8 digits that fail the modulus-11 check.
    CvrChecksum,
    /// A scope code is capital letters A–Z, digits and `_`.
    BadCode,
    /// A sort order is a whole number.
    NotANumber,
    /// The code or CVR number is already in use.
    Taken,
}

/// The problems of a form: (field name, problem), in the form's order.
pub type Problems = Vec<(&'static str, Problem)>;

fn text(problems: &mut Problems, field: &'static str, value: &str, max: usize) -> String {
    let value = value.trim();
    if value.is_empty() {
        problems.push((field, Problem::Missing));
    } else if value.chars().count() > max {
        problems.push((field, Problem::TooLong));
    }
    value.to_string()
}

fn optional(
    problems: &mut Problems,
    field: &'static str,
    value: &str,
    check: fn(&str) -> Result<(), Problem>,
) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    if value.chars().count() > MAX_ADDRESS {
        problems.push((field, Problem::TooLong));
    } else if let Err(problem) = check(value) {
        problems.push((field, problem));
    }
    Some(value.to_string())
}

/// Whether `value` is an absolute `http` or `https` address with a host.
pub fn web_address(value: &str) -> Result<(), Problem> {
    match url::Url::parse(value) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => Ok(()),
        _ => Err(Problem::NotAWebAddress),
    }
}

/// Whether `value` is a well-formed email address (one `@`, a domain with a dot).
pub fn email_address(value: &str) -> Result<(), Problem> {
    let ok = value.parse::<lettre::Address>().is_ok_and(|a| {
        a.domain().contains('.') && !a.domain().starts_with('.') && !a.domain().ends_with('.')
    });
    if ok { Ok(()) } else { Err(Problem::NotAnEmail) }
}

/// A service as a supplier admin or an operator types it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ServiceInput {
    pub name: String,
    pub description: String,
    pub website: String,
    pub privacy_url: String,
    pub contact_email: String,
}

/// A service's checked fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceFields {
    pub name: String,
    pub description: String,
    pub website: Option<String>,
    pub privacy_url: Option<String>,
    pub contact_email: Option<String>,
}

impl ServiceInput {
    /// The checked fields, or every problem at once. Name and description are required;
    /// the addresses are optional but, when given, must be well-formed.
    pub fn parse(&self) -> Result<ServiceFields, Problems> {
        let mut problems = Problems::new();
        let fields = ServiceFields {
            name: text(&mut problems, "name", &self.name, MAX_NAME),
            description: text(
                &mut problems,
                "description",
                &self.description,
                MAX_DESCRIPTION,
            ),
            website: optional(&mut problems, "website", &self.website, web_address),
            privacy_url: optional(&mut problems, "privacy_url", &self.privacy_url, web_address),
            contact_email: optional(
                &mut problems,
                "contact_email",
                &self.contact_email,
                email_address,
            ),
        };
        if problems.is_empty() {
            Ok(fields)
        } else {
            Err(problems)
        }
    }
}

/// Whether 8 digits pass the CVR modulus-11 check.
pub fn cvr_checksum_holds(digits: &str) -> bool {
    const WEIGHTS: [u32; 8] = [2, 7, 6, 5, 4, 3, 2, 1];
    let sum: u32 = digits
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).unwrap_or(0) * w)
        .sum();
    sum.is_multiple_of(11)
}

/// A CVR number as typed (spaces allowed, a `DK` prefix too), as its 8 digits.
pub fn parse_cvr(typed: &str) -> Result<String, Problem> {
    let compact: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    let digits = compact
        .strip_prefix("DK")
        .or_else(|| compact.strip_prefix("dk"))
        .unwrap_or(&compact);
    if digits.is_empty() {
        return Err(Problem::Missing);
    }
    if digits.len() != 8 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(Problem::CvrNotEightDigits);
    }
    if !cvr_checksum_holds(digits) {
        return Err(Problem::CvrChecksum);
    }
    Ok(digits.to_string())
}

/// A supplier as an operator types it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct SupplierInput {
    pub name: String,
    pub cvr: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupplierFields {
    pub name: String,
    pub cvr: String,
}

impl SupplierInput {
    pub fn parse(&self) -> Result<SupplierFields, Problems> {
        let mut problems = Problems::new();
        let name = text(&mut problems, "name", &self.name, MAX_NAME);
        let cvr = parse_cvr(&self.cvr).unwrap_or_else(|p| {
            problems.push(("cvr", p));
            String::new()
        });
        if problems.is_empty() {
            Ok(SupplierFields { name, cvr })
        } else {
            Err(problems)
        }
    }
}

/// A scope of the catalogue as an operator types it. `sensitive` is "yes" when ticked.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ScopeInput {
    pub code: String,
    pub name_da: String,
    pub name_en: String,
    pub description_da: String,
    pub description_en: String,
    pub sensitive: String,
    pub sort_order: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeFields {
    pub code: String,
    pub name_da: String,
    pub name_en: String,
    pub description_da: String,
    pub description_en: String,
    pub sensitive: bool,
    pub sort_order: i32,
}

impl ScopeInput {
    /// The checked fields. A code is written in capitals (`cpr` becomes `CPR`); the
    /// sort order defaults to 0 when left empty.
    pub fn parse(&self) -> Result<ScopeFields, Problems> {
        let mut problems = Problems::new();
        let code = self.code.trim().to_uppercase();
        if code.is_empty() {
            problems.push(("code", Problem::Missing));
        } else if code.len() > MAX_CODE
            || !code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        {
            problems.push(("code", Problem::BadCode));
        }
        let name_da = text(&mut problems, "name_da", &self.name_da, MAX_NAME);
        let name_en = text(&mut problems, "name_en", &self.name_en, MAX_NAME);
        let description_da = text(
            &mut problems,
            "description_da",
            &self.description_da,
            MAX_DESCRIPTION,
        );
        let description_en = text(
            &mut problems,
            "description_en",
            &self.description_en,
            MAX_DESCRIPTION,
        );
        let order = self.sort_order.trim();
        let sort_order = if order.is_empty() {
            0
        } else {
            order.parse::<i32>().unwrap_or_else(|_| {
                problems.push(("sort_order", Problem::NotANumber));
                0
            })
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(ScopeFields {
            code,
            name_da,
            name_en,
            description_da,
            description_en,
            sensitive: matches!(self.sensitive.trim(), "yes" | "true" | "on"),
            sort_order,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_needs_a_name_and_well_formed_addresses() {
        let input = ServiceInput {
            name: " Forældreapp ".into(),
            description: "Beskeder".into(),
            website: "ftp://example.org".into(),
            privacy_url: "example.org/privatliv".into(),
            contact_email: "support@".into(),
        };
        assert_eq!(
            input.parse().err(),
            Some(vec![
                ("website", Problem::NotAWebAddress),
                ("privacy_url", Problem::NotAWebAddress),
                ("contact_email", Problem::NotAnEmail),
            ])
        );
        let good = ServiceInput {
            website: "https://example.org".into(),
            privacy_url: "http://example.org/privatliv".into(),
            contact_email: "support@example.org".into(),
            ..input
        };
        let fields = good.parse().expect("good");
        assert_eq!(fields.name, "Forældreapp");
        assert_eq!(fields.contact_email.as_deref(), Some("support@example.org"));
        assert_eq!(
            ServiceInput::default().parse().err(),
            Some(vec![
                ("name", Problem::Missing),
                ("description", Problem::Missing)
            ])
        );
    }

    #[test]
    fn cvr_numbers_are_eight_digits_passing_modulus_eleven() {
        // 2·1 + 7·0 + 6·1 + 5·5 + 4·0 + 3·3 + 2·4 + 1·5 = 55 = 5 · 11
        assert_eq!(parse_cvr("10150345"), Ok("10150345".into()));
        assert_eq!(parse_cvr("DK 1015 0345"), Ok("10150345".into()));
        assert_eq!(parse_cvr("10150348"), Err(Problem::CvrChecksum));
        assert_eq!(parse_cvr("1234567"), Err(Problem::CvrNotEightDigits));
        assert_eq!(parse_cvr("1234567a"), Err(Problem::CvrNotEightDigits));
        assert_eq!(parse_cvr(" "), Err(Problem::Missing));
    }

    #[test]
    fn a_scope_code_is_capitals_and_its_order_a_number() {
        let input = ScopeInput {
            code: "fravaer".into(),
            name_da: "Fravær".into(),
            name_en: "Absence".into(),
            description_da: "Fravær".into(),
            description_en: "Absence".into(),
            sensitive: "yes".into(),
            sort_order: "".into(),
        };
        let fields = input.parse().expect("good");
        assert_eq!(fields.code, "FRAVAER");
        assert!(fields.sensitive);
        let bad = ScopeInput {
            code: "fra vær".into(),
            sort_order: "først".into(),
            ..input
        };
        assert_eq!(
            bad.parse().err(),
            Some(vec![
                ("code", Problem::BadCode),
                ("sort_order", Problem::NotANumber)
            ])
        );
    }
}
