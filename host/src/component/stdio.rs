//! A plugin's stdout and stderr: each complete line becomes a `tracing` event tagged with the
//! plugin's name, and the end of stderr is kept so that a trap can show the panic message
//! that preceded it. What a call writes is bounded by its [`OutputBudget`]: bytes past the
//! budget are dropped before they are buffered, lines past it are not emitted.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};
use wasmtime_wasi::p2::{OutputStream, Pollable, StreamResult};

use crate::output_caps::OutputBudget;
use crate::output_caps::{truncate, LOG_TARGET, MAX_LOG_BYTES};

/// How much of stderr is kept for error reports.
const STDERR_TAIL_BYTES: usize = 2048;

/// Which stream a [`PluginOutput`] is.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Stream {
    Stdout,
    Stderr,
}

#[derive(Default)]
struct Buffers {
    partial_line: Vec<u8>,
    tail: VecDeque<u8>,
}

/// One of a plugin's output streams. Clones share their buffers.
#[derive(Clone)]
pub(crate) struct PluginOutput {
    plugin: Arc<str>,
    stream: Stream,
    buffers: Arc<Mutex<Buffers>>,
    budget: Arc<OutputBudget>,
}

impl PluginOutput {
    pub(crate) fn new(plugin: Arc<str>, stream: Stream, budget: Arc<OutputBudget>) -> Self {
        Self {
            plugin,
            stream,
            buffers: Arc::default(),
            budget,
        }
    }

    fn buffers(&self) -> std::sync::MutexGuard<'_, Buffers> {
        self.buffers.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes what was written since the last call, for an error report.
    pub(crate) fn take_tail(&self) -> String {
        let mut buffers = self.buffers();
        let pending = std::mem::take(&mut buffers.partial_line);
        self.emit(&pending);
        let tail: Vec<u8> = buffers.tail.drain(..).collect();
        String::from_utf8_lossy(&tail).into_owned()
    }

    /// Forgets the tail, at the start of a call.
    pub(crate) fn clear_tail(&self) {
        self.buffers().tail.clear();
    }

    fn write(&self, bytes: &[u8]) {
        let mut buffers = self.buffers();
        if matches!(self.stream, Stream::Stderr) {
            buffers.tail.extend(bytes);
            let excess = buffers.tail.len().saturating_sub(STDERR_TAIL_BYTES);
            buffers.tail.drain(..excess);
        }
        // The tail above keeps the end of stderr whatever the budget: a panic message after a
        // flood still reaches the trap's report.
        let kept = self.budget.admit_output(bytes.len());
        buffers.partial_line.extend_from_slice(&bytes[..kept]);
        while let Some(end) = buffers.partial_line.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = buffers.partial_line.drain(..=end).collect();
            self.emit(&line[..line.len() - 1]);
        }
        if buffers.partial_line.len() > MAX_LOG_BYTES {
            let line = std::mem::take(&mut buffers.partial_line);
            self.emit(&line);
        }
    }

    fn emit(&self, line: &[u8]) {
        if line.is_empty() {
            return;
        }
        let text = String::from_utf8_lossy(line);
        let text = truncate(text.trim_end_matches('\r'));
        if !self.budget.admit_record(text.len()) {
            return;
        }
        let plugin = &*self.plugin;
        match self.stream {
            Stream::Stdout => {
                tracing::info!(target: LOG_TARGET, plugin, stream = "stdout", "{text}")
            }
            Stream::Stderr => {
                tracing::warn!(target: LOG_TARGET, plugin, stream = "stderr", "{text}")
            }
        }
    }
}

impl IsTerminal for PluginOutput {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for PluginOutput {
    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }

    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(self.clone())
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for PluginOutput {
    async fn ready(&mut self) {}
}

impl OutputStream for PluginOutput {
    fn write(&mut self, bytes: Bytes) -> StreamResult<()> {
        PluginOutput::write(self, &bytes);
        Ok(())
    }

    fn flush(&mut self) -> StreamResult<()> {
        Ok(())
    }

    fn check_write(&mut self) -> StreamResult<usize> {
        Ok(64 * 1024)
    }
}

impl tokio::io::AsyncWrite for PluginOutput {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        PluginOutput::write(&self, buf);
        std::task::Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output_caps::OutputLimits;

    fn budget(limits: OutputLimits) -> Arc<OutputBudget> {
        Arc::new(OutputBudget::new("p".into(), limits))
    }

    #[test]
    fn stderr_tail_keeps_the_end() {
        let out = PluginOutput::new("p".into(), Stream::Stderr, budget(OutputLimits::default()));
        out.write(b"first line\nsecond");
        assert_eq!(out.take_tail(), "first line\nsecond");
        assert_eq!(out.take_tail(), "");
        out.write(&vec![b'x'; STDERR_TAIL_BYTES + 10]);
        assert_eq!(out.take_tail().len(), STDERR_TAIL_BYTES);
    }

    #[test]
    fn stdout_keeps_no_tail() {
        let out = PluginOutput::new("p".into(), Stream::Stdout, budget(OutputLimits::default()));
        out.write(b"hello\n");
        assert_eq!(out.take_tail(), "");
    }

    #[test]
    fn output_past_the_budget_is_neither_buffered_nor_emitted() {
        let budget = budget(OutputLimits {
            max_output_bytes: 10,
            ..OutputLimits::default()
        });
        let out = PluginOutput::new("p".into(), Stream::Stderr, budget.clone());
        out.write(b"12345678");
        out.write(&vec![b'x'; 50 << 20]);
        assert_eq!(
            out.buffers().partial_line.len(),
            10,
            "only the budget is buffered"
        );
        assert_eq!(
            out.take_tail().len(),
            STDERR_TAIL_BYTES,
            "the tail keeps the end"
        );
        assert_eq!(
            budget.admit_output(1),
            0,
            "the budget is spent until the call ends"
        );
    }
}
