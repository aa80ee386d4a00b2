//! The world htable.c runs in: its globals, the machine, the kmem caches
//! and the pages it maps.

use super::ghost::Ghost;
use super::hat::Hat;
use super::ht::Htable;
use super::ids::{HatId, Ht};
use super::order::{BUCKET, HAT_LIST, HAT_LIST_CV, HCI, RESERVE};
use crate::vm::page::{Page, PageId, Pages};
use model::kernel::Arena;
use model::machine::pte::PAGESHIFT;
use model::machine::{Mmu, MmuConfig};
use model::sync::{AtomicU32, Callouts, KCondvar, KMutex, Locked};
use std::sync::{Arc, OnceLock, Weak};

/// `MMU_PAGESIZE`.
pub const MMU_PAGESIZE: u64 = 1 << PAGESHIFT;

pub use crate::vm::page::PFN_BASE;

/// The scaled-down tunables and sizes (illumos values in brackets).
#[derive(Clone, Copy, Debug)]
pub struct Config {
    /// The machine (levels, entries per table, CPUs, TLB sizes).
    pub mmu: MmuConfig,
    /// `NUM_HTABLE_MUTEX` [128]: bucket mutexes shared by all hats.
    pub mutexes: u32,
    /// `hat_num_hash` [mmu.hash_cnt]: hash buckets per hat (a power of 2).
    pub hash: u32,
    /// Capacity of the `htable_t` kmem cache.
    pub htables: usize,
    /// Capacity of the `hat_t` kmem cache.
    pub hats: usize,
    /// Mappable pages.
    pub pages: u32,
    /// Free pages for page tables before `ptable_alloc` fails (the
    /// `freemem <= throttlefree` test, htable.c:284), the top tables
    /// included.
    pub ptables: u32,
    /// `htable_reserve_amount` and `HTABLE_RESERVE_AMOUNT` [200].
    pub reserve_amount: u32,
    /// `htable_steal_passes` [8].
    pub steal_passes: u32,
    /// `mmu.max_page_level` [1 or 2]: `htable_release` keeps user tables
    /// at and above it (1206-1208).
    pub max_page_level: u32,
    /// Page tables are reached through the per-CPU window
    /// (`x86pte_mapin` under `hci_mutex`, 1963-2005) instead of kpm.
    pub pwin: bool,
    /// `kmem_taskq` runs: `kmem_reap()` schedules the reclaim callback
    /// (`htable_reap`) on an actor thread (one more model thread; the
    /// scenario ends it with [`World::kmem_taskq_shutdown`]). Without it
    /// `kmem_reap()` does nothing, as in illumos while `kmem_taskq` is
    /// NULL.
    pub kmem_taskq: bool,
    /// Fix for finding L1 (see [`crate::htable::HTABLE_L1`]): when
    /// `htable_alloc`'s steal finds nothing, it tries `ptable_alloc` again
    /// (the reap may have freed pages) before going round.
    pub fix_l1: bool,
    /// The kernel hat (`kas.a_hat`) exists, with the top half of the
    /// address space (`kernelbase` up) mapped by a boot page table that
    /// `htable_attach` adopts; `hat_alloc` copies its top-level entries
    /// (`x86pte_copy`).
    pub kernel: bool,
}

impl Default for Config {
    /// Two levels of two entries, one CPU, one bucket mutex for two
    /// buckets, room for three page tables, no reserve, one steal pass.
    fn default() -> Self {
        Config {
            mmu: MmuConfig::default(),
            mutexes: 1,
            hash: 2,
            htables: 4,
            hats: 1,
            pages: 2,
            ptables: 3,
            reserve_amount: 0,
            steal_passes: 1,
            max_page_level: 1,
            pwin: false,
            kmem_taskq: false,
            fix_l1: false,
            kernel: false,
        }
    }
}

/// Everything htable.c keeps in globals, with the machine and the
/// allocators it uses. Shared by the scenario's threads through an `Arc`.
pub struct World {
    pub(crate) cfg: Config,
    /// The machine: page tables, CPUs, TLBs.
    pub mmu: Arc<Mmu>,
    /// The `htable_t` kmem cache.
    pub(crate) htables: Arena<Htable>,
    /// The `hat_t` kmem cache.
    pub(crate) hats: Arena<Hat>,
    /// (c) the mappable pages (the VM layer's; shared with the segment
    /// whose HAT this world is, if any).
    pub(crate) pages: Arc<Pages>,
    /// `htable_mutex[]` (class `htable.bucket`).
    pub(crate) buckets: Vec<KMutex>,
    /// Per-CPU `hci_mutex` (class `htable.hci`), one per model thread;
    /// empty unless `cfg.pwin`.
    pub(crate) hci: Vec<KMutex>,
    /// `htable_reserve_mutex`.
    pub(crate) reserve_mutex: KMutex,
    /// (R) `htable_reserve_pool`, head first.
    pub(crate) reserve_pool: Locked<Vec<Ht>>,
    /// (R, a) `htable_reserve_cnt`: changed with the reserve mutex held,
    /// read without it as a hint (421, 811, 1001).
    pub(crate) reserve_cnt: AtomicU32,
    /// (a) `htable_dont_cache`.
    pub(crate) dont_cache: AtomicU32,
    /// (a) `active_ptables`.
    pub(crate) active_ptables: AtomicU32,
    /// (a) free pages for page tables (`freemem` stand-in, 284).
    pub(crate) free_ptables: AtomicU32,
    /// `hat_list_lock`.
    pub(crate) hat_list_lock: KMutex,
    /// `hat_list_cv`: HAT_VICTIM cleared (693); waits hold `hat_list_lock`.
    pub(crate) hat_list_cv: KCondvar,
    /// (L) the user hats in list order (`kas.a_hat->hat_next` ...).
    pub(crate) hat_list: Locked<Vec<HatId>>,
    /// (a) `htable_steal_active`'s static `h_seed` (a racy `++` in C).
    pub(crate) h_seed: AtomicU32,
    /// (a) numbers hats for their lock names and hash bits.
    pub(crate) hat_serial: AtomicU32,
    /// Ghost: numbers htables for their names in traces.
    pub(crate) ht_serial: std::sync::atomic::AtomicU32,
    /// (a) `kmem_reaping`: a reap is scheduled or running (kmem.c
    /// `kmem_reap_common`).
    pub(crate) kmem_reaping: AtomicU32,
    /// `kmem_taskq`, if it runs (see [`Config::kmem_taskq`]).
    pub(crate) kmem_taskq: Option<Callouts>,
    /// (c) `kas.a_hat`, set at boot (see [`Config::kernel`]).
    pub(crate) kas: OnceLock<HatId>,
    /// (c) this world, for the reclaim callback `kmem_reap` schedules.
    pub(crate) me: Weak<World>,
    /// Ghost state for checks.
    pub(crate) ghost: Ghost,
}

