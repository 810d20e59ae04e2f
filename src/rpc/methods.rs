//! The six methods of [MS-TRP], described once ([`METHODS`]), and their twelve stubs as
//! zero-copy views and byte-exact builders, in NDR20 and NDR64.
//!
//! | interface | opnum | method | request stub | response stub |
//! |---|---|---|---|---|
//! | tapsrv | 0 | ClientAttach (3.1.4.1) | `long`, WSTR, WSTR | CTX, `long`, `long` return |
//! | tapsrv | 1 | ClientRequest (3.1.4.2) | CTX, CVA, `long`, `long` | CVA, `long` |
//! | tapsrv | 2 | ClientDetach (3.1.4.3) | CTX | CTX |
//! | remotesp | 0 | RemoteSPAttach (3.3.4.1) | empty | CTX, `long` return |
//! | remotesp | 1 | RemoteSPEventProc (3.3.4.2) | CTX, CVA, `long` | empty |
//! | remotesp | 2 | RemoteSPDetach (3.3.4.3) | CTX | CTX |
//!
//! CTX is a [`ContextHandle`], WSTR a [`WStr`], CVA a [`ConformantVarying`] byte array (see
//! [`super::ndr`] for their layouts in either syntax). Every pointer is a top-level `[ref]`, so
//! no stub carries a referent id. [`decode`] reads any of the twelve stubs with the strict
//! checks of [MS-TRP] 3.1.4 and 3.3.4 (spec-notes/rpc-ndr.md lists them); each view's
//! `to_builder()` gives a builder whose `encode` reproduces the stub byte for byte.
//!
//! `pBuffer` is handed on without copying: [`ClientRequestRequest::tapi32_msg`] to
//! [`Request::parse`], [`ClientRequestResponse::reply`] to [`Reply::parse`] and
//! [`RemoteSPEventProcRequest::events`] to [`EventBuffer`].
//!
//! ```
//! use mstrp::requests::{Request, builders};
//! use mstrp::rpc::methods::{ClientRequestRequestBuilder, Direction, Method, Stub, decode};
//! use mstrp::rpc::ndr::{ContextHandle, Syntax};
//!
//! // A MakeCall sent in a 1024-byte buffer, as a client would, in NDR64...
//! let msg = builders::LineMakeCall::new()
//!     .h_line(0x1001)
//!     .lpsz_dest_address("100")
//!     .lp_call_params(None::<&[u8]>)
//!     .to_bytes();
//! let ctx: ContextHandle = "000000000102030405060708090a0b0c0d0e0f10".parse()?;
//! let builder = ClientRequestRequestBuilder {
//!     l_needed_size: Some(1024),
//!     ..ClientRequestRequestBuilder::new(ctx, &msg)
//! };
//! let stub = builder.encode(Syntax::Ndr64);
//!
//! // ...and read back as a server would: the stub, then the TAPI32_MSG inside it.
//! let Stub::ClientRequestRequest(req) =
//!     decode(Method::ClientRequest, Direction::Request, Syntax::Ndr64, &stub)?
//! else {
//!     unreachable!()
//! };
//! assert_eq!(req.var_data_capacity(), Some(964));
//! let Request::LineMakeCall(call) = req.tapi32_msg()? else { unreachable!() };
//! assert_eq!(call.h_line().get(), 0x1001);
//! assert_eq!(req.to_builder().encode(Syntax::Ndr64), stub);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! **VarData.** The TAPI32_MSG handed to [`Request::parse`] is the `actual_count`
//! (= `*plUsedSize`) bytes transmitted, so its VarData spans `*plUsedSize − 60` bytes and an
//! offset beyond them is an out-of-bounds decode error. `lNeededSize − 60` is the capacity of
//! the server's output VarData ([`ClientRequestRequest::var_data_capacity`]).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::str::FromStr;

use super::ndr::{
    ConformantVarying, ContextHandle, NdrError, NdrErrorKind, NdrReader, NdrWriter, PadLog, Syntax,
    WStr, context_handle_at_start, count_at, le_u32, wstr_at,
};
use super::uuid::{REMOTESP, SyntaxId, TAPSRV, Uuid};
use crate::errors::DecodeError;
use crate::events::{EventBuffer, EventError};
use crate::header::HEADER_LEN;
use crate::replies::Reply;
use crate::requests::{FuncId, Request};

/// One of the two RPC interfaces of [MS-TRP] (1.9, 2.1, 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Interface {
    /// `tapsrv`, served by the Telephony service on `\pipe\tapsrv` (6.2).
    Tapsrv,
    /// `remotesp`, served by the client for the server's callbacks (6.1).
    Remotesp,
}

impl Interface {
    /// Both interfaces.
    pub const ALL: [Interface; 2] = [Interface::Tapsrv, Interface::Remotesp];

    /// The interface's UUID and version ([`TAPSRV`] or [`REMOTESP`]).
    pub const fn syntax_id(self) -> SyntaxId {
        match self {
            Interface::Tapsrv => TAPSRV,
            Interface::Remotesp => REMOTESP,
        }
    }

    /// `"tapsrv"` or `"remotesp"`, the IDL's interface name.
    pub const fn name(self) -> &'static str {
        match self {
            Interface::Tapsrv => "tapsrv",
            Interface::Remotesp => "remotesp",
        }
    }

    /// The section of [MS-TRP] with its IDL.
    pub const fn section(self) -> &'static str {
        match self {
            Interface::Tapsrv => "6.2",
            Interface::Remotesp => "6.1",
        }
    }

    /// The interface with this UUID and version.
    pub fn from_syntax_id(id: &SyntaxId) -> Option<Interface> {
        Interface::ALL.into_iter().find(|i| i.syntax_id() == *id)
    }

    /// The interface with this UUID (any version).
    pub fn from_uuid(uuid: &Uuid) -> Option<Interface> {
        Interface::ALL
            .into_iter()
            .find(|i| i.syntax_id().uuid == *uuid)
    }

    /// Its three methods in opnum order.
    pub fn methods(self) -> impl Iterator<Item = Method> {
        Method::ALL
            .into_iter()
            .filter(move |m| m.interface() == self)
    }
}

impl fmt::Display for Interface {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Text that names no interface, method or direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what}")]
#[non_exhaustive]
pub struct ParseNameError {
    /// What was being parsed: `interface`, `method` or `direction`.
    pub what: &'static str,
}

impl FromStr for Interface {
    type Err = ParseNameError;

    /// `tapsrv` or `remotesp` (either case), or the interface UUID in canonical form.
    fn from_str(s: &str) -> Result<Interface, ParseNameError> {
        Interface::ALL
            .into_iter()
            .find(|i| i.name().eq_ignore_ascii_case(s))
            .or_else(|| {
                s.parse::<Uuid>()
                    .ok()
                    .and_then(|u| Interface::from_uuid(&u))
            })
            .ok_or(ParseNameError { what: "interface" })
    }
}

/// Which way a stub travels: in the request PDU or in the response PDU (\[C706\] 12.6.4.9-10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Direction {
    /// The `[in]` parameters, caller to callee.
    Request,
    /// The `[out]` parameters and the return value, callee to caller.
    Response,
}

impl Direction {
    /// Both directions.
    pub const ALL: [Direction; 2] = [Direction::Request, Direction::Response];

