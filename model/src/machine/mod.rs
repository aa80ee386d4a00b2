//! The x86 MMU as the seeds rely on it (htable.c, `x86pte_*` and
//! `hat_tlb_inval`): PTEs that software changes only by compare-and-swap
//! while hardware sets REF and MOD in them, per-CPU caches of leaf
//! translations and of paging-structure entries, walks, and shootdowns.
//!
//! * [`pte`]: the entry bits and helpers.
//! * [`Pte`]: one entry, with the software and hardware operations on it.
//! * [`Mmu`]: page tables in an arena, CPUs and their caches, `access`,
//!   `hat_tlb_inval`, and the freeing paths that check no CPU still
//!   translates through what they free.
//!
//! Checks: [`crate::check::MMU_REFMOD_LOST`] (a software store discards
//! REF/MOD it never saw, [`Pte::store`]), [`crate::check::MMU_STALE_TLB`]
//! (a table freed or a page released while a CPU still caches something
//! through it, [`Mmu::free_table`], [`Mmu::assert_untranslated`]), and
//! [`crate::check::MEM_UAF`] from the table arena when a CPU walks through
//! a freed table; and the outcome check [`crate::check::MMU_COHERENCE`]
//! (every cached entry agrees with the tables whenever no operation on its
//! address is live, and at the end; see [`Operation`]).

mod cell;
mod coherence;
mod mmu;
pub mod pte;
mod tlb;

pub use cell::Pte;
pub use coherence::Operation;
pub use mmu::{Demap, Fault, HwMod, Mmu, MmuConfig, PageTable, WriteObserver};
