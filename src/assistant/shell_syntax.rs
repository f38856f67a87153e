//! A small reading of POSIX shell syntax, enough to see what a command an
//! assistant wants to run would do: quotes, backslashes, `;`, `&&`, `||`,
//! `|`, `&`, subshells and groups, command substitution (`$(…)` and
//! backquotes, inside double quotes too), process substitution, variable
//! expansions, redirections and here-documents. It splits the text into
//! simple commands; it runs and expands nothing.

/// One word of a simple command, quotes removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The text; an expansion stays as written (`$HOME`, `$(…)`).
    pub text: String,
    /// The variables the word expands (`$NAME`, `${NAME…}`).
    pub variables: Vec<String>,
}

/// One simple command: assignments, program and arguments, redirections.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Command {
    /// `NAME=value` words before the program.
    pub assignments: Vec<String>,
    /// The program and its arguments.
    pub words: Vec<Word>,
    /// Files read through `<`.
    pub inputs: Vec<String>,
    /// Files written through `>`, `>>`, `>|`, `&>`.
    pub outputs: Vec<String>,
    /// The index (in the parsed list) of the command whose output this one
    /// reads through a pipe.
    pub piped_from: Option<usize>,
}

impl Command {
    /// The program's name without its directory, if there is a program.
    pub fn program(&self) -> Option<&str> {
        self.words.first().map(|w| w.text.rsplit('/').next().unwrap_or(&w.text))
    }

    /// The arguments after the program.
    pub fn args(&self) -> impl Iterator<Item = &str> {
        self.words.iter().skip(1).map(|w| w.text.as_str())
    }
}

/// Every simple command in `text`, nested ones (substitutions) before the
/// command they appear in.
pub fn parse(text: &str) -> Vec<Command> {
    let mut parser = Parser { chars: text.chars().collect(), pos: 0, heredocs: Vec::new() };
    let mut out = Vec::new();
    parser.list(None, &mut out);
    out
}

/// What kind of word the next one is, after a redirection operator.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pending {
    Word,
    Input,
    Output,
    HereDoc { strip_tabs: bool },
    HereString,
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    /// Here-document delimiters whose bodies start at the next newline.
    heredocs: Vec<(String, bool)>,
}

/// The command being assembled.
#[derive(Default)]
struct Building {
    command: Command,
    word: String,
    variables: Vec<String>,
    in_word: bool,
    pending: Option<Pending>,
}

impl Building {
    fn finish_word(&mut self) {
        if !self.in_word {
            return;
        }
        let text = std::mem::take(&mut self.word);
        let variables = std::mem::take(&mut self.variables);
        self.in_word = false;
        match self.pending.take().unwrap_or(Pending::Word) {
            Pending::Input => self.command.inputs.push(text),
            Pending::Output => self.command.outputs.push(text),
            Pending::HereString | Pending::HereDoc { .. } => {}
            Pending::Word if self.command.words.is_empty() && is_assignment(&text) => {
                self.command.assignments.push(text);
            }
            // `do cat .env`: the program follows the reserved word.
            Pending::Word if self.command.words.is_empty() && RESERVED.contains(&text.as_str()) => {}
            Pending::Word => self.command.words.push(Word { text, variables }),
        }
    }
}

/// Reserved words that can come before a command's program.
const RESERVED: &[&str] = &["if", "then", "else", "elif", "while", "until", "do", "done", "fi", "!"];

/// Whether `word` is `NAME=value`.
pub fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| is_name(name))
}

