//! Reading a failure: `vmspec replay --story`, `--perfetto`, the
//! swimlane SVG and `--break-at`, run on pinned findings as a user runs
//! them.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn pinned(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("replays")
        .join(name)
        .display()
        .to_string()
}

fn vmspec(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vmspec"))
        .args(args)
        .env_remove("VMSPEC_LOG")
        .env_remove("RUST_LOG")
        .output()
        .expect("vmspec runs")
}

fn out_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("vmspec-reading-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

const F2: &str = "segmap-busy-slot-sleep--SYNC-DEADLOCK.json";

/// F2's story fits one screen, names the seed lines of the race (the
/// busy slot skipped at seg_map.c:1283, the sleep at 1252), marks the
/// decisive steps and the preemptions, and ends with the report.
#[test]
fn story_of_f2_fits_one_screen() {
    let o = vmspec(&["replay", &pinned(F2), "--story"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.lines().count() <= 32,
        "{} lines:\n{out}",
        out.lines().count()
    );
    for needle in [
        "segmap_getmapflt()",
        "get_free_smp()",
        "tryenter FAIL mutex segmap.slot#0  seg_map.c:1283",
        "cv_wait cv segmap.free_cv#0  seg_map.c:1252",
        "preemption: t1 (a) in segmap_release() at seg_map.c:949 holding mutex segmap.slot#0",
        "◆ store atomic segmap.sm_want#0",
        "✗ join",
    ] {
        assert!(out.contains(needle), "{needle}:\n{out}");
    }
    assert!(
        !out.contains("load atomic segmap.sm_vp"),
        "raw steps stay behind --trace"
    );
    let last = out.lines().last().unwrap();
    assert!(last.contains("waits for cv segmap.free_cv#0"), "{out}");
}

/// Events of a Chrome trace by phase.
fn phases(events: &[Value], ph: &str) -> Vec<Value> {
    events.iter().filter(|e| e["ph"] == ph).cloned().collect()
}

fn track(e: &Value) -> (u64, u64) {
    (e["pid"].as_u64().unwrap(), e["tid"].as_u64().unwrap())
}

/// Checks a Perfetto trace's structure; returns (wakeup flows, shootdown
/// flows).
fn check_trace(path: &Path, preemptions: usize, check: &str) -> (usize, usize) {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let events = v["traceEvents"].as_array().unwrap();
    // Every track is named.
    let named: Vec<(u64, u64)> = phases(events, "M")
        .iter()
        .filter(|m| m["name"] == "thread_name")
        .map(track)
        .collect();
    let slices = phases(events, "X");
    assert!(!slices.is_empty());
    for x in &slices {
        assert!(named.contains(&track(x)), "unnamed track {x}");
    }
    // Complete slices nest properly on each track.
    let mut by_track: BTreeMap<(u64, u64), Vec<(u64, u64)>> = BTreeMap::new();
    for x in &slices {
        let ts = x["ts"].as_u64().unwrap();
        let dur = x["dur"].as_u64().unwrap();
        assert!(dur >= 1, "{x}");
        by_track.entry(track(x)).or_default().push((ts, ts + dur));
    }
    for (t, mut spans) in by_track.clone() {
        spans.sort_by_key(|&(a, b)| (a, std::cmp::Reverse(b)));
        let mut stack: Vec<u64> = Vec::new();
        for (a, b) in spans {
            while stack.last().is_some_and(|&end| end <= a) {
                stack.pop();
            }
            if let Some(&end) = stack.last() {
                assert!(
                    b <= end,
                    "track {t:?}: [{a},{b}) overlaps its parent ending at {end}"
                );
            }
            stack.push(b);
        }
    }
    // Lock holds: begin before end, same id and name, named by instance.
    let begins = phases(events, "b");
    let ends = phases(events, "e");
    assert_eq!(begins.len(), ends.len());
    for b in &begins {
        let e = ends.iter().find(|e| e["id"] == b["id"]).expect("an end");
        assert_eq!(e["name"], b["name"]);
        assert!(b["ts"].as_u64() <= e["ts"].as_u64());
        assert!(b["name"].as_str().unwrap().contains('#'), "{b}");
    }
    // Preemptions and the violation as instants, the violation last.
    let instants = phases(events, "i");
    let pre = instants.iter().filter(|i| i["cat"] == "preemption").count();
    assert_eq!(pre, preemptions);
    let violation: Vec<_> = instants
        .iter()
        .filter(|i| i["cat"] == "violation")
        .collect();
    assert_eq!(violation.len(), 1);
    assert_eq!(violation[0]["name"], check);
    let end = slices
        .iter()
        .map(|x| x["ts"].as_u64().unwrap())
        .max()
        .unwrap();
    assert!(violation[0]["ts"].as_u64().unwrap() >= end);
    // Flows: a start and a finish per id, in order, each bound to a slice
    // of its track.
    let starts = phases(events, "s");
    let finishes = phases(events, "f");
    assert_eq!(starts.len(), finishes.len());
    let inside = |e: &Value| {
        let ts = e["ts"].as_u64().unwrap();
        by_track
            .get(&track(e))
            .is_some_and(|v| v.iter().any(|&(a, b)| a <= ts && ts < b))
    };
    for s in &starts {
        let f = finishes
            .iter()
            .find(|f| f["id"] == s["id"])
            .expect("a finish");
        assert!(s["ts"].as_u64() <= f["ts"].as_u64(), "{s} {f}");
        assert!(inside(s) && inside(f), "flow {s} -> {f} not on slices");
    }
    let count = |n: &str| starts.iter().filter(|s| s["name"] == n).count();
    (count("wakeup"), count("shootdown"))
}

#[test]
fn perfetto_traces_are_well_formed() {
    let d = out_dir("perfetto");
    let cases = [
        F2,
        "proto-signal-lost-wakeup--signal-not-broadcast--SYNC-DEADLOCK.json",
        "htable-inval-vs-cpu-blind--HTABLE-H6.json",
    ];
    let mut flows = (0, 0);
    for name in cases {
        let file: Value =
            serde_json::from_str(&std::fs::read_to_string(pinned(name)).unwrap()).unwrap();
        let out = d.join(format!("{name}.trace.json"));
        let o = vmspec(&["replay", &pinned(name), "--perfetto", out.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{name}");
        let p = file["preemptions"].as_u64().unwrap() as usize;
        let (w, s) = check_trace(&out, p, file["check"].as_str().unwrap());
        flows.0 += w;
        flows.1 += s;
    }
    assert!(flows.0 >= 1, "a cv_signal -> wakeup flow");
    assert!(flows.1 >= 1, "a shootdown -> TLB flush flow");
}

/// The swimlanes carry their labels as text (not only in tooltips), a
/// legend, the preemptions and the failing step's name; rendered to PNG
/// when rsvg-convert is installed (skipped cleanly otherwise).
#[test]
fn swimlanes_are_labelled_and_render() {
    let d = out_dir("svg");
    let svg = d.join("f2.svg");
    let o = vmspec(&["replay", &pinned(F2), "--svg", svg.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let text = std::fs::read_to_string(&svg).unwrap();
    for needle in [
        ">segmap_getmapflt()  seg_map.c:1599</text>",
        ">segmap.slot#0</text>",
        ">seed function</text>",
        ">lock held</text>",
        "preempt t1→t2</text>",
        "SYNC-DEADLOCK at step",
        "tryenter FAIL segmap.slot",
    ] {
        assert!(text.contains(needle), "{needle}");
    }
    let png = d.join("f2.png");
    match Command::new("rsvg-convert")
        .arg(&svg)
        .arg("-o")
        .arg(&png)
        .output()
    {
        Ok(r) => {
            assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
            let bytes = std::fs::read(&png).unwrap();
            assert!(bytes.starts_with(b"\x89PNG"), "a PNG");
        }
        Err(_) => eprintln!("rsvg-convert not installed: PNG rendering skipped"),
    }
}

/// `--break-at` beyond the replay is bad input; within it the replay
/// runs as without it.
#[test]
fn break_at_is_checked() {
    let o = vmspec(&["replay", &pinned(F2), "--break-at", "100000"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("--break-at 100000"), "{err}");
    let a = vmspec(&["replay", &pinned(F2), "--break-at", "200"]);
    let b = vmspec(&["replay", &pinned(F2)]);
    assert_eq!(a.status.code(), Some(1));
    assert_eq!(a.stdout, b.stdout);
}
