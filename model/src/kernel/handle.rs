//! Generation-checked handles: what the model uses where the seeds keep a
//! pointer to a kmem-allocated object.

use std::fmt;

/// Bits of [`Handle::to_bits`] that hold the slot index.
const INDEX_BITS: u32 = 16;
/// Generations that fit in a PTE's 40-bit frame number field next to the
/// index (a page-table link stores the child table's handle as its pfn).
pub(crate) const MAX_GEN: u32 = (1 << 24) - 1;
/// Slots an arena may have, so that an index fits in [`INDEX_BITS`].
pub(crate) const MAX_SLOTS: usize = 1 << INDEX_BITS;

/// A reference to one allocation of an [`super::Arena`] slot: the slot index
/// and the generation the slot had when it was allocated. Freeing the
/// object ends the generation, so every later use of this handle is a
/// reported use after free, even after the slot has been reused.
///
/// Generations start at 1, so [`Handle::to_bits`] is never 0 and 0 can
/// mean "no object" wherever a handle is stored in a word (a published
/// pointer, a page-table link).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Handle {
    index: u32,
    gen: u32,
}

impl Handle {
    pub(crate) fn new(index: u32, gen: u32) -> Self {
        debug_assert!((1..=MAX_GEN).contains(&gen) && (index as usize) < MAX_SLOTS);
        Handle { index, gen }
    }

    /// The slot index (the object's instance number in reports).
    pub fn index(self) -> u32 {
        self.index
    }

    /// The slot generation this handle refers to.
    pub fn gen(self) -> u32 {
        self.gen
    }

    /// The handle packed into at most 40 bits, never 0.
    pub fn to_bits(self) -> u64 {
        (u64::from(self.gen) << INDEX_BITS) | u64::from(self.index)
    }

    /// Unpacks [`Handle::to_bits`]; `None` for 0 ("no object"). A word that
    /// never held a handle unpacks to a handle no arena ever issued, whose
    /// use is reported like any stale handle.
    pub fn from_bits(bits: u64) -> Option<Self> {
        if bits == 0 {
            return None;
        }
        Some(Handle {
            index: (bits & ((1 << INDEX_BITS) - 1)) as u32,
            gen: (bits >> INDEX_BITS) as u32,
        })
    }
}

impl fmt::Display for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{} gen {}", self.index, self.gen)
    }
}
