//! The MMU: page tables in an arena, CPUs that walk them, fill their
//! caches and set REF/MOD, and the shootdown that empties those caches.

use super::cell::Pte;
use super::coherence::Operations;
use super::pte::PT_WRITABLE;
use super::pte::{pte_pfn, pte_valid, ptp_child, PAGESHIFT, PT_MOD, PT_PAGESIZE, PT_REF};
use super::tlb::{Cached, Tlb};
use crate::check::{fail, MMU_STALE_TLB, PANIC};
use crate::exec::{self, cover, Tid};
use crate::kernel::{Arena, Handle};
use crate::sync::retry;
use crate::trace::Op;
use std::panic::Location;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

type Site = &'static Location<'static>;

/// The shape of the modelled machine. Keep it tiny: every entry, cache
/// slot and table is a modelled object.
#[derive(Clone, Copy, Debug)]
pub struct MmuConfig {
    /// Page-table levels (1..=3); level 0 holds leaf entries.
    pub levels: u32,
    /// log2 of entries per table (1..=2: 2 or 4 entries).
    pub entry_bits: u32,
    pub cpus: usize,
    /// Leaf translations each CPU caches (at least 1).
    pub tlb_entries: usize,
    /// Paging-structure entries (links) each CPU caches (at least 1).
    pub psc_entries: usize,
    /// Capacity of the page-table arena, the top table included.
    pub tables: usize,
}

impl Default for MmuConfig {
    /// Two levels of two entries, one CPU with one-entry caches, room for
    /// three tables.
    fn default() -> Self {
        MmuConfig {
            levels: 2,
            entry_bits: 1,
            cpus: 1,
            tlb_entries: 1,
            psc_entries: 1,
            tables: 3,
        }
    }
}

/// How a write through a cached translation whose dirty bit is clear sets
/// MOD in the PTE; the run parameter `hw-mod` (`checked`, the default, or
/// `blind`).
///
/// x86 processors re-walk and set the dirty bit with a locked operation
/// that faults if the entry no longer allows the write; `Checked` models
/// that. `Blind` models hardware that ORs MOD into the entry the
/// translation came from whatever it now holds: the case `x86pte_update`
/// guards against when it re-checks MOD after write-protecting an entry
/// (htable.c:2306-2324). A blind OR through a stale translation into a
/// freed table is a reported use after free.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HwMod {
    Checked,
    Blind,
}

/// Why an access did not translate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// An entry on the walk is not valid.
    NotPresent,
    /// A write to a read-only page.
    Protection,
}

/// What `hat_tlb_inval` invalidates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Demap {
    /// One address: its leaf translation and every cached link covering it.
    Va(u64),
    /// Everything (`DEMAP_ALL_ADDR`).
    All,
}

/// A page table: its level and its entries.
#[derive(Debug)]
pub struct PageTable {
    /// (c) 0 for a table of leaf entries.
    pub(super) level: u32,
    /// (a) the entries, see [`Pte`].
    entries: Vec<Pte>,
}

impl PageTable {
    pub fn level(&self) -> u32 {
        self.level
    }

    /// Entry `i`.
    pub fn pte(&self, i: usize) -> &Pte {
        &self.entries[i]
    }
}

/// The machine: page tables allocated from an arena (class `mmu.ptable`),
/// a top table, and CPUs with their translation caches.
///
/// Modelled state: every PTE and every cache slot is a facade atomic; each
/// CPU's accesses and flushes are serialized by its interlock (see
/// [`Tlb`]). Ghost state: a mirror of each CPU's caches, which the
/// [`MMU_STALE_TLB`] checks read without adding scheduling points.
///
/// Deviations from x86: no large pages, no PCIDs or global pages; an
/// `INVLPG` flushes only the links covering its address (x86 may flush
/// more); links carry REF and MOD from creation, so the MMU never writes
/// them (htable.c:2157-2160); a page fault drops the address's leaf
/// translation but keeps cached links.
pub struct Mmu {
    pub(super) cfg: MmuConfig,
    hw_mod: HwMod,
    pub(super) tables: Arena<PageTable>,
    /// (c) the top-level table.
    pub(super) top: Handle,
    pub(super) cpus: Vec<Tlb>,
    /// Ghost: tables created so far, to name their entries in traces.
    serial: AtomicU32,
    /// Ghost: the operations software threads are inside, see
    /// [`Mmu::operation`].
    pub(super) ops: Operations,
    /// Ghost: told of every write that lands, see [`Mmu::observe_writes`].
    writes: Mutex<Vec<WriteObserver>>,
}

