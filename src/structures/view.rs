//! The generic view of a data structure: [`Raw`], driven by a [`StructDesc`]. The typed views
//! of the catalogue wrap it; printing and the fuzz target use it directly.
//!
//! Every (size, offset) pair resolves through [`VarData::item`]: offsets are relative to the
//! start of the root structure (for an entry, the list that holds it), bounded by the root's
//! `dwUsedSize` (or `dwTotalSize`) and the buffer, and never inside the fixed part.

use core::fmt;
use core::marker::PhantomData;

use zerocopy::byteorder::little_endian::{F64, I64, U32};
use zerocopy::{FromBytes, Immutable, KnownLayout};

use super::fixed::LINEDIALPARAMS;
use super::meta::{FieldType, Header, MemberDesc, StructDesc, VarDesc, VarKind};
use super::types::{
    Guid, STRINGFORMAT_ASCII, STRINGFORMAT_BINARY, STRINGFORMAT_DBCS, STRINGFORMAT_UNICODE,
    SystemTime,
};
use crate::errors::{DecodeError, DecodeErrorKind};
use crate::handles::Version;
use crate::vardata::{Origin, Utf16Str, VarData};

/// Length of the `dwTotalSize`/`dwNeededSize`/`dwUsedSize` header.
const FULL_HEADER: usize = 12;

/// One way of reading an inline entry array (see `Raw::inline_block`).
#[derive(Clone, Copy)]
struct Stride {
    len: usize,
    stride: usize,
    consistent: bool,
    packed: bool,
    items: usize,
}

/// Reads a little-endian DWORD at `at` in `bytes`, if it lies inside.
#[inline(always)]
fn dword_at(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// The byte offsets of an item's size and offset members, for [`Raw::parse_pairs`].
pub(crate) type PairAt = (u16, u16);

/// The (size, offset) member offsets of a structure's items other than inline arrays, in
/// wire order, and the end of the last of those members: a table built at compile time from
/// a catalogue entry ([`PairTable::new`]) for [`Raw::parse_pairs`].
pub(crate) struct PairTable<const N: usize> {
    pairs: [PairAt; N],
    /// A fixed part at least this long holds every pair.
    end: usize,
}

impl<const N: usize> PairTable<N> {
    /// The table of `pairs`.
    pub(crate) const fn new(pairs: [PairAt; N]) -> Self {
        let mut end = 0;
        let mut k = 0;
        while k < N {
            let (a, b) = (pairs[k].0 as usize + 4, pairs[k].1 as usize + 4);
            if a > end {
                end = a;
            }
            if b > end {
                end = b;
            }
            k += 1;
        }
        PairTable { pairs, end }
    }
}

/// The (size, offset) pairs the opening of a structure walks, in wire order.
trait Walk {
    /// `fixed_end` after the walk: each pair that lies inside the fixed part found so far,
    /// holds data and places it beyond the oldest fixed part but inside that part cuts the
    /// part there (`snap` of its offset), where an older version's fixed part ended.
    fn walk(
        &self,
        desc: &StructDesc,
        root: &[u8],
        fixed_end: usize,
        snap: impl Fn(usize) -> usize,
    ) -> usize;
}

/// The pairs of the catalogue's item descriptions (inline arrays skipped).
struct Items;

impl Walk for Items {
    #[inline(always)]
    fn walk(
        &self,
        desc: &StructDesc,
        root: &[u8],
        mut fixed_end: usize,
        snap: impl Fn(usize) -> usize,
    ) -> usize {
        for v in desc.vars {
            if matches!(v.kind, VarKind::InlineEntries { .. }) {
                continue;
            }
            if let Some(offset) = older_end(desc, root, v.size_at, v.offset_at, fixed_end) {
                fixed_end = snap(offset);
            }
        }
        fixed_end
    }
}

/// The same pairs as a table ([`Raw::parse_pairs`]).
impl<const N: usize> Walk for PairTable<N> {
    #[inline(always)]
    fn walk(
        &self,
        desc: &StructDesc,
        root: &[u8],
        mut fixed_end: usize,
        snap: impl Fn(usize) -> usize,
    ) -> usize {
        // Only a pair that holds data can cut the part: when the part holds every pair and
        // every size is 0 (most items of a request's structure are empty), nothing is cut,
        // found by one pass over the sizes without a branch per pair.
        if self.end <= fixed_end {
            if let Some(part) = root.get(..self.end) {
                let mut any = 0u32;
                for &(size_at, _) in &self.pairs {
                    any |= dword_at(part, usize::from(size_at)).unwrap_or(0);
                }
                if any == 0 {
                    return fixed_end;
                }
            }
        }
        for &(size_at, offset_at) in &self.pairs {
            let (size_at, offset_at) = (usize::from(size_at), usize::from(offset_at));
            if let Some(offset) = older_end(desc, root, size_at, offset_at, fixed_end) {
                fixed_end = snap(offset);
            }
        }
        fixed_end
    }
}

/// Where the data of the item whose size and offset members are at `size_at` and
/// `offset_at` starts, when both lie inside the first `fixed_end` bytes and the item places
/// data beyond the oldest fixed part but before `fixed_end`: the end of an older version's
/// fixed part.
#[inline(always)]
fn older_end(
    desc: &StructDesc,
    root: &[u8],
    size_at: usize,
    offset_at: usize,
    fixed_end: usize,
) -> Option<usize> {
    if size_at + 4 > fixed_end || offset_at + 4 > fixed_end {
        return None;
    }
    // The size first: most items of a structure are empty, and their offset is not read.
    if dword_at(root, size_at).unwrap_or(0) == 0 {
        return None;
    }
    let offset = dword_at(root, offset_at).unwrap_or(0) as usize;
    (offset >= desc.min_size && offset < fixed_end).then_some(offset)
}

/// A decoded data structure (or an entry of one), bounded and checked, with no copy.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Raw<'a> {
    desc: &'static StructDesc,
    /// The members of the fixed part that are present (at most `desc.size` bytes).
    fixed: &'a [u8],
    /// The root structure's bytes, bounded by its `dwUsedSize` / `dwTotalSize`.
    root: &'a [u8],
    /// End of the root's fixed part: variable data starts at or after it.
    floor: usize,
    /// Offset of this structure inside the root (0 for a root).
    base: usize,
    /// The root's `dwTotalSize` and `dwNeededSize`, for [`Raw::buffer_too_small`].
    sizes: Option<(u32, u32)>,
    /// The negotiated version given to [`Raw::parse_with`] (`None`: guessed, [`Raw::parse`]).
    version: Option<Version>,
}

