//! The run parameters the model and the ports read (`--param key=value`),
//! with the values each accepts, so a command line can be checked before
//! anything runs. Scenarios declare parameters of their own
//! (`harness::Scenario::params`).

/// A run parameter read by the model or a port.
pub struct ParamDoc {
    pub key: &'static str,
    /// Accepted values; the first is the default.
    pub values: &'static [&'static str],
    pub doc: &'static str,
}

pub const MODEL_PARAMS: &[ParamDoc] = &[
    ParamDoc {
        key: "hw-mod",
        values: &["checked", "blind"],
        doc: "how hardware sets MOD through a cached translation (machine/mmu.rs)",
    },
    ParamDoc {
        key: "checks",
        values: &["each", "end"],
        doc: "a port's invariants after every operation or only at the end of a scenario",
    },
    ParamDoc {
        key: "reduce",
        values: &["off", "on"],
        doc: "loom's reduced exploration (on: patched DPOR, no load companion, lock-held words and unwatched mutex exits off the scheduler; fewer executions, but under a preemption bound it misses two known mutants, CHECKS.md \"Exploring less\"), or the exploration every check is proved with (off, the default)",
    },
];
