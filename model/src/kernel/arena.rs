//! `Arena<T>`: a kmem cache stand-in whose misuse is a reported violation.

use super::handle::{Handle, MAX_GEN, MAX_SLOTS};
use crate::check::{fail, MEM_DOUBLE_FREE, MEM_FREE_HELD, MEM_UAF, PANIC, SYNC_MISUSE};
use crate::exec::{self, reduced, Exec, Tid};
use crate::sync::{AtomicU64, Ordering};
use crate::trace::{ObjName, Op};
use std::panic::Location;
use std::sync::{Arc, Mutex, MutexGuard};

type Site = &'static Location<'static>;

/// Bit 0 of a slot's state word: the slot holds a live object.
const LIVE: u64 = 1;

fn live(gen: u32) -> u64 {
    (u64::from(gen) << 1) | LIVE
}

/// Where something happened, as reports print it.
fn at(tid: Tid, site: Site) -> String {
    let file = site.file().rsplit('/').next().unwrap_or("");
    format!("{file}:{} (thread {tid})", site.line())
}

/// What checks and reports know about one slot (ghost state).
struct SlotGhost<T> {
    /// The object of the current generation, while it is live.
    value: Option<Arc<T>>,
    /// The slot's current (or last) generation.
    gen: u32,
    /// Where each generation was freed: (gen, thread, site).
    frees: Vec<(u32, Tid, Site)>,
    /// Declared references to the live object: (thread, site of `hold`).
    holds: Vec<(Tid, Site)>,
}

impl<T> Default for SlotGhost<T> {
    fn default() -> Self {
        SlotGhost {
            value: None,
            gen: 0,
            frees: Vec::new(),
            holds: Vec::new(),
        }
    }
}

impl<T> SlotGhost<T> {
    fn freed_at(&self, gen: u32) -> String {
        match self.frees.iter().find(|f| f.0 == gen) {
            Some(&(_, tid, site)) => at(tid, site),
            None => "an unrecorded site".to_string(),
        }
    }
}

/// A fixed-capacity kmem cache stand-in with generation-checked
/// [`Handle`]s: `kmem_cache_alloc` / `kmem_cache_free` for objects the
/// seeds reach by pointer (htables, hats, segments).
///
/// Misuse ends the execution with a violation instead of corrupting
/// memory: a use (`get`, `hold`, `release`) through a handle whose object
/// was freed is [`MEM_UAF`], a second free is [`MEM_DOUBLE_FREE`], and a
/// free while a reference declared by `hold` remains is [`MEM_FREE_HELD`].
/// Reports name the object (class and slot) and both sites.
///
/// Modelled vs ghost. Each slot's state word (generation and a live bit)
/// is a facade atomic: it stands for the object's memory, so `free` writes
/// it and every use reads it, and loom explores a use on either side of a
/// racing free. Slots are reused (lowest free slot first), so which slot
/// `alloc` takes is decided on modelled state too. Everything else is
/// ghost and feeds only checks and reports: the free sites, the declared
/// references (`hold` / `release`), and the pointer to the object. Threads
/// must therefore make their decisions on the object's own facade
/// primitives, or on fields that are constant after `alloc` or protected by
/// a lock they hold; a program's reference count belongs in its own atomic,
/// with `hold` / `release` declaring the references to the checker.
///
/// The state word is read with a relaxed read-modify-write (`fetch_or(0)`,
/// traced as `rmw`), which always returns the latest value: a use is
/// checked against the object's state at the moment it happens in the
/// schedule, as a memory sanitizer checks shadow memory, and `alloc` never
/// skips a free slot on a stale read. Relaxed: a dereference synchronizes
/// with nothing (the pointer was obtained through a lock or an atomic that
/// did). In the reduced exploration (`model::exec::reduced`) a use is a
/// relaxed load, which loads of other threads do not depend on (a stale
/// "live" is caught by the ghost check that follows it), and a use by a
/// thread holding a declared reference reads no modelled state at all
/// (see [`Arena::get`]).
///
/// Deviations from kmem: no constructors, no magazines, no sleeping when
/// empty (running out of slots is a scenario bug, reported as [`PANIC`]);
/// a "use" is checked when it starts (`get`), not on every later access
/// through the returned `Arc`, so scenarios call `get` at each access the
/// seed makes through its pointer.
pub struct Arena<T> {
    class: &'static str,
    /// (a) per slot: `generation << 1 | LIVE`; 0 for a slot never used.
    state: Vec<AtomicU64>,
    /// Ghost: per slot, see [`SlotGhost`].
    ghost: Mutex<Vec<SlotGhost<T>>>,
    exec: Option<Arc<Exec>>,
}

impl<T> std::fmt::Debug for Arena<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "kmem {} ({} slots)", self.class, self.state.len())
    }
}

