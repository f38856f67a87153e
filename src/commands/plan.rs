//! Which configuration applies, and to what (DESIGN, "which config
//! applies"). What makes guard detect more (rules, denied names) applies at
//! once, from the work tree's `guard.toml`, HEAD's and the user's. What
//! accepts a finding counts only as committed before the finding: a
//! repository's `guard.toml` and baseline in the first parent of the commit
//! that introduces it (HEAD for a change not yet committed). The user's own
//! file and `--config` are exempt, and named. Outside a repository the
//! directory's files apply as they are.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use anyhow::{Context, Result};

use crate::config::{self, Config};
use crate::git::{Oid, Repo};
use crate::pipeline::Pipeline;
use crate::policy::acceptance::{self, Acceptance, Accepted};
use crate::policy::baseline;
use crate::policy::path_policy::PathPolicy;
use crate::rules::BUILTIN;
use crate::scan::finding::Finding;

/// What a command runs with: the configuration that detects, its
/// pipeline, and what may accept a finding.
#[derive(Debug)]
pub struct Plan {
    /// Everything that detects, merged (rules, denied names, size limit,
    /// audit patterns), and the files it came from.
    pub config: Config,
    /// The scan loop built from it.
    pub pipeline: Pipeline,
    /// What accepts findings, and where it was read.
    pub acceptance: Acceptances,
}

/// Which commit's files judge a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Judge {
    /// HEAD's: a change not yet committed, a file, a full history.
    Head,
    /// The first parent's of the commit each finding came in with (HEAD's
    /// for one without a commit): pushed commits, a chosen history.
    ParentOfEach,
}

/// The layers of acceptance: the exempt ones (the user's file, `--config`,
/// a directory's files outside git), and, in a repository, its committed
/// files, read per commit as asked for.
#[derive(Debug)]
pub struct Acceptances {
    exempt: Acceptance,
    committed: bool,
    baselines: bool,
    head_error: Option<String>,
    head: Option<Oid>,
    cache: RefCell<HashMap<Option<Oid>, Rc<Acceptance>>>,
    /// `guard.toml` as committed, by commit, parsed once (HEAD's serves
    /// detection and acceptance both).
    configs: RefCell<HashMap<Oid, Option<Config>>>,
    notes: RefCell<BTreeSet<String>>,
    /// The repository's files whose work-tree copy differs from HEAD's: what
    /// they accept counts once committed.
    pub uncommitted: Vec<&'static str>,
    /// Files whose acceptance leaves everything of a kind unscanned (every
    /// path, every rule), each with what: a failure for `status` and `audit`.
    pub sweeping: Vec<String>,
}

impl Plan {
    /// The plan for the current directory: its repository, if it is in
    /// one, else the directory itself; `explicit` is `--config`.
    ///
    /// # Errors
    /// An invalid configuration file (a committed one only warns).
    pub fn for_cwd(explicit: Option<&Path>) -> Result<(Plan, Option<Repo>)> {
        let cwd = std::env::current_dir().context("finding the current directory")?;
        Plan::for_dir(&cwd, explicit)
    }

    /// [`Plan::for_cwd`] for the directory `dir`.
    ///
    /// # Errors
    /// As [`Plan::for_cwd`].
    pub fn for_dir(dir: &Path, explicit: Option<&Path>) -> Result<(Plan, Option<Repo>)> {
        // Inside a work tree, a repository guard cannot read is an error,
        // never a plain directory.
        let repo = Repo::discover_work_tree(dir)?;
        let plan = match &repo {
            Some(repo) => Plan::for_repo(repo, explicit)?,
            None => Plan::for_directory(dir, explicit)?,
        };
        Ok((plan, repo))
    }

