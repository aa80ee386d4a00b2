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
        values: &["on", "off"],
        doc: "words every access of which holds their lock are kept off the explorer's scheduler (on), or explored as atomics (off, to compare)",
    },
];
