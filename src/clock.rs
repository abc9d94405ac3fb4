//! The clock seam: monotonic time and sleeping, for pacing and for timing requests. The WASI
//! implementation blocks on a monotonic-clock pollable, never in a busy loop.

/// Monotonic time in nanoseconds, and a way to wait.
pub trait Clock {
    fn now_nanos(&self) -> u64;
    fn sleep_nanos(&self, nanos: u64);
}

#[cfg(target_family = "wasm")]
pub mod wasi {
    use ::wasi::clocks::monotonic_clock;

    /// `wasi:clocks/monotonic-clock`.
    pub struct WasiClock;

    impl super::Clock for WasiClock {
        fn now_nanos(&self) -> u64 {
            monotonic_clock::now()
        }

        fn sleep_nanos(&self, nanos: u64) {
            if nanos > 0 {
                monotonic_clock::subscribe_duration(nanos).block();
            }
        }
    }
}
