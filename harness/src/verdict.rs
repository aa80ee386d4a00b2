//! What a run's violations mean for its scenario.

use crate::runner::Outcome;
use crate::scenario::Expect;
use model::exec::Backend;

/// The judgement of one run against its scenario's expectation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// No violation, none expected.
    Pass,
    /// A negative control fired exactly its expected checks.
    ControlReproduced(Vec<&'static str>),
    /// A recorded finding fired exactly its expected checks.
    FindingReproduced(Vec<&'static str>),
    /// A mutant was caught by the check meant to catch it.
    MutantCaught(&'static str),
    /// Real threads did not reach an expected violation (or a mutant's
    /// check): inconclusive, not failing, since the OS cannot be made to
    /// run the racing interleaving. `executions` real-thread runs tried.
    NotReached {
        missing: Vec<&'static str>,
        executions: u64,
    },
    /// Something is wrong: unexpected violations, or expected ones missing.
    Fail {
        unexpected: Vec<&'static str>,
        missing: Vec<&'static str>,
    },
}

impl Verdict {
    /// Whether the scenario's expectation was met (a caught mutant meets
    /// the mutant's expectation).
    pub fn ok(&self) -> bool {
        !matches!(self, Verdict::Fail { .. })
    }

    /// Whether the run found no violation beyond what the scenario itself
    /// expects: what `vmspec check` exits 0 for. A caught mutant is a
    /// violation found.
    pub fn clean(&self) -> bool {
        matches!(
            self,
            Verdict::Pass
                | Verdict::ControlReproduced(_)
                | Verdict::FindingReproduced(_)
                | Verdict::NotReached { .. }
        )
    }

    /// One word or phrase for tables.
    pub fn label(&self) -> String {
        match self {
            Verdict::Pass => "pass".into(),
            Verdict::ControlReproduced(c) => format!("control reproduced ({})", c.join(", ")),
            Verdict::FindingReproduced(c) => format!("finding reproduced ({})", c.join(", ")),
            Verdict::MutantCaught(c) => format!("VIOLATION {c} (the mutant is caught)"),
            Verdict::NotReached {
                missing,
                executions,
            } => format!(
                "not reached: expected {} not seen in {executions} real-thread runs (inconclusive)",
                missing.join(", ")
            ),
            Verdict::Fail {
                unexpected,
                missing,
            } => {
                let mut parts = Vec::new();
                if !unexpected.is_empty() {
                    parts.push(format!("VIOLATION {}", unexpected.join(", ")));
                }
                if !missing.is_empty() {
                    parts.push(format!("EXPECTED {} NOT SEEN", missing.join(", ")));
                }
                format!("FAIL: {}", parts.join("; "))
            }
        }
    }
}

/// Judges `outcome`: with a mutant enabled, the mutant's check must fire
/// (other checks may fire too: an injected bug can break several
/// invariants); otherwise the scenario's expectation must match exactly.
/// Under real threads an expected check that did not fire is
/// [`Verdict::NotReached`]; an unexpected one is still a failure.
pub fn judge(outcome: &Outcome) -> Verdict {
    let v = judge_exact(outcome);
    match v {
        Verdict::Fail {
            unexpected,
            missing,
        } if unexpected.is_empty() && outcome.spec.sched.backend() == Backend::Std => {
            Verdict::NotReached {
                missing,
                executions: outcome.executions,
            }
        }
        v => v,
    }
}

fn judge_exact(outcome: &Outcome) -> Verdict {
    let seen = outcome.checks();
    let scenario = outcome.spec.scenario;
    if let Some(m) = outcome
        .spec
        .mutant
        .as_deref()
        .and_then(|m| scenario.mutant(m))
    {
        return if seen.contains(&m.catches) {
            Verdict::MutantCaught(m.catches)
        } else {
            Verdict::Fail {
                unexpected: seen,
                missing: vec![m.catches],
            }
        };
    }
    let expected = scenario.expect.checks();
    let unexpected: Vec<_> = seen
        .iter()
        .copied()
        .filter(|c| !expected.contains(c))
        .collect();
    let missing: Vec<_> = expected
        .iter()
        .copied()
        .filter(|c| !seen.contains(c))
        .collect();
    if !unexpected.is_empty() || !missing.is_empty() {
        return Verdict::Fail {
            unexpected,
            missing,
        };
    }
    match scenario.expect {
        Expect::Pass => Verdict::Pass,
        Expect::Control(c) => Verdict::ControlReproduced(c.to_vec()),
        Expect::Finding(c) => Verdict::FindingReproduced(c.to_vec()),
    }
}
