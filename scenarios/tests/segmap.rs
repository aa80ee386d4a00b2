//! The segmap suite: every scenario under loom (exhaustive at its bound),
//! PCT and real threads; every mutant caught with its expected check under
//! loom and PCT; the race windows reached; the lock order proved; the
//! findings replayed from their recorded schedules.

use harness::{run, Expect, Outcome, RunSpec, Scenario, Sched};
use model::exec::{RunConfig, RunShared};
use model::lockdep::{proof, LockGraph};
use std::sync::Arc;
use std::time::Duration;

const PCT_ITERATIONS: usize = 10_000;

fn segmap() -> Vec<&'static Scenario> {
    scenarios::all()
        .into_iter()
        .filter(|s| s.id.starts_with("segmap/"))
        .map(|s| &*Box::leak(Box::new(s)))
        .collect()
}

fn scenario(id: &str) -> &'static Scenario {
    segmap().into_iter().find(|s| s.id == id).unwrap()
}

fn loom(s: &'static Scenario) -> Sched {
    Sched::Loom {
        bound: s.loom_bound.expect("every segmap scenario runs under loom"),
        max: None,
    }
}

fn pct(s: &'static Scenario, iterations: usize) -> Sched {
    Sched::Pct {
        depth: s.pct_depth,
        iterations,
        seed: 1,
    }
}

fn report(o: &Outcome) -> String {
    let mut s = format!(
        "{} {}: {} executions in {:.2?}, checks {:?}",
        o.spec.scenario.id,
        o.spec.sched.describe(),
        o.executions,
        o.elapsed,
        o.checks()
    );
    for f in &o.found {
        s.push_str(&format!("\n{}", f.captured.violation));
    }
    s
}

/// The outcome is what the scenario declares: no check for `Pass`, exactly
/// the listed checks for a finding.
fn assert_expected(o: &Outcome) {
    let mut got = o.checks();
    got.sort_unstable();
    let mut want = o.spec.scenario.expect.checks().to_vec();
    want.sort_unstable();
    assert_eq!(got, want, "{}", report(o));
}

#[test]
fn loom_exhaustive() {
    for s in segmap() {
        let o = run(&RunSpec::new(s, loom(s)));
        println!("{}", report(&o));
        assert_expected(&o);
        if s.expect == Expect::Pass {
            assert!(o.executions > 1, "{}", report(&o));
        }
    }
}

#[test]
fn pct_randomized() {
    for s in segmap() {
        let o = run(&RunSpec::new(s, pct(s, PCT_ITERATIONS)));
        println!("{}", report(&o));
        assert_expected(&o);
        if s.expect == Expect::Pass {
            assert_eq!(o.executions, PCT_ITERATIONS as u64, "{}", report(&o));
        }
    }
}

/// With after-operation checks off, the end-of-scenario checks alone still
/// pass (they are not weaker in a way that hides a false positive).
#[test]
fn pct_end_checks_only() {
    for s in segmap().into_iter().filter(|s| s.expect == Expect::Pass) {
        let mut spec = RunSpec::new(s, pct(s, 2000));
        spec.params.insert("segmap.checks".into(), "end".into());
        let o = run(&spec);
        assert_expected(&o);
    }
}

/// Real threads: passing scenarios pass; a finding may or may not show in
/// a few hundred runs, but nothing else may.
#[test]
fn std_stress() {
    for s in segmap() {
        let o = run(&RunSpec::new(
            s,
            Sched::Std {
                iterations: 300,
                watchdog: Duration::from_secs(2),
            },
        ));
        println!("{}", report(&o));
        let want = s.expect.checks();
        assert!(
            o.checks().iter().all(|c| want.contains(c)),
            "{}",
            report(&o)
        );
    }
}

