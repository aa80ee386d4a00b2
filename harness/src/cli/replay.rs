//! `vmspec replay FILE`: re-execute a recorded schedule.

use super::args::ReplayArgs;
use super::{plan, BadInput, CmdResult};
use crate::capture::ReplayFile;
use crate::explain::{self, Reading};
use crate::report;
use crate::runner::{guide, Found, RunSpec, Sched};
use crate::scenario::Scenario;
use crate::svg;

fn write(out: &std::path::Path, text: &str) -> Result<(), BadInput> {
    std::fs::write(out, text).map_err(|e| BadInput(format!("cannot write {}: {e}", out.display())))
}

/// Refuses what `vmspec check` would refuse on its command line (a
/// parameter or value `--param` rejects), and a schedule naming a thread
/// the scenario does not have: both would run something other than what
/// the file claims.
fn validate(
    path: &std::path::Path,
    file: &ReplayFile,
    scenario: &'static Scenario,
    choices: &[usize],
) -> Result<(), BadInput> {
    let raw: Vec<String> = file
        .params
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    plan::params(&raw, &[scenario]).map_err(|BadInput(m)| {
        BadInput(format!(
            "replay file {}: {}",
            path.display(),
            m.trim_start_matches("--param ")
        ))
    })?;
    if let Some((step, &t)) = choices
        .iter()
        .enumerate()
        .find(|(_, &t)| t >= scenario.threads)
    {
        return Err(BadInput(format!(
            "replay file {}: step {step} names thread {t}, but {} has {} threads (0-{})",
            path.display(),
            scenario.id,
            scenario.threads,
            scenario.threads - 1
        )));
    }
    Ok(())
}

pub fn run(all: &'static [Scenario], args: &ReplayArgs) -> CmdResult {
    let file = ReplayFile::read(&args.file).map_err(|e| BadInput(e.to_string()))?;
    let scenario = all.iter().find(|s| s.id == file.scenario).ok_or_else(|| {
        BadInput(format!(
            "replay file {} names scenario '{}', which this vmspec does not have",
            args.file.display(),
            file.scenario
        ))
    })?;
    if let Some(m) = &file.mutant {
        if scenario.mutant(m).is_none() {
            return Err(BadInput(format!(
                "replay file {} names mutant '{m}', which {} does not declare",
                args.file.display(),
                scenario.id
            )));
        }
    }
    let choices = file.choices().map_err(|e| BadInput(e.to_string()))?;
    validate(&args.file, &file, scenario, &choices)?;
    // The explorer is irrelevant to a guided replay; the spec carries the
    // scenario, mutant and parameters.
    let mut spec = RunSpec::new(scenario, Sched::Dfs { max: Some(1) });
    spec.mutant = file.mutant.clone();
    spec.params = file.params.clone();
    spec.break_at = args.break_at;
    let r = guide(spec.shared(), scenario.body, choices);
    if let Some(step) = args.break_at {
        if step >= r.events.len() {
            return Err(BadInput(format!(
                "--break-at {step}: the replay has steps 0-{} only",
                r.events.len().saturating_sub(1)
            )));
        }
    }
    if args.trace {
        print!("{}", report::trace(&r.events));
    }
    let reading = Reading::new(&r.events, &r.schedule.preemption_points());
    let fired = r
        .shared
        .violations()
        .into_iter()
        .find(|c| c.violation.check == file.check);
    let (check, message) = match &fired {
        Some(c) => (c.violation.check, c.violation.message.clone()),
        None => ("(not reproduced)", String::new()),
    };
    if args.story {
        let header = format!(
            "story of {} {} ({}): {} events (numbered as --trace and --break-at number them), {} scheduling decisions, {} preemptions\n",
            file.scenario,
            file.check,
            args.file.display(),
            r.events.len(),
            r.schedule.len(),
            r.schedule.preemptions()
        );
        print!("{}", explain::story(&reading, &header, check));
    }
    if let Some(out) = &args.svg {
        let title = format!("{} {} ({})", file.scenario, file.check, args.file.display());
        write(out, &svg::render(&title, &reading, check))?;
    }
    if let Some(out) = &args.perfetto {
        let json = explain::perfetto(&reading, check, &message);
        write(
            out,
            &(serde_json::to_string(&json).expect("json serializes") + "\n"),
        )?;
    }
    let violations = r.shared.violations();
    match violations.iter().find(|c| c.violation.check == file.check) {
        Some(captured) => {
            println!(
                "reproduced {} in {} ({} steps, {} preemptions)",
                file.check,
                file.scenario,
                r.schedule.len(),
                r.schedule.preemptions()
            );
            let found = Found {
                captured: captured.clone(),
                schedule: Some(r.schedule.clone()),
            };
            let by = format!("replay of {}", file.found_by);
            print!("{}", report::violation(&spec, &by, &found, None, None));
            Ok(false)
        }
        None => {
            let seen: Vec<_> = violations.iter().map(|c| c.violation.check).collect();
            println!(
                "did not reproduce {} in {}: the schedule ran {} steps{}; checks seen: {}",
                file.check,
                file.scenario,
                r.schedule.len(),
                r.schedule
                    .diverged_at
                    .map(|s| format!(" and diverged from the file at step {s}"))
                    .unwrap_or_default(),
                if seen.is_empty() {
                    "none".to_string()
                } else {
                    seen.join(", ")
                }
            );
            Ok(true)
        }
    }
}
