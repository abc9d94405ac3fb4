//! Whole files of records: choosing NDJSON or CSV, reading every record of a file with
//! errors naming the record, and writers for contacts and outcomes.

use std::io::Write;
use std::path::Path;

use anyhow::{Context as _, bail};
use serde_json::Value;

use super::csv::{
    OUTCOME_HEADER, contact_header, contact_row, contacts_from_csv, fits_flat_form, outcome_row,
    refs_from_csv, updates_from_csv,
};
use super::json::{
    FieldError, contact_from_json, contact_ref_from_json, contact_to_json,
    contact_update_from_json, outcome_to_json, v2_contact_from_json, v2_update_from_json,
};
use crate::wit::{Contact, ContactRef, ContactUpdate, Outcome, V2Contact, V2Update};

/// A file format for records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line.
    Ndjson,
    /// A header row of flat column names, then one record per row.
    Csv,
}

impl Format {
    /// `ndjson`/`jsonl`/`json` or `csv`, any letter case.
    pub fn parse(name: &str) -> Option<Format> {
        match name.trim().to_ascii_lowercase().as_str() {
            "ndjson" | "jsonl" | "json" => Some(Format::Ndjson),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    /// The format a file name's extension says, if it says one.
    pub fn from_path(path: &Path) -> Option<Format> {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(Format::parse)
    }
}

/// Every non-blank line of an NDJSON text, read with `read`; errors say which record.
fn ndjson<T>(text: &str, read: fn(&Value) -> Result<T, FieldError>) -> anyhow::Result<Vec<T>> {
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .enumerate()
        .map(|(i, line)| {
            let record = i + 1;
            let value: Value = serde_json::from_str(line)
                .with_context(|| format!("failed to read record {record}: invalid JSON"))?;
            read(&value).with_context(|| format!("failed to read record {record}"))
        })
        .collect()
}

/// Reads contacts for `create`.
pub fn read_contacts(text: &str, format: Format) -> anyhow::Result<Vec<Contact>> {
    match format {
        Format::Ndjson => ndjson(text, contact_from_json),
        Format::Csv => contacts_from_csv(text),
    }
}

/// Reads updates (`{target, changes, clear}` lines, or CSV with an `id`/`email` target).
pub fn read_updates(text: &str, format: Format) -> anyhow::Result<Vec<ContactUpdate>> {
    match format {
        Format::Ndjson => ndjson(text, contact_update_from_json),
        Format::Csv => updates_from_csv(text),
    }
}

/// Reads v2 contacts for `create-v2`; only NDJSON holds them.
pub fn read_v2_contacts(text: &str, format: Format) -> anyhow::Result<Vec<V2Contact>> {
    match format {
        Format::Ndjson => ndjson(text, v2_contact_from_json),
        Format::Csv => bail!(V2_NOT_IN_CSV),
    }
}

/// Reads v2 updates (`{target, changes}` lines) for `update-v2`; only NDJSON holds them.
pub fn read_v2_updates(text: &str, format: Format) -> anyhow::Result<Vec<V2Update>> {
    match format {
        Format::Ndjson => ndjson(text, v2_update_from_json),
        Format::Csv => bail!(V2_NOT_IN_CSV),
    }
}

const V2_NOT_IN_CSV: &str =
    "failed to read the records: the CSV form holds v3 records only; give v2 records as NDJSON";

/// Reads contact references (`{"id": ..}` / `{"email": ..}` lines, or CSV `id`/`email`).
pub fn read_refs(text: &str, format: Format) -> anyhow::Result<Vec<ContactRef>> {
    match format {
        Format::Ndjson => ndjson(text, contact_ref_from_json),
        Format::Csv => refs_from_csv(text),
    }
}

enum Sink<W: Write> {
    Ndjson(W),
    Csv(Box<::csv::Writer<W>>),
}

impl<W: Write> Sink<W> {
    /// A sink; CSV sinks start with `header` unless it is `None`.
    fn new(out: W, format: Format, header: Option<&[String]>) -> anyhow::Result<Self> {
        Ok(match format {
            Format::Ndjson => Sink::Ndjson(out),
            Format::Csv => {
                let mut writer = ::csv::Writer::from_writer(out);
                if let Some(header) = header {
                    writer
                        .write_record(header)
                        .context("failed to write the CSV header")?;
                }
                Sink::Csv(Box::new(writer))
            }
        })
    }

    fn json(&mut self, value: &Value) -> anyhow::Result<()> {
        self.line(&value.to_string())
    }

    fn line(&mut self, line: &str) -> anyhow::Result<()> {
        match self {
            Sink::Ndjson(out) => writeln!(out, "{line}").context("failed to write a record"),
            Sink::Csv(_) => bail!("failed to write a record: this writer writes CSV"),
        }
    }

    fn row<I: AsRef<[u8]>>(&mut self, cells: impl IntoIterator<Item = I>) -> anyhow::Result<()> {
        match self {
            Sink::Csv(writer) => writer
                .write_record(cells)
                .context("failed to write a record"),
            Sink::Ndjson(_) => bail!("failed to write a record: this writer writes NDJSON"),
        }
    }

    fn is_csv(&self) -> bool {
        matches!(self, Sink::Csv(_))
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        match self {
            Sink::Ndjson(out) => out.flush(),
            Sink::Csv(writer) => writer.flush(),
        }
        .context("failed to flush the output")
    }
}

/// Writes contacts, one per line or row, flushing after every page.
pub struct ContactWriter<W: Write> {
    sink: Sink<W>,
    not_flat: usize,
}

impl<W: Write> ContactWriter<W> {
    pub fn new(out: W, format: Format) -> anyhow::Result<Self> {
        Ok(ContactWriter {
            sink: Sink::new(out, format, Some(&contact_header()))?,
            not_flat: 0,
        })
    }

    /// A writer that continues a file: no CSV header.
    pub fn continuing(out: W, format: Format) -> anyhow::Result<Self> {
        Ok(ContactWriter {
            sink: Sink::new(out, format, None)?,
            not_flat: 0,
        })
    }

    /// How many contacts written as CSV rows lost data to the flat form (a second street
    /// address, several notes, choice-only custom fields); always 0 for NDJSON.
    pub fn not_flat(&self) -> usize {
        self.not_flat
    }

    pub fn write_page(&mut self, contacts: &[Contact]) -> anyhow::Result<()> {
        for contact in contacts {
            if self.sink.is_csv() {
                if !fits_flat_form(contact) {
                    self.not_flat += 1;
                }
                self.sink.row(contact_row(contact))?;
            } else {
                self.sink.json(&contact_to_json(contact))?;
            }
        }
        self.sink.flush()
    }
}

/// Writes outcomes: NDJSON lines with a 1-based `record`, or `record,outcome,...` rows.
pub struct OutcomeWriter<W: Write> {
    sink: Sink<W>,
}

impl<W: Write> OutcomeWriter<W> {
    pub fn new(out: W, format: Format) -> anyhow::Result<Self> {
        let header: Vec<String> = OUTCOME_HEADER.iter().map(|s| (*s).to_owned()).collect();
        Ok(OutcomeWriter {
            sink: Sink::new(out, format, Some(&header))?,
        })
    }

    /// Writes the outcomes of records `first`, `first + 1`, ... (1-based).
    pub fn write_all(&mut self, first: usize, outcomes: &[Outcome]) -> anyhow::Result<()> {
        for (i, outcome) in outcomes.iter().enumerate() {
            let record = first + i;
            if self.sink.is_csv() {
                self.sink.row(outcome_row(record, outcome))?;
            } else {
                // `record` goes first, where a reader of the file looks for it.
                let body = outcome_to_json(outcome).to_string();
                let rest = body.strip_prefix('{').unwrap_or("}");
                let separator = if rest == "}" { "" } else { "," };
                self.sink
                    .line(&format!("{{\"record\":{record}{separator}{rest}"))?;
            }
        }
        self.sink.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wit::{Deletion, Error, Outcome};

    #[test]
    fn formats_come_from_names_and_extensions() {
        assert_eq!(Format::parse("CSV"), Some(Format::Csv));
        assert_eq!(Format::parse("jsonl"), Some(Format::Ndjson));
        assert_eq!(
            Format::from_path(Path::new("a/b.ndjson")),
            Some(Format::Ndjson)
        );
        assert_eq!(Format::from_path(Path::new("x.Csv")), Some(Format::Csv));
        assert_eq!(Format::from_path(Path::new("x.txt")), None);
        assert_eq!(Format::from_path(Path::new("-")), None);
    }

    #[test]
    fn ndjson_errors_name_the_record_and_field() {
        let text =
            "{\"email_address\": \"a@b.c\"}\n\n{\"birthday\": {\"month\": \"x\", \"day\": 1}}\n";
        let err = read_contacts(text, Format::Ndjson).unwrap_err();
        assert_eq!(
            format!("{err:#}"),
            "failed to read record 2: field `birthday.month`: expected a number, found a string"
        );
        let err = read_refs("{\"id\": \"1\"}\nnot json\n", Format::Ndjson).unwrap_err();
        assert!(
            format!("{err:#}").starts_with("failed to read record 2: invalid JSON"),
            "{err:#}"
        );
    }

    #[test]
    fn v2_records_read_from_ndjson_only() {
        let contacts = read_v2_contacts(
            "{\"email_addresses\": [{\"email_address\": \"a@b.c\", \"status\": \"ACTIVE\"}]}\n",
            Format::Ndjson,
        )
        .unwrap();
        assert_eq!(
            contacts[0].email_addresses.as_ref().unwrap()[0].email_address,
            "a@b.c"
        );
        let updates = read_v2_updates(
            "{\"target\": {\"id\": \"c-1\"}, \"changes\": {\"fax\": \"1\"}}\n\n{\"changes\": {}}\n",
            Format::Ndjson,
        )
        .unwrap_err();
        assert_eq!(
            format!("{updates:#}"),
            "failed to read record 2: field `target`: is required"
        );
        let err = read_v2_contacts("email\na@b.c\n", Format::Csv).unwrap_err();
        assert!(err.to_string().contains("v3 records only"), "{err}");
    }

    #[test]
    fn ndjson_records_read() {
        let updates = read_updates(
            "{\"target\": {\"email\": \"a@b.c\"}, \"changes\": {\"job_title\": \"CTO\"}}\n",
            Format::Ndjson,
        )
        .unwrap();
        assert_eq!(updates[0].changes.job_title.as_deref(), Some("CTO"));
    }

    #[test]
    fn csv_writers_count_contacts_the_flat_form_cannot_hold() {
        let contact = contact_from_json(&serde_json::json!({
            "first_name": "Ann",
            "street_addresses": [{"kind": "home", "city": "Köln"}, {"kind": "work", "city": "Bonn"}],
        }))
        .unwrap();
        let plain = crate::records::json::empty_contact();

        let mut out = Vec::new();
        let mut writer = ContactWriter::new(&mut out, Format::Csv).unwrap();
        writer
            .write_page(&[contact.clone(), plain.clone()])
            .unwrap();
        assert_eq!(writer.not_flat(), 1);

        let mut out = Vec::new();
        let mut writer = ContactWriter::new(&mut out, Format::Ndjson).unwrap();
        writer.write_page(&[contact, plain]).unwrap();
        assert_eq!(writer.not_flat(), 0, "NDJSON keeps everything");
    }

    #[test]
    fn outcomes_carry_their_record_number() {
        let outcomes = [
            Outcome::Deleted(Deletion {
                contact_id: "c-1".into(),
                already_deleted: false,
            }),
            Outcome::NotAttempted(Error::InvalidConfig("bad".into())),
        ];
        let mut out = Vec::new();
        OutcomeWriter::new(&mut out, Format::Ndjson)
            .unwrap()
            .write_all(3, &outcomes)
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines[0]["record"], 3);
        assert_eq!(lines[1]["record"], 4);
        assert_eq!(lines[1]["outcome"], "not_attempted");
        assert_eq!(lines[1]["error"]["kind"], "invalid_config");
        assert!(
            text.starts_with("{\"record\":3,\"already_deleted\":false,"),
            "{text}"
        );

        let mut out = Vec::new();
        OutcomeWriter::new(&mut out, Format::Csv)
            .unwrap()
            .write_all(1, &outcomes)
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "record,outcome,contact_id,error_kind,message\n1,deleted,c-1,,\n2,not_attempted,,invalid_config,invalid_config: bad\n"
        );
    }
}