    /// `"request"` or `"response"`.
    pub const fn name(self) -> &'static str {
        match self {
            Direction::Request => "request",
            Direction::Response => "response",
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Direction {
    type Err = ParseNameError;

    /// `request` or `response`, either case.
    fn from_str(s: &str) -> Result<Direction, ParseNameError> {
        Direction::ALL
            .into_iter()
            .find(|d| d.name().eq_ignore_ascii_case(s))
            .ok_or(ParseNameError { what: "direction" })
    }
}

/// One of the six methods ([MS-TRP] 3.1.4, 3.3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[repr(u8)]
pub enum Method {
    /// tapsrv opnum 0 (3.1.4.1).
    ClientAttach,
    /// tapsrv opnum 1 (3.1.4.2).
    ClientRequest,
    /// tapsrv opnum 2 (3.1.4.3).
    ClientDetach,
    /// remotesp opnum 0 (3.3.4.1).
    RemoteSPAttach,
    /// remotesp opnum 1 (3.3.4.2).
    RemoteSPEventProc,
    /// remotesp opnum 2 (3.3.4.3).
    RemoteSPDetach,
}

/// A method's description: interface, opnum, name, IDL and parameter names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodDesc {
    /// The method.
    pub method: Method,
    /// Its interface.
    pub interface: Interface,
    /// Its opnum.
    pub opnum: u16,
    /// Its name as the IDL spells it.
    pub name: &'static str,
    /// The section of [MS-TRP] that specifies it.
    pub section: &'static str,
    /// Its IDL declaration from [MS-TRP] 6.1/6.2, on one line.
    pub idl: &'static str,
    /// The parameters of the request stub, in wire order, as the IDL names them.
    pub request_params: &'static [&'static str],
    /// The parameters of the response stub, in wire order; `return_value` is the `long` a
    /// method returns.
    pub response_params: &'static [&'static str],
}

/// The six methods, in [`Method`] order: the one description the rest of the module follows.
pub const METHODS: [MethodDesc; 6] = [
    MethodDesc {
        method: Method::ClientAttach,
        interface: Interface::Tapsrv,
        opnum: 0,
        name: "ClientAttach",
        section: "3.1.4.1",
        idl: "long ClientAttach([out] PCONTEXT_HANDLE_TYPE *pphContext, [in] long lProcessID, [out] long *phAsyncEventsEvent, [in, string] wchar_t *pszDomainUser, [in, string] wchar_t *pszMachine);",
        request_params: &["lProcessID", "pszDomainUser", "pszMachine"],
        response_params: &["pphContext", "phAsyncEventsEvent", "return_value"],
    },
    MethodDesc {
        method: Method::ClientRequest,
        interface: Interface::Tapsrv,
        opnum: 1,
        name: "ClientRequest",
        section: "3.1.4.2",
        idl: "void ClientRequest([in] PCONTEXT_HANDLE_TYPE phContext, [in, out, length_is(*plUsedSize), size_is(lNeededSize)] unsigned char* pBuffer, [in] long lNeededSize, [in, out] long *plUsedSize);",
        request_params: &["phContext", "pBuffer", "lNeededSize", "plUsedSize"],
        response_params: &["pBuffer", "plUsedSize"],
    },
    MethodDesc {
        method: Method::ClientDetach,
        interface: Interface::Tapsrv,
        opnum: 2,
        name: "ClientDetach",
        section: "3.1.4.3",
        idl: "void ClientDetach([in, out] PCONTEXT_HANDLE_TYPE *pphContext);",
        request_params: &["pphContext"],
        response_params: &["pphContext"],
    },
    MethodDesc {
        method: Method::RemoteSPAttach,
        interface: Interface::Remotesp,
        opnum: 0,
        name: "RemoteSPAttach",
        section: "3.3.4.1",
        idl: "long RemoteSPAttach([out] PCONTEXT_HANDLE_TYPE2 *pphContext);",
        request_params: &[],
        response_params: &["pphContext", "return_value"],
    },
    MethodDesc {
        method: Method::RemoteSPEventProc,
        interface: Interface::Remotesp,
        opnum: 1,
        name: "RemoteSPEventProc",
        section: "3.3.4.2",
        idl: "void RemoteSPEventProc([in] PCONTEXT_HANDLE_TYPE2 phContext, [in, length_is(lSize), size_is(lSize)] unsigned char pBuffer[], [in] long lSize);",
        request_params: &["phContext", "pBuffer", "lSize"],
        response_params: &[],
    },
    MethodDesc {
        method: Method::RemoteSPDetach,
        interface: Interface::Remotesp,
        opnum: 2,
        name: "RemoteSPDetach",
        section: "3.3.4.3",
        idl: "void RemoteSPDetach([in, out] PCONTEXT_HANDLE_TYPE2 *pphContext);",
        request_params: &["pphContext"],
        response_params: &["pphContext"],
    },
];

impl Method {
    /// The six methods, tapsrv first, each in opnum order.
    pub const ALL: [Method; 6] = [
        Method::ClientAttach,
        Method::ClientRequest,
        Method::ClientDetach,
        Method::RemoteSPAttach,
        Method::RemoteSPEventProc,
        Method::RemoteSPDetach,
    ];

    /// The method's row of [`METHODS`].
    pub const fn desc(self) -> &'static MethodDesc {
        &METHODS[self as usize]
    }

    /// The name, e.g. `ClientRequest`.
    pub const fn name(self) -> &'static str {
        self.desc().name
    }

    /// The interface.
    pub const fn interface(self) -> Interface {
        self.desc().interface
    }

    /// The opnum.
    pub const fn opnum(self) -> u16 {
        self.desc().opnum
    }

    /// The method `opnum` of `interface` (an unknown opnum is the fault `op_rng_error`).
    pub fn lookup(interface: Interface, opnum: u16) -> Option<Method> {
        Method::ALL
            .into_iter()
            .find(|m| m.interface() == interface && m.opnum() == opnum)
    }

    /// The parameter names of the stub that travels in `direction`.
    pub const fn params(self, direction: Direction) -> &'static [&'static str] {
        match direction {
            Direction::Request => self.desc().request_params,
            Direction::Response => self.desc().response_params,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Method {
    type Err = ParseNameError;

    /// The method's name, either case.
    fn from_str(s: &str) -> Result<Method, ParseNameError> {
        Method::ALL
            .into_iter()
            .find(|m| m.name().eq_ignore_ascii_case(s))
            .ok_or(ParseNameError { what: "method" })
    }
}

// ---------------------------------------------------------------------------------------------
// Builders' shared parts.

/// Overrides of the three counts of a conformant-varying array or string; `None` derives the
/// count from the data (and, for a `size_is` array, from its size parameter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct Counts {
    /// `max_count`.
    pub max: Option<u64>,
    /// `offset` (derived: 0).
    pub offset: Option<u64>,
    /// `actual_count`.
    pub actual: Option<u64>,
}

impl Counts {
    fn keep(found: u64, derived: u64) -> Option<u64> {
        (found != derived).then_some(found)
    }

    fn of(max: u64, offset: u64, actual: u64, derived_max: u64, derived_actual: u64) -> Counts {
        Counts {
            max: Counts::keep(max, derived_max),
            offset: Counts::keep(offset, 0),
            actual: Counts::keep(actual, derived_actual),
        }
    }
}

/// A `[string] wchar_t*` to build: `text` plus a NUL by default, or exactly `units`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct WStrBuilder {
    /// The text, sent as UTF-16LE followed by a NUL.
    pub text: String,
    /// When set, the units sent instead of `text` + NUL (give the NUL yourself): for text that
    /// is not valid UTF-16, embedded NULs or a missing terminator.
    pub units: Option<Vec<u16>>,
    /// Count overrides (derived: max = actual = the number of units, offset = 0).
    pub counts: Counts,
}

impl WStrBuilder {
    /// `text` with a NUL and derived counts.
    pub fn new(text: &str) -> WStrBuilder {
        WStrBuilder {
            text: text.into(),
            ..WStrBuilder::default()
        }
    }

    /// The units sent.
    pub fn wire_units(&self) -> Vec<u16> {
        match &self.units {
            Some(u) => u.clone(),
            None => self.text.encode_utf16().chain([0]).collect(),
        }
    }

