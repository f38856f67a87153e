//! Example templates and the seeded generator that fills them. Rule examples
//! and test fixtures never hold a literal secret: they say `{{base62:36}}` or
//! `{{base62_crc:ghp_}}` and this expander writes a fresh, well-formed value
//! (checksums computed) each time. A `{{` followed by a space is literal text,
//! so `{{ var }}` placeholders can be written as they appear in real files.

use crate::scan::checksum::azure::{entra_checksum, seal_identifiable};
use crate::scan::checksum::{
    BECH32, CRC_ENTROPY_LEN, atlassian_crc32, base62_crc32, bech32_checksum, gitlab_crc32, grafana_crc32,
};

const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS: &[u8] = b"0123456789";
const HEX: &[u8] = b"0123456789abcdef";
const HEX_UPPER: &[u8] = b"0123456789ABCDEF";
const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE64: &[u8] = crate::scan::decode::BASE64_ALPHABET;
const BASE64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const LOWER_NUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const UPPER_NUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
/// Characters of Entra ID client secrets.
const ENTRA: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_~";
/// Punctuation of generated passwords: what a bare value can hold in env
/// files, YAML, INI and shell (no quote, `#`, `$`, `&` or `;`).
const PUNCT: &[u8] = b"!%*+-.=?@^_~";
/// Punctuation a password can hold unescaped in a URL's user information.
const URL_PUNCT: &[u8] = b"!*+-._~";
const WORDS: &[&str] = &[
    "amber", "basalt", "cobalt", "delta", "ember", "falcon", "garnet", "harbor", "indigo", "juniper",
    "kestrel", "lantern", "maple", "nectar", "orchid", "pepper", "quartz", "raven", "saffron", "timber",
    "umber", "velvet", "willow", "yonder", "zephyr",
];

/// Every generator name, for error messages.
pub const GENERATORS: &str = "alnum:N base62:N lower:N upper:N digits:N hex:N hexupper:N \
    base32:N base64:N base64url:N lowernum:N uppernum:N base62_crc:PREFIX atlassian_crc:PREFIX \
    grafana_crc:PREFIX gitlab_crc:PREFIX bech32:HRP azure_key:SIGNATURE azure_entra_secret base64_of:GEN base64_of:TEXT(gen)TEXT jwt:CLAIMS \
    password url_password word \
    uuid pem_body:LINES";

/// A template that cannot be expanded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError(pub String);

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TemplateError {}

/// Fills templates from a seeded pseudo-random stream (SplitMix64): the same
/// seed gives the same values, so a failing test can be replayed.
#[derive(Debug, Clone)]
pub struct Expander {
    state: u64,
}

impl Expander {
    /// An expander whose output is fixed by `seed`.
    pub fn new(seed: u64) -> Expander {
        Expander { state: seed }
    }

    /// The next pseudo-random number.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A pseudo-random index below `n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// `template` with every `{{generator}}` replaced by a fresh value.
    ///
    /// # Errors
    /// An unknown generator, a bad length or an unclosed `{{`.
    pub fn expand(&mut self, template: &str) -> Result<String, TemplateError> {
        let mut out = String::with_capacity(template.len() + 64);
        let mut rest = template;
        while let Some(open) = rest.find("{{") {
            out.push_str(&rest[..open]);
            let after = &rest[open + 2..];
            if after.starts_with(' ') {
                out.push_str("{{");
                rest = after;
                continue;
            }
            let close = after.find("}}").ok_or_else(|| {
                TemplateError(format!("unclosed {{{{ in template {}", crate::safe_text::value(template)))
            })?;
            self.generate(&after[..close], &mut out)?;
            rest = &after[close + 2..];
        }
        out.push_str(rest);
        Ok(out)
    }

