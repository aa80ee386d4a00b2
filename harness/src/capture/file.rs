//! Replay files: one violation's minimized schedule, with everything
//! needed to run it again (scenario, mutant, parameters) and to know it
//! reproduced (the check).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// The format tag and version every replay file carries.
pub const FORMAT: &str = "vmspec-replay";
pub const FORMAT_VERSION: u32 = 1;

/// A recorded failing schedule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplayFile {
    pub format: String,
    pub format_version: u32,
    /// The vmspec version that wrote the file; schedules are only
    /// meaningful for the same model code.
    pub vmspec: String,
    pub scenario: String,
    pub mutant: Option<String>,
    #[serde(default)]
    pub params: BTreeMap<String, String>,
    /// The check the schedule fails.
    pub check: String,
    /// How it was first found (scheduler, bound, execution number).
    pub found_by: String,
    pub steps: usize,
    pub preemptions: usize,
    /// The thread chosen at each scheduling step, run-length encoded:
    /// `"0*12 1*3 0"` is twelve steps of thread 0, three of thread 1, one
    /// of thread 0.
    pub schedule: String,
}

/// Why a replay file cannot be used; each renders as one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplayError {
    Io(String),
    Malformed(String),
    Version(String),
}

impl fmt::Display for ReplayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplayError::Io(s) | ReplayError::Malformed(s) | ReplayError::Version(s) => {
                f.write_str(s)
            }
        }
    }
}

/// Encodes a choice sequence run-length.
pub fn encode(choices: &[usize]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < choices.len() {
        let t = choices[i];
        let n = choices[i..].iter().take_while(|&&c| c == t).count();
        out.push(if n == 1 {
            t.to_string()
        } else {
            format!("{t}*{n}")
        });
        i += n;
    }
    out.join(" ")
}

/// Decodes [`encode`]'s format.
pub fn decode(s: &str) -> Result<Vec<usize>, String> {
    let mut out = Vec::new();
    for tok in s.split_whitespace() {
        let (t, n) = match tok.split_once('*') {
            Some((t, n)) => (t, n),
            None => (tok, "1"),
        };
        let t: usize = t.parse().map_err(|_| format!("bad thread '{t}'"))?;
        let n: usize = n.parse().map_err(|_| format!("bad count '{n}'"))?;
        if t > 64 || n == 0 {
            return Err(format!("bad step '{tok}'"));
        }
        out.extend(std::iter::repeat_n(t, n));
    }
    Ok(out)
}

impl ReplayFile {
    /// The choices of the schedule.
    pub fn choices(&self) -> Result<Vec<usize>, ReplayError> {
        decode(&self.schedule).map_err(|e| ReplayError::Malformed(format!("schedule: {e}")))
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a replay file serializes") + "\n"
    }

    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, self.to_json())
    }

    /// Reads and validates `path`.
    pub fn read(path: &Path) -> Result<ReplayFile, ReplayError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            ReplayError::Io(format!("cannot read replay file {}: {e}", path.display()))
        })?;
        Self::parse(&text).map_err(|e| match e {
            ReplayError::Malformed(m) => ReplayError::Malformed(format!(
                "{} is not a valid replay file: {m}",
                path.display()
            )),
            other => other,
        })
    }

    /// Parses and validates replay-file text.
    pub fn parse(text: &str) -> Result<ReplayFile, ReplayError> {
        let f: ReplayFile =
            serde_json::from_str(text).map_err(|e| ReplayError::Malformed(e.to_string()))?;
        if f.format != FORMAT {
            return Err(ReplayError::Malformed(format!(
                "format is '{}', not '{FORMAT}'",
                f.format
            )));
        }
        if f.format_version != FORMAT_VERSION {
            return Err(ReplayError::Version(format!(
                "replay format version {} is not supported (this vmspec reads version {FORMAT_VERSION})",
                f.format_version
            )));
        }
        let ours = env!("CARGO_PKG_VERSION");
        if f.vmspec != ours {
            return Err(ReplayError::Version(format!(
                "replay file was written by vmspec {} and this is vmspec {ours}; schedules only replay on the model that recorded them: re-run the check to record it again",
                f.vmspec
            )));
        }
        let n = f.choices()?.len();
        if n != f.steps {
            return Err(ReplayError::Malformed(format!(
                "schedule has {n} steps but the file says {} (truncated or edited?)",
                f.steps
            )));
        }
        Ok(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rle_round_trips() {
        let c = vec![0, 0, 0, 1, 2, 2, 0];
        assert_eq!(encode(&c), "0*3 1 2*2 0");
        assert_eq!(decode(&encode(&c)).unwrap(), c);
        assert!(decode("0*0").is_err());
        assert!(decode("x").is_err());
    }
}
