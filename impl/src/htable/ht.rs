//! `htable_t`: one page table's software state.

use super::ids::{HatId, Ht};
use super::owned::Owned;
use model::kernel::Handle;
use model::sync::{AtomicU16, AtomicU32};

/// `HTABLE_SHARED_PFN`: the page table page belongs to another htable
/// (`hat_share`, ISM).
pub(crate) const HTABLE_SHARED_PFN: u32 = 0x02;

/// `LPAGE_ERROR`: `x86pte_set` refused to overwrite a link to a lower
/// table with a large page (htable.h).
pub const LPAGE_ERROR: u64 = u64::MAX;

/// What identifies an htable and where it hangs: `ht_hat`, `ht_vaddr`,
/// `ht_level`, `ht_flags`, `ht_pfn`, `ht_parent`, `ht_shares` (htable.h).
/// Set by `htable_alloc` before the htable is published (htable.c:902-935),
/// constant while it is hashed; `ht_hat` is cleared again by
/// `htable_put_reserve` (359) and by a reaping stealer (665), both on an
/// htable they own.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Ident {
    /// `ht_hat`; `None` once a reaper forgot it or it went to the reserve.
    pub(crate) hat: Option<HatId>,
    /// `ht_vaddr`: the first address the table maps.
    pub(crate) vaddr: u64,
    /// `ht_level`: 0 for a table of leaf entries.
    pub(crate) level: u32,
    /// `ht_flags`.
    pub(crate) flags: u32,
    /// `ht_pfn`: the page-table page (a table of the machine); `None` is
    /// `PFN_INVALID`.
    pub(crate) pfn: Option<Handle>,
    /// `ht_parent`: the table one level up that links to this one.
    pub(crate) parent: Option<Ht>,
    /// `ht_shares`: for `HTABLE_SHARED_PFN` tables, the htable whose page
    /// this one uses.
    pub(crate) shares: Option<Ht>,
}

/// An htable, allocated from the `htable_t` kmem cache stand-in (an
/// [`model::kernel::Arena`], so a use after `kmem_cache_free` is a
/// MEM-UAF). `ht_next` / `ht_prev` are not fields here: the hash chains,
/// the hat's cached list, a stealer's list and the reserve pool are
/// vectors owned by the structure that holds the list, under that list's
/// lock.
pub(crate) struct Htable {
    /// (o) see [`Ident`].
    pub(crate) id: Owned<Ident>,
    /// (B, a) `ht_busy`: changed only with the bucket mutex of the
    /// htable's hash held (a plain increment in C, a read-modify-write
    /// here); read without it by `htable_steal_active`'s unmap loop as a
    /// hint it re-checks under the mutex (474-475, 490). Also set to 1 by
    /// `htable_alloc` on an htable nobody else can reach (933).
    pub(crate) busy: AtomicU32,
    /// (a) `ht_valid_cnt`: `HTABLE_INC` / `HTABLE_DEC` are atomic 16-bit
    /// operations; read under the bucket mutex (456, 490, 1184) and
    /// without it (474).
    pub(crate) valid: AtomicU16,
    /// (a) `ht_lock_cnt`: `HTABLE_LOCK_INC` / `DEC` (atomic); read like
    /// `valid`.
    pub(crate) lock_cnt: AtomicU32,
}

impl Htable {
    /// A fresh `htable_t` from kmem (its fields are filled by the
    /// allocator's caller, as in C).
    pub(crate) fn new(slot: u32) -> Self {
        Htable {
            id: Owned::new(Ident::default()),
            busy: AtomicU32::new("htable.busy", slot, 0),
            valid: AtomicU16::new("htable.valid", slot, 0),
            lock_cnt: AtomicU32::new("htable.lock_cnt", slot, 0),
        }
    }
}
