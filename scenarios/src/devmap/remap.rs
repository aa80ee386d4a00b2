//! Remaps racing faults and CPU accesses through the old translation:
//! device memory on the x86 HAT, a remappable handle under
//! `devmap_default_access`, and a pageable cookie (`devmap_umem_remap`).

use super::common::{cfg, dev, finish, inval, kmap, start, x86};
use harness::{Expect, Mutant, Scenario};
use subsys::devmap::{
    mutants, Access, Cookie, DevmapConfig, Fixes, HandleSpec, Mapping, SegSpec, DEVMAP_K6,
    LOCK_ORDER,
};
use subsys::order::KERNEL_ORDER;
use subsys::vm::hat::DEVICE_PFN_BASE;

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

const NEW: u64 = DEVICE_PFN_BASE + 0x40;

const REMAP_UNLOAD_UNLOCKED: Mutant = Mutant {
    name: mutants::REMAP_UNLOAD_UNLOCKED,
    catches: DEVMAP_K6,
    summary: "the remap unloads before taking dh_lock: a fault reloads the old frame in between (seg_dev.c:3526-3534)",
};

const REMAP_NO_UNLOAD: Mutant = Mutant {
    name: mutants::REMAP_NO_UNLOAD,
    catches: DEVMAP_K6,
    summary:
        "the remap changes the frame without unloading the old translations (seg_dev.c:3533-3534)",
};

/// Process 0's remappable page of device memory is faulted in and read by
/// CPU 0 (its TLB caches the old frame); the driver remaps it to another
/// frame (`dh_lock`, `hat_unload` with the shootdown, the new frame,
/// 3526-3590) while the process reads on CPU 0, faults again and reads on
/// CPU 1.
fn vs_fault_x86() {
    let dm = x86(cfg(Fixes::default(), false));
    dm.map(&SegSpec::new(vec![HandleSpec {
        remap: true,
        ..dev(0, None)
    }]));
    inval(&dm, 0, 0);
    assert_eq!(dm.access(0, 0, 0, false), Ok(DEVICE_PFN_BASE));
    let t = start(
        &dm,
        "driver",
        Box::new(|dm| {
            assert!(dm.devmap_devmem_remap(0, 0, Some(NEW)));
        }),
    );
    let _ = dm.access(0, 0, 0, false);
    inval(&dm, 0, 0);
    let _ = dm.access(1, 0, 0, true);
    t.join();
    finish(&dm, 1);
}

pub const REMAP_VS_FAULT: Scenario = Scenario {
    id: "devmap/remap-vs-fault",
    summary: "devmap_devmem_remap racing a fault and CPU accesses through the old translation, on the x86 HAT",
    orders: &[&LOCK_ORDER, &KERNEL_ORDER],
    mutants: &[
        REMAP_NO_UNLOAD,
        Mutant {
            name: subsys::htable::mutants::INVAL_NO_TLB,
            catches: subsys::htable::HTABLE_H5,
            summary: "x86pte_inval of the device translation shoots down no CPU (htable.c:2273-2274)",
        },
    ],
    body: vs_fault_x86,
    ..BASE
};

/// A remappable handle under `devmap_default_access`: `segdev_fault`
/// drops `dh_lock` before calling the driver (1819-1825), whose
/// `devmap_load` takes it (3122), while the driver remaps.
fn vs_access() {
    let dm = kmap(1, cfg(Fixes::default(), false));
    dm.map(&SegSpec::new(vec![HandleSpec {
        remap: true,
        ..dev(0, Some(Access::Default))
    }]));
    let t = start(
        &dm,
        "driver",
        Box::new(|dm| {
            assert!(dm.devmap_devmem_remap(0, 0, Some(NEW)));
        }),
    );
    inval(&dm, 0, 0);
    let _ = dm.access(0, 0, 0, false);
    t.join();
    finish(&dm, 1);
}

pub const REMAP_VS_ACCESS: Scenario = Scenario {
    id: "devmap/remap-vs-access",
    summary: "devmap_devmem_remap racing a fault through devmap_default_access",
    mutants: &[
        REMAP_NO_UNLOAD,
        REMAP_UNLOAD_UNLOCKED,
        Mutant {
            name: mutants::ACCESS_HOLDS_DH_LOCK,
            catches: model::check::SYNC_MISUSE,
            summary: "devmap_access is called with dh_lock held: devmap_load takes it again (seg_dev.c:1822)",
        },
    ],
    body: vs_access,
    ..BASE
};

/// A remappable handle over pageable cookie 0 is remapped to cookie 1
/// (`devmap_umem_remap`, 3733-3755) while the process faults and reads.
fn umem() {
    let dm = kmap(
        1,
        DevmapConfig {
            cookies: 2,
            ..cfg(Fixes::default(), false)
        },
    );
    dm.map(&SegSpec::new(vec![HandleSpec {
        len: 1,
        mapping: Mapping {
            cookie: Cookie::Kpmem(0),
            pfn: 0,
            invalid: false,
        },
        remap: true,
        access: None,
        timeout: 0,
    }]));
    let t = start(
        &dm,
        "driver",
        Box::new(|dm| {
            assert!(dm.devmap_umem_remap(0, 0, 1, 0));
        }),
    );
    inval(&dm, 0, 0);
    let _ = dm.access(1, 0, 0, false);
    t.join();
    finish(&dm, 1);
}

pub const UMEM_REMAP: Scenario = Scenario {
    id: "devmap/umem-remap",
    summary: "devmap_umem_remap of a pageable cookie racing a fault and a CPU access",
    mutants: &[REMAP_NO_UNLOAD, REMAP_UNLOAD_UNLOCKED],
    body: umem,
    ..BASE
};
