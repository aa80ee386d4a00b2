//! Scenario programs per subsystem, and the registry the `vmspec` command
//! and the tests run.
#![forbid(unsafe_code)]

pub mod htable;
pub mod proto;

use harness::Scenario;

/// Every scenario, in listing order.
pub fn all() -> Vec<Scenario> {
    let mut v = proto::SCENARIOS.to_vec();
    v.extend_from_slice(htable::SCENARIOS);
    v
}
