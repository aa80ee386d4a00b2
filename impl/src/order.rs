//! The kernel-wide lock order: each subsystem's table (`segmap::LOCK_ORDER`,
//! `pcache::LOCK_ORDER`, `devmap::LOCK_ORDER`, `htable::LOCK_ORDER`,
//! `pvn::LOCK_ORDER`), composed over the VM
//! layer's shared classes (the page lock, the mapping-list mutex), for
//! scenarios whose threads cross subsystems (segmap on the x86 HAT).
//!
//! The composition puts segmap above the HAT: segmap calls `hat_memload`
//! with a page locked (seg_map.c:765, 1480) and `hat_unload` with a slot
//! mutex held (grab_smp 1177-1179, release 2099-2101), and the HAT never
//! calls back into segmap, so every segmap class ranks before every
//! htable class. The page lock, shared, keeps its place at the bottom of
//! segmap's table, before the mapping-list mutex (the page lock is taken
//! before `x86_hm_enter`: `hat_page_is_mapped` and `hati_pte_map` run with
//! the page held). Each subsystem's exceptions carry over unchanged (htable
//! has none).
//!
//! pcache ranks after the page lock and before the HAT: its callers hand
//! it shadow lists of pages they hold locked (seg_pinsert, seg_pinactive),
//! and the reclaim callbacks, the segment driver's code that unlocks those
//! pages and may reach the HAT, run with no pcache lock but the purge
//! thread's `seg_pasync_mtx` held (vm_seg.c:1544-1551, 1172-1173). pcache
//! and segmap never nest: segkmap has no pagelock (seg_map.c:2176-2180
//! returns ENOTSUP), so no pcache call runs under a segmap lock, and
//! pcache calls nothing of segmap; their relative place is free, and
//! pcache's ranks follow segmap's. `composes` (below) checks that the
//! composition judges every nesting within one subsystem as that
//! subsystem's table does.
//!
//! devmap ranks before the HAT and after pcache: seg_dev.c loads and
//! unloads device translations (`hat_devload`, `hat_unload`,
//! `hat_unlock`) holding the address-space lock, `dh_lock` and
//! `sdp->lock` (seg_dev.c:1958-2015, 3526-3534), and the HAT never calls
//! back into it; it shares no lock with segmap or pcache (its page lock
//! is never taken: device frames have no `page_t`), so its place among
//! them is free.
//!
//! pvn's `VVMLOCK` ranks first (a walker takes every other lock under it,
//! and calls the file system's putapage, which reaches the HAT), its I/O
//! lock and `page_struct_lock` right after the page lock (both are taken
//! with the page held, vm_pvn.c:612-617), and its vnode page mutex and
//! `v_lock` last: `hat_page_setattr` takes the vnode page mutex under the
//! mapping-list mutex, and nothing is taken under it but a page by
//! `page_lock`'s drop-and-fail or a try (an exception pvn's table lists,
//! carried over with its others).

use crate::devmap::order::RANKS as DEVMAP;
use crate::htable::order::{BUCKET, HAT, HAT_LIST, HCI, RESERVE};
use crate::pcache::order::RANKS as PCACHE;
use crate::segmap::{CHAIN, QUEUE, SLOT};
use crate::vm::page::{HMENT, IOLOCK, PAGE, PSTRUCT};
use crate::vm::vnode::{VPHM, VVMLOCK, V_LOCK};
use model::lockdep::{Exception, LockOrder};

/// The kernel-wide order: pvn's `VVMLOCK`, the page lock, pvn's I/O lock
/// and `page_struct_lock`, segmap's ranks, pcache's, htable's, then pvn's
/// vnode page mutex and `v_lock`.
pub static KERNEL_ORDER: LockOrder = LockOrder {
    subsystem: "kernel",
    ranks: &[
        &[VVMLOCK],
        &[PAGE],
        &[IOLOCK, PSTRUCT],
        &[SLOT],
        &[CHAIN, QUEUE],
        PCACHE[0],
        PCACHE[1],
        PCACHE[2],
        PCACHE[3],
        DEVMAP[0],
        DEVMAP[1],
        DEVMAP[2],
        DEVMAP[3],
        DEVMAP[4],
        &[HAT_LIST],
        &[HMENT],
        &[BUCKET],
        &[HCI],
        &[HAT, RESERVE],
        &[VPHM, V_LOCK],
    ],
    exceptions: &EXCEPTIONS,
};

/// Every subsystem's exceptions (htable has none).
const EXCEPTIONS: [Exception; SEGMAP.len() + PCACHE_EX.len() + PVN_EX.len()] = concat(
    &concat::<{ SEGMAP.len() + PCACHE_EX.len() }>(SEGMAP, PCACHE_EX),
    PVN_EX,
);
const SEGMAP: &[Exception] = crate::segmap::order::EXCEPTIONS;
const PCACHE_EX: &[Exception] = crate::pcache::order::EXCEPTIONS;
const PVN_EX: &[Exception] = crate::pvn::order::EXCEPTIONS;

/// `a` then `b`, as one array of `N` (their lengths' sum).
const fn concat<const N: usize>(a: &[Exception], b: &[Exception]) -> [Exception; N] {
    let mut out = [a[0]; N];
    let mut i = 0;
    while i < N {
        out[i] = if i < a.len() { a[i] } else { b[i - a.len()] };
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::KERNEL_ORDER;
    use model::lockdep::{judge, How, Verdict};

    /// Within each subsystem the composition says what its own table says,
    /// for every pair of its classes and both kinds of acquisition, except
    /// where a class two subsystems share (the page lock) nests in a way
    /// another subsystem's table lists as an exception: the kernel order
    /// is the union (pvn's klusters try a page while holding one, which
    /// segmap never does).
    #[test]
    fn composes() {
        let parts = [
            &crate::segmap::LOCK_ORDER,
            &crate::pcache::LOCK_ORDER,
            &crate::devmap::LOCK_ORDER,
            &crate::htable::LOCK_ORDER,
            &crate::pvn::LOCK_ORDER,
        ];
        for part in parts {
            let classes: Vec<&str> = part.ranks.iter().flat_map(|r| r.iter().copied()).collect();
            for &held in &classes {
                for &taken in &classes {
                    for how in [How::Blocking, How::Try] {
                        let own = judge(&[part], held, taken, how);
                        let all = judge(&[&KERNEL_ORDER], held, taken, how);
                        let others = matches!(all, Verdict::Excepted(_))
                            && parts.iter().any(|o| {
                                o.subsystem != part.subsystem && o.exception(held, taken).is_some()
                            });
                        assert!(
                            std::mem::discriminant(&own) == std::mem::discriminant(&all) || others,
                            "{held} -> {taken} ({how:?}): {} says {own:?}, the kernel order {all:?}",
                            part.subsystem
                        );
                    }
                }
            }
        }
    }
}
