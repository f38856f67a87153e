//! Every parser of git's own output, as pure functions over bytes: raw
//! diff records (`git diff --raw`, `git log --raw`), patch lines (`index`
//! and hunk headers), commit records of guard's `git log` format, and
//! `git cat-file --batch` headers. Malformed input is an error that quotes
//! at most a short prefix of it.

use std::ops::RangeInclusive;

use anyhow::{Context, Result, bail};

use super::oid::{MaybeZeroOid, Oid};

/// The metadata of one raw diff record, `:old-mode new-mode old-oid
/// new-oid status` (the paths follow as separate fields with `-z`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRecord {
    /// The new side's mode, such as `100644`; `000000` for a deletion.
    pub new_mode: [u8; 6],
    /// The old side's object; zero for an addition.
    pub old_oid: MaybeZeroOid,
    /// The new side's object; zero for a deletion or an unmerged path.
    pub new_oid: MaybeZeroOid,
    /// The status letter: `A`, `M`, `D`, `R`, `C`, `T`, `U`, `X`.
    pub status: u8,
}

impl RawRecord {
    /// Whether the status is a rename or copy, which two paths follow.
    pub fn has_two_paths(&self) -> bool {
        matches!(self.status, b'R' | b'C')
    }

    /// The new blob, when the new side is a regular file or a symbolic link
    /// (not a deletion, an unmerged path or a submodule, which is another
    /// repository).
    pub fn new_blob(&self) -> Option<Oid> {
        let blob_mode = matches!(&self.new_mode, b"100644" | b"100755" | b"120000");
        match self.new_oid {
            MaybeZeroOid::Oid(oid) if blob_mode && !matches!(self.status, b'D' | b'U') => Some(oid),
            _ => None,
        }
    }
}

/// Parses a raw record's metadata (with or without its leading `:`).
///
/// # Errors
/// Not five fields, a mode that is not six octal digits, a bad object id or
/// an empty status.
pub fn raw_record(meta: &[u8]) -> Result<RawRecord> {
    let meta = meta.strip_prefix(b":").unwrap_or(meta);
    let fields: Vec<&[u8]> = meta.split(|&b| b == b' ').collect();
    let [_, new_mode, old_oid, new_oid, status] = fields[..] else {
        bail!("git wrote an unexpected diff record {}", quote(meta));
    };
    let new_mode: [u8; 6] = new_mode
        .try_into()
        .ok()
        .filter(|m: &[u8; 6]| m.iter().all(|b| (b'0'..=b'7').contains(b)))
        .with_context(|| format!("git wrote a diff record with a bad mode {}", quote(meta)))?;
    let bad_oid = || format!("git wrote a diff record with a bad object id {}", quote(meta));
    let old_oid = MaybeZeroOid::from_hex(old_oid).with_context(bad_oid)?;
    let new_oid = MaybeZeroOid::from_hex(new_oid).with_context(bad_oid)?;
    let Some(&status) = status.first().filter(|s| s.is_ascii_uppercase()) else {
        bail!("git wrote a diff record without a status {}", quote(meta));
    };
    Ok(RawRecord { new_mode, old_oid, new_oid, status })
}

/// The old blob of a patch's `index OLD..NEW[ MODE]` line (after
/// `index `); `None` for a new file (all zeros).
pub fn index_line_old_oid(ids: &[u8]) -> Option<Oid> {
    let range = ids.split(|&b| b == b' ').next()?;
    let dots = memchr::memmem::find(range, b"..")?;
    Oid::from_hex(&range[..dots]).ok().filter(|oid| !oid.is_zero())
}

/// The new blob of a patch's `index OLD..NEW[ MODE]` line (after `index `).
pub fn index_line_new_oid(ids: &[u8]) -> Option<Oid> {
    let range = ids.split(|&b| b == b' ').next()?;
    let dots = memchr::memmem::find(range, b"..")?;
    Oid::from_hex(&range[dots + 2..]).ok()
}

/// The new-side lines of a hunk header `-a[,b] +c[,d] @@…` (after `@@ `):
/// `Some(None)` when the hunk adds no line.
///
/// # Errors
/// A header without a valid `+c[,d]` part.
pub fn hunk_new_lines(header: &[u8]) -> Result<Option<RangeInclusive<usize>>> {
    let parse = || -> Option<Option<RangeInclusive<usize>>> {
        let new = header.split(|&b| b == b' ').find(|part| part.starts_with(b"+"))?;
        let new = std::str::from_utf8(&new[1..]).ok()?;
        let (start, count) = match new.split_once(',') {
            Some((start, count)) => (start.parse::<usize>().ok()?, count.parse::<usize>().ok()?),
            None => (new.parse::<usize>().ok()?, 1),
        };
        if count == 0 {
            return Some(None);
        }
        Some(Some(start..=start.checked_add(count - 1)?))
    };
    parse().with_context(|| format!("git diff wrote a malformed hunk header {}", quote(header)))
}

