//! The whole history, for incident response: every unique blob once
//! (`blobs.rs`), every commit and tag message, and every path that ever
//! existed through the path policy; then each finding attributed to the
//! commit that introduced it, with where else it is, whether HEAD still
//! holds it and which refs reach it (`attribution.rs`, `reachability.rs`).

mod attribution;
mod blobs;
mod reachability;

use anyhow::Result;

use crate::git::Repo;
use crate::git::inventory::{CommitIdx, PathIdx};
use crate::git::log::Selection;
use crate::pipeline::{Origin, Pipeline, Results, Scratch, Skip, SkipReason};
use crate::progress::Progress;
use crate::scan::finding::{Finding, SourceKind};
use attribution::Place;

/// What a history scan found.
#[derive(Debug, Default)]
pub struct HistoryScan {
    /// One finding per secret and path, at the commit that introduced it,
    /// grouped by secret (fingerprint) in order of first introduction;
    /// blobs not scanned, with a path they had; objects that could not be
    /// read.
    pub results: Results,
    /// Commits enumerated.
    pub commits: usize,
    /// Unique blobs.
    pub blobs: usize,
    /// Bytes of blob content read.
    pub bytes: u64,
}

/// Scans the history `selection` picks, counting bytes read in `progress`.
///
/// # Errors
/// A revision that does not resolve, or a history that cannot be walked.
/// Missing blobs do not stop the scan; they are listed as errors, or in a
/// partial clone as not read.
pub fn check_history(
    repo: &Repo,
    pipeline: &Pipeline,
    selection: &Selection,
    progress: &Progress,
) -> Result<HistoryScan> {
    let (inventory, blobs) = blobs::read_and_scan_blobs(repo, pipeline, selection, progress)?;
    let mut scan = HistoryScan {
        commits: inventory.commits.len(),
        blobs: inventory.blobs.len(),
        bytes: blobs.bytes,
        ..HistoryScan::default()
    };
    let first_path =
        |blob| crate::git::path_from_bytes(inventory.path(inventory.blob(blob).appearances[0].0));
    for &(blob, reason) in &blobs.skipped {
        let oid = inventory.blob(blob).oid;
        scan.results.skipped.push(Skip { path: Some(first_path(blob)), blob: Some(oid), reason });
    }
    // In a partial clone a missing blob was never fetched: not read, and
    // said so; elsewhere it is damage, an error.
    let partial_clone = repo.promisor_remote().is_some();
    for &blob in &blobs.missing {
        let oid = inventory.blob(blob).oid;
        if partial_clone {
            let reason = SkipReason::NotLocal;
            scan.results.skipped.push(Skip { path: Some(first_path(blob)), blob: Some(oid), reason });
            continue;
        }
        let problem = repo.unreadable_object(oid);
        scan.results
            .errors
            .push(format!("{problem} (a blob at {} in the history)", first_path(blob).display()));
    }
    scan.results.skipped.sort_by(|a, b| a.path.cmp(&b.path));

    // Messages, then every path the history had.
    let mut scratch = Scratch::default();
    let mut messages: Vec<(CommitIdx, Finding)> = Vec::new();
    let mut found = Results::default();
    let mut check_message = |message: &[u8], commit: CommitIdx, found: &mut Results| {
        super::messages::check_message(pipeline, message, None, &mut scratch, found);
        messages.extend(found.findings.drain(..).map(|f| (commit, f)));
    };
    for (index, commit) in inventory.commits.iter().enumerate() {
        check_message(&commit.message, CommitIdx(index as u32), &mut found);
    }
    for tag in &inventory.tags {
        if let Some(commit) = tag.commit {
            check_message(&tag.message, commit, &mut found);
        }
    }
    // A path's name once; a file that must not be committed once per
    // content it held, each bound to its blob (baseline version 2).
    let mut name_findings: Vec<(PathIdx, Finding)> = Vec::new();
    let mut forbidden = vec![false; inventory.paths.len()];
    for (index, path) in inventory.paths.iter().enumerate() {
        let path = crate::git::path_from_bytes(path);
        pipeline.check_path(Origin::file(SourceKind::Commit, &path), &mut scratch, &mut found);
        for finding in found.findings.drain(..) {
            if finding.is_path_finding() {
                forbidden[index] = true;
            } else {
                name_findings.push((PathIdx(index as u32), finding));
            }
        }
    }
    let mut path_findings: Vec<(PathIdx, CommitIdx, bool, Finding)> = Vec::new();
    for blob in &inventory.blobs {
        for &(path, commit) in blob.appearances.iter().filter(|(path, _)| forbidden[path.0 as usize]) {
            let file = crate::git::path_from_bytes(inventory.path(path));
            if let Some(finding) = pipeline.policy.check(&file, SourceKind::Commit, Some(blob.oid.as_bytes()))
            {
                let in_head = inventory.head_blobs.contains(&blob.oid)
                    && inventory.head_paths.contains(inventory.path(path));
                path_findings.push((path, commit, in_head, finding));
            }
        }
    }
    let mut ref_findings: Vec<(CommitIdx, Finding)> = Vec::new();
    for tip in &inventory.refs {
        pipeline.check_ref(&tip.name, None, &mut scratch, &mut found);
        ref_findings.extend(found.findings.drain(..).map(|f| (tip.commit, f)));
    }
    scan.results.skipped.append(&mut found.skipped);

    let mut places: Vec<Place<'_>> = Vec::new();
    for (blob, finding) in &blobs.findings {
        let blob = inventory.blob(*blob);
        for &(path, commit) in &blob.appearances {
            let file = crate::git::path_from_bytes(inventory.path(path));
            // Blobs were scanned before their paths were known: a rule for
            // some files only counts where the blob had such a path.
            if !pipeline.scanner.matcher().rule_applies_to(&finding.rule_id, &file) {
                continue;
            }
            let in_head = inventory.head_blobs.contains(&blob.oid);
            places.push(Place { finding, path: Some(path), commit, in_head });
        }
    }
    for (commit, finding) in messages.iter().chain(&ref_findings) {
        places.push(Place { finding, path: None, commit: *commit, in_head: false });
    }
    for (path, finding) in &name_findings {
        let in_head = inventory.head_paths.contains(inventory.path(*path));
        places.push(Place {
            finding,
            path: Some(*path),
            commit: inventory.path_first_commit(*path),
            in_head,
        });
    }
    for (path, commit, in_head, finding) in &path_findings {
        places.push(Place { finding, path: Some(*path), commit: *commit, in_head: *in_head });
    }
    scan.results.findings = attribution::attribute(repo, &inventory, &places)?;
    Ok(scan)
}
