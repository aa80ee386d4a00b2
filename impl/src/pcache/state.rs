//! The pcache state (`struct seg_pcache`, `seg_phash`, `seg_phash_wired`,
//! `pctrl1-3`, vm_seg.c:83-201), the stand-in segment and anon map, and
//! `seg_pinit` (vm_seg.c:1370-1494) as a configuration.
//!
//! Lock keys used in field docs:
//! * (B) the entry's hash bucket mutex `p_hmutex`;
//! * (P) the per-seg/amp list mutex `s_pmtx` / `a_pmtx` of the entry's tag;
//! * (M) `seg_pmem_mtx`;
//! * (D) `seg_pcache_mtx` (a leaf);
//! * (A) `seg_pasync_mtx`;
//! * (T) owned by the async purge thread while `seg_pathr_on`, without M;
//! * (S) the stand-in address space's `a_contents` (segvn's unmap wait);
//! * (c) constant after creation; (u) the seed also reads it unlocked on
//!   purpose (a hint); (a) a model atomic changed by read-modify-write;
//! * (g) ghost: instrumentation only checks read.

use crate::vm::keyed::Keyed;
use crate::vm::word::Word;
use model::kernel::{Arena, Handle};
use model::sync::{AtomicU64, KCondvar, KMutex};
use model::Tid;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Lock classes (ranks in [`super::order::LOCK_ORDER`]).
pub const ASYNC: &str = "pcache.pasync_mtx";
pub const PLIST: &str = "pcache.pmtx";
pub const BUCKET: &str = "pcache.hmutex";
pub const PMEM: &str = "pcache.pmem_mtx";
pub const PDISABLE: &str = "pcache.pcache_mtx";
/// The stand-in address space's `a_contents` (segvn's unmap wait).
pub const AS_CONTENTS: &str = "pcache.as_contents";

/// Fixes of the findings (see `super::control`). The default is the seed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fixes {
    /// Finding P1 (PCACHE-J7): `seg_pinsert` re-checks `seg_pdisabled`
    /// under `seg_pmem_mtx` before it accounts, and `seg_p_disable` reads
    /// `seg_plocked` under `seg_pmem_mtx`, so an insert that passed the
    /// unlocked check at vm_seg.c:824 cannot land after a successful
    /// disable.
    pub disable_recheck: bool,
    /// Finding P2 (PCACHE-REAP): `seg_preap` records its request under
    /// `seg_pasync_mtx` before `cv_signal`, and the async thread purges
    /// without sleeping while a request is pending, with `seg_pasync_mtx`
    /// dropped around the purge, so a reap issued while it purges is not
    /// left to the next timeout.
    pub reap_pending: bool,
}

impl Fixes {
    pub const ALL: Fixes = Fixes {
        disable_recheck: true,
        reap_pending: true,
    };
}

/// Free memory as `seg_ppurge_async` and `seg_pinsert_check` see it
/// (`freemem` against `desfree`/`lotsfree`, vm_seg.c:764, 966-981), fixed
/// for a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Memory {
    /// `freemem >= lotsfree + needfree`: the unforced purge only trims.
    Plenty,
    /// `desfree <= freemem <= 5 * desfree / 4`: inserts still pass
    /// `seg_pinsert_check`, and the unforced purge is in low-memory mode.
    Low,
}

/// `seg_pinit`'s tunables, tiny for the explorers.
#[derive(Clone, Copy, Debug)]
pub struct PcacheConfig {
    /// `seg_phashsize_win`, a power of two.
    pub hash_win: usize,
    /// `seg_phashsize_wired`, a power of two.
    pub hash_wired: usize,
    /// `seg_pmaxwindow` in pages.
    pub max_window: u64,
    /// `seg_pshrink_shift`.
    pub shrink_shift: u32,
    /// `seg_pmaxapurge_npages`.
    pub max_apurge: u64,
    /// `SEGP_STALL_THRESHOLD` of `seg_p_disable`.
    pub stall_threshold: u32,
    pub memory: Memory,
    /// Segments and anon maps the arena can hold.
    pub owners: usize,
    /// Entries the arena can hold.
    pub entries: usize,
    pub fixes: Fixes,
}

impl PcacheConfig {
    /// One non-wired and one wired bucket, a window of 8 pages.
    pub fn tiny() -> Self {
        PcacheConfig {
            hash_win: 1,
            hash_wired: 1,
            max_window: 8,
            shrink_shift: 0,
            max_apurge: 8,
            stall_threshold: 1,
            memory: Memory::Plenty,
            owners: 4,
            entries: 8,
            fixes: Fixes::default(),
        }
    }
}

/// A pcache tag (`p_htag0`): a segment or an anon map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Tag {
    pub(crate) h: Handle,
    /// `SEGP_AMP`.
    pub amp: bool,
}

/// The reclaim callback (`seg_preclaim_cbfunc_t`): (tag, addr, len, pp,
/// write, async) -> done.
pub(crate) type Reclaim = fn(&Pcache, Tag, u64, u64, u64, bool, bool) -> bool;

