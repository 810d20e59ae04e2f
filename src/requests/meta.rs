//! Metadata derived from the catalogue: what each packet and each of its fields is.
//!
//! Decoding, encoding, JSON, pretty-printing and validation all read these descriptions
//! instead of knowing packets by hand.

use crate::handles::HandleKind;
use crate::header::HEADER_DWORDS;
use crate::vardata::Align;

use super::FuncId;

/// Role descriptions for the catalogue's role words.
macro_rules! request_role {
    ($idents:ident; reserved) => {
        $crate::requests::Role::Reserved
    };
    ($idents:ident; value) => {
        $crate::requests::Role::Value
    };
    ($idents:ident; request_id) => {
        $crate::requests::Role::RequestId
    };
    ($idents:ident; version) => {
        $crate::requests::Role::Version
    };
    ($idents:ident; handle($h:ident)) => {
        $crate::requests::Role::Handle($crate::handles::HandleKind::$h)
    };
    ($idents:ident; string) => {
        $crate::requests::Role::String { optional: false }
    };
    ($idents:ident; opt_string) => {
        $crate::requests::Role::String { optional: true }
    };
    ($idents:ident; bytes($s:ident)) => {
        $crate::requests::Role::Bytes {
            size: $crate::requests::meta::index_of(&$idents, stringify!($s)),
            optional: false,
        }
    };
    ($idents:ident; opt_bytes($s:ident)) => {
        $crate::requests::Role::Bytes {
            size: $crate::requests::meta::index_of(&$idents, stringify!($s)),
            optional: true,
        }
    };
    ($idents:ident; structure($n:literal)) => {
        $crate::requests::Role::Structure {
            name: $n,
            optional: false,
        }
    };
    ($idents:ident; opt_structure($n:literal)) => {
        $crate::requests::Role::Structure {
            name: $n,
            optional: true,
        }
    };
    ($idents:ident; out_size($n:literal)) => {
        $crate::requests::Role::OutSize { structure: $n }
    };
    ($idents:ident; out_offset($s:ident)) => {
        $crate::requests::Role::OutOffset {
            size: $crate::requests::meta::index_of(&$idents, stringify!($s)),
        }
    };
}
pub(crate) use request_role;

/// The request groups of 2.2.4.1.1 to 2.2.4.1.8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Group {
    /// 2.2.4.1.1 Create Session for Line Device.
    LineSession,
    /// 2.2.4.1.2 Terminate Session for Line Device.
    LineTerminate,
    /// 2.2.4.1.3 Line Device Requests.
    Line,
    /// 2.2.4.1.4 Create Session for Phone Device.
    PhoneSession,
    /// 2.2.4.1.5 Terminate Session for Phone Device.
    PhoneTerminate,
    /// 2.2.4.1.6 Phone Device Requests.
    Phone,
    /// 2.2.4.1.7 MMC Requests.
    Mmc,
    /// 2.2.4.1.8 Generic Requests.
    Generic,
}

impl Group {
    /// The section title, e.g. "Line Device Requests".
    pub const fn title(self) -> &'static str {
        match self {
            Group::LineSession => "Create Session for Line Device",
            Group::LineTerminate => "Terminate Session for Line Device",
            Group::Line => "Line Device Requests",
            Group::PhoneSession => "Create Session for Phone Device",
            Group::PhoneTerminate => "Terminate Session for Phone Device",
            Group::Phone => "Phone Device Requests",
            Group::Mmc => "MMC Requests",
            Group::Generic => "Generic Requests",
        }
    }

    /// The section number, e.g. "2.2.4.1.3".
    pub const fn section(self) -> &'static str {
        match self {
            Group::LineSession => "2.2.4.1.1",
            Group::LineTerminate => "2.2.4.1.2",
            Group::Line => "2.2.4.1.3",
            Group::PhoneSession => "2.2.4.1.4",
            Group::PhoneTerminate => "2.2.4.1.5",
            Group::Phone => "2.2.4.1.6",
            Group::Mmc => "2.2.4.1.7",
            Group::Generic => "2.2.4.1.8",
        }
    }

    /// Whether the group's packets work on phone devices.
    pub const fn is_phone(self) -> bool {
        matches!(
            self,
            Group::PhoneSession | Group::PhoneTerminate | Group::Phone
        )
    }
}

