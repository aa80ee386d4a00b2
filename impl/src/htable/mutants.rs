//! htable's mutants: the bugs its scenarios prove the checks catch, one
//! typed name each (`model::mutant(NAME)` where the bug is injected, and
//! the `harness::Mutant` declarations of the scenarios that catch it), so
//! a misspelt mutant does not compile. [`ALL`] lists them for the test that
//! every one is declared by a scenario.

/// the steal loop goes round without trying ptable_alloc again: the seed's
/// 841-864 (finding L1)
pub const ALLOC_NO_RETRY: &str = "alloc-no-retry";

/// htable_alloc takes the cache head it read without the hat mutex instead
/// of re-reading it (783-787)
pub const ALLOC_STALE_HINT: &str = "alloc-stale-hint";

/// htable_create hashes its new table without searching again after
/// allocating (1416-1420)
pub const CREATE_NO_RESEARCH: &str = "create-no-research";

/// htable_create releases the parent after linking a new child, whose hold
/// it is (1440-1443)
pub const CREATE_RELEASE_HIGHER: &str = "create-release-higher";

/// x86pte_inval skips the shootdown of a referenced entry (2273-2274)
pub const INVAL_NO_TLB: &str = "inval-no-tlb";

/// x86pte_inval reads the entry and stores 0 instead of the CAS loop
/// (2265-2272)
pub const INVAL_PLAIN_STORE: &str = "inval-plain-store";

/// hat_tlb_inval of the kernel hat shoots down no CPU (as if kas ran on
/// none; hat_i86.c uses khat_cpuset): a window's old translation survives
/// x86pte_inval
pub const KERNEL_NO_SHOOTDOWN: &str = "kernel-no-shootdown";

/// boot attaches no kernel leaf table: a kernel mapping links a new one at
/// the top level after a new hat copied the kernel range (1569-1573)
pub const KERNEL_TABLES_ON_DEMAND: &str = "kernel-tables-on-demand";

/// x86pte_set puts a large page over a link to a lower table instead of
/// returning LPAGE_ERROR (2126-2129)
pub const LPAGE_NO_LINK_CHECK: &str = "lpage-no-link-check";

/// hati_pte_map installs a mapping without HTABLE_INC of the valid count
pub const MEMLOAD_NO_COUNT: &str = "memload-no-count";

/// the reap on kmem_taskq clears HAT_VICTIM while its tables still name the
/// hat (651-666)
pub const REAP_NO_FORGET: &str = "reap-no-forget";

/// htable_release keeps the empty user tables below max_page_level instead
/// of those at and above it (1206-1208)
pub const RELEASE_KEEP_BELOW: &str = "release-keep-below";

/// htable_put_reserve bumps htable_reserve_cnt after dropping the reserve
/// mutex (362-366)
pub const RESERVE_COUNT_UNLOCKED: &str = "reserve-count-unlocked";

/// htable_lookup's chain search matches any table of the hat, whatever its
/// address and level (`||` for `&&`, 1294-1296)
pub const SEARCH_ANY_OF_HAT: &str = "search-any-of-hat";

/// x86pte_set does not carry REF/MOD over to the new entry of the same
/// frame (2101-2105)
pub const SET_DROP_REFMOD: &str = "set-drop-refmod";

/// x86pte_set skips the shootdown of a referenced entry (2147-2148)
pub const SET_NO_INVAL: &str = "set-no-inval";

/// htable_create does not pin the ISM table its new shared table uses
/// (1451-1455)
pub const SHARE_NO_PIN: &str = "share-no-pin";

/// htable_steal does not skip HAT_FREEING hats, whose entries hat_pte_unmap
/// only reads (604-613)
pub const STEAL_FREEING_HAT: &str = "steal-freeing-hat";

/// a stealer clears HAT_VICTIM without cv_broadcast(&hat_list_cv): the
/// teardown's hat_free_start sleeps for ever (690-694)
pub const STEAL_NO_BROADCAST: &str = "steal-no-broadcast";

/// htable_steal_active steals without re-checking busy/valid/lock count
/// under the bucket mutex (490-494)
pub const STEAL_NO_RECHECK: &str = "steal-no-recheck";

