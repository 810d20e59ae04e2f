//! References from fixed fields into VarData: the typed values that reference accessors
//! return, and the generic walk over every reference of a packet.
//!
//! Both go through [`VarData`]; there is no other path from an offset to bytes.

use core::fmt;

use zerocopy::byteorder::little_endian::U32;

use crate::errors::{DecodeError, DecodeErrorKind};
use crate::handles::Version;
use crate::header::{HEADER_DWORDS, Tapi32Msg};
use crate::vardata::{ABSENT, Align, Origin, Utf16Str, VarData};

use super::ids::DESC_BY_VALUE;
use super::meta::{FieldDesc, NO_FIELDS, PacketDesc, RefPlan};

/// The value of a string-offset field (e.g. `lpszDestAddress`), resolvable to the string.
#[derive(Clone, Copy)]
pub struct StrRef<'a> {
    pub(crate) raw: u32,
    pub(crate) var: VarData<'a>,
    pub(crate) at: Origin,
}

impl<'a> StrRef<'a> {
    /// The offset as found on the wire.
    pub const fn raw(&self) -> u32 {
        self.raw
    }

    /// Whether the field holds `0xFFFFFFFF` (no string).
    pub const fn is_absent(&self) -> bool {
        self.raw == ABSENT
    }

    /// The string (without its terminator), `None` when absent.
    #[inline]
    pub fn resolve(&self) -> Result<Option<Utf16Str<'a>>, DecodeError> {
        self.var.string(self.at, self.raw, Align::Wchar)
    }
}

/// The value of an (offset, size) field pair (e.g. `lpParams`/`dwSize`), resolvable to bytes.
#[derive(Clone, Copy)]
pub struct BytesRef<'a> {
    pub(crate) raw: u32,
    pub(crate) size: u32,
    pub(crate) var: VarData<'a>,
    pub(crate) at: Origin,
}

impl<'a> BytesRef<'a> {
    /// The offset as found on the wire.
    pub const fn raw(&self) -> u32 {
        self.raw
    }

    /// The size from the partner field.
    pub const fn size(&self) -> u32 {
        self.size
    }

    /// Whether the field holds `0xFFFFFFFF` (no data).
    pub const fn is_absent(&self) -> bool {
        self.raw == ABSENT
    }

    /// The referenced bytes, `None` when absent.
    #[inline]
    pub fn resolve(&self) -> Result<Option<&'a [u8]>, DecodeError> {
        self.var.bytes(self.at, self.raw, self.size, Align::Dword)
    }
}

/// The value of a structure-offset field (e.g. `lpCallParams`), resolvable to the structure's
/// bytes (`dwTotalSize` long).
#[derive(Clone, Copy)]
pub struct StructRef<'a> {
    pub(crate) raw: u32,
    pub(crate) var: VarData<'a>,
    pub(crate) at: Origin,
    pub(crate) structure: &'static str,
}

impl<'a> StructRef<'a> {
    /// The offset as found on the wire.
    pub const fn raw(&self) -> u32 {
        self.raw
    }

