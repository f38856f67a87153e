//! git's own text in a commit message file, as `commit-msg` gets it: the
//! status comments git appends when it opens an editor, and the
//! `git commit -v` diff below git's cut notice. Everything else in the
//! file (comment lines and text below a lone scissors line included) may
//! end up in the commit, so it is the message. Pure functions, and the
//! comment setting read once from git.

use std::path::Path;

use anyhow::Result;

/// The cut line's text after the comment string and a space.
const CUT_LINE: &[u8] = b"------------------------ >8 ------------------------";

/// The start of the status comments' first line after the comment string
/// and a space (English only: in another locale the status comments are
/// scanned too, which can only block more).
const STATUS_HINT: &[u8] = b"Please enter the commit message for your changes";

/// The comment characters `core.commentChar=auto` chooses from, in git's
/// order (`builtin/commit.c`).
const AUTO_CANDIDATES: &[u8] = b"#;@!$%^&|:";

/// What starts a comment line in the message file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommentStyle {
    /// `core.commentChar` or `core.commentString` (`#` when unset).
    Fixed(Vec<u8>),
    /// `auto`: git chose a character the message did not start a line
    /// with; git's own text shows which.
    Auto,
}

impl CommentStyle {
    fn candidates(&self) -> Vec<&[u8]> {
        match self {
            CommentStyle::Fixed(string) => vec![string.as_slice()],
            CommentStyle::Auto => AUTO_CANDIDATES.chunks(1).collect(),
        }
    }
}

/// The comment style of the repository git runs in (the current
/// directory): the last `core.commentChar` or `core.commentString` in
/// git's configuration order wins, as in git.
///
/// # Errors
/// git cannot list its configuration.
pub fn comment_style(dir: &Path) -> Result<CommentStyle> {
    Ok(comment_style_in(&super::command::output(dir, &["config", "list", "-z"])?))
}

/// The comment style set in `git config list -z` output (`key\nvalue\0`).
pub fn comment_style_in(config: &[u8]) -> CommentStyle {
    let setting = config
        .split(|&b| b == 0)
        .filter_map(|entry| {
            let (key, value) = entry.split_at(memchr::memchr(b'\n', entry)?);
            let key = key.to_ascii_lowercase();
            (key == b"core.commentchar" || key == b"core.commentstring").then(|| value[1..].to_vec())
        })
        .rfind(|value| !value.is_empty());
    match setting {
        Some(value) if value.eq_ignore_ascii_case(b"auto") => CommentStyle::Auto,
        Some(value) => CommentStyle::Fixed(value),
        None => CommentStyle::Fixed(b"#".to_vec()),
    }
}

/// `message` with git's own text blanked, line for line (each line of
/// git's is emptied, its line break kept, so line numbers stay those of
/// the file):
///
/// - the status comments: from an empty line followed by the comment line
///   that starts "Please enter the commit message for your changes", the
///   comment lines that follow it without a break;
/// - the cut notice and what follows it, when it is git's: the cut line,
///   then exactly two comment lines of text, then only comment lines,
///   empty lines and at least one well-formed unified diff (headers,
///   hunks whose lengths match their header). Removed and context lines
///   are blanked; the added lines of the first diff (the staged content,
///   which pre-commit checked) stay, their `+` turned into a space, so a
///   tail forged with `git commit -m` cannot hide an added secret. Diffs
///   after a comment line that follows a diff (`-vv`'s unstaged changes)
///   are blanked whole.
///
/// A cut line not followed by such a tail is the user's text.
pub fn without_gits_text(message: &[u8], style: &CommentStyle) -> Vec<u8> {
    let lines: Vec<&[u8]> = message.split_inclusive(|&b| b == b'\n').collect();
    let mut kept: Vec<Line> = vec![Line::Kept; lines.len()];
    let candidates = style.candidates();
    let text = |index: usize| lines[index].strip_suffix(b"\n").unwrap_or(lines[index]);
    let mut tail_start = lines.len();
    let notice = (0..lines.len()).find_map(|start| {
        candidates
            .iter()
            .filter(|comment| is_cut_notice(&lines, start, comment, &text))
            .find_map(|comment| gits_tail(&lines[start + 3..], comment))
            .map(|tail| (start, tail))
    });
    if let Some((start, tail)) = notice {
        kept[start..start + 3].fill(Line::Blanked);
        kept[start + 3..].copy_from_slice(&tail);
        tail_start = start;
    }
    blank_status_comments(&lines[..tail_start], &candidates, &mut kept[..tail_start]);
    let mut out = Vec::with_capacity(message.len());
    for (line, kept) in lines.iter().zip(kept) {
        match kept {
            Line::Kept => out.extend_from_slice(line),
            Line::Added => {
                out.push(b' ');
                out.extend_from_slice(&line[1..]);
            }
            Line::Blanked => {
                if line.ends_with(b"\n") {
                    out.push(b'\n');
                }
            }
        }
    }
    out
}

