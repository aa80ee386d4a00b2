//! A sequential reference model of devmap for refinement tests: the
//! softlock counter and each process's locked pages as functions of the
//! operations, and what a CPU reaches through each process's page.
//!
//! The world: process 0 maps one page of device frame `F0` under
//! `devmap_default_access` (so its faults go through the softlock);
//! process 1 maps one remappable page of device frame `F1` without one.
//! One thread runs the program; an operation that would block (an
//! F_SOFTLOCK while the softlock is held, an F_INVAL while an F_SOFTLOCK
//! holds it) is skipped, as the model predicts.

use std::sync::Arc;
use subsys::devmap::{
    Access, Devmap, DevmapConfig, FaultType, Fc, Fixes, HandleSpec, SegRw, SegSpec,
};
use subsys::vm::hat::DEVICE_PFN_BASE;
use subsys::vm::kmap::KHat;
use subsys::vm::page::Pages;

pub const F0: u64 = DEVICE_PFN_BASE;
pub const F1: u64 = DEVICE_PFN_BASE + 0x10;

/// One step of a program.
#[derive(Clone, Copy, Debug)]
pub enum SeqOp {
    /// F_SOFTLOCK of process 0's page.
    SoftLock,
    /// F_SOFTUNLOCK of process 0's page.
    SoftUnlock,
    /// F_INVAL of process `p`'s page.
    Inval(usize),
    /// F_SOFTLOCK of process 1's remappable page (FC_NOSUPPORT).
    SoftLockRemappable,
    /// `devmap_devmem_remap` of process 1's page to frame `F1 + n`.
    Remap(u64),
    /// A load by CPU `cpu` of process `p`'s page.
    Access(usize, usize),
}

/// The reference model's state.
#[derive(Clone, Debug, Default)]
struct Model {
    /// The softlock's count.
    softlocked: i64,
    /// Process 0 holds its page F_SOFTLOCKed.
    locked: bool,
    /// Each process's page has a translation (a fault loaded it, no
    /// remap unloaded it since).
    loaded: [bool; 2],
    /// Process 1's current frame.
    frame1: u64,
}

/// A fresh world (inside no explorer: one real thread).
pub fn world() -> Arc<Devmap> {
    let hat = KHat::new(2, 2, Arc::new(Pages::frames(0)));
    let dm = Devmap::new(
        DevmapConfig {
            fixes: Fixes::ALL,
            ..DevmapConfig::default()
        },
        Arc::new(hat),
    );
    dm.map(&SegSpec::new(vec![HandleSpec {
        access: Some(Access::Default),
        ..HandleSpec::devmem(1, F0)
    }]));
    dm.map(&SegSpec::new(vec![HandleSpec {
        remap: true,
        ..HandleSpec::devmem(1, F1)
    }]));
    dm
}

/// Runs `ops` on `dm` and the model side by side; the first difference.
pub fn refine(dm: &Devmap, ops: &[SeqOp]) -> Result<(), String> {
    let mut m = Model {
        frame1: F1,
        ..Model::default()
    };
    for (i, &op) in ops.iter().enumerate() {
        let err = |what: String| Err(format!("step {i} {op:?}: {what}"));
        match op {
            SeqOp::SoftLock => {
                if m.softlocked != 0 {
                    continue;
                }
                let r = dm.as_fault(0, 0, 1, FaultType::SoftLock, SegRw::Read);
                if r.is_err() {
                    return err(format!("{r:?}, the model says Ok"));
                }
                m.softlocked = -1;
                m.locked = true;
                m.loaded[0] = true;
            }
            SeqOp::SoftUnlock => {
                if !m.locked {
                    continue;
                }
                let r = dm.as_fault(0, 0, 1, FaultType::SoftUnlock, SegRw::Read);
                if r.is_err() {
                    return err(format!("{r:?}, the model says Ok"));
                }
                m.softlocked = 0;
                m.locked = false;
            }
            SeqOp::Inval(p) => {
                if p == 0 && m.softlocked < 0 {
                    continue;
                }
                let r = dm.as_fault(p, 0, 1, FaultType::Inval, SegRw::Read);
                if r.is_err() {
                    return err(format!("{r:?}, the model says Ok"));
                }
                m.loaded[p] = true;
            }
            SeqOp::SoftLockRemappable => {
                let r = dm.as_fault(1, 0, 1, FaultType::SoftLock, SegRw::Read);
                if r != Err(Fc::NoSupport) {
                    return err(format!("{r:?}, the model says FC_NOSUPPORT"));
                }
            }
            SeqOp::Remap(n) => {
                if !dm.devmap_devmem_remap(1, 0, Some(F1 + n)) {
                    return err("remap refused".into());
                }
                m.frame1 = F1 + n;
                m.loaded[1] = false;
            }
            SeqOp::Access(cpu, p) => {
                let got = dm.access(cpu, p, 0, false).ok();
                let want = m.loaded[p].then_some(if p == 0 { F0 } else { m.frame1 });
                if got != want {
                    return err(format!("reached {got:?}, the model says {want:?}"));
                }
            }
        }
        if dm.peek_softlocked(0) != Some(m.softlocked) {
            return err(format!(
                "softlocked {:?}, the model says {}",
                dm.peek_softlocked(0),
                m.softlocked
            ));
        }
        let cnt = dm.peek_softlockcnt(0);
        if cnt != u64::from(m.locked) {
            return err(format!(
                "softlockcnt {cnt}, the model says {}",
                u64::from(m.locked)
            ));
        }
    }
    if m.locked {
        let _ = dm.as_fault(0, 0, 1, FaultType::SoftUnlock, SegRw::Read);
    }
    Ok(())
}
