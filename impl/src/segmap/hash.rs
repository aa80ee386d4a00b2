//! The hash chains: lookup (seg_map.c:1651-1657), `segmap_hashin`
//! (seg_map.c:989-1046) and `segmap_hashout` (seg_map.c:1048-1088).

use super::checks::{SEGMAP_I2, SEGMAP_I3, SEGMAP_I6};
use super::consts::*;
use super::Segmap;
use crate::vm::vnode::Vnode;
use model::check::SYNC_MISUSE;
use model::{check, seed};

/// A place holding a chain link: a chain head or a slot's `sm_hash` (the
/// seed's `struct smap **hpp`).
#[derive(Clone, Copy)]
enum Link {
    Head(usize),
    Slot(usize),
}

impl Segmap {
    /// `SMAP_HASHFUNC` (seg_map.c:260-264): the chain of `(vp, off)`.
    pub fn hashid(&self, vp: Vnode, off: u64) -> usize {
        let a = vp.addr();
        if model::mutant(super::mutants::HASH_OFFSET_ONLY) {
            // Wrong: the vnode's address left out.
            return ((off >> MAXBSHIFT) & self.hashmsk) as usize;
        }
        (((a >> 6) + (a >> 3) + (off >> MAXBSHIFT)) & self.hashmsk) as usize
    }

    fn link(&self, l: Link) -> &crate::vm::word::Word {
        match l {
            Link::Head(h) => &self.hash[h].list,
            Link::Slot(s) => &self.smap[s].hash,
        }
    }

    /// The search of seg_map.c:1651-1657: with only the chain mutex held,
    /// find the slot tagged `(vp, baseoff)`. The answer is a hint: the
    /// caller re-checks the tag under the slot mutex.
    pub(crate) fn hash_lookup(&self, hashid: usize, vp: Vnode, baseoff: u64) -> Option<usize> {
        seed("seg_map.c:1652");
        let h = &self.hash[hashid];
        h.mtx.enter();
        let hm = [&h.mtx];
        let mut smp = h.list.read(&hm);
        while smp != NIL {
            let s = &self.smap[smp as usize];
            if s.vp.read(&hm) == vp.tag() && s.off.read(&hm) == baseoff {
                break;
            }
            smp = s.hash.read(&hm);
        }
        h.mtx.exit();
        (smp != NIL).then_some(smp as usize)
    }

    /// `segmap_hashin` (seg_map.c:989-1046): with slot `smp` locked, tag it
    /// `(vp, off)` and put it on chain `hashid`, unless another thread
    /// tagged a slot `(vp, off)` since the caller's lookup missed; then
    /// return that slot and leave `smp` untouched (the "lost hashin").
    pub(crate) fn hashin(&self, smp: usize, vp: Vnode, off: u64, hashid: usize) -> Option<usize> {
        let _f = model::exec::call("segmap_hashin", "seg_map.c:989");
        let s = &self.smap[smp];
        // seg_map.c:996-1001: the slot is locked, untagged, unhashed and
        // off every free queue.
        check!(
            s.mtx.held(),
            SYNC_MISUSE,
            "segmap_hashin: slot {smp} not locked"
        );
        check!(
            s.vp.peek() == 0 && s.hash.peek() == NIL,
            SEGMAP_I2,
            "segmap_hashin: slot {smp} still tagged (vp {}, off {:#x}) or chained",
            s.vp.peek(),
            s.off.peek()
        );
        check!(
            s.next.peek() == NIL && s.prev.peek() == NIL,
            SEGMAP_I3,
            "segmap_hashin: slot {smp} is still on a free queue"
        );
        let h = &self.hash[hashid];
        seed("seg_map.c:1005");
        h.mtx.enter();
        // seg_map.c:1006-1013: the caller looked without any lock held
        // across its allocation; a racing thread that missed on the same
        // key may have hashed its own slot in meanwhile. Search again with
        // the chain mutex held, so that at most one slot carries the tag.
        let hm = [&h.mtx];
        let mut tmp = h.list.read(&hm);
        if !model::mutant(super::mutants::SKIP_LOST_HASHIN) {
            while tmp != NIL {
                let t = &self.smap[tmp as usize];
                if t.vp.read(&hm) == vp.tag() && t.off.read(&hm) == off {
                    break;
                }
                tmp = t.hash.read(&hm);
            }
        } else {
            tmp = NIL;
        }
        if tmp == NIL {
            // seg_map.c:1033-1038: tag under S and H, push on the chain.
            seed("seg_map.c:1033");
            self.tag_change(smp, "segmap_hashin");
            let both = [&s.mtx, &h.mtx];
            s.vp.write(vp.tag(), &both);
            s.off.write(off, &both);
            s.hash.write(h.list.read(&hm), &hm);
            h.list.write(smp as u64, &hm);
        }
        h.mtx.exit();
        (tmp != NIL).then_some(tmp as usize)
    }

    /// `segmap_hashout` (seg_map.c:1048-1088): with slot `smp` locked, take
    /// it off its chain (under the chain mutex), then clear its tag (under
    /// the slot mutex alone: nobody can find it by hash any more).
    pub(crate) fn hashout(&self, smp: usize) {
        let _f = model::exec::call("segmap_hashout", "seg_map.c:1048");
        let s = &self.smap[smp];
        check!(
            s.mtx.held(),
            SYNC_MISUSE,
            "segmap_hashout: slot {smp} not locked"
        );
        let sl = [&s.mtx];
        let vp = Vnode(s.vp.read(&sl) as u32);
        let off = s.off.read(&sl);
        let hashid = self.hashid(vp, off);
        let h = &self.hash[hashid];
        seed("seg_map.c:1064");
        h.mtx.enter();
        let hm = [&h.mtx];
        let mut hpp = Link::Head(hashid);
        loop {
            let hp = self.link(hpp).read(&hm);
            // seg_map.c:1069-1071: a tagged slot must be on its chain.
            check!(
                hp != NIL,
                SEGMAP_I2,
                "segmap_hashout: slot {smp} (vp {}, off {off:#x}) is not on chain {hashid}",
                vp.0
            );
            if hp == smp as u64 {
                break;
            }
            hpp = Link::Slot(hp as usize);
        }
        self.link(hpp).write(s.hash.read(&hm), &hm);
        s.hash.write(NIL, &hm);
        h.mtx.exit();
        if !model::mutant(super::mutants::HASHOUT_KEEPS_TAG) {
            // seg_map.c:1085-1086.
            seed("seg_map.c:1085");
            self.tag_change(smp, "segmap_hashout");
            s.vp.write(0, &sl);
            s.off.write(0, &sl);
        }
    }

    /// I6: a slot's tag changes only while nobody holds a window on it.
    fn tag_change(&self, smp: usize, who: &str) {
        self.check_refcnt(smp, who);
        let s = &self.smap[smp];
        check!(
            s.refcnt.peek() == 0,
            SEGMAP_I6,
            "{who}: tag of slot {smp} (vp {}, off {:#x}) changes while its refcnt is {}",
            s.vp.peek(),
            s.off.peek(),
            s.refcnt.peek()
        );
    }
}
