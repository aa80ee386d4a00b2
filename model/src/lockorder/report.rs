//! Human-readable lock-order reports: the "possible unsafe locking
//! scenario" of a cycle, and the proof that a graph follows its tables.

use super::{order, Edge, How, LockGraph, LockOrder, Verdict};
use std::fmt::Write;

/// Lays out a cycle as one column per thread, in the style of Linux
/// lockdep: each thread takes its first lock, then blocks on the next.
pub fn unsafe_scenario(cycle: &[Edge]) -> String {
    const W: usize = 28;
    let mut s = String::from("possible unsafe locking scenario:\n");
    let header: String = (0..cycle.len())
        .map(|i| format!("{:<W$}", format!("thread {}", (b'A' + i as u8) as char)))
        .collect();
    let _ = writeln!(s, "  {}", header.trim_end());
    let rule: String = (0..cycle.len())
        .map(|_| format!("{:<W$}", "--------"))
        .collect();
    let _ = writeln!(s, "  {}", rule.trim_end());
    for (phase, verb) in [(0, "lock"), (1, "lock")] {
        for (i, e) in cycle.iter().enumerate() {
            let class = if phase == 0 { e.from } else { e.to };
            let cell = format!("{verb}({class});");
            let _ = writeln!(s, "  {}{}", " ".repeat(W * i), cell);
        }
    }
    s.push_str("  *** DEADLOCK ***");
    s
}

/// Judges every edge of `graph` against `orders`; returns the proof text
/// and whether it holds (acyclic, every edge declared).
pub fn proof(graph: &LockGraph, orders: &[&LockOrder]) -> (String, bool) {
    let mut s = String::new();
    let mut ok = true;
    let width = graph
        .edges
        .keys()
        .map(|e| e.from.len() + e.to.len() + 4)
        .max()
        .unwrap_or(10);
    for (e, info) in &graph.edges {
        let how = if e.by_try { How::Try } else { How::Blocking };
        let verdict = order::judge(orders, e.from, e.to, how);
        // A class the tables let nest in itself is checked at each
        // acquisition (its instances only upward), so its self-edge is no
        // cycle.
        let upward = e.from == e.to && matches!(verdict, Verdict::Excepted(_));
        let cycle = if e.by_try || upward {
            None
        } else {
            graph.cycle_through(e.from, e.to)
        };
        let kind = if e.by_try { "try " } else { "" };
        let (mark, why) = match (&verdict, &cycle) {
            (Verdict::Violates(w), _) => {
                ok = false;
                ("VIOLATION", w.clone())
            }
            (_, Some(c)) => {
                ok = false;
                ("CYCLE", graph.describe_chain(c))
            }
            (Verdict::Ranked, None) => ("ranked", String::new()),
            (Verdict::Excepted(w), None) => ("exception", w.to_string()),
        };
        let why = why.replace('\n', &format!("\n{:w$}", "", w = width + 27));
        let name = format!("{} -> {}", e.from, e.to);
        let _ = writeln!(
            s,
            "  {name:<width$}  {kind:<4}{:>8}x  {mark:<9} {why}",
            info.count
        );
    }
    (s, ok)
}
