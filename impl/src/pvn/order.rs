//! pvn's lock order as one table.

use crate::vm::page::{HMENT, IOLOCK, PAGE, PSTRUCT};
use crate::vm::vnode::{VPHM, VVMLOCK, V_LOCK};
use model::lockdep::{Exception, LockOrder, Nesting};

/// `VVMLOCK` first: a walker holds it across the whole walk and takes
/// every other lock under it (vm_pvn.c:782-985). Then the page lock, the
/// page's I/O lock (taken with the page held, 612-617), `page_struct_lock`
/// (`p_lckcnt`, with the page held); the mapping-list mutex (the x86 HAT's
/// `hat_pageunload` / `hat_pagesync` with the page held, 631-633); the
/// vnode page mutex (`hat_page_setattr` moves a `VMODSORT` page under the
/// mapping-list mutex; `pvn_write_done` takes it with the page and its
/// I/O lock held, 406-412); `v_lock` with nothing else (768-783, 981-984).
///
/// Exceptions, all by try only: the vnode page mutex before a page (909:
/// `page_lock` drops the mutex before it waits, and fails; 930:
/// `page_trylock`); a page before another page and an I/O lock before a
/// page (the klusters' neighbours, 275, 287; `page_create_va` without
/// `PG_WAIT`, 167, 187); an I/O lock before another (`pvn_getdirty`'s
/// try with `B_DELWRI`, 612; `page_create_va` I/O-locks the pages it
/// returns, whose locks nobody else can hold).
pub static LOCK_ORDER: LockOrder = LockOrder {
    subsystem: "pvn",
    ranks: RANKS,
    exceptions: EXCEPTIONS,
};

/// The ranks of [`LOCK_ORDER`] (shared with the kernel-wide order).
pub(crate) const RANKS: &[&[&str]] = &[
    &[VVMLOCK],
    &[PAGE],
    &[IOLOCK, PSTRUCT],
    &[HMENT],
    &[VPHM, V_LOCK],
];

/// The nestings against pvn's ranks (shared with the kernel-wide order).
pub(crate) const EXCEPTIONS: &[Exception] = &[
    Exception {
        held: VPHM,
        taken: PAGE,
        nesting: Nesting::TryOnly,
        why: "pvn_vplist_dirty locks a page under the vnode page mutex only with page_lock, which drops the mutex before it waits and then fails (vm_pvn.c:909-910), or with page_trylock (930)",
    },
    Exception {
        held: PAGE,
        taken: PAGE,
        nesting: Nesting::TryOnly,
        why: "pvn_write_kluster takes the neighbours of a locked page with page_lookup_nowait (vm_pvn.c:275, 287); pvn_read_kluster creates them with page_create_va without PG_WAIT (167, 187)",
    },
    Exception {
        held: IOLOCK,
        taken: PAGE,
        nesting: Nesting::TryOnly,
        why: "the same kluster tries, with the first page's I/O lock held (vm_pvn.c:275, 287, 167, 187)",
    },
    Exception {
        held: IOLOCK,
        taken: IOLOCK,
        nesting: Nesting::TryOnly,
        why: "a neighbour's I/O lock in a write kluster only by pvn_getdirty's page_io_trylock (B_DELWRI, vm_pvn.c:611-615); page_create_va I/O-locks each page it creates for pvn_read_kluster (167, 187) while holding the others, a lock nobody else can hold (the page is new and exclusive): the model takes it with a try",
    },
];
