//! Foundation II: the `vmspec` command as a user runs it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn vmspec(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vmspec"))
        .args(args)
        .current_dir(dir)
        .env_remove("VMSPEC_LOG")
        .env_remove("RUST_LOG")
        .output()
        .expect("vmspec runs")
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("vmspec-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Bad input: exit 2, exactly one line on stderr, no panic.
fn assert_bad(args: &[&str], dir: &Path, needle: &str) {
    let o = vmspec(args, dir);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.lines().count(), 1, "{args:?} must say one line: {err}");
    assert!(err.contains(needle), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn list_names_every_scenario() {
    let o = vmspec(&["list"], &tmp("list"));
    assert!(o.status.success());
    let out = text(&o.stdout);
    for s in scenarios::all() {
        assert!(out.contains(s.id), "{out}");
    }
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    let d = tmp("bad");
    assert_bad(&["check", "nosuch/thing"], &d, "unknown scenario");
    assert_bad(&["check", "all", "--shard", "3/2"], &d, "--shard");
    assert_bad(&["check", "all", "--shard", "x"], &d, "--shard");
    assert_bad(&["check", "all", "--bound", "0"], &d, "--bound");
    assert_bad(&["check", "all", "--depth", "0"], &d, "--depth");
    assert_bad(&["check", "all", "--iterations", "0"], &d, "--iterations");
    assert_bad(&["check", "all", "--mutant", "nosuch"], &d, "mutant");
    assert_bad(&["check", "all", "--sched", "nosuch"], &d, "nosuch");
    assert_bad(&["check", "all", "--param", "novalue"], &d, "KEY=VALUE");
    assert_bad(
        &["check", "all", "--param", "nosuch=1"],
        &d,
        "unknown parameter",
    );
    assert_bad(
        &["check", "all", "--param", "hw-mod=sometimes"],
        &d,
        "checked, blind",
    );
    assert_bad(
        &["check", "segmap/stress", "--param", "ops=many"],
        &d,
        "a number",
    );
    assert_bad(
        &["check", "proto/*", "--param", "ops=3"],
        &d,
        "unknown parameter",
    );
    assert_bad(&["bench", "all", "--std-runs", "0"], &d, "--std-runs");
    assert_bad(&["frobnicate"], &d, "frobnicate");
    assert_bad(&["replay", "missing.json"], &d, "cannot read");
    std::fs::write(d.join("garbage.json"), "{ not json").unwrap();
    assert_bad(&["replay", "garbage.json"], &d, "not a valid replay file");
}

/// `check all` selects every scenario; one shard of six of it is run here
/// (CI runs the whole of `vmspec check all` after the tests).
#[test]
fn check_all_passes_and_writes_json() {
    let d = tmp("all");
    let o = vmspec(
        &["check", "all", "--shard", "1/6", "--json", "out.json"],
        &d,
    );
    assert!(o.status.success(), "{}", text(&o.stdout));
    let rows: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("out.json")).unwrap()).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), scenarios::all().len().div_ceil(6));
    let ids: Vec<&str> = rows
        .iter()
        .map(|r| r["scenario"].as_str().unwrap())
        .collect();
    let first: Vec<&str> = scenarios::all().iter().step_by(6).map(|s| s.id).collect();
    assert_eq!(ids, first);
    assert!(rows.iter().all(|r| r["ok"] == true));
}

#[test]
fn shards_split_the_scenarios() {
    let d = tmp("shard");
    let mut total = 0;
    for i in 1..=2 {
        let o = vmspec(
            &[
                "check",
                "proto/*",
                "--shard",
                &format!("{i}/2"),
                "--sched",
                "pct",
                "--iterations",
                "50",
            ],
            &d,
        );
        assert!(o.status.success());
        let out = text(&o.stdout);
        total += out.lines().filter(|l| l.starts_with("proto/")).count();
    }
    assert_eq!(total, scenarios::proto::SCENARIOS.len());
}

