//! Register files as the national registers write them, parsed into [`RegisterRow`]s.
//!
//! Three kinds, told apart by their header: daycare units (`EnhedsNummer`, with the
//! parent's `daginstitutionsNummer`), daycare klynger (`daginstitutionsNummer` only), and
//! schools (`InstitutionsNummer`, Institutionsregisteret). Files come in UTF-8 (with or
//! without BOM) or Windows-1252, separated by `;` or `,`. A unit row that names its
//! klynge also yields the klynge. Optional columns: `Status` (`aktiv` / `lukket`),
//! `LukketDato` and `EfterfoelgerNummer` (the number that replaces a closed one).
//! Every bad row is reported with its line number and reason; good rows still count.

use std::collections::HashMap;

use time::Date;

use super::codes::{Level, Ownership};
use super::institution_number::{InstitutionNumber, NumberError, NumberKind};
use super::request_form::{parse_date, parse_day_first};

pub const MAX_NAME: usize = 132;

/// One institution as a register file describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterRow {
    pub line: usize,
    pub number: String,
    pub name: String,
    pub level: Level,
    pub parent_number: Option<String>,
    pub inst_type_code: String,
    pub ownership_code: String,
    pub legal_basis_code: Option<String>,
    pub municipality_code: String,
    pub cvr: Option<String>,
    pub p_number: Option<String>,
    pub street: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// `Some(false)` closes the institution; `None` leaves the status as it is.
    pub active: Option<bool>,
    pub closed_on: Option<Date>,
    pub replaced_by: Option<String>,
}

/// A refused line of a register file: where, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub problem: RowProblem,
}

