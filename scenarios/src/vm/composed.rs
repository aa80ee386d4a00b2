//! segmap's window races on the x86 HAT, and a page-table steal racing a
//! window's reuse.

use super::segmap_on_x86;
use crate::segmap::common::run_threads;
use crate::segmap::windows::use_page;
use harness::{Mutant, Scenario};
use model::sync::spawn;
use subsys::htable::{PageId, HTABLE_H5};
use subsys::order::KERNEL_ORDER;
use subsys::segmap::{Vnode, SEGMAP_XLATE, SM_INVAL};
use subsys::vm::page::VM_PAGE_MAPPED;

/// `segmap/window-reuse` on the x86 HAT: A writes vnode 1's page through
/// the only slot and releases it; B needs the slot for vnode 2, so one of
/// them reuses the slot the other released: grab_smp's `hat_unload` goes
/// through `htable_getpte`, `hat_pte_unmap` and `x86pte_inval` with the
/// kernel hat's shootdown (seg_map.c:1177-1179; htable.c:2218-2280).
fn reuse_body() {
    let (sm, _, _) = segmap_on_x86(1, 2);
    run_threads(
        &sm,
        vec![("v1", use_page(1, true, 0)), ("v2", use_page(2, true, 0))],
    );
}

/// What the composed scenarios share: main and two threads under the
/// kernel-wide lock order, the rest as [`Scenario::DEFAULTS`].
const BASE: Scenario = Scenario {
    threads: 3,
    orders: &[&KERNEL_ORDER],
    ..Scenario::DEFAULTS
};

/// The shootdown of a kernel translation reaches every CPU.
const KERNEL_NO_SHOOTDOWN: Mutant = Mutant {
    name: subsys::htable::mutants::KERNEL_NO_SHOOTDOWN,
    catches: HTABLE_H5,
    summary: "hat_tlb_inval of the kernel hat shoots down no CPU (as if kas ran on none; hat_i86.c uses khat_cpuset): a window's old translation survives x86pte_inval",
};

pub const WINDOW_REUSE_X86: Scenario = Scenario {
    id: "vm/window-reuse-x86",
    summary: "segmap/window-reuse with the windows mapped by the htable port (x86 HAT), two CPUs",
    mutants: &[
        KERNEL_NO_SHOOTDOWN,
        Mutant {
            name: subsys::segmap::mutants::GRAB_SKIP_UNLOAD,
            catches: SEGMAP_XLATE,
            summary:
                "grab_smp re-tags the slot without hat_unload of its window (seg_map.c:1177-1179)",
        },
    ],
    body: reuse_body,
    ..BASE
};

/// `segmap/inval-vs-access` on the x86 HAT: A writes through the window
/// and releases it with SM_INVAL (hashout and `hat_unload`,
/// seg_map.c:2081-2104); B reads through a window on the same block.
fn inval_body() {
    let (sm, _, _) = segmap_on_x86(1, 1);
    run_threads(
        &sm,
        vec![
            ("inval", use_page(1, true, SM_INVAL)),
            ("read", use_page(1, false, 0)),
        ],
    );
}

pub const INVAL_VS_ACCESS_X86: Scenario = Scenario {
    id: "vm/inval-vs-access-x86",
    summary: "segmap/inval-vs-access with the windows mapped by the htable port (x86 HAT), two CPUs",
    mutants: &[
        KERNEL_NO_SHOOTDOWN,
        Mutant {
            name: subsys::segmap::mutants::INVAL_SKIP_UNLOAD,
            catches: SEGMAP_XLATE,
            summary: "the SM_INVAL release hashes the slot out without hat_unload of its window (seg_map.c:2099-2101)",
        },
    ],
    body: inval_body,
    ..BASE
};

/// Vnode 1's page is in a window (left loaded on the free slot) and mapped
/// read-only in the user address space. The reaper steals the user leaf
/// table (`htable_reap` -> `htable_steal_active`, htable.c:435-532: it
/// unmaps the page's user mapping under its mapping-list mutex), after a
/// CPU read through it; meanwhile B reuses the slot for vnode 2:
/// grab_smp unloads the window and `segmap_pagefree` releases vnode 1's
/// page, which it may free only if no mapping is left
/// (`hat_page_is_mapped` on the x86 HAT reads the hment list).
fn steal_body() {
    let (sm, w, user) = segmap_on_x86(1, 2);
    let a = sm.getmap(Vnode(1), 0);
    assert_eq!(sm.access(a, false), Ok(()));
    sm.release(a, 0);
    w.hat_memload(user, 0, PageId(0), false, 0);
    let w2 = w.clone();
    let reaper = spawn("reap", move || {
        let _ = w2.cpu_access(model::exec::tid() % 2, 0, false);
        w2.htable_reap();
    });
    let sm2 = sm.clone();
    let reuse = spawn("reuse", move || use_page(2, true, 0)(&sm2));
    reaper.join();
    reuse.join();
    sm.check_quiescent();
}

pub const STEAL_VS_REUSE: Scenario = Scenario {
    id: "vm/steal-vs-reuse",
    summary: "htable_reap steals the user table mapping a page while segmap reuses the window on it and frees it if unmapped",
    mutants: &[
        Mutant {
            name: subsys::segmap::mutants::PAGE_MAPPED_KMAP_COUNT,
            catches: VM_PAGE_MAPPED,
            summary: "segmap_pagefree's page_release asks the kmap stand-in's mapping count (which only that HAT keeps) instead of the segment's HAT, and frees a page the user still maps",
        },
        Mutant {
            name: subsys::segmap::mutants::RELEASE_FREES_MAPPED,
            catches: VM_PAGE_MAPPED,
            summary: "page_release frees a page that is still mapped (hat_page_is_mapped ignored)",
        },
    ],
    body: steal_body,
    ..BASE
};
