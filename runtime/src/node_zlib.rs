//! The compression behind the `zlib` built-in: whole-buffer gzip, zlib and
//! raw deflate and their inverses, and CRC-32. Pure functions of their
//! input, so they need no crossing.

use std::io::{ErrorKind, Read, Write};

use deno_core::op2;
use deno_error::JsErrorBox;
use flate2::Compression;
use flate2::read::{DeflateDecoder, GzDecoder, MultiGzDecoder, ZlibDecoder};
use flate2::write::{DeflateEncoder, GzEncoder, ZlibEncoder};

/// `data` compressed or decompressed as `method` says (`gzip`, `gunzip`,
/// `deflate`, `inflate`, `deflateRaw`, `inflateRaw`, `unzip`); `level` is
/// zlib's, -1 for the default. A failure's message starts with zlib's error
/// code (`Z_DATA_ERROR: incorrect header check`), which the built-in puts on
/// the error as Node.js does.
#[op2]
#[buffer]
pub fn op_node_zlib(
    #[string] method: String,
    #[buffer] data: &[u8],
    level: i32,
) -> Result<Vec<u8>, JsErrorBox> {
    let level = if (0..=9).contains(&level) {
        Compression::new(level as u32)
    } else {
        Compression::default()
    };
    let result = match method.as_str() {
        "gzip" => encode(GzEncoder::new(Vec::new(), level), data),
        "deflate" => encode(ZlibEncoder::new(Vec::new(), level), data),
        "deflateRaw" => encode(DeflateEncoder::new(Vec::new(), level), data),
        // Node.js's gunzip reads concatenated members, as gzip(1) does.
        "gunzip" => decode(MultiGzDecoder::new(data)),
        "inflate" => decode(ZlibDecoder::new(data)),
        "inflateRaw" => decode(DeflateDecoder::new(data)),
        "unzip" if data.starts_with(&[0x1f, 0x8b]) => decode(GzDecoder::new(data)),
        "unzip" => decode(ZlibDecoder::new(data)),
        other => return Err(JsErrorBox::type_error(format!("zlib: unknown method '{other}'"))),
    };
    result.map_err(|error| {
        let (code, message) = match error.kind() {
            ErrorKind::UnexpectedEof => ("Z_BUF_ERROR", "unexpected end of file"),
            _ if method.starts_with("gun") || method == "unzip" || method == "inflate" => {
                ("Z_DATA_ERROR", "incorrect header check")
            }
            _ => ("Z_DATA_ERROR", "invalid stored block lengths"),
        };
        JsErrorBox::generic(format!("{code}: {message}"))
    })
}

/// CRC-32 of `data`, continuing from `initial` (Node.js's `zlib.crc32`).
#[op2(fast)]
pub fn op_node_crc32(#[buffer] data: &[u8], initial: u32) -> u32 {
    let mut hasher = crc32fast::Hasher::new_with_initial(initial);
    hasher.update(data);
    hasher.finalize()
}

trait Finish: Write {
    fn finish_into(self) -> std::io::Result<Vec<u8>>;
}

macro_rules! finish {
    ($($encoder:ident),*) => {$(
        impl Finish for $encoder<Vec<u8>> {
            fn finish_into(self) -> std::io::Result<Vec<u8>> {
                self.finish()
            }
        }
    )*};
}
finish!(GzEncoder, ZlibEncoder, DeflateEncoder);

fn encode(mut encoder: impl Finish, data: &[u8]) -> std::io::Result<Vec<u8>> {
    encoder.write_all(data)?;
    encoder.finish_into()
}

fn decode(mut decoder: impl Read) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    decoder.read_to_end(&mut out)?;
    Ok(out)
}
