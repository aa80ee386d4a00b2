//! A shuttle scheduler that records every decision, and can follow a
//! recorded schedule (replay, minimization) or the thread order of a loom
//! trace, with delayed switches where needed (conversion of loom findings
//! into replayable schedules).

use model::exec;
use model::trace::Op;
use shuttle::scheduler::{DfsScheduler, PctScheduler, RandomScheduler, Scheduler, Task, TaskId};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// One scheduling decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// The thread chosen to run.
    pub chosen: usize,
    /// The thread that ran before, if any.
    pub current: Option<usize>,
    /// The previous thread could have gone on (runnable, not yielding) but
    /// another was chosen.
    pub preempt: bool,
    /// Events the execution had logged when the decision was made: the
    /// chosen thread's next event is `events` (where reports draw a
    /// preemption).
    pub events: usize,
}

/// A recorded schedule: the decisions of one execution.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schedule {
    pub steps: Vec<Step>,
    /// Set when a guided run could not follow its guide (the thread it
    /// named was not runnable).
    pub diverged_at: Option<usize>,
}

impl Schedule {
    pub fn choices(&self) -> Vec<usize> {
        self.steps.iter().map(|s| s.chosen).collect()
    }

    pub fn preemptions(&self) -> usize {
        self.steps.iter().filter(|s| s.preempt).count()
    }

    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The preemptions as (event index, preempted thread, chosen thread):
    /// the chosen thread's next event is the one at that index.
    pub fn preemption_points(&self) -> Vec<(usize, usize, usize)> {
        self.steps
            .iter()
            .filter(|s| s.preempt)
            .filter_map(|s| Some((s.events, s.current?, s.chosen)))
            .collect()
    }
}

/// What decides the next thread.
pub(crate) enum Plan {
    Pct(PctScheduler),
    Random(RandomScheduler),
    Dfs(DfsScheduler),
    /// Follow `choices` step by step; past their end (or where the named
    /// thread is not runnable) run without preemption.
    Guide(Vec<usize>),
    /// Run the thread that performs the next event of a recorded trace.
    Follow(Follow),
}

/// How to follow a trace: `tids[k]` is the thread of event `k`. At a
/// decision made with `k` events logged whose thread is not the running
/// one, the running thread goes on for `delays[k]` more decisions first:
/// steps that log no event (a monitor's bookkeeping, a callout handler's
/// end) which the traced execution ran before event `k`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Follow {
    pub(crate) tids: Vec<usize>,
    pub(crate) delays: BTreeMap<usize, usize>,
    /// Delay decisions already spent, and at which event count.
    spent: (usize, usize),
}

impl Follow {
    pub(crate) fn new(tids: Vec<usize>, delays: BTreeMap<usize, usize>) -> Self {
        Follow {
            tids,
            delays,
            spent: (usize::MAX, 0),
        }
    }

    /// The thread to run with `k` events logged, among `ids`, `cur`
    /// running; `None` when the trace names no runnable thread.
    fn choose(&mut self, k: usize, ids: &[usize], cur: Option<usize>) -> Option<usize> {
        let want = *self.tids.get(k)?;
        if let Some(c) = cur.filter(|c| *c != want && ids.contains(c)) {
            if self.spent.0 != k {
                self.spent = (k, 0);
            }
            if self.spent.1 < self.delays.get(&k).copied().unwrap_or(0) {
                self.spent.1 += 1;
                return Some(c);
            }
        }
        ids.contains(&want).then_some(want)
    }
}

/// The recording wrapper around a [`Plan`].
pub(crate) struct Steer {
    plan: Plan,
    rec: Arc<Mutex<Schedule>>,
    started: bool,
    /// Some step so far had more than one runnable thread. A program
    /// without one has a single interleaving: one execution covers it.
    saw_choice: bool,
}

impl Steer {
    pub(crate) fn new(plan: Plan) -> (Self, Arc<Mutex<Schedule>>) {
        let rec = Arc::new(Mutex::new(Schedule::default()));
        (
            Steer {
                plan,
                rec: rec.clone(),
                started: false,
                saw_choice: false,
            },
            rec,
        )
    }
}

