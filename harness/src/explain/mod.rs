//! Reading a failing execution: its trace grouped into what a person
//! looks for. Operation spans (`model::exec::call`), lock holds, the
//! preemptions the schedule chose, the steps those preemptions decided,
//! wakeups and shootdowns. `--story` prints it, `--perfetto` writes it
//! for Perfetto, and the swimlane SVG draws it.
//!
//! A *decisive* step is a plain approximation of "the accesses whose
//! order the schedule chose". At each preemption thread A stops where it
//! could have gone on, in the middle of an operation (its top-level seed
//! function). An access another thread makes before A runs again is
//! decisive if
//! - it conflicts (one of the two writes: a store, read-modify-write,
//!   successful CAS, lock acquisition or release, allocation or free) with
//!   A's next access to the same object in that operation after A resumes:
//!   without the preemption A's access would have come first; or
//! - it writes what A read earlier in that operation: A goes on deciding
//!   on a stale value (check, then act).
//!
//! Only the first such access per object and preemption counts, and at
//! most four per preemption are marked: lock operations first, then
//! writes, then reads.

mod perfetto;
mod story;

pub use perfetto::perfetto;
pub use story::story;

use model::trace::{Event, ObjName, Op};
use std::collections::BTreeMap;

/// A span of one thread's events: a seed function's activation or a lock
/// hold. `end` is `None` when the execution stopped inside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub tid: usize,
    pub name: ObjName,
    pub start: usize,
    pub end: Option<usize>,
    /// Nesting depth among the thread's spans of the same kind.
    pub depth: usize,
}

/// Why a step is decisive: it conflicts with thread `other`'s access at
/// step `then`, which the preemption at step `at` put after it (`after`
/// false) or which came before it in the preempted operation (`after`
/// true: the step saw, or overwrote, what `other` had just done).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decisive {
    pub other: usize,
    pub then: usize,
    pub after: bool,
    pub at: usize,
}

/// A preemption: at step `at` (the index of the chosen thread's next
/// event) thread `from` could have gone on and `to` was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preemption {
    pub at: usize,
    pub from: usize,
    pub to: usize,
}

/// One failing execution, analysed.
pub struct Reading<'a> {
    pub events: &'a [Event],
    /// Thread names by id (`main` for thread 0, then spawn names).
    pub names: BTreeMap<usize, &'static str>,
    pub calls: Vec<Span>,
    pub holds: Vec<Span>,
    pub preemptions: Vec<Preemption>,
    pub decisive: BTreeMap<usize, Decisive>,
    /// (cv_signal or cv_broadcast step, the wakeup step it caused).
    pub wakeups: Vec<(usize, usize)>,
    /// (hat_tlb_inval call step, the TLB flush steps inside it).
    pub shootdowns: Vec<(usize, Vec<usize>)>,
}

impl<'a> Reading<'a> {
    /// Analyses `events`; `preemptions` are (event index, preempted
    /// thread, chosen thread), as `Schedule::preemption_points` gives them.
    pub fn new(events: &'a [Event], preemptions: &[(usize, usize, usize)]) -> Self {
        let mut names = BTreeMap::from([(0, "main")]);
        for e in events.iter().filter(|e| e.op == Op::Spawn) {
            names.insert(e.a as usize, e.obj.class);
        }
        let preemptions: Vec<Preemption> = preemptions
            .iter()
            .filter(|(at, ..)| *at < events.len())
            .map(|&(at, from, to)| Preemption { at, from, to })
            .collect();
        let calls = spans(events, |op| match op {
            Op::Call => Some(true),
            Op::Return => Some(false),
            _ => None,
        });
        let holds = spans(events, |op| match op {
            Op::Enter | Op::TryEnterOk => Some(true),
            Op::Exit => Some(false),
            _ => None,
        });
        let decisive = decisive(events, &calls, &preemptions);
        let wakeups = wakeups(events);
        let shootdowns = calls
            .iter()
            .filter(|c| c.name.class == "hat_tlb_inval")
            .map(|c| {
                let end = c.end.unwrap_or(events.len());
                let flushes = (c.start..end)
                    .filter(|&i| events[i].op == Op::TlbFlush && events[i].tid == c.tid)
                    .collect();
                (c.start, flushes)
            })
            .collect();
        Reading {
            events,
            names,
            calls,
            holds,
            preemptions,
            decisive,
            wakeups,
            shootdowns,
        }
    }

    /// `t1 (a)`.
    pub fn thread(&self, tid: usize) -> String {
        match self.names.get(&tid) {
            Some(n) => format!("t{tid} ({n})"),
            None => format!("t{tid}"),
        }
    }

    pub fn threads(&self) -> usize {
        self.events.iter().map(|e| e.tid + 1).max().unwrap_or(1)
    }
}

