//! Path globs the way `.gitignore` users read them: a pattern without `/`
//! matches the file name at any depth (`*.pem`, `.env.*`); a pattern with `/`
//! matches the path relative to the repository root (`tests/fixtures/**`), or
//! at any depth when it starts with `**/`. Shared by the path policy and the
//! path allowlist; and gitignore patterns, as the assistants' ignore files
//! and `[audit] sensitive` write them.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::safe_text;

/// A compiled set of name-or-path globs; which pattern matched is known.
#[derive(Debug, Clone, Default)]
pub struct PathGlobs {
    names: GlobSet,
    name_patterns: Vec<usize>,
    paths: GlobSet,
    path_patterns: Vec<usize>,
}

impl PathGlobs {
    /// Compiles `patterns`, case-insensitive if asked (which globset does
    /// with regexes: slower to build).
    ///
    /// # Errors
    /// The first pattern that is not a valid glob.
    pub fn new<S: AsRef<str>>(patterns: &[S], case_insensitive: bool) -> Result<PathGlobs> {
        let mut names = GlobSetBuilder::new();
        let mut paths = GlobSetBuilder::new();
        let (mut name_patterns, mut path_patterns) = (Vec::new(), Vec::new());
        for (index, pattern) in patterns.iter().enumerate() {
            let pattern = pattern.as_ref();
            let anchored = pattern.strip_prefix('/').unwrap_or(pattern);
            let glob = GlobBuilder::new(anchored)
                .literal_separator(true)
                .case_insensitive(case_insensitive)
                .build()
                .map_err(|err| anyhow!("invalid glob {}: {}", safe_text::value(pattern), err.kind()))?;
            if pattern.contains('/') {
                paths.add(glob);
                path_patterns.push(index);
            } else {
                names.add(glob);
                name_patterns.push(index);
            }
        }
        Ok(PathGlobs {
            names: names.build().context("building name globs")?,
            name_patterns,
            paths: paths.build().context("building path globs")?,
            path_patterns,
        })
    }

    /// Index (into the patterns given to [`PathGlobs::new`]) of the first
    /// pattern matching `path`, if any.
    pub fn first_match(&self, path: &Path) -> Option<usize> {
        let path = normalize(path);
        let name_hit = path
            .file_name()
            .and_then(|name| self.names.matches(name).into_iter().min())
            .map(|i| self.name_patterns[i]);
        let path_hit = self.paths.matches(path).into_iter().min().map(|i| self.path_patterns[i]);
        match (name_hit, path_hit) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Whether any pattern matches `path`.
    pub fn is_match(&self, path: &Path) -> bool {
        self.first_match(path).is_some()
    }
}

/// A gitignore matcher over `lines` (as written in an ignore file).
///
/// # Errors
/// A line that is not a valid pattern.
pub fn gitignore<'a>(lines: impl IntoIterator<Item = &'a str>) -> Result<Gitignore> {
    let mut builder = GitignoreBuilder::new("/");
    for line in lines {
        if builder.add_line(None, line).is_err() {
            // ignore's message quotes the line: say what is wrong without it.
            let glob = line.strip_prefix('!').unwrap_or(line);
            let why = GlobBuilder::new(glob.strip_prefix('/').unwrap_or(glob))
                .build()
                .err()
                .map_or_else(|| "not a gitignore pattern".to_owned(), |err| err.kind().to_string());
            bail!("invalid pattern {}: {why}", safe_text::value(line));
        }
    }
    builder.build().context("building the gitignore matcher")
}

/// `path` without a leading `./`.
pub fn normalize(path: &Path) -> &Path {
    path.strip_prefix(".").unwrap_or(path)
}

/// `path` with `.` and `..` resolved by its text alone (no links followed).
pub fn resolve_dots(path: &Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_at_any_depth_and_paths_are_anchored() {
        let globs = PathGlobs::new(&["*.pem", "tests/fixtures/**", "**/.aws/credentials"], false).unwrap();
        assert_eq!(globs.first_match(Path::new("a/b/server.pem")), Some(0));
        assert_eq!(globs.first_match(Path::new("./tests/fixtures/x.txt")), Some(1));
        assert_eq!(globs.first_match(Path::new("src/tests/fixtures/x.txt")), None);
        assert_eq!(globs.first_match(Path::new("home/.aws/credentials")), Some(2));
        assert_eq!(globs.first_match(Path::new(".aws/credentials")), Some(2));
    }
}
