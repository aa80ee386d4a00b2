//! The reduced exploration loses nothing the checks can see (issue 17):
//! for small scenarios that loom explores with no preemption bound at all,
//! the distinct final states (`harness::runner::fingerprint`: every
//! modelled word's last value, every kmem object's fate) and the
//! violations found are the same with the reduction (`reduce=on`: loom's
//! two exploration refinements, locked words off the scheduler, exits of
//! untried mutexes and holders' uses without scheduling points) and
//! without it (`reduce=off`: the exploration as it was before), while the
//! reduced one runs fewer executions.

use harness::scenario::UNBOUNDED;
use harness::testing::scenario;
use harness::{run, Outcome, RunSpec, Sched};
use std::collections::BTreeSet;

/// Small scenarios of each subsystem, passing ones and findings, that
/// finish unbounded in seconds either way.
const SMALL: &[&str] = &[
    "proto/pte-cas-vs-hw",
    "prim/io-lock",
    "prim/page-lock-drops-mutex",
    "segmap/kpm-trylock",
    "segmap/kpm-fallbacks",
    "segmap/kpm-validkpme-fixed",
    "segmap/busy-slot-sleep",
    "htable/set-vs-cpu",
    "htable/update-vs-cpu",
    "htable/reserve",
    "pcache/wiredpp-vs-inactive",
    "pcache/disable-vs-insert",
];

fn explore(id: &str, reduce: &str) -> Outcome {
    explore_with(id, reduce, UNBOUNDED, None)
}

fn explore_with(id: &str, reduce: &str, bound: usize, mutant: Option<&str>) -> Outcome {
    let s = scenario(scenarios::all(), id);
    let mut spec = RunSpec::new(s, Sched::Loom { bound, max: None });
    spec.params.insert("reduce".into(), reduce.into());
    spec.fingerprints = true;
    spec.mutant = mutant.map(String::from);
    run(&spec)
}

#[test]
fn the_reduction_keeps_every_final_state_and_violation() {
    let mut fewer = 0;
    for id in SMALL {
        let on = explore(id, "on");
        let off = explore(id, "off");
        let (a, b) = (&on.fingerprints, &off.fingerprints);
        assert!(!b.is_empty(), "{id}: no execution ended normally");
        assert_eq!(
            a,
            b,
            "{id}: final states differ ({} reduced, {} unreduced)",
            a.len(),
            b.len()
        );
        let checks = |o: &Outcome| o.checks().into_iter().collect::<BTreeSet<_>>();
        assert_eq!(checks(&on), checks(&off), "{id}: violations differ");
        assert!(
            on.executions <= off.executions,
            "{id}: the reduction explores more"
        );
        fewer += usize::from(on.executions < off.executions);
        eprintln!(
            "{id}: {} final states; {} executions reduced, {} unreduced",
            a.len(),
            on.executions,
            off.executions
        );
    }
    assert!(
        fewer * 2 > SMALL.len(),
        "the reduction rarely explores less"
    );
}

/// The comparison can fail: a reduction that also takes the exits of
/// tried mutexes off the scheduler (`model::sync::UNSOUND_TRIED_EXIT`)
/// never runs F2's allocator between the releaser's `segmap_smapadd` and
/// its exit of the slot mutex (seg_map.c:2104-2107), and loses the finding.
#[test]
fn an_unsound_reduction_loses_a_finding() {
    let id = "segmap/busy-slot-sleep";
    // At its declared bound: with no bound, the unsound exploration would
    // explore every interleaving of the allocator's retries.
    let unsound = explore_with(id, "on", 3, Some(model::sync::UNSOUND_TRIED_EXIT));
    assert!(
        unsound.found.is_empty(),
        "{id} still fails with the unsound reduction: {:?}",
        unsound.checks()
    );
    assert!(!explore(id, "off").found.is_empty());
}
