//! Connection-oriented DCE/RPC PDUs (C706 12.6, [MS-RPCE] 2.2.2): zero-copy views, a stream
//! splitter, and byte-exact builders.
//!
//! Every PDU starts with the 16-byte common header ([`CommonHeader`], C706 12.6.1/12.6.3.1):
//! `rpc_vers` 5, `rpc_vers_minor`, `PTYPE`, `pfc_flags`, `packed_drep[4]`, `frag_length`,
//! `auth_length`, `call_id`. `frag_length` counts the whole PDU; when `auth_length` is non-zero
//! the last `auth_length + 8` bytes are the sec_trailer and the authentication token, the
//! trailer at `frag_length - auth_length - 8` ([MS-RPCE] 2.2.2.11), preceded by
//! `auth_pad_length` padding octets that are not part of the stub.
//!
//! The twelve connection-oriented types ([`PacketType`]): request 0 (C706 12.6.4.9), response 2
//! (12.6.4.10), fault 3 (12.6.4.7, [MS-RPCE] 2.2.2.8), bind 11 (12.6.4.3), bind_ack 12
//! (12.6.4.4), bind_nak 13 (12.6.4.5, [MS-RPCE] 2.2.2.9), alter_context 14 (12.6.4.1),
//! alter_context_resp 15 (12.6.4.2), rpc_auth_3 16 ([MS-RPCE] 2.2.2.10), shutdown 17
//! (12.6.4.11), co_cancel 18 (12.6.4.6), orphaned 19 (12.6.4.8).
//!
//! Only the data representation Windows uses is read: `packed_drep = 10 00 00 00`
//! (little-endian integers, ASCII characters, IEEE floats; C706 14.1). Anything else is a
//! [`PduError`], never a misreading.
//!
//! ```
//! use mstrp::rpc::pdu::{Pdu, PduBody, PduBuilder};
//!
//! let bytes = PduBuilder::request(3, 0, 1, vec![0xAA; 12]).to_bytes()?;
//! let pdu = Pdu::parse(&bytes)?;
//! assert_eq!((pdu.call_id(), pdu.is_first(), pdu.is_last()), (3, true, true));
//! let PduBody::Request(req) = pdu.body() else { unreachable!() };
//! assert_eq!((req.opnum(), req.stub()), (1, &[0xAA; 12][..]));
//! assert_eq!(pdu.to_builder().to_bytes()?, bytes);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Decoding never allocates and never panics: every offset is computed with checked arithmetic
//! and every read goes through zerocopy's `ref_from_prefix` or `split_at_checked`.

use alloc::vec::Vec;
use core::fmt;

use zerocopy::little_endian::{U16, U32};
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use super::faults::{DefResult, FaultStatus, ProviderReason, RejectReason};
use super::uuid::{SyntaxId, Uuid};

/// `PFC_FIRST_FRAG`: the first fragment of a call (C706 12.6.3.1).
pub const PFC_FIRST_FRAG: u8 = 0x01;
/// `PFC_LAST_FRAG`: the last fragment of a call.
pub const PFC_LAST_FRAG: u8 = 0x02;
/// `PFC_PENDING_CANCEL`: a cancel was pending at the sender (request, response, fault, ...).
pub const PFC_PENDING_CANCEL: u8 = 0x04;
/// `PFC_SUPPORT_HEADER_SIGN`: the same bit in bind, bind_ack, alter_context,
/// alter_context_resp and rpc_auth_3 ([MS-RPCE] 2.2.2.3).
pub const PFC_SUPPORT_HEADER_SIGN: u8 = 0x04;
/// `PFC_RESERVED_1` (0x08), unused.
pub const PFC_RESERVED_1: u8 = 0x08;
/// `PFC_CONC_MPX`: the connection supports concurrent multiplexing (bind, alter_context).
pub const PFC_CONC_MPX: u8 = 0x10;
/// `PFC_DID_NOT_EXECUTE`: in a fault, the call was not executed by the server.
pub const PFC_DID_NOT_EXECUTE: u8 = 0x20;
/// `PFC_MAYBE`: `maybe` call semantics ([MS-RPCE] 2.2.2.2 allows ignoring it).
pub const PFC_MAYBE: u8 = 0x40;
/// `PFC_OBJECT_UUID`: a request carries an object UUID after its fixed fields.
pub const PFC_OBJECT_UUID: u8 = 0x80;

/// Length of the common header.
pub const COMMON_HEADER_LEN: usize = 16;
/// Length of the sec_trailer (`auth_verifier_co_t` without its token, [MS-RPCE] 2.2.2.11).
pub const SEC_TRAILER_LEN: usize = 8;
/// The only supported `packed_drep`: little-endian, ASCII, IEEE (C706 14.1).
pub const DREP_LITTLE_ENDIAN: [u8; 4] = [0x10, 0, 0, 0];
/// Stub-carrying PDUs pad the stub to this multiple before the sec_trailer ([MS-RPCE]
/// 2.2.2.11).
pub const AUTH_PAD_ALIGNMENT: usize = 16;
/// The bind_nak `Signature` announcing extended error information,
/// `90740320-fad0-11d3-82d7-009027b130ab` ([MS-RPCE] 2.2.1.1.2, 2.2.2.9).
pub const EEINFO_SIGNATURE: Uuid = Uuid::from_fields(
    0x9074_0320,
    0xfad0,
    0x11d3,
    [0x82, 0xd7, 0x00, 0x90, 0x27, 0xb1, 0x30, 0xab],
);

/// `RPC_C_AUTHN_NONE` ([MS-RPCE] 2.2.1.1.7).
pub const RPC_C_AUTHN_NONE: u8 = 0x00;
/// `RPC_C_AUTHN_GSS_NEGOTIATE` (SPNEGO).
pub const RPC_C_AUTHN_GSS_NEGOTIATE: u8 = 0x09;
/// `RPC_C_AUTHN_WINNT` (NTLM).
pub const RPC_C_AUTHN_WINNT: u8 = 0x0A;
/// `RPC_C_AUTHN_GSS_SCHANNEL` (TLS).
pub const RPC_C_AUTHN_GSS_SCHANNEL: u8 = 0x0E;
/// `RPC_C_AUTHN_GSS_KERBEROS`.
pub const RPC_C_AUTHN_GSS_KERBEROS: u8 = 0x10;
/// `RPC_C_AUTHN_NETLOGON`.
pub const RPC_C_AUTHN_NETLOGON: u8 = 0x44;
/// `RPC_C_AUTHN_DEFAULT` (same as WINNT).
pub const RPC_C_AUTHN_DEFAULT: u8 = 0xFF;
/// `RPC_C_AUTHN_LEVEL_CONNECT` ([MS-RPCE] 2.2.1.1.8).
pub const RPC_C_AUTHN_LEVEL_CONNECT: u8 = 0x02;
/// `RPC_C_AUTHN_LEVEL_PKT`.
pub const RPC_C_AUTHN_LEVEL_PKT: u8 = 0x04;
/// `RPC_C_AUTHN_LEVEL_PKT_INTEGRITY`.
pub const RPC_C_AUTHN_LEVEL_PKT_INTEGRITY: u8 = 0x05;
/// `RPC_C_AUTHN_LEVEL_PKT_PRIVACY`.
pub const RPC_C_AUTHN_LEVEL_PKT_PRIVACY: u8 = 0x06;

// ---------------------------------------------------------------------------------------------
// Packet types
// ---------------------------------------------------------------------------------------------

/// The `PTYPE` of a connection-oriented PDU (C706 12.6.4, [MS-RPCE] 2.2.2.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
#[non_exhaustive]
pub enum PacketType {
    /// `request` (0), C706 12.6.4.9.
    Request = 0,
    /// `response` (2), C706 12.6.4.10.
    Response = 2,
    /// `fault` (3), C706 12.6.4.7.
    Fault = 3,
    /// `bind` (11), C706 12.6.4.3.
    Bind = 11,
    /// `bind_ack` (12), C706 12.6.4.4.
    BindAck = 12,
    /// `bind_nak` (13), C706 12.6.4.5.
    BindNak = 13,
    /// `alter_context` (14), C706 12.6.4.1.
    AlterContext = 14,
    /// `alter_context_resp` (15), C706 12.6.4.2.
    AlterContextResp = 15,
    /// `rpc_auth_3` (16), [MS-RPCE] 2.2.2.10.
    Auth3 = 16,
    /// `shutdown` (17), C706 12.6.4.11.
    Shutdown = 17,
    /// `co_cancel` (18), C706 12.6.4.6.
    CoCancel = 18,
    /// `orphaned` (19), C706 12.6.4.8.
    Orphaned = 19,
}

impl PacketType {
    /// All twelve types, in `PTYPE` order.
    pub const ALL: [PacketType; 12] = [
        PacketType::Request,
        PacketType::Response,
        PacketType::Fault,
        PacketType::Bind,
        PacketType::BindAck,
        PacketType::BindNak,
        PacketType::AlterContext,
        PacketType::AlterContextResp,
        PacketType::Auth3,
        PacketType::Shutdown,
        PacketType::CoCancel,
        PacketType::Orphaned,
    ];

    /// The type for a `PTYPE` byte, if it is connection-oriented. The connectionless types
    /// (1, 4–10) and RTS (20, [MS-RPCH]) are not.
    pub const fn from_u8(ptype: u8) -> Option<PacketType> {
        Some(match ptype {
            0 => PacketType::Request,
            2 => PacketType::Response,
            3 => PacketType::Fault,
            11 => PacketType::Bind,
            12 => PacketType::BindAck,
            13 => PacketType::BindNak,
            14 => PacketType::AlterContext,
            15 => PacketType::AlterContextResp,
            16 => PacketType::Auth3,
            17 => PacketType::Shutdown,
            18 => PacketType::CoCancel,
            19 => PacketType::Orphaned,
            _ => return None,
        })
    }

    /// The `PTYPE` byte.
    pub const fn value(self) -> u8 {
        self as u8
    }

    /// The name as C706 spells it (`"alter_context_resp"`; `"auth3"` for rpc_auth_3).
    pub const fn name(self) -> &'static str {
        match self {
            PacketType::Request => "request",
            PacketType::Response => "response",
            PacketType::Fault => "fault",
            PacketType::Bind => "bind",
            PacketType::BindAck => "bind_ack",
            PacketType::BindNak => "bind_nak",
            PacketType::AlterContext => "alter_context",
            PacketType::AlterContextResp => "alter_context_resp",
            PacketType::Auth3 => "auth3",
            PacketType::Shutdown => "shutdown",
            PacketType::CoCancel => "co_cancel",
            PacketType::Orphaned => "orphaned",
        }
    }

    /// The size of the header and the fixed fields of the type, the smallest valid
    /// `frag_length` (a request with `PFC_OBJECT_UUID` needs 16 more).
    pub const fn fixed_len(self) -> usize {
        match self {
            PacketType::Request | PacketType::Response => 24,
            PacketType::Fault => 32,
            PacketType::Bind | PacketType::AlterContext => 28,
            PacketType::BindAck | PacketType::AlterContextResp => 26,
            PacketType::BindNak => 18,
            PacketType::Auth3 => 20,
            PacketType::Shutdown | PacketType::CoCancel | PacketType::Orphaned => 16,
        }
    }

    /// Whether the type carries stub data (request, response, fault).
    pub const fn has_stub(self) -> bool {
        matches!(
            self,
            PacketType::Request | PacketType::Response | PacketType::Fault
        )
    }
}

