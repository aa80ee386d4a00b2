//! `hat_alloc` copies the kernel's top-level entries (`x86pte_copy`,
//! htable.c:2336-2381) while a kernel mapping is added; the kernel hat's
//! tables come from the boot page tables (`htable_attach`, 1467-1574).

use super::BASE;
use harness::{Mutant, Scenario};
use model::sync::spawn;
use subsys::htable::{Config, PageId, World, HTABLE_H10};

fn body() {
    let w = World::new(Config {
        kernel: true,
        hats: 2,
        htables: 5,
        ptables: 3,
        mmu: model::machine::MmuConfig {
            tables: 4,
            ..Default::default()
        },
        ..Config::default()
    });
    let kas = w.kas().expect("the world boots a kernel hat");
    let kb = w.kernelbase();
    let w2 = w.clone();
    let t = spawn("kmap", move || w2.hat_memload(kas, kb, PageId(1), true, 0));
    // A new address space: its top table gets the kernel's entries.
    w.hat_alloc(true);
    t.join();
    w.check_quiescent();
}

pub const COPY_VS_KMAP: Scenario = Scenario {
    id: "htable/copy-vs-kmap",
    summary: "hat_alloc copies the kernel's top-level entries (x86pte_copy) while the kernel maps a page",
    mutants: &[Mutant {
        name: subsys::htable::mutants::KERNEL_TABLES_ON_DEMAND,
        catches: HTABLE_H10,
        summary: "boot attaches no kernel leaf table: a kernel mapping links a new one at the top level after a new hat copied the kernel range (1569-1573)",
    }],
    body,
    ..BASE
};