    /// The plan for `repo`: its work tree's and HEAD's files (or
    /// `explicit`), then the user's.
    ///
    /// # Errors
    /// An invalid work-tree, `--config` or user file.
    pub fn for_repo(repo: &Repo, explicit: Option<&Path>) -> Result<Plan> {
        // A HEAD that cannot be read accepts nothing, and fails the command
        // when findings are judged (after git has said what is wrong).
        let (head, head_error) = match repo.head_commit() {
            Ok(head) => (head, None),
            Err(err) => (None, Some(format!("{err:#}"))),
        };
        let mut acceptance = Acceptances::new(head, explicit.is_none());
        acceptance.head_error = head_error;
        let mut detection = Config::default();
        if let Some(file) = explicit {
            let config = config::read(file)?;
            acceptance.add_exempt(&config, &file.display().to_string())?;
            detection.merge(config);
        } else {
            let committed = match head {
                Some(head) => acceptance.committed_config(repo, head),
                None => None,
            };
            if let Some(root) = repo.work_tree() {
                let file = root.join(config::FILE_NAME);
                if std::fs::symlink_metadata(&file).is_ok() {
                    let config = config::read_inside(&file, root)?;
                    let name = file.display().to_string();
                    check_disabled(&config, &name)?;
                    acceptance.check_sweeping(&config, &name)?;
                    detection.merge(work_tree_detection(config, committed.as_ref(), &acceptance));
                }
                // The work tree's baseline accepts nothing until committed,
                // but one that is not a regular file inside the repository,
                // or not a baseline, is an error all the same.
                if let Some(read) = baseline::read(root)? {
                    acceptance.note_stale(&read, &root.join(baseline::FILE_NAME).display().to_string());
                }
                acceptance.uncommitted = uncommitted(repo, root, head)?;
            }
            if let Some(config) = committed {
                acceptance.check_sweeping(&config, &format!("{} at HEAD", config::FILE_NAME))?;
                detection.merge(config.detection());
            }
        }
        acceptance.add_user(&mut detection)?;
        let mut plan = Plan::new(detection, acceptance)?;
        plan.pipeline = plan.pipeline.with_object_format(repo.object_format());
        Ok(plan)
    }

    /// The plan outside git: the directory's `guard.toml` and baseline
    /// apply as they are, there being no history to judge them by.
    fn for_directory(dir: &Path, explicit: Option<&Path>) -> Result<Plan> {
        let mut acceptance = Acceptances::new(None, false);
        let mut detection = Config::default();
        let file = explicit.map_or_else(|| dir.join(config::FILE_NAME), Path::to_path_buf);
        if explicit.is_some() || std::fs::symlink_metadata(&file).is_ok() {
            let config =
                if explicit.is_some() { config::read(&file)? } else { config::read_inside(&file, dir)? };
            acceptance.add_exempt(&config, &file.display().to_string())?;
            detection.merge(config);
        }
        if explicit.is_none()
            && let Some(read) = baseline::read(dir)?
        {
            let name = dir.join(baseline::FILE_NAME).display().to_string();
            acceptance.note_stale(&read, &name);
            acceptance.exempt.add_baseline(read.entries.into_iter().map(|e| e.fingerprint), &name);
        }
        acceptance.add_user(&mut detection)?;
        Plan::new(detection, acceptance)
    }

    fn new(config: Config, acceptance: Acceptances) -> Result<Plan> {
        crate::report::names::remember_user_rules(&config.rules);
        let pipeline = Pipeline::new(&config)?;
        Ok(Plan { config, pipeline, acceptance })
    }
}

impl Acceptances {
    fn new(head: Option<Oid>, committed: bool) -> Acceptances {
        Acceptances {
            exempt: Acceptance::none(),
            committed,
            baselines: true,
            head_error: None,
            head,
            cache: RefCell::default(),
            configs: RefCell::default(),
            notes: RefCell::default(),
            uncommitted: Vec::new(),
            sweeping: Vec::new(),
        }
    }

    /// Adds the user's file, if there is one, to `detection` and as an
    /// exempt layer.
    fn add_user(&mut self, detection: &mut Config) -> Result<()> {
        let Some(file) = config::user_config_path().filter(|f| f.exists()) else { return Ok(()) };
        let config = config::read(&file)?;
        self.add_exempt(&config, &format!("your {}", file.display()))?;
        detection.merge(config);
        Ok(())
    }

