//! A national-scale institution register in the national registers' own file format,
//! generated deterministically for tests and benchmarks: all 98 municipalities, 26 klynger
//! with two anvisningsenheder each per municipality (2,548 klynger, 5,096 units) and 20
//! schools per municipality (1,960), with every ownership and a spread of types.
//! Numbers start at `G80000` and `200000`, clear of the demo register.

use std::fmt::Write;

const TYPES: [&str; 5] = ["101", "102", "103", "104", "105"];

fn ownership(index: usize) -> &'static str {
    match index % 20 {
        0..=14 => "1",
        15..=17 => "2",
        18 => "3",
        _ => "4",
    }
}

/// The daycare units file (with each unit's klynge).
pub fn units_csv(municipality_codes: &[String]) -> String {
    let mut out = String::from(
        "EnhedsNummer;EnhedsNavn;daginstitutionsNummer;daginstitutionsNavn;InstType3;ejerformKode;lovgrundlagKode;admKommuneKode;Adresse;PostNr;Email;CVRNummer\n",
    );
    let mut next = 80_000;
    for (m, code) in municipality_codes.iter().enumerate() {
        for k in 0..26 {
            let klynge = format!("G{next}");
            next += 1;
            let owner = ownership(m * 26 + k);
            let basis = match owner {
                "1" => "DTL19-2",
                "2" => "DTL19-3",
                "3" => "DTL19-5",
                _ => "DTL19-4",
            };
            for u in 0..2 {
                let unit = format!("G{next}");
                next += 1;
                let _ = writeln!(
                    out,
                    "{unit};Enhed {u} i Klynge {k} ({code});{klynge};Klynge {k} ({code});{};{owner};{basis};{code};Skolevej {k};{};{};{}",
                    TYPES[(k + u) % TYPES.len()],
                    1000 + m,
                    format_args!("{}@dagtilbud.example.dk", unit.to_lowercase()),
                    format_args!("{:08}", 20_000_000 + m * 100 + k),
                );
            }
        }
    }
    out
}

/// The schools file (Institutionsregisteret).
pub fn schools_csv(municipality_codes: &[String]) -> String {
    let mut out = String::from(
        "InstitutionsNummer;InstitutionsNavn;InstitutionsType;ejerformKode;admKommuneKode;Adresse\n",
    );
    let mut next = 200_000;
    for code in municipality_codes {
        for s in 0..20 {
            let (kind, owner) = if s % 10 == 9 {
                ("1015", "3")
            } else {
                ("1012", "1")
            };
            let _ = writeln!(
                out,
                "{next};Skole {s} ({code});{kind};{owner};{code};Skolegade {s}"
            );
            next += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_have_national_scale_and_parse_cleanly() {
        let codes: Vec<String> = (0..98).map(|i| format!("{}", 101 + i)).collect();
        let units = crate::domain::register_file::parse(units_csv(&codes).as_bytes(), &codes);
        assert!(units.errors.is_empty(), "{:?}", units.errors.first());
        assert_eq!(units.rows.len(), 98 * 26 * 3, "klynger and units");
        let schools = crate::domain::register_file::parse(schools_csv(&codes).as_bytes(), &codes);
        assert!(schools.errors.is_empty());
        assert_eq!(schools.rows.len(), 1960);
    }
}
