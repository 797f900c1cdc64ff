//! The instances of one component plugin: at most `max-instances` alive at once (a call
//! beyond waits for a slot), and, for the pooled strategy, up to `pool-size` warm ones kept
//! between calls. Generic over the instance so that its rules are tested without WebAssembly.

use std::sync::{Mutex, PoisonError};

use tokio::sync::{AcquireError, Semaphore, SemaphorePermit};

use crate::manifest::InstanceStrategy;

/// Slots and warm instances of one plugin.
pub(crate) struct InstancePool<I> {
    /// One permit per instance that may be alive at once.
    slots: Semaphore,
    /// Warm instances, most recently used last.
    warm: Mutex<Vec<I>>,
    /// How many warm instances are kept: 0 for the fresh strategy.
    keep: usize,
}

/// A slot taken from the pool, with a warm instance when one was waiting.
pub(crate) struct Lease<'a, I> {
    _slot: SemaphorePermit<'a>,
    /// The warm instance to use; `None` means a new one must be made.
    pub(crate) warm: Option<I>,
}

impl<I> InstancePool<I> {
    /// A pool allowing `max_instances` alive at once that keeps `pool_size` warm instances
    /// when `strategy` is pooled and none when it is fresh.
    pub(crate) fn new(max_instances: u32, strategy: InstanceStrategy, pool_size: u32) -> Self {
        Self {
            slots: Semaphore::new(max_instances.max(1) as usize),
            warm: Mutex::new(Vec::new()),
            keep: match strategy {
                InstanceStrategy::Fresh => 0,
                InstanceStrategy::Pooled => pool_size as usize,
            },
        }
    }

    /// Waits for a free slot, and takes the most recently used warm instance if there is
    /// one. The slot is free again when the lease is dropped.
    pub(crate) async fn lease(&self) -> Result<Lease<'_, I>, AcquireError> {
        let slot = self.slots.acquire().await?;
        let warm = match self.keep {
            0 => None,
            _ => self.warm().pop(),
        };
        Ok(Lease { _slot: slot, warm })
    }

    /// Keeps `instance` warm for the next call; returns it when there is no room for it (the
    /// fresh strategy, or the pool is full), for the caller to drop.
    pub(crate) fn keep(&self, instance: I) -> Option<I> {
        let mut warm = self.warm();
        if warm.len() >= self.keep {
            return Some(instance);
        }
        warm.push(instance);
        None
    }

    /// Whether instances are kept between calls at all (the pooled strategy).
    pub(crate) fn keeps_instances(&self) -> bool {
        self.keep > 0
    }

    /// Warm instances kept now.
    pub(crate) fn warm_count(&self) -> usize {
        self.warm().len()
    }

    fn warm(&self) -> std::sync::MutexGuard<'_, Vec<I>> {
        self.warm.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn the_fresh_strategy_keeps_nothing() {
        let pool = InstancePool::new(4, InstanceStrategy::Fresh, 4);
        assert_eq!(pool.keep(1), Some(1));
        assert_eq!(pool.warm_count(), 0);
        assert!(pool.lease().await.unwrap().warm.is_none());
    }

    #[tokio::test]
    async fn the_pooled_strategy_reuses_the_most_recent_instance_up_to_the_pool_size() {
        let pool = InstancePool::new(4, InstanceStrategy::Pooled, 2);
        assert_eq!(pool.keep(1), None);
        assert_eq!(pool.keep(2), None);
        assert_eq!(pool.keep(3), Some(3), "a full pool hands the instance back");
        assert_eq!(pool.warm_count(), 2);
        let first = pool.lease().await.unwrap();
        assert_eq!(first.warm, Some(2));
        let second = pool.lease().await.unwrap();
        assert_eq!(second.warm, Some(1));
        let third = pool.lease().await.unwrap();
        assert_eq!(third.warm, None, "no warm instance left: a new one is made");
    }

    #[tokio::test]
    async fn calls_beyond_max_instances_wait_for_a_slot() {
        let pool = InstancePool::<u32>::new(2, InstanceStrategy::Pooled, 2);
        let a = pool.lease().await.unwrap();
        let _b = pool.lease().await.unwrap();
        let waiting = tokio::time::timeout(Duration::from_millis(20), pool.lease()).await;
        assert!(waiting.is_err(), "a third lease waits while two are out");
        drop(a);
        let third = tokio::time::timeout(Duration::from_secs(5), pool.lease()).await;
        assert!(
            third.is_ok(),
            "a returned slot is taken by the waiting call"
        );
    }

    #[tokio::test]
    async fn max_instances_is_at_least_one() {
        let pool = InstancePool::<u32>::new(0, InstanceStrategy::Fresh, 0);
        let lease = tokio::time::timeout(Duration::from_secs(5), pool.lease()).await;
        assert!(lease.is_ok());
    }
}