    /// Adds `config`, read from `name`, as a layer that applies as it is.
    fn add_exempt(&mut self, config: &Config, name: &str) -> Result<()> {
        check_disabled(config, name)?;
        self.check_sweeping(config, name)?;
        self.exempt.add_config(config, name)
    }

    fn check_sweeping(&mut self, config: &Config, name: &str) -> Result<()> {
        for what in acceptance::sweeping(config)? {
            self.sweeping.push(format!("{name}: {what}"));
        }
        Ok(())
    }

    /// Moves the findings accepted out of `findings`, counting them in
    /// `accepted`, each judged by the files `judge` picks.
    ///
    /// # Errors
    /// A commit that cannot be read.
    pub fn apply(
        &self,
        repo: Option<&Repo>,
        judge: Judge,
        findings: &mut Vec<Finding>,
        accepted: &mut Accepted,
    ) -> Result<()> {
        if let Some(error) = &self.head_error {
            anyhow::bail!("{error}");
        }
        let mut kept = Vec::with_capacity(findings.len());
        for finding in findings.drain(..) {
            let at = match (judge, repo, &finding.commit) {
                (Judge::ParentOfEach, Some(repo), Some(commit)) => {
                    let oid = Oid::from_hex(commit.oid.as_bytes())?;
                    repo.first_parent(oid)?
                }
                _ => self.head,
            };
            let layers = self.at(repo, at);
            match layers.reason(&finding) {
                Some(reason) => *accepted.entry(reason).or_default() += 1,
                None => kept.push(finding),
            }
        }
        *findings = kept;
        Ok(())
    }

    /// The file that disables rule `id` for a change made now (HEAD's
    /// layers), if one does.
    pub fn disabled_by(&self, repo: Option<&Repo>, id: &str) -> Option<String> {
        self.at(repo, self.head).disabling(id).map(str::to_owned)
    }

    /// Leaves every baseline out (what `guard baseline` writes is made
    /// without the one it replaces).
    pub fn without_baselines(mut self) -> Acceptances {
        self.baselines = false;
        self.exempt = self.exempt.without_baselines();
        self
    }

    /// What was said about the files read (an invalid committed file, a
    /// stale baseline), one line each.
    pub fn notes(&self) -> Vec<String> {
        self.notes.borrow().iter().cloned().collect()
    }

    /// The exempt layers, then the files committed in `commit`.
    fn at(&self, repo: Option<&Repo>, commit: Option<Oid>) -> Rc<Acceptance> {
        if let Some(found) = self.cache.borrow().get(&commit) {
            return Rc::clone(found);
        }
        let mut layers = self.exempt.clone();
        if let (true, Some(repo), Some(commit)) = (self.committed, repo, commit) {
            let at =
                if Some(commit) == self.head { format!("HEAD ({})", short(commit)) } else { short(commit) };
            if let Some(config) = self.committed_config(repo, commit) {
                self.try_note(layers.add_config(&config, &format!("{} at {at}", config::FILE_NAME)));
            }
            if let Some(read) = self.committed_baseline(repo, commit).filter(|_| self.baselines) {
                let name = format!("{} at {at}", baseline::FILE_NAME);
                self.note_stale(&read, &name);
                layers.add_baseline(read.entries.into_iter().map(|e| e.fingerprint), &name);
            }
        }
        let layers = Rc::new(layers);
        self.cache.borrow_mut().insert(commit, Rc::clone(&layers));
        layers
    }

