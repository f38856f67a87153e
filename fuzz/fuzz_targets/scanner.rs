//! Arbitrary bytes through the default scanner as one chunk: no panic, and
//! the keyword gate finds exactly what the ungated scan finds (same rules,
//! same spans), and every span lies inside the chunk.
#![no_main]

use std::sync::LazyLock;

use guard::config::Config;
use guard::pipeline::Pipeline;
use guard::scan::chunk::Chunk;
use guard::scan::finding::SourceKind;
use guard::scan::matcher::Gate;
use guard::scan::scanner::ScanScratch;
use libfuzzer_sys::fuzz_target;

static PIPELINE: LazyLock<Pipeline> =
    LazyLock::new(|| Pipeline::new(&Config::default()).expect("default pipeline"));

fuzz_target!(|data: &[u8]| {
    let scanner = &PIPELINE.scanner;
    let chunk = Chunk::new(data, SourceKind::Stdin);
    let mut scratch = ScanScratch::default();
    let (mut gated, mut ungated) = (Vec::new(), Vec::new());
    scanner.scan_with(&chunk, Gate::Keywords, &mut scratch, &mut gated);
    scanner.scan_with(&chunk, Gate::Off, &mut scratch, &mut ungated);
    for finding in &gated {
        assert!(
            finding.span.start <= finding.span.end && finding.span.end <= data.len(),
            "span {:?}",
            finding.span
        );
    }
    let key = |f: &guard::scan::finding::Finding| (f.rule_id.to_string(), f.span.clone());
    let gated: Vec<_> = gated.iter().map(key).collect();
    let ungated: Vec<_> = ungated.iter().map(key).collect();
    assert_eq!(gated, ungated, "the keyword gate changed the findings");
});
