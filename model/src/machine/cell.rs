//! `Pte`: one page-table entry, shared by software and the MMU.

use super::pte::PT_REFMOD;
use crate::check::{fail, MMU_REFMOD_LOST};
use crate::exec::{self, Exec, Tid};
use crate::sync::{AtomicU64, Ordering};
use crate::trace::{ObjName, Op};
use std::panic::Location;
use std::sync::{Arc, Mutex};

/// A page-table entry: a facade `AtomicU64`, so loom explores every order
/// of software updates against the MMU's REF/MOD setting.
///
/// Software reads with [`Pte::load`] (`GET_PTE`) and writes only with
/// [`Pte::cas`] (`CAS_PTE`) or [`Pte::swap`], which hand the value they
/// replaced back to the caller, as the seeds do (htable.c:2101-2134,
/// 2265-2272). [`Pte::store`], a plain read-then-store, is what a mutant
/// uses: it reports [`MMU_REFMOD_LOST`] when it overwrites REF or MOD bits
/// its thread never saw.
///
/// Backend mapping: the atomic is the entry; each thread's last seen value
/// (for the store check) is ghost state and adds no scheduling point.
/// Orderings: x86 locked operations are full barriers, modelled as
/// `AcqRel` read-modify-writes (loom treats `SeqCst` as `AcqRel` anyway,
/// GUIDE trap 3). Reads are read-modify-writes too (`fetch_or(0)`, traced
/// as `rmw`): on x86 a location written only by locked operations is never
/// read stale, whereas a C11 load may return an older value, and loom
/// would then let a CPU walk through a link software unlinked earlier in
/// the schedule.
pub struct Pte {
    /// (a) the entry.
    word: AtomicU64,
    /// Ghost: per thread, the last value it read or wrote here.
    seen: Mutex<Vec<(Tid, u64)>>,
    /// Ghost: the entry as the last write left it, updated in the same
    /// step as the atomic, for checks that must not add a scheduling point
    /// ([`Pte::ghost`]).
    now: std::sync::atomic::AtomicU64,
    name: ObjName,
    exec: Option<Arc<Exec>>,
}

impl std::fmt::Debug for Pte {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.name)
    }
}

impl Pte {
    /// An entry named `mmu.pte#index` in traces, holding `value`.
    pub fn new(index: u32, value: u64) -> Self {
        const CLASS: &str = "mmu.pte";
        Pte {
            word: AtomicU64::new(CLASS, index, value),
            seen: Mutex::new(Vec::new()),
            now: std::sync::atomic::AtomicU64::new(value),
            name: ObjName {
                kind: "pte",
                class: CLASS,
                index,
            },
            exec: exec::current(),
        }
    }

    /// The entry's current value, read from ghost state (no scheduling
    /// point): what the coherence check compares caches with.
    pub(crate) fn ghost(&self) -> u64 {
        self.now.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The entry's current value from ghost state (no scheduling point),
    /// for checks.
    pub fn peek(&self) -> u64 {
        self.ghost()
    }

    fn mirror(&self, v: u64) {
        self.now.store(v, std::sync::atomic::Ordering::Relaxed);
    }

    fn saw(&self, v: u64) {
        let me = exec::tid();
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        match seen.iter_mut().find(|(t, _)| *t == me) {
            Some(s) => s.1 = v,
            None => seen.push((me, v)),
        }
    }

    fn last_seen(&self) -> Option<u64> {
        let me = exec::tid();
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.iter().find(|(t, _)| *t == me).map(|s| s.1)
    }

    /// `GET_PTE`: the current entry.
    #[track_caller]
    pub fn load(&self) -> u64 {
        let v = self.word.fetch_or(0, Ordering::AcqRel);
        self.saw(v);
        v
    }

    /// `CAS_PTE`: installs `new` if the entry is `old`; returns the entry
    /// found (equal to `old` on success).
    #[track_caller]
    pub fn cas(&self, old: u64, new: u64) -> u64 {
        match self
            .word
            .compare_exchange(old, new, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(found) => {
                self.mirror(new);
                self.saw(new);
                found
            }
            Err(found) => {
                self.saw(found);
                found
            }
        }
    }

    /// Installs `new` unconditionally and returns the entry it replaced;
    /// the caller owns whatever REF/MOD that value carries.
    #[track_caller]
    pub fn swap(&self, new: u64) -> u64 {
        let old = self.word.swap(new, Ordering::AcqRel);
        self.mirror(new);
        self.saw(new);
        old
    }

    /// A plain store of `new`, as a read-then-store would do: the seeds
    /// never do this to a live PTE. Fails [`MMU_REFMOD_LOST`] if the entry
    /// held REF or MOD bits that the calling thread did not see when it
    /// last read or wrote this entry and that `new` does not keep.
    #[track_caller]
    pub fn store(&self, new: u64) {
        let site = Location::caller();
        let seen = self.last_seen().unwrap_or(0);
        let prev = self.word.swap(new, Ordering::AcqRel);
        self.mirror(new);
        self.saw(new);
        let lost = prev & PT_REFMOD & !seen & !new;
        if lost != 0 {
            fail(
                MMU_REFMOD_LOST,
                format!(
                    "store {new:#x} to {} at {}:{} by thread {} discarded {} (the entry was {prev:#x}; the thread last saw {seen:#x})",
                    self.name,
                    site.file().rsplit('/').next().unwrap_or(""),
                    site.line(),
                    exec::tid(),
                    refmod_names(lost),
                ),
            );
        }
    }

    /// The MMU's read of the entry during a walk.
    #[track_caller]
    pub(crate) fn hw_load(&self) -> u64 {
        self.word.fetch_or(0, Ordering::AcqRel)
    }

    /// The MMU's checked REF/MOD update: a locked compare-and-swap that
    /// lands only on the entry it read. Returns the entry found.
    #[track_caller]
    pub(crate) fn hw_cas(&self, old: u64, new: u64) -> u64 {
        let r = self
            .word
            .compare_exchange(old, new, Ordering::AcqRel, Ordering::Acquire);
        match r {
            Ok(found) => {
                self.mirror(new);
                self.hw_trace(found, new);
                found
            }
            Err(found) => found,
        }
    }

    /// The MMU's blind update: ORs `bits` in whatever the entry now holds.
    #[track_caller]
    pub(crate) fn hw_fetch_or(&self, bits: u64) -> u64 {
        let old = self.word.fetch_or(bits, Ordering::AcqRel);
        self.mirror(old | bits);
        self.hw_trace(old, old | bits);
        old
    }

    #[track_caller]
    fn hw_trace(&self, old: u64, new: u64) {
        if let Some(e) = &self.exec {
            e.event(
                exec::tid(),
                Op::HwSetBits,
                self.name,
                old,
                new,
                Location::caller(),
            );
        }
    }
}

fn refmod_names(bits: u64) -> &'static str {
    match (
        bits & super::pte::PT_REF != 0,
        bits & super::pte::PT_MOD != 0,
    ) {
        (true, true) => "REF and MOD",
        (true, false) => "REF",
        _ => "MOD",
    }
}
