//! pvn's mutants: the bugs its scenarios prove the checks catch, one typed
//! name each (`model::mutant(NAME)` where the bug is injected, and the
//! `harness::Mutant` declarations of the scenarios that catch it), so a
//! misspelt mutant does not compile. [`ALL`] lists them for the test that
//! every one is declared by a scenario.

/// the walk does not set VVMLOCK (vm_pvn.c:782): two walkers at once
pub const WALK_NO_VVMLOCK: &str = "walk-no-vvmlock";

/// the walk's exit clears VVMLOCK without cv_broadcast (vm_pvn.c:983): a
/// waiting walker sleeps forever
pub const EXIT_NO_BROADCAST: &str = "exit-no-broadcast";

/// the walk's exit leaves its markers on the ring (vm_pvn.c:971-972) and
/// frees them
pub const EXIT_KEEPS_MARKERS: &str = "exit-keeps-markers";

/// every walk stops when its marker reaches the head, not only the async
/// write-back (vm_pvn.c:816): pages inserted at the tail are missed
pub const WALK_STOP_AT_HEAD: &str = "walk-stop-at-head";

/// the VMODSORT early exit ignores the I/O lock (vm_pvn.c:841 before the
/// 2006 fix): a page whose write-back is in flight looks clean
pub const MODSORT_EXIT_IGNORES_IO: &str = "modsort-exit-ignores-io";

/// a synchronous walk passes a page whose page_lock dropped the mutex and
/// failed, instead of looking at it again (vm_pvn.c:909-910)
pub const WALK_SKIPS_BUSY: &str = "walk-skips-busy";

/// the async write-back takes the page lock under the vnode page mutex by
/// blocking instead of trying (vm_pvn.c:930)
pub const WALK_TRYLOCK_BLOCKS: &str = "walk-trylock-blocks";

/// the walk moves its marker only after pvn_getdirty and putapage
/// (vm_pvn.c:915-916 moved past 963-969)
pub const MARKER_MOVED_LATE: &str = "marker-moved-late";

/// pvn_getdirty frees or invalidates a page locked in memory
/// (vm_pvn.c:593-597)
pub const GETDIRTY_NO_LCKCNT: &str = "getdirty-no-lckcnt";

/// pvn_getdirty goes on without the I/O lock when its try fails
/// (vm_pvn.c:612-615)
pub const GETDIRTY_SKIPS_IOLOCK: &str = "getdirty-skips-iolock";

/// pvn_getdirty only syncs REF/MOD for B_FREE/B_INVAL instead of
/// unloading the translations (vm_pvn.c:630-631)
pub const GETDIRTY_FREE_WITHOUT_UNLOAD: &str = "getdirty-free-without-unload";

/// pvn_write_done moves every page of a VMODSORT vnode to the head,
/// modified during the I/O or not (vm_pvn.c:408)
pub const MODSORT_MOVES_MODIFIED: &str = "modsort-moves-modified";

/// a failed write does not set MOD again (vm_pvn.c:431)
pub const ERROR_NO_SETMOD: &str = "error-no-setmod";

/// pvn_write_done destroys a B_INVAL page without page_io_unlock
/// (vm_pvn.c:440)
pub const WRITE_DONE_KEEPS_IOLOCK: &str = "write-done-keeps-iolock";

/// pvn_write_done frees a page locked in memory (vm_pvn.c:470)
pub const WRITE_DONE_NO_LCKCNT: &str = "write-done-no-lckcnt";

/// pvn_write_done frees a page still mapped, without hat_pageunload
/// (vm_pvn.c:488-508)
pub const WRITE_DONE_FREE_MAPPED: &str = "write-done-free-mapped";

/// after hat_pageunload, pvn_write_done does not look at REF/MOD again
/// (vm_pvn.c:505-507): a write between the sync and the unload is lost
pub const CK_REFMOD_NO_RECHECK: &str = "ck-refmod-no-recheck";

/// pvn_vplist_setdirty treats markers as pages (vm_pvn.c:1017) and moves
/// them
pub const SETDIRTY_MOVES_MARKERS: &str = "setdirty-moves-markers";

/// pvn_write_kluster looks its neighbours up with page_lookup, waiting for
/// their locks, instead of page_lookup_nowait (vm_pvn.c:275, 287)
pub const KLUSTER_BLOCKING_LOOKUP: &str = "kluster-blocking-lookup";

/// the fault path maps a VMODSORT page writable without hat_setmod
/// (seg_map.c:759-760): a modified page stays among the clean ones
pub const FAULT_NO_SETMOD: &str = "fault-no-setmod";

/// fix V1 without the vnode page mutex around the failed write's
/// hat_setmod_only (vm_pvn.c:431)
pub const ERROR_SETMOD_UNLOCKED: &str = "error-setmod-unlocked";

/// fix V2 without its test of the end marker: the early exit stops at a
/// clean page though pages were moved behind the end marker
/// (vm_pvn.c:839-870)
pub const EXIT_IGNORES_MOVED: &str = "exit-ignores-moved";

/// Every pvn mutant.
pub const ALL: &[&str] = &[
    WALK_NO_VVMLOCK,
    EXIT_NO_BROADCAST,
    EXIT_KEEPS_MARKERS,
    WALK_STOP_AT_HEAD,
    MODSORT_EXIT_IGNORES_IO,
    WALK_SKIPS_BUSY,
    WALK_TRYLOCK_BLOCKS,
    MARKER_MOVED_LATE,
    GETDIRTY_NO_LCKCNT,
    GETDIRTY_SKIPS_IOLOCK,
    GETDIRTY_FREE_WITHOUT_UNLOAD,
    MODSORT_MOVES_MODIFIED,
    ERROR_NO_SETMOD,
    WRITE_DONE_KEEPS_IOLOCK,
    WRITE_DONE_NO_LCKCNT,
    WRITE_DONE_FREE_MAPPED,
    CK_REFMOD_NO_RECHECK,
    SETDIRTY_MOVES_MARKERS,
    KLUSTER_BLOCKING_LOOKUP,
    FAULT_NO_SETMOD,
    ERROR_SETMOD_UNLOCKED,
    EXIT_IGNORES_MOVED,
];
