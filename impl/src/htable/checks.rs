//! The htable invariants as check ids (seed map section 5, H1-H9).
//!
//! Each id is checked where the seed relies on it (the point checks in the
//! operations: a hashin, an unhash, a free, a shootdown) and again over the
//! whole state at quiescent points ([`super::World::check_quiescent`], run
//! by every scenario after joining its threads).

/// At most one hashed htable per (hat, vaddr, level): checked before a
/// new table is hashed (htable.c:1426-1437) and over all chains at rest.
pub const HTABLE_H1: &str = "HTABLE-H1";
/// `ht_busy` counts exactly the thread holds, the hashed children (each
/// child keeps its creator's hold on its parent, htable.c:1440-1443), the
/// hat's hold on its top table and the shared tables pinning it
/// (1451-1455); a table is unhashed only by its last holder with busy 1,
/// valid 0 and lock count 0 under the bucket mutex (1184-1188, 490-494).
pub const HTABLE_H2: &str = "HTABLE-H2";
/// A stolen or freed htable is on no hash chain, its parent no longer
/// links to it, and it is on at most one of the cached, stolen and reserve
/// lists; at rest every live htable is on exactly one chain or list. An
/// htable reached through a mapping (`htable_acquire`, 1318-1331) is hashed.
pub const HTABLE_H3: &str = "HTABLE-H3";
/// A table's valid count covers its valid entries: a table unlinked with
/// count 0 has no valid entry (1184, 490), and at rest the count equals the
/// valid entries (hats not being freed).
pub const HTABLE_H4: &str = "HTABLE-H4";
/// After `unlink_ptp` (hat not freeing) no CPU caches anything through the
/// old table (1098-1109); after a PTE change followed by its shootdown
/// (`x86pte_set` 2147-2148, `x86pte_inval` 2273-2274, `x86pte_update`
/// 2304) no CPU caches the old entry.
pub const HTABLE_H5: &str = "HTABLE-H5";
/// REF/MOD set by hardware are never lost: at rest every page a CPU wrote
/// is modified in its `page_t` or in a PTE that maps it; when
/// `x86pte_update` reports success at clearing write and MOD, no write
/// landed through a stale translation (2306-2324).
pub const HTABLE_H6: &str = "HTABLE-H6";
/// A parent's entry for a child changes only between 0 and the link to
/// that child (`link_ptp` 1131-1133, `unlink_ptp` 1085-1096); at rest every
/// link in a hashed table names a hashed child of that table at that
/// index.
pub const HTABLE_H7: &str = "HTABLE-H7";
/// At most one stealer per hat (the HAT_VICTIM mark, 610-622); a hat is not
/// freed while a stealer works on it; a reaping stealer forgets the hat in
/// every table it took (651-666) before it clears HAT_VICTIM (690-694).
pub const HTABLE_H8: &str = "HTABLE-H8";
/// `htable_reserve_cnt` equals the length of the reserve list (356-388).
pub const HTABLE_H9: &str = "HTABLE-H9";
/// `htable_alloc` does not go round its steal loop (841-864) for nothing
/// while page-table pages are free (finding L1: the loop only steals and
/// never retries `ptable_alloc`, so pages freed by the reap its
/// `kmem_reap()` started, which may have taken the only table it could
/// steal, do not help it). Checked where `kmem_taskq` runs.
pub const HTABLE_L1: &str = "HTABLE-L1";
/// Every user hat's top-level entries in the kernel range equal the
/// kernel hat's (`hat_alloc` copies them with `x86pte_copy`, 2336-2381,
/// without a lock and not atomically; they must not change after boot,
/// which `htable_attach` ensures by keeping the boot tables, 1569-1573).
pub const HTABLE_H10: &str = "HTABLE-H10";
/// The release of the last mapping of a user table frees it when its level
/// is below `mmu.max_page_level` and keeps it (hashed, found by
/// `htable_lookup`) at and above (1206-1208); checked at rest by the
/// scenario that unloads a table's last mapping at each level.
pub const HTABLE_KEEP: &str = "HTABLE-KEEP";
