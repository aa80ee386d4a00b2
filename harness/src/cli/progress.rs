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
                "{spinner} {prefix:<40} {pos:>9} executions {per_sec:>12} {elapsed:>4}",
            )
            .expect("valid template"),
        );
        bar.set_prefix(label);
        let done = Arc::new(AtomicBool::new(false));
        let (b, d) = (bar.clone(), done.clone());
        let ticker = std::thread::spawn(move || {
            while !d.load(Ordering::Relaxed) {
                b.set_position(shared.executions());
                std::thread::sleep(Duration::from_millis(100));
            }
            b.set_position(shared.executions());
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