    fn generate(&mut self, spec: &str, out: &mut String) -> Result<(), TemplateError> {
        let (name, arg) = spec.split_once(':').unwrap_or((spec, ""));
        let count = || {
            arg.parse::<usize>()
                .ok()
                .filter(|&n| (1..=100_000).contains(&n))
                .ok_or_else(|| TemplateError(format!("{{{{{spec}}}}}: {name} needs a length, as {name}:N")))
        };
        match name {
            "alnum" | "base62" => self.push_from(ALNUM, count()?, out),
            "lower" => self.push_from(LOWER, count()?, out),
            "upper" => self.push_from(UPPER, count()?, out),
            "digits" => self.push_from(DIGITS, count()?, out),
            "hex" => self.push_from(HEX, count()?, out),
            "hexupper" => self.push_from(HEX_UPPER, count()?, out),
            "base32" => self.push_from(BASE32, count()?, out),
            "base64" => self.push_from(BASE64, count()?, out),
            "base64url" => self.push_from(BASE64URL, count()?, out),
            "lowernum" => self.push_from(LOWER_NUM, count()?, out),
            "uppernum" => self.push_from(UPPER_NUM, count()?, out),
            "base62_crc" => {
                out.push_str(arg);
                let start = out.len();
                self.push_from(ALNUM, CRC_ENTROPY_LEN, out);
                let crc = base62_crc32(&out.as_bytes()[start..]);
                out.extend(crc.iter().map(|&b| b as char));
            }
            "atlassian_crc" => {
                let start = out.len();
                out.push_str(arg);
                self.push_from(BASE64URL, 171, out);
                out.push('=');
                let crc = atlassian_crc32(&out.as_bytes()[start..]);
                out.push_str(std::str::from_utf8(&crc).expect("hex is ASCII"));
            }
            "grafana_crc" => {
                let start = out.len();
                out.push_str(arg);
                self.push_from(ALNUM, 32, out);
                let crc = grafana_crc32(&out.as_bytes()[start..]);
                out.push('_');
                out.push_str(std::str::from_utf8(&crc).expect("hex is ASCII"));
            }
            "gitlab_crc" => {
                let start = out.len();
                out.push_str(arg);
                let payload = 27 + self.below(20);
                self.push_from(BASE64URL, payload, out);
                out.push_str(".01.");
                let base36 = |n: usize| char::from(b"0123456789abcdefghijklmnopqrstuvwxyz"[n]);
                out.extend([base36(payload / 36), base36(payload % 36)]);
                let crc = gitlab_crc32(&out.as_bytes()[start..]);
                out.push_str(std::str::from_utf8(&crc).expect("base 36 is ASCII"));
            }
            "bech32" => {
                let data: Vec<u8> = (0..52).map(|_| self.below(32) as u8).collect();
                let hrp = arg.to_ascii_lowercase();
                let checksum = bech32_checksum(hrp.as_bytes(), &data);
                let upper = arg.bytes().any(|b| b.is_ascii_uppercase());
                let mut key = format!("{hrp}1");
                key.extend(data.iter().map(|&d| char::from(BECH32[usize::from(d)])));
                key.push_str(std::str::from_utf8(&checksum).expect("bech32 is ASCII"));
                out.push_str(&if upper { key.to_ascii_uppercase() } else { key });
            }
            "azure_key" => self.azure_key(spec, arg, out)?,
            "azure_entra_secret" => {
                let start = out.len();
                self.push_from(ENTRA, 3, out);
                out.push_str("8Q~");
                self.push_from(ENTRA, 31, out);
                let checksum = entra_checksum(&out.as_bytes()[start..]);
                out.extend(checksum.iter().map(|&b| char::from(b)));
            }
            "base64_of" => {
                // The argument is a generator (`base62_crc:ghp_`) or a
                // template with `(gen)` for `{{gen}}` (`ci:(password)`).
                let inner = if arg.contains('(') {
                    arg.replace('(', "{{").replace(')', "}}")
                } else {
                    format!("{{{{{arg}}}}}")
                };
                let plain = self.expand(&inner)?;
                out.push_str(&crate::scan::decode::encode_base64(plain.as_bytes()));
            }
            "jwt" => {
                // `{{jwt:"sub":"(uuid)","password":"(password)"}}`: a signed
                // JWT whose payload holds these claims.
                let claims = self.expand(&arg.replace('(', "{{").replace(')', "}}"))?;
                out.push_str("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.");
                out.push_str(
                    crate::scan::decode::encode_base64(format!("{{{claims}}}").as_bytes())
                        .trim_end_matches('=')
                        .replace('+', "-")
                        .replace('/', "_")
                        .as_str(),
                );
                out.push('.');
                self.push_from(BASE64URL, 43, out);
            }
            "password" => self.password(PUNCT, out),
            "url_password" => self.password(URL_PUNCT, out),
            "word" => out.push_str(WORDS[self.below(WORDS.len())]),
            "uuid" => {
                for (i, len) in [8, 4, 4, 4, 12].into_iter().enumerate() {
                    if i > 0 {
                        out.push('-');
                    }
                    self.push_from(HEX, len, out);
                }
            }
            "pem_body" => {
                for _ in 0..count()? {
                    self.push_from(BASE64, 64, out);
                    out.push('\n');
                }
                self.push_from(BASE64, 28, out);
                out.push_str("==");
            }
            _ => {
                return Err(TemplateError(format!("unknown generator {{{{{spec}}}}}; known: {GENERATORS}")));
            }
        }
        Ok(())
    }

