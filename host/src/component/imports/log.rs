//! The host side of the WIT `log` interface: plugin log records become `tracing` events with
//! target `mockforge_plugin` and the plugin's name as field `plugin`.

use std::fmt::Write as _;

use crate::component::bindings::{v0_1, v0_2};
use crate::component::store::InstanceState;
use crate::output_caps::{truncate, LOG_TARGET, MAX_LOG_BYTES};

/// Fields rendered as `name=value` pairs separated by spaces: at most `max_fields` of them and
/// [`MAX_LOG_BYTES`] of text (each name and value cut at [`MAX_LOG_BYTES`] too); the number of
/// fields left out is noted at the end.
fn render_fields(fields: &[(String, String)], max_fields: usize) -> String {
    let mut text = String::new();
    let mut kept = 0;
    for (name, value) in fields.iter().take(max_fields) {
        if text.len() >= MAX_LOG_BYTES {
            break;
        }
        if kept > 0 {
            text.push(' ');
        }
        let _ = write!(text, "{}={:?}", truncate(name), truncate(value));
        kept += 1;
    }
    let end = truncate(&text).len();
    text.truncate(end);
    let dropped = fields.len() - kept;
    if dropped > 0 {
        if !text.is_empty() {
            text.push(' ');
        }
        let _ = write!(text, "[{dropped} more fields dropped]");
    }
    text
}

impl InstanceState {
    /// One record from the plugin into the embedder's log, within the call's output budget.
    fn log_record(&mut self, level: tracing::Level, message: &str, fields: &[(String, String)]) {
        let plugin = &*self.plugin.name;
        let message = truncate(message);
        let fields = render_fields(fields, self.output.limits().max_log_fields);
        if !self.output.admit_record(message.len() + fields.len()) {
            return;
        }
        macro_rules! emit {
            ($level:expr) => {
                tracing::event!(target: LOG_TARGET, $level, plugin, fields = %fields, "{message}")
            };
        }
        match level {
            tracing::Level::TRACE => emit!(tracing::Level::TRACE),
            tracing::Level::DEBUG => emit!(tracing::Level::DEBUG),
            tracing::Level::INFO => emit!(tracing::Level::INFO),
            tracing::Level::WARN => emit!(tracing::Level::WARN),
            _ => emit!(tracing::Level::ERROR),
        }
    }
}

/// The `log` interface of one contract version, whose `level` enum is its own type.
macro_rules! log_interface {
    ($version:ident) => {
        impl $version::log::Host for InstanceState {
            fn log(
                &mut self,
                level: $version::log::Level,
                message: String,
                fields: Vec<(String, String)>,
            ) -> wasmtime::Result<()> {
                use $version::log::Level;
                let level = match level {
                    Level::Trace => tracing::Level::TRACE,
                    Level::Debug => tracing::Level::DEBUG,
                    Level::Info => tracing::Level::INFO,
                    Level::Warn => tracing::Level::WARN,
                    Level::Error => tracing::Level::ERROR,
                };
                self.log_record(level, &message, &fields);
                Ok(())
            }
        }
    };
}

log_interface!(v0_1);
log_interface!(v0_2);

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
        assert_eq!(render_fields(&fields, 64), "path=\"/a b\" n=\"1\"");
        assert_eq!(
            render_fields(&fields, 1),
            "path=\"/a b\" [1 more fields dropped]"
        );
        assert_eq!(render_fields(&[], 64), "");
    }

    #[test]
    fn ten_thousand_fields_make_one_bounded_record() {
        let fields: Vec<(String, String)> = (0..10_000)
            .map(|i| (format!("field{i}"), "v".repeat(100)))
            .collect();
        let text = render_fields(&fields, usize::MAX);
        assert!(text.len() <= MAX_LOG_BYTES + 64, "{}", text.len());
        assert!(text.ends_with("more fields dropped]"), "{text}");
        let text = render_fields(&fields, 64);
        assert!(text.len() <= MAX_LOG_BYTES + 64);
        assert!(text.ends_with(" [9936 more fields dropped]"), "{text}");
        let huge = vec![("n".to_string(), "x".repeat(10 * MAX_LOG_BYTES))];
        let text = render_fields(&huge, 64);
        assert_eq!(
            text.len(),
            MAX_LOG_BYTES,
            "one long field is cut, not dropped"
        );
    }
}
