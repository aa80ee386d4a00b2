//! `page_t` and the page operations the seeds call (vm_page.c is not a
//! seed): one page model for every subsystem, over the model's page lock
//! (`model::sync::PageLock`).
//!
//! Pages exist for a fixed universe, chosen when the world is built:
//! either file pages of vnodes `1..=vnodes` and MAXBSIZE blocks
//! `0..blocks` ([`PageUniverse`]; none by default, so every lookup misses,
//! as when no page of the file is in memory), or anonymous frames with no
//! identity ([`Pages::frames`], the pages htable's scenarios map). Page
//! `i` has frame number [`PFN_BASE`]` + i` for its whole life, which is
//! what a HAT puts in a PTE. A file page is "hashed" (in the page cache)
//! or not; `page_create_va` hashes it, `page_release` of a clean unmapped
//! page frees it.
//!
//! Deviations from illumos: no page hash mutex (the unlocked look at
//! `hashed` stands for the hash walk and is re-checked under the page
//! lock), no free lists or reclaim, no `p_lckcnt` / `p_cowcnt` (no port
//! locks pages in memory yet). The mapping list is two things, one per
//! HAT: the x86 HAT's hments under the page's mapping-list mutex
//! (`x86_hm_enter`, hment.c), and the kmap stand-in's count of
//! translations (it keeps no hments, see `crate::segmap`'s HAT); a page
//! is mapped (`hat_page_is_mapped`) if either says so.
//!
//! Lock keys (one legend for the VM layer): (P) the page's lock,
//! exclusive to write, any mode to read; (M) the page's mapping-list
//! mutex; (a) atomic, changed by read-modify-write with no lock; (c)
//! constant; (g) ghost, read only by checks.

use super::param::{MAXBSIZE, PAGESIZE};
use super::word::Word;
use model::check::{fail, SYNC_UNLOCKED};
use model::exec;
use model::kernel::Handle;
use model::machine::pte::{PT_MOD, PT_REF};
use model::sync::{AtomicU32, KMutex, Locked, Ordering::Relaxed, PageLock, Se};
use std::sync::atomic::{AtomicBool as GhostBool, Ordering::SeqCst};

/// The lock class of pages' `p_selock`.
pub const PAGE: &str = "page";
/// The lock class of a page's mapping-list mutex (`x86_hm_enter`), which
/// the x86 HAT (the htable port) takes.
pub const HMENT: &str = "htable.hment";

/// A page is freed only when no hment maps it (`page_free` of a page the
/// x86 HAT still maps would leave a PTE to a free page). Checked, on ghost
/// state, as `page_release` frees a page.
pub const VM_PAGE_MAPPED: &str = "VM-PAGE-MAPPED";

/// `P_MOD` in `p_nrm`.
pub const P_MOD: u32 = 0x01;
/// `P_REF` in `p_nrm`.
pub const P_REF: u32 = 0x02;

/// The frame number of page 0 (page `i` is frame `PFN_BASE + i`; page
/// tables live in the machine's table arena and are named by its handles).
pub const PFN_BASE: u64 = 0x100;

/// A page (`page_t *`), by index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PageId(pub u32);

impl PageId {
    /// The page's frame number (`p_pagenum`).
    pub fn pfn(self) -> u64 {
        PFN_BASE + u64::from(self.0)
    }
}

/// Which file pages exist: vnodes `1..=vnodes`, blocks `0..blocks`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PageUniverse {
    pub vnodes: u32,
    pub blocks: u64,
    /// Blocks (bit `n`: block `n` of every vnode) that are holes: in the
    /// file but with no disk blocks behind them, so `VOP_GETPAGE` grants
    /// their pages less than `PROT_ALL` (no `PROT_WRITE`).
    pub holes: u64,
}

/// One hment: a translation to the page, (page table, entry), the table
/// named by its kmem handle (`htable_t *`).
pub type Hment = (Handle, u32);

