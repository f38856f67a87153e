//! UTF-16 text: which content is UTF-16 (little- or big-endian, with or
//! without a byte order mark) and its decoding to UTF-8, whole or as a
//! stream. A leaf: it imports nothing of guard's, so the pipeline (which
//! scans the decoded text) and `git/` (which diffs it) share one rule.
//!
//! The rule, looked at only when content starts with a byte order mark
//! or git's binary rule fired (a NUL byte in its first 8,000 bytes):
//! - a mark `FF FE` (not followed by `00 00`, UTF-32's) says
//!   little-endian, `FE FF` big-endian; without one, the byte order is the
//!   one that puts most NUL bytes in the high byte of a code unit (ASCII
//!   text: `41 00` is little-endian `A`), a tie is not UTF-16, and content
//!   of odd length is not either;
//! - read in that order, the first 8,000 bytes (after the mark) must be
//!   text: no U+0000, no control character but tab, line feed, vertical
//!   tab, form feed, carriage return and escape, no U+FFFE or U+FFFF, and
//!   every surrogate paired (one cut by the end of those bytes excepted).
//!
//! Images, archives, executables and UTF-32 hold a `00 00` code unit or a
//! control character early, or lone surrogates, and stay binary. Decoding
//! drops the mark, keeps every line break (so lines are the file's lines)
//! and turns an unpaired surrogate or a last odd byte into U+FFFD.

use std::io::{self, Read};

/// How many leading bytes the rule reads: the bytes git's binary rule
/// looks at.
pub const PROBE_LEN: usize = 8000;

/// The order of a code unit's two bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteOrder {
    /// Low byte first (`UTF-16LE`, Windows' "Unicode").
    Little,
    /// High byte first (`UTF-16BE`).
    Big,
}

/// How content is encoded as UTF-16.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Utf16 {
    /// The byte order.
    pub order: ByteOrder,
    /// Whether the content starts with a byte order mark (dropped when
    /// decoding).
    pub bom: bool,
}

/// How `data` is encoded as UTF-16, if it is UTF-16 text by the module's
/// rule. `has_nul` says whether git's binary rule fired on it (the caller
/// has looked already); `complete` whether `data` is the whole content
/// rather than its start. Text without a NUL byte or a mark costs a
/// comparison of two bytes.
pub fn detect(data: &[u8], has_nul: bool, complete: bool) -> Option<Utf16> {
    let encoding = match data {
        [0xFF, 0xFE, 0, 0, ..] => return None,
        [0xFF, 0xFE, ..] => Utf16 { order: ByteOrder::Little, bom: true },
        [0xFE, 0xFF, ..] => Utf16 { order: ByteOrder::Big, bom: true },
        _ if has_nul && !(complete && data.len() % 2 == 1) => {
            Utf16 { order: order_by_nul_bytes(&data[..data.len().min(PROBE_LEN)])?, bom: false }
        }
        _ => return None,
    };
    let start = if encoding.bom { 2 } else { 0 };
    let probe = &data[start..data.len().min(PROBE_LEN)];
    is_text(probe, encoding.order, complete && data.len() <= PROBE_LEN).then_some(encoding)
}

/// The order that puts most NUL bytes of `probe` in a code unit's high
/// byte; `None` for a tie.
fn order_by_nul_bytes(probe: &[u8]) -> Option<ByteOrder> {
    let (mut even, mut odd) = (0usize, 0usize);
    for at in memchr::memchr_iter(0, probe) {
        if at % 2 == 0 {
            even += 1;
        } else {
            odd += 1;
        }
    }
    match odd.cmp(&even) {
        std::cmp::Ordering::Greater => Some(ByteOrder::Little),
        std::cmp::Ordering::Less => Some(ByteOrder::Big),
        std::cmp::Ordering::Equal => None,
    }
}

/// Whether the code units of `probe` are text; `whole`: it is the end of
/// the content, so a surrogate it cuts is unpaired.
fn is_text(probe: &[u8], order: ByteOrder, whole: bool) -> bool {
    let mut units = probe.chunks_exact(2).map(|pair| unit([pair[0], pair[1]], order)).peekable();
    while let Some(unit) = units.next() {
        match unit {
            0x09..=0x0D | 0x1B => {}
            0x0000..=0x001F | 0xFFFE | 0xFFFF | 0xDC00..=0xDFFF => return false,
            0xD800..=0xDBFF => match units.next() {
                Some(0xDC00..=0xDFFF) => {}
                None if !whole => {}
                _ => return false,
            },
            _ => {}
        }
    }
    true
}

