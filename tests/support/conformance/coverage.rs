//! Every example plugin under `guests/` is covered: some registered way runs vectors on it,
//! or it is exempt naming the test that covers it instead. A new example (or a new language)
//! that is neither fails the conformance test, as a test guest without a test would.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use mockforge_component_host::ContractVersion;

use super::registry::Exemption;
use super::source::PluginSource;

/// The example plugins under `root/guests/`: every folder in `guests/<language>/plugins/`
/// and `guests/<language>/plugins-0.1/` (frozen 0.1 examples), and every Python file in `guests/<language>/remote-examples/`, relative to `root`.
pub fn guest_examples(root: &Path) -> Vec<PathBuf> {
    let mut examples = Vec::new();
    for language in subfolders(&root.join("guests")) {
        let relative = Path::new("guests").join(file_name(&language));
        for folder in ["plugins", super::staged::FROZEN_SOURCES] {
            for plugin in subfolders(&language.join(folder)) {
                examples.push(relative.join(folder).join(file_name(&plugin)));
            }
        }
        let remote = language.join("remote-examples");
        for file in entries(&remote) {
            if file.is_file() && file.extension().is_some_and(|ext| ext == "py") {
                examples.push(relative.join("remote-examples").join(file_name(&file)));
            }
        }
    }
    examples.sort();
    examples
}

/// What is wrong with the coverage of the examples under `root` by `sources` running the
/// vector plugins `vector_plugins`, with `exemptions`; empty when nothing is.
pub fn coverage_problems(
    root: &Path,
    sources: &[Box<dyn PluginSource>],
    vector_plugins: &[(ContractVersion, String)],
    exemptions: &[Exemption],
) -> Vec<String> {
    let mut problems = Vec::new();
    let examples: BTreeSet<PathBuf> = guest_examples(root).into_iter().collect();
    let mut covered = BTreeSet::new();
    for source in sources {
        // A way runs the vectors of its own contract version only.
        let own: Vec<String> = vector_plugins
            .iter()
            .filter(|(version, _)| *version == source.contract())
            .map(|(_, plugin)| plugin.clone())
            .collect();
        for path in source.guest_sources(&own) {
            if !examples.contains(&path) {
                problems.push(format!(
                    "[{}] runs vectors on {}, which is no example plugin",
                    source.name(),
                    path.display()
                ));
            }
            covered.insert(path);
        }
    }
    for (version, plugin) in vector_plugins {
        if !sources
            .iter()
            .any(|source| source.contract() == *version && source.serves(plugin))
        {
            problems.push(format!(
                "the vectors of `{plugin}` ({version}) run on no registered way"
            ));
        }
    }
    let exempt: BTreeSet<PathBuf> = exemptions
        .iter()
        .map(|exemption| PathBuf::from(exemption.guest_source))
        .collect();
    for example in &examples {
        match (covered.contains(example), exempt.contains(example)) {
            (false, false) => problems.push(format!(
                "no conformance entry covers {}: give it vectors and register the way that \
                 builds it (tests/support/conformance/registry.rs), or list it in EXEMPTIONS \
                 with the test that covers it",
                example.display()
            )),
            (true, true) => problems.push(format!(
                "{} is covered by the vectors and exempt too: remove its exemption",
                example.display()
            )),
            _ => {}
        }
    }
    for exemption in exemptions {
        problems.extend(exemption_problem(root, exemption, &examples));
    }
    problems
}

/// Why `exemption` does not hold: its example is gone, or its test does not name it.
fn exemption_problem(
    root: &Path,
    exemption: &Exemption,
    examples: &BTreeSet<PathBuf>,
) -> Option<String> {
    let example = Path::new(exemption.guest_source);
    if !examples.contains(example) {
        return Some(format!(
            "the exemption of {} names no example plugin: remove it",
            example.display()
        ));
    }
    let name = example
        .file_stem()
        .expect("an example has a name")
        .to_string_lossy();
    match std::fs::read_to_string(root.join(exemption.covered_by)) {
        Ok(text) if text.contains(name.as_ref()) => None,
        Ok(_) => Some(format!(
            "{} is exempt as covered by {}, which does not name `{name}`",
            example.display(),
            exemption.covered_by
        )),
        Err(e) => Some(format!(
            "{} is exempt as covered by {}: {e}",
            example.display(),
            exemption.covered_by
        )),
    }
}

fn entries(dir: &Path) -> Vec<PathBuf> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = read
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    paths.sort();
    paths
}

fn subfolders(dir: &Path) -> Vec<PathBuf> {
    entries(dir)
        .into_iter()
        .filter(|path| path.is_dir())
        .collect()
}

fn file_name(path: &Path) -> &std::ffi::OsStr {
    path.file_name().expect("an entry has a name")
}

