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
//! Worlds built [`Pages::with_vnodes`] (the pvn port's) also model each
//! vnode's page ring and `VVMLOCK` (`super::vnode::VnodeState`): creating
//! a page puts it at the head of its vnode's ring (`page_hashin`), a freed
//! page stays hashed and on the ring, marked free (the cachelist:
//! `PP_ISFREE`, reclaimed by `page_lookup`), and only `page_destroy`
//! takes it off (`page_hashout`); setting MOD on a page of a `VMODSORT`
//! vnode moves it to the tail of the ring (`hat_page_setattr`). Every
//! page has its I/O lock and `p_lckcnt` / `p_cowcnt`.
//!
//! Deviations from illumos: no page hash mutex (the unlocked look at
//! `hashed` stands for the hash walk and is re-checked under the page
//! lock); in worlds without vnodes (segmap's, htable's) no free lists or
//! reclaim: freeing a page takes it out of the page cache, as if its
//! identity were lost at once. Free pages keep their frame and identity
//! (page `i` is always (vnode, offset) `identity(i)`), so a destroyed page
//! created again is the same `Page` anew. The mapping list is two things, one per
//! HAT: the x86 HAT's hments under the page's mapping-list mutex
//! (`x86_hm_enter`, hment.c), and the kmap stand-in's count of
//! translations (it keeps no hments, see `crate::segmap`'s HAT); a page
//! is mapped (`hat_page_is_mapped`) if either says so.
//!
//! Lock keys (one legend for the VM layer): (P) the page's lock,
//! exclusive to write, any mode to read; (M) the page's mapping-list
//! mutex; (S) `page_struct_lock`; (V) the page's vnode page mutex; (a)
//! atomic, changed by read-modify-write with no lock; (c) constant; (u)
//! also read unlocked on purpose (a hint); (g) ghost, read only by checks.

use super::param::{MAXBSIZE, PAGESIZE};
use super::vnode::{Vnode, VnodeState};
use super::vplist::{Entry, Slot};
use super::word::Word;
use model::check::{fail, PANIC, SYNC_UNLOCKED};
use model::exec;
use model::kernel::Handle;
use model::machine::pte::{PT_MOD, PT_REF};
use model::sync::{AtomicU32, IoLock, KMutex, Locked, Ordering, Ordering::Relaxed, PageLock, Se};
use std::sync::atomic::{
    AtomicBool as GhostBool, AtomicU32 as Cell, AtomicU64 as GhostU64, Ordering::SeqCst,
};
use std::sync::Arc;

/// The lock class of pages' `p_selock`.
pub const PAGE: &str = "page";
/// The lock class of a page's mapping-list mutex (`x86_hm_enter`), which
/// the x86 HAT (the htable port) takes.
pub const HMENT: &str = "htable.hment";
/// The lock class of pages' I/O locks (`p_iolock_state`).
pub const IOLOCK: &str = "page.io";
/// The lock class of `page_struct_lock` (`p_lckcnt` / `p_cowcnt`).
pub const PSTRUCT: &str = "page.struct_lock";

/// A page is freed only when no hment maps it (`page_free` of a page the
/// x86 HAT still maps would leave a PTE to a free page). Checked, on ghost
/// state, as `page_release` frees a page.
pub const VM_PAGE_MAPPED: &str = "VM-PAGE-MAPPED";

/// `P_MOD` in `p_nrm`.
pub const P_MOD: u32 = 0x01;
/// `P_REF` in `p_nrm`.
pub const P_REF: u32 = 0x02;
/// `P_NSH` for `hat_page_setattr`: do not move the page on its ring
/// (`hat_setmod_only`).
const P_NSH: u32 = 0x80;

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
    pub nrm: Nrm,
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
    /// `p_iolock_state`.
    pub io: IoLock,
    /// (P exclusive to write; u) `PP_ISFREE` of a hashed page: on the
    /// cachelist (worlds with vnodes only).
    free: Word,
    /// (P shared and S to change; P exclusive or S to read) `p_lckcnt`
    /// and `p_cowcnt`. Touched only under their key, so plain cells.
    lckcnt: Cell,
    cowcnt: Cell,
    /// (c) the page's vnode, in worlds with vnodes.
    vn: Option<Arc<VnodeState>>,
    /// (g) how many times the page got an identity (`page_hashin`).
    incarnation: GhostU64,
}

