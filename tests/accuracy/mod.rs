//! The accuracy harness: writes the seeded, labelled corpus, scans it with
//! the guard binary, and computes precision and recall per family; the test
//! fails under the floors recorded in docs/ACCURACY.md. With
//! `GUARD_ACCURACY_DIR` set, the corpus is written there and kept (for
//! `benches/accuracy.sh`, which runs the peers on it); with
//! `GUARD_ACCURACY_REPORTS` set, `peers_on_the_corpus` scores the peers'
//! reports found there next to guard's.

mod corpus;
mod score;

use std::path::{Path, PathBuf};

use corpus::{CONNECTION, Corpus, GENERIC, HARD_NEGATIVE};
use score::{Hit, Scores};

use crate::common::{Run, guard};

/// The corpus seed: fixed, so figures are comparable from run to run.
const SEED: u64 = 0x6775_6172_6421;

/// Precision and recall floors per family; every other family must reach
/// `PROVIDER_FLOOR`, and no hard negative may be reported.
const FLOORS: &[(&str, f64)] = &[(GENERIC, 0.98), (CONNECTION, 0.98)];
const PROVIDER_FLOOR: f64 = 0.98;

fn write_corpus(corpus: &Corpus, root: &Path) {
    for (path, text) in &corpus.files {
        let target = root.join(path);
        std::fs::create_dir_all(target.parent().expect("corpus paths have a parent")).expect("mkdir");
        std::fs::write(&target, text).expect("write corpus file");
    }
}

/// Findings of `guard scan` on the corpus, content rules only (the path
/// policy reports file names, which the peers do not look at).
fn guard_hits(root: &Path) -> Vec<Hit> {
    let out = guard(root).args(["scan", ".", "--no-ignore", "--format", "json"]).run();
    assert!(out.status.code() == Some(1), "guard scan: {}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let policy: Vec<&str> = guard::policy::path_policy::PathPolicy::builtin_ids().collect();
    report["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .filter(|f| !policy.contains(&f["rule_id"].as_str().unwrap_or("")))
        .map(|f| Hit {
            path: f["path"].as_str().unwrap_or("").trim_start_matches("./").to_string(),
            first: f["line"].as_u64().unwrap_or(0) as usize,
            last: f["end_line"].as_u64().unwrap_or(0) as usize,
            rule: f["rule_id"].as_str().unwrap_or("").to_string(),
        })
        .collect()
}

fn corpus_dir() -> (Option<tempfile::TempDir>, PathBuf) {
    match std::env::var_os("GUARD_ACCURACY_DIR") {
        Some(dir) => (None, PathBuf::from(dir)),
        None => {
            let temp = tempfile::tempdir().expect("temp dir");
            let path = temp.path().to_path_buf();
            (Some(temp), path)
        }
    }
}

#[test]
fn guard_meets_the_floors_on_the_corpus() {
    let corpus = corpus::generate(SEED);
    let (_keep, root) = corpus_dir();
    write_corpus(&corpus, &root);
    let scores = Scores::compute(&corpus, &guard_hits(&root));
    println!("{}", scores.table("guard"));
    println!("{}", scores.misses(&corpus));
    let mut failures = Vec::new();
    for family in scores.families() {
        if family == HARD_NEGATIVE {
            continue;
        }
        let floor = FLOORS.iter().find(|(f, _)| *f == family).map_or(PROVIDER_FLOOR, |(_, floor)| *floor);
        let s = scores.family(&family);
        if s.precision() < floor || s.recall() < floor {
            failures.push(format!("{family}: precision {:.3}, recall {:.3}", s.precision(), s.recall()));
        }
    }
    let hard = scores.family(HARD_NEGATIVE);
    if hard.false_positives > 0 {
        failures.push(format!("{} hard negatives reported", hard.false_positives));
    }
    assert!(failures.is_empty(), "under the floors:\n{}", failures.join("\n"));
}

/// Scores the peers' reports in `GUARD_ACCURACY_REPORTS` (written by
/// `benches/accuracy.sh`) on the same corpus; prints one table per tool.
#[test]
#[ignore = "needs the peers' reports: run benches/accuracy.sh"]
fn peers_on_the_corpus() {
    let reports = PathBuf::from(std::env::var_os("GUARD_ACCURACY_REPORTS").expect("GUARD_ACCURACY_REPORTS"));
    let corpus = corpus::generate(SEED);
    let (_keep, root) = corpus_dir();
    write_corpus(&corpus, &root);
    let mut tables = vec![Scores::compute(&corpus, &guard_hits(&root)).table("guard")];
    let mut misses = String::new();
    for tool in ["gitleaks", "betterleaks", "kingfisher"] {
        let report = reports.join(format!("{tool}.json"));
        let Ok(text) = std::fs::read_to_string(&report) else { continue };
        let scores = Scores::compute(&corpus, &score::peer_hits(&text, &root));
        misses.push_str(&format!("## {tool}\n{}", scores.misses(&corpus)));
        tables.push(scores.table(tool));
    }
    println!("{}", score::side_by_side(&tables));
    println!("{misses}");
}
