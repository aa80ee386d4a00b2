//! segmap scenarios (seed seg_map.c): small programs that reach the race
//! windows the seed's comments describe, each ending with every invariant
//! checked at a quiescent point.

mod colours;
pub(crate) mod common;
mod controls;
mod flip;
mod four_lists;
mod hashin;
mod inval;
mod kpm;
mod kpm_free;
mod kpm_notkpm;
mod kpm_write;
mod nofree;
mod otherlist;
mod pages;
mod prefault;
mod putpage;
mod reclaim;
pub mod sequential;
mod sequential_lists;
mod shared;
mod stranded;
mod stress;
mod whole_window;
pub(crate) mod windows;

use harness::Scenario;

/// The segmap scenarios.
pub const SCENARIOS: &[Scenario] = &[
    reclaim::RECLAIM_RACE,
    hashin::LOST_HASHIN,
    inval::INVAL_RACE,
    shared::SHARED_HIT,
    flip::RELEASE_VS_FLIP,
    nofree::NOFREE_WAIT,
    nofree::BUSY_SLOT_SLEEP,
    stranded::STRANDED_WAITER,
    stranded::STRANDED_WAITER_FIXED,
    colours::TWO_COLOURS,
    colours::TWO_FREELISTS,
    otherlist::OTHER_LIST_SLEEP,
    otherlist::OTHER_LIST_SLEEP_FIXED,
    sequential::SEQUENTIAL,
    pages::PAGECREATE_VS_REUSE,
    pages::SOFTLOCK,
    stress::STRESS,
    windows::WINDOW_REUSE,
    windows::INVAL_VS_ACCESS,
    windows::REUSE_VS_REMAP,
    kpm::KPM_RECLAIM_RACE,
    kpm::KPM_TRYLOCK,
    kpm::KPM_LAST_SMAP,
    kpm::KPM_SHARED_HIT,
    kpm::KPM_PAGE_BUSY_SLEEP,
    kpm::KPM_PAGE_BUSY_RETRY,
    kpm::KPM_PAGE_BUSY_FLIP,
    kpm::KPM_VALIDKPME_ORDER,
    kpm::KPM_VALIDKPME_FIXED,
    kpm::KPM_FALLBACKS,
    kpm_notkpm::KPM_INVAL_NOTKPM,
    kpm_notkpm::KPM_INVAL_NOTKPM_FIXED,
    kpm_write::KPM_WRITE,
    prefault::PREFAULT_OFFSET,
    putpage::PUTPAGE_FLAGS,
    four_lists::FOUR_LISTS_WAKE,
    sequential_lists::SEQUENTIAL_LISTS,
    whole_window::WHOLE_WINDOW,
    controls::PAGE_LEFT_LOCKED,
    controls::FAULT_AFTER_RELEASE,
    kpm_free::KPM_HIT_VS_FREE,
];
