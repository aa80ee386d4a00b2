//! The VM layer's mutants (the kmap stand-in's): the bugs its scenarios prove the checks catch, one
//! typed name each (`model::mutant(NAME)` where the bug is injected, and
//! the `harness::Mutant` declarations of the scenarios that catch it), so
//! a misspelt mutant does not compile. [`ALL`] lists them for the test that
//! every one is declared by a scenario.

/// hat_unload does not sync the PTE's REF/MOD into the page
/// (hati_sync_pte_to_page), so segmap_pagefree frees a written page as
/// clean
pub const UNLOAD_DROPS_MOD: &str = "unload-drops-mod";

/// hat_unload clears the PTE but does not shoot down the TLBs
/// (htable.c:2273-2274)
pub const UNLOAD_NO_SHOOTDOWN: &str = "unload-no-shootdown";

/// the kmap stand-in's hati_update_pte (hat_pagesync with HAT_SYNC_ZERORM,
/// hati_page_clrwrt) changes the PTE without shooting the address down
/// (htable.c:2304): a CPU keeps writing through a translation whose dirty
/// bit it cached, and MOD never reaches the PTE again
pub const UPDATE_NO_SHOOTDOWN: &str = "kmap-update-no-shootdown";

/// Every mutant of vm.
pub const ALL: &[&str] = &[UNLOAD_DROPS_MOD, UNLOAD_NO_SHOOTDOWN, UPDATE_NO_SHOOTDOWN];
