//! Ghost state: what the operations hold, by thread, for the checks
//! (`super::checks`). Only checks read it; it never decides anything.

use model::kernel::Handle;
use model::Tid;
use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

/// Who holds a device context (`oncpu` set).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Owner {
    /// A thread between seg_dev.c:2635 and its release.
    Thread(Tid),
    /// The hysteresis callout it set (2675), until `devmap_ctxto` runs.
    Callout,
}

#[derive(Clone, Default)]
pub(crate) struct G {
    /// Per (softlock, thread): pages it holds as F_SOFTLOCK and as
    /// F_INVAL/F_PROT (between a successful enter and the exits).
    pub(crate) holds: BTreeMap<(Handle, Tid), (u64, u64)>,
    /// Per softlock and per context: threads in its cv wait loop.
    pub(crate) sl_waiters: BTreeMap<Handle, u32>,
    pub(crate) ctx_waiters: BTreeMap<Handle, u32>,
    /// Per softlock and per context: live handles referring to it.
    pub(crate) sl_refs: BTreeMap<Handle, u64>,
    pub(crate) ctx_refs: BTreeMap<Handle, u64>,
    /// Per context: its holder, and its `devmap_ctxto` callouts set and
    /// neither started nor cancelled.
    pub(crate) owner: BTreeMap<Handle, Owner>,
    pub(crate) pending: BTreeMap<Handle, u32>,
    /// Per cookie: the segkp range's F_SOFTLOCKs outstanding (`as_fault`
    /// stand-in).
    pub(crate) segkp: Vec<u32>,
    /// Per process: pages loaded with `HAT_LOAD_LOCK` and not unlocked.
    pub(crate) hat_locked: BTreeMap<usize, u64>,
}

pub(crate) struct Ghost(Mutex<G>);

impl Ghost {
    pub(crate) fn new(cookies: usize) -> Self {
        Ghost(Mutex::new(G {
            segkp: vec![0; cookies],
            ..G::default()
        }))
    }

    pub(crate) fn g(&self) -> MutexGuard<'_, G> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A copy, so checks can fail without holding the ghost lock.
    pub(crate) fn snapshot(&self) -> G {
        self.g().clone()
    }
}
