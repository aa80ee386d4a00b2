//! pcache's lock order as one table.

use super::state::{ASYNC, AS_CONTENTS, BUCKET, PDISABLE, PLIST, PMEM};
use model::lockdep::{Exception, LockOrder, Nesting};

/// The purge thread's `seg_pasync_mtx` first (held across its purge,
/// vm_seg.c:1544-1551); then the per-seg/amp list mutex P before the
/// bucket mutex B (vm_seg.c:792-794, 874-875, 1321-1327); B before
/// `seg_pmem_mtx` M (vm_seg.c:272-274, 305, 372). `seg_pcache_mtx` is a
/// leaf (vm_seg.c:1709, 1727). The stand-in address space's `a_contents`
/// is taken by the reclaim callback, which the purge thread runs with
/// `seg_pasync_mtx` held, and never with another pcache lock.
///
/// The one reversal is by try only: B then P, in `seg_pinactive` for a
/// duplicate (vm_seg.c:696, dropping B and taking both in order on
/// failure, 697-707) and in the async walk (vm_seg.c:1086, skipping the
/// entry on failure).
pub static LOCK_ORDER: LockOrder = LockOrder {
    subsystem: "pcache",
    ranks: RANKS,
    exceptions: EXCEPTIONS,
};

/// The ranks of [`LOCK_ORDER`] (shared with the kernel-wide order,
/// `crate::order::KERNEL_ORDER`).
pub(crate) const RANKS: &[&[&str]] = &[
    &[ASYNC],
    &[PLIST],
    &[BUCKET],
    &[PMEM, PDISABLE, AS_CONTENTS],
];

/// The nestings against pcache's ranks (shared with the kernel-wide
/// order).
pub(crate) const EXCEPTIONS: &[Exception] = &[Exception {
    held: BUCKET,
    taken: PLIST,
    nesting: Nesting::TryOnly,
    why: "seg_pinactive tries the seg/amp list mutex of a duplicate under the bucket mutex (vm_seg.c:696, on failure drop, enter, retake 697-707); seg_ppurge_async tries it per entry and skips on failure (vm_seg.c:1086-1088)",
}];
