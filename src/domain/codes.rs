//! National code lists for coded institution fields.
//!
//! Institutions store the register's code; the portal always shows and exports code *and*
//! Danish text, because municipalities' code lists differ and consumers want both.
//! Unknown codes are kept and shown as the bare code rather than rejected.

/// One entry of a code list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub code: &'static str,
    pub text_da: &'static str,
}

/// Ownership (ejerform).
pub const OWNERSHIP: &[Code] = &[
    Code {
        code: "1",
        text_da: "Kommunal",
    },
    Code {
        code: "2",
        text_da: "Selvejende",
    },
    Code {
        code: "3",
        text_da: "Privat",
    },
    Code {
        code: "4",
        text_da: "Udliciteret",
    },
];

/// Institution type (InstType3 for daycare; schools use the school codes).
pub const INSTITUTION_TYPE: &[Code] = &[
    Code {
        code: "101",
        text_da: "Vuggestue",
    },
    Code {
        code: "102",
        text_da: "Børnehave",
    },
    Code {
        code: "103",
        text_da: "Aldersintegreret institution",
    },
    Code {
        code: "104",
        text_da: "Fritidshjem",
    },
    Code {
        code: "105",
        text_da: "Fritidsklub",
    },
    Code {
        code: "106",
        text_da: "Dagpleje (område)",
    },
    Code {
        code: "107",
        text_da: "Daginstitution (klynge)",
    },
    Code {
        code: "1012",
        text_da: "Folkeskole",
    },
    Code {
        code: "1015",
        text_da: "Friskole eller privat grundskole",
    },
];

/// Legal basis (lovgrundlag).
pub const LEGAL_BASIS: &[Code] = &[
    Code {
        code: "DTL19-2",
        text_da: "Dagtilbudsloven § 19, stk. 2 (kommunal)",
    },
    Code {
        code: "DTL19-3",
        text_da: "Dagtilbudsloven § 19, stk. 3 (selvejende)",
    },
    Code {
        code: "DTL19-4",
        text_da: "Dagtilbudsloven § 19, stk. 4 (udliciteret)",
    },
    Code {
        code: "DTL19-5",
        text_da: "Dagtilbudsloven § 19, stk. 5 (privat)",
    },
    Code {
        code: "FSL",
        text_da: "Folkeskoleloven",
    },
    Code {
        code: "FRL",
        text_da: "Friskoleloven",
    },
];

/// "code – text" for display, or the bare code when the list does not know it.
pub fn label(list: &[Code], code: &str) -> String {
    match list.iter().find(|c| c.code == code) {
        Some(c) => format!("{} – {}", c.code, c.text_da),
        None => code.to_string(),
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

    pub fn label_da(self) -> &'static str {
        match self {
            Self::Daginstitution => "Daginstitution (klynge)",
            Self::Anvisningsenhed => "Anvisningsenhed",
            Self::School => "Skole",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_show_code_and_text_or_the_bare_code() {
        assert_eq!(label(OWNERSHIP, "2"), "2 – Selvejende");
        assert_eq!(label(OWNERSHIP, "99"), "99");
    }

    #[test]
    fn ownership_codes_round_trip() {
        for o in Ownership::ALL {
            assert_eq!(Ownership::from_code(o.code()), Some(o));
        }
    }
}
