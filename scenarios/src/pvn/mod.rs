//! pvn scenarios (seed vm_pvn.c): small programs that reach the race
//! windows the seed's comments describe, each ending with every invariant
//! checked at rest after the I/O actor is drained.

mod common;
mod iolock;
mod lckcnt;
mod modsort;
mod refmod;
mod ring;
pub mod sequential;
mod stress;
mod walks;

use harness::Scenario;

/// The pvn scenarios.
pub const SCENARIOS: &[Scenario] = &[
    walks::TWO_SYNC_WALKS,
    walks::ASYNC_MEETS_VVMLOCK,
    walks::INVAL_VS_FSYNC,
    ring::INSERT_AT_HEAD,
    ring::INSERT_AT_TAIL,
    ring::DESTROY_NEXT,
    ring::TRUNCATE_ONLY,
    ring::READ_AHEAD_VS_FAULT,
    ring::SETDIRTY_VS_WALK,
    ring::INVAL_MEETS_FREE,
    refmod::WALK_VS_CPU,
    refmod::CK_REFMOD,
    refmod::CK_REFMOD_READ,
    refmod::CK_REFMOD_X86,
    refmod::WRITE_ERROR,
    refmod::WRITE_ERROR_FORCED,
    iolock::IOLOCKED_SYNC,
    iolock::IOLOCKED_ASYNC,
    iolock::KLUSTER_BUSY,
    modsort::EXIT_VS_IO,
    modsort::EXIT_VS_WRITEBACK,
    modsort::EXIT_IOLOCK_FIRST,
    modsort::EXIT_VS_ERROR,
    modsort::EXIT_VS_ERROR_FIXED,
    modsort::WRITE_DURING_IO,
    modsort::WRITE_DURING_IO_X86,
    modsort::RESYNC_BEHIND_END,
    modsort::RESYNC_BEHIND_END_X86,
    modsort::RESYNC_FIXED,
    lckcnt::MLOCK_VS_PAGEOUT,
    stress::STRESS,
];
