//! Schedule minimization: fewer preemptions, then fewer steps.

use crate::runner::{self, follow, guide, RunSpec, Sched, Schedule};

/// Candidate executions the greedy pass tries at most; each is one short
/// guided execution.
const MAX_ATTEMPTS: usize = 4_000;
/// Executions each search for a schedule with fewer preemptions may run.
pub const EXECUTIONS: usize = 2_000;

/// Minimizes `schedule`, which fails `check`; returns the smallest schedule
/// found that still fails `check`, and the number of executions tried.
///
/// Greedy pass: for each preemption, from the last to the first, two
/// candidates are tried: the same schedule with that step left to the
/// running thread (later choices kept as a guide), and the prefix up to
/// that step followed by no preemption at all. The first candidate that
/// still fails the same check replaces the schedule (as actually
/// executed), and the pass restarts, until no preemption can be removed.
///
/// Removing one preemption at a time cannot *move* one: F2's two
/// preemptions found by PCT are each needed where they are, yet one
/// preemption elsewhere fails the same check. So explorers bounded to one
/// preemption fewer then search (up to [`EXECUTIONS`] each: loom, which
/// within its bound is exhaustive, and PCT); a schedule of the same check
/// they find is minimized greedily and replaces the schedule if it has
/// fewer preemptions, and the search repeats from there.
pub fn minimize(spec: &RunSpec, check: &str, schedule: Schedule) -> (Schedule, usize) {
    let (mut best, mut attempts) = greedy(spec, check, schedule);
    'fewer: while best.preemptions() >= 2 {
        for candidate in fewer_preemptions(spec, check, best.preemptions() - 1, &mut attempts) {
            let (b, a) = greedy(spec, check, candidate);
            attempts += a;
            if b.preemptions() < best.preemptions() {
                best = b;
                continue 'fewer;
            }
        }
        break;
    }
    (best, attempts)
}

/// Failing schedules that explorers bounded to `bound` preemptions find:
/// loom at that bound (for a scenario small enough for loom), its trace
/// followed under shuttle, and PCT with `bound` and `bound + 1` priority
/// changes (its schedules need not have more preemptions than changes,
/// nor fewer). The two
/// count preemptions differently (loom does not count a switch shuttle
/// counts at some blocking points), so each may find what the other misses.
fn fewer_preemptions(
    spec: &RunSpec,
    check: &str,
    bound: usize,
    attempts: &mut usize,
) -> Vec<Schedule> {
    let mut out = Vec::new();
    if spec.scenario.loom_bound.is_some() {
        let mut l = spec.clone();
        l.sched = Sched::Loom {
            bound,
            max: Some(EXECUTIONS),
        };
        let o = runner::run(&l);
        *attempts += o.executions as usize + 1;
        if let Some(found) = o.find(check) {
            let r = follow(spec.shared(), spec.scenario.body, &found.captured.events);
            if r.checks.contains(&check) {
                out.push(r.schedule);
            }
        }
    }
    for depth in [bound + 1, bound + 2] {
        let mut p = spec.clone();
        p.sched = Sched::Pct {
            depth,
            iterations: EXECUTIONS,
            seed: 0,
        };
        let o = runner::run(&p);
        *attempts += o.executions as usize;
        if let Some(s) = o.find(check).and_then(|f| f.schedule.clone()) {
            let r = guide(spec.shared(), spec.scenario.body, s.choices());
            *attempts += 1;
            if r.checks.contains(&check) {
                out.push(r.schedule);
            }
        }
    }
    out
}

fn greedy(spec: &RunSpec, check: &str, schedule: Schedule) -> (Schedule, usize) {
    let mut best = schedule;
    let mut attempts = 0;
    'improve: loop {
        let points: Vec<usize> = (0..best.steps.len())
            .rev()
            .filter(|&i| best.steps[i].preempt)
            .collect();
        for i in points {
            let Some(stay) = best.steps[i].current else {
                continue;
            };
            let mut flipped = best.choices();
            flipped[i] = stay;
            let mut cut = best.choices();
            cut.truncate(i);
            cut.push(stay);
            for candidate in [flipped, cut] {
                if attempts >= MAX_ATTEMPTS {
                    break 'improve;
                }
                attempts += 1;
                let r = guide(spec.shared(), spec.scenario.body, candidate);
                let better = r.schedule.preemptions() < best.preemptions()
                    || (r.schedule.preemptions() == best.preemptions()
                        && r.schedule.len() < best.len());
                if r.checks.contains(&check) && better {
                    tracing::debug!(
                        check,
                        steps = r.schedule.len(),
                        preemptions = r.schedule.preemptions(),
                        attempts,
                        "smaller failing schedule"
                    );
                    best = r.schedule;
                    continue 'improve;
                }
            }
        }
        break;
    }
    // Drop any divergence marker: the kept schedule is the one executed.
    best.diverged_at = None;
    (best, attempts)
}
