//! Runners, failure capture, minimization, replay files, lock-order
//! proofs, mutant runs, benchmarks and the `vmspec` command.
#![forbid(unsafe_code)]

pub mod capture;
pub mod cli;
pub mod explain;
pub mod gate;
pub mod report;
pub mod runner;
pub mod scenario;
pub mod svg;
pub mod testing;
pub mod verdict;

pub use runner::{run, run_with, Outcome, RunSpec, Sched};
pub use scenario::{Expect, Mutant, Scenario};
