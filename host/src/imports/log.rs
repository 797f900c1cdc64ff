//! The host side of the WIT `log` interface: plugin log records become `tracing` events with
//! target `mockforge_plugin` and the plugin's name as field `plugin`.

use std::fmt;

use crate::bindings::log::{Host, Level};
use crate::store::InstanceState;

/// The `tracing` target of every record a plugin emits (its log calls and its stdout/stderr).
pub const LOG_TARGET: &str = "mockforge_plugin";

/// The most bytes of one message or field a plugin may log; longer text is cut, so that a
/// plugin cannot flood the embedder's log with one call.
pub(crate) const MAX_LOG_BYTES: usize = 8 * 1024;

/// Fields rendered as `name=value` pairs separated by spaces.
struct Fields<'a>(&'a [(String, String)]);

impl fmt::Display for Fields<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (name, value)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{}={:?}", truncate(name), truncate(value))?;
        }
        Ok(())
    }
}

pub(crate) fn truncate(text: &str) -> &str {
    if text.len() <= MAX_LOG_BYTES {
        return text;
    }
    let mut end = MAX_LOG_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

impl Host for InstanceState {
    fn log(
        &mut self,
        level: Level,
        message: String,
        fields: Vec<(String, String)>,
    ) -> wasmtime::Result<()> {
        let plugin = &*self.plugin.name;
        let message = truncate(&message);
        let fields = Fields(&fields);
        macro_rules! emit {
            ($level:expr) => {
                tracing::event!(target: LOG_TARGET, $level, plugin, fields = %fields, "{message}")
            };
        }
        match level {
            Level::Trace => emit!(tracing::Level::TRACE),
            Level::Debug => emit!(tracing::Level::DEBUG),
            Level::Info => emit!(tracing::Level::INFO),
            Level::Warn => emit!(tracing::Level::WARN),
            Level::Error => emit!(tracing::Level::ERROR),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_respects_char_boundaries() {
        let long = "é".repeat(MAX_LOG_BYTES);
        let cut = truncate(&long);
        assert!(cut.len() <= MAX_LOG_BYTES);
        assert!(cut.chars().all(|c| c == 'é'));
        assert_eq!(truncate("short"), "short");
    }

    #[test]
    fn fields_render_as_pairs() {
        let fields = vec![
            ("path".to_string(), "/a b".to_string()),
            ("n".into(), "1".into()),
        ];
        assert_eq!(Fields(&fields).to_string(), "path=\"/a b\" n=\"1\"");
    }
}
