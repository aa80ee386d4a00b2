//! TLB coherence as an outcome: what the CPUs cache agrees with the page
//! tables whenever no software thread is inside an operation on the
//! address, whatever code path got there.
//!
//! The point checks ([`Mmu::free_table`], [`Mmu::assert_untranslated`] and
//! the ports' own checks after each shootdown) sit on the paths they check,
//! so a bug that skips a path skips its check too (a shootdown decided on
//! the wrong bits, htable.c:2273-2274, skips the check inside the same
//! `if`). This check sits on no path: it reads ghost state only.
//!
//! # When it runs: operations
//!
//! Software says when it is inside an operation on an address by holding
//! an [`Operation`] ([`Mmu::operation`]) from its first change to an entry
//! until its shootdown returned, e.g. `x86pte_inval` (htable.c:2265-2274)
//! or `unlink_ptp` (1085-1109). While one is live, caches covering its
//! range may legitimately disagree with the tables (the entry changed, the
//! shootdown has not run). When an operation ends, every cached entry
//! whose range overlaps no live operation is checked; when the machine is
//! dropped (the end of the scenario), every cached entry is.
//!
//! # What it checks
//!
//! For every leaf translation and paging-structure entry any CPU caches
//! (not the access in progress, which has filled nothing yet):
//! * the walk of the current tables from the top along the entry's
//!   address reaches the table the entry was read from (a paging-structure
//!   entry only for a table currently linked at that place, and a leaf
//!   only from a table still linked there);
//! * a cached link equals the entry now there (same child table);
//! * a cached leaf maps the frame the entry now maps, with no permission
//!   (write, user) the entry does not grant.
//!
//! An operation that invalidated an entry (`x86pte_inval` with its
//! shootdown) also checks, whatever other operations are live, that when
//! it ends no CPU translates through the entry it replaced
//! ([`Operation::invalidated`]).

use super::mmu::{short, Mmu};
use super::pte::{pte_valid, ptp_child, same_frame, PAGESHIFT, PT_REFMOD, PT_USER, PT_WRITABLE};
use super::tlb::Cached;
use crate::check::{fail, MMU_COHERENCE};
use crate::exec::{self, Tid};
use crate::kernel::Handle;
use std::panic::Location;
use std::sync::{Mutex, MutexGuard};

type Site = &'static Location<'static>;

/// One live operation (ghost).
#[derive(Clone, Copy, Debug)]
struct Live {
    id: u64,
    tid: Tid,
    /// The addresses `[lo, hi)` it works on.
    lo: u64,
    hi: u64,
    site: Site,
}

/// The live operations of one machine (ghost; no scheduling point).
#[derive(Debug, Default)]
pub(crate) struct Operations {
    live: Mutex<(u64, Vec<Live>)>,
}

impl Operations {
    fn g(&self) -> MutexGuard<'_, (u64, Vec<Live>)> {
        self.live.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn ranges(&self) -> Vec<Live> {
        self.g().1.clone()
    }
}

/// A software thread is inside an operation on `[lo, hi)` while this is
/// alive; its end checks coherence (see the module doc). Ghost: adds no
/// scheduling point.
#[must_use = "the operation ends when this is dropped"]
pub struct Operation<'a> {
    mmu: &'a Mmu,
    id: u64,
    /// The entry it invalidated with a shootdown: table, index, old value.
    old: Option<(Handle, u32, u64)>,
    what: &'static str,
}

impl Operation<'_> {
    /// Records that the operation replaced `old` in entry `entry` of
    /// `table` and shot it down: when it ends, no CPU may translate
    /// through `old` unless the entry maps its frame again.
    pub fn invalidated(&mut self, table: Handle, entry: u32, old: u64) {
        self.old = Some((table, entry, old));
    }
}

impl Drop for Operation<'_> {
    fn drop(&mut self) {
        let live = {
            let mut g = self.mmu.ops.g();
            g.1.retain(|l| l.id != self.id);
            g.1.clone()
        };
        if std::thread::panicking() || exec::current().is_some_and(|e| e.run.has_fatal()) {
            return;
        }
        if let Some((table, entry, old)) = self.old {
            self.mmu.check_invalidated(table, entry, old, self.what);
        }
        // Every other CPU translation against the page tables: a step
        // check, so not on real threads, where other threads change
        // entries, caches and the live set while this one reads them (a
        // false MMU-COHERENCE: an unload seen clearing its entry before
        // its operation was seen live); the check at rest stays.
        if exec::step_checks() {
            let when = format!("when {} by thread {} ended", self.what, exec::tid());
            self.mmu.check_coherent_outside(&live, &when);
        }
    }
}

