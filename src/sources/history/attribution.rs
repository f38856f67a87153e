//! Findings attributed: every place a secret occurs (a path at a commit,
//! or a message) becomes one finding per secret and path, at the first
//! commit that had it there, with the incident facts of its secret: every
//! path that held it, how many places, whether HEAD still has it, and the
//! refs that contain its introducing commit.

use std::collections::HashMap;

use anyhow::Result;

use super::reachability::Reachability;
use crate::git::Repo;
use crate::git::inventory::{CommitIdx, Inventory, PathIdx};
use crate::scan::finding::{CommitInfo, Finding, HistoryInfo};

/// One place a secret occurs: a path (none for messages) at a commit.
pub struct Place<'a> {
    /// The finding, as the scanner made it.
    pub finding: &'a Finding,
    /// The path, if the secret is in a file.
    pub path: Option<PathIdx>,
    /// The commit.
    pub commit: CommitIdx,
    /// Whether HEAD's tree holds it there.
    pub in_head: bool,
}

/// Turns places into one finding per secret and path, at its first commit,
/// grouped by secret in order of first introduction.
///
/// # Errors
/// A commit whose author cannot be read.
pub fn attribute(repo: &Repo, inventory: &Inventory, places: &[Place<'_>]) -> Result<Vec<Finding>> {
    let mut by_secret: HashMap<&str, Vec<&Place<'_>>> = HashMap::new();
    for place in places {
        by_secret.entry(place.finding.fingerprint.as_str()).or_default().push(place);
    }
    let reach = Reachability::new(inventory, !places.is_empty());
    let mut authors: HashMap<CommitIdx, CommitInfo> = HashMap::new();
    let mut groups: Vec<(CommitIdx, Vec<Finding>)> = Vec::new();
    for places in by_secret.into_values() {
        let mut paths: Vec<String> = places
            .iter()
            .filter_map(|p| p.path)
            .map(|p| String::from_utf8_lossy(inventory.path(p)).into_owned())
            .collect();
        paths.sort();
        paths.dedup();
        let in_head = places.iter().any(|p| p.in_head);
        let mut first: HashMap<Option<PathIdx>, &Place<'_>> = HashMap::new();
        for place in &places {
            let slot = first.entry(place.path).or_insert(place);
            if place.commit < slot.commit {
                *slot = place;
            }
        }
        let mut findings = Vec::new();
        let mut earliest = CommitIdx(u32::MAX);
        let mut introductions: Vec<&Place<'_>> = first.into_values().collect();
        introductions.sort_by_key(|p| (p.commit, p.path));
        for place in introductions {
            earliest = earliest.min(place.commit);
            let info = match authors.get(&place.commit) {
                Some(info) => info.clone(),
                None => {
                    let oid = inventory.commit(place.commit).oid;
                    let author = repo.commit_author(oid)?;
                    let info = CommitInfo {
                        oid: oid.to_string(),
                        author: author.name,
                        email: author.email,
                        time: author.time,
                    };
                    authors.insert(place.commit, info.clone());
                    info
                }
            };
            let mut finding = place.finding.clone();
            // A ref-name finding keeps its ref as its place.
            if let Some(path) = place.path {
                finding.path = Some(crate::git::path_from_bytes(inventory.path(path)));
            }
            finding.commit = Some(Box::new(info));
            finding.history = Some(Box::new(HistoryInfo {
                in_head,
                refs: reach.refs_containing(inventory, place.commit),
                occurrences: places.len(),
                paths: paths.clone(),
            }));
            findings.push(finding);
        }
        groups.push((earliest, findings));
    }
    groups.sort_by(|a, b| (a.0, &a.1[0].fingerprint).cmp(&(b.0, &b.1[0].fingerprint)));
    Ok(groups.into_iter().flat_map(|(_, findings)| findings).collect())
}
