//! Cross-language conformance: every case in `conformance/vectors/<plugin>.json` on every way
//! of obtaining that plugin registered in `support/conformance/registry.rs` (the components of
//! each guest language, the legacy core modules of each family, the Python remote plugin),
//! selected by `$MOCKFORGE_LANGUAGES` (default: all). Mismatches are collected over the whole
//! run and reported together. The vector format is described in `conformance/README.md`.

use mockforge_component_tests::conformance::coverage::coverage_problems;
use mockforge_component_tests::conformance::registry::{
    plugin_sources, selected_sources, EXEMPTIONS,
};
use mockforge_component_tests::conformance::runner::run_vectors;
use mockforge_component_tests::conformance::vectors::{load_all_vectors, VectorFile};
use mockforge_component_tests::{host, workspace_root};

fn vectors() -> Vec<VectorFile> {
    load_all_vectors(&workspace_root().join("tests/conformance/vectors"))
}

#[tokio::test]
async fn every_way_of_obtaining_a_plugin_gives_every_vector_its_expected_outcome() {
    let vectors = vectors();
    let mut sources = selected_sources();
    let report = run_vectors(&mut sources, &vectors, &host).await;
    report.assert_passed();
}

#[test]
fn every_example_plugin_under_guests_is_covered_by_vectors_or_exempt_naming_its_test() {
    let vector_plugins: Vec<_> = vectors()
        .into_iter()
        .map(|file| (file.contract, file.plugin))
        .collect();
    let problems = coverage_problems(
        &workspace_root(),
        &plugin_sources(),
        &vector_plugins,
        EXEMPTIONS,
    );
    assert!(
        problems.is_empty(),
        "{} coverage problems:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}
