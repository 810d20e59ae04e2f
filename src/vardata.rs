//! The VarData resolver: the one place where an (offset, size) pair or a string offset found in
//! a fixed field becomes a borrowed slice.
//!
//! Offsets in request packets are relative to the start of VarData, the bytes after the 60-byte
//! fixed part (for example 2.2.4.1.1.1: "the offset, in bytes, from the beginning of the
//! variable data area"). Every resolution:
//!
//! 1. treats [`ABSENT`] (`0xFFFFFFFF`, `TAPI_NO_DATA`) as "not present" and returns `None`;
//! 2. checks the offset's alignment: DWORD for data blocks and structures, WCHAR for strings
//!    (3.1.4.2: "MUST fail if dwFriendlyNameOffset is not WCHAR-aligned", "lpParams (offset) is
//!    DWORD-aligned");
//! 3. checks that the offset lies inside VarData;
//! 4. computes `offset + size` with checked arithmetic and checks that it lies inside VarData;
//! 5. for strings, finds the UTF-16 NUL terminator inside VarData.
//!
//! Nothing is copied and nothing is allocated: a string comes back as a [`Utf16Str`], a view
//! over little-endian code units, with lossless and lossy ways to a `String`.

use core::fmt;

use crate::errors::{DecodeError, DecodeErrorKind};

/// `TAPI_NO_DATA`: the value of an offset field whose data is not present.
pub const ABSENT: u32 = 0xFFFF_FFFF;

/// Required alignment of an offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Align {
    /// No requirement.
    Byte = 1,
    /// Two bytes (a WCHAR).
    Wchar = 2,
    /// Four bytes (a DWORD), as [MS-DTYP] 2.2.9 requires of VarData contents.
    Dword = 4,
}

pub use crate::errors::Origin;

/// The variable data area of a packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct VarData<'a> {
    bytes: &'a [u8],
}

impl<'a> VarData<'a> {
    /// Wraps the bytes that follow a fixed part.
    pub const fn new(bytes: &'a [u8]) -> Self {
        VarData { bytes }
    }

    /// The raw bytes.
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Length in bytes.
    pub const fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether VarData is empty.
    pub const fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Checks presence, alignment and that `offset` lies inside VarData (`offset <= len`, so a
    /// zero-sized item may sit at the very end). Returns the offset as `usize`.
    ///
    /// This and the other `*_checked` functions are the resolver itself; they return the
    /// failed check alone, and the caller names the field (packet, field and byte offset) on
    /// the error path only, so a hot decode loop does not read field names.
    #[inline(always)]
    fn start(&self, offset: u32, align: Align) -> Result<Option<usize>, DecodeErrorKind> {
        if offset == ABSENT {
            return Ok(None);
        }
        if offset % align as u32 != 0 {
            return Err(DecodeErrorKind::Misaligned {
                value: offset,
                align: align as u32,
            });
        }
        let start = offset as usize;
        if start > self.bytes.len() {
            return Err(DecodeErrorKind::OffsetOutOfBounds {
                value: offset,
                len: self.bytes.len(),
            });
        }
        Ok(Some(start))
    }

    /// Resolves an (offset, size) pair to the `size` bytes at `offset`.
    #[inline]
    pub fn bytes(
        &self,
        at: Origin,
        offset: u32,
        size: u32,
        align: Align,
    ) -> Result<Option<&'a [u8]>, DecodeError> {
        self.bytes_checked(offset, size, align)
            .map_err(|kind| at.error(kind))
    }

