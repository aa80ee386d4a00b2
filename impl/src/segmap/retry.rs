//! The retry hint of the seed's `goto retry` loops, per operation.
//!
//! `model::sync::retry()` yields, which loom needs to bound a loop that
//! spins until another thread moves (GUIDE trap 2). But loom does not run a
//! thread that yielded until another thread has taken a step: a yield on
//! every pass therefore removes the interleavings in which the retrying
//! thread goes straight on while another thread is still inside a critical
//! section. Finding F2 lives in exactly such an interleaving (the
//! allocator flips the queues and goes round again while the releaser
//! still holds the slot mutex), and yielding on the first pass hid it. So
//! the first pass of an operation goes round without yielding, and every
//! later pass yields: a loop still cannot spin unboundedly, and the first
//! retry is explored both ways.

/// Counts the passes of one operation's retry loops.
pub(crate) struct Retries(u32);

impl Retries {
    pub(crate) fn new() -> Self {
        Retries(0)
    }

    /// Called before every `goto retry`.
    pub(crate) fn again(&mut self) {
        self.0 += 1;
        if self.0 > 1 {
            model::sync::retry();
        }
    }
}
