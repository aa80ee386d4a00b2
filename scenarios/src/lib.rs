//! Scenario programs per subsystem, and the registry the `vmspec` command
//! and the tests run.
#![forbid(unsafe_code)]

pub mod devmap;
pub mod htable;
pub mod pcache;
pub mod prim;
pub mod proto;
pub mod pvn;
pub mod segmap;
pub mod vm;

use harness::Scenario;

/// Every scenario, in listing order.
pub fn all() -> Vec<Scenario> {
    [
        proto::SCENARIOS,
        prim::SCENARIOS,
        segmap::SCENARIOS,
        htable::SCENARIOS,
        vm::SCENARIOS,
        pcache::SCENARIOS,
        devmap::SCENARIOS,
        pvn::SCENARIOS,
    ]
    .concat()
}
