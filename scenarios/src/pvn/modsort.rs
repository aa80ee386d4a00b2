//! `VMODSORT`: modified pages at the tail of the ring, clean ones at the
//! head, and the early exit of a plain write-back at the first clean page
//! with no I/O (vm_pvn.c:833-882), against pages being dirtied, writes
//! completing (401-413) and failing (415-434).

use super::common::BASE;
use super::common::{off, run_threads, walk, world, write, Body};
use harness::{Expect, Mutant, Scenario};
use subsys::pvn::{mutants, Fixes, HatKind, Pvn, PvnConfig, B_ASYNC, PVN_V1, PVN_V6};

/// A `VMODSORT` file of two pages, page 0 dirty (at the tail), page 1
/// clean; a page-out writes page 0 asynchronously and a CPU then dirties
/// page 1, while an fsync walks.
fn io(fixes: Fixes) {
    let mut cfg = PvnConfig::new(2);
    cfg.modsort = true;
    cfg.io_actor = true;
    cfg.fixes = fixes;
    let pvn = world(cfg, &[0, 1], &[0]);
    let pageout: Body = Box::new(|pvn: &Pvn| {
        pvn.putpage(off(0), B_ASYNC);
        pvn.cpu_access(0, off(1), true);
    });
    run_threads(&pvn, vec![("fsync", walk(0)), ("pageout", pageout)]);
}

fn io_body() {
    io(Fixes::default());
}

pub const EXIT_VS_IO: Scenario = Scenario {
    id: "pvn/modsort-exit-vs-io",
    summary: "VMODSORT: fsync walks while a page's write is in flight and another page is dirtied; the early exit must not stop at the page under I/O",
    threads: 3,
    mutants: &[Mutant {
        name: mutants::MODSORT_EXIT_IGNORES_IO,
        catches: PVN_V1,
        summary: "the early exit ignores the I/O lock (vm_pvn.c:841 before illumos' 2006 fix): fsync stops at the page whose write is in flight and returns before it is on disk",
    }],
    body: io_body,
    ..BASE
};

/// Page 0 of a `VMODSORT` file was written and unmapped (its MOD is in
/// the page, none in a PTE); a page-out writes it asynchronously while an
/// fsync walks, reading the I/O lock before MOD: the page-out's
/// `pvn_getdirty` (I/O lock, then MOD cleared, no vnode page mutex needed
/// without a PTE to sync) can fall between the two reads.
fn writeback(fixes: Fixes) {
    let mut cfg = PvnConfig::new(2);
    cfg.modsort = true;
    cfg.io_actor = true;
    cfg.fixes = fixes;
    let pvn = world(cfg, &[0, 1], &[0]);
    pvn.unmap(off(0));
    let pageout: Body = Box::new(|pvn: &Pvn| {
        pvn.putpage(off(0), B_ASYNC);
    });
    run_threads(&pvn, vec![("fsync", walk(0)), ("pageout", pageout)]);
}

fn writeback_body() {
    writeback(Fixes::default());
}

pub const EXIT_VS_WRITEBACK: Scenario = Scenario {
    id: "pvn/modsort-exit-vs-writeback",
    summary: "VMODSORT: fsync meets a written, unmapped page whose write-back a page-out starts meanwhile (the seed's order of 841 holds)",
    threads: 3,
    body: writeback_body,
    ..BASE
};

fn iolock_first_body() {
    writeback(Fixes {
        exit_iolock_first: true,
        ..Fixes::default()
    });
}

/// Negative control: the obvious repair of finding V1, reading the I/O
/// lock before MOD at 841, is wrong (`pvn/modsort-exit-vs-writeback`
/// reading the I/O lock first).
pub const EXIT_IOLOCK_FIRST: Scenario = Scenario {
    id: "pvn/modsort-exit-iolock-first",
    summary: "control: VMODSORT fsync reading the I/O lock before MOD (a rejected fix of V1): a write-back that starts between the two reads makes it stop at a page under I/O and return before the data is on disk",
    threads: 3,
    expect: Expect::Control(&[PVN_V1]),
    body: iolock_first_body,
    ..BASE
};