    /// [`VarData::bytes`] without the origin: the failed check alone.
    #[inline(always)]
    pub(crate) fn bytes_checked(
        &self,
        offset: u32,
        size: u32,
        align: Align,
    ) -> Result<Option<&'a [u8]>, DecodeErrorKind> {
        match self.bytes_fast(offset, size, align) {
            Some(value) => Ok(value),
            None => self.bytes_exact(offset, size, align),
        }
    }

    /// The common case of [`VarData::bytes_checked`] in one test: absent, or aligned with
    /// `offset + size` (in 64 bits, so it cannot overflow) inside VarData. `None` leaves
    /// anything else to the checks one by one (`bytes_exact`), which say which fails; where
    /// this gives a value, [`VarData::bytes_checked`] gives the same.
    #[inline(always)]
    pub(crate) fn bytes_fast(
        &self,
        offset: u32,
        size: u32,
        align: Align,
    ) -> Option<Option<&'a [u8]>> {
        if offset == ABSENT {
            return Some(None);
        }
        let end = u64::from(offset) + u64::from(size);
        if (offset % align as u32 == 0) & (end <= self.bytes.len() as u64) {
            return self.bytes.get(offset as usize..end as usize).map(Some);
        }
        None
    }

    /// [`VarData::bytes_checked`] check by check: which check fails.
    #[cold]
    #[inline(never)]
    fn bytes_exact(
        &self,
        offset: u32,
        size: u32,
        align: Align,
    ) -> Result<Option<&'a [u8]>, DecodeErrorKind> {
        let Some(start) = self.start(offset, align)? else {
            return Ok(None);
        };
        self.span(start, offset, size).map(Some)
    }

    /// The `size` bytes at `start` (= `offset`, already known to lie inside VarData), with
    /// `offset + size` computed without overflow.
    #[inline(always)]
    fn span(&self, start: usize, offset: u32, size: u32) -> Result<&'a [u8], DecodeErrorKind> {
        let end = offset.checked_add(size).ok_or(DecodeErrorKind::Overflow {
            value: offset,
            size,
        })?;
        self.bytes
            .get(start..end as usize)
            .ok_or(DecodeErrorKind::SizeOutOfBounds {
                value: offset,
                size,
                len: self.bytes.len(),
            })
    }

    /// Resolves an offset to a NUL-terminated UTF-16LE string. The string must end inside
    /// VarData; the terminator is not part of the returned view.
    #[inline]
    pub fn string(
        &self,
        at: Origin,
        offset: u32,
        align: Align,
    ) -> Result<Option<Utf16Str<'a>>, DecodeError> {
        self.string_checked(offset, align)
            .map_err(|kind| at.error(kind))
    }

    /// [`VarData::string`] without the origin: the failed check alone.
    #[inline(always)]
    pub(crate) fn string_checked(
        &self,
        offset: u32,
        align: Align,
    ) -> Result<Option<Utf16Str<'a>>, DecodeErrorKind> {
        match self.string_fast(offset, align) {
            Some(value) => Ok(value),
            None => self.string_exact(offset, align),
        }
    }

    /// The common case of [`VarData::string_checked`]: absent, or aligned, inside VarData
    /// (one test) and NUL-terminated. `None` leaves anything else to the checks one by one
    /// (`string_exact`), which say which fails; where this gives a value,
    /// [`VarData::string_checked`] gives the same.
    #[inline(always)]
    pub(crate) fn string_fast(&self, offset: u32, align: Align) -> Option<Option<Utf16Str<'a>>> {
        if offset == ABSENT {
            return Some(None);
        }
        let start = self.string_start_fast(offset, align)?;
        let units = nul_unit_at(self.bytes, start)?;
        Some(Some(Utf16Str(self.bytes.get(start..)?.get(..units * 2)?)))
    }

    /// Whether [`VarData::string_fast`] gives a string (`Some(Some(_))`: `offset` is not
    /// 0xFFFFFFFF, and the string is aligned, inside VarData and NUL-terminated), without
    /// working out where the string ends (the NUL unit [`nul_unit_at`] finds lies inside
    /// VarData, so the view `string_fast` takes always exists), for the callers that only
    /// need to know that it resolves.
    #[inline(always)]
    pub(crate) fn string_resolves_fast(&self, offset: u32, align: Align) -> bool {
        offset != ABSENT
            && self
                .string_start_fast(offset, align)
                .is_some_and(|start| nul_unit_at(self.bytes, start).is_some())
    }

    /// The start of a string at `offset` (not 0xFFFFFFFF) when it is aligned and inside
    /// VarData (one test), the checks of [`VarData::string_fast`] before the NUL search.
    #[inline(always)]
    fn string_start_fast(&self, offset: u32, align: Align) -> Option<usize> {
        let start = offset as usize;
        if (offset % align as u32 != 0) | (start > self.bytes.len()) {
            return None;
        }
        Some(start)
    }

    /// [`VarData::string_checked`] check by check: which check fails.
    #[cold]
    #[inline(never)]
    fn string_exact(
        &self,
        offset: u32,
        align: Align,
    ) -> Result<Option<Utf16Str<'a>>, DecodeErrorKind> {
        let Some(start) = self.start(offset, align)? else {
            return Ok(None);
        };
        let tail = self.bytes.get(start..).unwrap_or_default();
        match nul_unit_at(self.bytes, start) {
            Some(units) => Ok(Some(Utf16Str(tail.get(..units * 2).unwrap_or_default()))),
            None => Err(DecodeErrorKind::Unterminated { value: offset }),
        }
    }

    /// Resolves an offset to a self-sized structure: the bytes from `offset` to
    /// `offset + dwTotalSize`, where `dwTotalSize` is the structure's first DWORD (2.2.6).
    #[inline]
    pub fn structure(
        &self,
        at: Origin,
        offset: u32,
        align: Align,
    ) -> Result<Option<&'a [u8]>, DecodeError> {
        self.structure_checked(offset, align)
            .map_err(|kind| at.error(kind))
    }

    /// [`VarData::structure`] without the origin: the failed check alone.
    #[inline(always)]
    pub(crate) fn structure_checked(
        &self,
        offset: u32,
        align: Align,
    ) -> Result<Option<&'a [u8]>, DecodeErrorKind> {
        match self.structure_fast(offset, align) {
            Some(value) => Ok(value),
            None => self.structure_exact(offset, align),
        }
    }

    /// The common case of [`VarData::structure_checked`] in two tests (the head, then the
    /// whole structure, in 64 bits), or absent. `None` leaves anything else to the checks
    /// one by one (`structure_exact`), which say which fails; where this gives a value,
    /// [`VarData::structure_checked`] gives the same.
    #[inline(always)]
    pub(crate) fn structure_fast(&self, offset: u32, align: Align) -> Option<Option<&'a [u8]>> {
        if offset == ABSENT {
            return Some(None);
        }
        let len = self.bytes.len() as u64;
        let start = u64::from(offset);
        if (offset % align as u32 == 0) & (start + 4 <= len) {
            let total = self
                .bytes
                .get(offset as usize..)
                .and_then(|b| b.first_chunk::<4>())
                .map_or(0, |b| u32::from_le_bytes(*b));
            let end = start + u64::from(total);
            if (total >= 4) & (end <= len) {
                return self.bytes.get(offset as usize..end as usize).map(Some);
            }
        }
        None
    }

    /// [`VarData::structure_checked`] check by check: which check fails.
    #[cold]
    #[inline(never)]
    fn structure_exact(
        &self,
        offset: u32,
        align: Align,
    ) -> Result<Option<&'a [u8]>, DecodeErrorKind> {
        let Some(start) = self.start(offset, align)? else {
            return Ok(None);
        };
        let head = self.span(start, offset, 4)?;
        let total = head
            .first_chunk::<4>()
            .map_or(0, |b| u32::from_le_bytes(*b));
        if total < 4 {
            return Err(DecodeErrorKind::StructureTooSmall {
                value: offset,
                total,
            });
        }
        self.span(start, offset, total).map(Some)
    }
}

