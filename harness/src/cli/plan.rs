//! From arguments to runs: validation of bounds, shards and parameters.

use super::args::{Explore, SchedArg};
use super::BadInput;
use crate::runner::Sched;
use crate::scenario::{self, Scenario};
use model::exec::MODEL_PARAMS;
use std::collections::BTreeMap;
use std::time::Duration;

/// PCT executions when `--iterations` is not given.
pub const PCT_ITERATIONS: usize = 10_000;
/// Real-thread executions when `--iterations` is not given.
pub const STD_ITERATIONS: usize = 1_000;
/// How long one real-thread execution may make no progress.
pub const STD_WATCHDOG: Duration = Duration::from_secs(10);

fn bad<T>(msg: impl Into<String>) -> Result<T, BadInput> {
    Err(BadInput(msg.into()))
}

/// Validates the numeric options once, before anything runs.
pub fn validate(e: &Explore) -> Result<(), BadInput> {
    if let Some(b) = e.bound {
        if !(1..=6).contains(&b) && b != crate::scenario::UNBOUNDED {
            return bad(format!(
                "--bound {b} is out of range: loom preemption bounds go from 1 (a bound of 0 explores no race) to 6"
            ));
        }
        if !matches!(e.sched, None | Some(SchedArg::Loom)) {
            return bad("--bound applies to --sched loom only");
        }
    }
    if let Some(d) = e.depth {
        if !(1..=10).contains(&d) {
            return bad(format!(
                "--depth {d} is out of range: PCT depths go from 1 to 10"
            ));
        }
    }
    if e.iterations == Some(0) {
        return bad("--iterations must be at least 1");
    }
    Ok(())
}

/// The schedule for `s`, or `None` when the scenario cannot run on the
/// requested explorer (a loom run of a scenario with no loom bound).
pub fn sched(e: &Explore, s: &Scenario) -> Option<Sched> {
    let pct = Sched::Pct {
        depth: e.depth.unwrap_or(s.pct_depth),
        iterations: e.iterations.unwrap_or(PCT_ITERATIONS),
        seed: e.seed,
    };
    match e.sched {
        None => Some(match (e.bound.or(s.loom_bound), s.loom_bound) {
            (Some(bound), Some(_)) => Sched::Loom {
                bound,
                max: e.iterations,
            },
            _ => pct,
        }),
        Some(SchedArg::Loom) => e.bound.or(s.loom_bound).map(|bound| Sched::Loom {
            bound,
            max: e.iterations,
        }),
        Some(SchedArg::Pct) => Some(pct),
        Some(SchedArg::Random) => Some(Sched::Random {
            iterations: e.iterations.unwrap_or(PCT_ITERATIONS),
            seed: e.seed,
        }),
        Some(SchedArg::Dfs) => Some(Sched::Dfs { max: e.iterations }),
        Some(SchedArg::Std) => Some(Sched::Std {
            iterations: e.iterations.unwrap_or(STD_ITERATIONS),
            watchdog: STD_WATCHDOG,
        }),
    }
}

/// Selects scenarios by patterns (default `all`).
pub fn select(
    all: &'static [Scenario],
    patterns: &[String],
) -> Result<Vec<&'static Scenario>, BadInput> {
    let default = vec!["all".to_string()];
    let patterns = if patterns.is_empty() {
        &default
    } else {
        patterns
    };
    scenario::select(all, patterns).map_err(BadInput)
}

/// Keeps shard `I/N` (1-based) of `items`.
pub fn shard<T>(items: Vec<T>, spec: Option<&str>) -> Result<Vec<T>, BadInput> {
    let Some(spec) = spec else { return Ok(items) };
    let parsed = spec
        .split_once('/')
        .and_then(|(i, n)| Some((i.parse::<usize>().ok()?, n.parse::<usize>().ok()?)));
    let Some((i, n)) = parsed else {
        return bad(format!(
            "--shard '{spec}' is not of the form I/N (e.g. 1/4)"
        ));
    };
    if n == 0 || i == 0 || i > n {
        return bad(format!(
            "--shard {i}/{n}: I must be between 1 and N, and N at least 1"
        ));
    }
    Ok(items
        .into_iter()
        .enumerate()
        .filter(|(k, _)| k % n == i - 1)
        .map(|(_, x)| x)
        .collect())
}

/// Parses `KEY=VALUE` run parameters: a model parameter with one of its
/// values, or a parameter a selected scenario declares, with a value of
/// its default's kind (a number for a number).
pub fn params(
    raw: &[String],
    selected: &[&Scenario],
) -> Result<BTreeMap<String, String>, BadInput> {
    let mut out = BTreeMap::new();
    for p in raw {
        let Some((k, v)) = p.split_once('=') else {
            return bad(format!("--param '{p}' is not KEY=VALUE"));
        };
        if let Some(doc) = MODEL_PARAMS.iter().find(|d| d.key == k) {
            if !doc.values.contains(&v) {
                return bad(format!(
                    "--param {k}={v}: expected one of {}",
                    doc.values.join(", ")
                ));
            }
        } else if let Some((s, default)) = selected.iter().find_map(|s| {
            s.params
                .iter()
                .find(|(key, _)| *key == k)
                .map(|(_, d)| (s, d))
        }) {
            if default.parse::<u64>().is_ok() && v.parse::<u64>().is_err() {
                return bad(format!(
                    "--param {k}={v}: expected a number ({} declares {k}={default})",
                    s.id
                ));
            }
        } else {
            let mut known: Vec<&str> = MODEL_PARAMS.iter().map(|d| d.key).collect();
            known.extend(
                selected
                    .iter()
                    .flat_map(|s| s.params.iter().map(|(k, _)| *k)),
            );
            known.sort_unstable();
            known.dedup();
            return bad(format!(
                "--param {k}: unknown parameter (known here: {})",
                known.join(", ")
            ));
        }
        out.insert(k.to_string(), v.to_string());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition() {
        let items: Vec<usize> = (0..7).collect();
        let mut all: Vec<usize> = (1..=3)
            .flat_map(|i| shard(items.clone(), Some(&format!("{i}/3"))).unwrap())
            .collect();
        all.sort();
        assert_eq!(all, items);
        assert!(shard(items.clone(), Some("3/2")).is_err());
        assert!(shard(items.clone(), Some("0/2")).is_err());
        assert!(shard(items, Some("x")).is_err());
    }
}
