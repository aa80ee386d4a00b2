//! The retry hint of the seeds' `goto retry` loops, per operation.
//!
//! [`retry`](super::retry) yields, which loom needs to bound a loop that
//! spins until another thread moves (GUIDE trap 2). But loom does not run a
//! thread that yielded until another thread has taken a step, so yielding
//! on every pass removes the interleavings in which the retrying thread
//! goes straight round while another thread is still inside a critical
//! section. segmap's finding F2 lives in exactly such an interleaving (the
//! allocator flips the queues and goes round again while the releaser still
//! holds the slot mutex), and a yield on the first pass hid it. So the first
//! pass of an operation goes round without yielding and every later pass
//! yields: a loop still cannot spin unboundedly, and the first retry is
//! explored both ways.

/// Counts the passes of one operation's retry loops.
#[derive(Debug, Default)]
pub struct Retries(u32);

impl Retries {
    pub fn new() -> Self {
        Retries(0)
    }

    /// Called before every `goto retry`.
    #[track_caller]
    pub fn again(&mut self) {
        self.0 += 1;
        if self.0 > 1 {
            super::retry();
        } else {
            super::went_round();
        }
    }
}
