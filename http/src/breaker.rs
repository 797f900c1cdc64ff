//! The circuit breaker that takes a failing plugin out of the request path for a cool-down.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use crate::policy::BreakerSettings;

/// Where a plugin's breaker stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerState {
    /// The plugin is called.
    Closed,
    /// The plugin failed too often and is cooling down: it is not called.
    Open,
    /// The cool-down is over: the next request probes the plugin.
    HalfOpen,
}

impl BreakerState {
    /// The state as a metric value: 0 closed, 1 open, 2 half-open.
    pub fn as_gauge(self) -> i64 {
        match self {
            Self::Closed => 0,
            Self::Open => 1,
            Self::HalfOpen => 2,
        }
    }

    /// The state's name: `closed`, `open` or `half-open`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Closed => "closed",
            Self::Open => "open",
            Self::HalfOpen => "half-open",
        }
    }
}

/// A plugin's breaker. Shared (`Arc`) so that it outlives a hot reload of the same plugin.
#[derive(Debug)]
pub struct Breaker {
    settings: BreakerSettings,
    inner: Mutex<Inner>,
    /// Whether `inner.open_until` is set: while it is not (the usual case), admitting a call
    /// and recording its success take no lock.
    tripped: AtomicBool,
    opened: AtomicU64,
}

#[derive(Debug, Default)]
struct Inner {
    /// When the recent failures happened, oldest first, within the window.
    failures: VecDeque<Instant>,
    /// Set while open: when the cool-down ends.
    open_until: Option<Instant>,
    /// A probe is in flight.
    probing: bool,
}

/// Whether a call may go ahead; report its result with [`Ticket::success`] or
/// [`Ticket::failure`]. A ticket dropped unreported (the request was abandoned) reports
/// nothing, and a probe it carried may be retried by the next request.
#[derive(Debug)]
pub struct Ticket {
    breaker: Arc<Breaker>,
    probe: bool,
    reported: bool,
}

impl Breaker {
    /// A closed breaker.
    pub fn new(settings: BreakerSettings) -> Arc<Self> {
        Arc::new(Self {
            settings,
            inner: Mutex::new(Inner::default()),
            tripped: AtomicBool::new(false),
            opened: AtomicU64::new(0),
        })
    }

