//! Protocol scenarios: each proves one primitive of the model right, or
//! one check able to fail.

mod cv;
mod inversion;
mod pte_hw;
mod stale_tlb;
mod uaf;
mod upward;

use harness::Scenario;

/// The proto scenarios.
pub const SCENARIOS: &[Scenario] = &[
    inversion::TRYENTER,
    inversion::ENTER,
    inversion::APART,
    cv::SIGNAL_LOST_WAKEUP,
    cv::WAIT_SIG_EATS_SIGNAL,
    pte_hw::PTE_CAS_VS_HW,
    stale_tlb::STALE_TLB,
    uaf::USE_AFTER_FREE,
    upward::UPWARD,
];
