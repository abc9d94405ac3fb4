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

    /// Waits until the next request may leave, then books the slot after it; unless the
    /// slot falls at or after `deadline`: then it neither waits nor books, and returns false.
    pub fn wait_within(&mut self, clock: &dyn Clock, deadline: Option<u64>) -> bool {
        let now = clock.now_nanos();
        let slot = match self.next_slot {
            Some(slot) if slot > now => slot,
            _ => now,
        };
        if deadline.is_some_and(|d| slot >= d) {
            return false;
        }
        if slot > now {
            clock.sleep_nanos(slot - now);
        }
        self.next_slot = Some(slot.saturating_add(self.interval_nanos));
        true
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
        pacer.wait_within(&clock, None);
        pacer.wait_within(&clock, None);
        pacer.wait_within(&clock, None);
        assert_eq!(clock.sleeps(), vec![255_000_000, 255_000_000]);
    }

    #[test]
    fn time_already_passed_counts_toward_the_interval() {
        let clock = FakeClock::default();
        let mut pacer = Pacer::new(2.0);
        pacer.wait_within(&clock, None);
        clock.advance(400_000_000);
        pacer.wait_within(&clock, None);
        clock.advance(600_000_000);
        pacer.wait_within(&clock, None);
        assert_eq!(clock.sleeps(), vec![110_000_000]);
    }

    #[test]
    fn a_slot_after_the_deadline_is_neither_waited_for_nor_booked() {
        let clock = FakeClock::default();
        let mut pacer = Pacer::new(1.0);
        assert!(pacer.wait_within(&clock, Some(10)));
        assert!(!pacer.wait_within(&clock, Some(500_000_000)));
        assert!(clock.sleeps().is_empty());
        assert!(pacer.wait_within(&clock, Some(2_000_000_000)));
        assert_eq!(clock.sleeps(), vec![1_020_000_000]);
    }

    #[test]
    fn tiny_rates_do_not_overflow() {
        let clock = FakeClock::default();
        let mut pacer = Pacer::new(f64::MIN_POSITIVE);
        pacer.wait_within(&clock, None);
        assert!(pacer.next_slot.is_some());
    }
}