/// One `page_t`, identified by (vnode, offset) or by its frame alone, for
/// its whole life.
pub struct Page {
    /// `p_selock`.
    pub lock: PageLock,
    /// (P) on its vnode's page list (`p_vnode` set and hashed).
    hashed: Word,
    /// (a; cleared under P exclusive when the page is created) `p_nrm`:
    /// `P_REF` and `P_MOD`, set by `hat_setmod` and by a HAT when it
    /// unloads a translation (`hati_sync_pte_to_page`), with no page lock
    /// (`PP_SETRM` is an atomic OR).
    pub nrm: AtomicU32,
    /// The mapping-list mutex (`x86_hm_enter`; hashed by page in hment.c,
    /// one per page here).
    pub mlist: KMutex,
    /// (M) the x86 HAT's mappings of the page (`p_mapping`, hments).
    pub hments: Locked<Vec<Hment>>,
    /// (a) the kmap stand-in's translations to the page: it counts one
    /// when a window's PTE comes to map the page and uncounts it after the
    /// PTE is invalidated and its REF/MOD synced.
    mapped: AtomicU32,
    /// (c) `p_pagenum`.
    pub pfn: u64,
    /// (g) a CPU wrote the page through a mapping since it was created.
    written: GhostBool,
}

/// The pages of a world.
pub struct Pages {
    /// (c) which file pages exist (none for [`Pages::frames`]).
    universe: PageUniverse,
    /// (c) the pages, by index.
    pages: Vec<Page>,
}

const PER_BLOCK: u64 = MAXBSIZE / PAGESIZE;

impl Page {
    fn new(i: u32) -> Self {
        let mlist = KMutex::new(HMENT, i);
        let hments = Locked::new(&mlist, Vec::new());
        Page {
            lock: PageLock::new(PAGE, i),
            hashed: Word::hinted("page.hashed", i, 0),
            nrm: AtomicU32::new("page.p_nrm", i, 0),
            mlist,
            hments,
            mapped: AtomicU32::new("page.mapped", i, 0),
            pfn: PFN_BASE + u64::from(i),
            written: GhostBool::new(false),
        }
    }

    /// SYNC-UNLOCKED unless the caller holds the page lock (`excl`:
    /// exclusive).
    #[track_caller]
    pub fn held(&self, excl: bool, what: &str) {
        let ok = if excl {
            self.lock.held() && self.lock.excl()
        } else {
            self.lock.held()
        };
        if !ok {
            fail(
                SYNC_UNLOCKED,
                format!("{what} of {:?} without its page lock", self.lock),
            );
        }
    }

    fn set_hashed(&self, v: bool) {
        self.held(true, "page hash in/out");
        self.hashed.write(u64::from(v), &[]);
    }

    fn is_hashed(&self) -> bool {
        self.held(false, "page identity check");
        self.hashed.hint() != 0
    }

    /// `PP_SETRM`: the REF/MOD bits of the invalidated entry `pte` into
    /// `p_nrm` (`hati_sync_pte_to_page`; no page lock).
    pub fn sync_pte(&self, pte: u64) {
        let rm =
            if pte & PT_REF != 0 { P_REF } else { 0 } | if pte & PT_MOD != 0 { P_MOD } else { 0 };
        if rm != 0 {
            self.nrm.fetch_or(rm, Relaxed);
        }
    }
}

impl Pages {
    /// The file pages of `universe`.
    pub fn new(universe: PageUniverse) -> Self {
        let n = u64::from(universe.vnodes) * universe.blocks * PER_BLOCK;
        Pages {
            universe,
            pages: (0..n as u32).map(Page::new).collect(),
        }
    }

    /// `n` frames with no identity.
    pub fn frames(n: u32) -> Self {
        Pages {
            universe: PageUniverse::default(),
            pages: (0..n).map(Page::new).collect(),
        }
    }

    /// The page of (vnode, offset), if the universe has one.
    pub fn index(&self, vp: u64, off: u64) -> Option<usize> {
        let (vp, block) = (vp, off / MAXBSIZE);
        if vp == 0 || vp > u64::from(self.universe.vnodes) || block >= self.universe.blocks {
            return None;
        }
        Some((((vp - 1) * self.universe.blocks * PER_BLOCK) + off / PAGESIZE) as usize)
    }

    /// Whether the page at `off` lies in a hole of its file.
    pub fn in_hole(&self, off: u64) -> bool {
        let block = off / MAXBSIZE;
        block < 64 && self.universe.holes & (1 << block) != 0
    }

