//! Offline checksums that some token formats carry, so that a string of the
//! right shape but the wrong checksum is not reported as that provider's token.
//! Each is checked on the secret alone, and each has a generator in
//! `rules/template.rs` so rule examples carry valid ones.

pub mod azure;

/// Base62 alphabet used by GitHub-style tokens: digits, upper, lower.
const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Length of the checksum suffix of GitHub-style tokens.
const CRC_LEN: usize = 6;

/// Length of the random part of GitHub-style tokens.
pub const CRC_ENTROPY_LEN: usize = 30;

/// The offline checksums a rule may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checksum {
    /// GitHub's (and npm's) token format: `prefix_` + 30 base62 characters +
    /// the CRC32 of those 30 characters in 6 base62 digits.
    Base62Crc32,
    /// Atlassian API and Bitbucket access tokens: the last 8 characters are
    /// the CRC32 of everything before them, in upper-case hex.
    AtlassianCrc32,
    /// Grafana service-account tokens `glsa_<32>_<crc>`: the CRC32 of
    /// `glsa_<32>`, its bytes least significant first, in lower-case hex.
    GrafanaCrc32,
    /// GitLab routable tokens `<prefix><payload>.<version>.<length><crc>`:
    /// the last 7 characters are the CRC32 of everything before them in
    /// base 36. Legacy tokens (not ending in `.` and 9 base-36 characters)
    /// carry no checksum and pass.
    GitlabCrc32,
    /// Bech32 (BIP-173), as age secret keys use: `HRP1<data><6 checksum>`.
    Bech32,
    /// Azure identifiable keys (storage, Cosmos DB, Service Bus, Functions,
    /// ...): Marvin32 of the key's bytes with a seed per kind. Keys of an
    /// older layout carry no checksum and pass.
    AzureMarvin32,
    /// Entra ID client secrets of the current `8Q~` form: Marvin32 of the
    /// first 37 characters, 3 characters of it at the end. The legacy `7Q~`
    /// form carries none and passes.
    AzureEntraMarvin32,
    /// Not a checksum but the same kind of offline check: a JWT whose
    /// payload carries a credential claim (`password`, `client_secret`,
    /// `api_key`, `role: service_role`, ...). Failing it does not make the
    /// text harmless (the JWT may still be a bearer token), so it vetoes
    /// nothing.
    JwtCredentials,
}

impl Checksum {
    /// Every name a rule may use, for error messages.
    pub const NAMES: &'static [&'static str] = &[
        "base62-crc32",
        "atlassian-crc32",
        "grafana-crc32",
        "gitlab-crc32",
        "bech32",
        "azure-marvin32",
        "azure-entra-marvin32",
        "jwt-credentials",
    ];

    /// The checksum with that name, if any.
    pub fn from_name(name: &str) -> Option<Checksum> {
        match name {
            "base62-crc32" => Some(Checksum::Base62Crc32),
            "atlassian-crc32" => Some(Checksum::AtlassianCrc32),
            "grafana-crc32" => Some(Checksum::GrafanaCrc32),
            "gitlab-crc32" => Some(Checksum::GitlabCrc32),
            "bech32" => Some(Checksum::Bech32),
            "azure-marvin32" => Some(Checksum::AzureMarvin32),
            "azure-entra-marvin32" => Some(Checksum::AzureEntraMarvin32),
            "jwt-credentials" => Some(Checksum::JwtCredentials),
            _ => None,
        }
    }

    /// Whether `secret` carries a valid checksum.
    pub fn verify(self, secret: &[u8]) -> bool {
        match self {
            Checksum::Base62Crc32 => verify_base62_crc32(secret),
            Checksum::AtlassianCrc32 => {
                secret.len() > 8 && {
                    let (body, crc) = secret.split_at(secret.len() - 8);
                    crc == atlassian_crc32(body)
                }
            }
            Checksum::GrafanaCrc32 => {
                secret.len() > 9 && {
                    let (body, crc) = secret.split_at(secret.len() - 8);
                    body.ends_with(b"_") && crc == grafana_crc32(&body[..body.len() - 1])
                }
            }
            Checksum::GitlabCrc32 => match routable_tail(secret) {
                None => true,
                Some(split) => {
                    let (body, crc) = secret.split_at(split);
                    crc == gitlab_crc32(body)
                }
            },
            Checksum::Bech32 => verify_bech32(secret),
            Checksum::AzureMarvin32 => azure::verify_identifiable(secret),
            Checksum::AzureEntraMarvin32 => azure::verify_entra_secret(secret),
            Checksum::JwtCredentials => jwt_carries_credentials(secret),
        }
    }

    /// Whether a secret that fails this check is no secret at all, for
    /// every rule (a wrong checksum), rather than only not this rule's.
    pub fn vetoes(self) -> bool {
        self != Checksum::JwtCredentials
    }
}