impl fmt::Display for PacketType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

// ---------------------------------------------------------------------------------------------
// Wire layouts
// ---------------------------------------------------------------------------------------------

/// The 16-byte common header of every connection-oriented PDU (C706 12.6.1, 12.6.3.1).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct CommonHeader {
    /// `rpc_vers`, 5.
    pub rpc_vers: u8,
    /// `rpc_vers_minor`, 0 (1 is accepted too: the DCE reference runtime sends 5.1).
    pub rpc_vers_minor: u8,
    /// `PTYPE`.
    pub ptype: u8,
    /// `pfc_flags` (`PFC_*`).
    pub pfc_flags: u8,
    /// `packed_drep`, the NDR format label (C706 14.1).
    pub packed_drep: [u8; 4],
    /// `frag_length`: the whole PDU, header to authentication token.
    pub frag_length: U16,
    /// `auth_length`: the authentication token, excluding the sec_trailer.
    pub auth_length: U16,
    /// `call_id`.
    pub call_id: U32,
}

/// The fixed fields of a request after the common header (C706 12.6.4.9).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct RequestFields {
    /// `alloc_hint`: the stub bytes remaining from this fragment on ([MS-RPCE] 2.2.2.6).
    pub alloc_hint: U32,
    /// `p_cont_id`: the presentation context.
    pub p_cont_id: U16,
    /// `opnum`.
    pub opnum: U16,
}

/// The fixed fields of a response after the common header (C706 12.6.4.10).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct ResponseFields {
    /// `alloc_hint`.
    pub alloc_hint: U32,
    /// `p_cont_id`.
    pub p_cont_id: U16,
    /// `cancel_count`.
    pub cancel_count: u8,
    /// `reserved`.
    pub reserved: u8,
}

/// The fixed fields of a fault after the common header (C706 12.6.4.7, [MS-RPCE] 2.2.2.8).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct FaultFields {
    /// `alloc_hint`.
    pub alloc_hint: U32,
    /// `p_cont_id`.
    pub p_cont_id: U16,
    /// `cancel_count`.
    pub cancel_count: u8,
    /// `reserved`; bit 0 flags extended error information ([MS-RPCE] 2.2.2.8).
    pub reserved: u8,
    /// `status` ([`FaultStatus`]).
    pub status: U32,
    /// `reserved2`.
    pub reserved2: [u8; 4],
}

/// The fixed fields of a bind or alter_context after the common header, up to the first
/// presentation context (C706 12.6.4.3, `p_cont_list_t` of 12.6.3.1).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct BindFields {
    /// `max_xmit_frag`.
    pub max_xmit_frag: U16,
    /// `max_recv_frag`.
    pub max_recv_frag: U16,
    /// `assoc_group_id`.
    pub assoc_group_id: U32,
    /// `n_context_elem`.
    pub n_context_elem: u8,
    /// `reserved`.
    pub reserved: u8,
    /// `reserved2`.
    pub reserved2: U16,
}

/// The fixed part of one presentation context element (`p_cont_elem_t`, C706 12.6.3.1); the
/// `n_transfer_syn` transfer syntaxes follow.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct ContextElemFields {
    /// `p_cont_id`.
    pub p_cont_id: U16,
    /// `n_transfer_syn`.
    pub n_transfer_syn: u8,
    /// `reserved`.
    pub reserved: u8,
    /// `abstract_syntax`: the interface.
    pub abstract_syntax: SyntaxId,
}

/// The fixed fields of a bind_ack or alter_context_resp after the common header, up to the
/// secondary address string (C706 12.6.4.4, `port_any_t` of 12.6.3.1).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct BindAckFields {
    /// `max_xmit_frag`.
    pub max_xmit_frag: U16,
    /// `max_recv_frag`.
    pub max_recv_frag: U16,
    /// `assoc_group_id`.
    pub assoc_group_id: U32,
    /// `sec_addr.length`: the string's length including its NUL.
    pub sec_addr_length: U16,
}

/// The header of the result list (`p_result_list_t`, C706 12.6.3.1).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct ResultListFields {
    /// `n_results`.
    pub n_results: u8,
    /// `reserved`.
    pub reserved: u8,
    /// `reserved2`.
    pub reserved2: U16,
}

/// One presentation context result (`p_result_t`, C706 12.6.3.1): 24 bytes.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct ContextResult {
    /// `result` ([`DefResult`]).
    pub result: U16,
    /// `reason` ([`ProviderReason`], or the feature bits of a negotiate_ack).
    pub reason: U16,
    /// `transfer_syntax`: the accepted one, or nil.
    pub transfer_syntax: SyntaxId,
}

impl ContextResult {
    /// A result from its parts.
    pub const fn new(result: DefResult, reason: ProviderReason, transfer_syntax: SyntaxId) -> Self {
        ContextResult {
            result: U16::new(result.0),
            reason: U16::new(reason.0),
            transfer_syntax,
        }
    }

    /// `result` as a code.
    pub fn result(&self) -> DefResult {
        DefResult(self.result.get())
    }

    /// `reason` as a code.
    pub fn reason(&self) -> ProviderReason {
        ProviderReason(self.reason.get())
    }
}

/// The fixed field of a bind_nak after the common header (C706 12.6.4.5).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct BindNakFields {
    /// `provider_reject_reason` ([`RejectReason`]).
    pub provider_reject_reason: U16,
}

/// A protocol version in a bind_nak (`version_t`, [MS-RPCE] 2.2.1.1.5).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct VersionT {
    /// `major`.
    pub major: u8,
    /// `minor`.
    pub minor: u8,
}

/// The fixed field of rpc_auth_3 after the common header ([MS-RPCE] 2.2.2.10).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct Auth3Fields {
    /// `pad`: any value, ignored on receipt.
    pub pad: [u8; 4],
}

/// The sec_trailer ([MS-RPCE] 2.2.2.11; `auth_verifier_co_t` of C706 12.6.3.1 without the
/// token).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned,
)]
#[repr(C)]
pub struct SecTrailerFields {
    /// `auth_type` (`RPC_C_AUTHN_*`).
    pub auth_type: u8,
    /// `auth_level` (`RPC_C_AUTHN_LEVEL_*`).
    pub auth_level: u8,
    /// `auth_pad_length`: padding octets before the trailer.
    pub auth_pad_length: u8,
    /// `auth_reserved`.
    pub auth_reserved: u8,
    /// `auth_context_id`.
    pub auth_context_id: U32,
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// A PDU that cannot be decoded: which PDU, which field, where, and why.
///
/// `offset` is the byte offset of `field` from the start of the PDU; a caller that parsed
/// the PDU out of a larger stream adds the PDU's own offset ([`PduStream::position`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}: field {field} at byte {offset}: {kind}", Label(.pdu))]
#[non_exhaustive]
pub struct PduError {
    /// The PDU type's name (`"request"`), or `"PDU"` when `PTYPE` is unknown or unread.
    pub pdu: &'static str,
    /// The field at fault, spelled as in C706/[MS-RPCE] (`"frag_length"`).
    pub field: &'static str,
    /// Byte offset of the field from the PDU start.
    pub offset: usize,
    /// What is wrong.
    pub kind: PduErrorKind,
}

struct Label<'a>(&'a &'static str);

impl fmt::Display for Label<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self.0 == "PDU" {
            f.write_str("PDU")
        } else {
            write!(f, "{} PDU", self.0)
        }
    }
}

/// Why a PDU cannot be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PduErrorKind {
    /// Fewer bytes than the 16-byte common header.
    #[error("{available} bytes, but the common header needs {needed}")]
    TooShort {
        /// Bytes needed.
        needed: usize,
        /// Bytes present.
        available: usize,
    },
    /// `rpc_vers`.`rpc_vers_minor` is not 5.0 or 5.1.
    #[error("RPC protocol version {major}.{minor} is not supported (5.0 and 5.1 are)")]
    UnsupportedVersion {
        /// `rpc_vers`.
        major: u8,
        /// `rpc_vers_minor`.
        minor: u8,
    },
    /// `PTYPE` is not one of the twelve connection-oriented types.
    #[error("PTYPE {0} is not a connection-oriented PDU type")]
    UnknownPacketType(u8),
    /// `packed_drep[0]` announces big-endian integers.
    #[error("big-endian data representation is not supported")]
    BigEndian,
    /// `packed_drep[0]`'s integer representation (high nibble) is neither 0 nor 1.
    #[error("integer representation {0:#x} of packed_drep is undefined")]
    UnknownIntegerRepresentation(u8),
    /// `packed_drep[0]` announces EBCDIC characters.
    #[error("EBCDIC character representation is not supported")]
    Ebcdic,
    /// `packed_drep[0]`'s character representation (low nibble) is neither 0 nor 1.
    #[error("character representation {0:#x} of packed_drep is undefined")]
    UnknownCharacterRepresentation(u8),
    /// `packed_drep[1]` is not 0 (IEEE); 1 VAX, 2 Cray, 3 IBM.
    #[error("floating-point representation {0} is not supported (only IEEE, 0)")]
    NonIeeeFloat(u8),
    /// `frag_length` is smaller than the type's header and fixed fields.
    #[error("frag_length {frag_length} is below the {minimum} bytes of the fixed fields")]
    FragLengthTooSmall {
        /// `frag_length`.
        frag_length: u16,
        /// The type's fixed size.
        minimum: usize,
    },
    /// `frag_length` is more than the bytes present.
    #[error("frag_length {frag_length} exceeds the {available} bytes available")]
    Incomplete {
        /// `frag_length`.
        frag_length: u16,
        /// Bytes present.
        available: usize,
    },
    /// `auth_length` + 8 does not fit between the fixed fields and `frag_length`.
    #[error(
        "auth_length {auth_length} plus the 8-byte sec_trailer exceeds the {available} bytes after the fixed fields"
    )]
    AuthLengthTooLarge {
        /// `auth_length`.
        auth_length: u16,
        /// Bytes between the fixed fields and the end of the PDU.
        available: usize,
    },
    /// `auth_pad_length` reaches back into the fixed fields.
    #[error(
        "auth_pad_length {auth_pad_length} exceeds the {available} bytes between the fixed fields and the sec_trailer"
    )]
    AuthPadTooLarge {
        /// `auth_pad_length`.
        auth_pad_length: u8,
        /// Bytes between the fixed fields and the sec_trailer.
        available: usize,
    },
    /// rpc_auth_3 with `auth_length` 0: it MUST carry a sec_trailer ([MS-RPCE] 2.2.2.10).
    #[error("rpc_auth_3 must carry a sec_trailer, but auth_length is 0")]
    MissingSecTrailer,
    /// A counted or length-prefixed part runs past the PDU body.
    #[error("needs {needed} bytes, but only {available} remain in the PDU body")]
    Overrun {
        /// Bytes the part needs.
        needed: usize,
        /// Bytes left before the auth padding, sec_trailer or end.
        available: usize,
    },
}