    fn write(&self, w: &mut NdrWriter<'_>) {
        let units = self.wire_units();
        let n = units.len() as u64;
        w.wstr(
            self.counts.max.unwrap_or(n),
            self.counts.offset.unwrap_or(0),
            self.counts.actual.unwrap_or(n),
            &units,
        );
    }

    fn from_view(s: &WStr<'_>) -> WStrBuilder {
        let units: Vec<u16> = s.units_with_nul().collect();
        let n = units.len() as u64;
        let counts = Counts::of(s.max_count, s.offset, s.actual_count, n, n);
        let text = String::from_utf16(units.strip_suffix(&[0]).unwrap_or(&units)).ok();
        match text {
            Some(text) if units.last() == Some(&0) && !text.contains('\0') => WStrBuilder {
                text,
                units: None,
                counts,
            },
            _ => WStrBuilder {
                text: s.to_string_lossy(),
                units: Some(units),
                counts,
            },
        }
    }
}

#[inline]
fn len_i32(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// The `long` a size parameter defaults to, and the max count derived from it.
#[inline]
fn size_default(value: Option<i32>, len: usize) -> (i32, u64) {
    let v = value.unwrap_or(len_i32(len));
    let max = u64::try_from(v).unwrap_or(len as u64);
    (v, max)
}

/// Position of the `long` just read.
#[inline]
fn last_long(r: &NdrReader<'_>) -> usize {
    r.position() - 4
}

/// A negative `long` that sizes an array.
#[inline]
fn non_negative(r: &NdrReader<'_>, param: &'static str, at: usize, v: i32) -> Result<(), NdrError> {
    if v < 0 {
        return Err(r.error(param, at, NdrErrorKind::NegativeSize { value: v }));
    }
    Ok(())
}

/// `max_count` = `size_is` parameter.
#[inline]
fn max_is(
    r: &NdrReader<'_>,
    param: &'static str,
    a: &ConformantVarying<'_>,
    against: &'static str,
    v: i32,
) -> Result<(), NdrError> {
    if i64::try_from(a.max_count).ok() != Some(i64::from(v)) {
        return Err(r.error(
            param,
            a.at,
            NdrErrorKind::MaxMismatch {
                max: a.max_count,
                against,
                expected: i64::from(v),
            },
        ));
    }
    Ok(())
}

/// `actual_count` = `length_is` parameter.
#[inline]
fn actual_is(
    r: &NdrReader<'_>,
    param: &'static str,
    a: &ConformantVarying<'_>,
    against: &'static str,
    v: i32,
) -> Result<(), NdrError> {
    if i64::try_from(a.actual_count).ok() != Some(i64::from(v)) {
        return Err(r.error(
            param,
            a.actual_count_at(),
            NdrErrorKind::ActualMismatch {
                actual: a.actual_count,
                against,
                expected: i64::from(v),
            },
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The twelve views.

macro_rules! view_common {
    ($name:ident, $method:ident, $dir:ident, $builder:ident) => {
        impl<'a> $name<'a> {
            /// The method.
            pub const METHOD: Method = Method::$method;
            /// The direction.
            pub const DIRECTION: Direction = Direction::$dir;

            /// The transfer syntax it was decoded in.
            pub const fn syntax(&self) -> Syntax {
                self.syntax
            }

            /// The stub.
            pub const fn as_bytes(&self) -> &'a [u8] {
                self.stub
            }
        }

        impl $builder {
            /// The method.
            pub const METHOD: Method = Method::$method;
            /// The direction.
            pub const DIRECTION: Direction = Direction::$dir;
        }
    };
}

/// The ClientAttach request stub (3.1.4.1): `lProcessID`, `pszDomainUser`, `pszMachine`.
///
/// NDR20: `long` at 0, then the two strings (each 4-aligned); NDR64: `long` at 0, 4 bytes of
/// padding, then the two strings (each 8-aligned).
///
/// The view keeps the checked stub and where each string starts, and reads a parameter
/// when it is asked for (so that [`Stub`] stays a few words).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ClientAttachRequest<'a> {
    syntax: Syntax,
    stub: &'a [u8],
    l_process_id: i32,
    domain_user_at: u32,
    machine_at: u32,
}

impl fmt::Debug for ClientAttachRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientAttachRequest")
            .field("syntax", &self.syntax)
            .field("l_process_id", &self.l_process_id)
            .field("psz_domain_user", &self.psz_domain_user())
            .field("psz_machine", &self.psz_machine())
            .finish()
    }
}

view_common!(
    ClientAttachRequest,
    ClientAttach,
    Request,
    ClientAttachRequestBuilder
);

impl<'a> ClientAttachRequest<'a> {
    /// Reads and checks the stub.
    #[inline]
    pub fn decode(syntax: Syntax, stub: &'a [u8]) -> Result<Self, NdrError> {
        Self::read(syntax, stub).map(|(v, _)| v)
    }

    /// The view and the padding skipped.
    fn read(syntax: Syntax, stub: &'a [u8]) -> Result<(Self, PadLog), NdrError> {
        let mut r = NdrReader::new("ClientAttach", syntax, stub);
        let l_process_id = r.i32("lProcessID")?;
        let psz_domain_user = r.wstr("pszDomainUser")?;
        let psz_machine = r.wstr("pszMachine")?;
        r.finish()?;
        // A checked stub is shorter than 4 GiB here: its counts are u32 (NDR20) or were
        // matched by data present in memory.
        let at = |s: &WStr<'_>| u32::try_from(s.at).unwrap_or(u32::MAX);
        let view = ClientAttachRequest {
            syntax,
            stub,
            l_process_id,
            domain_user_at: at(&psz_domain_user),
            machine_at: at(&psz_machine),
        };
        Ok((view, r.pads()))
    }

    /// `lProcessID`: −1 (0xFFFFFFFF) for a remote client, −3 (0xFFFFFFFD) for an MMC client.
    pub const fn l_process_id(&self) -> i32 {
        self.l_process_id
    }

    /// `pszDomainUser`: `""` (push events) or a mailslot name (pull), or the MMC user.
    pub fn psz_domain_user(&self) -> WStr<'a> {
        wstr_at(self.syntax, self.stub, self.domain_user_at as usize)
    }

    /// `pszMachine`: `NAME"protseq"endpoint"…` or the MMC client's machine name.
    pub fn psz_machine(&self) -> WStr<'a> {
        wstr_at(self.syntax, self.stub, self.machine_at as usize)
    }

    /// A builder that encodes to these exact bytes.
    pub fn to_builder(&self) -> ClientAttachRequestBuilder {
        ClientAttachRequestBuilder {
            l_process_id: self.l_process_id,
            psz_domain_user: WStrBuilder::from_view(&self.psz_domain_user()),
            psz_machine: WStrBuilder::from_view(&self.psz_machine()),
            padding: pads_of(Self::read(self.syntax, self.stub)),
        }
    }
}

/// Builds a ClientAttach request stub (3.1.4.1).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct ClientAttachRequestBuilder {
    /// `lProcessID`.
    pub l_process_id: i32,
    /// `pszDomainUser`.
    pub psz_domain_user: WStrBuilder,
    /// `pszMachine`.
    pub psz_machine: WStrBuilder,
    /// Padding bytes in wire order (missing ones are zero).
    pub padding: Vec<u8>,
}

impl ClientAttachRequestBuilder {
    /// A request with these values and derived counts.
    pub fn new(l_process_id: i32, psz_domain_user: &str, psz_machine: &str) -> Self {
        ClientAttachRequestBuilder {
            l_process_id,
            psz_domain_user: WStrBuilder::new(psz_domain_user),
            psz_machine: WStrBuilder::new(psz_machine),
            padding: Vec::new(),
        }
    }

    /// The stub.
    pub fn encode(&self, syntax: Syntax) -> Vec<u8> {
        let mut w = NdrWriter::with_padding(syntax, &self.padding);
        w.i32(self.l_process_id);
        self.psz_domain_user.write(&mut w);
        self.psz_machine.write(&mut w);
        w.into_bytes()
    }
}

