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
        if self.kind == "fn" {
            return write!(f, "{}()", self.class);
        }
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
    /// A blocking acquisition that waited and returned without the lock
    /// (`page_lock` given a mutex).
    EnterFail,
    Exit,
    Downgrade,
    UpgradeOk,
    UpgradeFail,
    /// Waited for a lock to be released without taking it (`page_io_wait`).
    LockWait,
    /// Found a lock (or a running callout) taken and starts waiting for it.
    Blocks,
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
    /// `timeout`: a callout was set.
    Timeout,
    /// `untimeout`; `a` is 1 if it cancelled a pending callout.
    Untimeout,
    /// A callout handler starts.
    Callout,
    /// A callout handler finished.
    CalloutDone,
    /// A seed function starts (`model::exec::call`); `obj.class` names it.
    Call,
    /// It returns; the event's seed line is where the thread got to.
    Return,
    Note,
}

/// The mode of a shared/exclusive lock operation, in an event's `a`
/// (0 for locks without modes).
pub const MODE_SHARED: u64 = 1;
/// See [`MODE_SHARED`].
pub const MODE_EXCL: u64 = 2;

impl Op {
    pub fn name(self) -> &'static str {
        match self {
            Op::Spawn => "spawn",
            Op::Finish => "finish",
            Op::Join => "join",
            Op::Enter => "enter",
            Op::TryEnterOk => "tryenter ok",
            Op::TryEnterFail => "tryenter FAIL",
            Op::EnterFail => "enter FAIL (waited)",
            Op::Exit => "exit",
            Op::Downgrade => "downgrade",
            Op::UpgradeOk => "tryupgrade ok",
            Op::UpgradeFail => "tryupgrade FAIL",
            Op::LockWait => "wait for release",
            Op::Blocks => "blocks on",
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
            Op::Timeout => "timeout",
            Op::Untimeout => "untimeout",
            Op::Callout => "callout",
            Op::CalloutDone => "callout done",
            Op::Call => "call",
            Op::Return => "return",
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
    /// The operation's values as traces print them (`= 0x1`, `0x0 -> 0x2`).
    pub fn values(&self) -> Option<String> {
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
            Op::Enter | Op::TryEnterOk | Op::TryEnterFail | Op::EnterFail | Op::Exit => {
                match self.a {
                    MODE_SHARED => Some("shared".to_string()),
                    MODE_EXCL => Some("excl".to_string()),
                    _ => None,
                }
            }
            Op::Untimeout => Some(
                if self.a == 1 {
                    "cancelled"
                } else {
                    "not pending"
                }
                .to_string(),
            ),
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
