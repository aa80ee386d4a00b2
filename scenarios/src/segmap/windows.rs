//! Accesses through windows on the MMU model (segkpm off): a holder reads
//! or writes through its window on the CPU it runs on, faulting the
//! translation in through `segmap_fault`; the slot's loss of identity
//! must unload the window's translations, shoot them down on every CPU
//! and keep the pages' MOD bits: grab_smp's reuse (seg_map.c:1124-1183,
//! with `segmap_pagefree` 1094-1117) and the SM_INVAL release
//! (seg_map.c:2081-2104).

use super::common::{key, run_threads, segmap_with_pages, use_window, Body, BASE, VP};
use harness::{Mutant, Scenario};
use model::check::MMU_STALE_TLB;
use std::sync::Arc;
use subsys::segmap::{Fixes, Segmap, Vnode, SEGMAP_MODLOST, SEGMAP_XLATE, SM_INVAL};

/// One slot, two CPUs with one-entry TLBs, `vnodes` vnodes with one block
/// each. A thread that finds no free slot sleeps for one; finding F2 is
/// fixed so that the sleep ends when the other thread releases (as the
/// seed is written it may not: scenario `segmap/busy-slot-sleep`).
fn one_slot(vnodes: u32) -> Arc<Segmap> {
    let fixes = Fixes {
        busy_slot_no_sleep: true,
        ..Fixes::default()
    };
    segmap_with_pages(1, vnodes, 1, fixes)
}

/// Take a window on key `n` of [`VP`], read its first page, release the
/// window.
fn use_page_at(n: u64, write: bool) -> Body {
    Box::new(move |sm: &Segmap| {
        let a = sm.getmap(VP, key(n));
        assert_eq!(sm.access(a, write), Ok(()), "access through window {a:#x}");
        sm.release(a, 0);
    })
}

/// Take a window on the first block of `vp`, access its first page, release
/// the window with `flags`.
pub(crate) fn use_page(vp: u32, write: bool, flags: u32) -> Body {
    Box::new(move |sm: &Segmap| {
        let a = sm.getmap(Vnode(vp), 0);
        let r = sm.access(a, write);
        assert_eq!(r, Ok(()), "access through window {a:#x}");
        sm.release(a, flags);
    })
}

/// A writes vnode 1's page through the only slot (on CPU 1) and releases
/// it; B needs the slot for vnode 2 (on CPU 0), so one of them reuses the
/// slot the other released: grab_smp unloads the window, A's CPU must no
/// longer translate it, and the written page, freed by segmap_pagefree
/// unless it is modified, must keep its modification.
fn reuse_body() {
    let sm = one_slot(2);
    run_threads(
        &sm,
        vec![("v1", use_page(1, true, 0)), ("v2", use_page(2, true, 0))],
    );
}

pub const WINDOW_REUSE: Scenario = Scenario {
    id: "segmap/window-reuse",
    summary: "two threads write through the one slot's window for different files; the reuse unloads the other's translation",
    mutants: &[
        Mutant {
            name: subsys::segmap::mutants::GRAB_SKIP_UNLOAD,
            catches: SEGMAP_XLATE,
            summary: "grab_smp re-tags the slot without hat_unload of its window (seg_map.c:1177-1179)",
        },
        Mutant {
            name: subsys::vm::mutants::UNLOAD_NO_SHOOTDOWN,
            catches: SEGMAP_XLATE,
            summary: "hat_unload clears the PTE but does not shoot down the TLBs (htable.c:2273-2274)",
        },
        Mutant {
            name: subsys::vm::mutants::UNLOAD_DROPS_MOD,
            catches: SEGMAP_MODLOST,
            summary: "hat_unload does not sync the PTE's REF/MOD into the page (hati_sync_pte_to_page), so segmap_pagefree frees a written page as clean",
        },
    ],
    body: reuse_body,
    ..BASE
};

/// One slot, vnode 1's page. A writes through the window and releases it
/// with SM_INVAL; B reads through a window on the same block and releases
/// it plainly. Whoever releases last decides: A's last release drops the
/// identity and unloads the window while B's CPU may still cache its
/// translation; B may then miss and reuse the untagged slot, or reclaim
/// the still-tagged one.
fn inval_body() {
    let sm = one_slot(1);
    run_threads(
        &sm,
        vec![
            ("inval", use_page(1, true, SM_INVAL)),
            ("read", use_page(1, false, 0)),
        ],
    );
}

pub const INVAL_VS_ACCESS: Scenario = Scenario {
    id: "segmap/inval-vs-access",
    summary: "an SM_INVAL release of a written window races another holder's access and reclaim",
    mutants: &[Mutant {
        name: subsys::segmap::mutants::INVAL_SKIP_UNLOAD,
        catches: SEGMAP_XLATE,
        summary: "the SM_INVAL release hashes the slot out without hat_unload of its window (seg_map.c:2099-2101)",
    }, Mutant {
        name: subsys::vm::mutants::UNLOAD_DROPS_MOD,
        catches: SEGMAP_MODLOST,
        summary: "hat_unload drops the PTE's MOD instead of moving it into the page: the written page of the invalidated window stays cached but clean, which only the check at rest sees",
    }],
    body: inval_body,
    ..BASE
};

/// Two slots, two CPUs. Main reads key 1's page through a
/// window on slot 1 and caches key 3 on slot 0, then frees both, slot 1
/// first. B needs a slot for key 2 and reuses slot 1 (grab_smp: hashout,
/// unload, `segmap_pagefree` of key 1's page). A takes key 1 and reads
/// it: before B's hashout it reclaims slot 1; after it, it misses, reuses
/// slot 0 and maps the same page at slot 0's window, which B's
/// `segmap_pagefree` then finds mapped and must keep (`page_release`
/// returns PGREL_NOTREL: seg_map.c:1102-1112 with vm_page.c).
fn remap_body() {
    let sm = segmap_with_pages(2, 1, 4, Fixes::default());
    let a1 = sm.getmap(VP, key(1));
    assert_eq!(sm.access(a1, false), Ok(()));
    let a3 = sm.getmap(VP, key(3));
    sm.release(a1, 0);
    sm.release(a3, 0);
    run_threads(
        &sm,
        vec![
            ("remap", use_page_at(1, false)),
            ("reuse", Box::new(|sm: &Segmap| use_window(sm, 2, 0))),
        ],
    );
}

pub const REUSE_VS_REMAP: Scenario = Scenario {
    id: "segmap/reuse-vs-remap",
    summary: "a reuse frees the old identity's page while a miss on that identity maps it at another window",
    mutants: &[Mutant {
        name: subsys::segmap::mutants::RELEASE_FREES_MAPPED,
        catches: MMU_STALE_TLB,
        summary: "page_release frees a page a window still maps (hat_page_is_mapped ignored), while a CPU translates to it",
    }],
    body: remap_body,
    ..BASE
};