/// The ClientAttach response stub (3.1.4.1): `pphContext`, `phAsyncEventsEvent`, the return
/// value; 28 bytes in both syntaxes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ClientAttachResponse<'a> {
    syntax: Syntax,
    stub: &'a [u8],
}

impl fmt::Debug for ClientAttachResponse<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientAttachResponse")
            .field("syntax", &self.syntax)
            .field("pph_context", &self.pph_context())
            .field("ph_async_events_event", &self.ph_async_events_event())
            .field("return_value", &self.return_value())
            .finish()
    }
}

view_common!(
    ClientAttachResponse,
    ClientAttach,
    Response,
    ClientAttachResponseBuilder
);

impl<'a> ClientAttachResponse<'a> {
    /// Reads and checks the stub.
    #[inline]
    pub fn decode(syntax: Syntax, stub: &'a [u8]) -> Result<Self, NdrError> {
        // The same 28 bytes in both syntaxes: CTX at 0, the two longs at 20 and 24.
        let mut r = NdrReader::new("ClientAttach", syntax, stub);
        r.context_handle("pphContext")?;
        r.i32("phAsyncEventsEvent")?;
        r.i32("return_value")?;
        r.finish()?;
        Ok(ClientAttachResponse { syntax, stub })
    }

    /// `*pphContext`: the new tapsrv context handle.
    pub fn pph_context(&self) -> ContextHandle {
        context_handle_at_start(self.stub)
    }

    /// `*phAsyncEventsEvent`: 0xA5C369A5 when the server supports
    /// NegotiateAPIVersionForAllDevices; 0x32323232 or 0x64646464 for an MMC client.
    pub fn ph_async_events_event(&self) -> i32 {
        le_u32(self.stub, ContextHandle::LEN) as i32
    }

    /// The `long` returned: 0 on success.
    pub fn return_value(&self) -> i32 {
        le_u32(self.stub, ContextHandle::LEN + 4) as i32
    }

    /// A builder that encodes to these exact bytes.
    pub fn to_builder(&self) -> ClientAttachResponseBuilder {
        ClientAttachResponseBuilder {
            pph_context: self.pph_context(),
            ph_async_events_event: self.ph_async_events_event(),
            return_value: self.return_value(),
        }
    }
}

/// Builds a ClientAttach response stub (3.1.4.1).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct ClientAttachResponseBuilder {
    /// `*pphContext`.
    pub pph_context: ContextHandle,
    /// `*phAsyncEventsEvent`.
    pub ph_async_events_event: i32,
    /// The return value.
    pub return_value: i32,
}

impl ClientAttachResponseBuilder {
    /// The stub.
    pub fn encode(&self, syntax: Syntax) -> Vec<u8> {
        let mut w = NdrWriter::new(syntax);
        w.context_handle(&self.pph_context)
            .i32(self.ph_async_events_event)
            .i32(self.return_value);
        w.into_bytes()
    }
}

/// The ClientRequest request stub (3.1.4.2): `phContext`, `pBuffer` (max = `lNeededSize`,
/// actual = `*plUsedSize`), `lNeededSize`, `*plUsedSize`.
///
/// NDR20: CTX, three `u32` counts at 20, data at 32, padding to 4, two `long`s. NDR64: CTX,
/// 4 bytes of padding, three `u64` counts at 24, data at 48, padding to 4, two `long`s.
///
/// The view is the checked stub and the two sizes (four words): the checks fix every other
/// value (max = `lNeededSize`, offset 0, actual = `*plUsedSize`), so the handle and `pBuffer`
/// are read from the stub when asked for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ClientRequestRequest<'a> {
    syntax: Syntax,
    stub: &'a [u8],
    l_needed_size: i32,
    pl_used_size: i32,
}

impl fmt::Debug for ClientRequestRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientRequestRequest")
            .field("syntax", &self.syntax)
            .field("ph_context", &self.ph_context())
            .field("p_buffer", &self.p_buffer())
            .field("l_needed_size", &self.l_needed_size)
            .field("pl_used_size", &self.pl_used_size)
            .finish()
    }
}

/// Where the array after a leading context handle starts: 20 in NDR20, 24 in NDR64 (its
/// counts are 8-aligned).
#[inline(always)]
const fn array_after_handle(syntax: Syntax) -> usize {
    match syntax {
        Syntax::Ndr20 => ContextHandle::LEN,
        Syntax::Ndr64 => ContextHandle::LEN + 4,
    }
}

/// The counts (max, offset, actual) of the conformant-varying byte array at `at` and the
/// end of its data, if the stub holds them and offset = 0 and actual ≤ max; the offset of the
/// `long`s after it (the data end aligned to 4) is returned last.
#[inline(always)]
fn array_fast(syntax: Syntax, stub: &[u8], at: usize) -> Option<(u64, u64, usize)> {
    let step = syntax.count_size();
    let data_at = at + 3 * step;
    if stub.len() < data_at {
        return None;
    }
    let max = count_at(syntax, stub, at);
    let offset = count_at(syntax, stub, at + step);
    let actual = count_at(syntax, stub, at + 2 * step);
    if offset != 0 || actual > max {
        return None;
    }
    let end = data_at.checked_add(usize::try_from(actual).ok()?)?;
    let tail_at = end.checked_add(3)? & !3;
    Some((max, actual, tail_at))
}

/// The `N`-byte tail of the stub at `at`, if the stub ends exactly there.
#[inline(always)]
fn tail<const N: usize>(stub: &[u8], at: usize) -> Option<&[u8; N]> {
    stub.get(at..)?.try_into().ok()
}

/// The padding a reader skipped, as a builder takes it.
fn pads_of<T>(read: Result<(T, PadLog), NdrError>) -> Vec<u8> {
    read.map_or_else(|_| Vec::new(), |(_, pads)| pads.to_vec())
}

view_common!(
    ClientRequestRequest,
    ClientRequest,
    Request,
    ClientRequestRequestBuilder
);

impl<'a> ClientRequestRequest<'a> {
    /// Reads and checks the stub: a non-nil handle, offset 0, actual ≤ max, both sizes
    /// non-negative, max = `lNeededSize`, actual = `*plUsedSize`, nothing left over.
    #[inline]
    pub fn decode(syntax: Syntax, stub: &'a [u8]) -> Result<Self, NdrError> {
        match Self::decode_fast(syntax, stub) {
            Some(v) => Ok(v),
            None => Self::read(syntax, stub).map(|(v, _)| v),
        }
    }

    /// The common case in straight-line reads: every check of [`NdrReader`]'s path, `None`
    /// when one fails (that path then names the error).
    #[inline(always)]
    fn decode_fast(syntax: Syntax, stub: &'a [u8]) -> Option<Self> {
        let uuid = stub.get(4..)?.first_chunk::<16>()?;
        if u128::from_le_bytes(*uuid) == 0 {
            return None;
        }
        let (max, actual, tail_at) = array_fast(syntax, stub, array_after_handle(syntax))?;
        let t = tail::<8>(stub, tail_at)?;
        let l_needed_size = i32::from_le_bytes([t[0], t[1], t[2], t[3]]);
        let pl_used_size = i32::from_le_bytes([t[4], t[5], t[6], t[7]]);
        if l_needed_size < 0
            || pl_used_size < 0
            || max != l_needed_size as u64
            || actual != pl_used_size as u64
        {
            return None;
        }
        Some(ClientRequestRequest {
            syntax,
            stub,
            l_needed_size,
            pl_used_size,
        })
    }

