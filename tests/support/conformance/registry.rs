//! Every way of obtaining a plugin that the conformance vectors run on, and the example
//! plugins under `guests/` that no vector covers, each with the test that covers it instead.

use mockforge_component_adapters::Family;
use mockforge_component_host::ContractVersion;

use super::form::GuestForm;
use super::remote::RemotePython;
use super::source::PluginSource;
use super::staged::StagedGuest;

/// The environment variable selecting ways by name, comma-separated (all when unset).
pub const SELECT_VAR: &str = "MOCKFORGE_LANGUAGES";

/// Every registered way: the components of each guest language `just build-guests` builds,
/// the legacy core modules of each family, and the Python remote plugin.
pub fn plugin_sources() -> Vec<Box<dyn PluginSource>> {
    let mut sources: Vec<Box<dyn PluginSource>> = Vec::new();
    for (language, contract) in COMPONENT_LANGUAGES {
        sources.push(Box::new(StagedGuest::component(language, contract)));
        if StagedGuest::has_frozen_v0_1(language) {
            sources.push(Box::new(StagedGuest::frozen_v0_1(language)));
        }
    }
    sources.extend([
        Box::new(StagedGuest::new(
            "rust-legacy",
            GuestForm::Legacy(Family::J),
        )) as Box<dyn PluginSource>,
        Box::new(StagedGuest::new("go-legacy", GuestForm::Legacy(Family::G))),
        Box::new(StagedGuest::new(
            "assemblyscript",
            GuestForm::Legacy(Family::A),
        )),
        Box::new(RemotePython::new("trivial_auth", "auth-trivial", "auth")),
    ]);
    sources
}

/// The component languages and the contract version their SDK targets (their example
/// plugins run that version's vectors). A language with `guests/<language>/plugins-0.1/`
/// also has a way `<language>@0.1` for those frozen 0.1 plugins.
pub const COMPONENT_LANGUAGES: [(&str, ContractVersion); 5] = [
    ("rust", ContractVersion::V0_2),
    ("c", ContractVersion::V0_2),
    ("python", ContractVersion::V0_2),
    ("javascript", ContractVersion::V0_2),
    ("go", ContractVersion::V0_2),
];

pub fn selected_sources() -> Vec<Box<dyn PluginSource>> {
    let all = plugin_sources();
    let Ok(list) = std::env::var(SELECT_VAR) else {
        return all;
    };
    let wanted: Vec<&str> = list
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .collect();
    assert!(!wanted.is_empty(), "{SELECT_VAR} is set but names no way");
    let known: Vec<String> = all.iter().map(|source| source.name().to_owned()).collect();
    for name in &wanted {
        assert!(
            known.iter().any(|known| known == name),
            "{SELECT_VAR} names `{name}`, which is no registered way; the ways are: {}",
            known.join(", ")
        );
    }
    all.into_iter()
        .filter(|source| wanted.contains(&source.name()))
        .collect()
}

/// An example plugin under `guests/` that no conformance vector covers, and the test that
/// covers it instead.
#[derive(Debug, Clone, Copy)]
pub struct Exemption {
    /// The plugin's folder or file, relative to the repository.
    pub guest_source: &'static str,
    /// The test file (relative to the repository) that exercises it; it must name the
    /// plugin.
    pub covered_by: &'static str,
    /// Why it has no vectors.
    pub reason: &'static str,
}

/// The example plugins covered by tests of their own rather than by vectors.
pub const EXEMPTIONS: &[Exemption] = &[
    Exemption {
        guest_source: "guests/rust/plugins/auth-api-key",
        covered_by: "tests/auth_plugins.rs",
        reason: "a Rust-only example; its keys, header and query parameter are checked there",
    },
    Exemption {
        guest_source: "guests/rust/plugins/echo-config",
        covered_by: "tests/response_plugins.rs",
        reason: "a host-test plugin echoing its configuration, Rust only",
    },
    Exemption {
        guest_source: "guests/python/remote-examples/hello_response.py",
        covered_by: "tests/remote_plugins.rs",
        reason: "a remote response plugin with no counterpart among the vector plugins",
    },
    Exemption {
        guest_source: "guests/python/remote-examples/introspection_auth.py",
        covered_by: "tests/remote_plugins.rs",
        reason: "OAuth2 introspection needs an introspection endpoint beside it",
    },
    Exemption {
        guest_source: "guests/python/remote-examples/introspection_stub.py",
        covered_by: "tests/remote_plugins.rs",
        reason: "not a plugin: the introspection endpoint introspection_auth.py calls",
    },
];
