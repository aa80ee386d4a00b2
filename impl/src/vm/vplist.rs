//! A vnode's page ring (`v_pages` and the pages' `p_vpnext`/`p_vpprev`,
//! vm_page.c's `page_vpadd` / `page_vpsub`; not a seed): the circular
//! list of the vnode's pages, with room for the marker pages that
//! `pvn_vplist_dirty` walks it with (vm_pvn.c:808-809). The ring lives
//! under the vnode page mutex (`super::vnode::VnodeState`); this module is
//! its shape only.
//!
//! The ring is a vector whose first entry is the one `v_pages` points at:
//! the head; the last is the tail (`v_pages->p_vpprev`). `page_vpadd(ppp,
//! e)` inserts `e` before `*ppp` and makes `*ppp` point at it, so the
//! seeds' two ways of naming a place are [`Slot::Head`] (`&vp->v_pages`:
//! `e` becomes the head) and [`Slot::After`] (`&x->p_vpnext`: `e` goes
//! right after `x`; after the tail, that is the new tail).
//!
//! Checks ([`VM_VPLIST`]): a `page_vpadd` after an entry that is no longer
//! on the ring, a `page_vpsub` of an entry that is not on it, and a
//! marker added or removed by another thread than the walker that owns it
//! (nothing but its walker moves a marker, vm_pvn.c:718-733). In C the
//! first two corrupt the list; here they stop the execution.
//!
//! Ghost: each page's insertion count (its *epoch*), which the walk's
//! checks use to tell a page that stayed on the ring from one that was
//! removed and inserted again.

use model::check::fail;
use model::exec::{self, Tid};
use std::collections::BTreeMap;

/// A vnode's page ring is well formed: every entry is on it once; an
/// entry is added only after an entry on it and removed only if on it; a
/// marker is moved only by the walker that owns it.
pub const VM_VPLIST: &str = "VM-VPLIST";

/// A marker page (`kmem_cache_alloc(marker_cache)`, vm_pvn.c:789-794),
/// owned by the walker that inserted it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Marker {
    /// (c) numbers the markers of an execution.
    pub id: u32,
    /// (c) the walking thread.
    pub owner: Tid,
}

/// An entry of the ring: a page (by index) or a marker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Entry {
    Page(usize),
    Marker(Marker),
}

/// Where `page_vpadd` inserts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// `&vp->v_pages`: the new entry becomes the head.
    Head,
    /// `&x->p_vpnext`: right after `x`.
    After(Entry),
}

/// The ring: `entries[0]` is the head.
#[derive(Clone, Debug, Default)]
pub struct Ring {
    entries: Vec<Entry>,
    /// (g) per page, how many times it was inserted.
    epoch: BTreeMap<usize, u64>,
}

impl Ring {
    /// `*v_pages`.
    pub fn head(&self) -> Option<Entry> {
        self.entries.first().copied()
    }

    /// `v_pages->p_vpprev`.
    pub fn tail(&self) -> Option<Entry> {
        self.entries.last().copied()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn contains(&self, e: Entry) -> bool {
        self.entries.contains(&e)
    }

    fn position(&self, e: Entry, what: &str) -> usize {
        self.entries
            .iter()
            .position(|&x| x == e)
            .unwrap_or_else(|| {
                fail(
                    VM_VPLIST,
                    format!(
                        "{what}: {e:?} is not on the ring {:?} (thread {})",
                        self.entries,
                        exec::tid()
                    ),
                )
            })
    }

    /// `e->p_vpprev` (circular).
    pub fn prev(&self, e: Entry) -> Entry {
        let i = self.position(e, "p_vpprev");
        self.entries[(i + self.entries.len() - 1) % self.entries.len()]
    }

    /// `e->p_vpnext` (circular).
    pub fn next(&self, e: Entry) -> Entry {
        let i = self.position(e, "p_vpnext");
        self.entries[(i + 1) % self.entries.len()]
    }

    /// `&vp->v_pages->p_vpprev->p_vpnext`: after the tail (the head of an
    /// empty ring).
    pub fn tail_slot(&self) -> Slot {
        self.tail().map_or(Slot::Head, Slot::After)
    }

    fn owned(e: Entry, what: &str) {
        if let Entry::Marker(m) = e {
            let me = exec::tid();
            if m.owner != me {
                fail(
                    VM_VPLIST,
                    format!(
                        "{what} of marker {} of walker thread {} by thread {me}",
                        m.id, m.owner
                    ),
                );
            }
        }
    }

    /// `page_vpadd(slot, e)`.
    pub fn add(&mut self, slot: Slot, e: Entry) {
        Self::owned(e, "page_vpadd");
        if self.entries.contains(&e) {
            fail(
                VM_VPLIST,
                format!(
                    "page_vpadd of {e:?}, already on the ring {:?}",
                    self.entries
                ),
            );
        }
        let at = match slot {
            Slot::Head => 0,
            Slot::After(x) => self.position(x, "page_vpadd") + 1,
        };
        self.entries.insert(at, e);
        if let Entry::Page(p) = e {
            *self.epoch.entry(p).or_default() += 1;
        }
    }

    /// `page_vpsub(&vp->v_pages, e)`.
    pub fn sub(&mut self, e: Entry) {
        Self::owned(e, "page_vpsub");
        let i = self.position(e, "page_vpsub");
        self.entries.remove(i);
    }

    /// The entries, head first.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The pages on the ring, head first.
    pub fn pages(&self) -> impl Iterator<Item = usize> + '_ {
        self.entries.iter().filter_map(|e| match e {
            Entry::Page(p) => Some(*p),
            Entry::Marker(_) => None,
        })
    }

    /// How many times page `p` was inserted (ghost).
    pub fn epoch(&self, p: usize) -> u64 {
        self.epoch.get(&p).copied().unwrap_or(0)
    }
}
