//! The vnode stand-in: an identity with a synthetic kernel address. segmap
//! never dereferences a vnode: it compares vnode pointers as tags
//! (seg_map.c:1012, 1655, 1671) and hashes their address
//! (seg_map.c:260-264); a page names its vnode by the same identity
//! (`super::page`). Not yet modelled: the page ring `v_pages` under the
//! vnode page mutex and `VVMLOCK` with `v_cv`, which the pvn walk needs.

/// A vnode, by identity. `Vnode(0)` is not a vnode: the port stores it as
/// the `NULL` tag of an unused slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Vnode(pub u32);

/// Where the model's vnodes live, and how far apart (about the size of a
/// `vnode_t`, so the hash sees pointer-like values).
const VNODE_BASE: u64 = 0xffff_fe00_0000_0000;
const VNODE_SIZE: u64 = 0x200;

impl Vnode {
    /// The vnode's synthetic kernel address (the pointer the seed hashes).
    pub fn addr(self) -> u64 {
        VNODE_BASE + u64::from(self.0) * VNODE_SIZE
    }

    /// The value a slot's `sm_vp` word holds for this vnode.
    pub fn tag(self) -> u64 {
        u64::from(self.0)
    }
}
