//! The invariants over the whole state, at a quiescent point: no thread
//! is inside an htable operation (after the scenario joined its threads).

use super::checks::{
    HTABLE_H1, HTABLE_H2, HTABLE_H3, HTABLE_H4, HTABLE_H6, HTABLE_H7, HTABLE_H8, HTABLE_H9,
};
use super::ghost::Listed;
use super::hat::{Hat, HAT_VICTIM};
use super::ht::{Ident, HTABLE_SHARED_PFN};
use super::ids::{HatId, Ht};
use super::world::World;
use crate::vm::page::P_MOD;
use model::check;
use model::machine::pte::{make_ptp, pte_pfn, pte_valid, PT_MOD};
use model::sync::Ordering::Relaxed;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A hashed htable as the check sees it.
struct Seen {
    hat: HatId,
    id: Ident,
    busy: u32,
    valid: u16,
}

impl World {
    /// Checks TLB coherence (MMU-COHERENCE), H1-H4 and H6-H9 over the
    /// whole state. Call only when no
    /// other thread runs htable code (it takes the bucket, hat and reserve
    /// mutexes one at a time to read what they protect).
    pub fn check_quiescent(&self) {
        self.mmu.check_coherent("at rest (check_quiescent)");
        let mut hashed: BTreeMap<Ht, Seen> = BTreeMap::new();
        let mut listed: BTreeMap<Ht, Listed> = BTreeMap::new();
        let hats: Vec<(HatId, Arc<Hat>)> = self
            .ghost
            .hats()
            .into_iter()
            .map(|h| (h, self.hat(h)))
            .collect();
        for (hid, hat) in &hats {
            for b in 0..self.cfg.hash as usize {
                self.htable_enter(b);
                for ht in self.chain(hat, b) {
                    let t = self.ht(ht);
                    let id = t.id.get();
                    check!(
                        id.hat == Some(*hid) && self.hash(hat, id.vaddr, id.level) == b,
                        HTABLE_H3,
                        "htable {} on chain {b} of hat {} names hat {:?} va {:#x} level {}",
                        ht.0,
                        hid.0,
                        id.hat.map(|h| h.0),
                        id.vaddr,
                        id.level
                    );
                    let dup = hashed.iter().find(|(_, s)| {
                        s.hat == *hid && s.id.vaddr == id.vaddr && s.id.level == id.level
                    });
                    if let Some((other, _)) = dup {
                        check::fail(
                            HTABLE_H1,
                            format!(
                                "htables {} and {} are both hashed for va {:#x} level {} of hat {}",
                                other.0, ht.0, id.vaddr, id.level, hid.0
                            ),
                        );
                    }
                    let seen = Seen {
                        hat: *hid,
                        id,
                        busy: t.busy.load(Relaxed),
                        valid: t.valid.load(Relaxed),
                    };
                    hashed.insert(ht, seen);
                }
                self.htable_exit(b);
            }
            self.hat_enter(hat);
            for &ht in hat.cached.get(&hat.mutex).iter() {
                self.once(&mut listed, &hashed, ht, Listed::Cached(*hid));
            }
            self.hat_exit(hat);
            check!(
                hat.flags() & HAT_VICTIM == 0,
                HTABLE_H8,
                "hat {} is still marked HAT_VICTIM at rest",
                hid.0
            );
        }
        self.reserve_mutex.enter();
        let pool = self.reserve_pool.get(&self.reserve_mutex).clone();
        let cnt = self.reserve_cnt.load(Relaxed);
        self.reserve_mutex.exit();
        check!(
            cnt as usize == pool.len(),
            HTABLE_H9,
            "htable_reserve_cnt is {cnt} but the reserve list holds {}",
            pool.len()
        );
        for ht in pool {
            self.once(&mut listed, &hashed, ht, Listed::Reserve);
        }
        for ht in self.ghost.live() {
            check!(
                hashed.contains_key(&ht) || listed.contains_key(&ht),
                HTABLE_H3,
                "htable {} is allocated but on no chain and no list (leaked)",
                ht.0
            );
        }
        let victims = self.ghost.victims();
        check!(
            victims.is_empty(),
            HTABLE_H8,
            "stealers still registered at rest: {victims:?}"
        );
        self.rest_held(&hashed);
        self.rest_empty(&hats, &hashed);
        self.quiescent_counts(&hats, &hashed);
        self.quiescent_dirty(&hashed);
    }

    /// H2 with nothing in flight: no thread still declares a hold (but
    /// the boot's on the kernel tables it keeps, 1569-1573).
    fn rest_held(&self, hashed: &BTreeMap<Ht, Seen>) {
        let kas = self.kas();
        for (&ht, _) in hashed.iter().filter(|(_, s)| Some(s.hat) != kas) {
            let holders = self.ghost.holders(ht);
            check!(
                holders.is_empty(),
                HTABLE_H2,
                "at rest threads {holders:?} still hold htable {}",
                ht.0
            );
        }
    }

