//! The `guard redact` stream (`report::masked::copy_masked`) over arbitrary
//! bytes handed over in arbitrary read sizes: no panic, input without a
//! masked secret comes out byte for byte, and masking never makes the
//! output much longer than the input.
#![no_main]

use std::io::{BufReader, Read};
use std::sync::LazyLock;

use guard::config::Config;
use guard::pipeline::Pipeline;
use guard::report::masked::copy_masked;
use libfuzzer_sys::fuzz_target;

static PIPELINE: LazyLock<Pipeline> =
    LazyLock::new(|| Pipeline::new(&Config::default()).expect("default pipeline"));

/// Hands out `data` in reads whose sizes cycle through `sizes`.
struct Pieces<'a> {
    data: &'a [u8],
    sizes: &'a [u8],
    turn: usize,
}

impl Read for Pieces<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let size = self.sizes.get(self.turn % self.sizes.len().max(1)).map_or(4096, |&s| usize::from(s) + 1);
        self.turn += 1;
        let n = size.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

fuzz_target!(|input: &[u8]| {
    // First byte: how many of the next bytes are read sizes; then the data.
    let Some((&count, rest)) = input.split_first() else { return };
    let count = usize::from(count % 8).min(rest.len());
    let (sizes, data) = rest.split_at(count);
    let capacity = sizes.first().map_or(64, |&s| usize::from(s) + 1);
    let mut reader = BufReader::with_capacity(capacity, Pieces { data, sizes, turn: 0 });
    let mut output = Vec::new();
    let masked = copy_masked(&PIPELINE.scanner, &mut reader, &mut output).expect("in-memory copy");
    if masked == 0 {
        assert_eq!(output, data, "nothing masked, yet the stream changed");
    }
    assert!(output.len() <= 2 * data.len() + 64 * masked, "{} bytes out of {} in", output.len(), data.len());
});
