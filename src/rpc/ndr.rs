//! The NDR shapes of the six [MS-TRP] methods, in NDR20 (\[C706\] 14) and NDR64 ([MS-RPCE]
//! 2.2.5), read without copying and written into a `Vec<u8>`.
//!
//! [MS-TRP] 2.2 requires both transfer syntaxes. The six methods (6.1, 6.2) use only top-level
//! `[ref]` parameters, so their stubs carry no referent ids and only these shapes:
//!
//! * `long` (`i32`), 4-byte aligned in both syntaxes ([MS-RPCE] 2.2.5.3.1: NDR64 keeps the
//!   NDR alignment of simple types);
//! * the context handle, [`ContextHandle`]: `u32` attributes and a 16-byte UUID, 20 bytes,
//!   4-byte aligned (\[C706\] 14.2.4, [MS-RPCE] 2.2.5.3.1);
//! * the conformant-varying `[string] wchar_t*`, [`WStr`] (\[C706\] 14.3.4.2);
//! * the conformant-varying byte array, [`ConformantVarying`] (\[C706\] 14.3.3.4, [MS-RPCE]
//!   2.2.5.3.2.3).
//!
//! The counts (maximum, offset, actual) of a conformant-varying array are `u32` aligned to 4
//! in NDR20 and `u64` aligned to 8 in NDR64; the elements follow the actual count with no
//! further alignment. Alignment is relative to the start of the stub (\[C706\] 14.2.2).
//! Padding bytes are skipped, not checked, as a Windows server does; their values are kept
//! ([`PadLog`]) so that a stub can be rebuilt byte for byte.
//!
//! [`NdrReader`] applies the strict checks of [MS-RPCE] 3.1.1.5.3 that [MS-TRP] 3.1.4 and
//! 3.3.4 require; every failure is an [`NdrError`] naming the method, the parameter and the
//! byte offset in the stub. [`NdrWriter`] writes the same shapes with whatever counts it is
//! given, so that deliberately inconsistent stubs can be built for fuzzing.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::str::FromStr;

use super::uuid::{NDR20, NDR64, SyntaxId, Uuid};

/// `nca_s_fault_ndr` / `RPC_X_BAD_STUB_DATA` (0x6F7): the status a Windows server puts in the
/// fault PDU when a stub fails unmarshalling ([MS-RPCE] 3.1.1.5.3, design note 1 "Faults").
pub const FAULT_NDR: u32 = 0x0000_06F7;

/// `nca_s_fault_context_mismatch` (0x1C00001A): the fault status for a context handle the
/// server does not know (\[C706\] appendix E, [MS-RPCE] 3.1.1.5.3.3, design note 1 "Faults").
pub const FAULT_CONTEXT_MISMATCH: u32 = 0x1C00_001A;

/// A transfer syntax the methods are offered in ([MS-TRP] 2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Syntax {
    /// NDR 2.0 (\[C706\] 14): counts are `u32` aligned to 4.
    Ndr20,
    /// NDR64 ([MS-RPCE] 2.2.5): counts are `u64` aligned to 8.
    Ndr64,
}

impl Syntax {
    /// Both syntaxes, NDR20 first.
    pub const ALL: [Syntax; 2] = [Syntax::Ndr20, Syntax::Ndr64];

    /// The transfer-syntax identifier negotiated in bind ([`NDR20`] or [`NDR64`]).
    pub const fn syntax_id(self) -> SyntaxId {
        match self {
            Syntax::Ndr20 => NDR20,
            Syntax::Ndr64 => NDR64,
        }
    }

    /// The syntax with this identifier (UUID and version), if it is NDR20 or NDR64.
    pub fn from_syntax_id(id: &SyntaxId) -> Option<Syntax> {
        Syntax::ALL.into_iter().find(|s| s.syntax_id() == *id)
    }

    /// `"NDR20"` or `"NDR64"`.
    pub const fn name(self) -> &'static str {
        match self {
            Syntax::Ndr20 => "NDR20",
            Syntax::Ndr64 => "NDR64",
        }
    }

    /// Size and alignment of an array count: 4 in NDR20 (\[C706\] 14.3.3), 8 in NDR64
    /// ([MS-RPCE] 2.2.5.3.2).
    pub const fn count_size(self) -> usize {
        match self {
            Syntax::Ndr20 => 4,
            Syntax::Ndr64 => 8,
        }
    }
}

