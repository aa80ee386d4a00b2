//! The world the vmspec subsystems run in.
//!
//! Subsystem code (the `impl/` crate) imports only this crate. Every
//! primitive here dispatches at run time on the backend of the execution it
//! was created in ([`Backend::Std`], [`Backend::Loom`] or
//! [`Backend::Shuttle`]), so one binary runs every scheduler and a replay file
//! can name its backend. Backend selection lives in [`exec`] and in the
//! runners of the harness crate; nothing else may mention a backend.
//!
//! * [`sync`]: kernel mutex, condition variable, rwlock, page lock, atomics,
//!   threads, callouts and the retry hint.
//! * [`lockdep`]: lock-order validation of every acquisition against the
//!   tables and the graph of [`lockorder`].
//! * [`lockorder`]: declared lock-order tables, the class-level order graph
//!   and its proof (data, below [`exec`]).
//! * [`machine`]: x86 PTEs, per-CPU TLBs, the MMU walk and shootdowns.
//! * [`kernel`]: lifetime-tracked arena stand-ins for kmem caches.
//! * [`check`]: violations, check ids and the `check!` macro.
//! * [`exec`]: per-execution and per-run state shared by all of the above:
//!   the bottom layer, which imports only [`trace`] and [`lockorder`].
#![forbid(unsafe_code)]

pub mod check;
pub mod exec;
pub mod kernel;
pub mod lockdep;
pub mod lockorder;
pub mod machine;
pub mod sync;
pub mod trace;

pub use check::{fail, Violation};
pub use exec::{cover, mutant, param, seed, Backend, Tid};
