//! The segmap state (struct smap, smfree, smaphash, segmap_cpu of
//! seg_map.h / seg_map.c:213-226) and `segmap_create` (seg_map.c:301-477).
//!
//! Lock keys used in field docs (FreeBSD style):
//! * (S) the slot's mutex `sm_mtx`;
//! * (H) the mutex `sh_mtx` of the hash chain the slot's tag hashes to;
//! * (Q) the mutex `smq_mtx` of the free queue the slot is on;
//! * (Q0, Q1) the mutexes of a freelist's `sm_freeq[0]` and `sm_freeq[1]`;
//! * (c) constant after `segmap_create`;
//! * (u) no lock: the seed reads or writes it unlocked on purpose;
//! * (a) an atomic counter, changed by read-modify-write (not in the seed);
//! * (g) ghost: instrumentation that only checks read.

use super::consts::*;
use crate::vm::hat::Hat;
use crate::vm::kmap::KHat;
use crate::vm::page::{PageUniverse, Pages};
use crate::vm::word::Word;
use model::sync::{AtomicU64, KCondvar, KMutex};
use std::sync::atomic::AtomicU64 as GhostU64;
use std::sync::Arc;

/// Lock classes (lock-order ranks, see [`super::order::LOCK_ORDER`]).
pub const SLOT: &str = "segmap.slot";
pub const CHAIN: &str = "segmap.chain";
pub const QUEUE: &str = "segmap.queue";
/// The class of the free-slot condition variables.
pub const FREE_CV: &str = "segmap.free_cv";

/// Fixes of the findings in the seed's protocol (see `super::freelist`).
/// The default, no fix, is the seed as written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fixes {
    /// Finding F1: every release, not only one into an empty release
    /// queue, looks at `sm_want` and signals a waiter.
    pub every_release_wakes: bool,
    /// Finding F2: `get_free_smp` does not sleep when the only free slots
    /// it saw were busy (slot mutex held); it waits for the holder to drop
    /// the slot mutex and starts over.
    pub busy_slot_no_sleep: bool,
    /// Finding F3: a release wakes a waiter of its colour on any freelist,
    /// and a waiter re-checks the colour's free count
    /// ([`Segmap`]'s `colour_frees`) before it sleeps (see
    /// `super::freelist`).
    pub colour_wakeup: bool,
    /// Finding F4: `get_free_smp` does not sleep when it skipped a free
    /// slot because its kpm page was locked; it pauses and walks the lists
    /// again, as the seed does after such a skip when it flips the queues
    /// (see `super::freelist`).
    pub page_locked_no_sleep: bool,
    /// Finding F5: an SM_INVAL/SM_DESTROY release through a segkmap
    /// address takes the kpme's page lock before the slot mutex (tried
    /// under it, else taken with the slot mutex dropped), so
    /// `segkpm_mapout_validkpme` never blocks with the slot mutex held
    /// (see `super::kpm`).
    pub validkpme_page_first: bool,
    /// Finding F6: the last SM_INVAL/SM_DESTROY release of a kpm window
    /// whose slot was also released through segkmap (SM_NOTKPM_RELEASED)
    /// unloads the slot's segkmap window, as `grab_smp` does
    /// (seg_map.c:1169-1171), not the kpm address (2091), whose
    /// translations `hat_kpm_mapout` already removed (see
    /// `super::kpm_release`).
    pub notkpm_unload_window: bool,
}

impl Fixes {
    /// Every finding fixed.
    pub const ALL: Fixes = Fixes {
        every_release_wakes: true,
        busy_slot_no_sleep: true,
        colour_wakeup: true,
        page_locked_no_sleep: true,
        validkpme_page_first: true,
        notkpm_unload_window: true,
    };
}