/// How a structure was read (see [`Raw::reading`]): how much of the fixed part, which entry
/// size, and whether from a negotiated version or by guessing from the sizes, so that a caller
/// can say "LINEDEVCAPS read as the TAPI 2.0-2.1 fixed part (252 bytes), guessed".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Reading {
    /// The structure.
    pub structure: &'static str,
    /// Bytes of the fixed part read as members (the rest of the newest fixed part reads as
    /// absent).
    pub fixed_len: usize,
    /// The TAPI versions whose fixed part is exactly `fixed_len` bytes, (oldest, newest);
    /// `None` when the fixed part was cut inside a version's members (only when guessing).
    pub versions: Option<(Version, Version)>,
    /// The size of one entry of the structure's entry array (LINEFORWARDLIST's inline array;
    /// otherwise the first array item with entries), `None` without one.
    pub entry_size: Option<usize>,
    /// The version given to `parse_with`; `None` when `parse` guessed.
    pub negotiated: Option<Version>,
}

impl Reading {
    /// Whether the layout was guessed from sizes and offsets (no negotiated version given).
    pub fn is_guessed(&self) -> bool {
        self.negotiated.is_none()
    }

    /// The newest TAPI version whose fixed part was read, when guessed (`None` with a
    /// negotiated version, or when the cut matches no version).
    pub fn guessed_version(&self) -> Option<Version> {
        match self.negotiated {
            Some(_) => None,
            None => self.versions.map(|(_, newest)| newest),
        }
    }
}

fn write_version(f: &mut fmt::Formatter<'_>, v: Version) -> fmt::Result {
    write!(f, "{}.{}", v.major(), v.minor())
}

impl fmt::Display for Reading {
    /// E.g. `LINEDEVCAPS read as the TAPI 2.0-2.1 fixed part (252 bytes), guessed`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} read as ", self.structure)?;
        match self.versions {
            Some((oldest, newest)) => {
                f.write_str("the TAPI ")?;
                write_version(f, oldest)?;
                if newest != oldest {
                    f.write_str("-")?;
                    write_version(f, newest)?;
                }
                write!(f, " fixed part ({} bytes)", self.fixed_len)?;
            }
            None => write!(f, "a {}-byte fixed part", self.fixed_len)?,
        }
        if let Some(e) = self.entry_size {
            write!(f, ", {e}-byte entries")?;
        }
        match self.negotiated {
            Some(v) => {
                f.write_str(", negotiated TAPI ")?;
                write_version(f, v)
            }
            None => f.write_str(", guessed"),
        }
    }
}

impl<'a> Raw<'a> {
    /// Decodes `bytes` as a `desc` structure.
    ///
    /// * A self-sized structure needs `dwTotalSize` (or `dwSize`) ≤ the buffer, and at least
    ///   its oldest fixed part (`desc.min_size`); for one with `dwUsedSize`, `dwUsedSize` ≤
    ///   `dwTotalSize` and ≥ the oldest fixed part. Everything after `dwUsedSize` is ignored.
    /// * The fixed part present is the newest one, cut at `dwUsedSize`, and cut at the first
    ///   variable item that a (size, offset) pair of the part kept so far places inside it
    ///   (beyond the oldest fixed part): a server that negotiated an older version lays its
    ///   variable data right after the older fixed part, and those bytes are not read as
    ///   members. Members beyond read as absent.
    /// * `dwNeededSize > dwTotalSize` is not an error: see [`Raw::buffer_too_small`].
    /// * A [`Header::Plain`] structure (an entry) decoded on its own needs its oldest fixed
    ///   part; its offsets are taken relative to `bytes`.
    pub fn parse(desc: &'static StructDesc, bytes: &'a [u8]) -> Result<Self, DecodeError> {
        Self::parse_over(desc, bytes, &Items)
    }

    /// [`Raw::parse`] (`version` `None`) or [`Raw::parse_with`], walking `pairs` instead of
    /// the catalogue's item descriptions: `pairs` must hold the (size, offset) member offsets
    /// of `desc`'s items other than inline arrays, in wire order (a table a caller builds at
    /// compile time from the same catalogue entry), and the result is then the same.
    #[inline(always)]
    pub(crate) fn parse_pairs<const N: usize>(
        desc: &'static StructDesc,
        bytes: &'a [u8],
        version: Option<Version>,
        pairs: &PairTable<N>,
    ) -> Result<Self, DecodeError> {
        match version {
            Some(v) => Self::parse_with_over(desc, bytes, v, pairs),
            None => Self::parse_over(desc, bytes, pairs),
        }
    }

    /// [`Raw::parse`] over the pairs `pairs` gives.
    #[inline(always)]
    fn parse_over(
        desc: &'static StructDesc,
        bytes: &'a [u8],
        pairs: &impl Walk,
    ) -> Result<Self, DecodeError> {
        let (limit, sizes) = Self::bounds(desc, bytes)?;
        let root = &bytes[..limit];
        let mut fixed_end = limit.min(desc.size);
        // A pair can only cut the fixed part at an offset in [min_size, fixed_end): none when
        // the part kept is the oldest one (every structure with one layout), so the walk over
        // the item descriptions is skipped.
        if desc.is_self_sized() && fixed_end > desc.min_size {
            // Pairs in wire order: each one that lies inside the fixed part found so far and
            // points beyond the oldest fixed part but inside the newest marks where an older
            // fixed part ended and its variable data began.
            fixed_end = pairs.walk(desc, root, fixed_end, |offset| offset);
        }
        Ok(Self::root(desc, root, fixed_end, sizes, None))
    }

    /// Decodes `bytes` as a `desc` structure in the negotiated TAPI `version`, without
    /// guessing the layout from sizes:
    ///
    /// * the space the peer provided (`dwTotalSize`, `dwSize`, or the buffer for an entry)
    ///   must hold the fixed part `version` defines ([`StructDesc::fixed_size`]), else
    ///   `FixedPartTooShort` at that size member (offset 0), with `min` the version's size;
    /// * the members read are those of `version`'s fixed part and never a newer one's, even
    ///   when `dwUsedSize` covers them;
    /// * the part read is an older version's when the structure says so: `dwUsedSize` ends
    ///   before `version`'s fixed part, or a (size, offset) pair places variable data inside
    ///   it (a service provider that predates `version` lays its data right after its own
    ///   fixed part; 2.2.6.6 "MUST NOT fill in fields not supported in older TAPI versions").
    ///   The cut is always at a version's boundary, and [`Raw::reading`] reports it;
    /// * entry arrays use the entry size `version` defines (LINEFORWARD: 24 bytes before TAPI
    ///   3.1, 32 from 3.1), and an inline array's entries may not point inside the array.
    ///
    /// Everything else is as in [`Raw::parse`].
    pub fn parse_with(
        desc: &'static StructDesc,
        bytes: &'a [u8],
        version: Version,
    ) -> Result<Self, DecodeError> {
        Self::parse_with_over(desc, bytes, version, &Items)
    }

