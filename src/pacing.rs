//! Request pacing: a token bucket with a burst of one, so requests leave no closer together
//! than `1 / requests-per-second` on the connection's clock, plus a 2% margin: requests
//! leave evenly spaced but arrive with jitter, and without the margin a late first request
//! and a prompt fifth one could land in the same one-second window of the API's limit.

use crate::clock::Clock;

const NANOS_PER_SECOND: f64 = 1_000_000_000.0;
/// How much wider than the exact interval requests are spaced.
const MARGIN: f64 = 1.02;

/// The pacing state of one connection.
#[derive(Debug)]
pub struct Pacer {
    interval_nanos: u64,
    /// When the next request may leave; `None` before the first.
    next_slot: Option<u64>,
}

impl Pacer {
    /// `requests_per_second` has been validated as finite and greater than zero.
    pub fn new(requests_per_second: f64) -> Self {
        // `as` saturates, so absurdly slow rates become "one request per ~584 years"
        // rather than overflowing.
        let interval_nanos = (NANOS_PER_SECOND / requests_per_second * MARGIN) as u64;
        Pacer {
            interval_nanos,
            next_slot: None,
        }
    }

    /// Waits until the next request may leave, then books the slot after it.
    pub fn wait(&mut self, clock: &dyn Clock) {
        let now = clock.now_nanos();
        let slot = match self.next_slot {
            Some(slot) if slot > now => {
                clock.sleep_nanos(slot - now);
                slot
            }
            _ => now,
        };
        self.next_slot = Some(slot.saturating_add(self.interval_nanos));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::FakeClock;

    #[test]
    fn first_request_leaves_at_once_and_later_ones_are_spaced() {
        let clock = FakeClock::default();
        let mut pacer = Pacer::new(4.0);
        pacer.wait(&clock);
        pacer.wait(&clock);
        pacer.wait(&clock);
        assert_eq!(clock.sleeps(), vec![255_000_000, 255_000_000]);
    }

    #[test]
    fn time_already_passed_counts_toward_the_interval() {
        let clock = FakeClock::default();
        let mut pacer = Pacer::new(2.0);
        pacer.wait(&clock);
        clock.advance(400_000_000);
        pacer.wait(&clock);
        clock.advance(600_000_000);
        pacer.wait(&clock);
        assert_eq!(clock.sleeps(), vec![110_000_000]);
    }

    #[test]
    fn tiny_rates_do_not_overflow() {
        let clock = FakeClock::default();
        let mut pacer = Pacer::new(f64::MIN_POSITIVE);
        pacer.wait(&clock);
        assert!(pacer.next_slot.is_some());
    }
}