impl<T> Arena<T> {
    /// A cache of `capacity` slots of class `class` (the kmem cache name,
    /// e.g. `"htable_t"`).
    pub fn new(class: &'static str, capacity: usize) -> Self {
        assert!(
            capacity <= MAX_SLOTS,
            "vmspec: arena capacity above {MAX_SLOTS}"
        );
        Arena {
            class,
            state: (0..capacity)
                .map(|i| AtomicU64::new(class, i as u32, 0))
                .collect(),
            ghost: Mutex::new((0..capacity).map(|_| SlotGhost::default()).collect()),
            exec: exec::current(),
        }
    }

    /// How the object in slot `h` is named in traces and reports.
    pub fn name(&self, h: Handle) -> ObjName {
        ObjName {
            kind: "kmem",
            class: self.class,
            index: h.index(),
        }
    }

    fn g(&self) -> MutexGuard<'_, Vec<SlotGhost<T>>> {
        self.ghost.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn trace(&self, op: Op, h: Handle, b: u64, site: Site) {
        if let Some(e) = &self.exec {
            e.event(exec::tid(), op, self.name(h), u64::from(h.gen()), b, site);
        }
    }

    /// `kmem_cache_alloc`: stores `value` in the lowest free slot.
    #[track_caller]
    pub fn alloc(&self, value: T) -> Handle {
        let site = Location::caller();
        for (i, word) in self.state.iter().enumerate() {
            let s = word.fetch_or(0, Ordering::Relaxed);
            if s & LIVE != 0 {
                continue;
            }
            let gen = (s >> 1) as u32 + 1;
            if gen > MAX_GEN {
                fail(
                    PANIC,
                    format!("kmem {}#{i}: generations exhausted", self.class),
                );
            }
            // Only `alloc` changes a free slot; a failed CAS means another
            // thread took this one.
            if word
                .compare_exchange(s, live(gen), Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
            {
                let h = Handle::new(i as u32, gen);
                let mut g = self.g();
                let slot = &mut g[i];
                slot.value = Some(Arc::new(value));
                slot.gen = gen;
                slot.holds.clear();
                drop(g);
                self.trace(Op::Alloc, h, 0, site);
                return h;
            }
        }
        fail(
            PANIC,
            format!(
                "kmem {} exhausted at {}: its capacity of {} is a scenario bound",
                self.class,
                at(exec::tid(), site),
                self.state.len()
            ),
        )
    }

    /// Fails [`MEM_UAF`] unless `h` names a live object; `what` is the
    /// operation, for the report. A modelled read of the slot's state.
    fn check_live(&self, h: Handle, what: &str, site: Site) {
        self.check_live_by(h, what, site, |w| w.fetch_or(0, Ordering::Relaxed));
    }

    /// [`Arena::check_live`] reading the slot's word with `read`.
    fn check_live_by(&self, h: Handle, what: &str, site: Site, read: impl Fn(&AtomicU64) -> u64) {
        let me = exec::tid();
        let Some(word) = self.state.get(h.index() as usize) else {
            fail(
                MEM_UAF,
                format!(
                    "{what} of kmem {}#{} at {}: no such slot (a handle this cache never issued)",
                    self.class,
                    h.index(),
                    at(me, site)
                ),
            );
        };
        let s = read(word);
        if s != live(h.gen()) {
            fail(MEM_UAF, self.stale(h, s, what, site));
        }
    }

    /// Whether the calling thread holds a declared reference
    /// ([`Arena::hold`]) to the live object `h` (ghost).
    fn held_by_caller(&self, h: Handle) -> bool {
        let me = exec::tid();
        self.g()
            .get(h.index() as usize)
            .is_some_and(|s| s.gen == h.gen() && s.holds.iter().any(|&(t, _)| t == me))
    }

    fn stale(&self, h: Handle, s: u64, what: &str, site: Site) -> String {
        let g = self.g();
        let slot = &g[h.index() as usize];
        let now = (s >> 1) as u32;
        let mut m = format!(
            "{what} of freed kmem {}#{} (gen {}) at {}; ",
            self.class,
            h.index(),
            h.gen(),
            at(exec::tid(), site)
        );
        if h.gen() > now {
            m.push_str("that generation was never allocated");
        } else {
            m.push_str(&format!("it was freed at {}", slot.freed_at(h.gen())));
            if now > h.gen() && s & LIVE != 0 {
                m.push_str(&format!("; the slot was reused (now gen {now})"));
            }
        }
        m
    }

    /// A use of the object through `h` (a pointer dereference in the
    /// seed): [`MEM_UAF`] if it was freed.
    ///
    /// A use by a thread that holds a declared reference ([`Arena::hold`])
    /// is checked on ghost state, with no scheduling point, in the reduced
    /// exploration: the object cannot be freed before the reference is
    /// released without [`MEM_FREE_HELD`] at the free, and the hold and
    /// the release are themselves modelled reads that loom orders against
    /// the free, so no interleaving of the use with a free is left
    /// unexplored that could end otherwise.
    #[track_caller]
    pub fn get(&self, h: Handle) -> Arc<T> {
        let site = Location::caller();
        if !reduced() {
            self.check_live(h, "use", site);
        } else if !self.held_by_caller(h) {
            self.check_live_by(h, "use", site, |w| w.load(Ordering::Relaxed));
        }
        let value = {
            let g = self.g();
            let slot = &g[h.index() as usize];
            slot.value.clone().filter(|_| slot.gen == h.gen())
        };
        // A free lands between the check and here only on real threads, or
        // when a reduced use's relaxed load read a stale "live".
        let Some(value) = value else {
            fail(
                MEM_UAF,
                format!(
                    "use of kmem {}#{} (gen {}) at {} raced with its free",
                    self.class,
                    h.index(),
                    h.gen(),
                    at(exec::tid(), site)
                ),
            );
        };
        self.trace(Op::Use, h, 0, site);
        value
    }

    /// The live object behind `h`, read from ghost state: no use, no
    /// scheduling point, `None` if it was freed. For checks only.
    pub fn peek(&self, h: Handle) -> Option<Arc<T>> {
        let g = self.g();
        let slot = g.get(h.index() as usize)?;
        slot.value.clone().filter(|_| slot.gen == h.gen())
    }

    /// Declares a reference to the live object (ghost): a free before the
    /// matching [`Arena::release`] is [`MEM_FREE_HELD`].
    #[track_caller]
    pub fn hold(&self, h: Handle) {
        let site = Location::caller();
        self.check_live(h, "hold", site);
        let n = {
            let mut g = self.g();
            let holds = &mut g[h.index() as usize].holds;
            holds.push((exec::tid(), site));
            holds.len()
        };
        self.trace(Op::Hold, h, n as u64, site);
    }

    /// Drops a reference declared by [`Arena::hold`] (by any thread: a
    /// reference may be handed over). Releasing more than was held is
    /// [`SYNC_MISUSE`].
    #[track_caller]
    pub fn release(&self, h: Handle) {
        let site = Location::caller();
        self.check_live(h, "release", site);
        let me = exec::tid();
        let n = {
            let mut g = self.g();
            let holds = &mut g[h.index() as usize].holds;
            let i = holds.iter().position(|&(t, _)| t == me).unwrap_or(0);
            if holds.is_empty() {
                None
            } else {
                holds.remove(i);
                Some(holds.len())
            }
        };
        let Some(n) = n else {
            fail(
                SYNC_MISUSE,
                format!(
                    "release of kmem {}#{} at {}: no reference is held",
                    self.class,
                    h.index(),
                    at(me, site)
                ),
            );
        };
        self.trace(Op::Release, h, n as u64, site);
    }

    /// `kmem_cache_free`: [`MEM_DOUBLE_FREE`] if the object is already
    /// freed, [`MEM_FREE_HELD`] if a declared reference remains.
    #[track_caller]
    pub fn free(&self, h: Handle) {
        let site = Location::caller();
        let me = exec::tid();
        let Some(word) = self.state.get(h.index() as usize) else {
            fail(
                MEM_DOUBLE_FREE,
                format!(
                    "free of kmem {}#{} at {}: no such slot",
                    self.class,
                    h.index(),
                    at(me, site)
                ),
            );
        };
        let s = word.fetch_or(0, Ordering::Relaxed);
        if s != live(h.gen()) {
            fail(MEM_DOUBLE_FREE, self.stale(h, s, "second free", site));
        }
        let holders: Vec<String> = self.g()[h.index() as usize]
            .holds
            .iter()
            .map(|&(t, hs)| format!("held at {}", at(t, hs)))
            .collect();
        if !holders.is_empty() {
            fail(
                MEM_FREE_HELD,
                format!(
                    "free of kmem {}#{} (gen {}) at {} while referenced: {}",
                    self.class,
                    h.index(),
                    h.gen(),
                    at(me, site),
                    holders.join(", ")
                ),
            );
        }
        // Only `free` changes a live slot: losing the CAS means another
        // free of the same object got there first.
        if let Err(now) = word.compare_exchange(
            live(h.gen()),
            live(h.gen()) & !LIVE,
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            fail(MEM_DOUBLE_FREE, self.stale(h, now, "second free", site));
        }
        {
            let mut g = self.g();
            let slot = &mut g[h.index() as usize];
            // On real threads an `alloc` may take the slot between the CAS
            // above and this section and store its object first: the
            // slot's object is this free's only while the generation is.
            if slot.gen == h.gen() {
                slot.value = None;
            }
            slot.frees.push((h.gen(), me, site));
        }
        self.trace(Op::Free, h, 0, site);
    }
}
