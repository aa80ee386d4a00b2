//! Scenario programs per subsystem, and the registry the `vmspec` command
//! and the tests run.
#![forbid(unsafe_code)]

pub mod proto;
pub mod segmap;

use harness::Scenario;

/// Every scenario, in listing order.
pub fn all() -> Vec<Scenario> {
    let mut all = proto::SCENARIOS.to_vec();
    all.extend_from_slice(segmap::SCENARIOS);
    all
}
