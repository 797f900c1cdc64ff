//! The compiled-artifact cache: components compiled once are kept on disk, keyed by a hash of
//! their bytes and of the engine's compilation settings, so that large components (Python,
//! JavaScript) load in milliseconds instead of recompiling on every start.
//!
//! # Why a cached artifact is as trusted as the host binary
//!
//! A cached artifact is native machine code: loading it maps it executable into the host
//! process, outside the WebAssembly sandbox. Whoever can write an artifact that the host loads
//! runs code as the host. So the cache accepts only what this user's hosts wrote themselves:
//!
//! - The folder is private. It is created with mode `0700`, and a folder that is not owned by
//!   the current user, or that its group or others may write, is refused: the host warns and
//!   compiles in memory (no disk cache). There is no shared fallback folder: with neither
//!   `XDG_CACHE_HOME` nor `HOME` set, [`default_cache_dir`](crate::default_cache_dir) is `None`.
//! - Each artifact carries an integrity tag: a keyed BLAKE3 MAC over the artifact's bytes and
//!   the key it is stored under (so that one plugin's artifact copied over another's file name
//!   fails), with a random 32-byte key kept beside the artifacts in a `0600` file
//!   ([`KEY_FILE`]) that only this user can read. The tag is checked on the bytes in memory,
//!   and those same bytes are deserialized: the file is never read twice.
//! - Artifacts are written atomically (a temporary file in the same folder, fsync, rename)
//!   with mode `0600`; an artifact (or key) not owned by the current user, or writable by its
//!   group or others, is refused.
//!
//! A file that fails any check is deleted, the plugin is recompiled, and the host counts it
//! ([`ArtifactCacheMetrics::rejected`](crate::ArtifactCacheMetrics::rejected)). What remains
//! trusted is the user account itself: anyone who can write files as this user can also
//! replace the host binary.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use wasmtime::component::Component;
use wasmtime::Engine;

/// The file, in the cache folder, holding the key of the artifacts' integrity tags.
pub const KEY_FILE: &str = "cache.key";

/// The first bytes of every artifact file: the format of what follows (the tag, then
/// wasmtime's serialized component).
const MAGIC: &[u8; 8] = b"MFCWASM1";
/// The length of an integrity tag.
const TAG_LEN: usize = 32;
/// Separates the MAC input of this format from any other use of the key.
const MAC_CONTEXT: &[u8] = b"mockforge artifact cache v1\0";
/// The largest artifact file read back: far above any real component's (a Python component's
/// artifact is tens of MiB), so that a runaway file is not read whole.
const MAX_ARTIFACT_BYTES: u64 = 2 << 30;

/// A private folder of serialized components, each with its integrity tag.
#[derive(Clone)]
pub(crate) struct ArtifactCache {
    dir: PathBuf,
    /// A digest of everything about the engine that changes compiled code.
    engine_key: String,
    /// The key of the integrity tags.
    mac_key: [u8; 32],
}

impl std::fmt::Debug for ArtifactCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArtifactCache")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// What a cache lookup found.
pub(crate) enum Lookup {
    /// A verified artifact.
    Hit(Component),
    /// Nothing stored under the key.
    Miss,
    /// A file that failed a check; it has been deleted.
    Rejected,
}

/// What a key is stored under: a digest of the bytes it was compiled from (and of
/// how they became a component, for adapted legacy modules).
///
/// BLAKE3 rather than SHA-256: a cached load of an 18 MB Python component hashed it in 10.6 ms
/// with SHA-256 (of 16 ms in all); BLAKE3 takes a fraction of that.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ArtifactKey(blake3::Hash);

impl ArtifactKey {
    /// The key of `parts`, one after the other.
    pub(crate) fn of(parts: &[&[u8]]) -> Self {
        let mut hasher = blake3::Hasher::new();
        for part in parts {
            hasher.update(part);
        }
        Self(hasher.finalize())
    }
}

/// Feeds `Hash` output into BLAKE3, so that the engine's compatibility hash becomes a stable
/// file-name component.
struct DigestHasher(blake3::Hasher);