/// The index (in UTF-16 code units) of the first NUL unit of `var[start..]` read as UTF-16LE
/// units from `start`, `None` when there is none (an odd last byte is not a unit) or `start`
/// lies past the end.
///
/// Reads eight bytes (four units) as one 64-bit word: for four 16-bit lanes `x`,
/// `(x - 0x0001...) & !x & 0x8000...` is non-zero exactly when a lane is zero, and its lowest
/// set bit is in the first zero lane (a borrow only runs upwards from a zero lane, so lanes
/// below it give no false positive). Where the units from `start` (`n` bytes):
///
/// * fill sixteen bytes, it reads two words per step, one branch per step, over
///   `chunks_exact` (no step re-checks its bounds), then the last 2 to 14 bytes as at most
///   two words: the first eight of them, then the eight that end at the last whole unit
///   (lanes shared with the bytes already read hold no NUL);
/// * have 8 to 14 bytes (a short string near the end of VarData, the common case), the first
///   eight and the eight that end at the last whole unit, with no loop;
/// * have 2 to 6 bytes, the eight bytes that end at the last whole unit, reaching back into
///   VarData before `start`, whose lanes are shifted out; as those lanes may be zero, each
///   lane is tested on its own there (`!(((x & 0x7FFF...) + 0x7FFF...) | x | 0x7FFF...)`,
///   whose masked sums cannot carry into the next lane). Only a VarData shorter than eight
///   bytes is read unit by unit.
#[inline(always)]
fn nul_unit_at(var: &[u8], start: usize) -> Option<usize> {
    const ONES: u64 = 0x0001_0001_0001_0001;
    const HIGH: u64 = 0x8000_8000_8000_8000;
    const LOW: u64 = !HIGH;
    // The zero lanes of a word (the lowest set bit is in the first).
    let zeros = |w: [u8; 8]| {
        let x = u64::from_le_bytes(w);
        x.wrapping_sub(ONES) & !x & HIGH
    };
    let lane = |z: u64| (z.trailing_zeros() / 16) as usize;
    let tail = var.get(start..)?;
    let even = tail.get(..tail.len() & !1).unwrap_or_default();
    let n = even.len();
    if n < 16 {
        if n >= 8 {
            let z = zeros(*even.first_chunk::<8>()?);
            if z != 0 {
                return Some(lane(z));
            }
            let back = n - 8;
            let z = zeros(*even.get(back..)?.first_chunk::<8>()?);
            return (z != 0).then(|| back / 2 + lane(z));
        }
        if n == 0 {
            return None;
        }
        let end = start + n;
        return match end.checked_sub(8).and_then(|b| var.get(b..end)) {
            Some(w) => {
                // Each lane on its own; the `8 - n` bytes before `start` shifted out.
                let x = u64::from_le_bytes(*w.first_chunk::<8>()?);
                let z = !(((x & LOW) + LOW) | x | LOW) >> (8 * (8 - n));
                (z != 0).then(|| lane(z))
            }
            None => even.chunks_exact(2).position(|u| u == [0, 0]),
        };
    }
    let mut steps = even.chunks_exact(16);
    let mut unit = 0;
    for step in &mut steps {
        let (a, b) = step.split_at(8);
        let (za, zb) = (zeros(a.try_into().ok()?), zeros(b.try_into().ok()?));
        if za | zb != 0 {
            return Some(unit + if za != 0 { lane(za) } else { 4 + lane(zb) });
        }
        unit += 8;
    }
    let rest = steps.remainder();
    if rest.is_empty() {
        return None;
    }
    // `rest` has 2 to 14 bytes and at least 16 bytes precede its end: read its first word
    // (when it has one) and the word ending at its end, which may reach back before it.
    if rest.len() >= 8 {
        let z = zeros(*rest.first_chunk::<8>()?);
        if z != 0 {
            return Some(unit + lane(z));
        }
    }
    let back = n - 8;
    let z = zeros(*even.get(back..)?.first_chunk::<8>()?);
    (z != 0).then(|| back / 2 + lane(z))
}

