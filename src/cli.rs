//! Command-line types (clap derive) and nothing else: no git, no files, no
//! regex. `commands/` turns these into a plan.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// guard keeps credentials out of git and away from AI coding assistants.
///
/// Exit codes: 0 nothing found, 1 findings, 2 error.
#[derive(Debug, Parser)]
#[command(name = "guard", version, about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files, directories, or standard input (`guard scan -`).
    Scan(ScanArgs),
    /// Incident response: scan the whole history (every ref by default) and
    /// report each secret, where it came in, whether HEAD still has it, and
    /// how to rotate it.
    ScanHistory(ScanHistoryArgs),
    /// Show the rules, or test every rule against its own examples.
    Rules(RulesArgs),
    /// Install guard's git hooks (pre-commit, pre-merge-commit, commit-msg,
    /// pre-push) in this repository; a hook already there is kept and still
    /// runs.
    Install(InstallArgs),
    /// Remove guard's hooks and put back the ones they replaced.
    Uninstall(UninstallArgs),
    /// Where the hooks are, whether they are guard's and current, and
    /// whether guard.toml is valid. Exit 1 if anything is missing or stale.
    Status,
    /// What the installed hook scripts run.
    Hook(HookArgs),
    /// Accept today's findings in the work tree (.guard-baseline.toml), so
    /// that only new ones block.
    Baseline(BaselineArgs),
    /// The repository's posture: guard's hooks, no tracked secret file, and
    /// AI assistants kept away from secret files by their own controls.
    /// Exit 1 if a check fails.
    Audit(AuditArgs),
    /// What already went out: the secrets in the AI assistants' local
    /// transcripts (Claude Code, Codex, Gemini CLI), to be rotated.
    /// Read only. Exit 1 if a secret is found.
    ScanTranscripts(ScanTranscriptsArgs),
    /// Copy standard input to standard output with every secret masked, so
    /// a log or a terminal's output can be shared or pasted safely.
    Redact(RedactArgs),
}

/// `guard audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Add the missing patterns to the assistants' ignore files and the
    /// missing deny rules to .claude/settings.json, keeping what is there.
    #[arg(long)]
    pub fix: bool,
    /// In CI: skip the check of git hooks, which do not run there.
    #[arg(long)]
    pub ci: bool,
    /// Report format.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    /// Use FILE instead of the repository's guard.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// `guard scan-transcripts`.