    /// [`Raw::parse_with`] over the pairs `pairs` gives.
    #[inline(always)]
    fn parse_with_over(
        desc: &'static StructDesc,
        bytes: &'a [u8],
        version: Version,
        pairs: &impl Walk,
    ) -> Result<Self, DecodeError> {
        let (limit, sizes) = Self::bounds(desc, bytes)?;
        let need = desc.fixed_size(version);
        let room = match desc.header {
            Header::Plain => bytes.len(),
            _ => dword_at(bytes, 0).unwrap_or(0) as usize,
        };
        if room < need {
            return Err(DecodeError::new(
                desc.name,
                desc.fields.first().map_or("", |f| f.name),
                0,
                DecodeErrorKind::FixedPartTooShort {
                    size: room,
                    min: need,
                },
            ));
        }
        // The largest fixed part of `version` or older that ends at or before `len`.
        let snap = |len: usize| {
            desc.layouts()
                .filter(|(v, size)| *v <= version && *size <= len)
                .last()
                .map_or(desc.min_size, |(_, size)| size)
        };
        let root = &bytes[..limit];
        let mut fixed_end = snap(limit.min(need));
        // As in `parse`: no cut is possible when the part kept is the oldest one.
        if desc.is_self_sized() && fixed_end > desc.min_size {
            fixed_end = pairs.walk(desc, root, fixed_end, snap);
        }
        Ok(Self::root(desc, root, fixed_end, sizes, Some(version)))
    }

    /// The error every parse of `bytes` as `desc` gives at once ([`Raw::parse`],
    /// [`Raw::parse_with`] in any version and over any pairs all begin with these checks on the
    /// size members and return their error unchanged), `None` when they pass: a caller that
    /// only needs the parse's error can have it without the parse.
    #[inline]
    pub(crate) fn size_error(desc: &'static StructDesc, bytes: &'a [u8]) -> Option<DecodeError> {
        Self::bounds(desc, bytes).err()
    }

