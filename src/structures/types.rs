//! Wire types of structure members that are not DWORDs, and the string formats of 2.2.1.8.

use core::fmt;

use zerocopy::byteorder::little_endian::{U16, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

/// `STRINGFORMAT_ASCII` (2.2.1.8): one byte per character.
pub const STRINGFORMAT_ASCII: u32 = 1;
/// `STRINGFORMAT_DBCS` (2.2.1.8): one or two bytes per character.
pub const STRINGFORMAT_DBCS: u32 = 2;
/// `STRINGFORMAT_UNICODE` (2.2.1.8): two bytes per character (UTF-16LE).
pub const STRINGFORMAT_UNICODE: u32 = 3;
/// `STRINGFORMAT_BINARY` (2.2.1.8): an array of unsigned characters.
pub const STRINGFORMAT_BINARY: u32 = 4;

/// A GUID as it lies on the wire: `Data1` (DWORD), `Data2`, `Data3` (WORDs), `Data4` (8 bytes),
/// little-endian ([MS-DTYP] 2.3.4.1).
#[derive(
    FromBytes,
    IntoBytes,
    KnownLayout,
    Immutable,
    Unaligned,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
)]
#[repr(C)]
pub struct Guid {
    /// `Data1`.
    pub data1: U32,
    /// `Data2`.
    pub data2: U16,
    /// `Data3`.
    pub data3: U16,
    /// `Data4`.
    pub data4: [u8; 8],
}

impl Guid {
    /// A GUID from its four parts.
    pub const fn new(data1: u32, data2: u16, data3: u16, data4: [u8; 8]) -> Self {
        Guid {
            data1: U32::new(data1),
            data2: U16::new(data2),
            data3: U16::new(data3),
            data4,
        }
    }
}

impl fmt::Display for Guid {
    /// The registry form without braces, e.g. `6b29fc40-ca47-1067-b31d-00dd010662da`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.data4;
        write!(
            f,
            "{:08x}-{:04x}-{:04x}-{:02x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
            self.data1.get(),
            self.data2.get(),
            self.data3.get(),
            d[0],
            d[1],
            d[2],
            d[3],
            d[4],
            d[5],
            d[6],
            d[7]
        )
    }
}

impl fmt::Debug for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Guid({self})")
    }
}

/// A SYSTEMTIME ([MS-DTYP] 2.3.13): eight little-endian WORDs.
#[derive(
    FromBytes,
    IntoBytes,
    KnownLayout,
    Immutable,
    Unaligned,
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
)]
#[repr(C)]
pub struct SystemTime {
    /// `wYear`.
    pub w_year: U16,
    /// `wMonth`.
    pub w_month: U16,
    /// `wDayOfWeek`.
    pub w_day_of_week: U16,
    /// `wDay`.
    pub w_day: U16,
    /// `wHour`.
    pub w_hour: U16,
    /// `wMinute`.
    pub w_minute: U16,
    /// `wSecond`.
    pub w_second: U16,
    /// `wMilliseconds`.
    pub w_milliseconds: U16,
}