/// A violation found, written, replayed twice with identical traces.
#[test]
fn replay_round_trip() {
    let d = tmp("replay");
    let o = vmspec(
        &[
            "check",
            "proto/signal-lost-wakeup",
            "--mutant",
            "signal-not-broadcast",
            "--sched",
            "pct",
        ],
        &d,
    );
    assert_eq!(o.status.code(), Some(1), "a violation was found");
    let out = text(&o.stdout);
    assert!(out.contains("violation SYNC-DEADLOCK"), "{out}");
    assert!(out.contains("minimized to"), "{out}");
    let file =
        "target/vmspec/failures/proto-signal-lost-wakeup--signal-not-broadcast--SYNC-DEADLOCK.json";
    assert!(out.contains(&format!("vmspec replay {file}")), "{out}");
    let a = vmspec(&["replay", file, "--trace", "--svg", "a.svg"], &d);
    let b = vmspec(&["replay", file, "--trace"], &d);
    assert_eq!(a.status.code(), Some(1));
    assert_eq!(a.stdout, b.stdout, "replays must be byte-identical");
    let trace = text(&a.stdout);
    assert!(trace.contains("reproduced SYNC-DEADLOCK"), "{trace}");
    assert!(trace.contains("cv_signal"), "{trace}");
    let svg = std::fs::read_to_string(d.join("a.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("thread 2"));

    // A file from another version, and a truncated one, are refused.
    let json = std::fs::read_to_string(d.join(file)).unwrap();
    std::fs::write(
        d.join("old.json"),
        json.replace(env!("CARGO_PKG_VERSION"), "0.0.0-old"),
    )
    .unwrap();
    assert_bad(&["replay", "old.json"], &d, "written by vmspec 0.0.0-old");
    std::fs::write(d.join("cut.json"), &json[..json.len() / 2]).unwrap();
    assert_bad(&["replay", "cut.json"], &d, "not a valid replay file");
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["steps"] = serde_json::json!(1);
    std::fs::write(d.join("short.json"), v.to_string()).unwrap();
    assert_bad(&["replay", "short.json"], &d, "truncated or edited");
    let steps = serde_json::from_str::<serde_json::Value>(&json).unwrap()["steps"].clone();
    v["steps"] = steps;
    v["scenario"] = serde_json::json!("proto/nosuch");
    std::fs::write(d.join("unknown.json"), v.to_string()).unwrap();
    assert_bad(&["replay", "unknown.json"], &d, "proto/nosuch");
}

#[test]
fn lockorder_proves_passing_scenarios_and_reports_the_inversion() {
    let d = tmp("lockorder");
    let o = vmspec(&["lockorder", "proto/*", "--dot", "g.dot"], &d);
    let out = text(&o.stdout);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("== proto/tryenter-inversion"));
    assert!(out.contains("order holds"));
    assert!(out.contains("violation reproduced as expected (negative control)"));
    assert!(out.contains("acyclic, every edge declared"));
    let dot = std::fs::read_to_string(d.join("g.dot")).unwrap();
    assert!(
        dot.contains("style=dashed") && dot.contains("color=red"),
        "{dot}"
    );
    // The proof and the negative controls are drawn apart: no violating
    // edge inside the proof's box, and one graph in the file.
    let controls = dot.find("subgraph cluster_controls").expect("controls box");
    let proof = dot.find("subgraph cluster_proof").expect("proof box");
    assert!(proof < controls, "{dot}");
    assert!(!dot[proof..controls].contains("color=red"), "{dot}");
    assert_eq!(dot.matches("digraph").count(), 1, "{dot}");
    assert!(dot.trim_end().ends_with('}'), "{dot}");
}

#[test]
fn mutants_are_all_caught() {
    let d = tmp("mutants");
    let o = vmspec(
        &[
            "mutants",
            "proto/*",
            "--iterations",
            "2000",
            "--json",
            "m.json",
        ],
        &d,
    );
    let out = text(&o.stdout);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("0 missed"), "{out}");
    let rows: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("m.json")).unwrap()).unwrap();
    let rows = rows.as_array().unwrap();
    let mutants: usize = scenarios::proto::SCENARIOS
        .iter()
        .map(|s| s.mutants.len())
        .sum();
    assert_eq!(rows.len(), 2 * mutants, "each mutant under loom and PCT");
}