    /// `page_exists`-like: whether (vnode, offset) is in the universe (the
    /// file has that page, in memory or not).
    pub fn exists(&self, vp: u64, off: u64) -> bool {
        self.index(vp, off).is_some()
    }

    pub fn page(&self, pp: usize) -> &Page {
        &self.pages[pp]
    }

    /// The page with frame number `pfn` (`page_numtopp_nolock`).
    pub fn of_pfn(&self, pfn: u64) -> Option<&Page> {
        pfn.checked_sub(PFN_BASE)
            .and_then(|i| self.pages.get(i as usize))
    }

    /// The index of the page with frame number `pfn`.
    pub fn pfn_index(&self, pfn: u64) -> usize {
        (pfn - PFN_BASE) as usize
    }

    /// Number of pages.
    pub fn count(&self) -> usize {
        self.pages.len()
    }

    /// `(p_vnode, p_offset)` of file page `pp` (fixed for its life here).
    pub fn identity(&self, pp: usize) -> (u64, u64) {
        let per_vnode = self.universe.blocks * PER_BLOCK;
        let pp = pp as u64;
        (pp / per_vnode + 1, (pp % per_vnode) * PAGESIZE)
    }

    /// `page_trylock(pp, se)` of a page found by other means than its
    /// identity (a kpme, seg_map.c:1303, 1840).
    #[track_caller]
    pub fn trylock(&self, pp: usize, se: Se) -> bool {
        self.pages[pp].lock.page_trylock(se)
    }

    /// `PP_ISFREE` of a page the caller holds locked: not in the page cache.
    pub fn is_free(&self, pp: usize) -> bool {
        !self.pages[pp].is_hashed()
    }

    /// Ghost, for checks: whether page `pp` is in the page cache (hashed),
    /// read with no lock.
    pub fn cached(&self, pp: usize) -> bool {
        self.pages[pp].hashed.peek() != 0
    }

    /// `hat_page_getattr(pp, P_MOD | P_REF) == (P_MOD | P_REF)` of a page the
    /// caller holds (kpm accesses set no reference bit in the model, and
    /// `hat_setref` is a no-op: a page counts as referenced).
    pub fn is_modified(&self, pp: usize) -> bool {
        let p = &self.pages[pp];
        p.held(false, "hat_page_getattr");
        p.nrm.load(Relaxed) & P_MOD != 0
    }

    /// `page_lookup(vp, off, se)`: the hashed page, locked `se`, or `None`.
    pub fn lookup(&self, vp: u64, off: u64, se: Se) -> Option<usize> {
        let pp = self.index(vp, off)?;
        let p = &self.pages[pp];
        if p.hashed.hint() == 0 {
            return None;
        }
        p.lock.page_lock(se, None);
        if p.is_hashed() {
            Some(pp)
        } else {
            // Freed while we waited for its lock.
            p.lock.page_unlock();
            None
        }
    }

    /// `page_lookup_nowait(vp, off, se)`: as `lookup`, but only tries the
    /// page lock; `busy` runs when the try fails.
    pub fn lookup_nowait(&self, vp: u64, off: u64, se: Se, busy: impl FnOnce()) -> Option<usize> {
        let pp = self.index(vp, off)?;
        let p = &self.pages[pp];
        if p.hashed.hint() == 0 {
            return None;
        }
        if !p.lock.page_trylock(se) {
            busy();
            return None;
        }
        if p.is_hashed() {
            Some(pp)
        } else {
            p.lock.page_unlock();
            None
        }
    }

    /// `page_find(vp, off)`: the hashed page the caller already holds
    /// locked (SYNC-UNLOCKED if it does not).
    pub fn find(&self, vp: u64, off: u64) -> Option<usize> {
        let pp = self.index(vp, off)?;
        self.pages[pp].is_hashed().then_some(pp)
    }

