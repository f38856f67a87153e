//! Which refs reach which commits: a bitset of refs per commit, filled from
//! children to parents (the inventory lists parents first). Built only when
//! there is something to attribute.

use crate::git::inventory::{CommitIdx, Inventory};

/// Refs per commit, as bits.
pub struct Reachability {
    words: usize,
    bits: Vec<u64>,
}

impl Reachability {
    /// The refs of `inventory` that reach each of its commits; nothing when
    /// not `needed`.
    pub fn new(inventory: &Inventory, needed: bool) -> Reachability {
        let words = inventory.refs.len().div_ceil(64);
        if !needed || words == 0 {
            return Reachability { words: 0, bits: Vec::new() };
        }
        let mut bits = vec![0u64; words * inventory.commits.len()];
        for (index, tip) in inventory.refs.iter().enumerate() {
            bits[tip.commit.0 as usize * words + index / 64] |= 1 << (index % 64);
        }
        for (child, commit) in inventory.commits.iter().enumerate().rev() {
            for parent in &commit.parents {
                for word in 0..words {
                    let from = bits[child * words + word];
                    bits[parent.0 as usize * words + word] |= from;
                }
            }
        }
        Reachability { words, bits }
    }

    /// The names of the refs that reach `commit`, sorted.
    pub fn refs_containing(&self, inventory: &Inventory, commit: CommitIdx) -> Vec<String> {
        if self.words == 0 {
            return Vec::new();
        }
        let start = commit.0 as usize * self.words;
        let row = &self.bits[start..start + self.words];
        let mut names: Vec<String> = inventory
            .refs
            .iter()
            .enumerate()
            .filter(|(index, _)| row[index / 64] & (1 << (index % 64)) != 0)
            .map(|(_, tip)| tip.name.clone())
            .collect();
        names.sort();
        names.dedup();
        names
    }
}
