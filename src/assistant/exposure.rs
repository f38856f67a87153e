//! Whether what an assistant would be shown holds a secret: the files a
//! read, a shell command or a search reaches (walked by the rules of the
//! program that reads them), judged by name (the path policy) and by
//! content, keeping only the secrets on lines the program would print; and
//! environment variables by name.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use ignore::WalkBuilder;
use ignore::overrides::OverrideBuilder;
use ignore::types::TypesBuilder;
use regex::{Regex, RegexBuilder};

use super::shell_reads::{Exposure, Files, Find, Lines, Walk, is_secret_name};
use crate::pipeline::{Origin, Pipeline, Results, Scratch};
use crate::scan::finding::{Finding, SourceKind};

/// What a check found: secrets (which acceptance may still accept) and
/// reasons that no configuration accepts.
#[derive(Debug, Default)]
pub struct Exposed {
    /// Secrets and secret files.
    pub findings: Vec<Finding>,
    /// Other reasons to block, one line each.
    pub reasons: Vec<String>,
}

/// Judges files and variables for one event.
pub struct Judge<'a> {
    /// The scan in effect.
    pub pipeline: &'a Pipeline,
    /// The directory relative paths start from.
    pub cwd: &'a Path,
}

impl Judge<'_> {
    /// What `exposure` would show that is secret.
    ///
    /// # Errors
    /// A file that exists but cannot be read, or a broken walk setting.
    pub fn exposure(&self, exposure: &Exposure, out: &mut Exposed) -> Result<()> {
        match exposure {
            Exposure::Variable(name) => out.reasons.push(format!(
                "it prints ${name}, which by its name holds a secret (test it with [ -n \"${name}\" ] instead)"
            )),
            Exposure::Environment => {
                let names: Vec<String> = std::env::vars_os()
                    .filter_map(|(name, value)| Some((name.into_string().ok()?, value)))
                    .filter(|(name, value)| !value.is_empty() && is_secret_name(name))
                    .map(|(name, _)| name)
                    .collect();
                if !names.is_empty() {
                    out.reasons.push(format!(
                        "it prints the environment, which holds {} (print the variable names only: env | cut -d= -f1)",
                        names.join(", ")
                    ));
                }
            }
            Exposure::Files { files, lines } => {
                let lines = LineFilter::new(lines);
                for file in self.files(files)? {
                    match file {
                        Source::Disk(path) => self.file(&path, &lines, out)?,
                        Source::Blob(shown, data) => self.content(&shown, Some(&data), &lines, out),
                    }
                }
            }
        }
        Ok(())
    }

    /// The path-policy finding for `path` and the secrets in it that `lines`
    /// shows. A file that does not exist, or a directory, shows nothing.
    pub fn file(&self, path: &Path, lines: &LineFilter, out: &mut Exposed) -> Result<()> {
        let absolute = self.cwd.join(path);
        let Ok(meta) = std::fs::metadata(&absolute) else { return Ok(()) };
        if !meta.is_file() {
            return Ok(());
        }
        let data = std::fs::read(&absolute).with_context(|| format!("reading {}", absolute.display()))?;
        self.content(path, Some(&data), lines, out);
        Ok(())
    }

    /// Judges `data` as the content of `path` (by name only when `None`).
    pub fn content(&self, path: &Path, data: Option<&[u8]>, lines: &LineFilter, out: &mut Exposed) {
        let shown = path.strip_prefix(self.cwd).unwrap_or(path);
        let shown = crate::policy::globs::normalize(shown);
        let origin = Origin::file(SourceKind::File, shown);
        let mut results = Results::default();
        let mut scratch = Scratch::default();
        self.pipeline.check_path(origin, &mut scratch, &mut results);
        // A secret file shows its secrets on whichever of its lines is printed.
        let named = !results.findings.is_empty();
        if let Some(data) = data {
            self.pipeline.check_content(data, origin, None, &mut scratch, &mut results);
        }
        let Some(filter) = &lines.regex else {
            out.findings.append(&mut results.findings);
            return;
        };
        let Some(data) = data else { return };
        let text = String::from_utf8_lossy(data);
        let shown_lines: Vec<bool> = text.lines().map(|line| filter.is_match(line)).collect();
        if named && !shown_lines.contains(&true) {
            return;
        }
        for finding in results.findings {
            let span = finding.line.saturating_sub(1)..finding.end_line.max(finding.line);
            if finding.is_path_finding() || shown_lines.get(span).is_some_and(|lines| lines.contains(&true)) {
                out.findings.push(finding);
            }
        }
    }

    /// The files a file set names, read from disk or from git.
    fn files(&self, files: &Files) -> Result<Vec<Source>> {
        Ok(match files {
            Files::Named(words) => {
                words.iter().flat_map(|word| expand_glob(self.cwd, word)).map(Source::Disk).collect()
            }
            Files::Walk(walk) => walk_files(self.cwd, walk)?.into_iter().map(Source::Disk).collect(),
            Files::Found(find) => found_files(self.cwd, find)?.into_iter().map(Source::Disk).collect(),
            Files::Listed => {
                let every = Walk { hidden: true, no_ignore: true, ..Walk::default() };
                walk_files(self.cwd, &every)?.into_iter().map(Source::Disk).collect()
            }
            Files::Tracked { pathspecs, at: None } => {
                let Ok(paths) = crate::git::tracked_files_matching(self.cwd, pathspecs, None) else {
                    return Ok(Vec::new()); // not a repository: git grep fails too
                };
                paths.into_iter().map(Source::Disk).collect()
            }
            Files::Tracked { pathspecs, at: Some(rev) } => {
                let Ok(paths) = crate::git::tracked_files_matching(self.cwd, pathspecs, Some(rev)) else {
                    return Ok(Vec::new());
                };
                paths
                    .into_iter()
                    .filter_map(|path| {
                        let spec = format!("{rev}:{}", path.display());
                        Some(Source::Blob(path, crate::git::named_blob(self.cwd, &spec)?))
                    })
                    .collect()
            }
            Files::Blob(spec) => {
                let path = spec.split_once(':').map_or("", |(_, path)| path);
                match crate::git::named_blob(self.cwd, spec) {
                    Some(data) => vec![Source::Blob(PathBuf::from(path.trim_start_matches("./")), data)],
                    None => Vec::new(),
                }
            }
        })
    }
}

