//! The guided demo: starts the emulator seeded with realistic contacts, then tests the
//! connection, queries, creates from a CRM export, updates and deletes, printing what
//! happened at each step. The report keeps the emulator so a test can check its state.

mod crm;
mod steps;

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::Context as _;
use cc_emulator::{DEFAULT_TOKEN, Emulator, SeedSummary};

use crate::harness::{Harness, default_config};
use crate::records::json::outcome_name;
use crate::wit::{AccountInfo, Contact, ContactRef, ContactUpdate, Outcome, Pacing, QueryRequest};

/// Requests per second the demo allows itself: the emulator has no rate limit, and the real
/// API's 4 per second would make the create step take a minute.
const DEMO_PACE: f64 = 25.0;

pub use crm::{CRM_EXPORT, CrmLists, CrmRow, map_export};

/// How the demo runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoOptions {
    /// Contacts the emulator is seeded with.
    pub contacts: usize,
    /// The seed. The bundled CRM export names addresses of seed 7 with 2000 contacts (one
    /// active, one deleted), so other values change what the create step shows.
    pub seed: u64,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            contacts: 2000,
            seed: 7,
        }
    }
}

/// The records one write step sent and the outcome of each, in order.
#[derive(Debug, Clone)]
pub struct WriteStep<R> {
    pub records: Vec<R>,
    pub outcomes: Vec<Outcome>,
}

impl<R> WriteStep<R> {
    /// Outcomes by name (`created`, `failed`, ...).
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for outcome in &self.outcomes {
            *counts.entry(outcome_name(outcome)).or_default() += 1;
        }
        counts
    }

    /// How many outcomes are called `name`.
    pub fn count(&self, name: &str) -> usize {
        self.counts().get(name).copied().unwrap_or(0)
    }

    /// The records with their outcomes.
    pub fn pairs(&self) -> impl Iterator<Item = (&R, &Outcome)> {
        self.records.iter().zip(&self.outcomes)
    }
}

/// What the query step asked and got.
#[derive(Debug, Clone)]
pub struct QueryStep {
    pub request: QueryRequest,
    /// Contacts returned, over all pages.
    pub count: usize,
    pub pages: usize,
    /// The first few contacts, as printed.
    pub sample: Vec<Contact>,
}

/// Everything the demo did. Dropping it stops the emulator.
pub struct DemoReport {
    /// The emulator the demo ran against, in its final state.
    pub emulator: Emulator,
    pub seed: SeedSummary,
    pub account: AccountInfo,
    pub query: QueryStep,
    /// The CRM's record id of each create record, in the same order.
    pub crm_ids: Vec<String>,
    pub create: WriteStep<Contact>,
    pub update: WriteStep<ContactUpdate>,
    pub delete: WriteStep<ContactRef>,
}

/// Runs the demo, printing to `out`. Fails when a step cannot run at all (the emulator
/// does not start, the connection test fails, the harness traps); failures of single
/// records are part of the report.
pub async fn run(
    harness: &Harness,
    options: DemoOptions,
    out: &mut dyn Write,
) -> anyhow::Result<DemoReport> {
    let emulator = Emulator::start_default().context("failed to start the emulator")?;
    let seed = emulator.seed_realistic(options.contacts, options.seed);
    let mut config = default_config(
        &emulator.base_url(),
        &emulator.auth_base_url(),
        DEFAULT_TOKEN,
    );
    config.pacing = Some(Pacing {
        requests_per_second: DEMO_PACE,
    });
    let lists = CrmLists {
        newsletter: steps::list_id(&seed, "Newsletter")?,
        customers: steps::list_id(&seed, "Customers")?,
    };
    let mut p = steps::Printer { out };

    p.line(&format!(
        "Constant Contact connector demo: an emulator at {} seeded with {} contacts \
         ({} deleted, {} unsubscribed), {} lists, {} custom fields, {} tags.",
        emulator.base_url(),
        seed.contacts,
        seed.deleted,
        seed.unsubscribed,
        seed.lists.len(),
        seed.custom_fields.len(),
        seed.tags.len()
    ))?;
    p.line(&format!(
        "Requests are paced at {DEMO_PACE} per second (the real API allows 4)."
    ))?;

    let account = steps::test(harness, &config, &mut p).await?;
    let query = steps::query(harness, &config, &seed, &mut p).await?;

    let rows = map_export(CRM_EXPORT, &lists)?;
    let crm_ids: Vec<String> = rows.iter().map(|r| r.crm_id.clone()).collect();
    let create = steps::create(harness, &config, rows, &mut p).await?;

    let vip = steps::list_id(&seed, "VIP")?;
    let update = steps::update(harness, &config, &create, &vip, &mut p).await?;
    let delete = steps::delete(harness, &config, &create, &update, &mut p).await?;

    steps::summary(&create, &update, &delete, &mut p)?;
    Ok(DemoReport {
        emulator,
        seed,
        account,
        query,
        crm_ids,
        create,
        update,
        delete,
    })
}
