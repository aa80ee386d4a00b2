//! Lock-order validation with lockdep semantics.
//!
//! Each thread's held locks live in the execution's ghost state; every
//! acquisition adds class-level edges *held -> taken* to the run's
//! [`LockGraph`], which accumulates over all executions of a run. A blocking
//! acquisition must agree with the subsystem's declared [`LockOrder`] table
//! and must not close a cycle in the graph; a try acquisition adds no
//! ordering edge (it cannot deadlock) but must still be declared, as a rank
//! or a listed exception, so that the table documents every nesting the code
//! performs. Violations are recorded, not fatal: the execution goes on, so a
//! potential deadlock is reported even when the explored execution did not
//! deadlock, and an actual deadlock later in the run is reported too.
//!
//! The tables, the graph and its proof are data below the execution layer
//! (`crate::lockorder`, re-exported here); this module is the validator.

pub use crate::lockorder::{
    judge, proof, unsafe_scenario, Edge, EdgeInfo, Exception, How, LockGraph, LockOrder, Nesting,
    Verdict,
};

use crate::check::{report, SYNC_LOCKORDER};
use crate::exec::{Exec, Held, Tid};
use std::panic::Location;

/// Validates and records the acquisition of `taken` by `tid` (called before
/// a blocking acquisition blocks, and after a try succeeds).
pub(crate) fn acquire(
    exec: &Exec,
    tid: Tid,
    taken: crate::trace::ObjName,
    how: How,
    site: &'static Location<'static>,
) {
    acquire_with(exec, tid, taken, site, |_| how);
}

/// Like [`acquire`] for an acquisition that, if it must block, first drops
/// the held lock `dropped` (`page_lock` given a mutex, page_lock.c): with
/// respect to `dropped` it is a try, with respect to every other held lock
/// a blocking acquisition.
pub(crate) fn acquire_dropping(
    exec: &Exec,
    tid: Tid,
    taken: crate::trace::ObjName,
    dropped: crate::exec::ObjId,
    site: &'static Location<'static>,
) {
    acquire_with(exec, tid, taken, site, |h| {
        if h.obj == dropped {
            How::Try
        } else {
            How::Blocking
        }
    });
}

/// Validates and records an acquisition whose kind may differ per held
/// lock (`how_after(h)` for the edge from `h`).
fn acquire_with(
    exec: &Exec,
    tid: Tid,
    taken: crate::trace::ObjName,
    site: &'static Location<'static>,
    how_after: impl Fn(&Held) -> How,
) {
    if exec.holds_nothing(tid) {
        return;
    }
    let held = exec.held(tid);
    let orders = &exec.run.config.orders;
    let mut problems = Vec::new();
    {
        let mut graph = exec.run.graph();
        let chain: Vec<&'static str> = held.iter().map(|h| h.name.class).collect();
        graph.note_chain(chain, taken.class);
        for h in &held {
            let how = how_after(h);
            let edge = Edge {
                from: h.name.class,
                to: taken.class,
                by_try: how == How::Try,
            };
            let first = graph.add(
                edge,
                &exec.run.config.scenario,
                exec.number,
                tid,
                h.site,
                site,
            );
            // A class nested in itself by an exception (`Nesting::Blocking`):
            // two instances, only upward, so the self-edge closes no cycle.
            // Checked at every such nesting, not only the edge's first.
            let same = how == How::Blocking && h.name.class == taken.class;
            if same && taken.index <= h.name.index {
                if let Verdict::Excepted(_) = judge(orders, h.name.class, taken.class, how) {
                    problems.push(describe(
                        h,
                        taken,
                        how,
                        &format!(
                            "but instances of {} nest only in ascending order, and {taken} is not above {}",
                            taken.class, h.name
                        ),
                        &graph,
                    ));
                }
            }
            if !first {
                continue;
            }
            let verdict = judge(orders, h.name.class, taken.class, how);
            if let Verdict::Violates(why) = verdict {
                problems.push(describe(h, taken, how, &why, &graph));
            } else if how == How::Blocking && !same {
                if let Some(cycle) = graph.cycle_through(h.name.class, taken.class) {
                    problems.push(format!(
                        "acquiring {} while holding {} closes a cycle in the observed lock order:\n{}\n{}",
                        taken.class,
                        h.name.class,
                        graph.describe_chain(&cycle),
                        unsafe_scenario(&cycle)
                    ));
                }
            }
        }
    }
    for p in problems {
        report(SYNC_LOCKORDER, p);
    }
}

fn describe(
    held: &Held,
    taken: crate::trace::ObjName,
    how: How,
    why: &str,
    graph: &LockGraph,
) -> String {
    let verb = match how {
        How::Blocking => "acquiring",
        How::Try => "try-acquiring",
    };
    let mut s = format!(
        "{verb} {} ({}) while holding {} (taken at {}) {why}",
        taken.class, taken, held.name.class, held.site
    );
    match graph.cycle_through(held.name.class, taken.class) {
        Some(cycle) => s.push_str(&format!(
            "\nit also closes a cycle in the observed order:\n{}\n{}",
            graph.describe_chain(&cycle),
            unsafe_scenario(&cycle)
        )),
        // Against the table: any thread that follows the declared order
        // completes the cycle.
        None if how == How::Blocking => {
            let against = [
                Edge {
                    from: held.name.class,
                    to: taken.class,
                    by_try: false,
                },
                Edge {
                    from: taken.class,
                    to: held.name.class,
                    by_try: false,
                },
            ];
            s.push_str(&format!(
                "\nwith a thread that follows the declared order:\n{}",
                unsafe_scenario(&against)
            ));
        }
        None => {}
    }
    s
}
