//! Every CSV file the portal hands out is written here, so each export — today's and any
//! added later — is safe to open in a spreadsheet: semicolon-separated UTF-8 with a BOM and
//! CRLF line ends (what Danish Excel reads), every field quoted by the `csv` crate, and every
//! cell that a spreadsheet would take for a formula shown as text instead (OWASP "CSV
//! injection").
//!
//! A cell is neutralised when it starts with `=`, `+`, `-`, `@`, a tab or a carriage
//! return: it is written with a leading `'`, which spreadsheets read as "this is text" and
//! do not show. That includes values that only look like negative numbers (`-5`): the
//! exports hold no numeric column that can be negative (sequence numbers, counts and times
//! never are), so such a value is someone's text, and it stays readable as that text. A
//! cell that already starts with `'` gets one more, so the original is always the cell
//! with one leading `'` removed — nothing is lost for a program reading the file.

use std::borrow::Cow;

/// First characters that make a spreadsheet evaluate a cell.
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The cell as written: `'` before a value that would start a formula (or that starts
/// with `'` itself), anything else unchanged.
pub fn neutralise(value: &str) -> Cow<'_, str> {
    match value.chars().next() {
        Some(c) if FORMULA_START.contains(&c) || c == '\'' => Cow::Owned(format!("'{value}")),
        _ => Cow::Borrowed(value),
    }
}

/// A CSV document (or one batch of a streamed one) being written.
pub struct CsvWriter {
    out: csv::Writer<Vec<u8>>,
}

impl CsvWriter {
    /// The start of a file: the byte-order mark and the header row.
    pub fn with_header<I, T>(header: I) -> csv::Result<Self>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        let mut writer = Self::on("\u{feff}".as_bytes().to_vec());
        writer.row(header)?;
        Ok(writer)
    }

    /// Rows that follow earlier ones (the next batch of a streamed export).
    pub fn rows() -> Self {
        Self::on(Vec::new())
    }

    fn on(buffer: Vec<u8>) -> Self {
        Self {
            out: csv::WriterBuilder::new()
                .delimiter(b';')
                .quote_style(csv::QuoteStyle::Always)
                .terminator(csv::Terminator::CRLF)
                .from_writer(buffer),
        }
    }

    /// Writes one row, each cell neutralised.
    pub fn row<I, T>(&mut self, cells: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        self.out.write_record(
            cells
                .into_iter()
                .map(|c| neutralise(c.as_ref()).into_owned()),
        )
    }

    /// The bytes written.
    pub fn into_bytes(self) -> anyhow::Result<Vec<u8>> {
        self.out
            .into_inner()
            .map_err(|e| anyhow::anyhow!("writing CSV: {}", e.error()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Vec<Vec<String>> {
        let text = std::str::from_utf8(bytes).expect("utf-8");
        csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(false)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
            .records()
            .map(|r| r.expect("record").iter().map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn formula_starts_are_written_as_text_and_nothing_is_lost() {
        let hostile = [
            "=HYPERLINK(\"http://evil.example/?x\",\"Klik\")",
            "+1",
            "-2+3",
            "@SUM(1)",
            "\t=1+1",
            "\r=1+1",
            "-5",
            "'=already quoted",
        ];
        let plain = [
            "Anne-Marie",
            "2026-11-23T14:05:09Z",
            "sofie@example.dk",
            "",
            "42",
        ];
        let mut writer = CsvWriter::with_header(["a"]).expect("header");
        for value in hostile.iter().chain(plain.iter()) {
            writer.row([*value]).expect("row");
        }
        let bytes = writer.into_bytes().expect("bytes");
        assert!(bytes.starts_with("\u{feff}\"a\"\r\n".as_bytes()));
        let cells: Vec<String> = read(&bytes)
            .into_iter()
            .skip(1)
            .map(|r| r[0].clone())
            .collect();
        for (cell, original) in cells.iter().zip(hostile.iter().chain(plain.iter())) {
            assert!(
                !cell.starts_with(FORMULA_START),
                "{cell:?} would be evaluated"
            );
            let restored = cell.strip_prefix('\'').unwrap_or(cell);
            assert_eq!(
                restored, *original,
                "one leading ' removed gives the original"
            );
        }
        assert_eq!(
            &cells[hostile.len()..],
            plain,
            "ordinary values are untouched"
        );
    }

    #[test]
    fn every_field_is_quoted_and_a_batch_has_no_header() {
        let mut batch = CsvWriter::rows();
        batch.row(["x;y", "say \"hi\"", "1"]).expect("row");
        let text = String::from_utf8(batch.into_bytes().expect("bytes")).expect("utf-8");
        assert_eq!(text, "\"x;y\";\"say \"\"hi\"\"\";\"1\"\r\n");
    }
}
