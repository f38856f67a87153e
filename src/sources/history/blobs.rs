//! The history's blobs, read and scanned at once: the walk (`git log`) runs
//! on the calling thread while `git cat-file` reads blobs (in pack order
//! for the whole history, or each new blob as the walk finds it for a
//! selection) and one scanner thread per core feeds them to the pipeline.
//! At most a few batches of blobs are in memory at once.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, mpsc};

use anyhow::{Result, bail};

use crate::git::cat_file::{self, Object};
use crate::git::inventory::{BlobIdx, Inventory};
use crate::git::log::Selection;
use crate::git::{Oid, Repo};
use crate::pipeline::{Origin, Pipeline, Results, Scratch, SkipReason};
use crate::progress::Progress;
use crate::scan::finding::{Finding, SourceKind};

/// Most blobs in one hand-over from the reader to a scanner.
const BATCH_BLOBS: usize = 256;

/// Most bytes in one hand-over (a larger blob goes alone).
const BATCH_BYTES: usize = 1 << 20;

/// What the blob readers and scanners produced; blobs by inventory index.
#[derive(Default)]
pub struct BlobResults {
    /// Content findings, by blob and position.
    pub findings: Vec<(BlobIdx, Finding)>,
    /// Blobs whose content was not scanned, and why.
    pub skipped: Vec<(BlobIdx, SkipReason)>,
    /// Blobs the repository does not have.
    pub missing: Vec<BlobIdx>,
    /// Bytes of blob content read.
    pub bytes: u64,
}

/// What the reader thread saw, by blob id.
#[derive(Default)]
struct ReaderResults {
    seen: HashSet<Oid>,
    too_large: Vec<(Oid, u64)>,
    missing: Vec<Oid>,
}

/// What one scanner thread found, by blob id.
#[derive(Default)]
struct ScannerResults {
    results: Results,
    /// The blob of each finding, in order.
    blobs: Vec<Oid>,
    bytes: u64,
}

/// Walks the history on this thread while `git cat-file` reads blobs and
/// workers (one per core) scan them. For the whole history git lists every
/// object in pack order, concurrently with the walk; for a selection it
/// reads each new blob as soon as the walk finds it. Blobs that no walked
/// commit holds (unreachable objects) are read but not reported. At most a
/// few blobs are in memory at once.
///
/// # Errors
/// git fails, or a thread stops early.
pub fn read_and_scan_blobs(
    repo: &Repo,
    pipeline: &Pipeline,
    selection: &Selection,
    progress: &Progress,
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
    let max_size = pipeline.size_limit().unwrap_or(u64::MAX);

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
                scope.spawn(move || {
                    let mut mine = ScannerResults::default();
                    let mut scratch = Scratch::default();
                    loop {
                        let next = receiver.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).recv();
                        let Ok(batch) = next else { return mine };
                        for (oid, data) in batch {
                            progress.add(data.len() as u64);
                            mine.bytes += data.len() as u64;
                            // The paths are not known yet: every rule runs,
                            // and attribution checks each path the blob had.
                            let origin = Origin { blob: Some(oid), ..Origin::new(SourceKind::Commit) };
                            let before = mine.results.findings.len();
                            pipeline.check_content(&data, origin, None, &mut scratch, &mut mine.results);
                            mine.blobs.resize(mine.blobs.len() + mine.results.findings.len() - before, oid);
                            let _ = recycle.send(data);
                        }
                    }
                })
            })
            .collect();
        drop(receiver);
        drop(recycle);

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
        let Some(scanned) = scanned.into_iter().collect::<Option<Vec<_>>>() else {
            bail!("a blob scanner panicked; the history was not fully scanned");
        };
        let inventory = inventory?;
        finished?;
        let read = read?;

        // Blobs that no walked commit holds (unreachable ones) drop out here.
        let index: HashMap<Oid, BlobIdx> =
            inventory.blobs.iter().enumerate().map(|(i, blob)| (blob.oid, BlobIdx(i as u32))).collect();
        let mut results = BlobResults::default();
        for part in scanned {
            results.bytes += part.bytes;
            let found = part.blobs.iter().zip(part.results.findings);
            results.findings.extend(found.filter_map(|(oid, finding)| Some((*index.get(oid)?, finding))));
            let skipped = part.results.skipped.iter();
            results.skipped.extend(skipped.filter_map(|s| Some((*index.get(&s.blob?)?, s.reason))));
        }
        results.findings.sort_by_key(|(blob, finding)| (*blob, finding.span.start));
        let too_large = read.too_large.iter().filter_map(|(oid, size)| Some((*index.get(oid)?, *size)));
        results.skipped.extend(too_large.map(|(blob, size)| (blob, SkipReason::TooLarge(size))));
        results.skipped.sort_by_key(|(blob, _)| *blob);
        results.missing = read.missing.iter().filter_map(|oid| index.get(oid).copied()).collect();
        if whole_history {
            results.missing.extend(
                inventory
                    .blobs
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| !read.seen.contains(&b.oid))
                    .map(|(i, _)| BlobIdx(i as u32)),
            );
            // git lists a corrupt object yet answers "missing": once is enough.
            results.missing.sort_unstable();
            results.missing.dedup();
        }
        Ok((inventory, results))
    })
}