/// The 6-character base62 CRC32 of `entropy`, left-padded with `0`.
pub fn base62_crc32(entropy: &[u8]) -> [u8; CRC_LEN] {
    let mut value = crc32fast::hash(entropy);
    let mut digits = [b'0'; CRC_LEN];
    for slot in digits.iter_mut().rev() {
        *slot = BASE62[(value % 62) as usize];
        value /= 62;
    }
    digits
}

/// The CRC32 of `body` in 8 upper-case hex digits (Atlassian).
pub fn atlassian_crc32(body: &[u8]) -> [u8; 8] {
    hex8(crc32fast::hash(body).to_be_bytes(), b"0123456789ABCDEF")
}

/// The CRC32 of `body`, least significant byte first, in 8 lower-case hex
/// digits (Grafana).
pub fn grafana_crc32(body: &[u8]) -> [u8; 8] {
    hex8(crc32fast::hash(body).to_le_bytes(), b"0123456789abcdef")
}

fn hex8(bytes: [u8; 4], digits: &[u8; 16]) -> [u8; 8] {
    let mut out = [0; 8];
    for (i, byte) in bytes.iter().enumerate() {
        out[2 * i] = digits[usize::from(byte >> 4)];
        out[2 * i + 1] = digits[usize::from(byte & 0xf)];
    }
    out
}

/// The CRC32 of `body` in 7 lower-case base-36 digits (GitLab).
pub fn gitlab_crc32(body: &[u8]) -> [u8; 7] {
    const BASE36: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut value = crc32fast::hash(body);
    let mut digits = [b'0'; 7];
    for slot in digits.iter_mut().rev() {
        *slot = BASE36[(value % 36) as usize];
        value /= 36;
    }
    digits
}

/// Where the CRC of a GitLab routable token starts: the token ends in `.`
/// and 9 lower-case base-36 characters (2 of length, 7 of CRC).
fn routable_tail(secret: &[u8]) -> Option<usize> {
    let dot = memchr::memrchr(b'.', secret)?;
    let tail = &secret[dot + 1..];
    (tail.len() == 9 && tail.iter().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()))
        .then_some(secret.len() - 7)
}

/// The bech32 data alphabet.
pub const BECH32: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

fn bech32_polymod(values: impl Iterator<Item = u8>) -> u32 {
    const GENERATOR: [u32; 5] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3];
    let mut check: u32 = 1;
    for value in values {
        let top = check >> 25;
        check = ((check & 0x01ff_ffff) << 5) ^ u32::from(value);
        for (i, generator) in GENERATOR.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                check ^= generator;
            }
        }
    }
    check
}

fn hrp_expanded(hrp: &[u8]) -> impl Iterator<Item = u8> + '_ {
    hrp.iter().map(|b| b >> 5).chain(std::iter::once(0)).chain(hrp.iter().map(|b| b & 31))
}

/// The 6 checksum characters of bech32 `data` (5-bit values) under `hrp`
/// (lower case).
pub fn bech32_checksum(hrp: &[u8], data: &[u8]) -> [u8; 6] {
    let values = hrp_expanded(hrp).chain(data.iter().copied()).chain([0; 6]);
    let polymod = bech32_polymod(values) ^ 1;
    let mut out = [0; 6];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = BECH32[((polymod >> (5 * (5 - i))) & 31) as usize];
    }
    out
}

