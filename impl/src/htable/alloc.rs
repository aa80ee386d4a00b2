//! Allocating and freeing htables and their page-table pages:
//! `ptable_alloc` / `ptable_free`, `htable_alloc`, `htable_free`,
//! `htable_purge_hat` (htable.c:262-351, 756-1068).

use super::checks::{HTABLE_H3, HTABLE_L1};
use super::ghost::Listed;
use super::hat::Hat;
use super::ht::{Ident, HTABLE_SHARED_PFN};
use super::ids::{HatId, Ht};
use super::windows;
use super::world::World;
use model::check;
use model::kernel::Handle;
use model::sync::{retry, Ordering::Relaxed};

impl World {
    /// `ptable_alloc` (267-311): a page for a page table of `level`, or
    /// `None` when free memory is at the throttle (284). The on-CPU hat's
    /// top table is the machine's own top table (adapter: the machine has
    /// one address space).
    fn ptable_alloc(&self, hat: &Hat, level: u32) -> Option<Handle> {
        // The page allocator's "take a page if one is free" is one atomic
        // step (a read-modify-write that sees the current count, then a
        // compare-and-swap from what it saw), not a seed protocol: a stale
        // first read would only send the loop round again.
        let mut free = self.free_ptables.fetch_add(0, Relaxed);
        loop {
            if free == 0 {
                model::cover("htable.ptable_alloc.fails");
                return None;
            }
            match self
                .free_ptables
                .compare_exchange(free, free - 1, Relaxed, Relaxed)
            {
                Ok(_) => break,
                Err(now) => free = now,
            }
        }
        let pfn = if hat.on_cpu && level == self.top_level() {
            self.mmu.top()
        } else {
            self.mmu.alloc_table(level)
        };
        self.active_ptables.fetch_add(1, Relaxed);
        model::cover("htable.hs_ptable_allocs");
        Some(pfn)
    }

    /// `ptable_free` (317-351): the machine checks that no CPU still
    /// caches anything through the table (MMU-STALE-TLB).
    fn ptable_free(&self, pfn: Handle) {
        model::cover("htable.hs_ptable_frees");
        self.active_ptables.fetch_sub(1, Relaxed);
        self.mmu.free_table(pfn);
        self.free_ptables.fetch_add(1, Relaxed);
    }

    /// `htable_alloc` (759-952): an htable for (`hat`, `vaddr`, `level`)
    /// with busy 1, from the hat's cache, from kmem with a fresh page, or
    /// stolen. `shared`: the htable whose page a shared table uses.
    pub(crate) fn htable_alloc(&self, h: HatId, vaddr: u64, level: u32, shared: Option<Ht>) -> Ht {
        let _f = model::exec::call("htable_alloc", "htable.c:759");
        let hat = self.hat(h);
        let is_bare = shared.is_some();
        let mut need_to_zero = true;
        let mut ht = None;
        // The unlocked look at the cache head is a hint, re-read under the
        // hat mutex (783-793): a purge may have emptied it meanwhile.
        model::seed("htable.c:783");
        let head = hat.cached_head.load(Relaxed);
        if head != 0 && !is_bare {
            self.hat_enter(&hat);
            let cached = if model::mutant(super::mutants::ALLOC_STALE_HINT) {
                // Uses the head seen without the mutex.
                Handle::from_bits(head).map(|c| self.cached_take(&hat, h, Ht(c)))
            } else {
                self.cached_pop(&hat)
            };
            match cached {
                Some(c) => {
                    need_to_zero = false;
                    ht = Some(c);
                }
                None => model::cover(windows::ALLOC_CACHE_RACED),
            }
            self.hat_exit(&hat);
        }
        if ht.is_none() {
            ht = self.htable_alloc_fresh(&hat, h, level, is_bare);
        }
        // Out of memory: start a reap (it runs later, on kmem_taskq) and
        // steal (841-864).
        model::seed("htable.c:841");
        let stealing = ht.is_none();
        if stealing {
            self.ghost.alloc_stealing(true);
        }
        while ht.is_none() {
            self.kmem_reap();
            let stolen = self.htable_steal(1, false);
            model::cover("htable.hs_steals");
            if let Some(&s) = stolen.first() {
                self.ghost.set_listed(s, None);
                if is_bare {
                    let t = self.ht(s);
                    if let Some(pfn) = t.id.get().pfn {
                        self.ptable_free(pfn);
                    }
                    t.id.update(|i| i.pfn = None);
                }
                ht = Some(s);
            } else if self.cfg.fix_l1 && !model::mutant(super::mutants::ALLOC_NO_RETRY) {
                // The fix: the reap may have freed pages; try again.
                ht = self.htable_alloc_fresh(&hat, h, level, is_bare);
                if ht.is_none() {
                    retry();
                }
            } else {
                self.l1_no_spin();
                retry();
            }
        }
        if stealing {
            self.ghost.alloc_stealing(false);
        }
        let ht = ht.expect("htable_alloc(): couldn't steal");
        let t = self.ht(ht);
        model::seed("htable.c:902");
        // Fill in the htable (902-935).
        let pfn = match shared {
            Some(s) => {
                model::cover("htable.alloc.shared");
                self.ht(s).id.get().pfn
            }
            None => t.id.get().pfn,
        };
        t.id.update(|i| {
            *i = Ident {
                hat: Some(h),
                vaddr,
                level,
                flags: if shared.is_some() {
                    HTABLE_SHARED_PFN
                } else {
                    0
                },
                pfn,
                parent: None,
                shares: shared,
            }
        });
        t.lock_cnt.store(0, Relaxed);
        t.valid.store(0, Relaxed);
        t.busy.store(1, Relaxed);
        self.hold_ht(ht);
        if need_to_zero && shared.is_none() {
            self.x86pte_zero(ht, 0, self.ptes());
        }
        ht
    }

