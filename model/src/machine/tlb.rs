//! One CPU's translation caches: leaf translations (the TLB proper) and
//! paging-structure entries (links read from upper-level tables).

use super::Demap;
use crate::exec::{self, Exec, Tid};
use crate::kernel::Handle;
use crate::sync::{AtomicU64, Monitor, Ordering};
use crate::trace::{ObjName, Op};
use std::panic::Location;
use std::sync::{Arc, Mutex, MutexGuard};

type Site = &'static Location<'static>;

/// One cached entry as checks and reports see it (ghost mirror).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cached {
    /// 0 for a leaf translation; `l >= 1` for a link read from a level-`l`
    /// table.
    pub level: u32,
    /// The virtual page number the entry was filled for.
    pub vpn: u64,
    /// The entry as the walk read it (REF/MOD as the MMU left them).
    pub pte: u64,
    /// The table and index it was read from.
    pub table: Handle,
    pub entry: u32,
    /// Who filled it, and where (the `access` call).
    pub tid: Tid,
    pub site: Site,
}

impl std::fmt::Display for Cached {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = if self.level == 0 {
            "translation"
        } else {
            "paging-structure entry"
        };
        let file = self.site.file().rsplit('/').next().unwrap_or("");
        write!(
            f,
            "a {kind} for vpn {:#x} = {:#x} read from table {} entry {} (filled by thread {} at {file}:{})",
            self.vpn,
            self.pte,
            self.table,
            self.entry,
            self.tid,
            self.site.line()
        )
    }
}

/// A cache slot: three words, all read and written under the CPU's
/// interlock only, hence `Relaxed`.
struct Slot {
    /// (I) 0 when empty, else `tag << 8 | level << 1 | 1`.
    tag: AtomicU64,
    /// (I) the cached entry.
    pte: AtomicU64,
    /// (I) where it was read: `table.to_bits() << 8 | entry`.
    loc: AtomicU64,
}

fn tag_word(level: u32, tag: u64) -> u64 {
    (tag << 8) | (u64::from(level) << 1) | 1
}

fn level_of(word: u64) -> u32 {
    ((word >> 1) & 0x7f) as u32
}

/// A leaf hit: the cached entry and where it was read from.
pub(crate) struct Hit {
    slot: usize,
    pub pte: u64,
    pub table: Handle,
    pub entry: u32,
}

#[derive(Default)]
struct Ghost {
    leaf: Vec<Option<Cached>>,
    psc: Vec<Option<Cached>>,
    /// Tables the access in progress reads or has read a link to.
    walking: Vec<Handle>,
    /// A leaf entry the access in progress has read and not yet cached.
    pending: Option<u64>,
}

/// One CPU's caches and its interlock.
///
/// The interlock models that a CPU takes a shootdown IPI only between
/// instructions: an access (look-up, walk, REF/MOD update, fill) and a
/// flush of this CPU never overlap. It is a backend monitor, not a kernel
/// lock: it is held only across the atomics of one access or one flush and
/// never while waiting for anything else, so it cannot take part in a
/// deadlock and has no place in the lock-order tables. `hat_tlb_inval`
/// needs nothing else, in particular none of the caller's locks.
pub(crate) struct Tlb {
    cpu: u32,
    /// log2 of entries per table, to derive tags from a vpn.
    entry_bits: u32,
    interlock: Monitor<bool>,
    leaf: Vec<Slot>,
    psc: Vec<Slot>,
    /// Ghost: a mirror of the slots, for checks and reports.
    ghost: Mutex<Ghost>,
    exec: Option<Arc<Exec>>,
}