/// A file's content: on disk, or a blob with the path it is shown as.
enum Source {
    Disk(PathBuf),
    Blob(PathBuf, Vec<u8>),
}

/// The lines a program prints, compiled. A pattern Rust's regex cannot
/// read (a back reference, a look-around) is taken to match every line.
pub struct LineFilter {
    regex: Option<Regex>,
}

impl LineFilter {
    /// Every line.
    pub const ALL: LineFilter = LineFilter { regex: None };

    /// The filter for `lines`.
    pub fn new(lines: &Lines) -> LineFilter {
        let Lines::Matching { patterns, ignore_case } = lines else { return LineFilter::ALL };
        let joined = patterns.iter().map(|p| format!("(?:{p})")).collect::<Vec<_>>().join("|");
        let regex = RegexBuilder::new(&joined).case_insensitive(*ignore_case).build().ok();
        LineFilter { regex }
    }
}

/// What the shell would make of `word`: the files a glob in its last
/// component matches in `cwd` (the word itself when none matches or it has
/// no glob).
fn expand_glob(cwd: &Path, word: &str) -> Vec<PathBuf> {
    let (dir, pattern) = match word.rsplit_once('/') {
        Some((dir, name)) => (dir, name),
        None => ("", word),
    };
    if !pattern.contains(['*', '?', '[']) {
        return vec![PathBuf::from(word)];
    }
    let Ok(glob) = globset::GlobBuilder::new(pattern).literal_separator(true).build() else {
        return vec![PathBuf::from(word)];
    };
    let matcher = glob.compile_matcher();
    let Ok(entries) = std::fs::read_dir(cwd.join(dir)) else { return vec![PathBuf::from(word)] };
    let mut matched: Vec<PathBuf> = entries
        .flatten()
        .map(|entry| entry.file_name())
        .filter(|name| matcher.is_match(name))
        .filter(|name| pattern.starts_with('.') || !name.to_string_lossy().starts_with('.'))
        .map(|name| Path::new(dir).join(name))
        .collect();
    matched.sort();
    if matched.is_empty() { vec![PathBuf::from(word)] } else { matched }
}

