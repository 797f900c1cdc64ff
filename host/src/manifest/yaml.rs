//! MockForge's own manifest, `plugin.yaml`, read into this host's [`Manifest`].
//!
//! The schema is that of MockForge's loader (`mockforge-plugin-core` 0.3.230, module
//! `manifest`): `manifest_version`, `plugin` (`id`, `version`, `name`, `description`,
//! `author`, `types`, `homepage`, `repository`, `license`, `keywords`), `capabilities`
//! (`network`, `filesystem`, `resources`, `custom`), `dependencies`, `config_schema` and
//! `metadata`. MockForge's own example plugins write their configuration schema as
//! `configuration.schema` and their CPU time as `resources.max_cpu_time_ms`; both are read
//! too.
//!
//! What has a meaning here is applied:
//!
//! | `plugin.yaml` | [`Manifest`] |
//! | --- | --- |
//! | `plugin.id` | `name` |
//! | `plugin.version` (text, or MockForge's `{major, minor, patch, pre_release, build}`) | `version` |
//! | `plugin.description` (else `plugin.name`) | `description` |
//! | `plugin.types`: `auth`, `response` (both: `both`) | `kind` |
//! | `capabilities.resources.max_memory_bytes` (rounded up to MiB) | `limits.memory-mib` |
//! | `capabilities.resources.max_execution_time_ms`, `max_cpu_time_ms` (the smaller) | `limits.timeout-ms` |
//! | `capabilities.resources.max_concurrent_executions` | `limits.max-instances` |
//! | a property's scalar `default` in `config_schema` or `configuration.schema` | `[config]` |
//!
//! Limits stay capped by the embedder ([`LimitCaps`](crate::LimitCaps)) as any manifest's
//! are. Every other key present with a value that asks for something (not null, `false` or
//! empty) is listed as an [`UnmappedKey`], never silently dropped and never an error. What
//! leaves the plugin unusable (no `plugin.id`, a version that is not semantic, no type this
//! host runs, a limit that is not a positive integer, YAML that does not parse) is
//! [`Error::Manifest`] naming the file and the key.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::{cut, Manifest, MESSAGE_BYTES, ORIGIN_BYTES, QUOTE_BYTES};
use crate::error::{Error, Result};
use crate::types::PluginKind;

/// MockForge's manifest file name, read when a plugin's folder has no `plugin.toml`.
pub const YAML_MANIFEST_FILE: &str = "plugin.yaml";

/// The only `manifest_version` MockForge's loader accepts.
const MANIFEST_VERSION: &str = "1.0";

/// A key of a `plugin.yaml` that this host does not apply, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnmappedKey {
    /// The key as a path (`plugin.author`, `capabilities.network.allow_http`).
    pub key: String,
    /// Why it has no effect here.
    pub reason: String,
}

