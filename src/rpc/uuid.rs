//! UUIDs as they travel in DCE/RPC PDUs and NDR context handles (C706 appendix A).
//!
//! On the wire a UUID is `time_low: u32, time_mid: u16, time_hi_and_version: u16,
//! clock_seq: [u8; 2], node: [u8; 6]`, the three integers in the data representation of the
//! PDU. mstrp reads only little-endian PDUs (see [`super::pdu`]), so [`Uuid`] stores the 16
//! bytes exactly as they appear in a little-endian stream and converts to and from the
//! canonical text form `2f5f6520-ca46-1067-b319-00dd010662da`.

use core::fmt;
use core::str::FromStr;

use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

/// A UUID in its little-endian wire form (16 bytes, no alignment).
#[derive(
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    FromBytes,
    IntoBytes,
    Immutable,
    KnownLayout,
    Unaligned,
)]
#[repr(transparent)]
pub struct Uuid(pub [u8; 16]);

impl Uuid {
    /// The nil UUID (all zero), e.g. the UUID of a freed context handle.
    pub const NIL: Uuid = Uuid([0; 16]);

    /// The UUID whose canonical fields are `time_low`, `time_mid`, `time_hi` and the eight
    /// bytes `clock_seq ‖ node`, laid out little-endian as on the wire.
    pub const fn from_fields(time_low: u32, time_mid: u16, time_hi: u16, tail: [u8; 8]) -> Uuid {
        let a = time_low.to_le_bytes();
        let b = time_mid.to_le_bytes();
        let c = time_hi.to_le_bytes();
        Uuid([
            a[0], a[1], a[2], a[3], b[0], b[1], c[0], c[1], tail[0], tail[1], tail[2], tail[3],
            tail[4], tail[5], tail[6], tail[7],
        ])
    }

    /// `time_low`, the first field of the canonical form.
    pub const fn time_low(&self) -> u32 {
        u32::from_le_bytes([self.0[0], self.0[1], self.0[2], self.0[3]])
    }

    /// `time_mid`.
    pub const fn time_mid(&self) -> u16 {
        u16::from_le_bytes([self.0[4], self.0[5]])
    }

    /// `time_hi_and_version`.
    pub const fn time_hi(&self) -> u16 {
        u16::from_le_bytes([self.0[6], self.0[7]])
    }

    /// `clock_seq ‖ node`, the last eight bytes, in canonical (and wire) order.
    pub fn tail(&self) -> [u8; 8] {
        let mut t = [0u8; 8];
        t.copy_from_slice(&self.0[8..]);
        t
    }

    /// True for the nil UUID.
    pub fn is_nil(&self) -> bool {
        self.0 == [0; 16]
    }
}

impl fmt::Display for Uuid {
    /// The canonical lower-case form, `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = &self.0[8..];
        write!(
            f,
            "{:08x}-{:04x}-{:04x}-{:02x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
            self.time_low(),
            self.time_mid(),
            self.time_hi(),
            t[0],
            t[1],
            t[2],
            t[3],
            t[4],
            t[5],
            t[6],
            t[7]
        )
    }
}

impl fmt::Debug for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Uuid({self})")
    }
}

/// Text that is not a UUID in canonical form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a UUID in the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx")]
#[non_exhaustive]
pub struct ParseUuidError;

impl FromStr for Uuid {
    type Err = ParseUuidError;

    /// Parses the canonical form, either case, optionally in braces.
    fn from_str(s: &str) -> Result<Uuid, ParseUuidError> {
        let s = s
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .unwrap_or(s);
        let b = s.as_bytes();
        if b.len() != 36 || [8, 13, 18, 23].iter().any(|&i| b[i] != b'-') {
            return Err(ParseUuidError);
        }
        let mut canonical = [0u8; 16];
        let mut n = 0;
        let mut i = 0;
        while i < 36 {
            if b[i] == b'-' {
                i += 1;
                continue;
            }
            let hi = hex(b[i]).ok_or(ParseUuidError)?;
            let lo = hex(b[i + 1]).ok_or(ParseUuidError)?;
            canonical[n] = hi << 4 | lo;
            n += 1;
            i += 2;
        }
        let mut tail = [0u8; 8];
        tail.copy_from_slice(&canonical[8..]);
        Ok(Uuid::from_fields(
            u32::from_be_bytes([canonical[0], canonical[1], canonical[2], canonical[3]]),
            u16::from_be_bytes([canonical[4], canonical[5]]),
            u16::from_be_bytes([canonical[6], canonical[7]]),
            tail,
        ))
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

/// A presentation syntax or interface identifier: UUID and version (`p_syntax_id_t`, C706
/// 12.6.3.1): 16 bytes of UUID, then `u16` major and `u16` minor version (20 bytes).
#[derive(
    Clone, Copy, PartialEq, Eq, Hash, Debug, FromBytes, IntoBytes, Immutable, KnownLayout, Unaligned,
)]
#[repr(C)]
pub struct SyntaxId {
    /// The interface or transfer-syntax UUID.
    pub uuid: Uuid,
    /// Major version (little-endian).
    pub major: zerocopy::little_endian::U16,
    /// Minor version (little-endian).
    pub minor: zerocopy::little_endian::U16,
}