/// What becomes of one line of the message file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    /// The user's: scanned as it is.
    Kept,
    /// An added line of the staged diff: scanned without its `+`.
    Added,
    /// git's: emptied.
    Blanked,
}

/// Whether `lines[start..]` begin with git's cut notice: the cut line and
/// two comment lines of text.
fn is_cut_notice<'a>(
    lines: &[&'a [u8]],
    start: usize,
    comment: &[u8],
    text: &impl Fn(usize) -> &'a [u8],
) -> bool {
    start + 2 < lines.len()
        && comment_text(text(start), comment) == Some(CUT_LINE)
        && (1..=2).all(|next| comment_text(text(start + next), comment).is_some_and(|t| !t.is_empty()))
}

/// The text of a comment line written by git (`COMMENT TEXT`), `None` for
/// any other line.
fn comment_text<'a>(line: &'a [u8], comment: &[u8]) -> Option<&'a [u8]> {
    line.strip_prefix(comment)?.strip_prefix(b" ")
}

/// How git's status comments in `lines` (the file above any cut notice)
/// are blanked.
fn blank_status_comments(lines: &[&[u8]], candidates: &[&[u8]], kept: &mut [Line]) {
    for start in 1..lines.len() {
        if lines[start - 1] != b"\n" {
            continue;
        }
        let Some(comment) = candidates
            .iter()
            .find(|comment| comment_text(lines[start], comment).is_some_and(|t| t.starts_with(STATUS_HINT)))
        else {
            continue;
        };
        let run = lines[start..].iter().take_while(|line| line.starts_with(comment)).count();
        kept[start..start + run].fill(Line::Blanked);
        return;
    }
}

/// Where a diff in git's tail is.
enum DiffState {
    /// Between diffs: comment and empty lines.
    Between,
    /// A file's header lines, before its first hunk.
    Header,
    /// In a hunk, with this many old-side and new-side lines to come.
    Hunk { old: usize, new: usize },
    /// After a hunk: another hunk, another file, or a comment.
    AfterHunk,
}

