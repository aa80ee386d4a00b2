//! The segmap slot cache as one thread sees it (seg_map.c, one freelist,
//! one colour).
//!
//! A slot keeps its tag after release, so a later `getmap` of the same key
//! reclaims it; a miss reuses the free slot released longest ago. The seed
//! keeps free slots on two queues whose roles swap, allocating from the
//! head of one and releasing to the tail of the other (seg_map.c:949-985,
//! 1200-1274); seen by one thread that pair is a single FIFO. A new
//! segment's free order is the last slot first (seg_map.c:405-436).

use std::collections::VecDeque;

/// A key: (vnode, MAXBSIZE-aligned offset).
pub type Key = (u32, u64);

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Slot {
    tag: Option<Key>,
    refcnt: u32,
}

/// The sequential model of a segment of `npages` slots.
#[derive(Clone, Debug)]
pub struct SegmapSpec {
    slots: Vec<Slot>,
    /// Unreferenced slots, the next to reuse first.
    free: VecDeque<usize>,
}

impl SegmapSpec {
    pub fn new(npages: usize) -> Self {
        SegmapSpec {
            slots: vec![Slot::default(); npages],
            free: (0..npages).rev().collect(),
        }
    }

    /// The slot `getmap(key)` returns, or `None` when every slot is
    /// referenced and the key is not cached (the call would sleep).
    pub fn getmap(&mut self, key: Key) -> Option<usize> {
        let s = match self.slots.iter().position(|s| s.tag == Some(key)) {
            Some(s) => {
                self.free.retain(|&f| f != s);
                s
            }
            None => {
                let s = self.free.pop_front()?;
                self.slots[s].tag = Some(key);
                s
            }
        };
        self.slots[s].refcnt += 1;
        Some(s)
    }

    /// `release` of a window on `slot`; `inval` for SM_INVAL or SM_DESTROY.
    /// Panics if the slot is not referenced (a caller bug).
    pub fn release(&mut self, slot: usize, inval: bool) {
        let s = &mut self.slots[slot];
        assert!(s.refcnt > 0, "release of unreferenced slot {slot}");
        s.refcnt -= 1;
        if s.refcnt == 0 {
            if inval {
                s.tag = None;
            }
            self.free.push_back(slot);
        }
    }

    /// The key slot `slot` caches, if any.
    pub fn tag(&self, slot: usize) -> Option<Key> {
        self.slots[slot].tag
    }
}
