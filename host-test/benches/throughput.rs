//! Throughput against the API's enforced limit: query and create jobs through the real
//! component at the default pacing, against the emulator enforcing 4 requests per second.
//! Prints, per job, the requests made against the fewest possible, the 429s received and
//! the request rate as a share of the 4-per-second ceiling (the connector spaces requests 2%
//! wider than the exact interval, so about 98% is the best it aims for). It asserts nothing
//! about time.
//!
//! `cargo bench -p host-test --bench throughput --profile dev` (about a minute).

use std::time::{Duration, Instant};

use cc_emulator::{Behaviour, Emulator, EmulatorConfig, RateLimit};
use host_test::harness::{Harness, HarnessOptions, default_config};
use host_test::records::json::default_create_options;
use host_test::wit::{ConnectionConfig, Outcome};
use serde_json::json;

/// The API's published per-second limit, which the emulator enforces here.
const CEILING: f64 = 4.0;
const QUERY_CONTACTS: usize = 15_000;
const PAGE_SIZE: u16 = 500;
const CREATES: usize = 60;

/// What one job measured.
struct Figures {
    job: &'static str,
    requests: usize,
    minimum: usize,
    throttled: usize,
    elapsed: Duration,
}

impl Figures {
    /// Requests per second, counted as intervals between requests: `n` requests at the
    /// ceiling take `(n - 1) / 4` seconds, since the first one leaves at once.
    fn print(&self) {
        let rate = self.requests.saturating_sub(1) as f64 / self.elapsed.as_secs_f64();
        println!(
            "{:<7} {:>5} requests (minimum {:>5}), {:>3} x 429, {:>6.2} s, {:>5.2} req/s = {:>5.1}% of the {CEILING}/s ceiling",
            self.job,
            self.requests,
            self.minimum,
            self.throttled,
            self.elapsed.as_secs_f64(),
            rate,
            100.0 * rate / CEILING,
        );
    }
}

fn emulator() -> anyhow::Result<Emulator> {
    Emulator::start(EmulatorConfig {
        behaviour: Behaviour {
            rate_limit: Some(RateLimit::default()),
            ..Behaviour::default()
        },
        ..EmulatorConfig::default()
    })
}

/// The connection a platform would open: default pacing, retries and timeouts.
fn connection(emu: &Emulator) -> ConnectionConfig {
    default_config(
        &emu.base_url(),
        &emu.auth_base_url(),
        cc_emulator::DEFAULT_TOKEN,
    )
}

fn counts(emu: &Emulator) -> (usize, usize) {
    let requests = emu.requests();
    let throttled = requests.iter().filter(|r| r.status == 429).count();
    (requests.len(), throttled)
}

async fn query_job(harness: &Harness) -> anyhow::Result<Figures> {
    let emu = emulator()?;
    for i in 0..QUERY_CONTACTS {
        emu.insert_contact(json!({
            "email_address": {"address": format!("bench{i:05}@example.com")},
            "first_name": format!("Bench {i}"),
        }));
    }
    let mut request = host_test::records::json::empty_query();
    request.page_size = Some(PAGE_SIZE);

    let started = Instant::now();
    let mut run = harness
        .query(&connection(&emu), &request, None)
        .await?
        .map_err(|e| anyhow::anyhow!("failed to start the query: {e:?}"))?;
    let mut delivered = 0;
    while let Some(page) = run
        .next_page()
        .await?
        .map_err(|e| anyhow::anyhow!("failed to read a page: {e:?}"))?
    {
        delivered += page.len();
    }
    let elapsed = started.elapsed();
    anyhow::ensure!(
        delivered == QUERY_CONTACTS,
        "the query returned {delivered} contacts"
    );

    let (requests, throttled) = counts(&emu);
    Ok(Figures {
        job: "query",
        requests,
        minimum: QUERY_CONTACTS.div_ceil(usize::from(PAGE_SIZE)),
        throttled,
        elapsed,
    })
}

async fn create_job(harness: &Harness) -> anyhow::Result<Figures> {
    let emu = emulator()?;
    let records: Vec<_> = (0..CREATES)
        .map(|i| {
            host_test::records::json::contact_from_json(&json!({
                "email_address": {"address": format!("new{i:03}@example.com")},
                "first_name": format!("New {i}"),
            }))
        })
        .collect::<Result<_, _>>()?;
    let options = default_create_options();

    let started = Instant::now();
    let outcomes = harness
        .create(&connection(&emu), &records, &options)
        .await?
        .value;
    let elapsed = started.elapsed();
    let created = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Created(_)))
        .count();
    anyhow::ensure!(
        created == CREATES,
        "{created} of {CREATES} contacts were created"
    );

    let (requests, throttled) = counts(&emu);
    Ok(Figures {
        job: "create",
        requests,
        minimum: CREATES,
        throttled,
        elapsed,
    })
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let harness = Harness::load(HarnessOptions::default())?.echo_captures(false);
    println!("throughput against the emulator enforcing 4 requests per second:");
    query_job(&harness).await?.print();
    create_job(&harness).await?.print();
    Ok(())
}
