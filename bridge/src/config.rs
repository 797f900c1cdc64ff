//! MockForge's plugin configuration as a component's `[config]`: the plugin reads its
//! configuration as text through the WIT `config` import, so each JSON value becomes the text
//! a manifest's value of that type would be.

use std::collections::{BTreeMap, HashMap};

use mockforge_plugin_core::PluginError;
use serde_json::Value;

/// The `[config]` entries for MockForge's `config` map: strings as they are, numbers and
/// booleans as their JSON text (`42`, `0.5`, `true`). Null, arrays and objects have no place
/// in a manifest's `[config]` and are refused, naming the key.
pub fn config_entries(
    plugin: &str,
    config: &HashMap<String, Value>,
) -> Result<BTreeMap<String, String>, PluginError> {
    config
        .iter()
        .map(|(key, value)| {
            let text = match value {
                Value::String(text) => text.clone(),
                Value::Number(number) => number.to_string(),
                Value::Bool(flag) => flag.to_string(),
                Value::Null | Value::Array(_) | Value::Object(_) => {
                    return Err(PluginError::ConfigurationError {
                        message: format!(
                            "plugin `{plugin}`: config key `{key}` is {}; a component plugin's \
                             configuration values are strings, numbers or booleans",
                            kind_of(value)
                        ),
                    })
                }
            };
            if key.is_empty() {
                return Err(PluginError::ConfigurationError {
                    message: format!("plugin `{plugin}`: a config key is empty"),
                });
            }
            Ok((key.clone(), text))
        })
        .collect()
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn map(value: Value) -> HashMap<String, Value> {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn scalars_become_the_text_a_manifest_would_hold() {
        let entries = config_entries(
            "p",
            &map(json!({"secret": "s3cret", "leeway-seconds": 30, "ratio": 0.5, "on": true})),
        )
        .unwrap();
        let expected: BTreeMap<String, String> = [
            ("leeway-seconds", "30"),
            ("on", "true"),
            ("ratio", "0.5"),
            ("secret", "s3cret"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(entries, expected);
    }

    #[test]
    fn structured_values_are_refused_naming_the_key() {
        for (value, kind) in [
            (json!(null), "null"),
            (json!([1]), "an array"),
            (json!({"a": 1}), "an object"),
        ] {
            let err = config_entries("jwt", &map(json!({ "nested": value }))).unwrap_err();
            let PluginError::ConfigurationError { message } = err else {
                panic!("not a configuration error: {err:?}");
            };
            assert!(message.contains("plugin `jwt`"), "{message}");
            assert!(
                message.contains(&format!("`nested` is {kind}")),
                "{message}"
            );
        }
    }
}