/// Told, with the CPU and the frame, of every write an access lands.
pub type WriteObserver = Box<dyn Fn(usize, u64) + Send + Sync>;

impl std::fmt::Debug for Mmu {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "mmu {:?} hw-mod {:?}", self.cfg, self.hw_mod)
    }
}

impl Mmu {
    /// A machine shaped by `cfg`, with an empty top table; reads the run
    /// parameter `hw-mod`.
    pub fn new(cfg: MmuConfig) -> Arc<Self> {
        let valid = (1..=3).contains(&cfg.levels)
            && (1..=2).contains(&cfg.entry_bits)
            && cfg.cpus >= 1
            && cfg.tlb_entries >= 1
            && cfg.psc_entries >= 1
            && cfg.tables >= 1;
        if !valid {
            fail(PANIC, format!("unsupported MMU configuration {cfg:?}"));
        }
        let hw_mod = match exec::param("hw-mod").as_deref() {
            None | Some("checked") => HwMod::Checked,
            Some("blind") => HwMod::Blind,
            Some(p) => fail(PANIC, format!("hw-mod={p}: expected checked or blind")),
        };
        let tables = Arena::new("mmu.ptable", cfg.tables);
        let serial = AtomicU32::new(0);
        let top = new_table(&tables, &serial, cfg.entry_bits, cfg.levels - 1);
        Arc::new(Mmu {
            cfg,
            hw_mod,
            tables,
            top,
            cpus: (0..cfg.cpus)
                .map(|c| Tlb::new(c as u32, cfg.entry_bits, cfg.tlb_entries, cfg.psc_entries))
                .collect(),
            serial,
            ops: Operations::default(),
            writes: Mutex::new(Vec::new()),
        })
    }

    /// Adds `f` to the ghost observers of writes: every write an access
    /// lands calls `f(cpu, frame)` at the step the store happens (with the
    /// CPU's interlock held, so no shootdown and no other step of that CPU
    /// comes between the store and the call). Checks that compare writes
    /// with what software did afterwards (a write-back that must include
    /// it, a MOD bit that must record it) need exactly that order. Ghost:
    /// `f` must not touch modelled state, nor add an observer.
    pub fn observe_writes(&self, f: WriteObserver) {
        self.writes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(f);
    }

    pub fn config(&self) -> &MmuConfig {
        &self.cfg
    }

    pub fn hw_mod(&self) -> HwMod {
        self.hw_mod
    }

    /// The top-level table.
    pub fn top(&self) -> Handle {
        self.top
    }

    /// Allocates an empty table of `level` (`htable_alloc`'s page).
    #[track_caller]
    pub fn alloc_table(&self, level: u32) -> Handle {
        new_table(&self.tables, &self.serial, self.cfg.entry_bits, level)
    }

    /// The table `h` (a use: [`crate::check::MEM_UAF`] if it was freed).
    #[track_caller]
    pub fn table(&self, h: Handle) -> Arc<PageTable> {
        self.tables.get(h)
    }

    /// Table `h` if it is live, from ghost state (no scheduling point, no
    /// use): for checks that read PTEs with [`Pte::peek`](super::Pte::peek).
    pub fn peek_table(&self, h: Handle) -> Option<Arc<PageTable>> {
        self.tables.peek(h)
    }

    /// Frees table `h` (`htable_free` giving the page back). Fails
    /// [`MMU_STALE_TLB`] if any CPU still caches a link to it or an entry
    /// read from it, or is walking through it: software must have unlinked
    /// it and shot down the caches first (H5, htable.c:1098-1109).
    #[track_caller]
    pub fn free_table(&self, h: Handle) {
        let site = Location::caller();
        if let Some(why) = self.cpus.iter().find_map(|c| c.through(h)) {
            fail(
                MMU_STALE_TLB,
                format!(
                    "table {h} freed at {} by thread {} while {why}",
                    short(site),
                    exec::tid()
                ),
            );
        }
        self.tables.free(h);
    }

