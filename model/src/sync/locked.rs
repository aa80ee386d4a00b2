//! Data protected by a kernel mutex, with the protection checked.
//!
//! Kernel structures keep plain fields next to the mutex that guards them.
//! `Locked<T>` is such a field: every access names the mutex the caller
//! holds, and an access without the protecting mutex held is a
//! [`SYNC_UNLOCKED`] violation. That makes the FreeBSD-style lock keys of
//! the doc comments executable. Because every access happens under the
//! kmutex, whose acquisitions are backend operations, the explorers order
//! the accesses through the mutex; the value itself needs no backend
//! primitive.

use super::kmutex::KMutex;
use crate::check::{fail, SYNC_UNLOCKED};
use crate::exec;
use crate::trace::ObjName;
use std::sync::{Mutex, MutexGuard};

/// A value that may be touched only with `lock` held.
pub struct Locked<T> {
    value: Mutex<T>,
    lock: ObjName,
}

impl<T> Locked<T> {
    /// A value protected by `lock`.
    pub fn new(lock: &KMutex, value: T) -> Self {
        Locked {
            value: Mutex::new(value),
            lock: lock.name(),
        }
    }

    /// The value, for a caller that holds `held`, which must be the
    /// protecting mutex.
    #[track_caller]
    pub fn get<'a>(&'a self, held: &KMutex) -> MutexGuard<'a, T> {
        if held.name() != self.lock || !held.held() {
            fail(
                SYNC_UNLOCKED,
                format!(
                    "thread {} touched a field protected by {} while holding {}",
                    exec::tid(),
                    self.lock,
                    if held.held() {
                        format!("{} (the wrong lock)", held.name())
                    } else {
                        "neither".to_string()
                    }
                ),
            );
        }
        self.value.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The value without its lock, for checks only (ghost: no scheduling
    /// point, never a decision); the caller must know no thread is
    /// changing it, or accept a value a step old.
    pub fn peek(&self) -> MutexGuard<'_, T> {
        self.value.lock().unwrap_or_else(|e| e.into_inner())
    }
}
