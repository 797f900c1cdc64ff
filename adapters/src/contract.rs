//! The names of the plugin contract, `mockforge:plugin` in `wit/`, built from its version in
//! one place: the host, the CLI and these adapters use these instead of spelling the version.

/// Expands to the contract's version, a literal, so that names can be built with `concat!`.
macro_rules! wit_version {
    () => {
        "0.1.0"
    };
}

/// Expands to the fully qualified name of item `$item` of the contract (`auth` gives
/// `mockforge:plugin/auth@0.1.0`).
macro_rules! contract_item {
    ($item:literal) => {
        concat!("mockforge:plugin/", $item, "@", wit_version!())
    };
}

/// The WIT package's name, without its version.
pub const PACKAGE: &str = "mockforge:plugin";
/// The version of the WIT package these crates implement.
pub const VERSION: &str = wit_version!();
/// The auth interface an auth plugin exports.
pub const AUTH_INTERFACE: &str = contract_item!("auth");
/// The responder interface a response plugin exports.
pub const RESPONDER_INTERFACE: &str = contract_item!("responder");
/// The world of an auth plugin.
pub const AUTH_WORLD: &str = contract_item!("auth-plugin");
/// The world of a response plugin.
pub const RESPONSE_WORLD: &str = contract_item!("response-plugin");
/// The world of a plugin that does both.
pub const PLUGIN_WORLD: &str = contract_item!("plugin");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PLUGIN_WIT;

    #[test]
    fn the_version_is_the_one_every_wit_file_declares() {
        let declared = format!("package {PACKAGE}@{VERSION};");
        for (name, text) in PLUGIN_WIT {
            assert!(
                text.contains(&declared),
                "{name} does not declare `{declared}`"
            );
        }
        assert_eq!(AUTH_INTERFACE, "mockforge:plugin/auth@0.1.0");
    }

    #[test]
    fn every_name_is_declared_in_the_wit() {
        let all: String = PLUGIN_WIT.iter().map(|(_, text)| *text).collect();
        for (name, keyword) in [
            (AUTH_INTERFACE, "interface"),
            (RESPONDER_INTERFACE, "interface"),
            (AUTH_WORLD, "world"),
            (RESPONSE_WORLD, "world"),
            (PLUGIN_WORLD, "world"),
        ] {
            let item = name
                .strip_prefix("mockforge:plugin/")
                .and_then(|rest| rest.split('@').next())
                .unwrap();
            assert!(all.contains(&format!("{keyword} {item} {{")), "{name}");
        }
    }
}
