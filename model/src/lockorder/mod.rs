//! Declared lock orders and the observed one, as data: the subsystems'
//! order tables ([`LockOrder`]) and their judgement of a nesting, the
//! class-level graph of nestings a run observed ([`LockGraph`]), and the
//! proof of that graph against the tables. No execution state: the
//! execution layer keeps a run's graph and tables, and `crate::lockdep`,
//! the validator above it, feeds the graph on every acquisition.

mod graph;
mod order;
mod report;

pub use graph::{Edge, EdgeInfo, LockGraph};
pub use order::{judge, Exception, LockOrder, Nesting, Verdict};
pub use report::{proof, unsafe_scenario};

/// How a lock is being acquired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum How {
    /// May block: adds edges and must follow the declared order.
    Blocking,
    /// A successful try: held, adds no ordering edge.
    Try,
}
