//! The whole history as chunks: every unique blob once (read by `git
//! cat-file` while the history is still being walked, scanned on every
//! core), every commit and tag message, and every
//! path that ever existed through the path policy. Findings are then
//! attributed: for each secret and path, the first commit (in commit order)
//! that had it, and for each secret, every place it occurs, whether HEAD
//! still holds it, and which refs contain its introducing commit.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use anyhow::{Result, bail};

use crate::git::cat_file::{self, Object};
use crate::git::inventory::{Inventory, Selection};
use crate::git::{Oid, Repo};
use crate::pipeline::Pipeline;
use crate::report::progress::Progress;
use crate::scan::finding::{CommitInfo, Finding, HistoryInfo, SourceKind};
use crate::scan::scanner::ScanScratch;
use crate::sources::{Chunk, git_path, is_binary};

/// A blob whose content was not scanned because of its size.
#[derive(Debug, Clone)]
pub struct SkippedBlob {
    /// The blob.
    pub oid: Oid,
    /// A path it had.
    pub path: PathBuf,
    /// Its size in bytes.
    pub size: u64,
}

/// What a history scan found.
#[derive(Debug, Default)]
pub struct HistoryScan {
    /// One finding per secret and path, at the commit that introduced it,
    /// grouped by secret (fingerprint) in order of first introduction.
    pub findings: Vec<Finding>,
    /// Blobs over the size limit.
    pub skipped: Vec<SkippedBlob>,
    /// How many blobs were binary.
    pub binary: usize,
    /// Objects that could not be read.
    pub errors: Vec<String>,
    /// Commits enumerated.
    pub commits: usize,
    /// Unique blobs.
    pub blobs: usize,
    /// Bytes of blob content scanned.
    pub bytes: u64,
}

/// A content finding in one blob (`blob` indexes `Inventory::blobs`).
struct BlobFinding {
    blob: u32,
    finding: Finding,
}

/// One place a secret occurs: a path (none for messages) at a commit.
struct Place<'a> {
    finding: &'a Finding,
    path: Option<u32>,
    commit: u32,
    in_head: bool,
}

/// Scans the history `selection` picks.
///
/// # Errors
/// A revision that does not resolve, or a history that cannot be walked.
/// Missing blobs do not stop the scan; they are listed in `errors`.
pub fn scan(
    repo: &Repo,
    pipeline: &Pipeline,
    selection: &Selection,
    show_progress: bool,
) -> Result<HistoryScan> {
    let (inventory, blobs) = read_and_scan_blobs(repo, pipeline, selection, show_progress)?;
    let mut result = HistoryScan {
        commits: inventory.commits.len(),
        blobs: inventory.blobs.len(),
        binary: blobs.binary,
        bytes: blobs.bytes,
        ..HistoryScan::default()
    };
    let first_path =
        |blob: u32| git_path(&inventory.paths[inventory.blobs[blob as usize].appearances[0].0 as usize]);
    for (blob, size) in &blobs.too_large {
        result.skipped.push(SkippedBlob {
            oid: inventory.blobs[*blob as usize].oid,
            path: first_path(*blob),
            size: *size,
        });
    }
    result.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    for blob in &blobs.missing {
        let oid = inventory.blobs[*blob as usize].oid;
        result.errors.push(format!(
            "blob {oid} (at {} in the history) is missing from the repository",
            first_path(*blob).display()
        ));
    }

    let mut scratch = ScanScratch::default();
    let mut message_findings: Vec<(u32, Finding)> = Vec::new();
    for (index, commit) in inventory.commits.iter().enumerate() {
        let chunk = Chunk {
            data: &commit.message,
            path: None,
            source: SourceKind::Message,
            first_line: 1,
            only_lines: None,
        };
        let mut found = Vec::new();
        pipeline.scan_chunk(&chunk, &mut scratch, &mut found);
        message_findings.extend(found.into_iter().map(|f| (index as u32, f)));
    }
    for tag in &inventory.tags {
        let Some(commit) = tag.commit else { continue };
        let chunk = Chunk {
            data: &tag.message,
            path: None,
            source: SourceKind::Message,
            first_line: 1,
            only_lines: None,
        };
        let mut found = Vec::new();
        pipeline.scan_chunk(&chunk, &mut scratch, &mut found);
        message_findings.extend(found.into_iter().map(|f| (commit, f)));
    }
    let mut path_findings: Vec<(u32, Finding)> = Vec::new();
    for (index, path) in inventory.paths.iter().enumerate() {
        let mut found = Vec::new();
        pipeline.check_path(&git_path(path), SourceKind::Commit, &mut found);
        path_findings.extend(found.into_iter().map(|f| (index as u32, f)));
    }

    let mut places: Vec<Place<'_>> = Vec::new();
    for BlobFinding { blob, finding } in &blobs.findings {
        let blob = &inventory.blobs[*blob as usize];
        for &(path, commit) in &blob.appearances {
            let file = git_path(&inventory.paths[path as usize]);
            // Blobs were scanned before their paths were known: a rule for
            // some files only counts where the blob had such a path.
            if pipeline.filters.allows_path(&file)
                || !pipeline.scanner.matcher().rule_applies_to(&finding.rule_id, &file)
            {
                continue;
            }
            let in_head = inventory.head_blobs.contains(&blob.oid);
            places.push(Place { finding, path: Some(path), commit, in_head });
        }
    }
    for (commit, finding) in &message_findings {
        places.push(Place { finding, path: None, commit: *commit, in_head: false });
    }
    for (path, finding) in &path_findings {
        let in_head = inventory.head_paths.contains(&inventory.paths[*path as usize]);
        places.push(Place {
            finding,
            path: Some(*path),
            commit: inventory.path_first_commit[*path as usize],
            in_head,
        });
    }
    result.findings = attribute(repo, &inventory, &places)?;
    Ok(result)
}

