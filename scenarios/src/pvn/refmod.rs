//! REF/MOD from the MMU against the write-back: CPUs writing through a
//! mapping while a page is written (vm_pvn.c:620-634, 666-679),
//! `pvn_write_done`'s `ck_refmod` loop (469-534), and failed writes
//! (415-434).

use super::common::BASE;
use super::common::{off, run_threads, walk, world, write, Body};
use harness::{Mutant, Scenario};
use model::check::MMU_COHERENCE;
use subsys::pvn::{mutants, HatKind, Memory, Pvn, PvnConfig, B_FORCE, B_INVAL, PVN_V4};

/// fsync of page 0 (written by CPU 1 in the set-up, which keeps a dirty
/// translation in its TLB) while CPU 1 writes it twice more: a write
/// after `hat_pagesync` cleared MOD must set it again, and one before the
/// write started goes out with it.
fn cpu_body() {
    let mut cfg = PvnConfig::new(1);
    cfg.cpus = 2;
    let pvn = world(cfg, &[0], &[]);
    assert!(pvn.cpu_access(1, off(0), true));
    run_threads(&pvn, vec![("fsync", walk(0)), ("cpu1", write(1, 0, 2))]);
}

pub const WALK_VS_CPU: Scenario = Scenario {
    id: "pvn/walk-vs-cpu-write",
    summary: "fsync writes a page back while a CPU writes it through a translation it caches dirty",
    mutants: &[Mutant {
        name: subsys::vm::mutants::UPDATE_NO_SHOOTDOWN,
        catches: PVN_V4,
        summary: "hat_pagesync(HAT_SYNC_ZERORM) clears MOD in the PTE without a shootdown (htable.c:2304): the CPU keeps writing through its dirty translation and MOD never comes back",
    }],
    body: cpu_body,
    ..BASE
};

/// The `ck_refmod` loop: memory is low, so the fsync's completed write
/// frees its page (`write_free`, vm_pvn.c:384-387) unless someone used it
/// during the write: CPU 1, which wrote it in the set-up (its TLB caches
/// the translation dirty), reads or writes it meanwhile, and its access
/// may land between `hat_pagesync` and `hat_pageunload`, which is why the
/// loop looks at REF/MOD again after the unload.
fn ck_refmod_body(hat: HatKind, write_it: bool) {
    let mut cfg = PvnConfig::new(1);
    cfg.cpus = 2;
    cfg.memory = Memory::Low;
    cfg.hat = hat;
    let pvn = world(cfg, &[0], &[]);
    assert!(pvn.cpu_access(1, off(0), true));
    let cpu: Body = Box::new(move |pvn: &Pvn| {
        pvn.cpu_access(1, off(0), write_it);
    });
    run_threads(&pvn, vec![("fsync", walk(0)), ("cpu1", cpu)]);
}

fn ck_refmod_write() {
    ck_refmod_body(HatKind::Kmap, true);
}

const CK_REFMOD_MUTANTS: &[Mutant] = &[
    Mutant {
        name: mutants::CK_REFMOD_NO_RECHECK,
        catches: PVN_V4,
        summary: "after hat_pageunload pvn_write_done does not look at REF/MOD again (vm_pvn.c:505-507): an access between the sync and the unload is lost with the page",
    },
    Mutant {
        name: mutants::WRITE_DONE_FREE_MAPPED,
        catches: PVN_V4,
        summary: "pvn_write_done frees a clean page without unloading its translations (vm_pvn.c:488-508)",
    },
];

pub const CK_REFMOD: Scenario = Scenario {
    id: "pvn/write-done-vs-cpu",
    summary: "memory low: the completed write frees its page unless a CPU write during it set MOD (ck_refmod)",
    mutants: CK_REFMOD_MUTANTS,
    body: ck_refmod_write,
    ..BASE
};

fn ck_refmod_read() {
    ck_refmod_body(HatKind::Kmap, false);
}

pub const CK_REFMOD_READ: Scenario = Scenario {
    id: "pvn/write-done-vs-cpu-read",
    summary: "memory low: the completed write frees its page unless a CPU read during it set REF (ck_refmod)",
    mutants: &[Mutant {
        name: mutants::CK_REFMOD_NO_RECHECK,
        catches: PVN_V4,
        summary: "after hat_pageunload pvn_write_done does not look at REF/MOD again (vm_pvn.c:505-507): a page read during the write is freed referenced",
    }],
    body: ck_refmod_read,
    ..BASE
};

fn ck_refmod_x86() {
    ck_refmod_body(HatKind::X86, true);
}

pub const CK_REFMOD_X86: Scenario = Scenario {
    id: "pvn/write-done-vs-cpu-x86",
    summary: "pvn/write-done-vs-cpu on the htable port (x86 HAT: hments, hat_pagesync and hat_pageunload of hat_i86.c)",
    mutants: &[
        Mutant {
            name: mutants::CK_REFMOD_NO_RECHECK,
            catches: PVN_V4,
            summary: "after hat_pageunload pvn_write_done does not look at REF/MOD again (vm_pvn.c:505-507)",
        },
        Mutant {
            name: subsys::htable::mutants::UPDATE_NO_INVAL,
            catches: MMU_COHERENCE,
            summary: "x86pte_update skips the shootdown (htable.c:2304): after hat_pagesync(HAT_SYNC_ZERORM) CPU 1 still caches the translation dirty, which the PTE no longer is",
        },
    ],
    orders: &[&subsys::order::KERNEL_ORDER],
    body: ck_refmod_x86,
    ..BASE
};

/// fsync of page 0 whose every write fails (`B_ERROR`): the page keeps its
/// data and is dirty again (`hat_setmod_only`); the walk returns `EIO`.
/// CPU 0 writes it meanwhile.
fn error_body() {
    let mut cfg = PvnConfig::new(1);
    cfg.failing = 1;
    let pvn = world(cfg, &[0], &[0]);
    run_threads(&pvn, vec![("fsync", walk(0)), ("cpu0", write(0, 0, 1))]);
}

/// A forced invalidation (`B_INVAL | B_FORCE`, as a forced unmount) of a
/// page whose writes fail: the page is destroyed and its data given up
/// (vm_pvn.c:426-429), while a CPU writes it.
fn forced_body() {
    let mut cfg = PvnConfig::new(1);
    cfg.failing = 1;
    let pvn = world(cfg, &[0], &[0]);
    run_threads(
        &pvn,
        vec![
            ("umount-f", walk(B_INVAL | B_FORCE)),
            ("cpu0", write(0, 0, 1)),
        ],
    );
}

pub const WRITE_ERROR_FORCED: Scenario = Scenario {
    id: "pvn/write-error-forced",
    summary: "a failed write of a forced invalidation destroys the page, its data given up, while a CPU writes it",
    body: forced_body,
    ..BASE
};

pub const WRITE_ERROR: Scenario = Scenario {
    id: "pvn/write-error",
    summary: "a write fails (B_ERROR): the page is dirty again and kept, while a CPU writes it",
    mutants: &[Mutant {
        name: mutants::ERROR_NO_SETMOD,
        catches: PVN_V4,
        summary: "a failed write does not set MOD again (vm_pvn.c:431): the data is clean and not on disk",
    }],
    body: error_body,
    ..BASE
};
