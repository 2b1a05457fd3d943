//! National code lists for coded institution fields.
//!
//! Institutions store the register's code; the portal always shows and exports code *and*
//! text (from the catalogues, in the reader's language), because municipalities' code
//! lists differ and consumers want both. Unknown codes are kept, not rejected, and shown
//! as a code the list does not know.

/// The national code lists the register's coded fields use. Their texts are in the
/// catalogues (`code-<list>-<code>`); a code a list does not know is kept and shown as
/// such.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeList {
    /// Ownership (ejerform).
    Ownership,
    /// Institution type (InstType3 for daycare; schools use the school codes).
    InstitutionType,
    /// Legal basis (lovgrundlag).
    LegalBasis,
}

impl CodeList {
    pub const ALL: [CodeList; 3] = [Self::Ownership, Self::InstitutionType, Self::LegalBasis];

    /// The list's name in catalogue keys.
    pub fn key(self) -> &'static str {
        match self {
            Self::Ownership => "ownership",
            Self::InstitutionType => "insttype",
            Self::LegalBasis => "legal",
        }
    }

    /// The codes the list knows.
    pub fn codes(self) -> &'static [&'static str] {
        match self {
            Self::Ownership => &["1", "2", "3", "4"],
            Self::InstitutionType => &[
                "101", "102", "103", "104", "105", "106", "107", "1012", "1015",
            ],
            Self::LegalBasis => &["DTL19-2", "DTL19-3", "DTL19-4", "DTL19-5", "FSL", "FRL"],
        }
    }

    pub fn knows(self, code: &str) -> bool {
        self.codes().contains(&code)
    }
}

/// Ownership as the policy sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ownership {
    Municipal,
    SelfGoverning,
    Private,
    Contracted,
}

impl Ownership {
    pub const ALL: [Ownership; 4] = [
        Self::Municipal,
        Self::SelfGoverning,
        Self::Private,
        Self::Contracted,
    ];

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "1" => Some(Self::Municipal),
            "2" => Some(Self::SelfGoverning),
            "3" => Some(Self::Private),
            "4" => Some(Self::Contracted),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Municipal => "1",
            Self::SelfGoverning => "2",
            Self::Private => "3",
            Self::Contracted => "4",
        }
    }
}

/// Level in the register's hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// A klynge / parent board: no users, requests expand to its units.
    Daginstitution,
    /// A unit where children are placed; users attach here.
    Anvisningsenhed,
    School,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Daginstitution => "daginstitution",
            Self::Anvisningsenhed => "anvisningsenhed",
            Self::School => "skole",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "daginstitution" => Some(Self::Daginstitution),
            "anvisningsenhed" => Some(Self::Anvisningsenhed),
            "skole" => Some(Self::School),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_know_their_codes_and_no_others() {
        assert!(CodeList::Ownership.knows("2"));
        assert!(!CodeList::Ownership.knows("99"));
        assert!(CodeList::InstitutionType.knows("1012"));
    }

    #[test]
    fn ownership_codes_round_trip() {
        for o in Ownership::ALL {
            assert_eq!(Ownership::from_code(o.code()), Some(o));
        }
    }
}
