//! Atomics with explicit orderings, traced. The seeds' unlocked "hint"
//! reads are `Relaxed` loads of these, so no checker flags a race the C code
//! tolerates on purpose. Under shuttle every ordering behaves as SeqCst;
//! loom explores the C11 model (treating SeqCst as AcqRel, GUIDE trap 3).

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
            Loom(loom::sync::atomic::$name),
            Shuttle(shuttle::sync::atomic::$name),
        }

        macro_rules! dispatch {
            ($self:ident, $a:ident => $e:expr) => {
                match &$self.inner {
                    Inner::Std($a) => $e,
                    Inner::Loom($a) => $e,
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
                    Backend::Loom => Inner::Loom(loom::sync::atomic::$name::new(v)),
                    Backend::Shuttle => Inner::Shuttle(shuttle::sync::atomic::$name::new(v)),
                };
                $name { inner, name, exec }
            }

            #[track_caller]
            pub fn load(&self, o: Ordering) -> $t {
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