/// A commit record of guard's log format, `OID PARENT…\nMESSAGE` (after
/// the `C ` that starts it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitRecord {
    /// The commit.
    pub oid: Oid,
    /// Its parents, in order.
    pub parents: Vec<Oid>,
    /// Its message, without the line break git adds at the end.
    pub message: Vec<u8>,
}

/// Parses a commit record.
///
/// # Errors
/// A missing or malformed commit or parent id.
pub fn commit_record(record: &[u8]) -> Result<CommitRecord> {
    let split = memchr::memchr(b'\n', record).unwrap_or(record.len());
    let mut ids = record[..split].split(|&b| b == b' ').filter(|id| !id.is_empty());
    let oid = Oid::from_hex(ids.next().unwrap_or_default())
        .with_context(|| format!("git log wrote a malformed commit line {}", quote(&record[..split])))?;
    let parents = ids
        .map(Oid::from_hex)
        .collect::<Result<Vec<_>>>()
        .with_context(|| format!("git log wrote a malformed parent id in {}", quote(&record[..split])))?;
    let mut message = record.get(split + 1..).unwrap_or_default().to_vec();
    if message.last() == Some(&b'\n') {
        message.pop();
    }
    Ok(CommitRecord { oid, parents, message })
}

/// The four kinds of git object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    /// File content.
    Blob,
    /// A directory listing.
    Tree,
    /// A commit.
    Commit,
    /// An annotated tag.
    Tag,
}

/// What a `git cat-file --batch` header announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchHeader {
    /// `OID TYPE SIZE`: that many bytes and a line break follow.
    Object {
        /// The object.
        oid: Oid,
        /// Its kind.
        kind: ObjectKind,
        /// Its size in bytes.
        size: u64,
    },
    /// `OID missing`: the repository does not have it.
    Missing(Oid),
}

/// Parses a `git cat-file --batch` header line (its line break removed).
///
/// # Errors
/// Anything but the two forms above.
pub fn batch_header(line: &[u8]) -> Result<BatchHeader> {
    let fields: Vec<&[u8]> = line.split(|&b| b == b' ').collect();
    let bad = || format!("git cat-file answered {}", quote(line));
    match fields[..] {
        [oid, b"missing"] => Ok(BatchHeader::Missing(Oid::from_hex(oid).with_context(bad)?)),
        [oid, kind, size] => {
            let kind = match kind {
                b"blob" => ObjectKind::Blob,
                b"tree" => ObjectKind::Tree,
                b"commit" => ObjectKind::Commit,
                b"tag" => ObjectKind::Tag,
                _ => bail!(bad()),
            };
            let oid = Oid::from_hex(oid).with_context(bad)?;
            let size =
                std::str::from_utf8(size).ok().and_then(|s| s.parse::<u64>().ok()).with_context(bad)?;
            Ok(BatchHeader::Object { oid, kind, size })
        }
        _ => bail!(bad()),
    }
}

/// The mode of a subtree in a tree object.
pub const TREE_MODE: u32 = 0o040000;

/// The entries of a tree object's `content` whose ids are `hash_len`
/// bytes: mode, name and object of each.
///
/// # Errors
/// A malformed entry.
pub fn tree_entries(content: &[u8], hash_len: usize) -> Result<Vec<(u32, &[u8], Oid)>> {
    let mut entries = Vec::new();
    let mut rest = content;
    while !rest.is_empty() {
        let bad = || anyhow::anyhow!("a malformed tree entry {}", quote(&rest[..rest.len().min(64)]));
        let space = memchr::memchr(b' ', rest).ok_or_else(bad)?;
        let nul = memchr::memchr(0, rest).filter(|&nul| nul > space).ok_or_else(bad)?;
        let mode = std::str::from_utf8(&rest[..space]).ok().and_then(|m| u32::from_str_radix(m, 8).ok());
        let id = rest.get(nul + 1..nul + 1 + hash_len).ok_or_else(bad)?;
        entries.push((mode.ok_or_else(bad)?, &rest[space + 1..nul], Oid::from_bytes(id)?));
        rest = &rest[nul + 1 + hash_len..];
    }
    Ok(entries)
}