    /// The checks on the size members common to both parses: the structure's bytes (up to
    /// `dwUsedSize`, `dwTotalSize` or `dwSize`, or the buffer) and (`dwTotalSize`,
    /// `dwNeededSize`).
    #[allow(clippy::type_complexity)]
    fn bounds(
        desc: &'static StructDesc,
        bytes: &'a [u8],
    ) -> Result<(usize, Option<(u32, u32)>), DecodeError> {
        let err = |field: &'static str, offset: usize, kind| {
            DecodeError::new(desc.name, field, offset, kind)
        };
        let first = desc.fields.first().map_or("", |f| f.name);
        let (limit, sizes) = match desc.header {
            Header::Plain => (bytes.len(), None),
            Header::Total | Header::Size | Header::Full => {
                let need = if desc.header == Header::Full {
                    FULL_HEADER
                } else {
                    4
                };
                if bytes.len() < need {
                    return Err(err(
                        first,
                        0,
                        DecodeErrorKind::Truncated {
                            needed: need,
                            actual: bytes.len(),
                        },
                    ));
                }
                let total = dword_at(bytes, 0).unwrap_or(0);
                if total as usize > bytes.len() {
                    return Err(err(
                        first,
                        0,
                        DecodeErrorKind::Truncated {
                            needed: total as usize,
                            actual: bytes.len(),
                        },
                    ));
                }
                if desc.header == Header::Full {
                    let needed = dword_at(bytes, 4).unwrap_or(0);
                    let used = dword_at(bytes, 8).unwrap_or(0);
                    if used > total {
                        return Err(err(
                            "dwUsedSize",
                            8,
                            DecodeErrorKind::UsedExceedsTotal { used, total },
                        ));
                    }
                    (used as usize, Some((total, needed)))
                } else {
                    (total as usize, None)
                }
            }
        };
        if limit < desc.min_size {
            let field = match desc.header {
                Header::Full => "dwUsedSize",
                _ => first,
            };
            let at = if desc.header == Header::Full { 8 } else { 0 };
            return Err(err(
                field,
                at,
                DecodeErrorKind::FixedPartTooShort {
                    size: limit,
                    min: desc.min_size,
                },
            ));
        }
        Ok((limit, sizes))
    }

    /// A root structure over `root` whose fixed part ends at `fixed_end`.
    fn root(
        desc: &'static StructDesc,
        root: &'a [u8],
        fixed_end: usize,
        sizes: Option<(u32, u32)>,
        version: Option<Version>,
    ) -> Self {
        Raw {
            desc,
            fixed: &root[..fixed_end],
            root,
            floor: fixed_end,
            base: 0,
            sizes,
            version,
        }
    }

    /// How this structure was read: the fixed part's length and the versions it matches, the
    /// entry size of its entry array, and the negotiated version if one was given.
    pub fn reading(&self) -> Reading {
        let fixed_len = self.fixed.len();
        let entry_size = self.desc.vars.iter().find_map(|v| match v.kind {
            VarKind::InlineEntries { .. } => self
                .inline_block(v)
                .ok()
                .flatten()
                .map(|(_, stride)| stride),
            VarKind::Entries { .. } => self
                .entries_of::<Raw<'a>>(v)
                .ok()
                .filter(|e| e.len() > 0)
                .map(|e| e.stride()),
            _ => None,
        });
        Reading {
            structure: self.desc.name,
            fixed_len,
            versions: self.desc.versions_with_size(fixed_len),
            entry_size,
            negotiated: self.version,
        }
    }

    /// The negotiated version given to [`Raw::parse_with`], `None` after [`Raw::parse`].
    pub const fn version(&self) -> Option<Version> {
        self.version
    }

    /// The structure's description.
    pub const fn desc(&self) -> &'static StructDesc {
        self.desc
    }

    /// The bytes of the fixed part that are present (the newest fixed part, or a prefix of it
    /// for an older version).
    pub const fn fixed_bytes(&self) -> &'a [u8] {
        self.fixed
    }

    /// The root structure's bytes up to `dwUsedSize` (or `dwTotalSize`).
    pub const fn root_bytes(&self) -> &'a [u8] {
        self.root
    }

    /// Whether the inline array `v` (an [`VarKind::InlineEntries`] item of this structure) is
    /// read as no entries without an error: its count member is absent from the fixed part, or
    /// it is 0 and the array's offset lies inside the root. [`Raw::entries_of`] then gives an
    /// empty array (an empty block at the array's offset, in both readings, with a version or
    /// guessed), so that a caller can skip reading it.
    pub(crate) fn inline_entries_empty(&self, v: &VarDesc) -> bool {
        match self.dword(v.size_at) {
            None => true,
            Some(0) => v.offset_at <= self.root.len(),
            Some(_) => false,
        }
    }

    /// Offset of this structure in its root (0 for a root, the entry's position for an entry).
    pub const fn base(&self) -> usize {
        self.base
    }

    /// Whether every member of the newest fixed part is present.
    pub fn is_current(&self) -> bool {
        self.fixed.len() >= self.desc.size
    }

    /// `Some(dwNeededSize)` when the server reports that the buffer was too small
    /// (`dwNeededSize > dwTotalSize`): the client should ask again with a buffer of that size.
    /// The members present are still valid. `None` for a complete answer and for structures
    /// without `dwNeededSize`.
    pub fn buffer_too_small(&self) -> Option<u32> {
        self.sizes
            .and_then(|(total, needed)| (needed > total).then_some(needed))
    }

    /// The member at `offset` as a `T`, if it lies inside the fixed part present.
    pub fn read<T: FromBytes + KnownLayout + Immutable>(&self, offset: usize) -> Option<T> {
        self.fixed
            .get(offset..)
            .and_then(|b| T::read_from_prefix(b).ok())
            .map(|(v, _)| v)
    }

    /// The DWORD member at `offset`, if present.
    #[inline]
    pub fn dword(&self, offset: usize) -> Option<u32> {
        dword_at(self.fixed, offset)
    }

    /// The value of member `f`, if present.
    pub fn value(&self, f: &MemberDesc) -> Option<MemberValue> {
        Some(match f.ty {
            FieldType::Dword => MemberValue::Dword(self.dword(f.offset)?),
            FieldType::Guid => MemberValue::Guid(self.read::<Guid>(f.offset)?),
            FieldType::DialParams => MemberValue::DialParams(self.read(f.offset)?),
            FieldType::SystemTime => MemberValue::SystemTime(self.read(f.offset)?),
            FieldType::Currency => MemberValue::Currency(self.read::<I64>(f.offset)?.get()),
            FieldType::Date => MemberValue::Date(self.read::<F64>(f.offset)?.get()),
        })
    }

    /// Every member with its value (`None` when absent), in wire order.
    pub fn fields(&self) -> impl Iterator<Item = (&'static MemberDesc, Option<MemberValue>)> + '_ {
        self.desc.fields.iter().map(|f| (f, self.value(f)))
    }

    /// The string format of this structure's text items (2.2.1.8).
    pub fn string_format(&self) -> u32 {
        self.desc
            .string_format_at
            .and_then(|at| self.dword(at))
            .unwrap_or(STRINGFORMAT_UNICODE)
    }

    fn origin(&self, field: &'static str, at: usize) -> Origin {
        Origin {
            packet: self.desc.name,
            field,
            offset: self.base.saturating_add(at),
        }
    }

    /// The raw (size, offset) of item `v`, `None` when either member is absent (older version).
    pub fn pair(&self, v: &VarDesc) -> Option<(u32, u32)> {
        match v.kind {
            VarKind::InlineEntries { .. } => Some((self.dword(v.size_at)?, v.offset_at as u32)),
            _ => Some((self.dword(v.size_at)?, self.dword(v.offset_at)?)),
        }
    }

    /// The bytes item `v` points at: `None` when its size is 0 or its members are absent.
    pub fn var_bytes(&self, v: &VarDesc) -> Result<Option<&'a [u8]>, DecodeError> {
        if let VarKind::InlineEntries { .. } = v.kind {
            return self.inline_block(v).map(|b| b.map(|(b, _)| b));
        }
        let Some((size, offset)) = self.pair(v) else {
            return Ok(None);
        };
        VarData::new(self.root).item(
            self.origin(v.offset_field, v.offset_at),
            offset,
            size,
            v.kind.align(),
            self.floor,
        )
    }

    /// Item `v` as text: a string in the structure's format, or ASCII for [`VarKind::Ascii`].
    pub fn text(&self, v: &VarDesc) -> Result<Option<Text<'a>>, DecodeError> {
        let Some(bytes) = self.var_bytes(v)? else {
            return Ok(None);
        };
        let format = match v.kind {
            VarKind::Ascii => STRINGFORMAT_ASCII,
            VarKind::MultiText => STRINGFORMAT_UNICODE,
            _ => self.string_format(),
        };
        Text::decode(format, bytes).map(Some).map_err(|size| {
            self.origin(v.size_field, v.size_at)
                .error(DecodeErrorKind::OddStringSize { size })
        })
    }

    /// Item `v` as a table of fixed-size text entries ([`VarKind::TextTable`]), in the
    /// structure's string format. The item must be a whole number of entries of the size its
    /// entry-size member gives (`EntrySizeMismatch`, reported at that member), and for
    /// Unicode the entry size must be even (`OddStringSize`).
    pub fn text_table(&self, v: &VarDesc) -> Result<Option<TextTable<'a>>, DecodeError> {
        let VarKind::TextTable {
            entry_size_field,
            entry_size_at,
        } = v.kind
        else {
            return Ok(None);
        };
        let Some(bytes) = self.var_bytes(v)? else {
            return Ok(None);
        };
        let entry_size = self.dword(entry_size_at).unwrap_or(0);
        let at = self.origin(entry_size_field, entry_size_at);
        if entry_size == 0 || bytes.len() % entry_size as usize != 0 {
            return Err(at.error(DecodeErrorKind::EntrySizeMismatch {
                size: bytes.len() as u32,
                entry_size,
            }));
        }
        TextTable::new(bytes, entry_size as usize, self.string_format())
            .map(Some)
            .map_err(|size| at.error(DecodeErrorKind::OddStringSize { size }))
    }

    /// Item `v` as a list of Unicode strings (NUL-separated, ended by an empty string).
    pub fn multi_text(&self, v: &VarDesc) -> Result<Option<MultiText<'a>>, DecodeError> {
        let Some(bytes) = self.var_bytes(v)? else {
            return Ok(None);
        };
        match Utf16Str::from_le_bytes(bytes) {
            Some(s) => Ok(Some(MultiText(s.as_bytes()))),
            None => {
                Err(self
                    .origin(v.size_field, v.size_at)
                    .error(DecodeErrorKind::OddStringSize {
                        size: bytes.len() as u32,
                    }))
            }
        }
    }

    /// Item `v` as an array of DWORDs (zero-copy; a trailing partial DWORD is an error).
    pub fn dwords(&self, v: &VarDesc) -> Result<Option<&'a [U32]>, DecodeError> {
        let Some(bytes) = self.var_bytes(v)? else {
            return Ok(None);
        };
        <[U32]>::ref_from_bytes(bytes).map(Some).map_err(|_| {
            self.origin(v.size_field, v.size_at)
                .error(DecodeErrorKind::EntriesOutOfBounds {
                    count: (bytes.len() / 4) as u32 + 1,
                    stride: 4,
                    size: bytes.len(),
                })
        })
    }

    /// The array of an [`VarKind::InlineEntries`] item and its stride. The entries follow the
    /// fixed part and nothing states their size (LINEFORWARDLIST: 24 bytes before TAPI 3.1,
    /// 32 after), so each size whose array fits in `dwTotalSize` is read:
    ///
    /// * a reading is *consistent* when every entry validates (its items resolve and decode)
    ///   and every entry item with data starts after the array;
    /// * it is *packed* when, in addition, its variable data starts right after the array (the
    ///   lowest item offset is the array's end, or there are no items and the structure ends
    ///   there), as every client and this crate's builder lay it out.
    ///
    /// The first of these that holds decides, the newest size winning a tie: packed; then
    /// consistent, the reading with more items winning; then the newest size that fits. See
    /// spec-notes/structures.md section 4.
    fn inline_block(&self, v: &VarDesc) -> Result<Option<(&'a [u8], usize)>, DecodeError> {
        let VarKind::InlineEntries { entry } = v.kind else {
            return Ok(None);
        };
        let Some(count) = self.dword(v.size_at) else {
            return Ok(None);
        };
        let avail = self.root.len().saturating_sub(v.offset_at);
        if let Some(version) = self.version {
            // The negotiated version states the entry size.
            let stride = entry.fixed_size(version);
            let block = (count as usize)
                .checked_mul(stride)
                .filter(|len| *len <= avail)
                .and_then(|len| self.root.get(v.offset_at..v.offset_at + len));
            return match block {
                Some(block) => Ok(Some((block, stride))),
                None => Err(self.origin(v.size_field, v.size_at).error(
                    DecodeErrorKind::EntriesOutOfBounds {
                        count,
                        stride,
                        size: avail,
                    },
                )),
            };
        }
        let reading = |stride: usize| {
            let len = (count as usize)
                .checked_mul(stride)
                .filter(|n| *n <= avail)?;
            let end = v.offset_at + len;
            let block = self.root.get(v.offset_at..end)?;
            let (mut consistent, mut items, mut lowest) = (true, 0usize, usize::MAX);
            for e in self.make_entries::<Raw<'a>>(entry, block, stride, v.offset_at, self.floor) {
                consistent &= e.validate().is_ok();
                for (size, offset) in e.var_items().filter_map(|i| i.pair) {
                    if size != 0 {
                        items += 1;
                        lowest = lowest.min(offset as usize);
                        consistent &= offset as usize >= end;
                    }
                }
            }
            let packed = consistent
                && if items == 0 {
                    self.root.len() == end
                } else {
                    lowest == end
                };
            Some(Stride {
                len,
                stride,
                consistent,
                packed,
                items,
            })
        };
        // The oldest reading is only needed when the newest is not packed.
        let newest = reading(entry.size);
        let chosen = match newest {
            Some(n) if n.packed => Some(n),
            _ => match (newest, reading(entry.min_size)) {
                (_, Some(o)) if o.packed => Some(o),
                (Some(n), Some(o)) if n.consistent && o.consistent => {
                    Some(if o.items > n.items { o } else { n })
                }
                (Some(n), _) if n.consistent => Some(n),
                (_, Some(o)) if o.consistent => Some(o),
                (n, o) => n.or(o),
            },
        };
        let Some(Stride { len, stride, .. }) = chosen else {
            return Err(self.origin(v.size_field, v.size_at).error(
                DecodeErrorKind::EntriesOutOfBounds {
                    count,
                    stride: entry.min_size,
                    size: avail,
                },
            ));
        };
        Ok(self
            .root
            .get(v.offset_at..v.offset_at + len)
            .map(|b| (b, stride)))
    }

    /// Item `v` as an array of entries. The entry size is the newest size of the entry
    /// structure, or `size / count` when that lies between the oldest and the newest size (an
    /// older server's shorter entries); the count is the count member if there is one, else
    /// `size / stride`. The array must fit in the item.
    pub fn entries_of<T: FromRaw<'a>>(&self, v: &VarDesc) -> Result<Entries<'a, T>, DecodeError> {
        let (entry, count_at) = match v.kind {
            VarKind::Entries {
                entry, count_at, ..
            } => (entry, count_at),
            VarKind::InlineEntries { entry } => {
                return Ok(match self.inline_block(v)? {
                    Some((block, stride)) => {
                        // With a negotiated version the array is part of the fixed area: its
                        // entries' data starts after it.
                        let floor = match self.version {
                            Some(_) => self.floor.max(v.offset_at + block.len()),
                            None => self.floor,
                        };
                        self.make_entries(entry, block, stride, v.offset_at, floor)
                    }
                    None => Entries::empty(entry, *self),
                });
            }
            _ => return Ok(Entries::empty(self.desc, *self)),
        };
        let Some(block) = self.var_bytes(v)? else {
            return Ok(Entries::empty(entry, *self));
        };
        let offset = self.pair(v).map_or(0, |(_, o)| o as usize);
        let count = count_at.and_then(|at| self.dword(at));
        let stride = match (self.version, count) {
            (Some(version), _) => entry.fixed_size(version),
            (None, Some(n)) if n > 0 && block.len() % n as usize == 0 => {
                let s = block.len() / n as usize;
                if (entry.min_size..=entry.size).contains(&s) {
                    s
                } else {
                    entry.size
                }
            }
            _ => entry.size,
        };
        let n = match count {
            Some(n) => n as usize,
            None => block.len() / stride,
        };
        let len = n.checked_mul(stride).filter(|len| *len <= block.len());
        match len {
            Some(len) => Ok(self.make_entries(entry, &block[..len], stride, offset, self.floor)),
            None => Err(self.origin(v.size_field, v.size_at).error(
                DecodeErrorKind::EntriesOutOfBounds {
                    count: n as u32,
                    stride,
                    size: block.len(),
                },
            )),
        }
    }

    fn make_entries<T>(
        &self,
        entry: &'static StructDesc,
        block: &'a [u8],
        stride: usize,
        offset: usize,
        floor: usize,
    ) -> Entries<'a, T> {
        Entries {
            entry,
            block,
            stride,
            proto: Raw {
                desc: entry,
                fixed: &[],
                root: self.root,
                floor,
                base: offset,
                sizes: None,
                version: self.version,
            },
            _t: PhantomData,
        }
    }

    /// Resolves every item of the structure (text decoded, arrays split, every entry's own
    /// items too) and returns the first error, so that a caller can reject a structure whose
    /// variable part does not hold together before reading it.
    pub fn validate(&self) -> Result<(), DecodeError> {
        if self.validates_fast() {
            return Ok(());
        }
        self.validate_items()
    }

    /// [`Raw::validate`] item by item, each resolved and decoded: the error of the first that
    /// fails.
    #[inline(never)]
    fn validate_items(&self) -> Result<(), DecodeError> {
        for item in self.var_items() {
            match item.desc.kind {
                VarKind::Text | VarKind::Ascii => {
                    item.text()?;
                }
                VarKind::MultiText => {
                    item.multi_text()?;
                }
                VarKind::TextTable { .. } => {
                    item.text_table()?;
                }
                VarKind::Dwords => {
                    item.dwords()?;
                }
                VarKind::Bytes => {
                    item.bytes()?;
                }
                VarKind::Entries { .. } | VarKind::InlineEntries { .. } => {
                    for e in item.entries()? {
                        e.validate()?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Whether [`Raw::validate`] passes, decided in the common case from the pairs alone: every
    /// item is absent (a pair outside the fixed part, or size 0) or is text, a string list,
    /// ASCII, bytes or DWORDs that starts at or after the fixed part, is aligned for its kind,
    /// ends inside the root (`offset + size` in 64 bits), and has a size its kind can hold
    /// (even for text and string lists, a multiple of 4 for DWORDs); an array's entries each
    /// pass this check (`entries_validate_fast`). Each of those passes `VarData::item`'s
    /// checks and its kind's decode (a string list is whole UTF-16 units,
    /// [`Raw::multi_text`]), so `true` means `validate` returns `Ok`. `false` says nothing: a
    /// table of texts with data, or an item that fails here, is left to `validate`, which
    /// finds the error. Costs a few instructions an item instead of building each item's
    /// `Result`.
    #[inline]
    pub(crate) fn validates_fast(&self) -> bool {
        let len = self.root.len() as u64;
        for v in self.desc.vars {
            if let VarKind::Entries { .. } | VarKind::InlineEntries { .. } = v.kind {
                if !self.entries_validate_fast(v) {
                    return false;
                }
                continue;
            }
            let Some((size, offset)) = self.pair(v) else {
                continue;
            };
            if size == 0 {
                continue;
            }
            // The item's unit is also its alignment (`VarKind::whole_units`).
            let Some(unit) = v.kind.whole_units() else {
                return false;
            };
            let fits = (offset as usize >= self.floor)
                & (offset % unit == 0)
                & (size % unit == 0)
                & (u64::from(offset) + u64::from(size) <= len);
            if !fits {
                return false;
            }
        }
        true
    }

    /// [`Raw::validates_fast`] for the array item `v`: it reads as no entries (a pair absent
    /// or of size 0, an inline array that [`Raw::inline_entries_empty`] reads as none), or
    /// its entries read as [`Raw::validate`] reads them (`entries_of`) and each passes
    /// `validates_fast` (so each entry's `validate` passes, and so does the item's walk).
    fn entries_validate_fast(&self, v: &VarDesc) -> bool {
        let empty = match v.kind {
            VarKind::InlineEntries { .. } => self.inline_entries_empty(v),
            _ => matches!(self.pair(v), None | Some((0, _))),
        };
        empty
            || self
                .entries_of::<Raw<'a>>(v)
                .is_ok_and(|mut entries| entries.all(|e| e.validates_fast()))
    }

    /// Every (size, offset) pair with its raw values and what it resolves to.
    pub fn var_items(&self) -> impl Iterator<Item = VarItem<'a>> + '_ {
        self.desc.vars.iter().map(|v| VarItem {
            desc: v,
            pair: self.pair(v),
            raw: *self,
        })
    }
}

impl fmt::Debug for Raw<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct(self.desc.name);
        for (d, v) in self.fields() {
            match v {
                Some(v) => s.field(d.name, &v),
                None => s.field(d.name, &format_args!("absent")),
            };
        }
        s.finish()
    }
}

/// A view type built from a [`Raw`] of its own description (every typed view, and [`Raw`]).
pub trait FromRaw<'a>: Sized {
    /// Wraps `raw`.
    fn from_raw(raw: Raw<'a>) -> Self;
}

impl<'a> FromRaw<'a> for Raw<'a> {
    fn from_raw(raw: Raw<'a>) -> Self {
        raw
    }
}

/// An iterator over the entries of an array item, yielding one view per entry, without
/// allocating. Each entry's own (size, offset) pairs resolve against the root structure.
pub struct Entries<'a, T> {
    entry: &'static StructDesc,
    block: &'a [u8],
    stride: usize,
    proto: Raw<'a>,
    _t: PhantomData<fn() -> T>,
}

