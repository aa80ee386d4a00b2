use harness::{run, RunSpec, Sched};
use std::time::Duration;

fn scen(id: &str) -> &'static harness::Scenario {
    Box::leak(Box::new(
        scenarios::all().into_iter().find(|s| s.id == id).unwrap(),
    ))
}

#[test]
fn smoke() {
    for (id, mutant) in [
        ("proto/signal-lost-wakeup", None),
        ("proto/signal-lost-wakeup", Some("signal-not-broadcast")),
        ("proto/wait-sig-eats-signal", None),
        ("proto/wait-sig-eats-signal", Some("no-resignal")),
    ] {
        for sched in [
            Sched::Loom {
                bound: 2,
                max: None,
            },
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
            let mut spec = RunSpec::new(scen(id), sched.clone());
            spec.mutant = mutant.map(String::from);
            let o = run(&spec);
            println!(
                "{id} {mutant:?} {} execs={} {:?} {:?}",
                sched.describe(),
                o.executions,
                o.elapsed,
                o.checks()
            );
            for f in &o.found {
                println!("{}", f.captured.violation);
            }
        }
    }
}
