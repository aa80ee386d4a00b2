//! Finding, creating and releasing htables: `htable_lookup`,
//! `htable_acquire`, `htable_create`, `htable_release`, `htable_getpte`
//! (htable.c:1148-1460, 1754-1786).

use super::checks::{HTABLE_H2, HTABLE_H3, HTABLE_H4};
use super::hat::Hat;
use super::ht::{Htable, HTABLE_SHARED_PFN};
use super::ids::{HatId, Ht};
use super::world::World;
use model::check;
use model::machine::pte::pte_valid;
use model::sync::Ordering::Relaxed;
use std::sync::Arc;

impl World {
    /// The htable behind `h` (a use: MEM-UAF once kmem freed it).
    #[track_caller]
    pub(crate) fn ht(&self, h: Ht) -> Arc<Htable> {
        self.htables.get(h.0)
    }

    /// The calling thread takes a busy reference on `h` (`ht_busy++`
    /// with the bucket mutex held, or `htable_alloc`'s busy of 1): ghost,
    /// and declared to the kmem arena, so that freeing the htable before
    /// the reference is dropped is MEM-FREE-HELD (the H2 rule,
    /// 1159-1261) and the holder's uses need no scheduling point of their
    /// own (`model::kernel::Arena::get`).
    pub(crate) fn hold_ht(&self, h: Ht) {
        self.ghost.hold(h);
        self.htables.hold(h.0);
    }

    /// The calling thread drops (or hands to a structure) one busy
    /// reference on `h`.
    pub(crate) fn drop_ht(&self, h: Ht) {
        self.ghost.drop_hold(h);
        self.htables.release(h.0);
    }

    /// The base address of the level-`level` table covering `va`.
    fn base(&self, va: u64, level: u32) -> u64 {
        if level == self.top_level() {
            0
        } else {
            va & self.level_mask(level + 1)
        }
    }

    /// Searches chain `h` for the table (`hat`, `base`, `level`) (bucket
    /// held).
    fn search(&self, hat: &Hat, hid: HatId, h: usize, base: u64, level: u32) -> Option<Ht> {
        self.chain(hat, h).into_iter().find(|&ht| {
            let id = self.ht(ht).id.get();
            if model::mutant(super::mutants::SEARCH_ANY_OF_HAT) {
                // Wrong: any table of the hat matches.
                return id.hat == Some(hid) || id.vaddr == base && id.level == level;
            }
            id.hat == Some(hid) && id.vaddr == base && id.level == level
        })
    }

    /// `htable_lookup` (1267-1304): the htable for `va` at `level`, with
    /// a hold, if it exists.
    pub fn htable_lookup(&self, hid: HatId, va: u64, level: u32) -> Option<Ht> {
        let hat = self.hat(hid);
        let base = self.base(va, level);
        model::seed("htable.c:1292");
        let h = self.hash(&hat, base, level);
        self.htable_enter(h);
        let ht = self.search(&hat, hid, h, base, level);
        if let Some(ht) = ht {
            self.busy_inc(ht, &self.ht(ht));
        }
        self.htable_exit(h);
        ht
    }

    /// `htable_acquire` (1309-1334): a hold on an htable known from a
    /// mapping (an hment, under the page's mapping-list mutex). The seed's
    /// DEBUG walk that the htable is hashed is check H3 here.
    pub(crate) fn htable_acquire(&self, ht: Ht) {
        let t = self.ht(ht);
        let id = t.id.get();
        let hid = id.hat.expect("htable_acquire: htable without a hat");
        let hat = self.hat(hid);
        model::seed("htable.c:1317");
        let h = self.hash(&hat, id.vaddr, id.level);
        self.htable_enter(h);
        check!(
            self.chain(&hat, h).contains(&ht),
            HTABLE_H3,
            "thread {} acquires htable {} through a mapping, but it is not hashed",
            model::exec::tid(),
            ht.0
        );
        self.busy_inc(ht, &t);
        self.htable_exit(h);
    }

