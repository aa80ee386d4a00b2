//! What the devmap scenarios share: a devmap world on the kmap stand-in
//! or the x86 HAT, handle shapes, threads, the end of a scenario.

use model::machine::MmuConfig;
use model::sync::{spawn, JoinHandle};
use std::sync::Arc;
use subsys::devmap::{Access, Devmap, DevmapConfig, FaultType, Fixes, HandleSpec, SegRw};
use subsys::htable::{Config, X86Hat};
use subsys::vm::hat::DEVICE_PFN_BASE;
use subsys::vm::kmap::KHat;
use subsys::vm::page::Pages;

/// A world of `pages` user pages on the kmap stand-in with two CPUs.
pub(crate) fn kmap(pages: u64, cfg: DevmapConfig) -> Arc<Devmap> {
    let hat = KHat::new(pages, 2, Arc::new(Pages::frames(0)));
    Devmap::new(cfg, Arc::new(hat))
}

/// A world on the htable port as the x86 HAT: two CPUs running one user
/// address space of two pages (two levels of two entries; the kernel
/// half has no kernel range mapped).
pub(crate) fn x86(cfg: DevmapConfig) -> Arc<Devmap> {
    let htable = Config {
        hats: 2,
        htables: 4,
        ptables: 4,
        mmu: MmuConfig {
            cpus: 2,
            tables: 5,
            ..MmuConfig::default()
        },
        ..Config::default()
    };
    let hat = X86Hat::boot(htable, Arc::new(Pages::frames(0)), 0);
    Devmap::new(cfg, Arc::new(hat))
}

/// The default configuration with `fixes`, the callout wheel if `ctx`.
pub(crate) fn cfg(fixes: Fixes, ctx: bool) -> DevmapConfig {
    DevmapConfig {
        fixes,
        callouts: ctx,
        ..DevmapConfig::default()
    }
}

/// One page of device memory at device frame `n`, with `access`.
pub(crate) fn dev(n: u64, access: Option<Access>) -> HandleSpec {
    HandleSpec {
        access,
        ..HandleSpec::devmem(1, DEVICE_PFN_BASE + 0x10 * n)
    }
}

/// A softlock and its softunlock of `npages` from page `page`.
pub(crate) fn softlock_unlock(dm: &Devmap, proc: usize, page: u64, npages: u64) {
    if dm
        .as_fault(proc, page, npages, FaultType::SoftLock, SegRw::Read)
        .is_ok()
    {
        let _ = dm.as_fault(proc, page, npages, FaultType::SoftUnlock, SegRw::Read);
    }
}

/// An F_INVAL fault of one page.
pub(crate) fn inval(dm: &Devmap, proc: usize, page: u64) {
    let _ = dm.as_fault(proc, page, 1, FaultType::Inval, SegRw::Read);
}

/// A thread's program.
pub(crate) type Body = Box<dyn FnOnce(&Devmap) + Send>;

/// Starts `body` on a thread of its own.
pub(crate) fn start(dm: &Arc<Devmap>, name: &'static str, body: Body) -> JoinHandle<()> {
    let dm = dm.clone();
    spawn(name, move || body(&dm))
}

/// Checks at rest, unmaps every process, checks again, stops the callout
/// wheel.
pub(crate) fn finish(dm: &Devmap, procs: usize) {
    dm.check_quiescent();
    for p in 0..procs {
        dm.as_unmap(p);
    }
    dm.check_quiescent();
    dm.shutdown();
}
