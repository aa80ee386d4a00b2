//! Progress bars: one per running scenario (executions, rate, elapsed),
//! drawn on stderr only when it is a terminal.

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use model::exec::RunShared;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A bar that follows a run's execution count until dropped.
pub struct Bar {
    bar: ProgressBar,
    done: Arc<AtomicBool>,
    ticker: Option<std::thread::JoinHandle<()>>,
}

impl Bar {
    pub fn start(multi: &MultiProgress, label: String, shared: Arc<RunShared>) -> Bar {
        let bar = multi.add(ProgressBar::new_spinner());
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {prefix:<40} {pos:>9} executions {msg:>10} {elapsed:>4}",
            )
            .expect("valid template"),
        );
        bar.set_prefix(label);
        let done = Arc::new(AtomicBool::new(false));
        let (b, d) = (bar.clone(), done.clone());
        let ticker = std::thread::spawn(move || {
            let start = std::time::Instant::now();
            let tick = |b: &ProgressBar| {
                let n = shared.executions();
                b.set_position(n);
                b.set_message(rate(n, start.elapsed()));
            };
            while !d.load(Ordering::Relaxed) {
                tick(&b);
                std::thread::sleep(Duration::from_millis(100));
            }
            tick(&b);
        });
        Bar {
            bar,
            done,
            ticker: Some(ticker),
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(t) = self.ticker.take() {
            let _ = t.join();
        }
        self.bar.finish_and_clear();
    }
}

/// Whole executions per second (`6478/s`): a fraction of an execution
/// means nothing to the reader.
fn rate(executions: u64, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64();
    if secs <= 0.0 {
        return String::new();
    }
    format!("{}/s", (executions as f64 / secs).round() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_is_whole_executions_per_second() {
        assert_eq!(rate(6478, Duration::from_millis(1000)), "6478/s");
        assert_eq!(rate(10, Duration::from_secs(3)), "3/s");
        assert_eq!(rate(0, Duration::ZERO), "");
    }
}
