//! loom 0.7.2 made a store depend only on the last access of an atomic,
//! so a thread's own load hid another thread's earlier load from its store
//! (tokio-rs/loom#392, #166). The project's loom fixes that
//! (`vendor/loom/VMSPEC-PATCH.md`, `Builder::refined`); before, the facade
//! worked around it with a companion read-modify-write per load (kept for
//! `reduce=off`). Each program below must explore the execution in which
//! another thread's load sees the store: with the fix and no companion,
//! and with the companion and loom as published; loom as published with
//! no companion misses it (the control that shows the bug is real).

use model::exec::{Backend, Exec, RunConfig, RunShared};
use model::sync::{spawn, AtomicU32, Ordering::Relaxed};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// A program: returns whether, in this execution, a load of another
/// thread saw the racing store.
type Program = fn() -> bool;

/// "A loads x; B loads x, then stores x": B's load hides A's load.
fn load_then_store() -> bool {
    let a = Arc::new(AtomicU32::new("x", 0, 0));
    let a2 = a.clone();
    let t = spawn("load-then-store", move || {
        let v = a2.load(Relaxed);
        a2.store(v + 1, Relaxed);
    });
    let saw = a.load(Relaxed) == 1;
    t.join();
    saw
}

/// The same with a read-modify-write after B's load.
fn load_then_rmw() -> bool {
    let a = Arc::new(AtomicU32::new("x", 0, 0));
    let a2 = a.clone();
    let t = spawn("load-then-rmw", move || {
        if a2.load(Relaxed) == 0 {
            a2.fetch_add(1, Relaxed);
        }
    });
    let saw = a.load(Relaxed) == 1;
    t.join();
    saw
}

/// Two other threads load before the storer's own load and store: each
/// load must be able to see the store.
fn two_loaders() -> bool {
    let a = Arc::new(AtomicU32::new("x", 0, 0));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let loaders: Vec<_> = (0..2)
        .map(|_| {
            let (a, seen) = (a.clone(), seen.clone());
            spawn("loader", move || {
                let v = a.load(Relaxed);
                seen.lock().unwrap().push(v);
            })
        })
        .collect();
    let v = a.load(Relaxed);
    a.store(v + 1, Relaxed);
    for t in loaders {
        t.join();
    }
    let seen = seen.lock().unwrap();
    seen.len() == 2 && seen.iter().all(|&v| v == 1)
}

/// Whether loom explores an execution where `program` returns true.
fn explores(program: Program, refined: bool, reduce: &str) -> bool {
    let mut params = BTreeMap::new();
    params.insert("reduce".to_string(), reduce.to_string());
    let run = Arc::new(RunShared::new(RunConfig {
        params,
        ..RunConfig::default()
    }));
    let saw = Arc::new(AtomicBool::new(false));
    let (r, s) = (run.clone(), saw.clone());
    let mut b = loom::model::Builder::new();
    b.preemption_bound = Some(2);
    b.refined = refined;
    b.check(move || {
        let _e = Exec::begin(Backend::Loom, r.clone());
        if program() {
            s.store(true, Ordering::Relaxed);
        }
        model::exec::exit_execution();
    });
    saw.load(Ordering::Relaxed)
}

const PROGRAMS: &[(&str, Program)] = &[
    ("load then store", load_then_store),
    ("load then read-modify-write", load_then_rmw),
    ("two loaders", two_loaders),
];

#[test]
fn the_patched_loom_needs_no_companion() {
    for (name, p) in PROGRAMS {
        assert!(explores(*p, true, "on"), "{name}: the store is never seen");
    }
}

#[test]
fn the_companion_covered_it_on_loom_as_published() {
    for (name, p) in PROGRAMS {
        assert!(
            explores(*p, false, "off"),
            "{name}: the store is never seen"
        );
    }
}

/// The two-thread shapes of loom#392 (with three threads loom 0.7.2 still
/// reaches the store through another order).
#[test]
fn loom_as_published_misses_it_without_either() {
    for (name, p) in &PROGRAMS[..2] {
        assert!(
            !explores(*p, false, "on"),
            "{name}: loom 0.7.2 saw the store with no companion: the bug this works around is gone"
        );
    }
}
