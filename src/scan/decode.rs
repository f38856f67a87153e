//! Credentials that formats store base64-encoded, decoded so that the
//! scanner can look inside: the values of a Kubernetes `Secret`'s `data:`
//! map, and the `auth` (base64 of `user:password`) of a Docker config's
//! `auths`. Each decoded value comes with the span of its encoded text, so
//! a finding inside it points at the encoded line. No I/O.

use std::ops::Range;

use crate::scan::placeholder::is_placeholder;

/// A decoded value: where its encoded text is, and the text to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    /// The encoded value in the chunk.
    pub span: Range<usize>,
    /// What to scan: `key: value` for a one-line value (so rules that need
    /// the key's name see it), the decoded text itself otherwise.
    pub text: Vec<u8>,
    /// Whether the decoded secret is a placeholder (`user:pass`): then the
    /// encoded text is no secret either.
    pub placeholder: bool,
}

/// Every encoded credential in `data` this module knows how to decode.
pub fn encoded_values(data: &[u8]) -> Vec<Encoded> {
    let mut out = Vec::new();
    if memchr::memmem::find(data, b"kind: Secret").is_some() {
        kubernetes_secret_data(data, &mut out);
    }
    if memchr::memmem::find(data, b"\"auth\"").is_some() {
        docker_auths(data, &mut out);
    }
    out
}

/// `data:` entries of a Kubernetes Secret written in YAML: `  key: base64`
/// lines indented under a `data:` line.
fn kubernetes_secret_data(data: &[u8], out: &mut Vec<Encoded>) {
    let mut data_indent: Option<usize> = None;
    let mut offset = 0;
    for line in data.split_inclusive(|&b| b == b'\n') {
        let start = offset;
        offset += line.len();
        let text = trim_line_end(line);
        let indent = text.iter().take_while(|&&b| b == b' ').count();
        let body = &text[indent..];
        if body.is_empty() || body.starts_with(b"#") {
            continue;
        }
        if let Some(outer) = data_indent {
            if indent <= outer {
                data_indent = None;
            } else if let Some(colon) = memchr::memchr(b':', body) {
                let key = &body[..colon];
                let value = body[colon + 1..].trim_ascii();
                let value = value.strip_prefix(b"\"").and_then(|v| v.strip_suffix(b"\"")).unwrap_or(value);
                if let Some(decoded) = decode_base64(value).filter(|d| is_text(d)) {
                    let value_start = start + subslice_offset(line, value);
                    let placeholder = is_placeholder(&decoded);
                    let text = if decoded.trim_ascii_end().contains(&b'\n') {
                        decoded
                    } else {
                        [key, b": ", decoded.trim_ascii_end()].concat()
                    };
                    out.push(Encoded { span: value_start..value_start + value.len(), text, placeholder });
                }
                continue;
            }
        }
        if body == b"data:" || body.starts_with(b"data: #") {
            data_indent = Some(indent);
        }
    }
}

/// `auth` entries of a Docker config: base64 of `user:password`.
fn docker_auths(data: &[u8], out: &mut Vec<Encoded>) {
    for at in memchr::memmem::find_iter(data, b"\"auth\"") {
        let rest = &data[at + 6..];
        let Some(open) = rest.iter().position(|&b| !matches!(b, b' ' | b'\t' | b':')) else { continue };
        if rest[..open].iter().filter(|&&b| b == b':').count() != 1 || rest[open] != b'"' {
            continue;
        }
        let value_start = at + 6 + open + 1;
        let Some(len) = memchr::memchr(b'"', &data[value_start..]) else { continue };
        let value = &data[value_start..value_start + len];
        let Some(decoded) = decode_base64(value).filter(|d| is_text(d) && !d.contains(&b'\n')) else {
            continue;
        };
        let Some(colon) = memchr::memchr(b':', &decoded) else { continue };
        let password = &decoded[colon + 1..];
        if password.is_empty() {
            continue;
        }
        let placeholder = is_placeholder(password);
        let text = [&b"registry_password: \""[..], password, b"\""].concat();
        out.push(Encoded { span: value_start..value_start + len, text, placeholder });
    }
}

/// Base64, standard or URL-safe (padding optional), or `None` if `value` is
/// not that or is too short to hold a credential.
pub fn decode_base64(value: &[u8]) -> Option<Vec<u8>> {
    let value = value.strip_suffix(b"==").or_else(|| value.strip_suffix(b"=")).unwrap_or(value);
    if value.len() < 6 || value.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(value.len() * 3 / 4);
    let (mut bits, mut count) = (0u32, 0);
    for &byte in value {
        let sextet = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(sextet);
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    Some(out)
}

/// The standard base64 alphabet.
pub const BASE64_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn encode_base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let n = group.iter().enumerate().fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= group.len() {
                out.push(char::from(BASE64_ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Printable UTF-8 text (tabs and line breaks allowed).
fn is_text(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes)
        .is_ok_and(|s| s.chars().all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t')))
}

fn trim_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Offset of `part` (a subslice of `whole`) within `whole`.
fn subslice_offset(whole: &[u8], part: &[u8]) -> usize {
    part.as_ptr() as usize - whole.as_ptr() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_and_rejects_other_text() {
        assert_eq!(decode_base64(b"dXNlcjpwYXNz").as_deref(), Some(&b"user:pass"[..]));
        assert_eq!(decode_base64(b"aGVsbG8gd29ybGQ=").as_deref(), Some(&b"hello world"[..]));
        assert_eq!(decode_base64(b"not base64!"), None);
        assert_eq!(decode_base64(b"abc"), None);
    }

    #[test]
    fn kubernetes_secret_values_point_at_their_encoded_text() {
        let yaml = b"apiVersion: v1\nkind: Secret\ndata:\n  DB_PASSWORD: dXNlcjpwYXNz\n  note: aGVsbG8gd29ybGQ=\nstringData:\n  other: x\n";
        let found = encoded_values(yaml);
        assert_eq!(found.len(), 2);
        assert_eq!(&yaml[found[0].span.clone()], b"dXNlcjpwYXNz");
        assert_eq!(found[0].text, b"DB_PASSWORD: user:pass");
        assert_eq!(found[1].text, b"note: hello world");
    }

    #[test]
    fn docker_auth_yields_the_password() {
        let json = br#"{"auths": {"registry.acme-corp.io": {"auth": "dXNlcjpwYXNz"}}}"#; // guard:allow
        let found = encoded_values(json);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].text, br#"registry_password: "pass""#);
        assert_eq!(&json[found[0].span.clone()], b"dXNlcjpwYXNz");
    }
}