#[cold]
#[inline(never)]
fn err(pdu: &'static str, field: &'static str, offset: usize, kind: PduErrorKind) -> PduError {
    PduError {
        pdu,
        field,
        offset,
        kind,
    }
}

/// A cursor over the body of one PDU; offsets are absolute from the PDU start.
struct Cursor<'a> {
    pdu: &'static str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    #[cold]
    fn overrun(&self, field: &'static str, needed: usize) -> PduError {
        err(
            self.pdu,
            field,
            self.at,
            PduErrorKind::Overrun {
                needed,
                available: self.bytes.len(),
            },
        )
    }

    fn take<T: FromBytes + KnownLayout + Immutable + Unaligned>(
        &mut self,
        field: &'static str,
    ) -> Result<&'a T, PduError> {
        let (v, rest) =
            T::ref_from_prefix(self.bytes).map_err(|_| self.overrun(field, size_of::<T>()))?;
        self.advance(size_of::<T>(), rest);
        Ok(v)
    }

    fn take_slice<T: FromBytes + Immutable + Unaligned>(
        &mut self,
        field: &'static str,
        n: usize,
    ) -> Result<&'a [T], PduError> {
        let needed = n.saturating_mul(size_of::<T>());
        let (v, rest) = <[T]>::ref_from_prefix_with_elems(self.bytes, n)
            .map_err(|_| self.overrun(field, needed))?;
        self.advance(needed, rest);
        Ok(v)
    }

    fn take_bytes(&mut self, field: &'static str, n: usize) -> Result<&'a [u8], PduError> {
        let (v, rest) = self
            .bytes
            .split_at_checked(n)
            .ok_or_else(|| self.overrun(field, n))?;
        self.advance(n, rest);
        Ok(v)
    }

    fn advance(&mut self, n: usize, rest: &'a [u8]) {
        self.at = self.at.saturating_add(n);
        self.bytes = rest;
    }
}

// ---------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------

/// One connection-oriented PDU, decoded and checked, borrowing its bytes.
#[derive(Debug, Clone, Copy)]
pub struct Pdu<'a> {
    bytes: &'a [u8],
    header: &'a CommonHeader,
    packet_type: PacketType,
    body: PduBody<'a>,
    /// Offset of the checked sec_trailer, 0 when there is none (it follows the 16-byte
    /// header, so 0 is free); [`Pdu::sec_trailer`] rebuilds the view, which keeps `Pdu`
    /// small to move.
    trailer_at: u16,
}

/// The type-specific part of a [`Pdu`].
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum PduBody<'a> {
    /// request (0).
    Request(RequestPdu<'a>),
    /// response (2).
    Response(ResponsePdu<'a>),
    /// fault (3).
    Fault(FaultPdu<'a>),
    /// bind (11).
    Bind(BindPdu<'a>),
    /// bind_ack (12).
    BindAck(BindAckPdu<'a>),
    /// bind_nak (13).
    BindNak(BindNakPdu<'a>),
    /// alter_context (14): the layout of bind.
    AlterContext(BindPdu<'a>),
    /// alter_context_resp (15): the layout of bind_ack.
    AlterContextResp(BindAckPdu<'a>),
    /// rpc_auth_3 (16).
    Auth3(Auth3Pdu<'a>),
    /// shutdown (17).
    Shutdown(EmptyPdu<'a>),
    /// co_cancel (18).
    CoCancel(EmptyPdu<'a>),
    /// orphaned (19).
    Orphaned(EmptyPdu<'a>),
}

/// A request (C706 12.6.4.9).
#[derive(Debug, Clone, Copy)]
pub struct RequestPdu<'a> {
    fields: &'a RequestFields,
    object: Option<&'a Uuid>,
    stub: &'a [u8],
}

impl<'a> RequestPdu<'a> {
    /// The fixed fields as they are on the wire.
    pub fn fields(&self) -> &'a RequestFields {
        self.fields
    }
    /// `alloc_hint`.
    pub fn alloc_hint(&self) -> u32 {
        self.fields.alloc_hint.get()
    }
    /// `p_cont_id`.
    pub fn p_cont_id(&self) -> u16 {
        self.fields.p_cont_id.get()
    }
    /// `opnum`.
    pub fn opnum(&self) -> u16 {
        self.fields.opnum.get()
    }
    /// The object UUID, present when `PFC_OBJECT_UUID` is set.
    pub fn object(&self) -> Option<Uuid> {
        self.object.copied()
    }
    /// The stub data (this fragment's), without auth padding.
    pub fn stub(&self) -> &'a [u8] {
        self.stub
    }
    /// A builder that writes these fields back.
    pub fn to_builder(&self) -> RequestBuilder {
        RequestBuilder {
            alloc_hint: self.alloc_hint(),
            p_cont_id: self.p_cont_id(),
            opnum: self.opnum(),
            object: self.object(),
            stub: self.stub.to_vec(),
        }
    }
}

/// A response (C706 12.6.4.10).
#[derive(Debug, Clone, Copy)]
pub struct ResponsePdu<'a> {
    fields: &'a ResponseFields,
    stub: &'a [u8],
}

impl<'a> ResponsePdu<'a> {
    /// The fixed fields as they are on the wire.
    pub fn fields(&self) -> &'a ResponseFields {
        self.fields
    }
    /// `alloc_hint`.
    pub fn alloc_hint(&self) -> u32 {
        self.fields.alloc_hint.get()
    }
    /// `p_cont_id`.
    pub fn p_cont_id(&self) -> u16 {
        self.fields.p_cont_id.get()
    }
    /// `cancel_count`.
    pub fn cancel_count(&self) -> u8 {
        self.fields.cancel_count
    }
    /// The stub data (this fragment's), without auth padding.
    pub fn stub(&self) -> &'a [u8] {
        self.stub
    }
    /// A builder that writes these fields back.
    pub fn to_builder(&self) -> ResponseBuilder {
        ResponseBuilder {
            alloc_hint: self.alloc_hint(),
            p_cont_id: self.p_cont_id(),
            cancel_count: self.cancel_count(),
            reserved: self.fields.reserved,
            stub: self.stub.to_vec(),
        }
    }
}

/// A fault (C706 12.6.4.7, [MS-RPCE] 2.2.2.8).
#[derive(Debug, Clone, Copy)]
pub struct FaultPdu<'a> {
    fields: &'a FaultFields,
    stub: &'a [u8],
}

impl<'a> FaultPdu<'a> {
    /// The fixed fields as they are on the wire.
    pub fn fields(&self) -> &'a FaultFields {
        self.fields
    }
    /// `alloc_hint`.
    pub fn alloc_hint(&self) -> u32 {
        self.fields.alloc_hint.get()
    }
    /// `p_cont_id`.
    pub fn p_cont_id(&self) -> u16 {
        self.fields.p_cont_id.get()
    }
    /// `cancel_count`.
    pub fn cancel_count(&self) -> u8 {
        self.fields.cancel_count
    }
    /// `reserved`, whose bit 0 flags extended error information ([MS-RPCE] 2.2.2.8).
    pub fn reserved(&self) -> u8 {
        self.fields.reserved
    }
    /// Whether bit 0 of `reserved` announces extended error information in the stub.
    pub fn has_extended_error(&self) -> bool {
        self.fields.reserved & 1 != 0
    }
    /// `status`.
    pub fn status(&self) -> FaultStatus {
        FaultStatus(self.fields.status.get())
    }
    /// `reserved2`.
    pub fn reserved2(&self) -> [u8; 4] {
        self.fields.reserved2
    }
    /// The stub data (usually empty: [MS-RPCE] 2.2.2.8 servers send none).
    pub fn stub(&self) -> &'a [u8] {
        self.stub
    }
    /// A builder that writes these fields back.
    pub fn to_builder(&self) -> FaultBuilder {
        FaultBuilder {
            alloc_hint: self.alloc_hint(),
            p_cont_id: self.p_cont_id(),
            cancel_count: self.cancel_count(),
            reserved: self.reserved(),
            status: self.status().0,
            reserved2: self.reserved2(),
            stub: self.stub.to_vec(),
        }
    }
}

/// A bind or alter_context (C706 12.6.4.3, 12.6.4.1).
#[derive(Debug, Clone, Copy)]
pub struct BindPdu<'a> {
    fields: &'a BindFields,
    contexts: &'a [u8],
    rest: &'a [u8],
}

impl<'a> BindPdu<'a> {
    /// The fixed fields as they are on the wire.
    pub fn fields(&self) -> &'a BindFields {
        self.fields
    }
    /// `max_xmit_frag`.
    pub fn max_xmit_frag(&self) -> u16 {
        self.fields.max_xmit_frag.get()
    }
    /// `max_recv_frag`.
    pub fn max_recv_frag(&self) -> u16 {
        self.fields.max_recv_frag.get()
    }
    /// `assoc_group_id`.
    pub fn assoc_group_id(&self) -> u32 {
        self.fields.assoc_group_id.get()
    }
    /// `n_context_elem`.
    pub fn n_context_elem(&self) -> u8 {
        self.fields.n_context_elem
    }
    /// The presentation contexts, in order (all checked to fit when the PDU was parsed).
    pub fn contexts(&self) -> ContextIter<'a> {
        ContextIter {
            bytes: self.contexts,
            remaining: self.fields.n_context_elem,
        }
    }
    /// Bytes after the last context and before any auth padding (normally none).
    pub fn rest(&self) -> &'a [u8] {
        self.rest
    }
    /// A builder that writes these fields back.
    pub fn to_builder(&self) -> BindBuilder {
        BindBuilder {
            max_xmit_frag: self.max_xmit_frag(),
            max_recv_frag: self.max_recv_frag(),
            assoc_group_id: self.assoc_group_id(),
            n_context_elem: None,
            reserved: self.fields.reserved,
            reserved2: self.fields.reserved2.get(),
            contexts: self.contexts().map(|c| c.to_builder()).collect(),
            rest: self.rest.to_vec(),
        }
    }
}

/// The presentation contexts of a bind or alter_context.
#[derive(Debug, Clone)]
pub struct ContextIter<'a> {
    bytes: &'a [u8],
    remaining: u8,
}

impl<'a> Iterator for ContextIter<'a> {
    type Item = PresentationContext<'a>;

