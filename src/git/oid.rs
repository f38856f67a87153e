//! Object ids as values: 20 bytes in a SHA-1 repository, 32 in a SHA-256
//! one, written as 40 or 64 hex digits; and the all-zero id that pre-push
//! lines use for "none". Everything outside `git/` sees these types, never
//! libgit2's.

use std::fmt;

use anyhow::{Result, bail};

/// An object id (SHA-1 or SHA-256).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Oid {
    bytes: [u8; 32],
    len: u8,
}

impl Oid {
    /// Parses 40 or 64 hex digits (either case).
    ///
    /// # Errors
    /// Anything else.
    pub fn from_hex(text: &[u8]) -> Result<Oid> {
        if !matches!(text.len(), 40 | 64) {
            bail!("{} bytes that are not an object id (40 or 64 hex digits)", text.len());
        }
        let mut bytes = [0u8; 32];
        for (slot, pair) in bytes.iter_mut().zip(text.chunks_exact(2)) {
            let (Some(high), Some(low)) = (hex_value(pair[0]), hex_value(pair[1])) else {
                bail!("{} bytes that are not an object id (40 or 64 hex digits)", text.len());
            };
            *slot = high << 4 | low;
        }
        Ok(Oid { bytes, len: (text.len() / 2) as u8 })
    }

    /// The id of raw `bytes` (20 or 32 of them, as a tree entry holds it).
    ///
    /// # Errors
    /// Another length.
    pub fn from_bytes(raw: &[u8]) -> Result<Oid> {
        if !matches!(raw.len(), 20 | 32) {
            bail!("{} bytes that are not an object id (20 or 32)", raw.len());
        }
        let mut bytes = [0u8; 32];
        bytes[..raw.len()].copy_from_slice(raw);
        Ok(Oid { bytes, len: raw.len() as u8 })
    }

    /// The id's bytes (20 or 32).
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    /// Whether every byte is zero.
    pub fn is_zero(&self) -> bool {
        self.as_bytes().iter().all(|&b| b == 0)
    }

    pub(super) fn from_git2(oid: git2::Oid) -> Oid {
        let raw = oid.as_bytes();
        let mut bytes = [0u8; 32];
        bytes[..raw.len()].copy_from_slice(raw);
        Oid { bytes, len: raw.len() as u8 }
    }

    pub(super) fn to_git2(self) -> Result<git2::Oid> {
        Ok(git2::Oid::from_bytes(self.as_bytes())?)
    }
}

impl std::hash::Hash for Oid {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write(self.as_bytes());
    }
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

impl fmt::Display for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for byte in self.as_bytes() {
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Oid({self})")
    }
}

/// An object id where all zeros means "none": in a pre-push line, a
/// deletion, or a ref the remote does not have yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MaybeZeroOid {
    /// All zeros.
    Zero,
    /// A real object id.
    Oid(Oid),
}

impl MaybeZeroOid {
    /// Parses 40 or 64 hex digits.
    ///
    /// # Errors
    /// Anything else.
    pub fn from_hex(text: &[u8]) -> Result<MaybeZeroOid> {
        let oid = Oid::from_hex(text)?;
        Ok(if oid.is_zero() { MaybeZeroOid::Zero } else { MaybeZeroOid::Oid(oid) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_and_sha256_ids_round_trip() {
        let sha1 = "0123456789abcdef0123456789ABCDEF01234567";
        let oid = Oid::from_hex(sha1.as_bytes()).unwrap();
        assert_eq!(oid.to_string(), sha1.to_ascii_lowercase());
        assert_eq!(oid.as_bytes().len(), 20);
        let sha256 = "ab".repeat(32);
        assert_eq!(Oid::from_hex(sha256.as_bytes()).unwrap().to_string(), sha256);
        for bad in ["", "abc", &"g".repeat(40), &"a".repeat(41), &"a".repeat(63)] {
            assert!(Oid::from_hex(bad.as_bytes()).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn zero_ids_of_both_lengths() {
        assert_eq!(MaybeZeroOid::from_hex("0".repeat(40).as_bytes()).unwrap(), MaybeZeroOid::Zero);
        assert_eq!(MaybeZeroOid::from_hex("0".repeat(64).as_bytes()).unwrap(), MaybeZeroOid::Zero);
        assert!(matches!(MaybeZeroOid::from_hex("1".repeat(40).as_bytes()).unwrap(), MaybeZeroOid::Oid(_)));
    }

    #[test]
    fn git2_ids_convert_both_ways() {
        let oid = Oid::from_hex("1".repeat(40).as_bytes()).unwrap();
        assert_eq!(Oid::from_git2(oid.to_git2().unwrap()), oid);
    }
}
