//! Values that stand where a secret would, but are not one: placeholders
//! (`changeme`, `<your-key>`, `xxxx`), references to a secret kept elsewhere
//! (`${VAR}`, `os.environ[...]`, `process.env.X`, `vault:...`) and documented
//! example keys. The scanner drops a candidate whose secret is one of these.

/// Whole values (compared without case) that are placeholders.
const WORDS: &[&str] = &[
    "admin",
    "changeit",
    "changeme",
    "change_me",
    "change-me",
    "default",
    "disabled",
    "dummy",
    "empty",
    "enabled",
    "example",
    "false",
    "fake",
    "fixme",
    "hidden",
    "foobar",
    "insert",
    "masked",
    "mypassword",
    "mysecret",
    "none",
    "notasecret",
    "null",
    "nil",
    "optional",
    "passw0rd",
    "p4ssw0rd",
    "p@ssw0rd",
    "p@ssword",
    "pass",
    "pa55word",
    "password",
    "placeholder",
    "prompt",
    "redacted",
    "required",
    "replaceme",
    "replace_me",
    "sample",
    "secret",
    "sensitive",
    "string",
    "test",
    "testing",
    "todo",
    "token",
    "true",
    "undefined",
    "unknown",
    "unused",
    "value",
    "yourpassword",
    "yoursecret",
    "yourtoken",
    // "Password" in other languages: i18n labels, not secrets.
    "passwort",
    "kennwort",
    "contraseña",
    "contrasena",
    "senha",
    "parola",
    "wachtwoord",
    "hasło",
    "haslo",
    "lösenord",
    "losenord",
    "salasana",
    "adgangskode",
    "passord",
    "heslo",
    "jelszó",
    "jelszo",
    "parolă",
    "şifre",
    "sifre",
    "пароль",
    "Пароль",
    "密码",
    "密碼",
    "パスワード",
    "비밀번호",
    "mật khẩu",
];

/// Substrings (compared without case) that mark a placeholder or reference
/// (`${`, `{{` and `#{` are interpolation, anywhere in a value). None is
/// short enough to turn up by chance in a long random key.
const MARKERS: &[&str] = &[
    "****",
    "...",
    "<your",
    "your_",
    "your-",
    "yourkey",
    "example",
    "placeholder",
    "changeme",
    "change_me",
    "replace_me",
    "replaceme",
    "insert_",
    "redacted",
    "os.environ",
    "process.env",
    "getenv",
    "env(",
    "env[",
    "environ",
    "secretref",
    "secretkeyref",
    "valuefrom",
    "vault:",
    "vault(",
    "enc[",
    "!vault",
    "lookup(",
    "ssm:",
    "secretsmanager",
    "keyvault",
    "${",
    "{{",
    "}}",
    "#{",
];

/// Prefixes (compared without case) of code that reads a value from an
/// object rather than holding one (`self.password`, `config.db.token`).
const PREFIXES: &[&str] =
    &["self.", "this.", "config.", "settings.", "params.", "args.", "options.", "opts.", "cfg."];

/// Whether `secret` is a placeholder or a reference rather than a secret.
pub fn is_placeholder(secret: &[u8]) -> bool {
    let trimmed = secret.trim_ascii();
    if trimmed.is_empty() {
        return true;
    }
    if is_reference_syntax(trimmed) || is_one_repeated_byte(trimmed) || is_regex(trimmed) {
        return true;
    }
    // A run of x is masking (`sk_live_xxxxx`); five of one case, because a
    // 1,700-character key holds a mixed-case "xXxX" one time in 600.
    if [b"xxxxx", b"XXXXX"].iter().any(|run| memchr::memmem::find(trimmed, *run).is_some()) {
        return true;
    }
    // Escaped bytes (`\xa1\x15...`) are binary data written as a string.
    if trimmed.len() >= 8 && trimmed.starts_with(b"\\x") && trimmed[4..].starts_with(b"\\x") {
        return true;
    }
    if is_credential_name(trimmed) {
        return true;
    }
    let lower = trimmed.to_ascii_lowercase();
    WORDS.iter().any(|w| lower == w.as_bytes())
        || MARKERS.iter().any(|m| memchr::memmem::find(&lower, m.as_bytes()).is_some())
        || PREFIXES.iter().any(|p| lower.starts_with(p.as_bytes()))
        || lower.ends_with(b"_here")
        || lower.ends_with(b"-here")
}

/// Whether `matched` (a rule's whole match) holds a URL with credentials whose host is
/// reserved for documentation (RFC 2606 and 6761: `example.com`, `.test`,
/// `.invalid`, `.example`): credentials for such a host are an example.
pub fn names_documentation_host(matched: &[u8]) -> bool {
    memchr::memmem::find_iter(matched, b"://").any(|scheme_end| {
        let rest = &matched[scheme_end + 3..];
        let authority_end = rest
            .iter()
            .position(|b| matches!(b, b'/' | b'?' | b'#' | b'"' | b'\'' | b' ' | b'\t' | b'<' | b'>'))
            .unwrap_or(rest.len());
        let authority = &rest[..authority_end];
        let Some(at) = memchr::memrchr(b'@', authority) else { return false };
        let host = &authority[at + 1..];
        let end = host
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')))
            .unwrap_or(host.len());
        let host = host[..end].to_ascii_lowercase();
        [&b"example.com"[..], b"example.org", b"example.net"]
            .iter()
            .any(|d| host == *d || (host.ends_with(d) && host[host.len() - d.len() - 1] == b'.'))
            || [&b".test"[..], b".invalid", b".example"].iter().any(|tld| host.ends_with(tld))
    })
}