    /// `htable_create` (1345-1460): finds or creates the tables from the
    /// top down to `level` and returns the one at `level` with a hold. A
    /// table is allocated with its bucket mutex dropped and the search
    /// redone (1341-1343, 1416-1420); a new table keeps the hold on its
    /// parent (1440-1443).
    pub fn htable_create(&self, hid: HatId, vaddr: u64, level: u32, shared: Option<Ht>) -> Ht {
        let _f = model::exec::call("htable_create", "htable.c:1345");
        let hat = self.hat(hid);
        let top = self.top_level();
        let mut higher: Option<Ht> = None;
        let mut ht = None;
        for l in (level..=top).rev() {
            let base = self.base(vaddr, l);
            let h = self.hash(&hat, base, l);
            let mut new: Option<Ht> = None;
            loop {
                model::seed("htable.c:1377");
                self.htable_enter(h);
                let found = if l == top {
                    hat.top.get()
                } else {
                    self.search(&hat, hid, h, base, l)
                };
                if let Some(f) = found {
                    let t = self.ht(f);
                    if l == level && shared.is_some() {
                        let s = t.id.get().shares;
                        assert!(s.is_none() || s == shared, "htable shared from wrong place");
                    }
                    self.busy_inc(f, &t);
                    self.htable_exit(h);
                    if let Some(n) = new {
                        // Re-check after allocating (1341-1343): with the
                        // bucket mutex dropped for the allocation, another
                        // thread created and hashed this table; using ours
                        // too would hash two tables for one range and make
                        // the second link_ptp find the entry taken.
                        model::cover(super::windows::CREATE_LOST);
                        self.drop_ht(n);
                        self.htable_free(n);
                    }
                    if let Some(hi) = higher {
                        self.htable_release(Some(hi));
                    }
                    higher = Some(f);
                    ht = Some(f);
                    break;
                }
                if new.is_none() && !model::mutant(super::mutants::CREATE_NO_RESEARCH) {
                    model::seed("htable.c:1417");
                    self.htable_exit(h);
                    new = Some(self.htable_alloc(
                        hid,
                        base,
                        l,
                        if l == level { shared } else { None },
                    ));
                    continue;
                }
                let n = match new {
                    Some(n) => n,
                    None => {
                        // The mutant allocates with the bucket mutex
                        // dropped but never searches again.
                        self.htable_exit(h);
                        let n =
                            self.htable_alloc(hid, base, l, if l == level { shared } else { None });
                        self.htable_enter(h);
                        n
                    }
                };
                model::seed("htable.c:1427");
                let t = self.ht(n);
                self.h1_unique(&hat, h, n, &t);
                if let Some(hi) = higher {
                    model::cover(super::windows::CREATE_LINKS);
                    self.link_ptp(hi, n, base);
                    t.id.update(|i| i.parent = Some(hi));
                    // Our hold on the parent is not released: it becomes
                    // the child's, and keeps the parent (and its link)
                    // from being freed while the child exists; it is
                    // dropped when the child is released or stolen
                    // (1440-1443).
                    self.drop_ht(hi);
                }
                model::seed("htable.c:1432");
                self.hashin(&hat, h, n);
                self.htable_exit(h);
                if model::mutant(super::mutants::CREATE_RELEASE_HIGHER) {
                    if let Some(hi) = higher {
                        self.hold_ht(hi);
                        self.htable_release(Some(hi));
                    }
                }
                higher = Some(n);
                ht = Some(n);
                if l == level {
                    if let Some(s) = shared {
                        // The shared table is pinned by its sharer.
                        let sid = self.ht(s).id.get();
                        let hs = sid.hat.expect("shared htable without a hat");
                        let pinned = if model::mutant(super::mutants::SHARE_NO_PIN) {
                            None
                        } else {
                            self.htable_lookup(hs, sid.vaddr, sid.level)
                        };
                        if let Some(p) = pinned {
                            self.drop_ht(p);
                        }
                        model::cover("htable.hs_htable_shared");
                    }
                }
                break;
            }
        }
        ht.expect("htable_create: no level")
    }

