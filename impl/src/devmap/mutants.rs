//! devmap's mutants: the bugs its scenarios prove the checks catch, one
//! typed name each (`model::mutant(NAME)` where the bug is injected, and
//! the `harness::Mutant` declarations of the scenarios that catch it).
//! [`ALL`] lists them for the test that every one is declared.

/// devmap_softlock_enter lets an F_SOFTLOCK in while the softlock is held
/// (seg_dev.c:1260)
pub const SOFTLOCK_ENTER_NO_WAIT: &str = "softlock-enter-no-wait";
/// devmap_softlock_enter lets an F_INVAL in while an F_SOFTLOCK holds the
/// softlock (seg_dev.c:1271)
pub const INVAL_ENTER_IGNORES_SOFTLOCK: &str = "inval-enter-ignores-softlock";
/// devmap_softlock_exit does not wake a waiter at zero (seg_dev.c:1298-1299,
/// 1305-1306)
pub const SOFTLOCK_EXIT_NO_SIGNAL: &str = "softlock-exit-no-signal";
/// devmap_softlock_init does not count the handle's reference
/// (seg_dev.c:2935)
pub const SOFTLOCK_INIT_NO_REF: &str = "softlock-init-no-ref";
/// devmap_softlock_rele frees the softlock while other handles refer to it
/// (seg_dev.c:2966)
pub const SOFTLOCK_RELE_FREES_EARLY: &str = "softlock-rele-frees-early";
/// segdev_fault does not give back an F_INVAL's softlock pages at its end
/// (seg_dev.c:1888-1889)
pub const INVAL_NO_EXIT: &str = "inval-no-exit";
/// segdev_fault calls the driver's devmap_access with dh_lock held
/// (seg_dev.c:1822)
pub const ACCESS_HOLDS_DH_LOCK: &str = "access-holds-dh-lock";
/// a later handle fails an F_SOFTLOCK: the earlier handles are not
/// F_SOFTUNLOCKed (seg_dev.c:1852-1853)
pub const UNWIND_NO_SOFTUNLOCK: &str = "unwind-no-softunlock";
/// an F_SOFTLOCK does not count its pages in softlockcnt
/// (seg_dev.c:1463-1465, 2003-2007)
pub const FAULTPAGES_NO_SOFTLOCKCNT: &str = "faultpages-no-softlockcnt";
/// the last softunlock does not wake the unmapper (seg_dev.c:1391-1398)
pub const SOFTUNLOCK_NO_WAKEUP: &str = "softunlock-no-wakeup";
/// segdev_unmap unmaps while pages are softlocked (seg_dev.c:654-663)
pub const UNMAP_IGNORES_SOFTLOCKCNT: &str = "unmap-ignores-softlockcnt";
/// acquire_kpmem_lock F_SOFTLOCKs the segkp range on every call
/// (seg_dev.c:1210)
pub const KPMEM_LOCK_EVERY_TIME: &str = "kpmem-lock-every-time";
/// release_kpmem_lock F_SOFTUNLOCKs the segkp range on every release
/// (seg_dev.c:1229)
pub const KPMEM_UNLOCK_EARLY: &str = "kpmem-unlock-early";
/// devmap_do_ctxmgt takes the context without waiting for its holder
/// (seg_dev.c:2633-2634)
pub const CTX_NO_HYSTERESIS_WAIT: &str = "ctx-no-hysteresis-wait";
/// devmap_ctxto gives the context back without waking a waiter
/// (seg_dev.c:354)
pub const CTXTO_NO_SIGNAL: &str = "ctxto-no-signal";
/// devmap_ctx_rele keeps the context mutex across untimeout
/// (seg_dev.c:3028-3030)
pub const CTX_RELE_UNTIMEOUT_LOCKED: &str = "ctx-rele-untimeout-locked";
/// devmap_ctx_rele frees the context without cancelling its callout
/// (seg_dev.c:3023-3031)
pub const CTX_RELE_NO_UNTIMEOUT: &str = "ctx-rele-no-untimeout";
/// devmap_ctx_rele frees the context while other handles refer to it
/// (seg_dev.c:3018)
pub const CTX_RELE_FREES_EARLY: &str = "ctx-rele-frees-early";
/// devmap_do_ctxmgt does not record its callout in devctx->timeout
/// (seg_dev.c:2675-2676)
pub const CTX_TIMEOUT_NOT_RECORDED: &str = "ctx-timeout-not-recorded";
/// a remap changes the frame without unloading the old translations
/// (seg_dev.c:3533-3534)
pub const REMAP_NO_UNLOAD: &str = "remap-no-unload";
/// a remap unloads the old translations before taking dh_lock
/// (seg_dev.c:3526-3534)
pub const REMAP_UNLOAD_UNLOCKED: &str = "remap-unload-unlocked";

/// Every devmap mutant.
pub const ALL: &[&str] = &[
    SOFTLOCK_ENTER_NO_WAIT,
    INVAL_ENTER_IGNORES_SOFTLOCK,
    SOFTLOCK_EXIT_NO_SIGNAL,
    SOFTLOCK_INIT_NO_REF,
    SOFTLOCK_RELE_FREES_EARLY,
    INVAL_NO_EXIT,
    ACCESS_HOLDS_DH_LOCK,
    UNWIND_NO_SOFTUNLOCK,
    FAULTPAGES_NO_SOFTLOCKCNT,
    SOFTUNLOCK_NO_WAKEUP,
    UNMAP_IGNORES_SOFTLOCKCNT,
    KPMEM_LOCK_EVERY_TIME,
    KPMEM_UNLOCK_EARLY,
    CTX_NO_HYSTERESIS_WAIT,
    CTXTO_NO_SIGNAL,
    CTX_RELE_UNTIMEOUT_LOCKED,
    CTX_RELE_NO_UNTIMEOUT,
    CTX_RELE_FREES_EARLY,
    CTX_TIMEOUT_NOT_RECORDED,
    REMAP_NO_UNLOAD,
    REMAP_UNLOAD_UNLOCKED,
];
