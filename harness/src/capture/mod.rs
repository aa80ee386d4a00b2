//! From a violation to a small, replayable schedule.
//!
//! A violation found by shuttle comes with the schedule of its execution.
//! One found by loom or by real threads comes with its event trace; a
//! shuttle execution that runs, at every step, the thread of the trace's
//! next event reproduces it whenever the violation does not depend on a
//! weak-memory outcome (shuttle is sequentially consistent). The schedule
//! is then minimized: preemptions are removed one at a time, keeping each
//! removal that still fails the same check.
//!
//! Following works for deadlocks that loom's own scheduler detected too:
//! a wait logs an event (`blocks on`, `cv_wait`), so the follower runs the
//! waiting thread into its wait, and a spawn, one step for loom, is let
//! finish before the follower moves on (shuttle's spawn has a scheduling
//! point between the event and the new task). Steps that log no event (a
//! monitor's bookkeeping, such as a callout handler's end, which
//! `untimeout` waits for) are followed by delaying a switch of threads
//! where the first attempt departs from the trace ([`runner::follow`]).
//!
//! Following fails only when loom's execution reads a value that no
//! sequentially consistent run of the same steps reads (a weak-memory
//! outcome of a relaxed load, which shuttle cannot express; checked: the
//! follower read the last value the trace stores there). Then a PCT
//! search for the same check in the same scenario supplies the schedule:
//! a different interleaving with the same violation, and said so.

mod file;
mod minimize;

pub use file::{decode, encode, ReplayError, ReplayFile, FORMAT, FORMAT_VERSION};
pub use minimize::minimize;

use crate::runner::{self, follow, guide, Found, RunSpec, Sched, Schedule};
use model::trace::{Event, Op};

/// PCT executions a search for a violation that did not convert may run.
pub const SEARCH_EXECUTIONS: usize = 20_000;

/// Where a captured schedule comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The shuttle execution that found the violation.
    Recorded,
    /// The violating execution's trace, followed under shuttle.
    Followed,
    /// Execution `execution` of a PCT search for the same check, because
    /// the trace did not convert; `why` says where following it departed.
    Searched { execution: u64, why: String },
}

/// A violation's schedule before and after minimization.
#[derive(Clone, Debug)]
pub struct Capture {
    pub check: &'static str,
    pub origin: Origin,
    pub original: Schedule,
    pub minimized: Schedule,
    /// Candidate executions the minimizer ran.
    pub attempts: usize,
}

/// Why a violation could not be captured as a schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Uncaptured {
    /// Following the trace under sequential consistency did not fail the
    /// same check (it needs a weak-memory outcome, or real-thread timing),
    /// and a PCT search did not find it either.
    NotReproducible,
}

/// Captures and minimizes the schedule of `found`, a violation of `spec`.
pub fn capture(spec: &RunSpec, found: &Found) -> Result<Capture, Uncaptured> {
    let check = found.check();
    let (origin, original) = match &found.schedule {
        Some(s) => (Origin::Recorded, confirm(spec, check, s.choices())?),
        None => {
            let r = follow(spec.shared(), spec.scenario.body, &found.captured.events);
            if r.checks.contains(&check) {
                (Origin::Followed, r.schedule)
            } else {
                search(spec, check, departure(&found.captured.events, &r.events))?
            }
        }
    };
    let (minimized, attempts) = minimize(spec, check, original.clone());
    Ok(Capture {
        check,
        origin,
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

/// Why following `trace` gave `followed` instead. A weak-memory outcome:
/// after the same steps, the same access of the same thread read another
/// value, where the follower read the value of the last store the trace
/// logs to that object (so loom's was an older one: every store is traced).
fn departure(trace: &[Event], followed: &[Event]) -> String {
    let Some(k) = runner::departure(trace, followed) else {
        return "following the trace under shuttle took another path".to_string();
    };
    let (a, b) = (&trace[k], followed.get(k));
    let last_store = trace[..k]
        .iter()
        .rev()
        .filter(|e| e.obj == a.obj)
        .find_map(|e| {
            matches!(e.op, Op::Store | Op::Swap | Op::FetchOp | Op::CasOk).then_some(e.b)
        });
    match b {
        Some(b)
            if (a.tid, a.op, a.obj) == (b.tid, b.op, b.obj)
                && matches!(
                    a.op,
                    Op::Load | Op::CasFail | Op::CasOk | Op::Swap | Op::FetchOp
                )
                && last_store == Some(b.a) =>
        {
            format!(
                "loom's execution reads a value no sequentially consistent run of the same steps reads (event {k}, thread {}: {a}; the last store there wrote {:#x}): a weak-memory outcome",
                a.tid, b.a
            )
        }
        _ => format!(
            "following the trace under shuttle took another path at event {k} (thread {}: {a})",
            a.tid
        ),
    }
}

/// Searches PCT executions of `spec`'s scenario for one that fails `check`.
fn search(spec: &RunSpec, check: &str, why: String) -> Result<(Origin, Schedule), Uncaptured> {
    let mut pct = spec.clone();
    pct.sched = Sched::Pct {
        depth: spec.scenario.pct_depth,
        iterations: SEARCH_EXECUTIONS,
        seed: 0,
    };
    let o = runner::run(&pct);
    let hit = o.found.iter().find(|f| f.check() == check);
    let (execution, schedule) = hit
        .and_then(|f| Some((f.captured.execution, f.schedule.as_ref()?)))
        .ok_or(Uncaptured::NotReproducible)?;
    Ok((
        Origin::Searched { execution, why },
        confirm(spec, check, schedule.choices())?,
    ))
}