/// How each line of `lines` (what follows a cut notice) is kept, when
/// they are git's tail: comment and empty lines and at least one
/// well-formed diff; `None` otherwise.
fn gits_tail(lines: &[&[u8]], comment: &[u8]) -> Option<Vec<Line>> {
    let mut kept = Vec::with_capacity(lines.len());
    let mut state = DiffState::Between;
    let mut diffs = 0;
    // Added lines count only in the diffs before a comment follows one.
    let mut staged = true;
    for line in lines {
        let text = line.strip_suffix(b"\n").unwrap_or(line);
        let new_file = text.starts_with(b"diff --git ");
        state = match state {
            DiffState::Hunk { old, new } => {
                let (old, new, line_kind) = hunk_line(text, old, new, staged)?;
                kept.push(line_kind);
                if old == 0 && new == 0 { DiffState::AfterHunk } else { DiffState::Hunk { old, new } }
            }
            DiffState::Header | DiffState::AfterHunk if text.starts_with(b"@@ ") => {
                let (old, new) = hunk_lengths(text)?;
                kept.push(Line::Blanked);
                if old == 0 && new == 0 { DiffState::AfterHunk } else { DiffState::Hunk { old, new } }
            }
            DiffState::Header if !new_file && is_header_line(text) => {
                kept.push(Line::Blanked);
                DiffState::Header
            }
            _ if new_file => {
                diffs += 1;
                kept.push(Line::Blanked);
                DiffState::Header
            }
            state @ (DiffState::Between | DiffState::AfterHunk | DiffState::Header)
                if text.is_empty() || text.starts_with(comment) =>
            {
                if diffs > 0 {
                    staged = false;
                }
                kept.push(Line::Blanked);
                match state {
                    DiffState::Header => DiffState::Between,
                    other => other,
                }
            }
            _ => return None,
        };
    }
    let complete = matches!(state, DiffState::Between | DiffState::AfterHunk | DiffState::Header);
    (complete && diffs > 0).then_some(kept)
}

/// One line inside a hunk with `old` and `new` lines to come: the lines
/// left after it and how it is kept.
fn hunk_line(text: &[u8], old: usize, new: usize, staged: bool) -> Option<(usize, usize, Line)> {
    match text.first() {
        None | Some(b' ') => Some((old.checked_sub(1)?, new.checked_sub(1)?, Line::Blanked)),
        Some(b'-') => Some((old.checked_sub(1)?, new, Line::Blanked)),
        Some(b'+') => Some((old, new.checked_sub(1)?, if staged { Line::Added } else { Line::Blanked })),
        Some(b'\\') => Some((old, new, Line::Blanked)),
        Some(_) => None,
    }
}

/// The old and new lengths of a hunk header `@@ -a[,b] +c[,d] @@…`.
fn hunk_lengths(header: &[u8]) -> Option<(usize, usize)> {
    let header = std::str::from_utf8(header).ok()?;
    let mut parts = header.strip_prefix("@@ ")?.splitn(3, ' ');
    let length = |part: Option<&str>, sign: char| -> Option<usize> {
        let range = part?.strip_prefix(sign)?;
        match range.split_once(',') {
            Some((start, count)) => {
                start.parse::<usize>().ok()?;
                count.parse().ok()
            }
            None => range.parse::<usize>().ok().map(|_| 1),
        }
    };
    let old = length(parts.next(), '-')?;
    let new = length(parts.next(), '+')?;
    parts.next()?.starts_with("@@").then_some((old, new))
}