/// The files a recursive search visits, by ripgrep's rules (hidden and
/// ignored files skipped unless told, `--glob` overriding both, `--type`)
/// or grep's (every file, `--include`, `--exclude`). `.git` is never
/// entered.
fn walk_files(cwd: &Path, walk: &Walk) -> Result<Vec<PathBuf>> {
    let roots: Vec<PathBuf> = if walk.roots.is_empty() {
        vec![cwd.to_path_buf()]
    } else {
        walk.roots.iter().flat_map(|root| expand_glob(cwd, root)).map(|root| cwd.join(root)).collect()
    };
    let Some((first, rest)) = roots.split_first() else { return Ok(Vec::new()) };
    let mut builder = WalkBuilder::new(first);
    for root in rest {
        builder.add(root);
    }
    let honour_ignores = walk.ripgrep && !walk.no_ignore;
    builder
        .hidden(walk.ripgrep && !walk.hidden)
        .ignore(honour_ignores)
        .git_ignore(honour_ignores)
        .git_global(honour_ignores)
        .git_exclude(honour_ignores)
        .parents(honour_ignores)
        .filter_entry(|entry| entry.file_name() != ".git");
    if walk.ripgrep {
        let mut overrides = OverrideBuilder::new(cwd);
        for glob in &walk.globs {
            overrides.add(glob).with_context(|| format!("reading the glob {glob}"))?;
        }
        builder.overrides(overrides.build()?);
        if !walk.types.is_empty() {
            let mut types = TypesBuilder::new();
            types.add_defaults();
            for name in &walk.types {
                types.select(name);
            }
            // An unknown type is ripgrep's error: nothing is searched.
            let Ok(types) = types.build() else { return Ok(Vec::new()) };
            builder.types(types);
        }
    }
    let includes = name_globs(if walk.ripgrep { &[] } else { &walk.globs })?;
    let excludes = name_globs(&walk.excludes)?;
    let mut files = Vec::new();
    for entry in builder.build().flatten() {
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let name = entry.file_name();
        if includes.as_ref().is_some_and(|set| !set.is_match(name))
            || excludes.as_ref().is_some_and(|set| set.is_match(name))
        {
            continue;
        }
        files.push(entry.into_path());
    }
    Ok(files)
}

/// grep's `--include` / `--exclude` globs, matched against file names.
fn name_globs(globs: &[String]) -> Result<Option<globset::GlobSet>> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut set = globset::GlobSetBuilder::new();
    for glob in globs {
        set.add(globset::Glob::new(glob).with_context(|| format!("reading the glob {glob}"))?);
    }
    Ok(Some(set.build()?))
}

/// What `find` matches: every file under its roots (`.git` left out) that
/// passes its name and path tests.
fn found_files(cwd: &Path, find: &Find) -> Result<Vec<PathBuf>> {
    let roots = if find.roots.is_empty() { vec![".".to_string()] } else { find.roots.clone() };
    let glob = |pattern: &str, case_insensitive: bool, separator: bool| {
        globset::GlobBuilder::new(pattern)
            .case_insensitive(case_insensitive)
            .literal_separator(separator)
            .build()
            .map(|g| g.compile_matcher())
            .with_context(|| format!("reading the find pattern {pattern}"))
    };
    let names = find.names.iter().map(|(p, i)| glob(p, *i, true)).collect::<Result<Vec<_>>>()?;
    let paths = find.paths.iter().map(|(p, i)| glob(p, *i, false)).collect::<Result<Vec<_>>>()?;
    let mut files = Vec::new();
    for root in roots {
        let every = Walk { roots: vec![root.clone()], hidden: true, no_ignore: true, ..Walk::default() };
        for file in walk_files(cwd, &every)? {
            // As find prints it: the root joined with the rest.
            let relative = file.strip_prefix(cwd.join(&root)).unwrap_or(&file);
            let printed = Path::new(&root).join(relative);
            let name = file.file_name().unwrap_or_default();
            if names.iter().all(|g| g.is_match(name)) && paths.iter().all(|g| g.is_match(&printed)) {
                files.push(file);
            }
        }
    }
    Ok(files)
}