impl Mmu {
    /// Starts an operation of the calling thread on `[va, va + len)`,
    /// named `what` in reports (e.g. `"x86pte_inval"`).
    #[track_caller]
    pub fn operation(&self, va: u64, len: u64, what: &'static str) -> Operation<'_> {
        let site = Location::caller();
        let mut g = self.ops.g();
        g.0 += 1;
        let id = g.0;
        g.1.push(Live {
            id,
            tid: exec::tid(),
            lo: va,
            hi: va.saturating_add(len),
            site,
        });
        Operation {
            mmu: self,
            id,
            old: None,
            what,
        }
    }

    /// Checks coherence for every cached entry, ignoring live operations
    /// (the end of a scenario: no thread runs any more). `when` says when,
    /// for the report.
    pub fn check_coherent(&self, when: &str) {
        self.check_coherent_outside(&[], when);
    }

    fn check_coherent_outside(&self, live: &[Live], when: &str) {
        for cpu in &self.cpus {
            for c in cpu.cached() {
                let (lo, hi) = self.covers(&c);
                if live.iter().any(|l| l.lo < hi && lo < l.hi) {
                    continue;
                }
                if let Some(why) = self.disagrees(&c) {
                    fail(
                        MMU_COHERENCE,
                        format!(
                            "{when}, with no operation on va {lo:#x}-{hi:#x} live: cpu {} caches {c}, but {why}",
                            cpu.cpu()
                        ),
                    );
                }
            }
        }
    }

    /// The addresses a cached entry translates.
    fn covers(&self, c: &Cached) -> (u64, u64) {
        let shift = c.level * self.cfg.entry_bits;
        let lo = ((c.vpn >> shift) << shift) << PAGESHIFT;
        (lo, lo + (1u64 << (PAGESHIFT + shift)))
    }

    /// Why `c` disagrees with the current tables, if it does.
    fn disagrees(&self, c: &Cached) -> Option<String> {
        let va = c.vpn << PAGESHIFT;
        let mut table = self.top;
        let mut level = self.cfg.levels - 1;
        while level > c.level {
            let Some(t) = self.tables.peek(table) else {
                return Some(format!(
                    "the walk for it reaches table {table}, which is freed"
                ));
            };
            let i = self.va2entry(va, level);
            let e = t.pte(i).ghost();
            match ptp_child(e) {
                Some(child) => table = child,
                None => {
                    return Some(format!(
                        "the walk for it stops at table {table} entry {i} = {e:#x}: table {} is no longer linked there",
                        c.table
                    ))
                }
            }
            level -= 1;
        }
        if table != c.table {
            return Some(format!(
                "the walk for it reaches table {table} at level {level}, not table {} it was read from",
                c.table
            ));
        }
        let Some(t) = self.tables.peek(table) else {
            return Some(format!("table {table} is freed"));
        };
        let now = t.pte(c.entry as usize).ghost();
        if !pte_valid(now) {
            return Some(format!("the entry is now {now:#x} (not valid)"));
        }
        if c.level > 0 {
            return (ptp_child(now) != ptp_child(c.pte))
                .then(|| format!("the entry now links {now:#x}"));
        }
        if !same_frame(now, c.pte) {
            return Some(format!("the entry now maps another frame: {now:#x}"));
        }
        let more = c.pte & !now & (PT_WRITABLE | PT_USER);
        (more != 0).then(|| format!("the entry now grants less: {now:#x}"))
    }

    /// After `what` replaced `old` in entry `entry` of `table` and shot it
    /// down: no CPU translates through `old` (unless the entry maps the
    /// same frame again).
    fn check_invalidated(&self, table: Handle, entry: u32, old: u64, what: &str) {
        if !pte_valid(old) {
            return;
        }
        let now = self
            .tables
            .peek(table)
            .map(|t| t.pte(entry as usize).ghost());
        if now.is_some_and(|n| pte_valid(n) && same_frame(n, old)) {
            return;
        }
        for cpu in &self.cpus {
            let stale = cpu.cached().into_iter().find(|c| {
                c.level == 0
                    && c.table == table
                    && c.entry == entry
                    && (c.pte | PT_REFMOD) == (old | PT_REFMOD)
            });
            if let Some(c) = stale {
                let live: Vec<String> = self
                    .ops
                    .ranges()
                    .iter()
                    .map(|l| format!("thread {} at {}", l.tid, short(l.site)))
                    .collect();
                fail(
                    MMU_COHERENCE,
                    format!(
                        "{what} by thread {} replaced {old:#x} in table {table} entry {entry} and returned, but cpu {} still caches {c} (operations live: {live:?})",
                        exec::tid(),
                        cpu.cpu()
                    ),
                );
            }
        }
    }
}

impl Drop for Mmu {
    /// The end of the scenario (the last reference goes): every cached
    /// entry agrees with the tables.
    fn drop(&mut self) {
        if std::thread::panicking() || exec::current().is_none_or(|e| e.run.has_fatal()) {
            return;
        }
        self.check_coherent("at the end of the execution");
    }
}
