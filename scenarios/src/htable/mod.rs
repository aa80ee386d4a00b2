//! htable scenarios: small thread programs over the htable.c port that
//! reach the race windows its comments describe.

mod create;

use harness::Scenario;

/// The htable scenarios.
pub const SCENARIOS: &[Scenario] = &[create::CREATE_SAME];
