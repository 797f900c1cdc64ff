//! Running every vector on every way that serves its plugin, collecting every mismatch (so
//! that one run shows everything a way gets wrong) and every case skipped by a capability.

use mockforge_component_host::PluginHost;
use mockforge_component_testkit::unix_now;

use super::outcome::{call, describe, mismatch};
use super::source::{ObtainError, PluginSource};
use super::vectors::VectorFile;

/// A case a way did not run because it lacks a capability the case needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The way's name.
    pub source: String,
    /// The vector plugin.
    pub plugin: String,
    /// The case.
    pub case: String,
    /// The capability it lacks.
    pub reason: &'static str,
}

/// What a run found.
#[derive(Debug, Default)]
pub struct Report {
    /// The ways run, as `name (form)`.
    pub sources: Vec<String>,
    /// Cases run and compared.
    pub checked: usize,
    /// Cases skipped by a capability.
    pub skipped: Vec<Skipped>,
    /// Every mismatch and every plugin that could not be had, as `[way] plugin / case: why`.
    pub failures: Vec<String>,
}

impl Report {
    /// Panics listing every failure, if there is one; otherwise prints what ran and what was
    /// skipped, and why.
    pub fn assert_passed(&self) {
        assert!(
            self.failures.is_empty(),
            "{} conformance failures ({} checks ran; ways: {}):\n\n{}\n",
            self.failures.len(),
            self.checked,
            self.sources.join(", "),
            self.failures.join("\n\n")
        );
        eprintln!(
            "{} conformance checks passed on {}",
            self.checked,
            self.sources.join(", ")
        );
        for skipped in &self.skipped {
            eprintln!(
                "skipped [{}] {} / {}: {}",
                skipped.source, skipped.plugin, skipped.case, skipped.reason
            );
        }
    }
}

/// Runs every case of `vectors` on every way of `sources` that serves its plugin, each case
/// on a plugin obtained afresh (so that a case's configuration is its own), each way in a host
/// of its own from `new_host`.
pub async fn run_vectors(
    sources: &mut [Box<dyn PluginSource>],
    vectors: &[VectorFile],
    new_host: &dyn Fn() -> PluginHost,
) -> Report {
    let mut report = Report::default();
    for source in sources.iter_mut() {
        let name = source.name().to_owned();
        report.sources.push(format!("{name} ({})", source.form()));
        let served: Vec<&VectorFile> = vectors
            .iter()
            .filter(|file| file.contract == source.contract() && source.serves(&file.plugin))
            .collect();
        if served.is_empty() {
            report
                .failures
                .push(format!("[{name}] serves none of the vector plugins"));
            continue;
        }
        // A host of its own per way: plugins keep state per name in their host (contract
        // 0.2's `kv`), and one language's kv-crud must not see another's items.
        let host = &new_host();
        if let Err(why) = source.prepare(host).await {
            report
                .failures
                .push(format!("[{name}] cannot give plugins: {why}"));
            continue;
        }
        for file in served {
            run_file(source.as_ref(), file, host, &mut report).await;
        }
    }
    report
}