impl fmt::Display for Syntax {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Text that names neither transfer syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("expected ndr20 or ndr64")]
#[non_exhaustive]
pub struct ParseSyntaxError;

impl FromStr for Syntax {
    type Err = ParseSyntaxError;

    /// `ndr20` or `ndr64`, either case.
    fn from_str(s: &str) -> Result<Syntax, ParseSyntaxError> {
        Syntax::ALL
            .into_iter()
            .find(|x| x.name().eq_ignore_ascii_case(s))
            .ok_or(ParseSyntaxError)
    }
}

/// What is wrong with a stub ([MS-RPCE] 3.1.1.5.3; design note 1 "Strict NDR checks").
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NdrErrorKind {
    /// The stub ends inside a field.
    #[error("{needed} bytes are needed, {available} remain")]
    Truncated {
        /// Bytes the field needs.
        needed: usize,
        /// Bytes left in the stub.
        available: usize,
    },
    /// The stub ends inside the alignment padding before a field.
    #[error(
        "the stub ends inside the padding to a {align}-byte boundary ({available} bytes remain)"
    )]
    MissingPadding {
        /// The alignment the next field needs.
        align: usize,
        /// Bytes left in the stub.
        available: usize,
    },
    /// A conformant-varying array's offset is not 0 ([MS-RPCE] 3.1.1.5.3.2; every array of
    /// these methods is transmitted from its first element).
    #[error("offset is {value}, must be 0")]
    NonZeroOffset {
        /// The offset found.
        value: u64,
    },
    /// The actual count exceeds the maximum count (\[C706\] 14.3.3.4, [MS-RPCE] 3.1.1.5.3.2).
    #[error("actual_count {actual} exceeds max_count {max}")]
    ActualExceedsMax {
        /// The maximum count.
        max: u64,
        /// The actual count.
        actual: u64,
    },
    /// The maximum count differs from its `size_is` parameter ([MS-RPCE] 3.1.1.5.3.2.1,
    /// correlation validation).
    #[error("max_count {max} differs from {against} = {expected}")]
    MaxMismatch {
        /// The maximum count found.
        max: u64,
        /// The parameter it must equal.
        against: &'static str,
        /// That parameter's value.
        expected: i64,
    },
    /// The actual count differs from its `length_is` parameter ([MS-RPCE] 3.1.1.5.3.2.1).
    #[error("actual_count {actual} differs from {against} = {expected}")]
    ActualMismatch {
        /// The actual count found.
        actual: u64,
        /// The parameter it must equal.
        against: &'static str,
        /// That parameter's value.
        expected: i64,
    },
    /// A `long` that sizes an array is negative ([MS-RPCE] 3.1.1.5.3.2: a conformance or
    /// variance value is non-negative).
    #[error("size {value} is negative")]
    NegativeSize {
        /// The value found.
        value: i32,
    },
    /// A `[string]`'s maximum count differs from its actual count (both count the NUL).
    #[error("string max_count {max} differs from actual_count {actual}")]
    StringMaxMismatch {
        /// The maximum count.
        max: u64,
        /// The actual count.
        actual: u64,
    },
    /// A `[string]` is empty or its last element is not NUL (\[C706\] 14.3.4,
    /// [MS-RPCE] 3.1.1.5.3.2).
    #[error("string of {units} UTF-16 units is not NUL-terminated")]
    Unterminated {
        /// The number of units transmitted.
        units: u64,
    },
    /// A count whose elements cannot be addressed (its byte length overflows).
    #[error("count {count} is too large")]
    CountOverflow {
        /// The count found.
        count: u64,
    },
    /// Bytes remain after the last parameter.
    #[error("{len} bytes follow the last parameter")]
    TrailingBytes {
        /// Number of such bytes.
        len: usize,
    },
    /// An `[in]` context handle is nil: the server never issued it, so the runtime rejects
    /// it as a context mismatch ([MS-RPCE] 3.1.1.5.3.3, [MS-TRP] 3.1.4 `strict_context_handle`).
    #[error("the [in] context handle is nil")]
    NilContextHandle,
}