    /// An htable from kmem with a fresh page-table page (795-831), or
    /// `None` if `ptable_alloc` fails. Kmem donates its allocations to the
    /// reserve until that is full (805-814; USE_HAT_RESERVES() is false for
    /// these threads).
    fn htable_alloc_fresh(&self, hat: &Hat, h: HatId, level: u32, is_bare: bool) -> Option<Ht> {
        model::seed("htable.c:805");
        let n = loop {
            let n = self.kmem_alloc_htable();
            self.ht(n).id.update(|i| i.pfn = None);
            if !self.reserve_short() {
                break n;
            }
            self.htable_put_reserve(n);
        };
        if is_bare {
            return Some(n);
        }
        // The page table page (820-830).
        let t = self.ht(n);
        t.id.update(|i| i.hat = Some(h));
        model::seed("htable.c:822");
        let pfn = self.ptable_alloc(hat, level);
        t.id.update(|i| i.pfn = pfn);
        if pfn.is_none() {
            self.kmem_free_htable(n);
            return None;
        }
        Some(n)
    }

    /// HTABLE-L1 when a steal round of `htable_alloc` found nothing: no
    /// page-table page is free. The loop at 841-864 never tries
    /// `ptable_alloc` again, so with pages free (returned by the reap that
    /// `kmem_reap` started, or by a teardown) it goes round until some
    /// address space creates a table it can steal.
    fn l1_no_spin(&self) {
        if self.kmem_taskq.is_none() {
            return;
        }
        let free = self.free_ptables.load(Relaxed);
        if free > 0 {
            check::fail(
                HTABLE_L1,
                format!(
                    "htable_alloc by thread {}: htable_steal found nothing while {free} page-table page(s) are free; 841-864 never retries ptable_alloc",
                    model::exec::tid()
                ),
            );
        }
    }

    /// Pops the head of `hat`'s cached list (hat mutex held).
    pub(crate) fn cached_pop(&self, hat: &Hat) -> Option<Ht> {
        let mut list = hat.cached.get(&hat.mutex);
        if list.is_empty() {
            return None;
        }
        let ht = list.remove(0);
        hat.cached_head
            .store(list.first().map_or(0, |c| c.0.to_bits()), Relaxed);
        drop(list);
        self.ghost.set_listed(ht, None);
        Some(ht)
    }

    /// Takes `ht`, believed to head `hat`'s cached list, off it (hat mutex
    /// held); H3 if it is no longer on that list.
    fn cached_take(&self, hat: &Hat, h: HatId, ht: Ht) -> Ht {
        let on = self.ghost.listed(ht);
        check!(
            on == Some(Listed::Cached(h)),
            HTABLE_H3,
            "thread {} takes htable {} from hat {}'s cache, but it is {}",
            model::exec::tid(),
            ht.0,
            h.0,
            match on {
                Some(l) => format!("on list {l:?}"),
                None => "on no list".to_string(),
            }
        );
        let mut list = hat.cached.get(&hat.mutex);
        list.retain(|&c| c != ht);
        hat.cached_head
            .store(list.first().map_or(0, |c| c.0.to_bits()), Relaxed);
        drop(list);
        self.ghost.set_listed(ht, None);
        ht
    }

