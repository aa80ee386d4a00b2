//! The seed subsystems, ported once against `model`.
#![forbid(unsafe_code)]

pub mod devmap;
pub mod htable;
pub mod order;
pub mod pcache;
pub mod pvn;
pub mod segmap;
pub mod vm;
