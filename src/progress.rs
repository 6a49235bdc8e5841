//! Progress of the collection on stderr, with `indicatif`, only when stderr is a
//! terminal (never in a pipe, a file or CI logs), and not with `-q` or `-v` (whose
//! log lines would tear the bar):
//!
//! ```text
//! ⠹ collecting: services 7/12, regions 1/3, 212 requests, 4 throttled, 3s
//! ```
//!
//! [`Tracker`] holds the counts (collectors report to it from `collect::run`);
//! [`Progress`] draws them.

use crate::aws::Ctx;
use crate::collect::Need;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the collection has done so far, out of what it planned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub services_done: usize,
    pub services: usize,
    pub regions_done: usize,
    pub regions: usize,
    pub requests: usize,
    pub throttled: usize,
}

impl Counts {
    /// The counts of one audit's context.
    pub fn of(ctx: &Ctx) -> Counts {
        Counts {
            requests: ctx.requests.load(Ordering::Relaxed),
            throttled: ctx.call_log.throttled(),
            ..ctx.progress.counts()
        }
    }

    /// "services 7/12, regions 1/3, 212 requests, 4 throttled"
    pub fn describe(&self) -> String {
        format!(
            "services {}/{}, regions {}/{}, {} request{}, {} throttled",
            self.services_done,
            self.services,
            self.regions_done,
            self.regions,
            self.requests,
            if self.requests == 1 { "" } else { "s" },
            self.throttled
        )
    }
}

impl std::ops::Add for Counts {
    type Output = Counts;
    /// Several accounts' counts together (a fleet run).
    fn add(self, o: Counts) -> Counts {
        Counts {
            services_done: self.services_done + o.services_done,
            services: self.services + o.services,
            regions_done: self.regions_done + o.regions_done,
            regions: self.regions + o.regions,
            requests: self.requests + o.requests,
            throttled: self.throttled + o.throttled,
        }
    }
}

/// Collectors planned and finished. A region is done when every collector
/// planned in it has finished.
#[derive(Debug, Default)]
pub struct Tracker {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    services: usize,
    services_done: usize,
    /// Per region: collectors planned there that have not finished.
    pending: BTreeMap<String, usize>,
}

impl Tracker {
    /// The collectors about to run, by their needs.
    pub fn planned<'a>(&self, needs: impl IntoIterator<Item = &'a Need>) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        for need in needs {
            s.services += 1;
            for r in need.regions() {
                *s.pending.entry(r).or_default() += 1;
            }
        }
    }

    /// One collector finished (or was cut short by the deadline).
    pub fn finished(&self, need: &Need) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        s.services_done += 1;
        for r in need.regions() {
            if let Some(n) = s.pending.get_mut(&r) {
                *n = n.saturating_sub(1);
            }
        }
    }

    /// Services and regions, done and planned (requests and throttles are counted
    /// elsewhere: [`Counts::of`]).
    pub fn counts(&self) -> Counts {
        let s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        Counts {
            services_done: s.services_done,
            services: s.services,
            regions_done: s.pending.values().filter(|n| **n == 0).count(),
            regions: s.pending.len(),
            ..Counts::default()
        }
    }
}

/// Whether to draw progress: stderr is a terminal, and neither `-q` nor `-v`.
pub fn wanted(quiet: bool, verbose: u8) -> bool {
    !quiet && verbose == 0 && std::io::stderr().is_terminal()
}

type Read = Arc<dyn Fn() -> Counts + Send + Sync>;

/// The bar while collecting; `finish` clears it.
pub struct Progress {
    bar: ProgressBar,
    read: Read,
    ticker: Option<tokio::task::JoinHandle<()>>,
}

impl Progress {
    /// Starts drawing `ctx`'s counts on stderr if `enabled` (see [`wanted`]);
    /// otherwise draws nothing. Call within the tokio runtime.
    pub fn start(ctx: &Arc<Ctx>, enabled: bool) -> Progress {
        let target = if enabled { ProgressDrawTarget::stderr() } else { ProgressDrawTarget::hidden() };
        let ctx = Arc::clone(ctx);
        Progress::with_target(target, move || Counts::of(&ctx))
    }

    /// Draws the counts `read` returns to `target`, refreshed ten times a second
    /// while the target is visible.
    pub fn with_target(target: ProgressDrawTarget, read: impl Fn() -> Counts + Send + Sync + 'static) -> Progress {
        let bar = ProgressBar::with_draw_target(None, target);
        let style = ProgressStyle::with_template("{spinner} collecting: {msg}, {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        bar.set_style(style);
        let mut progress = Progress { bar, read: Arc::new(read), ticker: None };
        progress.refresh();
        if !progress.bar.is_hidden() {
            let (bar, read) = (progress.bar.clone(), progress.read.clone());
            progress.ticker = Some(tokio::spawn(async move {
                loop {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    bar.set_message(read().describe());
                    bar.tick();
                }
            }));
        }
        progress
    }

    /// Reads the counts again into the bar's message.
    pub fn refresh(&self) {
        self.bar.set_message((self.read)().describe());
    }

    /// The message the bar shows now.
    pub fn message(&self) -> String {
        self.bar.message()
    }

    /// Stops and clears the bar.
    pub fn finish(self) {
        if let Some(t) = self.ticker {
            t.abort();
        }
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
#[path = "progress_tests.rs"]
mod tests;