fn verify_bech32(secret: &[u8]) -> bool {
    let lower = secret.to_ascii_lowercase();
    let Some(separator) = memchr::memrchr(b'1', &lower) else {
        return false;
    };
    let (hrp, data) = (&lower[..separator], &lower[separator + 1..]);
    if hrp.is_empty() || data.len() < 6 {
        return false;
    }
    let values: Option<Vec<u8>> =
        data.iter().map(|c| BECH32.iter().position(|b| b == c).map(|p| p as u8)).collect();
    values.is_some_and(|values| bech32_polymod(hrp_expanded(hrp).chain(values)) == 1)
}

/// Claims that put a credential in a JWT's payload.
const CREDENTIAL_CLAIMS: &[&[u8]] = &[
    b"\"password\"",
    b"\"passwd\"",
    b"\"pwd\"",
    b"\"secret\"",
    b"\"client_secret\"",
    b"\"api_key\"",
    b"\"apikey\"",
    b"\"private_key\"",
    b"\"access_key\"",
    b"\"service_role\"",
];

fn jwt_carries_credentials(secret: &[u8]) -> bool {
    let Some(payload) = secret.split(|&b| b == b'.').nth(1) else { return false };
    let Some(json) = crate::scan::decode::decode_base64(payload) else { return false };
    let json = json.to_ascii_lowercase();
    CREDENTIAL_CLAIMS.iter().any(|claim| memchr::memmem::find(&json, claim).is_some())
}

fn verify_base62_crc32(secret: &[u8]) -> bool {
    let Some(underscore) = memchr::memrchr(b'_', secret) else {
        return false;
    };
    let body = &secret[underscore + 1..];
    if body.len() != CRC_ENTROPY_LEN + CRC_LEN {
        return false;
    }
    let (entropy, crc) = body.split_at(CRC_ENTROPY_LEN);
    base62_crc32(entropy) == crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_round_trip_and_single_character_change_fails() {
        let entropy = b"abcdefghijklmnopqrstuvwxyz0123";
        let mut token = b"ghp_".to_vec();
        token.extend_from_slice(entropy);
        token.extend_from_slice(&base62_crc32(entropy));
        assert!(Checksum::Base62Crc32.verify(&token));
        token[10] = b'Z';
        assert!(!Checksum::Base62Crc32.verify(&token));
        assert!(!Checksum::Base62Crc32.verify(b"ghp_short"));
    }

    /// Each generated token verifies, and changing one character breaks it.
    #[test]
    fn every_checksum_rejects_a_changed_character() {
        use crate::rules::template::Expander;
        let cases = [
            (Checksum::AtlassianCrc32, "{{atlassian_crc:ATATT3xFfGF0}}"),
            (Checksum::GrafanaCrc32, "{{grafana_crc:glsa_}}"),
            (Checksum::GitlabCrc32, "{{gitlab_crc:glpat-}}"),
            (Checksum::Bech32, "{{bech32:AGE-SECRET-KEY-}}"),
            (Checksum::AzureMarvin32, "{{azure_key:+ASt}}"),
            (Checksum::AzureMarvin32, "{{azure_key:AzFu}}"),
            (Checksum::AzureMarvin32, "{{azure_key:AzSe}}"),
            (Checksum::AzureMarvin32, "{{azure_key:+ARm}}"),
            (Checksum::AzureEntraMarvin32, "{{azure_entra_secret}}"),
        ];
        for (checksum, template) in cases {
            for seed in 0..50 {
                let token = Expander::new(seed).expand(template).unwrap().into_bytes();
                assert!(checksum.verify(&token), "{template} seed {seed}");
                let mut changed = token.clone();
                let at = changed.len() / 2;
                changed[at] = if changed[at] == b'Q' { b'R' } else { b'Q' };
                assert!(!checksum.verify(&changed), "{template} seed {seed} changed");
            }
        }
    }

    #[test]
    fn bech32_known_vector() {
        // BIP-173's valid test strings.
        assert!(Checksum::Bech32.verify(b"A12UEL5L"));
        assert!(Checksum::Bech32.verify(b"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw"));
        assert!(!Checksum::Bech32.verify(b"abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxx"));
    }
}