/// What guard reads of a commit object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitObject {
    /// Its tree.
    pub tree: Oid,
    /// Its parents, in order.
    pub parents: Vec<Oid>,
    /// The author's name, email and time (Unix seconds).
    pub author: (String, String, i64),
    /// The message.
    pub message: Vec<u8>,
}

/// Parses a commit object's content.
///
/// # Errors
/// A missing or malformed tree or parent line.
pub fn commit_object(content: &[u8]) -> Result<CommitObject> {
    let (headers, message) = split_headers(content);
    let mut tree = None;
    let mut parents = Vec::new();
    let mut author = (String::new(), String::new(), 0);
    for line in headers.split(|&b| b == b'\n') {
        if let Some(id) = line.strip_prefix(b"tree ") {
            tree = Some(Oid::from_hex(id).context("a commit with a malformed tree line")?);
        } else if let Some(id) = line.strip_prefix(b"parent ") {
            parents.push(Oid::from_hex(id).context("a commit with a malformed parent line")?);
        } else if let Some(who) = line.strip_prefix(b"author ") {
            author = signature(who);
        }
    }
    Ok(CommitObject {
        tree: tree.context("a commit without a tree")?,
        parents,
        author,
        message: message.to_vec(),
    })
}

/// What guard reads of an annotated tag object: what it points at, and
/// its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagObject {
    /// The object tagged.
    pub object: Oid,
    /// The message.
    pub message: Vec<u8>,
}

/// Parses a tag object's content.
///
/// # Errors
/// A missing or malformed object line.
pub fn tag_object(content: &[u8]) -> Result<TagObject> {
    let (headers, message) = split_headers(content);
    let object = headers
        .split(|&b| b == b'\n')
        .find_map(|line| line.strip_prefix(b"object "))
        .context("a tag without an object line")?;
    Ok(TagObject {
        object: Oid::from_hex(object).context("a tag with a malformed object line")?,
        message: message.to_vec(),
    })
}

/// A commit's or tag's header lines and its message (after the first
/// empty line).
fn split_headers(content: &[u8]) -> (&[u8], &[u8]) {
    match memchr::memmem::find(content, b"\n\n") {
        Some(at) => (&content[..at], &content[at + 2..]),
        None => (content, &[]),
    }
}

/// `NAME <EMAIL> SECONDS ZONE` as name, email and seconds.
fn signature(text: &[u8]) -> (String, String, i64) {
    let open = memchr::memchr(b'<', text);
    let close = memchr::memrchr(b'>', text);
    let (Some(open), Some(close)) = (open, close) else {
        return (String::from_utf8_lossy(text).into_owned(), String::new(), 0);
    };
    let name = String::from_utf8_lossy(text[..open].trim_ascii()).into_owned();
    let email = String::from_utf8_lossy(&text[open + 1..close.max(open + 1)]).into_owned();
    let seconds = std::str::from_utf8(&text[close.max(open) + 1..])
        .ok()
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (name, email, seconds)
}

/// One line of pre-push's standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushLine {
    /// The local ref pushed (`refs/heads/main`), or `(delete)`.
    pub local_ref: String,
    /// What it points at; zero for a deletion.
    pub local: MaybeZeroOid,
    /// The remote ref updated.
    pub remote_ref: String,
    /// Its value on the remote; zero if the remote does not have it.
    pub remote: MaybeZeroOid,
}

/// Parses every non-empty line of pre-push's standard input
/// (`local-ref local-oid remote-ref remote-oid`).
///
/// # Errors
/// A line that is not four fields with valid ids.
pub fn push_lines(input: &str) -> Result<Vec<PushLine>> {
    input
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            // Never echoed: a line may be anything, a secret included.
            let bad = || {
                format!(
                    "pre-push input line {} ({} bytes) is not `local-ref local-oid remote-ref remote-oid` \
                     as git writes it",
                    index + 1,
                    line.len()
                )
            };
            let fields: Vec<&str> = line.split_whitespace().collect();
            let [local_ref, local, remote_ref, remote] = fields[..] else { bail!(bad()) };
            Ok(PushLine {
                local_ref: local_ref.to_string(),
                local: MaybeZeroOid::from_hex(local.as_bytes()).with_context(bad)?,
                remote_ref: remote_ref.to_string(),
                remote: MaybeZeroOid::from_hex(remote.as_bytes()).with_context(bad)?,
            })
        })
        .collect()
}

