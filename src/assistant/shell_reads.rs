//! What a shell command would show the assistant: the files whose lines it
//! prints (`cat`, `< FILE`, `$(<FILE)`, `find -exec cat`, `xargs cat`), the
//! files a search would look through and which of their lines it shows
//! (`grep`, `rg`, `git grep`), blobs printed from history (`git show
//! REV:PATH`), and environment variables (`printenv NAME`, `echo $TOKEN`,
//! `env`). Only the reading of the command; judging the files is
//! `exposure.rs`'s.

use super::shell_syntax::{self, Command};

/// Something a command shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exposure {
    /// Lines of files.
    Files {
        /// Which files.
        files: Files,
        /// Which of their lines are shown.
        lines: Lines,
    },
    /// The value of a variable whose name says it holds a secret.
    Variable(String),
    /// Every environment variable.
    Environment,
}

/// Which files a command reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Files {
    /// Files as written (globs unexpanded; a directory shows nothing).
    Named(Vec<String>),
    /// Every file a recursive search visits.
    Walk(Walk),
    /// Tracked files under the pathspecs (all when empty), as `git grep`
    /// searches them: in the work tree, or in commit `at`.
    Tracked {
        /// git pathspecs.
        pathspecs: Vec<String>,
        /// A commit (`git grep PATTERN REV`).
        at: Option<String>,
    },
    /// What `find` matches.
    Found(Find),
    /// Names read from another command's output that guard cannot know:
    /// every file under the working directory.
    Listed,
    /// A blob named `REV:PATH`.
    Blob(String),
}

/// How a recursive search chooses files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Walk {
    /// Where it starts (the working directory when empty).
    pub roots: Vec<String>,
    /// ripgrep's rules (hidden files and ignore files skipped unless told);
    /// otherwise grep's: every file.
    pub ripgrep: bool,
    /// Hidden files are searched.
    pub hidden: bool,
    /// `.gitignore` and the like are not honoured.
    pub no_ignore: bool,
    /// ripgrep's `--glob` overrides (`!` excludes), or grep's `--include`.
    pub globs: Vec<String>,
    /// grep's `--exclude`.
    pub excludes: Vec<String>,
    /// ripgrep's `--type` names.
    pub types: Vec<String>,
}

/// What `find` matches: its starting points and, when its expression is a
/// plain conjunction, the name and path tests (otherwise every file).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Find {
    /// The starting points (`.` when empty).
    pub roots: Vec<String>,
    /// `-name` / `-iname` globs (the bool: case-insensitive).
    pub names: Vec<(String, bool)>,
    /// `-path` / `-ipath` / `-wholename` globs.
    pub paths: Vec<(String, bool)>,
}

/// Which lines of those files are shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lines {
    /// Every line.
    All,
    /// Lines that match any of the patterns (Rust regex syntax).
    Matching {
        /// The patterns.
        patterns: Vec<String>,
        /// Matched without regard to case.
        ignore_case: bool,
    },
}

/// Programs that print the files they are given. Interpreters are not
/// among them (`python manage.py` runs a file, it does not show it), nor
/// programs that write the files they are given (`tee`, `split`).
const PRINTERS: &[&str] = &[
    "cat", "tac", "nl", "less", "more", "most", "head", "tail", "bat", "batcat", "view", "strings", "xxd",
    "od", "hexdump", "base64", "base32", "awk", "gawk", "mawk", "sed", "cut", "sort", "uniq", "paste",
    "column", "diff", "cmp", "comm", "jq", "yq", "tr", "fold", "fmt", "pr", "expand", "unexpand", "iconv",
    "rev", "look", "join", "openssl", "zcat", "gzcat", "bzcat", "xzcat", "zless", "zmore", "vim", "vi",
    "nano", "emacs", "ed", "ex",
];

/// Programs that search files and print the lines that match.
const SEARCHERS: &[&str] = &["grep", "egrep", "fgrep", "zgrep", "rg", "ag", "ack", "ack-grep"];