/// The `segmap_crargs` of the model plus the sizes the kernel takes from
/// the machine (`max_ncpus`, the segment size).
#[derive(Clone, Copy, Debug)]
pub struct SegmapConfig {
    /// Number of slots (`MAP_PAGES(seg)`).
    pub npages: usize,
    /// Freelists per colour (`a->nfreelist`; 0 means `max_ncpus`).
    pub nfreelist: u32,
    /// Virtual colours, 1 or 2 (`a->shmsize >> MAXBSHIFT`).
    pub ncolor: u32,
    /// Hash table size, a power of two; `None` sizes it as the seed does
    /// (`npages / SMAP_HASHAVELEN` rounded down, at least 1).
    pub hashsz: Option<usize>,
    /// CPUs. Model thread `t` runs on CPU `t % max_ncpus`.
    pub max_ncpus: u32,
    /// The pages that exist (none by default).
    pub pages: PageUniverse,
    /// CPUs of the MMU model (one-entry TLBs) that access windows: model
    /// thread `t` accesses on CPU `t % mmu_cpus`. 2 by default.
    pub mmu_cpus: usize,
    pub fixes: Fixes,
    /// `segmap_kpm`: windows taken for reading or writing are handed out
    /// as segkpm addresses of their page (see `super::kpm`).
    pub kpm: bool,
}

impl SegmapConfig {
    /// `npages` slots, one freelist, one colour, the seed's hash size.
    pub fn new(npages: usize) -> Self {
        SegmapConfig {
            npages,
            nfreelist: 1,
            ncolor: 1,
            hashsz: None,
            max_ncpus: 8,
            pages: PageUniverse::default(),
            mmu_cpus: 2,
            fixes: Fixes::default(),
            kpm: false,
        }
    }
}

/// One slot (`struct smap`): a MAXBSIZE window of segkmap and its tag.
pub(crate) struct Smap {
    /// `sm_mtx`.
    pub(crate) mtx: KMutex,
    /// (S to write, and H too when hashing in; read under S or H; a holder
    /// of a reference reads it with no lock) `sm_vp`: the tag's vnode, 0
    /// when unused.
    pub(crate) vp: Word,
    /// (as `vp`) `sm_off`: the tag's MAXBSIZE-aligned offset.
    pub(crate) off: Word,
    /// (H) `sm_hash`: the next slot on the hash chain, or NIL.
    pub(crate) hash: Word,
    /// (Q; leaves NIL with Q and S held, returns to NIL under S alone once
    /// off the ring (seg_map.c:959, 1348, 1726); read under Q, or under S
    /// for whether it is NIL (seg_map.c:1694)) `sm_next`: ring link on a
    /// free queue, NIL when on none.
    pub(crate) next: Word,
    /// (Q) `sm_prev`: as `next`.
    pub(crate) prev: Word,
    /// (S) `sm_refcnt`: windows handed out and not yet released.
    pub(crate) refcnt: Word,
    /// (S) `sm_flags`: `SM_*` slot flags.
    pub(crate) flags: Word,
    /// (S to write; a holder reads it with no lock, seg_map.c:1551)
    /// `sm_bitmap`: pages of the window created by `segmap_pagecreate` whose
    /// exclusive lock and locked translation await `segmap_pageunlock`.
    pub(crate) bitmap: Word,
    /// (g) the pages `bitmap` should name (refinement of `bitmap`).
    pub(crate) bits: GhostU64,
    /// (c) `sm_free_ndx`: the freelist this slot belongs to.
    pub(crate) free_ndx: usize,
    /// (g) callers that hold a window on this slot (refinement of refcnt).
    pub(crate) holders: GhostU64,
    /// (P: written with the lock of the page it names or named held, by
    /// `hat_kpm_mapin`, `hat_kpm_mapout` or `hat_pageunload`; read under S
    /// as a hint re-checked under the page lock (seg_map.c:1300, 1316), or
    /// by a holder with no lock (seg_map.c:1834)) `sm_kpme_page`
    /// (`kpe_page` of the slot's kpme): the page the slot's kpm mapping
    /// maps, or NIL.
    pub(crate) kpe_page: Word,
}

/// One queue of a freelist (`struct sm_freeq`).
pub(crate) struct SmFreeq {
    /// `smq_mtx`.
    pub(crate) mtx: KMutex,
    /// (Q) `smq_free`: the head slot of the ring, NIL when empty.
    pub(crate) head: Word,
}

