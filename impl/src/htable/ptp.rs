//! Links between tables: `link_ptp` and `unlink_ptp` (htable.c:1070-1146).
//! Both run with the child's bucket mutex held and change the parent's
//! entry only by compare-and-swap between 0 and the link (H7).

use super::checks::{HTABLE_H5, HTABLE_H7};
use super::hat::HAT_FREEING;
use super::ht::HTABLE_SHARED_PFN;
use super::ids::Ht;
use super::world::World;
use model::check;
use model::machine::pte::{make_ptp, PT_REF};
use model::machine::Demap;
use model::sync::Ordering::Relaxed;

impl World {
    /// `unlink_ptp` (1074-1112): clears `higher`'s link to `old`, then
    /// (unless the hat is being freed) shoots down the address so that no
    /// CPU keeps a paging-structure entry through `old` (1098-1109), then
    /// uncounts the entry.
    pub(crate) fn unlink_ptp(&self, higher: Ht, old: Ht, vaddr: u64) {
        let hid = self.ht(higher).id.get();
        let oid = self.ht(old).id.get();
        let entry = self.va2entry(vaddr, hid.level);
        let opfn = oid.pfn.expect("unlink_ptp: PFN_INVALID");
        let expect = make_ptp(opfn);
        let hat = self.hat(oid.hat.expect("unlink_ptp: htable without a hat"));
        let _op = self
            .mmu
            .operation(oid.vaddr, self.level_size(hid.level), "unlink_ptp");
        // The mutant skips the shootdown and the point check after it: the
        // outcome check when `_op` ends must still see the stale link.
        let unchecked = model::mutant(super::mutants::UNLINK_NO_INVAL_UNCHECKED);
        model::seed("htable.c:1085");
        let found = if model::mutant(super::mutants::UNLINK_KEEP_LINK) {
            expect
        } else {
            self.x86pte_cas(&hid, entry, expect, 0)
        };
        check!(
            found == expect,
            HTABLE_H7,
            "unlink_ptp by thread {}: entry {entry} of htable {} is {found:#x}, not the link {expect:#x} to htable {}",
            model::exec::tid(),
            higher.0,
            old.0
        );
        model::seed("htable.c:1106");
        let flags = hat.flags();
        if flags & HAT_FREEING == 0 {
            if !model::mutant(super::mutants::UNLINK_NO_INVAL) && !unchecked {
                model::cover(super::windows::UNLINK_INVAL);
                self.hat_tlb_inval(&hat, Demap::Va(oid.vaddr));
            }
            // A shared table's page stays in use by its ISM hat, whose
            // translations through it `hat_unshare` shoots down at the end.
            if self.reaches_cpus(&hat, flags) && oid.flags & HTABLE_SHARED_PFN == 0 && !unchecked {
                if let Some(why) = self.mmu.cached_through(opfn) {
                    check::fail(
                        HTABLE_H5,
                        format!(
                            "after unlink_ptp of htable {} (va {:#x}) and its shootdown by thread {}, {why}",
                            old.0,
                            oid.vaddr,
                            model::exec::tid()
                        ),
                    );
                }
            }
        }
        model::seed("htable.c:1111");
        self.ht(higher).valid.fetch_sub(1, Relaxed);
    }

    /// `link_ptp` (1118-1146): counts the entry first, then installs the
    /// link to `new` where `higher`'s entry must be 0.
    pub(crate) fn link_ptp(&self, higher: Ht, new: Ht, vaddr: u64) {
        let hi = self.ht(higher);
        let hid = hi.id.get();
        let nid = self.ht(new).id.get();
        let entry = self.va2entry(vaddr, hid.level);
        let newptp = make_ptp(nid.pfn.expect("link_ptp: PFN_INVALID"));
        // No CPU can cache the new link before it is installed; the
        // operation covers the install itself (on real threads the ghost
        // copy of the entry follows the CAS a moment later).
        let _op = self
            .mmu
            .operation(vaddr, self.level_size(hid.level), "link_ptp");
        model::seed("htable.c:1129");
        hi.valid.fetch_add(1, Relaxed);
        let found = self.x86pte_cas(&hid, entry, 0, newptp);
        check!(
            found & !PT_REF == 0,
            HTABLE_H7,
            "link_ptp by thread {}: entry {entry} of htable {} is {found:#x}, not 0, where htable {} is linked",
            model::exec::tid(),
            higher.0,
            new.0
        );
    }
}