impl<'a, T> Entries<'a, T> {
    fn empty(entry: &'static StructDesc, root: Raw<'a>) -> Self {
        Entries {
            entry,
            block: &[],
            stride: entry.size.max(1),
            proto: root,
            _t: PhantomData,
        }
    }

    /// The entry structure.
    pub fn entry_desc(&self) -> &'static StructDesc {
        self.entry
    }

    /// The size of one entry in this array.
    pub fn stride(&self) -> usize {
        self.stride
    }
}

impl<'a, T: FromRaw<'a>> Iterator for Entries<'a, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        if self.block.len() < self.stride || self.stride == 0 {
            return None;
        }
        let (head, tail) = self.block.split_at(self.stride);
        let raw = Raw {
            fixed: head,
            ..self.proto
        };
        self.block = tail;
        self.proto.base = self.proto.base.saturating_add(self.stride);
        Some(T::from_raw(raw))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.block.len().checked_div(self.stride).unwrap_or(0);
        (n, Some(n))
    }
}

impl<'a, T: FromRaw<'a>> ExactSizeIterator for Entries<'a, T> {}

impl<T> fmt::Debug for Entries<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Entries<{}>({} x {} bytes)",
            self.entry.name,
            self.block.len().checked_div(self.stride).unwrap_or(0),
            self.stride
        )
    }
}