    fn next(&mut self) -> Option<PresentationContext<'a>> {
        self.remaining = self.remaining.checked_sub(1)?;
        let (fields, rest) = ContextElemFields::ref_from_prefix(self.bytes).ok()?;
        let (transfer_syntaxes, rest) =
            <[SyntaxId]>::ref_from_prefix_with_elems(rest, usize::from(fields.n_transfer_syn))
                .ok()?;
        self.bytes = rest;
        Some(PresentationContext {
            fields,
            transfer_syntaxes,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(usize::from(self.remaining)))
    }
}

/// One presentation context element (`p_cont_elem_t`, C706 12.6.3.1).
#[derive(Debug, Clone, Copy)]
pub struct PresentationContext<'a> {
    fields: &'a ContextElemFields,
    transfer_syntaxes: &'a [SyntaxId],
}

impl<'a> PresentationContext<'a> {
    /// The fixed part as it is on the wire.
    pub fn fields(&self) -> &'a ContextElemFields {
        self.fields
    }
    /// `p_cont_id`.
    pub fn p_cont_id(&self) -> u16 {
        self.fields.p_cont_id.get()
    }
    /// `n_transfer_syn`.
    pub fn n_transfer_syn(&self) -> u8 {
        self.fields.n_transfer_syn
    }
    /// `reserved`.
    pub fn reserved(&self) -> u8 {
        self.fields.reserved
    }
    /// `abstract_syntax`: the interface and its version.
    pub fn abstract_syntax(&self) -> SyntaxId {
        self.fields.abstract_syntax
    }
    /// `transfer_syntaxes`, in the client's order of preference.
    pub fn transfer_syntaxes(&self) -> &'a [SyntaxId] {
        self.transfer_syntaxes
    }
    /// A builder that writes this element back.
    pub fn to_builder(&self) -> ContextElemBuilder {
        ContextElemBuilder {
            p_cont_id: self.p_cont_id(),
            n_transfer_syn: None,
            reserved: self.reserved(),
            abstract_syntax: self.abstract_syntax(),
            transfer_syntaxes: self.transfer_syntaxes.to_vec(),
        }
    }
}

/// A bind_ack or alter_context_resp (C706 12.6.4.4, 12.6.4.2).
#[derive(Debug, Clone, Copy)]
pub struct BindAckPdu<'a> {
    fields: &'a BindAckFields,
    sec_addr: &'a [u8],
    pad: &'a [u8],
    result_list: &'a ResultListFields,
    results: &'a [ContextResult],
    rest: &'a [u8],
}

impl<'a> BindAckPdu<'a> {
    /// The fixed fields as they are on the wire.
    pub fn fields(&self) -> &'a BindAckFields {
        self.fields
    }
    /// `max_xmit_frag`.
    pub fn max_xmit_frag(&self) -> u16 {
        self.fields.max_xmit_frag.get()
    }
    /// `max_recv_frag`.
    pub fn max_recv_frag(&self) -> u16 {
        self.fields.max_recv_frag.get()
    }
    /// `assoc_group_id`.
    pub fn assoc_group_id(&self) -> u32 {
        self.fields.assoc_group_id.get()
    }
    /// The secondary address bytes, `sec_addr.length` of them, NUL included.
    pub fn sec_addr(&self) -> &'a [u8] {
        self.sec_addr
    }
    /// The secondary address as text, without its NUL (`None` if not UTF-8).
    pub fn sec_addr_str(&self) -> Option<&'a str> {
        let s = self.sec_addr.strip_suffix(&[0]).unwrap_or(self.sec_addr);
        core::str::from_utf8(s).ok()
    }
    /// The padding after the address that aligns the result list to 4 from the PDU start.
    pub fn pad(&self) -> &'a [u8] {
        self.pad
    }
    /// The result list header.
    pub fn result_list(&self) -> &'a ResultListFields {
        self.result_list
    }
    /// `n_results`.
    pub fn n_results(&self) -> u8 {
        self.result_list.n_results
    }
    /// The results, one per proposed presentation context.
    pub fn results(&self) -> &'a [ContextResult] {
        self.results
    }
    /// Bytes after the results and before any auth padding (normally none).
    pub fn rest(&self) -> &'a [u8] {
        self.rest
    }
    /// A builder that writes these fields back.
    pub fn to_builder(&self) -> BindAckBuilder {
        BindAckBuilder {
            max_xmit_frag: self.max_xmit_frag(),
            max_recv_frag: self.max_recv_frag(),
            assoc_group_id: self.assoc_group_id(),
            sec_addr_length: None,
            sec_addr: self.sec_addr.to_vec(),
            pad: Some(self.pad.to_vec()),
            n_results: None,
            reserved: self.result_list.reserved,
            reserved2: self.result_list.reserved2.get(),
            results: self.results.to_vec(),
            rest: self.rest.to_vec(),
        }
    }
}

/// A bind_nak (C706 12.6.4.5, [MS-RPCE] 2.2.2.9).
#[derive(Debug, Clone, Copy)]
pub struct BindNakPdu<'a> {
    fields: &'a BindNakFields,
    versions: Option<&'a [VersionT]>,
    rest: &'a [u8],
}

impl<'a> BindNakPdu<'a> {
    /// `provider_reject_reason`.
    pub fn provider_reject_reason(&self) -> RejectReason {
        RejectReason(self.fields.provider_reject_reason.get())
    }
    /// The supported protocol versions (`p_rt_versions_supported_t`), `None` when the PDU
    /// ends right after the reason.
    pub fn versions(&self) -> Option<&'a [VersionT]> {
        self.versions
    }
    /// Bytes after the versions: the optional [MS-RPCE] 2.2.2.9 `Signature` and extended
    /// error information.
    pub fn rest(&self) -> &'a [u8] {
        self.rest
    }
    /// The `Signature` UUID, when at least 16 bytes follow the versions ([MS-RPCE] 2.2.2.9).
    pub fn signature(&self) -> Option<Uuid> {
        Uuid::read_from_prefix(self.rest).ok().map(|(u, _)| u)
    }
    /// The extended error information blob, when the signature is [`EEINFO_SIGNATURE`].
    pub fn extended_error(&self) -> Option<&'a [u8]> {
        (self.signature()? == EEINFO_SIGNATURE).then(|| self.rest.get(16..).unwrap_or_default())
    }
    /// A builder that writes these fields back.
    pub fn to_builder(&self) -> BindNakBuilder {
        BindNakBuilder {
            provider_reject_reason: self.provider_reject_reason().0,
            n_protocols: None,
            versions: self.versions.map(<[VersionT]>::to_vec),
            rest: self.rest.to_vec(),
        }
    }
}

/// rpc_auth_3 ([MS-RPCE] 2.2.2.10): four pad bytes, then the sec_trailer.
#[derive(Debug, Clone, Copy)]
pub struct Auth3Pdu<'a> {
    fields: &'a Auth3Fields,
    rest: &'a [u8],
}

impl<'a> Auth3Pdu<'a> {
    /// `pad`.
    pub fn pad(&self) -> [u8; 4] {
        self.fields.pad
    }
    /// Bytes between `pad` and the auth padding (normally none).
    pub fn rest(&self) -> &'a [u8] {
        self.rest
    }
    /// A builder that writes these fields back.
    pub fn to_builder(&self) -> Auth3Builder {
        Auth3Builder {
            pad: self.pad(),
            rest: self.rest.to_vec(),
        }
    }
}

/// shutdown, co_cancel or orphaned: a header and, for the latter two, an optional
/// sec_trailer (C706 12.6.4.11, 12.6.4.6, 12.6.4.8).
#[derive(Debug, Clone, Copy)]
pub struct EmptyPdu<'a> {
    rest: &'a [u8],
}

impl<'a> EmptyPdu<'a> {
    /// Bytes after the header and before any auth padding (normally none).
    pub fn rest(&self) -> &'a [u8] {
        self.rest
    }
    /// A builder that writes this back.
    pub fn to_builder(&self) -> EmptyBuilder {
        EmptyBuilder {
            rest: self.rest.to_vec(),
        }
    }
}

/// The sec_trailer and authentication token of a PDU ([MS-RPCE] 2.2.2.11, 2.2.2.12).
#[derive(Debug, Clone, Copy)]
pub struct SecTrailer<'a> {
    fields: &'a SecTrailerFields,
    offset: usize,
    pad: &'a [u8],
    auth_value: &'a [u8],
}

impl<'a> SecTrailer<'a> {
    /// The trailer as it is on the wire.
    pub fn fields(&self) -> &'a SecTrailerFields {
        self.fields
    }
    /// `auth_type`.
    pub fn auth_type(&self) -> u8 {
        self.fields.auth_type
    }
    /// `auth_level`.
    pub fn auth_level(&self) -> u8 {
        self.fields.auth_level
    }
    /// `auth_pad_length`.
    pub fn auth_pad_length(&self) -> u8 {
        self.fields.auth_pad_length
    }
    /// `auth_reserved`.
    pub fn auth_reserved(&self) -> u8 {
        self.fields.auth_reserved
    }
    /// `auth_context_id`.
    pub fn auth_context_id(&self) -> u32 {
        self.fields.auth_context_id.get()
    }
    /// The authentication token, `auth_length` opaque bytes.
    pub fn auth_value(&self) -> &'a [u8] {
        self.auth_value
    }
    /// The `auth_pad_length` padding octets before the trailer.
    pub fn pad(&self) -> &'a [u8] {
        self.pad
    }
    /// Byte offset of the trailer from the PDU start (`frag_length - auth_length - 8`).
    pub fn offset(&self) -> usize {
        self.offset
    }
    /// A builder that writes this trailer, its padding and token back.
    pub fn to_builder(&self) -> AuthBuilder {
        AuthBuilder {
            auth_type: self.auth_type(),
            auth_level: self.auth_level(),
            auth_pad_length: None,
            pad: Some(self.pad.to_vec()),
            auth_reserved: self.auth_reserved(),
            auth_context_id: self.auth_context_id(),
            auth_value: self.auth_value.to_vec(),
        }
    }
}

/// The length of the PDU at the start of `bytes` (its little-endian `frag_length`), once the
/// 16 header bytes are present; for framing a byte stream. Nothing else is checked.
pub fn frag_length(bytes: &[u8]) -> Option<usize> {
    let (h, _) = CommonHeader::ref_from_prefix(bytes).ok()?;
    Some(usize::from(h.frag_length.get()))
}

fn check_drep(name: &'static str, drep: [u8; 4]) -> Result<(), PduError> {
    let [d0, d1, _, _] = drep;
    let kind = match (d0 >> 4, d0 & 0x0F, d1) {
        (0, _, _) => PduErrorKind::BigEndian,
        (i, _, _) if i > 1 => PduErrorKind::UnknownIntegerRepresentation(i),
        (_, 1, _) => PduErrorKind::Ebcdic,
        (_, c, _) if c > 1 => PduErrorKind::UnknownCharacterRepresentation(c),
        (_, _, 0) => return Ok(()),
        (_, _, f) => return Err(err(name, "packed_drep", 5, PduErrorKind::NonIeeeFloat(f))),
    };
    Err(err(name, "packed_drep", 4, kind))
}

