//! The kernel sync facade. One API, three backends, chosen at run time by
//! the execution a primitive is created in (see [`crate::exec`]).
//!
//! | facade | illumos | std / loom / shuttle mapping |
//! |---|---|---|
//! | [`KMutex`] | `kmutex_t` | owner word in a backend `Mutex` + `Condvar` |
//! | [`KCondvar`] | `kcondvar_t` | FIFO waiter list in a backend `Mutex` + `Condvar`; `timed_wait` arms a callout |
//! | [`KRwLock`] | `krwlock_t` | writer, hold count and FIFO queue in a monitor; writers preferred, lock handed off to waiters |
//! | [`PageLock`] | `page_lock`, `page_trylock`, `page_tryupgrade`, `page_downgrade`, `page_unlock` | holders and a `p_cv` broadcast count in a monitor |
//! | [`IoLock`] | `page_io_lock` family | the in-use flag in a monitor |
//! | [`FlagLock`] | a flag bit used as a sleeping lock (`VVMLOCK`) | none: lockdep and report identity only, the caller's mutex and condvar do the locking |
//! | atomics | `atomic_*`, `CAS_PTE` | backend atomics |
//! | [`spawn`], [`JoinHandle`] | threads | backend threads |
//! | [`Callouts`] | `timeout` / `untimeout` | a pending queue in a monitor, drained by an actor thread |
//! | [`retry`], [`Retries`] | `goto retry` | backend `yield_now` (from the second pass of an operation, for `Retries`); each pass counted (ghost) for SCHED-LIVELOCK |
//! | [`went_round`] | a `for (;;)` that goes round on its own progress | no yield; the pass counted (ghost) for SCHED-LIVELOCK |

mod atomic;
mod callout;
mod flaglock;
mod iolock;
mod kcondvar;
mod kmutex;
mod locked;
mod lockobj;
mod monitor;
mod pagelock;
mod retry;
mod rwlock;
mod signal;
mod thread;

pub use atomic::{AtomicBool, AtomicU16, AtomicU32, AtomicU64, AtomicUsize, Ordering};
pub use callout::{CalloutId, Callouts, Handler};
pub use flaglock::FlagLock;
pub use iolock::IoLock;
pub use kcondvar::{KCondvar, Wakeup};
pub use kmutex::{KMutex, UNSOUND_TRIED_EXIT};
pub use locked::Locked;
pub(crate) use monitor::Monitor;
pub use pagelock::{PageLock, Se};
pub use retry::Retries;
pub use rwlock::{KRwLock, RwMode};
pub use signal::post_signal;
pub use thread::{retry, spawn, went_round, JoinHandle};