/// Most blobs in one hand-over from the reader to a scanner.
const BATCH_BLOBS: usize = 256;

/// Most bytes in one hand-over (a larger blob goes alone).
const BATCH_BYTES: usize = 1 << 20;

/// What the blob readers and scanners produced; blobs by inventory index.
#[derive(Default)]
struct BlobResults {
    findings: Vec<BlobFinding>,
    too_large: Vec<(u32, u64)>,
    missing: Vec<u32>,
    binary: usize,
    bytes: u64,
}

/// A content finding in a blob known by id, before the walk has indexed it.
struct OidFinding {
    oid: Oid,
    finding: Finding,
}

/// What the reader thread saw, by blob id.
#[derive(Default)]
struct ReaderResults {
    seen: HashSet<Oid>,
    too_large: Vec<(Oid, u64)>,
    missing: Vec<Oid>,
}

/// What one scanner thread found.
#[derive(Default)]
struct ScannerResults {
    findings: Vec<OidFinding>,
    binary: usize,
    bytes: u64,
}

/// Walks the history on this thread while `git cat-file` reads blobs and
/// workers (one per core) scan them. For the whole history git lists every
/// object in pack order, concurrently with the walk; for a selection it
/// reads each new blob as soon as the walk finds it. Blobs that no walked
/// commit holds (unreachable objects) are read but not reported. At most a
/// few blobs are in memory at once.
fn read_and_scan_blobs(
    repo: &Repo,
    pipeline: &Pipeline,
    selection: &Selection,
    show_progress: bool,
) -> Result<(Inventory, BlobResults)> {
    let whole_history = selection.revisions.is_empty() && selection.since.is_none();
    let (mut requests, mut objects) = if whole_history {
        (None, cat_file::spawn_all(repo.git_dir())?)
    } else {
        let (requests, objects) = cat_file::spawn_requests(repo.git_dir())?;
        (Some(requests), objects)
    };
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    // Blobs travel in batches: one hand-over per blob cost a futex wake-up
    // each, a third of the run's system time on curl.
    let (sender, receiver) = mpsc::sync_channel::<Vec<(Oid, Vec<u8>)>>(2 * workers);
    // Each scanner holds the receiver; when the last one stops (even by a
    // panic) the reader's next send fails instead of waiting for ever.
    let receiver = Arc::new(Mutex::new(receiver));
    // Scanned buffers go back to the reader: reusing them saves the page
    // faults of fresh allocations (a tenth of the run on flask).
    let (recycle, recycled) = mpsc::channel::<Vec<u8>>();
    let progress = Progress::new("scanning blobs", 0, show_progress);
    let done = AtomicBool::new(false);
    let max_size = pipeline.max_file_size;

    std::thread::scope(|scope| {
        let reader = scope.spawn(move || -> Result<ReaderResults> {
            let mut results = ReaderResults::default();
            let mut batch = Vec::new();
            let mut batch_bytes = 0;
            loop {
                let mut buffer = recycled.try_recv().unwrap_or_default();
                let (oid, object) = match objects.next(max_size, &mut buffer) {
                    Ok(Some(next)) => next,
                    Ok(None) => break,
                    Err(err) => {
                        objects.abort();
                        return Err(err);
                    }
                };
                match object {
                    Object::Blob => {
                        results.seen.insert(oid);
                        batch_bytes += buffer.len();
                        batch.push((oid, buffer));
                        if batch.len() >= BATCH_BLOBS || batch_bytes >= BATCH_BYTES {
                            batch_bytes = 0;
                            if sender.send(std::mem::take(&mut batch)).is_err() {
                                objects.abort();
                                bail!("the blob scanners stopped early");
                            }
                        }
                    }
                    Object::TooLarge(size) => {
                        results.seen.insert(oid);
                        results.too_large.push((oid, size));
                    }
                    Object::Missing => results.missing.push(oid),
                    Object::NotBlob => {}
                }
            }
            if !batch.is_empty() && sender.send(batch).is_err() {
                bail!("the blob scanners stopped early");
            }
            drop(sender);
            objects.wait()?;
            Ok(results)
        });
        let scanners: Vec<_> = (0..workers)
            .map(|_| {
                let receiver = Arc::clone(&receiver);
                let recycle = recycle.clone();
                let progress = &progress;
                scope.spawn(move || {
                    let mut results = ScannerResults::default();
                    let mut scratch = ScanScratch::default();
                    let mut found = Vec::new();
                    loop {
                        let next = receiver.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).recv();
                        let Ok(batch) = next else { return results };
                        for (oid, data) in batch {
                            progress.add(data.len() as u64);
                            results.bytes += data.len() as u64;
                            if is_binary(&data) {
                                results.binary += 1;
                            } else {
                                let chunk = Chunk {
                                    data: &data,
                                    path: None,
                                    source: SourceKind::Commit,
                                    first_line: 1,
                                    only_lines: None,
                                };
                                pipeline.scan_chunk(&chunk, &mut scratch, &mut found);
                                results
                                    .findings
                                    .extend(found.drain(..).map(|finding| OidFinding { oid, finding }));
                            }
                            let _ = recycle.send(data);
                        }
                    }
                })
            })
            .collect();
        drop(receiver);
        drop(recycle);
        scope.spawn(|| progress.draw_until(|| done.load(Ordering::Relaxed)));

        let inventory = repo.inventory(selection, &mut |oid| match requests.as_mut() {
            Some(requests) => requests.request(oid),
            None => Ok(()),
        });
        // Closing git's input lets it finish, whatever happened above.
        let finished = requests.map_or(Ok(()), cat_file::Requests::finish);
        if let Ok(inventory) = &inventory {
            progress.set_total(inventory.blobs.len() as u64);
        }
        let read = reader.join().unwrap_or_else(|_| Err(anyhow::anyhow!("the blob reader panicked")));
        let scanned: Vec<Option<ScannerResults>> = scanners.into_iter().map(|s| s.join().ok()).collect();
        done.store(true, Ordering::Relaxed);
        let Some(scanned) = scanned.into_iter().collect::<Option<Vec<_>>>() else {
            bail!("a blob scanner panicked; the history was not fully scanned");
        };
        let inventory = inventory?;
        finished?;
        let read = read?;

        let index: HashMap<Oid, u32> =
            inventory.blobs.iter().enumerate().map(|(i, blob)| (blob.oid, i as u32)).collect();
        let mut results = BlobResults::default();
        for part in scanned {
            results.binary += part.binary;
            results.bytes += part.bytes;
            results.findings.extend(part.findings.into_iter().filter_map(|OidFinding { oid, finding }| {
                index.get(&oid).map(|&blob| BlobFinding { blob, finding })
            }));
        }
        results.findings.sort_by_key(|f| (f.blob, f.finding.span.start));
        results.too_large =
            read.too_large.iter().filter_map(|(oid, size)| Some((*index.get(oid)?, *size))).collect();
        results.missing = read.missing.iter().filter_map(|oid| index.get(oid).copied()).collect();
        if whole_history {
            results.missing.extend(
                inventory
                    .blobs
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| !read.seen.contains(&b.oid))
                    .map(|(i, _)| i as u32),
            );
        }
        Ok((inventory, results))
    })
}

