//! Errors: the decoder's [`DecodeError`] and the protocol's result codes.
//!
//! Every decode failure names the packet, the field and the byte offset of that field in the
//! packet, so that a fuzzing campaign or an analyst can point at the exact DWORD at fault.
//!
//! The result codes of [MS-TRP] 2.2.3 are the [`LineErr`] (`LINEERR_*`, 2.2.3.1.38),
//! [`PhoneErr`] (`PHONEERR_*`, 2.2.3.2.4) and [`TapiErr`] (`TAPIERR_*`, 2.2.5.2) enums, with
//! their exact values, conversions from and to `u32`, and the spec's description as their
//! `Display` text. [`ErrorCode`] classifies any documented failure value.

use core::fmt;

/// Declares a result-code enum from a table of `VARIANT = value, "NAME", "description"`.
macro_rules! codes {
    (
        $(#[$doc:meta])*
        $ty:ident, $prefix:literal {
            $( $variant:ident = $value:literal, $name:literal, $text:literal, )*
        }
    ) => {
        $(#[$doc])*
        ///
        /// Variants are the constant names without their prefix, spelled as in the spec.
        // The spec's descriptions mention INI sections such as [Cards]: not links.
        #[allow(non_camel_case_types, clippy::upper_case_acronyms, rustdoc::broken_intra_doc_links)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
        #[repr(u32)]
        pub enum $ty {
            $(
                #[doc = $text]
                $variant = $value,
            )*
        }

        impl $ty {
            /// Every code of the set, in the order of the spec table.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),*];
            /// The prefix shared by the constants of this set.
            pub const PREFIX: &'static str = $prefix;

            /// The code for `value`, if `value` is one of this set.
            pub const fn from_u32(value: u32) -> Option<Self> {
                match value {
                    $( $value => Some($ty::$variant), )*
                    _ => None,
                }
            }

            /// The numeric value on the wire.
            pub const fn value(self) -> u32 {
                self as u32
            }

            /// The constant's name as the spec spells it, e.g. `LINEERR_INVALPOINTER`.
            pub const fn name(self) -> &'static str {
                match self {
                    $( $ty::$variant => $name, )*
                }
            }

            /// The spec's description of the code.
            pub const fn description(self) -> &'static str {
                match self {
                    $( $ty::$variant => $text, )*
                }
            }

            /// The code whose constant name is `name` (e.g. `"LINEERR_NOMEM"`).
            pub fn from_name(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|c| c.name() == name)
            }
        }

        impl From<$ty> for u32 {
            fn from(code: $ty) -> u32 {
                code.value()
            }
        }

        impl TryFrom<u32> for $ty {
            type Error = UnknownCode;
            fn try_from(value: u32) -> Result<Self, UnknownCode> {
                $ty::from_u32(value).ok_or(UnknownCode(value))
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.description())
            }
        }

        #[cfg(feature = "std")]
        impl std::error::Error for $ty {}

        #[cfg(feature = "serde")]
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }
    };
}

mod codes;

/// A value that is not a member of the result-code set it was converted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{0:#010x} is not a documented result code")]
#[non_exhaustive]
pub struct UnknownCode(pub u32);

/// `TAPI_SUCCESS` (2.2.5.2): the requested function completed.
pub const TAPI_SUCCESS: u32 = 0;

/// Any documented failure code of [MS-TRP] 2.2.3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
#[non_exhaustive]
pub enum ErrorCode {
    /// A `LINEERR_*` code.
    Line(LineErr),
    /// A `PHONEERR_*` code.
    Phone(PhoneErr),
    /// A `TAPIERR_*` code.
    Tapi(TapiErr),
}

impl ErrorCode {
    /// The documented code with this value, if any.
    pub const fn from_u32(value: u32) -> Option<Self> {
        if let Some(c) = LineErr::from_u32(value) {
            Some(ErrorCode::Line(c))
        } else if let Some(c) = PhoneErr::from_u32(value) {
            Some(ErrorCode::Phone(c))
        } else if let Some(c) = TapiErr::from_u32(value) {
            Some(ErrorCode::Tapi(c))
        } else {
            None
        }
    }