/// Words that run the command that follows them (with their options).
const WRAPPERS: &[&str] = &[
    "sudo", "doas", "command", "builtin", "exec", "time", "nice", "nohup", "ionice", "stdbuf", "timeout",
    "env",
];

/// Shells whose `-c` string is a command of its own.
pub const SHELLS: &[&str] = &["sh", "bash", "zsh", "dash", "ksh", "mksh", "ash", "fish"];

/// Everything `command` would show.
pub fn exposures(command: &str) -> Vec<Exposure> {
    let commands = shell_syntax::parse(command);
    let mut out = Vec::new();
    // `cd config && cat .env`: later paths start from there.
    let mut base = String::new();
    for command in &commands {
        if command.program() == Some("cd") {
            let dir = command.args().next().unwrap_or("~");
            base = if dir.starts_with(['/', '~']) { dir.to_string() } else { format!("{base}{dir}/") };
            continue;
        }
        let start = out.len();
        read_command(command, &commands, &mut out);
        if !base.is_empty() {
            out[start..].iter_mut().for_each(|exposure| rebase(exposure, &base));
        }
    }
    out
}

/// `exposure` with its relative paths taken from directory `base`.
fn rebase(exposure: &mut Exposure, base: &str) {
    let base = base.trim_end_matches('/');
    let at = |path: &mut String| {
        if !path.starts_with('/') {
            *path = format!("{base}/{path}");
        }
    };
    let Exposure::Files { files, .. } = exposure else { return };
    match files {
        Files::Named(paths) => paths.iter_mut().for_each(at),
        Files::Walk(Walk { roots, .. })
        | Files::Found(Find { roots, .. })
        | Files::Tracked { pathspecs: roots, .. } => {
            if roots.is_empty() {
                roots.push(".".to_string());
            }
            roots.iter_mut().for_each(at);
        }
        Files::Listed => {
            *files = Files::Walk(Walk {
                roots: vec![base.to_string()],
                hidden: true,
                no_ignore: true,
                ..Walk::default()
            });
        }
        Files::Blob(_) => {}
    }
}

/// The program and arguments of `command` after wrappers such as `sudo`
/// and `env VAR=x`, or `None` when a bare `env` prints the environment.
pub fn unwrapped(command: &Command) -> Option<Vec<&str>> {
    let mut words: Vec<&str> = command.words.iter().map(|w| w.text.as_str()).collect();
    loop {
        let Some(first) = words.first() else { return Some(words) };
        let name = first.rsplit('/').next().unwrap_or(first);
        if !WRAPPERS.contains(&name) {
            return Some(words);
        }
        let mut rest = 1;
        while words
            .get(rest)
            .is_some_and(|w| w.starts_with('-') || (name == "env" && shell_syntax::is_assignment(w)))
        {
            rest += 1;
        }
        if name == "timeout" && rest < words.len() {
            rest += 1; // the duration
        }
        if name == "env" && rest == words.len() {
            return None;
        }
        words.drain(..rest);
    }
}