/// A stub that fails a check: method, parameter, byte offset in the stub, and what.
///
/// `offset` is that of the field at fault (for a count, the count; for an array's data, its
/// first byte; for [`NdrErrorKind::TrailingBytes`], the first extra byte). A check that
/// compares an array with a size sent after it names the array's count, found when the size
/// has been read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{method}.{param} at stub byte {offset}: {kind}")]
#[non_exhaustive]
pub struct NdrError {
    /// The method, e.g. `ClientRequest`.
    pub method: &'static str,
    /// The parameter as the IDL spells it (e.g. `pBuffer`), or `stub` for trailing bytes.
    pub param: &'static str,
    /// Byte offset of the field in the stub.
    pub offset: usize,
    /// What is wrong.
    pub kind: NdrErrorKind,
}

impl NdrError {
    /// An error.
    pub const fn new(
        method: &'static str,
        param: &'static str,
        offset: usize,
        kind: NdrErrorKind,
    ) -> NdrError {
        NdrError {
            method,
            param,
            offset,
            kind,
        }
    }

    /// The status a Windows server answers in its fault PDU: [`FAULT_CONTEXT_MISMATCH`] for a
    /// nil `[in]` context handle, [`FAULT_NDR`] for every malformed stub.
    pub const fn fault_status(&self) -> u32 {
        match self.kind {
            NdrErrorKind::NilContextHandle => FAULT_CONTEXT_MISMATCH,
            _ => FAULT_NDR,
        }
    }
}

/// An NDR context handle (`ndr_context_handle`, \[C706\] 14.2.4 / appendix N): `u32` attributes
/// and a UUID, 20 bytes on the wire in both syntaxes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct ContextHandle {
    /// `context_handle_attributes` (0 in every handle Windows issues).
    pub attributes: u32,
    /// `context_handle_uuid`: nil for a null or freed handle.
    pub uuid: Uuid,
}

impl ContextHandle {
    /// Size on the wire.
    pub const LEN: usize = 20;
    /// The nil handle (20 zero bytes): what a detach returns once the handle is freed
    /// ([MS-TRP] 3.1.4.3, 3.3.4.3).
    pub const NIL: ContextHandle = ContextHandle {
        attributes: 0,
        uuid: Uuid::NIL,
    };

    /// The handle whose wire form is `bytes`.
    pub fn from_bytes(bytes: [u8; 20]) -> ContextHandle {
        let mut uuid = [0u8; 16];
        uuid.copy_from_slice(&bytes[4..]);
        ContextHandle {
            attributes: u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]),
            uuid: Uuid(uuid),
        }
    }

    /// The 20 wire bytes.
    pub fn to_bytes(&self) -> [u8; 20] {
        let mut b = [0u8; 20];
        b[..4].copy_from_slice(&self.attributes.to_le_bytes());
        b[4..].copy_from_slice(&self.uuid.0);
        b
    }

    /// True when the UUID is nil: the null context handle (\[C706\] 14.2.4; the runtime looks
    /// only at the UUID).
    pub fn is_nil(&self) -> bool {
        self.uuid.is_nil()
    }

    /// The 20 wire bytes as 40 lower-case hex digits.
    pub fn to_hex(&self) -> String {
        use core::fmt::Write;
        let mut s = String::with_capacity(40);
        for b in self.to_bytes() {
            let _ = write!(s, "{b:02x}");
        }
        s
    }
}

impl fmt::Display for ContextHandle {
    /// The 40 hex digits of [`ContextHandle::to_hex`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.to_bytes() {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for ContextHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ContextHandle({self})")
    }
}

/// Text that is not 40 hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a context handle is 40 hex digits (its 20 wire bytes)")]
#[non_exhaustive]
pub struct ParseContextHandleError;

impl FromStr for ContextHandle {
    type Err = ParseContextHandleError;

