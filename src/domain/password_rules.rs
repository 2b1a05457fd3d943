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

/// Why a new password is refused, in Danish.
pub fn problem(password: &str, email: &str) -> Option<String> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Some(format!(
            "Adgangskoden skal være mindst {MIN_LENGTH} tegn. En sætning af flere ord er let at huske."
        ));
    }
    if length > MAX_LENGTH {
        return Some(format!("Adgangskoden må højst være {MAX_LENGTH} tegn."));
    }
    let lower = password.to_lowercase();
    if COMMON.contains(&lower.as_str())
        || lower
            .chars()
            .all(|c| c == lower.chars().next().unwrap_or(' '))
    {
        return Some("Adgangskoden er blandt de mest brugte og kan gættes. Vælg en anden.".into());
    }
    if !email.is_empty() && lower.contains(&email.to_lowercase()) {
        return Some("Adgangskoden må ikke indeholde din e-mailadresse.".into());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_not_composition() {
        assert!(problem("kort", "a@b.dk").is_some());
        assert!(
            problem("hest batteri korrekt hæfteklamme", "a@b.dk").is_none(),
            "a long phrase is fine"
        );
        assert!(
            problem("alllowercaseletters", "a@b.dk").is_none(),
            "no composition rules"
        );
        assert!(problem(&"x".repeat(129), "a@b.dk").is_some());
        assert!(
            problem("æøåæøåæøåæøå", "a@b.dk").is_none(),
            "twelve Danish letters are twelve characters"
        );
    }

    #[test]
    fn common_and_personal_passwords_are_refused() {
        assert!(problem("Adgangskode123", "a@b.dk").is_some());
        assert!(problem("aaaaaaaaaaaaaaa", "a@b.dk").is_some());
        assert!(problem("lene@firma.dk-2026", "lene@firma.dk").is_some());
    }
}