/// The value of a fixed member.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MemberValue {
    /// A DWORD.
    Dword(u32),
    /// A GUID.
    Guid(Guid),
    /// A nested LINEDIALPARAMS.
    DialParams(LINEDIALPARAMS),
    /// A SYSTEMTIME.
    SystemTime(SystemTime),
    /// A CURRENCY, scaled by 10,000.
    Currency(i64),
    /// An OLE DATE.
    Date(f64),
}

/// One (size, offset) pair of a decoded structure.
#[derive(Clone, Copy)]
pub struct VarItem<'a> {
    /// Its description.
    pub desc: &'static VarDesc,
    /// (size, offset) as found, `None` when the members are absent (older version).
    pub pair: Option<(u32, u32)>,
    raw: Raw<'a>,
}

impl<'a> VarItem<'a> {
    /// The referenced bytes.
    pub fn bytes(&self) -> Result<Option<&'a [u8]>, DecodeError> {
        self.raw.var_bytes(self.desc)
    }

    /// The referenced text, for [`VarKind::Text`] and [`VarKind::Ascii`] items.
    pub fn text(&self) -> Result<Option<Text<'a>>, DecodeError> {
        match self.desc.kind {
            VarKind::Text | VarKind::Ascii => self.raw.text(self.desc),
            _ => Ok(None),
        }
    }

    /// The referenced strings, for [`VarKind::MultiText`] items.
    pub fn multi_text(&self) -> Result<Option<MultiText<'a>>, DecodeError> {
        match self.desc.kind {
            VarKind::MultiText => self.raw.multi_text(self.desc),
            _ => Ok(None),
        }
    }

    /// The referenced table of texts, for [`VarKind::TextTable`] items.
    pub fn text_table(&self) -> Result<Option<TextTable<'a>>, DecodeError> {
        self.raw.text_table(self.desc)
    }

    /// The referenced DWORDs, for [`VarKind::Dwords`] items.
    pub fn dwords(&self) -> Result<Option<&'a [U32]>, DecodeError> {
        match self.desc.kind {
            VarKind::Dwords => self.raw.dwords(self.desc),
            _ => Ok(None),
        }
    }

    /// The entries, as generic views, for array items (empty for other kinds).
    pub fn entries(&self) -> Result<Entries<'a, Raw<'a>>, DecodeError> {
        self.raw.entries_of(self.desc)
    }
}