    /// Asserts that no CPU caches a translation to page `pfn`, before
    /// software reuses the page: after the PTE was invalidated and the
    /// shootdown returned, none may remain (H5, htable.c:2273-2274).
    #[track_caller]
    pub fn assert_untranslated(&self, pfn: u64) {
        let site = Location::caller();
        if let Some(why) = self.cpus.iter().find_map(|c| c.translating(pfn)) {
            fail(
                MMU_STALE_TLB,
                format!(
                    "page {pfn:#x} released at {} by thread {} while {why}",
                    short(site),
                    exec::tid()
                ),
            );
        }
    }

    /// The leaf entry the current tables give `va`, walked from the top
    /// on ghost state (no scheduling point); `None` if no valid entry maps
    /// it. For checks of what software left mapped (devmap's remap).
    pub fn ghost_translation(&self, va: u64) -> Option<u64> {
        let mut h = self.top;
        for level in (0..self.cfg.levels).rev() {
            let e = self.tables.peek(h)?.pte(self.va2entry(va, level)).ghost();
            if !pte_valid(e) {
                return None;
            }
            if level == 0 {
                return Some(e);
            }
            h = ptp_child(e)?;
        }
        None
    }

    /// A translation to frame `pfn` some CPU caches (ghost), if any; an
    /// access still walking is not counted (it has cached nothing yet,
    /// and the coherence check judges what it caches).
    pub fn caching(&self, pfn: u64) -> Option<String> {
        self.cpus.iter().find_map(|c| c.caching(pfn))
    }

    /// What some CPU caches or is walking through table `h` (a link to it
    /// or an entry read from it), as [`Mmu::free_table`] would report it;
    /// `None` if nothing. Ghost: adds no scheduling point, for checks that
    /// must hold before the table is freed (htable.c H5 after
    /// `unlink_ptp`'s shootdown, 1098-1109).
    pub fn cached_through(&self, h: Handle) -> Option<String> {
        self.cpus.iter().find_map(|c| c.through(h))
    }

    /// Every leaf translation some CPU caches that was read from entry
    /// `entry` of `table`: the cached entry and a description. Ghost, for
    /// checks after a shootdown (H5 after `x86pte_set`, `x86pte_inval`,
    /// `x86pte_update`, htable.c:2147-2148, 2273-2274, 2304).
    pub fn cached_leaves(&self, table: Handle, entry: u32) -> Vec<(u64, String)> {
        self.cpus
            .iter()
            .flat_map(|c| c.leaves_from(table, entry))
            .collect()
    }

    /// The index of `va`'s entry in a table of `level` (`htable_va2entry`).
    pub fn va2entry(&self, va: u64, level: u32) -> usize {
        let per = (1u64 << self.cfg.entry_bits) - 1;
        (((va >> PAGESHIFT) >> (level * self.cfg.entry_bits)) & per) as usize
    }

    /// `hat_tlb_inval`: flushes `what` on every CPU, each between two of
    /// its accesses (see [`Tlb`]); needs none of the caller's locks.
    #[track_caller]
    pub fn hat_tlb_inval(&self, what: Demap) {
        let site = Location::caller();
        let _f = crate::exec::call("hat_tlb_inval", "hat_i86.c (stand-in)");
        for cpu in &self.cpus {
            cpu.lock();
            cpu.flush(what, site);
            cpu.unlock();
        }
    }

    /// CPU `cpu` reads (or writes) `va`: returns the page frame it reaches.
    ///
    /// A cached translation is used as is, except that a write needs
    /// write permission and, if its cached dirty bit is clear, sets MOD in
    /// the PTE as [`HwMod`] says. Otherwise the CPU walks from its deepest
    /// cached link covering `va`, or from the top table, caching every link
    /// it reads; at the leaf it sets REF (and MOD for a write) with a
    /// compare-and-swap that lands only while the entry still allows the
    /// access, then caches the translation.
    #[track_caller]
    pub fn access(&self, cpu: usize, va: u64, write: bool) -> Result<u64, Fault> {
        let site = Location::caller();
        let vpn = va >> PAGESHIFT;
        if vpn >> (self.cfg.levels * self.cfg.entry_bits) != 0 {
            fail(PANIC, format!("va {va:#x} is outside the modelled space"));
        }
        let tlb = &self.cpus[cpu];
        tlb.lock();
        let r = self.translate(tlb, vpn, write, site);
        if let (true, Ok(pfn)) = (write, r) {
            let observers = self.writes.lock().unwrap_or_else(|e| e.into_inner());
            for f in observers.iter() {
                f(cpu, pfn);
            }
        }
        if let Err((f, pte)) = r {
            cover(match f {
                Fault::NotPresent => "mmu.fault-not-present",
                Fault::Protection => "mmu.fault-protection",
            });
            tlb.drop_leaf(vpn, site);
            tlb.trace(Op::Fault, va, pte, site);
        }
        tlb.unlock();
        r.map_err(|(f, _)| f)
    }