    /// The name of the structure (2.2.6) the field points at.
    pub const fn structure(&self) -> &'static str {
        self.structure
    }

    /// Whether the field holds `0xFFFFFFFF` (no structure).
    pub const fn is_absent(&self) -> bool {
        self.raw == ABSENT
    }

    /// The structure's bytes, `None` when absent.
    #[inline]
    pub fn resolve(&self) -> Result<Option<&'a [u8]>, DecodeError> {
        self.var.structure(self.at, self.raw, Align::Dword)
    }

    /// The structure decoded as its 2.2.6 type (e.g. `AnyStructure::LINECALLPARAMS`), `None`
    /// when absent, its version guessed from its sizes
    /// ([`Raw::reading`](crate::structures::Raw::reading) says which reading was chosen).
    /// Every item of its variable part is resolved once here
    /// ([`Raw::validate`](crate::structures::Raw::validate)), so a structure this accepts
    /// reads without error; a failure inside the structure names this field as
    /// [`DecodeError::within`]: `LineMakeCall.lpCallParams -> LINECALLPARAMS.dwOrigAddressOffset
    /// (byte 52): ...`.
    pub fn decode(&self) -> Result<Option<crate::structures::AnyStructure<'a>>, DecodeError> {
        self.decode_in(None)
    }

    /// Like [`StructRef::decode`], reading exactly the fixed part and entry sizes that the
    /// negotiated TAPI `version` defines ([`decode_any_with`](crate::structures::decode_any_with)).
    pub fn decode_with(
        &self,
        version: Version,
    ) -> Result<Option<crate::structures::AnyStructure<'a>>, DecodeError> {
        self.decode_in(Some(version))
    }

    fn decode_in(
        &self,
        version: Option<Version>,
    ) -> Result<Option<crate::structures::AnyStructure<'a>>, DecodeError> {
        match self.resolve()? {
            None => Ok(None),
            Some(bytes) => crate::structures::decode_checked(self.structure, bytes, version)
                .transpose()
                .map_err(|e| e.within(self.at)),
        }
    }
}

macro_rules! ref_debug {
    ($($t:ident),*) => {$(
        impl fmt::Debug for $t<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:#x})", stringify!($t), self.raw)
            }
        }
    )*};
}
ref_debug!(StrRef, BytesRef, StructRef);

/// What a reference resolved to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved<'a> {
    /// A UTF-16 string (role [`Role::String`](super::Role::String)).
    Str(Utf16Str<'a>),
    /// A block of bytes (role [`Role::Bytes`](super::Role::Bytes)).
    Bytes(&'a [u8]),
    /// A structure's bytes (role [`Role::Structure`](super::Role::Structure)).
    Structure(&'a [u8]),
}

impl<'a> Resolved<'a> {
    /// The referenced bytes (for a string, without its terminator).
    pub fn as_bytes(&self) -> &'a [u8] {
        match self {
            Resolved::Str(s) => s.as_bytes(),
            Resolved::Bytes(b) | Resolved::Structure(b) => b,
        }
    }
}

/// One reference of a packet, resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference<'a> {
    /// Index of the field (0..15).
    pub index: usize,
    /// The field's description.
    pub field: &'static FieldDesc,
    /// The offset found in the field.
    pub raw: u32,
    /// `Ok(None)` when the field holds `0xFFFFFFFF`.
    pub value: Result<Option<Resolved<'a>>, DecodeError>,
}

/// The value of the reference that plan step `step` names (a [`RefPlan`] step: the field's
/// index, its kind and a block's size field), check by check (the `VarData::*_checked`
/// resolvers), its error naming packet, field and byte offset from `desc`: what
/// [`References`] gives when a fast path (`VarData::*_fast`) does not resolve the value (the
/// cold path). It reads the step as the fast path does, so the two cannot disagree on how a
/// field resolves.
#[cold]
#[inline(never)]
fn resolve_slow<'a>(
    desc: Option<&'static PacketDesc>,
    dwords: &[U32; HEADER_DWORDS],
    var: VarData<'a>,
    step: u16,
) -> Result<Option<Resolved<'a>>, DecodeError> {
    let index = usize::from(step & RefPlan::INDEX);
    let raw = dwords.get(index).map_or(ABSENT, |d| d.get());
    let value = if step & RefPlan::STRING != 0 {
        var.string_checked(raw, Align::Wchar)
            .map(|o| o.map(Resolved::Str))
    } else if step & RefPlan::STRUCTURE != 0 {
        var.structure_checked(raw, Align::Dword)
            .map(|o| o.map(Resolved::Structure))
    } else {
        let size_index = usize::from((step >> RefPlan::SIZE) & RefPlan::INDEX);
        let size = dwords.get(size_index).map_or(0, |d| d.get());
        var.bytes_checked(raw, size, Align::Dword)
            .map(|o| o.map(Resolved::Bytes))
    };
    value.map_err(|kind| named(desc, index, kind))
}