impl Hasher for DigestHasher {
    fn finish(&self) -> u64 {
        // Only the digest is read; `Hash` implementations never call `finish`.
        0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}

/// Why a file in the cache folder was not read.
#[derive(Debug)]
enum ReadFailure {
    /// There is no such file.
    Missing,
    /// The file exists but may not be trusted (owner, mode, type, size); the reason.
    Untrusted(String),
    /// Reading failed.
    Io(std::io::Error),
}

impl ArtifactCache {
    /// Opens (creating it when absent) the cache folder `dir`, and its integrity key. Refused,
    /// with the reason, when the folder or key may not be trusted or cannot be set up.
    pub(crate) fn open(dir: PathBuf, engine: &Engine) -> Result<Self, String> {
        let mut hasher = DigestHasher(blake3::Hasher::new());
        engine.precompile_compatibility_hash().hash(&mut hasher);
        hasher.write(env!("CARGO_PKG_VERSION").as_bytes());
        let engine_key = hex(&hasher.0.finalize().as_bytes()[..8]);
        private::create_private_dir(&dir)?;
        let mac_key = private::load_or_create_key(&dir.join(KEY_FILE))?;
        Ok(Self {
            dir,
            engine_key,
            mac_key,
        })
    }

    /// The folder.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// The cache file for the artifact stored under `key`.
    pub(crate) fn path_for(&self, key: &ArtifactKey) -> PathBuf {
        let digest = hex(&key.0.as_bytes()[..16]);
        self.dir.join(format!("{digest}-{}.cwasm", self.engine_key))
    }

    /// The integrity tag of `artifact` stored under `key`.
    fn tag(&self, key: &ArtifactKey, artifact: &[u8]) -> blake3::Hash {
        let mut mac = blake3::Hasher::new_keyed(&self.mac_key);
        mac.update(MAC_CONTEXT);
        mac.update(key.0.as_bytes());
        mac.update(self.engine_key.as_bytes());
        mac.update(artifact);
        mac.finalize()
    }

    /// Loads the component stored under `key`, if any. A file that fails a check (owner,
    /// mode, integrity tag, wasmtime's own header and settings check) is deleted and reported
    /// as rejected, so that the caller recompiles.
    pub(crate) fn load(&self, engine: &Engine, key: &ArtifactKey) -> Lookup {
        let path = self.path_for(key);
        let bytes = match private::read(&path, MAX_ARTIFACT_BYTES, 0o022) {
            Ok(bytes) => bytes,
            Err(ReadFailure::Missing) => return Lookup::Miss,
            Err(ReadFailure::Io(err)) => {
                tracing::warn!(path = %path.display(), "cannot read a cached artifact: {err}");
                return Lookup::Miss;
            }
            Err(ReadFailure::Untrusted(why)) => return self.reject(&path, &why),
        };
        let Some(rest) = bytes.strip_prefix(MAGIC.as_slice()) else {
            return self.reject(&path, "not an artifact of this host");
        };
        if rest.len() < TAG_LEN {
            return self.reject(&path, "truncated");
        }
        let (tag, artifact) = rest.split_at(TAG_LEN);
        let tag: [u8; TAG_LEN] = tag.try_into().expect("split at TAG_LEN");
        // `blake3::Hash` compares in constant time.
        if blake3::Hash::from_bytes(tag) != self.tag(key, artifact) {
            return self.reject(&path, "its integrity tag does not match its content");
        }
        // SAFETY: `artifact` is exactly what `store` below wrote from `Component::serialize`
        // output, as its tag proves: only a holder of the private key could have made it. The
        // tag covers the key the artifact is stored under, so it is this component's own.
        // wasmtime still checks the header and the engine settings.
        match unsafe { Component::deserialize(engine, artifact) } {
            Ok(component) => Lookup::Hit(component),
            Err(err) => self.reject(&path, &format!("{err:#}")),
        }
    }

    fn reject(&self, path: &Path, why: &str) -> Lookup {
        tracing::warn!(
            path = %path.display(),
            "discarding a cached artifact that failed a check: {why}"
        );
        if let Err(err) = std::fs::remove_file(path) {
            tracing::warn!(path = %path.display(), "cannot delete the rejected artifact: {err}");
        }
        Lookup::Rejected
    }