/// `p_nrm`: a model atomic, and its ghost copy written in the same step,
/// which checks read without adding a scheduling point.
pub struct Nrm {
    cell: AtomicU32,
    ghost: Cell,
}

impl Nrm {
    pub fn load(&self, o: Ordering) -> u32 {
        self.cell.load(o)
    }

    pub fn store(&self, v: u32, o: Ordering) {
        self.cell.store(v, o);
        self.ghost.store(v, SeqCst);
    }

    pub fn fetch_or(&self, v: u32, o: Ordering) -> u32 {
        let old = self.cell.fetch_or(v, o);
        self.ghost.fetch_or(v, SeqCst);
        old
    }

    pub fn fetch_and(&self, v: u32, o: Ordering) -> u32 {
        let old = self.cell.fetch_and(v, o);
        self.ghost.fetch_and(v, SeqCst);
        old
    }

    /// The ghost copy: for checks only.
    pub fn peek(&self) -> u32 {
        self.ghost.load(SeqCst)
    }
}

/// The pages of a world.
pub struct Pages {
    /// (c) which file pages exist (none for [`Pages::frames`]).
    universe: PageUniverse,
    /// (c) the pages, by index.
    pages: Vec<Page>,
    /// (c) the vnodes' rings and `VVMLOCK`, by vnode number - 1 (worlds
    /// built [`Pages::with_vnodes`] only).
    vnodes: Vec<Arc<VnodeState>>,
    /// `page_struct_lock`.
    pub pstruct: KMutex,
}

const PER_BLOCK: u64 = MAXBSIZE / PAGESIZE;

impl Page {
    fn new(i: u32, vn: Option<Arc<VnodeState>>) -> Self {
        let mlist = KMutex::new(HMENT, i);
        let hments = Locked::new(&mlist, Vec::new());
        Page {
            lock: PageLock::new(PAGE, i),
            hashed: Word::hinted("page.hashed", i, 0),
            nrm: Nrm {
                cell: AtomicU32::new("page.p_nrm", i, 0),
                ghost: Cell::new(0),
            },
            mlist,
            hments,
            mapped: AtomicU32::new("page.mapped", i, 0),
            pfn: PFN_BASE + u64::from(i),
            written: GhostBool::new(false),
            io: IoLock::new(IOLOCK, i),
            free: Word::hinted("page.free", i, 0),
            lckcnt: Cell::new(0),
            cowcnt: Cell::new(0),
            vn,
            incarnation: GhostU64::new(0),
        }
    }

    /// How many times the page got an identity (ghost, for checks: a
    /// write to an earlier identity is not this one's).
    pub fn incarnation(&self) -> u64 {
        self.incarnation.load(SeqCst)
    }

    /// The page's index (`p_pagenum - PFN_BASE`).
    fn index(&self) -> usize {
        (self.pfn - PFN_BASE) as usize
    }

