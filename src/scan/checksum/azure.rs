//! Microsoft's checksums for Azure's identifiable keys and Entra ID client
//! secrets, both built on Marvin32 with a seed per kind of key. Facts from
//! Microsoft's published format (microsoft/security-utilities,
//! `IdentifiableSecrets.cs`, `IdentifiableMetadata.cs`): an identifiable key is
//! the base64 of random bytes, a 4-character signature that ends 6 characters
//! before the padding, and a 4-byte checksum (least significant byte first)
//! of every byte before it. The common annotated (`JQQJ99`) keys are not
//! checked: Microsoft's own detectors check only their layout, and their
//! published examples carry no checksum this code could reproduce.

use crate::scan::decode::decode_base64;

/// One kind of identifiable key: its signature, the length of its base64
/// text without padding, and the Marvin32 seeds its issuers use.
struct KeyKind {
    signature: &'static [u8; 4],
    encoded_len: usize,
    seeds: &'static [u64],
}

/// `Default0` read as a little-endian number: storage keys, and the seed of
/// Microsoft's published Event Grid examples.
const DEFAULT_SEED: u64 = 0x4465_6661_756c_7430;
/// Service Bus, Event Hubs and Relay: system, unknown, send, manage, listen.
const MESSAGING_SEEDS: &[u64] = &[
    0x5379_7374_656d_3030,
    0x556e_6b6e_6f77_6e30,
    0x5365_6e64_3030_3030,
    0x4d61_6e61_6765_3030,
    0x4c69_7374_656e_3030,
];

/// Every kind of identifiable key guard's rules match. A key of the right
/// length with one of these signatures in place must carry a checksum for
/// one of the kind's seeds.
const KINDS: &[KeyKind] = &[
    KeyKind { signature: b"+ASt", encoded_len: 86, seeds: &[DEFAULT_SEED] },
    KeyKind {
        signature: b"ACDb",
        encoded_len: 86,
        seeds: &[
            0x456e_6372_7970_3030, // data encryption
            0x4d61_7374_524f_3030, // master read-only
            0x4d61_7374_5257_3030, // master read-write
            0x5265_736f_7572_3030, // resource
            0x5379_7341_6c6c_3030, // system all
            0x5379_7374_524f_3030, // system read-only
            0x5379_7374_5257_3030, // system read-write
        ],
    },
    KeyKind { signature: b"+ABa", encoded_len: 86, seeds: &[0x4162_4163_6374_3030] },
    KeyKind { signature: b"+AMC", encoded_len: 86, seeds: &[0x436c_6173_7369_6330] },
    KeyKind {
        signature: b"APIM",
        encoded_len: 86,
        seeds: &[0x5465_6e61_6e74_3030, 0x496f_5448_7562_3030, 0x4761_7465_7779_3030, 0x4769_744b_6579_3030],
    },
    KeyKind { signature: b"+ASb", encoded_len: 43, seeds: MESSAGING_SEEDS },
    KeyKind { signature: b"+AEh", encoded_len: 43, seeds: MESSAGING_SEEDS },
    KeyKind { signature: b"+ARm", encoded_len: 43, seeds: MESSAGING_SEEDS },
    KeyKind {
        signature: b"AIoT",
        encoded_len: 43,
        seeds: &[0x496f_5448_7562_3030, 0x4470_734b_6579_3030, 0x4465_7669_6365_3030],
    },
    KeyKind { signature: b"AzCa", encoded_len: 43, seeds: &[0x4163_6365_7373_3030] },
    KeyKind { signature: b"AZEG", encoded_len: 43, seeds: &[DEFAULT_SEED, 0x5365_6e64_5265_6376] },
    KeyKind { signature: b"+ACR", encoded_len: 52, seeds: &[0x4143_5244_666c_7430] },
    KeyKind { signature: b"AzSe", encoded_len: 52, seeds: &[0x5175_6572_7930_3030, 0x5041_646d_696e_3030] },
    KeyKind {
        signature: b"AzFu",
        encoded_len: 54,
        seeds: &[0x4675_6e63_7469_3030, 0x4d61_7374_6572_3030, 0x5379_7374_656d_3030],
    },
];

/// Characters from the signature's end to the padding: the checksum.
const CHECKSUM_CHARS: usize = 6;
const SIGNATURE_CHARS: usize = 4;

/// Entra ID client secrets: `xxx8Q~` + 31 characters + 3 checksum characters.
const ENTRA_LEN: usize = 40;
const ENTRA_SEED: u64 = 0x4161_6450_7764_3030;
const ENTRA_ALPHABET: &[u8; 66] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890.-_~";

