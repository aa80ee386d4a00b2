//! Two threads create the same leaf table (htable.c:1341-1343,
//! 1416-1420, 1440-1443).

use super::BASE;
use harness::{Mutant, Scenario};
use model::sync::spawn;
use subsys::htable::{Config, World, HTABLE_H1, HTABLE_H2};

fn body() {
    let w = World::new(Config::default());
    let hat = w.hat_alloc(true);
    let w2 = w.clone();
    let t = spawn("create", move || {
        let ht = w2.htable_create(hat, 0, 0, None);
        w2.htable_release(Some(ht));
    });
    let ht = w.htable_create(hat, 0, 0, None);
    w.htable_release(Some(ht));
    t.join();
    w.check_quiescent();
}

pub const CREATE_SAME: Scenario = Scenario {
    id: "htable/create-same",
    summary: "two threads htable_create the same leaf table and release it: one is hashed and linked, the loser's is freed",
    mutants: &[
        Mutant {
            name: subsys::htable::mutants::CREATE_NO_RESEARCH,
            catches: HTABLE_H1,
            summary: "htable_create hashes its new table without searching again after allocating (1416-1420)",
        },
        Mutant {
            name: subsys::htable::mutants::CREATE_RELEASE_HIGHER,
            catches: HTABLE_H2,
            summary: "htable_create releases the parent after linking a new child, whose hold it is (1440-1443)",
        },
    ],
    body,
    ..BASE
};
