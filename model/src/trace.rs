//! The event log of one execution: every facade operation, in the order it
//! took effect. Reports show each thread's last event, `vmspec replay
//! --trace` prints them all, and the loom-to-shuttle conversion follows the
//! order of their threads.

use std::fmt;
use std::panic::Location;

/// A modelled object as traces name it: kind, class and instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjName {
    pub kind: &'static str,
    pub class: &'static str,
    pub index: u32,
}

impl fmt::Display for ObjName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}#{}", self.kind, self.class, self.index)
    }
}

/// What an event did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Spawn,
    Finish,
    Join,
    Enter,
    TryEnterOk,
    TryEnterFail,
    Exit,
    CvWait,
    CvWoken,
    CvInterrupted,
    CvTimedOut,
    CvSignal,
    CvBroadcast,
    PostSignal,
    Load,
    Store,
    Swap,
    FetchOp,
    CasOk,
    CasFail,
    Alloc,
    Free,
    Use,
    Hold,
    Release,
    TlbFill,
    TlbHit,
    TlbFlush,
    HwSetBits,
    Fault,
    Callout,
    Note,
}

impl Op {
    pub fn name(self) -> &'static str {
        match self {
            Op::Spawn => "spawn",
            Op::Finish => "finish",
            Op::Join => "join",
            Op::Enter => "enter",
            Op::TryEnterOk => "tryenter ok",
            Op::TryEnterFail => "tryenter FAIL",
            Op::Exit => "exit",
            Op::CvWait => "cv_wait",
            Op::CvWoken => "cv woken",
            Op::CvInterrupted => "cv INTERRUPTED",
            Op::CvTimedOut => "cv TIMED OUT",
            Op::CvSignal => "cv_signal",
            Op::CvBroadcast => "cv_broadcast",
            Op::PostSignal => "post signal",
            Op::Load => "load",
            Op::Store => "store",
            Op::Swap => "swap",
            Op::FetchOp => "rmw",
            Op::CasOk => "cas ok",
            Op::CasFail => "cas FAIL",
            Op::Alloc => "alloc",
            Op::Free => "free",
            Op::Use => "use",
            Op::Hold => "hold",
            Op::Release => "release",
            Op::TlbFill => "tlb fill",
            Op::TlbHit => "tlb hit",
            Op::TlbFlush => "tlb flush",
            Op::HwSetBits => "hw set bits",
            Op::Fault => "fault",
            Op::Callout => "callout",
            Op::Note => "note",
        }
    }
}

/// One operation of one thread.
#[derive(Clone, Copy, Debug)]
pub struct Event {
    pub tid: usize,
    pub op: Op,
    pub obj: ObjName,
    /// Operation-specific values: old/new for atomics and PTEs, the other
    /// thread for spawn/join, va/pte for TLB events, generation/references
    /// for kmem events.
    pub a: u64,
    pub b: u64,
    pub site: &'static Location<'static>,
    pub seed: Option<&'static str>,
}

impl Event {
    fn values(&self) -> Option<String> {
        match self.op {
            Op::Load => Some(format!("= {:#x}", self.a)),
            Op::Alloc | Op::Free | Op::Use => Some(format!("gen {}", self.a)),
            Op::Hold | Op::Release => Some(format!("gen {}, {} held", self.a, self.b)),
            Op::Store => Some(format!("{:#x} -> {:#x}", self.a, self.b)),
            Op::Swap | Op::FetchOp | Op::CasOk | Op::HwSetBits => {
                Some(format!("{:#x} -> {:#x}", self.a, self.b))
            }
            Op::CasFail => Some(format!("saw {:#x}, expected {:#x}", self.a, self.b)),
            Op::TlbFill | Op::TlbHit | Op::TlbFlush | Op::Fault => {
                Some(format!("va {:#x} pte {:#x}", self.a, self.b))
            }
            Op::Spawn | Op::Join | Op::PostSignal => Some(format!("thread {}", self.a)),
            _ => None,
        }
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.op.name(), self.obj)?;
        if let Some(v) = self.values() {
            write!(f, " {v}")?;
        }
        let file = self.site.file().rsplit('/').next().unwrap_or("");
        write!(f, "  @{}:{}", file, self.site.line())?;
        if let Some(s) = self.seed {
            write!(f, " [{s}]")?;
        }
        Ok(())
    }
}