fn read_command(command: &Command, all: &[Command], out: &mut Vec<Exposure>) {
    // `< FILE` feeds a file to any program (a `while read` loop, `$(<FILE)`).
    if !command.inputs.is_empty() {
        out.push(Exposure::Files { files: Files::Named(command.inputs.clone()), lines: Lines::All });
    }
    let Some(words) = unwrapped(command) else {
        out.push(Exposure::Environment);
        return;
    };
    let Some((&first, args)) = words.split_first() else { return };
    let program = first.rsplit('/').next().unwrap_or(first);
    let operands = || args.iter().filter(|a| !a.starts_with('-') || **a == "-").map(|a| (*a).to_string());
    match program {
        p if SHELLS.contains(&p) => {
            if let Some(at) =
                args.iter().position(|a| a.starts_with('-') && a.contains('c') && !a.starts_with("--"))
                && let Some(script) = args.get(at + 1)
            {
                out.extend(exposures(script));
            }
        }
        "eval" => out.extend(exposures(&args.join(" "))),
        "xargs" => xargs(args, command, all, out),
        "find" => find(args, out),
        "git" => git(args, out),
        "echo" | "printf" | "print" => {
            for word in &command.words[1..] {
                out.extend(
                    word.variables.iter().filter(|v| is_secret_name(v)).cloned().map(Exposure::Variable),
                );
            }
        }
        "printenv" => {
            let names: Vec<String> = operands().collect();
            if names.is_empty() {
                out.push(Exposure::Environment);
            }
            out.extend(names.into_iter().filter(|n| is_secret_name(n)).map(Exposure::Variable));
        }
        "export" | "declare" | "typeset" | "set" | "compgen"
            if args.is_empty() || args.iter().all(|a| matches!(*a, "-p" | "-x" | "-px" | "-xp")) =>
        {
            out.push(Exposure::Environment);
        }
        p if SEARCHERS.contains(&p) => {
            if let Some(exposure) = search(p, args, None) {
                out.push(exposure);
            }
        }
        // Without operands, a printer prints its standard input.
        p if PRINTERS.contains(&p) && operands().next().is_some() => {
            out.push(Exposure::Files { files: Files::Named(operands().collect()), lines: Lines::All });
        }
        _ => {}
    }
}

/// Whether a variable's name says it holds a secret (`GITHUB_TOKEN`,
/// `DB_PASSWORD`, `AWS_SECRET_ACCESS_KEY`, `DATABASE_URL`).
pub fn is_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    // Where a secret is, not the secret: `SSH_AUTH_SOCK`, `…_TOKEN_FILE`.
    if ["_SOCK", "_PATH", "_FILE", "_DIR"].iter().any(|suffix| upper.ends_with(suffix)) {
        return false;
    }
    let parts: Vec<&str> = upper.split('_').collect();
    const WORDS: &[&str] = &[
        "TOKEN",
        "TOKENS",
        "SECRET",
        "SECRETS",
        "PASSWORD",
        "PASSWD",
        "PASS",
        "PASSPHRASE",
        "APIKEY",
        "CREDENTIAL",
        "CREDENTIALS",
        "CREDS",
        "AUTH",
        "PAT",
        "DSN",
        "PRIVATE",
        "CLIENTSECRET",
    ];
    parts.iter().any(|p| WORDS.contains(p))
        || ["API_KEY", "ACCESS_KEY", "SECRET", "TOKEN", "PASSWORD", "DATABASE_URL", "_KEY"]
            .iter()
            .any(|w| upper.contains(w) && (w != &"_KEY" || upper.ends_with("_KEY")))
}

