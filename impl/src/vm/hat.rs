//! The HAT interface: the calls a segment driver makes on the kernel's
//! address space (`kas.a_hat`), and a CPU's access through a mapping. Two
//! implementations: the kmap stand-in (`super::kmap::KHat`, small state
//! space: fixed page tables, no hments) and the htable port as the x86 HAT
//! (`crate::htable::X86Hat`: `htable_lookup` / `htable_create` and
//! `x86pte_set`, `x86pte_inval` with the shootdown and `htable_release`,
//! hments under the mapping-list mutex). A scenario chooses its HAT when it
//! creates its segment; segmap runs on either.
//!
//! Addresses are the machine's (`model::machine`); the caller maps its
//! segment's addresses onto them from [`Hat::base`]. Pages are the VM
//! layer's ([`super::page::Pages`]), shared by the segment and its HAT.
//! `hat_setmod`, `hat_ismod` and `hat_page_getattr` read and set `p_nrm`
//! and need no HAT state: they are page operations
//! ([`super::page::Pages::setmod`], [`super::page::Pages::is_modified`]).
//!
//! The page-based calls of vm_pvn.c (`hat_pageunload`, `hat_pagesync`,
//! `hat_clrrefmod` with `VMODSORT`'s write protection, `hat_ismod`,
//! `hat_setmod_only`, `hat_page_getattr`, and a load without write
//! permission) are one block at the end of the trait.
//!
//! Device mappings (seg_dev.c, `crate::devmap`) are in the address space
//! the machine's CPUs run, from [`Hat::user_range`]: `hat_devload` puts a
//! device frame ([`DEVICE_PFN_BASE`] up, never a `page_t`'s, so no hment
//! and no REF/MOD sync), `hat_unload` of a range invalidates with the
//! shootdown, `hat_unlock` drops the locks `HAT_LOAD_LOCK` took.
//!
//! Deviations: only what segmap, devmap and pvn call.

use super::page::{Pages, P_MOD};
use model::machine::{Fault, Mmu};

/// `HAT_SYNC_ZERORM` for [`Hat::hat_pagesync`]: clear REF/MOD in the
/// PTEs (with a shootdown) as they are synced into the page.
pub const HAT_SYNC_ZERORM: u32 = 0x01;
/// `HAT_SYNC_DONTZERO`: sync without clearing.
pub const HAT_SYNC_DONTZERO: u32 = 0x00;
/// `HAT_SYNC_STOPON_MOD`: stop at the first mapping that shows MOD (or
/// at once if the page already has it).
pub const HAT_SYNC_STOPON_MOD: u32 = 0x04;

/// What `hat_memload` found in the PTE.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loaded {
    /// The PTE now maps the page.
    New,
    /// It already mapped the page (another holder loaded it first); its
    /// REF/MOD stay.
    Already,
    /// It maps another frame: a translation an unload missed (the seeds'
    /// `hati_pte_map` panics on a change of frame without
    /// `HAT_LOAD_REMAP`). Nothing was changed.
    Other(u64),
}

/// A HAT for the kernel's address space.
pub trait Hat: Send + Sync {
    /// The machine the HAT's page tables are on.
    fn mmu(&self) -> &Mmu;

    /// The machine address of the mapped range's first byte.
    fn base(&self) -> u64;

    /// `hat_memload(kas.a_hat, va, pp, PROT_READ | PROT_WRITE, flag)` of
    /// page index `pp`, which the caller holds locked.
    fn hat_memload(&self, va: u64, pp: usize) -> Loaded;

    /// `hat_unload(kas.a_hat, va, PAGESIZE, HAT_UNLOAD)`: invalidate the
    /// PTE, shoot the address down on every CPU that may cache it, sync
    /// REF/MOD into the page, and only then forget the mapping.
    fn hat_unload(&self, va: u64);

    /// `hat_probe(kas.a_hat, va)`: whether `va` has a translation.
    fn hat_probe(&self, va: u64) -> bool;

    /// `hat_page_is_mapped(pp)` of a page the caller holds exclusive.
    fn hat_page_is_mapped(&self, pp: usize) -> bool;

    /// A load (or, with `write`, a store) by CPU `cpu` at `va`: the frame
    /// it reached, or the fault.
    fn access(&self, cpu: usize, va: u64, write: bool) -> Result<u64, Fault>;

    /// Every translation of page `va` (ghost, no scheduling point): the
    /// frame software last gave its PTE, and each entry a CPU caches from
    /// it, with a description.
    fn translations(&self, va: u64) -> Vec<(u64, String)>;

    /// Whether a valid PTE of the mapped range maps frame `pfn` with MOD
    /// set (at a quiescent point: reads the PTEs).
    fn modified_in_pte(&self, pfn: u64) -> bool;

    /// The HAT's own invariants at a quiescent point.
    fn check_quiescent(&self);

