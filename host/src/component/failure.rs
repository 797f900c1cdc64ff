//! What went wrong in a component: a wasmtime error from instantiating or calling, turned into
//! a typed [`Error`] with what the store recorded (a memory-limit hit, the end of stderr).

use wasmtime::Store;

use crate::component::bindings::MalformedAnswer;
use crate::component::store::{DeadlineExceeded, InstanceState, PluginContext};
use crate::error::{report, Error};

/// The typed error for `err`, raised while instantiating or calling a plugin of `context`.
pub(crate) fn classify(
    context: &PluginContext,
    err: wasmtime::Error,
    store: &Store<InstanceState>,
) -> Error {
    let plugin = context.name.to_string();
    let limits = &context.limits;
    if err.is::<DeadlineExceeded>() {
        return Error::Timeout {
            plugin,
            limit: limits.timeout,
        };
    }
    if store.data().limiter.hit {
        return Error::MemoryLimit {
            plugin,
            limit_bytes: limits.memory_bytes,
        };
    }
    if let Some(MalformedAnswer(violation)) = err.downcast_ref::<MalformedAnswer>() {
        return Error::InvalidAnswer {
            plugin,
            field: violation.field.clone(),
            reason: violation.reason.clone(),
        };
    }
    if err.is::<wasmtime::PoolConcurrencyLimitError>() {
        return Error::Capacity {
            plugin,
            source: err.into(),
        };
    }
    // No trap, and the operating system refused the host something (memory to map, an image
    // to seal): the host failed, not the plugin.
    if err.downcast_ref::<wasmtime::Trap>().is_none()
        && err.chain().any(|cause| cause.is::<std::io::Error>())
    {
        return Error::host_caused(&plugin, "the operating system refused it a resource", err);
    }
    let backtrace = err
        .downcast_ref::<wasmtime::WasmBacktrace>()
        .map(|bt| bt.to_string());
    let message = match err.downcast_ref::<wasmtime::Trap>() {
        Some(trap) => trap.to_string(),
        None => report(&*err),
    };
    Error::Trap {
        plugin,
        message,
        backtrace,
        stderr: store.data().stderr.take_tail(),
    }
}

/// A call that failed in the plugin (a trap, its own error) while one of its granted
/// directories had been removed is not the plugin's fault: it is reported as the missing
/// directory.
pub(crate) fn blame_removed_dir(context: &PluginContext, err: Error) -> Error {
    if !matches!(err, Error::Trap { .. } | Error::Plugin { .. }) {
        return err;
    }
    match context.removed_dir() {
        Some(dir) => Error::io(
            &context.name,
            &dir.host,
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!(
                    "the directory granted as `{}` was removed after the plugin loaded",
                    dir.guest
                ),
            ),
        ),
        None => err,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::component::store::{new_store, test_context};

    fn classified(err: wasmtime::Error) -> Error {
        let engine = wasmtime::Engine::default();
        let context = test_context("p");
        let store = new_store(&engine, &context);
        classify(&context, err, &store)
    }

    #[test]
    fn the_operating_system_refusing_the_host_is_a_host_failure() {
        let err = wasmtime::Error::new(std::io::Error::from_raw_os_error(libc::EBUSY))
            .context("cannot add seals to the memfd");
        let classified = classified(err);
        assert!(
            matches!(&classified, Error::Host { plugin, .. } if plugin == "p"),
            "{classified:?}"
        );
        assert_eq!(classified.fault(), crate::error::Fault::Host);
    }

    #[test]
    fn a_trap_is_the_plugins_and_so_is_a_failure_without_an_os_error() {
        let trap = wasmtime::Error::new(wasmtime::Trap::UnreachableCodeReached);
        assert!(matches!(classified(trap), Error::Trap { .. }));
        let other = wasmtime::Error::msg("a host import refused the plugin's handle");
        assert!(matches!(classified(other), Error::Trap { .. }));
    }
}