impl fmt::Debug for VarItem<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VarItem")
            .field("name", &self.desc.name)
            .field("pair", &self.pair)
            .finish()
    }
}

/// A string from a structure, in the format of 2.2.1.8 it was written in. The terminating
/// NUL and anything after it inside the item are not part of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text<'a> {
    /// `STRINGFORMAT_ASCII`: one byte per character.
    Ascii(&'a [u8]),
    /// `STRINGFORMAT_DBCS`: bytes in the server's code page (not decoded here).
    Dbcs(&'a [u8]),
    /// `STRINGFORMAT_UNICODE`: UTF-16LE.
    Unicode(Utf16Str<'a>),
    /// `STRINGFORMAT_BINARY`: the whole item, uninterpreted.
    Binary(&'a [u8]),
    /// A `dwStringFormat` value that 2.2.1.8 does not define: the whole item.
    Other {
        /// The format value.
        format: u32,
        /// The bytes.
        bytes: &'a [u8],
    },
}

impl<'a> Text<'a> {
    /// Decodes an item in `format`. Fails (with the size) only for a Unicode item of odd size.
    pub fn decode(format: u32, bytes: &'a [u8]) -> Result<Self, u32> {
        let until_nul = |b: &'a [u8]| b.iter().position(|c| *c == 0).map_or(b, |n| &b[..n]);
        Ok(match format {
            STRINGFORMAT_ASCII => Text::Ascii(until_nul(bytes)),
            STRINGFORMAT_DBCS => Text::Dbcs(until_nul(bytes)),
            STRINGFORMAT_UNICODE => {
                if bytes.len() % 2 != 0 {
                    return Err(bytes.len() as u32);
                }
                let units = bytes
                    .chunks_exact(2)
                    .position(|u| u == [0, 0])
                    .unwrap_or(bytes.len() / 2);
                Text::Unicode(Utf16Str::from_le_bytes(&bytes[..units * 2]).unwrap_or_default())
            }
            STRINGFORMAT_BINARY => Text::Binary(bytes),
            format => Text::Other { format, bytes },
        })
    }

    /// The text's bytes (UTF-16LE code units for Unicode), without the terminator.
    pub fn as_bytes(&self) -> &'a [u8] {
        match self {
            Text::Ascii(b) | Text::Dbcs(b) | Text::Binary(b) => b,
            Text::Unicode(s) => s.as_bytes(),
            Text::Other { bytes, .. } => bytes,
        }
    }

    /// Whether the text is character data that [`fmt::Display`] renders faithfully (ASCII or
    /// Unicode).
    pub fn is_textual(&self) -> bool {
        matches!(self, Text::Ascii(_) | Text::Unicode(_))
    }

    /// Whether the text equals `s` (ASCII and Unicode only).
    pub fn eq_str(&self, s: &str) -> bool {
        match self {
            Text::Ascii(b) => *b == s.as_bytes(),
            Text::Unicode(u) => u.eq_str(s),
            _ => false,
        }
    }
}

impl fmt::Display for Text<'_> {
    /// Unicode as characters (lossy), ASCII bytes as Latin-1 characters, other formats as hex.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write;
        match self {
            Text::Unicode(s) => fmt::Display::fmt(s, f),
            Text::Ascii(b) => b.iter().try_for_each(|c| f.write_char(char::from(*c))),
            _ => self
                .as_bytes()
                .iter()
                .try_for_each(|c| write!(f, "{c:02x}")),
        }
    }
}

/// A table of fixed-size text entries (LINEADDRESSCAPS `CompletionMsgText`, one per completion
/// message; LINEDEVCAPS `TerminalText`, one per terminal): each entry is a string in the
/// table's format, NUL-padded to the entry size. Iterating does not allocate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextTable<'a> {
    bytes: &'a [u8],
    entry_size: usize,
    format: u32,
}

impl<'a> TextTable<'a> {
    /// A table of `entry_size`-byte entries in `format`. Fails (with the entry size) for an
    /// entry size of 0, and for a Unicode table with an odd entry size; `bytes` beyond the last
    /// whole entry are ignored.
    pub fn new(bytes: &'a [u8], entry_size: usize, format: u32) -> Result<Self, u32> {
        if entry_size == 0 || (format == STRINGFORMAT_UNICODE && entry_size % 2 != 0) {
            return Err(u32::try_from(entry_size).unwrap_or(u32::MAX));
        }
        Ok(TextTable {
            bytes,
            entry_size,
            format,
        })
    }

    /// The same table read in another string format: LINEADDRESSCAPS has no `dwStringFormat`
    /// of its own and 2.2.6.6 says its texts are in the format of the line's LINEDEVCAPS
    /// (Unicode unless told otherwise).
    pub fn with_format(self, format: u32) -> Result<Self, u32> {
        TextTable::new(self.bytes, self.entry_size, format)
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.bytes.len() / self.entry_size
    }

    /// Whether the table has no entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The size of one entry in bytes.
    pub fn entry_size(&self) -> usize {
        self.entry_size
    }

    /// The string format.
    pub fn format(&self) -> u32 {
        self.format
    }

