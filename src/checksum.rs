//! Offline checksums that some token formats carry, so that a string of the
//! right shape but the wrong checksum is not reported as that provider's token.

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
}

impl Checksum {
    /// Every name a rule may use, for error messages.
    pub const NAMES: &'static [&'static str] = &["base62-crc32"];

    /// The checksum with that name, if any.
    pub fn from_name(name: &str) -> Option<Checksum> {
        match name {
            "base62-crc32" => Some(Checksum::Base62Crc32),
            _ => None,
        }
    }

    /// Whether `secret` carries a valid checksum.
    pub fn verify(self, secret: &[u8]) -> bool {
        match self {
            Checksum::Base62Crc32 => verify_base62_crc32(secret),
        }
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
}