    // devmap (seg_dev.c): device mappings in the user address space the
    // machine's CPUs run. Machine addresses from `user_range`; frames from
    // DEVICE_PFN_BASE, which no page_t has.

    /// The machine address of the first page a segment driver may map in
    /// the user address space, and how many pages it may map.
    fn user_range(&self) -> (u64, u64);

    /// `hat_devload(hat, va, PAGESIZE, pfn, PROT_READ | PROT_WRITE,
    /// flags)` of device frame `pfn` (no `page_t`, so no hment and no
    /// mapping count); `lock`: `HAT_LOAD_LOCK`. A valid entry mapping
    /// another frame is a `PANIC` (hati_pte_map refuses to change the
    /// frame of a mapping without `HAT_LOAD_REMAP`).
    fn hat_devload(&self, va: u64, pfn: u64, lock: bool);

    /// `hat_unload(hat, va, npages * PAGESIZE, HAT_UNLOAD)` in the user
    /// address space: every valid entry of the range invalidated, with a
    /// shootdown of every CPU that may cache it; device frames have no
    /// `page_t` to sync REF/MOD into.
    fn hat_unload_range(&self, va: u64, npages: u64);

    /// `hat_unlock(hat, va, npages * PAGESIZE)`: the locks `HAT_LOAD_LOCK`
    /// took on the range's entries are dropped.
    fn hat_unlock(&self, va: u64, npages: u64);

    // ---- vm_pvn.c (issue 16): the page-based calls of the pvn port ----

    /// The pages the HAT maps.
    fn pages(&self) -> &Pages;

    /// `hat_memload(kas.a_hat, va, pp, prot, flag)` with `PROT_WRITE` only
    /// if `writable` (a `VMODSORT` page that is not yet modified is loaded
    /// read-only, seg_map.c:758-765). Loading write permission over a
    /// read-only translation of the same page adds it (`x86pte_set`
    /// keeps REF/MOD).
    fn hat_memload_prot(&self, va: u64, pp: usize, writable: bool) -> Loaded;

    /// `hat_pageunload(pp, HAT_FORCE_PGUNLOAD)` of a page the caller holds
    /// exclusive: every translation invalidated and shot down, its REF/MOD
    /// synced into `p_nrm`.
    fn hat_pageunload(&self, pp: usize);

    /// `hat_pagesync(pp, flags)` of a page the caller holds: the REF/MOD
    /// of every translation synced into `p_nrm` (cleared in the PTEs, with
    /// a shootdown, under [`HAT_SYNC_ZERORM`]); returns `p_nrm`'s REF/MOD.
    fn hat_pagesync(&self, pp: usize, flags: u32) -> u32;

    /// `hati_page_clrwrt(pp)`: write permission, REF and MOD removed from
    /// every translation (REF/MOD synced into `p_nrm`), with a shootdown.
    fn hat_page_clrwrt(&self, pp: usize);

    /// `hat_clrrefmod(pp)` (`hat_page_clrattr(pp, P_REF | P_MOD)`):
    /// `p_nrm`'s REF/MOD cleared; a `VMODSORT` page loses write permission
    /// everywhere, so its next write faults and sets MOD again.
    fn hat_clrrefmod(&self, pp: usize) {
        clrrefmod(self, pp);
    }

    /// Whether a valid PTE of the range maps page `pp` with MOD set
    /// (ghost: no scheduling point; for checks at any step).
    fn peek_modified(&self, pp: usize) -> bool;

    /// `hat_ismod(pp)`: MOD in `p_nrm` (no lock).
    fn hat_ismod(&self, pp: usize) -> bool {
        self.pages().getattr(pp, P_MOD) != 0
    }

    /// `hat_setmod_only(pp)`: MOD set, the page left in place on its ring.
    fn hat_setmod_only(&self, pp: usize) {
        self.pages().setmod_only(pp);
    }

    /// `hat_page_getattr(pp, mask)`.
    fn hat_page_getattr(&self, pp: usize, mask: u32) -> u32 {
        self.pages().getattr(pp, mask)
    }
}

/// `hat_clrrefmod(pp)` of any HAT (the default of [`Hat::hat_clrrefmod`],
/// which a HAT that keeps a record of written pages extends).
pub fn clrrefmod<H: Hat + ?Sized>(hat: &H, pp: usize) {
    hat.pages().clear_refmod(pp);
    if hat.pages().vmodsort(pp) {
        hat.hat_page_clrwrt(pp);
    }
}

/// The first device frame number (device registers and memory that no
/// `page_t` describes, as `devmap_devmem_setup` maps them): far above
/// every page's frame ([`super::page::PFN_BASE`] + pages).
pub const DEVICE_PFN_BASE: u64 = 0x1000;

/// Whether `pfn` is a device frame (no `page_t`).
pub fn is_device_pfn(pfn: u64) -> bool {
    pfn >= DEVICE_PFN_BASE
}
