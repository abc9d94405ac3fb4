//! What renewing tokens needs from outside the connection: the wall clock (expiry times are
//! Unix seconds) and the host's `credentials.save`. Inside a component these are the WASI
//! wall clock and the imported interface; a native build gets the process clock and a keeper
//! that refuses, since it has no host to keep anything.

use std::rc::Rc;

use crate::constantcontact::connector::credentials::TokenSet;

/// Seconds since the Unix epoch.
pub trait WallClock {
    fn now_secs(&self) -> u64;
}

/// Where renewed credentials go; `Err` says why they could not be kept.
pub trait Keeper {
    fn save(&self, tokens: &TokenSet) -> Result<(), String>;
}

/// The wall clock and keeper one connection uses.
#[derive(Clone)]
pub struct AuthHost {
    pub wall: Rc<dyn WallClock>,
    pub keeper: Rc<dyn Keeper>,
}

/// The host's wall clock and `credentials` import.
#[cfg(target_family = "wasm")]
pub fn platform() -> AuthHost {
    struct WasiWallClock;

    impl WallClock for WasiWallClock {
        fn now_secs(&self) -> u64 {
            ::wasi::clocks::wall_clock::now().seconds
        }
    }

    struct HostKeeper;

    impl Keeper for HostKeeper {
        fn save(&self, tokens: &TokenSet) -> Result<(), String> {
            crate::constantcontact::connector::credentials::save(tokens)
        }
    }

    AuthHost {
        wall: Rc::new(WasiWallClock),
        keeper: Rc::new(HostKeeper),
    }
}

/// The process's clock, and a keeper that refuses: a native build has no host.
#[cfg(not(target_family = "wasm"))]
pub fn platform() -> AuthHost {
    struct SystemWallClock;

    impl WallClock for SystemWallClock {
        fn now_secs(&self) -> u64 {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0)
        }
    }

    struct NoKeeper;

    impl Keeper for NoKeeper {
        fn save(&self, _: &TokenSet) -> Result<(), String> {
            Err("this build has no host to keep credentials".to_owned())
        }
    }

    AuthHost {
        wall: Rc::new(SystemWallClock),
        keeper: Rc::new(NoKeeper),
    }
}