/// Marvin32 (the hash .NET uses for strings), folded to 32 bits.
pub fn marvin32(data: &[u8], seed: u64) -> u32 {
    let hash = marvin64(data, seed);
    (hash as u32) ^ ((hash >> 32) as u32)
}

fn marvin64(data: &[u8], seed: u64) -> u64 {
    let (mut p0, mut p1) = (seed as u32, (seed >> 32) as u32);
    let mut words = data.chunks_exact(4);
    for word in &mut words {
        p0 = p0.wrapping_add(u32::from_le_bytes([word[0], word[1], word[2], word[3]]));
        marvin_block(&mut p0, &mut p1);
    }
    let tail = words.remainder();
    let last = tail.iter().rev().fold(0x80u32, |acc, &byte| (acc << 8) | u32::from(byte));
    p0 = p0.wrapping_add(last);
    marvin_block(&mut p0, &mut p1);
    marvin_block(&mut p0, &mut p1);
    (u64::from(p1) << 32) | u64::from(p0)
}

fn marvin_block(p0: &mut u32, p1: &mut u32) {
    *p1 ^= *p0;
    *p0 = p0.rotate_left(20);
    *p0 = p0.wrapping_add(*p1);
    *p1 = p1.rotate_left(9);
    *p1 ^= *p0;
    *p0 = p0.rotate_left(27);
    *p0 = p0.wrapping_add(*p1);
    *p1 = p1.rotate_left(19);
}

/// The kind of identifiable key `secret` is, if it is one: its length and a
/// known signature in place.
fn kind_of(secret: &[u8]) -> Option<&'static KeyKind> {
    let unpadded = secret.strip_suffix(b"==").or_else(|| secret.strip_suffix(b"=")).unwrap_or(secret);
    let at = unpadded.len().checked_sub(CHECKSUM_CHARS + SIGNATURE_CHARS)?;
    let signature = &unpadded[at..at + SIGNATURE_CHARS];
    KINDS.iter().find(|kind| kind.encoded_len == unpadded.len() && kind.signature == signature)
}

/// Whether `secret` passes: an identifiable key must carry its checksum; a
/// key of any other layout (an older random key) carries none and passes.
pub fn verify_identifiable(secret: &[u8]) -> bool {
    let Some(kind) = kind_of(secret) else { return true };
    let Some(bytes) = decode_base64(secret) else { return false };
    let Some(split) = bytes.len().checked_sub(4) else { return false };
    let (body, stored) = bytes.split_at(split);
    let stored = u32::from_le_bytes([stored[0], stored[1], stored[2], stored[3]]);
    kind.seeds.iter().any(|&seed| marvin32(body, seed) == stored)
}

/// `draft` (base64 text of an identifiable key with its signature in place)
/// with a valid checksum written over its last 4 bytes, and the bits between
/// signature and checksum cleared as Microsoft's generator clears them, in
/// the URL-safe alphabet if asked. None when `draft` is not an identifiable
/// key's layout.
pub fn seal_identifiable(draft: &[u8], seed_choice: usize, url_safe: bool) -> Option<String> {
    let kind = kind_of(draft)?;
    let mut bytes = decode_base64(draft)?;
    let checksum_bit = (bytes.len() - 4) * 8;
    let signature_end_bit = kind.encoded_len.checked_sub(CHECKSUM_CHARS)? * 6;
    for bit in signature_end_bit..checksum_bit {
        bytes[bit / 8] &= !(0x80 >> (bit % 8));
    }
    let split = bytes.len() - 4;
    let seed = kind.seeds[seed_choice % kind.seeds.len()];
    let checksum = marvin32(&bytes[..split], seed);
    bytes[split..].copy_from_slice(&checksum.to_le_bytes());
    let text = crate::scan::decode::encode_base64(&bytes);
    Some(if url_safe { text.replace('+', "-").replace('/', "_") } else { text })
}

/// Whether an Entra ID client secret passes: the current `8Q~` form of 40
/// characters carries the first 3 characters of its checksum at the end;
/// the legacy `7Q~` form carries none.
pub fn verify_entra_secret(secret: &[u8]) -> bool {
    if secret.len() != ENTRA_LEN || &secret[3..6] != b"8Q~" {
        return true;
    }
    let (body, stored) = secret.split_at(ENTRA_LEN - 3);
    entra_checksum(body) == stored
}

