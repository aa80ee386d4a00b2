use serde::{Deserialize, Serialize};

/// The engine an execution runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// Real OS threads (stress): not replayable, finds what the OS schedules.
    Std,
    /// loom: exhaustive, DPOR with a preemption bound, C11 memory model.
    Loom,
    /// shuttle: randomized (random, PCT), DFS, or guided replay; all atomics
    /// are sequentially consistent.
    Shuttle,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Std => "std",
            Backend::Loom => "loom",
            Backend::Shuttle => "shuttle",
        }
    }
}
