//! The keyword gate and the lazily compiled regexes. One Aho-Corasick automaton
//! over every rule's keywords (ASCII case-insensitive) finds which rules can
//! match where; only those rules run their regex, and only over the lines that
//! hold one of their keywords (from that line to the end, for multi-line
//! rules). Each regex is compiled the first time a chunk needs it.
//!
//! The gate may over-report candidates, never under-report: by definition a
//! single-line rule's match lies within one line holding one of its keywords,
//! and [`Gate::Off`] runs every rule on every line to check exactly that.
//!
//! Building an automaton over ~750 keywords takes milliseconds, more than a
//! pre-commit run on a one-line change spends scanning. So a process first
//! looks the keywords up directly (at each position of the lower-cased
//! chunk, those whose first two bytes fall in that position's bucket of the
//! [`KeywordTable`]), and builds the DFA only once it has scanned
//! [`DIRECT_SEARCH_BYTES`].

use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, MatchKind, StartKind};
use anyhow::Result;

use crate::rules::set::{Compiled, RuleSet, compile_known_valid};
use crate::rules::{BUILTIN_KEYWORDS, Rule};
use crate::scan::checksum::Checksum;
use crate::scan::keywords::KeywordTable;

/// Whether the keyword gate is used. `Off` is the reference semantics the
/// gate must reproduce; it exists for tests and `guard rules check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Run a rule only on lines holding one of its keywords.
    Keywords,
    /// Run every rule on every line (and every multi-line rule on the chunk).
    Off,
}

/// A regex match of one rule, before the scanner confirms it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Index of the rule in [`Matcher::rules`].
    pub rule: usize,
    /// The whole match, as offsets into the chunk.
    pub span: Range<usize>,
    /// The secret (the rule's secret group), as offsets into the chunk.
    pub secret: Range<usize>,
}

/// What a chunk knows of its file, for rules that apply to some files only.
#[derive(Debug, Clone, Copy)]
pub enum ChunkPath<'a> {
    /// A file at this path.
    File(&'a Path),
    /// No file: standard input or a message.
    None,
    /// A file whose path is not known yet (a blob read from history): every
    /// rule runs, and findings are checked against each path the blob had
    /// when they are attributed.
    Later,
}

/// Whether the rule `compiled` applies to a chunk from `path`.
fn applies_to_chunk(compiled: &Compiled, path: ChunkPath<'_>) -> bool {
    match path {
        ChunkPath::File(path) => compiled.applies_to(Some(path)),
        ChunkPath::None => compiled.applies_to(None),
        ChunkPath::Later => true,
    }
}

/// Reusable buffers for [`Matcher::find`], one per thread.
#[derive(Debug, Default)]
pub struct Scratch {
    windows: Vec<(usize, usize, usize)>,
    /// Per rule, whether it applies to the chunk's path (`None`: not yet
    /// asked); only rules with `paths` are asked.
    applies: Vec<Option<bool>>,
}

/// The rule set, ready to match. Built once per process.
#[derive(Debug)]
pub struct Matcher {
    rules: Cow<'static, [Rule]>,
    checksums: Vec<Option<Checksum>>,
    compiled: Vec<OnceLock<Compiled>>,
    /// Lower-cased keywords, deduplicated, and the rules they gate.
    keywords: KeywordTable,
    /// Built once direct search stops paying; `None` if it could not be
    /// built (direct search goes on).
    dfa: OnceLock<Option<DFA>>,
    /// Bytes scanned so far by direct search.
    scanned: AtomicUsize,
    /// Length of the longest keyword, for splitting a chunk in two streams.
    longest_keyword: usize,
    unkeyed: Vec<usize>,
}