fn mutants(sched: fn(&'static Scenario) -> Sched) {
    let mut n = 0;
    for s in segmap() {
        for m in s.mutants {
            let mut spec = RunSpec::new(s, sched(s));
            spec.mutant = Some(m.name.to_string());
            let o = run(&spec);
            println!("mutant {}: {}", m.name, report(&o));
            assert!(
                o.checks().contains(&m.catches),
                "mutant {} not caught by {}: {}",
                m.name,
                m.catches,
                report(&o)
            );
            n += 1;
        }
    }
    assert!(n >= 16, "only {n} mutants");
}

#[test]
fn mutants_caught_by_loom() {
    mutants(loom);
}

#[test]
fn mutants_caught_by_pct() {
    mutants(|s| pct(s, 2000));
}

/// Every check id the port defines has a mutant that catches it.
#[test]
fn every_check_has_a_mutant() {
    use subsys::segmap::*;
    let caught: Vec<&str> = segmap()
        .iter()
        .flat_map(|s| s.mutants.iter().map(|m| m.catches))
        .collect();
    for id in [
        SEGMAP_I1,
        SEGMAP_I2,
        SEGMAP_I3,
        SEGMAP_I4,
        SEGMAP_I5,
        SEGMAP_I6,
        SEGMAP_I7,
        SEGMAP_I8,
        SEGMAP_TAG,
        SEGMAP_REFCNT,
        SEGMAP_GRAB,
    ] {
        assert!(caught.contains(&id), "no mutant for {id}");
    }
}

/// The scenarios reach the race windows they are written for.
#[test]
fn race_windows_reached() {
    let windows: &[(&str, &[&str])] = &[
        (
            "segmap/reclaim-race",
            &[
                "segmap.get_reclaim",
                "segmap.get_nomtx",
                "segmap.tag_recheck_failed",
                "segmap.queue_flip",
                "segmap.get_reuse",
            ],
        ),
        ("segmap/lost-hashin", &["segmap.lost_hashin"]),
        (
            "segmap/inval-race",
            &[
                "segmap.rel_abort",
                "segmap.rel_hashout",
                "segmap.tag_recheck_failed",
                "segmap.get_use",
            ],
        ),
        (
            "segmap/shared-hit",
            &["segmap.get_reclaim", "segmap.get_use", "segmap.prefault"],
        ),
        (
            "segmap/release-vs-flip",
            &["segmap.smapadd_role_swapped", "segmap.queue_flip"],
        ),
        (
            "segmap/nofree-wait",
            &[
                "segmap.get_nofree",
                "segmap.smapadd_signal",
                "segmap.busy_slot_wait",
                "segmap.releq_busy",
                "segmap.allocq_changed",
            ],
        ),
        (
            "segmap/stranded-waiter-fixed",
            &["segmap.get_nofree", "segmap.smapadd_signal"],
        ),
        (
            "segmap/two-colours",
            &[
                "segmap.miss_colour0",
                "segmap.miss_colour1",
                "segmap.rel_write",
                "segmap.rel_async",
                "segmap.rel_free",
                "segmap.rel_dontneed",
                "segmap.release",
            ],
        ),
        ("segmap/two-freelists", &["segmap.next_freelist"]),
    ];
    for (id, points) in windows {
        let s = scenario(id);
        let o = run(&RunSpec::new(s, loom(s)));
        for p in *points {
            assert!(
                o.coverage.get(p).copied().unwrap_or(0) > 0,
                "{id} never reached {p}: {:?}",
                o.coverage
            );
        }
    }
}

/// Every nesting the segmap scenarios perform follows the declared table,
/// and both try-only exceptions are exercised.
#[test]
fn lock_order_proved() {
    let mut graph = LockGraph::default();
    for s in segmap().into_iter().filter(|s| s.expect == Expect::Pass) {
        let o = run(&RunSpec::new(s, loom(s)));
        graph.merge(&o.graph);
    }
    let (text, ok) = proof(&graph, &[&subsys::segmap::LOCK_ORDER]);
    println!("{text}");
    assert!(ok, "{text}");
    for (from, to) in [
        ("segmap.queue", "segmap.slot"),
        ("segmap.queue", "segmap.queue"),
        ("segmap.slot", "segmap.queue"),
        ("segmap.slot", "segmap.chain"),
    ] {
        assert!(
            graph.edges.keys().any(|e| e.from == from && e.to == to),
            "{from} -> {to} never taken"
        );
    }
}

/// A finding found by PCT replays from its recorded schedule.
#[test]
fn findings_replay() {
    for id in ["segmap/busy-slot-sleep", "segmap/stranded-waiter"] {
        let s = scenario(id);
        let o = run(&RunSpec::new(s, pct(s, PCT_ITERATIONS)));
        let found = &o.found[0];
        let schedule = found.schedule.clone().expect("PCT records a schedule");
        println!(
            "{id}: {} found at execution {}; schedule {:?}",
            found.check(),
            found.captured.execution,
            schedule.choices()
        );
        let shared = Arc::new(RunShared::new(RunConfig {
            scenario: id.to_string(),
            orders: s.orders.to_vec(),
            ..RunConfig::default()
        }));
        let replay = harness::runner::guide(shared, s.body, schedule.choices());
        assert_eq!(replay.checks, s.expect.checks(), "{id}: replay diverged");
        assert_eq!(replay.schedule.diverged_at, None);
    }
}
