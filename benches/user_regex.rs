//! A user regex cannot stall a scan: the nested counted repetition that
//! took 16-19 s on 100 KB and over 11 minutes on 8 MB,
//! `(?:(?:(?:[a-z]{1,50}){1,50}){1,3})z` with keyword `ab`, is rejected when
//! `guard.toml` loads (its compiled size is over the 256 KiB budget), and
//! a pattern of that shape the budget admits scans 8 MB of lower-case text
//! holding its keyword on every line in well under a second.

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use guard::config::{Config, merge_text};
use guard::pipeline::{Origin, Pipeline, Results, Scratch};
use guard::scan::finding::SourceKind;

fn rule(pattern: &str) -> String {
    format!("[[rule]]\nid = \"nested\"\ndescription = \"d\"\nkeywords = [\"ab\"]\nregex = '{pattern}'\n")
}

fn load(pattern: &str) -> anyhow::Result<Config> {
    let mut config = Config::default();
    merge_text(&mut config, &rule(pattern), Path::new("guard.toml"))?;
    Ok(config)
}

fn bench(c: &mut Criterion) {
    let stall = "(?:(?:(?:[a-z]{1,50}){1,50}){1,3})z";
    let err = load(stall).expect_err("the stalling pattern is rejected at load");
    eprintln!("rejected at load: {err:#}");

    let admitted = "(?:(?:(?:[a-z]{1,20}){1,20}){1})z";
    let config = load(admitted).expect("a pattern within the budget loads");
    let pipeline = Pipeline::new(&config).expect("the plan").without_size_limit();
    // Lower-case words that hold the keyword and never the final `z`: the
    // worst case for the pattern, every position a start and none a match.
    let line = b"abacus abbey abbot abduct abide ability abloom aboard abound about above\n";
    let text: Vec<u8> = line.iter().copied().cycle().take(8 << 20).collect();

    let mut group = c.benchmark_group("user_regex");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("nested repetition within the budget, 8 MB", |b| {
        b.iter(|| {
            let mut results = Results::default();
            pipeline.check_content(
                &text,
                Origin::new(SourceKind::File),
                None,
                &mut Scratch::default(),
                &mut results,
            );
            results.findings.len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