/// A search program's pattern, files and lines; `piped` gives the files
/// when they come from another command (`xargs`).
fn search(program: &str, args: &[&str], piped: Option<Files>) -> Option<Exposure> {
    let ripgrep = matches!(program, "rg" | "ag" | "ack" | "ack-grep");
    let mut options = SearchOptions { syntax: Syntax::for_program(program), ..SearchOptions::default() };
    let mut walk = Walk { ripgrep, ..Walk::default() };
    let mut operands = Vec::new();
    let mut args = args.iter();
    let mut only_operands = false;
    while let Some(&arg) = args.next() {
        if only_operands || !arg.starts_with('-') || arg == "-" {
            operands.push(arg.to_string());
            continue;
        }
        if arg == "--" {
            only_operands = true;
            continue;
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_string())),
            _ => (arg, None),
        };
        let value =
            |args: &mut std::slice::Iter<&str>| inline.clone().or_else(|| args.next().map(|v| v.to_string()));
        if flag.starts_with("--") {
            match flag {
                "--regexp" => options.patterns.extend(value(&mut args)),
                "--file" => options.every_line = true,
                "--fixed-strings" => options.syntax = Syntax::Fixed,
                "--extended-regexp" => options.syntax = Syntax::Extended,
                "--perl-regexp" | "--pcre2" => options.syntax = Syntax::Extended,
                "--basic-regexp" => options.syntax = Syntax::Basic,
                "--ignore-case" => options.ignore_case = true,
                "--smart-case" => options.smart_case = true,
                "--invert-match" | "--multiline" | "--passthru" | "--passthrough" => {
                    options.every_line = true
                }
                "--context" | "--after-context" | "--before-context" => {
                    let _ = value(&mut args);
                    options.every_line = true;
                }
                "--recursive" | "--dereference-recursive" => options.recursive = true,
                "--hidden" => walk.hidden = true,
                "--no-ignore" | "--no-ignore-vcs" | "--no-ignore-dot" | "--unrestricted" => {
                    walk.no_ignore = true
                }
                "--glob" | "--iglob" | "--include" => walk.globs.extend(value(&mut args)),
                "--exclude" => walk.excludes.extend(value(&mut args)),
                "--type" => walk.types.extend(value(&mut args)),
                "--max-count"
                | "--max-depth"
                | "--threads"
                | "--color"
                | "--colors"
                | "--sort"
                | "--sortr"
                | "--type-add"
                | "--type-not"
                | "--exclude-dir"
                | "--encoding"
                | "--replace"
                | "--pre"
                | "--max-filesize"
                | "--label"
                | "--binary-files"
                | "--devices"
                | "--directories"
                | "--path-separator"
                | "--field-match-separator"
                | "--field-context-separator"
                | "--context-separator"
                | "--ignore-file"
                | "--engine"
                | "--dfa-size-limit"
                | "--regex-size-limit"
                | "--max-columns"
                | "--group-separator" => {
                    let _ = value(&mut args);
                }
                _ => {}
            }
            continue;
        }
        // Clustered short options; one that takes a value ends the cluster.
        let cluster: Vec<char> = flag[1..].chars().collect();
        for (i, &c) in cluster.iter().enumerate() {
            let takes_value = if ripgrep { "efgtTABCmMdjrE".contains(c) } else { "efABCmdD".contains(c) };
            if takes_value {
                let rest: String = cluster[i + 1..].iter().collect();
                let value = if rest.is_empty() { args.next().map(|v| v.to_string()) } else { Some(rest) };
                match c {
                    'e' => options.patterns.extend(value),
                    'f' => options.every_line = true,
                    'g' => walk.globs.extend(value),
                    't' => walk.types.extend(value),
                    'A' | 'B' | 'C' => options.every_line = true,
                    _ => {}
                }
                break;
            }
            match c {
                'F' => options.syntax = Syntax::Fixed,
                'E' | 'P' => options.syntax = Syntax::Extended,
                'G' => options.syntax = Syntax::Basic,
                'i' | 'y' => options.ignore_case = true,
                'S' if ripgrep => options.smart_case = true,
                'v' | 'U' => options.every_line = true,
                'r' | 'R' => options.recursive = true,
                '.' if ripgrep => walk.hidden = true,
                'u' if ripgrep => {
                    if walk.no_ignore {
                        walk.hidden = true;
                    }
                    walk.no_ignore = true;
                }
                _ => {}
            }
        }
    }
    if options.patterns.is_empty() && !options.every_line {
        if operands.is_empty() {
            return None;
        }
        options.patterns.push(operands.remove(0));
    } else if options.patterns.is_empty() && !operands.is_empty() && piped.is_none() {
        operands.remove(0);
    }
    let recursive = options.recursive;
    let lines = options.lines();
    let files = match piped {
        Some(piped) if operands.is_empty() => piped,
        _ if ripgrep || recursive => {
            walk.roots = operands;
            Files::Walk(walk)
        }
        _ => Files::Named(operands),
    };
    Some(Exposure::Files { files, lines })
}

/// The pattern language a search reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Syntax {
    /// POSIX basic regular expressions (`grep`, `git grep`).
    #[default]
    Basic,
    /// Extended (`grep -E`), Perl (`-P`) and ripgrep's own.
    Extended,
    /// Fixed strings (`-F`, `fgrep`).
    Fixed,
}

impl Syntax {
    fn for_program(program: &str) -> Syntax {
        match program {
            "egrep" | "rg" | "ag" | "ack" | "ack-grep" => Syntax::Extended,
            "fgrep" => Syntax::Fixed,
            _ => Syntax::Basic,
        }
    }
}

