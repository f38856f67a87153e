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

/// Where a Claude Code settings file sits, for reading its rules' paths.
#[derive(Debug, Clone, Copy)]
pub struct ClaudeBase<'a> {
    /// The project's root, which the audit judges.
    pub root: &'a Path,
    /// What a rule's leading `/` is relative to: the project's root for
    /// `.claude/settings.json`, `~/.claude` for the user's settings; `None`
    /// for `.claude/settings.local.json`, where it is the directory Claude
    /// started in.
    pub settings_base: Option<&'a Path>,
    /// The home directory, for `~/` rules.
    pub home: Option<&'a Path>,
}

/// The gitignore patterns (relative to the project's root) that Claude
/// Code's `Read` deny rules cover from any directory Claude starts in, and
/// whether some rules were left out because they are relative to the
/// working directory (`Read(./x)`, `Read(x)`, and `Read(/x)` in
/// `settings.local.json`: they cover the root only when Claude starts
/// there). A bare `Read` denies every file; `//x` is an absolute path, `~/x`
/// one in the home directory, `/x` one relative to the settings file's base;
/// those outside the project say nothing about it.
pub fn claude_read_patterns(rules: &[String], base: ClaudeBase<'_>) -> (Vec<String>, bool) {
    let mut patterns = Vec::new();
    let mut relative = false;
    for rule in rules {
        let rule = rule.trim();
        if rule == "Read" || rule == "Read(*)" || rule == "Read(**)" {
            patterns.push("*".to_string());
            continue;
        }
        let Some(spec) = rule.strip_prefix("Read(").and_then(|r| r.strip_suffix(')')) else { continue };
        let absolute = if let Some(rest) = spec.strip_prefix("//") {
            if rest.starts_with("**/") {
                patterns.push(rest.to_string());
                continue;
            }
            Path::new("/").join(rest)
        } else if let Some(rest) = spec.strip_prefix("~/") {
            let Some(home) = base.home else { continue };
            home.join(rest)
        } else if let (Some(rest), Some(settings_base)) = (spec.strip_prefix('/'), base.settings_base) {
            settings_base.join(rest)
        } else {
            relative = true;
            continue;
        };
        if let Ok(inside) = absolute.strip_prefix(base.root) {
            patterns.push(format!("/{}", inside.to_string_lossy()));
        }
    }
    (patterns, relative)
}

/// The deny rule that covers `pattern` at any depth it names, from any
/// directory Claude Code starts in (`/` is the project's root in the
/// project's settings).
pub fn claude_deny_rule(pattern: &str) -> String {
    let dir_only = pattern.ends_with('/');
    let body = pattern.trim_end_matches('/');
    let anchored = body.trim_start_matches("**/").contains('/') || body.starts_with('/');
    let body = body.trim_start_matches('/');
    let path = if anchored || body.starts_with("**/") { body.to_string() } else { format!("**/{body}") };
    if dir_only { format!("Read(/{path}/**)") } else { format!("Read(/{path})") }
}

/// The gitignore patterns of Zed's `private_files` and
/// `file_scan_exclusions` globs, which match paths from the worktree's
/// root: a glob without a leading `**/` is anchored there.
pub fn zed_patterns(globs: &[String]) -> Vec<String> {
    globs
        .iter()
        .map(
            |glob| {
                if glob.starts_with("**/") || glob.starts_with('/') {
                    glob.clone()
                } else {
                    format!("/{glob}")
                }
            },
        )
        .collect()
}

/// The gitignore patterns of opencode's `permission.read` rules (wildcard
/// to `allow`, `ask` or `deny`, the last match winning), in order: `deny`
/// and `ask` exclude, `allow` re-includes. A `*` matches across `/`, so a
/// rule that starts with one applies at any depth; others from the root.
pub fn opencode_patterns(rules: &[(String, String)]) -> Vec<String> {
    rules
        .iter()
        .map(|(wildcard, action)| {
            let path = if wildcard.starts_with('*') || wildcard.starts_with('/') {
                wildcard.clone()
            } else {
                format!("/{wildcard}")
            };
            if action == "allow" { format!("!{path}") } else { path }
        })
        .collect()
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
    fn claude_rules_cover_the_project_from_any_start_directory() {
        let root = Path::new("/work/repo");
        let home = Path::new("/home/ada");
        let base = ClaudeBase { root, settings_base: Some(root), home: Some(home) };
        let rules: Vec<String> =
            ["Read(./.env)", "Read(/.env.*)", "Edit(/x)", "Read(//work/repo/*.pem)", "Read(//etc/passwd)"]
                .iter()
                .map(|r| (*r).to_string())
                .collect();
        let (read, relative) = claude_read_patterns(&rules, base);
        assert_eq!(read, ["/.env.*", "/*.pem"]);
        assert!(relative, "Read(./.env) covers the root only when Claude starts there");
        let deny = matcher(read.iter().map(String::as_str)).unwrap();
        let all = patterns();
        let missing = uncovered(&all, &deny);
        assert!(missing.contains(&".env") && missing.contains(&".env.*"), "nested .env files are readable");
        let fixed: Vec<String> = patterns().iter().map(|p| claude_deny_rule(p)).collect();
        assert!(
            fixed.contains(&"Read(/**/.env)".to_string())
                && fixed.contains(&"Read(/**/secrets/**)".to_string())
        );
        let (read, relative) = claude_read_patterns(&fixed, base);
        assert!(!relative);
        let deny = matcher(read.iter().map(String::as_str)).unwrap();
        assert!(uncovered(&patterns(), &deny).is_empty());
        let dot_claude = home.join(".claude");
        let user = ClaudeBase { root, settings_base: Some(&dot_claude), home: Some(home) };
        assert_eq!(
            claude_read_patterns(&["Read(//**/.env)".into(), "Read(/.env)".into()], user).0,
            ["**/.env"]
        );
        let everything =
            matcher(claude_read_patterns(&["Read".to_string()], base).0.iter().map(String::as_str)).unwrap();
        assert!(uncovered(&patterns(), &everything).is_empty());
    }

    #[test]
    fn zed_and_opencode_patterns_are_read_as_they_match() {
        let zed =
            matcher(zed_patterns(&["**/.env*".into(), "*.pem".into()]).iter().map(String::as_str)).unwrap();
        let two = [".env".to_string(), "*.pem".to_string()];
        let missing = uncovered(&two, &zed);
        assert_eq!(missing, ["*.pem"], "Zed's *.pem is the root's only");
        let rules = [
            ("*".to_string(), "allow".to_string()),
            ("*.env".into(), "deny".into()),
            ("*.env.example".into(), "allow".into()),
        ];
        let open = matcher(opencode_patterns(&rules).iter().map(String::as_str)).unwrap();
        assert!(open.matched_path_or_any_parents("/config/prod.env", false).is_ignore());
        assert!(!open.matched_path_or_any_parents("/prod.env.example", false).is_ignore());
    }
}
