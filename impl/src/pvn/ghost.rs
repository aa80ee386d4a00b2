//! What the pvn checks compare the port with: ground truth the port never
//! reads (ghost, written in the step of the event it records, so its
//! order is the execution's).
//!
//! * A logical clock: every write a CPU lands through a mapping, every I/O
//!   start and every walk start takes a tick.
//! * Per page, the tick of the last write since the page got its identity
//!   (written by the machine's write observer at the store, with the CPU's
//!   interlock held), and the start tick of the latest write-back that
//!   completed without error: writes before it are on disk.
//! * The I/Os in flight, and the walks in progress with their markers and
//!   the ring epoch at which their marker last passed each page.

use super::checks::PVN_V4;
use crate::vm::page::Pages;
use crate::vm::vplist::Marker;
use model::check::fail;
use model::Tid;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

/// One I/O in flight: its pages and its start tick.
#[derive(Clone, Debug)]
pub(crate) struct IoRec {
    pub(crate) pages: Vec<usize>,
    pub(crate) start: u64,
}

/// A `pvn_vplist_dirty` in progress.
#[derive(Clone, Debug)]
pub(crate) struct Walk {
    pub(crate) flags: u32,
    pub(crate) off: u64,
    /// The tick at which it set `VVMLOCK`.
    pub(crate) start: u64,
    /// Its markers, once allocated.
    pub(crate) marks: Option<(Marker, Marker)>,
    /// Per page, its incarnation when the walk last processed it: its
    /// marker passed the page, or its `pvn_getdirty` handled it (a
    /// kluster's neighbour, written with the page the marker passed).
    pub(crate) processed: BTreeMap<usize, u64>,
    /// Per page on the ring when the walk began, its ring epoch and
    /// incarnation then (coverage: what was inserted or moved since).
    pub(crate) at_start: BTreeMap<usize, (u64, u64)>,
    /// It stopped at a clean page of a `VMODSORT` vnode.
    pub(crate) early_exit: bool,
    /// Pages its `pvn_getdirty` left alone, locked in memory, for
    /// `B_INVAL`/`B_FREE` (vm_pvn.c:593-597): neither written nor freed.
    pub(crate) left_locked: BTreeSet<usize>,
}

/// The ghost record.
#[derive(Debug)]
pub(crate) struct Ghost {
    pub(crate) clock: u64,
    /// Per page: the tick of the last write landed through a mapping since
    /// it got its identity (0: none).
    pub(crate) last_write: Vec<u64>,
    /// Per page: the start tick of the latest write-back that completed
    /// without error (0: none).
    pub(crate) on_disk: Vec<u64>,
    /// Per page: write-backs that completed without error.
    pub(crate) writes: Vec<u32>,
    /// I/Os issued and not yet completed, by id.
    pub(crate) in_flight: BTreeMap<u64, IoRec>,
    pub(crate) next_io: u64,
    /// Walks holding `VVMLOCK`, by walker.
    pub(crate) walks: BTreeMap<Tid, Walk>,
    pub(crate) next_marker: u32,
}

impl Ghost {
    pub(crate) fn new(npages: usize) -> Self {
        Ghost {
            clock: 0,
            last_write: vec![0; npages],
            on_disk: vec![0; npages],
            writes: vec![0; npages],
            in_flight: BTreeMap::new(),
            next_io: 0,
            walks: BTreeMap::new(),
            next_marker: 0,
        }
    }

    pub(crate) fn tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }

    /// The machine's write observer: CPU `cpu` landed a write on page
    /// `pp`. A write to a page that is free or has lost its identity is
    /// lost at once ([`PVN_V4`]: a translation outlived `page_free` or
    /// `page_destroy`).
    pub(crate) fn landed(g: &Mutex<Ghost>, pages: &Pages, cpu: usize, pp: usize) {
        {
            let mut g = g.lock().unwrap_or_else(|e| e.into_inner());
            let t = g.tick();
            g.last_write[pp] = t;
        }
        let (hashed, free) = pages.peek_state(pp);
        if !hashed || free {
            let what = if hashed { "free" } else { "destroyed" };
            fail(
                PVN_V4,
                format!("CPU {cpu} wrote page {pp} while it is {what}: the write is lost"),
            );
        }
    }

    /// Whether page `pp`'s writes are all on disk.
    pub(crate) fn written_back(&self, pp: usize) -> bool {
        self.last_write[pp] <= self.on_disk[pp]
    }

    /// Page `pp` lost its identity: a new one starts with the disk's data.
    pub(crate) fn forget(&mut self, pp: usize) {
        self.last_write[pp] = 0;
        self.on_disk[pp] = 0;
    }
}