    /// An Azure identifiable key with signature `signature` and a valid
    /// checksum. Search keys are alphanumeric, Functions keys URL-safe.
    fn azure_key(&mut self, spec: &str, signature: &str, out: &mut String) -> Result<(), TemplateError> {
        let (alphabet, random, padding) = match signature {
            "+ASt" | "ACDb" | "+ABa" | "+AMC" | "APIM" => (BASE64, 76, "=="),
            "+ASb" | "+AEh" | "+ARm" | "AIoT" | "AzCa" | "AZEG" => (BASE64, 33, "="),
            "+ACR" => (BASE64, 42, ""),
            "AzSe" => (ALNUM, 42, ""),
            "AzFu" => (BASE64URL, 44, "=="),
            _ => {
                return Err(TemplateError(format!(
                    "{{{{{spec}}}}}: no Azure key kind has signature {signature:?}"
                )));
            }
        };
        loop {
            let mut draft = String::new();
            self.push_from(alphabet, random, &mut draft);
            draft.push_str(signature);
            draft.push_str("AAAAAA");
            draft.push_str(padding);
            let choice = self.below(8);
            let key = seal_identifiable(draft.as_bytes(), choice, alphabet == BASE64URL)
                .expect("a known signature in place");
            // The checksum may fall outside a narrower alphabet: draw again.
            let checksum = &key.as_bytes()[random + 4..key.len() - padding.len()];
            if checksum.iter().all(|b| alphabet.contains(b)) {
                out.push_str(&key);
                return Ok(());
            }
        }
    }

    fn push_from(&mut self, alphabet: &[u8], count: usize, out: &mut String) {
        for _ in 0..count {
            out.push(alphabet[self.below(alphabet.len())] as char);
        }
    }

    /// A human-made password: capitalised words, digits and punctuation, the
    /// kind entropy alone under-rates (`Maple7!Harbor#29`).
    fn password(&mut self, punctuation: &[u8], out: &mut String) {
        for _ in 0..2 {
            let word = WORDS[self.below(WORDS.len())];
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.push(first.to_ascii_uppercase());
                out.push_str(chars.as_str());
            }
            let digits = 1 + self.below(2);
            self.push_from(DIGITS, digits, out);
            self.push_from(punctuation, 1, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::checksum::Checksum;

    #[test]
    fn same_seed_same_values_and_literals_kept() {
        let template = "key={{base62:12}} {{ var }} id={{uuid}}";
        let a = Expander::new(7).expand(template).unwrap();
        let b = Expander::new(7).expand(template).unwrap();
        assert_eq!(a, b);
        assert!(a.contains("{{ var }}"));
        assert_eq!(a.len(), "key=".len() + 12 + " {{ var }} id=".len() + 36);
    }

    #[test]
    fn checksummed_tokens_verify() {
        let token = Expander::new(1).expand("{{base62_crc:ghp_}}").unwrap();
        assert_eq!(token.len(), 40);
        assert!(Checksum::Base62Crc32.verify(token.as_bytes()));
    }

    #[test]
    fn bad_templates_are_errors() {
        let mut e = Expander::new(1);
        assert!(e.expand("{{nope}}").is_err());
        assert!(e.expand("{{hex}}").is_err());
        assert!(e.expand("{{hex:12").is_err());
    }
}