    /// The raw bytes of the table.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Entry `i`, up to its first NUL.
    pub fn get(&self, i: usize) -> Option<Text<'a>> {
        let start = i.checked_mul(self.entry_size)?;
        let entry = self.bytes.get(start..start.checked_add(self.entry_size)?)?;
        Some(self.decode(entry))
    }

    /// The entries in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Text<'a>> + 'a {
        let table = *self;
        self.bytes
            .chunks_exact(self.entry_size)
            .map(move |entry| table.decode(entry))
    }

    fn decode(&self, entry: &'a [u8]) -> Text<'a> {
        // The entry size was checked even for Unicode, the only format that can fail.
        Text::decode(self.format, entry).unwrap_or(Text::Binary(entry))
    }
}

/// A list of NUL-terminated UTF-16 strings ended by an empty string (or by the end of the
/// item), e.g. a `DeviceClasses` item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MultiText<'a>(&'a [u8]);

impl<'a> MultiText<'a> {
    /// The raw bytes of the item.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.0
    }

    /// The strings, without terminators; stops at the first empty string.
    pub fn iter(&self) -> impl Iterator<Item = Utf16Str<'a>> + 'a {
        let mut rest = self.0;
        core::iter::from_fn(move || {
            let units = rest.chunks_exact(2).position(|u| u == [0, 0]);
            let (s, next) = match units {
                Some(n) => (&rest[..n * 2], &rest[n * 2 + 2..]),
                None => (rest, &rest[rest.len()..]),
            };
            rest = next;
            (!s.is_empty()).then(|| Utf16Str::from_le_bytes(s).unwrap_or_default())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handles::TAPI_VERSIONS;

    /// `inline_entries_empty` says "no entries" only when `entries_of` reads the inline array
    /// as an empty array without an error, for every catalogue structure with an inline array,
    /// read guessed and in each TAPI version: random structures whose count is mostly 0, of
    /// every length around the array's offset.
    #[test]
    fn inline_entries_empty_is_an_empty_read() {
        let mut next = crate::test_rng::xorshift(0x853C_49E6_748F_EA9Bu64);
        let (mut said_empty, mut checked) = (0, 0);
        for desc in crate::structures::ALL {
            for v in desc.vars {
                if !matches!(v.kind, VarKind::InlineEntries { .. }) {
                    continue;
                }
                for _ in 0..3000 {
                    let total = (next() % (v.offset_at as u64 + 80)) as usize;
                    let mut bytes = alloc::vec![0u8; total.max(4)];
                    for b in bytes.iter_mut() {
                        if next() % 8 == 0 {
                            *b = next() as u8;
                        }
                    }
                    let declared = match next() % 3 {
                        0 => total as u32,
                        1 => (next() % 400) as u32,
                        _ => bytes.len() as u32,
                    };
                    bytes[..4].copy_from_slice(&declared.to_le_bytes());
                    if let Some(c) = bytes.get_mut(v.size_at..v.size_at + 4) {
                        let count: u32 = if next() % 4 == 0 {
                            next() as u32 % 3
                        } else {
                            0
                        };
                        c.copy_from_slice(&count.to_le_bytes());
                    }
                    let reads = core::iter::once(Raw::parse(desc, &bytes)).chain(
                        TAPI_VERSIONS
                            .iter()
                            .map(|ver| Raw::parse_with(desc, &bytes, *ver)),
                    );
                    for raw in reads.flatten() {
                        checked += 1;
                        if raw.inline_entries_empty(v) {
                            said_empty += 1;
                            let entries = raw.entries_of::<Raw<'_>>(v);
                            assert!(
                                entries.is_ok_and(|mut e| e.next().is_none()),
                                "{} {}: {:?}",
                                desc.name,
                                v.name,
                                raw
                            );
                        }
                    }
                }
            }
        }
        assert!(
            said_empty > 1000 && checked > said_empty,
            "{said_empty} of {checked}"
        );
    }

    /// `validates_fast` says "valid" only where the item-by-item walk finds no error, for
    /// every catalogue structure, read guessed and in each TAPI version: random structures
    /// whose items mostly hold data placed around the fixed part, aligned or not, some ending
    /// beyond the structure, some with odd sizes, and whose string format is random. Where
    /// the walk finds no error and every item with data is text, bytes or DWORDs, the fast
    /// check must agree whenever the items are aligned for their kind, inside the root and of
    /// a size their kind holds (the test counts both answers, so it cannot pass vacuously).
    #[test]
    fn validates_fast_implies_validate() {
        let mut next = crate::test_rng::xorshift(0x9E6C_63D0_676A_9A99u64);
        let (mut fast, mut slow_ok, mut failed) = (0u32, 0u32, 0u32);
        for desc in crate::structures::ALL {
            for _ in 0..600 {
                let total = desc.size + (next() % 96) as usize;
                let mut bytes = alloc::vec![0u8; total];
                let head = if next() % 8 == 0 {
                    (next() % (total as u64 + 16)) as u32
                } else {
                    total as u32
                };
                bytes[..4].copy_from_slice(&head.to_le_bytes());
                if desc.header == Header::Full {
                    bytes[4..8].copy_from_slice(&head.to_le_bytes());
                    bytes[8..12].copy_from_slice(&head.to_le_bytes());
                }
                if let Some(at) = desc.string_format_at {
                    let format = (next() % 5) as u32;
                    bytes[at..at + 4].copy_from_slice(&format.to_le_bytes());
                }
                for v in desc.vars {
                    if next() % 3 == 0 {
                        continue;
                    }
                    let size = match next() % 4 {
                        0 => 0,
                        1 => (next() % 9) as u32,
                        _ => 4 * (next() % 8) as u32,
                    };
                    let offset = match next() % 5 {
                        0 => (next() % (total as u64 + 8)) as u32,
                        1 => u32::MAX - (next() % 8) as u32,
                        _ => (desc.size as u32 + (next() % 48) as u32) & !3,
                    };
                    for (at, value) in [(v.size_at, size), (v.offset_at, offset)] {
                        if let Some(b) = bytes.get_mut(at..at + 4) {
                            b.copy_from_slice(&value.to_le_bytes());
                        }
                    }
                }
                let reads = core::iter::once(Raw::parse(desc, &bytes)).chain(
                    TAPI_VERSIONS
                        .iter()
                        .map(|ver| Raw::parse_with(desc, &bytes, *ver)),
                );
                for raw in reads.flatten() {
                    let walked = raw.validate_items();
                    if raw.validates_fast() {
                        fast += 1;
                        assert!(walked.is_ok(), "{}: {raw:?}: {walked:?}", desc.name);
                    } else if walked.is_ok() {
                        slow_ok += 1;
                    } else {
                        failed += 1;
                    }
                    assert_eq!(raw.validate(), walked, "{}: {raw:?}", desc.name);
                }
            }
        }
        assert!(
            fast > 5000 && failed > 5000 && slow_ok > 0,
            "fast {fast}, walked only {slow_ok}, failed {failed}"
        );
    }
}