    /// Parses 40 hex digits (either case), the wire bytes in order.
    fn from_str(s: &str) -> Result<ContextHandle, ParseContextHandleError> {
        let s = s.as_bytes();
        if s.len() != 40 {
            return Err(ParseContextHandleError);
        }
        let mut b = [0u8; 20];
        for (out, pair) in b.iter_mut().zip(s.chunks_exact(2)) {
            let hi = hex(pair[0]).ok_or(ParseContextHandleError)?;
            let lo = hex(pair[1]).ok_or(ParseContextHandleError)?;
            *out = hi << 4 | lo;
        }
        Ok(ContextHandle::from_bytes(b))
    }
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for ContextHandle {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for ContextHandle {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ContextHandle, D::Error> {
        let s = <alloc::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A conformant-varying byte array (`size_is`/`length_is` `unsigned char*`, \[C706\] 14.3.3.4,
/// [MS-RPCE] 2.2.5.3.2.3): maximum count, offset and actual count, then `actual_count` bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConformantVarying<'a> {
    /// `max_count`: the capacity (`size_is`).
    pub max_count: u64,
    /// `offset`: the first transmitted index (`first_is`); 0 in a valid stub.
    pub offset: u64,
    /// `actual_count`: the number of bytes transmitted (`length_is`).
    pub actual_count: u64,
    /// Byte offset of `max_count` in the stub.
    pub at: usize,
    syntax: Syntax,
    data: &'a [u8],
}

impl<'a> ConformantVarying<'a> {
    /// The `actual_count` transmitted bytes.
    pub const fn bytes(&self) -> &'a [u8] {
        self.data
    }

    /// Byte offset of the `offset` field in the stub.
    pub const fn offset_at(&self) -> usize {
        self.at + self.syntax.count_size()
    }

    /// Byte offset of the `actual_count` field in the stub.
    pub const fn actual_count_at(&self) -> usize {
        self.at + 2 * self.syntax.count_size()
    }

    /// Byte offset of the first data byte in the stub.
    pub const fn data_at(&self) -> usize {
        self.at + 3 * self.syntax.count_size()
    }
}

impl<'a> ConformantVarying<'a> {
    /// The array whose counts start at byte `at` of a stub that has been checked, with its
    /// `actual_count` data bytes at `data` (views rebuild it on demand instead of keeping it).
    #[inline(always)]
    pub(crate) const fn checked(
        syntax: Syntax,
        at: usize,
        max_count: u64,
        actual_count: u64,
        data: &'a [u8],
    ) -> ConformantVarying<'a> {
        ConformantVarying {
            max_count,
            offset: 0,
            actual_count,
            at,
            syntax,
            data,
        }
    }
}

/// The little-endian `u32` at `at` in `b` (0 past the end: callers read checked stubs).
#[inline(always)]
pub(crate) fn le_u32(b: &[u8], at: usize) -> u32 {
    match at.checked_add(4).and_then(|end| b.get(at..end)) {
        Some(&[b0, b1, b2, b3]) => u32::from_le_bytes([b0, b1, b2, b3]),
        _ => 0,
    }
}

/// The array count at `at`: a `u32` in NDR20, a `u64` in NDR64 (0 past the end).
#[inline(always)]
pub(crate) fn count_at(syntax: Syntax, b: &[u8], at: usize) -> u64 {
    match syntax {
        Syntax::Ndr20 => u64::from(le_u32(b, at)),
        Syntax::Ndr64 => {
            u64::from(le_u32(b, at)) | u64::from(le_u32(b, at.saturating_add(4))) << 32
        }
    }
}

/// The context handle at byte 0 of a checked stub (every handle of the six methods is the
/// stub's first parameter); nil if the stub is shorter.
#[inline(always)]
pub(crate) fn context_handle_at_start(stub: &[u8]) -> ContextHandle {
    match stub.first_chunk::<20>() {
        Some(b) => ContextHandle::from_bytes(*b),
        None => ContextHandle::NIL,
    }
}

/// The `[string] wchar_t*` whose counts start at `at` in a stub that [`NdrReader::wstr`]
/// has checked (offset 0, max = actual, data present).
pub(crate) fn wstr_at(syntax: Syntax, stub: &[u8], at: usize) -> WStr<'_> {
    let step = syntax.count_size();
    let actual_count = count_at(syntax, stub, at.saturating_add(2 * step));
    let data_at = at.saturating_add(3 * step);
    let n = usize::try_from(actual_count.saturating_mul(2)).unwrap_or(usize::MAX);
    let data = data_at
        .checked_add(n)
        .and_then(|end| stub.get(data_at..end))
        .unwrap_or_default();
    WStr {
        max_count: actual_count,
        offset: 0,
        actual_count,
        at,
        syntax,
        data,
    }
}

/// A `[string] wchar_t*` (\[C706\] 14.3.4.2, [MS-RPCE] 2.2.5.3, NDR64 strings): maximum count, offset,
/// actual count (UTF-16 units, the NUL included), then the units in UTF-16LE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WStr<'a> {
    /// `max_count` in UTF-16 units.
    pub max_count: u64,
    /// `offset`; 0 in a valid stub.
    pub offset: u64,
    /// `actual_count` in UTF-16 units, the terminating NUL included.
    pub actual_count: u64,
    /// Byte offset of `max_count` in the stub.
    pub at: usize,
    syntax: Syntax,
    data: &'a [u8],
}

