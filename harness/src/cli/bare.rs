//! The benchmark baseline: `proto/tryenter-inversion` written directly on
//! bare loom and bare shuttle, with the same kernel-mutex protocol as the
//! facade (an owner word in a backend mutex with a condvar) but no run-time
//! dispatch, lockdep, ghost state or tracing. `vmspec bench` divides the
//! facade's time by this one's.

macro_rules! bare {
    ($name:ident, $backend:ident) => {
        pub mod $name {
            use std::sync::Arc;
            use $backend::sync::{Condvar, Mutex};

            struct KMutex {
                st: Mutex<(Option<usize>, u32)>,
                cv: Condvar,
            }

            impl KMutex {
                fn new() -> Self {
                    KMutex {
                        st: Mutex::new((None, 0)),
                        cv: Condvar::new(),
                    }
                }
                fn enter(&self, me: usize) {
                    let mut g = self.st.lock().unwrap();
                    if g.0.is_none() {
                        g.0 = Some(me);
                        return;
                    }
                    g.1 += 1;
                    while g.0.is_some() {
                        g = self.cv.wait(g).unwrap();
                    }
                    g.1 -= 1;
                    g.0 = Some(me);
                }
                fn tryenter(&self, me: usize) -> bool {
                    let mut g = self.st.lock().unwrap();
                    if g.0.is_some() {
                        return false;
                    }
                    g.0 = Some(me);
                    true
                }
                fn exit(&self) {
                    let mut g = self.st.lock().unwrap();
                    g.0 = None;
                    let wake = g.1 > 0;
                    drop(g);
                    if wake {
                        self.cv.notify_all();
                    }
                }
            }

            /// One execution of the program.
            pub fn body() {
                let l = Arc::new((KMutex::new(), KMutex::new()));
                let l2 = l.clone();
                let a = $backend::thread::spawn(move || {
                    l2.0.enter(1);
                    l2.1.enter(1);
                    l2.1.exit();
                    l2.0.exit();
                });
                loop {
                    l.1.enter(0);
                    if l.0.tryenter(0) {
                        l.0.exit();
                        l.1.exit();
                        break;
                    }
                    l.1.exit();
                    $backend::thread::yield_now();
                }
                a.join().unwrap();
            }
        }
    };
}

bare!(on_loom, loom);
bare!(on_shuttle, shuttle);
