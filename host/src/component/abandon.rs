//! Abandoning a call that runs far past its deadline, without paying for a timer on calls
//! that finish at once.
//!
//! Most calls finish on their first poll: the guest runs on a fiber until it returns, and
//! yields only on an epoch tick or in an asynchronous host call. A timer (`tokio`'s `Sleep`)
//! is registered only when the call returns `Pending`, and it fires at the same instant a
//! `tokio::time::timeout` set up before the call would have. A call that is ready is never
//! abandoned, even when its deadline has passed, as with `tokio::time::timeout`.

use std::future::Future;
use std::pin::pin;
use std::task::Poll;
use std::time::Instant;

/// Runs `call` until it finishes (`Some` with its output) or until `abandon_at` passes
/// while it is still pending (`None`; `call` is dropped).
pub(crate) async fn unless_abandoned<F: Future>(abandon_at: Instant, call: F) -> Option<F::Output> {
    let mut call = pin!(call);
    let mut timer = None;
    std::future::poll_fn(|cx| {
        if let Poll::Ready(output) = call.as_mut().poll(cx) {
            return Poll::Ready(Some(output));
        }
        let timer =
            timer.get_or_insert_with(|| Box::pin(tokio::time::sleep_until(abandon_at.into())));
        timer.as_mut().poll(cx).map(|()| None)
    })
    .await
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn a_ready_call_is_never_abandoned_even_past_its_time() {
        let past = Instant::now() - Duration::from_secs(1);
        assert_eq!(unless_abandoned(past, async { 7 }).await, Some(7));
    }

    #[tokio::test]
    async fn a_pending_call_finishes_before_its_time() {
        let later = Instant::now() + Duration::from_secs(30);
        let call = async {
            tokio::time::sleep(Duration::from_millis(5)).await;
            "done"
        };
        assert_eq!(unless_abandoned(later, call).await, Some("done"));
    }

    #[tokio::test]
    async fn a_call_pending_past_its_time_is_abandoned_and_dropped() {
        let dropped = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        struct Flag(std::sync::Arc<std::sync::atomic::AtomicBool>);
        impl Drop for Flag {
            fn drop(&mut self) {
                self.0.store(true, std::sync::atomic::Ordering::SeqCst);
            }
        }
        let flag = Flag(dropped.clone());
        let call = async move {
            let _flag = flag;
            std::future::pending::<()>().await
        };
        let started = Instant::now();
        let outcome = unless_abandoned(started + Duration::from_millis(20), call).await;
        assert_eq!(outcome, None);
        assert!(started.elapsed() >= Duration::from_millis(20));
        assert!(dropped.load(std::sync::atomic::Ordering::SeqCst));
    }
}