/// Resolution of the (size, offset) pairs of the self-relative data structures of 2.2.6.
impl<'a> VarData<'a> {
    /// Resolves a structure member pair (`dwXxxSize`, `dwXxxOffset`) of a 2.2.6 data structure
    /// whose bytes are `self` (offsets are relative to the structure's start, and `self` is
    /// already bounded by `dwUsedSize` or `dwTotalSize`).
    ///
    /// Unlike [`VarData::bytes`], `0xFFFFFFFF` has no special meaning here; instead a zero
    /// `size` means "not present" (`Ok(None)`), whatever the offset. A present item must start
    /// at or after `floor` (the end of the structure's fixed part: variable data never overlaps
    /// it), be aligned to `align`, and end inside `self`; `offset + size` is computed with
    /// checked arithmetic.
    pub fn item(
        &self,
        at: Origin,
        offset: u32,
        size: u32,
        align: Align,
        floor: usize,
    ) -> Result<Option<&'a [u8]>, DecodeError> {
        if size == 0 {
            return Ok(None);
        }
        if (offset as usize) < floor {
            return Err(at.error(DecodeErrorKind::OverlapsFixedPart {
                value: offset,
                fixed: floor,
            }));
        }
        if offset % align as u32 != 0 {
            return Err(at.error(DecodeErrorKind::Misaligned {
                value: offset,
                align: align as u32,
            }));
        }
        if offset as usize > self.bytes.len() && offset.checked_add(size).is_some() {
            return Err(at.error(DecodeErrorKind::OffsetOutOfBounds {
                value: offset,
                len: self.bytes.len(),
            }));
        }
        self.span(offset as usize, offset, size)
            .map(Some)
            .map_err(|kind| at.error(kind))
    }
}

