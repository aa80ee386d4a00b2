//! Runners, failure capture, minimization, replay files, lock-order
//! proofs, mutant runs, benchmarks and the `vmspec` command.
#![forbid(unsafe_code)]

pub mod runner;
pub mod scenario;

pub use runner::{run, Outcome, RunSpec, Sched};
pub use scenario::{Expect, Mutant, Scenario};
