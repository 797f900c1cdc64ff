//! Which request paths a plugin (or an exclusion) applies to.

/// A set of path patterns; empty matches every path.
///
/// A pattern is an exact path (`/login`) or ends with `*` for a prefix: `/health*` matches
/// `/health` and `/healthz`, and `/orders/*` matches everything under `/orders/` and
/// `/orders` itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathScope {
    patterns: Vec<Pattern>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Pattern {
    Exact(String),
    Prefix(String),
}

impl PathScope {
    /// Every path.
    pub fn all() -> Self {
        Self::default()
    }

    /// The paths the patterns match.
    pub fn new<I, S>(patterns: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let patterns = patterns
            .into_iter()
            .map(|p| {
                let p = p.as_ref();
                match p.strip_suffix('*') {
                    Some(prefix) => Pattern::Prefix(prefix.to_owned()),
                    None => Pattern::Exact(p.to_owned()),
                }
            })
            .collect();
        Self { patterns }
    }

    /// Whether the scope has no pattern (and so matches every path).
    pub fn is_all(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether `path` is in the scope.
    pub fn matches(&self, path: &str) -> bool {
        self.patterns.is_empty() || self.patterns.iter().any(|p| p.matches(path))
    }

    /// Whether `path` is matched by one of the patterns (an empty scope matches nothing here:
    /// used for exclusions).
    pub fn excludes(&self, path: &str) -> bool {
        self.patterns.iter().any(|p| p.matches(path))
    }
}

impl Pattern {
    fn matches(&self, path: &str) -> bool {
        match self {
            Self::Exact(exact) => path == exact,
            Self::Prefix(prefix) => {
                path.starts_with(prefix.as_str())
                    || prefix
                        .strip_suffix('/')
                        .is_some_and(|parent| !parent.is_empty() && path == parent)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_exact_paths_and_the_folder_itself() {
        let scope = PathScope::new(["/orders/*", "/login", "/health*"]);
        assert!(scope.matches("/orders/1"));
        assert!(scope.matches("/orders/1/items"));
        assert!(scope.matches("/orders"));
        assert!(!scope.matches("/ordersx"));
        assert!(scope.matches("/login"));
        assert!(!scope.matches("/login/x"));
        assert!(scope.matches("/healthz"));
        assert!(!scope.matches("/users/1"));
    }

    #[test]
    fn an_empty_scope_matches_everything_but_excludes_nothing() {
        let scope = PathScope::all();
        assert!(scope.matches("/anything"));
        assert!(!scope.excludes("/anything"));
        assert!(PathScope::new(["/*"]).matches("/"));
    }
}
