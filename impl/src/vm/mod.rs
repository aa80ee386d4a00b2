//! The VM layer every port runs on (vm_page.c, vnode.h, sys/param.h; not
//! seeds): one `page_t` with the page operations the seeds call, one vnode
//! identity, and the sizes they share. segmap (`crate::segmap`) and the
//! x86 HAT (`crate::htable`) both use it; later ports (vm_seg.c,
//! seg_dev.c, vm_pvn.c) are to use it too.
//!
//! # Lock keys
//!
//! One legend for the VM layer's fields (the subsystems' own state keeps
//! its own letters, listed in their module docs):
//!
//! * (P) the page's lock `p_selock`: exclusive to write, any mode to read;
//! * (M) the page's mapping-list mutex (`x86_hm_enter`);
//! * (a) atomic, changed by read-modify-write with no lock;
//! * (c) constant after creation;
//! * (g) ghost: instrumentation that only checks read.
//!
//! # Operations
//!
//! | illumos | port |
//! |---|---|
//! | `page_lookup` | [`page::Pages::lookup`] |
//! | `page_lookup_nowait` | [`page::Pages::lookup_nowait`] |
//! | `page_find` | [`page::Pages::find`] |
//! | `page_create_va` | [`page::Pages::create`] |
//! | `page_release` (with `page_free` of a clean page) | [`page::Pages::release`] |
//! | `page_exists` | [`page::Pages::exists`] |
//! | `page_trylock` of a page found by frame | [`page::Pages::trylock`] |
//! | `hat_setmod`, `hat_page_getattr(P_MOD)` | [`page::Pages::setmod`], [`page::Pages::is_modified`] |
//! | `hati_sync_pte_to_page` (`PP_SETRM`) | [`page::Page::sync_pte`] |
//! | `page_numtopp_nolock` | [`page::Pages::of_pfn`] |

pub mod hat;
pub(crate) mod keyed;
pub mod kmap;
pub mod mutants;
pub mod page;
pub mod param;
pub mod vnode;
pub mod windows;
pub(crate) mod word;