/// One freelist (`struct smfree`): two queues whose roles toggle.
pub(crate) struct SmFree {
    /// `sm_freeq[0..1]`.
    pub(crate) freeq: [SmFreeq; 2],
    /// (Q0+Q1 to write; read under either, or with no lock as a hint that
    /// is re-checked) `sm_allocq`, as an index into `freeq`.
    pub(crate) allocq: Word,
    /// (as `allocq`) `sm_releq`, as an index into `freeq`.
    pub(crate) releq: Word,
    /// (Q0+Q1 to increment, Q0 to decrement; read under either) `sm_want`:
    /// threads sleeping for a slot of this list. Incremented at
    /// seg_map.c:1252, decremented at 1256; `segmap_smapadd` snapshots it
    /// under whichever queue is the release queue (seg_map.c:966) and
    /// re-reads it under `freeq[0]` (seg_map.c:975).
    pub(crate) want: Word,
    /// `sm_free_cv`, paired with `freeq[0].mtx`.
    pub(crate) cv: KCondvar,
    /// (g) threads between seg_map.c:1252 and 1256 (refinement of `want`).
    pub(crate) waiting: GhostU64,
}

/// One hash chain (`struct smaphash`).
pub(crate) struct SmHash {
    /// `sh_mtx`.
    pub(crate) mtx: KMutex,
    /// (H) `sh_hash_list`: the first slot on the chain, or NIL.
    pub(crate) list: Word,
}

/// Per-CPU data (`union segmap_cpu`) that decides something.
pub(crate) struct SegmapCpu {
    /// (u; per CPU) `scpu_free_ndx`: the allocation rotor per colour.
    pub(crate) free_ndx: Vec<Word>,
    /// (u; per CPU) `scpu_last_smap`: the slot of this CPU's last kpm
    /// getmap, a hint `get_smap_kpm` re-checks under the slot mutex
    /// (seg_map.c:1826, 2303-2305).
    pub(crate) last_smap: Word,
}

/// The segmap segment (`segkmap` and its `segmap_data`).
pub struct Segmap {
    /// (c) `smd_sm`.
    pub(crate) smap: Vec<Smap>,
    /// (c) `smd_free`.
    pub(crate) free: Vec<SmFree>,
    /// (c) `smd_hash`.
    pub(crate) hash: Vec<SmHash>,
    /// (c) `smd_cpu`.
    pub(crate) cpu: Vec<SegmapCpu>,
    /// (c) the VM layer's pages, shared with the HAT.
    pub(crate) pages: Arc<Pages>,
    /// (c) the kernel HAT the windows are mapped with, and through it the
    /// machine.
    pub(crate) hat: Box<dyn Hat>,
    /// (a; bumped with the queue mutex of the slot it counts held) Fix F3
    /// only: per colour, the slots ever put on a freelist of that colour.
    /// A waiter reads it before it walks the colour's lists and again,
    /// holding the queue mutexes of the list it sleeps on, before it
    /// raises `sm_want`.
    pub(crate) colour_frees: Vec<AtomicU64>,
    /// (c) `smd_ncolor`.
    pub(crate) ncolor: usize,
    /// (c) `smd_colormsk`.
    pub(crate) colormsk: u64,
    /// (c) `smd_freemsk`.
    pub(crate) freemsk: usize,
    /// (c) `smd_hashmsk`.
    pub(crate) hashmsk: u64,
    /// (c) which findings are fixed.
    pub(crate) fixes: Fixes,
    /// (c) whether invariants are checked after every operation.
    pub(crate) each_op: bool,
    /// (c) `segmap_kpm`.
    pub(crate) kpm: bool,
    /// (g) kpm windows handed out and not yet released: (thread, page).
    pub(crate) kpm_windows: std::sync::Mutex<Vec<(usize, usize)>>,
    /// (g) the stand-in `VOP_PUTPAGE` calls made: (vp, off, bflags), in
    /// order (for [`super::checks::SEGMAP_PUTPAGE`]).
    pub(crate) putpages: std::sync::Mutex<Vec<(u64, u64, u32)>>,
}

