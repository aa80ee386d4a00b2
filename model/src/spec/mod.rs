//! Sequential reference models: what a subsystem does when one thread
//! calls it, stated without locks, for refinement checks.

pub mod segmap;