fn is_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    /// Parses commands into `out` until `until` (or the end).
    fn list(&mut self, until: Option<char>, out: &mut Vec<Command>) {
        let mut current = Building::default();
        let mut piped_from = None;
        let mut depth = 0usize;
        while let Some(c) = self.peek() {
            if Some(c) == until && depth == 0 {
                self.pos += 1;
                break;
            }
            match c {
                '\'' | '"' | '\\' => self.word_part(&mut current, out),
                '$' | '`' => {
                    current.in_word = true;
                    self.expansion(&mut current, out);
                }
                '#' if !current.in_word => {
                    while self.peek().is_some_and(|c| c != '\n') {
                        self.pos += 1;
                    }
                }
                '<' | '>' => self.redirection(&mut current, out),
                '&' if self.peek_at(1) == Some('>') => self.redirection(&mut current, out),
                '|' | ';' | '&' | '\n' | '(' | ')' => {
                    self.pos += 1;
                    let piped = c == '|' && self.peek() != Some('|');
                    if c == '|' || c == '&' || c == ';' {
                        // `||`, `&&`, `;;`, `|&`
                        if matches!(self.peek(), Some(n) if n == c || (c == '|' && n == '&')) {
                            self.pos += 1;
                        }
                    }
                    match c {
                        '(' if until == Some(')') => depth += 1,
                        ')' => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                    let index = finish(current, piped_from.take(), out);
                    current = Building::default();
                    if piped {
                        piped_from = index;
                    }
                    if c == '\n' {
                        self.here_documents();
                    }
                }
                '{' | '}' if !current.in_word && self.peek_at(1).is_none_or(char::is_whitespace) => {
                    self.pos += 1;
                    finish(std::mem::take(&mut current), piped_from.take(), out);
                }
                c if c.is_whitespace() => {
                    self.pos += 1;
                    current.finish_word();
                }
                c => {
                    self.pos += 1;
                    current.in_word = true;
                    current.word.push(c);
                }
            }
        }
        finish(current, piped_from, out);
    }

    /// A quoted part of a word, or an escaped character.
    fn word_part(&mut self, current: &mut Building, out: &mut Vec<Command>) {
        current.in_word = true;
        match self.next() {
            Some('\'') => {
                while let Some(q) = self.next() {
                    if q == '\'' {
                        break;
                    }
                    current.word.push(q);
                }
            }
            Some('"') => {
                while let Some(q) = self.peek() {
                    match q {
                        '"' => {
                            self.pos += 1;
                            break;
                        }
                        '\\' => {
                            self.pos += 1;
                            match self.next() {
                                Some(e @ ('$' | '`' | '"' | '\\')) => current.word.push(e),
                                Some('\n') | None => {}
                                Some(e) => {
                                    current.word.push('\\');
                                    current.word.push(e);
                                }
                            }
                        }
                        '$' | '`' => self.expansion(current, out),
                        q => {
                            self.pos += 1;
                            current.word.push(q);
                        }
                    }
                }
            }
            Some('\\') => match self.next() {
                Some('\n') | None => {}
                Some(e) => current.word.push(e),
            },
            _ => {}
        }
    }

    /// `$NAME`, `${…}`, `$(…)`, `$((…))`, `$'…'` or a backquoted command.
    fn expansion(&mut self, current: &mut Building, out: &mut Vec<Command>) {
        match self.next() {
            Some('`') => {
                self.list(Some('`'), out);
                current.word.push_str("$(…)");
            }
            Some('$') => match self.peek() {
                Some('(') => {
                    self.pos += 1;
                    self.list(Some(')'), out);
                    current.word.push_str("$(…)");
                }
                Some('{') => {
                    self.pos += 1;
                    let mut inner = String::new();
                    while let Some(c) = self.next() {
                        if c == '}' {
                            break;
                        }
                        inner.push(c);
                    }
                    let name: String = inner
                        .trim_start_matches(['!', '#'])
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    if is_name(&name) {
                        current.variables.push(name);
                    }
                    current.word.push_str("${");
                    current.word.push_str(&inner);
                    current.word.push('}');
                }
                Some('\'') => {
                    self.pos += 1;
                    while let Some(c) = self.next() {
                        match c {
                            '\'' => break,
                            '\\' => current.word.extend(self.next()),
                            c => current.word.push(c),
                        }
                    }
                }
                Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                    let mut name = String::new();
                    while let Some(c) = self.peek().filter(|c| c.is_ascii_alphanumeric() || *c == '_') {
                        self.pos += 1;
                        name.push(c);
                    }
                    current.word.push('$');
                    current.word.push_str(&name);
                    current.variables.push(name);
                }
                _ => current.word.push('$'),
            },
            _ => {}
        }
    }

    /// `<`, `>`, `>>`, `>|`, `&>`, `<<`, `<<-`, `<<<`, `<>`, `>&`, `<&`,
    /// and process substitution `<(…)`, `>(…)`.
    fn redirection(&mut self, current: &mut Building, out: &mut Vec<Command>) {
        // A word of digits just before is a file descriptor.
        if current.in_word && current.word.bytes().all(|b| b.is_ascii_digit()) {
            current.word.clear();
            current.variables.clear();
            current.in_word = false;
        }
        current.finish_word();
        let mut op = String::new();
        while let Some(c) = self.peek().filter(|c| matches!(c, '<' | '>' | '&' | '|' | '-')) {
            // `-` only in `<<-`; `|` only in `>|`; `&` after the first.
            let fits = match c {
                '-' => op == "<<",
                '|' => op == ">",
                '&' => !op.is_empty() || self.peek_at(1) == Some('>'),
                _ => true,
            };
            if !fits || op.len() == 3 {
                break;
            }
            op.push(c);
            self.pos += 1;
        }
        if self.peek() == Some('(') && (op == "<" || op == ">") {
            self.pos += 1;
            self.list(Some(')'), out);
            return;
        }
        current.pending = Some(match op.as_str() {
            "<<<" => Pending::HereString,
            "<<" | "<<-" => Pending::HereDoc { strip_tabs: op == "<<-" },
            "<&" | ">&" => Pending::HereString, // a descriptor, not a file
            o if o.starts_with('<') && !o.contains('>') => Pending::Input,
            _ => Pending::Output,
        });
        if let Some(Pending::HereDoc { strip_tabs }) = current.pending {
            while self.peek().is_some_and(|c| c == ' ' || c == '\t') {
                self.pos += 1;
            }
            let mut delimiter = String::new();
            while let Some(c) = self.peek().filter(|c| !c.is_whitespace() && !matches!(c, ';' | '|' | '&')) {
                self.pos += 1;
                if !matches!(c, '\'' | '"' | '\\') {
                    delimiter.push(c);
                }
            }
            self.heredocs.push((delimiter, strip_tabs));
            current.pending = None;
        }
    }

    /// Skips the bodies of the here-documents opened on the line just ended.
    fn here_documents(&mut self) {
        for (delimiter, strip_tabs) in std::mem::take(&mut self.heredocs) {
            loop {
                let start = self.pos;
                while self.peek().is_some_and(|c| c != '\n') {
                    self.pos += 1;
                }
                let line: String = self.chars[start..self.pos].iter().collect();
                if self.peek().is_some() {
                    self.pos += 1;
                }
                let line = if strip_tabs { line.trim_start_matches('\t') } else { line.as_str() };
                if line == delimiter || self.peek().is_none() {
                    break;
                }
            }
        }
    }
}