fn unit(pair: [u8; 2], order: ByteOrder) -> u16 {
    match order {
        ByteOrder::Little => u16::from_le_bytes(pair),
        ByteOrder::Big => u16::from_be_bytes(pair),
    }
}

/// `data`, encoded as `encoding` says, decoded to UTF-8.
pub fn decode(data: &[u8], encoding: Utf16) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / 2);
    let start = if encoding.bom { 2.min(data.len()) } else { 0 };
    let used = decode_units(&data[start..], encoding.order, true, &mut out);
    debug_assert_eq!(used, data.len() - start);
    out
}

/// Appends the UTF-8 of the code units in `data` to `out` and returns how
/// many bytes it used. Unless `at_end`, a last odd byte and a last high
/// surrogate are left for the next call (they may be completed); at the
/// end they become U+FFFD, as does any unpaired surrogate.
fn decode_units(data: &[u8], order: ByteOrder, at_end: bool, out: &mut Vec<u8>) -> usize {
    let mut usable = data.len() - data.len() % 2;
    if !at_end && usable >= 2 && matches!(unit([data[usable - 2], data[usable - 1]], order), 0xD800..=0xDBFF)
    {
        usable -= 2;
    }
    let units = data[..usable].chunks_exact(2).map(|pair| unit([pair[0], pair[1]], order));
    let mut utf8 = [0u8; 4];
    for decoded in char::decode_utf16(units) {
        let c = decoded.unwrap_or(char::REPLACEMENT_CHARACTER);
        out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
    }
    if at_end && usable < data.len() {
        out.extend_from_slice(char::REPLACEMENT_CHARACTER.encode_utf8(&mut utf8).as_bytes());
        return data.len();
    }
    usable
}

/// A reader of UTF-16 content that yields its UTF-8 decoding, a block at
/// a time: a code unit or a surrogate pair cut by a block's end is kept
/// for the next block, never split.
pub struct Decoder<R> {
    inner: R,
    order: ByteOrder,
    /// Whether the byte order mark is still to be dropped.
    bom: bool,
    /// Undecoded bytes: those held back from the last block, then the
    /// next block read.
    raw: Vec<u8>,
    /// Decoded bytes not yet handed out, from `given` on.
    decoded: Vec<u8>,
    given: usize,
    at_end: bool,
}

/// How much undecoded content one block reads.
const BLOCK: usize = 64 << 10;

impl<R: Read> Decoder<R> {
    /// Decodes `inner`, encoded as `encoding` says.
    pub fn new(inner: R, encoding: Utf16) -> Decoder<R> {
        Decoder {
            inner,
            order: encoding.order,
            bom: encoding.bom,
            raw: Vec::with_capacity(BLOCK + 4),
            decoded: Vec::with_capacity(BLOCK * 3 / 2 + 8),
            given: 0,
            at_end: false,
        }
    }

    /// Decodes the next block into `decoded`; false at the end.
    fn refill(&mut self) -> io::Result<bool> {
        self.decoded.clear();
        self.given = 0;
        while self.decoded.is_empty() && !self.at_end {
            let read = (&mut self.inner).take(BLOCK as u64).read_to_end(&mut self.raw)?;
            self.at_end = read == 0;
            let mut start = 0;
            if self.bom && self.raw.len() >= 2 {
                self.bom = false;
                start = 2;
            }
            let used = decode_units(&self.raw[start..], self.order, self.at_end, &mut self.decoded);
            self.raw.drain(..start + used);
        }
        Ok(!self.decoded.is_empty())
    }
}

