//! Every rule against its own examples, and the keyword gate against the
//! ungated reference on generated input.

use guard::commands::rules::check;
use guard::rules::BUILTIN;
use guard::rules::template::Expander;
use guard::scan::chunk::Chunk;
use guard::scan::finding::SourceKind;
use guard::scan::matcher::Gate;
use guard::scan::scanner::ScanScratch;

use crate::common::default_pipeline;

#[test]
fn every_builtin_rule_passes_its_examples() {
    let pipeline = default_pipeline();
    let failures = check(&pipeline.scanner, 7, 200);
    assert!(
        failures.is_empty(),
        "{}",
        failures.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
    );
}

/// The rule pack: at least 250 rules, each saying where the provider
/// revokes the credential and gated by keywords.
#[test]
fn at_least_250_rules_each_with_rotation_hint_and_negative_example() {
    assert!(BUILTIN.len() >= 250, "{} rules", BUILTIN.len());
    for rule in BUILTIN {
        assert!(!rule.rotate.trim().is_empty(), "{} has no rotation hint", rule.id);
        assert!(!rule.negative_examples.is_empty(), "{} has no negative example", rule.id);
        assert!(!rule.keywords.is_empty(), "{} has no keywords", rule.id);
    }
}

#[test]
fn every_builtin_rule_passes_the_load_time_check() {
    for rule in BUILTIN {
        if let Err(err) = guard::rules::set::check(rule.clone(), guard::rules::set::Author::BuiltIn) {
            panic!("{}: {err:#}", rule.id);
        }
    }
}

/// Random text mixing keywords (in random case), rule examples, negative
/// examples and noise, scanned with and without the keyword gate.
#[test]
fn keyword_gate_never_loses_a_match_on_random_input() {
    let pipeline = default_pipeline();
    let scanner = &pipeline.scanner;
    let noise = [
        "fn main() {",
        "let x = 1;",
        "# comment",
        "  - item: value",
        "}",
        "",
        "\t\t",
        "{\"a\": [1, 2]}",
        "SELECT * FROM t;",
    ];
    let separators = [" = ", ": ", "=", " := ", "\": \"", " => "];
    let mut rng = Expander::new(0x5eed);
    let mut scratch = ScanScratch::default();
    let mut positives = 0;
    for round in 0..300 {
        let mut text = String::new();
        for _ in 0..(5 + rng.below(40)) {
            let rule = &BUILTIN[rng.below(BUILTIN.len())];
            match rng.below(6) {
                0 | 1 if !rule.examples.is_empty() => {
                    let template = &rule.examples[rng.below(rule.examples.len())];
                    text.push_str(&rng.expand(template).expect("template"));
                }
                2 if !rule.negative_examples.is_empty() => {
                    let template = &rule.negative_examples[rng.below(rule.negative_examples.len())];
                    text.push_str(&rng.expand(template).expect("template"));
                }
                3 => {
                    let keyword = &rule.keywords[rng.below(rule.keywords.len())];
                    let cased: String =
                        keyword
                            .chars()
                            .map(|c| {
                                if rng.below(2) == 0 {
                                    c.to_ascii_uppercase()
                                } else {
                                    c.to_ascii_lowercase()
                                }
                            })
                            .collect();
                    text.push_str(&cased);
                    text.push_str(separators[rng.below(separators.len())]);
                    text.push_str(&rng.expand("{{base64:24}}").expect("template"));
                }
                4 => {
                    let keyword = &rule.keywords[rng.below(rule.keywords.len())];
                    text.push_str(keyword);
                    text.push_str(&rng.expand("{{alnum:40}}").expect("template"));
                }
                _ => text.push_str(noise[rng.below(noise.len())]),
            }
            text.push_str(if rng.below(8) == 0 { "\r\n" } else { "\n" });
        }
        let chunk = Chunk {
            data: text.as_bytes(),
            path: None,
            source: SourceKind::Stdin,
            first_line: 1,
            only_lines: None,
        };
        let mut gated = Vec::new();
        let mut ungated = Vec::new();
        scanner.scan_with(&chunk, Gate::Keywords, &mut scratch, &mut gated);
        scanner.scan_with(&chunk, Gate::Off, &mut scratch, &mut ungated);
        let key = |f: &guard::scan::finding::Finding| (f.rule_id.to_string(), f.span.clone());
        let gated: Vec<_> = gated.iter().map(key).collect();
        let ungated: Vec<_> = ungated.iter().map(key).collect();
        assert_eq!(gated, ungated, "round {round}: gate changed the result on:\n{text}");
        positives += gated.len();
    }
    assert!(positives > 300, "the generated input should hold many secrets, found {positives}");
}

/// Every kept input of the scanner fuzz target (seeds, hex-encoded
/// regressions, and the local `fuzz/corpus/scanner` when fuzzing left one)
/// scanned with and without the keyword gate: the findings must be equal.
#[test]
fn keyword_gate_never_loses_a_match_on_the_fuzz_corpora() {
    let pipeline = default_pipeline();
    let scanner = &pipeline.scanner;
    let mut scratch = ScanScratch::default();
    let inputs = crate::common::fuzz_inputs("scanner", true);
    assert!(!inputs.is_empty(), "fuzz/seeds/scanner holds the committed seeds");
    for (name, data) in &inputs {
        let chunk = Chunk::new(data, SourceKind::Stdin);
        let (mut gated, mut ungated) = (Vec::new(), Vec::new());
        scanner.scan_with(&chunk, Gate::Keywords, &mut scratch, &mut gated);
        scanner.scan_with(&chunk, Gate::Off, &mut scratch, &mut ungated);
        let key = |f: &guard::scan::finding::Finding| (f.rule_id.to_string(), f.span.clone());
        let gated: Vec<_> = gated.iter().map(key).collect();
        let ungated: Vec<_> = ungated.iter().map(key).collect();
        assert_eq!(gated, ungated, "{name}: the keyword gate changed the findings");
    }
}

/// The matcher scans a long chunk as two halves in lockstep; a keyword (and
/// its secret) at every offset across the split must still be found once.
#[test]
fn keywords_across_the_two_stream_split_are_found_once() {
    let pipeline = default_pipeline();
    let token = crate::common::expand("{{base62_crc:ghp_}}", 99);
    let mut scratch = ScanScratch::default();
    for length in [600usize, 601, 4096, 4097] {
        let middle = length / 2;
        for offset in middle.saturating_sub(45)..middle + 5 {
            let mut text = vec![b'.'; length];
            text[offset - 1] = b' ';
            text[offset..offset + token.len()].copy_from_slice(token.as_bytes());
            text[offset + token.len()] = b' ';
            let chunk =
                Chunk { data: &text, path: None, source: SourceKind::File, first_line: 1, only_lines: None };
            let mut findings = Vec::new();
            pipeline.scanner.scan(&chunk, &mut scratch, &mut findings);
            assert_eq!(findings.len(), 1, "length {length}, token at {offset}");
            assert_eq!(findings[0].column, offset + 1);
        }
    }
}
