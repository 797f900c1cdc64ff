//! Per-call caps on what a plugin writes to the embedder's log: its `log` records, and its
//! stdout and stderr (whose lines become records too). Past a cap, output is dropped, and one
//! marker record at the end of the call says how much was, so that a plugin can flood neither
//! the log nor the host's memory whatever it does within its time limit.

use std::sync::{Arc, Mutex, PoisonError};

/// The `tracing` target of every record a plugin emits (its log calls and its stdout/stderr).
pub const LOG_TARGET: &str = "mockforge_plugin";

/// The most bytes of one message or field a plugin may log; longer text is cut, so that a
/// plugin cannot flood the embedder's log with one call.
pub(crate) const MAX_LOG_BYTES: usize = 8 * 1024;

/// `text` cut to [`MAX_LOG_BYTES`] at a character boundary.
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

/// Default [`OutputLimits::max_log_records`]: 1,000 records a call.
pub const DEFAULT_MAX_LOG_RECORDS: usize = 1000;
/// Default [`OutputLimits::max_log_fields`]: 64 fields a record.
pub const DEFAULT_MAX_LOG_FIELDS: usize = 64;
/// Default [`OutputLimits::max_log_bytes`]: 1 MiB of records a call.
pub const DEFAULT_MAX_LOG_BYTES: usize = 1 << 20;
/// Default [`OutputLimits::max_output_bytes`]: 1 MiB of stdout and stderr a call.
pub const DEFAULT_MAX_OUTPUT_BYTES: usize = 1 << 20;

/// What one call of a plugin (or its start-up) may write to the log. Set with
/// [`HostConfig::output_limits`](crate::HostConfig::output_limits).
///
/// Besides these, one message, one field and one line of stdout or stderr are each cut at
/// 8 KiB, and a record's fields together at 8 KiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputLimits {
    /// Records a call may emit: `log` calls and lines of stdout and stderr together.
    /// Default [`DEFAULT_MAX_LOG_RECORDS`].
    pub max_log_records: usize,
    /// Fields kept in one `log` record; further fields are dropped and their number noted
    /// in the record. Default [`DEFAULT_MAX_LOG_FIELDS`].
    pub max_log_fields: usize,
    /// Bytes of records (messages, fields and lines) a call may emit. Default
    /// [`DEFAULT_MAX_LOG_BYTES`].
    pub max_log_bytes: usize,
    /// Bytes a call may write to stdout and stderr together; the rest is dropped unread.
    /// Default [`DEFAULT_MAX_OUTPUT_BYTES`].
    pub max_output_bytes: usize,
}

impl Default for OutputLimits {
    fn default() -> Self {
        Self {
            max_log_records: DEFAULT_MAX_LOG_RECORDS,
            max_log_fields: DEFAULT_MAX_LOG_FIELDS,
            max_log_bytes: DEFAULT_MAX_LOG_BYTES,
            max_output_bytes: DEFAULT_MAX_OUTPUT_BYTES,
        }
    }
}

/// What the current call has spent and dropped.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Spent {
    records: usize,
    log_bytes: usize,
    output_bytes: usize,
    dropped_records: usize,
    dropped_record_bytes: usize,
    dropped_output_bytes: usize,
}

/// The per-call budget of one instance, shared by its `log` import, stdout and stderr.
pub(crate) struct OutputBudget {
    plugin: Arc<str>,
    limits: OutputLimits,
    spent: Mutex<Spent>,
}

impl OutputBudget {
    pub(crate) fn new(plugin: Arc<str>, limits: OutputLimits) -> Self {
        Self {
            plugin,
            limits,
            spent: Mutex::default(),
        }
    }

    pub(crate) fn limits(&self) -> &OutputLimits {
        &self.limits
    }

    fn spent(&self) -> std::sync::MutexGuard<'_, Spent> {
        self.spent.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether a record of `bytes` may be emitted; a record refused is counted as dropped.
    pub(crate) fn admit_record(&self, bytes: usize) -> bool {
        let mut spent = self.spent();
        let fits = spent.records < self.limits.max_log_records
            && spent.log_bytes.saturating_add(bytes) <= self.limits.max_log_bytes;
        if fits {
            spent.records += 1;
            spent.log_bytes += bytes;
        } else {
            spent.dropped_records += 1;
            spent.dropped_record_bytes = spent.dropped_record_bytes.saturating_add(bytes);
        }
        fits
    }

    /// How many of `len` bytes written to stdout or stderr may be kept; the rest is counted
    /// as dropped.
    pub(crate) fn admit_output(&self, len: usize) -> usize {
        let mut spent = self.spent();
        let room = self
            .limits
            .max_output_bytes
            .saturating_sub(spent.output_bytes);
        let taken = len.min(room);
        spent.output_bytes += taken;
        spent.dropped_output_bytes = spent.dropped_output_bytes.saturating_add(len - taken);
        taken
    }

    /// Ends a call (or the start-up): emits one marker record if anything was dropped, and
    /// gives the next call a full budget.
    pub(crate) fn finish_call(&self) {
        let spent = std::mem::take(&mut *self.spent());
        if spent.dropped_records == 0 && spent.dropped_output_bytes == 0 {
            return;
        }
        let plugin = &*self.plugin;
        tracing::warn!(
            target: LOG_TARGET,
            plugin,
            dropped_records = spent.dropped_records,
            dropped_record_bytes = spent.dropped_record_bytes,
            dropped_output_bytes = spent.dropped_output_bytes,
            "output over the plugin's per-call caps was dropped: {} log records ({} bytes) and \
             {} bytes of stdout and stderr",
            spent.dropped_records,
            spent.dropped_record_bytes,
            spent.dropped_output_bytes,
        );
    }
}

impl Drop for OutputBudget {
    /// An instance dropped mid-call (a timeout, a trap) still reports what it dropped.
    fn drop(&mut self) {
        self.finish_call();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget(limits: OutputLimits) -> OutputBudget {
        OutputBudget::new("p".into(), limits)
    }

    #[test]
    fn records_are_capped_in_number_and_bytes_per_call() {
        let b = budget(OutputLimits {
            max_log_records: 3,
            max_log_bytes: 10,
            ..OutputLimits::default()
        });
        assert!(b.admit_record(4));
        assert!(b.admit_record(4));
        assert!(!b.admit_record(4), "12 bytes is over 10");
        assert!(b.admit_record(2));
        assert!(!b.admit_record(0), "a fourth record is over 3");
        let spent = *b.spent();
        assert_eq!((spent.dropped_records, spent.dropped_record_bytes), (2, 4));
        b.finish_call();
        assert_eq!(*b.spent(), Spent::default());
        assert!(b.admit_record(10), "the next call has a full budget");
    }

    #[test]
    fn output_bytes_are_capped_per_call() {
        let b = budget(OutputLimits {
            max_output_bytes: 10,
            ..OutputLimits::default()
        });
        assert_eq!(b.admit_output(6), 6);
        assert_eq!(b.admit_output(6), 4);
        assert_eq!(b.admit_output(50_000_000), 0);
        assert_eq!(b.spent().dropped_output_bytes, 50_000_002);
        b.finish_call();
        assert_eq!(b.admit_output(10), 10);
    }

    #[test]
    fn defaults_are_documented_values() {
        let limits = OutputLimits::default();
        assert_eq!(limits.max_log_records, 1000);
        assert_eq!(limits.max_log_fields, 64);
        assert_eq!(limits.max_log_bytes, 1 << 20);
        assert_eq!(limits.max_output_bytes, 1 << 20);
    }
}
