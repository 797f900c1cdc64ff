//! The per-plugin circuit breaker: opens after a run of consecutive failures, fails calls fast
//! while open, and after a cooldown lets one probe call through (half-open) whose outcome
//! closes or reopens it. Background health checks feed it as well.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::metrics::BreakerState;

pub(crate) struct Breaker {
    threshold: u32,
    cooldown: Duration,
    state: Mutex<State>,
}

struct State {
    current: BreakerState,
    failures: u32,
    opened_at: Instant,
    opened: u64,
}

/// Permission to make one call. A probe that is dropped without an outcome (the caller gave
/// up) counts as a failure, so that the breaker cannot stay half-open forever.
pub(crate) struct Ticket<'a> {
    breaker: &'a Breaker,
    probe: bool,
    settled: bool,
}

impl Ticket<'_> {
    pub(crate) fn settle(mut self, ok: bool) {
        self.settled = true;
        if ok {
            self.breaker.success();
        } else {
            self.breaker.failure();
        }
    }
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        if self.probe && !self.settled {
            self.breaker.failure();
        }
    }
}

impl Breaker {
    pub(crate) fn new(threshold: u32, cooldown: Duration) -> Self {
        Self {
            threshold: threshold.max(1),
            cooldown,
            state: Mutex::new(State {
                current: BreakerState::Closed,
                failures: 0,
                opened_at: Instant::now(),
                opened: 0,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A ticket for one call, or how long the breaker stays open.
    pub(crate) fn admit(&self) -> Result<Ticket<'_>, Duration> {
        let mut state = self.lock();
        let probe = match state.current {
            BreakerState::Closed => false,
            BreakerState::HalfOpen => return Err(Duration::ZERO),
            BreakerState::Open => {
                let elapsed = state.opened_at.elapsed();
                if elapsed < self.cooldown {
                    return Err(self.cooldown - elapsed);
                }
                state.current = BreakerState::HalfOpen;
                true
            }
        };
        Ok(Ticket {
            breaker: self,
            probe,
            settled: false,
        })
    }

    pub(crate) fn success(&self) {
        let mut state = self.lock();
        state.failures = 0;
        state.current = BreakerState::Closed;
    }

    pub(crate) fn failure(&self) {
        let mut state = self.lock();
        state.failures = state.failures.saturating_add(1);
        let open = match state.current {
            BreakerState::Closed => state.failures >= self.threshold,
            BreakerState::HalfOpen => true,
            // A failure while open (a health check) restarts the cooldown.
            BreakerState::Open => true,
        };
        if open {
            if state.current != BreakerState::Open {
                state.opened += 1;
            }
            state.current = BreakerState::Open;
            state.opened_at = Instant::now();
        }
    }

    /// The current state and how many times the breaker has opened.
    pub(crate) fn state(&self) -> (BreakerState, u64) {
        let state = self.lock();
        (state.current, state.opened)
    }

    pub(crate) fn threshold(&self) -> u32 {
        self.threshold
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_fails_fast_and_half_opens() {
        let breaker = Breaker::new(2, Duration::from_millis(30));
        breaker.admit().unwrap().settle(false);
        assert_eq!(breaker.state().0, BreakerState::Closed);
        breaker.admit().unwrap().settle(false);
        assert_eq!(breaker.state(), (BreakerState::Open, 1));
        assert!(breaker.admit().is_err());
        std::thread::sleep(Duration::from_millis(40));
        let probe = breaker.admit().unwrap();
        assert_eq!(breaker.state().0, BreakerState::HalfOpen);
        assert!(breaker.admit().is_err(), "one probe at a time");
        probe.settle(false);
        assert_eq!(breaker.state(), (BreakerState::Open, 2));
        std::thread::sleep(Duration::from_millis(40));
        breaker.admit().unwrap().settle(true);
        assert_eq!(breaker.state().0, BreakerState::Closed);
    }

    #[test]
    fn an_abandoned_probe_reopens() {
        let breaker = Breaker::new(1, Duration::ZERO);
        breaker.failure();
        drop(breaker.admit().unwrap());
        assert_eq!(breaker.state().0, BreakerState::Open);
        breaker.success();
        assert_eq!(breaker.state().0, BreakerState::Closed);
    }
}
