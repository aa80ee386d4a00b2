//! Ghost state: what the checks know that the seed does not keep. It
//! feeds checks and reports only, never a decision of the port.

use super::ids::{HatId, Ht};
use model::exec::{self, Tid};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, MutexGuard};

/// Which private or shared list an htable is on, besides a hash chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Listed {
    /// A hat's `hat_ht_cached`.
    Cached(HatId),
    /// A stealer's list (`htable_steal`'s `list`).
    Stolen(Tid),
    /// `htable_reserve_pool`.
    Reserve,
}

#[derive(Default)]
struct State {
    /// `ht_busy` references held by threads, with multiplicity.
    holds: Vec<(Ht, Tid)>,
    /// htables on a hash chain.
    hashed: BTreeSet<Ht>,
    /// htables on a list.
    listed: BTreeMap<Ht, Listed>,
    /// htables allocated from kmem and not freed.
    live: BTreeSet<Ht>,
    /// hats allocated and not freed.
    hats: BTreeSet<HatId>,
    /// Hats marked HAT_VICTIM, with the stealing thread.
    victims: Vec<(HatId, Tid)>,
    /// Frames a CPU wrote.
    written: BTreeSet<(u64, u64)>,
    /// Threads in `htable_alloc`'s steal loop (841-864).
    alloc_stealing: usize,
}

/// The ghost ledger of one world.
#[derive(Default)]
pub(crate) struct Ghost(Mutex<State>);

impl Ghost {
    fn g(&self) -> MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The calling thread took a busy reference on `ht`.
    pub(crate) fn hold(&self, ht: Ht) {
        self.g().holds.push((ht, exec::tid()));
    }

    /// The calling thread gave up (or handed to the structure) one busy
    /// reference on `ht`.
    pub(crate) fn drop_hold(&self, ht: Ht) {
        let me = exec::tid();
        let mut g = self.g();
        if let Some(i) = g.holds.iter().position(|&h| h == (ht, me)) {
            g.holds.swap_remove(i);
        }
    }

    /// Threads holding `ht`, with multiplicity.
    pub(crate) fn holders(&self, ht: Ht) -> Vec<Tid> {
        self.g()
            .holds
            .iter()
            .filter(|h| h.0 == ht)
            .map(|h| h.1)
            .collect()
    }

    pub(crate) fn set_hashed(&self, ht: Ht, on: bool) {
        let mut g = self.g();
        if on {
            g.hashed.insert(ht);
        } else {
            g.hashed.remove(&ht);
        }
    }

    pub(crate) fn is_hashed(&self, ht: Ht) -> bool {
        self.g().hashed.contains(&ht)
    }

    /// Records that `ht` went on list `l` (`None`: came off its list);
    /// returns the list it was on before.
    pub(crate) fn set_listed(&self, ht: Ht, l: Option<Listed>) -> Option<Listed> {
        let mut g = self.g();
        match l {
            Some(l) => g.listed.insert(ht, l),
            None => g.listed.remove(&ht),
        }
    }

    pub(crate) fn listed(&self, ht: Ht) -> Option<Listed> {
        self.g().listed.get(&ht).copied()
    }

    pub(crate) fn set_live(&self, ht: Ht, on: bool) {
        let mut g = self.g();
        if on {
            g.live.insert(ht);
        } else {
            g.live.remove(&ht);
        }
    }

    pub(crate) fn live(&self) -> Vec<Ht> {
        self.g().live.iter().copied().collect()
    }

    pub(crate) fn hat_alive(&self, hat: HatId, on: bool) {
        let mut g = self.g();
        if on {
            g.hats.insert(hat);
        } else {
            g.hats.remove(&hat);
        }
    }

    pub(crate) fn hats(&self) -> Vec<HatId> {
        self.g().hats.iter().copied().collect()
    }

    /// The calling thread marked `hat` HAT_VICTIM; returns another thread
    /// already stealing from it, if any.
    pub(crate) fn victim(&self, hat: HatId) -> Option<Tid> {
        let me = exec::tid();
        let mut g = self.g();
        let other = g.victims.iter().find(|v| v.0 == hat).map(|v| v.1);
        g.victims.push((hat, me));
        other
    }

    /// The calling thread cleared HAT_VICTIM on `hat`.
    pub(crate) fn unvictim(&self, hat: HatId) {
        let me = exec::tid();
        let mut g = self.g();
        if let Some(i) = g.victims.iter().position(|&v| v == (hat, me)) {
            g.victims.swap_remove(i);
        }
    }

    /// A thread stealing from `hat`, if any.
    pub(crate) fn victim_of(&self, hat: HatId) -> Option<Tid> {
        self.g().victims.iter().find(|v| v.0 == hat).map(|v| v.1)
    }

    pub(crate) fn victims(&self) -> Vec<(HatId, Tid)> {
        self.g().victims.clone()
    }

    /// The calling thread enters (`true`) or leaves `htable_alloc`'s
    /// steal loop.
    pub(crate) fn alloc_stealing(&self, on: bool) {
        let mut g = self.g();
        if on {
            g.alloc_stealing += 1;
        } else {
            g.alloc_stealing -= 1;
        }
    }

    /// Whether some thread is in `htable_alloc`'s steal loop.
    pub(crate) fn an_alloc_steals(&self) -> bool {
        self.g().alloc_stealing > 0
    }

    /// A CPU wrote frame `pfn` while its page had identity `incarnation`.
    pub(crate) fn wrote(&self, pfn: u64, incarnation: u64) {
        self.g().written.insert((pfn, incarnation));
    }

    /// Software cleared frame `pfn`'s MOD on purpose (a write-back):
    /// writes before that need no MOD any more.
    pub(crate) fn mod_cleared(&self, pfn: u64) {
        self.g().written.retain(|&(f, _)| f != pfn);
    }

    /// The frames written, each with the identity its page had then.
    pub(crate) fn written(&self) -> Vec<(u64, u64)> {
        self.g().written.iter().copied().collect()
    }
}