/// The cases of one vector file on one way.
async fn run_file(
    source: &dyn PluginSource,
    file: &VectorFile,
    host: &PluginHost,
    report: &mut Report,
) {
    let name = source.name();
    let plugin_name = &file.plugin;
    let mut ran = 0;
    for case in &file.cases {
        let label = format!("[{name}] {plugin_name} / {}", case.name);
        if let Some(reason) = source.capabilities().cannot_run(case) {
            report.skipped.push(Skipped {
                source: name.to_owned(),
                plugin: plugin_name.clone(),
                case: case.name.clone(),
                reason,
            });
            continue;
        }
        let expect = case
            .expectation()
            .expect("checked when the vectors were read");
        let plugin = match source.obtain(host, plugin_name, &case.config).await {
            Ok(plugin) => plugin,
            Err(ObtainError::Unavailable(why)) => {
                report
                    .failures
                    .push(format!("[{name}] {plugin_name}: {why}"));
                return;
            }
            Err(ObtainError::Load(why)) => {
                report
                    .failures
                    .push(format!("{label}: cannot load the plugin: {why}"));
                continue;
            }
        };
        let got = call(&plugin, case, &expect).await;
        ran += 1;
        report.checked += 1;
        if let Some(why) = mismatch(&expect, &got, unix_now()) {
            report.failures.push(format!(
                "{label}: {why}\n    expected: {}\n    got:      {}",
                case.expect,
                describe(&got)
            ));
        }
    }
    if ran == 0 && !file.cases.is_empty() {
        report.failures.push(format!(
            "[{name}] {plugin_name}: serves the plugin but ran none of its {} cases",
            file.cases.len()
        ));
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::path::PathBuf;
    use std::rc::Rc;

    use mockforge_component_host::{ContractVersion, Manifest, Plugin, PluginKind};

    use super::*;
    use crate::conformance::source::{BoxFuture, Capabilities};
    use crate::conformance::vectors::{Case, ConfigChanges};
    use crate::{host, workspace_root};

    /// A way giving the `allow` legacy fixture (it allows as `wat` whatever it is asked) and
    /// reading no configuration.
    struct AllowFixture {
        /// How many plugins it gave.
        obtained: Rc<Cell<usize>>,
    }

    impl PluginSource for AllowFixture {
        fn name(&self) -> &str {
            "allow-fixture"
        }

        fn form(&self) -> String {
            "a WAT fixture".into()
        }

        fn capabilities(&self) -> Capabilities {
            Capabilities {
                edits_config: false,
            }
        }

        fn serves(&self, plugin: &str) -> bool {
            plugin == "allow"
        }

        fn guest_sources(&self, _vector_plugins: &[String]) -> Vec<PathBuf> {
            Vec::new()
        }

        fn obtain<'a>(
            &'a self,
            host: &'a PluginHost,
            _plugin: &'a str,
            _config: &'a ConfigChanges,
        ) -> BoxFuture<'a, Result<Plugin, ObtainError>> {
            self.obtained.set(self.obtained.get() + 1);
            Box::pin(async move {
                let wat = workspace_root().join("tests/fixtures/legacy/allow.wat");
                let bytes =
                    wat::parse_file(&wat).map_err(|e| ObtainError::Unavailable(e.to_string()))?;
                host.load_bytes(bytes, Manifest::new("allow", PluginKind::Auth), ".")
                    .await
                    .map_err(|e| ObtainError::Load(e.to_string()))
            })
        }
    }

    fn cases(json: serde_json::Value) -> Vec<Case> {
        serde_json::from_value(json).unwrap()
    }

    fn allow(subject: &str) -> serde_json::Value {
        serde_json::json!({ "allow": {
            "subject": subject, "roles": ["r"], "claims": [["n", "1"], ["s", "\"x\""]]
        }})
    }

    #[tokio::test]
    async fn a_case_needing_a_missing_capability_is_skipped_and_reported_not_run() {
        let request = serde_json::json!({ "method": "GET", "path": "/" });
        let vectors = [VectorFile {
            plugin: "allow".into(),
            contract: ContractVersion::V0_1,
            cases: cases(serde_json::json!([
                { "name": "plain", "request": request, "expect": allow("wat") },
                { "name": "configured", "config": { "k": "v" }, "request": request,
                  "expect": allow("wat") },
                { "name": "wrong", "request": request, "expect": allow("someone") },
            ])),
        }];
        let obtained = Rc::new(Cell::new(0));
        let mut sources: Vec<Box<dyn PluginSource>> = vec![Box::new(AllowFixture {
            obtained: obtained.clone(),
        })];
        let report = run_vectors(&mut sources, &vectors, &host).await;
        assert_eq!(report.checked, 2);
        assert_eq!(obtained.get(), 2, "the skipped case loads no plugin");
        assert_eq!(
            report.skipped,
            [Skipped {
                source: "allow-fixture".into(),
                plugin: "allow".into(),
                case: "configured".into(),
                reason: Capabilities {
                    edits_config: false
                }
                .cannot_run(&vectors[0].cases[1])
                .unwrap(),
            }]
        );
        assert_eq!(report.failures.len(), 1, "{:#?}", report.failures);
        assert!(
            report.failures[0].starts_with("[allow-fixture] allow / wrong: a different identity"),
            "{}",
            report.failures[0]
        );
    }

    #[tokio::test]
    async fn a_way_that_can_run_none_of_a_plugins_cases_fails() {
        let vectors = [VectorFile {
            plugin: "allow".into(),
            contract: ContractVersion::V0_1,
            cases: cases(serde_json::json!([{
                "name": "configured", "config": { "k": null },
                "request": { "method": "GET", "path": "/" }, "expect": allow("wat")
            }])),
        }];
        let obtained = Rc::new(Cell::new(0));
        let mut sources: Vec<Box<dyn PluginSource>> = vec![Box::new(AllowFixture {
            obtained: obtained.clone(),
        })];
        let report = run_vectors(&mut sources, &vectors, &host).await;
        assert_eq!(report.checked, 0);
        assert_eq!(obtained.get(), 0);
        assert_eq!(report.skipped.len(), 1);
        assert_eq!(
            report.failures,
            ["[allow-fixture] allow: serves the plugin but ran none of its 1 cases"]
        );
    }
}