impl Matcher {
    /// Builds the keyword automaton over the rules of `set`, which are
    /// known to be valid. Regexes not compiled yet are compiled on first use.
    ///
    /// # Errors
    /// The keyword table cannot be built (more keywords than it can index).
    pub fn new(set: RuleSet) -> Result<Matcher> {
        let builtin = set.is_builtin();
        let (rules, compiled) = set.into_parts();
        let checksums = rules.iter().map(|r| r.checksum.as_deref().and_then(Checksum::from_name)).collect();
        let unkeyed = (0..rules.len()).filter(|&i| rules[i].keywords.is_empty()).collect();
        let keywords = if builtin {
            BUILTIN_KEYWORDS.clone()
        } else {
            KeywordTable::build(rules.iter().map(|rule| (rule.id.as_ref(), rule.keywords.as_ref())))
                .map_err(anyhow::Error::msg)?
        };
        let compiled = compiled.into_iter().map(|c| c.map_or_else(OnceLock::new, OnceLock::from)).collect();
        Ok(Matcher {
            rules,
            checksums,
            compiled,
            longest_keyword: keywords.longest(),
            keywords,
            dfa: OnceLock::new(),
            scanned: AtomicUsize::new(0),
            unkeyed,
        })
    }

    /// The rules, indexed as in [`Candidate::rule`].
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Whether the rule with this id applies to a file at `path` (unknown
    /// ids apply: only built-in and user rules make findings).
    pub fn rule_applies_to(&self, id: &str, path: &Path) -> bool {
        match self.rules.iter().position(|r| r.id == id) {
            Some(index) => self.rules[index].paths.is_empty() || self.compiled(index).applies_to(Some(path)),
            None => true,
        }
    }

    /// The offline checksum rule `index` requires, if any.
    pub fn checksum(&self, index: usize) -> Option<Checksum> {
        self.checksums[index]
    }

    /// The compiled form of rule `index`, compiling it on first use.
    pub fn compiled(&self, index: usize) -> &Compiled {
        self.compiled[index].get_or_init(|| compile_known_valid(&self.rules[index]))
    }

    /// Whether one of rule `index`'s allow patterns matches `secret`.
    pub fn allows(&self, index: usize, secret: &[u8]) -> bool {
        self.compiled(index).allow(&self.rules[index]).iter().any(|pattern| pattern.is_match(secret))
    }

    /// Appends to `out` every regex match of every rule the gate lets through,
    /// sorted by rule, then position. With `focus` (sorted, disjoint byte
    /// ranges of whole lines), single-line rules run only on lines in it.
    pub fn find(
        &self,
        data: &[u8],
        path: ChunkPath<'_>,
        gate: Gate,
        focus: Option<&[Range<usize>]>,
        scratch: &mut Scratch,
        out: &mut Vec<Candidate>,
    ) {
        let Scratch { windows, applies } = scratch;
        windows.clear();
        applies.clear();
        applies.resize(self.rules.len(), None);
        match gate {
            Gate::Keywords => self.keyword_windows(data, windows),
            Gate::Off => {
                for rule in 0..self.rules.len() {
                    self.push_every_line(rule, data, windows);
                }
            }
        }
        windows.sort_unstable();
        windows.dedup();
        let mut last_multiline = usize::MAX;
        for &(rule, start, end) in windows.iter() {
            // A rule for some files only never runs its regex on others.
            if !self.rules[rule].paths.is_empty()
                && !*applies[rule].get_or_insert_with(|| applies_to_chunk(self.compiled(rule), path))
            {
                continue;
            }
            let in_focus = |focus: &[Range<usize>]| {
                let next = focus.partition_point(|span| span.end <= start);
                focus.get(next).is_some_and(|span| span.start <= start)
            };
            if focus.is_some_and(|focus| !self.rules[rule].multiline && !in_focus(focus)) {
                continue;
            }
            if self.rules[rule].multiline {
                // The first window of a multi-line rule reaches the chunk's
                // end and so covers every later one.
                if last_multiline == rule {
                    continue;
                }
                last_multiline = rule;
            }
            self.run_regex(rule, data, start..end, out);
        }
    }

    fn keyword_windows(&self, data: &[u8], windows: &mut Vec<(usize, usize, usize)>) {
        for &rule in &self.unkeyed {
            self.push_every_line(rule, data, windows);
        }
        // One line cache per stream: each stream's hits come in order.
        let mut lines = [0..0, 0..0];
        self.keyword_hits(data, |stream, pattern, start, end| {
            let line = &mut lines[stream];
            if !(line.start <= start && end <= line.end) {
                *line = line_around(data, start, end);
            }
            for &rule in self.keywords.rules_of(pattern) {
                let rule = rule as usize;
                let end = if self.rules[rule].multiline { data.len() } else { line.end };
                windows.push((rule, line.start, end));
            }
        });
    }

    /// Calls `on_hit(stream, keyword, start, end)` for every occurrence of
    /// every keyword (overlapping ones included). A DFA step waits on the
    /// one before it, so a long chunk is split in two halves scanned in
    /// lockstep, which lets the processor overlap the two chains: about
    /// twice the speed of one stream (docs/PERFORMANCE.md). The second half
    /// starts one keyword length early and reports only hits that end in it.
    fn keyword_hits(&self, data: &[u8], on_hit: impl FnMut(usize, usize, usize, usize)) {
        let dfa = match self.dfa.get() {
            Some(built) => built.as_ref(),
            None => {
                let before = self.scanned.fetch_add(data.len(), Ordering::Relaxed);
                if before + data.len() < DIRECT_SEARCH_BYTES {
                    return self.direct_hits(data, on_hit);
                }
                self.dfa.get_or_init(|| build_dfa(&self.keywords)).as_ref()
            }
        };
        match dfa {
            Some(dfa) => self.keyword_hits_with(dfa, data, on_hit),
            None => self.direct_hits(data, on_hit),
        }
    }

    /// Every occurrence of every keyword, found by trying at each position
    /// of the lower-cased chunk the keywords of that position's bucket.
    fn direct_hits(&self, data: &[u8], mut on_hit: impl FnMut(usize, usize, usize, usize)) {
        let lower = data.to_ascii_lowercase();
        self.keywords.for_each_match(&lower, |pattern, start| {
            on_hit(0, pattern, start, start + self.keywords.keyword(pattern).len());
        });
    }

    fn keyword_hits_with<A: Automaton>(
        &self,
        dfa: &A,
        data: &[u8],
        mut on_hit: impl FnMut(usize, usize, usize, usize),
    ) {
        let Ok(start) = dfa.start_state(Anchored::No) else { return };
        let mut report = |stream: usize, state, end: usize| {
            if dfa.is_match(state) {
                for index in 0..dfa.match_len(state) {
                    let pattern = dfa.match_pattern(state, index);
                    on_hit(stream, pattern.as_usize(), end - dfa.pattern_len(pattern), end);
                }
            }
        };
        let overlap = self.longest_keyword.saturating_sub(1);
        if data.len() < 4 * overlap.max(64) {
            let mut state = start;
            for (i, &byte) in data.iter().enumerate() {
                state = dfa.next_state(Anchored::No, state, byte);
                if dfa.is_special(state) {
                    report(0, state, i + 1);
                }
            }
            return;
        }
        let middle = data.len() / 2;
        let second_start = middle - overlap;
        let (first, second) = (&data[..middle], &data[second_start..]);
        let (mut a, mut b) = (start, start);
        for (i, (&x, &y)) in first.iter().zip(second).enumerate() {
            a = dfa.next_state(Anchored::No, a, x);
            b = dfa.next_state(Anchored::No, b, y);
            if dfa.is_special(a) {
                report(0, a, i + 1);
            }
            if dfa.is_special(b) && i >= overlap {
                report(1, b, second_start + i + 1);
            }
        }
        for (i, &y) in second.iter().enumerate().skip(first.len()) {
            b = dfa.next_state(Anchored::No, b, y);
            if dfa.is_special(b) {
                report(1, b, second_start + i + 1);
            }
        }
    }

    fn push_every_line(&self, rule: usize, data: &[u8], windows: &mut Vec<(usize, usize, usize)>) {
        if self.rules[rule].multiline {
            windows.push((rule, 0, data.len()));
            return;
        }
        let mut start = 0;
        for newline in memchr::memchr_iter(b'\n', data) {
            windows.push((rule, start, newline));
            start = newline + 1;
        }
        windows.push((rule, start, data.len()));
    }

    fn run_regex(&self, rule: usize, data: &[u8], window: Range<usize>, out: &mut Vec<Candidate>) {
        let compiled = self.compiled(rule);
        let offset = window.start;
        for caps in compiled.regex.captures_iter(&data[window]) {
            let Some(whole) = caps.get(0) else { continue };
            let secret = match compiled.secret_group {
                Some(group) => caps.get(group),
                None => caps.iter().skip(1).flatten().next().or(Some(whole)),
            };
            let Some(secret) = secret else { continue };
            out.push(Candidate {
                rule,
                span: offset + whole.start()..offset + whole.end(),
                secret: offset + secret.start()..offset + secret.end(),
            });
        }
    }
}

/// Bytes a process scans by direct keyword search before it builds the DFA:
/// a pre-commit run on an ordinary change stays under it, and past it the
/// DFA's build time is repaid (docs/PERFORMANCE.md).
pub const DIRECT_SEARCH_BYTES: usize = 64 << 10;

/// The DFA over `keywords`, or `None` if it exceeds the crate's limits.
fn build_dfa(keywords: &KeywordTable) -> Option<DFA> {
    DFA::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .start_kind(StartKind::Unanchored)
        .prefilter(false)
        .build(keywords.keywords())
        .ok()
}

/// The line holding `start..end`, without its line break.
fn line_around(data: &[u8], start: usize, end: usize) -> Range<usize> {
    let line_start = memchr::memrchr(b'\n', &data[..start]).map_or(0, |i| i + 1);
    let line_end = memchr::memchr(b'\n', &data[end..]).map_or(data.len(), |i| end + i);
    line_start..line_end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::BUILTIN;

    /// The table `build.rs` wrote is the one the library builds, and a rule
    /// set that is not the built-in one gets its own.
    #[test]
    fn build_time_keyword_table_is_the_runtime_one() {
        let runtime = KeywordTable::build(BUILTIN.iter().map(|r| (r.id.as_ref(), r.keywords.as_ref())));
        assert_eq!(runtime.as_ref(), Ok(&BUILTIN_KEYWORDS));
        let mut changed = BUILTIN[0].clone();
        changed.keywords = Cow::Owned(vec!["zzzz-keyword".into()]);
        let user = crate::rules::set::check(changed, crate::rules::set::Author::User).expect("a valid rule");
        let matcher = Matcher::new(RuleSet::new(&[user])).expect("rules build");
        assert_eq!(
            matcher
                .keywords
                .rules_of(matcher.keywords.keywords().position(|k| k == b"zzzz-keyword").unwrap()),
            &[0]
        );
    }

    fn hits<A: Automaton>(
        matcher: &Matcher,
        automaton: &A,
        data: &[u8],
    ) -> Vec<(usize, usize, usize, usize)> {
        let mut out = Vec::new();
        matcher.keyword_hits_with(automaton, data, |stream, pattern, start, end| {
            out.push((stream, pattern, start, end));
        });
        out
    }

    /// Direct search, which a process starts with, and the DFA it moves to
    /// find the same keywords, in short chunks and in long two-stream ones.
    #[test]
    fn direct_search_and_dfa_find_the_same_keywords() {
        let matcher = Matcher::new(RuleSet::builtin()).expect("built-in rules build");
        let dfa = build_dfa(&matcher.keywords).expect("the DFA builds");
        let mut text = String::new();
        for (index, keyword) in matcher.keywords.keywords().enumerate() {
            let keyword = std::str::from_utf8(keyword).expect("keywords are UTF-8");
            text.push_str(&if index % 2 == 0 { keyword.to_ascii_uppercase() } else { keyword.to_string() });
            text.push_str(if index % 3 == 0 { "=x1;\n" } else { " " });
        }
        let long = text.repeat(3);
        for data in [&text.as_bytes()[..40], text.as_bytes(), long.as_bytes()] {
            let mut direct = Vec::new();
            matcher.direct_hits(data, |_, pattern, start, end| direct.push((start, end, pattern)));
            let mut automaton: Vec<_> = hits(&matcher, &dfa, data)
                .into_iter()
                .map(|(_, pattern, start, end)| (start, end, pattern))
                .collect();
            direct.sort_unstable();
            automaton.sort_unstable();
            assert!(direct.len() >= matcher.keywords.len().min(data.len() / 40));
            assert_eq!(direct, automaton);
        }
    }
}