/// `highbit`: 1-based index of the highest set bit, 0 for 0.
fn highbit(x: u64) -> u32 {
    64 - x.leading_zeros()
}

impl Segmap {
    /// `segmap_create` (seg_map.c:301-477) on the kmap stand-in HAT
    /// (`crate::vm::kmap`) over the pages of `cfg.pages`, with
    /// `cfg.mmu_cpus` CPUs. Must run inside the execution that uses the
    /// segment (its locks belong to that execution).
    pub fn create(cfg: SegmapConfig) -> Segmap {
        let pages = Arc::new(Pages::new(cfg.pages));
        let windows = cfg.npages as u64 * (MAXBSIZE / PAGESIZE);
        let hat = KHat::new(windows, cfg.mmu_cpus, pages.clone());
        Self::create_on(cfg, pages, Box::new(hat))
    }

    /// `segmap_create` with the windows mapped by `hat` over `pages` (which
    /// must be the pages `hat` maps; `cfg.pages` and `cfg.mmu_cpus` are not
    /// used).
    pub fn create_on(cfg: SegmapConfig, pages: Arc<Pages>, hat: Box<dyn Hat>) -> Segmap {
        let npages = cfg.npages;
        assert!(npages > 0, "segmap_create: no slots");
        let max_ncpus = cfg.max_ncpus.max(1);
        // seg_map.c:335-346: freelists per colour, a power of two.
        let mut nfreelist = cfg.nfreelist;
        if nfreelist == 0 || nfreelist > 4 * max_ncpus {
            nfreelist = max_ncpus;
        }
        if nfreelist & (nfreelist - 1) != 0 {
            nfreelist = 1 << highbit(u64::from(nfreelist));
        }
        // seg_map.c:351-359: colours, a power of two, at most two.
        let ncolor = cfg.ncolor.max(1);
        assert!(
            ncolor & (ncolor - 1) == 0 && ncolor <= SEGMAP_MAXCOLOR,
            "segmap_create: bad colour count {ncolor}"
        );
        let nfree = (ncolor * nfreelist) as usize;
        let freemsk = nfree - 1;

        // seg_map.c:366-374: freelists; freeq[1] starts as the release queue.
        let free: Vec<SmFree> = (0..nfree)
            .map(|i| {
                let q = |n: usize| SmFreeq {
                    mtx: KMutex::tried(QUEUE, (2 * i + n) as u32),
                    head: Word::locked("segmap.smq_free", (2 * i + n) as u32, NIL),
                };
                SmFree {
                    freeq: [q(0), q(1)],
                    allocq: Word::hinted("segmap.sm_allocq", i as u32, 0),
                    releq: Word::hinted("segmap.sm_releq", i as u32, 1),
                    want: Word::locked("segmap.sm_want", i as u32, 0),
                    cv: KCondvar::new(FREE_CV, i as u32),
                    waiting: GhostU64::new(0),
                }
            })
            .collect();

        // seg_map.c:380-394: hash chains. The seed's sizing needs at least
        // SMAP_HASHAVELEN slots; below that the model uses one chain.
        let hashsz = match cfg.hashsz {
            Some(h) => {
                assert!(h.is_power_of_two(), "segmap_create: hash size {h}");
                h
            }
            None => {
                let h = (npages / SMAP_HASHAVELEN) as u64;
                if h == 0 {
                    1
                } else {
                    1usize << (highbit(h) - 1)
                }
            }
        };
        let hash: Vec<SmHash> = (0..hashsz)
            .map(|h| SmHash {
                mtx: KMutex::new(CHAIN, h as u32),
                list: Word::locked("segmap.sh_hash_list", h as u32, NIL),
            })
            .collect();

        // seg_map.c:405-451: slots, each linked at the tail of its
        // freelist's release queue, last slot first, with no locks (nobody
        // else can see the segment yet).
        let smap: Vec<Smap> = (0..npages)
            .map(|i| Smap {
                mtx: KMutex::tried(SLOT, i as u32),
                vp: Word::hinted("segmap.sm_vp", i as u32, 0),
                off: Word::hinted("segmap.sm_off", i as u32, 0),
                hash: Word::locked("segmap.sm_hash", i as u32, NIL),
                next: Word::locked("segmap.sm_next", i as u32, NIL),
                prev: Word::locked("segmap.sm_prev", i as u32, NIL),
                refcnt: Word::locked("segmap.sm_refcnt", i as u32, 0),
                // seg_map.c:440: no SM_QNDX_ZERO, so on sm_freeq[1].
                flags: Word::locked("segmap.sm_flags", i as u32, 0),
                bitmap: Word::hinted("segmap.sm_bitmap", i as u32, 0),
                bits: GhostU64::new(0),
                free_ndx: i & freemsk,
                holders: GhostU64::new(0),
                kpe_page: Word::hinted("segmap.kpe_page", i as u32, NIL),
            })
            .collect();
        for i in (0..npages).rev() {
            let s = &smap[i];
            let sm = &free[s.free_ndx];
            // Not yet shared: the ghost copies are the words' values.
            let releq = &sm.freeq[sm.releq.peek() as usize];
            let head = releq.head.peek();
            if head == NIL {
                releq.head.write(i as u64, &[]);
                s.next.write(i as u64, &[]);
                s.prev.write(i as u64, &[]);
            } else {
                let h = &smap[head as usize];
                let tail = h.prev.peek();
                s.next.write(head, &[]);
                s.prev.write(tail, &[]);
                h.prev.write(i as u64, &[]);
                smap[tail as usize].next.write(i as u64, &[]);
                releq.head.write(s.next.peek(), &[]);
            }
        }

        // seg_map.c:460-467: per-CPU rotors start at their colour.
        let cpu = (0..max_ncpus)
            .map(|c| SegmapCpu {
                free_ndx: (0..ncolor)
                    .map(|j| Word::hinted("segmap.scpu_free_ndx", c * ncolor + j, u64::from(j)))
                    .collect(),
                // seg_map.c:466: the first slot, so never NULL.
                last_smap: Word::hinted("segmap.scpu_last_smap", c, 0),
            })
            .collect();

        Segmap {
            smap,
            free,
            hash,
            cpu,
            pages,
            hat,
            colour_frees: (0..ncolor)
                .map(|c| AtomicU64::new("segmap.colour_frees", c, 0))
                .collect(),
            ncolor: ncolor as usize,
            colormsk: u64::from(ncolor - 1),
            freemsk,
            hashmsk: (hashsz - 1) as u64,
            fixes: cfg.fixes,
            each_op: model::exec::step_checks(),
            kpm: cfg.kpm,
            kpm_windows: std::sync::Mutex::new(Vec::new()),
            putpages: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// This thread's CPU (model thread `t` runs on CPU `t % max_ncpus`).
    pub(crate) fn this_cpu(&self) -> &SegmapCpu {
        &self.cpu[model::exec::tid() % self.cpu.len()]
    }

    /// Number of slots.
    pub fn npages(&self) -> usize {
        self.smap.len()
    }

    /// Number of freelists (`smd_nfree`).
    pub fn nfree(&self) -> usize {
        self.free.len()
    }

    /// Number of colours (`smd_ncolor`).
    pub fn ncolor(&self) -> usize {
        self.ncolor
    }

    /// Number of hash chains.
    pub fn hashsz(&self) -> usize {
        self.hash.len()
    }

    /// The window address of slot `i` (seg_map.c:1955).
    pub fn slot_addr(i: usize) -> u64 {
        SEGKMAP_BASE + i as u64 * MAXBSIZE
    }

    /// The slot of a window address (`GET_SMAP`, seg_map.c:187-188).
    pub fn addr_slot(addr: u64) -> usize {
        ((addr - SEGKMAP_BASE) >> MAXBSHIFT) as usize
    }
}