    /// `page_create_va(vp, off, PAGESIZE, PG_WAIT, ...)`: the page, locked
    /// exclusive and hashed (created unless a racing creator did).
    pub fn create(&self, vp: u64, off: u64) -> usize {
        let pp = self.index(vp, off).unwrap_or_else(|| {
            panic!("page_create_va: (vp {vp}, off {off:#x}) outside the page universe")
        });
        let p = &self.pages[pp];
        p.lock.page_lock(Se::Excl, None);
        if !p.is_hashed() {
            p.set_hashed(true);
            p.nrm.store(0, Relaxed);
            p.written.store(false, SeqCst);
        }
        pp
    }

    /// `page_release(pp, 1)` of a page the caller holds exclusive: keeps a
    /// mapped page (PGREL_NOTREL; `mapped` is `hat_page_is_mapped`, which
    /// the caller asks its HAT), keeps an unmapped modified one
    /// (PGREL_MOD), frees an unmapped clean one (PGREL_CLEAN, with
    /// `page_free`); unlocks it. `freeing` runs just before a page
    /// is freed, with its lock still held (a page freed and unlocked may at
    /// once be created again under the same index).
    pub fn release(&self, pp: usize, mapped: bool, freeing: impl FnOnce(&Page)) -> Release {
        let p = &self.pages[pp];
        p.held(true, "page_release");
        // `hat_ismod`: with the page exclusive nobody maps it anew, and an
        // unmapped page's REF/MOD are in p_nrm.
        let r = if mapped {
            Release::NotRel
        } else if p.nrm.load(Relaxed) & P_MOD != 0 {
            Release::Mod
        } else {
            Self::unmapped(pp, p);
            freeing(p);
            self.page_free(pp);
            Release::Clean
        };
        p.lock.page_unlock();
        r
    }

    /// `page_free` of a clean page the caller holds exclusive: out of the
    /// page cache (the model keeps no free lists; the caller unlocks it).
    fn page_free(&self, pp: usize) {
        self.pages[pp].set_hashed(false);
    }

    /// [`VM_PAGE_MAPPED`] if a hment still maps page `pp`, about to be
    /// freed.
    fn unmapped(pp: usize, p: &Page) {
        if let Some((table, entry)) = p.hments.peek().first() {
            fail(
                VM_PAGE_MAPPED,
                format!(
                    "page {pp} freed by thread {} while entry {entry} of page table {table:?} maps it",
                    exec::tid()
                ),
            );
        }
    }

    /// `hat_setmod` / `hat_setrefmod` on a page the caller holds.
    pub fn setmod(&self, pp: usize) {
        let p = &self.pages[pp];
        p.held(false, "hat_setmod");
        p.nrm.fetch_or(P_MOD, Relaxed);
    }

    /// The kmap stand-in made (`true`) or removed a translation to page
    /// `pp`.
    pub fn map_count(&self, pp: usize, up: bool) {
        let m = &self.pages[pp].mapped;
        if up {
            m.fetch_add(1, Relaxed);
        } else {
            m.fetch_sub(1, Relaxed);
        }
    }

    /// The kmap stand-in's `hat_page_is_mapped` of a page the caller holds
    /// exclusive.
    pub fn kmap_mapped(&self, pp: usize) -> bool {
        self.pages[pp].mapped.load(Relaxed) != 0
    }

    /// A CPU wrote page `pp` through a mapping (ghost).
    pub fn wrote(&self, pp: usize) {
        self.pages[pp].written.store(true, SeqCst);
    }

    /// Whether a CPU wrote page `pp` since it was created (ghost).
    pub fn was_written(&self, pp: usize) -> bool {
        self.pages[pp].written.load(SeqCst)
    }

    /// Pages written through a mapping whose modification is not in their
    /// `p_nrm`, with whether they are still hashed (checks, at a quiescent
    /// point: reads `p_nrm`).
    pub fn unsynced_writes(&self) -> Vec<(usize, bool)> {
        self.pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.written.load(SeqCst) && p.nrm.load(Relaxed) & P_MOD == 0)
            .map(|(i, p)| (i, p.hashed.peek() != 0))
            .collect()
    }

    /// The page locks, for the quiescent check.
    pub fn locks(&self) -> impl Iterator<Item = &PageLock> {
        self.pages.iter().map(|p| &p.lock)
    }
}

/// What `page_release` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Release {
    Clean,
    Mod,
    NotRel,
}
