//! The callers and the hardware around vm_pvn.c, as small stand-ins: the
//! file system's `putapage` (klusters and starts the write) and its
//! per-page `VOP_PUTPAGE` (ufs_putpages' loop), the device (a write
//! completes inline, or for `B_ASYNC` on the I/O actor, which calls
//! `pvn_write_done`), a segment's fault path (segmap_faultpages' locking,
//! seg_map.c:740-767, with a read through `pvn_read_kluster` when the
//! page is not in memory), CPUs writing through the mappings, read-ahead,
//! and `page_pp_lock` for mlock.

use super::state::{Io, Pvn, B_ASYNC, B_ERROR, B_FREE, B_INVAL, B_WRITE, EIO, VP};
use super::windows::*;
use crate::vm::param::PAGESIZE;
use model::machine::Fault;
use model::sync::Se;
use model::{cover, exec};

impl Pvn {
    /// The file system's putapage (ufs_putapage stand-in, vm_pvn.c:965):
    /// klusters page `pp` (locked, I/O-locked, dirty) within its block of
    /// `kluster` pages and starts the write. Returns the write's error for
    /// a synchronous write, 0 for an asynchronous one.
    #[track_caller]
    pub(crate) fn putapage(&self, pp: usize, flags: u32) -> i32 {
        let _f = exec::call("putapage (stand-in)", "vm_pvn.c:965");
        let block = u64::from(self.cfg.kluster) * PAGESIZE;
        let vp_off = self.offset(pp) / block * block;
        let (plist, _, _) = self.pvn_write_kluster(pp, vp_off, block, flags);
        self.strategy(plist, flags)
    }

    /// `bdev_strategy` and, for a synchronous write, `biowait` and
    /// `pvn_write_done`; an asynchronous write hands its pages' locks to
    /// the I/O actor, whose callout completes it (without an actor it
    /// completes at once).
    fn strategy(&self, pages: Vec<usize>, flags: u32) -> i32 {
        let fails = pages.iter().any(|&p| self.cfg.failing & (1 << p) != 0);
        let id = self.io_starts(&pages);
        let io = Io {
            pages,
            flags,
            id,
            fails,
        };
        if flags & B_ASYNC == 0 {
            return self.biodone(io);
        }
        let Some(actor) = self.io.as_ref() else {
            // No I/O actor: the device completes the write at once (one
            // schedule of many); an asynchronous caller sees no error.
            self.biodone(io);
            return 0;
        };
        for &pp in &io.pages {
            let p = self.pages.page(pp);
            p.lock.page_give(actor.actor());
            p.io.page_io_give(actor.actor());
        }
        let me = self.me.upgrade().expect("the world is alive");
        actor.timeout(Box::new(move || {
            me.biodone(io);
        }));
        0
    }

    /// The write completes (`biodone`): `pvn_write_done` with `B_ERROR`
    /// if it failed; returns its error.
    fn biodone(&self, io: Io) -> i32 {
        let _f = exec::call("biodone (stand-in)", "vm_pvn.c:361");
        self.io_completes(&io);
        let err = if io.fails { B_ERROR } else { 0 };
        self.pvn_write_done(io.pages, err | B_WRITE | io.flags);
        if io.fails {
            EIO
        } else {
            0
        }
    }

    /// Ghost: an I/O of `pages` starts (V5: each page I/O-locked, in no
    /// other I/O).
    fn io_starts(&self, pages: &[usize]) -> u64 {
        for &pp in pages {
            if !self.pages.page(pp).io.locked() {
                model::check::fail(
                    super::checks::PVN_V5,
                    format!("a write of page {pp} starts without its I/O lock"),
                );
            }
        }
        let mut g = self.g();
        if let Some((id, _)) = g
            .in_flight
            .iter()
            .find(|(_, io)| io.pages.iter().any(|p| pages.contains(p)))
        {
            let id = *id;
            drop(g);
            model::check::fail(
                super::checks::PVN_V5,
                format!("a write of {pages:?} starts while I/O {id} writes one of them"),
            );
        }
        let start = g.tick();
        let id = g.next_io;
        g.next_io += 1;
        g.in_flight.insert(
            id,
            super::ghost::IoRec {
                pages: pages.to_vec(),
                start,
            },
        );
        id
    }

    /// Ghost: I/O `io` completed; without error its pages' data as of its
    /// start is on disk.
    fn io_completes(&self, io: &Io) {
        let mut g = self.g();
        let rec = g.in_flight.remove(&io.id).expect("an I/O in flight");
        if !io.fails {
            for pp in rec.pages {
                g.on_disk[pp] = g.on_disk[pp].max(rec.start);
                g.writes[pp] += 1;
            }
        }
    }

    /// `VOP_PUTPAGE(vp, off, PAGESIZE, flags)` of one page (ufs_putpages'
    /// loop): the page looked up (without waiting for an async write-back
    /// that does not invalidate), `pvn_getdirty`, putapage. Returns the
    /// error.
    #[track_caller]
    pub fn putpage(&self, off: u64, flags: u32) -> i32 {
        let _f = exec::call("VOP_PUTPAGE (stand-in)", "vm_pvn.c:582");
        let vp = u64::from(VP.0);
        let se = if flags & (B_INVAL | B_FREE) != 0 {
            Se::Excl
        } else {
            Se::Shared
        };
        let pp = if flags & B_INVAL != 0 || flags & B_ASYNC == 0 {
            self.pages.lookup(vp, off, se)
        } else {
            self.pages.lookup_nowait(vp, off, se, || {})
        };
        let err = match pp {
            Some(pp) if self.pvn_getdirty(pp, flags) => self.putapage(pp, flags),
            _ => 0,
        };
        self.after_op();
        err
    }

