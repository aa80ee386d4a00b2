//! A sequential reference model of one file's pages under vm_pvn.c's
//! write-back: per page whether it is in memory, free, modified, mapped,
//! how many of its writes completed, and how many mlocks hold it; what
//! each operation does to them and what it returns, said declaratively
//! (which pages a walk writes, which it frees or destroys, which end
//! clean), not by walking a ring. [`refine`] runs a program on one thread
//! against the port and compares after every step.

use subsys::pvn::{PageView, Pvn, B_ASYNC, B_FREE, B_INVAL, B_TRUNC, EIO};
use subsys::vm::param::PAGESIZE;

/// One step of a sequential program (pages by number).
#[derive(Clone, Copy, Debug)]
pub enum SeqOp {
    /// A CPU writes (`true`) or reads the page, faulting it in if needed.
    Access(usize, bool),
    /// `pvn_vplist_dirty(vp, 0, flags)`.
    Walk(u32),
    /// `VOP_PUTPAGE` of one page with `flags`.
    Putpage(usize, u32),
    /// Read-ahead of the page.
    ReadAhead(usize),
    /// Prefetch of the page (`pvn_io_done`).
    Prefetch(usize),
    /// mlock of the page (skipped if it is not in memory).
    Mlock(usize),
    /// munlock (skipped unless the page is locked).
    Munlock(usize),
    /// `pvn_vplist_setdirty` choosing the page (skipped unless it is in
    /// memory and not free).
    Setdirty(usize),
    /// Truncation of the page (`VOP_PUTPAGE(B_INVAL | B_TRUNC)`; skipped
    /// if it is locked in memory).
    Truncate(usize),
}

/// The reference state: per page, what [`PageView`] shows, and mlocks.
#[derive(Clone, Debug)]
struct Spec {
    pages: Vec<PageView>,
    locks: Vec<u32>,
    failing: u64,
    low_memory: bool,
    modsort: bool,
}

impl Spec {
    fn fails(&self, n: usize) -> bool {
        self.failing & (1 << n) != 0
    }

    /// A fault or a look-up: read in if missing, reclaimed if free.
    fn bring_in(&mut self, n: usize) {
        let p = &mut self.pages[n];
        if !p.present {
            *p = PageView {
                present: true,
                writes: p.writes,
                ..PageView::default()
            };
        }
        p.free = false;
    }

    fn destroy(&mut self, n: usize) {
        let w = self.pages[n].writes;
        self.pages[n] = PageView {
            writes: w,
            ..PageView::default()
        };
    }

    fn free(&mut self, n: usize) {
        self.pages[n].free = true;
        self.pages[n].mapped = false;
    }

    /// What `pvn_getdirty` and the write do to page `n` (in memory, not
    /// free); returns whether a write failed.
    fn process(&mut self, n: usize, flags: u32) -> bool {
        let drops = flags & (B_INVAL | B_FREE) != 0;
        if drops && flags & B_TRUNC == 0 && self.locks[n] > 0 {
            return false;
        }
        if drops {
            self.pages[n].mapped = false;
        }
        if !self.pages[n].dirty || flags & B_TRUNC != 0 {
            if flags & B_INVAL != 0 {
                self.destroy(n);
            } else if flags & B_FREE != 0 || (!self.pages[n].mapped && self.locks[n] == 0) {
                self.free(n);
            }
            return false;
        }
        if self.fails(n) {
            return true;
        }
        let p = &mut self.pages[n];
        p.dirty = false;
        p.writes += 1;
        if flags & B_INVAL != 0 {
            self.destroy(n);
        } else if (flags & B_FREE != 0 || self.low_memory || !self.pages[n].mapped)
            && self.locks[n] == 0
        {
            self.free(n);
        }
        false
    }

