//! Panics inside model executions are results, not noise.
//!
//! The hook installed here turns a panic that is not already a recorded
//! violation (a backend's deadlock report, a failed assertion, a bug in a
//! port) into one, and keeps backtraces off the terminal; panics outside
//! executions print as usual. shuttle installs a hook of its own on first
//! use and prints a line for every failing execution; ours replaces its
//! hook, and [`Silence`] holds stderr while shuttle runs (unless logging
//! is on).

use model::check::{ViolationPanic, PANIC, SCHED_BOUND, SCHED_LIVELOCK, SYNC_DEADLOCK};
use model::exec;
use std::sync::Once;

static INSTALL: Once = Once::new();

pub(crate) fn install() {
    INSTALL.call_once(|| {
        let original = std::panic::take_hook();
        // Let shuttle install its hook now, then drop it.
        let mut c = shuttle::Config::new();
        c.failure_persistence = shuttle::FailurePersistence::None;
        c.silence_warnings = true;
        shuttle::Runner::new(shuttle::scheduler::RandomScheduler::new(1), c).run(|| {});
        drop(std::panic::take_hook());
        std::panic::set_hook(Box::new(move |info| {
            let Some(exec) = exec::current() else {
                return original(info);
            };
            // A violation is already recorded; later panics are the
            // backends' teardown of the failed execution.
            if info.payload().downcast_ref::<ViolationPanic>().is_some() || exec.run.has_fatal() {
                return;
            }
            let msg = info
                .payload()
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| info.payload().downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "panic".to_string());
            let (check, message) = if msg.starts_with("deadlock") {
                let blocked = exec
                    .snapshot()
                    .iter()
                    .filter(|t| !t.done)
                    .map(|t| format!("thread {}", t.tid))
                    .collect::<Vec<_>>()
                    .join(", ");
                (
                    SYNC_DEADLOCK,
                    format!("every live thread is blocked ({blocked})"),
                )
            } else if msg.contains("exceeded max_steps")
                || msg.contains("maximum number of branches")
            {
                step_limit(&exec, &msg)
            } else {
                let at = info
                    .location()
                    .map(|l| format!(" at {l}"))
                    .unwrap_or_default();
                (PANIC, format!("{msg}{at}"))
            };
            let v = exec.violation_by(None, check, message, true);
            exec.run.record(v, exec.events());
        }));
    });
}

/// The verdict when the explorer's step limit ends an execution: if every
/// thread but one has finished or is blocked and that one went round a
/// loop more than once, no schedule can end the loop (SCHED-LIVELOCK,
/// naming it); otherwise the schedule was unfair to the threads that would
/// have let a loop end (SCHED-BOUND).
fn step_limit(exec: &exec::Exec, msg: &str) -> (&'static str, String) {
    let threads = exec.snapshot();
    let running: Vec<_> = threads
        .iter()
        .filter(|t| !t.done && t.waits.is_none())
        .collect();
    if let [t] = running[..] {
        if let Some(spin) = exec.spin(t.tid).filter(|s| s.passes > 1) {
            let file = spin.site.file().rsplit('/').next().unwrap_or("");
            let seed = spin.seed.map(|s| format!(" [{s}]")).unwrap_or_default();
            return (
                SCHED_LIVELOCK,
                format!(
                    "thread {} ({}) went round the loop at {file}:{}{seed} {} times in a row while every other thread had finished or was blocked, until the explorer's step limit ({msg}): no schedule lets it end",
                    t.tid,
                    t.name,
                    spin.site.line(),
                    spin.passes
                ),
            );
        }
    }
    (
        SCHED_BOUND,
        format!("the execution exceeded the explorer's step limit ({msg}); a retry loop spun under an unfair schedule: use loom with a preemption bound, or PCT"),
    )
}

/// Holds stderr closed while alive, unless logging is on. Shared by
/// concurrent runs (`--jobs`): the first silence closes stderr, the last
/// one to end reopens it.
pub(crate) struct Silence(bool);

/// Live silences, and the redirect they share.
static SILENCED: std::sync::Mutex<(usize, Option<gag::Gag>)> = std::sync::Mutex::new((0, None));

impl Silence {
    pub(crate) fn new() -> Self {
        let logging =
            std::env::var_os("VMSPEC_LOG").is_some() || std::env::var_os("RUST_LOG").is_some();
        if logging {
            return Silence(false);
        }
        let mut s = SILENCED.lock().unwrap_or_else(|e| e.into_inner());
        if s.0 == 0 {
            s.1 = gag::Gag::stderr().ok();
        }
        s.0 += 1;
        Silence(true)
    }
}

impl Drop for Silence {
    fn drop(&mut self) {
        if self.0 {
            let mut s = SILENCED.lock().unwrap_or_else(|e| e.into_inner());
            s.0 -= 1;
            if s.0 == 0 {
                s.1 = None;
            }
        }
    }
}
