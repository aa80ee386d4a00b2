//! The htable lock order, one table (after Go's `mklockrank.go`).
//!
//! Nestings the port performs, each with the seed line:
//!
//! * hment (page mapping list) -> bucket: `hati_page_unmap` takes a hold
//!   with `htable_acquire` while it holds the page's mapping-list mutex
//!   (hat_i86.c; the reason `htable_steal_active` drops the bucket before
//!   `hat_pte_unmap`, htable.c:461-467).
//! * hment -> per-CPU window: `hat_pte_unmap` and `hati_pte_map` change a
//!   PTE under the mapping-list mutex.
//! * bucket -> per-CPU window: `link_ptp` / `unlink_ptp` CAS the parent
//!   entry under the child's bucket mutex (1072, 1116).
//!
//! `hat_list_lock` is never held with another of these: `htable_steal`
//! releases it before `hat_enter` and before unmapping (623, 668). The hat
//! mutex and the reserve mutex are leaves. Two bucket mutexes are never
//! held at once (classes of one rank never nest): `htable_release` and
//! `htable_create` drop one bucket before taking the next level's (1246,
//! 1405, 1437).
//!
//! The TLB shootdown (`hat_tlb_inval`) comes last in the seed map's order
//! (bucket -> window -> shootdown): in the model it takes no kernel lock
//! (each CPU's interlock in `model::machine` is held only across one access
//! or flush and never while waiting), so it has no rank here.

use model::lockdep::LockOrder;

/// `hat_list_lock`.
pub const HAT_LIST: &str = "htable.hat_list";
/// `hat_list_cv` (pairs with `hat_list_lock`).
pub const HAT_LIST_CV: &str = "htable.hat_list_cv";
/// `hat_mutex` (`hat_enter`).
pub const HAT: &str = "htable.hat";
pub use crate::vm::page::HMENT;
/// `htable_mutex[]`, the hash bucket mutexes.
pub const BUCKET: &str = "htable.bucket";
/// The per-CPU page-table window mutex (`hci_mutex`, `x86pte_mapin`).
pub const HCI: &str = "htable.hci";
/// `htable_reserve_mutex`.
pub const RESERVE: &str = "htable.reserve";

/// The htable lock order.
pub static LOCK_ORDER: LockOrder = LockOrder {
    subsystem: "htable",
    ranks: &[&[HAT_LIST], &[HMENT], &[BUCKET], &[HCI], &[HAT, RESERVE]],
    exceptions: &[],
};
