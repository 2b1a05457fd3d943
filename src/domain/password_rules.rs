//! Password rules after NIST SP 800-63B: length, not composition. At least 12 and at most
//! 128 characters (counted as characters, so Danish letters count once), not one of the
//! most common passwords, and not the person's own email address.

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 128;

/// The most common passwords (international and Danish), compared case-insensitively.
const COMMON: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123456123456",
    "111111111111",
    "000000000000",
    "123123123123",
    "password1234",
    "password12345",
    "passwordpassword",
    "qwertyuiopas",
    "qwerty123456",
    "1q2w3e4r5t6y",
    "1qaz2wsx3edc",
    "abcdefghijkl",
    "abc123abc123",
    "iloveyou1234",
    "welcome12345",
    "letmein12345",
    "adminadmin12",
    "administrator",
    "changeme1234",
    "trustno11234",
    "sunshine1234",
    "football1234",
    "baseball1234",
    "superman1234",
    "princess1234",
    "starwars1234",
    "dragon123456",
    "adgangskode1",
    "adgangskode12",
    "adgangskode123",
    "adgangskode2024",
    "adgangskode2025",
    "adgangskode2026",
    "kodeord12345",
    "kodeordkodeord",
    "sommer2024!!",
    "sommer202424",
    "vinter2024!!",
    "efterår20244",
    "forår2024!!!",
    "danmark12345",
    "danmark2024!",
    "kobenhavn123",
    "københavn123",
    "hemmelig1234",
    "velkommen123",
    "velkommen1234",
    "tilslutning1",
    "tilslutning12",
    "tilslutning123",
    "unilogin1234",
    "børnehave123",
    "vuggestue123",
    "dagtilbud123",
    "kommune12345",
    "skolen123456",
    "mitid1234567",
];

/// Why a new password is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    /// Shorter than [`MIN_LENGTH`] characters.
    TooShort,
    /// Longer than [`MAX_LENGTH`] characters.
    TooLong,
    /// Among the most used passwords, or one character repeated.
    Common,
    /// It holds the person's e-mail address.
    ContainsEmail,
}

impl PasswordProblem {
    /// The catalogue key of the sentence that explains it.
    pub fn key(self) -> &'static str {
        match self {
            Self::TooShort => "password-too-short",
            Self::TooLong => "password-too-long",
            Self::Common => "password-common",
            Self::ContainsEmail => "password-contains-email",
        }
    }
}

/// Why a new password is refused, if it is.
pub fn problem(password: &str, email: &str) -> Option<PasswordProblem> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Some(PasswordProblem::TooShort);
    }
    if length > MAX_LENGTH {
        return Some(PasswordProblem::TooLong);
    }
    let lower = password.to_lowercase();
    if COMMON.contains(&lower.as_str())
        || lower
            .chars()
            .all(|c| c == lower.chars().next().unwrap_or(' '))
    {
        return Some(PasswordProblem::Common);
    }
    if !email.is_empty() && lower.contains(&email.to_lowercase()) {
        return Some(PasswordProblem::ContainsEmail);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_not_composition() {
        assert_eq!(problem("kort", "a@b.dk"), Some(PasswordProblem::TooShort));
        assert!(
            problem("hest batteri korrekt hæfteklamme", "a@b.dk").is_none(),
            "a long phrase is fine"
        );
        assert!(
            problem("alllowercaseletters", "a@b.dk").is_none(),
            "no composition rules"
        );
        assert_eq!(
            problem(&"x".repeat(129), "a@b.dk"),
            Some(PasswordProblem::TooLong)
        );
        assert!(
            problem("æøåæøåæøåæøå", "a@b.dk").is_none(),
            "twelve Danish letters are twelve characters"
        );
    }

    #[test]
    fn common_and_personal_passwords_are_refused() {
        assert_eq!(
            problem("Adgangskode123", "a@b.dk"),
            Some(PasswordProblem::Common)
        );
        assert_eq!(
            problem("aaaaaaaaaaaaaaa", "a@b.dk"),
            Some(PasswordProblem::Common)
        );
        assert_eq!(
            problem("lene@firma.dk-2026", "lene@firma.dk"),
            Some(PasswordProblem::ContainsEmail)
        );
    }
}
