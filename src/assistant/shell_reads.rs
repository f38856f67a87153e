//! Which files a shell command would print: a small reading of POSIX shell
//! syntax (quotes, backslashes, `;`, `&&`, `||`, `|`, `&`, `$(…)`,
//! backquotes, redirections) that finds the simple commands whose program
//! shows file contents (`cat`, `less`, `head`, `grep`, …) and their file
//! arguments (every word that is not an option), `< FILE` included. It does not run or expand anything but
//! globs, which the caller expands; judging the files is the caller's.

/// Programs that write the contents of the files they are given to their
/// output (for the assistant to read).
const PRINTERS: &[&str] = &[
    "cat", "tac", "nl", "less", "more", "most", "head", "tail", "bat", "batcat", "view", "strings", "xxd",
    "od", "hexdump", "base64", "base32", "grep", "egrep", "fgrep", "rg", "ag", "ack", "awk", "gawk", "sed",
    "cut", "sort", "uniq", "paste", "column", "diff", "jq", "yq", "tr", "fold", "fmt", "pr", "expand",
    "iconv",
];

/// Words that run the command that follows them.
const WRAPPERS: &[&str] = &["sudo", "command", "exec", "time", "nice", "nohup", "env", "doas"];

/// One word of a simple command.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Word {
    text: String,
    /// Follows `<`: a file read into the command.
    input: bool,
    /// Follows `>`, `>>` or `>&`: where output goes, not a read.
    output: bool,
}

/// The files (as written, globs unexpanded) that `command` would print.
pub fn printed_files(command: &str) -> Vec<String> {
    let mut files = Vec::new();
    for words in simple_commands(command) {
        let mut rest = words.iter().filter(|w| !w.output).peekable();
        let mut inputs: Vec<String> = words.iter().filter(|w| w.input).map(|w| w.text.clone()).collect();
        // Skip assignments and wrappers to reach the program.
        let program = loop {
            match rest.next() {
                Some(word) if word.input => {}
                Some(word) if is_assignment(&word.text) => {}
                Some(word) if WRAPPERS.contains(&program_name(&word.text)) => {
                    while rest.peek().is_some_and(|w| w.text.starts_with('-')) {
                        rest.next();
                    }
                }
                other => break other,
            }
        };
        let Some(program) = program else { continue };
        if !PRINTERS.contains(&program_name(&program.text)) {
            continue;
        }
        files.append(&mut inputs);
        files.extend(rest.filter(|w| !w.input && !w.text.starts_with('-')).map(|w| w.text.clone()));
    }
    files
}

fn program_name(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    })
}

/// Splits `command` into simple commands of words, quotes removed.
fn simple_commands(command: &str) -> Vec<Vec<Word>> {
    let mut commands = vec![Vec::new()];
    let mut word = String::new();
    let mut in_word = false;
    let mut next_input = false;
    let mut next_output = false;
    let mut chars = command.chars().peekable();
    let finish = |commands: &mut Vec<Vec<Word>>,
                  word: &mut String,
                  in_word: &mut bool,
                  input: &mut bool,
                  output: &mut bool| {
        if *in_word {
            let text = std::mem::take(word);
            commands.last_mut().expect("one command at least").push(Word {
                text,
                input: *input,
                output: *output,
            });
            *in_word = false;
            *input = false;
            *output = false;
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    word.push(q);
                }
            }
            '"' => {
                in_word = true;
                while let Some(q) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' => {
                            if let Some(escaped) = chars.next() {
                                word.push(escaped);
                            }
                        }
                        _ => word.push(q),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(escaped) = chars.next() {
                    if escaped != '\n' {
                        word.push(escaped);
                    }
                }
            }
            '<' | '>' => {
                // A word of digits just before is a file descriptor.
                if in_word && word.bytes().all(|b| b.is_ascii_digit()) {
                    word.clear();
                    in_word = false;
                }
                finish(&mut commands, &mut word, &mut in_word, &mut next_input, &mut next_output);
                while chars.peek().is_some_and(|&n| n == '>' || n == '&' || n == '<') {
                    chars.next();
                }
                if c == '<' {
                    next_input = true;
                } else {
                    next_output = true;
                }
            }
            ';' | '|' | '&' | '\n' | '(' | ')' | '`' | '{' | '}' => {
                finish(&mut commands, &mut word, &mut in_word, &mut next_input, &mut next_output);
                commands.push(Vec::new());
            }
            '$' if chars.peek() == Some(&'(') => {
                finish(&mut commands, &mut word, &mut in_word, &mut next_input, &mut next_output);
                chars.next();
                commands.push(Vec::new());
            }
            c if c.is_whitespace() => {
                finish(&mut commands, &mut word, &mut in_word, &mut next_input, &mut next_output);
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    finish(&mut commands, &mut word, &mut in_word, &mut next_input, &mut next_output);
    commands.retain(|c| !c.is_empty());
    commands
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printers_and_their_file_arguments() {
        assert_eq!(printed_files("cat .env"), [".env"]);
        assert_eq!(printed_files("less -R 'config/.env.production'"), ["config/.env.production"]);
        // Option values are taken as files too: judged by name, they are harmless.
        assert_eq!(printed_files("cd app && head -n 5 id_rsa | wc -l"), ["5", "id_rsa"]);
        assert_eq!(printed_files("grep -r KEY .env*"), ["KEY", ".env*"]);
        assert_eq!(printed_files("sudo -n /usr/bin/tail -f server.key 2>&1"), ["server.key"]);
        assert_eq!(printed_files("LC_ALL=C sort < .env > sorted.txt"), [".env"]);
        assert_eq!(printed_files("echo $(cat secrets.txt)"), ["secrets.txt"]);
        assert_eq!(printed_files("bat \"my file\""), ["my file"]);
    }

    #[test]
    fn other_programs_print_nothing_they_read() {
        assert!(printed_files("source .env && npm test").is_empty());
        assert!(printed_files(". ./.env; ls -la").is_empty());
        assert!(printed_files("cp .env .env.bak").is_empty());
        assert!(printed_files("echo 'cat .env'").is_empty());
        assert!(printed_files("git diff > cat").is_empty());
    }
}
