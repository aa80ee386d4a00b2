//! One F_SOFTLOCK fault over two handles where the second fails, and its
//! error unwinding (seg_dev.c:1837-1874, 2035-2049), with and without a
//! driver `devmap_access`; findings D2 and D3.

use super::common::{cfg, dev, finish, inval, kmap, start};
use harness::{Expect, Mutant, Scenario};
use model::check::SYNC_DEADLOCK;
use subsys::devmap::{
    mutants, Access, FaultType, Fixes, HandleSpec, SegRw, SegSpec, DEVMAP_K1, LOCK_ORDER,
    PROT_READ, PROT_WRITE,
};

const BASE: Scenario = Scenario {
    id: "",
    summary: "",
    threads: 2,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[],
    orders: &[&LOCK_ORDER],
    params: &[],
    body: || {},
};

/// Process 0 maps `handles`; the main thread's F_SOFTLOCK over both
/// pages fails at the second; meanwhile an F_INVAL of page `inval_page`.
fn two_handles(fixes: Fixes, handles: Vec<HandleSpec>, vpage: Option<Vec<u8>>, inval_page: u64) {
    let dm = kmap(2, cfg(fixes, false));
    let mut spec = SegSpec::new(handles);
    spec.vpage = vpage;
    dm.map(&spec);
    let t = start(&dm, "inval", Box::new(move |dm| inval(dm, 0, inval_page)));
    let r = dm.as_fault(0, 0, 2, FaultType::SoftLock, SegRw::Read);
    assert!(r.is_err(), "the second handle's fault must fail");
    t.join();
    finish(&dm, 1);
}

/// Both handles under `devmap_default_access`... the second driver's
/// access fails.
fn with_access() {
    two_handles(
        Fixes::default(),
        vec![dev(0, Some(Access::Default)), dev(1, Some(Access::Fails))],
        None,
        0,
    );
}

pub const UNWIND_TWO_HANDLES: Scenario = Scenario {
    id: "devmap/unwind-two-handles",
    summary: "an F_SOFTLOCK over two devmap_access handles fails at the second: F_SOFTUNLOCK of the first, the rest of the softlock back",
    mutants: &[Mutant {
        name: mutants::UNWIND_NO_SOFTUNLOCK,
        catches: DEVMAP_K1,
        summary: "the earlier handle is not F_SOFTUNLOCKed: its softlock page stays held (seg_dev.c:1852-1853)",
    }],
    body: with_access,
    ..BASE
};

/// No `devmap_access`: the second page's protection refuses the access
/// (per-page protections, 1454-1456), the first handle is F_SOFTUNLOCKed.
fn no_access() {
    two_handles(
        Fixes::default(),
        vec![dev(0, None), dev(1, None)],
        Some(vec![PROT_READ | PROT_WRITE, 0]),
        0,
    );
}

pub const UNWIND_NO_ACCESS: Scenario = Scenario {
    id: "devmap/unwind-no-access",
    summary: "an F_SOFTLOCK over two handles without devmap_access fails at the second page's protection",
    mutants: &[Mutant {
        name: mutants::UNWIND_NO_SOFTUNLOCK,
        catches: SYNC_DEADLOCK,
        summary: "the first page stays locked: as_unmap waits for a softunlock that never comes (seg_dev.c:1852-1853)",
    }],
    body: no_access,
    ..BASE
};

fn mixed(fixes: Fixes) {
    two_handles(
        fixes,
        vec![dev(0, None), dev(1, Some(Access::Fails))],
        None,
        1,
    );
}

fn mixed_seed() {
    mixed(Fixes::default());
}

/// Finding D2: a chain whose first handle has no `devmap_access`
/// (`devmap_setup` allows it: only handles with one get the softlock,
/// 3216-3252). The second handle's access fails; the unwinding
/// subtracts the first handle's page from the softlock pages to give
/// back (1859-1860), though it never held it, and the softlock stays
/// held.
pub const UNWIND_MIXED: Scenario = Scenario {
    id: "devmap/unwind-mixed",
    summary: "FINDING D2: a failed F_SOFTLOCK over a handle without and one with devmap_access leaves the softlock held",
    expect: Expect::Finding(&[DEVMAP_K1]),
    body: mixed_seed,
    ..BASE
};

fn mixed_fixed() {
    mixed(Fixes {
        unwind_access_pages: true,
        ..Fixes::default()
    });
}

pub const UNWIND_MIXED_FIXED: Scenario = Scenario {
    id: "devmap/unwind-mixed-fixed",
    summary: "the mixed chain's failed F_SOFTLOCK gives back only the pages it holds (fix D2)",
    mutants: &[Mutant {
        name: mutants::UNWIND_NO_SOFTUNLOCK,
        catches: SYNC_DEADLOCK,
        summary: "the first handle stays locked: as_unmap waits forever (seg_dev.c:1852-1853)",
    }],
    body: mixed_fixed,
    ..BASE
};

fn pagewise(fixes: Fixes) {
    let dm = kmap(2, cfg(fixes, false));
    let mut spec = SegSpec::new(vec![HandleSpec {
        access: Some(Access::Default),
        ..HandleSpec::devmem(2, subsys::vm::hat::DEVICE_PFN_BASE)
    }]);
    spec.vpage = Some(vec![PROT_READ | PROT_WRITE, 0]);
    dm.map(&spec);
    let t = start(&dm, "inval", Box::new(|dm| inval(dm, 0, 0)));
    let r = dm.as_fault(0, 0, 2, FaultType::SoftLock, SegRw::Read);
    assert!(r.is_err(), "the second page's protection must refuse");
    t.join();
    finish(&dm, 1);
}

fn pagewise_seed() {
    pagewise(Fixes::default());
}

/// Finding D3: one handle of two pages under `devmap_default_access`, the
/// second page refused by its protection. `segdev_faultpages` unwinds the
/// first page with `segdev_softunlock`, which gives its softlock page back
/// (2039 -> 1368-1371); then `segdev_fault` gives back all of the handle's
/// pages (1862): one page too many, past zero.
pub const FAULTPAGES_UNWIND: Scenario = Scenario {
    id: "devmap/faultpages-unwind",
    summary: "FINDING D3: a page-by-page F_SOFTLOCK failing inside devmap_access gives the softlock back twice",
    expect: Expect::Finding(&[DEVMAP_K1]),
    body: pagewise_seed,
    ..BASE
};

fn pagewise_fixed() {
    pagewise(Fixes {
        faultpages_unwind_no_exit: true,
        ..Fixes::default()
    });
}

pub const FAULTPAGES_UNWIND_FIXED: Scenario = Scenario {
    id: "devmap/faultpages-unwind-fixed",
    summary: "the page-by-page unwinding leaves the softlock accounting to segdev_fault (fix D3)",
    mutants: &[Mutant {
        name: mutants::FAULTPAGES_NO_SOFTLOCKCNT,
        catches: subsys::devmap::DEVMAP_K5,
        summary: "the loaded page is not counted in softlockcnt: the unwinding softunlock underflows it (seg_dev.c:1463-1465)",
    }],
    body: pagewise_fixed,
    ..BASE
};
