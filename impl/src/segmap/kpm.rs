//! segkpm support of segmap (seg_map.c with `segmap_kpm` on): the kpm
//! stand-ins of the HAT, `get_smap_kpm` (seg_map.c:2277-2332), and the kpm
//! branches of `get_free_smp` (seg_map.c:1294-1322) and `grab_smp`
//! (seg_map.c:1146-1173).
//!
//! With segkpm, a window taken for reading or writing is not a segkmap
//! address but the kpm address of its page: the page stays locked from
//! `segmap_getmapflt` to `segmap_release`, and the slot only keeps the
//! identity and a kpm mapping entry (`kpme`) naming the page. segkpm needs
//! `PAGESIZE == MAXBSIZE` (seg_map.c:1821); the model keeps its 4K pages in
//! 8K windows and lets the page at the window's base offset stand for the
//! window in kpm mode.
//!
//! # Deviation: the kpm HAT stand-ins
//!
//! On x86, kpm is a static mapping of all memory: `hat_kpm_mapin` only
//! computes an address and leaves the kpme alone, so `kpe_page` stays
//! NULL and the seed's kpme protocol (the try-lock of a free slot's page
//! in `get_free_smp`, the getmapflt fast path) never runs. The model keeps
//! the sfmmu bookkeeping instead, which is what that protocol is written
//! for: `hat_kpm_mapin` makes the slot's kpme name the page (tolerating a
//! second mapin of the same page through the same kpme, as sfmmu does so
//! that two holders need not serialize), `hat_kpm_mapout` clears it, and
//! `hat_pageunload` of a page locked exclusive clears every kpme naming it
//! (sfmmu walks the page's kpme list; the model scans the slots). All
//! three require the page lock, the key of `kpe_page`; sfmmu's kpm mutexes
//! are left out, since every writer of one kpme holds the page lock and
//! concurrent writers (mapins by two sharers) write the same value.
//! Addresses: page `pp` is at `KPM_BASE + pp * MAXBSIZE` (a synthetic,
//! MAXBSIZE-aligned pfn layout).

use super::checks::{SEGMAP_KPM, SEGMAP_KPM_GRAB, SEGMAP_KPM_MAP};
use super::consts::*;
use super::windows::{
    KPM_KPE_GONE, KPM_LAST_SMAP_HIT, KPM_LAST_SMAP_MISS, KPM_MAPIN, KPM_MAPOUT, KPM_PAGEUNLOAD,
    KPM_PAGE_LOCKED, KPM_VALIDKPME, KPM_VALIDKPME_WAIT,
};
use super::Segmap;
use crate::vm::vnode::Vnode;
use model::check::fail;
use model::sync::Se;
use model::{check, cover, seed};
use std::sync::atomic::Ordering::SeqCst;

/// Base of the model's segkpm range (`kpm_vbase`).
pub const KPM_BASE: u64 = 0x4000_0000_0000;

/// What the kpm branch of `get_free_smp` decided for a slot it locked.
pub(crate) enum KpmTry {
    /// Take the slot; grab_smp unmaps and unlocks this page, if any.
    Take(Option<usize>),
    /// The slot's page is locked by someone: skip the slot (its mutex is
    /// still held; the caller drops it).
    Skip,
}

impl Segmap {
    /// `IS_KPM_ADDR`: whether `addr` is a kpm address.
    pub(crate) fn is_kpm_addr(&self, addr: u64) -> bool {
        self.kpm && addr >= KPM_BASE && addr < KPM_BASE + self.pages.count() as u64 * MAXBSIZE
    }

    /// Whether segkpm is on (`segmap_kpm`).
    pub fn kpm(&self) -> bool {
        self.kpm
    }

    /// The slot of a window address handed out by `getmapflt`: the slot
    /// of a segkmap address, or for a kpm address the slot carrying its
    /// page's identity (read from ghost state: for refinement tests, not
    /// for decisions).
    pub fn window_slot(&self, addr: u64) -> usize {
        if !self.is_kpm_addr(addr) {
            return Self::addr_slot(addr);
        }
        let (vp, off) = self.pages.identity(Self::kpm_vaddr2page(addr));
        self.smap
            .iter()
            .position(|s| s.vp.peek() == vp && s.off.peek() == off)
            .unwrap_or_else(|| panic!("no slot carries kpm window {addr:#x}"))
    }

    /// `hat_kpm_page2va(pp)`.
    pub(crate) fn kpm_page2va(pp: usize) -> u64 {
        KPM_BASE + pp as u64 * MAXBSIZE
    }

