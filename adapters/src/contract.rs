//! The names of the plugin contract, `mockforge:plugin` in `wit/<version>/`, one entry per
//! released version. The host, the CLI and these adapters use these instead of spelling a
//! version; a released version is frozen, and the next one is added beside it.

use std::fmt;

/// The fully qualified name of item `$item` at version `$version` (`auth`, `0.1.0` gives
/// `mockforge:plugin/auth@0.1.0`).
macro_rules! contract_item {
    ($item:literal, $version:literal) => {
        concat!("mockforge:plugin/", $item, "@", $version)
    };
}

/// The WIT files of one version, names and texts, for a `wit_parser::SourceMap`.
macro_rules! wit_files {
    ($version:literal: $($file:literal),+) => {
        &[$(($file, include_str!(concat!("../../wit/", $version, "/", $file)))),+]
    };
}

/// The WIT package's name, without its version.
pub const PACKAGE: &str = "mockforge:plugin";

/// A released version of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ContractVersion {
    /// `mockforge:plugin@0.1.0`: frozen, still served.
    V0_1,
    /// `mockforge:plugin@0.2.0`: route context, identity for responders, `abstain`, claims as
    /// one JSON object, the `crypto` and `kv` imports.
    V0_2,
}

impl ContractVersion {
    /// The newest version: what the SDKs target.
    pub const LATEST: Self = Self::V0_2;

    /// Every version a host built with these crates serves, oldest first.
    pub const ALL: [Self; 2] = [Self::V0_1, Self::V0_2];

    /// The version number (`0.2.0`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::V0_1 => "0.1.0",
            Self::V0_2 => "0.2.0",
        }
    }

    /// The auth interface an auth plugin of this version exports.
    pub const fn auth_interface(self) -> &'static str {
        match self {
            Self::V0_1 => contract_item!("auth", "0.1.0"),
            Self::V0_2 => contract_item!("auth", "0.2.0"),
        }
    }

    /// The responder interface a response plugin of this version exports.
    pub const fn responder_interface(self) -> &'static str {
        match self {
            Self::V0_1 => contract_item!("responder", "0.1.0"),
            Self::V0_2 => contract_item!("responder", "0.2.0"),
        }
    }

    /// The world of an auth plugin.
    pub const fn auth_world(self) -> &'static str {
        match self {
            Self::V0_1 => contract_item!("auth-plugin", "0.1.0"),
            Self::V0_2 => contract_item!("auth-plugin", "0.2.0"),
        }
    }

    /// The world of a response plugin.
    pub const fn response_world(self) -> &'static str {
        match self {
            Self::V0_1 => contract_item!("response-plugin", "0.1.0"),
            Self::V0_2 => contract_item!("response-plugin", "0.2.0"),
        }
    }

    /// The world of a plugin that does both.
    pub const fn plugin_world(self) -> &'static str {
        match self {
            Self::V0_1 => contract_item!("plugin", "0.1.0"),
            Self::V0_2 => contract_item!("plugin", "0.2.0"),
        }
    }

    /// The WIT package of this version (`wit/<version>/`), file by file: names and texts.
    pub const fn wit_files(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Self::V0_1 => {
                wit_files!("0.1.0": "types.wit", "auth.wit", "responder.wit", "host.wit", "worlds.wit")
            }
            Self::V0_2 => {
                wit_files!("0.2.0": "types.wit", "auth.wit", "responder.wit", "host.wit", "crypto.wit", "kv.wit", "worlds.wit")
            }
        }
    }

    /// The version of an export or import name of this package (`mockforge:plugin/auth@0.2.0`):
    /// `None` when the name is not of this package; `Some(Err(version))` for a version of it
    /// that is not served, with the version found.
    pub fn of_name(name: &str) -> Option<Result<Self, String>> {
        let rest = name.strip_prefix(PACKAGE)?.strip_prefix('/')?;
        let (_, version) = rest.split_once('@')?;
        Some(
            Self::ALL
                .into_iter()
                .find(|v| v.as_str() == version)
                .ok_or_else(|| version.to_owned()),
        )
    }

    /// The supported versions as text (`0.1.0, 0.2.0`), for messages.
    pub fn supported() -> String {
        Self::ALL.map(Self::as_str).join(", ")
    }
}

impl fmt::Display for ContractVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{PACKAGE}@{}", self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_version_is_the_one_its_wit_files_declare() {
        for version in ContractVersion::ALL {
            let declared = format!("package {PACKAGE}@{};", version.as_str());
            for (name, text) in version.wit_files() {
                assert!(
                    text.contains(&declared),
                    "{version}: {name} does not declare `{declared}`"
                );
            }
        }
        assert_eq!(
            ContractVersion::V0_1.auth_interface(),
            "mockforge:plugin/auth@0.1.0"
        );
    }

    #[test]
    fn every_name_is_declared_in_its_versions_wit() {
        for version in ContractVersion::ALL {
            let all: String = version.wit_files().iter().map(|(_, text)| *text).collect();
            for (name, keyword) in [
                (version.auth_interface(), "interface"),
                (version.responder_interface(), "interface"),
                (version.auth_world(), "world"),
                (version.response_world(), "world"),
                (version.plugin_world(), "world"),
            ] {
                let item = name
                    .strip_prefix("mockforge:plugin/")
                    .and_then(|rest| rest.split('@').next())
                    .unwrap();
                assert!(all.contains(&format!("{keyword} {item} {{")), "{name}");
            }
        }
    }

    #[test]
    fn every_wit_file_of_a_version_is_listed() {
        for version in ContractVersion::ALL {
            let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("../wit/{}", version.as_str()));
            let mut on_disk: Vec<String> = std::fs::read_dir(&folder)
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .filter(|name| name.ends_with(".wit"))
                .collect();
            on_disk.sort();
            let mut listed: Vec<String> = version
                .wit_files()
                .iter()
                .map(|(n, _)| n.to_string())
                .collect();
            listed.sort();
            assert_eq!(on_disk, listed, "{version}");
        }
    }

    #[test]
    fn names_give_their_version() {
        assert_eq!(
            ContractVersion::of_name("mockforge:plugin/auth@0.2.0"),
            Some(Ok(ContractVersion::V0_2))
        );
        assert_eq!(
            ContractVersion::of_name("mockforge:plugin/responder@0.1.0"),
            Some(Ok(ContractVersion::V0_1))
        );
        assert_eq!(
            ContractVersion::of_name("mockforge:plugin/auth@0.9.0"),
            Some(Err("0.9.0".into()))
        );
        assert_eq!(ContractVersion::of_name("wasi:cli/run@0.2.6"), None);
        assert_eq!(
            ContractVersion::of_name("mockforge:plugin-x/auth@0.1.0"),
            None
        );
        assert_eq!(ContractVersion::supported(), "0.1.0, 0.2.0");
    }
}
