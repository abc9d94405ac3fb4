//! Loading the component once: the engine (with epoch interruption and its ticker thread),
//! the compiled artifact cached on disk beside the `.wasm`, and the linker with WASI p2,
//! wasi-http and `wasi:logging`, pre-instantiated.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context as _;
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Config, Engine};

use super::limits::TICK;
use super::store::HostState;
use crate::wit::{Plugin, PluginPre};

/// An engine whose epoch advances every `TICK` for as long as the engine lives.
pub(crate) fn new_engine() -> anyhow::Result<Engine> {
    let mut config = Config::new();
    config.epoch_interruption(true);
    let engine = Engine::new(&config)
        .map_err(anyhow::Error::from)
        .context("failed to create the wasmtime engine")?;

    let weak = engine.weak();
    std::thread::Builder::new()
        .name("cc-epoch-ticker".into())
        .spawn(move || {
            loop {
                std::thread::sleep(TICK);
                match weak.upgrade() {
                    Some(engine) => engine.increment_epoch(),
                    None => break,
                }
            }
        })
        .context("failed to start the epoch ticker thread")?;
    Ok(engine)
}

/// Where the compiled form of `wasm` is cached: `<dir>/cc_connector-<hash>.cwasm`, the hash
/// covering the component's bytes and everything about the engine that the artifact
/// depends on.
pub(crate) fn cache_path(engine: &Engine, wasm: &[u8], dir: &Path) -> PathBuf {
    let mut hasher = DefaultHasher::new();
    wasm.hash(&mut hasher);
    engine.precompile_compatibility_hash().hash(&mut hasher);
    dir.join(format!("cc_connector-{:016x}.cwasm", hasher.finish()))
}

/// The cache directory used when none is given: `cwasm` beside the component file.
pub(crate) fn default_cache_dir(wasm_path: &Path) -> PathBuf {
    wasm_path
        .parent()
        .map_or_else(|| PathBuf::from("cwasm"), |p| p.join("cwasm"))
}

/// Loads the component from the cache, compiling and caching it when the cache has no
/// usable artifact.
pub(crate) fn load_component(
    engine: &Engine,
    wasm_path: &Path,
    cache_dir: &Path,
) -> anyhow::Result<Component> {
    let wasm = std::fs::read(wasm_path)
        .with_context(|| format!("failed to read the component \"{}\"", wasm_path.display()))?;
    let cached = cache_path(engine, &wasm, cache_dir);

    if cached.is_file() {
        // SAFETY: the file was written by `precompile_component` of an engine with the same
        // compatibility hash (it is in the name), atomically, in a directory this harness
        // owns; `deserialize_file` re-checks the engine settings and fails on a mismatch.
        match unsafe { Component::deserialize_file(engine, &cached) } {
            Ok(component) => return Ok(component),
            Err(e) => eprintln!(
                "warning: recompiling the connector: the cached \"{}\" is unusable: {e:#}",
                cached.display()
            ),
        }
    }

    let compiled = engine
        .precompile_component(&wasm)
        .map_err(anyhow::Error::from)
        .with_context(|| {
            format!(
                "failed to compile the component \"{}\"",
                wasm_path.display()
            )
        })?;
    write_atomically(&cached, &compiled)?;
    remove_stale(cache_dir, &cached);
    // SAFETY: the artifact was produced just above by this engine.
    unsafe { Component::deserialize_file(engine, &cached) }
        .map_err(anyhow::Error::from)
        .with_context(|| {
            format!(
                "failed to load the compiled component \"{}\"",
                cached.display()
            )
        })
}

/// Writes `bytes` to a temporary file beside `path` and renames it into place, so readers
/// never see half an artifact.
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .with_context(|| format!("failed to create the cache directory \"{}\"", dir.display()))?;
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let temp = path.with_extension(format!("tmp-{}-{nanos}", std::process::id()));
    std::fs::write(&temp, bytes)
        .with_context(|| format!("failed to write \"{}\"", temp.display()))?;
    std::fs::rename(&temp, path).with_context(|| {
        let _ = std::fs::remove_file(&temp);
        format!("failed to move \"{}\" into place", path.display())
    })
}

/// Removes the artifacts of earlier builds of the component from the cache directory, so it
/// does not grow with every rebuild. Failures are harmless and ignored: a file still in use
/// stays readable until it is closed.
fn remove_stale(cache_dir: &Path, keep: &Path) {
    let Ok(entries) = std::fs::read_dir(cache_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path != keep && name.starts_with("cc_connector-") && name.ends_with(".cwasm") {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// The linker with every import the component needs, pre-instantiated against it.
pub(crate) fn pre_instantiate(
    engine: &Engine,
    component: &Component,
) -> anyhow::Result<PluginPre<HostState>> {
    let mut linker: Linker<HostState> = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_async(&mut linker)
        .map_err(anyhow::Error::from)
        .context("failed to link the WASI interfaces")?;
    wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)
        .map_err(anyhow::Error::from)
        .context("failed to link the wasi-http interfaces")?;
    Plugin::add_to_linker::<HostState, HasSelf<HostState>>(&mut linker, |state| state)
        .map_err(anyhow::Error::from)
        .context("failed to link wasi:logging")?;

    let pre = linker
        .instantiate_pre(component)
        .map_err(anyhow::Error::from)
        .context("failed to link the connector component")?;
    PluginPre::new(pre)
        .map_err(anyhow::Error::from)
        .context("failed to find the connector's exports in the component")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_names_depend_on_the_bytes() {
        let engine = Engine::default();
        let dir = Path::new("/tmp/x");
        let a = cache_path(&engine, b"one", dir);
        let b = cache_path(&engine, b"two", dir);
        assert_ne!(a, b);
        assert_eq!(a, cache_path(&engine, b"one", dir));
        let name = a.file_name().unwrap().to_str().unwrap();
        assert!(
            name.starts_with("cc_connector-") && name.ends_with(".cwasm"),
            "{name}"
        );
    }

    #[test]
    fn default_cache_dir_sits_beside_the_component() {
        assert_eq!(
            default_cache_dir(Path::new("/a/b/cc_connector.wasm")),
            PathBuf::from("/a/b/cwasm")
        );
    }

    #[test]
    fn atomic_writes_leave_no_temporary_files() {
        let dir = std::env::temp_dir().join(format!("host-test-atomic-{}", std::process::id()));
        let path = dir.join("artifact.cwasm");
        write_atomically(&path, b"abc").unwrap();
        write_atomically(&path, b"defg").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"defg");
        let entries = std::fs::read_dir(&dir).unwrap().count();
        assert_eq!(entries, 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
