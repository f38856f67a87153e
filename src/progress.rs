//! A one-line progress display on standard error, drawn only when standard
//! error is a terminal: items and bytes done, rate, and time left. Workers
//! count with atomics; the caller redraws from its own thread.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Shared counters and the drawing state.
#[derive(Debug)]
pub struct Progress {
    label: &'static str,
    total: AtomicU64,
    items: AtomicU64,
    bytes: AtomicU64,
    started: Instant,
    visible: bool,
}

impl Progress {
    /// Progress over `total` items; drawn only if `wanted` and standard
    /// error is a terminal.
    pub fn new(label: &'static str, total: u64, wanted: bool) -> Progress {
        Progress {
            label,
            total: AtomicU64::new(total),
            items: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            started: Instant::now(),
            visible: wanted && std::io::stderr().is_terminal(),
        }
    }

    /// Sets the total, once it is known (0: unknown, no time left shown).
    pub fn set_total(&self, total: u64) {
        self.total.store(total, Ordering::Relaxed);
    }

    /// Counts one item of `bytes` bytes done.
    pub fn add(&self, bytes: u64) {
        self.items.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
    }

    /// Bytes counted so far.
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// Redraws every 100 ms until `done()` is true, then clears the line;
    /// returns at once when nothing is drawn (so no one waits out a sleep).
    pub fn draw_until(&self, done: impl Fn() -> bool) {
        if !self.visible {
            return;
        }
        while !done() {
            self.draw();
            std::thread::sleep(Duration::from_millis(100));
        }
        eprint!("\r\x1b[2K");
    }

    fn draw(&self) {
        let items = self.items.load(Ordering::Relaxed);
        let megabytes = self.bytes() as f64 / 1e6;
        let seconds = self.started.elapsed().as_secs_f64().max(0.001);
        let rate = megabytes / seconds;
        let total = self.total.load(Ordering::Relaxed);
        let (of, left) = if total > 0 && items > 0 {
            let per_item = seconds / items as f64;
            (format!("/{total}"), format!(", {:.0}s left", per_item * total.saturating_sub(items) as f64))
        } else {
            (String::new(), String::new())
        };
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{}: {items}{of} ({megabytes:.1} MB, {rate:.1} MB/s{left})", self.label);
        let _ = err.flush();
    }
}
