//! `vmspec replay --story`: the failing execution as operations and
//! blocking events, one line each, a column of indentation per thread.

use super::{blocking, Reading, Span};
use model::trace::{Event, Op};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// Columns of indentation per thread.
const COLUMN: usize = 6;

fn seed(e: &Event) -> &'static str {
    e.seed.unwrap_or("")
}

fn event_text(e: &Event) -> String {
    let mut s = format!("{} {}", e.op.name(), e.obj);
    if let Some(v) = e.values() {
        let _ = write!(s, " {v}");
    }
    if let Some(l) = e.seed {
        let _ = write!(s, "  {l}");
    }
    s
}

fn call_text(r: &Reading, c: &Span) -> String {
    let e = &r.events[c.start];
    let ret = match c.end {
        Some(end) => format!(" -> returns at {}", seed(&r.events[end])),
        None => " -> never returns".to_string(),
    };
    format!("{}  {}{ret}", e.obj, seed(e))
}

/// The story of `r`, after `header` lines; the last event is the failing
/// step, named `check`.
pub fn story(r: &Reading, header: &str, check: &str) -> String {
    let events = r.events;
    let last = events.len().saturating_sub(1);
    let preempt_at: BTreeMap<usize, _> = r.preemptions.iter().map(|p| (p.at, p)).collect();
    let notable: BTreeSet<usize> = (0..events.len())
        .filter(|&i| {
            blocking(events[i].op)
                || r.decisive.contains_key(&i)
                || preempt_at.contains_key(&i)
                || i == last
        })
        .collect();
    // A nested call gets a line only if something notable happens in it.
    let shown: BTreeMap<usize, &Span> = r
        .calls
        .iter()
        .filter(|c| {
            let end = c.end.unwrap_or(events.len());
            c.depth == 0 || notable.range(c.start..end).next().is_some()
        })
        .map(|c| (c.start, c))
        .collect();
    let mut s = String::from(header);
    let threads: Vec<String> = (0..r.threads()).map(|t| r.thread(t)).collect();
    let _ = writeln!(
        s,
        "threads, one column each: {}. `>` a seed function (nested ones only where something happens), ◆ a decisive step (an access conflicting with the preempted thread's, ordered by the preemption), ✗ the failing step",
        threads.join(", ")
    );
    let quiet = |c: &Span| {
        let end = c.end.unwrap_or(events.len());
        c.depth == 0 && c.end.is_some() && notable.range(c.start..=end).next().is_none()
    };
    let mut calm = Calm::default();
    let mut depth: BTreeMap<usize, usize> = BTreeMap::new();
    for (i, e) in events.iter().enumerate() {
        if let Some(c) = shown.get(&i).filter(|c| quiet(c)) {
            calm.push(&mut s, r, i, c);
            *depth.entry(e.tid).or_insert(0) += 1;
            continue;
        }
        if e.op == Op::Return {
            let d = depth.entry(e.tid).or_insert(0);
            *d = d.saturating_sub(1);
            continue;
        }
        let prints = preempt_at.contains_key(&i) || notable.contains(&i) || shown.contains_key(&i);
        if prints {
            calm.flush(&mut s, r);
        }
        if let Some(p) = preempt_at.get(&i) {
            let held: Vec<String> = r
                .holds
                .iter()
                .filter(|h| h.tid == p.from && h.start < i && h.end.is_none_or(|e| e >= i))
                .map(|h| h.name.to_string())
                .collect();
            let holding = if held.is_empty() {
                String::new()
            } else {
                format!(" holding {}", held.join(", "))
            };
            // Where the preempted thread stands: its innermost open call
            // and the seed line of its last event.
            let inside = r
                .calls
                .iter()
                .filter(|c| c.tid == p.from && c.start < i && c.end.is_none_or(|e| e >= i))
                .max_by_key(|c| c.depth)
                .map(|c| {
                    let at = events[..i]
                        .iter()
                        .rev()
                        .find(|e| e.tid == p.from)
                        .and_then(|e| e.seed)
                        .unwrap_or("");
                    format!(" in {} at {at}", c.name)
                })
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "{:>5}  ---- preemption: {}{inside}{holding} could go on; {} runs ----",
                "",
                r.thread(p.from),
                r.thread(p.to)
            );
        }
        let d = depth.entry(e.tid).or_insert(0);
        if e.op == Op::Call {
            if let Some(c) = shown.get(&i) {
                let pad = " ".repeat(e.tid * COLUMN + *d * 2);
                let _ = writeln!(s, "{i:>5}  {pad}t{} > {}", e.tid, call_text(r, c));
            }
            *d += 1;
            continue;
        }
        if !notable.contains(&i) {
            continue;
        }
        let pad = " ".repeat(e.tid * COLUMN + *d * 2);
        let mark = if i == last {
            "✗"
        } else if r.decisive.contains_key(&i) {
            "◆"
        } else {
            " "
        };
        let mut line = format!("{i:>5}  {pad}t{} {mark} {}", e.tid, event_text(e));
        if let Some(dv) = r.decisive.get(&i) {
            let then = &events[dv.then];
            let _ = write!(
                line,
                "   ({} {}'s {} at step {})",
                if dv.after { "after" } else { "before" },
                r.thread(dv.other),
                then.op.name(),
                dv.then
            );
        }
        if i == last {
            let _ = write!(line, "   <- {check}");
        }
        let _ = writeln!(s, "{line}");
    }
    calm.flush(&mut s, r);
    s
}

/// Consecutive top-level operations of one thread in which nothing
/// notable happens, printed as one line.
#[derive(Default)]
struct Calm {
    calls: Vec<(usize, Span)>,
}

impl Calm {
    fn push(&mut self, s: &mut String, r: &Reading, i: usize, c: &Span) {
        if self.calls.first().is_some_and(|(_, f)| f.tid != c.tid) {
            self.flush(s, r);
        }
        self.calls.push((i, *c));
    }

    fn flush(&mut self, s: &mut String, r: &Reading) {
        let calls = std::mem::take(&mut self.calls);
        let Some(&(first, c0)) = calls.first() else {
            return;
        };
        let pad = " ".repeat(c0.tid * COLUMN);
        if calls.len() == 1 {
            let _ = writeln!(s, "{first:>5}  {pad}t{} > {}", c0.tid, call_text(r, &c0));
            return;
        }
        let mut names: Vec<(String, usize)> = Vec::new();
        for (_, c) in &calls {
            let n = c.name.to_string();
            match names.last_mut() {
                Some((last, k)) if *last == n => *k += 1,
                _ => names.push((n, 1)),
            }
        }
        let list: Vec<String> = names
            .into_iter()
            .map(|(n, k)| if k == 1 { n } else { format!("{n} x{k}") })
            .collect();
        let last = calls.last().and_then(|(_, c)| c.end).unwrap_or(first);
        let _ = writeln!(
            s,
            "{first:>5}  {pad}t{} > {}   (steps {first}-{last}, nothing blocks)",
            c0.tid,
            list.join(", ")
        );
    }
}