    /// CPU `cpu` reads or writes the file's page at `off` through the
    /// segment's mapping; a fault runs the segment's fault path and the
    /// access is tried again, twice at most (the model bounds the retry).
    /// Returns whether the access landed.
    #[track_caller]
    pub fn cpu_access(&self, cpu: usize, off: u64, write: bool) -> bool {
        let va = self.va(self.page_at(off));
        for _ in 0..3 {
            match self.hat.access(cpu, va, write) {
                Ok(_) => return true,
                Err(Fault::NotPresent | Fault::Protection) => {
                    cover(CPU_FAULTS);
                    self.fault(off, write);
                }
            }
        }
        false
    }

    /// The segment's fault on the page at `off` (segmap_faultpages'
    /// per-page steps, seg_map.c:740-767): the page looked up shared (read
    /// in if missing: `pvn_read_kluster`, then `pvn_plist_init`'s I/O
    /// unlock and downgrade, vm_pvn.c:1195-1197); on a `VMODSORT` vnode a
    /// write sets MOD first (moving the page to the tail) and a read of a
    /// clean page maps it read-only; loaded, unlocked.
    #[track_caller]
    pub fn fault(&self, off: u64, write: bool) {
        let _f = exec::call("segmap_faultpages (stand-in)", "seg_map.c:740");
        let vp = u64::from(VP.0);
        let pp = match self.pages.lookup(vp, off, Se::Shared) {
            Some(pp) => pp,
            None => {
                let Some(plist) = self.pvn_read_kluster(off, off, PAGESIZE, false) else {
                    // Created by someone else since the look-up.
                    return;
                };
                let pp = plist[0];
                cover(FAULT_READS_IN);
                let p = self.pages.page(pp);
                p.io.page_io_unlock();
                p.lock.page_downgrade();
                pp
            }
        };
        // seg_map.c:758-763.
        let mut writable = true;
        if self.vn.modsort {
            if write {
                if !model::mutant(super::mutants::FAULT_NO_SETMOD) {
                    self.pages.setmod(pp);
                }
            } else if !self.hat.hat_ismod(pp) {
                writable = false;
            }
        }
        self.hat.hat_memload_prot(self.va(pp), pp, writable);
        self.pages.page(pp).lock.page_unlock();
        self.after_op();
    }

    /// The segment's mapping of the page at `off` goes (`as_unmap` ->
    /// `hat_unload`): its REF/MOD move into the page (on a `VMODSORT` vnode
    /// a modified page moves to the tail). The stand-in holds the page
    /// shared meanwhile, as a fault does.
    #[track_caller]
    pub fn unmap(&self, off: u64) {
        let _f = exec::call("as_unmap (stand-in)", "seg_map.c:2099");
        let vp = u64::from(VP.0);
        if let Some(pp) = self.pages.lookup(vp, off, Se::Shared) {
            self.hat.hat_unload(self.va(pp));
            self.pages.page(pp).lock.page_unlock();
        }
        self.after_op();
    }

    /// Read-ahead of the page at `off` and the missing pages around it in
    /// its file-system block of `pages` pages (a getpage's `isra`):
    /// created and read, then `pvn_read_done`, which leaves each free on
    /// the ring when nobody maps it.
    #[track_caller]
    pub fn read_ahead(&self, off: u64, pages: u32) {
        let _f = exec::call("read-ahead (stand-in)", "vm_pvn.c:91");
        let len = u64::from(pages) * PAGESIZE;
        if let Some(plist) = self.pvn_read_kluster(off, off / len * len, len, true) {
            self.pvn_read_done(plist, 0);
        }
    }

    /// A prefetch of the page at `off` (a getpage with no page list, for
    /// a caller that wants the page in memory, not mapped): created and
    /// read if missing, then `pvn_io_done`, which leaves it unlocked and
    /// in use.
    #[track_caller]
    pub fn prefetch(&self, off: u64) {
        let _f = exec::call("prefetch (stand-in)", "vm_pvn.c:306");
        if let Some(plist) = self.pvn_read_kluster(off, off, PAGESIZE, false) {
            cover(PREFETCH_READS);
            self.pvn_io_done(plist);
        }
        self.after_op();
    }

    /// mlock of the page at `off` (`page_pp_lock`, `p_lckcnt++` with the
    /// page held shared), or of its copy-on-write share (`cow`); `false`
    /// if it is not in memory.
    #[track_caller]
    pub fn mlock(&self, off: u64, cow: bool) -> bool {
        let vp = u64::from(VP.0);
        let Some(pp) = self.pages.lookup(vp, off, Se::Shared) else {
            return false;
        };
        self.pages.pp_lock(pp, cow);
        self.pages.page(pp).lock.page_unlock();
        true
    }

    /// munlock: undoes [`Pvn::mlock`].
    #[track_caller]
    pub fn munlock(&self, off: u64, cow: bool) {
        let vp = u64::from(VP.0);
        let pp = self
            .pages
            .lookup(vp, off, Se::Shared)
            .expect("a page locked in memory stays");
        self.pages.pp_unlock(pp, cow);
        self.pages.page(pp).lock.page_unlock();
    }

    /// Creates the page at `off` as a read does, and maps it for `cpu`
    /// accesses (before other threads start: a scenario's set-up).
    pub fn populate(&self, off: u64) {
        self.fault(off, false);
    }

    /// The end of a scenario: the I/O actor drained and stopped, every
    /// invariant checked at rest.
    pub fn finish(&self) {
        if let Some(io) = &self.io {
            io.shutdown();
        }
        self.check_quiescent();
    }
}