/// Turns places into one finding per secret and path, at its first commit,
/// with the incident facts of its secret.
fn attribute(repo: &Repo, inventory: &Inventory, places: &[Place<'_>]) -> Result<Vec<Finding>> {
    let mut by_secret: HashMap<&str, Vec<&Place<'_>>> = HashMap::new();
    for place in places {
        by_secret.entry(place.finding.fingerprint.as_str()).or_default().push(place);
    }
    let reach = Reachability::new(inventory, !places.is_empty());
    let mut metas: HashMap<u32, CommitInfo> = HashMap::new();
    let mut groups: Vec<(u32, Vec<Finding>)> = Vec::new();
    for places in by_secret.into_values() {
        let mut paths: Vec<String> = places
            .iter()
            .filter_map(|p| p.path)
            .map(|p| display_path(&inventory.paths[p as usize]))
            .collect();
        paths.sort();
        paths.dedup();
        let in_head = places.iter().any(|p| p.in_head);
        let mut first: HashMap<Option<u32>, &Place<'_>> = HashMap::new();
        for place in &places {
            let slot = first.entry(place.path).or_insert(place);
            if place.commit < slot.commit {
                *slot = place;
            }
        }
        let mut findings = Vec::new();
        let mut earliest = u32::MAX;
        let mut introductions: Vec<&Place<'_>> = first.into_values().collect();
        introductions.sort_by_key(|p| (p.commit, p.path));
        for place in introductions {
            earliest = earliest.min(place.commit);
            let commit = &inventory.commits[place.commit as usize];
            let info = match metas.get(&place.commit) {
                Some(info) => info.clone(),
                None => {
                    let meta = repo.commit_meta(commit.oid)?;
                    let info = CommitInfo {
                        oid: commit.oid.to_string(),
                        author: meta.author,
                        email: meta.email,
                        time: meta.time,
                    };
                    metas.insert(place.commit, info.clone());
                    info
                }
            };
            let mut finding = place.finding.clone();
            finding.path = place.path.map(|p| git_path(&inventory.paths[p as usize]));
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

/// Which refs reach which commits: a bitset of refs per commit, filled from
/// children to parents. Built only when there is something to attribute.
struct Reachability {
    words: usize,
    bits: Vec<u64>,
}

impl Reachability {
    fn new(inventory: &Inventory, needed: bool) -> Reachability {
        let words = inventory.refs.len().div_ceil(64);
        if !needed || words == 0 {
            return Reachability { words: 0, bits: Vec::new() };
        }
        let mut bits = vec![0u64; words * inventory.commits.len()];
        for (index, tip) in inventory.refs.iter().enumerate() {
            bits[tip.commit as usize * words + index / 64] |= 1 << (index % 64);
        }
        for (child, commit) in inventory.commits.iter().enumerate().rev() {
            for &parent in &commit.parents {
                for word in 0..words {
                    let from = bits[child * words + word];
                    bits[parent as usize * words + word] |= from;
                }
            }
        }
        Reachability { words, bits }
    }

    fn refs_containing(&self, inventory: &Inventory, commit: u32) -> Vec<String> {
        if self.words == 0 {
            return Vec::new();
        }
        let row = &self.bits[commit as usize * self.words..(commit as usize + 1) * self.words];
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

fn display_path(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
