//! `Owned<T>`: a field that only the exclusive owner of its object changes.

use std::sync::Mutex;

/// A value changed only by the thread that owns the enclosing object
/// exclusively (lock key `(o)`): an htable's identity while it is on no
/// hash chain and no shared list. The seed fills it in before publishing
/// the htable (htable.c:902-935, before the hashin at 1432-1437) and
/// changes it again only after taking the htable off every chain and list
/// (359, 665).
///
/// Every reader reached the object through a mutex or atomic that the
/// writer released it by (a bucket, hat, reserve or mapping-list mutex), so
/// the explorers order each read after the write it sees, as for
/// [`model::sync::Locked`]; the value needs no backend primitive. The
/// protocol that makes ownership exclusive is itself checked: HTABLE-H2
/// when an htable is unhashed, HTABLE-H3 when it is freed or reused.
/// (The std mutex only provides interior mutability; it is never
/// contended by a correct port.)
pub(crate) struct Owned<T: Copy>(Mutex<T>);

impl<T: Copy> Owned<T> {
    pub(crate) fn new(v: T) -> Self {
        Owned(Mutex::new(v))
    }

    pub(crate) fn get(&self) -> T {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn update(&self, f: impl FnOnce(&mut T)) {
        f(&mut self.0.lock().unwrap_or_else(|e| e.into_inner()));
    }
}
