//! What the embedder allows plugins to have, and the grant a plugin gets: exactly what its
//! manifest asks for, provided the policy allows every item.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::manifest::Capabilities;

/// The embedder's policy on capabilities. The default allows nothing: no environment
/// variables and no directories. Plugins never get network access or write access to files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CapabilityPolicy {
    env: BTreeMap<String, Option<String>>,
    dirs: Vec<PathBuf>,
}

impl CapabilityPolicy {
    /// A policy that allows nothing (the default).
    pub fn deny_all() -> Self {
        Self::default()
    }

    /// Allows plugins to read environment variable `key`, with the host process's value at load
    /// time (a variable the process does not have stays unset).
    pub fn allow_env(mut self, key: impl Into<String>) -> Self {
        self.env.insert(key.into(), None);
        self
    }

    /// Allows plugins to read environment variable `key`, with the value `value`.
    pub fn allow_env_value(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.insert(key.into(), Some(value.into()));
        self
    }

    /// Allows plugins to read `dir` and everything below it.
    pub fn allow_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.dirs.push(dir.into());
        self
    }

    /// The grant for a manifest's request. `base` is the manifest's folder, against which
    /// relative directories resolve. Anything requested but not allowed is refused by name.
    ///
    /// Each granted directory is opened here, once: the handles returned are what every
    /// instance is given, so that replacing the path later (by a symbolic link to another
    /// folder, say) changes nothing the plugin sees.
    pub(crate) fn grant(
        &self,
        plugin: &str,
        request: &Capabilities,
        base: &Path,
    ) -> Result<(Grant, Vec<OpenedDir>)> {
        let mut grant = Grant::default();
        for key in &request.env {
            let Some(value) = self.env.get(key) else {
                return Err(denied(plugin, format!("environment variable `{key}`")));
            };
            let value = value.clone().or_else(|| std::env::var(key).ok());
            if let Some(value) = value {
                grant.env.push((key.clone(), value));
            }
        }
        let mut opened = Vec::new();
        for dir in &request.dirs {
            let host = base.join(&dir.host);
            let shown = format!("directory `{}` (as `{}`)", dir.host.display(), dir.guest);
            let unusable = |e: std::io::Error| Error::CapabilityDenied {
                plugin: plugin.to_owned(),
                capability: format!("{shown}: {e}"),
            };
            let canonical = host.canonicalize().map_err(unusable)?;
            if !self.allows(&canonical) {
                return Err(denied(plugin, shown));
            }
            let handle =
                cap_std::fs::Dir::open_ambient_dir(&canonical, cap_std::ambient_authority())
                    .map_err(unusable)?;
            // The folder opened must be the one checked: a path swapped between the check and
            // the open is refused.
            if let Some(actual) = opened_path(&handle) {
                if !self.allows(&actual) {
                    return Err(denied(plugin, shown));
                }
            }
            grant.dirs.push((canonical.clone(), dir.guest.clone()));
            opened.push(OpenedDir {
                handle,
                host: canonical,
                guest: dir.guest.clone(),
            });
        }
        Ok((grant, opened))
    }

    fn allows(&self, canonical: &Path) -> bool {
        self.dirs.iter().any(|root| {
            root.canonicalize()
                .is_ok_and(|root| canonical.starts_with(root))
        })
    }
}

/// A granted directory, opened at load.
#[derive(Debug)]
pub(crate) struct OpenedDir {
    /// The open folder.
    pub(crate) handle: cap_std::fs::Dir,
    /// Its canonical path when it was opened.
    pub(crate) host: PathBuf,
    /// Where the plugin sees it.
    pub(crate) guest: String,
}

impl OpenedDir {
    /// A path that opens this very folder (not whatever its original path names now): the
    /// handle's entry in `/proc/self/fd` on Linux. Elsewhere, the canonical path.
    pub(crate) fn reopen_path(&self) -> PathBuf {
        #[cfg(target_os = "linux")]
        {
            use std::os::fd::AsRawFd;
            PathBuf::from(format!("/proc/self/fd/{}", self.handle.as_raw_fd()))
        }
        #[cfg(not(target_os = "linux"))]
        {
            self.host.clone()
        }
    }

    /// Whether the folder has been removed since it was opened (its link count is zero).
    pub(crate) fn removed(&self) -> bool {
        #[cfg(unix)]
        {
            use cap_std::fs::MetadataExt;
            self.handle
                .dir_metadata()
                .is_ok_and(|meta| meta.nlink() == 0)
        }
        #[cfg(not(unix))]
        {
            false
        }
    }
}

/// Where the kernel says an open folder is (Linux); `None` elsewhere or when unknown.
fn opened_path(handle: &cap_std::fs::Dir) -> Option<PathBuf> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        std::fs::read_link(format!("/proc/self/fd/{}", handle.as_raw_fd())).ok()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = handle;
        None
    }
}

fn denied(plugin: &str, capability: String) -> Error {
    Error::CapabilityDenied {
        plugin: plugin.to_owned(),
        capability: format!("{capability} is not allowed by the host's policy"),
    }
}

/// What a plugin was granted.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Grant {
    /// Environment variables and their values.
    pub env: Vec<(String, String)>,
    /// Read-only directories: the canonical host path and the guest path.
    pub dirs: Vec<(PathBuf, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::DirRequest;

    fn request(env: &[&str], dirs: &[(&str, &str)]) -> Capabilities {
        Capabilities {
            env: env.iter().map(|s| s.to_string()).collect(),
            dirs: dirs
                .iter()
                .map(|(host, guest)| DirRequest {
                    host: host.into(),
                    guest: guest.to_string(),
                })
                .collect(),
        }
    }

    #[test]
    fn nothing_requested_nothing_granted() {
        let grant = CapabilityPolicy::deny_all()
            .grant("p", &Capabilities::default(), Path::new("."))
            .unwrap()
            .0;
        assert_eq!(grant, Grant::default());
    }

    #[test]
    fn env_is_granted_only_when_allowed() {
        let policy = CapabilityPolicy::deny_all().allow_env_value("TZ", "UTC");
        let grant = policy
            .grant("p", &request(&["TZ"], &[]), Path::new("."))
            .unwrap()
            .0;
        assert_eq!(grant.env, vec![("TZ".to_string(), "UTC".to_string())]);
        let err = policy
            .grant("p", &request(&["TZ", "HOME"], &[]), Path::new("."))
            .unwrap_err();
        assert!(matches!(err, Error::CapabilityDenied { .. }));
        assert!(err.to_string().contains("`HOME`"), "{err}");
    }

    #[test]
    fn dirs_must_lie_inside_an_allowed_root() {
        let root = std::env::temp_dir().join(format!("mf-policy-{}", std::process::id()));
        let inside = root.join("data");
        std::fs::create_dir_all(&inside).unwrap();
        let policy = CapabilityPolicy::deny_all().allow_dir(&root);
        let grant = policy
            .grant("p", &request(&[], &[("data", "/data")]), &root)
            .unwrap()
            .0;
        assert_eq!(
            grant.dirs,
            vec![(inside.canonicalize().unwrap(), "/data".into())]
        );

        let escape = policy
            .grant("p", &request(&[], &[("..", "/up")]), &root)
            .unwrap_err();
        assert!(escape.to_string().contains("not allowed"), "{escape}");

        let denied = CapabilityPolicy::deny_all()
            .grant("p", &request(&[], &[("data", "/data")]), &root)
            .unwrap_err();
        assert!(matches!(denied, Error::CapabilityDenied { .. }));
        std::fs::remove_dir_all(&root).unwrap();
    }
}
