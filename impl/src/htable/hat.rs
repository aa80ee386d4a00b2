//! `hat_t` as htable.c uses it, and the hat.h flags htable.c and its
//! hat_i86.c stand-ins pass around. Data only: the stand-ins that make,
//! lock and free a hat are in `super::hat_i86`.

use super::ids::Ht;
use super::owned::Owned;
use model::sync::{AtomicU32, AtomicU64, KMutex, Locked, Ordering::Relaxed};

/// `HAT_FREEING`: the address space is being torn down.
pub(crate) const HAT_FREEING: u32 = 0x0001;
/// `HAT_VICTIM`: a stealer is working on this hat.
pub(crate) const HAT_VICTIM: u32 = 0x0004;
/// `HAT_SHARED`: a dummy hat hosting ISM shared tables.
pub(crate) const HAT_SHARED: u32 = 0x0008;

/// `HAT_LOAD_LOCK`: the mapping is locked (counted in `ht_lock_cnt`).
pub const HAT_LOAD_LOCK: u32 = 0x01;
/// `HAT_LOAD_SHARE`: the hat hosts ISM tables that other hats share.
pub const HAT_LOAD_SHARE: u32 = 0x08;
/// `HAT_UNLOAD`.
pub(crate) const HAT_UNLOAD: u32 = 0;
/// `HAT_UNLOAD_UNLOCK`: the mapping being unloaded was loaded locked.
pub const HAT_UNLOAD_UNLOCK: u32 = 0x04;
/// `HAT_UNLOAD_UNMAP`: an unload for `as_unmap` (same as HAT_UNLOAD).
pub(crate) const HAT_UNLOAD_UNMAP: u32 = 0x10;

/// A hat: an address space's page tables.
pub(crate) struct Hat {
    /// `hat_mutex` (`hat_enter`): protects `cached`.
    pub(crate) mutex: KMutex,
    /// (L, a) `hat_flags`: `HAT_VICTIM` and `HAT_FREEING` change only with
    /// `hat_list_lock` held (htable.c:622, 692; `hat_free_start`); read
    /// without it wherever the seed tests HAT_FREEING (971, 1026, 1106,
    /// 1199, `hat_tlb_inval`, `hat_pte_unmap`).
    pub(crate) flags: AtomicU32,
    /// (H) `hat_ht_cached`: free htables kept for reuse, head first.
    pub(crate) cached: Locked<Vec<Ht>>,
    /// (H, a) the head of `cached` (`Handle::to_bits`, 0 for none):
    /// written with the hat mutex held, read without it as the hint at
    /// htable.c:783 (re-read under the mutex at 785-786).
    pub(crate) cached_head: AtomicU64,
    /// (B) `hat_ht_hash`: chain `h` under `htable_mutex[h % mutexes]`.
    pub(crate) hash: Vec<Locked<Vec<Ht>>>,
    /// (o) `hat_htable`: set by `hat_alloc` before the hat is published.
    pub(crate) top: Owned<Option<Ht>>,
    /// (c) whether the machine's CPUs run this address space (its top
    /// table is the machine's top table).
    pub(crate) on_cpu: bool,
    /// (c) the hat's bits in `HTABLE_HASH` (the hat pointer in C).
    pub(crate) hash_id: u64,
    /// (c) this is `kas.a_hat`: every CPU runs the kernel, through the
    /// kernel-range entries copied into each user hat's top table.
    pub(crate) kernel: bool,
}

impl Hat {
    pub(crate) fn flags(&self) -> u32 {
        self.flags.load(Relaxed)
    }

    pub(crate) fn freeing(&self) -> bool {
        self.flags() & HAT_FREEING != 0
    }
}
