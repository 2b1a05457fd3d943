//! Institution numbers as the national registers issue them, parsed once at the edge.
//!
//! Three formats exist: six digits (Institutionsregisteret: schools), `G` + five digits
//! (Dagtilbudsregisteret: daycare) and `A` + five digits (legacy keys being phased out).
//! Parsing trims surrounding space and accepts a lower-case prefix, but nothing else.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InstitutionNumber(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberKind {
    /// Six digits, Institutionsregisteret.
    School,
    /// `G` + five digits, Dagtilbudsregisteret.
    Daycare,
    /// `A` + five digits, legacy key.
    Legacy,
}

/// Why a text is not an institution number; each case explains itself to the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    #[error("Institutionsnummeret mangler.")]
    Empty,
    #[error("Et institutionsnummer har 6 tegn, ikke {0}.")]
    WrongLength(usize),
    #[error("Et institutionsnummer starter med G, A eller et ciffer, ikke «{0}».")]
    BadPrefix(char),
    #[error("Efter det første tegn må der kun stå cifre; «{0}» er ikke et ciffer.")]
    NotADigit(char),
}

impl InstitutionNumber {
    pub fn parse(input: &str) -> Result<Self, NumberError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(NumberError::Empty);
        }
        let chars: Vec<char> = text.chars().collect();
        if chars.len() != 6 {
            return Err(NumberError::WrongLength(chars.len()));
        }
        let first = chars[0].to_ascii_uppercase();
        if !(first == 'G' || first == 'A' || first.is_ascii_digit()) {
            return Err(NumberError::BadPrefix(chars[0]));
        }
        if let Some(bad) = chars[1..].iter().find(|c| !c.is_ascii_digit()) {
            return Err(NumberError::NotADigit(*bad));
        }
        let mut normalised = String::with_capacity(6);
        normalised.push(first);
        normalised.extend(&chars[1..]);
        Ok(Self(normalised))
    }

    pub fn kind(&self) -> NumberKind {
        match self.0.as_bytes()[0] {
            b'G' => NumberKind::Daycare,
            b'A' => NumberKind::Legacy,
            _ => NumberKind::School,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for InstitutionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_three_formats() {
        assert_eq!(
            InstitutionNumber::parse("101001").map(|n| n.kind()),
            Ok(NumberKind::School)
        );
        assert_eq!(
            InstitutionNumber::parse("G12345").map(|n| n.kind()),
            Ok(NumberKind::Daycare)
        );
        assert_eq!(
            InstitutionNumber::parse(" a12345 ").map(|n| n.to_string()),
            Ok("A12345".into())
        );
    }

    #[test]
    fn explains_what_is_wrong() {
        assert_eq!(InstitutionNumber::parse("  "), Err(NumberError::Empty));
        assert_eq!(
            InstitutionNumber::parse("G1234"),
            Err(NumberError::WrongLength(5))
        );
        assert_eq!(
            InstitutionNumber::parse("X12345"),
            Err(NumberError::BadPrefix('X'))
        );
        assert_eq!(
            InstitutionNumber::parse("G12a45"),
            Err(NumberError::NotADigit('a'))
        );
        assert_eq!(
            InstitutionNumber::parse("ÆØÅ123"),
            Err(NumberError::BadPrefix('Æ'))
        );
    }
}