impl<'a> WStr<'a> {
    /// The transmitted bytes (`2 × actual_count`), NUL included.
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.data
    }

    /// The transmitted units, NUL included.
    pub fn units_with_nul(&self) -> impl Iterator<Item = u16> + Clone + 'a {
        self.data
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
    }

    /// The units before the terminating NUL (all units if the last is not NUL).
    pub fn units(&self) -> impl Iterator<Item = u16> + Clone + 'a {
        let n = self.data.len() / 2;
        let n = match self.data.get(n.saturating_sub(1) * 2..n * 2) {
            Some([0, 0]) => n - 1,
            _ => n,
        };
        self.units_with_nul().take(n)
    }

    /// The text before the terminating NUL; unpaired surrogates become U+FFFD.
    pub fn to_string_lossy(&self) -> String {
        char::decode_utf16(self.units())
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect()
    }

    /// Byte offset of the `offset` field in the stub.
    pub const fn offset_at(&self) -> usize {
        self.at + self.syntax.count_size()
    }

    /// Byte offset of the `actual_count` field in the stub.
    pub const fn actual_count_at(&self) -> usize {
        self.at + 2 * self.syntax.count_size()
    }

    /// Byte offset of the first unit in the stub.
    pub const fn data_at(&self) -> usize {
        self.at + 3 * self.syntax.count_size()
    }
}

impl fmt::Display for WStr<'_> {
    /// The text, lossily, without the NUL.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in char::decode_utf16(self.units()) {
            fmt::Write::write_char(f, c.unwrap_or(char::REPLACEMENT_CHARACTER))?;
        }
        Ok(())
    }
}

/// The padding bytes a reader skipped, in stub order (at most 16 are kept; the six methods
/// need at most 10). Lets a view be rebuilt byte for byte although padding is not checked.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct PadLog {
    bytes: [u8; 16],
    len: u8,
}

impl PadLog {
    /// The padding bytes seen.
    pub fn as_slice(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    /// True when every padding byte was zero.
    pub fn is_zero(&self) -> bool {
        self.as_slice().iter().all(|&b| b == 0)
    }

    /// The padding to give a builder: empty when it was all zero (the builders' default).
    pub fn to_vec(&self) -> Vec<u8> {
        if self.is_zero() {
            Vec::new()
        } else {
            self.as_slice().to_vec()
        }
    }

    #[inline(always)]
    fn push(&mut self, b: &[u8]) {
        for &x in b {
            if let Some(slot) = self.bytes.get_mut(usize::from(self.len)) {
                *slot = x;
                self.len += 1;
            }
        }
    }
}

impl fmt::Debug for PadLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PadLog({:02x?})", self.as_slice())
    }
}

/// A bounded, zero-copy reader over one stub: tracks the offset, aligns relative to the stub
/// start, and reports failures as [`NdrError`]s of `method`.
#[derive(Debug, Clone)]
pub struct NdrReader<'a> {
    stub: &'a [u8],
    pos: usize,
    syntax: Syntax,
    method: &'static str,
    pads: PadLog,
}

