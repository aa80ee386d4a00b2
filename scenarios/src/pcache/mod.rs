//! pcache scenarios (seed vm_seg.c): small programs that reach the race
//! windows the seed's comments describe, each ending with every invariant
//! checked at rest, after unmapping every segment and anon map.

mod asyncp;
mod common;
mod disable;
mod inactive;
mod purge;
pub mod sequential;
mod stress;
mod window;

use harness::Scenario;

/// The pcache scenarios.
pub const SCENARIOS: &[Scenario] = &[
    inactive::DUP_TRY_FAILS,
    inactive::TWO_INACTIVE,
    purge::INSERT_VS_PURGE,
    purge::FREE_WHILE_CALLBACK,
    purge::WIREDPP_VS_INACTIVE,
    asyncp::SECOND_CHANCE,
    asyncp::PREMOVE_WHILE_ATHR,
    asyncp::REHEAD,
    asyncp::PASYNC_VS_UNMAP,
    asyncp::PREAP_LOST,
    asyncp::PREAP_FIXED,
    disable::DISABLE_VS_INSERT,
    disable::DISABLE_FIXED,
    disable::DISABLE_VS_INACTIVE,
    window::WINDOW_FULL,
    stress::STRESS,
];