    fn translate(&self, tlb: &Tlb, vpn: u64, write: bool, site: Site) -> Result<u64, (Fault, u64)> {
        let va = vpn << PAGESHIFT;
        if let Some(hit) = tlb.lookup_leaf(vpn) {
            tlb.trace(Op::TlbHit, va, hit.pte, site);
            cover("mmu.tlb-hit");
            if !write || hit.pte & PT_MOD != 0 {
                return self.permit(hit.pte, write);
            }
            if hit.pte & PT_WRITABLE == 0 {
                return Err((Fault::Protection, hit.pte));
            }
            match self.hw_mod {
                // Re-walk: the walk's CAS sets MOD only on an entry that
                // still allows the write.
                HwMod::Checked => {
                    cover("mmu.mod-rewalk");
                    tlb.drop_leaf(vpn, site);
                }
                HwMod::Blind => {
                    cover("mmu.mod-blind");
                    tlb.walking(hit.table);
                    let t = self.tables.get(hit.table);
                    t.pte(hit.entry as usize).hw_fetch_or(PT_MOD);
                    tlb.set_leaf_pte(&hit, hit.pte | PT_MOD);
                    return Ok(pte_pfn(hit.pte));
                }
            }
        }
        self.walk(tlb, vpn, write, site)
    }

    fn permit(&self, pte: u64, write: bool) -> Result<u64, (Fault, u64)> {
        if write && pte & PT_WRITABLE == 0 {
            Err((Fault::Protection, pte))
        } else {
            Ok(pte_pfn(pte))
        }
    }

    fn walk(&self, tlb: &Tlb, vpn: u64, write: bool, site: Site) -> Result<u64, (Fault, u64)> {
        let tid: Tid = exec::tid();
        let cached_link = tlb
            .lookup_link(vpn)
            .and_then(|(l, link)| Some((l - 1, ptp_child(link)?)));
        if cached_link.is_some() {
            cover("mmu.walk-from-link");
        }
        let (mut level, mut table) = cached_link.unwrap_or((self.cfg.levels - 1, self.top));
        tlb.walking(table);
        loop {
            let t = self.tables.get(table);
            let entry = self.va2entry(vpn << PAGESHIFT, level);
            let pte = t.pte(entry);
            let mut e = pte.hw_load();
            if !pte_valid(e) {
                return Err((Fault::NotPresent, e));
            }
            let mut cached = Cached {
                level,
                vpn,
                pte: e,
                table,
                entry: entry as u32,
                tid,
                site,
            };
            if level > 0 {
                if e & PT_PAGESIZE != 0 {
                    fail(PANIC, "large pages are not modelled");
                }
                let Some(child) = ptp_child(e) else {
                    fail(PANIC, format!("valid link {e:#x} with frame 0"));
                };
                table = child;
                tlb.walking(table);
                tlb.fill(cached);
                level -= 1;
                continue;
            }
            tlb.pending(e);
            let want = PT_REF | if write { PT_MOD } else { 0 };
            while e & want != want {
                self.permit(e, write)?;
                let found = pte.hw_cas(e, e | want);
                if found == e {
                    e |= want;
                    break;
                }
                cover("mmu.hw-cas-raced");
                e = found;
                tlb.pending(e);
                if !pte_valid(e) {
                    return Err((Fault::NotPresent, e));
                }
                retry();
            }
            let pfn = self.permit(e, write)?;
            cached.pte = e;
            tlb.fill(cached);
            return Ok(pfn);
        }
    }
}

/// Allocates a table of `level` whose entries are named after the
/// table's serial number (`mmu.pte#serial*16+i`).
#[track_caller]
fn new_table(tables: &Arena<PageTable>, serial: &AtomicU32, bits: u32, level: u32) -> Handle {
    let n = serial.fetch_add(1, Ordering::Relaxed);
    let entries = (0..1u32 << bits).map(|i| Pte::new(n * 16 + i, 0)).collect();
    tables.alloc(PageTable { level, entries })
}

pub(super) fn short(site: Site) -> String {
    format!(
        "{}:{}",
        site.file().rsplit('/').next().unwrap_or(""),
        site.line()
    )
}
