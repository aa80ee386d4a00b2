//! Composed scenarios: segmap on the htable port as its x86 HAT
//! (`subsys::htable::X86Hat`), two CPUs with TLBs. The windows are kernel
//! mappings of `kas`; the CPUs reach them through the kernel's boot leaf
//! table, which every address space's top table links. Each scenario is a
//! segmap scenario of `scenarios::segmap::windows` with its translations
//! made, shot down and synced by the real htable code, or one that races
//! segmap against htable itself (`htable_steal`). Judged against the
//! kernel-wide lock order (`subsys::order::KERNEL_ORDER`).

mod composed;

use harness::Scenario;
use model::machine::MmuConfig;
use std::sync::Arc;
use subsys::htable::{Config, HatId, World, X86Hat};
use subsys::segmap::{Fixes, PageUniverse, Segmap, SegmapConfig, MAXBSIZE, PAGESIZE};
use subsys::vm::page::Pages;

/// The composed scenarios.
pub const SCENARIOS: &[Scenario] = &[
    composed::WINDOW_REUSE_X86,
    composed::INVAL_VS_ACCESS_X86,
    composed::STEAL_VS_REUSE,
];

/// A segment of `npages` slots over the pages of `vnodes` vnodes of one
/// block each, mapped by the x86 HAT of a world with two CPUs, the kernel
/// hat and one user address space (two levels of two entries: the user
/// half and the kernel half of four pages, one window). Finding F2 is
/// fixed, as in `segmap/window-reuse`.
pub(crate) fn segmap_on_x86(npages: usize, vnodes: u32) -> (Arc<Segmap>, Arc<World>, HatId) {
    let mut cfg = SegmapConfig::new(npages);
    cfg.fixes = Fixes {
        busy_slot_no_sleep: true,
        ..Fixes::default()
    };
    let pages = Arc::new(Pages::new(PageUniverse {
        vnodes,
        blocks: 1,
        holes: 0,
    }));
    let htable = Config {
        hats: 2,
        htables: 6,
        ptables: 4,
        mmu: MmuConfig {
            cpus: 2,
            tables: 5,
            ..MmuConfig::default()
        },
        ..Config::default()
    };
    let windows = npages as u64 * (MAXBSIZE / PAGESIZE);
    let hat = X86Hat::boot(htable, pages.clone(), windows);
    let (world, user) = (hat.world().clone(), hat.user());
    let sm = Arc::new(Segmap::create_on(cfg, pages, Box::new(hat)));
    (sm, world, user)
}