    /// `htable_release` (1159-1261): drops a hold; the last hold on an
    /// empty table (not a freeing hat's, not at or above the largest page
    /// level) unlinks, unhashes and frees it, then releases its parent in
    /// turn.
    pub fn htable_release(&self, ht: Option<Ht>) {
        let _f = model::exec::call("htable_release", "htable.c:1159");
        let mut cur = ht;
        while let Some(mut ht) = cur {
            let mut shared = None;
            let h = loop {
                let t = self.ht(ht);
                let id = t.id.get();
                let hid = id.hat.expect("htable_release: htable without a hat");
                let hat = self.hat(hid);
                model::seed("htable.c:1181");
                let h = self.hash(&hat, id.vaddr, id.level);
                self.htable_enter(h);
                // Under the bucket mutex no one can take a new hold, so
                // busy 1 (ours) and no valid entry mean nobody else can
                // reach the table (1181-1187).
                let valid = t.valid.load(Relaxed);
                if valid > 0 {
                    break h;
                }
                let busy = t.busy.load(Relaxed);
                if busy > 1 {
                    break h;
                }
                if id.flags & HTABLE_SHARED_PFN == 0 {
                    // Teardown frees everything at the end (1199-1200);
                    // user tables at and above the largest page level stay
                    // (1206-1208).
                    let kept = if model::mutant(super::mutants::RELEASE_KEEP_BELOW) {
                        // Wrong: keeps the tables below the level instead.
                        id.level < self.cfg.max_page_level
                    } else {
                        id.level >= self.cfg.max_page_level
                    };
                    if hat.freeing() || kept {
                        break h;
                    }
                } else {
                    shared = id.shares;
                    model::cover("htable.hs_htable_unshared");
                }
                // The seed asserts the lock count (1188); H2 reads it.
                let locked = t.lock_cnt.load(Relaxed);
                self.h2_last_hold(ht, busy, valid, locked, "htable_release");
                self.h4_covered(ht, valid, &id);
                model::seed("htable.c:1226");
                let higher = id.parent.expect("htable_release: no parent");
                self.unlink_ptp(higher, ht, id.vaddr);
                self.hashout(&hat, h, ht);
                self.drop_ht(ht);
                // The child's hold on its parent is now ours.
                self.hold_ht(higher);
                self.htable_exit(h);
                self.htable_free(ht);
                ht = higher;
            };
            model::seed("htable.c:1251");
            let t = self.ht(ht);
            if model::mutant(super::mutants::RELEASE_BUSY_AFTER_EXIT) {
                // The decrement (atomic) after the bucket mutex: two
                // releases can each see the other's hold (1186, 1252-1253).
                self.htable_exit(h);
                self.busy_dec(ht, &t);
            } else {
                self.busy_dec(ht, &t);
                self.htable_exit(h);
            }
            if let Some(s) = shared {
                self.hold_ht(s);
            }
            cur = shared;
        }
    }

    /// `htable_getpte` (1760-1786): the lowest table with an entry for
    /// `va` up to `level`, held, with the entry index and its PTE.
    pub fn htable_getpte(&self, hid: HatId, va: u64, level: u32) -> Option<(Ht, u32, u64)> {
        for l in 0..=level {
            if let Some(ht) = self.htable_lookup(hid, va, l) {
                let e = self.va2entry(va, l);
                return Some((ht, e, self.x86pte_get(ht, e)));
            }
        }
        None
    }

    /// H2 when `ht` is about to be unhashed by the calling thread (bucket
    /// mutex held): busy is 1 and that hold is the caller's, and the table
    /// has no valid and no locked entries by its counts (`busy`, `valid`,
    /// `locked`, read by the caller under the mutex).
    #[track_caller]
    pub(crate) fn h2_last_hold(&self, ht: Ht, busy: u32, valid: u16, locked: u32, what: &str) {
        let holders = self.ghost.holders(ht);
        let me = model::exec::tid();
        check!(
            busy == 1 && holders == [me] && valid == 0 && locked == 0,
            HTABLE_H2,
            "{what}: thread {me} unhashes htable {} with busy {busy} (held by threads {holders:?}), valid count {valid}, lock count {locked}",
            ht.0
        );
    }

    /// H4 when an htable is about to be unlinked: its valid count (`count`,
    /// read by the caller under the bucket mutex) covers its valid entries.
    /// Not for a shared table, whose entries are its ISM table's and whose
    /// count `hat_share` / `hat_unshare` set.
    #[track_caller]
    pub(crate) fn h4_covered(&self, ht: Ht, count: u16, id: &super::ht::Ident) {
        if id.flags & HTABLE_SHARED_PFN != 0 {
            return;
        }
        let count = usize::from(count);
        let pt = self.x86pte_access_pagetable(id);
        let valid = (0..self.ptes())
            .filter(|&e| pte_valid(pt.pte(e as usize).load()))
            .count();
        self.x86pte_release_pagetable();
        check!(
            valid <= count,
            HTABLE_H4,
            "thread {} unlinks htable {} (va {:#x} level {}) with valid count {count} but {valid} valid entries",
            model::exec::tid(),
            ht.0,
            id.vaddr,
            id.level
        );
    }
}