/// The 3 checksum characters of an Entra ID client secret's first 37.
pub fn entra_checksum(body: &[u8]) -> [u8; 3] {
    let mut value = marvin32(body, ENTRA_SEED);
    // Six digits in the secret's own alphabet, most significant first.
    let mut digits = [ENTRA_ALPHABET[0]; 6];
    for slot in digits.iter_mut().rev() {
        *slot = ENTRA_ALPHABET[(value % 66) as usize];
        value /= 66;
    }
    [digits[0], digits[1], digits[2]]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SymCrypt's published Marvin32 vectors (64-bit results).
    #[test]
    fn marvin_matches_published_vectors() {
        assert_eq!(marvin64(b"abc", 0xd53c_d9ce_cd08_93b7), 0x22c7_4339_4927_69bf);
        assert_eq!(marvin64(b"abcdefghijklmnopqrstuvwxyz", 0x0ddd_deee_efff_f000), 0xa128_eb7e_7260_aca2);
        let seed = 0x004f_b61a_001b_dbcc;
        assert_eq!(marvin64(b"", seed), 0x30ed_35c1_00cd_3c7d);
        assert_eq!(marvin64(&[0xaf], seed), 0x48e7_3fc7_7d75_ddc1);
        assert_eq!(marvin64(&[0xe7, 0x0f], seed), 0xb5f6_e1fc_485d_bff8);
        assert_eq!(marvin64(&[0x37, 0xf4, 0x95], seed), 0xf0b0_7c78_9b8c_f7e8);
        assert_eq!(marvin64(&[0x86, 0x42, 0xdc, 0x59], seed), 0x7008_f2e8_7e9c_f556);
        assert_eq!(marvin64(&[0xab, 0x42, 0x7e, 0xa8, 0xd1, 0x0f, 0xc7], seed), 0xe118_47e4_f067_8c41);
    }

    /// Microsoft's published placeholder keys (repeated letters, so nothing
    /// secret is written here): each carries a valid checksum.
    #[test]
    fn microsoft_placeholder_keys_verify() {
        let keys = [
            format!("{}AzFu182vhA==", "d".repeat(44)),
            format!("{}+ACRCTB7t/", "e".repeat(42)),
            format!("{}+ACRCUDxQE", "d".repeat(42)),
            format!("{}+ASt5mnCaw==", "a".repeat(76)),
            format!("{}ACDbOpqrYA==", "a".repeat(76)),
            format!("{}+ABa13FZVQ==", "a".repeat(76)),
            format!("{}+AMCFNqWyA==", "a".repeat(76)),
            format!("{}APIMHbKhsQ==", "a".repeat(76)),
            format!("{}+ARmD7h+qo=", "a".repeat(33)),
            format!("{}+AEhG2s/8w=", "a".repeat(33)),
            format!("{}+ASbHpHeAI=", "a".repeat(33)),
            format!("{}AIoTOumzco=", "a".repeat(33)),
            format!("{}AZEGLiQbng=", "b".repeat(33)),
            format!("{}AzSeCjhzCu", "a".repeat(42)),
        ];
        for key in &keys {
            assert!(kind_of(key.as_bytes()).is_some(), "{key} is identifiable");
            assert!(verify_identifiable(key.as_bytes()), "{key} verifies");
            let mut changed = key.clone().into_bytes();
            changed[10] = b'Q';
            assert!(!verify_identifiable(&changed), "{key} with a changed character fails");
        }
        let entra = format!("zzz8Q~{}blP", "z".repeat(31));
        assert!(verify_entra_secret(entra.as_bytes()));
        assert!(!verify_entra_secret(format!("zzz8Q~{}blQ", "z".repeat(31)).as_bytes()));
    }

    #[test]
    fn other_layouts_carry_no_checksum() {
        // An older random storage key, a legacy Entra secret, a short key.
        assert!(verify_identifiable(format!("{}==", "k".repeat(86)).as_bytes()));
        assert!(verify_entra_secret(format!("abc7Q~{}", "x".repeat(31)).as_bytes()));
        assert!(verify_identifiable(b"+ASt"));
    }

    #[test]
    fn sealed_drafts_verify() {
        for draft in [
            format!("{}+AStA{}==", "Zm9v".repeat(19), "A".repeat(5)),
            format!("{}AzFuA{}==", "_-x".repeat(14) + "ab", "A".repeat(5)),
            format!("{}AZEGA{}=", "q".repeat(33), "A".repeat(5)),
        ] {
            for choice in 0..3 {
                let key = seal_identifiable(draft.as_bytes(), choice, draft.contains('_'))
                    .expect("identifiable layout");
                assert_eq!(key.len(), draft.len());
                assert!(verify_identifiable(key.as_bytes()), "{key}");
            }
        }
    }
}
