//! A failed check as the execution records it: the check's id, its
//! message and every thread's state. The checks themselves, and how a
//! failure ends an execution, are `crate::check`'s.

use super::ThreadSnapshot;
use std::fmt;

/// A failed check, with the state of every thread when it failed.
#[derive(Clone, Debug)]
pub struct Violation {
    /// The CHECKS.md id of the check.
    pub check: &'static str,
    pub message: String,
    /// The thread that detected it (`None`: the backend's scheduler).
    pub tid: Option<usize>,
    /// Whether it ended the execution (lock-order violations do not).
    pub fatal: bool,
    pub threads: Vec<ThreadSnapshot>,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "violation {}: {}", self.check, self.message)?;
        for t in &self.threads {
            writeln!(f, "  {t}")?;
        }
        Ok(())
    }
}
