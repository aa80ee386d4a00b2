//! htable scenarios: small thread programs over the htable.c port that
//! reach the race windows its comments describe. Every scenario ends
//! with [`subsys::htable::World::check_quiescent`] after joining its
//! threads.

mod cache;
mod chain;
mod create;
mod keep;
mod kernel;
mod kmem;
mod large;
mod outcome;
mod pressure;
mod share;
mod steal;
mod teardown;
mod tlb;

use harness::Scenario;
use model::sync::{spawn, JoinHandle};
use std::sync::Arc;
use subsys::htable::{World, LOCK_ORDER};

/// What an htable scenario is unless it says otherwise: main and one thread
/// under htable's lock order, the rest as [`Scenario::DEFAULTS`]. A
/// scenario states its id, summary and body, and what differs (`..BASE`).
const BASE: Scenario = Scenario {
    threads: 2,
    orders: &[&LOCK_ORDER],
    ..Scenario::DEFAULTS
};

/// The htable scenarios.
pub const SCENARIOS: &[Scenario] = &[
    create::CREATE_SAME,
    steal::STEAL_VS_MAP,
    steal::STEAL_VS_PAGEUNLOAD,
    teardown::REAP_VS_TEARDOWN,
    teardown::TWO_STEALERS_TWO_WAITERS,
    teardown::REAP_VS_TWO_TEARDOWNS_SLIM,
    tlb::UNLINK_VS_CPU,
    tlb::SET_VS_CPU,
    tlb::INVAL_VS_CPU,
    tlb::UPDATE_VS_CPU,
    tlb::UPDATE_VS_CPU_BLIND,
    tlb::INVAL_VS_CPU_BLIND,
    cache::PURGE_VS_ALLOC,
    cache::PURGE_ALONE,
    cache::RESERVE,
    share::SHARE,
    pressure::ALLOC_STEALS,
    kmem::ALLOC_KMEM_REAP,
    kmem::ALLOC_KMEM_REAP_L1,
    kernel::COPY_VS_KMAP,
    outcome::READ_ONLY_UNLOAD,
    outcome::TWO_UNLOADS,
    outcome::CACHED_REUSE,
    chain::ONE_CHAIN,
    keep::KEEP_LEVELS,
    large::LARGE_OVER_LINK,
];

/// A CPU actor: CPU 0 performs `ops` (address, write?) in order; faults
/// are ignored (the scenario's software threads decide what is mapped).
fn cpu(w: &Arc<World>, ops: &'static [(u64, bool)]) -> JoinHandle<()> {
    let w = w.clone();
    spawn("cpu0", move || {
        for &(va, write) in ops {
            let _ = w.cpu_access(0, va, write);
        }
    })
}
