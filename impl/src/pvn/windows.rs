//! Coverage points: the race windows the seed's comments describe and the
//! paths of vm_pvn.c around them, each marked with `model::cover` where a
//! scenario reaches it, with its seed lines.

/// A race window or path of vm_pvn.c and the point that marks it.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    /// Seed lines (the seed file's own).
    pub lines: &'static str,
    pub point: &'static str,
    pub what: &'static str,
}

pub const ASYNC_EAGAIN: &str = "pvn.vplist_dirty.async_eagain";
pub const VVMLOCK_WAITS: &str = "pvn.vplist_dirty.vvmlock_waits";
pub const EMPTIED_WHILE_WAITING: &str = "pvn.vplist_dirty.emptied_while_waiting";
pub const EMPTY_UNDER_VPHM: &str = "pvn.vplist_dirty.empty_under_vphm";
pub const ASYNC_STOPS_AT_HEAD: &str = "pvn.vplist_dirty.async_stops_at_head";
pub const MARKER_MEETS_END: &str = "pvn.vplist_dirty.marker_meets_end";
pub const MODSORT_EXIT: &str = "pvn.vplist_dirty.modsort_exit";
pub const MODSORT_IO_WAIT: &str = "pvn.vplist_dirty.modsort_io_wait";
pub const MODSORT_EXIT_DEFERRED: &str = "pvn.vplist_dirty.modsort_exit_deferred";
pub const BELOW_OFFSET: &str = "pvn.vplist_dirty.below_offset";
pub const PAGE_LOCK_DROPS: &str = "pvn.vplist_dirty.page_lock_drops";
pub const TRYLOCK_SKIPS: &str = "pvn.vplist_dirty.trylock_skips";
pub const FREE_SKIPPED: &str = "pvn.vplist_dirty.free_skipped";
pub const FREE_DESTROYED: &str = "pvn.vplist_dirty.free_destroyed";
pub const WALK_WRITES: &str = "pvn.vplist_dirty.writes";
pub const PASSES_CREATED: &str = "pvn.vplist_dirty.passes_created";
pub const PASSES_MOVED: &str = "pvn.vplist_dirty.passes_moved";
pub const NEIGHBOUR_DESTROYED: &str = "pvn.vplist_dirty.neighbour_destroyed";
pub const GETDIRTY_LOCKED_IN_MEMORY: &str = "pvn.getdirty.locked_in_memory";
pub const GETDIRTY_IO_BUSY: &str = "pvn.getdirty.io_busy";
pub const GETDIRTY_CLEAN: &str = "pvn.getdirty.clean";
pub const GETDIRTY_DOWNGRADES: &str = "pvn.getdirty.downgrades";
pub const DISPOSE_FREE: &str = "pvn.dispose.free";
pub const DISPOSE_DESTROY: &str = "pvn.dispose.destroy";
pub const RELEASE_FREES: &str = "pvn.page_release.frees";
pub const RELEASE_KEEPS: &str = "pvn.page_release.keeps";
pub const WRITE_FREE_LOW_MEMORY: &str = "pvn.write_done.low_memory_frees";
pub const WRITE_DONE_TO_HEAD: &str = "pvn.write_done.modsort_to_head";
pub const WRITE_DONE_STAYS: &str = "pvn.write_done.modsort_stays";
pub const WRITE_ERROR_FORCED: &str = "pvn.write_done.error_forced";
pub const WRITE_ERROR_REDIRTIES: &str = "pvn.write_done.error_redirties";
pub const WRITE_DONE_DESTROYS: &str = "pvn.write_done.destroys";
pub const WRITE_DONE_UPGRADE_FAILS: &str = "pvn.write_done.upgrade_fails";
pub const WRITE_DONE_LOCKED_IN_MEMORY: &str = "pvn.write_done.locked_in_memory";
pub const WRITE_DONE_REFMOD_KEEPS: &str = "pvn.write_done.refmod_keeps";
pub const CK_REFMOD_UNLOADS: &str = "pvn.write_done.ck_refmod_unloads";
pub const CK_REFMOD_CAUGHT: &str = "pvn.write_done.ck_refmod_caught";
pub const WRITE_DONE_FREES: &str = "pvn.write_done.frees";
pub const SETDIRTY_SKIPS_MARKER: &str = "pvn.setdirty.skips_marker";
pub const SETDIRTY_SHUFFLES: &str = "pvn.setdirty.shuffles";
pub const KLUSTER_BUSY: &str = "pvn.write_kluster.busy";
pub const KLUSTER_ADDS: &str = "pvn.write_kluster.adds";
pub const READ_KLUSTER_EXISTS: &str = "pvn.read_kluster.exists";
pub const READ_KLUSTER_CREATES: &str = "pvn.read_kluster.creates";
pub const CPU_FAULTS: &str = "pvn.cpu.faults";
pub const FAULT_READS_IN: &str = "pvn.fault.reads_in";
pub const PREFETCH_READS: &str = "pvn.io_done.prefetch";

