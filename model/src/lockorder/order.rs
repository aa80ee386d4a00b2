//! Declared lock orders, one table per subsystem (after Go's
//! `runtime/mklockrank.go`): classes by rank, and the nestings that break
//! the ranking on purpose, each with the seed line that justifies it.

use super::How;

/// Which acquisitions an [`Exception`] allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nesting {
    /// Only by a try operation (it cannot deadlock).
    TryOnly,
    /// Also blocking (the table must then say why it cannot deadlock). A
    /// class excepted against itself nests two instances only in
    /// ascending instance order (checked), the order its reason states.
    Blocking,
}

/// A nesting allowed against the ranks.
#[derive(Clone, Copy, Debug)]
pub struct Exception {
    pub held: &'static str,
    pub taken: &'static str,
    pub nesting: Nesting,
    /// The seed lines and the reason.
    pub why: &'static str,
}

/// A subsystem's lock order: `ranks[i]` lists the classes of rank `i`; a
/// class may be acquired while holding only classes of lower rank, except
/// for the listed exceptions. Two classes of one rank never nest.
#[derive(Clone, Copy, Debug)]
pub struct LockOrder {
    pub subsystem: &'static str,
    pub ranks: &'static [&'static [&'static str]],
    pub exceptions: &'static [Exception],
}

impl LockOrder {
    /// The rank of `class`, if this table declares it.
    pub fn rank(&self, class: &str) -> Option<usize> {
        self.ranks.iter().position(|r| r.contains(&class))
    }

    /// The exception allowing `held -> taken`, if listed.
    pub fn exception(&self, held: &str, taken: &str) -> Option<&Exception> {
        self.exceptions
            .iter()
            .find(|e| e.held == held && e.taken == taken)
    }
}

/// What the tables say about one nesting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Lower rank before higher rank.
    Ranked,
    /// Allowed by a listed exception.
    Excepted(&'static str),
    /// Not allowed; the reason.
    Violates(String),
}

/// Judges `held -> taken` against the declared tables.
pub fn judge(orders: &[&LockOrder], held: &str, taken: &str, how: How) -> Verdict {
    let table = orders
        .iter()
        .find(|o| o.rank(held).is_some() && o.rank(taken).is_some());
    let Some(table) = table else {
        return Verdict::Violates(format!(
            "but no declared lock-order table ranks both {held} and {taken}"
        ));
    };
    if let Some(e) = table.exception(held, taken) {
        return match (e.nesting, how) {
            (Nesting::TryOnly, How::Blocking) => Verdict::Violates(format!(
                "but table {} allows {held} -> {taken} only by a try ({})",
                table.subsystem, e.why
            )),
            _ => Verdict::Excepted(e.why),
        };
    }
    let (rh, rt) = (table.rank(held), table.rank(taken));
    if rh < rt {
        return Verdict::Ranked;
    }
    Verdict::Violates(format!(
        "against table {}: {held} has rank {} and {taken} rank {}, and no exception lists {held} -> {taken}",
        table.subsystem,
        rh.unwrap_or(0),
        rt.unwrap_or(0)
    ))
}
