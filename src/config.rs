//! `guard.toml`: the schema, where it is found, merging the repository's file
//! with the user's, and validation that names the file, line and rule of
//! every mistake. Knows nothing of git or of matching, beyond compiling user
//! patterns once to check them.

use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use serde::Deserialize;
use toml::Spanned;

use crate::rules::Rule;
use crate::rules::set::{self, CheckedRule};
use crate::rules::spec::RuleSpec;

/// Name of the repository's config file, at the work tree's root.
pub const FILE_NAME: &str = "guard.toml";

/// Default `--max-file-size` for files and history (10 MB).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1000 * 1000;

/// The effective configuration: the repository's (or `--config`) file merged
/// with the user's. Lists are concatenated; the repository's values win.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Custom rules, checked, in file order (repository first).
    pub rules: Vec<CheckedRule>,
    /// Ids of built-in rules (or path-policy kinds) to turn off.
    pub disabled: Vec<String>,
    /// Globs of paths whose findings are dropped.
    pub allow_paths: Vec<String>,
    /// Regexes: a secret matching one is dropped.
    pub allow_regexes: Vec<String>,
    /// Words: a secret containing one (any case) is dropped.
    pub stopwords: Vec<String>,
    /// Extra names of files that must not be committed.
    pub path_deny: Vec<String>,
    /// Names exempt from the path policy.
    pub path_allow: Vec<String>,
    /// Size limit for files and history blobs, if set.
    pub max_file_size: Option<u64>,
    /// The files this was read from, in order.
    pub files: Vec<PathBuf>,
    /// Gitignore patterns `guard audit` checks the assistants' controls
    /// for, besides the built-in ones.
    pub audit_sensitive: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSchema {
    #[serde(default)]
    rule: Vec<Spanned<RuleSpec>>,
    #[serde(default)]
    rules: RulesSchema,
    #[serde(default)]
    allow: AllowSchema,
    #[serde(default)]
    path_policy: PathPolicySchema,
    #[serde(default)]
    scan: ScanSchema,
    #[serde(default)]
    audit: AuditSchema,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AuditSchema {
    #[serde(default)]
    sensitive: Vec<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesSchema {
    #[serde(default)]
    disable: Vec<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AllowSchema {
    #[serde(default)]
    paths: Vec<Spanned<String>>,
    #[serde(default)]
    regexes: Vec<Spanned<String>>,
    #[serde(default)]
    stopwords: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PathPolicySchema {
    #[serde(default)]
    deny: Vec<Spanned<String>>,
    #[serde(default)]
    allow: Vec<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScanSchema {
    #[serde(default)]
    max_file_size: Option<Spanned<String>>,
}

/// Where the configuration comes from.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// `--config FILE`: used instead of the work tree's file.
    pub explicit: Option<PathBuf>,
    /// The work tree root, whose `guard.toml` applies when it exists.
    pub work_tree: Option<PathBuf>,
    /// `guard.toml` as committed in HEAD, for bare repositories (no work
    /// tree): used when neither of the above applies.
    pub head: Option<String>,
    /// The user's config file (see [`user_config_path`]), when it exists.
    pub user: Option<PathBuf>,
}

/// `$XDG_CONFIG_HOME/guard/guard.toml`, else `$HOME/.config/guard/guard.toml`.
pub fn user_config_path() -> Option<PathBuf> {
    let base =
        std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()).map(PathBuf::from).or_else(|| {
            std::env::var_os("HOME").filter(|v| !v.is_empty()).map(|h| PathBuf::from(h).join(".config"))
        })?;
    Some(base.join("guard").join(FILE_NAME))
}

/// Reads and merges the configuration files.
///
/// # Errors
/// A file that cannot be read, is not valid TOML, has an unknown key, or
/// holds an invalid rule, regex, glob or size; the message names the file,
/// the line and the rule.
pub fn load(sources: &Sources) -> Result<Config> {
    let mut config = Config::default();
    let repo_file = match (&sources.explicit, &sources.work_tree) {
        (Some(file), _) => Some(file.clone()),
        (None, Some(root)) => Some(root.join(FILE_NAME)).filter(|f| f.is_file()),
        (None, None) => None,
    };
    if let Some(file) = &repo_file {
        let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        merge_text(&mut config, &text, file)?;
    } else if let Some(text) = &sources.head {
        merge_text(&mut config, text, Path::new("HEAD:guard.toml"))?;
    }
    if let Some(file) = sources.user.as_ref().filter(|f| f.is_file()) {
        let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
        merge_text(&mut config, &text, file)?;
    }
    Ok(config)
}

/// Parses one config file's `text` and merges it into `config`.
///
/// # Errors
/// As [`load`], naming `file`.
pub fn merge_text(config: &mut Config, text: &str, file: &Path) -> Result<()> {
    let at = |span: Option<Range<usize>>| match span {
        Some(span) => format!("{}:{}", file.display(), line_of(text, span.start)),
        None => file.display().to_string(),
    };
    let schema: FileSchema =
        toml::from_str(text).map_err(|err| anyhow!("{}: {}", at(err.span()), err.message()))?;
    config.files.push(file.to_path_buf());

    for spanned in schema.rule {
        let where_ = at(Some(spanned.span()));
        let spec = spanned.into_inner();
        let id = spec.id.clone();
        let checked = set::check(Rule::from(spec)).with_context(|| format!("{where_}: rule {id:?}"))?;
        if !config.rules.iter().any(|r| r.rule.id == checked.rule.id) {
            config.rules.push(checked);
        }
    }
    for id in schema.rules.disable {
        config.disabled.push(id.into_inner());
    }
    for regex in schema.allow.regexes {
        set::compile_regex(regex.get_ref())
            .with_context(|| format!("{}: [allow] regexes", at(Some(regex.span()))))?;
        config.allow_regexes.push(regex.into_inner());
    }
    for (list, target, what) in [
        (schema.allow.paths, &mut config.allow_paths, "[allow] paths"),
        (schema.path_policy.deny, &mut config.path_deny, "[path_policy] deny"),
        (schema.path_policy.allow, &mut config.path_allow, "[path_policy] allow"),
    ] {
        for glob in list {
            crate::policy::globs::PathGlobs::new(&[glob.get_ref()], false)
                .with_context(|| format!("{}: {what}", at(Some(glob.span()))))?;
            target.push(glob.into_inner());
        }
    }
    for pattern in schema.audit.sensitive {
        crate::policy::globs::gitignore([pattern.get_ref().as_str()])
            .with_context(|| format!("{}: [audit] sensitive", at(Some(pattern.span()))))?;
        config.audit_sensitive.push(pattern.into_inner());
    }
    config.stopwords.extend(schema.allow.stopwords);
    if let Some(size) = schema.scan.max_file_size
        && config.max_file_size.is_none()
    {
        let parsed = parse_size(size.get_ref())
            .with_context(|| format!("{}: [scan] max_file_size", at(Some(size.span()))))?;
        config.max_file_size = Some(parsed);
    }
    Ok(())
}

/// A size such as `10MB`, `512KiB`, `1GB` or a plain number of bytes.
///
/// # Errors
/// Anything else.
pub fn parse_size(text: &str) -> Result<u64> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().with_context(|| format!("{text:?} is not a size such as 10MB"))?;
    let scale: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1000,
        "kib" => 1024,
        "m" | "mb" => 1000 * 1000,
        "mib" => 1 << 20,
        "g" | "gb" => 1000 * 1000 * 1000,
        "gib" => 1 << 30,
        other => bail!("unknown size unit {other:?} in {text:?} (use B, KB, MB, GB, KiB, MiB, GiB)"),
    };
    Ok((number * scale as f64) as u64)
}

/// 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config> {
        let mut config = Config::default();
        merge_text(&mut config, text, Path::new("guard.toml"))?;
        Ok(config)
    }

    #[test]
    fn errors_name_file_line_and_rule() {
        let err = parse("[allow]\npaths = [\"a\"]\nbogus = 1\n").unwrap_err();
        assert!(format!("{err:#}").starts_with("guard.toml:3:"), "{err:#}");
        let err = parse("[[rule]]\nid = \"x\"\ndescription = \"d\"\nregex = \"(\"\n").unwrap_err();
        let text = format!("{err:#}");
        assert!(text.starts_with("guard.toml:1: rule \"x\": invalid regex"), "{text}");
        let err = parse("x = [\n").unwrap_err();
        assert!(format!("{err:#}").starts_with("guard.toml:"), "{err:#}");
    }

    #[test]
    fn audit_patterns_are_checked_where_they_are_written() {
        let config = parse("[audit]\nsensitive = [\"*.secret\"]\n").unwrap();
        assert_eq!(config.audit_sensitive, ["*.secret"]);
        let err = parse("[audit]\nsensitive = [\n  \"ok\",\n  \"{bad\",\n]\n").unwrap_err();
        assert!(format!("{err:#}").starts_with("guard.toml:4: [audit] sensitive"), "{err:#}");
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("10MB").unwrap(), 10_000_000);
        assert_eq!(parse_size("1MiB").unwrap(), 1 << 20);
        assert_eq!(parse_size("123").unwrap(), 123);
        assert!(parse_size("ten").is_err());
        assert!(parse_size("5 parsecs").is_err());
    }
}
