//! `vmspec replay --perfetto OUT.json`: the Chrome trace-event format
//! (ui.perfetto.dev, chrome://tracing). One step is one microsecond.
//!
//! - process 1, one track per model thread: nested complete slices
//!   (`X`) for seed functions, and a one-step slice for each blocking
//!   event (waits, wakeups, signals, frees, spawns, joins);
//! - process 2, one track per CPU: its TLB fills, hits, flushes and
//!   hardware REF/MOD updates;
//! - lock holds as async slices (`b`/`e`) named by lock instance, on the
//!   holding thread (holds need not nest, so they are not `X` slices);
//! - instant events (`i`) for each preemption (on the preempted thread)
//!   and for the violation (global);
//! - flow arrows (`s`/`f`) from a `cv_signal` or `cv_broadcast` to the
//!   wakeup it caused, and from a `hat_tlb_inval` to each TLB entry it
//!   cleared.

use super::{blocking, Reading};
use model::trace::{Event, Op};
use serde_json::{json, Value};

const THREADS: u32 = 1;
const CPUS: u32 = 2;

fn is_cpu(e: &Event) -> bool {
    e.obj.kind == "cpu"
        && matches!(
            e.op,
            Op::TlbFill | Op::TlbHit | Op::TlbFlush | Op::HwSetBits | Op::Fault
        )
}

fn label(e: &Event) -> String {
    let mut s = format!("{} {}", e.op.name(), e.obj);
    if let Some(v) = e.values() {
        s.push(' ');
        s.push_str(&v);
    }
    s
}

fn args(e: &Event, step: usize) -> Value {
    json!({
        "step": step,
        "thread": e.tid,
        "seed": e.seed.unwrap_or(""),
        "site": format!("{}:{}", e.site.file(), e.site.line()),
    })
}

/// Where event `i` is drawn: (pid, tid).
fn track(e: &Event) -> (u32, u64) {
    if is_cpu(e) {
        (CPUS, u64::from(e.obj.index))
    } else {
        (THREADS, e.tid as u64)
    }
}

/// The trace of `r` as Chrome trace-event JSON; `check` and `message`
/// name the violation at the last step.
pub fn perfetto(r: &Reading, check: &str, message: &str) -> Value {
    let events = r.events;
    let end = events.len() as u64;
    let mut out: Vec<Value> = Vec::new();
    out.push(
        json!({"ph": "M", "name": "process_name", "pid": THREADS, "args": {"name": "threads"}}),
    );
    for t in 0..r.threads() {
        out.push(json!({"ph": "M", "name": "thread_name", "pid": THREADS, "tid": t, "args": {"name": r.thread(t)}}));
    }
    let mut cpus: Vec<u32> = events
        .iter()
        .filter(|e| is_cpu(e))
        .map(|e| e.obj.index)
        .collect();
    cpus.sort_unstable();
    cpus.dedup();
    if !cpus.is_empty() {
        out.push(
            json!({"ph": "M", "name": "process_name", "pid": CPUS, "args": {"name": "CPUs (TLB)"}}),
        );
        for c in cpus {
            out.push(json!({"ph": "M", "name": "thread_name", "pid": CPUS, "tid": c, "args": {"name": format!("cpu {c}")}}));
        }
    }
    for c in &r.calls {
        let e = &events[c.start];
        let stop = c.end.map_or(end, |x| x as u64);
        let mut a = args(e, c.start);
        a["returns_at"] = json!(c.end.map(|x| events[x].seed.unwrap_or("")));
        out.push(json!({
            "ph": "X", "cat": "operation", "name": e.obj.to_string(),
            "pid": THREADS, "tid": c.tid, "ts": c.start, "dur": stop - c.start as u64, "args": a,
        }));
    }
    for (i, e) in events.iter().enumerate() {
        if !(blocking(e.op) || is_cpu(e)) {
            continue;
        }
        let (pid, tid) = track(e);
        let a = args(e, i);
        out.push(json!({
            "ph": "X", "cat": "event", "name": label(e),
            "pid": pid, "tid": tid, "ts": i, "dur": 1, "args": a,
        }));
    }
    for (k, h) in r.holds.iter().enumerate() {
        let stop = h.end.map_or(end, |x| x as u64);
        let name = h.name.to_string();
        for (ph, ts) in [("b", h.start as u64), ("e", stop)] {
            out.push(json!({
                "ph": ph, "cat": "lock", "name": name, "id": k,
                "pid": THREADS, "tid": h.tid, "ts": ts,
            }));
        }
    }
    for p in &r.preemptions {
        out.push(json!({
            "ph": "i", "s": "t", "cat": "preemption",
            "name": format!("preempted: {} runs", r.thread(p.to)),
            "pid": THREADS, "tid": p.from, "ts": p.at,
        }));
    }
    let mut flow = 0u64;
    let mut arrow = |out: &mut Vec<Value>,
                     name: &str,
                     from: (u32, u64, usize),
                     to: (u32, u64, usize)| {
        flow += 1;
        out.push(json!({"ph": "s", "cat": "flow", "name": name, "id": flow, "pid": from.0, "tid": from.1, "ts": from.2}));
        out.push(json!({"ph": "f", "bp": "e", "cat": "flow", "name": name, "id": flow, "pid": to.0, "tid": to.1, "ts": to.2}));
    };
    for &(sig, woke) in &r.wakeups {
        let (a, b) = (&events[sig], &events[woke]);
        arrow(
            &mut out,
            "wakeup",
            (THREADS, a.tid as u64, sig),
            (THREADS, b.tid as u64, woke),
        );
    }
    for (call, flushes) in &r.shootdowns {
        let a = &events[*call];
        for &f in flushes {
            let (pid, tid) = track(&events[f]);
            arrow(
                &mut out,
                "shootdown",
                (THREADS, a.tid as u64, *call),
                (pid, tid, f),
            );
        }
    }
    if let Some(last) = events.last() {
        out.push(json!({
            "ph": "i", "s": "g", "cat": "violation", "name": check,
            "pid": THREADS, "tid": last.tid, "ts": end.saturating_sub(1),
            "args": {"message": message},
        }));
    }
    json!({"traceEvents": out, "displayTimeUnit": "ms"})
}