    /// The view and the padding skipped, through [`NdrReader`] (whose errors name the field).
    #[cold]
    #[inline(never)]
    fn read(syntax: Syntax, stub: &'a [u8]) -> Result<(Self, PadLog), NdrError> {
        let mut r = NdrReader::new("ClientRequest", syntax, stub);
        r.in_context_handle("phContext")?;
        let p_buffer = r.conformant_varying("pBuffer")?;
        let l_needed_size = r.i32("lNeededSize")?;
        let needed_at = last_long(&r);
        let pl_used_size = r.i32("plUsedSize")?;
        let used_at = last_long(&r);
        non_negative(&r, "lNeededSize", needed_at, l_needed_size)?;
        non_negative(&r, "plUsedSize", used_at, pl_used_size)?;
        max_is(&r, "pBuffer", &p_buffer, "lNeededSize", l_needed_size)?;
        actual_is(&r, "pBuffer", &p_buffer, "plUsedSize", pl_used_size)?;
        r.finish()?;
        let view = ClientRequestRequest {
            syntax,
            stub,
            l_needed_size,
            pl_used_size,
        };
        Ok((view, r.pads()))
    }

    /// `phContext`.
    pub fn ph_context(&self) -> ContextHandle {
        context_handle_at_start(self.stub)
    }

    /// `pBuffer`: its counts and the `*plUsedSize` bytes transmitted.
    #[inline]
    pub fn p_buffer(&self) -> ConformantVarying<'a> {
        let at = array_after_handle(self.syntax);
        let data_at = at + 3 * self.syntax.count_size();
        let n = self.pl_used_size as u32 as usize;
        let data = self
            .stub
            .get(data_at..data_at.saturating_add(n))
            .unwrap_or_default();
        ConformantVarying::checked(
            self.syntax,
            at,
            self.l_needed_size as u32 as u64,
            self.pl_used_size as u32 as u64,
            data,
        )
    }

    /// `lNeededSize`: the capacity of the buffer, in and out.
    pub const fn l_needed_size(&self) -> i32 {
        self.l_needed_size
    }

    /// `*plUsedSize`: the bytes of `pBuffer` that carry data.
    pub const fn pl_used_size(&self) -> i32 {
        self.pl_used_size
    }

    /// `pBuffer` as a TAPI32_MSG request (2.2.5.2), without copying. Its VarData is the
    /// `*plUsedSize − 60` transmitted bytes after the fixed part, so an offset beyond them
    /// fails when resolved.
    pub fn tapi32_msg(&self) -> Result<Request<'a>, DecodeError> {
        Request::parse(self.p_buffer().bytes())
    }

    /// The input VarData's length, `*plUsedSize − 60`, if `*plUsedSize` ≥ 60.
    pub fn var_data_len(&self) -> Option<u32> {
        u32::try_from(self.pl_used_size)
            .ok()?
            .checked_sub(HEADER_LEN as u32)
    }

    /// The output VarData's capacity, `lNeededSize − 60`, if `lNeededSize` ≥ 60 (3.1.4.2
    /// fails a request whose `lNeededSize` is smaller than TAPI32_MSG). The server allocates
    /// `lNeededSize` bytes, so bytes past `*plUsedSize` are ones the client never sent.
    pub fn var_data_capacity(&self) -> Option<u32> {
        u32::try_from(self.l_needed_size)
            .ok()?
            .checked_sub(HEADER_LEN as u32)
    }

    /// A builder that encodes to these exact bytes.
    pub fn to_builder(&self) -> ClientRequestRequestBuilder {
        let b = &self.p_buffer();
        let len = b.bytes().len();
        let (_, derived_max) = size_default(Some(self.l_needed_size), len);
        ClientRequestRequestBuilder {
            ph_context: self.ph_context(),
            p_buffer: b.bytes().to_vec(),
            l_needed_size: (self.l_needed_size != len_i32(len)).then_some(self.l_needed_size),
            pl_used_size: (self.pl_used_size != len_i32(len)).then_some(self.pl_used_size),
            p_buffer_counts: Counts::of(
                b.max_count,
                b.offset,
                b.actual_count,
                derived_max,
                len as u64,
            ),
            padding: pads_of(Self::read(self.syntax, self.stub)),
        }
    }
}

/// Builds a ClientRequest request stub (3.1.4.2).
///
/// Derived values: `lNeededSize` and `*plUsedSize` = the length of `p_buffer`; max count =
/// `lNeededSize` (or the length, if `lNeededSize` is negative); actual count = the length.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct ClientRequestRequestBuilder {
    /// `phContext`.
    pub ph_context: ContextHandle,
    /// The bytes of `pBuffer` transmitted (a TAPI32_MSG).
    pub p_buffer: Vec<u8>,
    /// `lNeededSize`, if not the length of `p_buffer`.
    pub l_needed_size: Option<i32>,
    /// `*plUsedSize`, if not the length of `p_buffer`.
    pub pl_used_size: Option<i32>,
    /// Overrides of `pBuffer`'s counts.
    pub p_buffer_counts: Counts,
    /// Padding bytes in wire order (missing ones are zero).
    pub padding: Vec<u8>,
}

impl ClientRequestRequestBuilder {
    /// A request carrying `p_buffer` with derived sizes.
    pub fn new(ph_context: ContextHandle, p_buffer: &[u8]) -> Self {
        ClientRequestRequestBuilder {
            ph_context,
            p_buffer: p_buffer.to_vec(),
            ..Default::default()
        }
    }

    /// The stub.
    pub fn encode(&self, syntax: Syntax) -> Vec<u8> {
        let len = self.p_buffer.len();
        let (needed, max) = size_default(self.l_needed_size, len);
        let used = self.pl_used_size.unwrap_or(len_i32(len));
        let c = &self.p_buffer_counts;
        let mut w = NdrWriter::with_padding(syntax, &self.padding);
        w.context_handle(&self.ph_context)
            .conformant_varying(
                c.max.unwrap_or(max),
                c.offset.unwrap_or(0),
                c.actual.unwrap_or(len as u64),
                &self.p_buffer,
            )
            .i32(needed)
            .i32(used);
        w.into_bytes()
    }
}

/// The ClientRequest response stub (3.1.4.2): `pBuffer` (max = `lNeededSize` of the request,
/// actual = `*plUsedSize`) and `*plUsedSize`.
///
/// NDR20: three `u32` counts, data at 12, padding to 4, `long`. NDR64: three `u64` counts,
/// data at 24, padding to 4, `long`.
///
/// The view is the checked stub, the max count and `*plUsedSize` (four words); `pBuffer` is
/// read from the stub when asked for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ClientRequestResponse<'a> {
    syntax: Syntax,
    stub: &'a [u8],
    max_count: u64,
    pl_used_size: i32,
}

impl fmt::Debug for ClientRequestResponse<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientRequestResponse")
            .field("syntax", &self.syntax)
            .field("p_buffer", &self.p_buffer())
            .field("pl_used_size", &self.pl_used_size)
            .finish()
    }
}

view_common!(
    ClientRequestResponse,
    ClientRequest,
    Response,
    ClientRequestResponseBuilder
);

impl<'a> ClientRequestResponse<'a> {
    /// Reads and checks the stub: offset 0, actual ≤ max, `*plUsedSize` non-negative and
    /// equal to the actual count, nothing left over. The max count can only be checked
    /// against the request ([`ClientRequestResponse::check_l_needed_size`]).
    #[inline]
    pub fn decode(syntax: Syntax, stub: &'a [u8]) -> Result<Self, NdrError> {
        match Self::decode_fast(syntax, stub) {
            Some(v) => Ok(v),
            None => Self::read(syntax, stub).map(|(v, _)| v),
        }
    }

    /// The common case in straight-line reads: every check of [`NdrReader`]'s path, `None`
    /// when one fails (that path then names the error).
    #[inline(always)]
    fn decode_fast(syntax: Syntax, stub: &'a [u8]) -> Option<Self> {
        let (max_count, actual, tail_at) = array_fast(syntax, stub, 0)?;
        let pl_used_size = i32::from_le_bytes(*tail::<4>(stub, tail_at)?);
        if pl_used_size < 0 || actual != pl_used_size as u64 {
            return None;
        }
        Some(ClientRequestResponse {
            syntax,
            stub,
            max_count,
            pl_used_size,
        })
    }

