//! Panics inside model executions are results, not noise.
//!
//! The hook installed here turns a panic that is not already a recorded
//! violation (a backend's deadlock report, a failed assertion, a bug in a
//! port) into one, and keeps backtraces off the terminal; panics outside
//! executions print as usual. shuttle installs a hook of its own on first
//! use and prints a line for every failing execution; ours replaces its
//! hook, and [`Silence`] holds stderr while shuttle runs (unless logging
//! is on).

use model::check::{ViolationPanic, PANIC, SYNC_DEADLOCK};
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
            let v = if msg.starts_with("deadlock") {
                let blocked = exec
                    .snapshot()
                    .iter()
                    .filter(|t| !t.done)
                    .map(|t| format!("thread {}", t.tid))
                    .collect::<Vec<_>>()
                    .join(", ");
                let message = format!("every live thread is blocked ({blocked})");
                // loom raises this inside its scheduler, with its state
                // borrowed: asking it for the current thread would panic
                // again and abort the process.
                exec.violation_by(exec.last_tid(), SYNC_DEADLOCK, message, true)
            } else {
                let at = info
                    .location()
                    .map(|l| format!(" at {l}"))
                    .unwrap_or_default();
                exec.violation(PANIC, format!("{msg}{at}"), true)
            };
            exec.run.record(v, exec.events());
        }));
    });
}

/// Holds stderr closed while alive, unless logging is on or another
/// silence is already active.
pub(crate) struct Silence(#[allow(dead_code)] Option<gag::Gag>);

impl Silence {
    pub(crate) fn new() -> Self {
        let logging =
            std::env::var_os("VMSPEC_LOG").is_some() || std::env::var_os("RUST_LOG").is_some();
        Silence(if logging {
            None
        } else {
            gag::Gag::stderr().ok()
        })
    }
}
