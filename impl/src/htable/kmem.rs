//! The kmem reaping htable.c relies on: `kmem_reap()` (kmem.c
//! `kmem_reap_common`, `kmem_reap_start`, `kmem_reap_done`) with one
//! registered reclaim callback, `htable_reap` (htable.c:714-754).

use super::world::World;
use model::sync::Ordering::Relaxed;

impl World {
    /// `kmem_reap()`, called by `htable_alloc` when it finds no memory
    /// (htable.c:842): schedules the caches' reclaim callbacks on
    /// `kmem_taskq` and returns at once. A reap already scheduled or
    /// running absorbs the call (`kmem_reaping` goes 0 -> 1 by
    /// compare-and-swap; only the winner dispatches). Without a running
    /// `kmem_taskq` it does nothing (`kmem_reap_common` returns for a NULL
    /// taskq).
    ///
    /// Deviations: the only cache with a reclaim callback is the htable
    /// cache; the flag is cleared when the callback returns, where kmem
    /// waits `kmem_reap_interval` more ticks (`kmem_reap_done` ->
    /// `kmem_reap_timeout`): the model has no clock.
    pub fn kmem_reap(&self) {
        let Some(taskq) = &self.kmem_taskq else {
            return;
        };
        model::seed("kmem.c:kmem_reap_common");
        if self
            .kmem_reaping
            .compare_exchange(0, 1, Relaxed, Relaxed)
            .is_err()
        {
            model::cover("htable.kmem_reap.absorbed");
            return;
        }
        let w = self.me.upgrade().expect("kmem_reap: world gone");
        taskq.timeout(Box::new(move || w.reap_start()));
    }

    /// `kmem_reap_start` on the taskq: the reclaim callback, then the
    /// flag clears.
    fn reap_start(&self) {
        model::cover("kmem.reap_runs");
        if self.ghost.an_alloc_steals() {
            model::cover(super::windows::REAP_RACES_ALLOC);
        }
        self.htable_reap();
        self.kmem_reaping.store(0, Relaxed);
    }

    /// Stops `kmem_taskq` once the reaps it holds have run (see
    /// [`model::sync::Callouts::shutdown`]); every scenario whose world
    /// has one calls this before its final checks.
    pub fn kmem_taskq_shutdown(&self) {
        if let Some(taskq) = &self.kmem_taskq {
            taskq.shutdown();
        }
    }
}
