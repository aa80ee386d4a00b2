//! The htable port as the x86 HAT behind the VM layer's interface
//! (`crate::vm::hat::Hat`), for a kernel range from `kernelbase`: what
//! segmap's windows are mapped with when a scenario composes segmap with
//! the htable layer.
//!
//! * `hat_memload` is [`World::hat_memload`] on `kas.a_hat`
//!   (`htable_lookup` / `htable_create`, then `hati_pte_map`: `x86pte_set`
//!   under the page's mapping-list mutex, the hment, the valid count);
//! * `hat_unload` is [`World::hat_unload`] of one page (`htable_getpte`,
//!   `hat_pte_unmap`: `x86pte_inval` with the kernel hat's shootdown on
//!   every CPU, REF/MOD synced, the hment removed, `htable_release`);
//! * `hat_probe` is `htable_getpte`; `hat_page_is_mapped` reads the hment
//!   list under the mapping-list mutex; a CPU's access is
//!   [`World::cpu_access`].
//!
//! Device mappings (devmap) go in that user address space, below
//! `kernelbase`: `hat_devload` is [`World::hat_devload`] (no `page_t`, no
//! hment), `hat_unload_range` is [`World::hat_unload`] of the range (a
//! device frame's `hat_pte_unmap` invalidates with the user hat's
//! shootdown and syncs nothing), `hat_unlock` is [`World::hat_unlock`].
//!
//! The machine's CPUs run one user address space ([`X86Hat::boot`] makes
//! it), whose top table carries the kernel's top-level entries
//! (`x86pte_copy`), so they reach the kernel range through the kernel's
//! boot leaf tables, as every process does.
//!
//! Deviations: the kernel's PTEs carry `PT_USER`, as `World::hat_memload`
//! sets it for every mapping (the MMU model checks no privilege), and no
//! `PT_GLOBAL`; `HAT_LOAD_LOCK` is not passed (hat_i86.c counts locks only
//! for hats other than `kas`).
//!
//! Ghost state: the frame each PTE of the range was last given through
//! this interface, and the leaf table and index of each page (the
//! kernel's leaf tables are never freed), for checks without scheduling
//! points.

use super::hat::HAT_LOAD_LOCK;
use super::ids::HatId;
use super::world::{Config, World};
use crate::vm::hat::{Hat, Loaded};
use crate::vm::page::{PageId, Pages, PFN_BASE};
use crate::vm::param::PAGESIZE;
use model::kernel::Handle;
use model::machine::pte::{pte_pfn, pte_valid, PT_MOD};
use model::machine::{Fault, Mmu};
use std::sync::atomic::{AtomicU64 as GhostU64, Ordering::SeqCst};
use std::sync::Arc;

/// One page of the range.
struct Xpte {
    /// (c) the kernel leaf table mapping it (its machine table), and the
    /// entry.
    leaf: Handle,
    entry: u32,
    /// (g) the frame last loaded, `NO_FRAME` after an unload.
    frame: GhostU64,
}

const NO_FRAME: u64 = u64::MAX;

/// The x86 HAT for the kernel range `[kernelbase, kernelbase + npages)`.
pub struct X86Hat {
    /// (c) the htable world.
    world: Arc<World>,
    /// (c) `kas.a_hat`.
    kas: HatId,
    /// (c) the user address space the CPUs run.
    user: HatId,
    /// (c) the range's pages.
    ptes: Vec<Xpte>,
}

impl X86Hat {
    /// Boots a world shaped by `cfg` with its kernel hat, over `pages`,
    /// and one user address space the machine's CPUs run; the HAT maps
    /// `npages` pages from `kernelbase`. Call inside the execution, before
    /// other threads start.
    pub fn boot(cfg: Config, pages: Arc<Pages>, npages: u64) -> Self {
        let world = World::with_pages(
            Config {
                kernel: true,
                ..cfg
            },
            pages,
        );
        let kas = world.kas().expect("a booted world has a kernel hat");
        let user = world.hat_alloc(true);
        let base = world.kernelbase();
        let ptes = (0..npages)
            .map(|i| {
                let va = base + i * PAGESIZE;
                let ht = world
                    .htable_lookup(kas, va, 0)
                    .expect("the boot tables cover the kernel range");
                let leaf = world.ht(ht).id.get().pfn.expect("a leaf has a table");
                world.htable_release(Some(ht));
                Xpte {
                    leaf,
                    entry: world.va2entry(va, 0),
                    frame: GhostU64::new(NO_FRAME),
                }
            })
            .collect();
        X86Hat {
            world,
            kas,
            user,
            ptes,
        }
    }

    /// The htable world behind the HAT.
    pub fn world(&self) -> &Arc<World> {
        &self.world
    }

    /// The user address space the machine's CPUs run (below
    /// `kernelbase`).
    pub fn user(&self) -> HatId {
        self.user
    }

    fn xpte(&self, va: u64) -> &Xpte {
        &self.ptes[((va - self.base()) / PAGESIZE) as usize]
    }
}