/// What is wrong with a register line, as facts; the caller words it. `column` is the
/// register's own column name, as the file spells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowProblem {
    /// The file holds nothing.
    EmptyFile,
    /// The header line could not be read (`detail` is the CSV reader's own account).
    UnreadableHeader { detail: String },
    /// The header names none of the three register kinds.
    UnknownKind,
    /// The line could not be read as CSV.
    UnreadableLine { detail: String },
    /// A required column is empty.
    Missing { column: &'static str },
    /// An institution number column holds something that is not one.
    BadNumber {
        column: &'static str,
        value: String,
        error: NumberError,
    },
    /// A well-formed number of the wrong kind (a school number in a daycare file).
    WrongNumberKind { column: &'static str, value: String },
    /// The name is longer than [`MAX_NAME`] characters.
    NameTooLong { max: usize },
    /// `admKommuneKode` is not a Danish municipality code.
    UnknownMunicipality { code: String },
    /// `ejerformKode` is not one of the ownership codes.
    UnknownOwnership { code: String },
    /// A column that holds a fixed number of digits (CVR, P-number) holds something else.
    NotDigits {
        column: &'static str,
        value: String,
        digits: usize,
    },
    /// `Email` holds no e-mail address.
    NotAnEmail { value: String },
    /// `Status` is neither active nor closed.
    UnknownStatus { value: String },
    /// A date column holds no date.
    NotADate { column: &'static str, value: String },
    /// The number stands on more than one line of the file.
    Duplicate { number: String },
    /// The parent klynge is neither in the register nor in the file.
    UnknownParent { parent: String },
    /// The line reopens a closed number; closed numbers are never reused.
    ClosedNumberReused { number: String },
}

impl RowProblem {
    /// The stable code machines read.
    pub fn code(&self) -> &'static str {
        match self {
            Self::EmptyFile => "empty_file",
            Self::UnreadableHeader { .. } => "unreadable_header",
            Self::UnknownKind => "unknown_file_kind",
            Self::UnreadableLine { .. } => "unreadable_line",
            Self::Missing { .. } => "missing_value",
            Self::BadNumber { .. } => "malformed_number",
            Self::WrongNumberKind { .. } => "wrong_number_kind",
            Self::NameTooLong { .. } => "name_too_long",
            Self::UnknownMunicipality { .. } => "unknown_municipality",
            Self::UnknownOwnership { .. } => "unknown_ownership",
            Self::NotDigits { .. } => "not_digits",
            Self::NotAnEmail { .. } => "not_an_email",
            Self::UnknownStatus { .. } => "unknown_status",
            Self::NotADate { .. } => "not_a_date",
            Self::Duplicate { .. } => "duplicate_number",
            Self::UnknownParent { .. } => "unknown_parent",
            Self::ClosedNumberReused { .. } => "closed_number_reused",
        }
    }
}

#[derive(Debug, Default)]
pub struct ParsedFile {
    pub rows: Vec<RegisterRow>,
    pub errors: Vec<RowError>,
}

/// UTF-8 (a BOM is dropped) or, failing that, Windows-1252.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

fn separator(header: &str) -> u8 {
    if header.matches(';').count() >= header.matches(',').count() {
        b';'
    } else {
        b','
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Units,
    Klynger,
    Schools,
}

/// Reads a register file; `known_municipalities` are the valid `admKommuneKode`s.
pub fn parse(bytes: &[u8], known_municipalities: &[String]) -> ParsedFile {
    let text = decode(bytes);
    let mut parsed = ParsedFile::default();
    let Some(header_line) = text.lines().next() else {
        parsed.errors.push(RowError {
            line: 1,
            problem: RowProblem::EmptyFile,
        });
        return parsed;
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator(header_line))
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: HashMap<String, usize> = match reader.headers() {
        Ok(h) => h
            .iter()
            .enumerate()
            .map(|(i, name)| (name.trim().to_lowercase(), i))
            .collect(),
        Err(e) => {
            parsed.errors.push(RowError {
                line: 1,
                problem: RowProblem::UnreadableHeader {
                    detail: e.to_string(),
                },
            });
            return parsed;
        }
    };
    let has = |name: &str| headers.contains_key(&name.to_lowercase());
    let kind = if has("EnhedsNummer") {
        Kind::Units
    } else if has("daginstitutionsNummer") {
        Kind::Klynger
    } else if has("InstitutionsNummer") {
        Kind::Schools
    } else {
        parsed.errors.push(RowError {
            line: 1,
            problem: RowProblem::UnknownKind,
        });
        return parsed;
    };
    let mut klynger_seen: HashMap<String, usize> = HashMap::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                parsed.errors.push(RowError {
                    line,
                    problem: RowProblem::UnreadableLine {
                        detail: e.to_string(),
                    },
                });
                continue;
            }
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let field = |name: &str| -> Option<String> {
            headers
                .get(&name.to_lowercase())
                .and_then(|i| record.get(*i))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        match row_from(kind, line, &field, known_municipalities) {
            Ok((row, klynge)) => {
                if let Some(k) = klynge
                    && klynger_seen.insert(k.number.clone(), line).is_none()
                {
                    parsed.rows.push(k);
                }
                parsed.rows.push(row);
            }
            Err(problem) => parsed.errors.push(RowError { line, problem }),
        }
    }
    parsed
}

fn number_of(
    text: Option<String>,
    column: &'static str,
    wanted: NumberKind,
) -> Result<String, RowProblem> {
    let text = text.ok_or(RowProblem::Missing { column })?;
    let number = InstitutionNumber::parse(&text).map_err(|error| RowProblem::BadNumber {
        column,
        value: text.clone(),
        error,
    })?;
    if number.kind() != wanted
        && !(wanted == NumberKind::Daycare && number.kind() == NumberKind::Legacy)
    {
        return Err(RowProblem::WrongNumberKind {
            column,
            value: text,
        });
    }
    Ok(number.to_string())
}

type Field<'a> = &'a dyn Fn(&str) -> Option<String>;

fn row_from(
    kind: Kind,
    line: usize,
    f: Field<'_>,
    municipalities: &[String],
) -> Result<(RegisterRow, Option<RegisterRow>), RowProblem> {
    let required = |column: &'static str| f(column).ok_or(RowProblem::Missing { column });
    let (number, name, level, parent) = match kind {
        Kind::Units => (
            number_of(f("EnhedsNummer"), "EnhedsNummer", NumberKind::Daycare)?,
            required("EnhedsNavn")?,
            Level::Anvisningsenhed,
            f("daginstitutionsNummer")
                .map(|p| number_of(Some(p), "daginstitutionsNummer", NumberKind::Daycare))
                .transpose()?,
        ),
        Kind::Klynger => (
            number_of(
                f("daginstitutionsNummer"),
                "daginstitutionsNummer",
                NumberKind::Daycare,
            )?,
            required("daginstitutionsNavn")?,
            Level::Daginstitution,
            None,
        ),
        Kind::Schools => (
            number_of(
                f("InstitutionsNummer"),
                "InstitutionsNummer",
                NumberKind::School,
            )?,
            required("InstitutionsNavn")?,
            Level::School,
            None,
        ),
    };
    if name.chars().count() > MAX_NAME {
        return Err(RowProblem::NameTooLong { max: MAX_NAME });
    }
    let municipality = required("admKommuneKode")?;
    let municipality = format!("{municipality:0>3}");
    if !municipalities.contains(&municipality) {
        return Err(RowProblem::UnknownMunicipality { code: municipality });
    }
    let ownership = required("ejerformKode")?;
    if Ownership::from_code(&ownership).is_none() {
        return Err(RowProblem::UnknownOwnership { code: ownership });
    }
    let inst_type = match kind {
        Kind::Units => required("InstType3")?,
        Kind::Klynger => "107".to_string(),
        Kind::Schools => required("InstitutionsType")?,
    };
    let digits = |v: Option<String>,
                  column: &'static str,
                  len: usize|
     -> Result<Option<String>, RowProblem> {
        match v {
            Some(v) if v.len() == len && v.chars().all(|c| c.is_ascii_digit()) => Ok(Some(v)),
            Some(value) => Err(RowProblem::NotDigits {
                column,
                value,
                digits: len,
            }),
            None => Ok(None),
        }
    };
    let email = f("Email");
    if let Some(e) = &email
        && !e.contains('@')
    {
        return Err(RowProblem::NotAnEmail { value: e.clone() });
    }
    let active = match f("Status").map(|s| s.to_lowercase()) {
        None => None,
        Some(s) if s == "aktiv" || s == "active" => Some(true),
        Some(s) if s == "lukket" || s == "closed" || s == "nedlagt" => Some(false),
        Some(value) => return Err(RowProblem::UnknownStatus { value }),
    };
    let closed_on = match f("LukketDato") {
        None => None,
        Some(d) => Some(
            parse_date(&d)
                .or_else(|| parse_day_first(&d))
                .ok_or_else(|| RowProblem::NotADate {
                    column: "LukketDato",
                    value: d.clone(),
                })?,
        ),
    };
    let replaced_by = f("EfterfoelgerNummer").map(|s| {
        InstitutionNumber::parse(&s)
            .map(|n| n.to_string())
            .map_err(|error| RowProblem::BadNumber {
                column: "EfterfoelgerNummer",
                value: s.clone(),
                error,
            })
    });
    let row = RegisterRow {
        line,
        number,
        name,
        level,
        parent_number: parent.clone(),
        inst_type_code: inst_type,
        ownership_code: ownership.clone(),
        legal_basis_code: f("lovgrundlagKode"),
        municipality_code: municipality.clone(),
        cvr: digits(f("CVRNummer"), "CVRNummer", 8)?,
        p_number: digits(f("PNummer"), "PNummer", 10)?,
        street: f("Adresse"),
        postal_code: f("PostNr"),
        city: f("PostDistrikt"),
        email,
        phone: f("TelefonNummer"),
        active: if closed_on.is_some() {
            Some(false)
        } else {
            active
        },
        closed_on,
        replaced_by: replaced_by.transpose()?,
    };
    // A unit row that names its klynge and the klynge's name describes the klynge too.
    let klynge = match (&parent, f("daginstitutionsNavn")) {
        (Some(p), Some(klynge_name)) if kind == Kind::Units => Some(RegisterRow {
            line,
            number: p.clone(),
            name: klynge_name,
            level: Level::Daginstitution,
            parent_number: None,
            inst_type_code: "107".into(),
            ownership_code: ownership,
            legal_basis_code: f("lovgrundlagKode"),
            municipality_code: municipality,
            cvr: None,
            p_number: None,
            street: None,
            postal_code: None,
            city: None,
            email: None,
            phone: None,
            active: None,
            closed_on: None,
            replaced_by: None,
        }),
        _ => None,
    };
    Ok((row, klynge))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kommuner() -> Vec<String> {
        vec!["101".into(), "147".into()]
    }

    const UNITS: &str = "EnhedsNummer;EnhedsNavn;daginstitutionsNummer;daginstitutionsNavn;InstType3;ejerformKode;admKommuneKode;Email;CVRNummer\n\
        G50001;Vuggestuen Øst;G50000;Klyngen Øst;101;1;101;a@b.dk;12345678\n\
        G50002;Børnehaven Øst;G50000;Klyngen Øst;102;1;101;;\n\
        X1;Forkert;G50000;Klyngen Øst;102;1;101;;\n\
        G50003;Ukendt kommune;G50000;Klyngen Øst;102;1;999;;\n";

    #[test]
    fn unit_files_yield_units_and_their_klynge_and_report_bad_lines() {
        let parsed = parse(UNITS.as_bytes(), &kommuner());
        let numbers: Vec<&str> = parsed.rows.iter().map(|r| r.number.as_str()).collect();
        assert_eq!(numbers, vec!["G50000", "G50001", "G50002"]);
        assert_eq!(parsed.rows[0].level, Level::Daginstitution);
        assert_eq!(parsed.rows[1].parent_number.as_deref(), Some("G50000"));
        assert_eq!(
            parsed.errors.iter().map(|e| e.line).collect::<Vec<_>>(),
            vec![4, 5]
        );
        assert!(matches!(
            &parsed.errors[1].problem,
            RowProblem::UnknownMunicipality { code } if code == "999"
        ));
    }

    #[test]
    fn windows_1252_and_commas_read_the_same() {
        let commas = UNITS.replace(';', ",");
        let (latin1, _, _) = encoding_rs::WINDOWS_1252.encode(&commas);
        let parsed = parse(&latin1, &kommuner());
        assert_eq!(parsed.rows[1].name, "Vuggestuen Øst");
        assert_eq!(parsed.rows.len(), 3);
    }

    #[test]
    fn closing_columns_are_read() {
        let file = "InstitutionsNummer,InstitutionsNavn,InstitutionsType,ejerformKode,admKommuneKode,Status,LukketDato,EfterfoelgerNummer\n\
            101099,Lille Skole,1012,1,101,lukket,01.08.2026,101098\n";
        let parsed = parse(file.as_bytes(), &kommuner());
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let row = &parsed.rows[0];
        assert_eq!(row.active, Some(false));
        assert_eq!(
            row.closed_on,
            Date::from_calendar_date(2026, time::Month::August, 1).ok()
        );
        assert_eq!(row.replaced_by.as_deref(), Some("101098"));
    }

    #[test]
    fn an_unknown_header_is_one_clear_error() {
        let parsed = parse(b"foo;bar\n1;2\n", &kommuner());
        assert!(parsed.rows.is_empty());
        assert_eq!(parsed.errors[0].problem, RowProblem::UnknownKind);
    }
}