/// Real-thread stress: one completed operation of each kind.
pub const OP_WALK: &str = "op.walk";
pub const OP_WRITE: &str = "op.cpu_write";
pub const OP_PAGEOUT: &str = "op.pageout";

/// The windows and paths, with their seed lines.
pub const WINDOWS: &[Window] = &[
    Window { lines: "768-772", point: ASYNC_EAGAIN, what: "an async walk finds VVMLOCK set and returns EAGAIN" },
    Window { lines: "774-775", point: VVMLOCK_WAITS, what: "a synchronous walk waits on v_cv for VVMLOCK" },
    Window { lines: "777-780", point: EMPTIED_WHILE_WAITING, what: "the ring went empty while the walk waited for VVMLOCK" },
    Window { lines: "802-803", point: EMPTY_UNDER_VPHM, what: "the ring is empty once the vnode page mutex is held" },
    Window { lines: "816-817", point: ASYNC_STOPS_AT_HEAD, what: "the async write-back stops at the head" },
    Window { lines: "822-823", point: MARKER_MEETS_END, what: "the marker meets the end marker: every page passed" },
    Window { lines: "839-870", point: MODSORT_EXIT, what: "a VMODSORT walk stops at a clean page with no I/O" },
    Window { lines: "839-870", point: MODSORT_EXIT_DEFERRED, what: "fix V2: a clean page is passed, not exited at, while pages sit behind the end marker" },
    Window { lines: "871-881", point: MODSORT_IO_WAIT, what: "a synchronous VMODSORT walk waits for a clean page's I/O and looks again" },
    Window { lines: "888-892", point: BELOW_OFFSET, what: "a page below the offset is passed" },
    Window { lines: "904-910", point: PAGE_LOCK_DROPS, what: "page_lock drops the vnode page mutex, waits and fails: the walk re-derives its page from the marker" },
    Window { lines: "917-931", point: TRYLOCK_SKIPS, what: "the async write-back skips a page it cannot trylock" },
    Window { lines: "941-945", point: FREE_SKIPPED, what: "a free page is passed" },
    Window { lines: "947-953", point: FREE_DESTROYED, what: "a free page is destroyed (B_INVAL) with the mutex dropped" },
    Window { lines: "963-969", point: WALK_WRITES, what: "pvn_getdirty and putapage with the mutex dropped" },
    Window { lines: "721-733", point: PASSES_CREATED, what: "the marker passes a page created (inserted at the head) during the walk" },
    Window { lines: "721-733", point: PASSES_MOVED, what: "the marker passes a page moved to an end of the ring during the walk" },
    Window { lines: "730-733", point: NEIGHBOUR_DESTROYED, what: "the page next to the marker was destroyed while the mutex was dropped" },
    Window { lines: "593-597", point: GETDIRTY_LOCKED_IN_MEMORY, what: "pvn_getdirty leaves a page locked in memory alone" },
    Window { lines: "611-615", point: GETDIRTY_IO_BUSY, what: "pvn_getdirty's I/O trylock fails (kluster or async)" },
    Window { lines: "636-663", point: GETDIRTY_CLEAN, what: "pvn_getdirty finds the page clean: destroy, free or release" },
    Window { lines: "678-679", point: GETDIRTY_DOWNGRADES, what: "pvn_getdirty downgrades a page to be freed after its write" },
    Window { lines: "526-527, 644-647", point: DISPOSE_FREE, what: "VN_DISPOSE(B_FREE)" },
    Window { lines: "429, 442, 644", point: DISPOSE_DESTROY, what: "VN_DISPOSE(B_INVAL)" },
    Window { lines: "661", point: RELEASE_FREES, what: "page_release frees an unused clean page" },
    Window { lines: "661", point: RELEASE_KEEPS, what: "page_release keeps a page (mapped, modified or busy)" },
    Window { lines: "384-387", point: WRITE_FREE_LOW_MEMORY, what: "memory is low: the completed write frees its pages" },
    Window { lines: "401-413", point: WRITE_DONE_TO_HEAD, what: "a clean written page moves to the head of a VMODSORT ring" },
    Window { lines: "401-413", point: WRITE_DONE_STAYS, what: "a page modified during its write stays among the modified pages" },
    Window { lines: "426-429", point: WRITE_ERROR_FORCED, what: "a failed B_INVAL | B_FORCE write destroys the page" },
    Window { lines: "430-434", point: WRITE_ERROR_REDIRTIES, what: "a failed write sets MOD again (hat_setmod_only)" },
    Window { lines: "435-442", point: WRITE_DONE_DESTROYS, what: "a B_INVAL write destroys its page" },
    Window { lines: "535-542", point: WRITE_DONE_UPGRADE_FAILS, what: "pvn_write_done cannot upgrade: someone holds the page" },
    Window { lines: "469-470", point: WRITE_DONE_LOCKED_IN_MEMORY, what: "pvn_write_done does not free a page locked in memory" },
    Window { lines: "529-534", point: WRITE_DONE_REFMOD_KEEPS, what: "REF or MOD set during the write: the page is kept" },
    Window { lines: "487-508", point: CK_REFMOD_UNLOADS, what: "ck_refmod unloads the translations and looks at REF/MOD again" },
    Window { lines: "496-507", point: CK_REFMOD_CAUGHT, what: "the second look finds REF/MOD a CPU set between the sync and the unload" },
    Window { lines: "526-528", point: WRITE_DONE_FREES, what: "pvn_write_done frees the page" },
    Window { lines: "1017", point: SETDIRTY_SKIPS_MARKER, what: "pvn_vplist_setdirty passes a walker's marker" },
    Window { lines: "1024-1029", point: SETDIRTY_SHUFFLES, what: "pvn_vplist_setdirty moves a page to the tail of a VMODSORT ring" },
    Window { lines: "275-277, 287-289", point: KLUSTER_BUSY, what: "a neighbour is busy: the kluster stops" },
    Window { lines: "278-280, 290-293", point: KLUSTER_ADDS, what: "a dirty neighbour joins the write" },
    Window { lines: "146-148", point: READ_KLUSTER_EXISTS, what: "the page to read exists already" },
    Window { lines: "146-197", point: READ_KLUSTER_CREATES, what: "pvn_read_kluster creates pages (at the head of the ring)" },
    Window { lines: "seg_map.c:740-767", point: CPU_FAULTS, what: "a CPU faults on a page whose translation was unloaded or write-protected" },
    Window { lines: "305-316", point: PREFETCH_READS, what: "a prefetch reads a page in and pvn_io_done unlocks it" },
    Window { lines: "1195-1197", point: FAULT_READS_IN, what: "the fault reads a destroyed page in again" },
];
