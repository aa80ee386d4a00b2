//! pcache's mutants: the bugs its scenarios prove the checks catch, one
//! typed name each (`model::mutant(NAME)` where the bug is injected, and
//! the `harness::Mutant` declarations of the scenarios that catch it), so
//! a misspelt mutant does not compile. [`ALL`] lists them for the test that
//! every one is declared by a scenario.

/// seg_pinsert accounts its pages after linking the entry (vm_seg.c:831-840)
pub const ACCOUNT_AFTER_LINK: &str = "account-after-link";

/// seg_padd_abuck does not put a refilled bucket on the current active
/// list (vm_seg.c:332-335; seg_pinsert's call at 900-903)
pub const ADD_ABUCK_SKIP: &str = "add-abuck-skip";

/// the async walk enters the seg/amp list mutex under the bucket mutex
/// instead of trying it (vm_seg.c:1086)
pub const ASYNC_BLOCKING_P: &str = "async-blocking-p";

/// the async walk takes active entries too (vm_seg.c:1069)
pub const ASYNC_SKIP_ACTIVE_CHECK: &str = "async-skip-active-check";

/// the async purge walks the other list without claiming seg_pathr_on
/// (vm_seg.c:1039)
pub const ATHR_NO_CLAIM: &str = "athr-no-claim";

/// seg_ppurge runs the callbacks before dropping the list mutex
/// (vm_seg.c:1344-1346)
pub const CALLBACK_UNDER_BUCKET: &str = "callback-under-bucket";

/// seg_plookup_checkdup drops a smaller entry that is still active
/// (vm_seg.c:439)
pub const CHECKDUP_ACTIVE: &str = "checkdup-active";

/// seg_pinactive enters the seg/amp list mutex under the bucket mutex
/// instead of trying it (vm_seg.c:696)
pub const INACTIVE_BLOCKING_P: &str = "inactive-blocking-p";

/// after a failed tryenter seg_pinactive takes the list mutex but rescans
/// without retaking the bucket mutex (vm_seg.c:697-699)
pub const INACTIVE_NO_RETAKE: &str = "inactive-no-retake";

/// seg_pinactive frees a duplicate without giving its pages back to the
/// window accounting (vm_seg.c:717-725)
pub const INACTIVE_NO_UNACCOUNT: &str = "inactive-no-unaccount";

/// fix P1 without the insert's re-test of seg_pdisabled under
/// seg_pmem_mtx (vm_seg.c:824)
pub const INSERT_NO_RECHECK: &str = "insert-no-recheck";

/// seg_plookup hands out a list without raising p_active (vm_seg.c:505)
pub const LOOKUP_NO_ACTIVE: &str = "lookup-no-active";

/// seg_padd_abuck adds a bucket still on the async thread's list to the
/// current one too (vm_seg.c:322-326)
pub const PADD_BOTH_LISTS: &str = "padd-both-lists";

/// an unlink leaves the entry on its P-list (vm_seg.c:1333-1334)
pub const PLIST_KEEP: &str = "plist-keep";

/// seg_premove_abuck removes the bucket from the async thread's list while
/// it walks it (vm_seg.c:404)
pub const PREMOVE_IGNORES_ATHR: &str = "premove-ignores-athr";

/// fix P2 without the pending flag: seg_preap's signal alone is lost again
/// (vm_seg.c:1518)
pub const REAP_NO_PENDING: &str = "reap-no-pending";

/// seg_ppurge runs an entry's callback twice (vm_seg.c:1350)
pub const RECLAIM_TWICE: &str = "reclaim-twice";

/// seg_unmap frees the segment without seg_ppurge or the wait: the async
/// walk or the callback uses it (vm_seg.c:1646-1695)
pub const UNMAP_NO_PURGE: &str = "unmap-no-purge";

/// seg_unmap frees the segment without waiting for its softlockcnt to
/// drain (the stand-in's AS_UNMAPWAIT)
pub const UNMAP_NO_WAIT: &str = "unmap-no-wait";

/// seg_pinsert_check and seg_pinsert do not test the window limit
/// (vm_seg.c:760, 833)
pub const WINDOW_UNCHECKED: &str = "window-unchecked";

/// seg_ppurge_wiredpp takes active entries too (vm_seg.c:1224)
pub const WIREDPP_ACTIVE: &str = "wiredpp-active";

/// Every pcache mutant.
pub const ALL: &[&str] = &[
    ACCOUNT_AFTER_LINK,
    ADD_ABUCK_SKIP,
    ASYNC_BLOCKING_P,
    ASYNC_SKIP_ACTIVE_CHECK,
    ATHR_NO_CLAIM,
    CALLBACK_UNDER_BUCKET,
    CHECKDUP_ACTIVE,
    INACTIVE_BLOCKING_P,
    INACTIVE_NO_RETAKE,
    INACTIVE_NO_UNACCOUNT,
    INSERT_NO_RECHECK,
    LOOKUP_NO_ACTIVE,
    PADD_BOTH_LISTS,
    PLIST_KEEP,
    PREMOVE_IGNORES_ATHR,
    REAP_NO_PENDING,
    RECLAIM_TWICE,
    UNMAP_NO_PURGE,
    UNMAP_NO_WAIT,
    WINDOW_UNCHECKED,
    WIREDPP_ACTIVE,
];
