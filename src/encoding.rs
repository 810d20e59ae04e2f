//! Encoding primitives: what a reference field points at ([`Payload`]) and the one writer of
//! TAPI32_MSG-shaped packets that the request and reply builders share.
//!
//! Wire-primitive layer: nothing here knows a packet. The request builders
//! ([`crate::requests::RequestBuilder`], [`crate::requests::builders`]), the reply builder
//! ([`crate::replies::ReplyBuilder`]) and the structure builder lay their VarData out with it.
//! [`hex`] reads bytes from the hex text people paste (streams and `xxd`/`hexdump -C` dumps).

use alloc::vec::Vec;

use bytes::BufMut;

use crate::header::HEADER_DWORDS;

pub mod hex;

/// What a reference field points at, before layout.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Payload {
    /// No data: the field is set to `0xFFFFFFFF`.
    Absent,
    /// A string, written as UTF-16LE code units followed by a NUL unit.
    Text(Vec<u16>),
    /// Raw bytes (a data block or an encoded structure), written as they are.
    Bytes(Vec<u8>),
}

impl Payload {
    /// A text payload from a Rust string.
    pub fn text(s: &str) -> Self {
        Payload::Text(s.encode_utf16().collect())
    }

    /// The bytes this payload occupies in VarData, and the value its size field gets.
    pub(crate) fn encoded_len(&self) -> usize {
        match self {
            Payload::Absent => 0,
            Payload::Text(units) => 2 * (units.len() + 1),
            Payload::Bytes(b) => b.len(),
        }
    }

    pub(crate) fn write<B: BufMut>(&self, out: &mut B) {
        match self {
            Payload::Absent => {}
            Payload::Text(units) => {
                // UTF-16LE through a small stack buffer: one `put_slice` per 32 units rather
                // than one bounds-checked write per unit.
                let mut chunk = [0u8; 64];
                for part in units.chunks(32) {
                    for (b, u) in chunk.chunks_exact_mut(2).zip(part) {
                        b.copy_from_slice(&u.to_le_bytes());
                    }
                    out.put_slice(&chunk[..2 * part.len()]);
                }
                out.put_u16_le(0);
            }
            Payload::Bytes(b) => out.put_slice(b),
        }
    }
}

impl From<&str> for Payload {
    fn from(s: &str) -> Self {
        Payload::text(s)
    }
}

impl From<&[u8]> for Payload {
    fn from(b: &[u8]) -> Self {
        Payload::Bytes(b.to_vec())
    }
}

impl From<Vec<u8>> for Payload {
    fn from(b: Vec<u8>) -> Self {
        Payload::Bytes(b)
    }
}

impl<const N: usize> From<&[u8; N]> for Payload {
    fn from(b: &[u8; N]) -> Self {
        Payload::Bytes(b.to_vec())
    }
}

impl<T: Into<Payload>> From<Option<T>> for Payload {
    fn from(v: Option<T>) -> Self {
        v.map_or(Payload::Absent, Into::into)
    }
}

/// Rounds `n` up to a multiple of four.
pub(crate) const fn dword_align(n: usize) -> usize {
    (n + 3) & !3
}

/// Writes a TAPI32_MSG-shaped packet: the fifteen fixed DWORDs, then VarData items, each
/// followed by zero padding to the next DWORD, then zeros up to `var_len`. Shared by the
/// request and reply builders, whose layouts computed the offsets this reproduces, and by
/// both of their outputs: a growing [`BytesMut`](bytes::BytesMut) (`encode`) and a caller's `&mut [u8]`
/// (`emit`, which checks beforehand that the slice holds `HEADER_LEN + var_len` bytes: a
/// `&mut [u8]` sink cannot grow).
pub(crate) fn put_packet<B: BufMut, I>(
    out: &mut B,
    dwords: &[u32; HEADER_DWORDS],
    var_len: usize,
    items: impl IntoIterator<Item = I>,
    write: impl Fn(&mut B, I),
) {
    for d in dwords {
        out.put_u32_le(*d);
    }
    // `remaining_mut` shrinks by what is written, for a `BytesMut` as for a slice.
    let start = out.remaining_mut();
    let written = |out: &B| start - out.remaining_mut();
    for item in items {
        write(out, item);
        let w = written(out);
        out.put_bytes(0, dword_align(w) - w);
    }
    let w = written(out);
    out.put_bytes(0, var_len.saturating_sub(w));
}