#[derive(Debug, Args)]
pub struct ScanTranscriptsArgs {
    /// Transcript files or directories (JSON, JSON Lines or text) instead
    /// of the assistants' own stores under the home directory.
    pub paths: Vec<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    /// Write the report to FILE (readable by its owner only).
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Use FILE instead of the repository's guard.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// `guard redact`.
#[derive(Debug, Args)]
pub struct RedactArgs {
    /// Exit 1 when something was masked.
    #[arg(long)]
    pub check: bool,
    /// Use FILE instead of the repository's guard.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// `guard baseline`.
#[derive(Debug, Args)]
pub struct BaselineArgs {
    /// Refresh an existing baseline: add new findings, drop the ones no
    /// longer found.
    #[arg(long)]
    pub update: bool,
}

/// `guard install`.
#[derive(Debug, Args)]
pub struct InstallArgs {
    /// Replace guard hooks written by another version or binary.
    #[arg(long)]
    pub force: bool,
    /// For every repository of this user: a global hooks directory
    /// (`core.hooksPath`) whose hooks also run each repository's own.
    /// With `--assistant`: the user's configuration (`~/.claude/settings.json`, …).
    #[arg(long)]
    pub global: bool,
    /// With `--global`: also pass reference-transaction through to each
    /// repository's own hook (git runs it on every ref update, so it is
    /// left out unless asked for or already there).
    #[arg(long, requires = "global")]
    pub with_reference_transaction: bool,
    /// Instead of git hooks, add guard's hooks to an AI assistant's
    /// configuration (project, or with `--global` the user's): claude,
    /// cursor, codex, gemini, copilot, windsurf, cline, kiro, or
    /// `detected` for every one whose configuration is present.
    #[arg(long = "assistant", value_name = "NAME", num_args = 1.., conflicts_with = "force")]
    pub assistants: Vec<String>,
    /// The same as `--assistant claude`.
    #[arg(long, conflicts_with = "force")]
    pub claude: bool,
}

/// `guard uninstall`.
#[derive(Debug, Args)]
pub struct UninstallArgs {
    /// Undo `guard install --global`.
    #[arg(long)]
    pub global: bool,
    /// Undo `guard install --assistant`: remove only guard's hooks from
    /// each named assistant's configuration.
    #[arg(long = "assistant", value_name = "NAME", num_args = 1..)]
    pub assistants: Vec<String>,
    /// The same as `--assistant claude`.
    #[arg(long)]
    pub claude: bool,
}

/// `guard hook`.
#[derive(Debug, Args)]
pub struct HookArgs {
    /// Which hook.
    #[command(subcommand)]
    pub hook: HookName,
}

/// The hooks guard runs as.
#[derive(Debug, Subcommand)]
pub enum HookName {
    /// git's hooks.
    #[command(flatten)]
    Git(GitHook),
    /// An AI assistant's hook: the event is JSON on standard input, and
    /// the answer is in that assistant's protocol (an exit code, JSON).
    #[command(flatten)]
    Assistant(crate::assistant::hosts::Host),
    /// Run by the pre-commit framework (`.pre-commit-hooks.yaml`, id
    /// `guard`): the push its pre-push stage describes in
    /// `PRE_COMMIT_FROM_REF`/`PRE_COMMIT_TO_REF` (else the local branch
    /// new to `PRE_COMMIT_REMOTE_NAME`), otherwise the staged changes.
    Framework,
}

/// The git hooks guard runs as.
#[derive(Debug, Clone, Subcommand)]
pub enum GitHook {
    /// Check the staged changes; block the commit on a finding.
    PreCommit,
    /// Check what a merge brings in; block the merge commit on a finding.
    PreMergeCommit,
    /// Check the commit message in FILE.
    CommitMsg {
        /// The message file git passes.
        file: PathBuf,
    },
    /// Check every commit a push would send (refs on standard input).
    PrePush {
        /// The remote's name (or URL when pushing to a URL).
        remote: String,
        /// The remote's URL.
        url: Option<String>,
    },
}

/// `guard scan-history`.
#[derive(Debug, Args)]
pub struct ScanHistoryArgs {
    /// Revisions and ranges to scan (`main`, `v1.0..HEAD`, `^old`); default:
    /// every branch, tag, remote-tracking ref and the stash.
    #[arg(value_name = "REV")]
    pub revisions: Vec<String>,
    /// Only commits made at or after DATE (ISO 8601: 2024-01-31 or
    /// 2024-01-31T12:00:00Z).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Write a `git filter-repo --replace-text` file that scrubs exactly the
    /// secrets found (it holds them in clear; created readable by you only).
    #[arg(long, value_name = "FILE")]
    pub replace_file: Option<PathBuf>,
    /// Common flags.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Flags every scanning command takes.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Report format.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    /// Write the report to FILE (created readable by its owner only).
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Use FILE instead of the repository's guard.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Show secrets in full in the report (they are redacted by default).
    #[arg(long)]
    pub no_redact: bool,
    /// Skip the content of files larger than SIZE (such as 10MB; default
    /// 10MB). What is skipped is listed and counted in the report.
    #[arg(long, value_name = "SIZE")]
    pub max_file_size: Option<String>,
    /// Exit 2 when anything was not read for its size (by default it is
    /// listed, counted and the exit status is that of the findings).
    #[arg(long)]
    pub fail_on_skip: bool,
    /// Print nothing when nothing is found, and no notes.
    #[arg(long, short)]
    pub quiet: bool,
    /// Also say which files were skipped as binary.
    #[arg(long, short)]
    pub verbose: bool,
}

/// `guard scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories to scan (default: the current directory); `-`
    /// reads standard input.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Also scan files that .gitignore and other ignore files exclude.
    #[arg(long)]
    pub no_ignore: bool,
    /// Scan what is staged for the next commit (what the pre-commit hook
    /// checks): added lines and new file names only.
    #[arg(long, conflicts_with_all = ["paths", "no_ignore"])]
    pub staged: bool,
    /// Common flags.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// `guard rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// List or check.
    #[command(subcommand)]
    pub action: RulesAction,
    /// Use FILE instead of the repository's guard.toml.
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
}

/// `guard rules list` / `guard rules check`.
#[derive(Debug, Subcommand)]
pub enum RulesAction {
    /// List every rule in effect (built-in and from guard.toml).
    List,
    /// Run every rule, built-in or from guard.toml, against its examples
    /// and negative examples through the full matcher.
    Check {
        /// Seed of the example generator (same seed, same examples).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// How many times each example is generated afresh.
        #[arg(long, default_value_t = 4)]
        rounds: u32,
    },
}

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// For people.
    Human,
    /// One JSON document.
    Json,
    /// One JSON object per line.
    Jsonl,
}
