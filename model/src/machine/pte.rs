//! x86 page-table entry bits (illumos `PT_*`) and helpers.
//!
//! Only the bits the seeds' protocols look at are modelled. A PTE's frame
//! number is a physical page for a leaf entry; for a link to a lower table
//! (a "PTP") it is the child table's arena [`Handle`], which is what makes
//! a walk through a freed table a reported use after free.

use crate::kernel::Handle;

/// Present: the entry translates (x86 P).
pub const PT_VALID: u64 = 0x001;
/// Writes allowed (x86 R/W).
pub const PT_WRITABLE: u64 = 0x002;
/// User-mode access allowed (x86 U/S).
pub const PT_USER: u64 = 0x004;
/// Accessed: set by the MMU when it caches a translation (x86 A).
pub const PT_REF: u64 = 0x020;
/// Dirty: set by the MMU on the first write through a translation (x86 D).
pub const PT_MOD: u64 = 0x040;
/// A large-page leaf in an upper-level table (x86 PS). Large pages are not
/// walked by this model; the bit exists for ports of `x86pte_set`'s
/// large-page collision test (htable.c:2126).
pub const PT_PAGESIZE: u64 = 0x080;
/// The bits hardware sets and software must never lose.
pub const PT_REFMOD: u64 = PT_REF | PT_MOD;
/// The frame number field, bits 12-51.
pub const PT_PADDR: u64 = 0x000f_ffff_ffff_f000;
/// log2 of the page size.
pub const PAGESHIFT: u32 = 12;
/// The bits of a link to a lower table. illumos creates links with REF and
/// MOD already set so that hardware never writes them (htable.c:2157-2160),
/// and `link_ptp` / `unlink_ptp` change them only between 0 and this value
/// (htable.c:1131, 1085).
pub const PT_PTPBITS: u64 = PT_VALID | PT_WRITABLE | PT_USER | PT_REF | PT_MOD;

/// Whether `pte` translates (`PTE_ISVALID`).
pub fn pte_valid(pte: u64) -> bool {
    pte & PT_VALID != 0
}

/// The frame number of `pte` (`PTE2PFN`).
pub fn pte_pfn(pte: u64) -> u64 {
    (pte & PT_PADDR) >> PAGESHIFT
}

/// A valid leaf entry mapping `pfn` with `flags` (`PT_WRITABLE`, ...).
pub fn make_pte(pfn: u64, flags: u64) -> u64 {
    ((pfn << PAGESHIFT) & PT_PADDR) | (flags & !PT_PADDR) | PT_VALID
}

/// A link to the lower table `child` (`MAKEPTP`).
pub fn make_ptp(child: Handle) -> u64 {
    make_pte(child.to_bits(), PT_PTPBITS)
}

/// The lower table a valid link points to.
pub fn ptp_child(pte: u64) -> Option<Handle> {
    if pte_valid(pte) {
        Handle::from_bits(pte_pfn(pte))
    } else {
        None
    }
}

/// Whether two entries map the same frame (the test `x86pte_set` uses to
/// keep REF/MOD, htable.c:2104).
pub fn same_frame(a: u64, b: u64) -> bool {
    (a ^ b) & PT_PADDR == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_are_the_x86_ones() {
        assert_eq!(PT_VALID, 1 << 0);
        assert_eq!(PT_WRITABLE, 1 << 1);
        assert_eq!(PT_USER, 1 << 2);
        assert_eq!(PT_REF, 1 << 5);
        assert_eq!(PT_MOD, 1 << 6);
        assert_eq!(PT_PAGESIZE, 1 << 7);
        assert_eq!(PT_PADDR.trailing_zeros(), 12);
        assert_eq!(PT_PADDR.count_ones(), 40);
    }

    #[test]
    fn make_pte_round_trips() {
        let p = make_pte(0x42, PT_WRITABLE | PT_MOD);
        assert!(pte_valid(p));
        assert_eq!(pte_pfn(p), 0x42);
        assert_eq!(p & PT_REFMOD, PT_MOD);
        // Flags never spill into the frame, nor the frame into flags.
        let q = make_pte(0x42, PT_PADDR | PT_USER);
        assert_eq!(pte_pfn(q), 0x42);
        assert_eq!(q & !PT_PADDR, PT_USER | PT_VALID);
        assert!(!pte_valid(0));
        assert!(same_frame(p, q));
        assert!(!same_frame(p, make_pte(0x43, PT_WRITABLE)));
    }

    #[test]
    fn ptp_round_trips_a_handle() {
        let h = Handle::from_bits(3 << 16 | 2).unwrap();
        let p = make_ptp(h);
        assert_eq!(ptp_child(p), Some(h));
        assert_eq!(p & !PT_PADDR, PT_PTPBITS);
        assert_eq!(ptp_child(p & !PT_VALID), None);
        assert_eq!(ptp_child(0), None);
    }
}