    /// H2 at rest: no hashed table of a live hat below the top has busy 0
    /// and valid 0 where `htable_release` would have freed it (not a
    /// freeing hat's, not a user table at or above `max_page_level`,
    /// htable.c:1184-1208): its last release saw another hold that was
    /// then dropped without the bucket mutex, and nobody frees it.
    fn rest_empty(&self, hats: &[(HatId, Arc<Hat>)], hashed: &BTreeMap<Ht, Seen>) {
        for (&ht, s) in hashed {
            let freeing = hats
                .iter()
                .find(|(h, _)| *h == s.hat)
                .is_none_or(|(_, h)| h.freeing());
            let shared = s.id.flags & HTABLE_SHARED_PFN != 0;
            let kept = !shared && s.id.level >= self.cfg.max_page_level;
            if freeing || kept || s.id.level >= self.top_level() {
                continue;
            }
            check!(
                s.busy != 0 || s.valid != 0,
                HTABLE_H2,
                "at rest htable {} (va {:#x} level {}) of hat {} is hashed with busy 0 and valid 0: its last release did not free it (1184-1247)",
                ht.0,
                s.id.vaddr,
                s.id.level,
                s.hat.0
            );
        }
    }

    /// H3: `ht` is on no chain and on no other list.
    fn once(
        &self,
        listed: &mut BTreeMap<Ht, Listed>,
        hashed: &BTreeMap<Ht, Seen>,
        ht: Ht,
        l: Listed,
    ) {
        check!(
            !hashed.contains_key(&ht),
            HTABLE_H3,
            "htable {} is hashed and on list {l:?}",
            ht.0
        );
        if let Some(prev) = listed.insert(ht, l) {
            check::fail(
                HTABLE_H3,
                format!("htable {} is on lists {prev:?} and {l:?}", ht.0),
            );
        }
    }

    /// H2, H4 and H7 over the hashed tables.
    fn quiescent_counts(&self, hats: &[(HatId, Arc<Hat>)], hashed: &BTreeMap<Ht, Seen>) {
        for (&ht, s) in hashed {
            let children: Vec<(Ht, &Seen)> = hashed
                .iter()
                .filter(|(_, c)| c.id.parent == Some(ht))
                .map(|(&c, cs)| (c, cs))
                .collect();
            let pins = hashed.values().filter(|c| c.id.shares == Some(ht)).count();
            let top = hats.iter().any(|(_, h)| h.top.get() == Some(ht));
            let holds = self.ghost.holders(ht).len();
            let want = holds + children.len() + pins + usize::from(top);
            check!(
                s.busy as usize == want,
                HTABLE_H2,
                "htable {} (va {:#x} level {}) has busy {} but {holds} thread holds, {} hashed children, {pins} sharers{}",
                ht.0,
                s.id.vaddr,
                s.id.level,
                s.busy,
                children.len(),
                if top { " and is its hat's top table" } else { "" }
            );
            if s.id.flags & HTABLE_SHARED_PFN != 0 {
                continue;
            }
            let freeing = hats
                .iter()
                .find(|(h, _)| *h == s.hat)
                .is_some_and(|(_, h)| h.freeing());
            let pt = self.x86pte_access_pagetable(&s.id);
            let ptes: Vec<u64> = (0..self.ptes())
                .map(|e| pt.pte(e as usize).load())
                .collect();
            self.x86pte_release_pagetable();
            // A user top table's kernel-range entries are the kernel
            // hat's (H10), not links to its own children.
            let user = Some(s.hat) != self.kas();
            let kernel = |e: usize| user && self.kernel_entry(s.id.level, e as u32);
            for (e, &p) in ptes.iter().enumerate().filter(|&(e, _)| kernel(e)) {
                self.h10_kernel_entry(s.hat, e as u32, p);
            }
            for (e, &p) in ptes
                .iter()
                .enumerate()
                .filter(|&(e, _)| s.id.level > 0 && !kernel(e))
            {
                let child = children
                    .iter()
                    .find(|(_, c)| self.va2entry(c.id.vaddr, s.id.level) == e as u32);
                let ok = match child {
                    Some((_, c)) => c.id.pfn.is_some_and(|pfn| p == make_ptp(pfn)),
                    None => p == 0,
                };
                check!(
                    ok,
                    HTABLE_H7,
                    "entry {e} of htable {} (level {}) is {p:#x}, but its hashed child there is {:?}",
                    ht.0,
                    s.id.level,
                    child.map(|(c, _)| c.0)
                );
            }
            let valid = ptes
                .iter()
                .enumerate()
                .filter(|&(e, &p)| pte_valid(p) && !kernel(e))
                .count();
            check!(
                freeing || usize::from(s.valid) == valid,
                HTABLE_H4,
                "htable {} (va {:#x} level {}) counts {} valid entries but has {valid}",
                ht.0,
                s.id.vaddr,
                s.id.level,
                s.valid
            );
        }
    }

    /// H6: every page a CPU wrote is modified in its page_t or in a leaf
    /// PTE of a hashed table that maps it, unless software cleared its MOD
    /// since (a write-back) or the page changed identity.
    fn quiescent_dirty(&self, hashed: &BTreeMap<Ht, Seen>) {
        for (pfn, incarnation) in self.ghost.written() {
            let Some(pp) = self.page_of(pfn).filter(|p| p.incarnation() == incarnation) else {
                continue;
            };
            if pp.nrm.load(Relaxed) & P_MOD != 0 {
                continue;
            }
            let in_pte = hashed.values().filter(|s| s.id.level == 0).any(|s| {
                let pt = self.x86pte_access_pagetable(&s.id);
                let hit = (0..self.ptes()).any(|e| {
                    let p = pt.pte(e as usize).load();
                    pte_valid(p) && pte_pfn(p) == pfn && p & PT_MOD != 0
                });
                self.x86pte_release_pagetable();
                hit
            });
            check!(
                in_pte,
                HTABLE_H6,
                "page {pfn:#x} was written by a CPU, but neither its page_t nor any PTE mapping it is modified: the MOD bit was lost"
            );
        }
    }
}