    /// `htable_free` (958-1007): onto the hat's cached list unless the
    /// hat is going away or a stealer / reaper asked not to cache; else the
    /// page goes back (not a shared one) and the htable to the reserve or
    /// kmem.
    pub(crate) fn htable_free(&self, ht: Ht) {
        let _f = model::exec::call("htable_free", "htable.c:958");
        let t = self.ht(ht);
        let id = t.id.get();
        model::seed("htable.c:968");
        let hat = id.hat.map(|h| self.hat(h));
        if let Some(hat) = &hat {
            if id.flags & HTABLE_SHARED_PFN == 0
                && !hat.freeing()
                && self.dont_cache.load(Relaxed) == 0
            {
                self.h3_unlisted(ht, "cached");
                self.hat_enter(hat);
                hat.cached.get(&hat.mutex).insert(0, ht);
                hat.cached_head.store(ht.0.to_bits(), Relaxed);
                self.ghost.set_listed(
                    ht,
                    Some(Listed::Cached(id.hat.expect("cached htable has a hat"))),
                );
                self.hat_exit(hat);
                return;
            }
        }
        model::seed("htable.c:985");
        if id.flags & HTABLE_SHARED_PFN == 0 {
            if let Some(pfn) = id.pfn {
                self.ptable_free(pfn);
            }
        }
        t.id.update(|i| i.pfn = None);
        if self.reserve_short() {
            self.htable_put_reserve(ht);
        } else {
            self.kmem_free_htable(ht);
            self.htable_adjust_reserve();
        }
    }

    /// Frees every htable on `hat`'s cached list, one pop per hat-mutex
    /// hold, the free itself without it (htable.c:1028-1038; the freeing
    /// path 1046-1049 needs no lock in the seed, see the deviation above).
    /// `line`: the seed line of the loop (1028 or 1046), for traces and
    /// a SCHED-LIVELOCK report.
    fn free_cached(&self, hat: &Hat, line: &'static str) {
        loop {
            model::seed(line);
            // A pass that frees nothing for good (an htable_free that
            // caches again) would go round forever.
            model::sync::went_round();
            self.hat_enter(hat);
            let ht = self.cached_pop(hat);
            self.hat_exit(hat);
            match ht {
                Some(ht) => self.htable_free(ht),
                None => break,
            }
        }
    }

    /// `htable_purge_hat` (1017-1068): frees the hat's cached htables; if
    /// the hat is being freed, every htable left in its hash too, without
    /// unlinking or shootdowns (no CPU runs it any more).
    ///
    /// Deviation: for a freeing hat the seed takes no lock (1043-1044: no
    /// other thread can reach the hat); the port takes the hat and bucket
    /// mutexes its `Locked` fields demand. They are uncontended in a
    /// correct program; HTABLE-H8 checks that no stealer is still on the
    /// hat.
    pub fn htable_purge_hat(&self, h: HatId) {
        let _f = model::exec::call("htable_purge_hat", "htable.c:1017");
        let hat = self.hat(h);
        model::seed("htable.c:1026");
        if !hat.freeing() {
            // Without the count, htable_free puts each popped htable back
            // on the cache (968-979) and the loop never ends (1027-1039).
            let dont_cache = !model::mutant(super::mutants::PURGE_NO_DONT_CACHE);
            if dont_cache {
                self.dont_cache.fetch_add(1, Relaxed);
            }
            self.free_cached(&hat, "htable.c:1028");
            if dont_cache {
                self.dont_cache.fetch_sub(1, Relaxed);
            }
            return;
        }
        self.free_cached(&hat, "htable.c:1046");
        model::seed("htable.c:1054");
        for b in 0..self.cfg.hash as usize {
            loop {
                self.htable_enter(b);
                let head = self.chain(&hat, b).first().copied();
                if let Some(ht) = head {
                    self.hashout(&hat, b, ht);
                }
                self.htable_exit(b);
                match head {
                    Some(ht) => self.htable_free(ht),
                    None => break,
                }
            }
        }
    }
}
