//! Atomics with explicit orderings, traced. The seeds' unlocked "hint"
//! reads are `Relaxed` loads of these, so no checker flags a race the C code
//! tolerates on purpose. Under shuttle every ordering behaves as SeqCst;
//! loom explores the C11 model (treating SeqCst as AcqRel, GUIDE trap 3).
//!
//! loom 0.7.2 misses interleavings after a load (tokio-rs/loom#392,
//! #166): its DPOR made a store depend only on the *last* access of the
//! atomic, so in "thread A loads x; thread B loads x, then stores x" B's
//! own load hid A's load from B's store, and loom never ran B's store
//! before A's load (`model/tests/loom_load_masking.rs`). The project builds
//! loom with a fix (`vendor/loom/VMSPEC-PATCH.md`): a store depends on
//! every thread's last load since the previous store.
//!
//! The model's earlier workaround, a companion counter per atomic that
//! every load first read-modify-wrote, made all loads of an atomic depend
//! on each other and multiplied the executions loom explores (3.2x on
//! `segmap/softlock` alone). It is kept only for `reduce=off`
//! (`RunShared::reduced`), the unreduced exploration the reduction is
//! compared against; it orders nothing (a relaxed read-modify-write of
//! another location adds no happens-before edge).
//!
//! `unscheduled` atomics (`AtomicU64::unscheduled` and its twins) are
//! kept off the explorers' scheduler: std atomics whatever the backend,
//! still traced. Only for words whose every access is ordered by a lock
//! the accessing thread holds (`impl/src/vm/word.rs`).

use crate::exec::{self, Backend, Exec};
use crate::trace::{ObjName, Op};
use std::panic::Location;
pub use std::sync::atomic::Ordering;
use std::sync::Arc;

#[track_caller]
fn trace(exec: &Option<Arc<Exec>>, name: ObjName, op: Op, a: u64, b: u64) {
    if let Some(e) = exec {
        e.event(exec::tid(), op, name, a, b, Location::caller());
    }
}

macro_rules! atomic {
    ($name:ident, $t:ty) => {
        #[doc = concat!("A traced `", stringify!($t), "` atomic on the execution's backend.")]
        pub struct $name {
            inner: Inner,
            name: ObjName,
            exec: Option<Arc<Exec>>,
        }

        enum Inner {
            Std(std::sync::atomic::$name),
            /// The atomic and, under `reduce=off`, its DPOR companion (see
            /// the module doc).
            Loom(loom::sync::atomic::$name, Option<loom::sync::atomic::AtomicUsize>),
            Shuttle(shuttle::sync::atomic::$name),
        }

        macro_rules! dispatch {
            ($self:ident, $a:ident => $e:expr) => {
                match &$self.inner {
                    Inner::Std($a) => $e,
                    Inner::Loom($a, _) => $e,
                    Inner::Shuttle($a) => $e,
                }
            };
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.name)
            }
        }

        impl $name {
            pub fn new(class: &'static str, index: u32, v: $t) -> Self {
                let name = ObjName { kind: "atomic", class, index };
                let exec = exec::current();
                let inner = match exec.as_ref().map_or(Backend::Std, |e| e.backend) {
                    Backend::Std => Inner::Std(std::sync::atomic::$name::new(v)),
                    Backend::Loom => Inner::Loom(
                        loom::sync::atomic::$name::new(v),
                        (!exec::reduced()).then(|| loom::sync::atomic::AtomicUsize::new(0)),
                    ),
                    Backend::Shuttle => Inner::Shuttle(shuttle::sync::atomic::$name::new(v)),
                };
                $name { inner, name, exec }
            }

            /// An atomic off the explorers' scheduler (see the module doc).
            pub fn unscheduled(class: &'static str, index: u32, v: $t) -> Self {
                let name = ObjName { kind: "atomic", class, index };
                let exec = exec::current();
                let inner = Inner::Std(std::sync::atomic::$name::new(v));
                $name { inner, name, exec }
            }

            #[track_caller]
            pub fn load(&self, o: Ordering) -> $t {
                if let Inner::Loom(_, Some(companion)) = &self.inner {
                    companion.fetch_add(1, Ordering::Relaxed);
                }
                let v = dispatch!(self, a => a.load(o));
                trace(&self.exec, self.name, Op::Load, v as u64, 0);
                v
            }

            #[track_caller]
            pub fn store(&self, v: $t, o: Ordering) {
                // A swap, so the trace can show the value overwritten.
                let old = dispatch!(self, a => a.swap(v, o));
                trace(&self.exec, self.name, Op::Store, old as u64, v as u64);
            }

            #[track_caller]
            pub fn swap(&self, v: $t, o: Ordering) -> $t {
                let old = dispatch!(self, a => a.swap(v, o));
                trace(&self.exec, self.name, Op::Swap, old as u64, v as u64);
                old
            }

            #[track_caller]
            pub fn compare_exchange(
                &self,
                current: $t,
                new: $t,
                success: Ordering,
                failure: Ordering,
            ) -> Result<$t, $t> {
                let r = dispatch!(self, a => a.compare_exchange(current, new, success, failure));
                match r {
                    Ok(old) => trace(&self.exec, self.name, Op::CasOk, old as u64, new as u64),
                    Err(seen) => {
                        trace(&self.exec, self.name, Op::CasFail, seen as u64, current as u64)
                    }
                }
                r
            }

            #[track_caller]
            pub fn fetch_or(&self, v: $t, o: Ordering) -> $t {
                let old = dispatch!(self, a => a.fetch_or(v, o));
                trace(&self.exec, self.name, Op::FetchOp, old as u64, (old | v) as u64);
                old
            }

            #[track_caller]
            pub fn fetch_and(&self, v: $t, o: Ordering) -> $t {
                let old = dispatch!(self, a => a.fetch_and(v, o));
                trace(&self.exec, self.name, Op::FetchOp, old as u64, (old & v) as u64);
                old
            }

        }
    };
}

macro_rules! arith {
    ($name:ident, $t:ty) => {
        impl $name {
            #[track_caller]
            pub fn fetch_add(&self, v: $t, o: Ordering) -> $t {
                let old = dispatch!(self, a => a.fetch_add(v, o));
                trace(&self.exec, self.name, Op::FetchOp, old as u64, old.wrapping_add(v) as u64);
                old
            }

            #[track_caller]
            pub fn fetch_sub(&self, v: $t, o: Ordering) -> $t {
                let old = dispatch!(self, a => a.fetch_sub(v, o));
                trace(&self.exec, self.name, Op::FetchOp, old as u64, old.wrapping_sub(v) as u64);
                old
            }
        }
    };
}

mod u16_ {
    use super::*;
    atomic!(AtomicU16, u16);
    arith!(AtomicU16, u16);
}
mod u32_ {
    use super::*;
    atomic!(AtomicU32, u32);
    arith!(AtomicU32, u32);
}
mod u64_ {
    use super::*;
    atomic!(AtomicU64, u64);
    arith!(AtomicU64, u64);
}
mod usize_ {
    use super::*;
    atomic!(AtomicUsize, usize);
    arith!(AtomicUsize, usize);
}
mod bool_ {
    use super::*;
    atomic!(AtomicBool, bool);
}

pub use bool_::AtomicBool;
pub use u16_::AtomicU16;
pub use u32_::AtomicU32;
pub use u64_::AtomicU64;
pub use usize_::AtomicUsize;