    /// The view and the padding skipped, through [`NdrReader`] (whose errors name the field).
    #[cold]
    #[inline(never)]
    fn read(syntax: Syntax, stub: &'a [u8]) -> Result<(Self, PadLog), NdrError> {
        let mut r = NdrReader::new("ClientRequest", syntax, stub);
        let p_buffer = r.conformant_varying("pBuffer")?;
        let pl_used_size = r.i32("plUsedSize")?;
        non_negative(&r, "plUsedSize", last_long(&r), pl_used_size)?;
        actual_is(&r, "pBuffer", &p_buffer, "plUsedSize", pl_used_size)?;
        r.finish()?;
        let view = ClientRequestResponse {
            syntax,
            stub,
            max_count: p_buffer.max_count,
            pl_used_size,
        };
        Ok((view, r.pads()))
    }

    /// `pBuffer`: the TAPI32_MSG the server returns.
    #[inline]
    pub fn p_buffer(&self) -> ConformantVarying<'a> {
        let data_at = 3 * self.syntax.count_size();
        let n = self.pl_used_size as u32 as usize;
        let data = self
            .stub
            .get(data_at..data_at.saturating_add(n))
            .unwrap_or_default();
        ConformantVarying::checked(
            self.syntax,
            0,
            self.max_count,
            self.pl_used_size as u32 as u64,
            data,
        )
    }

    /// `*plUsedSize`.
    pub const fn pl_used_size(&self) -> i32 {
        self.pl_used_size
    }

    /// The client-side check of [MS-RPCE] 3.1.2.7.1: the max count equals the request's
    /// `lNeededSize`, which 3.1.4.2 says comes back unchanged.
    pub fn check_l_needed_size(&self, l_needed_size: i32) -> Result<(), NdrError> {
        let r = NdrReader::new("ClientRequest", self.syntax, self.stub);
        max_is(
            &r,
            "pBuffer",
            &self.p_buffer(),
            "lNeededSize",
            l_needed_size,
        )
    }

    /// `pBuffer` as the reply to `func` (2.2.5.2, `Ack_ReturnValue` first), without copying.
    pub fn reply(&self, func: FuncId) -> Result<Reply<'a>, DecodeError> {
        Reply::parse(func, self.p_buffer().bytes())
    }

    /// A builder that encodes to these exact bytes.
    pub fn to_builder(&self) -> ClientRequestResponseBuilder {
        let b = &self.p_buffer();
        let len = b.bytes().len();
        ClientRequestResponseBuilder {
            p_buffer: b.bytes().to_vec(),
            pl_used_size: (self.pl_used_size != len_i32(len)).then_some(self.pl_used_size),
            p_buffer_counts: Counts::of(
                b.max_count,
                b.offset,
                b.actual_count,
                len as u64,
                len as u64,
            ),
            padding: pads_of(Self::read(self.syntax, self.stub)),
        }
    }
}

/// Builds a ClientRequest response stub (3.1.4.2).
///
/// Derived values: max count, actual count and `*plUsedSize` = the length of `p_buffer`. A
/// server echoes the request's `lNeededSize` as the max count: set `p_buffer_counts.max`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct ClientRequestResponseBuilder {
    /// The bytes of `pBuffer` returned.
    pub p_buffer: Vec<u8>,
    /// `*plUsedSize`, if not the length of `p_buffer`.
    pub pl_used_size: Option<i32>,
    /// Overrides of `pBuffer`'s counts.
    pub p_buffer_counts: Counts,
    /// Padding bytes in wire order (missing ones are zero).
    pub padding: Vec<u8>,
}

impl ClientRequestResponseBuilder {
    /// A response returning `p_buffer` in a buffer of `l_needed_size` bytes.
    pub fn new(p_buffer: &[u8], l_needed_size: i32) -> Self {
        ClientRequestResponseBuilder {
            p_buffer: p_buffer.to_vec(),
            p_buffer_counts: Counts {
                max: u64::try_from(l_needed_size)
                    .ok()
                    .filter(|&m| m != p_buffer.len() as u64),
                ..Counts::default()
            },
            ..Default::default()
        }
    }

    /// The stub.
    pub fn encode(&self, syntax: Syntax) -> Vec<u8> {
        let len = self.p_buffer.len();
        let c = &self.p_buffer_counts;
        let mut w = NdrWriter::with_padding(syntax, &self.padding);
        w.conformant_varying(
            c.max.unwrap_or(len as u64),
            c.offset.unwrap_or(0),
            c.actual.unwrap_or(len as u64),
            &self.p_buffer,
        )
        .i32(self.pl_used_size.unwrap_or(len_i32(len)));
        w.into_bytes()
    }
}

/// Declares a view and builder whose stub is one context handle (the detach methods).
macro_rules! handle_only {
    ($(#[$doc:meta])* $name:ident, $builder:ident, $method:ident, $dir:ident, $mname:literal, $section:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq)]
        pub struct $name<'a> {
            syntax: Syntax,
            stub: &'a [u8],
        }

        impl fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("syntax", &self.syntax)
                    .field("pph_context", &self.pph_context())
                    .finish()
            }
        }

        view_common!($name, $method, $dir, $builder);

        impl<'a> $name<'a> {
            /// Reads the stub: one context handle, nothing after it. A nil handle is accepted
            /// (the parameter is `[in, out]`).
            #[inline]
    pub fn decode(syntax: Syntax, stub: &'a [u8]) -> Result<Self, NdrError> {
                let mut r = NdrReader::new($mname, syntax, stub);
                r.context_handle("pphContext")?;
                r.finish()?;
                Ok($name { syntax, stub })
            }

            /// `*pphContext` (nil in a response once the handle is freed).
            pub fn pph_context(&self) -> ContextHandle {
                context_handle_at_start(self.stub)
            }

            /// A builder that encodes to these exact bytes.
            pub fn to_builder(&self) -> $builder {
                $builder { pph_context: self.pph_context() }
            }
        }

        #[doc = concat!("Builds a ", $mname, " ", stringify!($dir), " stub (", $section, ").")]
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(default))]
        pub struct $builder {
            /// `*pphContext`.
            pub pph_context: ContextHandle,
        }

        impl $builder {
            /// The stub.
            pub fn encode(&self, syntax: Syntax) -> Vec<u8> {
                let mut w = NdrWriter::new(syntax);
                w.context_handle(&self.pph_context);
                w.into_bytes()
            }
        }
    };
}

handle_only!(
    /// The ClientDetach request stub (3.1.4.3): `*pphContext`, 20 bytes.
    ClientDetachRequest, ClientDetachRequestBuilder, ClientDetach, Request, "ClientDetach", "3.1.4.3"
);
handle_only!(
    /// The ClientDetach response stub (3.1.4.3): `*pphContext`, nil once freed; 20 bytes.
    ClientDetachResponse, ClientDetachResponseBuilder, ClientDetach, Response, "ClientDetach", "3.1.4.3"
);
handle_only!(
    /// The RemoteSPDetach request stub (3.3.4.3): `*pphContext`, 20 bytes.
    RemoteSPDetachRequest, RemoteSPDetachRequestBuilder, RemoteSPDetach, Request, "RemoteSPDetach", "3.3.4.3"
);
handle_only!(
    /// The RemoteSPDetach response stub (3.3.4.3): `*pphContext`, nil once freed; 20 bytes.
    RemoteSPDetachResponse, RemoteSPDetachResponseBuilder, RemoteSPDetach, Response, "RemoteSPDetach", "3.3.4.3"
);

