//! Encoding: builders that write the fixed part and lay VarData out.
//!
//! [`RequestBuilder`] is the generic builder every typed builder in
//! [`requests::builders`](crate::requests::builders) wraps. It holds the fifteen fixed DWORDs
//! and, for each reference field, an optional [`Payload`]. [`RequestBuilder::encode`] lays the
//! payloads out in field order, each at a DWORD-aligned offset from the start of VarData
//! (zero padding between them and at the end, so VarData is a whole number of DWORDs), writes
//! each payload's offset into its field and, for (offset, size) pairs, its length into the
//! size field.
//!
//! [`RequestBuilder::from_request`] goes the other way: it reads a parsed request back into a
//! builder, resolving every reference into a payload. For any builder `b`,
//! `from_request(parse(encode(b))) == b`; for any buffer `x` in canonical layout,
//! `encode(from_request(parse(x))) == x`. Byte-exact re-encoding of *any* parsed buffer
//! (whatever its layout) is [`Request::encode`](crate::requests::Request::encode).

use alloc::vec::Vec;

use bytes::{BufMut, BytesMut};

use crate::errors::DecodeError;
use crate::header::{HEADER_DWORDS, HEADER_LEN};
use crate::requests::{FuncId, PacketDesc, Request, Resolved, Role};
use crate::vardata::ABSENT;

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
    fn encoded_len(&self) -> usize {
        match self {
            Payload::Absent => 0,
            Payload::Text(units) => 2 * (units.len() + 1),
            Payload::Bytes(b) => b.len(),
        }
    }

    fn write(&self, out: &mut BytesMut) {
        match self {
            Payload::Absent => {}
            Payload::Text(units) => {
                for u in units.iter().chain(core::iter::once(&0)) {
                    out.put_u16_le(*u);
                }
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
/// request and reply builders, whose layouts computed the offsets this reproduces.
pub(crate) fn put_packet<I>(
    out: &mut BytesMut,
    dwords: &[u32; HEADER_DWORDS],
    var_len: usize,
    items: impl IntoIterator<Item = I>,
    write: impl Fn(&mut BytesMut, I),
) {
    out.reserve(HEADER_LEN + var_len);
    for d in dwords {
        out.put_u32_le(*d);
    }
    let start = out.len();
    for item in items {
        write(out, item);
        let written = out.len() - start;
        out.put_bytes(0, dword_align(written) - written);
    }
    let written = out.len() - start;
    out.put_bytes(0, var_len.saturating_sub(written));
}

/// A request under construction (see the module documentation).
#[derive(Debug, Clone)]
pub struct RequestBuilder {
    desc: &'static PacketDesc,
    dwords: [u32; HEADER_DWORDS],
    payloads: [Option<Payload>; HEADER_DWORDS],
    min_var_len: usize,
}

impl RequestBuilder {
    /// A builder for `func` with `Req_Func` set and every other DWORD zero.
    pub fn new(func: FuncId) -> Self {
        let mut dwords = [0; HEADER_DWORDS];
        dwords[0] = func as u32;
        RequestBuilder {
            desc: func.desc(),
            dwords,
            payloads: Default::default(),
            min_var_len: 0,
        }
    }

    /// The packet's description.
    pub fn desc(&self) -> &'static PacketDesc {
        self.desc
    }

    /// Sets DWORD `index` (0..15) to `value`, dropping any payload the field had. Setting
    /// index 0 changes `Req_Func` on the wire (to craft mismatched packets) but not the
    /// builder's packet description.
    pub fn set(&mut self, index: usize, value: u32) -> &mut Self {
        if let Some(d) = self.dwords.get_mut(index) {
            *d = value;
            self.payloads[index] = None;
        }
        self
    }

    /// DWORD `index` as it stands (for payload fields, the value laid out by the last
    /// [`RequestBuilder::from_request`], or whatever was set).
    pub fn get(&self, index: usize) -> Option<u32> {
        self.dwords.get(index).copied()
    }

    /// Gives reference field `index` a payload to lay out in VarData. Ignored (returns
    /// `false`) when the field is not a request-side reference.
    pub fn set_payload(&mut self, index: usize, payload: Payload) -> bool {
        match self.desc.fields.get(index) {
            Some(f) if f.role.is_reference() => {
                self.payloads[index] = Some(payload);
                true
            }
            _ => false,
        }
    }

    /// The payload of field `index`, if one is set.
    pub fn payload(&self, index: usize) -> Option<&Payload> {
        self.payloads.get(index).and_then(Option::as_ref)
    }

    /// Makes VarData at least `len` bytes long (zero-filled, rounded up to whole DWORDs), for
    /// requests whose VarData is the space the server answers into (e.g. GetDevCaps).
    pub fn var_data_len(&mut self, len: usize) -> &mut Self {
        self.min_var_len = len;
        self
    }

    /// Lays the payloads out: returns the fixed DWORDs with offsets and sizes filled in, and
    /// the length of VarData.
    fn layout(&self) -> ([u32; HEADER_DWORDS], usize) {
        let mut dwords = self.dwords;
        let mut cursor = 0usize;
        for (i, p) in self.payloads.iter().enumerate() {
            let Some(p) = p else { continue };
            if *p == Payload::Absent {
                dwords[i] = ABSENT;
                continue;
            }
            // Offsets are DWORDs on the wire; a payload that cannot be addressed in 32 bits is
            // clamped to the sentinel rather than silently wrapped.
            dwords[i] = u32::try_from(cursor).unwrap_or(ABSENT);
            let len = p.encoded_len();
            if let Role::Bytes { size, .. } = self.desc.fields[i].role {
                dwords[size] = u32::try_from(len).unwrap_or(u32::MAX);
            }
            cursor = dword_align(cursor.saturating_add(len));
        }
        (dwords, dword_align(cursor.max(self.min_var_len)))
    }

    /// The encoded length in bytes.
    pub fn encoded_len(&self) -> usize {
        HEADER_LEN + self.layout().1
    }

    /// Appends the encoded packet to `out`.
    pub fn encode(&self, out: &mut BytesMut) {
        let (dwords, var_len) = self.layout();
        put_packet(
            out,
            &dwords,
            var_len,
            self.payloads.iter().flatten(),
            |out, p| p.write(out),
        );
    }

    /// The encoded packet.
    pub fn to_bytes(&self) -> BytesMut {
        let mut out = BytesMut::new();
        self.encode(&mut out);
        out
    }

    /// Reads a parsed request back into a builder: every DWORD as found, every reference that
    /// resolves as a payload (a string as [`Payload::Text`], a block or structure as
    /// [`Payload::Bytes`], `0xFFFFFFFF` as [`Payload::Absent`]), and the VarData length.
    ///
    /// Fails on the first reference that does not resolve, and for undocumented functions.
    pub fn from_request(request: &Request<'_>) -> Result<Self, DecodeError> {
        let desc = request.desc_strict()?;
        let mut b = RequestBuilder {
            desc,
            dwords: request.dwords(),
            payloads: Default::default(),
            min_var_len: request.var_data().len(),
        };
        for r in request.references() {
            b.payloads[r.index] = Some(match r.value? {
                None => Payload::Absent,
                Some(Resolved::Str(s)) => Payload::Text(s.units().collect()),
                Some(Resolved::Bytes(x) | Resolved::Structure(x)) => Payload::Bytes(x.to_vec()),
            });
        }
        Ok(b)
    }

    /// The builder with payload-governed DWORDs (offsets and sizes) and the VarData length
    /// replaced by what [`RequestBuilder::encode`] writes: two builders that encode alike
    /// compare equal after this.
    fn normalized(&self) -> ([u32; HEADER_DWORDS], usize) {
        self.layout()
    }
}

impl PartialEq for RequestBuilder {
    fn eq(&self, other: &Self) -> bool {
        self.desc.func == other.desc.func
            && self.payloads == other.payloads
            && self.normalized() == other.normalized()
    }
}

impl Eq for RequestBuilder {}