/// The thread that runs when nothing asks for a switch: the current one if
/// it can go on, else the next runnable one after it (round robin), so a
/// yielding retry loop lets the others move.
fn no_switch(ids: &[usize], current: Option<usize>, yielding: bool) -> usize {
    match current {
        Some(c) if !yielding && ids.contains(&c) => c,
        Some(c) => ids.iter().copied().find(|&i| i > c).unwrap_or(ids[0]),
        None => ids[0],
    }
}

impl Steer {
    fn next_execution(&mut self) -> Option<shuttle::scheduler::Schedule> {
        let sequential = self.started && !self.saw_choice;
        match &mut self.plan {
            _ if sequential => None,
            Plan::Guide(_) | Plan::Follow(_) if self.started => None,
            Plan::Guide(_) | Plan::Follow(_) => {
                self.started = true;
                Some(shuttle::scheduler::Schedule::new(0))
            }
            Plan::Pct(s) => {
                self.started = true;
                s.new_execution()
            }
            Plan::Random(s) => {
                self.started = true;
                s.new_execution()
            }
            Plan::Dfs(s) => {
                self.started = true;
                s.new_execution()
            }
        }
    }
}

impl Scheduler for Steer {
    fn new_execution(&mut self) -> Option<shuttle::scheduler::Schedule> {
        let next = self.next_execution();
        // Keep the last execution's record when the run ends: a run that
        // ends without a failure (a lock-order report) is captured after.
        if next.is_some() {
            *self.rec.lock().unwrap_or_else(|e| e.into_inner()) = Schedule::default();
        }
        next
    }

    fn next_task(
        &mut self,
        runnable: &[&Task],
        current: Option<TaskId>,
        yielding: bool,
    ) -> Option<TaskId> {
        let ids: Vec<usize> = runnable.iter().map(|t| usize::from(t.id())).collect();
        let cur = current.map(usize::from);
        self.saw_choice |= ids.len() > 1;
        let mut rec = self.rec.lock().unwrap_or_else(|e| e.into_inner());
        let step = rec.steps.len();
        let chosen = match &mut self.plan {
            Plan::Pct(s) => usize::from(s.next_task(runnable, current, yielding)?),
            Plan::Random(s) => usize::from(s.next_task(runnable, current, yielding)?),
            Plan::Dfs(s) => usize::from(s.next_task(runnable, current, yielding)?),
            Plan::Guide(choices) => match choices.get(step) {
                Some(&c) if ids.contains(&c) => c,
                Some(_) => {
                    rec.diverged_at.get_or_insert(step);
                    no_switch(&ids, cur, yielding)
                }
                None => no_switch(&ids, cur, yielding),
            },
            Plan::Follow(follow) => {
                let exec = exec::current();
                let k = exec.as_ref().map_or(0, |e| e.event_count());
                // A spawn is one step for loom, but shuttle's spawn has a
                // scheduling point between the Spawn event and the new
                // task: let the spawner finish it before following on.
                let spawner = exec
                    .and_then(|e| e.last_event())
                    .filter(|e| e.op == Op::Spawn && !ids.contains(&(e.a as usize)))
                    .map(|e| e.tid)
                    .filter(|t| ids.contains(t));
                match spawner.or_else(|| follow.choose(k, &ids, cur)) {
                    Some(t) => t,
                    None => no_switch(&ids, cur, yielding),
                }
            }
        };
        let preempt = matches!(cur, Some(c) if c != chosen && !yielding && ids.contains(&c));
        rec.steps.push(Step {
            chosen,
            current: cur,
            preempt,
            events: exec::current().map_or(0, |e| e.event_count()),
        });
        Some(TaskId::from(chosen))
    }

    fn next_u64(&mut self) -> u64 {
        match &mut self.plan {
            Plan::Pct(s) => s.next_u64(),
            Plan::Random(s) => s.next_u64(),
            Plan::Dfs(s) => s.next_u64(),
            Plan::Guide(_) | Plan::Follow(_) => 0,
        }
    }
}