    /// `hat_kpm_vaddr2page(addr)`.
    pub(crate) fn kpm_vaddr2page(addr: u64) -> usize {
        ((addr - KPM_BASE) / MAXBSIZE) as usize
    }

    /// The page lock a kpm HAT operation requires of its caller.
    fn kpm_page_held(&self, pp: usize, who: &str) {
        check!(
            self.pages.page(pp).lock.held(),
            SEGMAP_KPM_MAP,
            "{who} of page {pp} without its page lock"
        );
    }

    /// `hat_kpm_mapin(pp, GET_KPME(smp))` (sfmmu semantics, see the module
    /// doc): the slot's kpme names the page; returns its kpm address.
    #[track_caller]
    pub(crate) fn kpm_mapin(&self, pp: usize, smp: usize) -> u64 {
        self.kpm_page_held(pp, "hat_kpm_mapin");
        let kpe = &self.smap[smp].kpe_page;
        let old = kpe.hint();
        check!(
            old == NIL || old == pp as u64,
            SEGMAP_KPM_MAP,
            "hat_kpm_mapin of page {pp} into slot {smp}'s kpme, which maps page {old}"
        );
        cover(KPM_MAPIN.point);
        kpe.write(pp as u64, &[]);
        Self::kpm_page2va(pp)
    }

    /// `hat_kpm_mapout(pp, GET_KPME(smp), vaddr)`: the slot's kpme, which
    /// must name `pp`, names nothing.
    #[track_caller]
    pub(crate) fn kpm_mapout(&self, pp: usize, smp: usize) {
        self.kpm_page_held(pp, "hat_kpm_mapout");
        let kpe = &self.smap[smp].kpe_page;
        let old = kpe.hint();
        check!(
            old == pp as u64,
            SEGMAP_KPM_MAP,
            "hat_kpm_mapout of page {pp} from slot {smp}'s kpme, which maps {old:#x}"
        );
        cover(KPM_MAPOUT.point);
        kpe.write(NIL, &[]);
    }

    /// A page-out of `(vp, off)` as the file system does it around
    /// `VOP_PUTPAGE(B_INVAL)` (not a seed function): lock the page
    /// exclusive (`page_lookup(SE_EXCL)`), `hat_pageunload` it, which
    /// removes its kpm mappings (every kpme naming it), and unlock it. The
    /// page stays in memory. Returns whether it was in memory.
    #[track_caller]
    pub fn pageout(&self, vp: Vnode, off: u64) -> bool {
        let Some(pp) = self.pages.lookup(vp.tag(), off, Se::Excl) else {
            return false;
        };
        self.kpm_pageunload(pp);
        self.pages.page(pp).lock.page_unlock();
        self.after_op();
        true
    }

    /// [`Segmap::pageout`] that then frees the page, as a page-out of a
    /// clean page does (`page_release` with the HAT's `hat_page_is_mapped`:
    /// a page a segkmap window still maps stays). Returns whether the page
    /// was in memory.
    #[track_caller]
    pub fn pageout_free(&self, vp: Vnode, off: u64) -> bool {
        let Some(pp) = self.pages.lookup(vp.tag(), off, Se::Excl) else {
            return false;
        };
        self.kpm_pageunload(pp);
        self.page_release(pp);
        self.after_op();
        true
    }

    /// `hat_pageunload`'s kpm part, page `pp` held exclusive: every kpme
    /// naming it is cleared.
    fn kpm_pageunload(&self, pp: usize) {
        cover(KPM_PAGEUNLOAD.point);
        for s in &self.smap {
            if s.kpe_page.hint() == pp as u64 {
                s.kpe_page.write(NIL, &[]);
            }
        }
    }

