//! The htable layer's handles: `htable_t *` and `hat_t *` as
//! generation-checked kmem handles (a use after free is MEM-UAF). Every
//! module names them from here (`world` re-exports them).

use model::kernel::Handle;

/// An htable (`htable_t *`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ht(pub(crate) Handle);

/// A hat (`hat_t *`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HatId(pub(crate) Handle);