impl Hat for X86Hat {
    fn mmu(&self) -> &Mmu {
        &self.world.mmu
    }

    fn base(&self) -> u64 {
        self.world.kernelbase()
    }

    #[track_caller]
    fn hat_memload(&self, va: u64, pp: usize) -> Loaded {
        self.hat_memload_prot(va, pp, true)
    }

    #[track_caller]
    fn hat_unload(&self, va: u64) {
        self.world.hat_unload(self.kas, va, PAGESIZE, 0);
        self.xpte(va).frame.store(NO_FRAME, SeqCst);
    }

    #[track_caller]
    fn hat_probe(&self, va: u64) -> bool {
        match self.world.htable_getpte(self.kas, va, 0) {
            Some((ht, _, pte)) => {
                self.world.htable_release(Some(ht));
                pte_valid(pte)
            }
            None => false,
        }
    }

    #[track_caller]
    fn hat_page_is_mapped(&self, pp: usize) -> bool {
        let p = self.world.pages.page(pp);
        p.mlist.enter();
        let mapped = !p.hments.get(&p.mlist).is_empty();
        p.mlist.exit();
        mapped
    }

    #[track_caller]
    fn access(&self, cpu: usize, va: u64, write: bool) -> Result<u64, Fault> {
        self.world.cpu_access(cpu, va, write)
    }

    fn translations(&self, va: u64) -> Vec<(u64, String)> {
        let x = self.xpte(va);
        let mut v = Vec::new();
        let f = x.frame.load(SeqCst);
        if f != NO_FRAME {
            v.push((f, "its PTE".to_string()));
        }
        for (pte, why) in self.world.mmu.cached_leaves(x.leaf, x.entry) {
            v.push((pte_pfn(pte), why));
        }
        v
    }

    fn modified_in_pte(&self, pfn: u64) -> bool {
        self.ptes.iter().any(|x| {
            let e = self.world.mmu.table(x.leaf).pte(x.entry as usize).load();
            pte_valid(e) && pte_pfn(e) == pfn && e & PT_MOD != 0
        })
    }

    fn check_quiescent(&self) {
        self.world.check_quiescent();
    }

    fn pages(&self) -> &Pages {
        &self.world.pages
    }

    #[track_caller]
    fn hat_memload_prot(&self, va: u64, pp: usize, writable: bool) -> Loaded {
        let x = self.xpte(va);
        let pfn = PFN_BASE + pp as u64;
        let had = x.frame.load(SeqCst);
        if had != NO_FRAME && had != pfn {
            return Loaded::Other(had);
        }
        self.world
            .hat_memload(self.kas, va, PageId(pp as u32), writable, 0);
        x.frame.store(pfn, SeqCst);
        if had == pfn {
            Loaded::Already
        } else {
            Loaded::New
        }
    }

    #[track_caller]
    fn hat_pageunload(&self, pp: usize) {
        self.world.hat_pageunload(PageId(pp as u32));
        let pfn = PFN_BASE + pp as u64;
        for x in &self.ptes {
            let _ = x.frame.compare_exchange(pfn, NO_FRAME, SeqCst, SeqCst);
        }
    }

    #[track_caller]
    fn hat_pagesync(&self, pp: usize, flags: u32) -> u32 {
        self.world.hat_pagesync(PageId(pp as u32), flags)
    }

    fn peek_modified(&self, pp: usize) -> bool {
        let pfn = PFN_BASE + pp as u64;
        self.ptes.iter().any(|x| {
            self.world.mmu.peek_table(x.leaf).is_some_and(|t| {
                let e = t.pte(x.entry as usize).peek();
                pte_valid(e) && pte_pfn(e) == pfn && e & PT_MOD != 0
            })
        })
    }

    /// `hat_clrrefmod` as the trait has it; the world's ghost record of
    /// written frames forgets the page (its MOD is cleared on purpose).
    fn hat_clrrefmod(&self, pp: usize) {
        self.world.ghost.mod_cleared(PFN_BASE + pp as u64);
        crate::vm::hat::clrrefmod(self, pp);
    }

    #[track_caller]
    fn hat_page_clrwrt(&self, pp: usize) {
        self.world.hati_page_clrwrt(PageId(pp as u32));
    }

    /// The user half: below `kernelbase`, in the address space the CPUs
    /// run ([`X86Hat::user`]).
    fn user_range(&self) -> (u64, u64) {
        (0, self.world.kernelbase() / PAGESIZE)
    }

    #[track_caller]
    fn hat_devload(&self, va: u64, pfn: u64, lock: bool) {
        let flags = if lock { HAT_LOAD_LOCK } else { 0 };
        self.world.hat_devload(self.user, va, pfn, flags);
    }

    #[track_caller]
    fn hat_unload_range(&self, va: u64, npages: u64) {
        self.world.hat_unload(self.user, va, npages * PAGESIZE, 0);
    }

    #[track_caller]
    fn hat_unlock(&self, va: u64, npages: u64) {
        self.world.hat_unlock(self.user, va, npages);
    }
}
