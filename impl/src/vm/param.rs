//! The sys/param.h sizes the VM layer and its users share (x86 values).

/// `MAXBSHIFT`: log2 of `MAXBSIZE`.
pub const MAXBSHIFT: u32 = 13;
/// `MAXBSIZE`: the largest file-system block, the size of one segmap
/// window.
pub const MAXBSIZE: u64 = 1 << MAXBSHIFT;
/// `MAXBOFFSET`.
pub const MAXBOFFSET: u64 = MAXBSIZE - 1;
/// `MAXBMASK`.
pub const MAXBMASK: u64 = !MAXBOFFSET;
/// `PAGESIZE` (x86).
pub const PAGESIZE: u64 = 0x1000;
/// `PAGESHIFT`.
pub const PAGESHIFT: u32 = 12;
/// `PAGEMASK`.
pub const PAGEMASK: u64 = !(PAGESIZE - 1);
