//! The htable hash: per-hat chains under the shared bucket mutexes
//! (`htable_mutex[]`, htable.c:96-104), and `ht_busy` under them.

use super::checks::{HTABLE_H1, HTABLE_H2};
use super::hat::Hat;
use super::ht::Htable;
use super::ids::Ht;
use super::world::World;
use model::check;
use model::sync::{KMutex, Ordering::Relaxed};

impl World {
    /// `HTABLE_HASH(hat, va, lvl)` (htable.h): the bucket index within
    /// the hat's hash, mixing in the hat so that the bucket mutex differs
    /// between address spaces.
    pub(crate) fn hash(&self, hat: &Hat, va: u64, level: u32) -> usize {
        let h = (va >> self.level_shift(1)) + (va >> 28) + u64::from(level) + hat.hash_id;
        (h & u64::from(self.cfg.hash - 1)) as usize
    }

    /// The mutex of bucket `h` (`HTABLE_MUTEX_HASH`).
    pub(crate) fn bucket(&self, h: usize) -> &KMutex {
        &self.buckets[h % self.buckets.len()]
    }

    /// `HTABLE_ENTER(h)`.
    #[track_caller]
    pub(crate) fn htable_enter(&self, h: usize) {
        self.bucket(h).enter();
    }

    /// `HTABLE_EXIT(h)`.
    #[track_caller]
    pub(crate) fn htable_exit(&self, h: usize) {
        self.bucket(h).exit();
    }

    /// The htables on chain `h` of `hat`, head first (bucket mutex held).
    #[track_caller]
    pub(crate) fn chain(&self, hat: &Hat, h: usize) -> Vec<Ht> {
        hat.hash[h].get(self.bucket(h)).clone()
    }

    /// The htable after `ht` on chain `h` (`ht->ht_next`; bucket held).
    #[track_caller]
    pub(crate) fn chain_next(&self, hat: &Hat, h: usize, ht: Ht) -> Option<Ht> {
        let c = hat.hash[h].get(self.bucket(h));
        let i = c.iter().position(|&x| x == ht)?;
        c.get(i + 1).copied()
    }

    /// H1 before `ht` is linked and hashed (1426-1437; bucket held): no
    /// hashed htable has its identity.
    #[track_caller]
    pub(crate) fn h1_unique(&self, hat: &Hat, h: usize, ht: Ht, t: &Htable) {
        let me = t.id.get();
        for other in self.chain(hat, h) {
            let o = self.htables.get(other.0).id.get();
            check!(
                !(o.hat == me.hat && o.vaddr == me.vaddr && o.level == me.level),
                HTABLE_H1,
                "thread {} hashes htable {} for va {:#x} level {} while htable {} for the same table is hashed",
                model::exec::tid(),
                ht.0,
                me.vaddr,
                me.level,
                other.0
            );
        }
    }

    /// Inserts `ht` at the head of chain `h` (1432-1436; bucket held).
    #[track_caller]
    pub(crate) fn hashin(&self, hat: &Hat, h: usize, ht: Ht) {
        hat.hash[h].get(self.bucket(h)).insert(0, ht);
        self.ghost.set_hashed(ht, true);
    }

    /// Unlinks `ht` from chain `h` (505-513, 1237-1245; bucket held).
    #[track_caller]
    pub(crate) fn hashout(&self, hat: &Hat, h: usize, ht: Ht) {
        hat.hash[h].get(self.bucket(h)).retain(|&x| x != ht);
        self.ghost.set_hashed(ht, false);
    }

    /// `++ht->ht_busy` (bucket held): a plain increment in C, one
    /// read-modify-write here (the same values as a load and a store under
    /// the mutex, with one scheduling point instead of three).
    #[track_caller]
    pub(crate) fn busy_inc(&self, ht: Ht, t: &Htable) {
        t.busy.fetch_add(1, Relaxed);
        self.hold_ht(ht);
    }

    /// `--ht->ht_busy` (bucket held).
    #[track_caller]
    pub(crate) fn busy_dec(&self, ht: Ht, t: &Htable) {
        let b = t.busy.fetch_sub(1, Relaxed);
        check!(
            b > 0,
            HTABLE_H2,
            "thread {} releases htable {} whose busy count is 0",
            model::exec::tid(),
            ht.0
        );
        self.drop_ht(ht);
    }
}