    /// `guard.toml` as committed in `commit`, if it is there and valid; an
    /// invalid one is said and accepts nothing.
    fn committed_config(&self, repo: &Repo, commit: Oid) -> Option<Config> {
        if let Some(read) = self.configs.borrow().get(&commit) {
            return read.clone();
        }
        let name = format!("{} at {}", config::FILE_NAME, short(commit));
        let read =
            self.committed_text(repo, commit, config::FILE_NAME, config::MAX_CONFIG_SIZE).and_then(|text| {
                let config = config::parse(&text, Path::new(&name))
                    .and_then(|c| check_disabled(&c, &name).map(|()| c));
                self.try_note(config)
            });
        self.configs.borrow_mut().insert(commit, read.clone());
        read
    }

    fn committed_baseline(&self, repo: &Repo, commit: Oid) -> Option<baseline::Baseline> {
        let name = format!("{} at {}", baseline::FILE_NAME, short(commit));
        let text = self.committed_text(repo, commit, baseline::FILE_NAME, baseline::MAX_SIZE)?;
        self.try_note(baseline::parse(&text, &name))
    }

    fn committed_text(&self, repo: &Repo, commit: Oid, file: &str, limit: u64) -> Option<String> {
        let blob = self.try_note(repo.committed_file(commit, file))??;
        let read = repo.blob_size(blob).and_then(|size| {
            if size.unwrap_or(0) > limit {
                anyhow::bail!("{file} at {} is larger than {limit} bytes", short(commit));
            }
            let bytes = repo.blob(blob)?;
            String::from_utf8(bytes).with_context(|| format!("{file} at {} is not UTF-8", short(commit)))
        });
        self.try_note(read)
    }

    fn try_note<T>(&self, result: Result<T>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(err) => {
                self.notes.borrow_mut().insert(format!("{err:#}; it accepts nothing until fixed"));
                None
            }
        }
    }

    fn note_stale(&self, read: &baseline::Baseline, name: &str) {
        if let Some(warning) = read.stale_warning(name) {
            self.notes.borrow_mut().insert(warning);
        }
    }
}

/// What the work tree's `config` adds to detection at once: its rules,
/// denied names and limits, less a rule that would replace a built-in one
/// (which detects less) before HEAD holds that replacement.
fn work_tree_detection(config: Config, committed: Option<&Config>, acceptance: &Acceptances) -> Config {
    let mut detection = config.detection();
    detection.rules.retain(|rule| {
        let builtin = BUILTIN.iter().any(|b| b.id == rule.rule.id);
        let in_head = committed.is_some_and(|c| c.rules.iter().any(|r| r.rule.id == rule.rule.id));
        if builtin && !in_head {
            acceptance.notes.borrow_mut().insert(format!(
                "{} in the work tree redefines the built-in rule {}; the new definition applies once committed",
                config::FILE_NAME,
                rule.rule.id
            ));
        }
        !builtin || in_head
    });
    detection
}

/// The repository's files whose work-tree copy is not HEAD's.
fn uncommitted(repo: &Repo, root: &Path, head: Option<Oid>) -> Result<Vec<&'static str>> {
    let mut changed = Vec::new();
    for name in [config::FILE_NAME, baseline::FILE_NAME] {
        let file: PathBuf = root.join(name);
        let in_tree = match std::fs::symlink_metadata(&file) {
            Ok(meta) if meta.is_file() => Some(crate::git::blob_id_of_file(&file, repo.object_format())?),
            Ok(_) => None,
            Err(_) => continue,
        };
        let in_head = match head {
            Some(head) => repo.committed_file(head, name).ok().flatten(),
            None => None,
        };
        if in_tree.is_none() || in_tree != in_head {
            changed.push(name);
        }
    }
    Ok(changed)
}

/// Checks that every id `config` disables names a rule or path kind.
fn check_disabled(config: &Config, file: &str) -> Result<()> {
    let known = |id: &str| {
        BUILTIN.iter().any(|r| r.id == id)
            || config.rules.iter().any(|r| r.rule.id == id)
            || PathPolicy::builtin_ids().any(|p| p == id)
    };
    acceptance::check_disabled(config, file, &known)
}

fn short(oid: Oid) -> String {
    oid.to_string().chars().take(12).collect()
}
