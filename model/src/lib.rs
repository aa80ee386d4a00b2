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
//! * [`lockdep`]: held-lock stacks, the class-level order graph, declared
//!   lock-order tables.
//! * [`machine`]: x86 PTEs, per-CPU TLBs, the MMU walk and shootdowns.
//! * [`kernel`]: lifetime-tracked arena stand-ins for kmem caches.
//! * [`check`]: violations, check ids and the `check!` macro.
//! * [`exec`]: per-execution and per-run state shared by all of the above.
#![forbid(unsafe_code)]

pub mod check;
pub mod exec;
pub mod kernel;
pub mod lockdep;
pub mod machine;
pub mod sync;
pub mod trace;

pub use check::{fail, Violation};
pub use exec::{cover, mutant, param, seed, Backend, Tid};
