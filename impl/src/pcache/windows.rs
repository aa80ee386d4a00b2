//! Coverage points: the race windows the seed's comments describe and the
//! seed's counters (`seg_pathr_empty_ahb`, `seg_pathr_full_ahb`), each
//! marked with `model::cover` where a scenario reaches it.

/// A race window or counter of vm_seg.c and the point that marks it.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    /// Seed lines (the seed file's own).
    pub lines: &'static str,
    pub point: &'static str,
    pub what: &'static str,
}

pub const ADD_ON_OTHER: &str = "pcache.padd_abuck.on_other_list";
pub const REMOVE_WHILE_ATHR: &str = "pcache.premove_abuck.left_for_athr";
pub const CHECKDUP_DROPS: &str = "pcache.checkdup.drops_smaller";
pub const INSERT_ACCOUNTS: &str = "pcache.pinsert.accounts";
pub const INSERT_FOUND: &str = "pcache.pinsert.found_cover";
pub const INACTIVE_DISABLED: &str = "pcache.pinactive.disabled_takes_p";
pub const INACTIVE_DUP: &str = "pcache.pinactive.dup_try_ok";
pub const INACTIVE_TRY_FAILS: &str = "pcache.pinactive.dup_try_fails";
pub const INACTIVE_KEEP: &str = "pcache.pinactive.keep";
pub const ASYNC_ALREADY_ON: &str = "pcache.ppurge_async.athr_already_on";
pub const ASYNC_CLAIMS: &str = "pcache.ppurge_async.claims";
pub const ATHR_EMPTY_AHB: &str = "pcache.seg_pathr_empty_ahb";
pub const ATHR_FULL_AHB: &str = "pcache.seg_pathr_full_ahb";
pub const SECOND_CHANCE: &str = "pcache.ppurge_async.second_chance";
pub const ASYNC_TRY_SKIPS: &str = "pcache.ppurge_async.try_skips";
pub const ASYNC_SWITCHES: &str = "pcache.ppurge_async.switches_lists";
pub const ASYNC_REHEADS: &str = "pcache.ppurge_async.reheads";
pub const PURGE_STOPS_ACTIVE: &str = "pcache.ppurge.stops_at_active";
pub const WIREDPP_PURGES: &str = "pcache.ppurge_wiredpp.bucket";
pub const PREAP_SIGNALS: &str = "pcache.preap.signals";
pub const ASYNC_TIMED_OUT: &str = "pcache.pasync_thread.timed_out";
pub const ASYNC_SIGNALLED: &str = "pcache.pasync_thread.signalled";
pub const DISABLE_STALLS: &str = "pcache.p_disable.stalls";
pub const DISABLE_EMPTIES: &str = "pcache.p_disable.empties";

/// Real-thread stress: one completed operation of each kind.
pub const OP_INSERT: &str = "op.insert";
pub const OP_HIT: &str = "op.lookup_hit";
pub const OP_INACTIVE: &str = "op.inactive";

/// The windows and counters, with their seed lines.
pub const WINDOWS: &[Window] = &[
    Window {
        lines: "317-326",
        point: ADD_ON_OTHER,
        what: "a bucket refilled while still on the async thread's list stays there",
    },
    Window {
        lines: "393-409",
        point: REMOVE_WHILE_ATHR,
        what: "an emptied bucket on the async thread's list is left to it",
    },
    Window {
        lines: "437-448",
        point: CHECKDUP_DROPS,
        what: "an insert drops a smaller inactive entry at the same address",
    },
    Window {
        lines: "831-840",
        point: INSERT_ACCOUNTS,
        what: "an insert accounts its pages before it links its entry",
    },
    Window {
        lines: "878-887",
        point: INSERT_FOUND,
        what: "an insert finds a covering entry cached",
    },
    Window {
        lines: "553-562",
        point: INACTIVE_DISABLED,
        what: "seg_pinactive takes P up front while the cache is disabled",
    },
    Window {
        lines: "672-708",
        point: INACTIVE_DUP,
        what: "seg_pinactive finds a duplicate and its tryenter of P succeeds",
    },
    Window {
        lines: "696-707",
        point: INACTIVE_TRY_FAILS,
        what: "seg_pinactive's tryenter of P fails: drop B, take P, retake B, rescan",
    },
    Window {
        lines: "573-586",
        point: INACTIVE_KEEP,
        what: "the duplicate went away while B was dropped: keep our entry",
    },
    Window {
        lines: "1034-1038",
        point: ASYNC_ALREADY_ON,
        what: "a purge finds the async walk in progress and only runs its callbacks",
    },
    Window {
        lines: "1039-1042",
        point: ASYNC_CLAIMS,
        what: "a purge claims seg_pathr_on and walks the other list without M",
    },
    Window {
        lines: "1052-1054",
        point: ATHR_EMPTY_AHB,
        what: "counter seg_pathr_empty_ahb: an empty bucket on the walked list",
    },
    Window {
        lines: "1056",
        point: ATHR_FULL_AHB,
        what: "counter seg_pathr_full_ahb: a non-empty bucket walked",
    },
    Window {
        lines: "1072-1076",
        point: SECOND_CHANCE,
        what: "a referenced entry gets a second chance",
    },
    Window {
        lines: "1086-1088",
        point: ASYNC_TRY_SKIPS,
        what: "the async walk's tryenter of P fails: the entry is skipped",
    },
    Window {
        lines: "1122-1137",
        point: ASYNC_SWITCHES,
        what: "the walked list becomes the current one",
    },
    Window {
        lines: "1138-1155",
        point: ASYNC_REHEADS,
        what: "the walk stops early and re-heads the list",
    },
    Window {
        lines: "1328-1331",
        point: PURGE_STOPS_ACTIVE,
        what: "seg_ppurge stops at an active entry",
    },
    Window {
        lines: "1211-1254",
        point: WIREDPP_PURGES,
        what: "seg_ppurge_wiredpp purges a wired bucket",
    },
    Window {
        lines: "1518",
        point: PREAP_SIGNALS,
        what: "seg_preap signals the purge thread",
    },
    Window {
        lines: "1547",
        point: ASYNC_TIMED_OUT,
        what: "the purge thread wakes by its timeout",
    },
    Window {
        lines: "1547",
        point: ASYNC_SIGNALLED,
        what: "the purge thread wakes by seg_preap's signal",
    },
    Window {
        lines: "1740-1743",
        point: DISABLE_STALLS,
        what: "seg_p_disable gives up on a stalled cache",
    },
    Window {
        lines: "1736-1749",
        point: DISABLE_EMPTIES,
        what: "seg_p_disable empties the cache",
    },
];
