//! Violation reports and event traces as people read them.

use crate::capture::{Capture, Origin, Uncaptured};
use crate::runner::{Found, RunSpec};
use model::trace::Event;
use std::fmt::Write;

/// The report of one violation of a run, with its capture (if any) and
/// the replay command.
pub fn violation(
    spec: &RunSpec,
    found_by: &str,
    found: &Found,
    capture: Option<&Result<Capture, Uncaptured>>,
    replay_path: Option<&str>,
) -> String {
    let v = &found.captured.violation;
    let mut s = String::new();
    let mutant = spec
        .mutant
        .as_deref()
        .map(|m| format!(" with mutant {m}"))
        .unwrap_or_default();
    let _ = writeln!(
        s,
        "violation {} in {}{mutant}: found by {found_by} (see CHECKS.md, {})",
        v.check, spec.scenario.id, v.check
    );
    for line in v.message.lines() {
        let _ = writeln!(s, "  {line}");
    }
    if let Some(t) = v.tid {
        let _ = writeln!(s, "  detected by thread {t}");
    }
    let _ = writeln!(s, "  threads:");
    for t in &v.threads {
        let _ = writeln!(s, "    {t}");
    }
    match capture {
        None => {}
        Some(Ok(c)) => {
            let _ = writeln!(
                s,
                "  schedule: {} steps, {} preemptions; minimized to {} steps, {} preemptions ({} candidates tried)",
                c.original.len(),
                c.original.preemptions(),
                c.minimized.len(),
                c.minimized.preemptions(),
                c.attempts
            );
            if let Origin::Searched { execution, why } = &c.origin {
                let _ = writeln!(
                    s,
                    "  (the trace does not convert into a shuttle schedule ({why}); this schedule is PCT execution {execution} failing the same check)"
                );
            }
        }
        Some(Err(Uncaptured::NotReproducible)) => {
            let _ = writeln!(
                s,
                "  schedule: not reproducible under sequential consistency (a weak-memory outcome of loom, or real-thread timing), and a PCT search did not find it; no replay file"
            );
        }
    }
    if let Some(p) = replay_path {
        let _ = writeln!(s, "  replay: vmspec replay {p} --trace");
    }
    s
}

/// One line per event: step, thread, operation.
pub fn trace(events: &[Event]) -> String {
    let mut s = String::new();
    for (i, e) in events.iter().enumerate() {
        let _ = writeln!(s, "{i:>5}  t{:<2} {e}", e.tid);
    }
    s
}