/// Pairs opening and closing events per thread and object (`open` says
/// which an op is), innermost first closed.
fn spans(events: &[Event], open: impl Fn(Op) -> Option<bool>) -> Vec<Span> {
    let mut stacks: BTreeMap<usize, Vec<Span>> = BTreeMap::new();
    let mut out = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let Some(opens) = open(e.op) else { continue };
        let stack = stacks.entry(e.tid).or_default();
        if opens {
            let depth = stack.len();
            stack.push(Span {
                tid: e.tid,
                name: e.obj,
                start: i,
                end: None,
                depth,
            });
        } else if let Some(k) = stack.iter().rposition(|s| s.name == e.obj) {
            let mut s = stack.remove(k);
            s.end = Some(i);
            out.push(s);
        }
    }
    out.extend(stacks.into_values().flatten());
    out.sort_by_key(|s| (s.start, s.tid));
    out
}

/// Whether an event accesses its object, and whether it writes it.
fn access(op: Op) -> Option<bool> {
    match op {
        Op::Load | Op::CasFail | Op::TryEnterFail | Op::Use => Some(false),
        Op::Store
        | Op::Swap
        | Op::FetchOp
        | Op::CasOk
        | Op::Enter
        | Op::TryEnterOk
        | Op::Exit
        | Op::Downgrade
        | Op::UpgradeOk
        | Op::Alloc
        | Op::Free
        | Op::Hold
        | Op::Release
        | Op::HwSetBits => Some(true),
        _ => None,
    }
}

/// Decisive steps marked per preemption at most.
const MARKS: usize = 4;

fn decisive(
    events: &[Event],
    calls: &[Span],
    preemptions: &[Preemption],
) -> BTreeMap<usize, Decisive> {
    let mut out = BTreeMap::new();
    for p in preemptions {
        let resume = (p.at..events.len())
            .find(|&i| events[i].tid == p.from)
            .unwrap_or(events.len());
        // The preempted thread's operation (top level) at the preemption.
        let op = calls.iter().find(|c| {
            c.tid == p.from && c.depth == 0 && c.start < p.at && c.end.is_none_or(|e| e >= p.at)
        });
        let (began, ends) = op.map_or((0, events.len()), |c| {
            (c.start, c.end.unwrap_or(events.len()))
        });
        let touches = |j: usize, obj: ObjName| {
            events[j].tid == p.from && events[j].obj == obj && access(events[j].op).is_some()
        };
        let mut seen: Vec<ObjName> = Vec::new();
        let mut marks: Vec<(u8, usize, Decisive)> = Vec::new();
        for i in p.at..resume {
            let e = &events[i];
            let Some(writes) = access(e.op) else { continue };
            if seen.contains(&e.obj) {
                continue;
            }
            let later = (resume..ends).find(|&j| touches(j, e.obj));
            let earlier = (began..p.at).rev().find(|&j| touches(j, e.obj));
            let hit = match (later, earlier) {
                (Some(j), _) if writes || access(events[j].op) == Some(true) => Some((j, false)),
                (_, Some(j)) if writes && access(events[j].op) == Some(false) => Some((j, true)),
                _ => None,
            };
            if let Some((then, after)) = hit {
                seen.push(e.obj);
                let rank = match (e.obj.kind, writes) {
                    ("mutex" | "rwlock" | "lock" | "page", _) => 0,
                    (_, true) => 1,
                    _ => 2,
                };
                marks.push((
                    rank,
                    i,
                    Decisive {
                        other: p.from,
                        then,
                        after,
                        at: p.at,
                    },
                ));
            }
        }
        marks.sort_by_key(|m| (m.0, m.1));
        for (_, i, d) in marks.into_iter().take(MARKS) {
            out.entry(i).or_insert(d);
        }
    }
    out
}

/// Each wakeup paired with the latest signal or broadcast on the same
/// condition variable before it.
fn wakeups(events: &[Event]) -> Vec<(usize, usize)> {
    let mut last: BTreeMap<ObjName, usize> = BTreeMap::new();
    let mut out = Vec::new();
    for (i, e) in events.iter().enumerate() {
        match e.op {
            Op::CvSignal | Op::CvBroadcast => {
                last.insert(e.obj, i);
            }
            Op::CvWoken => {
                if let Some(&s) = last.get(&e.obj) {
                    out.push((s, i));
                }
            }
            _ => {}
        }
    }
    out
}

/// Events a story shows whatever happens around them: blocking, waking,
/// spawning and joining, freeing, shootdowns, faults, callouts.
pub fn blocking(op: Op) -> bool {
    matches!(
        op,
        Op::Spawn
            | Op::Finish
            | Op::Join
            | Op::TryEnterFail
            | Op::EnterFail
            | Op::UpgradeFail
            | Op::LockWait
            | Op::Blocks
            | Op::CvWait
            | Op::CvWoken
            | Op::CvInterrupted
            | Op::CvTimedOut
            | Op::CvSignal
            | Op::CvBroadcast
            | Op::PostSignal
            | Op::Free
            | Op::TlbFlush
            | Op::Fault
            | Op::Timeout
            | Op::Untimeout
            | Op::Callout
            | Op::CalloutDone
            | Op::Note
    )
}