/// The error of field `index` of `desc`: packet, field and byte offset (the cold path).
#[cold]
#[inline(never)]
fn named(desc: Option<&'static PacketDesc>, index: usize, kind: DecodeErrorKind) -> DecodeError {
    match desc.and_then(|d| Some((d.ident, d.fields.get(index)?))) {
        Some((ident, field)) => DecodeError::new(ident, field.name, field.offset, kind),
        None => DecodeError::new(desc.map_or("", |d| d.ident), "", 0, kind),
    }
}

/// Iterator over the references of a packet, in field order.
///
/// The common case runs the resolvers' one-test fast paths (`VarData::*_fast`), which say
/// only whether the value is resolved; anything else (a failed check, or a case the fast
/// path leaves to the checks one by one) takes `resolve_slow`, out of line, which runs the
/// same resolution check by check and names the field in its error. So the hot loop carries
/// no error value, only a one-byte outcome, and reads nothing of the catalogue but the
/// packet's reference plan, one word (`RefPlan`, crate-private).
#[derive(Debug, Clone)]
pub struct References<'a> {
    pub(crate) msg: &'a Tapi32Msg,
    pub(crate) var: VarData<'a>,
    /// The steps of the packet's `RefPlan` not yet taken, the next one lowest (0 when
    /// none is left).
    pub(crate) plan: u64,
}

impl<'a> References<'a> {
    /// The references of the packet `msg` (its VarData `var`), resolved by `plan`
    /// ([`RefPlan::of`] of its description, 0 when undocumented).
    #[inline(always)]
    pub(crate) fn new(msg: &'a Tapi32Msg, var: VarData<'a>, plan: u64) -> Self {
        References { msg, var, plan }
    }

    /// The packet's description, read only to name a failing field and for
    /// [`Reference::field`]. Called only while a step is left, so `Req_Func` is documented
    /// (the plan of any other is 0) and below 256, and its low byte indexes the table
    /// without a test.
    #[inline(always)]
    fn desc(&self) -> Option<&'static PacketDesc> {
        DESC_BY_VALUE
            .get(usize::from(self.msg.req_func.get() as u8))
            .copied()
            .flatten()
    }
}

impl<'a> Iterator for References<'a> {
    type Item = Reference<'a>;

    #[inline(always)]
    fn next(&mut self) -> Option<Reference<'a>> {
        let step = self.plan as u16;
        if step == 0 {
            return None;
        }
        self.plan >>= 16;
        let dwords: &[U32; HEADER_DWORDS] = zerocopy::transmute_ref!(self.msg);
        let i = usize::from(step & RefPlan::INDEX);
        let raw = dwords.get(i).map_or(ABSENT, |d| d.get());
        let var = self.var;
        let fast = if step & RefPlan::STRING != 0 {
            var.string_fast(raw, Align::Wchar)
                .map(|o| o.map(Resolved::Str))
        } else if step & RefPlan::STRUCTURE != 0 {
            var.structure_fast(raw, Align::Dword)
                .map(|o| o.map(Resolved::Structure))
        } else {
            // A block of bytes (the only other kind of step).
            let size_index = usize::from((step >> RefPlan::SIZE) & RefPlan::INDEX);
            let size = dwords.get(size_index).map_or(0, |d| d.get());
            var.bytes_fast(raw, size, Align::Dword)
                .map(|o| o.map(Resolved::Bytes))
        };
        let fields = self.desc().map_or(&NO_FIELDS, |d| &d.fields);
        Some(Reference {
            index: i,
            field: fields.get(i).unwrap_or(&NO_FIELDS[0]),
            raw,
            value: match fast {
                Some(value) => Ok(value),
                None => resolve_slow(self.desc(), dwords, var, step),
            },
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let steps = (0..4)
            .filter(|k| (self.plan >> (16 * k)) as u16 != 0)
            .count();
        (steps, Some(steps))
    }
}
