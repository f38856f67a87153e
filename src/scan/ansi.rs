//! Text as a terminal shows it: ANSI escape sequences (colours from `grep
//! --color=always`, `ls`, compilers) removed, with a map from each byte
//! kept back to where it was. A token right after a colour code, or split
//! by one, is then one token again. Newlines are never removed, so line
//! numbers stay as they were.

/// The ESC byte that starts every sequence.
pub const ESC: u8 = 0x1b;

/// `data` without its escape sequences, and for each byte kept its offset
/// in `data` (plus one entry for the end).
pub fn strip(data: &[u8]) -> (Vec<u8>, Vec<usize>) {
    let mut text = Vec::with_capacity(data.len());
    let mut offsets = Vec::with_capacity(data.len() + 1);
    let mut at = 0;
    while at < data.len() {
        if data[at] == ESC {
            let length = sequence_len(&data[at..]);
            if length > 0 {
                at += length;
                continue;
            }
        }
        text.push(data[at]);
        offsets.push(at);
        at += 1;
    }
    offsets.push(data.len());
    (text, offsets)
}

/// The length of the escape sequence at the start of `data` (which starts
/// with ESC), or 0 when it is not one. CSI (`ESC [ … final`), OSC (`ESC ]
/// … BEL` or `ESC ] … ESC \`, hyperlinks and titles) and two-byte escapes;
/// none reaches past the end of its line.
fn sequence_len(data: &[u8]) -> usize {
    match data.get(1) {
        Some(b'[') => {
            // Parameters and intermediates, then one final byte in @..~.
            for (index, &byte) in data.iter().enumerate().skip(2) {
                match byte {
                    0x20..=0x3f => {}
                    0x40..=0x7e => return index + 1,
                    _ => return 0,
                }
            }
            0
        }
        Some(b']') => {
            for (index, &byte) in data.iter().enumerate().skip(2) {
                match byte {
                    0x07 => return index + 1,
                    ESC if data.get(index + 1) == Some(&b'\\') => return index + 2,
                    b'\n' => return 0,
                    _ => {}
                }
            }
            0
        }
        Some(0x40..=0x5f | b'(' | b')' | b'=' | b'>') => 2,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_codes_go_and_offsets_point_back() {
        let data = b"x \x1b[01;31m\x1b[Kab\x1b[mcd\x1b]8;;file:///x\x07ef\n";
        let (text, offsets) = strip(data);
        assert_eq!(text, b"x abcdef\n");
        assert_eq!(data[offsets[2]], b'a');
        assert_eq!(data[offsets[4]], b'c');
        assert_eq!(data[offsets[6]], b'e');
        assert_eq!(*offsets.last().unwrap(), data.len());
    }

    #[test]
    fn a_lone_or_unfinished_escape_is_kept() {
        assert_eq!(strip(b"a\x1b").0, b"a\x1b");
        assert_eq!(strip(b"a\x1b[12\nb").0, b"a\x1b[12\nb");
        assert_eq!(strip(b"a\x1b]title\nb").0, b"a\x1b]title\nb");
    }
}