impl SyntaxId {
    /// A syntax id from its parts.
    pub const fn new(uuid: Uuid, major: u16, minor: u16) -> SyntaxId {
        SyntaxId {
            uuid,
            major: zerocopy::little_endian::U16::new(major),
            minor: zerocopy::little_endian::U16::new(minor),
        }
    }
}

impl fmt::Display for SyntaxId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} v{}.{}",
            self.uuid,
            self.major.get(),
            self.minor.get()
        )
    }
}

/// The NDR 2.0 transfer syntax, `8a885d04-1ceb-11c9-9fe8-08002b104860` version 2 (C706 14).
pub const NDR20: SyntaxId = SyntaxId::new(
    Uuid::from_fields(
        0x8a88_5d04,
        0x1ceb,
        0x11c9,
        [0x9f, 0xe8, 0x08, 0x00, 0x2b, 0x10, 0x48, 0x60],
    ),
    2,
    0,
);

/// The NDR64 transfer syntax, `71710533-beba-4937-8319-b5dbef9ccc36` version 1 ([MS-RPCE]
/// 2.2.5).
pub const NDR64: SyntaxId = SyntaxId::new(
    Uuid::from_fields(
        0x7171_0533,
        0xbeba,
        0x4937,
        [0x83, 0x19, 0xb5, 0xdb, 0xef, 0x9c, 0xcc, 0x36],
    ),
    1,
    0,
);

/// The tapsrv interface, `2f5f6520-ca46-1067-b319-00dd010662da` version 1.0 ([MS-TRP] 2.1, 6).
pub const TAPSRV: SyntaxId = SyntaxId::new(
    Uuid::from_fields(
        0x2f5f_6520,
        0xca46,
        0x1067,
        [0xb3, 0x19, 0x00, 0xdd, 0x01, 0x06, 0x62, 0xda],
    ),
    1,
    0,
);

/// The remotesp interface, `2f5f6521-ca47-1068-b319-00dd010662db` version 1.0 ([MS-TRP] 2.1,
/// 6). Not the unrelated "Unimodem LRPC Endpoint" `2f5f6521-cb55-1059-b446-00df0bce31db`.
pub const REMOTESP: SyntaxId = SyntaxId::new(
    Uuid::from_fields(
        0x2f5f_6521,
        0xca47,
        0x1068,
        [0xb3, 0x19, 0x00, 0xdd, 0x01, 0x06, 0x62, 0xdb],
    ),
    1,
    0,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_text_round_trips() {
        let u: Uuid = "2F5F6520-CA46-1067-B319-00DD010662DA".parse().unwrap();
        assert_eq!(u, TAPSRV.uuid);
        assert_eq!(u.to_string(), "2f5f6520-ca46-1067-b319-00dd010662da");
        assert_eq!("{2f5f6520-ca46-1067-b319-00dd010662da}".parse(), Ok(u));
        assert!(
            "2f5f6520-ca46-1067-b319-00dd010662d"
                .parse::<Uuid>()
                .is_err()
        );
        assert!(
            "2f5f6520xca46-1067-b319-00dd010662da"
                .parse::<Uuid>()
                .is_err()
        );
    }

    #[test]
    fn wire_bytes_are_little_endian_in_the_first_three_fields() {
        // The bytes tshark shows for the tapsrv interface in a bind (design note 1).
        assert_eq!(
            TAPSRV.uuid.0,
            [
                0x20, 0x65, 0x5f, 0x2f, 0x46, 0xca, 0x67, 0x10, 0xb3, 0x19, 0x00, 0xdd, 0x01, 0x06,
                0x62, 0xda
            ]
        );
        assert_eq!(
            NDR20.uuid.to_string(),
            "8a885d04-1ceb-11c9-9fe8-08002b104860"
        );
        assert_eq!(
            NDR64.uuid.to_string(),
            "71710533-beba-4937-8319-b5dbef9ccc36"
        );
        assert_eq!(
            REMOTESP.uuid.to_string(),
            "2f5f6521-ca47-1068-b319-00dd010662db"
        );
    }
}
