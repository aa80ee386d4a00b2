//! Software changes entries while a CPU translates through them: links
//! (`unlink_ptp`, htable.c:1098-1109) and leaf entries (`x86pte_set`
//! 2097-2146, `x86pte_inval` 2262-2274, `x86pte_update` 2306-2324).

use super::cpu;
use super::BASE;
use harness::scenario::UNBOUNDED;
use harness::{Expect, Mutant, Scenario};
use model::check::{MMU_COHERENCE, MMU_REFMOD_LOST};
use subsys::htable::{
    Config, PageId, World, HTABLE_H5, HTABLE_H6, HTABLE_H7, MMU_PAGESIZE as PAGESIZE,
};

/// Page 0 mapped writable at address 0.
fn mapped() -> (std::sync::Arc<World>, subsys::htable::HatId) {
    let w = World::new(Config::default());
    let hat = w.hat_alloc(true);
    w.hat_memload(hat, 0, PageId(0), true, 0);
    (w, hat)
}

fn unlink_body() {
    let (w, hat) = mapped();
    let c = cpu(&w, &[(0, true), (0, false)]);
    // The last mapping goes; htable_release unlinks and frees the table.
    w.hat_unload(hat, 0, PAGESIZE, 0);
    c.join();
    w.check_quiescent();
}

pub const UNLINK_VS_CPU: Scenario = Scenario {
    id: "htable/unlink-vs-cpu",
    summary: "the last mapping of a leaf table is unloaded and the table unlinked while a CPU walks through it",
    mutants: &[
        Mutant {
            name: subsys::htable::mutants::UNLINK_NO_INVAL,
            catches: HTABLE_H5,
            summary: "unlink_ptp skips the shootdown, leaving paging-structure entries through the unlinked table (1098-1109)",
        },
        Mutant {
            name: subsys::htable::mutants::UNLINK_KEEP_LINK,
            catches: HTABLE_H7,
            summary: "unlink_ptp uncounts the parent entry without clearing it (1085)",
        },
        Mutant {
            name: subsys::htable::mutants::UNLINK_NO_INVAL_UNCHECKED,
            catches: MMU_COHERENCE,
            summary: "unlink_ptp skips its shootdown and the point check after it (1098-1109): the table goes to the hat's cache, so only the outcome check sees the stale link",
        },
    ],
    body: unlink_body,
    ..BASE
};

fn set_body() {
    let (w, hat) = mapped();
    let c = cpu(&w, &[(0, false), (0, true)]);
    // The same page again, read-only: x86pte_set keeps REF/MOD and shoots
    // down the writable translation.
    w.hat_memload(hat, 0, PageId(0), false, 0);
    c.join();
    w.check_quiescent();
}

pub const SET_VS_CPU: Scenario = Scenario {
    id: "htable/set-vs-cpu",
    loom_bound: Some(UNBOUNDED),
    summary: "x86pte_set write-protects a mapping of the same page while a CPU reads and writes it",
    mutants: &[
        Mutant {
            name: subsys::htable::mutants::SET_DROP_REFMOD,
            catches: HTABLE_H6,
            summary: "x86pte_set does not carry REF/MOD over to the new entry of the same frame (2101-2105)",
        },
        Mutant {
            name: subsys::htable::mutants::SET_NO_INVAL,
            catches: HTABLE_H5,
            summary: "x86pte_set skips the shootdown of a referenced entry (2147-2148)",
        },
    ],
    body: set_body,
    ..BASE
};

fn inval_body() {
    let (w, hat) = mapped();
    let c = cpu(&w, &[(0, false), (0, true)]);
    w.hat_unload(hat, 0, PAGESIZE, 0);
    c.join();
    w.check_quiescent();
}

pub const INVAL_VS_CPU: Scenario = Scenario {
    id: "htable/inval-vs-cpu",
    summary: "hat_unload invalidates a mapping (x86pte_inval) while a CPU reads then writes it",
    mutants: &[
        Mutant {
            name: subsys::htable::mutants::INVAL_PLAIN_STORE,
            catches: MMU_REFMOD_LOST,
            summary:
                "x86pte_inval reads the entry and stores 0 instead of the CAS loop (2265-2272)",
        },
        Mutant {
            name: subsys::htable::mutants::INVAL_NO_TLB,
            catches: HTABLE_H5,
            summary: "x86pte_inval skips the shootdown of a referenced entry (2273-2274)",
        },
    ],
    body: inval_body,
    ..BASE
};

fn update_body() {
    let (w, _hat) = mapped();
    let c = cpu(&w, &[(0, false), (0, true)]);
    w.hati_page_clrwrt(PageId(0));
    c.join();
    w.check_quiescent();
}

pub const UPDATE_VS_CPU: Scenario = Scenario {
    id: "htable/update-vs-cpu",
    summary: "hati_page_clrwrt write-protects a page and clears REF/MOD (x86pte_update) while a CPU reads then writes it",
    mutants: &[Mutant {
        name: subsys::htable::mutants::UPDATE_NO_INVAL,
        catches: HTABLE_H5,
        summary: "x86pte_update skips the shootdown after a successful CAS (2304)",
    }],
    body: update_body,
    ..BASE
};

/// The hardware MOD update that ORs MOD into whatever the entry holds
/// (not x86's behaviour: see CHECKS.md, "checked vs blind").
const BLIND: &[(&str, &str)] = &[("hw-mod", "blind")];

pub const UPDATE_VS_CPU_BLIND: Scenario = Scenario {
    id: "htable/update-vs-cpu-blind",
    summary: "update-vs-cpu with the blind hardware MOD update: x86pte_update's MOD re-check (2306-2324) is what keeps a write through a stale translation",
    params: BLIND,
    mutants: &[Mutant {
        name: subsys::htable::mutants::UPDATE_NO_RECHECK,
        catches: HTABLE_H6,
        summary: "x86pte_update reports success without re-reading MOD after the shootdown (2306-2324)",
    }],
    ..UPDATE_VS_CPU
};

pub const INVAL_VS_CPU_BLIND: Scenario = Scenario {
    id: "htable/inval-vs-cpu-blind",
    summary: "control: inval-vs-cpu with the blind hardware MOD update; a write through a translation cached before the shootdown ORs MOD into the cleared entry and the page ends clean, so H6 needs the checked update",
    params: BLIND,
    expect: Expect::Control(&[HTABLE_H6]),
    mutants: &[],
    ..INVAL_VS_CPU
};
