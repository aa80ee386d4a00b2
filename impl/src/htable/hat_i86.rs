//! The hat_i86.c stand-ins around a `hat_t` (`super::hat`): `hat_alloc`,
//! `hat_free_start`, `hat_free_end`, `hat_enter` / `hat_exit`, the hat
//! list and `hat_tlb_inval`.

use super::checks::HTABLE_H8;
use super::hat::{Hat, HAT_FREEING, HAT_SHARED, HAT_VICTIM};
use super::ids::HatId;
use super::order::HAT;
use super::owned::Owned;
use super::windows::FREE_START_WAITS;
use super::world::World;
use model::check;
use model::machine::Demap;
use model::sync::{AtomicU32, AtomicU64, KMutex, Locked, Ordering::Relaxed};
use std::sync::Arc;

impl World {
    /// `hat_alloc` (hat_i86.c): a hat with its top-level table, put at the
    /// head of the hat list. `on_cpu`: the machine's CPUs run it (at most
    /// one hat; its top table is the machine's).
    pub fn hat_alloc(&self, on_cpu: bool) -> HatId {
        let hat = self.hat_struct(on_cpu, false);
        let top = self.htable_create(hat, 0, self.top_level(), None);
        self.hat(hat).top.update(|t| *t = Some(top));
        // The creating thread's hold on the top table becomes the hat's.
        self.drop_ht(top);
        // The kernel's top-level entries, before the hat is published (the
        // seed's new top table runs on no CPU yet; the on-CPU hat's is the
        // machine's in the model).
        self.copy_kernel_range(top);
        self.hat_list_lock.enter();
        self.hat_list.get(&self.hat_list_lock).insert(0, hat);
        self.hat_list_lock.exit();
        hat
    }

    /// A `hat_t` from kmem with its mutexes and hash, no tables yet
    /// (`kernel`: the kernel's).
    pub(crate) fn hat_struct(&self, on_cpu: bool, kernel: bool) -> HatId {
        let serial = self.hat_serial.fetch_add(1, Relaxed);
        let mutex = KMutex::new(HAT, serial);
        let cached = Locked::new(&mutex, Vec::new());
        let hash = (0..self.cfg.hash)
            .map(|h| Locked::new(&self.buckets[(h % self.cfg.mutexes) as usize], Vec::new()))
            .collect();
        let hat = HatId(self.hats.alloc(Hat {
            mutex,
            flags: AtomicU32::new("htable.hat_flags", serial, 0),
            cached,
            cached_head: AtomicU64::new("htable.hat_cached", serial, 0),
            hash,
            top: Owned::new(None),
            on_cpu,
            hash_id: u64::from(serial),
            kernel,
        }));
        self.ghost.hat_alive(hat, true);
        hat
    }

    /// The hat behind `h` (a use: MEM-UAF once it was freed).
    #[track_caller]
    pub(crate) fn hat(&self, h: HatId) -> Arc<Hat> {
        self.hats.get(h.0)
    }

    /// `hat_free_start` (hat_i86.c): waits while a stealer has the hat
    /// marked HAT_VICTIM, then marks it HAT_FREEING; from then on
    /// `htable_steal` skips it (htable.c:610-613).
    pub fn hat_free_start(&self, h: HatId) {
        let hat = self.hat(h);
        self.hat_list_lock.enter();
        while hat.flags() & HAT_VICTIM != 0 {
            model::cover(FREE_START_WAITS);
            self.hat_list_cv.wait(&self.hat_list_lock);
        }
        hat.flags.fetch_or(HAT_FREEING, Relaxed);
        self.hat_list_lock.exit();
    }

    /// `hat_free_end` (hat_i86.c): takes the hat off the hat list, frees
    /// its htables (`htable_purge_hat`) and the hat. No CPU may run it any
    /// more (the scenario's CPUs left it, see [`World::cpus_leave`]).
    pub fn hat_free_end(&self, h: HatId) {
        let hat = self.hat(h);
        self.no_stealer(h, "torn down");
        self.hat_list_lock.enter();
        self.hat_list.get(&self.hat_list_lock).retain(|&x| x != h);
        self.hat_list_lock.exit();
        self.htable_purge_hat(h);
        self.no_stealer(h, "freed");
        hat.flags.store(0, Relaxed);
        self.ghost.hat_alive(h, false);
        self.hats.free(h.0);
    }

    /// H8: no stealer may work on a hat once `hat_free_start` returned.
    fn no_stealer(&self, h: HatId, what: &str) {
        if let Some(who) = self.ghost.victim_of(h) {
            check::fail(
                HTABLE_H8,
                format!(
                    "hat {} {what} by thread {} while thread {who} steals from it",
                    h.0,
                    model::exec::tid()
                ),
            );
        }
    }

    /// `hat_enter`.
    #[track_caller]
    pub(crate) fn hat_enter(&self, hat: &Hat) {
        hat.mutex.enter();
    }

    /// `hat_exit`.
    #[track_caller]
    pub(crate) fn hat_exit(&self, hat: &Hat) {
        hat.mutex.exit();
    }

    /// `hat_tlb_inval` (hat_i86.c): nothing for a hat being freed (it has
    /// no users); for a hat hosting shared (ISM) tables, everything on
    /// every CPU, since any address space may map them; otherwise a
    /// shootdown on the CPUs running the hat: every CPU for the kernel hat
    /// (`khat_cpuset`: each CPU reaches the kernel range through its
    /// process's top table), the machine's for the on-CPU hat, none for
    /// another. A shootdown needs none of the caller's locks.
    ///
    /// The seed reads `hat_flags` twice; one read serves both tests (a
    /// HAT_FREEING set between them would change neither outcome).
    pub(crate) fn hat_tlb_inval(&self, hat: &Hat, what: Demap) {
        let flags = hat.flags();
        if flags & HAT_FREEING != 0 {
            return;
        }
        if flags & HAT_SHARED != 0 && !model::mutant(super::mutants::TLB_INVAL_SHARED_LOCAL) {
            self.mmu.hat_tlb_inval(Demap::All);
        } else if hat.on_cpu || hat.kernel && !model::mutant(super::mutants::KERNEL_NO_SHOOTDOWN) {
            self.mmu.hat_tlb_inval(what);
        }
    }

    /// Whether a change to `hat`'s tables can be cached by a CPU: it runs
    /// on them (the kernel hat runs on all), or it hosts tables other hats
    /// share.
    /// `flags`: the hat's flags as the caller read them.
    pub(crate) fn reaches_cpus(&self, hat: &Hat, flags: u32) -> bool {
        hat.on_cpu || hat.kernel || flags & HAT_SHARED != 0
    }

    /// The CPUs switch away from every user address space (`hat_switch`
    /// to the kernel hat reloads CR3, which empties their caches), as
    /// they do before an address space is torn down. A stand-in: the
    /// machine model has one address space and no CR3, so this is a
    /// shootdown of everything.
    pub fn cpus_leave(&self) {
        self.mmu.hat_tlb_inval(Demap::All);
    }
}