/// A snake_case name of a credential (`app_password`, `api_token`): the
/// value names a variable or a setting rather than holding one. Words are
/// short; a token's random part (`sk_sbox_<27 letters>`) is not.
fn is_credential_name(value: &[u8]) -> bool {
    value.contains(&b'_')
        && value.iter().all(|&b| b.is_ascii_lowercase() || b == b'_')
        && value.split(|&b| b == b'_').all(|word| (1..=12).contains(&word.len()))
        && [&b"pass"[..], b"secret", b"token", b"key", b"credential"]
            .iter()
            .any(|word| memchr::memmem::find(value, word).is_some())
}

/// Template and shell reference syntax: `${X}`, `$X`, `{{ x }}`, `{% %}`,
/// `%(x)s`, `%X%`, `<x>`, `#{x}`, `@x@`, `{x}`, `(x)`, YAML tags (`!secret`,
/// `!vault`), command-line options (`--pass-through`) and printf verbs (`%s`).
fn is_reference_syntax(value: &[u8]) -> bool {
    let first = value[0];
    let last = value[value.len() - 1];
    matches!(first, b'$')
        || value.starts_with(b"{{")
        || value.starts_with(b"{%")
        || value.starts_with(b"%(")
        || value.starts_with(b"#{")
        || (first == b'<' && last == b'>')
        || (first == b'%' && last == b'%')
        || (first == b'@' && last == b'@')
        || (first == b'[' && last == b']')
        || (first == b'{' && last == b'}')
        || (first == b'(' && last == b')')
        || (first == b'!' && value.len() > 1 && value[1..].iter().all(u8::is_ascii_alphabetic))
        || (value.starts_with(b"--")
            && value.get(2).is_some_and(u8::is_ascii_lowercase)
            && value.iter().all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'))
        || (first == b'%' && value.len() <= 3)
}

/// A regular expression (a password policy, a token pattern) rather than a
/// value: a character class or escape, with a repetition or an anchor.
fn is_regex(value: &[u8]) -> bool {
    const CLASSES: &[&[u8]] = &[b"[a-z", b"[A-Z", b"[0-9", b"(?=", b"(?!", b"(?:", b"\\d", b"\\w", b"\\s"];
    const REPEATS: &[u8] = b"{+*^$";
    (CLASSES.iter().any(|s| memchr::memmem::find(value, s).is_some())
        && value.iter().any(|b| REPEATS.contains(b)))
        || (value.first() == Some(&b'^') && value.last() == Some(&b'$'))
}

fn is_one_repeated_byte(value: &[u8]) -> bool {
    value.iter().all(|&b| b == value[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_references() {
        for value in [
            "changeme",
            "${DB_PASSWORD}",
            "$SECRET",
            "{{ .Values.pw }}",
            "<your-key>",
            "os.environ['X']",
            "process.env.TOKEN",
            "xxxxxxxxxxxx",
            "********",
            "%(pw)s",
            "your_password_here",
            "vault:secret/data/db#pw",
            "ENC[AES256_GCM,data:abc]",
            "AKIAIOSFODNN7EXAMPLE",
            "PASSWORD",
            "p4ssw0rd",
            r"\xa1\x15\x30\x13\xa0",
            "^(?=.*[A-Z]).{8,}$",
            r"ghp_[A-Za-z0-9]{36}",
            "{password}",
            "required",
            "app_password",
            "!secret",
            "--pass-through",
            "%s",
        ] {
            assert!(is_placeholder(value.as_bytes()), "{value}");
        }
    }

    #[test]
    fn documentation_hosts() {
        assert!(names_documentation_host(b"https://u:p4ss@example.com/x"));
        assert!(names_documentation_host(b"smtp://u:p4ss@mail.example.org:25"));
        assert!(names_documentation_host(b"ftp://u:p4ss@files.test"));
        assert!(!names_documentation_host(b"https://u:p4ss@myexample.com/x"));
        assert!(!names_documentation_host(b"postgres://u:p4ss@db.internal:5432/app")); // guard:allow
        assert!(!names_documentation_host(b"https://api.acme.io/v1?email=ops@example.com -u admin:p4ss"));
    }

    #[test]
    fn real_looking_values_are_not_placeholders() {
        for value in
            ["Maple7!Harbor#29", "q8Zr2LmX0vTb", "s3cr3t-Pa55!", "Kq8]{vLm2Tz7", "Kq8[^vLm2", "!Summer2024"]
        {
            assert!(!is_placeholder(value.as_bytes()), "{value}");
        }
    }
}
