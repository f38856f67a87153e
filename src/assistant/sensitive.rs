//! The sensitive paths an assistant must not read, as gitignore patterns,
//! and whether a control covers them: each pattern becomes sample paths
//! (`.env.*` gives `.env.prod` and `config/.env.prod`) that the control's
//! own matcher must exclude. Ignore files are matched with the `ignore`
//! crate's gitignore matcher; Claude Code's `Read(…)` deny rules are turned
//! into the gitignore patterns they are documented to be.

use std::path::Path;

use anyhow::Result;
use ignore::gitignore::Gitignore;

/// The built-in sensitive patterns (gitignore syntax), after the path
/// policy's kinds; `[audit] sensitive` in guard.toml adds more.
pub const DEFAULT_PATTERNS: &[&str] = &[
    ".env",
    ".env.*",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "id_rsa",
    "id_ed25519",
    "credentials.json",
    "**/.aws/credentials",
    ".netrc",
    "*.tfstate",
    "secrets/",
];

/// A directory name for the nested samples of unanchored patterns.
const NESTED: &str = "config";

/// The paths that show whether `pattern` is covered: what it names at the
/// root and, when it is not anchored, in a subdirectory.
pub fn sample_paths(pattern: &str) -> Vec<String> {
    let dir_only = pattern.ends_with('/');
    let body = pattern.trim_end_matches('/');
    let anchored = body.trim_start_matches("**/").contains('/') || body.starts_with('/');
    let body = body.trim_start_matches('/');
    let mut path = body.replace("**", "deep").replace('*', "prod").replace('?', "x");
    if dir_only {
        path.push_str("/prod.txt");
    }
    let mut samples = vec![path.trim_start_matches("deep/").to_string()];
    if !anchored {
        samples.push(format!("{NESTED}/{}", samples[0]));
    }
    samples
}

/// A gitignore matcher over `lines` (as written in an ignore file).
///
/// # Errors
/// A line that is not a valid pattern.
pub fn matcher<'a>(lines: impl IntoIterator<Item = &'a str>) -> Result<Gitignore> {
    crate::policy::globs::gitignore(lines)
}

/// The patterns of which some sample path `ignore` does not exclude.
pub fn uncovered<'a>(patterns: &'a [String], ignore: &Gitignore) -> Vec<&'a str> {
    patterns
        .iter()
        .filter(|pattern| {
            sample_paths(pattern).iter().any(|sample| {
                !ignore.matched_path_or_any_parents(Path::new("/").join(sample), false).is_ignore()
            })
        })
        .map(String::as_str)
        .collect()
}

/// The gitignore patterns of Claude Code's `Read` deny rules, relative to
/// the project: `Read(./x)` and `Read(/x)` are anchored at the project's
/// root, `Read(x)` is gitignore's `x`, and a bare `Read` denies every file.
/// Rules for absolute (`//x`) and home (`~/x`) paths say nothing about
/// the project and are left out.
pub fn claude_read_patterns(rules: &[String]) -> Vec<String> {
    rules
        .iter()
        .filter_map(|rule| {
            let rule = rule.trim();
            if rule == "Read" {
                return Some("*".to_string());
            }
            let spec = rule.strip_prefix("Read(")?.strip_suffix(')')?;
            if spec.starts_with("//") || spec.starts_with('~') {
                None
            } else if let Some(rest) = spec.strip_prefix("./") {
                Some(format!("/{rest}"))
            } else {
                Some(spec.to_string())
            }
        })
        .collect()
}

/// The deny rule that covers `pattern` at any depth it names.
pub fn claude_deny_rule(pattern: &str) -> String {
    let dir_only = pattern.ends_with('/');
    let body = pattern.trim_end_matches('/');
    let anchored = body.trim_start_matches("**/").contains('/') || body.starts_with('/');
    let body = body.trim_start_matches('/');
    let path = if anchored || body.starts_with("**/") { body.to_string() } else { format!("**/{body}") };
    if dir_only { format!("Read(./{path}/**)") } else { format!("Read(./{path})") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patterns() -> Vec<String> {
        DEFAULT_PATTERNS.iter().map(|p| (*p).to_string()).collect()
    }

    #[test]
    fn samples_cover_root_and_nested_paths() {
        assert_eq!(sample_paths(".env.*"), [".env.prod", "config/.env.prod"]);
        assert_eq!(sample_paths("secrets/"), ["secrets/prod.txt", "config/secrets/prod.txt"]);
        assert_eq!(sample_paths("**/.aws/credentials"), [".aws/credentials"]);
        assert_eq!(sample_paths("/deploy/*.pem"), ["deploy/prod.pem"]);
    }

    #[test]
    fn ignore_files_are_judged_with_gitignore_semantics() {
        let all = patterns();
        let full = matcher(DEFAULT_PATTERNS.iter().copied()).unwrap();
        assert!(uncovered(&all, &full).is_empty());
        let anchored = matcher(["/.env", ".env.*", "*.pem"]).unwrap();
        let missing = uncovered(&all, &anchored);
        assert!(missing.contains(&".env") && !missing.contains(&".env.*") && !missing.contains(&"*.pem"));
        let negated = matcher([".env*", "!.env.prod"]).unwrap();
        assert!(uncovered(&[".env.*".to_string()], &negated).len() == 1);
    }

    #[test]
    fn claude_rules_are_project_relative_and_the_fix_covers_every_depth() {
        let rules: Vec<String> = ["Read(./.env)", "Read(./.env.*)", "Edit(./x)", "Read(//etc/passwd)"]
            .iter()
            .map(|r| (*r).to_string())
            .collect();
        let deny = matcher(claude_read_patterns(&rules).iter().map(String::as_str)).unwrap();
        let all = patterns();
        let missing = uncovered(&all, &deny);
        assert!(missing.contains(&".env") && missing.contains(&".env.*"), "nested .env files are readable");
        let fixed: Vec<String> = patterns().iter().map(|p| claude_deny_rule(p)).collect();
        assert!(
            fixed.contains(&"Read(./**/.env)".to_string())
                && fixed.contains(&"Read(./**/secrets/**)".to_string())
        );
        let deny = matcher(claude_read_patterns(&fixed).iter().map(String::as_str)).unwrap();
        assert!(uncovered(&all, &deny).is_empty());
        let read_all = claude_read_patterns(&["Read".to_string()]);
        let everything = matcher(read_all.iter().map(String::as_str)).unwrap();
        assert!(uncovered(&all, &everything).is_empty());
    }
}
