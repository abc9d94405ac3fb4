//! The demo's steps, each running one activity and printing what happened: the account, a
//! filtered query, the CRM create, an update and a delete, then the summary.

use std::collections::BTreeMap;
use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, anyhow, bail};
use cc_emulator::SeedSummary;

use super::{CrmRow, QueryStep, WriteStep};
use crate::harness::Harness;
use crate::records::json::{
    default_create_options, default_delete_options, empty_contact, empty_query, error_summary,
    outcome_contact_id, outcome_name,
};
use crate::wit::{
    AccountInfo, ConflictPolicy, ConnectionConfig, Contact, ContactRef, ContactUpdate,
    CreateOptions, Outcome, Source, Subresource, UpdateMode, UpdateOptions,
};

/// Failures printed per step before "... and N more".
const SHOWN_FAILURES: usize = 8;

pub(super) struct Printer<'a> {
    pub(super) out: &'a mut dyn Write,
}

impl Printer<'_> {
    pub(super) fn line(&mut self, text: &str) -> anyhow::Result<()> {
        writeln!(self.out, "{text}").context("failed to print the demo")
    }

    fn heading(&mut self, text: &str) -> anyhow::Result<()> {
        self.line("")?;
        self.line(text)
    }

    /// `created 10, failed 2`, in the order outcomes are listed in the WIT.
    fn counts(&mut self, counts: &BTreeMap<&'static str, usize>) -> anyhow::Result<()> {
        let order = [
            "created",
            "updated",
            "deleted",
            "skipped",
            "failed",
            "not_attempted",
        ];
        let parts: Vec<String> = order
            .iter()
            .filter_map(|name| counts.get(name).map(|n| format!("{name} {n}")))
            .collect();
        self.line(&format!("   outcomes: {}", parts.join(", ")))
    }

    /// The records that did not succeed, with why.
    fn failures<R>(
        &mut self,
        step: &WriteStep<R>,
        label: impl Fn(usize) -> String,
    ) -> anyhow::Result<()> {
        let failed: Vec<(usize, &Outcome)> = step
            .outcomes
            .iter()
            .enumerate()
            .filter(|(_, o)| {
                matches!(
                    o,
                    Outcome::Failed(_) | Outcome::NotAttempted(_) | Outcome::Skipped(_)
                )
            })
            .collect();
        if !failed.is_empty() {
            self.line("   did not succeed:")?;
        }
        for (i, outcome) in failed.iter().take(SHOWN_FAILURES) {
            let why = match outcome {
                Outcome::Failed(e) | Outcome::NotAttempted(e) => error_summary(e),
                Outcome::Skipped(s) => s.reason.clone(),
                _ => String::new(),
            };
            self.line(&format!(
                "   {} {}: {why}",
                label(*i),
                outcome_name(outcome)
            ))?;
        }
        if failed.len() > SHOWN_FAILURES {
            self.line(&format!(
                "   ... and {} more",
                failed.len() - SHOWN_FAILURES
            ))?;
        }
        Ok(())
    }
}

pub(super) fn list_id(seed: &SeedSummary, name: &str) -> anyhow::Result<String> {
    seed.lists
        .iter()
        .find(|(_, n)| n == name)
        .map(|(id, _)| id.clone())
        .ok_or_else(|| anyhow!("failed to find the seeded list \"{name}\""))
}

fn name_of<'a>(pairs: &'a [(String, String)], id: &'a str) -> &'a str {
    pairs
        .iter()
        .find(|(i, _)| i == id)
        .map_or(id, |(_, name)| name.as_str())
}

pub(super) async fn test(
    harness: &Harness,
    config: &ConnectionConfig,
    p: &mut Printer<'_>,
) -> anyhow::Result<AccountInfo> {
    p.heading("1. Test the connection")?;
    let run = harness.test(config).await?;
    let account = run
        .value
        .map_err(|e| anyhow!("failed to test the connection: {}", error_summary(&e)))?;
    let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "(not readable)".into());
    p.line(&format!(
        "   account: {} <{}>, id {}",
        shown(&account.organization_name),
        shown(&account.contact_email),
        shown(&account.encoded_account_id)
    ))?;
    for note in &account.notes {
        p.line(&format!("   note: {note}"))?;
    }
    Ok(account)
}