    /// The wire value.
    pub const fn value(self) -> u32 {
        match self {
            ErrorCode::Line(c) => c.value(),
            ErrorCode::Phone(c) => c.value(),
            ErrorCode::Tapi(c) => c.value(),
        }
    }

    /// The constant name, e.g. `PHONEERR_INVALPHONEHANDLE`.
    pub const fn name(self) -> &'static str {
        match self {
            ErrorCode::Line(c) => c.name(),
            ErrorCode::Phone(c) => c.name(),
            ErrorCode::Tapi(c) => c.name(),
        }
    }

    /// The code whose constant name is `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        LineErr::from_name(name)
            .map(ErrorCode::Line)
            .or_else(|| PhoneErr::from_name(name).map(ErrorCode::Phone))
            .or_else(|| TapiErr::from_name(name).map(ErrorCode::Tapi))
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.name())?;
        match self {
            ErrorCode::Line(c) => fmt::Display::fmt(c, f),
            ErrorCode::Phone(c) => fmt::Display::fmt(c, f),
            ErrorCode::Tapi(c) => fmt::Display::fmt(c, f),
        }
    }
}

pub use codes::{LineErr, PhoneErr, TapiErr};

/// What went wrong while decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The buffer ends before the fixed part does.
    #[error("buffer holds {actual} bytes, at least {needed} are required")]
    Truncated {
        /// Bytes the fixed part needs.
        needed: usize,
        /// Bytes present.
        actual: usize,
    },
    /// `Req_Func` is not one of the 132 documented values (strict parsing only).
    #[error("Req_Func {0} is not documented by [MS-TRP] 2.2.4.1")]
    UnknownFunction(u32),
    /// A typed view was asked to parse a packet with another `Req_Func`.
    #[error("Req_Func is {found}, this packet's is {expected}")]
    UnexpectedFunction {
        /// The packet's `Req_Func`.
        expected: u32,
        /// The value found.
        found: u32,
    },
    /// An offset is not a multiple of the required alignment.
    #[error("offset {value:#x} is not {align}-byte aligned")]
    Misaligned {
        /// The offset found in the field.
        value: u32,
        /// The alignment required (2 for WCHAR, 4 for DWORD).
        align: u32,
    },
    /// An offset points past the end of VarData.
    #[error("offset {value:#x} lies outside VarData ({len} bytes)")]
    OffsetOutOfBounds {
        /// The offset found in the field.
        value: u32,
        /// Length of VarData.
        len: usize,
    },
    /// `offset + size` does not fit in 32 bits.
    #[error("offset {value:#x} + size {size:#x} overflows 32 bits")]
    Overflow {
        /// The offset.
        value: u32,
        /// The size.
        size: u32,
    },
    /// `offset + size` runs past the end of VarData.
    #[error("offset {value:#x} + size {size:#x} runs past the end of VarData ({len} bytes)")]
    SizeOutOfBounds {
        /// The offset.
        value: u32,
        /// The size.
        size: u32,
        /// Length of VarData.
        len: usize,
    },
    /// A UTF-16 string has no NUL terminator inside VarData.
    #[error("string at offset {value:#x} is not NUL-terminated inside VarData")]
    Unterminated {
        /// The offset of the string.
        value: u32,
    },
    /// A referenced structure's `dwTotalSize` is smaller than the DWORD that holds it.
    #[error("structure at offset {value:#x} declares dwTotalSize {total}, less than 4")]
    StructureTooSmall {
        /// The offset of the structure.
        value: u32,
        /// Its `dwTotalSize`.
        total: u32,
    },
    /// A 2.2.6 data structure's fixed part is shorter than the oldest documented version of it
    /// (its `dwTotalSize`, `dwUsedSize` or the buffer is too small).
    #[error("the structure holds {size} bytes, its oldest fixed part needs {min}")]
    FixedPartTooShort {
        /// The size found.
        size: usize,
        /// The oldest documented size of the fixed part.
        min: usize,
    },
    /// `dwUsedSize` exceeds `dwTotalSize`.
    #[error("dwUsedSize {used} exceeds dwTotalSize {total}")]
    UsedExceedsTotal {
        /// `dwUsedSize`.
        used: u32,
        /// `dwTotalSize`.
        total: u32,
    },
    /// An offset in a data structure points into the structure's fixed part.
    #[error("offset {value:#x} points into the fixed part ({fixed} bytes)")]
    OverlapsFixedPart {
        /// The offset.
        value: u32,
        /// Length of the fixed part.
        fixed: usize,
    },
    /// An array of `count` entries of `stride` bytes does not fit in the `size` bytes it was
    /// given.
    #[error("{count} entries of {stride} bytes do not fit in {size} bytes")]
    EntriesOutOfBounds {
        /// The entry count.
        count: u32,
        /// The size of one entry.
        stride: usize,
        /// The bytes available.
        size: usize,
    },
    /// A table of fixed-size entries is not a whole number of entries (or its entry size is 0).
    #[error("size {size} is not a whole number of {entry_size}-byte entries")]
    EntrySizeMismatch {
        /// The table's size in bytes.
        size: u32,
        /// The entry size.
        entry_size: u32,
    },
    /// A UTF-16 string's size in bytes is odd.
    #[error("UTF-16 string size {size} is odd")]
    OddStringSize {
        /// The size in bytes.
        size: u32,
    },
    /// An event buffer's size breaks 3.3.4.2 (negative, not DWORD-aligned, or smaller than one
    /// 40-byte ASYNCEVENTMSG fixed part).
    #[error(
        "event buffer size {len} is negative, not DWORD-aligned or smaller than one ASYNCEVENTMSG"
    )]
    BufferSize {
        /// The size (`lSize`).
        len: i64,
    },
    /// An event's `TotalSize` is smaller than the fixed part (3.3.4.2).
    #[error("TotalSize {total} is smaller than the {min}-byte fixed part")]
    TotalSizeTooSmall {
        /// The `TotalSize` found.
        total: u32,
        /// The fixed part's size.
        min: usize,
    },
    /// An event's `TotalSize` is not a multiple of four (3.3.4.2).
    #[error("TotalSize {total} is not DWORD-aligned")]
    TotalSizeMisaligned {
        /// The `TotalSize` found.
        total: u32,
    },
    /// An event's `TotalSize` runs past the end of the buffer (3.3.4.2).
    #[error("TotalSize {total} overflows the {available} bytes left in the buffer")]
    TotalSizeOverflow {
        /// The `TotalSize` found.
        total: u32,
        /// Bytes from the event's start to the end of the buffer.
        available: usize,
    },
    /// Bytes after the last whole event that do not form an event (3.3.4.2).
    #[error("{len} bytes after the last event are not a whole ASYNCEVENTMSG")]
    TrailingData {
        /// Number of such bytes.
        len: usize,
    },
    /// A typed event view was asked to decode an event with another `Msg`.
    #[error("Msg is {found:#x}, this packet's is {expected:#x}")]
    UnexpectedMsg {
        /// The packet's `Msg`.
        expected: u32,
        /// The value found.
        found: u32,
    },
}

