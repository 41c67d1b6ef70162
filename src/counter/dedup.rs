//! Which (visitor, article) pairs were counted within the dedup window.
//!
//! Each shard keeps two generations of `key → first-seen second`: entries go into the current
//! generation, which becomes the previous one after a window and is dropped after two. A pair is
//! a repeat while its entry is younger than the window, so expiry is exact, and memory holds at
//! most two windows of counted views. A generation that reaches its share of the capacity (the
//! pairs one window may hold) is retired early: the oldest pairs are forgotten (and could be
//! counted again) rather than memory growing without bound. A slot is 16 bytes plus 1 control byte in a hash table kept at most
//! 7/8 full, so about 20–40 bytes per remembered pair.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

const SHARDS: usize = 32;

pub struct Seen {
    window: u32,
    generation_cap: usize,
    shards: Box<[Mutex<Shard>]>,
    forgotten: AtomicU64,
}

/// The keys are already uniformly mixed 64-bit hashes that no client can choose (they are
/// keyed with the visitor secret), so a fast unkeyed hash is enough for the tables.
type Generation = HashMap<u64, u32, foldhash::fast::FixedState>;

#[derive(Default)]
struct Shard {
    current: Generation,
    previous: Generation,
    started: u32,
}

impl Shard {
    /// Starts a new generation at `now`: the current one becomes the previous one, and the
    /// table of the dropped one is reused, sized for as many pairs as the last generation
    /// held, so a steady stream of views does not grow a table from empty every window.
    fn rotate(&mut self, now: u32) {
        let mut table = std::mem::take(&mut self.previous);
        table.clear();
        table.shrink_to(self.current.len());
        self.previous = std::mem::replace(&mut self.current, table);
        self.started = now;
    }
}

impl Seen {
    /// `window` in seconds (0: every view counts); up to `capacity` pairs per window (so at
    /// most twice that in memory, the previous window's included).
    pub fn new(window: u32, capacity: usize) -> Self {
        Self {
            window,
            generation_cap: (capacity / SHARDS).max(1),
            shards: (0..SHARDS).map(|_| Mutex::new(Shard::default())).collect(),
            forgotten: AtomicU64::new(0),
        }
    }

    /// Records `key` seen at `now` (seconds) and answers whether it is new within the window.
    pub fn first_in_window(&self, key: u64, now: u32) -> bool {
        if self.window == 0 {
            return true;
        }
        let shard = &self.shards[(key >> 59) as usize % SHARDS];
        let mut s = shard.lock().unwrap_or_else(|p| p.into_inner());
        let age = now.saturating_sub(s.started);
        if age >= self.window.saturating_mul(2) {
            s.previous.clear();
            s.current.clear();
            s.started = now;
        } else if age >= self.window {
            s.rotate(now);
        } else if s.current.len() >= self.generation_cap {
            let dropped = s.previous.len() as u64;
            s.rotate(now);
            self.forgotten.fetch_add(dropped, Ordering::Relaxed);
        }
        let young = |seen: u32| now.saturating_sub(seen) < self.window;
        // An entry in `current` is newer than one for the same key in `previous`, so a young
        // `previous` entry settles it; otherwise `current` decides and is updated in one probe.
        if s.previous.get(&key).is_some_and(|&t| young(t)) {
            return false;
        }
        match s.current.entry(key) {
            Entry::Occupied(e) if young(*e.get()) => false,
            Entry::Occupied(mut e) => {
                e.insert(now);
                true
            }
            Entry::Vacant(e) => {
                e.insert(now);
                true
            }
        }
    }

    /// Pairs remembered now.
    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| {
                let s = s.lock().unwrap_or_else(|p| p.into_inner());
                s.current.len() + s.previous.len()
            })
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Pairs dropped early because the capacity was reached.
    pub fn forgotten(&self) -> u64 {
        self.forgotten.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_within_the_window_are_not_new() {
        let seen = Seen::new(1800, 1_000_000);
        assert!(seen.first_in_window(7, 1000));
        assert!(!seen.first_in_window(7, 1000 + 1799));
        assert!(seen.first_in_window(8, 1000 + 1799), "another pair");
        // Generations rotate at 2800; the entry from 1000 expires at 2800 exactly.
        assert!(seen.first_in_window(7, 2800));
        assert!(!seen.first_in_window(7, 2801));
        assert!(!seen.first_in_window(8, 3000), "kept across a rotation");
        assert!(seen.first_in_window(8, 1000 + 1799 + 1800));
    }

    #[test]
    fn long_idle_gaps_forget_everything() {
        let seen = Seen::new(60, 1_000);
        assert!(seen.first_in_window(1, 0));
        assert!(seen.first_in_window(1, 10_000));
        assert_eq!(seen.len(), 1);
    }

    #[test]
    fn memory_is_bounded_by_the_capacity() {
        let seen = Seen::new(3600, 64_000);
        for key in 0..1_000_000u64 {
            seen.first_in_window(key.wrapping_mul(0x9E37_79B9_7F4A_7C15), 5);
        }
        assert!(seen.len() <= 2 * 64_000, "{} pairs remembered", seen.len());
        assert!(seen.forgotten() > 0);
    }

    fn resident_bytes() -> u64 {
        let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
        let pages: u64 = statm
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.parse().ok())
            .unwrap_or(0);
        pages * 4096
    }

    /// Memory per remembered pair, measured on 3M pairs (1M visitors reading 3 articles).
    /// Run alone: `cargo test --release --lib dedup_memory -- --ignored --nocapture`.
    #[test]
    #[ignore = "measures process memory; run alone"]
    fn dedup_memory_per_pair() {
        let before = resident_bytes();
        let seen = Seen::new(1800, 4_000_000);
        for key in 0..3_000_000u64 {
            assert!(seen.first_in_window(key.wrapping_mul(0x9E37_79B9_7F4A_7C15), 1_000));
        }
        let per_pair = (resident_bytes() - before) / 3_000_000;
        println!("{} pairs, {per_pair} bytes per pair", seen.len());
        assert!(per_pair <= 64, "{per_pair} bytes per pair");
    }

    #[test]
    fn window_zero_counts_everything() {
        let seen = Seen::new(0, 1_000);
        assert!(seen.first_in_window(1, 0));
        assert!(seen.first_in_window(1, 0));
        assert!(seen.is_empty());
    }
}
