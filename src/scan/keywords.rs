//! The keyword table: every rule's keywords, lower-cased and deduplicated,
//! the rules each one gates, and an index by their first two bytes with
//! which a short text is searched directly, position by position. `build.rs`
//! builds the table of the built-in rules at compile time (it includes this
//! file), so a process running the built-in rules spends nothing on it; a
//! rule set with user rules builds its own at start.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

/// Buckets of the two-byte index.
pub const BUCKETS: usize = 4096;

/// The bucket of keywords starting with bytes `first`, `second` (lower case).
pub fn bucket(first: u8, second: u8) -> usize {
    (usize::from(first) * 251 + usize::from(second)) % BUCKETS
}

/// Keywords and the rules they gate. A keyword's index is its pattern id
/// in the Aho-Corasick automaton too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeywordTable {
    /// Every keyword, lower-cased, concatenated in bucket order.
    pub text: Cow<'static, str>,
    /// Where each keyword ends in `text` (it starts where the one before ends).
    pub ends: Cow<'static, [u32]>,
    /// Each keyword's first four bytes (fewer for shorter ones, zero-filled),
    /// little-endian: most candidates are ruled out on these alone.
    pub heads: Cow<'static, [u32]>,
    /// `BUCKETS + 1` entries: bucket `b` holds keywords `starts[b]..starts[b + 1]`.
    pub bucket_starts: Cow<'static, [u32]>,
    /// Where each keyword's rules end in `rules`.
    pub rule_ends: Cow<'static, [u32]>,
    /// Rule indices, keyword after keyword.
    pub rules: Cow<'static, [u32]>,
}

impl KeywordTable {
    /// The table of `rules`, given as (id, keywords) in rule order.
    ///
    /// # Errors
    /// A keyword shorter than two bytes or holding a line break, naming the rule.
    pub fn build<'a, K: AsRef<str> + 'a>(
        rules: impl IntoIterator<Item = (&'a str, &'a [K])>,
    ) -> Result<KeywordTable, String> {
        let mut gated: BTreeMap<(usize, String), Vec<u32>> = BTreeMap::new();
        for (index, (id, keywords)) in rules.into_iter().enumerate() {
            for keyword in keywords {
                let lower = keyword.as_ref().to_ascii_lowercase();
                if lower.len() < 2 || lower.contains('\n') {
                    return Err(format!(
                        "rule {id}: keyword {lower:?}: keywords must be at least two bytes long and on one line"
                    ));
                }
                let rule = u32::try_from(index).map_err(|_| "too many rules".to_string())?;
                let key = (bucket(lower.as_bytes()[0], lower.as_bytes()[1]), lower);
                let rules = gated.entry(key).or_default();
                if rules.last() != Some(&rule) {
                    rules.push(rule);
                }
            }
        }
        let (mut text, mut ends, mut heads) = (String::new(), Vec::new(), Vec::new());
        let (mut bucket_starts, mut rule_ends, mut all_rules) =
            (vec![0u32; BUCKETS + 1], Vec::new(), Vec::new());
        let as_u32 = |n: usize| u32::try_from(n).map_err(|_| "too many keywords".to_string());
        for ((bucket, keyword), rules) in gated {
            text.push_str(&keyword);
            ends.push(as_u32(text.len())?);
            heads.push(head(keyword.as_bytes()));
            bucket_starts[bucket + 1] += 1;
            all_rules.extend(rules);
            rule_ends.push(as_u32(all_rules.len())?);
        }
        for b in 0..BUCKETS {
            bucket_starts[b + 1] += bucket_starts[b];
        }
        Ok(KeywordTable {
            text: Cow::Owned(text),
            ends: Cow::Owned(ends),
            heads: Cow::Owned(heads),
            bucket_starts: Cow::Owned(bucket_starts),
            rule_ends: Cow::Owned(rule_ends),
            rules: Cow::Owned(all_rules),
        })
    }

    /// How many keywords.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Keyword `index`, lower-cased.
    pub fn keyword(&self, index: usize) -> &[u8] {
        &self.text.as_bytes()[span(&self.ends, index)]
    }

    /// Every keyword, in index order.
    pub fn keywords(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.len()).map(|index| self.keyword(index))
    }

    /// The rules keyword `index` gates.
    pub fn rules_of(&self, index: usize) -> &[u32] {
        &self.rules[span(&self.rule_ends, index)]
    }

    /// Calls `on_match(keyword, start)` for every occurrence of every
    /// keyword in `lower` (lower-cased text), trying at each position the
    /// keywords of its bucket, first on their heads.
    pub fn for_each_match(&self, lower: &[u8], mut on_match: impl FnMut(usize, usize)) {
        let (starts, heads, ends, text) =
            (&self.bucket_starts[..], &self.heads[..], &self.ends[..], self.text.as_bytes());
        let byte = |at: usize| lower.get(at).map_or(0, |&b| u32::from(b));
        // The four bytes from `start` on, little-endian, zero past the end.
        let mut window = byte(0) | byte(1) << 8 | byte(2) << 16 | byte(3) << 24;
        for start in 0..lower.len() {
            let b = bucket(window as u8, (window >> 8) as u8);
            for index in starts[b] as usize..starts[b + 1] as usize {
                let keyword = &text[span(ends, index)];
                let mask = u32::MAX >> (8 * 4usize.saturating_sub(keyword.len()));
                if window & mask == heads[index]
                    && (keyword.len() <= 4 || lower[start..].starts_with(keyword))
                {
                    on_match(index, start);
                }
            }
            window = (window >> 8) | byte(start + 4) << 24;
        }
    }

    /// Length of the longest keyword.
    pub fn longest(&self) -> usize {
        (0..self.len()).map(|index| self.keyword(index).len()).max().unwrap_or(0)
    }
}

/// Item `index` of a list stored as the ends of its items.
fn span(ends: &[u32], index: usize) -> Range<usize> {
    let start = if index == 0 { 0 } else { ends[index - 1] as usize };
    start..ends[index] as usize
}

/// The first four bytes of `bytes` (zero-filled), little-endian.
fn head(bytes: &[u8]) -> u32 {
    let mut four = [0u8; 4];
    let n = bytes.len().min(4);
    four[..n].copy_from_slice(&bytes[..n]);
    u32::from_le_bytes(four)
}
