//! A loaded component's copy-on-write memory images, made once at load, off the request path.
//!
//! wasmtime starts each instance's linear memories from an image of their data segments. For a
//! component compiled in this process or read from the artifact cache, Linux keeps that image
//! in a sealed memfd that wasmtime makes the first time the component is instantiated. Sealing
//! can fail for a moment (`EBUSY` while the kernel still holds a page of the fresh memfd, for
//! instance in another CPU's page batch), and wasmtime reports that as an error of the
//! instantiation. Made here, at load, such a moment is waited out and retried, and a call never
//! meets it: once made, the image is kept for every later instance of the component.

use std::time::Duration;

use wasmtime::component::Component;

use crate::error::{Error, Result};

/// How many times making the images is tried before the load fails.
const ATTEMPTS: u32 = 6;

/// The wait after the first failed attempt; it doubles after each further one (2 ms to 32 ms,
/// 62 ms in all, on top of the kernel's own wait inside each attempt).
const FIRST_WAIT: Duration = Duration::from_millis(2);

/// Makes the memory images of `component`, the plugin `plugin`'s. Blocks: call it on a
/// blocking thread. A transient failure (the kernel busy) is retried; a lasting one fails the
/// load as a host failure naming the plugin.
pub(crate) fn prepare(plugin: &str, component: &Component) -> Result<()> {
    prepare_with(plugin, || component.initialize_copy_on_write_image())
}

fn prepare_with(plugin: &str, mut make: impl FnMut() -> wasmtime::Result<()>) -> Result<()> {
    let mut wait = FIRST_WAIT;
    let mut attempt = 1;
    loop {
        match make() {
            Ok(()) => return Ok(()),
            Err(err) if attempt < ATTEMPTS && is_transient(&err) => {
                tracing::debug!(
                    plugin,
                    attempt,
                    "making the memory images was refused for a moment; retrying: {err:#}"
                );
                std::thread::sleep(wait);
                wait *= 2;
                attempt += 1;
            }
            Err(err) => {
                return Err(Error::host_caused(
                    plugin,
                    "cannot make its memory images",
                    err,
                ))
            }
        }
    }
}

/// Whether `err` is the kernel refusing for a moment (busy, interrupted, try again).
fn is_transient(err: &wasmtime::Error) -> bool {
    err.chain()
        .filter_map(|cause| cause.downcast_ref::<std::io::Error>())
        .any(|io| {
            matches!(
                io.raw_os_error(),
                Some(libc::EBUSY | libc::EINTR | libc::EAGAIN)
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn busy() -> wasmtime::Error {
        wasmtime::Error::new(std::io::Error::from_raw_os_error(libc::EBUSY))
            .context("cannot add seals to the memfd")
    }

    #[test]
    fn a_busy_kernel_is_waited_out() {
        let mut tries = 0;
        prepare_with("p", || {
            tries += 1;
            if tries < 3 {
                Err(busy())
            } else {
                Ok(())
            }
        })
        .expect("the third attempt succeeds");
        assert_eq!(tries, 3);
    }

    #[test]
    fn a_lasting_failure_fails_the_load_naming_the_plugin() {
        let mut tries = 0;
        let err = prepare_with("kv-crud", || {
            tries += 1;
            Err(busy())
        })
        .expect_err("never succeeds");
        assert_eq!(tries, ATTEMPTS);
        assert!(matches!(&err, Error::Host { plugin, .. } if plugin == "kv-crud"));
        assert!(err.to_string().contains("memory images"), "{err}");
    }

    #[test]
    fn any_other_failure_is_not_retried() {
        let mut tries = 0;
        let err = prepare_with("p", || {
            tries += 1;
            Err(wasmtime::Error::new(std::io::Error::from_raw_os_error(
                libc::ENOMEM,
            )))
        })
        .expect_err("fails");
        assert_eq!(tries, 1);
        assert!(matches!(err, Error::Host { .. }));
    }
}
