//! What a scenario declares: its program, its bounds, the checks it is
//! meant to reproduce, and the mutants meant to be caught by it.

use model::lockdep::LockOrder;

/// An injected bug, enabled at run time with `model::mutant(name)`.
#[derive(Clone, Copy, Debug)]
pub struct Mutant {
    pub name: &'static str,
    /// The check id that must catch it.
    pub catches: &'static str,
    pub summary: &'static str,
}

/// Why a scenario expects violations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Every check must hold.
    Pass,
    /// A negative control: a program written wrong on purpose; the listed
    /// checks must fire, and nothing else.
    Control(&'static [&'static str]),
    /// A recorded finding in a seed's protocol: the listed checks must
    /// fire (shown as "finding reproduced"), and nothing else.
    Finding(&'static [&'static str]),
}

impl Expect {
    pub fn checks(self) -> &'static [&'static str] {
        match self {
            Expect::Pass => &[],
            Expect::Control(c) | Expect::Finding(c) => c,
        }
    }
}

/// A loom "bound" that bounds nothing: loom explores every interleaving
/// (its DPOR still prunes equivalent ones).
pub const UNBOUNDED: usize = usize::MAX;

/// How reports name a loom bound: `bound 3`, or `unbounded`.
pub fn bound_name(bound: usize) -> String {
    if bound == UNBOUNDED {
        "unbounded".to_string()
    } else {
        format!("bound {bound}")
    }
}

/// A small thread program over one subsystem.
#[derive(Clone, Copy, Debug)]
pub struct Scenario {
    /// `subsystem/name`.
    pub id: &'static str,
    pub summary: &'static str,
    /// Model threads, the main one and actors included.
    pub threads: usize,
    /// loom preemption bound for the exhaustive run ([`UNBOUNDED`]: none,
    /// every interleaving); `None` when the scenario is too large for loom
    /// (PCT only).
    pub loom_bound: Option<usize>,
    /// PCT bug depth.
    pub pct_depth: usize,
    pub expect: Expect,
    pub mutants: &'static [Mutant],
    /// Lock-order tables the scenario's locks must follow.
    pub orders: &'static [&'static LockOrder],
    /// Model parameters the scenario runs with (e.g. `hw-mod=blind`):
    /// part of what it states. `--param` on the command line overrides them.
    pub params: &'static [(&'static str, &'static str)],
    /// The program; runs inside one execution.
    pub body: fn(),
}

impl Scenario {
    /// What a subsystem's base declaration (the one its scenarios take
    /// what they do not state from, `..BASE`) takes what it does not state
    /// from: loom bound 3, PCT depth 3, every check holds, no mutants, no
    /// parameters. A base states its threads and lock orders; each
    /// scenario its id, summary and program.
    pub const DEFAULTS: Scenario = Scenario {
        id: "",
        summary: "",
        threads: 1,
        loom_bound: Some(3),
        pct_depth: 3,
        expect: Expect::Pass,
        mutants: &[],
        orders: &[],
        params: &[],
        body: || {},
    };

    pub fn subsystem(&self) -> &'static str {
        self.id.split('/').next().unwrap_or(self.id)
    }

    pub fn mutant(&self, name: &str) -> Option<&'static Mutant> {
        self.mutants.iter().find(|m| m.name == name)
    }
}

/// Selects scenarios by pattern: `all`, `subsystem/*`, a glob with `*`, or
/// an exact id. Returns an error line for a pattern that matches nothing.
pub fn select<'a>(all: &'a [Scenario], patterns: &[String]) -> Result<Vec<&'a Scenario>, String> {
    let mut out: Vec<&Scenario> = Vec::new();
    for p in patterns {
        let hits: Vec<&Scenario> = all.iter().filter(|s| matches(p, s.id)).collect();
        if hits.is_empty() {
            return Err(format!(
                "unknown scenario '{p}' (try `vmspec list`; patterns: all, subsystem/*, an exact id)"
            ));
        }
        for h in hits {
            if !out.iter().any(|s| s.id == h.id) {
                out.push(h);
            }
        }
    }
    Ok(out)
}

/// Glob match with `*` (any run of characters); `all` matches everything.
pub fn matches(pattern: &str, id: &str) -> bool {
    if pattern == "all" {
        return true;
    }
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == id;
    }
    let mut rest = id;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    true
}
