//! Coverage points: the race windows the seed's comments describe, each
//! marked with `model::cover` where a scenario reaches it. (The seed's
//! HATSTAT counters are marked too, as `htable.hs_*`.)

/// A race window of htable.c and the point that shows it was reached.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    /// Seed lines (htable.c).
    pub lines: &'static str,
    /// The coverage point.
    pub point: &'static str,
    pub what: &'static str,
    /// Reachable only with the blind hardware MOD update (`hw-mod=blind`).
    pub blind_only: bool,
}

/// The reap `kmem_reap()` scheduled starts while an allocator is still
/// in `htable_alloc`'s steal loop.
pub const REAP_RACES_ALLOC: &str = "htable.kmem_reap.races_alloc";
/// `hat_alloc` copied the kernel's top-level entries (`x86pte_copy`).
pub const KERNEL_COPY: &str = "htable.x86pte_copy";
/// `htable_steal_active` unmaps a table's entries with the bucket mutex
/// dropped.
pub const STEAL_UNMAPS: &str = "htable.steal_active.unmaps_unlocked";
/// `hat_pte_unmap` found the entry changed under it (hat_pageunload won).
pub const UNMAP_RACED: &str = "htable.hat_pte_unmap.raced";
/// `htable_steal_active` gave a table up after the re-check.
pub const STEAL_GAVE_UP: &str = "htable.steal_active.gave_up";
/// `htable_steal` skipped a hat marked VICTIM or FREEING.
pub const STEAL_SKIPS: &str = "htable.steal.skips_hat";
/// `hat_free_start` waited for HAT_VICTIM to clear.
pub const FREE_START_WAITS: &str = "htable.hat_free_start.waits";
/// A reaper forgot the hat in a table it took.
pub const REAP_FORGETS: &str = "htable.steal.forgets_hat";
/// `unlink_ptp` shot down the paging-structure caches.
pub const UNLINK_INVAL: &str = "htable.unlink_ptp.shootdown";
/// `htable_create` lost the race to create a table and freed its own.
pub const CREATE_LOST: &str = "htable.create.lost_race";
/// `htable_create` linked a new table, keeping the hold on its parent.
pub const CREATE_LINKS: &str = "htable.create.links_child";
/// `x86pte_set`'s CAS lost to the MMU setting REF/MOD.
pub const SET_HW_RACE: &str = "htable.x86pte_set.hw_race";
/// `x86pte_set` shot down a referenced entry.
pub const SET_INVAL: &str = "htable.x86pte_set.shootdown";
/// `x86pte_inval`'s CAS lost to the MMU setting REF/MOD.
pub const INVAL_HW_RACE: &str = "htable.x86pte_inval.hw_race";
/// `x86pte_inval` shot down a referenced entry.
pub const INVAL_INVAL: &str = "htable.x86pte_inval.shootdown";
/// `x86pte_update` shot down the entry it changed.
pub const UPDATE_INVAL: &str = "htable.x86pte_update.shootdown";
/// `x86pte_update` found MOD set by a write through a stale translation
/// (only with the blind hardware MOD update).
pub const UPDATE_STALE_WRITE: &str = "htable.x86pte_update.stale_write";
/// `htable_alloc` saw a cached htable without the hat mutex but found the
/// cache empty under it.
pub const ALLOC_CACHE_RACED: &str = "htable.alloc.cache_raced";

/// The windows, with their seed lines.
pub const WINDOWS: &[Window] = &[
    Window {
        lines: "461-467",
        point: STEAL_UNMAPS,
        what: "steal_active unmaps with the bucket mutex dropped",
        blind_only: false,
    },
    Window {
        lines: "461-464, hat_pte_unmap",
        point: UNMAP_RACED,
        what: "hat_pageunload changed the entry under steal_active's unmap",
        blind_only: false,
    },
    Window {
        lines: "484-494",
        point: STEAL_GAVE_UP,
        what: "a hold or mapping appeared behind the stealer",
        blind_only: false,
    },
    Window {
        lines: "599-616",
        point: STEAL_SKIPS,
        what: "a hat being stolen from or freed is skipped",
        blind_only: false,
    },
    Window {
        lines: "618-623, hat_free_start",
        point: FREE_START_WAITS,
        what: "teardown waits for HAT_VICTIM",
        blind_only: false,
    },
    Window {
        lines: "651-666",
        point: REAP_FORGETS,
        what: "the reaper forgets the hat while HAT_VICTIM holds it",
        blind_only: false,
    },
    Window {
        lines: "1098-1109",
        point: UNLINK_INVAL,
        what: "unlink_ptp's shootdown of paging-structure entries",
        blind_only: false,
    },
    Window {
        lines: "1341-1343, 1404-1407",
        point: CREATE_LOST,
        what: "create allocates unlocked and loses the race",
        blind_only: false,
    },
    Window {
        lines: "1426-1443",
        point: CREATE_LINKS,
        what: "a new child keeps its creator's hold on the parent",
        blind_only: false,
    },
    Window {
        lines: "2097-2134",
        point: SET_HW_RACE,
        what: "x86pte_set retries after a hardware REF/MOD update",
        blind_only: false,
    },
    Window {
        lines: "2136-2148",
        point: SET_INVAL,
        what: "x86pte_set shoots down a referenced entry",
        blind_only: false,
    },
    Window {
        lines: "2261-2272",
        point: INVAL_HW_RACE,
        what: "x86pte_inval retries after a hardware REF/MOD update",
        blind_only: false,
    },
    Window {
        lines: "2273-2274",
        point: INVAL_INVAL,
        what: "x86pte_inval shoots down a referenced entry",
        blind_only: false,
    },
    Window {
        lines: "2303-2304",
        point: UPDATE_INVAL,
        what: "x86pte_update shoots down the changed entry",
        blind_only: false,
    },
    Window {
        lines: "2306-2324",
        point: UPDATE_STALE_WRITE,
        what: "a write through a stale entry set MOD before the shootdown (blind MOD only)",
        blind_only: true,
    },
    Window {
        lines: "783-793",
        point: ALLOC_CACHE_RACED,
        what: "the cache hint was stale: a purge emptied it",
        blind_only: false,
    },
    Window {
        lines: "2336-2381",
        point: KERNEL_COPY,
        what: "hat_alloc copies the kernel's top-level entries with x86pte_copy",
        blind_only: false,
    },
    Window {
        lines: "841-843 + kmem_reap",
        point: REAP_RACES_ALLOC,
        what: "the reap kmem_reap() scheduled runs on kmem_taskq while the allocator steals",
        blind_only: false,
    },
];