/// A decoding failure: which packet, which field, where, and what.
///
/// `offset` is the byte offset, from the start of the packet, of the field that holds the bad
/// value (for [`DecodeErrorKind::Truncated`], the length that was available). For a structure
/// or data block embedded in a packet, `packet`, `field` and `offset` name the member of the
/// embedded structure (offset from the structure's start) and [`DecodeError::within`] the
/// packet field that points at it, so the error reads
/// `LineMakeCall.lpCallParams -> LINECALLPARAMS.dwOrigAddressOffset (byte 76): ...`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeError {
    /// The packet (e.g. `LineMakeCall`, `TAPI32_MSG`) or structure (e.g. `LINECALLPARAMS`).
    pub packet: &'static str,
    /// The field, spelled as in the spec (e.g. `lpszDestAddress`).
    pub field: &'static str,
    /// Byte offset of that field in the packet (or structure).
    pub offset: usize,
    /// What went wrong.
    pub kind: DecodeErrorKind,
    /// The enclosing packet field, when the failure lies in a structure that field points at.
    pub within: Option<Origin>,
}

/// Where a value comes from, for error reporting: the packet (or structure), the field and
/// the field's byte offset in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Origin {
    /// The packet's (or structure's) name.
    pub packet: &'static str,
    /// The field's name as the spec spells it.
    pub field: &'static str,
    /// Byte offset of the field in the packet.
    pub offset: usize,
}