/// A `VMODSORT` file of one dirty page whose writes fail; a page-out has
/// started its asynchronous write (set-up), and an fsync walks while the
/// I/O actor completes it with an error.
fn error(fixes: Fixes) {
    let mut cfg = PvnConfig::new(1);
    cfg.modsort = true;
    cfg.io_actor = true;
    cfg.fixes = fixes;
    cfg.failing = 1;
    let pvn = world(cfg, &[0], &[0]);
    pvn.putpage(off(0), B_ASYNC);
    run_threads(&pvn, vec![("fsync", walk(0))]);
}

fn error_body() {
    error(Fixes::default());
}

/// Finding V1: see CHECKS.md.
pub const EXIT_VS_ERROR: Scenario = Scenario {
    id: "pvn/modsort-exit-vs-error",
    summary: "FINDING V1: VMODSORT fsync reads MOD, then the I/O lock, of a page whose async write fails in between (hat_setmod_only, page_io_unlock): it stops at that dirty page and returns 0 with the data not on disk",
    expect: Expect::Finding(&[PVN_V6]),
    body: error_body,
    ..BASE
};

fn error_fixed_body() {
    error(Fixes {
        error_setmod_locked: true,
        ..Fixes::default()
    });
}

pub const EXIT_VS_ERROR_FIXED: Scenario = Scenario {
    id: "pvn/modsort-exit-vs-error-fixed",
    summary: "pvn/modsort-exit-vs-error with the failed write's MOD set under the vnode page mutex (fix V1)",
    mutants: &[
        Mutant {
            name: mutants::MODSORT_EXIT_IGNORES_IO,
            catches: PVN_V1,
            summary: "the early exit ignores the I/O lock (vm_pvn.c:841 before illumos' 2006 fix)",
        },
        Mutant {
            name: mutants::ERROR_SETMOD_UNLOCKED,
            catches: PVN_V6,
            summary: "fix V1 without the vnode page mutex around the failed write's hat_setmod_only: the early exit sees the failure half done again",
        },
    ],
    body: error_fixed_body,
    ..BASE
};

/// `VMODSORT`: fsync writes page 0 while CPU 0 writes it again (its
/// translation was write-protected by `hat_clrrefmod`, so the write
/// faults, sets MOD and moves the page to the tail): the completed write
/// must leave it there, not move it to the head among the clean pages.
fn during_io(hat: HatKind) {
    let mut cfg = PvnConfig::new(2);
    cfg.modsort = true;
    cfg.hat = hat;
    let pvn = world(cfg, &[0, 1], &[0]);
    run_threads(&pvn, vec![("fsync", walk(0)), ("cpu0", write(0, 0, 1))]);
}

fn during_io_body() {
    during_io(HatKind::Kmap);
}

fn during_io_x86_body() {
    during_io(HatKind::X86);
}

pub const WRITE_DURING_IO_X86: Scenario = Scenario {
    id: "pvn/modsort-write-during-io-x86",
    summary: "pvn/modsort-write-during-io on the htable port: hati_page_clrwrt write-protects through x86pte_update, hat_page_setattr moves the page under the mapping-list mutex",
    mutants: &[Mutant {
        name: mutants::MODSORT_MOVES_MODIFIED,
        catches: PVN_V6,
        summary: "pvn_write_done moves a page modified during its write to the head too (vm_pvn.c:408 without !hat_ismod)",
    }],
    orders: &[&subsys::order::KERNEL_ORDER],
    body: during_io_x86_body,
    ..BASE
};