    fn walk(&mut self, flags: u32) -> i32 {
        let mut failed = false;
        for n in 0..self.pages.len() {
            let p = self.pages[n];
            if !p.present {
                continue;
            }
            if p.free {
                if flags & B_INVAL != 0 {
                    self.destroy(n);
                }
                continue;
            }
            // A VMODSORT write-back stops at the first clean page: with
            // the modified pages at the tail, only they are visited.
            if self.modsort && flags & (B_INVAL | B_FREE | B_TRUNC) == 0 && !p.dirty {
                continue;
            }
            failed |= self.process(n, flags);
        }
        if failed && flags & B_ASYNC == 0 {
            EIO
        } else {
            0
        }
    }

    fn putpage(&mut self, n: usize, flags: u32) -> i32 {
        let p = self.pages[n];
        if !p.present {
            return 0;
        }
        let nowait = flags & B_ASYNC != 0 && flags & B_INVAL == 0;
        if p.free {
            if nowait {
                return 0;
            }
            self.bring_in(n);
        }
        let failed = self.process(n, flags);
        if failed && flags & B_ASYNC == 0 {
            EIO
        } else {
            0
        }
    }
}

/// Runs `ops` on `pvn` (a world of `pvn.config().npages` pages, no I/O
/// actor) and on the reference model; after every step the pages and
/// every returned error must agree.
pub fn refine(pvn: &Pvn, ops: &[SeqOp]) -> Result<(), String> {
    let cfg = *pvn.config();
    let n = cfg.npages as usize;
    let mut spec = Spec {
        pages: vec![PageView::default(); n],
        locks: vec![0; n],
        failing: cfg.failing,
        low_memory: cfg.memory == subsys::pvn::Memory::Low,
        modsort: cfg.modsort,
    };
    let off = |p: usize| p as u64 * PAGESIZE;
    for (i, op) in ops.iter().enumerate() {
        let (got, want) = match *op {
            SeqOp::Access(p, write) => {
                let landed = pvn.cpu_access(0, off(p), write);
                spec.bring_in(p);
                spec.pages[p].mapped = true;
                spec.pages[p].dirty |= write;
                (i32::from(landed), 1)
            }
            SeqOp::Walk(flags) => (pvn.pvn_vplist_dirty(0, flags), spec.walk(flags)),
            SeqOp::Putpage(p, flags) => (pvn.putpage(off(p), flags), spec.putpage(p, flags)),
            SeqOp::ReadAhead(p) => {
                pvn.read_ahead(off(p), 1);
                // With memory low a read-ahead gives up (vm_pvn.c:116-118).
                if !spec.pages[p].present && !spec.low_memory {
                    spec.bring_in(p);
                    spec.free(p);
                }
                (0, 0)
            }
            SeqOp::Prefetch(p) => {
                pvn.prefetch(off(p));
                if !spec.pages[p].present {
                    spec.bring_in(p);
                }
                (0, 0)
            }
            SeqOp::Mlock(p) => {
                if !spec.pages[p].present {
                    continue;
                }
                pvn.mlock(off(p), false);
                spec.bring_in(p);
                spec.locks[p] += 1;
                (0, 0)
            }
            SeqOp::Munlock(p) => {
                if spec.locks[p] == 0 {
                    continue;
                }
                pvn.munlock(off(p), false);
                spec.locks[p] -= 1;
                (0, 0)
            }
            SeqOp::Setdirty(p) => {
                if !spec.pages[p].present || spec.pages[p].free {
                    continue;
                }
                pvn.pvn_vplist_setdirty(|o| o == off(p));
                spec.pages[p].dirty = true;
                (0, 0)
            }
            SeqOp::Truncate(p) => {
                if spec.locks[p] > 0 {
                    continue;
                }
                pvn.putpage(off(p), B_INVAL | B_TRUNC);
                if spec.pages[p].present {
                    spec.destroy(p);
                }
                (0, 0)
            }
        };
        if got != want {
            return Err(format!(
                "step {i} {op:?} returned {got}, the model {want} (program {ops:?})"
            ));
        }
        let view = pvn.view();
        if view != spec.pages {
            return Err(format!(
                "after step {i} {op:?}:\n  port  {view:?}\n  model {:?}\n(program {ops:?})",
                spec.pages
            ));
        }
    }
    Ok(())
}