    /// `get_smap_kpm(addr, &pp)` (seg_map.c:2277-2332): the slot of the kpm
    /// window at `addr`, whose page the caller holds locked, returned with
    /// its mutex held, and that page; `None` if no slot has its identity.
    pub(crate) fn get_smap_kpm(&self, addr: u64) -> Option<(usize, usize)> {
        let pp = Self::kpm_vaddr2page(addr & MAXBMASK);
        // seg_map.c:2289-2297.
        check!(
            self.pages.page(pp).lock.held(),
            SEGMAP_KPM,
            "get_smap_kpm({addr:#x}): page {pp} is not locked by the window's holder"
        );
        let (vp, off) = self.pages.identity(pp);
        // seg_map.c:2302-2305: try this CPU's last kpm slot first. The
        // pointer is read with no lock and may name a slot that has since
        // been released and reused for another identity, or is being
        // reused now; only the tag, read under the slot mutex, says whether
        // it is the slot wanted.
        seed("seg_map.c:2303");
        let last = self.this_cpu().last_smap.hint() as usize;
        let s = &self.smap[last];
        s.mtx.enter();
        let sl = [&s.mtx];
        let smp = if model::mutant(super::mutants::KPM_LAST_SMAP_NO_RECHECK)
            || (s.vp.read(&sl) == vp && s.off.read(&sl) == off)
        {
            cover(KPM_LAST_SMAP_HIT.point);
            last
        } else {
            // seg_map.c:2307-2325: look it up on the hash chain, then lock
            // it. The holder's page lock pins the identity: the slot keeps
            // its tag while the window is held.
            cover(KPM_LAST_SMAP_MISS.point);
            s.mtx.exit();
            let smp =
                self.hash_lookup(self.hashid(Vnode(vp as u32), off), Vnode(vp as u32), off)?;
            seed("seg_map.c:2323");
            self.smap[smp].mtx.enter();
            smp
        };
        // seg_map.c:2306, 2324, refined: the slot found carries the page's
        // identity and the window's reference.
        let s = &self.smap[smp];
        check!(
            s.vp.peek() == vp && s.off.peek() == off && s.holders.load(SeqCst) > 0,
            SEGMAP_KPM,
            "get_smap_kpm({addr:#x}) of page (vp {vp}, off {off:#x}) found slot {smp} tagged (vp {}, off {:#x}) with {} holders",
            s.vp.peek(),
            s.off.peek(),
            s.holders.load(SeqCst)
        );
        Some((smp, pp))
    }

    /// The kpm branch of `get_free_smp` (seg_map.c:1294-1322) for slot
    /// `smp`, whose mutex (and the allocation queue's) the caller holds: a
    /// slot that still has a kpm mapping is only taken with its page locked
    /// shared, since grab_smp unmaps it. The page lock ranks above the slot
    /// mutex, so it is only tried, and a slot whose page someone holds is
    /// skipped. The kpme was read under the slot mutex alone, and a
    /// `hat_pageunload` (page held exclusive) may have cleared it before
    /// our try succeeded: look again under the page lock.
    pub(crate) fn kpm_try_slot(&self, smp: usize) -> KpmTry {
        let s = &self.smap[smp];
        if s.vp.read(&[&s.mtx]) == 0 {
            return KpmTry::Take(None);
        }
        seed("seg_map.c:1300");
        let pp = s.kpe_page.hint();
        if pp == NIL {
            return KpmTry::Take(None);
        }
        let pp = pp as usize;
        if model::mutant(super::mutants::KPM_SKIP_TRYLOCK) {
            // Wrong: takes the slot as if its page were locked.
            return KpmTry::Take(Some(pp));
        }
        seed("seg_map.c:1303");
        if !self.pages.trylock(pp, Se::Shared) {
            cover(KPM_PAGE_LOCKED.point);
            return KpmTry::Skip;
        }
        seed("seg_map.c:1316");
        if s.kpe_page.hint() == NIL && !model::mutant(super::mutants::KPM_KPE_NO_RECHECK) {
            cover(KPM_KPE_GONE.point);
            self.pages.page(pp).lock.page_unlock();
            return KpmTry::Take(None);
        }
        KpmTry::Take(Some(pp))
    }

    /// The kpm branch of `grab_smp` (seg_map.c:1146-1173): slot `smp`,
    /// locked, off every queue and just hashed out, loses its kpm mapping
    /// (`pp`, locked shared by get_free_smp) and, if it was also used
    /// through segkmap, that window's translations.
    pub(crate) fn grab_kpm(&self, smp: usize, pp: Option<usize>) {
        let s = &self.smap[smp];
        // A slot whose kpm page someone else holds locked is never taken:
        // the page the grabber unmaps is one it holds, and a kpme still
        // naming a page names that one.
        // The kpme's ghost copy: exact only when one thread runs at a
        // time (a page-out clearing the kpme on another real thread
        // updates the ghost after the word the grabber read).
        let kpe = s.kpe_page.peek();
        let ok = !model::exec::serialized()
            || match pp {
                None => kpe == NIL,
                Some(p) => self.pages.page(p).lock.held() && (kpe == NIL || kpe == p as u64),
            };
        check!(
            ok,
            SEGMAP_KPM_GRAB,
            "grab_smp: slot {smp} reused with kpme page {kpe:#x} and page {pp:?}, which the grabber does not hold"
        );
        if let Some(pp) = pp {
            seed("seg_map.c:1155");
            self.kpm_mapout(pp, smp);
            self.pages.page(pp).lock.page_unlock();
        }
        let sl = [&s.mtx];
        let flags = s.flags.read(&sl);
        if flags & SM_NOTKPM_RELEASED != 0 {
            s.flags.write(flags & !SM_NOTKPM_RELEASED, &sl);
            self.hat_unload(Self::slot_addr(smp), MAXBSIZE);
        }
    }