/// How the server answers a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Completion {
    /// `Ack_ReturnValue` is zero or an error code.
    Sync,
    /// `Ack_ReturnValue` is a positive request id (the packet has `dwRequestID`), or an error
    /// code; the result arrives later as a completion event.
    Async,
}

/// What a fixed DWORD means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Role {
    /// `Req_Func` (byte 0).
    ReqFunc,
    /// A `ReservedN` DWORD: ignored on receipt, preserved by this crate.
    Reserved,
    /// A plain DWORD (counts, flags, modes, contexts, identifiers).
    Value,
    /// `dwRequestID`.
    RequestId,
    /// A handle.
    Handle(HandleKind),
    /// A TAPI or extension version.
    Version,
    /// Offset in VarData of a NUL-terminated UTF-16 string (WCHAR-aligned).
    String {
        /// Whether the packet text allows `0xFFFFFFFF` (no data).
        optional: bool,
    },
    /// Offset in VarData of a block whose size is in another field (DWORD-aligned).
    Bytes {
        /// Index (0..15) of the field that holds the size in bytes.
        size: usize,
        /// Whether the packet text allows `0xFFFFFFFF` (no data).
        optional: bool,
    },
    /// Offset in VarData of a structure that starts with `dwTotalSize` (DWORD-aligned).
    Structure {
        /// The structure's name in 2.2.6, e.g. `LINECALLPARAMS`.
        name: &'static str,
        /// Whether the packet text allows `0xFFFFFFFF` (no data).
        optional: bool,
    },
    /// In the request, the size of the buffer the client accepts for a structure the server
    /// returns; in the reply, that structure's offset in VarData.
    OutSize {
        /// The returned structure's name.
        structure: &'static str,
    },
    /// Filled by the server in the reply: the offset in VarData of returned data whose size
    /// is in another field.
    OutOffset {
        /// Index (0..15) of the size field.
        size: usize,
    },
}

impl Role {
    /// The alignment a reference of this role requires, if it is a request-side reference.
    pub const fn align(self) -> Option<Align> {
        match self {
            Role::String { .. } => Some(Align::Wchar),
            Role::Bytes { .. } | Role::Structure { .. } => Some(Align::Dword),
            _ => None,
        }
    }

    /// Whether the field is an offset into the request's VarData.
    pub const fn is_reference(self) -> bool {
        self.align().is_some()
    }

    /// A short name for the role, as printed by `trp`.
    pub const fn name(self) -> &'static str {
        match self {
            Role::ReqFunc => "req_func",
            Role::Reserved => "reserved",
            Role::Value => "value",
            Role::RequestId => "request_id",
            Role::Handle(_) => "handle",
            Role::Version => "version",
            Role::String { .. } => "string",
            Role::Bytes { .. } => "bytes",
            Role::Structure { .. } => "structure",
            Role::OutSize { .. } => "out_size",
            Role::OutOffset { .. } => "out_offset",
        }
    }
}

/// One DWORD of a packet's fixed part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FieldDesc {
    /// The name as the spec diagram spells it, e.g. `lpszDestAddress`.
    pub name: &'static str,
    /// The accessor's name, e.g. `lpsz_dest_address`.
    pub ident: &'static str,
    /// Byte offset in the packet.
    pub offset: usize,
    /// What the DWORD means.
    pub role: Role,
}

/// A request packet's description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PacketDesc {
    /// The function id.
    pub func: FuncId,
    /// The unique Rust name, e.g. `LineGetDevCaps`.
    pub ident: &'static str,
    /// The section title exactly, e.g. `GetDevCaps` (shared by line and phone packets).
    pub name: &'static str,
    /// The section number, e.g. `2.2.4.1.1.3`.
    pub section: &'static str,
    /// The group the packet belongs to.
    pub group: Group,
    /// Synchronous, or answered with a request id.
    pub completion: Completion,
    /// The fifteen fixed DWORDs, in wire order.
    pub fields: [FieldDesc; HEADER_DWORDS],
    /// Bit `i` is set when field `i` is a request-side reference (derived from `fields`).
    pub references: u16,
}

impl PacketDesc {
    /// The field called `name` (spec spelling).
    pub fn field(&self, name: &str) -> Option<(usize, &FieldDesc)> {
        self.fields.iter().enumerate().find(|(_, f)| f.name == name)
    }
}