impl<'a> Pdu<'a> {
    /// Parses the PDU at the start of `bytes`; bytes after its `frag_length` are ignored.
    pub fn parse(bytes: &'a [u8]) -> Result<Pdu<'a>, PduError> {
        Pdu::parse_prefix(bytes).map(|(pdu, _)| pdu)
    }

    /// Parses the PDU at the start of `bytes` and returns it with the bytes after it.
    #[inline]
    pub fn parse_prefix(bytes: &'a [u8]) -> Result<(Pdu<'a>, &'a [u8]), PduError> {
        match Pdu::parse_call_fast(bytes) {
            Some(found) => Ok(found),
            None => Pdu::parse_checked(bytes),
        }
    }

    /// The PDUs of a call stream in straight-line reads: a request (without object UUID) or
    /// response in little-endian ASCII/IEEE with no sec_trailer, accepted exactly when
    /// [`Pdu::parse_checked`] accepts it; `None` for anything else, which that path then
    /// parses or names the error of.
    #[inline(always)]
    fn parse_call_fast(bytes: &'a [u8]) -> Option<(Pdu<'a>, &'a [u8])> {
        let (header, _) = CommonHeader::ref_from_prefix(bytes).ok()?;
        let [d0, d1, _, _] = header.packed_drep;
        if header.rpc_vers != 5
            || header.rpc_vers_minor > 1
            || d0 != 0x10
            || d1 != 0
            || header.auth_length.get() != 0
        {
            return None;
        }
        let (pdu, rest) = bytes.split_at_checked(usize::from(header.frag_length.get()))?;
        let body = pdu.get(COMMON_HEADER_LEN..)?;
        let (packet_type, body) = match header.ptype {
            0 if header.pfc_flags & PFC_OBJECT_UUID == 0 => {
                let (fields, stub) = RequestFields::ref_from_prefix(body).ok()?;
                (
                    PacketType::Request,
                    PduBody::Request(RequestPdu {
                        fields,
                        object: None,
                        stub,
                    }),
                )
            }
            2 => {
                let (fields, stub) = ResponseFields::ref_from_prefix(body).ok()?;
                (
                    PacketType::Response,
                    PduBody::Response(ResponsePdu { fields, stub }),
                )
            }
            _ => return None,
        };
        let pdu = Pdu {
            bytes: pdu,
            header,
            packet_type,
            body,
            trailer_at: 0,
        };
        Some((pdu, rest))
    }

    /// Every PDU type, every check, every error.
    #[cold]
    #[inline(never)]
    fn parse_checked(bytes: &'a [u8]) -> Result<(Pdu<'a>, &'a [u8]), PduError> {
        let (header, _) = CommonHeader::ref_from_prefix(bytes).map_err(|_| {
            err(
                "PDU",
                "header",
                0,
                PduErrorKind::TooShort {
                    needed: COMMON_HEADER_LEN,
                    available: bytes.len(),
                },
            )
        })?;
        let known = PacketType::from_u8(header.ptype);
        let name = known.map_or("PDU", PacketType::name);
        let version = PduErrorKind::UnsupportedVersion {
            major: header.rpc_vers,
            minor: header.rpc_vers_minor,
        };
        if header.rpc_vers != 5 {
            return Err(err(name, "rpc_vers", 0, version));
        }
        if header.rpc_vers_minor > 1 {
            return Err(err(name, "rpc_vers_minor", 1, version));
        }
        let Some(packet_type) = known else {
            return Err(err(
                name,
                "PTYPE",
                2,
                PduErrorKind::UnknownPacketType(header.ptype),
            ));
        };
        check_drep(name, header.packed_drep)?;

        let frag_len = header.frag_length.get();
        let fl = usize::from(frag_len);
        let mut fixed = packet_type.fixed_len();
        if packet_type == PacketType::Request && header.pfc_flags & PFC_OBJECT_UUID != 0 {
            fixed = fixed.saturating_add(size_of::<Uuid>());
        }
        if fl < fixed {
            return Err(err(
                name,
                "frag_length",
                8,
                PduErrorKind::FragLengthTooSmall {
                    frag_length: frag_len,
                    minimum: fixed,
                },
            ));
        }
        let Some((pdu, rest)) = bytes.split_at_checked(fl) else {
            return Err(err(
                name,
                "frag_length",
                8,
                PduErrorKind::Incomplete {
                    frag_length: frag_len,
                    available: bytes.len(),
                },
            ));
        };

        // The sec_trailer, its padding and token ([MS-RPCE] 2.2.2.11).
        let auth_len = header.auth_length.get();
        let after_fixed = fl.saturating_sub(fixed);
        let (body_end, trailer_at) = if auth_len == 0 {
            if packet_type == PacketType::Auth3 {
                return Err(err(
                    name,
                    "auth_length",
                    10,
                    PduErrorKind::MissingSecTrailer,
                ));
            }
            (fl, 0)
        } else {
            let too_large = err(
                name,
                "auth_length",
                10,
                PduErrorKind::AuthLengthTooLarge {
                    auth_length: auth_len,
                    available: after_fixed,
                },
            );
            let trailer_at = fl
                .checked_sub(usize::from(auth_len))
                .and_then(|v| v.checked_sub(SEC_TRAILER_LEN))
                .filter(|&at| at >= fixed)
                .ok_or(too_large)?;
            let (_, trailer_bytes) = pdu.split_at_checked(trailer_at).ok_or(too_large)?;
            let (fields, _) =
                SecTrailerFields::ref_from_prefix(trailer_bytes).map_err(|_| too_large)?;
            let pad_len = usize::from(fields.auth_pad_length);
            let pad_at = trailer_at
                .checked_sub(pad_len)
                .filter(|&at| at >= fixed)
                .ok_or_else(|| {
                    err(
                        name,
                        "auth_pad_length",
                        trailer_at.saturating_add(2),
                        PduErrorKind::AuthPadTooLarge {
                            auth_pad_length: fields.auth_pad_length,
                            available: trailer_at.saturating_sub(fixed),
                        },
                    )
                })?;
            // frag_length is a u16 and the trailer lies inside it.
            (pad_at, u16::try_from(trailer_at).unwrap_or(0))
        };

        let body_bytes = pdu.get(COMMON_HEADER_LEN..body_end).unwrap_or_default();
        let mut c = Cursor {
            pdu: name,
            bytes: body_bytes,
            at: COMMON_HEADER_LEN,
        };
        let body = match packet_type {
            PacketType::Request => {
                let fields = c.take::<RequestFields>("alloc_hint")?;
                let object = if header.pfc_flags & PFC_OBJECT_UUID != 0 {
                    Some(c.take::<Uuid>("object")?)
                } else {
                    None
                };
                PduBody::Request(RequestPdu {
                    fields,
                    object,
                    stub: c.bytes,
                })
            }
            PacketType::Response => PduBody::Response(ResponsePdu {
                fields: c.take("alloc_hint")?,
                stub: c.bytes,
            }),
            PacketType::Fault => PduBody::Fault(FaultPdu {
                fields: c.take("alloc_hint")?,
                stub: c.bytes,
            }),
            PacketType::Bind | PacketType::AlterContext => {
                let b = parse_bind(&mut c)?;
                if packet_type == PacketType::Bind {
                    PduBody::Bind(b)
                } else {
                    PduBody::AlterContext(b)
                }
            }
            PacketType::BindAck | PacketType::AlterContextResp => {
                let b = parse_bind_ack(&mut c)?;
                if packet_type == PacketType::BindAck {
                    PduBody::BindAck(b)
                } else {
                    PduBody::AlterContextResp(b)
                }
            }
            PacketType::BindNak => {
                let fields = c.take::<BindNakFields>("provider_reject_reason")?;
                let versions = if c.bytes.is_empty() {
                    None
                } else {
                    let n = c.take::<u8>("n_protocols")?;
                    Some(c.take_slice::<VersionT>("p_protocols", usize::from(*n))?)
                };
                PduBody::BindNak(BindNakPdu {
                    fields,
                    versions,
                    rest: c.bytes,
                })
            }
            PacketType::Auth3 => PduBody::Auth3(Auth3Pdu {
                fields: c.take("pad")?,
                rest: c.bytes,
            }),
            PacketType::Shutdown => PduBody::Shutdown(EmptyPdu { rest: c.bytes }),
            PacketType::CoCancel => PduBody::CoCancel(EmptyPdu { rest: c.bytes }),
            PacketType::Orphaned => PduBody::Orphaned(EmptyPdu { rest: c.bytes }),
        };
        Ok((
            Pdu {
                bytes: pdu,
                header,
                packet_type,
                body,
                trailer_at,
            },
            rest,
        ))
    }

    /// The common header as it is on the wire.
    pub fn header(&self) -> &'a CommonHeader {
        self.header
    }
    /// The PDU type.
    pub fn packet_type(&self) -> PacketType {
        self.packet_type
    }
    /// `call_id`.
    pub fn call_id(&self) -> u32 {
        self.header.call_id.get()
    }
    /// `pfc_flags`.
    pub fn flags(&self) -> u8 {
        self.header.pfc_flags
    }
    /// Whether `PFC_FIRST_FRAG` is set.
    pub fn is_first(&self) -> bool {
        self.flags() & PFC_FIRST_FRAG != 0
    }
    /// Whether `PFC_LAST_FRAG` is set.
    pub fn is_last(&self) -> bool {
        self.flags() & PFC_LAST_FRAG != 0
    }
    /// `rpc_vers_minor` (0 or 1; [MS-RPCE] 3.3.1.5.1 recognizes only 0).
    pub fn rpc_vers_minor(&self) -> u8 {
        self.header.rpc_vers_minor
    }
    /// `frag_length`, which is also `bytes().len()`.
    pub fn frag_length(&self) -> u16 {
        self.header.frag_length.get()
    }
    /// `auth_length`.
    pub fn auth_length(&self) -> u16 {
        self.header.auth_length.get()
    }
    /// The whole PDU, `frag_length` bytes.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }
    /// The type-specific fields.
    pub fn body(&self) -> PduBody<'a> {
        self.body
    }
    /// The stub data of a request, response or fault.
    pub fn stub(&self) -> Option<&'a [u8]> {
        match self.body {
            PduBody::Request(r) => Some(r.stub()),
            PduBody::Response(r) => Some(r.stub()),
            PduBody::Fault(f) => Some(f.stub()),
            _ => None,
        }
    }
    /// The sec_trailer and token, present when `auth_length` is non-zero.
    pub fn sec_trailer(&self) -> Option<SecTrailer<'a>> {
        if self.trailer_at == 0 {
            return None;
        }
        let at = usize::from(self.trailer_at);
        let (fields, auth_value) = SecTrailerFields::ref_from_prefix(self.bytes.get(at..)?).ok()?;
        let pad_at = at.checked_sub(usize::from(fields.auth_pad_length))?;
        Some(SecTrailer {
            fields,
            offset: at,
            pad: self.bytes.get(pad_at..at)?,
            auth_value,
        })
    }

    /// A builder that writes this PDU back byte for byte.
    pub fn to_builder(&self) -> PduBuilder {
        let body = match self.body {
            PduBody::Request(r) => BodyBuilder::Request(r.to_builder()),
            PduBody::Response(r) => BodyBuilder::Response(r.to_builder()),
            PduBody::Fault(f) => BodyBuilder::Fault(f.to_builder()),
            PduBody::Bind(b) => BodyBuilder::Bind(b.to_builder()),
            PduBody::BindAck(b) => BodyBuilder::BindAck(b.to_builder()),
            PduBody::BindNak(b) => BodyBuilder::BindNak(b.to_builder()),
            PduBody::AlterContext(b) => BodyBuilder::AlterContext(b.to_builder()),
            PduBody::AlterContextResp(b) => BodyBuilder::AlterContextResp(b.to_builder()),
            PduBody::Auth3(a) => BodyBuilder::Auth3(a.to_builder()),
            PduBody::Shutdown(e) => BodyBuilder::Shutdown(e.to_builder()),
            PduBody::CoCancel(e) => BodyBuilder::CoCancel(e.to_builder()),
            PduBody::Orphaned(e) => BodyBuilder::Orphaned(e.to_builder()),
        };
        PduBuilder {
            rpc_vers: self.header.rpc_vers,
            rpc_vers_minor: self.header.rpc_vers_minor,
            ptype: None,
            flags: self.flags(),
            drep: self.header.packed_drep,
            call_id: self.call_id(),
            frag_length: None,
            auth_length: None,
            body,
            auth: self.sec_trailer().map(|t| t.to_builder()),
        }
    }
}

