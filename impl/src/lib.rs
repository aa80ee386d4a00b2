//! The seed subsystems, ported once against `model`. (Ports land with their issues.)
#![forbid(unsafe_code)]