    /// `segkpm_mapout_validkpme(GET_KPME(smp))` (seg_kpm.c, not a seed;
    /// called at seg_map.c:2096-2097 with the slot mutex held): remove the
    /// slot's kpm mapping, if it has one, under its page lock, unless a
    /// `hat_pageunload` removed it while we waited for the lock. The page
    /// lock is taken blocking with the slot mutex held: finding F5 (see
    /// `LOCK_ORDER`). With fix F5 the caller already holds the page
    /// ([`Segmap::validkpme_lock_first`]); `kpm_mapout` checks that it does.
    pub(crate) fn mapout_validkpme(&self, smp: usize) {
        let kpe = &self.smap[smp].kpe_page;
        let pp = kpe.hint();
        if pp == NIL {
            return;
        }
        let pp = pp as usize;
        cover(KPM_VALIDKPME.point);
        if self.fixes.validkpme_page_first {
            // Our reference pinned the identity, so a valid kpme names the
            // page the release locked first.
            self.kpm_mapout(pp, smp);
            return;
        }
        let lock = &self.pages.page(pp).lock;
        lock.page_lock(Se::Shared, None);
        if kpe.hint() != NIL {
            self.kpm_mapout(pp, smp);
        }
        lock.page_unlock();
    }

    /// Fix F5, at the start of an SM_INVAL/SM_DESTROY release of slot
    /// `smp` through its segkmap address (slot mutex held, our window's
    /// reference not yet dropped): if this may be the last release and the
    /// slot's kpme names a page, lock that page shared before
    /// seg_map.c:2096 needs it. Under the slot mutex the page is only
    /// tried; if someone holds it, drop the slot mutex, wait for the page
    /// holding nothing else (page before slot, the ranked order) and take
    /// the slot mutex again. Our reference keeps the slot's identity, so
    /// the kpme can only lose the page meanwhile (a `hat_pageunload`), not
    /// name another; and the refcnt is read again by the caller. Returns
    /// the page locked, to unlock after the slot mutex.
    pub(crate) fn validkpme_lock_first(&self, smp: usize) -> Option<usize> {
        let s = &self.smap[smp];
        if s.refcnt.read(&[&s.mtx]) != 1 {
            return None;
        }
        let pp = s.kpe_page.hint();
        if pp == NIL {
            return None;
        }
        let pp = pp as usize;
        if self.pages.trylock(pp, Se::Shared) {
            return Some(pp);
        }
        cover(KPM_VALIDKPME_WAIT.point);
        if model::mutant(super::mutants::VALIDKPME_GIVE_UP) {
            // Wrong: goes on without the page, which the unmap needs.
            return None;
        }
        if model::mutant(super::mutants::VALIDKPME_WAIT_UNDER_SLOT) {
            // Wrong: waits for the page with the slot mutex held, the
            // seed's nesting moved earlier.
            self.pages.page(pp).lock.page_lock(Se::Shared, None);
            return Some(pp);
        }
        s.mtx.exit();
        self.pages.page(pp).lock.page_lock(Se::Shared, None);
        s.mtx.enter();
        Some(pp)
    }

    /// SEGMAP-KPM-MAP, part of the invariants: a slot whose mutex is free
    /// and whose kpme names a page carries that page's identity.
    pub(crate) fn check_kpmes(&self) {
        for (i, s) in self.smap.iter().enumerate() {
            let pp = s.kpe_page.peek();
            if pp == NIL || s.mtx.owner().is_some() {
                continue;
            }
            let (vp, off) = self.pages.identity(pp as usize);
            if s.vp.peek() != vp || s.off.peek() != off {
                fail(
                    SEGMAP_KPM_MAP,
                    format!(
                        "slot {i}'s kpme maps page {pp} (vp {vp}, off {off:#x}) but the slot is tagged (vp {}, off {:#x})",
                        s.vp.peek(),
                        s.off.peek()
                    ),
                );
            }
        }
    }
}
