//! The time budget of one activity call (`time-budget-ms`): a deadline on the monotonic
//! clock, set when the call starts, that every wait and every request timeout must fit in.

use std::cell::Cell;

use crate::errors::invalid_config;
use crate::wit::Error;

const NANOS_PER_MILLI: u64 = 1_000_000;

/// The budget of the call in progress, if the connection has one.
#[derive(Debug)]
pub struct Budget {
    budget_ms: Cell<Option<u64>>,
    deadline_nanos: Cell<Option<u64>>,
}

impl Budget {
    /// Checks `time-budget-ms`: absent means no budget; zero is refused.
    pub fn from_wit(budget_ms: Option<u64>) -> Result<Budget, Error> {
        if budget_ms == Some(0) {
            return Err(invalid_config(
                "failed to open the connection: time_budget_ms must be greater than zero",
            ));
        }
        Ok(Budget {
            budget_ms: Cell::new(budget_ms),
            deadline_nanos: Cell::new(None),
        })
    }

    /// No budget at all.
    pub fn unlimited() -> Budget {
        Budget {
            budget_ms: Cell::new(None),
            deadline_nanos: Cell::new(None),
        }
    }

    /// Changes the budget of later calls.
    #[cfg(test)]
    pub fn set_limit_ms(&self, budget_ms: Option<u64>) {
        self.budget_ms.set(budget_ms);
    }

    /// Starts the budget of a new call at `now`.
    pub fn start(&self, now_nanos: u64) {
        let deadline = self
            .budget_ms
            .get()
            .map(|ms| now_nanos.saturating_add(ms.saturating_mul(NANOS_PER_MILLI)));
        self.deadline_nanos.set(deadline);
    }

    /// The deadline of the call in progress.
    pub fn deadline(&self) -> Option<u64> {
        self.deadline_nanos.get()
    }

    /// Milliseconds left at `now`; `None` without a budget.
    pub fn remaining_ms(&self, now_nanos: u64) -> Option<u64> {
        self.deadline()
            .map(|d| d.saturating_sub(now_nanos) / NANOS_PER_MILLI)
    }

    /// Whether a wait of `wait_ms` from `now` still ends before the deadline.
    pub fn allows(&self, now_nanos: u64, wait_ms: u64) -> bool {
        self.deadline()
            .is_none_or(|d| now_nanos.saturating_add(wait_ms.saturating_mul(NANOS_PER_MILLI)) < d)
    }

    /// The `budget-exhausted` error; `doing` completes "failed to …", e.g. `send GET /x`.
    pub fn exhausted(&self, doing: &str, cause: Option<&str>) -> Error {
        let budget = self.budget_ms.get().unwrap_or_default();
        let mut message = format!("failed to {doing}: the time budget of {budget} ms is spent");
        if let Some(cause) = cause {
            message.push_str(&format!(" (last failure: {cause})"));
        }
        Error::BudgetExhausted(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_runs_from_the_start_of_each_call() {
        let budget = Budget::from_wit(Some(1000)).unwrap();
        assert!(budget.allows(0, u64::MAX), "no call started: no deadline");
        budget.start(5 * NANOS_PER_MILLI);
        assert_eq!(budget.remaining_ms(5 * NANOS_PER_MILLI), Some(1000));
        assert!(budget.allows(5 * NANOS_PER_MILLI, 999));
        assert!(!budget.allows(5 * NANOS_PER_MILLI, 1000));
        assert_eq!(budget.remaining_ms(2000 * NANOS_PER_MILLI), Some(0));
        budget.start(2000 * NANOS_PER_MILLI);
        assert!(budget.allows(2000 * NANOS_PER_MILLI, 500));
    }

    #[test]
    fn no_budget_allows_every_wait_and_zero_is_refused() {
        let none = Budget::from_wit(None).unwrap();
        none.start(0);
        assert!(none.allows(u64::MAX, u64::MAX));
        assert_eq!(none.remaining_ms(0), None);
        assert!(matches!(
            Budget::from_wit(Some(0)),
            Err(Error::InvalidConfig(_))
        ));
        let Error::BudgetExhausted(m) = Budget::from_wit(Some(7))
            .unwrap()
            .exhausted("send GET /x", Some("timeout"))
        else {
            panic!("expected budget-exhausted");
        };
        assert_eq!(
            m,
            "failed to send GET /x: the time budget of 7 ms is spent (last failure: timeout)"
        );
    }
}