/// Ends `current`; returns its index in `out` when it was a command.
fn finish(mut current: Building, piped_from: Option<usize>, out: &mut Vec<Command>) -> Option<usize> {
    current.finish_word();
    let command = current.command;
    if command.words.is_empty() && command.inputs.is_empty() && command.assignments.is_empty() {
        return None;
    }
    out.push(Command { piped_from, ..command });
    Some(out.len() - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(command: &Command) -> Vec<&str> {
        command.words.iter().map(|w| w.text.as_str()).collect()
    }

    #[test]
    fn lists_pipes_and_redirections() {
        let parsed = parse("cd app && head -n 5 id_rsa | wc -l; LC_ALL=C sort < .env > out.txt 2>&1");
        assert_eq!(parsed.len(), 4);
        assert_eq!(words(&parsed[1]), ["head", "-n", "5", "id_rsa"]);
        assert_eq!(parsed[2].piped_from, Some(1));
        assert_eq!(parsed[3].assignments, ["LC_ALL=C"]);
        assert_eq!(parsed[3].inputs, [".env"]);
        assert_eq!(parsed[3].outputs, ["out.txt"]);
    }

    #[test]
    fn substitutions_are_commands_of_their_own() {
        let parsed = parse(r#"echo "$(<.env)" `cat key.pem` <(cat id_rsa)"#);
        assert_eq!(parsed[0].inputs, [".env"]);
        assert_eq!(words(&parsed[1]), ["cat", "key.pem"]);
        assert_eq!(words(&parsed[2]), ["cat", "id_rsa"]);
        assert_eq!(words(&parsed[3]), ["echo", "$(…)", "$(…)"]);
        let parsed = parse(r#"git commit -m "$(cat msg)" --no-verify"#);
        assert_eq!(words(&parsed[1]), ["git", "commit", "-m", "$(…)", "--no-verify"]);
    }

    #[test]
    fn loops_groups_and_escapes() {
        let parsed = parse("while read l; do echo $l; done < .env");
        assert_eq!(parsed.last().unwrap().inputs, [".env"]);
        assert_eq!(words(&parsed[1]), ["echo", "$l"]);
        assert_eq!(parsed[1].words[1].variables, ["l"]);
        let parsed = parse(r"find . -name .env -exec cat {} \; ; { cat a; }");
        assert_eq!(words(&parsed[0]), ["find", ".", "-name", ".env", "-exec", "cat", "{}", ";"]);
        assert_eq!(words(&parsed[1]), ["cat", "a"]);
        let parsed = parse(r#"echo "${GITHUB_TOKEN:-x}" '$NOT' "$API_KEY""#);
        let vars: Vec<&str> =
            parsed[0].words.iter().flat_map(|w| w.variables.iter().map(String::as_str)).collect();
        assert_eq!(vars, ["GITHUB_TOKEN", "API_KEY"]);
    }

    #[test]
    fn here_documents_are_not_commands() {
        let parsed = parse("cat > notes.txt <<'EOF'\nrm .git/hooks/pre-commit\nEOF\nls");
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0].outputs, ["notes.txt"]);
        assert_eq!(words(&parsed[1]), ["ls"]);
        let parsed = parse("grep x <<< \"$word\" # cat .env");
        assert_eq!(parsed.len(), 1);
        assert!(parsed[0].inputs.is_empty());
    }
}