pub const WRITE_DURING_IO: Scenario = Scenario {
    id: "pvn/modsort-write-during-io",
    summary: "VMODSORT: a CPU dirties a page again while fsync writes it; the completed write leaves it among the modified pages",
    mutants: &[
        Mutant {
            name: mutants::MODSORT_MOVES_MODIFIED,
            catches: PVN_V6,
            summary: "pvn_write_done moves a page modified during its write to the head too (vm_pvn.c:408 without !hat_ismod)",
        },
        Mutant {
            name: mutants::FAULT_NO_SETMOD,
            catches: PVN_V1,
            summary: "the fault maps a VMODSORT page writable without hat_setmod (seg_map.c:759-760): the written page stays among the clean ones and fsync stops before it",
        },
    ],
    body: during_io_body,
    ..BASE
};

/// A `VMODSORT` file of three pages: page 1 clean (at the head), pages 0
/// and 2 written (MOD set by their faults; their PTEs carry REF and MOD).
/// An fsync walks while page 0's mapping is unmapped (`as_unmap` ->
/// `hat_unload`): syncing REF with MOD, `hat_page_setattr` moves page 0,
/// already modified, to the tail: behind the walk's end marker.
fn resync(fixes: Fixes, hat: HatKind) {
    let mut cfg = PvnConfig::new(3);
    cfg.modsort = true;
    cfg.fixes = fixes;
    cfg.hat = hat;
    let pvn = world(cfg, &[0, 1, 2], &[0, 2]);
    let unmap: Body = Box::new(|pvn: &Pvn| pvn.unmap(off(0)));
    run_threads(&pvn, vec![("fsync", walk(0)), ("munmap", unmap)]);
}

fn resync_body() {
    resync(Fixes::default(), HatKind::Kmap);
}

fn resync_x86_body() {
    resync(Fixes::default(), HatKind::X86);
}

/// Finding V2 on the htable port: `hat_unload` -> `hat_pte_unmap` syncs
/// the PTE under the mapping-list mutex; `hat_page_setattr` moves the page.
pub const RESYNC_BEHIND_END_X86: Scenario = Scenario {
    id: "pvn/modsort-resync-vs-fsync-x86",
    summary: "FINDING V2 on the x86 HAT (hat_pte_unmap's hati_sync_pte_to_page moves the page behind fsync's end marker)",
    expect: Expect::Finding(&[PVN_V1]),
    orders: &[&subsys::order::KERNEL_ORDER],
    body: resync_x86_body,
    ..BASE
};

/// Finding V2: see CHECKS.md.
pub const RESYNC_BEHIND_END: Scenario = Scenario {
    id: "pvn/modsort-resync-vs-fsync",
    summary: "FINDING V2: VMODSORT fsync stops at a clean page while a dirty page it has not reached was moved behind its end marker (hat_page_setattr syncing REF with MOD on munmap): it returns 0 with that page's data not written",
    expect: Expect::Finding(&[PVN_V1]),
    body: resync_body,
    ..BASE
};

fn resync_fixed_body() {
    resync(
        Fixes {
            exit_at_tail_only: true,
            ..Fixes::default()
        },
        HatKind::Kmap,
    );
}

pub const RESYNC_FIXED: Scenario = Scenario {
    id: "pvn/modsort-resync-vs-fsync-fixed",
    summary: "pvn/modsort-resync-vs-fsync with the early exit taken only while the end marker is the tail (fix V2)",
    mutants: &[
        Mutant {
            name: mutants::EXIT_IGNORES_MOVED,
            catches: PVN_V1,
            summary: "fix V2 without its test of the end marker: fsync stops at a clean page with a dirty page behind its end marker",
        },
        Mutant {
            name: mutants::WALK_STOP_AT_HEAD,
            catches: PVN_V1,
            summary: "every walk stops when its marker reaches the head (vm_pvn.c:816 without `flags == B_ASYNC`): it does not go round to the dirty page moved behind its end marker",
        },
    ],
    body: resync_fixed_body,
    ..BASE
};