impl Origin {
    /// An error of `kind` at this origin.
    pub const fn error(self, kind: DecodeErrorKind) -> DecodeError {
        DecodeError::new(self.packet, self.field, self.offset, kind)
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.packet, self.field)
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(w) = self.within {
            write!(f, "{w} -> ")?;
        }
        write!(
            f,
            "{}.{} (byte {}): {}",
            self.packet, self.field, self.offset, self.kind
        )
    }
}

impl core::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        Some(&self.kind)
    }
}

impl DecodeError {
    /// An error of `kind` at `field` (byte `offset`) of `packet`.
    pub const fn new(
        packet: &'static str,
        field: &'static str,
        offset: usize,
        kind: DecodeErrorKind,
    ) -> Self {
        DecodeError {
            packet,
            field,
            offset,
            kind,
            within: None,
        }
    }

    /// The same error, located inside the structure or block that `outer` points at. An error
    /// that already has an enclosing field keeps it (the innermost packet field wins).
    pub const fn within(mut self, outer: Origin) -> Self {
        if self.within.is_none() {
            self.within = Some(outer);
        }
        self
    }

    /// A short machine-readable name of the error kind, as printed by `trp --json`.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            DecodeErrorKind::Truncated { .. } => "truncated",
            DecodeErrorKind::UnknownFunction(_) => "unknown_function",
            DecodeErrorKind::UnexpectedFunction { .. } => "unexpected_function",
            DecodeErrorKind::Misaligned { .. } => "misaligned",
            DecodeErrorKind::OffsetOutOfBounds { .. } => "offset_out_of_bounds",
            DecodeErrorKind::Overflow { .. } => "overflow",
            DecodeErrorKind::SizeOutOfBounds { .. } => "size_out_of_bounds",
            DecodeErrorKind::Unterminated { .. } => "unterminated",
            DecodeErrorKind::StructureTooSmall { .. } => "structure_too_small",
            DecodeErrorKind::FixedPartTooShort { .. } => "fixed_part_too_short",
            DecodeErrorKind::UsedExceedsTotal { .. } => "used_exceeds_total",
            DecodeErrorKind::OverlapsFixedPart { .. } => "overlaps_fixed_part",
            DecodeErrorKind::EntriesOutOfBounds { .. } => "entries_out_of_bounds",
            DecodeErrorKind::EntrySizeMismatch { .. } => "entry_size_mismatch",
            DecodeErrorKind::OddStringSize { .. } => "odd_string_size",
            DecodeErrorKind::BufferSize { .. } => "buffer_size",
            DecodeErrorKind::TotalSizeTooSmall { .. } => "total_size_too_small",
            DecodeErrorKind::TotalSizeMisaligned { .. } => "total_size_misaligned",
            DecodeErrorKind::TotalSizeOverflow { .. } => "total_size_overflow",
            DecodeErrorKind::TrailingData { .. } => "trailing_data",
            DecodeErrorKind::UnexpectedMsg { .. } => "unexpected_msg",
        }
    }
}