impl std::fmt::Display for UnmappedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}`: {}", self.key, self.reason)
    }
}

/// A `plugin.yaml` as this host reads it: the manifest it maps onto, and what it did not map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlManifest {
    /// The manifest, with the component left at its default (`plugin.wasm`): MockForge's
    /// manifest names no WebAssembly file; the loader finds it in the folder.
    pub manifest: Manifest,
    /// The keys present that have no effect here, section by section in the file's order.
    pub unmapped: Vec<UnmappedKey>,
}

impl Manifest {
    /// Parses MockForge's `plugin.yaml` text. `origin` (the file's path, say) names the
    /// plugin in errors: a YAML manifest's errors name the file rather than the plugin's id.
    pub fn parse_yaml(text: &str, origin: &str) -> Result<YamlManifest> {
        let origin = cut(origin, ORIGIN_BYTES);
        let yaml_error = |e: serde_norway::Error| {
            Error::manifest(
                &origin,
                format!("YAML error: {}", cut(&e.to_string(), MESSAGE_BYTES)),
            )
        };
        // Through YAML's own value first: its mappings refuse a key given twice, which JSON's
        // would silently take the last of.
        let yaml: serde_norway::Value = serde_norway::from_str(text).map_err(yaml_error)?;
        let value: Value = serde_norway::from_value(yaml).map_err(yaml_error)?;
        Translation::default()
            .run(value)
            .map_err(|message| Error::manifest(&origin, message))
    }
}

/// The reading of one file: the unmapped keys found so far.
#[derive(Default)]
struct Translation {
    unmapped: Vec<UnmappedKey>,
}

/// A value quoted in an error, cut to [`QUOTE_BYTES`].
fn quote(value: &Value) -> String {
    let text = match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    cut(&text, QUOTE_BYTES)
}

/// What a JSON value is, for an error.
fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "mapping",
    }
}

/// Whether a value asks for nothing: null, `false`, or an empty list, mapping or string.
fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(false) => true,
        Value::String(text) => text.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

/// The reason given for keys that MockForge's schema does not define.
const NOT_IN_SCHEMA: &str = "not part of MockForge's manifest schema";

impl Translation {
    /// Lists `key` as unmapped when its value asks for something.
    fn unmapped(&mut self, key: &str, value: &Value, reason: &str) {
        if !is_empty(value) {
            self.unmapped.push(UnmappedKey {
                key: key.to_owned(),
                reason: reason.to_owned(),
            });
        }
    }

    /// Lists every leaf of `value` (a list counts as one) under `key` that asks for something.
    fn unmapped_leaves(&mut self, key: &str, value: &Value, reason: &str) {
        match value {
            Value::Object(map) => {
                for (name, inner) in map {
                    self.unmapped_leaves(&format!("{key}.{name}"), inner, reason);
                }
            }
            other => self.unmapped(key, other, reason),
        }
    }

    fn run(mut self, value: Value) -> std::result::Result<YamlManifest, String> {
        let Value::Object(top) = value else {
            return Err(format!(
                "the file holds a {}, not a mapping with a `plugin` key",
                type_name(&value)
            ));
        };
        let mut manifest = None;
        let mut limits = super::RequestedLimits::default();
        let mut config = BTreeMap::new();
        for (key, value) in top {
            match key.as_str() {
                "manifest_version" => check_manifest_version(&value)?,
                "plugin" => manifest = Some(self.plugin(value)?),
                "capabilities" => self.capabilities(value, &mut limits)?,
                "config_schema" => self.config_schema("config_schema", value, &mut config)?,
                "configuration" => match value {
                    Value::Object(configuration) => {
                        for (name, inner) in configuration {
                            if name == "schema" {
                                self.config_schema("configuration.schema", inner, &mut config)?;
                            } else {
                                self.unmapped(
                                    &format!("configuration.{name}"),
                                    &inner,
                                    NOT_IN_SCHEMA,
                                );
                            }
                        }
                    }
                    other => self.unmapped("configuration", &other, NOT_IN_SCHEMA),
                },
                "dependencies" => self.unmapped(
                    "dependencies",
                    &value,
                    "this host loads each plugin on its own and resolves no dependencies",
                ),
                "metadata" => self.unmapped_leaves(
                    "metadata",
                    &value,
                    "free-form metadata this host does not keep",
                ),
                other => self.unmapped(other, &value, NOT_IN_SCHEMA),
            }
        }
        let Some(mut manifest) = manifest else {
            return Err("key `plugin` is missing (the plugin's id, version and types)".into());
        };
        if let Some(component) = manifest.component_mut() {
            component.limits = limits;
            component.config = config;
        }
        manifest.validate().map_err(|error| match error {
            Error::Manifest { message, .. } => message,
            other => other.to_string(),
        })?;
        Ok(YamlManifest {
            manifest,
            unmapped: self.unmapped,
        })
    }

    /// `plugin`: the id, version, description and kind.
    fn plugin(&mut self, plugin: Value) -> std::result::Result<Manifest, String> {
        let Value::Object(plugin) = plugin else {
            return Err(format!(
                "key `plugin` is a {}, not a mapping",
                type_name(&plugin)
            ));
        };
        let mut id = None;
        let mut version = None;
        let mut display_name = None;
        let mut description = None;
        let mut types = None;
        for (key, value) in plugin {
            match key.as_str() {
                "id" => id = Some(value),
                "version" => version = Some(value),
                "name" => display_name = Some(value),
                "description" => description = Some(value),
                "types" => types = Some(value),
                "author" | "homepage" | "repository" | "license" | "keywords" => self.unmapped(
                    &format!("plugin.{key}"),
                    &value,
                    "plugin metadata this host does not keep",
                ),
                other => self.unmapped(&format!("plugin.{other}"), &value, NOT_IN_SCHEMA),
            }
        }
        let name = match id {
            Some(Value::String(id)) => id,
            Some(other) => {
                return Err(format!(
                    "key `plugin.id` is a {}, not a string",
                    type_name(&other)
                ))
            }
            None => return Err("key `plugin.id` is missing".into()),
        };
        if !super::is_plugin_name(&name) {
            return Err(format!(
                "key `plugin.id`: `{}` must be 1-64 lower-case letters, digits and dashes (it \
                 is the plugin's name here)",
                cut(&name, QUOTE_BYTES)
            ));
        }
        let version = match version {
            Some(version) => version_text(&version)?,
            None => return Err("key `plugin.version` is missing".into()),
        };
        let text = |key: &str, value: Option<Value>| match value {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(other) => Err(format!(
                "key `plugin.{key}` is a {}, not a string",
                type_name(&other)
            )),
        };
        let display_name = text("name", display_name)?;
        let description = match (text("description", description)?, display_name) {
            (Some(description), Some(name)) => {
                self.unmapped(
                    "plugin.name",
                    &Value::String(name),
                    "a display name: this host names plugins by `plugin.id`",
                );
                description
            }
            (Some(description), None) => description,
            (None, name) => name.unwrap_or_default(),
        };
        let kind = self.kind(types)?;
        Ok(Manifest {
            description,
            version,
            ..Manifest::new(name, kind)
        })
    }

    /// `plugin.types`: `auth` and `response` make the kind; other types are listed.
    fn kind(&mut self, types: Option<Value>) -> std::result::Result<PluginKind, String> {
        let types = match types {
            Some(Value::Array(types)) if !types.is_empty() => types,
            Some(Value::Array(_)) | None => {
                return Err(
                    "key `plugin.types` must list at least one type (`auth` or `response`)".into(),
                )
            }
            Some(other) => {
                return Err(format!(
                    "key `plugin.types` is a {}, not a list",
                    type_name(&other)
                ))
            }
        };
        let (mut auth, mut response) = (false, false);
        let mut others = Vec::new();
        for (index, plugin_type) in types.iter().enumerate() {
            match plugin_type.as_str().map(str::trim) {
                Some("auth") => auth = true,
                Some("response") => response = true,
                Some(other) if !other.is_empty() => others.push(other.to_owned()),
                _ => {
                    return Err(format!(
                        "key `plugin.types[{index}]`: `{}` is not a type name",
                        quote(plugin_type)
                    ))
                }
            }
        }
        if !auth && !response {
            return Err(format!(
                "key `plugin.types`: [{}] holds no type this host runs (`auth`, `response`)",
                cut(&others.join(", "), QUOTE_BYTES)
            ));
        }
        for other in others {
            self.unmapped.push(UnmappedKey {
                key: format!("plugin.types: {other}"),
                reason: "this host runs auth and response plugins only".into(),
            });
        }
        Ok(match (auth, response) {
            (true, true) => PluginKind::Both,
            (true, false) => PluginKind::Auth,
            _ => PluginKind::Response,
        })
    }

    /// `capabilities`: the resource limits; network, filesystem and custom capabilities are
    /// listed.
    fn capabilities(
        &mut self,
        capabilities: Value,
        limits: &mut super::RequestedLimits,
    ) -> std::result::Result<(), String> {
        let Value::Object(capabilities) = capabilities else {
            self.unmapped("capabilities", &capabilities, NOT_IN_SCHEMA);
            return Ok(());
        };
        for (key, value) in capabilities {
            match key.as_str() {
                "resources" => self.resources(value, limits)?,
                "network" => self.unmapped_leaves(
                    "capabilities.network",
                    &value,
                    "plugins here have no network access (no WASI sockets)",
                ),
                "filesystem" => self.unmapped_leaves(
                    "capabilities.filesystem",
                    &value,
                    "folders are granted read-only by a plugin.toml's `capabilities.dirs`",
                ),
                "custom" => self.unmapped_leaves(
                    "capabilities.custom",
                    &value,
                    "custom capabilities mean nothing to this host",
                ),
                other => self.unmapped(&format!("capabilities.{other}"), &value, NOT_IN_SCHEMA),
            }
        }
        Ok(())
    }

    /// `capabilities.resources`: memory, time and concurrency.
    fn resources(
        &mut self,
        resources: Value,
        limits: &mut super::RequestedLimits,
    ) -> std::result::Result<(), String> {
        let Value::Object(resources) = resources else {
            self.unmapped("capabilities.resources", &resources, NOT_IN_SCHEMA);
            return Ok(());
        };
        for (key, value) in resources {
            let path = format!("capabilities.resources.{key}");
            match key.as_str() {
                "max_memory_bytes" => {
                    let bytes = positive(&path, &value)?;
                    limits.memory_mib = Some(bytes.div_ceil(1 << 20));
                }
                "max_execution_time_ms" | "max_cpu_time_ms" => {
                    let ms = positive(&path, &value)?;
                    limits.timeout_ms = Some(limits.timeout_ms.map_or(ms, |set| set.min(ms)));
                }
                "max_concurrent_executions" => {
                    let count = positive(&path, &value)?;
                    limits.max_instances = Some(u32::try_from(count).unwrap_or(u32::MAX));
                }
                "max_cpu_percent" => self.unmapped(
                    &path,
                    &value,
                    "calls are limited in time (`max_execution_time_ms`), not in CPU share",
                ),
                _ => self.unmapped(&path, &value, NOT_IN_SCHEMA),
            }
        }
        Ok(())
    }

    /// A configuration schema: each property's scalar default becomes a config value.
    fn config_schema(
        &mut self,
        key: &str,
        schema: Value,
        config: &mut BTreeMap<String, String>,
    ) -> std::result::Result<(), String> {
        let Value::Object(schema) = schema else {
            self.unmapped(key, &schema, NOT_IN_SCHEMA);
            return Ok(());
        };
        let mut required = Vec::new();
        let mut rules = false;
        for (name, value) in schema {
            match (name.as_str(), value) {
                ("properties", Value::Object(properties)) => {
                    for (property, definition) in properties {
                        rules |= self.property(key, &property, definition, config);
                    }
                }
                ("required", Value::Array(names)) => required = names,
                ("version" | "type", _) => {}
                (other, value) => self.unmapped(&format!("{key}.{other}"), &value, NOT_IN_SCHEMA),
            }
        }
        let missing: Vec<String> = required
            .iter()
            .map(quote)
            .filter(|name| !config.contains_key(name))
            .collect();
        if !missing.is_empty() {
            self.unmapped.push(UnmappedKey {
                key: format!("{key}.required"),
                reason: format!(
                    "[{}] required with no default: give them in a plugin.toml's `[config]`",
                    cut(&missing.join(", "), QUOTE_BYTES)
                ),
            });
        }
        if rules {
            self.unmapped.push(UnmappedKey {
                key: format!("{key}.properties"),
                reason: "types and validation rules are not checked by this host; only \
                         defaults are applied"
                    .into(),
            });
        }
        Ok(())
    }

    /// One property of a schema: its default, when a scalar, into `config`. Whether it has
    /// rules (a validation, bounds, allowed values) this host does not check.
    fn property(
        &mut self,
        schema: &str,
        property: &str,
        definition: Value,
        config: &mut BTreeMap<String, String>,
    ) -> bool {
        let Value::Object(definition) = definition else {
            return false;
        };
        let mut rules = false;
        for (name, value) in definition {
            match name.as_str() {
                "default" => match value {
                    Value::String(text) => {
                        config.insert(property.to_owned(), text);
                    }
                    Value::Number(number) => {
                        config.insert(property.to_owned(), number.to_string());
                    }
                    Value::Bool(flag) => {
                        config.insert(property.to_owned(), flag.to_string());
                    }
                    Value::Null => {}
                    other => self.unmapped(
                        &format!("{schema}.properties.{property}.default"),
                        &other,
                        "a list or mapping: config values here are strings, numbers or booleans",
                    ),
                },
                "type" | "description" | "examples" | "items" | "deprecated" => {}
                _ => rules |= !is_empty(&value),
            }
        }
        rules
    }
}

/// `manifest_version` must be MockForge's `1.0` (YAML reads an unquoted `1.0` as a number).
fn check_manifest_version(value: &Value) -> std::result::Result<(), String> {
    let ok = match value {
        Value::String(text) => text == MANIFEST_VERSION,
        Value::Number(number) => number.as_f64() == Some(1.0),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "key `manifest_version`: `{}` is not supported (MockForge's manifests are version \
             {MANIFEST_VERSION})",
            quote(value)
        ))
    }
}

/// A version as text: `"1.2.3"`, or MockForge's own form, a mapping of `major`, `minor`,
/// `patch` and optional `pre_release` and `build`.
fn version_text(value: &Value) -> std::result::Result<String, String> {
    let text = match value {
        Value::String(text) => text.clone(),
        Value::Object(parts) => {
            let number = |name: &str| match parts.get(name) {
                Some(Value::Number(n)) if n.as_u64().is_some_and(|n| n <= u64::from(u32::MAX)) => {
                    Ok(n.to_string())
                }
                Some(other) => Err(format!(
                    "key `plugin.version.{name}`: `{}` is not a whole number",
                    quote(other)
                )),
                None => Err(format!("key `plugin.version.{name}` is missing")),
            };
            let suffix = |name: &str, mark: char| match parts.get(name) {
                None | Some(Value::Null) => Ok(String::new()),
                Some(Value::String(text)) => Ok(format!("{mark}{text}")),
                Some(other) => Err(format!(
                    "key `plugin.version.{name}` is a {}, not a string",
                    type_name(other)
                )),
            };
            format!(
                "{}.{}.{}{}{}",
                number("major")?,
                number("minor")?,
                number("patch")?,
                suffix("pre_release", '-')?,
                suffix("build", '+')?
            )
        }
        other => other.to_string(),
    };
    if super::is_semver(&text) {
        Ok(text)
    } else {
        Err(format!(
            "key `plugin.version`: `{}` is not a semantic version (MAJOR.MINOR.PATCH, quoted)",
            cut(&text, QUOTE_BYTES)
        ))
    }
}

/// A whole number of at least 1.
fn positive(key: &str, value: &Value) -> std::result::Result<u64, String> {
    match value.as_u64() {
        Some(n) if n >= 1 => Ok(n),
        _ => Err(format!(
            "key `{key}`: `{}` is not a whole number of at least 1",
            quote(value)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::RequestedLimits;

    const ORIGIN: &str = "plugins/jwt/plugin.yaml";

    /// Every key of `mockforge-plugin-core` 0.3.230's `PluginManifest`, with a version in its
    /// own `{major, minor, patch}` form.
    const FULL: &str = r#"
manifest_version: "1.0"
plugin:
  id: auth-jwt
  version: { major: 1, minor: 2, patch: 3, pre_release: beta.1, build: b7 }
  name: JWT Authentication
  description: Verifies HS256 bearer tokens
  author: { name: MockForge Team, email: plugins@mockforge.dev }
  types: [auth, template]
  homepage: https://mockforge.dev
  repository: https://github.com/mockforge/plugins
  license: MIT
  keywords: [jwt, auth]
capabilities:
  network: { allow_http: true, allowed_hosts: [api.example.com], max_connections: 10 }
  filesystem: { read_paths: [], write_paths: [], allow_temp_files: false }
  resources:
    max_memory_bytes: 16777217
    max_cpu_percent: 0.5
    max_execution_time_ms: 250
    max_concurrent_executions: 3
  custom: { gpu: true }
dependencies:
  - { id: base, version: "1.0.0", optional: false }
config_schema:
  version: "1.0"
  properties:
    secret: { type: string, default: change-me, description: the HMAC key }
    leeway: { type: number, default: 5 }
    strict: { type: boolean, default: true }
    algorithms: { type: array, default: [HS256] }
    issuer: { type: string, validation: { min_length: 3 } }
  required: [secret, issuer]
metadata: { team: identity, tier: null }
colour: red
"#;

    fn keys(read: &YamlManifest) -> Vec<&str> {
        read.unmapped.iter().map(|k| k.key.as_str()).collect()
    }

    #[test]
    fn every_mapped_field_is_applied() {
        let read = Manifest::parse_yaml(FULL, ORIGIN).unwrap();
        let m = &read.manifest;
        assert_eq!(m.name, "auth-jwt");
        assert_eq!(m.version, "1.2.3-beta.1+b7");
        assert_eq!(m.description, "Verifies HS256 bearer tokens");
        assert_eq!(m.kind, PluginKind::Auth);
        let component = m.component().unwrap();
        assert_eq!(
            component.limits,
            RequestedLimits {
                memory_mib: Some(17), // 16 MiB and one byte, rounded up
                timeout_ms: Some(250),
                max_instances: Some(3),
                ..RequestedLimits::default()
            }
        );
        let config: Vec<(&str, &str)> = component
            .config
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            config,
            [("leeway", "5"), ("secret", "change-me"), ("strict", "true")]
        );
        assert_eq!(component.capabilities, Default::default());
        assert_eq!(component.sha256, None);
    }

    #[test]
    fn everything_else_present_is_listed_by_name() {
        let read = Manifest::parse_yaml(FULL, ORIGIN).unwrap();
        assert_eq!(
            keys(&read),
            [
                "plugin.author",
                "plugin.homepage",
                "plugin.repository",
                "plugin.license",
                "plugin.keywords",
                "plugin.name",
                "plugin.types: template",
                "capabilities.network.allow_http",
                "capabilities.network.allowed_hosts",
                "capabilities.network.max_connections",
                "capabilities.resources.max_cpu_percent",
                "capabilities.custom.gpu",
                "dependencies",
                "config_schema.properties.algorithms.default",
                "config_schema.required",
                "config_schema.properties",
                "metadata.team",
                "colour",
            ]
        );
        let required = &read.unmapped[14];
        assert!(required.reason.contains("[issuer]"), "{required}");
        assert!(
            required
                .to_string()
                .starts_with("`config_schema.required`: "),
            "{required}"
        );
    }

    /// The form of MockForge's own example plugins: no `manifest_version`, the version as
    /// text, `max_cpu_time_ms`, and the schema under `configuration.schema`.
    #[test]
    fn mockforges_example_form_is_read_too() {
        let text = r#"
plugin:
  id: "auth-both"
  version: "0.1.0"
  name: "Both"
  types: ["auth", "response"]
capabilities:
  network: { allow_http_outbound: false, allowed_hosts: [] }
  filesystem: { allow_read: false, allow_write: false, allowed_paths: [] }
  resources:
    max_memory_bytes: 16777216  # 16MB
    max_cpu_time_ms: 1000
dependencies: []
configuration:
  schema:
    type: object
    properties:
      clock_skew_seconds: { type: integer, default: 300, minimum: 0 }
      verification_key: { type: string, description: "the key" }
    required: ["verification_key"]
"#;
        let read = Manifest::parse_yaml(text, ORIGIN).unwrap();
        let m = &read.manifest;
        assert_eq!(m.kind, PluginKind::Both);
        assert_eq!(
            m.description, "Both",
            "the display name stands in for a description"
        );
        let component = m.component().unwrap();
        assert_eq!(component.limits.memory_mib, Some(16));
        assert_eq!(component.limits.timeout_ms, Some(1000));
        assert_eq!(component.config["clock_skew_seconds"], "300");
        assert_eq!(
            keys(&read),
            [
                "configuration.schema.required",
                "configuration.schema.properties"
            ],
            "false flags and empty lists ask for nothing and are not listed"
        );
    }

    #[test]
    fn the_smaller_of_two_time_limits_is_taken() {
        let text = "plugin: { id: p, version: 1.0.0, types: [response] }\n\
                    capabilities: { resources: { max_execution_time_ms: 900, max_cpu_time_ms: 40 } }";
        let read = Manifest::parse_yaml(text, ORIGIN).unwrap();
        assert_eq!(read.manifest.kind, PluginKind::Response);
        assert_eq!(
            read.manifest.component().unwrap().limits.timeout_ms,
            Some(40)
        );
    }

    fn error_of(text: &str) -> String {
        let err = Manifest::parse_yaml(text, ORIGIN).unwrap_err();
        assert!(matches!(err, Error::Manifest { .. }), "{err}");
        let message = err.to_string();
        assert_eq!(
            message.matches(ORIGIN).count(),
            1,
            "the file once: {message}"
        );
        message
    }

    #[test]
    fn what_makes_it_unusable_is_an_error_naming_the_file_and_the_key_once() {
        let plugin = "plugin: { id: p, version: 1.0.0, types: [auth] }\n";
        let cases = [
            (
                "plugin: { version: 1.0.0, types: [auth] }",
                "key `plugin.id` is missing",
            ),
            (
                "plugin: { id: Auth JWT, version: 1.0.0, types: [auth] }",
                "key `plugin.id`: `Auth JWT`",
            ),
            (
                "plugin: { id: 7, version: 1.0.0, types: [auth] }",
                "`plugin.id` is a number",
            ),
            (
                "plugin: { id: p, types: [auth] }",
                "key `plugin.version` is missing",
            ),
            // YAML reads an unquoted 1.0 as a number.
            (
                "plugin: { id: p, version: 1.0, types: [auth] }",
                "key `plugin.version`: `1.0`",
            ),
            (
                "plugin: { id: p, version: { major: 1, minor: -1, patch: 0 }, types: [auth] }",
                "key `plugin.version.minor`",
            ),
            (
                "plugin: { id: p, version: 1.0.0 }",
                "key `plugin.types` must list",
            ),
            (
                "plugin: { id: p, version: 1.0.0, types: [] }",
                "key `plugin.types` must list",
            ),
            (
                "plugin: { id: p, version: 1.0.0, types: [template, datasource] }",
                "[template, datasource] holds no type this host runs",
            ),
            (
                "plugin: { id: p, version: 1.0.0, types: [[auth]] }",
                "`plugin.types[0]`",
            ),
            (
                "manifest_version: '2.0'\nplugin: {}",
                "key `manifest_version`: `2.0`",
            ),
            ("capabilities: {}", "key `plugin` is missing"),
            ("- plugin", "holds a list, not a mapping"),
            ("plugin: [1]", "key `plugin` is a list"),
            ("plugin: {id: p\n  version", "YAML error"),
            (
                "plugin: { id: p, version: 1.0.0, types: [auth] }\nplugin: { id: q }",
                "duplicate entry",
            ),
            ("? [a, b]\n: c\nplugin: {}", "YAML error"),
        ];
        for (text, expected) in cases {
            let message = error_of(text);
            assert!(message.contains(expected), "{text:?}: {message}");
        }
        for (key, value) in [
            ("max_memory_bytes", "-1"),
            ("max_memory_bytes", "0"),
            ("max_execution_time_ms", "lots"),
            ("max_concurrent_executions", "2.5"),
        ] {
            let message = error_of(&format!(
                "{plugin}capabilities: {{ resources: {{ {key}: {value} }} }}"
            ));
            assert!(
                message.contains(&format!("key `capabilities.resources.{key}`: `{value}`")),
                "{message}"
            );
        }
    }

    #[test]
    fn yaml_bombs_and_huge_values_are_refused_briefly() {
        // A billion laughs: nine levels of nine aliases each.
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for level in b'b'..=b'j' {
            let previous = (level - 1) as char;
            let level = level as char;
            let refs = vec![format!("*{previous}"); 9].join(", ");
            bomb.push_str(&format!("{level}: &{level} [{refs}]\n"));
        }
        let started = std::time::Instant::now();
        let message = error_of(&bomb);
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        assert!(message.contains("YAML error"), "{message}");

        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(error_of(&deep).contains("YAML error"));

        let huge = "x".repeat(10 << 20);
        for text in [
            format!("plugin: {{ id: {huge}, version: 1.0.0, types: [auth] }}"),
            format!("plugin: {{ id: p, version: {huge}, types: [auth] }}"),
            format!("plugin: {{ id: p, version: 1.0.0, types: [{huge}] }}"),
            format!("plugin: {{ id: p, version: 1.0.0, types: [auth] }}\n{huge}"),
            format!("plugin: {{ id: p, version: 1.0.0, types: [auth] }}\n\"{huge}"),
        ] {
            let message = error_of(&text);
            assert!(message.len() < 2048, "{}", &message[..300]);
        }
    }
}