impl Tlb {
    pub(crate) fn new(cpu: u32, entry_bits: u32, leaf: usize, psc: usize) -> Self {
        let slots = |class: &'static str, n: usize| -> Vec<Slot> {
            (0..n)
                .map(|i| {
                    let index = cpu * 16 + i as u32;
                    Slot {
                        tag: AtomicU64::new(class, index, 0),
                        pte: AtomicU64::new(class, index, 0),
                        loc: AtomicU64::new(class, index, 0),
                    }
                })
                .collect()
        };
        Tlb {
            cpu,
            entry_bits,
            interlock: Monitor::new(false),
            leaf: slots("mmu.tlb", leaf),
            psc: slots("mmu.psc", psc),
            ghost: Mutex::new(Ghost {
                leaf: vec![None; leaf],
                psc: vec![None; psc],
                walking: Vec::new(),
                pending: None,
            }),
            exec: exec::current(),
        }
    }

    fn g(&self) -> MutexGuard<'_, Ghost> {
        self.ghost.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn trace(&self, op: Op, va: u64, pte: u64, site: Site) {
        if let Some(e) = &self.exec {
            let name = ObjName {
                kind: "cpu",
                class: "mmu.cpu",
                index: self.cpu,
            };
            e.event(exec::tid(), op, name, va, pte, site);
        }
    }

    /// Starts an access or a flush of this CPU.
    pub(crate) fn lock(&self) {
        self.interlock.wait_until(|busy| {
            if *busy {
                None
            } else {
                *busy = true;
                Some(())
            }
        });
    }

    /// Ends it.
    pub(crate) fn unlock(&self) {
        {
            let mut g = self.g();
            g.walking.clear();
            g.pending = None;
        }
        self.interlock.with(|busy| {
            *busy = false;
            ((), true)
        });
    }

    /// Notes that the access in progress will read `table` (ghost). Called
    /// in the same step as the read of the link to it, so that a check
    /// between that read and the fill still sees the walk.
    pub(crate) fn walking(&self, table: Handle) {
        self.g().walking.push(table);
    }

    /// Notes the leaf entry the access in progress is about to cache.
    pub(crate) fn pending(&self, pte: u64) {
        self.g().pending = Some(pte);
    }

    fn va(&self, level: u32, tag: u64) -> u64 {
        tag << (super::pte::PAGESHIFT + level * self.entry_bits)
    }

    /// The leaf translation of `vpn`, if cached.
    pub(crate) fn lookup_leaf(&self, vpn: u64) -> Option<Hit> {
        let want = tag_word(0, vpn);
        let slot = self
            .leaf
            .iter()
            .position(|s| s.tag.load(Ordering::Relaxed) == want)?;
        let s = &self.leaf[slot];
        let loc = s.loc.load(Ordering::Relaxed);
        Some(Hit {
            slot,
            pte: s.pte.load(Ordering::Relaxed),
            table: Handle::from_bits(loc >> 8)?,
            entry: (loc & 0xff) as u32,
        })
    }

    /// The deepest cached link covering `vpn`: its level and the link.
    pub(crate) fn lookup_link(&self, vpn: u64) -> Option<(u32, u64)> {
        let mut best: Option<(u32, usize)> = None;
        for (i, s) in self.psc.iter().enumerate() {
            let w = s.tag.load(Ordering::Relaxed);
            if w == 0 {
                continue;
            }
            let l = level_of(w);
            if w == tag_word(l, vpn >> (l * self.entry_bits)) && best.is_none_or(|b| l < b.0) {
                best = Some((l, i));
            }
        }
        let (l, i) = best?;
        Some((l, self.psc[i].pte.load(Ordering::Relaxed)))
    }

    /// Caches `c` (a leaf translation or a link, by its level), replacing
    /// an entry with the same tag, else an empty slot, else the slot the
    /// tag hashes to.
    pub(crate) fn fill(&self, c: Cached) {
        let (slots, level) = if c.level == 0 {
            (&self.leaf, 0)
        } else {
            (&self.psc, c.level)
        };
        let tag = c.vpn >> (level * self.entry_bits);
        let want = tag_word(level, tag);
        let words: Vec<u64> = slots
            .iter()
            .map(|s| s.tag.load(Ordering::Relaxed))
            .collect();
        let i = words
            .iter()
            .position(|&w| w == want)
            .or_else(|| words.iter().position(|&w| w == 0))
            .unwrap_or((tag % slots.len() as u64) as usize);
        let s = &slots[i];
        s.tag.store(want, Ordering::Relaxed);
        s.pte.store(c.pte, Ordering::Relaxed);
        s.loc.store(
            c.table.to_bits() << 8 | u64::from(c.entry),
            Ordering::Relaxed,
        );
        {
            let mut g = self.g();
            let mirror = if level == 0 { &mut g.leaf } else { &mut g.psc };
            mirror[i] = Some(c);
        }
        self.trace(Op::TlbFill, self.va(level, tag), c.pte, c.site);
    }

    /// Records that the MMU set MOD in the entry behind leaf hit `hit`.
    pub(crate) fn set_leaf_pte(&self, hit: &Hit, pte: u64) {
        self.leaf[hit.slot].pte.store(pte, Ordering::Relaxed);
        if let Some(c) = self.g().leaf[hit.slot].as_mut() {
            c.pte = pte;
        }
    }

    /// Drops the leaf translation of `vpn` (a page fault does this).
    pub(crate) fn drop_leaf(&self, vpn: u64, site: Site) {
        self.flush_slots(true, site, |level, tag| level == 0 && tag == vpn);
    }

    /// Flushes what `what` names: for one address, its leaf translation and
    /// every link covering it; for all, everything.
    pub(crate) fn flush(&self, what: Demap, site: Site) {
        let bits = self.entry_bits;
        match what {
            Demap::All => {
                self.flush_slots(true, site, |_, _| true);
                self.flush_slots(false, site, |_, _| true);
            }
            Demap::Va(va) => {
                let vpn = va >> super::pte::PAGESHIFT;
                self.flush_slots(true, site, |_, tag| tag == vpn);
                self.flush_slots(false, site, |l, tag| tag == vpn >> (l * bits));
            }
        }
    }

    fn flush_slots(&self, leaf: bool, site: Site, hit: impl Fn(u32, u64) -> bool) {
        let slots = if leaf { &self.leaf } else { &self.psc };
        for (i, s) in slots.iter().enumerate() {
            let w = s.tag.load(Ordering::Relaxed);
            if w == 0 || !hit(level_of(w), w >> 8) {
                continue;
            }
            s.tag.store(0, Ordering::Relaxed);
            let old = {
                let mut g = self.g();
                let mirror = if leaf { &mut g.leaf } else { &mut g.psc };
                mirror[i].take()
            };
            let pte = old.map_or(0, |c| c.pte);
            self.trace(Op::TlbFlush, self.va(level_of(w), w >> 8), pte, site);
        }
    }

    /// Something this CPU caches or is walking through `table`: a link to
    /// it or an entry read from it (ghost; no scheduling point).
    pub(crate) fn through(&self, table: Handle) -> Option<String> {
        let g = self.g();
        let cached = g.leaf.iter().chain(g.psc.iter()).flatten().find(|c| {
            c.table == table || (c.level > 0 && super::pte::ptp_child(c.pte) == Some(table))
        });
        if let Some(c) = cached {
            return Some(format!("cpu {} caches {c}", self.cpu));
        }
        if g.walking.contains(&table) {
            return Some(format!("cpu {} is walking through it", self.cpu));
        }
        None
    }

    /// This CPU's number.
    pub(crate) fn cpu(&self) -> u32 {
        self.cpu
    }

    /// Everything this CPU caches, leaf translations first (ghost; no
    /// scheduling point).
    pub(crate) fn cached(&self) -> Vec<Cached> {
        let g = self.g();
        g.leaf
            .iter()
            .chain(g.psc.iter())
            .flatten()
            .copied()
            .collect()
    }

    /// Leaf translations this CPU caches that were read from entry `entry`
    /// of `table`: the cached entry and a description (ghost; no
    /// scheduling point).
    pub(crate) fn leaves_from(&self, table: Handle, entry: u32) -> Vec<(u64, String)> {
        let g = self.g();
        g.leaf
            .iter()
            .flatten()
            .filter(|c| c.table == table && c.entry == entry)
            .map(|c| (c.pte, format!("cpu {} caches {c}", self.cpu)))
            .collect()
    }

    /// A cached translation to page `pfn` (ghost; no scheduling point).
    pub(crate) fn caching(&self, pfn: u64) -> Option<String> {
        let g = self.g();
        let to = |pte: u64| super::pte::pte_valid(pte) && super::pte::pte_pfn(pte) == pfn;
        g.leaf
            .iter()
            .flatten()
            .find(|c| to(c.pte))
            .map(|c| format!("cpu {} caches {c}", self.cpu))
    }

    /// A cached translation to page `pfn`, or one the access in progress
    /// is about to cache (ghost; no scheduling point).
    pub(crate) fn translating(&self, pfn: u64) -> Option<String> {
        let g = self.g();
        let to = |pte: u64| super::pte::pte_valid(pte) && super::pte::pte_pfn(pte) == pfn;
        if let Some(c) = g.leaf.iter().flatten().find(|c| to(c.pte)) {
            return Some(format!("cpu {} caches {c}", self.cpu));
        }
        g.pending
            .filter(|&p| to(p))
            .map(|p| format!("cpu {} is walking and about to cache {p:#x}", self.cpu))
    }
}
