//! Coverage points of the VM layer: the kmap stand-in's race windows, and
//! the [`Window`] type the ports that declare theirs as constants share
//! (segmap's are in `crate::segmap::windows`).

/// A race window (or a seed counter, or a branch a scenario is written to
/// take) and the coverage point that shows a run reached it. The constant
/// is the one name for the point: `model::cover(W.point)` where the code
/// reaches it, `W.point` in the tests that assert it is reached.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    /// The coverage point.
    pub point: &'static str,
    /// Seed lines, cited as `file.c:lines`.
    pub lines: &'static str,
    pub what: &'static str,
    /// Why no scenario can reach it, if none can: the suite asserts that
    /// every window without a reason is reached, and none with one is.
    pub unreachable: Option<&'static str>,
}

/// The kmap stand-in's `hat_unload` lost its CAS on the PTE to the MMU
/// setting REF or MOD (`x86pte_inval`'s retry).
pub const KMAP_UNLOAD_HW_RACE: Window = Window {
    point: "kmap.x86pte_inval.hw_race",
    lines: "htable.c:2265-2272",
    what: "hat_unload of a kmap PTE retries after a hardware REF/MOD update",
    unreachable: Some(
        "the segment unloads a window only when no holder is left to access it through any CPU \
         (segmap: refcnt 0, slot mutex held), so no CPU sets REF/MOD on the entry meanwhile",
    ),
};

/// The kmap stand-in's `hat_unload` shot down a referenced entry.
pub const KMAP_UNLOAD_SHOOTDOWN: Window = Window {
    point: "kmap.x86pte_inval.shootdown",
    lines: "htable.c:2273-2274",
    what: "hat_unload of a referenced kmap PTE shoots the address down on every CPU",
    unreachable: None,
};

/// The kmap stand-in's windows.
pub const WINDOWS: &[Window] = &[KMAP_UNLOAD_HW_RACE, KMAP_UNLOAD_SHOOTDOWN];
