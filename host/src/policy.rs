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
    pub(crate) fn grant(&self, plugin: &str, request: &Capabilities, base: &Path) -> Result<Grant> {
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
        for dir in &request.dirs {
            let host = base.join(&dir.host);
            let shown = format!("directory `{}` (as `{}`)", dir.host.display(), dir.guest);
            let canonical = host.canonicalize().map_err(|e| Error::CapabilityDenied {
                plugin: plugin.to_owned(),
                capability: format!("{shown}: {e}"),
            })?;
            let allowed = self.dirs.iter().any(|root| {
                root.canonicalize()
                    .is_ok_and(|root| canonical.starts_with(root))
            });
            if !allowed {
                return Err(denied(plugin, shown));
            }
            grant.dirs.push((canonical, dir.guest.clone()));
        }
        Ok(grant)
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
            .unwrap();
        assert_eq!(grant, Grant::default());
    }

    #[test]
    fn env_is_granted_only_when_allowed() {
        let policy = CapabilityPolicy::deny_all().allow_env_value("TZ", "UTC");
        let grant = policy
            .grant("p", &request(&["TZ"], &[]), Path::new("."))
            .unwrap();
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
            .unwrap();
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