/// Declares a view and builder whose stub is empty.
macro_rules! empty_stub {
    ($(#[$doc:meta])* $name:ident, $builder:ident, $method:ident, $dir:ident, $mname:literal, $section:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $name<'a> {
            syntax: Syntax,
            stub: &'a [u8],
        }

        view_common!($name, $method, $dir, $builder);

        impl<'a> $name<'a> {
            /// Checks that the stub is empty.
            #[inline]
    pub fn decode(syntax: Syntax, stub: &'a [u8]) -> Result<Self, NdrError> {
                NdrReader::new($mname, syntax, stub).finish()?;
                Ok($name { syntax, stub })
            }

            /// A builder that encodes to these exact bytes.
            pub fn to_builder(&self) -> $builder {
                $builder {}
            }
        }

        #[doc = concat!("Builds the empty ", $mname, " ", stringify!($dir), " stub (", $section, ").")]
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        pub struct $builder {}

        impl $builder {
            /// The stub: no bytes.
            pub fn encode(&self, _syntax: Syntax) -> Vec<u8> {
                Vec::new()
            }
        }
    };
}

empty_stub!(
    /// The RemoteSPAttach request stub (3.3.4.1): empty, the method has no `[in]` parameter.
    RemoteSPAttachRequest, RemoteSPAttachRequestBuilder, RemoteSPAttach, Request, "RemoteSPAttach", "3.3.4.1"
);
empty_stub!(
    /// The RemoteSPEventProc response stub (3.3.4.2): empty, the method returns `void` and
    /// has no `[out]` parameter.
    RemoteSPEventProcResponse, RemoteSPEventProcResponseBuilder, RemoteSPEventProc, Response, "RemoteSPEventProc", "3.3.4.2"
);

/// The RemoteSPAttach response stub (3.3.4.1): `*pphContext` and the return value, 24 bytes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct RemoteSPAttachResponse<'a> {
    syntax: Syntax,
    stub: &'a [u8],
}

impl fmt::Debug for RemoteSPAttachResponse<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteSPAttachResponse")
            .field("syntax", &self.syntax)
            .field("pph_context", &self.pph_context())
            .field("return_value", &self.return_value())
            .finish()
    }
}

view_common!(
    RemoteSPAttachResponse,
    RemoteSPAttach,
    Response,
    RemoteSPAttachResponseBuilder
);

impl<'a> RemoteSPAttachResponse<'a> {
    /// Reads and checks the stub.
    #[inline]
    pub fn decode(syntax: Syntax, stub: &'a [u8]) -> Result<Self, NdrError> {
        // 24 bytes in both syntaxes: CTX at 0, the long at 20.
        let mut r = NdrReader::new("RemoteSPAttach", syntax, stub);
        r.context_handle("pphContext")?;
        r.i32("return_value")?;
        r.finish()?;
        Ok(RemoteSPAttachResponse { syntax, stub })
    }

    /// `*pphContext`: the client's remotesp context handle.
    pub fn pph_context(&self) -> ContextHandle {
        context_handle_at_start(self.stub)
    }

    /// The `long` returned: 0 on success.
    pub fn return_value(&self) -> i32 {
        le_u32(self.stub, ContextHandle::LEN) as i32
    }

    /// A builder that encodes to these exact bytes.
    pub fn to_builder(&self) -> RemoteSPAttachResponseBuilder {
        RemoteSPAttachResponseBuilder {
            pph_context: self.pph_context(),
            return_value: self.return_value(),
        }
    }
}

/// Builds a RemoteSPAttach response stub (3.3.4.1).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct RemoteSPAttachResponseBuilder {
    /// `*pphContext`.
    pub pph_context: ContextHandle,
    /// The return value.
    pub return_value: i32,
}

impl RemoteSPAttachResponseBuilder {
    /// The stub.
    pub fn encode(&self, syntax: Syntax) -> Vec<u8> {
        let mut w = NdrWriter::new(syntax);
        w.context_handle(&self.pph_context).i32(self.return_value);
        w.into_bytes()
    }
}

/// The RemoteSPEventProc request stub (3.3.4.2): `phContext`, `pBuffer` (max = actual =
/// `lSize`), `lSize`.
///
/// NDR20: CTX, three `u32` counts at 20, data at 32, padding to 4, `long`. NDR64: CTX, 4 bytes
/// of padding, three `u64` counts at 24, data at 48, padding to 4, `long`.
///
/// The view is the checked stub and `lSize` (max = actual = `lSize`, offset 0); the handle and
/// `pBuffer` are read from the stub when asked for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct RemoteSPEventProcRequest<'a> {
    syntax: Syntax,
    stub: &'a [u8],
    l_size: i32,
}

impl fmt::Debug for RemoteSPEventProcRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RemoteSPEventProcRequest")
            .field("syntax", &self.syntax)
            .field("ph_context", &self.ph_context())
            .field("p_buffer", &self.p_buffer())
            .field("l_size", &self.l_size)
            .finish()
    }
}

view_common!(
    RemoteSPEventProcRequest,
    RemoteSPEventProc,
    Request,
    RemoteSPEventProcRequestBuilder
);

impl<'a> RemoteSPEventProcRequest<'a> {
    /// Reads and checks the stub: a non-nil handle, offset 0, actual ≤ max, `lSize`
    /// non-negative, max = actual = `lSize`, nothing left over.
    #[inline]
    pub fn decode(syntax: Syntax, stub: &'a [u8]) -> Result<Self, NdrError> {
        Self::read(syntax, stub).map(|(v, _)| v)
    }

    /// The view and the padding skipped.
    fn read(syntax: Syntax, stub: &'a [u8]) -> Result<(Self, PadLog), NdrError> {
        let mut r = NdrReader::new("RemoteSPEventProc", syntax, stub);
        r.in_context_handle("phContext")?;
        let p_buffer = r.conformant_varying("pBuffer")?;
        let l_size = r.i32("lSize")?;
        non_negative(&r, "lSize", last_long(&r), l_size)?;
        max_is(&r, "pBuffer", &p_buffer, "lSize", l_size)?;
        actual_is(&r, "pBuffer", &p_buffer, "lSize", l_size)?;
        r.finish()?;
        Ok((
            RemoteSPEventProcRequest {
                syntax,
                stub,
                l_size,
            },
            r.pads(),
        ))
    }

    /// `phContext`.
    pub fn ph_context(&self) -> ContextHandle {
        context_handle_at_start(self.stub)
    }

    /// `pBuffer`: the ASYNCEVENTMSGs.
    #[inline]
    pub fn p_buffer(&self) -> ConformantVarying<'a> {
        let at = array_after_handle(self.syntax);
        let data_at = at + 3 * self.syntax.count_size();
        let n = self.l_size as u32 as u64;
        let data = self
            .stub
            .get(data_at..data_at.saturating_add(n as usize))
            .unwrap_or_default();
        ConformantVarying::checked(self.syntax, at, n, n, data)
    }

    /// `lSize`.
    pub const fn l_size(&self) -> i32 {
        self.l_size
    }

    /// `pBuffer` as an event buffer (2.2.5.1, the framing rules of 3.3.4.2), without copying.
    pub fn events(&self) -> Result<EventBuffer<'a>, EventError> {
        EventBuffer::with_l_size(self.p_buffer().bytes(), self.l_size)
    }

    /// A builder that encodes to these exact bytes.
    pub fn to_builder(&self) -> RemoteSPEventProcRequestBuilder {
        let b = &self.p_buffer();
        let len = b.bytes().len();
        let (_, derived_max) = size_default(Some(self.l_size), len);
        RemoteSPEventProcRequestBuilder {
            ph_context: self.ph_context(),
            p_buffer: b.bytes().to_vec(),
            l_size: (self.l_size != len_i32(len)).then_some(self.l_size),
            p_buffer_counts: Counts::of(
                b.max_count,
                b.offset,
                b.actual_count,
                derived_max,
                len as u64,
            ),
            padding: pads_of(Self::read(self.syntax, self.stub)),
        }
    }
}

