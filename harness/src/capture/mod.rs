//! From a violation to a small, replayable schedule.
//!
//! A violation found by shuttle comes with the schedule of its execution.
//! One found by loom or by real threads comes with its event trace; a
//! shuttle execution that runs, at every step, the thread of the trace's
//! next event reproduces it whenever the violation does not depend on a
//! weak-memory outcome (shuttle is sequentially consistent). The schedule
//! is then minimized: preemptions are removed one at a time, keeping each
//! removal that still fails the same check.

mod file;
mod minimize;

pub use file::{decode, encode, ReplayError, ReplayFile, FORMAT, FORMAT_VERSION};
pub use minimize::minimize;

use crate::runner::{follow, guide, Found, RunSpec, Schedule};

/// A violation's schedule before and after minimization.
#[derive(Clone, Debug)]
pub struct Capture {
    pub check: &'static str,
    pub original: Schedule,
    pub minimized: Schedule,
    /// Candidate executions the minimizer ran.
    pub attempts: usize,
}

/// Why a violation could not be captured as a schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Uncaptured {
    /// Following the loom trace under sequential consistency did not fail
    /// the same check: it needs a weak-memory outcome, or the trace was
    /// cut by a backend-detected deadlock at a point shuttle orders
    /// differently.
    NotReproducible,
}

/// Captures and minimizes the schedule of `found`, a violation of `spec`.
pub fn capture(spec: &RunSpec, found: &Found) -> Result<Capture, Uncaptured> {
    let check = found.check();
    let original = match &found.schedule {
        Some(s) => confirm(spec, check, s.choices())?,
        None => {
            let r = follow(spec.shared(), spec.scenario.body, &found.captured.events);
            if !r.checks.contains(&check) {
                return Err(Uncaptured::NotReproducible);
            }
            r.schedule
        }
    };
    let (minimized, attempts) = minimize(spec, check, original.clone());
    Ok(Capture {
        check,
        original,
        minimized,
        attempts,
    })
}

/// Re-runs a recorded shuttle schedule as a guided execution, so that the
/// schedule kept is one the guide reproduces exactly.
fn confirm(spec: &RunSpec, check: &str, choices: Vec<usize>) -> Result<Schedule, Uncaptured> {
    let r = guide(spec.shared(), spec.scenario.body, choices);
    if r.checks.contains(&check) {
        Ok(r.schedule)
    } else {
        Err(Uncaptured::NotReproducible)
    }
}
