//! The observed class-level lock-order graph of a run.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::panic::Location;

/// `from` was held while `to` was acquired.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Edge {
    pub from: &'static str,
    pub to: &'static str,
    /// The acquisition of `to` was a try (no ordering edge for cycles).
    pub by_try: bool,
}

/// Where an edge was first seen, and how often.
#[derive(Clone, Debug)]
pub struct EdgeInfo {
    pub count: u64,
    pub scenario: String,
    pub execution: u64,
    pub tid: usize,
    pub held_at: &'static Location<'static>,
    pub taken_at: &'static Location<'static>,
}

/// Edges with counts and first sightings, plus the distinct chains (held
/// classes, then the class taken) they were seen in.
#[derive(Clone, Debug, Default)]
pub struct LockGraph {
    pub edges: BTreeMap<Edge, EdgeInfo>,
    pub chains: BTreeSet<Vec<&'static str>>,
}

impl LockGraph {
    /// Counts `edge`; returns whether this is its first sighting.
    pub fn add(
        &mut self,
        edge: Edge,
        scenario: &str,
        execution: u64,
        tid: usize,
        held_at: &'static Location<'static>,
        taken_at: &'static Location<'static>,
    ) -> bool {
        if let Some(info) = self.edges.get_mut(&edge) {
            info.count += 1;
            return false;
        }
        self.edges.insert(
            edge,
            EdgeInfo {
                count: 1,
                scenario: scenario.to_string(),
                execution,
                tid,
                held_at,
                taken_at,
            },
        );
        true
    }

    pub fn note_chain(&mut self, mut held: Vec<&'static str>, taken: &'static str) {
        held.push(taken);
        self.chains.insert(held);
    }

    /// Merges another run's graph into this one.
    pub fn merge(&mut self, other: &LockGraph) {
        for (e, info) in &other.edges {
            self.edges
                .entry(*e)
                .and_modify(|i| i.count += info.count)
                .or_insert_with(|| info.clone());
        }
        self.chains.extend(other.chains.iter().cloned());
    }

    /// If the blocking edge `from -> to` lies on a cycle of blocking edges,
    /// returns that cycle starting with `from -> to`.
    pub fn cycle_through(&self, from: &'static str, to: &'static str) -> Option<Vec<Edge>> {
        let first = Edge {
            from,
            to,
            by_try: false,
        };
        if from == to {
            return Some(vec![first]);
        }
        // Breadth-first search for a path to -> ... -> from.
        let mut prev: BTreeMap<&'static str, Edge> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([to]);
        while let Some(n) = queue.pop_front() {
            for e in self.edges.keys().filter(|e| !e.by_try && e.from == n) {
                if e.to == to || prev.contains_key(e.to) {
                    continue;
                }
                prev.insert(e.to, *e);
                if e.to == from {
                    let mut path = vec![*e];
                    let mut at = e.from;
                    while at != to {
                        let back = prev[at];
                        path.push(back);
                        at = back.from;
                    }
                    path.push(first);
                    path.reverse();
                    return Some(path);
                }
                queue.push_back(e.to);
            }
        }
        None
    }

    /// Lists the edges of `chain` with where each was first seen.
    pub fn describe_chain(&self, chain: &[Edge]) -> String {
        let mut s = String::new();
        for e in chain {
            match self.edges.get(e) {
                Some(i) => {
                    let _ = writeln!(
                        s,
                        "  {} -> {}: first seen in {} execution {} thread {}: held since {}, acquired at {}",
                        e.from, e.to, i.scenario, i.execution, i.tid, i.held_at, i.taken_at
                    );
                }
                None => {
                    let _ = writeln!(s, "  {} -> {}", e.from, e.to);
                }
            }
        }
        s.trim_end().to_string()
    }
}