/// htable_steal_active takes a table without removing it from its hash
/// chain (505-513)
pub const STEAL_NO_UNHASH: &str = "steal-no-unhash";

/// htable_steal does not mark the hat HAT_VICTIM (618-622)
pub const STEAL_NO_VICTIM: &str = "steal-no-victim";

/// htable_steal_active keeps the bucket mutex while hat_pte_unmap takes the
/// mapping-list mutex (461-467)
pub const STEAL_UNMAP_UNDER_BUCKET: &str = "steal-unmap-under-bucket";

/// hat_tlb_inval for a HAT_SHARED hat shoots down only that hat's CPUs
/// (none), not every CPU
pub const TLB_INVAL_SHARED_LOCAL: &str = "tlb-inval-shared-local";

/// unlink_ptp uncounts the parent entry without clearing it (1085)
pub const UNLINK_KEEP_LINK: &str = "unlink-keep-link";

/// unlink_ptp skips the shootdown, leaving paging-structure entries through
/// the unlinked table (1098-1109)
pub const UNLINK_NO_INVAL: &str = "unlink-no-inval";

/// hat_unshare skips its final shootdown of everything
pub const UNSHARE_NO_DEMAP: &str = "unshare-no-demap";

/// x86pte_update skips the shootdown after a successful CAS (2304)
pub const UPDATE_NO_INVAL: &str = "update-no-inval";

/// x86pte_update reports success without re-reading MOD after the shootdown
/// (2306-2324)
pub const UPDATE_NO_RECHECK: &str = "update-no-recheck";

/// x86pte_inval decides whether to shoot down from MOD alone, not REF and
/// MOD (2273-2274): a read-only translation survives the unload
pub const INVAL_MOD_ONLY: &str = "inval-mod-only";

/// htable_purge_hat empties the cache without raising htable_dont_cache
/// (1028, 1046): its loop can never finish (SCHED-LIVELOCK)
pub const PURGE_NO_DONT_CACHE: &str = "purge-no-dont-cache";

/// htable_release decrements ht_busy after dropping the bucket mutex: two
/// releases each see busy 2 and nobody frees the empty table
pub const RELEASE_BUSY_AFTER_EXIT: &str = "release-busy-after-exit";

/// htable_steal wakes one hat_list_cv waiter instead of all (693), perhaps
/// one waiting for another hat
pub const STEAL_SIGNAL: &str = "steal-signal";

/// unlink_ptp skips its shootdown and the point H5 check after it: only
/// the outcome check (MMU-COHERENCE) can still see the stale link
pub const UNLINK_NO_INVAL_UNCHECKED: &str = "unlink-no-inval-unchecked";

/// Every mutant of htable.
pub const ALL: &[&str] = &[
    ALLOC_NO_RETRY,
    ALLOC_STALE_HINT,
    CREATE_NO_RESEARCH,
    CREATE_RELEASE_HIGHER,
    INVAL_MOD_ONLY,
    INVAL_NO_TLB,
    INVAL_PLAIN_STORE,
    KERNEL_NO_SHOOTDOWN,
    KERNEL_TABLES_ON_DEMAND,
    LPAGE_NO_LINK_CHECK,
    MEMLOAD_NO_COUNT,
    PURGE_NO_DONT_CACHE,
    REAP_NO_FORGET,
    RELEASE_BUSY_AFTER_EXIT,
    RELEASE_KEEP_BELOW,
    RESERVE_COUNT_UNLOCKED,
    SEARCH_ANY_OF_HAT,
    SET_DROP_REFMOD,
    SET_NO_INVAL,
    SHARE_NO_PIN,
    STEAL_FREEING_HAT,
    STEAL_NO_BROADCAST,
    STEAL_NO_RECHECK,
    STEAL_NO_UNHASH,
    STEAL_NO_VICTIM,
    STEAL_SIGNAL,
    STEAL_UNMAP_UNDER_BUCKET,
    TLB_INVAL_SHARED_LOCAL,
    UNLINK_KEEP_LINK,
    UNLINK_NO_INVAL,
    UNLINK_NO_INVAL_UNCHECKED,
    UNSHARE_NO_DEMAP,
    UPDATE_NO_INVAL,
    UPDATE_NO_RECHECK,
];