impl<'a> NdrReader<'a> {
    /// A reader at the start of `stub`.
    #[inline]
    pub const fn new(method: &'static str, syntax: Syntax, stub: &'a [u8]) -> NdrReader<'a> {
        NdrReader {
            stub,
            pos: 0,
            syntax,
            method,
            pads: PadLog {
                bytes: [0; 16],
                len: 0,
            },
        }
    }

    /// The transfer syntax.
    #[inline]
    pub const fn syntax(&self) -> Syntax {
        self.syntax
    }

    /// The current offset in the stub.
    #[inline]
    pub const fn position(&self) -> usize {
        self.pos
    }

    /// Bytes left.
    #[inline]
    pub const fn remaining(&self) -> usize {
        self.stub.len().saturating_sub(self.pos)
    }

    /// The padding skipped so far.
    #[inline]
    pub const fn pads(&self) -> PadLog {
        self.pads
    }

    /// An error of this reader's method.
    #[cold]
    pub const fn error(&self, param: &'static str, offset: usize, kind: NdrErrorKind) -> NdrError {
        NdrError::new(self.method, param, offset, kind)
    }

    /// Skips the padding up to the next multiple of `align` (a power of two) from the stub
    /// start. The padding's content is not checked.
    #[inline(always)]
    pub fn align(&mut self, param: &'static str, align: usize) -> Result<(), NdrError> {
        let pad = self.pos.wrapping_neg() & align.wrapping_sub(1);
        let end = self.pos.checked_add(pad);
        match end.and_then(|end| self.stub.get(self.pos..end)) {
            Some(b) => {
                self.pads.push(b);
                self.pos += pad;
                Ok(())
            }
            None => Err(self.error(
                param,
                self.pos,
                NdrErrorKind::MissingPadding {
                    align,
                    available: self.remaining(),
                },
            )),
        }
    }

    /// The next `n` bytes, unaligned.
    #[inline(always)]
    pub fn bytes(&mut self, param: &'static str, n: usize) -> Result<&'a [u8], NdrError> {
        let end = self.pos.checked_add(n);
        match end.and_then(|end| self.stub.get(self.pos..end)) {
            Some(b) => {
                self.pos += n;
                Ok(b)
            }
            None => Err(self.error(
                param,
                self.pos,
                NdrErrorKind::Truncated {
                    needed: n,
                    available: self.remaining(),
                },
            )),
        }
    }

    #[inline(always)]
    fn array<const N: usize>(&mut self, param: &'static str) -> Result<[u8; N], NdrError> {
        let b = self.bytes(param, N)?;
        let mut out = [0u8; N];
        out.copy_from_slice(b);
        Ok(out)
    }

    /// A 4-byte aligned `unsigned long`.
    #[inline(always)]
    pub fn u32(&mut self, param: &'static str) -> Result<u32, NdrError> {
        self.align(param, 4)?;
        self.array(param).map(u32::from_le_bytes)
    }

    /// A 4-byte aligned `long`.
    #[inline(always)]
    pub fn i32(&mut self, param: &'static str) -> Result<i32, NdrError> {
        self.align(param, 4)?;
        self.array(param).map(i32::from_le_bytes)
    }

    /// An array count: a 4-aligned `u32` in NDR20, an 8-aligned `u64` in NDR64.
    #[inline(always)]
    pub fn count(&mut self, param: &'static str) -> Result<u64, NdrError> {
        match self.syntax {
            Syntax::Ndr20 => self.u32(param).map(u64::from),
            Syntax::Ndr64 => {
                self.align(param, 8)?;
                self.array(param).map(u64::from_le_bytes)
            }
        }
    }

    /// A context handle (4-byte aligned, 20 bytes). A nil handle is accepted here; see
    /// [`NdrReader::in_context_handle`].
    #[inline]
    pub fn context_handle(&mut self, param: &'static str) -> Result<ContextHandle, NdrError> {
        self.align(param, 4)?;
        self.array(param).map(ContextHandle::from_bytes)
    }

    /// An `[in]` context handle: a nil one is [`NdrErrorKind::NilContextHandle`].
    #[inline]
    pub fn in_context_handle(&mut self, param: &'static str) -> Result<ContextHandle, NdrError> {
        let at = self.pos;
        let h = self.context_handle(param)?;
        if h.is_nil() {
            let at = at + (at.wrapping_neg() & 3);
            return Err(self.error(param, at, NdrErrorKind::NilContextHandle));
        }
        Ok(h)
    }

    /// The three counts of a conformant-varying array, checking offset = 0 and
    /// actual ≤ max. Returns (max, offset, actual, byte offset of max).
    #[inline]
    fn counts(&mut self, param: &'static str) -> Result<(u64, u64, u64, usize), NdrError> {
        let max = self.count(param)?;
        let at = self.pos - self.syntax.count_size();
        let offset = self.count(param)?;
        let actual = self.count(param)?;
        let step = self.syntax.count_size();
        if offset != 0 {
            return Err(self.error(
                param,
                at + step,
                NdrErrorKind::NonZeroOffset { value: offset },
            ));
        }
        if actual > max {
            return Err(self.error(
                param,
                at + 2 * step,
                NdrErrorKind::ActualExceedsMax { max, actual },
            ));
        }
        Ok((max, offset, actual, at))
    }

    /// A conformant-varying byte array, checked: offset = 0, actual ≤ max, data present.
    #[inline]
    pub fn conformant_varying(
        &mut self,
        param: &'static str,
    ) -> Result<ConformantVarying<'a>, NdrError> {
        let (max_count, offset, actual_count, at) = self.counts(param)?;
        let n = usize::try_from(actual_count).map_err(|_| {
            self.error(
                param,
                at + 2 * self.syntax.count_size(),
                NdrErrorKind::CountOverflow {
                    count: actual_count,
                },
            )
        })?;
        let data = self.bytes(param, n)?;
        Ok(ConformantVarying {
            max_count,
            offset,
            actual_count,
            at,
            syntax: self.syntax,
            data,
        })
    }

    /// A `[string] wchar_t*`, checked: offset = 0, actual ≤ max, max = actual, data present,
    /// last unit NUL.
    #[inline]
    pub fn wstr(&mut self, param: &'static str) -> Result<WStr<'a>, NdrError> {
        let (max_count, offset, actual_count, at) = self.counts(param)?;
        if max_count != actual_count {
            return Err(self.error(
                param,
                at,
                NdrErrorKind::StringMaxMismatch {
                    max: max_count,
                    actual: actual_count,
                },
            ));
        }
        let n = actual_count
            .checked_mul(2)
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| {
                self.error(
                    param,
                    at + 2 * self.syntax.count_size(),
                    NdrErrorKind::CountOverflow {
                        count: actual_count,
                    },
                )
            })?;
        let data_at = self.pos;
        let data = self.bytes(param, n)?;
        if !data.ends_with(&[0, 0]) {
            return Err(self.error(
                param,
                data_at,
                NdrErrorKind::Unterminated {
                    units: actual_count,
                },
            ));
        }
        Ok(WStr {
            max_count,
            offset,
            actual_count,
            at,
            syntax: self.syntax,
            data,
        })
    }

    /// Checks that the stub has been read to its end.
    #[inline]
    pub fn finish(&self) -> Result<(), NdrError> {
        match self.remaining() {
            0 => Ok(()),
            len => Err(self.error("stub", self.pos, NdrErrorKind::TrailingBytes { len })),
        }
    }
}