/// One cache entry (`struct seg_pcache`). Addresses and lengths are in
/// pages (`btop` is the identity).
pub(crate) struct Pcp {
    /// (c) `p_htag0`.
    pub(crate) tag: Tag,
    /// (c) `p_addr`.
    pub(crate) addr: u64,
    /// (c) `p_len`.
    pub(crate) len: u64,
    /// (c) `p_wlen`.
    pub(crate) wlen: u64,
    /// (c) `p_pp`: the shadow list's identity.
    pub(crate) pp: u64,
    /// (c) `p_callback`.
    pub(crate) callback: Reclaim,
    /// (c) `IS_PCP_WIRED(pcp)`.
    pub(crate) wired: bool,
    /// (c) `p_hashp`: index of the bucket (win or wired table).
    pub(crate) hashp: usize,
    /// (B) `p_active`.
    pub(crate) active: Keyed<u64>,
    /// (B) `p_write`.
    pub(crate) write: Keyed<bool>,
    /// (B) `p_ref`. (`p_lbolt` is not modelled: no time passes, so every
    /// entry is younger than `seg_pmax_pcpage`, vm_seg.c:1072-1073.)
    pub(crate) pref: Keyed<bool>,
}

/// A hash bucket (`seg_phash`, or `seg_phash_wired` without `p_halink`).
pub(crate) struct Bucket {
    /// `p_hmutex`.
    pub(crate) mtx: KMutex,
    /// (B) `p_hnext`/`p_hprev`: the chain, newest first.
    pub(crate) chain: Keyed<Vec<Handle>>,
    /// (B to write; u) entries on the chain: the seed's unlocked
    /// `hp->p_hnext == hp` (vm_seg.c:1008, 1052, 1213).
    pub(crate) len: Word,
}

/// A segment or anon map, as far as pcache reaches it: `s_pmtx`/`a_pmtx`,
/// `s_phead`/`a_phead`, and segvn's `softlockcnt`.
pub(crate) struct Owner {
    /// `s_pmtx` / `a_pmtx`.
    pub(crate) pmtx: KMutex,
    /// (P to read; P and the entry's B to change) `s_phead`: the P-list,
    /// newest first.
    pub(crate) phead: Keyed<Vec<Handle>>,
    /// (a) segvn's `softlockcnt`: pages locked through this owner and not
    /// yet reclaimed.
    pub(crate) softlockcnt: AtomicU64,
}

/// Ghost state the checks read.
#[derive(Clone, Default)]
pub(crate) struct Ghost {
    /// Per shadow list: callers that hold it (between pagelock and the
    /// matching `seg_pinactive`).
    pub(crate) holders: BTreeMap<u64, u32>,
    /// Per shadow list: reclaim callbacks run on it.
    pub(crate) reclaimed: BTreeMap<u64, u32>,
    /// Shadow lists whose callback is past its last use of their owner.
    pub(crate) released: std::collections::BTreeSet<u64>,
    /// The next shadow list identity.
    pub(crate) next_pp: u64,
    /// Entries allocated and not freed.
    pub(crate) live: BTreeMap<Handle, Arc<Pcp>>,
    /// Tags allocated and not freed, and their owners.
    pub(crate) owners: BTreeMap<Tag, Arc<Owner>>,
    /// Owners ever allocated (their mutexes' trace index).
    pub(crate) nowners: u32,
    /// The thread that set `seg_pathr_on`, while it is set.
    pub(crate) athr: Option<Tid>,
    /// Successful `seg_p_disable`s not yet matched by `seg_p_enable`.
    pub(crate) clean: u32,
    /// Whether the purge thread is awake: between a wakeup and its next
    /// sleep (a `seg_preap` signal then finds no waiter).
    pub(crate) athr_awake: bool,
    /// `seg_preap` wakeups issued while the purge thread was awake, and the
    /// count it saw when it last woke to purge.
    pub(crate) reap_req: u64,
    pub(crate) reap_served: u64,
}

/// The segment page-lock cache.
pub struct Pcache {
    /// (c) `seg_pinit`'s tunables.
    pub(crate) cfg: PcacheConfig,
    /// (c) whether invariants are checked after every operation.
    pub(crate) each_op: bool,
    /// `seg_pcache_mtx`.
    pub(crate) pcache_mtx: KMutex,
    /// (D to write; u) `seg_pdisabled`.
    pub(crate) pdisabled: Word,
    /// `seg_pasync_mtx`.
    pub(crate) pasync_mtx: KMutex,
    /// `seg_pasync_cv`, paired with `seg_pasync_mtx`.
    pub(crate) pasync_cv: KCondvar,
    /// (A) fix P2: a `seg_preap` request not yet served.
    pub(crate) reap_pending: Keyed<bool>,
    /// `seg_pmem_mtx`.
    pub(crate) pmem_mtx: KMutex,
    /// (M to write; u) `seg_plocked`.
    pub(crate) plocked: Word,
    /// (M to write; u) `seg_plocked_window`.
    pub(crate) plocked_window: Word,
    /// (M to write; M or T to read) `seg_pahcur`.
    pub(crate) pahcur: Keyed<usize>,
    /// (M) `seg_pathr_on`.
    pub(crate) pathr_on: Keyed<bool>,
    /// (M, and B of a bucket to add or remove it; the list `!seg_pahcur`
    /// is T while `seg_pathr_on`) `seg_pahhead[0..1]` with the buckets'
    /// `p_halink`: each active list's buckets, head first.
    pub(crate) ahead: [Keyed<Vec<usize>>; 2],
    /// (c) `seg_phashtab_win`.
    pub(crate) win: Vec<Bucket>,
    /// (c) `seg_phashtab_wired`.
    pub(crate) wired: Vec<Bucket>,
    /// (c) `seg_pkmcache`.
    pub(crate) entries: Arena<Pcp>,
    /// (c) the segments' and anon maps' caches.
    pub(crate) owners: Arena<Owner>,
    /// The stand-in address space's `a_contents` and `a_cv`.
    pub(crate) as_mtx: KMutex,
    pub(crate) as_cv: KCondvar,
    /// (S) `AS_ISUNMAPWAIT`.
    pub(crate) unmapwait: Keyed<bool>,
    /// (g) see [`Ghost`].
    pub(crate) ghost: Mutex<Ghost>,
}

