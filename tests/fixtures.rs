//! Scanner cases as data: every `fixtures/scanner/*.toml` case, one loop.

use std::path::Path;

use guard::pipeline::{Origin, Results, Scratch};
use guard::scan::finding::SourceKind;
use serde::Deserialize;

use crate::common::{default_pipeline, expand};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    input: String,
    #[serde(default)]
    path: Option<String>,
    expect: Vec<String>,
}

#[derive(Deserialize)]
struct File {
    case: Vec<Case>,
}

#[test]
fn scanner_fixtures() {
    let pipeline = default_pipeline();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/scanner");
    let mut files: Vec<_> =
        std::fs::read_dir(&dir).expect("fixtures dir").flatten().map(|e| e.path()).collect();
    files.sort();
    let mut cases = 0;
    let mut failures = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("fixture is UTF-8");
        let parsed: File = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for case in parsed.case {
            for seed in 0..20 {
                let input = expand(&case.input, seed);
                let path = case.path.as_deref().map(Path::new);
                let origin = Origin { path, ..Origin::new(SourceKind::File) };
                let mut results = Results::default();
                let mut scratch = Scratch::default();
                pipeline.check_path(origin, &mut scratch, &mut results);
                pipeline.check_content(input.as_bytes(), origin, None, &mut scratch, &mut results);
                let got: Vec<String> =
                    results.findings.iter().map(|f| format!("{}@{}", f.rule_id, f.line)).collect();
                if got != case.expect {
                    failures.push(format!(
                        "{}: {:?} (seed {seed}): expected {:?}, got {:?}",
                        file.display(),
                        case.name,
                        case.expect,
                        got
                    ));
                    break;
                }
            }
            cases += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(cases >= 15, "only {cases} fixture cases");
}