    /// Stores a compiled component with its integrity tag. Written to a temporary file in the
    /// folder (mode `0600`), synced and renamed into place, so that a concurrent reader never
    /// sees half a file.
    pub(crate) fn store(&self, key: &ArtifactKey, component: &Component) -> std::io::Result<()> {
        let serialized = component.serialize().map_err(std::io::Error::other)?;
        let tag = self.tag(key, &serialized);
        let path = self.path_for(key);
        let temp = temp_path(&path);
        private::write_new(&temp, &[MAGIC, tag.as_bytes(), &serialized])?;
        std::fs::rename(&temp, &path).inspect_err(|_| {
            let _ = std::fs::remove_file(&temp);
        })
    }
}

fn temp_path(path: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp-{}-{n}", std::process::id()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What is wrong with a file or folder owned by `owner` with mode bits `mode`, for a process
/// of user `user`, when none of `forbidden` mode bits may be set; `None` when nothing is.
pub(crate) fn trust_problem(owner: u32, mode: u32, user: u32, forbidden: u32) -> Option<String> {
    if owner != user {
        return Some(format!(
            "owned by user {owner}, not by the current user {user}"
        ));
    }
    if mode & forbidden != 0 {
        return Some(format!(
            "its mode {:04o} lets others {} it",
            mode & 0o7777,
            if forbidden & 0o044 != 0 && mode & 0o022 == 0 {
                "read"
            } else {
                "write"
            }
        ));
    }
    None
}

/// Files and folders only the current user may write.
#[cfg(unix)]
mod private {
    use std::fs::{File, OpenOptions};
    use std::io::{Read, Write};
    use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
    use std::path::Path;

    use super::{trust_problem, ReadFailure};

    /// The effective user of this process.
    pub(crate) fn current_user() -> u32 {
        // SAFETY: `geteuid` has no preconditions and cannot fail.
        unsafe { libc::geteuid() }
    }

    /// Creates `dir` with mode `0700` (its parents as usual) unless it exists, then checks
    /// that it is a folder of the current user that nobody else may write.
    pub(super) fn create_private_dir(dir: &Path) -> Result<(), String> {
        if let Some(parent) = dir.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        match std::fs::DirBuilder::new().mode(0o700).create(dir) {
            Ok(()) => {}
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(err) => return Err(format!("cannot create the folder: {err}")),
        }
        let meta = std::fs::metadata(dir).map_err(|e| e.to_string())?;
        if !meta.is_dir() {
            return Err("not a folder".into());
        }
        match trust_problem(meta.uid(), meta.mode(), current_user(), 0o022) {
            Some(problem) => Err(format!("the folder is {problem}")),
            None => Ok(()),
        }
    }

    /// The integrity key in `path`, created (32 random bytes, mode `0600`, atomically) when
    /// absent. A key file that may not be trusted is replaced: every artifact tagged with the
    /// old key then fails its check and is recompiled.
    pub(super) fn load_or_create_key(path: &Path) -> Result<[u8; 32], String> {
        for _ in 0..3 {
            match read(path, 32, 0o077) {
                Ok(bytes) => {
                    if let Ok(key) = <[u8; 32]>::try_from(bytes.as_slice()) {
                        return Ok(key);
                    }
                    tracing::warn!(path = %path.display(), "replacing a malformed cache key");
                    let _ = std::fs::remove_file(path);
                }
                Err(ReadFailure::Missing) => {}
                Err(ReadFailure::Untrusted(why)) => {
                    tracing::warn!(path = %path.display(), "replacing an untrusted cache key: {why}");
                    let _ = std::fs::remove_file(path);
                }
                Err(ReadFailure::Io(err)) => return Err(format!("cannot read the key: {err}")),
            }
            let mut key = [0u8; 32];
            getrandom::fill(&mut key).map_err(|e| format!("no random key: {e}"))?;
            let temp = super::temp_path(path);
            write_new(&temp, &[&key]).map_err(|e| format!("cannot write the key: {e}"))?;
            // A hard link never replaces an existing file: two hosts creating the key at the
            // same time agree on the one linked first.
            let linked = std::fs::hard_link(&temp, path);
            let _ = std::fs::remove_file(&temp);
            match linked {
                Ok(()) => return Ok(key),
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(err) => return Err(format!("cannot store the key: {err}")),
            }
        }
        Err("the key file keeps changing".into())
    }

    /// The content of the regular file `path`, when it is the current user's, none of
    /// `forbidden` mode bits are set and it holds at most `max_len` bytes. Opened without
    /// following a symbolic link and without blocking on a FIFO; the checks are made on the
    /// opened file.
    pub(super) fn read(path: &Path, max_len: u64, forbidden: u32) -> Result<Vec<u8>, ReadFailure> {
        let file = OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
            .open(path)
            .map_err(|err| match err.kind() {
                std::io::ErrorKind::NotFound => ReadFailure::Missing,
                _ if err.raw_os_error() == Some(libc::ELOOP) => {
                    ReadFailure::Untrusted("a symbolic link".into())
                }
                _ => ReadFailure::Io(err),
            })?;
        let meta = file.metadata().map_err(ReadFailure::Io)?;
        if !meta.is_file() {
            return Err(ReadFailure::Untrusted("not a regular file".into()));
        }
        if let Some(problem) = trust_problem(meta.uid(), meta.mode(), current_user(), forbidden) {
            return Err(ReadFailure::Untrusted(problem));
        }
        if meta.len() > max_len {
            return Err(ReadFailure::Untrusted(format!(
                "{} bytes, over {max_len}",
                meta.len()
            )));
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.take(max_len + 1)
            .read_to_end(&mut bytes)
            .map_err(ReadFailure::Io)?;
        if bytes.len() as u64 > max_len {
            return Err(ReadFailure::Untrusted("grew while read".into()));
        }
        Ok(bytes)
    }

    /// Writes `parts` into the new file `path` (mode `0600`) and syncs it to disk.
    pub(super) fn write_new(path: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
        let written = (|| {
            let mut file: File = OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)?;
            for part in parts {
                file.write_all(part)?;
            }
            file.sync_all()
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(path);
        }
        written
    }
}

/// Elsewhere no ownership can be checked: there is no disk cache.
#[cfg(not(unix))]
mod private {
    use std::path::Path;

    use super::ReadFailure;

    pub(super) fn create_private_dir(_dir: &Path) -> Result<(), String> {
        Err("the artifact cache needs a Unix system to check who owns its files".into())
    }

    pub(super) fn load_or_create_key(_path: &Path) -> Result<[u8; 32], String> {
        Err("unsupported".into())
    }

    pub(super) fn read(_: &Path, _: u64, _: u32) -> Result<Vec<u8>, ReadFailure> {
        Err(ReadFailure::Missing)
    }

    pub(super) fn write_new(_: &Path, _: &[&[u8]]) -> std::io::Result<()> {
        Err(std::io::ErrorKind::Unsupported.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("mf-cache-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn key_depends_on_bytes_and_engine_settings() {
        let dir = scratch("keys");
        let engine = Engine::default();
        let cache = ArtifactCache::open(dir.clone(), &engine).unwrap();
        let (a, b) = (ArtifactKey::of(&[b"a"]), ArtifactKey::of(&[b"b"]));
        assert_ne!(cache.path_for(&a), cache.path_for(&b));
        assert_eq!(
            cache.path_for(&a),
            cache.path_for(&ArtifactKey::of(&[b"a"]))
        );
        assert_ne!(a, ArtifactKey::of(&[b"a", b"\0adapted"]));

        let mut config = wasmtime::Config::new();
        config.cranelift_opt_level(wasmtime::OptLevel::None);
        let other = ArtifactCache::open(dir.clone(), &Engine::new(&config).unwrap()).unwrap();
        assert_ne!(cache.path_for(&a), other.path_for(&a));
        assert_eq!(cache.mac_key, other.mac_key, "one key per folder");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_damaged_file_is_discarded() {
        let dir = scratch("damaged");
        let engine = Engine::default();
        let cache = ArtifactCache::open(dir.clone(), &engine).unwrap();
        let key = ArtifactKey::of(&[b"component"]);
        let path = cache.path_for(&key);
        private::write_new(&path, &[b"not a compiled artifact"]).unwrap();
        assert!(matches!(cache.load(&engine, &key), Lookup::Rejected));
        assert!(!path.exists());
        assert!(matches!(cache.load(&engine, &key), Lookup::Miss));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn ownership_and_mode_are_checked() {
        assert_eq!(trust_problem(1000, 0o40700, 1000, 0o022), None);
        assert_eq!(trust_problem(1000, 0o100600, 1000, 0o077), None);
        let other = trust_problem(1001, 0o40700, 1000, 0o022).unwrap();
        assert!(other.contains("owned by user 1001"), "{other}");
        let writable = trust_problem(1000, 0o40777, 1000, 0o022).unwrap();
        assert!(
            writable.contains("0777") && writable.contains("write"),
            "{writable}"
        );
        let readable = trust_problem(1000, 0o100644, 1000, 0o077).unwrap();
        assert!(readable.contains("read"), "{readable}");
    }

    #[cfg(unix)]
    #[test]
    fn the_folder_and_key_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("private");
        let engine = Engine::default();
        let cache = ArtifactCache::open(dir.clone(), &engine).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join(KEY_FILE)), 0o600);

        // A key others may read is replaced (and with it every artifact's tag).
        std::fs::set_permissions(dir.join(KEY_FILE), PermissionsExt::from_mode(0o644)).unwrap();
        let reopened = ArtifactCache::open(dir.clone(), &engine).unwrap();
        assert_ne!(cache.mac_key, reopened.mac_key);
        assert_eq!(mode(&dir.join(KEY_FILE)), 0o600);

        std::fs::set_permissions(&dir, PermissionsExt::from_mode(0o777)).unwrap();
        let refused = ArtifactCache::open(dir.clone(), &engine).unwrap_err();
        assert!(refused.contains("0777"), "{refused}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