impl World {
    /// A world shaped by `cfg`, booted (with `cfg.kernel` the kernel hat
    /// adopts the boot page tables); call inside a model execution.
    pub fn new(cfg: Config) -> Arc<World> {
        Self::with_pages(cfg, Arc::new(Pages::frames(cfg.pages)))
    }

    /// As [`World::new`], mapping `pages` (whose count overrides
    /// `cfg.pages`): the world as the HAT of a segment over those pages.
    pub fn with_pages(mut cfg: Config, pages: Arc<Pages>) -> Arc<World> {
        cfg.pages = pages.count() as u32;
        assert!(cfg.hash.is_power_of_two() && cfg.mutexes >= 1);
        let mmu = Mmu::new(cfg.mmu);
        let buckets: Vec<KMutex> = (0..cfg.mutexes).map(|i| KMutex::new(BUCKET, i)).collect();
        let hci = if cfg.pwin {
            (0..5).map(|i| KMutex::new(HCI, i)).collect()
        } else {
            Vec::new()
        };
        let reserve_mutex = KMutex::new(RESERVE, 0);
        let reserve_pool = Locked::new(&reserve_mutex, Vec::new());
        let hat_list_lock = KMutex::new(HAT_LIST, 0);
        let hat_list = Locked::new(&hat_list_lock, Vec::new());
        let w = Arc::new_cyclic(|me| World {
            cfg,
            mmu,
            htables: Arena::new("htable_t", cfg.htables),
            hats: Arena::new("hat_t", cfg.hats),
            pages,
            buckets,
            hci,
            reserve_mutex,
            reserve_pool,
            reserve_cnt: AtomicU32::new("htable.reserve_cnt", 0, 0),
            dont_cache: AtomicU32::new("htable.dont_cache", 0, 0),
            active_ptables: AtomicU32::new("htable.active_ptables", 0, 0),
            free_ptables: AtomicU32::new("htable.freemem", 0, cfg.ptables),
            hat_list_lock,
            hat_list_cv: KCondvar::new(HAT_LIST_CV, 0),
            hat_list,
            h_seed: AtomicU32::new("htable.h_seed", 0, 0),
            hat_serial: AtomicU32::new("htable.hat_serial", 0, 0),
            ht_serial: std::sync::atomic::AtomicU32::new(0),
            kmem_reaping: AtomicU32::new("kmem.kmem_reaping", 0, 0),
            kmem_taskq: cfg.kmem_taskq.then(Callouts::start),
            kas: OnceLock::new(),
            me: me.clone(),
            ghost: Ghost::default(),
        });
        World::observe_writes(&w);
        if cfg.kernel {
            w.kas_boot();
        }
        w
    }

    /// `mmu.ptes_per_table`.
    pub(crate) fn ptes(&self) -> u32 {
        1 << self.cfg.mmu.entry_bits
    }

    /// `TOP_LEVEL(hat)`.
    pub(crate) fn top_level(&self) -> u32 {
        self.cfg.mmu.levels - 1
    }

    /// `LEVEL_SHIFT(l)`.
    pub(crate) fn level_shift(&self, l: u32) -> u32 {
        PAGESHIFT + l * self.cfg.mmu.entry_bits
    }

    /// `LEVEL_SIZE(l)`.
    pub(crate) fn level_size(&self, l: u32) -> u64 {
        1 << self.level_shift(l)
    }

    /// `LEVEL_MASK(l)`.
    pub(crate) fn level_mask(&self, l: u32) -> u64 {
        !(self.level_size(l) - 1)
    }

    /// The page with frame number `pfn` (`page_numtopp_nolock`).
    pub(crate) fn page_of(&self, pfn: u64) -> Option<&Page> {
        self.pages.of_pfn(pfn)
    }

    /// The page `p`.
    pub(crate) fn page(&self, p: PageId) -> &Page {
        self.pages.page(p.0 as usize)
    }
}
