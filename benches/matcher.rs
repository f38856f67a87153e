//! Matcher throughput on ordinary source code with no secrets, all built-in
//! rules loaded, one thread (so the figure is per core). The corpus is the
//! Rust source of this project's own dependencies, as cargo unpacked them
//! (`$CARGO_HOME/registry/src`), capped at `GUARD_BENCH_MB` (default 32) MB.

use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use guard::rules::set::RuleSet;
use guard::scan::chunk::Chunk;
use guard::scan::finding::SourceKind;
use guard::scan::matcher::Matcher;
use guard::scan::scanner::{ScanScratch, Scanner};

fn registry_sources() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").expect("HOME is set")).join(".cargo"));
    home.join("registry").join("src")
}

fn collect(dir: &Path, budget: &mut usize, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if *budget == 0 {
            return;
        }
        if path.is_dir() {
            collect(&path, budget, out);
        } else if path.extension().is_some_and(|e| e == "rs")
            && let Ok(data) = std::fs::read(&path)
        {
            *budget = budget.saturating_sub(data.len());
            out.push((path, data));
        }
    }
}

fn bench(c: &mut Criterion) {
    let megabytes: usize = std::env::var("GUARD_BENCH_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(32);
    let mut budget = megabytes << 20;
    let mut files = Vec::new();
    collect(&registry_sources(), &mut budget, &mut files);
    let total: usize = files.iter().map(|(_, data)| data.len()).sum();
    assert!(total > 1 << 20, "no corpus under {}", registry_sources().display());

    let scanner = Scanner::new(Matcher::new(RuleSet::builtin()).expect("built-in rules build"));
    let mut group = c.benchmark_group("matcher");
    group.throughput(Throughput::Bytes(total as u64));
    group.sample_size(10);
    group.bench_function(format!("clean-source-{}MB", total >> 20), |b| {
        let mut scratch = ScanScratch::default();
        let mut findings = Vec::new();
        b.iter(|| {
            findings.clear();
            for (path, data) in &files {
                let chunk = Chunk {
                    data,
                    path: Some(path),
                    source: SourceKind::File,
                    first_line: 1,
                    only_lines: None,
                };
                scanner.scan(&chunk, &mut scratch, &mut findings);
            }
            findings.len()
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