fn parse_bind<'a>(c: &mut Cursor<'a>) -> Result<BindPdu<'a>, PduError> {
    let fields = c.take::<BindFields>("max_xmit_frag")?;
    let list = c.bytes;
    let start = c.at;
    for _ in 0..fields.n_context_elem {
        let elem = c.take::<ContextElemFields>("p_cont_elem")?;
        // The error names the count that asked for the syntaxes; its offset is 2 back.
        let count_at = c.at.saturating_sub(size_of::<ContextElemFields>() - 2);
        let n = usize::from(elem.n_transfer_syn);
        c.take_slice::<SyntaxId>("transfer_syntaxes", n)
            .map_err(|e| PduError {
                field: "n_transfer_syn",
                offset: count_at,
                ..e
            })?;
    }
    let used = c.at.saturating_sub(start);
    Ok(BindPdu {
        fields,
        contexts: list.get(..used).unwrap_or_default(),
        rest: c.bytes,
    })
}

fn parse_bind_ack<'a>(c: &mut Cursor<'a>) -> Result<BindAckPdu<'a>, PduError> {
    let fields = c.take::<BindAckFields>("max_xmit_frag")?;
    let len_at = c.at.saturating_sub(2);
    let sec_addr = c
        .take_bytes("sec_addr", usize::from(fields.sec_addr_length.get()))
        .map_err(|e| PduError {
            field: "sec_addr.length",
            offset: len_at,
            ..e
        })?;
    let pad = c.take_bytes("pad2", (4 - c.at % 4) % 4)?;
    let result_list = c.take::<ResultListFields>("n_results")?;
    let results = c
        .take_slice::<ContextResult>("p_results", usize::from(result_list.n_results))
        .map_err(|e| PduError {
            field: "n_results",
            offset: c.at.saturating_sub(size_of::<ResultListFields>()),
            ..e
        })?;
    Ok(BindAckPdu {
        fields,
        sec_addr,
        pad,
        result_list,
        results,
        rest: c.bytes,
    })
}

/// The PDUs of a byte stream laid back to back (a TCP stream or named-pipe data).
///
/// Yields `(offset in the stream, PDU)` and stops after the first error; the error's
/// `offset` is relative to the failing PDU, which starts at [`PduStream::position`].
#[derive(Debug, Clone)]
pub struct PduStream<'a> {
    bytes: &'a [u8],
    pos: usize,
    failed: bool,
}

/// Iterates over the back-to-back PDUs of `bytes`.
pub fn pdus(bytes: &[u8]) -> PduStream<'_> {
    PduStream::new(bytes)
}

impl<'a> PduStream<'a> {
    /// A stream over `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        PduStream {
            bytes,
            pos: 0,
            failed: false,
        }
    }
    /// The offset of the next PDU, or of the one that failed.
    pub fn position(&self) -> usize {
        self.pos
    }
    /// The bytes not yet consumed (from [`PduStream::position`]).
    pub fn remaining(&self) -> &'a [u8] {
        self.bytes.get(self.pos..).unwrap_or_default()
    }
}

impl<'a> Iterator for PduStream<'a> {
    type Item = Result<(usize, Pdu<'a>), PduError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.remaining();
        if self.failed || rest.is_empty() {
            return None;
        }
        match Pdu::parse_prefix(rest) {
            Ok((pdu, _)) => {
                let at = self.pos;
                self.pos = self.pos.saturating_add(pdu.bytes().len());
                Some(Ok((at, pdu)))
            }
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------------------------

/// A value too large for the field that carries it, or an impossible fragmentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A computed length or count does not fit its field (and was not overridden).
    #[error("{field} would be {value}, more than its maximum {max}")]
    TooLarge {
        /// The field (`"frag_length"`, `"n_context_elem"`, ...).
        field: &'static str,
        /// The value it would need.
        value: usize,
        /// Its maximum.
        max: usize,
    },
    /// [`fragment`] was given a PDU that is not a request or response.
    #[error("{0} PDUs are not fragmented")]
    NotFragmentable(PacketType),
    /// [`fragment`]'s `max_frag` leaves no room for stub data.
    #[error("max_frag {max_frag} leaves no room for stub data (at least {minimum} needed)")]
    MaxFragTooSmall {
        /// The requested maximum.
        max_frag: u16,
        /// The smallest useful maximum.
        minimum: usize,
    },
}

/// Writes any connection-oriented PDU byte-exactly.
///
/// Lengths and counts are computed unless overridden; the overrides (and the public fields)
/// exist so tests and fuzzers can write inconsistent PDUs. `flags` is written as given (the
/// constructors set `PFC_FIRST_FRAG | PFC_LAST_FRAG`; [`PduBuilder::with_object`] also sets
/// `PFC_OBJECT_UUID`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PduBuilder {
    /// `rpc_vers` (5).
    pub rpc_vers: u8,
    /// `rpc_vers_minor` (0).
    pub rpc_vers_minor: u8,
    /// `PTYPE` to write instead of the body's type.
    pub ptype: Option<u8>,
    /// `pfc_flags`, written as given.
    pub flags: u8,
    /// `packed_drep` ([`DREP_LITTLE_ENDIAN`]).
    pub drep: [u8; 4],
    /// `call_id`.
    pub call_id: u32,
    /// `frag_length` to write instead of the computed one.
    pub frag_length: Option<u16>,
    /// `auth_length` to write instead of the token's length.
    pub auth_length: Option<u16>,
    /// The type and its fields.
    pub body: BodyBuilder,
    /// The sec_trailer, its padding and token.
    pub auth: Option<AuthBuilder>,
}

/// The type-specific part of a [`PduBuilder`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyBuilder {
    /// request.
    Request(RequestBuilder),
    /// response.
    Response(ResponseBuilder),
    /// fault.
    Fault(FaultBuilder),
    /// bind.
    Bind(BindBuilder),
    /// bind_ack.
    BindAck(BindAckBuilder),
    /// bind_nak.
    BindNak(BindNakBuilder),
    /// alter_context.
    AlterContext(BindBuilder),
    /// alter_context_resp.
    AlterContextResp(BindAckBuilder),
    /// rpc_auth_3.
    Auth3(Auth3Builder),
    /// shutdown.
    Shutdown(EmptyBuilder),
    /// co_cancel.
    CoCancel(EmptyBuilder),
    /// orphaned.
    Orphaned(EmptyBuilder),
}

impl BodyBuilder {
    /// The PDU type this body writes.
    pub fn packet_type(&self) -> PacketType {
        match self {
            BodyBuilder::Request(_) => PacketType::Request,
            BodyBuilder::Response(_) => PacketType::Response,
            BodyBuilder::Fault(_) => PacketType::Fault,
            BodyBuilder::Bind(_) => PacketType::Bind,
            BodyBuilder::BindAck(_) => PacketType::BindAck,
            BodyBuilder::BindNak(_) => PacketType::BindNak,
            BodyBuilder::AlterContext(_) => PacketType::AlterContext,
            BodyBuilder::AlterContextResp(_) => PacketType::AlterContextResp,
            BodyBuilder::Auth3(_) => PacketType::Auth3,
            BodyBuilder::Shutdown(_) => PacketType::Shutdown,
            BodyBuilder::CoCancel(_) => PacketType::CoCancel,
            BodyBuilder::Orphaned(_) => PacketType::Orphaned,
        }
    }

    fn stub_len(&self) -> Option<usize> {
        match self {
            BodyBuilder::Request(r) => Some(r.stub.len()),
            BodyBuilder::Response(r) => Some(r.stub.len()),
            BodyBuilder::Fault(f) => Some(f.stub.len()),
            _ => None,
        }
    }
}

/// The fields of a request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RequestBuilder {
    /// `alloc_hint`.
    pub alloc_hint: u32,
    /// `p_cont_id`.
    pub p_cont_id: u16,
    /// `opnum`.
    pub opnum: u16,
    /// The object UUID (written whenever present; the flag is [`PduBuilder::flags`]'s).
    pub object: Option<Uuid>,
    /// The stub data.
    pub stub: Vec<u8>,
}

/// The fields of a response.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResponseBuilder {
    /// `alloc_hint`.
    pub alloc_hint: u32,
    /// `p_cont_id`.
    pub p_cont_id: u16,
    /// `cancel_count`.
    pub cancel_count: u8,
    /// `reserved`.
    pub reserved: u8,
    /// The stub data.
    pub stub: Vec<u8>,
}

/// The fields of a fault.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FaultBuilder {
    /// `alloc_hint`.
    pub alloc_hint: u32,
    /// `p_cont_id`.
    pub p_cont_id: u16,
    /// `cancel_count`.
    pub cancel_count: u8,
    /// `reserved` (bit 0: extended error information).
    pub reserved: u8,
    /// `status`.
    pub status: u32,
    /// `reserved2`.
    pub reserved2: [u8; 4],
    /// The stub data (normally empty).
    pub stub: Vec<u8>,
}

