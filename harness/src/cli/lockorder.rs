//! `vmspec lockorder`: the observed class-level lock-order graph, judged
//! against each subsystem's declared table.

use super::args::LockorderArgs;
use super::{plan, BadInput, CmdResult};
use crate::runner::{self, RunSpec};
use crate::scenario::Scenario;
use model::check::SYNC_LOCKORDER;
use model::lockdep::{judge, proof, How, LockGraph, LockOrder, Verdict};
use std::fmt::Write;

pub fn run(all: &'static [Scenario], args: &LockorderArgs) -> CmdResult {
    plan::validate(&args.explore)?;
    let selected = plan::select(all, &args.patterns)?;
    let mut merged = LockGraph::default();
    let mut bad_graph = LockGraph::default();
    let mut orders: Vec<&'static LockOrder> = Vec::new();
    let mut ok = true;
    // The passing scenarios' tables, graphs, executions and explorers: a
    // table's proof rests on those that declare it or took a nesting it
    // ranks (a composed table ranks several subsystems' classes).
    type Passing = (&'static [&'static LockOrder], LockGraph, u64, String);
    let mut passing: Vec<Passing> = Vec::new();
    for s in selected {
        let Some(sched) = plan::sched(&args.explore, s) else {
            println!("skip {}: no loom bound declared (too large for loom)", s.id);
            continue;
        };
        let outcome = runner::run(&RunSpec::new(s, sched.clone()));
        for o in s.orders {
            if !orders.iter().any(|x| x.subsystem == o.subsystem) {
                orders.push(o);
            }
        }
        let (text, holds) = proof(&outcome.graph, s.orders);
        let found = outcome.find(SYNC_LOCKORDER);
        let expected = s.expect.checks().contains(&SYNC_LOCKORDER);
        println!(
            "== {} ({}, {} executions, {} edges, {} distinct chains)",
            s.id,
            sched.describe(),
            outcome.executions,
            outcome.graph.edges.len(),
            outcome.graph.chains.len()
        );
        print!("{text}");
        match (holds && found.is_none(), expected) {
            (true, false) => {
                println!("   order holds");
                merged.merge(&outcome.graph);
                let graph = outcome.graph.clone();
                passing.push((s.orders, graph, outcome.executions, sched.describe()));
            }
            (true, true) => {
                ok = false;
                println!(
                    "   EXPECTED a lock-order violation (negative control) but the order holds"
                );
            }
            (false, true) => {
                println!("   violation reproduced as expected (negative control)");
                bad_graph.merge(&outcome.graph);
            }
            (false, false) => {
                ok = false;
                bad_graph.merge(&outcome.graph);
                if let Some(f) = found {
                    println!("   VIOLATION:");
                    for line in f.captured.violation.message.lines() {
                        println!("     {line}");
                    }
                }
            }
        }
    }
    println!();
    for o in &orders {
        let mut g = LockGraph::default();
        for (e, info) in &merged.edges {
            if o.rank(e.from).is_some() && o.rank(e.to).is_some() {
                g.edges.insert(*e, info.clone());
            }
        }
        let (text, holds) = proof(&g, &[o]);
        println!(
            "proof for table {} ({} classes, {} exceptions) over the passing scenarios:",
            o.subsystem,
            o.ranks.iter().map(|r| r.len()).sum::<usize>(),
            o.exceptions.len()
        );
        print!("{text}");
        let rests = |p: &&Passing| {
            p.0.iter().any(|x| x.subsystem == o.subsystem)
                || p.1
                    .edges
                    .keys()
                    .any(|e| o.rank(e.from).is_some() && o.rank(e.to).is_some())
        };
        let basis = passing.iter().filter(rests);
        let executions: u64 = basis.clone().map(|p| p.2).sum();
        let mut runs: Vec<String> = basis.map(|p| p.3.clone()).collect();
        runs.sort();
        runs.dedup();
        let chains = merged
            .chains
            .iter()
            .filter(|c| c.iter().all(|k| o.rank(k).is_some()))
            .count();
        if executions == 0 {
            ok = false;
            println!("   NO PASSING SCENARIO EXERCISES THIS TABLE: nothing is proved");
        } else if holds {
            println!(
                "   acyclic, every edge declared: rests on {executions} executions ({}) and {chains} distinct chains",
                runs.join(", ")
            );
        } else {
            ok = false;
            println!("   DOES NOT HOLD");
        }
    }
    if let Some(path) = &args.dot {
        std::fs::write(path, dot(&merged, &bad_graph, &orders))
            .map_err(|e| BadInput(format!("cannot write {}: {e}", path.display())))?;
        println!("graph written to {}", path.display());
    }
    Ok(ok)
}

/// Graphviz of the observed order, in two boxes: the proof (the passing
/// scenarios' graph) and the negative controls' and failing scenarios'
/// graph, each class drawn once per box. Solid edges are blocking, dashed
/// ones try acquisitions, red ones violate every table that ranks both
/// classes.
fn dot(good: &LockGraph, bad: &LockGraph, orders: &[&LockOrder]) -> String {
    let mut s = String::from(
        "digraph lockorder {\n  rankdir=LR;\n  node [shape=box, fontname=monospace];\n",
    );
    let boxes = [
        ("proof", "proof: the passing scenarios", good),
        (
            "controls",
            "negative controls and failing scenarios (not part of the proof)",
            bad,
        ),
    ];
    for (id, label, g) in boxes {
        if g.edges.is_empty() {
            continue;
        }
        let _ = writeln!(s, "  subgraph cluster_{id} {{\n    label=\"{label}\";");
        let mut classes: Vec<&str> = g.edges.keys().flat_map(|e| [e.from, e.to]).collect();
        classes.sort_unstable();
        classes.dedup();
        for c in classes {
            let _ = writeln!(s, "    \"{id}:{c}\" [label=\"{c}\"];");
        }
        for (e, info) in &g.edges {
            let how = if e.by_try { How::Try } else { How::Blocking };
            // Red where no table that ranks both classes allows the edge
            // (scenarios are judged by their own tables, and two tables
            // may judge one nesting apart: proto/upward-nesting's lets
            // proto.node nest upward, proto's base table does not).
            let mut judges = orders
                .iter()
                .filter(|o| o.rank(e.from).is_some() && o.rank(e.to).is_some())
                .map(|o| judge(&[o], e.from, e.to, how))
                .peekable();
            let violates =
                judges.peek().is_some() && judges.all(|v| matches!(v, Verdict::Violates(_)));
            let mut attrs = vec![format!("label=\"{}\"", info.count)];
            if e.by_try {
                attrs.push("style=dashed".into());
            }
            if violates {
                attrs.push("color=red, fontcolor=red".into());
            }
            let _ = writeln!(
                s,
                "    \"{id}:{}\" -> \"{id}:{}\" [{}];",
                e.from,
                e.to,
                attrs.join(", ")
            );
        }
        s.push_str("  }\n");
    }
    s.push_str("}\n");
    s
}