pub(super) async fn query(
    harness: &Harness,
    config: &ConnectionConfig,
    seed: &SeedSummary,
    p: &mut Printer<'_>,
) -> anyhow::Result<QueryStep> {
    let since = iso_utc(now_secs() - 365 * 86_400);
    p.heading(&format!(
        "2. Query: contacts on \"Newsletter\" updated since {since}, with lists and custom fields"
    ))?;
    let request = crate::wit::QueryRequest {
        lists: vec![list_id(seed, "Newsletter")?],
        updated_after: Some(since),
        subresources: vec![Subresource::ListMemberships, Subresource::CustomFields],
        page_size: Some(100),
        ..empty_query()
    };

    let mut run = match harness.query(config, &request, None).await? {
        Ok(run) => run,
        Err(e) => bail!("failed to start the query: {}", error_summary(&e)),
    };
    let (mut count, mut pages, mut sample) = (0, 0, Vec::new());
    while let Some(page) = run
        .next_page()
        .await?
        .map_err(|e| anyhow!("failed to read page {}: {}", pages + 1, error_summary(&e)))?
    {
        count += page.len();
        pages += 1;
        sample.extend(page.into_iter().take(5 - sample.len().min(5)));
    }

    p.line(&format!(
        "   {count} contacts in {pages} pages; the first {}:",
        sample.len()
    ))?;
    for contact in &sample {
        p.line(&format!("   - {}", describe_contact(contact, seed)))?;
    }
    Ok(QueryStep {
        request,
        count,
        pages,
        sample,
    })
}

fn describe_contact(contact: &Contact, seed: &SeedSummary) -> String {
    let email = contact
        .email_address
        .as_ref()
        .map_or("(no email)", |e| e.address.as_str());
    let name: Vec<&str> = [&contact.first_name, &contact.last_name]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    let lists: Vec<&str> = contact
        .list_memberships
        .iter()
        .flatten()
        .map(|id| name_of(&seed.lists, id))
        .collect();
    let fields: Vec<String> = contact
        .custom_fields
        .iter()
        .flatten()
        .map(|f| {
            let label = name_of(&seed.custom_fields, &f.custom_field_id);
            format!("{label}={}", f.value.as_deref().unwrap_or(""))
        })
        .collect();
    let mut line = format!("{email} {}", name.join(" "));
    if !lists.is_empty() {
        line.push_str(&format!(" | lists: {}", lists.join(", ")));
    }
    if !fields.is_empty() {
        line.push_str(&format!(" | {}", fields.join(", ")));
    }
    line
}

pub(super) async fn create(
    harness: &Harness,
    config: &ConnectionConfig,
    rows: Vec<CrmRow>,
    p: &mut Printer<'_>,
) -> anyhow::Result<WriteStep<Contact>> {
    p.heading(&format!(
        "3. Create {} contacts from the bundled CRM export (on conflict: fail)",
        rows.len()
    ))?;
    let ids: Vec<String> = rows.iter().map(|r| r.crm_id.clone()).collect();
    let records: Vec<Contact> = rows.into_iter().map(|r| r.contact).collect();
    let options = CreateOptions {
        create_source: Some(Source::Account),
        on_conflict: Some(ConflictPolicy::Fail),
        ..default_create_options()
    };
    let run = harness.create(config, &records, &options).await?;
    let step = WriteStep {
        records,
        outcomes: run.value,
    };

    p.counts(&step.counts())?;
    let noted: Vec<(usize, &Vec<String>)> = step
        .outcomes
        .iter()
        .enumerate()
        .filter_map(|(i, o)| match o {
            Outcome::Created(w) if !w.notes.is_empty() => Some((i, &w.notes)),
            _ => None,
        })
        .collect();
    if !noted.is_empty() {
        p.line(&format!(
            "   {} created with notes from the connector, e.g.:",
            noted.len()
        ))?;
        for (i, notes) in noted.iter().take(3) {
            p.line(&format!(
                "   row {} ({}): {}",
                i + 1,
                ids[*i],
                notes.join("; ")
            ))?;
        }
    }
    p.failures(&step, |i| format!("row {} ({})", i + 1, ids[i]))?;
    Ok(step)
}

/// The contacts the create step made, with the address each was created from.
fn created(create: &WriteStep<Contact>) -> Vec<(String, &Contact)> {
    create
        .pairs()
        .filter_map(|(contact, outcome)| match outcome {
            Outcome::Created(w) => Some((w.contact_id.clone(), contact)),
            _ => None,
        })
        .collect()
}

