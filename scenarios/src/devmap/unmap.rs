//! `segdev_unmap` waiting for a softunlock (seg_dev.c:654-663 with
//! `as_unmap`'s wait, woken at 1383-1398).

use super::common::{cfg, dev, finish, kmap, start};
use harness::{Expect, Mutant, Scenario};
use model::check::SYNC_DEADLOCK;
use subsys::devmap::{mutants, FaultType, Fixes, SegRw, SegSpec, DEVMAP_K5, LOCK_ORDER};

/// The process F_SOFTLOCKs its page (a physio in progress) while another
/// thread unmaps the segment: `segdev_unmap` says EAGAIN, `as_unmap`
/// sets `AS_UNMAPWAIT` and waits; the F_SOFTUNLOCK wakes it.
fn body() {
    let dm = kmap(1, cfg(Fixes::default(), false));
    dm.map(&SegSpec::new(vec![dev(0, None)]));
    assert!(dm
        .as_fault(0, 0, 1, FaultType::SoftLock, SegRw::Read)
        .is_ok());
    let t = start(&dm, "unmap", Box::new(|dm| dm.as_unmap(0)));
    let _ = dm.as_fault(0, 0, 1, FaultType::SoftUnlock, SegRw::Read);
    t.join();
    finish(&dm, 1);
}

pub const UNMAP_WAITS: Scenario = Scenario {
    id: "devmap/unmap-waits-softunlock",
    summary: "as_unmap of a segment with a softlocked page waits for the F_SOFTUNLOCK",
    threads: 2,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[
        Mutant {
            name: mutants::SOFTUNLOCK_NO_WAKEUP,
            catches: SYNC_DEADLOCK,
            summary: "the last softunlock does not wake the waiting unmapper (seg_dev.c:1391-1398)",
        },
        Mutant {
            name: mutants::UNMAP_IGNORES_SOFTLOCKCNT,
            catches: DEVMAP_K5,
            summary: "segdev_unmap frees the segment with a page softlocked (seg_dev.c:654-663)",
        },
        Mutant {
            name: mutants::FAULTPAGES_NO_SOFTLOCKCNT,
            catches: DEVMAP_K5,
            summary: "the F_SOFTLOCK does not count its page: the softunlock underflows softlockcnt (seg_dev.c:2003-2007)",
        },
    ],
    orders: &[&LOCK_ORDER],
    params: &[],
    body,
};