#[test]
fn bench_reports_rates_overhead_and_detection() {
    let d = tmp("bench");
    let o = vmspec(
        &[
            "bench",
            "proto/tryenter-inversion",
            "--iterations",
            "200",
            "--json",
            "b.json",
        ],
        &d,
    );
    let out = text(&o.stdout);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("facade overhead"), "{out}");
    let b: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("b.json")).unwrap()).unwrap();
    assert_eq!(b["rates"].as_array().unwrap().len(), 3, "loom, PCT, std");
    assert_eq!(b["overhead"].as_array().unwrap().len(), 2);
    assert!(b["overhead"][0]["bare_executions"].as_u64().unwrap() > 0);
    assert!(b["mutants"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["caught"] == true));
}

#[test]
fn bench_measures_real_thread_throughput() {
    let d = tmp("stress");
    let o = vmspec(
        &[
            "bench",
            "segmap/stress",
            "--explorer",
            "std",
            "--std-runs",
            "2",
            "--param",
            "ops=200",
            "--json",
            "s.json",
        ],
        &d,
    );
    let out = text(&o.stdout);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("getmap+release:"), "{out}");
    let b: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.join("s.json")).unwrap()).unwrap();
    let rates = b["rates"].as_array().unwrap();
    assert_eq!(rates.len(), 1, "std only: {out}");
    assert_eq!(rates[0]["sched"], "std threads");
    assert!(
        rates[0]["operations"]["op.getmap+release"]
            .as_f64()
            .unwrap()
            > 0.0
    );
    assert!(b["mutants"].as_array().unwrap().is_empty());
}

/// A deadlock that loom's own scheduler detects replays from loom's own
/// execution (its trace is followed under shuttle), not from a PCT search.
#[test]
fn loom_deadlocks_replay_from_their_own_execution() {
    let d = tmp("followed");
    let o = vmspec(&["check", "prim/rw-recursive-read", "--out", "r"], &d);
    let out = text(&o.stdout);
    assert!(o.status.success(), "{out}");
    assert!(!out.contains("schedule from PCT"), "{out}");
    let file = d.join("r/prim-rw-recursive-read--SYNC-DEADLOCK.json");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let by = json["found_by"].as_str().unwrap();
    assert!(by.starts_with("loom bound") && !by.contains("PCT"), "{by}");
    let o = vmspec(&["replay", file.to_str().unwrap()], &d);
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "a reproduced violation: {out}");
    assert!(out.contains("reproduced SYNC-DEADLOCK"), "{out}");
}

/// Only a weak-memory outcome (a relaxed load reading a stale value, which
/// shuttle cannot express) falls back to a PCT search, and says so.
#[test]
fn weak_memory_findings_fall_back_to_a_search_and_say_why() {
    let d = tmp("searched");
    let o = vmspec(&["check", "segmap/kpm-page-busy-sleep", "--out", "r"], &d);
    let out = text(&o.stdout);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("schedule from PCT execution"), "{out}");
    assert!(out.contains("weak-memory outcome"), "{out}");
}

/// F2 needs one preemption; PCT finds it with two, each needed where it
/// is, and the minimizer (loom at one bound fewer) finds the one.
#[test]
fn minimizer_reaches_the_fewest_preemptions() {
    let d = tmp("minimal");
    let o = vmspec(
        &[
            "check",
            "segmap/busy-slot-sleep",
            "--sched",
            "pct",
            "--out",
            "r",
        ],
        &d,
    );
    assert!(o.status.success(), "{}", text(&o.stdout));
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(d.join("r/segmap-busy-slot-sleep--SYNC-DEADLOCK.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json["preemptions"], 1, "{json}");
}

#[test]
fn a_closed_stdout_ends_the_command_quietly() {
    let replay = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("replays/segmap-busy-slot-sleep--SYNC-DEADLOCK.json");
    // The reader is gone before the command starts, as `| head -0` can
    // be: its first line meets a closed pipe (dropping the reader after
    // the spawn raced with a child that wrote all its lines first).
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let child = Command::new(env!("CARGO_BIN_EXE_vmspec"))
        .args(["replay", replay.to_str().unwrap(), "--trace"])
        .current_dir(tmp("pipe"))
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("vmspec runs");
    let o = child.wait_with_output().unwrap();
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(141), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}