impl<R: Read> Read for Decoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.given == self.decoded.len() && !self.refill()? {
            return Ok(0);
        }
        let n = buf.len().min(self.decoded.len() - self.given);
        buf[..n].copy_from_slice(&self.decoded[self.given..self.given + n]);
        self.given += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn le(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    fn be(text: &str) -> Vec<u8> {
        text.encode_utf16().flat_map(u16::to_be_bytes).collect()
    }

    fn detected(data: &[u8]) -> Option<Utf16> {
        let probe = &data[..data.len().min(PROBE_LEN)];
        detect(data, memchr::memchr(0, probe).is_some(), true)
    }

    const LE: Utf16 = Utf16 { order: ByteOrder::Little, bom: false };
    const BE: Utf16 = Utf16 { order: ByteOrder::Big, bom: false };

    #[test]
    fn both_byte_orders_with_and_without_a_mark_are_decoded() {
        let text = "key = 1\r\nnaïve 日本 😀\n\tend\n";
        let with_mark = |mut mark: Vec<u8>, body: Vec<u8>| {
            mark.extend(body);
            mark
        };
        for (data, encoding) in [
            (le(text), LE),
            (be(text), BE),
            (with_mark(vec![0xFF, 0xFE], le(text)), Utf16 { bom: true, ..LE }),
            (with_mark(vec![0xFE, 0xFF], be(text)), Utf16 { bom: true, ..BE }),
        ] {
            assert_eq!(detected(&data), Some(encoding));
            assert_eq!(decode(&data, encoding), text.as_bytes());
        }
        // A mark says UTF-16 even without a NUL byte.
        let cjk = with_mark(vec![0xFF, 0xFE], le("日本語"));
        assert!(memchr::memchr(0, &cjk).is_none());
        assert_eq!(detected(&cjk), Some(Utf16 { bom: true, ..LE }));
    }

    #[test]
    fn binaries_and_utf32_are_not_utf16() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0".to_vec();
        let elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0\x01\0\0\0".to_vec();
        let zip = b"PK\x03\x04\x14\0\0\0\x08\0abc".to_vec();
        let gzip = b"\x1f\x8b\x08\0\0\0\0\0\0\x03".to_vec();
        let utf32: Vec<u8> = "key = value\n".chars().flat_map(|c| (c as u32).to_le_bytes()).collect();
        let utf32_bom: Vec<u8> = [0xFF, 0xFE, 0, 0].into_iter().chain(utf32.clone()).collect();
        let mut random = Vec::new();
        let mut state = 0x2545_f491_u32;
        for _ in 0..8000 {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            random.push(if state % 7 == 0 { 0 } else { state as u8 });
        }
        for data in [png, elf, zip, gzip, utf32, utf32_bom, random] {
            assert_eq!(detected(&data), None, "{:?}", &data[..8]);
        }
        // Odd length, a lone surrogate, a NUL character: not text.
        assert_eq!(detected(&le("abc")[..5]), None);
        assert_eq!(detected(&[0x3D, 0xD8, 0x41, 0x00]), None);
        assert_eq!(detected(&le("a\0b")), None);
        // A tie of NUL bytes at even and odd offsets says no order.
        assert_eq!(detected(&[0x00, 0x41, 0x41, 0x00]), None);
    }

    #[test]
    fn a_surrogate_pair_cut_by_the_probe_is_still_text() {
        let mut data = le(&"a".repeat(PROBE_LEN / 2 - 1));
        data.extend(le("😀 and more"));
        assert_eq!(detected(&data), Some(LE));
    }

    #[test]
    fn invalid_sequences_become_replacement_characters() {
        // A lone high surrogate, a lone low one, then an odd last byte.
        let data = [0x3D, 0xD8, 0x41, 0x00, 0x00, 0xDC, 0x42, 0x00, 0x43];
        assert_eq!(String::from_utf8(decode(&data, LE)).unwrap(), "\u{FFFD}A\u{FFFD}B\u{FFFD}");
        let mut stream = Vec::new();
        Decoder::new(&data[..], LE).read_to_end(&mut stream).unwrap();
        assert_eq!(stream, decode(&data, LE));
    }

    /// Hands out at most `step` bytes per read, to cut code units and
    /// surrogate pairs everywhere.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    #[test]
    fn a_stream_decodes_as_the_whole_whatever_its_reads() {
        let text = "line 😀 one\nzwei 日本\n".repeat(9000);
        let mut data = vec![0xFE, 0xFF];
        data.extend(be(&text));
        let encoding = Utf16 { bom: true, ..BE };
        for step in [1, 3, 4, 7, BLOCK + 1, usize::MAX] {
            let mut out = Vec::new();
            Decoder::new(Trickle { data: &data, step }, encoding).read_to_end(&mut out).unwrap();
            assert!(out == text.as_bytes(), "reads of {step} bytes");
        }
    }
}
