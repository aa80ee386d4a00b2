//! The pvn world: one file (vnode 1) whose pages the VM layer keeps with
//! their ring, a HAT that maps page `i` at the range's page `i`, the file
//! system stand-ins' configuration, the I/O completion actor, and the
//! ghost record the checks compare with.
//!
//! Lock keys used in field docs (the VM layer's are in `crate::vm`):
//! (L) `v_lock`; (V) the vnode page mutex; (P) the page lock; (I) the
//! page's I/O lock; (c) constant; (g) ghost, read only by checks.

use super::ghost::Ghost;
use crate::htable::{Config as HtableConfig, X86Hat};
use crate::vm::hat::Hat;
use crate::vm::kmap::KHat;
use crate::vm::page::{PageUniverse, Pages};
use crate::vm::param::{MAXBSIZE, PAGESIZE};
use crate::vm::vnode::{Vnode, VnodeState};
use model::machine::MmuConfig;
use model::sync::Callouts;
use std::sync::{Arc, Mutex, MutexGuard, Weak};

/// `b_flags` / putpage flags (buf.h; values are the model's).
pub const B_ASYNC: u32 = 0x001;
pub const B_INVAL: u32 = 0x002;
pub const B_FREE: u32 = 0x004;
pub const B_DONTNEED: u32 = 0x008;
pub const B_DELWRI: u32 = 0x010;
pub const B_TRUNC: u32 = 0x020;
pub const B_FORCE: u32 = 0x040;
pub const B_ERROR: u32 = 0x080;
/// `B_WRITE` is 0 in buf.h: a write is the absence of `B_READ`.
pub const B_WRITE: u32 = 0;

/// `EAGAIN`, `EIO`.
pub const EAGAIN: i32 = 11;
pub const EIO: i32 = 5;

/// The vnode the world's file is.
pub const VP: Vnode = Vnode(1);

/// Free memory as `pvn_write_done` sees it (`freemem < lotsfree +
/// pages_before_pager`, vm_pvn.c:384-387), fixed for a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Memory {
    Plenty,
    /// Write-backs free their pages when they complete (`write_free`).
    Low,
}

/// Which HAT maps the file's pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HatKind {
    /// The kmap stand-in (`crate::vm::kmap::KHat`): fixed page tables, no
    /// mapping lists.
    Kmap,
    /// The htable port (`crate::htable::X86Hat`): hments under the
    /// mapping-list mutex, `hat_pageunload` / `hat_pagesync` /
    /// `hati_page_clrwrt` of hat_i86.c.
    X86,
}

/// Fixes of the findings (see CHECKS.md, "pvn", Findings). The default is
/// the seed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Fixes {
    /// Finding V1: on a `VMODSORT` vnode a failed write sets MOD again
    /// (`hat_setmod_only`, the page left where it is, vm_pvn.c:431) with
    /// the vnode page mutex held, as a successful write's completion takes
    /// it (406-412). The early exit reads MOD, then the I/O lock, under
    /// that mutex (841), so it can no longer see the failure half done: a
    /// dirty page looking clean and idle. (Moving the page to the tail, as
    /// `hat_setmod` would, is wrong: a walk that waited for the write
    /// would no longer meet it before its early exit.)
    pub error_setmod_locked: bool,
    /// Finding V2: the `VMODSORT` early exit (vm_pvn.c:839-870) stops only
    /// while its end marker is still the tail of the ring; a page moved
    /// behind it during the walk (`hat_page_setattr` moves a page that is
    /// already modified when it syncs REF with MOD; `pvn_vplist_setdirty`
    /// moves pages whatever their state) may carry writes from before the
    /// walk, so the walk passes the clean page instead and goes round to
    /// it.
    pub exit_at_tail_only: bool,
    /// Not a fix (a rejected one, kept as a negative control): the early
    /// exit reads the I/O lock before MOD. A write-back that starts
    /// between the two reads (`pvn_getdirty` takes the I/O lock, then
    /// clears MOD, without the vnode page mutex) makes its page look clean
    /// and idle.
    pub exit_iolock_first: bool,
}

impl Fixes {
    /// Every fix (not the rejected one).
    pub const ALL: Fixes = Fixes {
        error_setmod_locked: true,
        exit_at_tail_only: true,
        exit_iolock_first: false,
    };
}

/// The world's shape and the file system stand-ins' behaviour.
#[derive(Clone, Copy, Debug)]
pub struct PvnConfig {
    /// Pages of the file (offsets `0..npages` pages), 1 to 4.
    pub npages: u32,
    /// `IS_VMODSORT(vp)`.
    pub modsort: bool,
    pub memory: Memory,
    /// Pages (bit `i`: page `i`) whose every write fails (`B_ERROR`).
    pub failing: u64,
    /// The putapage stand-in's kluster: the block of this many pages
    /// around the page is what `pvn_write_kluster` may add (1: none).
    pub kluster: u32,
    pub cpus: usize,
    pub hat: HatKind,
    /// Whether asynchronous writes complete on an I/O actor (a callout
    /// thread: one more model thread).
    pub io_actor: bool,
    pub fixes: Fixes,
}