/// Writes the shapes into a `Vec<u8>` holding one stub (alignment is relative to its start).
///
/// Counts are written as given, so inconsistent stubs can be built; in NDR20 a count above
/// `u32::MAX` is truncated to its low 32 bits. Padding bytes come from the `padding` given to
/// [`NdrWriter::with_padding`], in order, then zeros.
#[derive(Debug, Clone)]
pub struct NdrWriter<'p> {
    out: Vec<u8>,
    syntax: Syntax,
    padding: &'p [u8],
    used: usize,
}

impl<'p> NdrWriter<'p> {
    /// An empty stub with zero padding.
    pub fn new(syntax: Syntax) -> NdrWriter<'static> {
        NdrWriter {
            out: Vec::new(),
            syntax,
            padding: &[],
            used: 0,
        }
    }

    /// An empty stub whose padding bytes are taken from `padding` (then zeros).
    pub fn with_padding(syntax: Syntax, padding: &'p [u8]) -> NdrWriter<'p> {
        NdrWriter {
            out: Vec::new(),
            syntax,
            padding,
            used: 0,
        }
    }

    /// The transfer syntax.
    pub const fn syntax(&self) -> Syntax {
        self.syntax
    }

    /// The stub so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.out
    }

    /// The stub.
    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }

    /// Pads to the next multiple of `align` (a power of two).
    pub fn align(&mut self, align: usize) -> &mut Self {
        let pad = self.out.len().wrapping_neg() & align.wrapping_sub(1);
        for _ in 0..pad {
            let b = self.padding.get(self.used).copied().unwrap_or(0);
            self.used += 1;
            self.out.push(b);
        }
        self
    }

    /// Raw bytes, unaligned.
    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        self.out.extend_from_slice(b);
        self
    }

    /// A 4-aligned `unsigned long`.
    pub fn u32(&mut self, v: u32) -> &mut Self {
        self.align(4).bytes(&v.to_le_bytes())
    }

    /// A 4-aligned `long`.
    pub fn i32(&mut self, v: i32) -> &mut Self {
        self.align(4).bytes(&v.to_le_bytes())
    }

    /// An array count: `u32` (low 32 bits) in NDR20, 8-aligned `u64` in NDR64.
    pub fn count(&mut self, v: u64) -> &mut Self {
        match self.syntax() {
            // Deliberate truncation: NDR20 has no wider count.
            Syntax::Ndr20 => self.u32(v as u32),
            Syntax::Ndr64 => self.align(8).bytes(&v.to_le_bytes()),
        }
    }

    /// A context handle.
    pub fn context_handle(&mut self, h: &ContextHandle) -> &mut Self {
        self.align(4).bytes(&h.to_bytes())
    }

    /// A conformant-varying byte array with these counts and data.
    pub fn conformant_varying(
        &mut self,
        max: u64,
        offset: u64,
        actual: u64,
        data: &[u8],
    ) -> &mut Self {
        self.count(max).count(offset).count(actual).bytes(data)
    }

    /// A `[string] wchar_t*` with these counts and units (give the NUL explicitly).
    pub fn wstr(&mut self, max: u64, offset: u64, actual: u64, units: &[u16]) -> &mut Self {
        self.count(max).count(offset).count(actual);
        for u in units {
            self.out.extend_from_slice(&u.to_le_bytes());
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_handle_text_round_trips() {
        let h: ContextHandle = "000000000102030405060708090a0b0c0d0e0f10".parse().unwrap();
        assert_eq!(h.attributes, 0);
        assert_eq!(h.uuid.0[0], 1);
        assert_eq!(h.to_hex(), "000000000102030405060708090a0b0c0d0e0f10");
        assert!(!h.is_nil());
        assert!(ContextHandle::NIL.is_nil());
        assert!("00".parse::<ContextHandle>().is_err());
        assert!(
            "g00000000102030405060708090a0b0c0d0e0f10"
                .parse::<ContextHandle>()
                .is_err()
        );
    }

    #[test]
    fn reader_aligns_from_the_stub_start() {
        let stub = [1, 0xAA, 0xBB, 0xCC, 5, 0, 0, 0];
        let mut r = NdrReader::new("M", Syntax::Ndr20, &stub);
        assert_eq!(r.bytes("a", 1).unwrap(), &[1]);
        assert_eq!(r.u32("b").unwrap(), 5);
        assert_eq!(r.pads().as_slice(), &[0xAA, 0xBB, 0xCC]);
        assert!(r.finish().is_ok());
    }

    #[test]
    fn syntax_maps_to_its_id() {
        for s in Syntax::ALL {
            assert_eq!(Syntax::from_syntax_id(&s.syntax_id()), Some(s));
            assert_eq!(s.name().to_lowercase().parse::<Syntax>(), Ok(s));
        }
    }
}