#[derive(Debug, Default)]
struct SearchOptions {
    patterns: Vec<String>,
    syntax: Syntax,
    ignore_case: bool,
    smart_case: bool,
    recursive: bool,
    /// Lines that do not match are shown too (`-v`, context, a pattern file).
    every_line: bool,
}

impl SearchOptions {
    fn lines(self) -> Lines {
        if self.every_line {
            return Lines::All;
        }
        let smart = self.smart_case && self.patterns.iter().all(|p| !p.chars().any(char::is_uppercase));
        let patterns = self
            .patterns
            .iter()
            .flat_map(|p| p.split('\n'))
            .map(|p| match self.syntax {
                Syntax::Fixed => regex::escape(p),
                Syntax::Extended => p.to_string(),
                Syntax::Basic => basic_to_extended(p),
            })
            .collect();
        Lines::Matching { patterns, ignore_case: self.ignore_case || smart }
    }
}

/// A POSIX basic regular expression in extended syntax: `\(`, `\)`, `\{`,
/// `\}`, `\|`, `\+`, `\?` are the operators; their bare forms are literal.
fn basic_to_extended(pattern: &str) -> String {
    let mut out = String::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e @ ('(' | ')' | '{' | '}' | '|' | '+' | '?')) => out.push(e),
                Some(e) => {
                    out.push('\\');
                    out.push(e);
                }
                None => out.push_str("\\\\"),
            },
            '(' | ')' | '{' | '}' | '|' | '+' | '?' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// `xargs PROGRAM ARGS`: the program reads the names the previous command
/// of the pipeline prints.
fn xargs(args: &[&str], command: &Command, all: &[Command], out: &mut Vec<Exposure>) {
    let mut rest = args.iter().copied().peekable();
    while let Some(arg) = rest.peek().copied().filter(|a| a.starts_with('-')) {
        rest.next();
        let takes_value = matches!(arg, "-n" | "-I" | "-P" | "-d" | "-L" | "-s" | "-E" | "-a" | "-i" | "-l");
        if takes_value && arg.len() == 2 {
            rest.next();
        }
    }
    let inner: Vec<&str> = rest.collect();
    let Some((&program, inner_args)) = inner.split_first() else { return };
    let program = program.rsplit('/').next().unwrap_or(program);
    let piped = listed_files(command.piped_from.map(|i| &all[i]));
    if SEARCHERS.contains(&program) {
        out.extend(search(program, inner_args, Some(piped)));
    } else if PRINTERS.contains(&program) {
        out.push(Exposure::Files { files: piped, lines: Lines::All });
    } else if SHELLS.contains(&program) {
        // `xargs sh -c 'cat "$1"'`: the script prints what it is handed.
        out.push(Exposure::Files { files: piped, lines: Lines::All });
    }
}

/// The files whose names `source` prints.
fn listed_files(source: Option<&Command>) -> Files {
    let Some(words) = source.and_then(unwrapped) else { return Files::Listed };
    let Some((&program, args)) = words.split_first() else { return Files::Listed };
    let operands =
        || args.iter().filter(|a| !a.starts_with('-')).map(|a| (*a).to_string()).collect::<Vec<_>>();
    match program.rsplit('/').next().unwrap_or(program) {
        "find" => find_query(args).map_or(Files::Listed, Files::Found),
        "echo" | "printf" => Files::Named(operands()),
        "git" if args.first() == Some(&"ls-files") => {
            Files::Tracked { pathspecs: operands().into_iter().skip(1).collect(), at: None }
        }
        _ => Files::Listed,
    }
}