/// Index of `ident` in `idents`; fails const evaluation (a compile error) when absent, so a
/// size field named in the catalogue must exist in the same packet.
#[doc(hidden)]
pub const fn index_of(idents: &[&str; HEADER_DWORDS], ident: &str) -> usize {
    let mut i = 0;
    while i < HEADER_DWORDS {
        let a = idents[i].as_bytes();
        let b = ident.as_bytes();
        if a.len() == b.len() {
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return i;
            }
        }
        i += 1;
    }
    panic!("catalogue names a size field that the packet does not have")
}

/// The bit mask of the reference fields among `fields`.
pub(crate) const fn reference_mask(fields: &[FieldDesc; HEADER_DWORDS]) -> u16 {
    let mut mask = 0u16;
    let mut i = 0;
    while i < HEADER_DWORDS {
        if fields[i].role.is_reference() {
            mask |= 1 << i;
        }
        i += 1;
    }
    mask
}

/// What the decode path needs of one packet's references, packed into one `u64` per
/// `Req_Func` (2 KB for all 256 values, [`REFS_BY_VALUE`](super::ids::REFS_BY_VALUE)), so that
/// the decode loop reads one word per packet and nothing else of the catalogue: a packet
/// without references is left after one test, and each reference is one step of the word.
/// Derived from the [`PacketDesc`] at compile time ([`RefPlan::of`]), so the catalogue stays
/// the one description.
///
/// The word holds one 16-bit step per reference field, in field order from the lowest (a
/// packet has at most four; a zero step ends the plan, and 0 is the plan of an undocumented
/// `Req_Func`): bits 0 to 3 the field's index (2 to 14), bit 4 set for a string, bit 5 for a
/// structure, neither for a block of bytes, whose size field's index is in bits 8 to 11.
pub(crate) struct RefPlan;

impl RefPlan {
    /// The bits of a step that hold the field's index.
    pub(crate) const INDEX: u16 = 0xF;
    /// The bit of a string step.
    pub(crate) const STRING: u16 = 1 << 4;
    /// The bit of a structure step.
    pub(crate) const STRUCTURE: u16 = 1 << 5;
    /// The shift of a block's size-field index in its step.
    pub(crate) const SIZE: u32 = 8;

    /// The plan of `value`. Every field of the reference mask is a string, a structure or a
    /// block of bytes and gets a step; a packet with more than four references (none has) or
    /// a size index of 15 or above would be a compile error, so the decode loop needs no
    /// check for a field it cannot resolve, and no step is zero but the end.
    pub(crate) const fn of(value: &PacketDesc) -> u64 {
        let mut plan = 0u64;
        let mut steps = 0u32;
        let mut refs = 0u16;
        let mut i = 0;
        while i < HEADER_DWORDS {
            let kind = match value.fields[i].role {
                Role::String { .. } => Some(RefPlan::STRING),
                Role::Structure { .. } => Some(RefPlan::STRUCTURE),
                Role::Bytes { size, .. } => {
                    assert!(size < HEADER_DWORDS);
                    Some((size as u16) << RefPlan::SIZE)
                }
                _ => None,
            };
            if let Some(kind) = kind {
                // Field 0 is `Req_Func`, never a reference, so a step is never zero.
                assert!(i > 0 && steps < 4);
                plan |= ((i as u64) | kind as u64) << (16 * steps);
                steps += 1;
                refs |= 1 << i;
            }
            i += 1;
        }
        assert!(refs == value.references);
        plan
    }
}

/// The field descriptions of an undocumented `Req_Func` (no names, no references): what
/// [`References`](super::References) falls back to without a description, which it never
/// reads (an undocumented `Req_Func` has no references).
pub(crate) static NO_FIELDS: [FieldDesc; HEADER_DWORDS] = fields(
    [""; HEADER_DWORDS],
    [""; HEADER_DWORDS],
    [Role::Value; HEADER_DWORDS],
);

/// Assembles the field table of a packet.
pub(crate) const fn fields(
    names: [&'static str; HEADER_DWORDS],
    idents: [&'static str; HEADER_DWORDS],
    roles: [Role; HEADER_DWORDS],
) -> [FieldDesc; HEADER_DWORDS] {
    let mut out = [FieldDesc {
        name: "",
        ident: "",
        offset: 0,
        role: Role::Value,
    }; HEADER_DWORDS];
    let mut i = 0;
    while i < HEADER_DWORDS {
        out[i] = FieldDesc {
            name: names[i],
            ident: idents[i],
            offset: 4 * i,
            role: roles[i],
        };
        i += 1;
    }
    out
}