/// The fields of a bind or alter_context.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BindBuilder {
    /// `max_xmit_frag`.
    pub max_xmit_frag: u16,
    /// `max_recv_frag`.
    pub max_recv_frag: u16,
    /// `assoc_group_id`.
    pub assoc_group_id: u32,
    /// `n_context_elem` to write instead of `contexts.len()`.
    pub n_context_elem: Option<u8>,
    /// `reserved`.
    pub reserved: u8,
    /// `reserved2`.
    pub reserved2: u16,
    /// The presentation context elements.
    pub contexts: Vec<ContextElemBuilder>,
    /// Bytes written after the contexts.
    pub rest: Vec<u8>,
}

/// One presentation context element of a bind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextElemBuilder {
    /// `p_cont_id`.
    pub p_cont_id: u16,
    /// `n_transfer_syn` to write instead of `transfer_syntaxes.len()`.
    pub n_transfer_syn: Option<u8>,
    /// `reserved`.
    pub reserved: u8,
    /// `abstract_syntax`.
    pub abstract_syntax: SyntaxId,
    /// `transfer_syntaxes`.
    pub transfer_syntaxes: Vec<SyntaxId>,
}

impl ContextElemBuilder {
    /// A context proposing `abstract_syntax` with the given transfer syntaxes.
    pub fn new(p_cont_id: u16, abstract_syntax: SyntaxId, transfer_syntaxes: &[SyntaxId]) -> Self {
        ContextElemBuilder {
            p_cont_id,
            n_transfer_syn: None,
            reserved: 0,
            abstract_syntax,
            transfer_syntaxes: transfer_syntaxes.to_vec(),
        }
    }
}

/// The fields of a bind_ack or alter_context_resp.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BindAckBuilder {
    /// `max_xmit_frag`.
    pub max_xmit_frag: u16,
    /// `max_recv_frag`.
    pub max_recv_frag: u16,
    /// `assoc_group_id`.
    pub assoc_group_id: u32,
    /// `sec_addr.length` to write instead of `sec_addr.len()`.
    pub sec_addr_length: Option<u16>,
    /// The secondary address bytes, NUL included (empty for none).
    pub sec_addr: Vec<u8>,
    /// The alignment padding after the address; `None` writes zeros up to 4-alignment.
    pub pad: Option<Vec<u8>>,
    /// `n_results` to write instead of `results.len()`.
    pub n_results: Option<u8>,
    /// The result list's `reserved`.
    pub reserved: u8,
    /// The result list's `reserved2`.
    pub reserved2: u16,
    /// The results.
    pub results: Vec<ContextResult>,
    /// Bytes written after the results.
    pub rest: Vec<u8>,
}

impl BindAckBuilder {
    /// A bind_ack body with the secondary address `sec_addr` (NUL appended; empty writes
    /// length 0 and no string, as alter_context_resp does).
    pub fn new(
        max_xmit_frag: u16,
        max_recv_frag: u16,
        assoc_group_id: u32,
        sec_addr: &str,
        results: &[ContextResult],
    ) -> Self {
        let mut addr = sec_addr.as_bytes().to_vec();
        if !addr.is_empty() {
            addr.push(0);
        }
        BindAckBuilder {
            max_xmit_frag,
            max_recv_frag,
            assoc_group_id,
            sec_addr: addr,
            results: results.to_vec(),
            ..BindAckBuilder::default()
        }
    }
}

/// The fields of a bind_nak.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BindNakBuilder {
    /// `provider_reject_reason`.
    pub provider_reject_reason: u16,
    /// `n_protocols` to write instead of the number of versions.
    pub n_protocols: Option<u8>,
    /// The versions; `None` writes neither count nor list.
    pub versions: Option<Vec<VersionT>>,
    /// Bytes written after the versions (e.g. the [MS-RPCE] 2.2.2.9 signature).
    pub rest: Vec<u8>,
}

/// The fields of rpc_auth_3.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Auth3Builder {
    /// `pad`.
    pub pad: [u8; 4],
    /// Bytes written after `pad`.
    pub rest: Vec<u8>,
}

/// The body of shutdown, co_cancel or orphaned (normally empty).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EmptyBuilder {
    /// Bytes written after the header.
    pub rest: Vec<u8>,
}

/// A sec_trailer with its padding and token.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuthBuilder {
    /// `auth_type`.
    pub auth_type: u8,
    /// `auth_level`.
    pub auth_level: u8,
    /// `auth_pad_length` to write instead of the padding's length.
    pub auth_pad_length: Option<u8>,
    /// The padding octets; `None` writes zeros: the stub of a request, response or fault is
    /// padded to a multiple of 16, other bodies to 4-alignment from the PDU start.
    pub pad: Option<Vec<u8>>,
    /// `auth_reserved`.
    pub auth_reserved: u8,
    /// `auth_context_id`.
    pub auth_context_id: u32,
    /// The authentication token.
    pub auth_value: Vec<u8>,
}

impl AuthBuilder {
    /// A trailer with computed padding.
    pub fn new(auth_type: u8, auth_level: u8, auth_context_id: u32, auth_value: &[u8]) -> Self {
        AuthBuilder {
            auth_type,
            auth_level,
            auth_context_id,
            auth_value: auth_value.to_vec(),
            ..AuthBuilder::default()
        }
    }
}

fn count<T: TryFrom<usize>>(field: &'static str, n: usize, max: usize) -> Result<T, BuildError> {
    T::try_from(n).map_err(|_| BuildError::TooLarge {
        field,
        value: n,
        max,
    })
}

impl PduBuilder {
    /// A PDU of the given body, version 5.0, little-endian, `PFC_FIRST_FRAG | PFC_LAST_FRAG`.
    pub fn new(call_id: u32, body: BodyBuilder) -> Self {
        PduBuilder {
            rpc_vers: 5,
            rpc_vers_minor: 0,
            ptype: None,
            flags: PFC_FIRST_FRAG | PFC_LAST_FRAG,
            drep: DREP_LITTLE_ENDIAN,
            call_id,
            frag_length: None,
            auth_length: None,
            body,
            auth: None,
        }
    }

    /// A single-fragment request; `alloc_hint` is the stub length.
    pub fn request(call_id: u32, p_cont_id: u16, opnum: u16, stub: Vec<u8>) -> Self {
        PduBuilder::new(
            call_id,
            BodyBuilder::Request(RequestBuilder {
                alloc_hint: u32::try_from(stub.len()).unwrap_or(u32::MAX),
                p_cont_id,
                opnum,
                object: None,
                stub,
            }),
        )
    }

    /// A single-fragment response; `alloc_hint` is the stub length.
    pub fn response(call_id: u32, p_cont_id: u16, stub: Vec<u8>) -> Self {
        PduBuilder::new(
            call_id,
            BodyBuilder::Response(ResponseBuilder {
                alloc_hint: u32::try_from(stub.len()).unwrap_or(u32::MAX),
                p_cont_id,
                stub,
                ..ResponseBuilder::default()
            }),
        )
    }

    /// A fault with `status` and no stub data.
    pub fn fault(call_id: u32, p_cont_id: u16, status: FaultStatus) -> Self {
        PduBuilder::new(
            call_id,
            BodyBuilder::Fault(FaultBuilder {
                p_cont_id,
                status: status.0,
                ..FaultBuilder::default()
            }),
        )
    }

    /// A bind proposing `contexts`.
    pub fn bind(
        call_id: u32,
        max_xmit_frag: u16,
        max_recv_frag: u16,
        assoc_group_id: u32,
        contexts: Vec<ContextElemBuilder>,
    ) -> Self {
        PduBuilder::new(
            call_id,
            BodyBuilder::Bind(BindBuilder {
                max_xmit_frag,
                max_recv_frag,
                assoc_group_id,
                contexts,
                ..BindBuilder::default()
            }),
        )
    }

    /// An alter_context proposing `contexts`.
    pub fn alter_context(
        call_id: u32,
        max_xmit_frag: u16,
        max_recv_frag: u16,
        assoc_group_id: u32,
        contexts: Vec<ContextElemBuilder>,
    ) -> Self {
        let mut b = PduBuilder::bind(
            call_id,
            max_xmit_frag,
            max_recv_frag,
            assoc_group_id,
            contexts,
        );
        if let BodyBuilder::Bind(body) = b.body {
            b.body = BodyBuilder::AlterContext(body);
        }
        b
    }

    /// A bind_ack.
    pub fn bind_ack(call_id: u32, body: BindAckBuilder) -> Self {
        PduBuilder::new(call_id, BodyBuilder::BindAck(body))
    }

    /// An alter_context_resp.
    pub fn alter_context_resp(call_id: u32, body: BindAckBuilder) -> Self {
        PduBuilder::new(call_id, BodyBuilder::AlterContextResp(body))
    }

    /// A bind_nak with `reason` and the supported versions (5.0 when `reason` is
    /// protocol_version_not_supported, as the versions list is meant for).
    pub fn bind_nak(call_id: u32, reason: RejectReason, versions: Option<Vec<VersionT>>) -> Self {
        PduBuilder::new(
            call_id,
            BodyBuilder::BindNak(BindNakBuilder {
                provider_reject_reason: reason.0,
                versions,
                ..BindNakBuilder::default()
            }),
        )
    }

    /// An rpc_auth_3 carrying `auth`.
    pub fn auth3(call_id: u32, auth: AuthBuilder) -> Self {
        let mut b = PduBuilder::new(call_id, BodyBuilder::Auth3(Auth3Builder::default()));
        b.auth = Some(auth);
        b
    }

    /// A shutdown.
    pub fn shutdown(call_id: u32) -> Self {
        PduBuilder::new(call_id, BodyBuilder::Shutdown(EmptyBuilder::default()))
    }

    /// A co_cancel.
    pub fn co_cancel(call_id: u32) -> Self {
        PduBuilder::new(call_id, BodyBuilder::CoCancel(EmptyBuilder::default()))
    }

    /// An orphaned.
    pub fn orphaned(call_id: u32) -> Self {
        PduBuilder::new(call_id, BodyBuilder::Orphaned(EmptyBuilder::default()))
    }

    /// Sets `pfc_flags`.
    pub fn with_flags(mut self, flags: u8) -> Self {
        self.flags = flags;
        self
    }
    /// Sets `packed_drep`.
    pub fn with_drep(mut self, drep: [u8; 4]) -> Self {
        self.drep = drep;
        self
    }
    /// Sets `rpc_vers` and `rpc_vers_minor`.
    pub fn with_version(mut self, major: u8, minor: u8) -> Self {
        self.rpc_vers = major;
        self.rpc_vers_minor = minor;
        self
    }
    /// Writes `ptype` as `PTYPE` instead of the body's type.
    pub fn with_ptype(mut self, ptype: u8) -> Self {
        self.ptype = Some(ptype);
        self
    }
    /// Writes `frag_length` instead of the computed length.
    pub fn with_frag_length(mut self, frag_length: u16) -> Self {
        self.frag_length = Some(frag_length);
        self
    }
    /// Writes `auth_length` instead of the token's length.
    pub fn with_auth_length(mut self, auth_length: u16) -> Self {
        self.auth_length = Some(auth_length);
        self
    }
    /// Adds a sec_trailer and token.
    pub fn with_auth(mut self, auth: AuthBuilder) -> Self {
        self.auth = Some(auth);
        self
    }
    /// For a request: adds the object UUID and sets `PFC_OBJECT_UUID`.
    pub fn with_object(mut self, object: Uuid) -> Self {
        if let BodyBuilder::Request(r) = &mut self.body {
            r.object = Some(object);
            self.flags |= PFC_OBJECT_UUID;
        }
        self
    }