/// A borrowed UTF-16LE string (without its NUL terminator), as found in VarData.
///
/// The view does not copy. [`Utf16Str::to_string`](alloc::string::ToString) is lossy (unpaired
/// surrogates become U+FFFD); [`Utf16Str::try_to_string`] is lossless or fails;
/// [`Utf16Str::units`] gives the exact code units.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Utf16Str<'a>(&'a [u8]);

impl<'a> Utf16Str<'a> {
    /// Wraps UTF-16LE bytes. Returns `None` for an odd length.
    pub fn from_le_bytes(bytes: &'a [u8]) -> Option<Self> {
        (bytes.len() % 2 == 0).then_some(Utf16Str(bytes))
    }

    /// The little-endian bytes, without the terminator.
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.0
    }

    /// Length in UTF-16 code units, without the terminator.
    pub const fn len(&self) -> usize {
        self.0.len() / 2
    }

    /// Whether the string is empty.
    pub const fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The code units.
    pub fn units(&self) -> impl Iterator<Item = u16> + 'a {
        self.0
            .chunks_exact(2)
            .map(|u| u16::from_le_bytes([u[0], u[1]]))
    }

    /// The characters, with an error for each unpaired surrogate.
    pub fn chars(&self) -> core::char::DecodeUtf16<impl Iterator<Item = u16> + 'a> {
        core::char::decode_utf16(self.units())
    }

    /// The string, or the first unpaired surrogate as an error.
    pub fn try_to_string(&self) -> Result<alloc::string::String, core::char::DecodeUtf16Error> {
        self.chars().collect()
    }

    /// Whether the string equals `s`.
    pub fn eq_str(&self, s: &str) -> bool {
        self.units().eq(s.encode_utf16())
    }
}

impl fmt::Display for Utf16Str<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        for c in self.chars() {
            f.write_char(c.unwrap_or(char::REPLACEMENT_CHARACTER))?;
        }
        Ok(())
    }
}

impl fmt::Debug for Utf16Str<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("u\"")?;
        for c in self.chars() {
            match c {
                Ok(c) => write!(f, "{}", c.escape_debug())?,
                Err(e) => write!(f, "\\u{{{:04x}}}", e.unpaired_surrogate())?,
            }
        }
        f.write_str("\"")
    }
}

