//! `guard.toml`: the schema, reading and merging files, and validation that
//! names the file, line and rule of every mistake. Which files apply, and
//! to what, is `commands/plan.rs`. Knows nothing of git or of matching,
//! beyond compiling user patterns once to check them.

use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use serde::Deserialize;
use toml::Spanned;

use crate::rules::Rule;
use crate::rules::set::{self, Author, CheckedRule};
use crate::rules::spec::RuleSpec;
use crate::safe_text;

/// Name of the repository's config file, at the work tree's root.
pub const FILE_NAME: &str = "guard.toml";

/// Default `--max-file-size` for files and history (10 MB).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1000 * 1000;

/// The largest `guard.toml` read: far above any real one, small enough that
/// a file that never ends cannot fill memory.
pub const MAX_CONFIG_SIZE: u64 = 1 << 20;

/// Every key of the file's schema: a parser message may quote these in
/// clear (`expected one of ...`); any other quoted text is the user's and
/// is shown redacted.
const SCHEMA_WORDS: &[&str] = &[
    "rule",
    "rules",
    "allow",
    "path_policy",
    "scan",
    "audit",
    "sensitive",
    "disable",
    "paths",
    "regexes",
    "stopwords",
    "deny",
    "max_file_size",
    "id",
    "description",
    "keywords",
    "regex",
    "secret_group",
    "min_entropy",
    "checksum",
    "multiline",
    "rotate",
    "examples",
    "negative_examples",
];

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

/// `$XDG_CONFIG_HOME/guard/guard.toml`, else `$HOME/.config/guard/guard.toml`.
pub fn user_config_path() -> Option<PathBuf> {
    let base =
        std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()).map(PathBuf::from).or_else(|| {
            std::env::var_os("HOME").filter(|v| !v.is_empty()).map(|h| PathBuf::from(h).join(".config"))
        })?;
    Some(base.join("guard").join(FILE_NAME))
}

/// Reads and checks the config file at `file`.
///
/// # Errors
/// A file that cannot be read, is not a regular file, is larger than
/// [`MAX_CONFIG_SIZE`], is not valid TOML, has an unknown key, or holds an
/// invalid rule, regex, glob or size; the message names the file, the line,
/// the key and the rule, and shows a value only redacted.
pub fn read(file: &Path) -> Result<Config> {
    let text = crate::small_file::read(file, MAX_CONFIG_SIZE)?;
    parse(&text, file)
}

/// [`read`] for a file that must resolve inside the directory `root` (a
/// work tree's `guard.toml`): a symbolic link out of it is an error.
///
/// # Errors
/// As [`read`], or such a link.
pub fn read_inside(file: &Path, root: &Path) -> Result<Config> {
    let text = crate::small_file::read_inside(file, root, MAX_CONFIG_SIZE)?;
    parse(&text, file)
}

/// Parses and checks one config file's `text`, read from `file`.
///
/// # Errors
/// As [`read`].
pub fn parse(text: &str, file: &Path) -> Result<Config> {
    let mut config = Config::default();
    merge_text(&mut config, text, file)?;
    Ok(config)
}

impl Config {
    /// Adds `other` after this: its rules with new ids, its lists, its
    /// size limit when this has none.
    pub fn merge(&mut self, other: Config) {
        for rule in other.rules {
            if !self.rules.iter().any(|r| r.rule.id == rule.rule.id) {
                self.rules.push(rule);
            }
        }
        self.disabled.extend(other.disabled);
        self.allow_paths.extend(other.allow_paths);
        self.allow_regexes.extend(other.allow_regexes);
        self.stopwords.extend(other.stopwords);
        self.path_deny.extend(other.path_deny);
        self.path_allow.extend(other.path_allow);
        self.max_file_size = self.max_file_size.or(other.max_file_size);
        self.files.extend(other.files);
        self.audit_sensitive.extend(other.audit_sensitive);
    }

    /// What makes guard detect: the rules, the denied names, the size
    /// limit and the audit's patterns, without any acceptance. Such
    /// entries apply as soon as they are written.
    pub fn detection(&self) -> Config {
        Config {
            rules: self.rules.clone(),
            path_deny: self.path_deny.clone(),
            max_file_size: self.max_file_size,
            files: self.files.clone(),
            audit_sensitive: self.audit_sensitive.clone(),
            ..Config::default()
        }
    }
}

