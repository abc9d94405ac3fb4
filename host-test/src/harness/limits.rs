//! The bounds every connector call runs under (memory, CPU, wall clock, HTTP timeouts), the
//! store-side meters that enforce the first two, and the error that names a limit when one
//! stops a call.

use std::fmt;
use std::time::Duration;

use wasmtime::{ResourceLimiter, UpdateDeadline};

/// How often the engine's ticker thread advances the epoch; the unit of the CPU meter.
pub(crate) const TICK: Duration = Duration::from_millis(10);

/// Most instances, tables and memories one store may create. The connector is a single
/// component with a handful of core instances; far more than that means something is wrong.
const MAX_INSTANCES: usize = 64;
const MAX_TABLES: usize = 64;
const MAX_MEMORIES: usize = 16;

/// Most elements a single table may grow to.
const MAX_TABLE_ELEMENTS: usize = 1 << 20;

/// Bounds for one connector call. Each activity call gets a fresh store with these limits;
/// each `next_page` of a query gets a fresh CPU and wall-clock budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Linear memory the component may hold, all its memories together.
    pub memory_bytes: usize,
    /// Time the component may spend executing WebAssembly (not waiting for I/O).
    pub cpu: Duration,
    /// Time the whole call may take, waiting included.
    pub wall_clock: Duration,
    /// Longest wait for an HTTP connection; a lower value asked by the guest is honoured.
    pub connect_timeout: Duration,
    /// Longest wait for the first byte of an HTTP response.
    pub first_byte_timeout: Duration,
    /// Longest pause between two chunks of an HTTP response body.
    pub between_bytes_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            memory_bytes: 64 << 20,
            cpu: Duration::from_secs(30),
            wall_clock: Duration::from_secs(600),
            connect_timeout: Duration::from_secs(30),
            first_byte_timeout: Duration::from_secs(30),
            between_bytes_timeout: Duration::from_secs(30),
        }
    }
}

/// Which limit stopped a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitKind {
    /// The component tried to grow its memory past `Limits::memory_bytes`.
    Memory,
    /// The component executed longer than `Limits::cpu`.
    Cpu,
    /// The call took longer than `Limits::wall_clock`.
    WallClock,
    /// The component created more instances, tables or memories than a store allows.
    Resources,
}

/// The error a call fails with when a limit stopped it. It sits in the `anyhow` chain, so
/// callers can `downcast_ref::<LimitExceeded>()` to tell a limit from other failures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitExceeded {
    pub kind: LimitKind,
    /// What exactly was exceeded, e.g. "memory limit of 67108864 bytes".
    pub detail: String,
}

impl fmt::Display for LimitExceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the connector exceeded its {}", self.detail)
    }
}

impl std::error::Error for LimitExceeded {}

impl LimitExceeded {
    pub(crate) fn wall_clock(limit: Duration) -> Self {
        LimitExceeded {
            kind: LimitKind::WallClock,
            detail: format!("wall-clock limit of {}", human_duration(limit)),
        }
    }
}

/// Memory and table accounting for one store. Growth past a limit traps the guest (a Rust
/// guest aborts on a failed allocation anyway) and records which limit it was.
pub(crate) struct GuestLimiter {
    memory_limit: usize,
    memory_used: usize,
    pub(crate) exceeded: Option<LimitExceeded>,
}

impl GuestLimiter {
    pub(crate) fn new(memory_limit: usize) -> Self {
        GuestLimiter {
            memory_limit,
            memory_used: 0,
            exceeded: None,
        }
    }

    fn refuse(&mut self, exceeded: LimitExceeded) -> wasmtime::Result<bool> {
        let error = wasmtime::Error::new(exceeded.clone());
        self.exceeded = Some(exceeded);
        Err(error)
    }
}

impl ResourceLimiter for GuestLimiter {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        // Each call grows one memory from `current` to `desired`, so the sum of the
        // differences is what all memories of the store hold together.
        let total = self.memory_used - current.min(self.memory_used) + desired;
        if total > self.memory_limit {
            return self.refuse(LimitExceeded {
                kind: LimitKind::Memory,
                detail: format!("memory limit of {} bytes", self.memory_limit),
            });
        }
        self.memory_used = total;
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > MAX_TABLE_ELEMENTS {
            return self.refuse(LimitExceeded {
                kind: LimitKind::Resources,
                detail: format!("table limit of {MAX_TABLE_ELEMENTS} elements"),
            });
        }
        Ok(true)
    }

    fn instances(&self) -> usize {
        MAX_INSTANCES
    }

    fn tables(&self) -> usize {
        MAX_TABLES
    }

    fn memories(&self) -> usize {
        MAX_MEMORIES
    }
}

/// Counts epoch ticks spent executing WebAssembly. The deadline is always one tick ahead, so
/// the callback runs about once per tick of guest execution, and once when the guest comes
/// back from a host call (however long that wait was).
pub(crate) struct CpuMeter {
    budget_ticks: u64,
    spent_ticks: u64,
    budget: Duration,
    pub(crate) exceeded: Option<LimitExceeded>,
}

impl CpuMeter {
    pub(crate) fn new(budget: Duration) -> Self {
        let budget_ticks = (budget.as_millis() / TICK.as_millis()).max(1) as u64;
        CpuMeter {
            budget_ticks,
            spent_ticks: 0,
            budget,
            exceeded: None,
        }
    }

    /// Starts a new budget, for the next call into the same store.
    pub(crate) fn reset(&mut self) {
        self.spent_ticks = 0;
    }

    /// One epoch deadline passed while the guest ran: go on, or stop past the budget.
    pub(crate) fn tick(&mut self) -> wasmtime::Result<UpdateDeadline> {
        self.spent_ticks += 1;
        if self.spent_ticks <= self.budget_ticks {
            return Ok(UpdateDeadline::Yield(1));
        }
        let exceeded = LimitExceeded {
            kind: LimitKind::Cpu,
            detail: format!("CPU limit of {}", human_duration(self.budget)),
        };
        self.exceeded = Some(exceeded.clone());
        Err(wasmtime::Error::new(exceeded))
    }
}

fn human_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_is_counted_across_memories() {
        let mut limiter = GuestLimiter::new(10 << 16);
        assert!(limiter.memory_growing(0, 4 << 16, None).unwrap());
        assert!(limiter.memory_growing(0, 4 << 16, None).unwrap());
        assert!(limiter.memory_growing(4 << 16, 6 << 16, None).unwrap());
        let refused = limiter.memory_growing(4 << 16, 5 << 16, None);
        assert!(refused.is_err());
        assert_eq!(limiter.exceeded.unwrap().kind, LimitKind::Memory);
    }

    #[test]
    fn cpu_meter_stops_past_the_budget() {
        let mut meter = CpuMeter::new(Duration::from_millis(30));
        for _ in 0..3 {
            assert!(meter.tick().is_ok());
        }
        assert!(meter.tick().is_err());
        let exceeded = meter.exceeded.clone().unwrap();
        assert_eq!(exceeded.kind, LimitKind::Cpu);
        assert_eq!(
            exceeded.to_string(),
            "the connector exceeded its CPU limit of 30 ms"
        );

        meter.reset();
        assert!(meter.tick().is_ok());
    }
}