/// Builds a RemoteSPEventProc request stub (3.3.4.2).
///
/// Derived values: `lSize` = the length of `p_buffer`; max count = `lSize` (or the length, if
/// `lSize` is negative); actual count = the length.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(default))]
pub struct RemoteSPEventProcRequestBuilder {
    /// `phContext`.
    pub ph_context: ContextHandle,
    /// The bytes of `pBuffer` (ASYNCEVENTMSGs).
    pub p_buffer: Vec<u8>,
    /// `lSize`, if not the length of `p_buffer`.
    pub l_size: Option<i32>,
    /// Overrides of `pBuffer`'s counts.
    pub p_buffer_counts: Counts,
    /// Padding bytes in wire order (missing ones are zero).
    pub padding: Vec<u8>,
}

impl RemoteSPEventProcRequestBuilder {
    /// A request carrying `p_buffer` with derived sizes.
    pub fn new(ph_context: ContextHandle, p_buffer: &[u8]) -> Self {
        RemoteSPEventProcRequestBuilder {
            ph_context,
            p_buffer: p_buffer.to_vec(),
            ..Default::default()
        }
    }

    /// The stub.
    pub fn encode(&self, syntax: Syntax) -> Vec<u8> {
        let len = self.p_buffer.len();
        let (l_size, max) = size_default(self.l_size, len);
        let c = &self.p_buffer_counts;
        let mut w = NdrWriter::with_padding(syntax, &self.padding);
        w.context_handle(&self.ph_context)
            .conformant_varying(
                c.max.unwrap_or(max),
                c.offset.unwrap_or(0),
                c.actual.unwrap_or(len as u64),
                &self.p_buffer,
            )
            .i32(l_size);
        w.into_bytes()
    }
}

// ---------------------------------------------------------------------------------------------
// Any of the twelve.

/// Declares [`Stub`] and [`StubBuilder`] over the twelve views and builders.
macro_rules! stubs {
    ($( $variant:ident($view:ident, $builder:ident) = $method:ident, $dir:ident; )*) => {
        /// Any of the twelve stubs, decoded.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Stub<'a> {
            $(
                #[doc = concat!("A [`", stringify!($view), "`].")]
                $variant($view<'a>),
            )*
        }

        /// A builder for any of the twelve stubs.
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        pub enum StubBuilder {
            $(
                #[doc = concat!("A [`", stringify!($builder), "`].")]
                $variant($builder),
            )*
        }

        /// Reads the stub of `method` travelling in `direction`, encoded in `syntax`, with the
        /// strict checks of [MS-TRP] 3.1.4 and 3.3.4. Never panics, allocates or copies.
        pub fn decode<'a>(
            method: Method,
            direction: Direction,
            syntax: Syntax,
            stub: &'a [u8],
        ) -> Result<Stub<'a>, NdrError> {
            match (method, direction) {
                $( (Method::$method, Direction::$dir) => $view::decode(syntax, stub).map(Stub::$variant), )*
            }
        }

        impl<'a> Stub<'a> {
            /// The method.
            pub const fn method(&self) -> Method {
                match self { $( Stub::$variant(_) => Method::$method, )* }
            }

            /// The direction.
            pub const fn direction(&self) -> Direction {
                match self { $( Stub::$variant(_) => Direction::$dir, )* }
            }

            /// The transfer syntax it was decoded in.
            pub const fn syntax(&self) -> Syntax {
                match self { $( Stub::$variant(v) => v.syntax(), )* }
            }

            /// The stub's bytes.
            pub const fn as_bytes(&self) -> &'a [u8] {
                match self { $( Stub::$variant(v) => v.as_bytes(), )* }
            }

            /// A builder that encodes to these exact bytes.
            pub fn to_builder(&self) -> StubBuilder {
                match self { $( Stub::$variant(v) => StubBuilder::$variant(v.to_builder()), )* }
            }
        }

        impl StubBuilder {
            /// A builder with default (zero) values for `method` and `direction`.
            pub fn new(method: Method, direction: Direction) -> StubBuilder {
                match (method, direction) {
                    $( (Method::$method, Direction::$dir) => StubBuilder::$variant($builder::default()), )*
                }
            }

            /// The method.
            pub const fn method(&self) -> Method {
                match self { $( StubBuilder::$variant(_) => Method::$method, )* }
            }

            /// The direction.
            pub const fn direction(&self) -> Direction {
                match self { $( StubBuilder::$variant(_) => Direction::$dir, )* }
            }

            /// The stub in `syntax`.
            pub fn encode(&self, syntax: Syntax) -> Vec<u8> {
                match self { $( StubBuilder::$variant(b) => b.encode(syntax), )* }
            }
        }

        $(
            impl From<$builder> for StubBuilder {
                fn from(b: $builder) -> StubBuilder {
                    StubBuilder::$variant(b)
                }
            }
        )*
    };
}

stubs! {
    ClientAttachRequest(ClientAttachRequest, ClientAttachRequestBuilder) = ClientAttach, Request;
    ClientAttachResponse(ClientAttachResponse, ClientAttachResponseBuilder) = ClientAttach, Response;
    ClientRequestRequest(ClientRequestRequest, ClientRequestRequestBuilder) = ClientRequest, Request;
    ClientRequestResponse(ClientRequestResponse, ClientRequestResponseBuilder) = ClientRequest, Response;
    ClientDetachRequest(ClientDetachRequest, ClientDetachRequestBuilder) = ClientDetach, Request;
    ClientDetachResponse(ClientDetachResponse, ClientDetachResponseBuilder) = ClientDetach, Response;
    RemoteSPAttachRequest(RemoteSPAttachRequest, RemoteSPAttachRequestBuilder) = RemoteSPAttach, Request;
    RemoteSPAttachResponse(RemoteSPAttachResponse, RemoteSPAttachResponseBuilder) = RemoteSPAttach, Response;
    RemoteSPEventProcRequest(RemoteSPEventProcRequest, RemoteSPEventProcRequestBuilder) = RemoteSPEventProc, Request;
    RemoteSPEventProcResponse(RemoteSPEventProcResponse, RemoteSPEventProcResponseBuilder) = RemoteSPEventProc, Response;
    RemoteSPDetachRequest(RemoteSPDetachRequest, RemoteSPDetachRequestBuilder) = RemoteSPDetach, Request;
    RemoteSPDetachResponse(RemoteSPDetachResponse, RemoteSPDetachResponseBuilder) = RemoteSPDetach, Response;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_method_order() {
        for (i, m) in Method::ALL.into_iter().enumerate() {
            assert_eq!(METHODS[i].method, m);
            assert_eq!(Method::lookup(m.interface(), m.opnum()), Some(m));
            assert_eq!(m.name().parse::<Method>(), Ok(m));
            assert!(m.desc().idl.contains(m.name()));
            for p in m
                .params(Direction::Request)
                .iter()
                .chain(m.params(Direction::Response))
            {
                assert!(*p == "return_value" || m.desc().idl.contains(p), "{p}");
            }
        }
        assert_eq!(Method::lookup(Interface::Tapsrv, 3), None);
    }

    #[test]
    fn interfaces_parse_from_name_and_uuid() {
        assert_eq!("tapsrv".parse(), Ok(Interface::Tapsrv));
        assert_eq!(
            "2f5f6521-ca47-1068-b319-00dd010662db".parse(),
            Ok(Interface::Remotesp)
        );
        assert_eq!(Interface::from_syntax_id(&TAPSRV), Some(Interface::Tapsrv));
        assert!(
            "2f5f6521-cb55-1059-b446-00df0bce31db"
                .parse::<Interface>()
                .is_err()
        );
        assert_eq!(Interface::Remotesp.methods().count(), 3);
    }
}
