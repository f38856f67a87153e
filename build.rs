//! Turns the built-in rule files (`src/rules/builtin/*.toml`) into static Rust
//! data at build time, so that guard never parses TOML for its own rules at
//! start-up. The schema is shared with the library (`src/rules/spec.rs`), and
//! so is the keyword table (`src/scan/keywords.rs`), built here for the built-in
//! rules so that a process does not build it at start.

#[path = "src/scan/keywords.rs"]
#[allow(dead_code)]
mod keywords;
#[path = "src/rules/spec.rs"]
#[allow(dead_code)]
mod spec;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let dir = Path::new("src/rules/builtin");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("src/rules/builtin exists")
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    // Generic rules come last: where a provider rule and a generic rule match
    // the same secret, the rule listed first wins.
    files.sort_by_key(|path| (path.file_stem().is_some_and(|stem| stem == "generic"), path.clone()));

    let mut ids = BTreeSet::new();
    let mut all_rules = Vec::new();
    let mut out = String::from("&[\n");
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let text = std::fs::read_to_string(file).expect("rule file is UTF-8");
        let parsed: spec::RuleFile =
            toml::from_str(&text).unwrap_or_else(|err| panic!("{}: {err}", file.display()));
        for rule in parsed.rule {
            assert!(ids.insert(rule.id.clone()), "duplicate rule id {}", rule.id);
            let family = file.file_stem().and_then(|s| s.to_str()).expect("UTF-8 rule file name");
            emit_rule(&mut out, family, &rule);
            all_rules.push(rule);
        }
    }
    out.push(']');
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out_dir.join("builtin_rules.rs"), out).expect("OUT_DIR is writable");
    let table =
        keywords::KeywordTable::build(all_rules.iter().map(|r| (r.id.as_str(), r.keywords.as_slice())))
            .unwrap_or_else(|err| panic!("built-in rules: {err}"));
    std::fs::write(out_dir.join("builtin_keywords.rs"), emit_table(&table)).expect("OUT_DIR is writable");
}

/// The table as a constant expression of borrowed data.
fn emit_table(table: &keywords::KeywordTable) -> String {
    let numbers = |items: &[u32]| {
        let inner: Vec<String> = items.iter().map(u32::to_string).collect();
        format!("Cow::Borrowed(&[{}])", inner.join(","))
    };
    format!(
        "KeywordTable {{ text: Cow::Borrowed({:?}), ends: {}, heads: {}, bucket_starts: {}, rule_ends: {}, \
         rules: {} }}",
        table.text,
        numbers(&table.ends),
        numbers(&table.heads),
        numbers(&table.bucket_starts),
        numbers(&table.rule_ends),
        numbers(&table.rules),
    )
}

fn emit_rule(out: &mut String, family: &str, rule: &spec::RuleSpec) {
    let text = |s: &str| format!("Cow::Borrowed({s:?})");
    let list = |items: &[String]| {
        let inner: Vec<String> = items.iter().map(|s| text(s)).collect();
        format!("Cow::Borrowed(&[{}])", inner.join(", "))
    };
    let option = |value: Option<String>| value.map_or("None".to_string(), |v| format!("Some({v})"));
    writeln!(
        out,
        "Rule {{ id: {}, family: {}, description: {}, keywords: {}, regex: {}, secret_group: {}, \
         min_entropy: {}, checksum: {}, allow: {}, multiline: {}, paths: {}, rotate: {}, \
         examples: {}, negative_examples: {} }},",
        text(&rule.id),
        text(family),
        text(&rule.description),
        list(&rule.keywords),
        text(&rule.regex),
        option(rule.secret_group.map(|g| g.to_string())),
        option(rule.min_entropy.map(|e| format!("{e:?}"))),
        option(rule.checksum.as_deref().map(text)),
        list(&rule.allow),
        rule.multiline,
        list(&rule.paths),
        text(&rule.rotate),
        list(&rule.examples),
        list(&rule.negative_examples),
    )
    .expect("writing to a String cannot fail");
}
