//! Compiles the connector guest for `wasm32-wasip2` so that `cargo run` and `cargo test` in
//! this package need no manual step. The path of the produced component reaches the harness
//! as the `GUEST_WASM` compile-time environment variable.

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const TARGET: &str = "wasm32-wasip2";
const PROFILE: &str = "wasm-release";

fn main() {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let root = manifest_dir
        .parent()
        .expect("host-test sits inside the workspace root")
        .to_path_buf();

    for input in ["src", "wit", "Cargo.toml", "Cargo.lock"] {
        println!("cargo:rerun-if-changed={}", root.join(input).display());
    }

    require_target();

    // The guest gets a target directory of its own: sharing the outer one deadlocks release
    // builds, because the outer cargo holds the lock on its profile directory while this runs.
    let target_dir = root.join("target").join("guest-wasm");
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(&root)
        .args(["build", "--package", "cc-connector", "--target", TARGET])
        .args(["--profile", PROFILE, "--target-dir"])
        .arg(&target_dir)
        // Keep the nested cargo's stdout away from ours, where a line could pass for a
        // `cargo:` directive.
        .stdout(Stdio::from(std::io::stderr()));

    // What the outer build hands its build scripts must not reach the guest build: flags and
    // wrappers meant for the host (an empty CARGO_ENCODED_RUSTFLAGS still overrides the
    // config), and clippy's driver under `cargo clippy`.
    for var in [
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTFLAGS",
        "CARGO_BUILD_RUSTFLAGS",
        "RUSTC_WORKSPACE_WRAPPER",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
        "CARGO_PRIMARY_PACKAGE",
    ] {
        cmd.env_remove(var);
    }

    let status = cmd
        .status()
        .unwrap_or_else(|e| panic!("failed to start the guest build: {e}"));
    if !status.success() {
        panic!("failed to build the connector guest for {TARGET}: cargo exited with {status}");
    }

    let wasm = target_dir
        .join(TARGET)
        .join(PROFILE)
        .join("cc_connector.wasm");
    if !wasm.is_file() {
        panic!(
            "failed to find the built guest: {} does not exist",
            wasm.display()
        );
    }
    // Re-run when the artifact disappears, or the harness would point at a missing file.
    println!("cargo:rerun-if-changed={}", wasm.display());
    println!("cargo:rustc-env=GUEST_WASM={}", wasm.display());
}

/// Stops the build with the exact command to run when the toolchain lacks the wasm target
/// (rustup on these machines does not install targets by itself).
fn require_target() {
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let sysroot = Command::new(rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
    let Some(sysroot) = sysroot else {
        return; // Let cargo report whatever is wrong with rustc itself.
    };
    if !has_target(&sysroot) {
        panic!(
            "the {TARGET} target is not installed for this toolchain; \
             run `rustup target add {TARGET}` and build again"
        );
    }
}

fn has_target(sysroot: &Path) -> bool {
    sysroot.join("lib/rustlib").join(TARGET).is_dir()
}
