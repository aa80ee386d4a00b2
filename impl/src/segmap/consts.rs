//! Constants of seg_map.h and seg_map.c that the port uses, with the values
//! illumos gives them, and the sys/param.h sizes of the VM layer.

pub use crate::vm::param::*;
/// `SMAP_HASHAVELEN`: the average chain length `segmap_create` sizes the
/// hash table for (seg_map.c:382).
pub const SMAP_HASHAVELEN: usize = 4;
/// `SEGMAP_MAXCOLOR` (seg_map.c:210).
pub const SEGMAP_MAXCOLOR: u32 = 2;

/// Base address of the model's `segkmap` segment: window `i` starts at
/// `SEGKMAP_BASE + i * MAXBSIZE` (seg_map.c:1955). Any MAXBSIZE-aligned
/// value would do.
pub const SEGKMAP_BASE: u64 = 0x1000_0000;

// sm_flags (seg_map.h).
/// A page was created by `segmap_pagecreate_kpm` (segkpm only).
pub const SM_KPM_NEWPAGE: u64 = 0x01;
/// The slot was released through its segkmap address, not a kpm one.
pub const SM_NOTKPM_RELEASED: u64 = 0x02;
/// The slot is on `sm_freeq[0]` of its freelist (else on `sm_freeq[1]`).
pub const SM_QNDX_ZERO: u64 = 0x04;
/// The window was taken for reading (segkpm only).
pub const SM_READ_DATA: u64 = 0x10;
/// The window was taken for writing (segkpm only).
pub const SM_WRITE_DATA: u64 = 0x20;

// segmap_release flags (seg_map.h).
/// Write the pages back.
pub const SM_WRITE: u32 = 0x01;
/// Write asynchronously (modifies `SM_WRITE`).
pub const SM_ASYNC: u32 = 0x02;
/// Free the pages.
pub const SM_FREE: u32 = 0x04;
/// Invalidate: drop the slot's identity (and the pages).
pub const SM_INVAL: u32 = 0x08;
/// Pages are less likely to be needed soon (modifies `SM_FREE`).
pub const SM_DONTNEED: u32 = 0x10;
/// Like `SM_INVAL`, and do not write the pages back.
pub const SM_DESTROY: u32 = 0x20;

// forcefault values of segmap_getmapflt (seg_map.h).
/// Create the page, no I/O (segkpm); 0 means "no prefault" otherwise.
pub const SM_PAGECREATE: u32 = 0x00;
/// Fault the pages in now.
pub const SM_FAULT: u32 = 0x01;
/// The caller follows the lock/unlock protocol.
pub const SM_LOCKPROTO: u32 = 0x02;

// Protections VOP_GETPAGE grants (sys/mman.h).
/// `PROT_WRITE`.
pub const PROT_WRITE: u32 = 0x2;
/// `PROT_ALL`: read, write, execute, user.
pub const PROT_ALL: u32 = 0xf;

// buf flags VOP_PUTPAGE receives (sys/buf.h).
/// `B_ASYNC`.
pub const B_ASYNC: u32 = 0x0000_0400;
/// `B_INVAL`.
pub const B_INVAL: u32 = 0x0001_0000;
/// `B_FREE`.
pub const B_FREE: u32 = 0x0000_8000;
/// `B_DONTNEED`.
pub const B_DONTNEED: u32 = 0x0000_2000;
/// `B_TRUNC`.
pub const B_TRUNC: u32 = 0x0010_0000;

/// The null slot pointer in link fields (`NULL` in the seed).
pub const NIL: u64 = u64::MAX;

/// `enum fault_type`: what `segmap_fault` is asked to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultType {
    /// `F_INVAL`: load the translations (a prefault or a real fault).
    Invalid,
    /// `F_SOFTLOCK`: load and lock them, keeping the pages locked.
    SoftLock,
    /// `F_SOFTUNLOCK`: undo an `F_SOFTLOCK` (or a `segmap_pagecreate`).
    SoftUnlock,
}

/// `EIO`.
pub const EIO: i32 = 5;

/// `enum seg_rw`: the access a window is taken for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SegRw {
    Read,
    Write,
    Other,
}