    /// The PDU type of the body.
    pub fn packet_type(&self) -> PacketType {
        self.body.packet_type()
    }

    /// The PDU's bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>, BuildError> {
        let mut out = Vec::new();
        self.write(&mut out)?;
        Ok(out)
    }

    /// Appends the PDU to `out` (on error `out` is left as it was).
    pub fn write(&self, out: &mut Vec<u8>) -> Result<(), BuildError> {
        let start = out.len();
        let r = self.write_inner(out, start);
        if r.is_err() {
            out.truncate(start);
        }
        r
    }

    fn write_inner(&self, out: &mut Vec<u8>, start: usize) -> Result<(), BuildError> {
        out.extend_from_slice(&[0; COMMON_HEADER_LEN]);
        write_body(&self.body, out, start)?;
        let mut auth_len = 0u16;
        if let Some(auth) = &self.auth {
            let pad_default;
            let pad: &[u8] = match &auth.pad {
                Some(p) => p,
                None => {
                    let n = match self.body.stub_len() {
                        Some(s) => {
                            (AUTH_PAD_ALIGNMENT - s % AUTH_PAD_ALIGNMENT) % AUTH_PAD_ALIGNMENT
                        }
                        None => (4 - (out.len() - start) % 4) % 4,
                    };
                    pad_default = [0u8; AUTH_PAD_ALIGNMENT];
                    pad_default.get(..n).unwrap_or_default()
                }
            };
            out.extend_from_slice(pad);
            let trailer = SecTrailerFields {
                auth_type: auth.auth_type,
                auth_level: auth.auth_level,
                auth_pad_length: match auth.auth_pad_length {
                    Some(v) => v,
                    None => count("auth_pad_length", pad.len(), 255)?,
                },
                auth_reserved: auth.auth_reserved,
                auth_context_id: U32::new(auth.auth_context_id),
            };
            out.extend_from_slice(trailer.as_bytes());
            out.extend_from_slice(&auth.auth_value);
            auth_len = count("auth_length", auth.auth_value.len(), 0xFFFF)?;
        }
        let frag_length = match self.frag_length {
            Some(v) => v,
            None => count("frag_length", out.len() - start, 0xFFFF)?,
        };
        let header = CommonHeader {
            rpc_vers: self.rpc_vers,
            rpc_vers_minor: self.rpc_vers_minor,
            ptype: self.ptype.unwrap_or(self.packet_type().value()),
            pfc_flags: self.flags,
            packed_drep: self.drep,
            frag_length: U16::new(frag_length),
            auth_length: U16::new(self.auth_length.unwrap_or(auth_len)),
            call_id: U32::new(self.call_id),
        };
        if let Some(h) = out.get_mut(start..start + COMMON_HEADER_LEN) {
            h.copy_from_slice(header.as_bytes());
        }
        Ok(())
    }
}

fn write_body(body: &BodyBuilder, out: &mut Vec<u8>, start: usize) -> Result<(), BuildError> {
    match body {
        BodyBuilder::Request(r) => {
            let f = RequestFields {
                alloc_hint: U32::new(r.alloc_hint),
                p_cont_id: U16::new(r.p_cont_id),
                opnum: U16::new(r.opnum),
            };
            out.extend_from_slice(f.as_bytes());
            if let Some(o) = &r.object {
                out.extend_from_slice(o.as_bytes());
            }
            out.extend_from_slice(&r.stub);
        }
        BodyBuilder::Response(r) => {
            let f = ResponseFields {
                alloc_hint: U32::new(r.alloc_hint),
                p_cont_id: U16::new(r.p_cont_id),
                cancel_count: r.cancel_count,
                reserved: r.reserved,
            };
            out.extend_from_slice(f.as_bytes());
            out.extend_from_slice(&r.stub);
        }
        BodyBuilder::Fault(r) => {
            let f = FaultFields {
                alloc_hint: U32::new(r.alloc_hint),
                p_cont_id: U16::new(r.p_cont_id),
                cancel_count: r.cancel_count,
                reserved: r.reserved,
                status: U32::new(r.status),
                reserved2: r.reserved2,
            };
            out.extend_from_slice(f.as_bytes());
            out.extend_from_slice(&r.stub);
        }
        BodyBuilder::Bind(b) | BodyBuilder::AlterContext(b) => {
            let f = BindFields {
                max_xmit_frag: U16::new(b.max_xmit_frag),
                max_recv_frag: U16::new(b.max_recv_frag),
                assoc_group_id: U32::new(b.assoc_group_id),
                n_context_elem: match b.n_context_elem {
                    Some(n) => n,
                    None => count("n_context_elem", b.contexts.len(), 255)?,
                },
                reserved: b.reserved,
                reserved2: U16::new(b.reserved2),
            };
            out.extend_from_slice(f.as_bytes());
            for c in &b.contexts {
                let e = ContextElemFields {
                    p_cont_id: U16::new(c.p_cont_id),
                    n_transfer_syn: match c.n_transfer_syn {
                        Some(n) => n,
                        None => count("n_transfer_syn", c.transfer_syntaxes.len(), 255)?,
                    },
                    reserved: c.reserved,
                    abstract_syntax: c.abstract_syntax,
                };
                out.extend_from_slice(e.as_bytes());
                out.extend_from_slice(c.transfer_syntaxes.as_bytes());
            }
            out.extend_from_slice(&b.rest);
        }
        BodyBuilder::BindAck(b) | BodyBuilder::AlterContextResp(b) => {
            let f = BindAckFields {
                max_xmit_frag: U16::new(b.max_xmit_frag),
                max_recv_frag: U16::new(b.max_recv_frag),
                assoc_group_id: U32::new(b.assoc_group_id),
                sec_addr_length: U16::new(match b.sec_addr_length {
                    Some(n) => n,
                    None => count("sec_addr.length", b.sec_addr.len(), 0xFFFF)?,
                }),
            };
            out.extend_from_slice(f.as_bytes());
            out.extend_from_slice(&b.sec_addr);
            match &b.pad {
                Some(p) => out.extend_from_slice(p),
                None => {
                    let n = (4 - (out.len() - start) % 4) % 4;
                    out.extend_from_slice(&[0u8; 3][..n]);
                }
            }
            let l = ResultListFields {
                n_results: match b.n_results {
                    Some(n) => n,
                    None => count("n_results", b.results.len(), 255)?,
                },
                reserved: b.reserved,
                reserved2: U16::new(b.reserved2),
            };
            out.extend_from_slice(l.as_bytes());
            out.extend_from_slice(b.results.as_bytes());
            out.extend_from_slice(&b.rest);
        }
        BodyBuilder::BindNak(b) => {
            out.extend_from_slice(&b.provider_reject_reason.to_le_bytes());
            if let Some(v) = &b.versions {
                out.push(match b.n_protocols {
                    Some(n) => n,
                    None => count("n_protocols", v.len(), 255)?,
                });
                out.extend_from_slice(v.as_bytes());
            }
            out.extend_from_slice(&b.rest);
        }
        BodyBuilder::Auth3(a) => {
            out.extend_from_slice(&a.pad);
            out.extend_from_slice(&a.rest);
        }
        BodyBuilder::Shutdown(e) | BodyBuilder::CoCancel(e) | BodyBuilder::Orphaned(e) => {
            out.extend_from_slice(&e.rest);
        }
    }
    Ok(())
}

/// Splits the stub of a request or response into PDUs of at most `max_frag` bytes, the way
/// [MS-RPCE] 2.2.2.6 describes: `PFC_FIRST_FRAG` on the first, `PFC_LAST_FRAG` on the last
/// (the template's other flags on all), and `alloc_hint` = the stub bytes remaining from each
/// fragment on. Every fragment keeps the template's object UUID and sec_trailer ([MS-RPCE]
/// 2.2.2.11: the trailer is in every fragment); with a trailer, each fragment's stub share is
/// rounded down to a multiple of 16 so that only the last one needs auth padding. The
/// `frag_length`/`auth_length` overrides and any explicit auth padding are dropped. An empty
/// stub gives one PDU.
pub fn fragment(template: &PduBuilder, max_frag: u16) -> Result<Vec<PduBuilder>, BuildError> {
    let (stub, fixed) = match &template.body {
        BodyBuilder::Request(r) => (
            &r.stub,
            PacketType::Request.fixed_len() + if r.object.is_some() { 16 } else { 0 },
        ),
        BodyBuilder::Response(r) => (&r.stub, PacketType::Response.fixed_len()),
        other => return Err(BuildError::NotFragmentable(other.packet_type())),
    };
    let overhead = fixed
        + template
            .auth
            .as_ref()
            .map_or(0, |a| SEC_TRAILER_LEN + a.auth_value.len());
    let mut chunk = usize::from(max_frag).saturating_sub(overhead);
    if template.auth.is_some() {
        chunk -= chunk % AUTH_PAD_ALIGNMENT;
    }
    if chunk == 0 {
        let minimum = overhead
            + if template.auth.is_some() {
                AUTH_PAD_ALIGNMENT
            } else {
                1
            };
        return Err(BuildError::MaxFragTooSmall { max_frag, minimum });
    }
    let mut pieces: Vec<&[u8]> = stub.chunks(chunk).collect();
    if pieces.is_empty() {
        pieces.push(&[]);
    }
    let n = pieces.len();
    let mut remaining = stub.len();
    let mut out = Vec::with_capacity(n);
    for (i, piece) in pieces.into_iter().enumerate() {
        let mut b = template.clone();
        b.frag_length = None;
        b.auth_length = None;
        if let Some(a) = &mut b.auth {
            a.pad = None;
            a.auth_pad_length = None;
        }
        b.flags &= !(PFC_FIRST_FRAG | PFC_LAST_FRAG);
        if i == 0 {
            b.flags |= PFC_FIRST_FRAG;
        }
        if i + 1 == n {
            b.flags |= PFC_LAST_FRAG;
        }
        let hint = u32::try_from(remaining).unwrap_or(u32::MAX);
        match &mut b.body {
            BodyBuilder::Request(r) => {
                r.alloc_hint = hint;
                r.stub = piece.to_vec();
            }
            BodyBuilder::Response(r) => {
                r.alloc_hint = hint;
                r.stub = piece.to_vec();
            }
            _ => {}
        }
        remaining -= piece.len();
        out.push(b);
    }
    Ok(out)
}
