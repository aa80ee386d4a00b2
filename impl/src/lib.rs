//! The seed subsystems, ported once against `model`.
#![forbid(unsafe_code)]

pub mod segmap;
