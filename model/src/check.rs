//! Violations: what a failed check reports, and how it stops an execution.

use crate::exec;

/// Every live thread is blocked forever (a lock cycle, or waits that no
/// remaining thread can satisfy).
pub const SYNC_DEADLOCK: &str = "SYNC-DEADLOCK";
/// A blocking acquisition contradicts a declared lock order, or closes a
/// cycle in the observed class-level order graph.
pub const SYNC_LOCKORDER: &str = "SYNC-LOCKORDER";
/// A primitive used against its contract (exit of a mutex not held,
/// recursive enter, a cv used with two mutexes...).
pub const SYNC_MISUSE: &str = "SYNC-MISUSE";
/// A field read or written without the lock that protects it.
pub const SYNC_UNLOCKED: &str = "SYNC-UNLOCKED";
/// A use of a freed object (stale generation).
pub const MEM_UAF: &str = "MEM-UAF";
/// A free of an object that is already free.
pub const MEM_DOUBLE_FREE: &str = "MEM-DOUBLE-FREE";
/// A free of an object that is still referenced.
pub const MEM_FREE_HELD: &str = "MEM-FREE-HELD";
/// A software PTE update discarded REF or MOD bits set by hardware.
pub const MMU_REFMOD_LOST: &str = "MMU-REFMOD-LOST";
/// A CPU still caches a translation through an entry or table that software
/// has invalidated and relies on being gone.
pub const MMU_STALE_TLB: &str = "MMU-STALE-TLB";
/// Outcome: a CPU caches a translation or paging-structure entry that
/// disagrees with the current page tables (another frame, more permission,
/// a table no longer linked there) while no software operation on its
/// address is live, or through an entry an invalidation with shootdown
/// has returned from (model/src/machine/coherence.rs).
pub const MMU_COHERENCE: &str = "MMU-COHERENCE";
/// An execution ran longer than the explorer allows: a retry loop spun
/// under an unfair schedule (shuttle's step limit, loom's branch limit).
/// Not a protocol bug by itself; use loom's preemption bound or PCT.
pub const SCHED_BOUND: &str = "SCHED-BOUND";
/// The explorer's step limit ended an execution in which every thread
/// but one had finished or was blocked, and that one was going round a
/// loop (named by its retry hint, with its seed line and passes): the loop
/// cannot end on any schedule, unlike [`SCHED_BOUND`]'s unfair one.
pub const SCHED_LIVELOCK: &str = "SCHED-LIVELOCK";
/// A panic that is not a check (a bug in the scenario or the port).
pub const PANIC: &str = "PANIC";

/// A failed check (defined with the execution state it snapshots, so that
/// the execution layer depends on nothing above it).
pub use crate::exec::Violation;

/// The panic payload that carries a violation out of an execution; the
/// violation itself is already recorded in the run.
#[derive(Debug)]
pub struct ViolationPanic(pub &'static str);

/// Fails check `check`: records the violation in the run and ends the
/// execution.
#[track_caller]
pub fn fail(check: &'static str, message: impl Into<String>) -> ! {
    let message = message.into();
    if let Some(exec) = exec::current() {
        let v = exec.violation(check, message, true);
        exec.run.record(v, exec.events());
    }
    std::panic::panic_any(ViolationPanic(check))
}

/// Records a violation that does not end the execution (lock order).
pub fn report(check: &'static str, message: impl Into<String>) {
    if let Some(exec) = exec::current() {
        let v = exec.violation(check, message.into(), false);
        exec.run.record(v, exec.events());
    }
}

/// `check!(cond, "ID", "fmt", args...)`: fails check `ID` unless `cond`.
#[macro_export]
macro_rules! check {
    ($cond:expr, $id:expr, $($fmt:tt)+) => {
        if !$cond {
            $crate::check::fail($id, format!($($fmt)+));
        }
    };
}
