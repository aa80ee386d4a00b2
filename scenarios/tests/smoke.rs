use harness::{run, RunSpec, Sched};
use std::time::Duration;

fn scen(id: &str) -> &'static harness::Scenario {
    Box::leak(Box::new(
        scenarios::all().into_iter().find(|s| s.id == id).unwrap(),
    ))
}

#[test]
fn smoke() {
    for id in [
        "proto/tryenter-inversion",
        "proto/enter-inversion",
        "proto/order-inversion-apart",
    ] {
        for sched in [
            Sched::Loom {
                bound: 3,
                max: None,
            },
            Sched::Pct {
                depth: 3,
                iterations: 2000,
                seed: 1,
            },
            Sched::Std {
                iterations: 200,
                watchdog: Duration::from_secs(2),
            },
        ] {
            let o = run(&RunSpec::new(scen(id), sched.clone()));
            println!(
                "{id} {} execs={} {:?} {:?}",
                sched.describe(),
                o.executions,
                o.elapsed,
                o.checks()
            );
            for f in &o.found {
                println!("{}", f.captured.violation);
                println!(
                    "sched: {:?}",
                    f.schedule.as_ref().map(|s| (s.len(), s.preemptions()))
                );
            }
        }
    }
}
