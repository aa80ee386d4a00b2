use super::Violation;
use crate::lockorder::{LockGraph, LockOrder};
use crate::trace::Event;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// What a run is asked to do: shared by all its executions.
#[derive(Clone, Debug, Default)]
pub struct RunConfig {
    /// Scenario id (`subsystem/name`), for reports.
    pub scenario: String,
    /// The injected bug enabled for this run, if any.
    pub mutant: Option<String>,
    /// Model parameters (`key=value`, e.g. `hw-mod=blind`).
    pub params: BTreeMap<String, String>,
    /// Declared lock-order tables the validator enforces.
    pub orders: Vec<&'static LockOrder>,
    /// Call [`super::vmspec_break`] when an execution logs its event with
    /// this index (`vmspec replay --break-at`).
    pub break_at: Option<usize>,
    /// Record a fingerprint of each execution's final state
    /// ([`RunShared::fingerprints`]).
    pub fingerprints: bool,
}

/// A violation with the trace of the execution that produced it.
#[derive(Clone, Debug)]
pub struct Captured {
    pub violation: Violation,
    pub events: Vec<Event>,
    /// 1-based number of the execution within the run.
    pub execution: u64,
}

/// State that outlives one execution: configuration, the first violation
/// of each check, the lock-order graph, coverage and execution counts.
#[derive(Debug, Default)]
pub struct RunShared {
    pub config: RunConfig,
    executions: AtomicU64,
    violations: Mutex<Vec<Captured>>,
    graph: Mutex<LockGraph>,
    coverage: Mutex<BTreeMap<&'static str, u64>>,
    fingerprints: Mutex<BTreeSet<u64>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl RunShared {
    pub fn new(config: RunConfig) -> Self {
        RunShared {
            config,
            ..Default::default()
        }
    }

    /// Counts one more execution and returns its 1-based number.
    pub fn begin_execution(&self) -> u64 {
        self.executions.fetch_add(1, Ordering::Relaxed) + 1
    }

    pub fn executions(&self) -> u64 {
        self.executions.load(Ordering::Relaxed)
    }

    /// Records `v` unless a violation of the same check is already recorded.
    /// Returns whether it was new.
    pub fn record(&self, v: Violation, events: Vec<Event>) -> bool {
        let mut all = lock(&self.violations);
        if all.iter().any(|c| c.violation.check == v.check) {
            return false;
        }
        let execution = self.executions();
        all.push(Captured {
            violation: v,
            events,
            execution,
        });
        true
    }

    /// Violations recorded so far, in the order found.
    pub fn violations(&self) -> Vec<Captured> {
        lock(&self.violations).clone()
    }

    /// Whether a fatal violation (one that ends an execution) was recorded.
    pub fn has_fatal(&self) -> bool {
        lock(&self.violations).iter().any(|c| c.violation.fatal)
    }

    pub fn graph(&self) -> std::sync::MutexGuard<'_, LockGraph> {
        lock(&self.graph)
    }

    pub fn cover(&self, point: &'static str) {
        *lock(&self.coverage).entry(point).or_insert(0) += 1;
    }

    pub fn coverage(&self) -> BTreeMap<&'static str, u64> {
        lock(&self.coverage).clone()
    }

    /// Records the fingerprint of an execution's final state.
    pub fn add_fingerprint(&self, f: u64) {
        lock(&self.fingerprints).insert(f);
    }

    /// The distinct final states the run's executions ended in (when
    /// [`RunConfig::fingerprints`] is set).
    pub fn fingerprints(&self) -> BTreeSet<u64> {
        lock(&self.fingerprints).clone()
    }

    /// The value of model parameter `key`, if set.
    pub fn param(&self, key: &str) -> Option<&str> {
        self.config.params.get(key).map(String::as_str)
    }

    /// Whether the run explores the reduced state space (run parameter
    /// `reduce=on`; off by default): words every access of which holds
    /// their lock are off the scheduler, a `mutex_exit` that wakes nobody
    /// is no scheduling point, and loads carry no DPOR companion (see
    /// `model::sync`). Opt-in: under a preemption bound it explores a
    /// different subset than the default and misses two known mutants
    /// the default catches (CHECKS.md, "Exploring less";
    /// `scenarios/tests/reduction.rs`, `vmspec bench --explorer reduction`).
    pub fn reduced(&self) -> bool {
        self.param("reduce") == Some("on")
    }
}
