//! Kernel stand-ins the seeds call: allocators whose misuse is a reported
//! violation rather than undefined behaviour.
//!
//! * [`Arena`]: a kmem cache with generation-checked [`Handle`]s
//!   (`kmem_cache_alloc` / `kmem_cache_free`), use-after-free, double-free
//!   and free-while-referenced detection.

mod arena;
mod handle;

pub use arena::Arena;
pub use handle::Handle;