/// At most 80 bytes of `bytes`, quoted, for an error message.
fn quote(bytes: &[u8]) -> String {
    const SHOWN: usize = 80;
    let shown = String::from_utf8_lossy(&bytes[..bytes.len().min(SHOWN)]);
    if bytes.len() > SHOWN { format!("{shown:?}… ({} bytes)", bytes.len()) } else { format!("{shown:?}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oid(digit: char) -> String {
        digit.to_string().repeat(40)
    }

    #[test]
    fn raw_records_of_every_status() {
        let (a, b, zero) = (oid('a'), oid('b'), oid('0'));
        let added = raw_record(format!(":000000 100644 {zero} {a} A").as_bytes()).unwrap();
        assert_eq!(added.new_blob(), Some(Oid::from_hex(a.as_bytes()).unwrap()));
        assert!(!added.has_two_paths());
        let renamed = raw_record(format!("100644 100644 {a} {b} R100").as_bytes()).unwrap();
        assert!(renamed.has_two_paths());
        assert_eq!(renamed.status, b'R');
        let deleted = raw_record(format!(":100644 000000 {a} {zero} D").as_bytes()).unwrap();
        assert_eq!(deleted.new_blob(), None);
        let unmerged = raw_record(format!(":000000 100644 {zero} {zero} U").as_bytes()).unwrap();
        assert_eq!(unmerged.new_blob(), None);
        let submodule = raw_record(format!(":160000 160000 {a} {b} M").as_bytes()).unwrap();
        assert_eq!(submodule.new_blob(), None);
        let link = raw_record(format!(":100644 120000 {a} {b} T").as_bytes()).unwrap();
        assert!(link.new_blob().is_some());
        let sha256 = raw_record(format!(":100644 100755 {} {} M", "c".repeat(64), "d".repeat(64)).as_bytes());
        assert!(sha256.unwrap().new_blob().is_some());
    }

    #[test]
    fn malformed_raw_records_are_errors() {
        let a = oid('a');
        for bad in [
            String::new(),
            ":100644 100644".to_string(),
            format!(":100644 10064x {a} {a} M"),
            format!(":100644 100644 {a} {} M", "z".repeat(40)),
            format!(":100644 100644 {a} {a} "),
            format!(":100644 100644 {a} {a} M extra"),
        ] {
            assert!(raw_record(bad.as_bytes()).is_err(), "{bad:?}");
        }
        let long = format!(":{}", "x".repeat(10_000));
        let message = format!("{:#}", raw_record(long.as_bytes()).unwrap_err());
        assert!(message.len() < 300, "{message}");
    }

    #[test]
    fn hunk_headers() {
        assert_eq!(hunk_new_lines(b"-1 +1 @@").unwrap(), Some(1..=1));
        assert_eq!(hunk_new_lines(b"-3,2 +4,3 @@ fn main()").unwrap(), Some(4..=6));
        assert_eq!(hunk_new_lines(b"-3,2 +2,0 @@").unwrap(), None);
        assert_eq!(hunk_new_lines(b"-0,0 +1,5 @@").unwrap(), Some(1..=5));
        for bad in [&b""[..], b"-1 @@", b"-1 +x @@", b"-1 +1,y @@", b"-1 +18446744073709551615,9 @@"] {
            assert!(hunk_new_lines(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn index_lines() {
        let (a, b) = (oid('a'), oid('b'));
        let line = format!("{a}..{b} 100644");
        assert_eq!(index_line_new_oid(line.as_bytes()), Some(Oid::from_hex(b.as_bytes()).unwrap()));
        assert_eq!(index_line_new_oid(format!("{a}..{b}").as_bytes()).map(|o| o.to_string()), Some(b));
        assert_eq!(index_line_new_oid(b"abc..def"), None);
        assert_eq!(index_line_new_oid(b"no dots"), None);
        assert_eq!(index_line_old_oid(line.as_bytes()).map(|o| o.to_string()), Some(a));
        assert_eq!(index_line_old_oid(format!("{}..{}", "0".repeat(40), oid('b')).as_bytes()), None);
    }

    #[test]
    fn commit_records() {
        let (a, b, c) = (oid('a'), oid('b'), oid('c'));
        let record = commit_record(format!("{a} {b} {c}\nSubject\n\nBody\n").as_bytes()).unwrap();
        assert_eq!(record.oid.to_string(), a);
        assert_eq!(record.parents.len(), 2);
        assert_eq!(record.message, b"Subject\n\nBody");
        let root = commit_record(format!("{a} \nroot").as_bytes()).unwrap();
        assert!(root.parents.is_empty());
        assert_eq!(root.message, b"root");
        assert_eq!(commit_record(a.as_bytes()).unwrap().message, b"");
        for bad in [String::new(), "xyz\nmessage".to_string(), format!("{a} nothex\n")] {
            assert!(commit_record(bad.as_bytes()).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn push_lines_of_both_id_lengths() {
        let sha1 = "a".repeat(40);
        let input = format!(
            "refs/heads/main {sha1} refs/heads/main {}\n(delete) {} refs/heads/old {sha1}\n\n",
            "0".repeat(40),
            "0".repeat(64)
        );
        let lines = push_lines(&input).unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].remote, MaybeZeroOid::Zero);
        assert_eq!(lines[1].local, MaybeZeroOid::Zero);
        assert!(matches!(lines[0].local, MaybeZeroOid::Oid(_)));
        assert!(push_lines("refs/heads/main abc refs/heads/main def\n").is_err());
        assert!(push_lines("only three fields\n").is_err());
        let secret_like = format!("\n{} {} x y\n", "tokentokentoken".repeat(4), "a".repeat(40));
        let err = format!("{:#}", push_lines(&secret_like).unwrap_err());
        assert!(err.starts_with("pre-push input line 2 (105 bytes) is not"), "{err}");
        assert!(!err.contains("tokentoken"), "never echoed: {err}");
    }

    #[test]
    fn tree_commit_and_tag_objects() {
        let (blob, tree) = ([0x11u8; 32], [0x22u8; 32]);
        let mut content = b"100644 a file.txt\0".to_vec();
        content.extend_from_slice(&blob);
        content.extend_from_slice(b"40000 dir\0");
        content.extend_from_slice(&tree);
        let entries = tree_entries(&content, 32).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!((entries[0].0, entries[0].1), (0o100644, &b"a file.txt"[..]));
        assert_eq!((entries[1].0, entries[1].2), (TREE_MODE, Oid::from_bytes(&tree).unwrap()));
        assert!(tree_entries(&content[..content.len() - 1], 32).is_err(), "a cut id");
        assert!(tree_entries(b"100644 name-without-nul", 20).is_err());

        let (t, p) = (oid('b'), oid('c'));
        let commit = format!(
            "tree {t}\nparent {p}\nauthor Ada Lovelace <ada@example.org> 1700000000 +0100\n\
             committer C <c@e> 1 +0000\ngpgsig -----BEGIN\n continued\n\nsubject\n\nbody\n"
        );
        let parsed = commit_object(commit.as_bytes()).unwrap();
        assert_eq!(parsed.tree.to_string(), t);
        assert_eq!(parsed.parents.iter().map(ToString::to_string).collect::<Vec<_>>(), [p]);
        assert_eq!(parsed.author, ("Ada Lovelace".into(), "ada@example.org".into(), 1_700_000_000));
        assert_eq!(parsed.message, b"subject\n\nbody\n");
        assert!(commit_object(b"author x\n\nno tree").is_err());

        let tag = format!("object {t}\ntype commit\ntag v1\ntagger T <t@e> 1 +0000\n\nrelease notes\n");
        let parsed = tag_object(tag.as_bytes()).unwrap();
        assert_eq!((parsed.object.to_string(), parsed.message), (t, b"release notes\n".to_vec()));
    }

    #[test]
    fn batch_headers() {
        let a = oid('a');
        let parsed = batch_header(format!("{a} blob 12").as_bytes()).unwrap();
        assert_eq!(
            parsed,
            BatchHeader::Object {
                oid: Oid::from_hex(a.as_bytes()).unwrap(),
                kind: ObjectKind::Blob,
                size: 12
            }
        );
        assert!(matches!(
            batch_header(format!("{a} tree 0").as_bytes()).unwrap(),
            BatchHeader::Object { kind: ObjectKind::Tree, .. }
        ));
        assert!(matches!(batch_header(format!("{a} missing").as_bytes()).unwrap(), BatchHeader::Missing(_)));
        for bad in [
            String::new(),
            format!("{a} blob"),
            format!("{a} blob -1"),
            format!("{a} blob 12 extra"),
            format!("{a} widget 12"),
            "short blob 12".to_string(),
            format!("{a} ambiguous"),
        ] {
            assert!(batch_header(bad.as_bytes()).is_err(), "{bad:?}");
        }
    }
}
