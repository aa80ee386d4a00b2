//! The kernel-wide lock order: each subsystem's table (`segmap::LOCK_ORDER`,
//! `htable::LOCK_ORDER`), composed over the VM layer's shared classes (the
//! page lock, the mapping-list mutex), for scenarios whose threads cross
//! subsystems (segmap on the x86 HAT).
//!
//! The composition puts segmap above the HAT: segmap calls `hat_memload`
//! with a page locked (seg_map.c:765, 1480) and `hat_unload` with a slot
//! mutex held (grab_smp 1177-1179, release 2099-2101), and the HAT never
//! calls back into segmap, so every segmap class ranks before every
//! htable class. The page lock, shared, keeps its place at the bottom of
//! segmap's table, before the mapping-list mutex (the page lock is taken
//! before `x86_hm_enter`: `hat_page_is_mapped` and `hati_pte_map` run with
//! the page held). Each subsystem's exceptions carry over unchanged (htable
//! has none). `composes` (below) checks that the composition judges every
//! nesting within one subsystem as that subsystem's table does.

use crate::htable::order::{BUCKET, HAT, HAT_LIST, HCI, RESERVE};
use crate::segmap::{CHAIN, QUEUE, SLOT};
use crate::vm::page::{HMENT, PAGE};
use model::lockdep::LockOrder;

/// The kernel-wide order: segmap's ranks, then htable's.
pub static KERNEL_ORDER: LockOrder = LockOrder {
    subsystem: "kernel",
    ranks: &[
        &[PAGE],
        &[SLOT],
        &[CHAIN, QUEUE],
        &[HAT_LIST],
        &[HMENT],
        &[BUCKET],
        &[HCI],
        &[HAT, RESERVE],
    ],
    exceptions: crate::segmap::order::EXCEPTIONS,
};

#[cfg(test)]
mod tests {
    use super::KERNEL_ORDER;
    use model::lockdep::{judge, How, LockOrder};

    /// Within each subsystem the composition says what its own table says,
    /// for every pair of its classes and both kinds of acquisition.
    #[test]
    fn composes() {
        let parts: [&LockOrder; 2] = [&crate::segmap::LOCK_ORDER, &crate::htable::LOCK_ORDER];
        for part in parts {
            let classes: Vec<&str> = part.ranks.iter().flat_map(|r| r.iter().copied()).collect();
            for &held in &classes {
                for &taken in &classes {
                    for how in [How::Blocking, How::Try] {
                        let own = judge(&[part], held, taken, how);
                        let all = judge(&[&KERNEL_ORDER], held, taken, how);
                        assert_eq!(
                            std::mem::discriminant(&own),
                            std::mem::discriminant(&all),
                            "{held} -> {taken} ({how:?}): {} says {own:?}, the kernel order {all:?}",
                            part.subsystem
                        );
                    }
                }
            }
        }
    }
}
