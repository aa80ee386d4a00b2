//! The `htable_t` kmem cache and the htable reserve pool
//! (htable.c:353-429).

use super::checks::{HTABLE_H3, HTABLE_H9};
use super::ghost::Listed;
use super::ht::Htable;
use super::ids::Ht;
use super::world::World;
use model::check;
use model::sync::Ordering::Relaxed;

impl World {
    /// `kmem_cache_alloc(htable_cache, ...)`: never fails in the model
    /// (the scenario sizes the cache); the fields are the caller's to set.
    #[track_caller]
    pub(crate) fn kmem_alloc_htable(&self) -> Ht {
        let n = self
            .ht_serial
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let ht = Ht(self.htables.alloc(Htable::new(n)));
        self.ghost.set_live(ht, true);
        ht
    }

    /// `kmem_cache_free(htable_cache, ht)`.
    #[track_caller]
    pub(crate) fn kmem_free_htable(&self, ht: Ht) {
        self.h3_unlisted(ht, "freed to kmem");
        self.ghost.set_live(ht, false);
        self.htables.free(ht.0);
    }

    /// H3: `ht`, about to go on a list or back to kmem, is on no hash
    /// chain and no list.
    #[track_caller]
    pub(crate) fn h3_unlisted(&self, ht: Ht, what: &str) {
        let hashed = self.ghost.is_hashed(ht);
        let listed = self.ghost.listed(ht);
        check!(
            !hashed && listed.is_none(),
            HTABLE_H3,
            "htable {} {what} by thread {} while {}",
            ht.0,
            model::exec::tid(),
            if hashed {
                "still on its hash chain".to_string()
            } else {
                format!("on list {listed:?}")
            }
        );
    }

    /// `htable_put_reserve` (356-367).
    pub(crate) fn htable_put_reserve(&self, ht: Ht) {
        let t = self.ht(ht);
        t.id.update(|i| i.hat = None);
        debug_assert!(t.id.get().pfn.is_none());
        model::cover("htable.hs_htable_rputs");
        self.h3_unlisted(ht, "put on the reserve");
        model::seed("htable.c:362");
        self.reserve_mutex.enter();
        self.reserve_pool.get(&self.reserve_mutex).insert(0, ht);
        self.ghost.set_listed(ht, Some(Listed::Reserve));
        if model::mutant(super::mutants::RESERVE_COUNT_UNLOCKED) {
            // The count is bumped after the mutex is dropped: a racy `++`.
            self.reserve_mutex.exit();
            let n = self.reserve_cnt.load(Relaxed);
            self.reserve_cnt.store(n + 1, Relaxed);
            return;
        }
        let n = self.reserve_cnt.load(Relaxed);
        self.reserve_cnt.store(n + 1, Relaxed);
        self.reserve_mutex.exit();
    }

    /// `htable_get_reserve` (372-388).
    pub(crate) fn htable_get_reserve(&self) -> Option<Ht> {
        model::seed("htable.c:377");
        self.reserve_mutex.enter();
        let n = self.reserve_cnt.load(Relaxed);
        let len = self.reserve_pool.get(&self.reserve_mutex).len();
        check!(
            n as usize == len,
            HTABLE_H9,
            "thread {}: htable_reserve_cnt is {n} but the reserve list holds {len}",
            model::exec::tid()
        );
        let mut ht = None;
        if n != 0 {
            let h = self.reserve_pool.get(&self.reserve_mutex).remove(0);
            self.ghost.set_listed(h, None);
            self.reserve_cnt.store(n - 1, Relaxed);
            model::cover("htable.hs_htable_rgets");
            ht = Some(h);
        }
        self.reserve_mutex.exit();
        ht
    }

    /// `htable_initial_reserve` (393-408): fills the reserve at boot
    /// (`count` plus the reserve amount).
    pub fn htable_initial_reserve(&self, count: u32) {
        for _ in 0..count + self.cfg.reserve_amount {
            let ht = self.kmem_alloc_htable();
            self.htable_put_reserve(ht);
        }
    }

    /// `htable_reserve_cnt < htable_reserve_amount`, read without the
    /// mutex as a hint (811, 1001). With a reserve amount of 0 it is false
    /// whatever the count, which is then not read.
    pub(crate) fn reserve_short(&self) -> bool {
        self.cfg.reserve_amount > 0 && self.reserve_cnt.load(Relaxed) < self.cfg.reserve_amount
    }

    /// `htable_adjust_reserve` (413-429): frees reserve htables above the
    /// reserve amount; the count is read without the mutex (a hint).
    pub fn htable_adjust_reserve(&self) {
        while self.reserve_cnt.load(Relaxed) > self.cfg.reserve_amount {
            let Some(ht) = self.htable_get_reserve() else {
                return;
            };
            self.kmem_free_htable(ht);
        }
    }
}
