//! Two processes fault on one pageable cookie: the single segkp
//! F_SOFTLOCK behind `acquire_kpmem_lock` / `release_kpmem_lock`
//! (seg_dev.c:1192-1236).

use super::common::{cfg, finish, inval, kmap, softlock_unlock, start};
use harness::{Expect, Mutant, Scenario};
use subsys::devmap::{
    mutants, Cookie, DevmapConfig, Fixes, HandleSpec, Mapping, SegSpec, DEVMAP_K4, LOCK_ORDER,
};

fn cookie_page(off: u64) -> HandleSpec {
    HandleSpec {
        len: 1,
        mapping: Mapping {
            cookie: Cookie::Kpmem(0),
            pfn: off,
            invalid: false,
        },
        remap: false,
        access: None,
        timeout: 0,
    }
}

/// Process 0 F_SOFTLOCKs (and F_SOFTUNLOCKs) page 0 of the cookie while
/// process 1 F_INVALs page 1: whichever comes first F_SOFTLOCKs the
/// segkp range, the last release F_SOFTUNLOCKs it.
fn body() {
    let dm = kmap(
        2,
        DevmapConfig {
            cookies: 1,
            ..cfg(Fixes::default(), false)
        },
    );
    dm.map(&SegSpec::new(vec![cookie_page(0)]));
    dm.map(&SegSpec::new(vec![cookie_page(1)]));
    let t = start(&dm, "p1", Box::new(|dm| inval(dm, 1, 0)));
    softlock_unlock(&dm, 0, 0, 1);
    t.join();
    finish(&dm, 2);
}

pub const KPMEM_SHARED: Scenario = Scenario {
    id: "devmap/kpmem-shared",
    summary: "two processes fault on one pageable cookie: one segkp F_SOFTLOCK while either holds it",
    threads: 2,
    loom_bound: Some(3),
    pct_depth: 3,
    expect: Expect::Pass,
    mutants: &[
        Mutant {
            name: mutants::KPMEM_LOCK_EVERY_TIME,
            catches: DEVMAP_K4,
            summary: "acquire_kpmem_lock F_SOFTLOCKs the segkp range again while it is locked (seg_dev.c:1210)",
        },
        Mutant {
            name: mutants::KPMEM_UNLOCK_EARLY,
            catches: DEVMAP_K4,
            summary: "release_kpmem_lock F_SOFTUNLOCKs the segkp range while the other fault still counts on it (seg_dev.c:1229)",
        },
    ],
    orders: &[&LOCK_ORDER],
    params: &[],
    body,
};