/// `find ROOTS EXPRESSION`, with `-exec PROGRAM … ;` run on what it finds.
fn find(args: &[&str], out: &mut Vec<Exposure>) {
    let Some(query) = find_query(args) else { return };
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if !matches!(*arg, "-exec" | "-execdir" | "-ok" | "-okdir") {
            continue;
        }
        let exec: Vec<&str> = rest.by_ref().take_while(|a| !matches!(**a, ";" | "+")).copied().collect();
        let Some((&program, exec_args)) = exec.split_first() else { continue };
        let program = program.rsplit('/').next().unwrap_or(program);
        let found = Files::Found(query.clone());
        let exec_args: Vec<&str> = exec_args.iter().copied().filter(|a| *a != "{}").collect();
        if SEARCHERS.contains(&program) {
            out.extend(search(program, &exec_args, Some(found)));
        } else if PRINTERS.contains(&program) || SHELLS.contains(&program) {
            out.push(Exposure::Files { files: found, lines: Lines::All });
        }
    }
}

/// What `find` matches. `None` when it has no expression to read.
fn find_query(args: &[&str]) -> Option<Find> {
    let mut query = Find::default();
    let mut tests_known = true;
    let mut rest = args.iter().copied().peekable();
    while let Some(arg) = rest.peek().copied().filter(|a| !a.starts_with('-') && !matches!(*a, "(" | "!")) {
        rest.next();
        query.roots.push(arg.to_string());
    }
    while let Some(arg) = rest.next() {
        match arg {
            "-name" | "-iname" => query.names.extend(rest.next().map(|v| (v.to_string(), arg == "-iname"))),
            "-path" | "-ipath" | "-wholename" | "-iwholename" => {
                query.paths.extend(rest.next().map(|v| (v.to_string(), arg.starts_with("-i"))));
            }
            "-o" | "-or" | "!" | "-not" | "," => tests_known = false,
            "-exec" | "-execdir" | "-ok" | "-okdir" => {
                for word in rest.by_ref() {
                    if matches!(word, ";" | "+") {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    if !tests_known {
        query.names.clear();
        query.paths.clear();
    }
    Some(query)
}

/// `git grep`, `git show REV:PATH`, `git cat-file -p REV:PATH`.
fn git(args: &[&str], out: &mut Vec<Exposure>) {
    // Global options before the subcommand.
    let mut rest = args.iter().copied();
    let sub = loop {
        match rest.next() {
            Some("-C" | "-c" | "--git-dir" | "--work-tree" | "--namespace" | "--config-env") => {
                rest.next();
            }
            Some(a) if a.starts_with('-') => {}
            other => break other,
        }
    };
    let args: Vec<&str> = rest.collect();
    match sub {
        Some("show" | "cat-file") => {
            for spec in args.iter().filter(|a| !a.starts_with('-') && a.contains(':')) {
                out.push(Exposure::Files { files: Files::Blob((*spec).to_string()), lines: Lines::All });
            }
        }
        Some("grep") => {
            let (before, pathspecs) = match args.iter().position(|a| *a == "--") {
                Some(at) => (&args[..at], args[at + 1..].iter().map(|a| (*a).to_string()).collect()),
                None => (&args[..], Vec::new()),
            };
            let Some(Exposure::Files { files: Files::Named(mut operands), lines }) =
                search("grep", before, None)
            else {
                return;
            };
            // Without `--`, an operand that is not a path names a commit.
            let at = operands
                .iter()
                .position(|o| !std::path::Path::new(o).exists() && !o.contains(['*', '?', '[']))
                .map(|i| operands.remove(i));
            operands.extend(pathspecs);
            out.push(Exposure::Files { files: Files::Tracked { pathspecs: operands, at }, lines });
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(files: &[&str]) -> Exposure {
        Exposure::Files {
            files: Files::Named(files.iter().map(|f| (*f).to_string()).collect()),
            lines: Lines::All,
        }
    }

    fn matching(pattern: &str) -> Lines {
        Lines::Matching { patterns: vec![pattern.to_string()], ignore_case: false }
    }

    #[test]
    fn printers_redirections_and_substitutions() {
        assert_eq!(exposures("cat .env"), [named(&[".env"])]);
        assert_eq!(exposures("less -R 'config/.env.production'"), [named(&["config/.env.production"])]);
        assert_eq!(exposures("sudo -n /usr/bin/tail -f server.key 2>&1"), [named(&["server.key"])]);
        assert_eq!(exposures("LC_ALL=C sort < .env > sorted.txt"), [named(&[".env"])]);
        assert_eq!(exposures("echo \"$(<.env)\""), [named(&[".env"])]);
        assert_eq!(exposures("while read l; do echo $l; done < .env"), [named(&[".env"])]);
        assert_eq!(exposures("bash -c 'cat id_rsa'"), [named(&["id_rsa"])]);
        assert_eq!(exposures("cd config && cat .env"), [named(&["config/.env"])]);
        assert!(exposures("source .env && npm test").is_empty());
        assert!(exposures("cp .env .env.bak").is_empty());
        assert!(exposures("python manage.py runserver | tee server.log").is_empty());
        assert!(exposures("echo 'cat .env'").is_empty());
    }

    #[test]
    fn searches_know_their_files_and_lines() {
        let rg = exposures("rg -i TOKEN");
        assert_eq!(
            rg,
            [Exposure::Files {
                files: Files::Walk(Walk { ripgrep: true, ..Walk::default() }),
                lines: Lines::Matching { patterns: vec!["TOKEN".into()], ignore_case: true },
            }]
        );
        let [Exposure::Files { files: Files::Walk(walk), .. }] = &exposures("rg -uu -g '.env*' KEY src")[..]
        else {
            panic!()
        };
        assert!(walk.hidden && walk.no_ignore && walk.globs == [".env*"] && walk.roots == ["src"]);
        assert_eq!(
            exposures("grep 'a\\|b' .env"),
            [Exposure::Files { files: Files::Named(vec![".env".into()]), lines: matching("a|b") }]
        );
        assert_eq!(exposures("grep -v x .env"), [named(&[".env"])]);
        assert_eq!(
            exposures("git grep -F 'a.b' -- '*.yml'"),
            [Exposure::Files {
                files: Files::Tracked { pathspecs: vec!["*.yml".into()], at: None },
                lines: matching("a\\.b"),
            }]
        );
        assert_eq!(
            exposures("git show HEAD:secrets/prod.txt"),
            [Exposure::Files { files: Files::Blob("HEAD:secrets/prod.txt".into()), lines: Lines::All }]
        );
    }

    #[test]
    fn find_and_xargs_read_what_find_matches() {
        let found = Files::Found(Find {
            roots: vec![".".into()],
            names: vec![(".env".into(), false)],
            paths: Vec::new(),
        });
        assert_eq!(
            exposures(r"find . -name .env -exec cat {} \;"),
            [Exposure::Files { files: found.clone(), lines: Lines::All }]
        );
        assert_eq!(
            exposures("find . -name .env -print0 | xargs -0 cat"),
            [Exposure::Files { files: found, lines: Lines::All }]
        );
        assert_eq!(
            exposures("git diff --name-only | xargs cat"),
            [Exposure::Files { files: Files::Listed, lines: Lines::All }]
        );
    }

    #[test]
    fn environment_variables_by_name() {
        assert_eq!(exposures("printenv GITHUB_TOKEN"), [Exposure::Variable("GITHUB_TOKEN".into())]);
        assert_eq!(exposures("echo \"key: $OPENAI_API_KEY\""), [Exposure::Variable("OPENAI_API_KEY".into())]);
        assert_eq!(exposures("env"), [Exposure::Environment]);
        assert_eq!(exposures("printenv | sort"), [Exposure::Environment]);
        assert!(exposures("env FOO=1 npm test").is_empty());
        assert!(exposures("echo $HOME $PWD $PATH").is_empty());
        assert!(is_secret_name("AWS_SECRET_ACCESS_KEY") && is_secret_name("DB_PASSWORD"));
        assert!(is_secret_name("STRIPE_KEY") && !is_secret_name("KEYBOARD") && !is_secret_name("PATH"));
        assert!(!is_secret_name("SSH_AUTH_SOCK") && !is_secret_name("GITHUB_TOKEN_FILE"));
        assert!(exposures("printenv PATH HOME").is_empty());
    }
}
