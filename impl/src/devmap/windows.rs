//! Coverage points: the race windows and paths the seed's comments
//! describe, each marked with `model::cover` where a scenario reaches it.

pub use crate::pcache::Window;

pub const SOFTLOCK_WAITS: &str = "devmap.softlock_enter.softlock_waits";
pub const INVAL_WAITS: &str = "devmap.softlock_enter.inval_waits";
pub const ENTER_INTERRUPTED: &str = "devmap.softlock_enter.interrupted";
pub const EXIT_WAKES: &str = "devmap.softlock_exit.wakes";
pub const ACCESS_UNLOCKED: &str = "devmap.fault.access_without_dh_lock";
pub const UNWIND_EARLIER: &str = "devmap.fault.unwind_earlier_handles";
pub const UNWIND_FIRST: &str = "devmap.fault.unwind_first_handle";
pub const FAULTPAGES_UNWINDS: &str = "devmap.faultpages.unwinds_softlock";
pub const KPMEM_FIRST: &str = "devmap.kpmem.first_lock_faults_segkp";
pub const KPMEM_LAST: &str = "devmap.kpmem.last_unlock_unfaults_segkp";
pub const SOFTUNLOCK_WAKES_UNMAP: &str = "devmap.softunlock.wakes_unmapper";
pub const UNMAP_WAITS: &str = "devmap.unmap.waits_for_softunlock";
pub const CTX_WAITS: &str = "devmap.ctxmgt.hysteresis_wait";
pub const CTX_TIMEOUT_SET: &str = "devmap.ctxmgt.timeout_set";
pub const CTX_RELEASED_AT_ONCE: &str = "devmap.ctxmgt.released_at_once";
pub const CTX_ERROR_RELEASES: &str = "devmap.ctxmgt.error_releases";
pub const CTXTO_RUNS: &str = "devmap.ctxto.runs";
pub const CTX_RELE_UNTIMEOUT: &str = "devmap.ctx_rele.untimeout";
pub const CTX_RELE_CALLOUT_RAN: &str = "devmap.ctx_rele.callout_already_ran";
pub const REMAP_UNLOADS: &str = "devmap.remap.unloads_old_range";

/// The windows, with their seed lines (seg_dev.c, the seed file's own).
pub const WINDOWS: &[Window] = &[
    Window {
        lines: "1260-1266",
        point: SOFTLOCK_WAITS,
        what: "an F_SOFTLOCK waits while the softlock is held either way",
    },
    Window {
        lines: "1271-1276",
        point: INVAL_WAITS,
        what: "an F_INVAL waits while an F_SOFTLOCK holds the softlock",
    },
    Window {
        lines: "1261-1264",
        point: ENTER_INTERRUPTED,
        what: "a signal ends a softlock wait with EINTR",
    },
    Window {
        lines: "1298-1299",
        point: EXIT_WAKES,
        what: "the exit that brings softlocked to zero wakes a waiter",
    },
    Window {
        lines: "1819-1825",
        point: ACCESS_UNLOCKED,
        what: "the driver's devmap_access runs with dh_lock dropped",
    },
    Window {
        lines: "1838-1860",
        point: UNWIND_EARLIER,
        what: "a later handle fails an F_SOFTLOCK: F_SOFTUNLOCK of the earlier ones",
    },
    Window {
        lines: "1861-1862",
        point: UNWIND_FIRST,
        what: "the first handle fails: the softlock pages go back",
    },
    Window {
        lines: "2035-2045",
        point: FAULTPAGES_UNWINDS,
        what: "segdev_faultpages unwinds a failed F_SOFTLOCK page by page",
    },
    Window {
        lines: "1210-1214",
        point: KPMEM_FIRST,
        what: "the first pending fault F_SOFTLOCKs the segkp range",
    },
    Window {
        lines: "1229-1233",
        point: KPMEM_LAST,
        what: "the last release F_SOFTUNLOCKs the segkp range",
    },
    Window {
        lines: "1383-1398",
        point: SOFTUNLOCK_WAKES_UNMAP,
        what: "the last softunlock wakes an unmapper",
    },
    Window {
        lines: "654-663",
        point: UNMAP_WAITS,
        what: "segdev_unmap says EAGAIN while pages are softlocked; as_unmap waits",
    },
    Window {
        lines: "2633-2634",
        point: CTX_WAITS,
        what: "a process waits while another holds the device context",
    },
    Window {
        lines: "2672-2676",
        point: CTX_TIMEOUT_SET,
        what: "the hysteresis callout is set",
    },
    Window {
        lines: "2677-2686",
        point: CTX_RELEASED_AT_ONCE,
        what: "no hysteresis any more: the context is given back at once",
    },
    Window {
        lines: "2658-2663",
        point: CTX_ERROR_RELEASES,
        what: "the context callback failed: oncpu cleared",
    },
    Window {
        lines: "347-355",
        point: CTXTO_RUNS,
        what: "the hysteresis callout gives the context back",
    },
    Window {
        lines: "3023-3031",
        point: CTX_RELE_UNTIMEOUT,
        what: "the last release cancels the callout with the context mutex dropped",
    },
    Window {
        lines: "3028-3030",
        point: CTX_RELE_CALLOUT_RAN,
        what: "the callout had started: untimeout waited for it or found it done",
    },
    Window {
        lines: "3533-3534",
        point: REMAP_UNLOADS,
        what: "a remap unloads the old translations under dh_lock",
    },
];