    /// The page's vnode state, in a world with vnodes.
    pub fn vnode(&self) -> Option<&Arc<VnodeState>> {
        self.vn.as_ref()
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

    /// `hati_sync_pte_to_page`: the REF/MOD bits of the invalidated entry
    /// `pte` into `p_nrm` with `hat_page_setattr` (no page lock).
    pub fn sync_pte(&self, pte: u64) {
        let rm =
            if pte & PT_REF != 0 { P_REF } else { 0 } | if pte & PT_MOD != 0 { P_MOD } else { 0 };
        if rm != 0 {
            self.setattr(rm);
        }
    }

    /// `hat_page_setattr(pp, flag)` (hat_i86.c): ORs `flag` into
    /// `p_nrm`. Setting MOD on a page of a `VMODSORT` vnode (unless
    /// `P_NSH`) does it under the vnode page mutex and moves the page to
    /// the tail of the ring, where the modified pages are, if it is not
    /// the only entry (a ring must not go empty under an unlocked
    /// reader). Elsewhere it is the plain atomic OR (`PP_SETRM`): the
    /// seed's early return when the bits are already set changes nothing
    /// there, and is left out.
    pub(crate) fn setattr(&self, flag: u32) {
        let noshuffle = flag & P_NSH != 0;
        let flag = flag & !P_NSH;
        let Some(vn) = self
            .vn
            .as_ref()
            .filter(|v| v.modsort && flag & P_MOD != 0 && !noshuffle)
        else {
            self.nrm.fetch_or(flag, Relaxed);
            return;
        };
        if self.nrm.load(Relaxed) & flag == flag {
            return;
        }
        vn.vphm.enter();
        self.nrm.fetch_or(flag, Relaxed);
        let me = Entry::Page(self.index());
        vn.ring(|r| {
            if r.contains(me) && r.next(me) != me {
                r.sub(me);
                let slot = r.tail_slot();
                r.add(slot, me);
            }
        });
        vn.vphm.exit();
    }
}

impl Pages {
    /// The file pages of `universe`.
    pub fn new(universe: PageUniverse) -> Self {
        let n = u64::from(universe.vnodes) * universe.blocks * PER_BLOCK;
        Pages {
            universe,
            pages: (0..n as u32).map(|i| Page::new(i, None)).collect(),
            vnodes: Vec::new(),
            pstruct: KMutex::new(PSTRUCT, 0),
        }
    }

    /// The file pages of `universe`, with each vnode's page ring and
    /// `VVMLOCK` modelled (`VMODSORT` vnodes if `modsort`).
    pub fn with_vnodes(universe: PageUniverse, modsort: bool) -> Self {
        let vnodes: Vec<Arc<VnodeState>> = (1..=universe.vnodes)
            .map(|v| Arc::new(VnodeState::new(Vnode(v), modsort)))
            .collect();
        let per_vnode = universe.blocks * PER_BLOCK;
        let n = u64::from(universe.vnodes) * per_vnode;
        Pages {
            universe,
            pages: (0..n as u32)
                .map(|i| Page::new(i, Some(vnodes[(u64::from(i) / per_vnode) as usize].clone())))
                .collect(),
            vnodes,
            pstruct: KMutex::new(PSTRUCT, 0),
        }
    }

    /// `n` frames with no identity.
    pub fn frames(n: u32) -> Self {
        Pages {
            universe: PageUniverse::default(),
            pages: (0..n).map(|i| Page::new(i, None)).collect(),
            vnodes: Vec::new(),
            pstruct: KMutex::new(PSTRUCT, 0),
        }
    }

