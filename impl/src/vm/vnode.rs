//! The vnode stand-in: an identity with a synthetic kernel address. segmap
//! never dereferences a vnode: it compares vnode pointers as tags
//! (seg_map.c:1012, 1655, 1671) and hashes their address
//! (seg_map.c:260-264); a page names its vnode by the same identity
//! (`super::page`). [`VnodeState`] adds, for the worlds whose pages the
//! pvn port walks, the page ring `v_pages` under the vnode page mutex
//! (`super::vplist`), `VVMLOCK` with `v_lock` and `v_cv`, and `VMODSORT`.

use super::keyed::Keyed;
use super::vplist::Ring;
use super::word::Word;
use model::sync::{FlagLock, KCondvar, KMutex};

/// A vnode, by identity. `Vnode(0)` is not a vnode: the port stores it as
/// the `NULL` tag of an unused slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Vnode(pub u32);

/// Where the model's vnodes live, and how far apart (about the size of a
/// `vnode_t`, so the hash sees pointer-like values).
const VNODE_BASE: u64 = 0xffff_fe00_0000_0000;
const VNODE_SIZE: u64 = 0x200;

impl Vnode {
    /// The vnode's synthetic kernel address (the pointer the seed hashes).
    pub fn addr(self) -> u64 {
        VNODE_BASE + u64::from(self.0) * VNODE_SIZE
    }

    /// The value a slot's `sm_vp` word holds for this vnode.
    pub fn tag(self) -> u64 {
        u64::from(self.0)
    }
}

/// The lock class of `v_lock`.
pub const V_LOCK: &str = "vnode.v_lock";
/// The lock class of the vnode page mutex (`page_vnode_mutex(vp)`; one
/// per vnode here, a hashed array in vm_page.c).
pub const VPHM: &str = "vnode.vph_mutex";
/// The lock class of the `VVMLOCK` flag used as a lock.
pub const VVMLOCK: &str = "vnode.VVMLOCK";

/// `VVMLOCK` in `v_flag`.
const F_VVMLOCK: u64 = 1;

/// The `vnode_t` fields the VM layer keeps for a vnode whose pages it
/// models in full (worlds built with `super::page::Pages::with_vnodes`):
/// the page ring and the `VVMLOCK` protocol of vm_pvn.c.
///
/// Lock keys: (L) `v_lock`; (V) the vnode page mutex; (c) constant;
/// (u) also read unlocked on purpose (a hint).
pub struct VnodeState {
    /// (c) the vnode.
    pub vp: Vnode,
    /// (c) `IS_VMODSORT(vp)`: the file system keeps modified pages at the
    /// tail of the ring and clean ones at the head.
    pub modsort: bool,
    /// `v_lock`.
    pub v_lock: KMutex,
    /// (L) `v_flag`, of which the VM layer models `VVMLOCK`.
    v_flag: Keyed<u64>,
    /// `v_cv`, paired with `v_lock`: `VVMLOCK` cleared.
    pub v_cv: KCondvar,
    /// The identity lockdep and the reports give `VVMLOCK` while a walker
    /// holds it.
    pub vvmlock: FlagLock,
    /// `page_vnode_mutex(vp)`.
    pub vphm: KMutex,
    /// (V) `v_pages` and its entries' links.
    ring: Keyed<Ring>,
    /// (V to write; u) `v_pages != NULL`, which the seeds test unlocked
    /// (vm_pvn.c:758, 777).
    nonempty: Word,
}

impl VnodeState {
    /// Vnode `vp` with no pages (`VMODSORT` if `modsort`).
    pub fn new(vp: Vnode, modsort: bool) -> Self {
        VnodeState {
            vp,
            modsort,
            v_lock: KMutex::new(V_LOCK, vp.0),
            v_flag: Keyed::new("vnode.v_flag", 0),
            v_cv: KCondvar::new("vnode.v_cv", vp.0),
            vvmlock: FlagLock::new(VVMLOCK, vp.0),
            vphm: KMutex::new(VPHM, vp.0),
            ring: Keyed::new("vnode.v_pages", Ring::default()),
            nonempty: Word::hinted("vnode.v_pages", vp.0, 0),
        }
    }

    /// `vp->v_flag & VVMLOCK`, with `v_lock` held.
    #[track_caller]
    pub fn vvmlock_set(&self) -> bool {
        self.v_flag.with(&[&self.v_lock], |f| *f & F_VVMLOCK != 0)
    }

    /// Sets (`on`) or clears `VVMLOCK`, with `v_lock` held.
    #[track_caller]
    pub fn set_vvmlock(&self, on: bool) {
        self.v_flag.with(&[&self.v_lock], |f| {
            *f = if on { *f | F_VVMLOCK } else { *f & !F_VVMLOCK };
        });
    }

    /// `vp->v_pages == NULL`, read with no lock (a hint).
    pub fn no_pages_hint(&self) -> bool {
        self.nonempty.hint() == 0
    }

    /// The ring, with the vnode page mutex held: `f` may read and change
    /// it, and must not reach a scheduling point (it runs inside the
    /// value's lock); `v_pages`'s hint follows.
    #[track_caller]
    pub fn ring<R>(&self, f: impl FnOnce(&mut Ring) -> R) -> R {
        let (r, was, is) = self.ring.with(&[&self.vphm], |ring| {
            let was = !ring.is_empty();
            let r = f(ring);
            (r, was, !ring.is_empty())
        });
        if was != is {
            self.nonempty.write(u64::from(is), &[&self.vphm]);
        }
        r
    }

    /// The ring, for checks (ghost).
    pub fn peek_ring(&self) -> Ring {
        self.ring.peek()
    }

    /// Whether `VVMLOCK` is set, for checks (ghost).
    pub fn peek_vvmlock(&self) -> bool {
        self.v_flag.peek() & F_VVMLOCK != 0
    }
}