    /// Its settings.
    pub fn settings(&self) -> BreakerSettings {
        self.settings
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // The state stays consistent under a panic elsewhere: every update is one assignment.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A ticket for a call, or `None` while the plugin is out of the path (open, or half-open
    /// with a probe already in flight).
    pub fn admit(self: &Arc<Self>, now: Instant) -> Option<Ticket> {
        if !self.tripped.load(Ordering::Acquire) {
            return Some(Ticket {
                breaker: Arc::clone(self),
                probe: false,
                reported: false,
            });
        }
        let mut inner = self.lock();
        let probe = match inner.open_until {
            None => false,
            Some(until) if now < until => return None,
            Some(_) if inner.probing => return None,
            Some(_) => {
                inner.probing = true;
                true
            }
        };
        Some(Ticket {
            breaker: Arc::clone(self),
            probe,
            reported: false,
        })
    }

    /// Where it stands now.
    pub fn state(&self, now: Instant) -> BreakerState {
        match self.lock().open_until {
            None => BreakerState::Closed,
            Some(until) if now < until => BreakerState::Open,
            Some(_) => BreakerState::HalfOpen,
        }
    }

    /// How many times it has opened.
    pub fn opened(&self) -> u64 {
        self.opened.load(Ordering::Relaxed)
    }

    fn record(&self, probe: bool, failed: bool, now: Instant) {
        if !probe && (!failed || self.settings.failures == 0) {
            return;
        }
        let mut inner = self.lock();
        if probe {
            inner.probing = false;
            inner.failures.clear();
            inner.open_until = failed.then(|| now + self.settings.cooldown);
            self.tripped.store(failed, Ordering::Release);
            if failed {
                self.opened.fetch_add(1, Ordering::Relaxed);
            }
            return;
        }
        if !failed || self.settings.failures == 0 || inner.open_until.is_some() {
            return;
        }
        let window = self.settings.window;
        while inner
            .failures
            .front()
            .is_some_and(|&at| now.saturating_duration_since(at) > window)
        {
            inner.failures.pop_front();
        }
        inner.failures.push_back(now);
        if inner.failures.len() >= self.settings.failures as usize {
            inner.failures.clear();
            inner.open_until = Some(now + self.settings.cooldown);
            self.tripped.store(true, Ordering::Release);
            self.opened.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl Ticket {
    /// Whether this call probes a plugin whose cool-down is over.
    pub fn is_probe(&self) -> bool {
        self.probe
    }

    /// The call succeeded (an answer, whatever it said).
    pub fn success(mut self) {
        self.reported = true;
        if self.probe {
            self.breaker.record(true, false, Instant::now());
        }
    }

    /// The call failed.
    pub fn failure(mut self) {
        self.reported = true;
        self.breaker.record(self.probe, true, Instant::now());
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if self.probe && !self.reported {
            self.breaker.lock().probing = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn settings() -> BreakerSettings {
        BreakerSettings {
            failures: 3,
            window: Duration::from_secs(10),
            cooldown: Duration::from_secs(30),
        }
    }

    fn fail_at(breaker: &Arc<Breaker>, at: Instant) {
        let ticket = breaker.admit(at).expect("admitted");
        breaker.record(ticket.probe, true, at);
        std::mem::forget(ticket);
    }

    #[test]
    fn opens_after_n_failures_within_the_window_then_probes_after_the_cooldown() {
        let breaker = Breaker::new(settings());
        let t0 = Instant::now();
        fail_at(&breaker, t0);
        fail_at(&breaker, t0 + Duration::from_secs(1));
        assert_eq!(breaker.state(t0), BreakerState::Closed);
        fail_at(&breaker, t0 + Duration::from_secs(2));
        assert_eq!(
            breaker.state(t0 + Duration::from_secs(3)),
            BreakerState::Open
        );
        assert!(
            breaker.admit(t0 + Duration::from_secs(31)).is_none(),
            "cooling down"
        );
        assert_eq!(breaker.opened(), 1);

        let later = t0 + Duration::from_secs(33);
        assert_eq!(breaker.state(later), BreakerState::HalfOpen);
        let probe = breaker.admit(later).expect("one probe");
        assert!(probe.is_probe());
        assert!(breaker.admit(later).is_none(), "only one probe at a time");
        breaker.record(true, false, later);
        std::mem::forget(probe);
        assert_eq!(breaker.state(later), BreakerState::Closed);
        assert!(breaker.admit(later).is_some());
    }

    #[test]
    fn failures_older_than_the_window_do_not_count() {
        let breaker = Breaker::new(settings());
        let t0 = Instant::now();
        fail_at(&breaker, t0);
        fail_at(&breaker, t0 + Duration::from_secs(1));
        fail_at(&breaker, t0 + Duration::from_secs(12));
        assert_eq!(
            breaker.state(t0 + Duration::from_secs(12)),
            BreakerState::Closed
        );
    }

    #[test]
    fn a_failed_probe_opens_again_and_an_abandoned_probe_frees_the_slot() {
        let breaker = Breaker::new(settings());
        let t0 = Instant::now();
        for s in 0..3 {
            fail_at(&breaker, t0 + Duration::from_secs(s));
        }
        let after = t0 + Duration::from_secs(40);
        drop(breaker.admit(after).expect("probe"));
        let probe = breaker
            .admit(after)
            .expect("the abandoned probe's slot is free again");
        breaker.record(probe.probe, true, after);
        std::mem::forget(probe);
        assert_eq!(
            breaker.state(after + Duration::from_secs(1)),
            BreakerState::Open
        );
        assert_eq!(breaker.opened(), 2);
    }

    #[test]
    fn zero_failures_never_opens() {
        let breaker = Breaker::new(BreakerSettings {
            failures: 0,
            ..settings()
        });
        let t0 = Instant::now();
        for s in 0..100 {
            fail_at(&breaker, t0 + Duration::from_millis(s));
        }
        assert_eq!(breaker.state(t0), BreakerState::Closed);
    }
}