pub(super) async fn update(
    harness: &Harness,
    config: &ConnectionConfig,
    create: &WriteStep<Contact>,
    vip: &str,
    p: &mut Printer<'_>,
) -> anyhow::Result<WriteStep<ContactUpdate>> {
    p.heading("4. Update: new job title and the \"VIP\" list for five new contacts, by email")?;
    let mut records: Vec<ContactUpdate> = created(create)
        .into_iter()
        .filter(|(_, c)| c.email_address.is_some())
        .take(5)
        .map(|(_, contact)| {
            let address = contact
                .email_address
                .as_ref()
                .map(|e| e.address.trim().to_owned());
            let mut lists = contact.list_memberships.clone().unwrap_or_default();
            lists.push(vip.to_owned());
            ContactUpdate {
                target: ContactRef::Email(address.unwrap_or_default()),
                changes: Contact {
                    job_title: Some("Customer Advocate".into()),
                    list_memberships: Some(lists),
                    ..empty_contact()
                },
                clear: Vec::new(),
            }
        })
        .collect();
    records.push(ContactUpdate {
        target: ContactRef::Email("nobody.here@inbox.example".into()),
        changes: Contact {
            job_title: Some("Ghost".into()),
            ..empty_contact()
        },
        clear: Vec::new(),
    });

    let options = UpdateOptions {
        mode: Some(UpdateMode::Merge),
        update_source: Some(Source::Account),
        create_missing: None,
    };
    let run = harness.update(config, &records, &options).await?;
    let step = WriteStep {
        records,
        outcomes: run.value,
    };
    p.counts(&step.counts())?;
    p.failures(&step, |i| describe_ref(&step.records[i].target))?;
    Ok(step)
}

fn describe_ref(target: &ContactRef) -> String {
    match target {
        ContactRef::Id(id) => format!("id \"{id}\""),
        ContactRef::Email(email) => format!("email \"{email}\""),
    }
}

pub(super) async fn delete(
    harness: &Harness,
    config: &ConnectionConfig,
    create: &WriteStep<Contact>,
    update: &WriteStep<ContactUpdate>,
    p: &mut Printer<'_>,
) -> anyhow::Result<WriteStep<ContactRef>> {
    p.heading("5. Delete: three new contacts by id, one by email, and one unknown id")?;
    let updated: Vec<&str> = update
        .outcomes
        .iter()
        .filter_map(outcome_contact_id)
        .collect();
    let spare: Vec<(String, &Contact)> = created(create)
        .into_iter()
        .filter(|(id, c)| !updated.contains(&id.as_str()) && c.email_address.is_some())
        .collect();
    if spare.len() < 4 {
        bail!(
            "failed to pick contacts to delete: only {} were created",
            spare.len()
        );
    }
    let mut records: Vec<ContactRef> = spare[..3]
        .iter()
        .map(|(id, _)| ContactRef::Id(id.clone()))
        .collect();
    let by_email = spare[3]
        .1
        .email_address
        .as_ref()
        .map(|e| e.address.trim().to_owned());
    records.push(ContactRef::Email(by_email.unwrap_or_default()));
    records.push(ContactRef::Id(
        "00000000-0000-1000-8000-000000000000".into(),
    ));

    let run = harness
        .delete(config, &records, &default_delete_options())
        .await?;
    let step = WriteStep {
        records,
        outcomes: run.value,
    };
    p.counts(&step.counts())?;
    p.failures(&step, |i| describe_ref(&step.records[i]))?;
    Ok(step)
}

pub(super) fn summary(
    create: &WriteStep<Contact>,
    update: &WriteStep<ContactUpdate>,
    delete: &WriteStep<ContactRef>,
    p: &mut Printer<'_>,
) -> anyhow::Result<()> {
    p.heading("Summary")?;
    for (name, total, done, verb) in [
        (
            "create",
            create.outcomes.len(),
            create.count("created"),
            "created",
        ),
        (
            "update",
            update.outcomes.len(),
            update.count("updated"),
            "updated",
        ),
        (
            "delete",
            delete.outcomes.len(),
            delete.count("deleted"),
            "deleted",
        ),
    ] {
        p.line(&format!(
            "   {name}: {done} of {total} {verb}, {} did not succeed",
            total - done
        ))?;
    }
    p.line("   Every record got exactly one outcome.")?;
    p.line("   `cargo run -p host-test -- -v demo` also shows each call's log and requests.")
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// `YYYY-MM-DDTHH:MM:SSZ` for seconds since the Unix epoch.
pub(super) fn iso_utc(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates() {
        assert_eq!(iso_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso_utc(1_798_761_599), "2026-12-31T23:59:59Z");
        assert_eq!(iso_utc(-86_400), "1969-12-31T00:00:00Z");
    }
}