/// Parses one config file's `text` and merges it into `config`.
///
/// # Errors
/// As [`read`], naming `file`.
pub fn merge_text(config: &mut Config, text: &str, file: &Path) -> Result<()> {
    let at = |span: Option<Range<usize>>| match span {
        Some(span) => format!("{}:{}", file.display(), line_of(text, span.start)),
        None => file.display().to_string(),
    };
    let schema: FileSchema = toml::from_str(text).map_err(|err| {
        anyhow!("{}: {}", at(err.span()), safe_text::parser_message(err.message(), SCHEMA_WORDS))
    })?;
    config.files.push(file.to_path_buf());

    for spanned in schema.rule {
        let where_ = at(Some(spanned.span()));
        let spec = spanned.into_inner();
        let id = spec.id.clone();
        let checked =
            set::check(Rule::from(spec), Author::User).with_context(|| format!("{where_}: rule {id:?}"))?;
        if !config.rules.iter().any(|r| r.rule.id == checked.rule.id) {
            config.rules.push(checked);
        }
    }
    for id in schema.rules.disable {
        config.disabled.push(id.into_inner());
    }
    for regex in schema.allow.regexes {
        set::compile_regex(regex.get_ref(), Author::User)
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
    let number: f64 =
        number.parse().with_context(|| format!("{} is not a size such as 10MB", safe_text::value(text)))?;
    let scale: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1000,
        "kib" => 1024,
        "m" | "mb" => 1000 * 1000,
        "mib" => 1 << 20,
        "g" | "gb" => 1000 * 1000 * 1000,
        "gib" => 1 << 30,
        _ => bail!("unknown size unit in {} (use B, KB, MB, GB, KiB, MiB, GiB)", safe_text::value(text)),
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
        super::parse(text, Path::new("guard.toml"))
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

    /// Each kind of mistake, with a token where the value goes: the message
    /// names the file and line, and never holds the token.
    #[test]
    fn errors_never_quote_a_value_in_clear() {
        let token: String = (0..36).map(|i| char::from(b"aZ3kQ9xW7"[i * 7 % 9])).collect();
        let rule =
            |field: &str| format!("[[rule]]\nid = \"r\"\ndescription = \"d\"\nregex = \"x[0-9]\"\n{field}\n");
        let t = &token;
        let cases = [
            format!("[allow]\nregexes = [\"({t}\"]\n"),
            format!("[allow]\npaths = [\"{{{t}\"]\n"),
            format!("[allow]\nstopwords = \"{t}\"\n"),
            format!("[path_policy]\ndeny = [\"[{t}\"]\n"),
            format!("[path_policy]\nallow = [\"{t}[\"]\n"),
            format!("[audit]\nsensitive = [\"{t}{{\"]\n"),
            format!("[rules]\ndisable = \"{t}\"\n"),
            format!("[scan]\nmax_file_size = \"{t}\"\n"),
            format!("[scan]\n{t} = 1\n"),
            format!("{t} = 1\n"),
            format!("[[rule]]\nid = \"r\"\ndescription = \"d\"\nregex = \"({t}\"\n"),
            rule(&format!("allow = [\"({t}\"]")),
            rule(&format!("paths = [\"{{{t}\"]")),
            rule(&format!("checksum = \"{t}\"")),
            rule(&format!("examples = [\"{{{{{t}\"]")),
            rule(&format!("secret_group = \"{t}\"")),
            rule(&format!("{t} = true")),
        ];
        for case in cases {
            let err = format!("{:#}", parse(&case).expect_err(&case));
            assert!(err.starts_with("guard.toml:"), "{err}");
            assert!(!err.contains(&token[..12]), "{case}\n{err}");
        }
    }

    #[test]
    fn a_user_pattern_over_its_budget_is_an_error_at_load() {
        let nested = "[[rule]]\nid = \"slow\"\ndescription = \"d\"\nkeywords = [\"ab\"]\n\
                      regex = \"(?:(?:(?:[a-z]{1,50}){1,50}){1,3})z\"\n";
        let err = format!("{:#}", parse(nested).unwrap_err());
        assert!(err.starts_with("guard.toml:1: rule \"slow\": invalid regex: pattern"), "{err}");
        assert!(err.contains("too complex"), "{err}");
        assert!(parse(&nested.replace("{1,50}){1,50}){1,3}", "{1,20}){1,20}){1}")).is_ok());
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