impl PartialEq<str> for Utf16Str<'_> {
    fn eq(&self, other: &str) -> bool {
        self.eq_str(other)
    }
}

impl PartialEq<&str> for Utf16Str<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.eq_str(other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AT: Origin = Origin {
        packet: "Test",
        field: "lpTest",
        offset: 16,
    };

    #[test]
    fn absent_is_none() {
        let v = VarData::new(&[]);
        assert_eq!(v.bytes(AT, ABSENT, 100, Align::Dword), Ok(None));
        assert_eq!(v.string(AT, ABSENT, Align::Wchar), Ok(None));
        assert_eq!(v.structure(AT, ABSENT, Align::Dword), Ok(None));
    }

    #[test]
    fn item_checks_floor_alignment_and_bounds() {
        let v = VarData::new(&[0; 16]);
        assert_eq!(v.item(AT, 0, 0, Align::Dword, 8), Ok(None));
        assert_eq!(v.item(AT, 8, 8, Align::Dword, 8), Ok(Some(&[0u8; 8][..])));
        let kind = |r: Result<Option<&[u8]>, DecodeError>| r.unwrap_err().kind;
        assert!(matches!(
            kind(v.item(AT, 4, 4, Align::Dword, 8)),
            DecodeErrorKind::OverlapsFixedPart { .. }
        ));
        assert!(matches!(
            kind(v.item(AT, 10, 2, Align::Dword, 8)),
            DecodeErrorKind::Misaligned { .. }
        ));
        assert!(matches!(
            kind(v.item(AT, 12, 8, Align::Dword, 8)),
            DecodeErrorKind::SizeOutOfBounds { .. }
        ));
        assert!(matches!(
            kind(v.item(AT, 20, 4, Align::Dword, 8)),
            DecodeErrorKind::OffsetOutOfBounds { .. }
        ));
        assert!(matches!(
            kind(v.item(AT, 0xFFFF_FFFC, 8, Align::Dword, 8)),
            DecodeErrorKind::Overflow { .. }
        ));
    }

    #[test]
    fn zero_size_at_end_is_empty() {
        let v = VarData::new(&[1, 2, 3, 4]);
        assert_eq!(v.bytes(AT, 4, 0, Align::Dword), Ok(Some(&[][..])));
    }

    #[test]
    fn string_stops_at_nul_and_keeps_units() {
        let v = VarData::new(&[b'h', 0, 0xD8 /* lone high byte */, 0xD8, 0, 0, 9, 9]);
        let s = v.string(AT, 0, Align::Wchar).unwrap().unwrap();
        assert_eq!(s.len(), 2);
        assert!(s.try_to_string().is_err());
        assert_eq!(alloc::string::ToString::to_string(&s), "h\u{FFFD}");
    }

    /// The word-at-a-time NUL search against its definition (the first two-byte unit that is
    /// `[0, 0]`, an odd last byte ignored), on every length up to 48 (three 16-byte steps
    /// and every remainder after them) with the NUL, a lone zero
    /// byte straddling two units, and the lane values just around zero (0x0001, 0x8000,
    /// 0xFFFF, 0x0100) placed everywhere; from the start of the buffer, and after prefixes
    /// (NUL units, and values around zero) that a window reaching back before the start
    /// covers.
    #[test]
    fn nul_unit_matches_the_unit_by_unit_definition() {
        let definition = |b: &[u8]| b.chunks_exact(2).position(|u| u == [0, 0]);
        let fills: [[u8; 2]; 4] = [[1, 0], [0, 0x80], [0xFF, 0xFF], [0, 1]];
        for len in 0..48usize {
            for fill in fills {
                for nul in 0..=len {
                    let mut b: alloc::vec::Vec<u8> =
                        fill.iter().copied().cycle().take(len).collect();
                    if let Some(x) = b.get_mut(nul..(nul + 2).min(len)) {
                        x.fill(0);
                    }
                    assert_eq!(nul_unit_at(&b, 0), definition(&b), "{b:?}");
                    // The same units after a prefix of 2 to 20 bytes, NUL units among them,
                    // which the search must not see (a window that reaches back into them).
                    for pre in [2usize, 4, 6, 8, 14, 16, 20] {
                        for pre_fill in [[0u8, 0], [0, 1], [0xFF, 0x7F]] {
                            let mut v: alloc::vec::Vec<u8> =
                                pre_fill.iter().copied().cycle().take(pre).collect();
                            v.extend_from_slice(&b);
                            assert_eq!(nul_unit_at(&v, pre), definition(&b), "{pre} + {b:?}");
                        }
                    }
                }
            }
        }
        // Past the end: no string.
        assert_eq!(nul_unit_at(&[0, 0], 3), None);
        assert_eq!(nul_unit_at(&[0, 0], 2), None);
        // Known answers: [MS-TRP] strings are UTF-16LE units, so "a" then NUL is 61 00 00 00.
        assert_eq!(nul_unit_at(&[0x61, 0, 0, 0], 0), Some(1));
        assert_eq!(nul_unit_at(&[0x61, 0, 0], 0), None); // a lone zero byte is not a unit
        assert_eq!(nul_unit_at(&[0, 1, 0, 0], 0), Some(1)); // U+0100, then NUL
        assert_eq!(nul_unit_at(&[1, 0, 0, 0x80, 0, 0], 0), Some(2));
        assert_eq!(nul_unit_at(&[1, 0, 0, 1], 0), None); // zero bytes in two different units
    }

    /// The one-test fast paths give exactly what the checks one by one give (the value, or
    /// which check fails), for offsets and sizes around every boundary of a 16-byte VarData
    /// whose first DWORD, read as `dwTotalSize` (and, for strings, as UTF-16 units with and
    /// without a NUL), varies too.
    #[test]
    fn fast_paths_agree_with_the_checks_one_by_one() {
        let edges = [
            0u32,
            1,
            2,
            3,
            4,
            8,
            12,
            14,
            15,
            16,
            17,
            20,
            0x7FFF_FFFF,
            0xFFFF_FFF0,
            0xFFFF_FFFC,
            0xFFFF_FFFE,
            ABSENT,
        ];
        for total in [0u32, 3, 4, 8, 12, 16, 17, 0xFFFF_FFFC] {
            let mut bytes = [0u8; 16];
            bytes[..4].copy_from_slice(&total.to_le_bytes());
            bytes[8..12].copy_from_slice(&total.to_le_bytes());
            let v = VarData::new(&bytes);
            for offset in edges {
                for align in [Align::Byte, Align::Wchar, Align::Dword] {
                    assert_eq!(
                        v.structure_checked(offset, align),
                        v.structure_exact(offset, align),
                        "structure at {offset:#x}, total {total}"
                    );
                    assert_eq!(
                        v.string_checked(offset, align),
                        v.string_exact(offset, align),
                        "string at {offset:#x}, total {total}"
                    );
                    // Where a fast path answers, it answers as the checks one by one do.
                    if let Some(value) = v.structure_fast(offset, align) {
                        assert_eq!(Ok(value), v.structure_exact(offset, align));
                    }
                    if let Some(value) = v.string_fast(offset, align) {
                        assert_eq!(Ok(value), v.string_exact(offset, align));
                    }
                    // The yes-or-no form says yes exactly where the fast path gives a string.
                    assert_eq!(
                        v.string_resolves_fast(offset, align),
                        matches!(v.string_fast(offset, align), Some(Some(_))),
                        "string resolves at {offset:#x}, total {total}"
                    );
                    for size in edges {
                        assert_eq!(
                            v.bytes_checked(offset, size, align),
                            v.bytes_exact(offset, size, align),
                            "bytes at {offset:#x}, size {size:#x}"
                        );
                        if let Some(value) = v.bytes_fast(offset, size, align) {
                            assert_eq!(Ok(value), v.bytes_exact(offset, size, align));
                        }
                    }
                }
            }
        }
    }
}
