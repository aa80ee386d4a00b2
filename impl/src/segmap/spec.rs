//! The segmap slot cache as one thread sees it (seg_map.c).
//!
//! A slot keeps its tag after release, so a later `getmap` of the same key
//! reclaims it. A miss takes a free slot of the key's colour: the thread's
//! CPU advances its rotor for that colour (seg_map.c:1769-1772) and walks
//! the colour's freelists upward from there, taking from the first that
//! has a free slot the one released longest ago (seg_map.c:1231-1246). The
//! seed keeps each list's free slots on two queues whose roles swap,
//! allocating from the head of one and releasing to the tail of the other
//! (seg_map.c:949-985, 1200-1274); seen by one thread that pair is a single
//! FIFO. Slot `i` belongs to freelist `i & smd_freemsk`, and a new
//! segment's free order is the last slot first (seg_map.c:405-436).

use super::consts::MAXBSHIFT;
use std::collections::VecDeque;

/// A key: (vnode, MAXBSIZE-aligned offset).
pub type Key = (u32, u64);

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Slot {
    tag: Option<Key>,
    refcnt: u32,
}

/// The sequential model of a segment of `npages` slots on `nfree`
/// freelists (a power of two) of `ncolor` colours.
#[derive(Clone, Debug)]
pub struct SegmapSpec {
    slots: Vec<Slot>,
    /// Per freelist, its unreferenced slots, the next to reuse first.
    free: Vec<VecDeque<usize>>,
    ncolor: usize,
    /// The one CPU's allocation rotor per colour (`scpu_free_ndx`),
    /// starting at the colour.
    rotor: Vec<usize>,
}

impl SegmapSpec {
    pub fn new(npages: usize, nfree: usize, ncolor: usize) -> Self {
        assert!(nfree.is_power_of_two() && ncolor.is_power_of_two() && ncolor <= nfree);
        let mut free = vec![VecDeque::new(); nfree];
        for i in (0..npages).rev() {
            free[i & (nfree - 1)].push_back(i);
        }
        SegmapSpec {
            slots: vec![Slot::default(); npages],
            free,
            ncolor,
            rotor: (0..ncolor).collect(),
        }
    }

    /// The slot `getmap(key)` returns, or `None` (and no change) when the key
    /// is not cached and every freelist of its colour is empty: the call
    /// would sleep, and one thread does not make it.
    pub fn getmap(&mut self, key: Key) -> Option<usize> {
        let s = match self.slots.iter().position(|s| s.tag == Some(key)) {
            Some(s) => {
                let list = s & (self.free.len() - 1);
                self.free[list].retain(|&f| f != s);
                s
            }
            None => {
                let colour = (key.1 >> MAXBSHIFT) as usize & (self.ncolor - 1);
                let rotor = self.rotor[colour] + self.ncolor;
                let start = rotor & (self.free.len() - 1);
                let lists = self.free.len() / self.ncolor;
                let list = (0..lists)
                    .map(|k| (start + k * self.ncolor) & (self.free.len() - 1))
                    .find(|&l| !self.free[l].is_empty())?;
                self.rotor[colour] = rotor;
                let s = self.free[list].pop_front()?;
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
            let list = slot & (self.free.len() - 1);
            self.free[list].push_back(slot);
        }
    }

    /// The key slot `slot` caches, if any.
    pub fn tag(&self, slot: usize) -> Option<Key> {
        self.slots[slot].tag
    }
}