#[cfg(test)]
mod tests {
    use mockforge_component_host::{Plugin, PluginHost};
    use mockforge_component_testkit::TempDir;

    use super::*;
    use crate::conformance::source::{BoxFuture, ObtainError};
    use crate::conformance::vectors::ConfigChanges;

    /// A way that runs vectors on the folders it is given, and can give no plugin.
    struct Covering(Vec<&'static str>);

    impl PluginSource for Covering {
        fn name(&self) -> &str {
            "covering"
        }

        fn form(&self) -> String {
            "a test double".into()
        }

        fn serves(&self, _plugin: &str) -> bool {
            true
        }

        fn guest_sources(&self, _vector_plugins: &[String]) -> Vec<PathBuf> {
            self.0.iter().map(PathBuf::from).collect()
        }

        fn obtain<'a>(
            &'a self,
            _host: &'a PluginHost,
            _plugin: &'a str,
            _config: &'a ConfigChanges,
        ) -> BoxFuture<'a, Result<Plugin, ObtainError>> {
            Box::pin(async { Err(ObtainError::Unavailable("a test double".into())) })
        }
    }

    /// The one way of a test, running vectors on `paths`.
    fn covering(paths: &[&'static str]) -> Vec<Box<dyn PluginSource>> {
        vec![Box::new(Covering(paths.to_vec()))]
    }

    fn exempt(guest_source: &'static str) -> Exemption {
        Exemption {
            guest_source,
            covered_by: "tests/other.rs",
            reason: "a test double",
        }
    }

    fn tree() -> TempDir {
        let root = TempDir::new("coverage").unwrap();
        for dir in [
            "guests/rust/plugins/auth-jwt",
            "guests/rust/plugins/new-example",
            "guests/python/remote-examples",
        ] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        std::fs::write(root.join("guests/python/remote-examples/served.py"), "").unwrap();
        std::fs::write(root.join("guests/python/remote-examples/README.md"), "").unwrap();
        std::fs::create_dir_all(root.join("tests")).unwrap();
        std::fs::write(root.join("tests/other.rs"), "// loads new-example").unwrap();
        root
    }

    #[test]
    fn the_examples_are_plugin_folders_and_remote_python_files() {
        let root = tree();
        assert_eq!(
            guest_examples(root.path()),
            [
                "guests/python/remote-examples/served.py",
                "guests/rust/plugins/auth-jwt",
                "guests/rust/plugins/new-example",
            ]
            .map(PathBuf::from)
        );
    }

    #[test]
    fn an_example_no_way_covers_and_none_exempts_is_a_problem() {
        let root = tree();
        let sources = covering(&[
            "guests/rust/plugins/auth-jwt",
            "guests/python/remote-examples/served.py",
        ]);
        let vectors = [(ContractVersion::V0_1, "auth-jwt".to_owned())];
        let problems = coverage_problems(root.path(), &sources, &vectors, &[]);
        assert_eq!(problems.len(), 1, "{problems:#?}");
        assert!(
            problems[0].starts_with("no conformance entry covers guests/rust/plugins/new-example"),
            "{problems:#?}"
        );

        let exemption = exempt("guests/rust/plugins/new-example");
        assert_eq!(
            coverage_problems(root.path(), &sources, &vectors, &[exemption]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn an_exemption_must_name_a_test_that_names_the_example_and_an_example_that_exists() {
        let root = tree();
        let sources = covering(&[
            "guests/rust/plugins/auth-jwt",
            "guests/python/remote-examples/served.py",
            "guests/rust/plugins/new-example",
            "guests/c/plugins/auth-jwt",
        ]);
        let vectors = [(ContractVersion::V0_1, "auth-jwt".to_owned())];
        // Covered twice; a test that does not name it; no such example.
        let exemptions = [
            exempt("guests/rust/plugins/new-example"),
            exempt("guests/python/remote-examples/served.py"),
            exempt("guests/rust/plugins/gone"),
        ];
        let problems = coverage_problems(root.path(), &sources, &vectors, &exemptions);
        let expected = [
            "[covering] runs vectors on guests/c/plugins/auth-jwt, which is no example plugin",
            "guests/python/remote-examples/served.py is covered by the vectors and exempt too",
            "guests/rust/plugins/new-example is covered by the vectors and exempt too",
            "guests/python/remote-examples/served.py is exempt as covered by tests/other.rs, \
             which does not name `served`",
            "the exemption of guests/rust/plugins/gone names no example plugin",
        ];
        assert_eq!(problems.len(), expected.len(), "{problems:#?}");
        for want in expected {
            assert!(
                problems.iter().any(|problem| problem.starts_with(want)),
                "missing {want:?} in {problems:#?}"
            );
        }
    }
}