impl PvnConfig {
    /// `npages` pages on the kmap HAT, one CPU, plenty of memory, no
    /// failing I/O, no klustering, no I/O actor.
    pub fn new(npages: u32) -> Self {
        PvnConfig {
            npages,
            modsort: false,
            memory: Memory::Plenty,
            failing: 0,
            kluster: 1,
            cpus: 1,
            hat: HatKind::Kmap,
            io_actor: false,
            fixes: Fixes::default(),
        }
    }
}

/// An I/O in flight (`buf_t`): its pages (ascending offsets), flags, and
/// identity in the ghost record.
#[derive(Clone, Debug)]
pub(crate) struct Io {
    pub(crate) pages: Vec<usize>,
    pub(crate) flags: u32,
    pub(crate) id: u64,
    pub(crate) fails: bool,
}

/// The pvn world.
pub struct Pvn {
    /// (c) its configuration.
    pub(crate) cfg: PvnConfig,
    /// (c) whether the invariants are checked after every operation.
    pub(crate) each_op: bool,
    /// (c) the pages (the VM layer's).
    pub(crate) pages: Arc<Pages>,
    /// (c) the file's vnode: ring, `VVMLOCK`, `v_cv`.
    pub(crate) vn: Arc<VnodeState>,
    /// (c) the HAT.
    pub(crate) hat: Arc<dyn Hat>,
    /// (c) the I/O completion actor, if any.
    pub(crate) io: Option<Callouts>,
    /// (c) this world, for the completion callouts.
    pub(crate) me: Weak<Pvn>,
    /// (g) see [`Ghost`].
    pub(crate) ghost: Arc<Mutex<Ghost>>,
}

impl Pvn {
    /// The world of `cfg`: the file's pages (none in memory yet), its HAT
    /// with `cfg.cpus` CPUs, the I/O actor. Must run inside the execution
    /// that uses it, before other threads start.
    pub fn new(cfg: PvnConfig) -> Arc<Pvn> {
        assert!((1..=4).contains(&cfg.npages), "pvn: 1 to 4 pages");
        let per_block = (MAXBSIZE / PAGESIZE) as u32;
        let pages = Arc::new(Pages::with_vnodes(
            PageUniverse {
                vnodes: 1,
                blocks: u64::from(cfg.npages.div_ceil(per_block)),
                holes: 0,
            },
            cfg.modsort,
        ));
        let hat: Arc<dyn Hat> = match cfg.hat {
            HatKind::Kmap => Arc::new(KHat::new(u64::from(cfg.npages), cfg.cpus, pages.clone())),
            HatKind::X86 => Arc::new(X86Hat::boot(
                x86_config(cfg.npages, cfg.cpus),
                pages.clone(),
                u64::from(cfg.npages),
            )),
        };
        let ghost = Arc::new(Mutex::new(Ghost::new(pages.count())));
        let (g, p) = (ghost.clone(), pages.clone());
        hat.mmu().observe_writes(Box::new(move |cpu, pfn| {
            Ghost::landed(&g, &p, cpu, p.pfn_index(pfn));
        }));
        let vn = pages.vnode(VP).clone();
        Arc::new_cyclic(|me| Pvn {
            cfg,
            each_op: model::exec::step_checks(),
            pages,
            vn,
            hat,
            io: cfg.io_actor.then(Callouts::start),
            me: me.clone(),
            ghost,
        })
    }

    pub(crate) fn g(&self) -> MutexGuard<'_, Ghost> {
        self.ghost.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The machine address of page `pp` (the range maps page `i` at its
    /// page `i`).
    pub(crate) fn va(&self, pp: usize) -> u64 {
        self.hat.base() + pp as u64 * PAGESIZE
    }

    /// `pp->p_offset`.
    pub(crate) fn offset(&self, pp: usize) -> u64 {
        self.pages.identity(pp).1
    }

    /// The page of offset `off` of the file.
    pub(crate) fn page_at(&self, off: u64) -> usize {
        self.pages
            .index(u64::from(VP.0), off)
            .unwrap_or_else(|| panic!("offset {off:#x} is outside the file"))
    }

    /// The world's configuration.
    pub fn config(&self) -> &PvnConfig {
        &self.cfg
    }

    /// The HAT (for scenarios that look at it).
    pub fn hat(&self) -> &Arc<dyn Hat> {
        &self.hat
    }
}

/// The x86 HAT's world for `npages` kernel pages on `cpus` CPUs: two
/// levels, the user half and the kernel half of the address space, two
/// entries per table for up to two pages, four above.
fn x86_config(npages: u32, cpus: usize) -> HtableConfig {
    HtableConfig {
        hats: 2,
        htables: 6,
        ptables: 4,
        mmu: MmuConfig {
            cpus,
            tables: 5,
            entry_bits: if npages <= 2 { 1 } else { 2 },
            ..MmuConfig::default()
        },
        ..HtableConfig::default()
    }
}