impl Ghost {
    /// A copy, so checks can fail without holding the ghost lock.
    pub(crate) fn snapshot(&self) -> Ghost {
        self.clone()
    }
}

impl Pcache {
    /// `seg_pinit` (vm_seg.c:1370-1494) with `cfg`'s sizes. Must run inside
    /// the execution that uses the cache.
    pub fn new(cfg: PcacheConfig) -> Pcache {
        assert!(
            cfg.hash_win.is_power_of_two() && cfg.hash_wired.is_power_of_two(),
            "seg_pinit: hash sizes must be powers of two"
        );
        let pmem_mtx = KMutex::new(PMEM, 0);
        let bucket = |i: usize, wired: bool| {
            let idx = (i + if wired { cfg.hash_win } else { 0 }) as u32;
            Bucket {
                mtx: KMutex::new(BUCKET, idx),
                chain: Keyed::new("pcache.p_hnext", Vec::new()),
                len: Word::hinted("pcache.chain_len", idx, 0),
            }
        };
        let as_mtx = KMutex::new(AS_CONTENTS, 0);
        Pcache {
            cfg,
            each_op: model::exec::step_checks(),
            pcache_mtx: KMutex::new(PDISABLE, 0),
            pdisabled: Word::hinted("pcache.seg_pdisabled", 0, 0),
            pasync_mtx: KMutex::new(ASYNC, 0),
            pasync_cv: KCondvar::new("pcache.pasync_cv", 0),
            reap_pending: Keyed::new("pcache.reap_pending", false),
            plocked: Word::hinted("pcache.seg_plocked", 0, 0),
            plocked_window: Word::hinted("pcache.seg_plocked_window", 0, 0),
            pahcur: Keyed::new("pcache.seg_pahcur", 0),
            pathr_on: Keyed::new("pcache.seg_pathr_on", false),
            ahead: [
                Keyed::new("pcache.seg_pahhead[0]", Vec::new()),
                Keyed::new("pcache.seg_pahhead[1]", Vec::new()),
            ],
            win: (0..cfg.hash_win).map(|i| bucket(i, false)).collect(),
            wired: (0..cfg.hash_wired).map(|i| bucket(i, true)).collect(),
            entries: Arena::new("seg_pcache", cfg.entries),
            owners: Arena::new("seg_or_amp", cfg.owners),
            as_mtx,
            as_cv: KCondvar::new("pcache.a_cv", 0),
            unmapwait: Keyed::new("pcache.AS_UNMAPWAIT", false),
            pmem_mtx,
            ghost: Mutex::new(Ghost::default()),
        }
    }

    pub(crate) fn g(&self) -> std::sync::MutexGuard<'_, Ghost> {
        self.ghost.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `P_HASHBP`: the bucket of (tag, addr), and whether it is wired.
    pub(crate) fn hashbp(&self, tag: Tag, addr: u64, wired: bool) -> &Bucket {
        self.bucket_of(self.hash_index(tag, addr, wired), wired)
    }

    pub(crate) fn hash_index(&self, tag: Tag, addr: u64, wired: bool) -> usize {
        let t = u64::from(tag.h.index());
        if wired {
            (t as usize) & (self.cfg.hash_wired - 1)
        } else {
            ((t ^ addr) as usize) & (self.cfg.hash_win - 1)
        }
    }

    pub(crate) fn bucket_of(&self, i: usize, wired: bool) -> &Bucket {
        if wired {
            &self.wired[i]
        } else {
            &self.win[i]
        }
    }

    /// The owner behind `tag` (a use: MEM-UAF once it was freed).
    #[track_caller]
    pub(crate) fn owner(&self, tag: Tag) -> Arc<Owner> {
        self.owners.get(tag.h)
    }

    /// The entry behind `h` (a use: MEM-UAF once it was freed).
    #[track_caller]
    pub(crate) fn pcp(&self, h: Handle) -> Arc<Pcp> {
        self.entries.get(h)
    }
}