    /// The state of vnode `vp` (a world built [`Pages::with_vnodes`]).
    pub fn vnode(&self, vp: Vnode) -> &Arc<VnodeState> {
        self.vnodes
            .get((vp.0 as usize).wrapping_sub(1))
            .unwrap_or_else(|| panic!("{vp:?}: no vnode state in this world"))
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

    /// `PP_ISFREE` of a page the caller holds locked: not in the page
    /// cache, or (worlds with vnodes) on the cachelist.
    pub fn is_free(&self, pp: usize) -> bool {
        let p = &self.pages[pp];
        !p.is_hashed() || (p.vn.is_some() && p.free.hint() != 0)
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
    /// In a world with vnodes a free page is reclaimed (`page_reclaim`,
    /// with the page exclusive; a shared lookup downgrades after).
    pub fn lookup(&self, vp: u64, off: u64, se: Se) -> Option<usize> {
        let pp = self.index(vp, off)?;
        let p = &self.pages[pp];
        loop {
            if p.hashed.hint() == 0 {
                return None;
            }
            let reclaim = p.vn.is_some() && p.free.hint() != 0;
            let mode = if reclaim { Se::Excl } else { se };
            p.lock.page_lock(mode, None);
            if !p.is_hashed() {
                // Freed while we waited for its lock.
                p.lock.page_unlock();
                return None;
            }
            if p.vn.is_none() || p.free.hint() == 0 {
                return Some(pp);
            }
            if mode == Se::Excl {
                p.free.write(0, &[]);
                if se == Se::Shared {
                    p.lock.page_downgrade();
                }
                return Some(pp);
            }
            // Freed between the look and the shared lock: reclaim it
            // exclusive.
            p.lock.page_unlock();
            model::sync::retry();
        }
    }

    /// `page_lookup_nowait(vp, off, se)`: as `lookup`, but only tries the
    /// page lock and never returns a free page; `busy` runs when the try
    /// fails.
    pub fn lookup_nowait(&self, vp: u64, off: u64, se: Se, busy: impl FnOnce()) -> Option<usize> {
        let pp = self.index(vp, off)?;
        let p = &self.pages[pp];
        let paged = p.vn.is_some();
        if p.hashed.hint() == 0 || (paged && p.free.hint() != 0) {
            return None;
        }
        if !p.lock.page_trylock(se) {
            busy();
            return None;
        }
        if p.is_hashed() && !(paged && p.free.hint() != 0) {
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
    /// exclusive and hashed (created unless a racing creator did; a free
    /// page is reclaimed).
    pub fn create(&self, vp: u64, off: u64) -> usize {
        let pp = self.index(vp, off).unwrap_or_else(|| {
            panic!("page_create_va: (vp {vp}, off {off:#x}) outside the page universe")
        });
        let p = &self.pages[pp];
        p.lock.page_lock(Se::Excl, None);
        if !p.is_hashed() {
            self.hashin(pp);
        } else if p.vn.is_some() && p.free.hint() != 0 {
            p.free.write(0, &[]);
        }
        pp
    }

    /// `page_create_va(vp, off, PAGESIZE, PG_EXCL, ...)`: the page, locked
    /// exclusive and hashed, unless it exists (then `None`). `wait`
    /// (`PG_WAIT`) blocks for the page's lock; without it a page another
    /// thread still holds counts as existing (illumos takes a free page
    /// off the free list with a try; here the page of (vnode, offset) is
    /// always the same `Page`, which the thread that just destroyed it
    /// may still hold).
    pub fn create_excl(&self, vp: u64, off: u64, wait: bool) -> Option<usize> {
        let pp = self.index(vp, off)?;
        let p = &self.pages[pp];
        if p.hashed.hint() != 0 {
            return None;
        }
        if wait {
            p.lock.page_lock(Se::Excl, None);
        } else if !p.lock.page_trylock(Se::Excl) {
            return None;
        }
        if p.is_hashed() {
            p.lock.page_unlock();
            return None;
        }
        self.hashin(pp);
        Some(pp)
    }

    /// `page_hashin`: gives the page (held exclusive) its identity, clean,
    /// and in a world with vnodes puts it at the head of its vnode's ring
    /// under the vnode page mutex.
    fn hashin(&self, pp: usize) {
        let p = &self.pages[pp];
        p.set_hashed(true);
        p.nrm.store(0, Relaxed);
        p.written.store(false, SeqCst);
        p.incarnation.fetch_add(1, SeqCst);
        if let Some(vn) = &p.vn {
            p.free.write(0, &[]);
            vn.vphm.enter();
            vn.ring(|r| r.add(Slot::Head, Entry::Page(pp)));
            vn.vphm.exit();
        }
    }

    /// `page_hashout`: takes the page (held exclusive) out of the page
    /// cache, and off its vnode's ring under the vnode page mutex.
    fn hashout(&self, pp: usize) {
        let p = &self.pages[pp];
        if let Some(vn) = &p.vn {
            vn.vphm.enter();
            vn.ring(|r| r.sub(Entry::Page(pp)));
            vn.vphm.exit();
        }
        p.set_hashed(false);
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

    /// `page_release(pp, checkmod)` as vm_page.c has it, for a page the
    /// caller holds in mode `held`, with its HAT's `hat_page_is_mapped`
    /// (`mapped`) and `hat_ismod` (`ismod`): if the page is unmapped, is
    /// (or, held shared, upgrades to) exclusive, is not locked in memory
    /// and is still unmapped, a modified one (`checkmod`) is unlocked
    /// (PGREL_MOD) and a clean one goes to `dispose` (`VN_DISPOSE(B_FREE)`,
    /// which frees and unlocks it: PGREL_CLEAN); otherwise it is unlocked
    /// (PGREL_NOTREL). [`Pages::release`] is the short form segmap uses
    /// (its caller holds the page exclusive and asked its HAT already).
    pub fn page_release(
        &self,
        pp: usize,
        held: Se,
        checkmod: bool,
        mapped: impl Fn() -> bool,
        ismod: impl FnOnce() -> bool,
        dispose: impl FnOnce(),
    ) -> Release {
        let p = &self.pages[pp];
        p.held(false, "page_release");
        let excl = !mapped() && (held == Se::Excl || p.lock.page_tryupgrade());
        if excl && !self.locked_in_memory(pp) && !mapped() {
            if checkmod && ismod() {
                p.lock.page_unlock();
                return Release::Mod;
            }
            dispose();
            return Release::Clean;
        }
        p.lock.page_unlock();
        Release::NotRel
    }

    /// `page_free(pp, dontneed)` of a page the caller holds exclusive and
    /// has unmapped: freed ([`VM_PAGE_MAPPED`] if a hment still maps it; a
    /// page locked in memory is a `PANIC`, as in illumos) and unlocked.
    pub fn free(&self, pp: usize) {
        let p = &self.pages[pp];
        p.held(true, "page_free");
        Self::unmapped(pp, p);
        self.page_free(pp);
        p.lock.page_unlock();
    }

    /// `page_free` of a page the caller holds exclusive: onto the
    /// cachelist, still hashed, in a world with vnodes; out of the page
    /// cache elsewhere (no free lists; the caller unlocks it).
    fn page_free(&self, pp: usize) {
        let p = &self.pages[pp];
        let (lck, cow) = (p.lckcnt.load(SeqCst), p.cowcnt.load(SeqCst));
        if lck != 0 || cow != 0 {
            // vm_page.c's page_free panics: the caller broke its contract.
            fail(
                PANIC,
                format!(
                    "page_free of page {pp} with p_lckcnt {lck}, p_cowcnt {cow} by thread {}",
                    exec::tid()
                ),
            );
        }
        if p.vn.is_some() {
            p.free.write(1, &[]);
        } else {
            p.set_hashed(false);
        }
    }

    /// `page_destroy(pp, 0)` of a page the caller holds exclusive and whose
    /// translations `unload` removes (`hat_pageunload`): out of the page
    /// cache and off its ring, freed without identity, unlocked.
    pub fn destroy(&self, pp: usize, unload: impl FnOnce()) {
        let p = &self.pages[pp];
        p.held(true, "page_destroy");
        unload();
        Self::unmapped(pp, p);
        self.hashout(pp);
        self.page_free(pp);
        p.lock.page_unlock();
    }

    /// `page_destroy_free(pp)` of a free page the caller holds exclusive
    /// (on the cachelist, so unmapped): off its ring and out of the page
    /// cache; it stays free, now without identity; unlocked.
    pub fn destroy_free(&self, pp: usize) {
        let p = &self.pages[pp];
        p.held(true, "page_destroy_free");
        assert!(self.is_free(pp), "page_destroy_free of page {pp}, not free");
        Self::unmapped(pp, p);
        self.hashout(pp);
        p.lock.page_unlock();
    }

    /// `page_pp_lock` (`p_lckcnt++`, `cow` for `p_cowcnt`) of a page the
    /// caller holds locked, under `page_struct_lock`.
    pub fn pp_lock(&self, pp: usize, cow: bool) {
        let p = &self.pages[pp];
        p.held(false, "page_pp_lock");
        self.pstruct.enter();
        let c = if cow { &p.cowcnt } else { &p.lckcnt };
        c.fetch_add(1, SeqCst);
        self.pstruct.exit();
    }

    /// `page_pp_unlock`: undoes [`Pages::pp_lock`].
    pub fn pp_unlock(&self, pp: usize, cow: bool) {
        let p = &self.pages[pp];
        p.held(false, "page_pp_unlock");
        self.pstruct.enter();
        let c = if cow { &p.cowcnt } else { &p.lckcnt };
        c.fetch_sub(1, SeqCst);
        self.pstruct.exit();
    }

    /// `pp->p_lckcnt != 0 || pp->p_cowcnt != 0` of a page the caller holds
    /// exclusive (no `page_struct_lock` needed then, vm_pvn.c:589-594).
    pub fn locked_in_memory(&self, pp: usize) -> bool {
        let p = &self.pages[pp];
        p.held(true, "p_lckcnt read");
        p.lckcnt.load(SeqCst) != 0 || p.cowcnt.load(SeqCst) != 0
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

    /// `(p_lckcnt, p_cowcnt)` (ghost, for checks).
    pub fn peek_lockcounts(&self, pp: usize) -> (u32, u32) {
        let p = &self.pages[pp];
        (p.lckcnt.load(SeqCst), p.cowcnt.load(SeqCst))
    }

    /// Whether page `pp` is hashed, and (worlds with vnodes) free (ghost).
    pub fn peek_state(&self, pp: usize) -> (bool, bool) {
        let p = &self.pages[pp];
        (p.hashed.peek() != 0, p.free.peek() != 0)
    }

    /// `p_nrm` (ghost, for checks).
    pub fn peek_nrm(&self, pp: usize) -> u32 {
        self.pages[pp].nrm.peek()
    }

    /// `hat_page_getattr(pp, mask)`: `p_nrm & mask`, no lock.
    pub fn getattr(&self, pp: usize, mask: u32) -> u32 {
        self.pages[pp].nrm.load(Relaxed) & mask
    }

    /// `hat_setmod_only(pp)`: MOD set without moving the page on its ring
    /// (`hat_page_setattr(pp, P_MOD | P_NSH)`).
    pub fn setmod_only(&self, pp: usize) {
        self.pages[pp].setattr(P_MOD | P_NSH);
    }

    /// `hat_page_clrattr(pp, P_REF | P_MOD)` on `p_nrm` (the caller's HAT
    /// write-protects a `VMODSORT` page's mappings after).
    pub fn clear_refmod(&self, pp: usize) {
        self.pages[pp].nrm.fetch_and(!(P_REF | P_MOD), Relaxed);
    }

    /// Whether page `pp` belongs to a `VMODSORT` vnode.
    pub fn vmodsort(&self, pp: usize) -> bool {
        self.pages[pp].vn.as_ref().is_some_and(|v| v.modsort)
    }

    /// `hat_setmod` / `hat_setrefmod` on a page the caller holds
    /// (`hat_page_setattr(pp, P_MOD)`: a page of a `VMODSORT` vnode moves
    /// to the tail of its ring).
    pub fn setmod(&self, pp: usize) {
        let p = &self.pages[pp];
        p.held(false, "hat_setmod");
        p.setattr(P_MOD);
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
