//! Scoring: a reported line range that touches a labelled case makes that
//! case found. A found positive is a true positive, a missed one a false
//! negative; a found negative is a false positive, and so is a report on a
//! line no case covers. Tools are judged by where they report, not by their
//! rule names, so guard and the peers are scored the same way.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use super::corpus::Corpus;

/// One reported finding: a file and a line range.
#[derive(Debug, Clone)]
pub struct Hit {
    pub path: String,
    pub first: usize,
    pub last: usize,
    pub rule: String,
}

/// Counts for one family.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub true_positives: usize,
    pub false_negatives: usize,
    pub false_positives: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        let reported = self.true_positives + self.false_positives;
        if reported == 0 { 1.0 } else { self.true_positives as f64 / reported as f64 }
    }

    pub fn recall(&self) -> f64 {
        let positives = self.true_positives + self.false_negatives;
        if positives == 0 { 1.0 } else { self.true_positives as f64 / positives as f64 }
    }
}

/// Per-family counts of one tool on the corpus.
#[derive(Debug, Default)]
pub struct Scores {
    families: BTreeMap<String, Counts>,
    found: Vec<bool>,
    unlabeled: Vec<Hit>,
}

impl Scores {
    pub fn compute(corpus: &Corpus, hits: &[Hit]) -> Scores {
        let mut found = vec![false; corpus.cases.len()];
        let mut unlabeled = Vec::new();
        for hit in hits {
            let mut any = false;
            for (index, case) in corpus.cases.iter().enumerate() {
                if case.path == hit.path && hit.first <= case.last && case.first <= hit.last.max(hit.first) {
                    found[index] = true;
                    any = true;
                }
            }
            if !any {
                unlabeled.push(hit.clone());
            }
        }
        let mut families: BTreeMap<String, Counts> = BTreeMap::new();
        for (case, &hit) in corpus.cases.iter().zip(&found) {
            let counts = families.entry(case.family.clone()).or_default();
            match (case.positive, hit) {
                (true, true) => counts.true_positives += 1,
                (true, false) => counts.false_negatives += 1,
                (false, true) => counts.false_positives += 1,
                (false, false) => {}
            }
        }
        if !unlabeled.is_empty() {
            families.entry("unlabeled lines".into()).or_default().false_positives += unlabeled.len();
        }
        Scores { families, found, unlabeled }
    }

    pub fn families(&self) -> Vec<String> {
        self.families.keys().cloned().collect()
    }

    pub fn family(&self, name: &str) -> Counts {
        self.families.get(name).copied().unwrap_or_default()
    }

    fn overall(&self) -> Counts {
        let mut all = Counts::default();
        for counts in self.families.values() {
            all.true_positives += counts.true_positives;
            all.false_negatives += counts.false_negatives;
            all.false_positives += counts.false_positives;
        }
        all
    }

    /// `family: precision recall (tp fp fn)` lines, overall last.
    pub fn table(&self, tool: &str) -> Table {
        let mut rows: Vec<(String, Counts)> = self.families.iter().map(|(f, c)| (f.clone(), *c)).collect();
        rows.push(("overall".into(), self.overall()));
        Table { tool: tool.to_string(), rows }
    }

    /// Every missed positive and reported negative, for docs/ACCURACY.md.
    pub fn misses(&self, corpus: &Corpus) -> String {
        let mut out = String::new();
        for (case, &hit) in corpus.cases.iter().zip(&self.found) {
            if case.positive != hit {
                let kind = if case.positive { "missed" } else { "false positive" };
                let _ = writeln!(out, "{kind} [{}] {}:{}: {}", case.family, case.path, case.first, case.text);
            }
        }
        for hit in &self.unlabeled {
            let _ = writeln!(out, "unlabeled {}:{} ({})", hit.path, hit.first, hit.rule);
        }
        out
    }
}

/// One tool's rows.
pub struct Table {
    tool: String,
    rows: Vec<(String, Counts)>,
}

impl std::fmt::Display for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{}", self.tool)?;
        for (family, c) in &self.rows {
            writeln!(
                f,
                "  {family:<22} precision {:.3}  recall {:.3}  (tp {}, fp {}, fn {})",
                c.precision(),
                c.recall(),
                c.true_positives,
                c.false_positives,
                c.false_negatives
            )?;
        }
        Ok(())
    }
}

/// A Markdown table: one row per family, precision/recall per tool.
pub fn side_by_side(tables: &[Table]) -> String {
    let mut out = String::from("| family |");
    for table in tables {
        let _ = write!(out, " {} P | {} R |", table.tool, table.tool);
    }
    out.push_str("\n|---|");
    out.push_str(&"---|---|".repeat(tables.len()));
    out.push('\n');
    let Some(first) = tables.first() else { return out };
    for (family, _) in &first.rows {
        let _ = write!(out, "| {family} |");
        for table in tables {
            let counts = table.rows.iter().find(|(f, _)| f == family).map(|(_, c)| *c).unwrap_or_default();
            if counts.true_positives + counts.false_negatives == 0 {
                // Negatives only: the number of false positives says it all.
                let _ = write!(out, " {} FP | |", counts.false_positives);
            } else {
                let _ = write!(out, " {:.3} | {:.3} |", counts.precision(), counts.recall());
            }
        }
        out.push('\n');
    }
    out
}

/// Hits from a gitleaks JSON report (an array of findings with `File`,
/// `StartLine`, `EndLine`), a betterleaks 2 one (`findings[].location`) or a
/// kingfisher one (`findings[].finding` with `path`, `line`), paths made
/// relative to `root`.
pub fn peer_hits(text: &str, root: &Path) -> Vec<Hit> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<serde_json::Value>();
    let Some(Ok(value)) = stream.next() else { return Vec::new() };
    let relative = |path: &str| {
        let path = Path::new(path);
        path.strip_prefix(root).unwrap_or(path).to_string_lossy().trim_start_matches("./").to_string()
    };
    let number = |v: &serde_json::Value| v.as_u64().unwrap_or(0) as usize;
    match &value {
        serde_json::Value::Array(findings) => findings
            .iter()
            .map(|f| Hit {
                path: relative(f["File"].as_str().unwrap_or("")),
                first: number(&f["StartLine"]),
                last: number(&f["EndLine"]),
                rule: f["RuleID"].as_str().unwrap_or("").to_string(),
            })
            .collect(),
        _ => value["findings"]
            .as_array()
            .map(|findings| {
                findings
                    .iter()
                    .map(|f| match f.get("location") {
                        Some(at) => Hit {
                            path: relative(at["path"].as_str().unwrap_or("")),
                            first: number(&at["start_line"]),
                            last: number(&at["end_line"]),
                            rule: f["rule_id"].as_str().unwrap_or("").to_string(),
                        },
                        None => Hit {
                            path: relative(f["finding"]["path"].as_str().unwrap_or("")),
                            first: number(&f["finding"]["line"]),
                            last: number(&f["finding"]["line"]),
                            rule: f["rule"]["id"].as_str().unwrap_or("").to_string(),
                        },
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}
