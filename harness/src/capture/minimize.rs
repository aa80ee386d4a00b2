//! Greedy schedule minimization: fewer preemptions, then fewer steps.

use crate::runner::{guide, RunSpec, Schedule};

/// Candidate executions at most; each is one short guided execution.
const MAX_ATTEMPTS: usize = 4_000;

/// Minimizes `schedule`, which fails `check`; returns the smallest schedule
/// found that still fails `check`, and the number of candidates tried.
///
/// For each preemption, from the last to the first, two candidates are
/// tried: the same schedule with that step left to the running thread
/// (later choices kept as a guide), and the prefix up to that step
/// followed by no preemption at all. The first candidate that still fails
/// the same check replaces the schedule (as actually executed), and the
/// search restarts, until no preemption can be removed.
pub fn minimize(spec: &RunSpec, check: &str, schedule: Schedule) -> (Schedule, usize) {
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
