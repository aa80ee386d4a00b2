//! The VM layer every port runs on (vm_page.c, vnode.h, sys/param.h; not
//! seeds): one `page_t` with the page operations the seeds call, one vnode
//! identity, and the sizes they share. segmap (`crate::segmap`) and the
//! x86 HAT (`crate::htable`) both use it, and so does the pvn port
//! (`crate::pvn`), whose worlds also model each vnode's page ring and
//! `VVMLOCK` ([`vnode::VnodeState`], [`vplist`]).
//!
//! # Lock keys
//!
//! One legend for the VM layer's fields (the subsystems' own state keeps
//! its own letters, listed in their module docs):
//!
//! * (P) the page's lock `p_selock`: exclusive to write, any mode to read;
//! * (M) the page's mapping-list mutex (`x86_hm_enter`);
//! * (S) `page_struct_lock` (`p_lckcnt`, `p_cowcnt`);
//! * (V) the vnode page mutex (`page_vnode_mutex`), (L) `v_lock`;
//! * (u) also read with no lock on purpose (a hint);
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
//! | `page_create_va(PG_EXCL)` | [`page::Pages::create_excl`] |
//! | `page_release` (vm_page.c's, any mode, with `page_tryupgrade`) | [`page::Pages::page_release`] |
//! | `page_free` (onto the cachelist in worlds with vnodes) | [`page::Pages::free`] |
//! | `page_destroy`, `page_destroy_free` | [`page::Pages::destroy`], [`page::Pages::destroy_free`] |
//! | `page_hashin` / `page_hashout` (the vnode ring) | `page::Pages::hashin`, `page::Pages::hashout` |
//! | `page_pp_lock` / `page_pp_unlock` | [`page::Pages::pp_lock`], [`page::Pages::pp_unlock`] |
//! | `hat_page_setattr` (VMODSORT: to the tail), `hat_setmod_only`, `hat_page_clrattr` | [`page::Page::sync_pte`], [`page::Pages::setmod`], [`page::Pages::setmod_only`], [`page::Pages::clear_refmod`] |
//! | `page_io_lock` family | [`page::Page::io`] (`model::sync::IoLock`) |
//! | `page_vpadd` / `page_vpsub` | [`vplist::Ring::add`] / [`vplist::Ring::sub`] |

pub mod hat;
pub(crate) mod keyed;
pub mod kmap;
pub mod mutants;
pub mod page;
pub mod param;
pub mod vnode;
pub mod vplist;
pub mod windows;
pub(crate) mod word;