/// Whether `text` is one of the extended header lines git writes between
/// `diff --git` and the first hunk.
fn is_header_line(text: &[u8]) -> bool {
    const HEADERS: &[&[u8]] = &[
        b"index ",
        b"--- ",
        b"+++ ",
        b"old mode ",
        b"new mode ",
        b"deleted file mode ",
        b"new file mode ",
        b"copy from ",
        b"copy to ",
        b"rename from ",
        b"rename to ",
        b"similarity index ",
        b"dissimilarity index ",
        b"Binary files ",
    ];
    HEADERS.iter().any(|header| text.starts_with(header))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash() -> CommentStyle {
        CommentStyle::Fixed(b"#".to_vec())
    }

    const NOTICE: &str = "# ------------------------ >8 ------------------------\n\
                          # Do not modify or remove the line above.\n\
                          # Everything below it will be ignored.\n";

    const DIFF: &str = "diff --git a/f b/f\n\
                        index f7680ad..4c7442b 100644\n\
                        --- a/f\n\
                        +++ b/f\n\
                        @@ -1,3 +1,3 @@\n one\n-removed\n+added\n three\n";

    #[test]
    fn the_verbose_diff_is_blanked_but_its_added_lines() {
        let status = "# Please enter the commit message for your changes. Lines starting\n\
                      # with '#' will be ignored.\n#\n# On branch main\n";
        let message = format!("Subject\n\n{status}{NOTICE}{DIFF}");
        let kept = without_gits_text(message.as_bytes(), &hash());
        let expected = format!("Subject\n{} added\n\n", "\n".repeat(1 + 4 + 3 + 5 + 2));
        assert_eq!(String::from_utf8(kept).unwrap(), expected);
    }

    #[test]
    fn comment_lines_and_a_lone_cut_line_are_the_users() {
        let message =
            "Subject\n\n# a comment\n# ------------------------ >8 ------------------------\nbelow\n";
        assert_eq!(without_gits_text(message.as_bytes(), &hash()), message.as_bytes());
        // A cut notice followed by anything but git's tail is the user's.
        let forged = format!("Subject\n{NOTICE}not a diff\n");
        assert_eq!(without_gits_text(forged.as_bytes(), &hash()), forged.as_bytes());
        let no_diff = format!("Subject\n{NOTICE}# only comments\n");
        assert_eq!(without_gits_text(no_diff.as_bytes(), &hash()), no_diff.as_bytes());
        let short_hunk = format!("Subject\n{NOTICE}{}", DIFF.replace(" three\n", "text\n"));
        assert_eq!(without_gits_text(short_hunk.as_bytes(), &hash()), short_hunk.as_bytes());
        // A status hint not after an empty line is the user's too.
        let hint = "Subject\n# Please enter the commit message for your changes\n";
        assert_eq!(without_gits_text(hint.as_bytes(), &hash()), hint.as_bytes());
    }

    #[test]
    fn unstaged_diffs_of_vv_are_blanked_whole() {
        let message = format!("S\n{NOTICE}# Changes to be committed:\n{DIFF}# ---\n# Not staged:\n{DIFF}");
        let kept = String::from_utf8(without_gits_text(message.as_bytes(), &hash())).unwrap();
        assert_eq!(kept.matches(" added").count(), 1, "{kept:?}");
        assert_eq!(kept.lines().count(), message.lines().count());
    }

    #[test]
    fn the_comment_string_is_configured_or_chosen_by_auto() {
        let semicolon = format!("S\n\n{}", format!("{NOTICE}{DIFF}").replace("# ", "; "));
        let kept = without_gits_text(semicolon.as_bytes(), &CommentStyle::Auto);
        assert!(!String::from_utf8_lossy(&kept).contains("removed"));
        assert_eq!(without_gits_text(semicolon.as_bytes(), &hash()), semicolon.as_bytes());
        let custom = CommentStyle::Fixed(b"//".to_vec());
        let slashes = format!("S\n{}", format!("{NOTICE}{DIFF}").replace("# ", "// "));
        assert!(
            !String::from_utf8_lossy(&without_gits_text(slashes.as_bytes(), &custom)).contains("removed")
        );

        assert_eq!(comment_style_in(b"core.bare\nfalse\0"), hash());
        assert_eq!(
            comment_style_in(b"core.commentchar\n;\0core.commentString\n//\0"),
            CommentStyle::Fixed(b"//".to_vec())
        );
        assert_eq!(comment_style_in(b"core.commentstring\n//\0core.commentchar\nAUTO\0"), CommentStyle::Auto);
    }

    #[test]
    fn hunk_headers_are_parsed_strictly() {
        assert_eq!(hunk_lengths(b"@@ -1,3 +1,2 @@ fn x"), Some((3, 2)));
        assert_eq!(hunk_lengths(b"@@ -1 +1 @@"), Some((1, 1)));
        assert_eq!(hunk_lengths(b"@@ -0,0 +1,4 @@"), Some((0, 4)));
        assert_eq!(hunk_lengths(b"@@ -1,x +1 @@"), None);
        assert_eq!(hunk_lengths(b"@@ +1 -1 @@"), None);
    }
}
