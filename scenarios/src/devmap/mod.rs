//! devmap scenarios (seed seg_dev.c): small programs that reach the race
//! windows the seed's comments describe, each ending with every invariant
//! checked at rest, after unmapping every process's segment.

mod common;
mod ctx;
mod kpmem;
mod remap;
pub mod sequential;
mod softlock;
mod unmap;
mod unwind;

use harness::Scenario;

/// The devmap scenarios.
pub const SCENARIOS: &[Scenario] = &[
    softlock::TWO_SOFTLOCKS,
    softlock::SOFTLOCK_VS_INVALS,
    softlock::INTERRUPTED_WAITER,
    softlock::INTERRUPTED_WAITER_FIXED,
    unwind::UNWIND_TWO_HANDLES,
    unwind::UNWIND_NO_ACCESS,
    unwind::UNWIND_MIXED,
    unwind::UNWIND_MIXED_FIXED,
    unwind::FAULTPAGES_UNWIND,
    unwind::FAULTPAGES_UNWIND_FIXED,
    ctx::CTX_HANDOFF,
    ctx::CTX_TIMEOUT_CLEARED,
    ctx::CTX_ERROR,
    ctx::CTX_ERROR_FIXED,
    remap::REMAP_VS_FAULT,
    remap::REMAP_VS_ACCESS,
    remap::UMEM_REMAP,
    unmap::UNMAP_WAITS,
    kpmem::KPMEM_SHARED,
];
