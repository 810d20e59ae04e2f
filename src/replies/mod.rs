//! Replies: the ClientRequest buffer after the server has answered (3.1.4.2).
//!
//! pBuffer is `[in, out]`: the server overwrites `Req_Func` with `Ack_ReturnValue` and fills
//! the output fields of the same TAPI32_MSG. What a field means in the reply is derived from
//! the request catalogue's roles, so nothing here is written per packet:
//!
//! * [`Role::OutSize`] (e.g. GetDevCaps.lpLineDevCaps): the size of the client's buffer in the
//!   request, **the offset in VarData of the returned structure** in the reply
//!   ([`ReplyRole::Structure`], resolved with [`VarData::structure`]);
//! * [`Role::OutOffset`] (e.g. NegotiateAPIVersion.ExtensionID): filled by the server with the
//!   offset of data whose size is in the partner field ([`ReplyRole::Data`], resolved with
//!   [`VarData::bytes`]);
//! * handles and counts the server fills ([`ReplyRole::Filled`]): Initialize.hLineApp and
//!   dwNumDevs, Open.hLine, the `lpdw...` result DWORDs, ... (the table [`FILLED`] and the
//!   `lpdw` prefix, since the catalogue does not mark them);
//! * everything else is echoed from the request ([`ReplyRole::Echo`]).
//!
//! The return value is classified per function by [`ReturnValue::classify`]: 0 is success, a
//! positive value is the request id of a function that completes asynchronously, anything
//! else is a LINEERR_/PHONEERR_/TAPIERR_ code (2.2.3 values; see spec-notes/replies.md).

use alloc::vec::Vec;

use bytes::{BufMut, BytesMut};
use zerocopy::IntoBytes;

use crate::encoding::{dword_align, put_packet};
use crate::errors::{DecodeError, ErrorCode};
use crate::handles::{RequestId, Version};
use crate::header::HEADER_LEN as PACKET_HEADER_LEN;
use crate::header::{HEADER_DWORDS, Tapi32Msg};
use crate::requests::{Completion, FieldDesc, FuncId, PacketDesc, Role};
use crate::vardata::{ABSENT, Align, Origin, VarData};

pub mod views;

/// The meaning of `Ack_ReturnValue` for one function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum ReturnValue {
    /// `TAPI_SUCCESS` (0): the function completed.
    Success,
    /// A positive request id: the function completes asynchronously (its packet has
    /// `dwRequestID`); the result arrives in a LINE_REPLY/PHONE_REPLY event.
    RequestId(RequestId),
    /// A documented failure code.
    Error(ErrorCode),
    /// A value that is none of the above for this function.
    Unknown(u32),
}

impl ReturnValue {
    /// Classifies `value` as the return value of `func`.
    pub fn classify(func: FuncId, value: u32) -> ReturnValue {
        if value == 0 {
            return ReturnValue::Success;
        }
        if func.desc().completion == Completion::Async && value <= 0x7FFF_FFFF {
            return ReturnValue::RequestId(RequestId(value));
        }
        match ErrorCode::from_u32(value) {
            Some(code) => ReturnValue::Error(code),
            None => ReturnValue::Unknown(value),
        }
    }

    /// The wire value.
    pub fn value(self) -> u32 {
        match self {
            ReturnValue::Success => 0,
            ReturnValue::RequestId(id) => id.0,
            ReturnValue::Error(code) => code.value(),
            ReturnValue::Unknown(v) => v,
        }
    }

    /// `"success"`, `"request_id"`, the error constant's name, or `"unknown"`, as
    /// `trp decode --as reply --json` prints it in `"result"`.
    pub fn result_name(self) -> &'static str {
        match self {
            ReturnValue::Success => "success",
            ReturnValue::RequestId(_) => "request_id",
            ReturnValue::Error(code) => code.name(),
            ReturnValue::Unknown(_) => "unknown",
        }
    }
}

/// What a fixed DWORD means in the reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum ReplyRole {
    /// `Ack_ReturnValue`.
    ReturnValue,
    /// The offset in VarData of a returned structure (request role [`Role::OutSize`]).
    Structure {
        /// The structure's name in 2.2.6.
        name: &'static str,
    },
    /// The offset in VarData of returned data whose size is in field `size`.
    Data {
        /// Index of the size field.
        size: usize,
    },
    /// A handle or value the server fills in.
    Filled,
    /// The request's value, echoed.
    Echo,
}

/// Fields the server fills that the catalogue does not mark (besides the `lpdw...` result
/// DWORDs): (function, field).
pub static FILLED: &[(FuncId, &str)] = &[
    (FuncId::LineInitialize, "hLineApp"),
    (FuncId::LineInitialize, "dwNumDevs"),
    (FuncId::PhoneInitialize, "hPhoneApp"),
    (FuncId::PhoneInitialize, "dwNumDevs"),
    (FuncId::LineNegotiateAPIVersion, "dwNegotiatedVersion"),
    (FuncId::PhoneNegotiateAPIVersion, "dwNegotiatedVersion"),
    (FuncId::LineOpen, "hLine"),
    (FuncId::PhoneOpen, "hPhone"),
    (FuncId::GetUIDllName, "htDlgInst"),
    (FuncId::GetAsyncEvents, "dwNeededBufferSize"),
    (FuncId::GetAsyncEvents, "dwUsedBufferSize"),
];

/// The reply role of field `index` of `desc`.
pub fn reply_role(desc: &PacketDesc, index: usize) -> ReplyRole {
    let f: &FieldDesc = &desc.fields[index];
    match f.role {
        Role::ReqFunc => ReplyRole::ReturnValue,
        Role::OutSize { structure } => ReplyRole::Structure { name: structure },
        Role::OutOffset { size } => ReplyRole::Data { size },
        _ if f.name.starts_with("lpdw")
            || FILLED
                .iter()
                .any(|(func, n)| *func == desc.func && *n == f.name) =>
        {
            ReplyRole::Filled
        }
        _ => ReplyRole::Echo,
    }
}

/// A reply buffer viewed as the answer to `func`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reply<'a> {
    func: FuncId,
    msg: &'a Tapi32Msg,
    var: VarData<'a>,
}

/// One output of a reply, resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Output<'a> {
    /// The function's Rust name (e.g. `LineGetDevCaps`), for error context.
    pub packet: &'static str,
    /// The field's index.
    pub index: usize,
    /// The field's description (spec name).
    pub field: &'static FieldDesc,
    /// Its reply role.
    pub role: ReplyRole,
    /// The DWORD.
    pub raw: u32,
    /// For [`ReplyRole::Structure`] and [`ReplyRole::Data`], the bytes it points at
    /// (`Ok(None)` for 0xFFFFFFFF); `Ok(None)` for the other roles.
    pub data: Result<Option<&'a [u8]>, DecodeError>,
}

impl<'a> Output<'a> {
    /// For [`ReplyRole::Structure`], the returned structure decoded as its 2.2.6 type (e.g.
    /// `AnyStructure::LINEDEVCAPS` for GetDevCaps), its version guessed from its sizes;
    /// `Ok(None)` for other roles and for 0xFFFFFFFF. Every item of the structure's variable
    /// part is resolved once here, and a failure inside it names this reply field as
    /// [`DecodeError::within`].
    pub fn structure(&self) -> Result<Option<crate::structures::AnyStructure<'a>>, DecodeError> {
        self.structure_in(None)
    }

    /// Like [`Output::structure`], reading exactly the fixed part and entry sizes that the
    /// negotiated TAPI `version` defines (a 2.0 server's LINEDEVCAPS read by a 2.0 client).
    pub fn structure_with(
        &self,
        version: Version,
    ) -> Result<Option<crate::structures::AnyStructure<'a>>, DecodeError> {
        self.structure_in(Some(version))
    }

    fn structure_in(
        &self,
        version: Option<Version>,
    ) -> Result<Option<crate::structures::AnyStructure<'a>>, DecodeError> {
        match (self.role, self.data) {
            (ReplyRole::Structure { name }, Ok(Some(bytes))) => {
                crate::structures::decode_checked(name, bytes, version)
                    .transpose()
                    .map_err(|e| {
                        e.within(Origin {
                            packet: self.packet,
                            field: self.field.name,
                            offset: self.field.offset,
                        })
                    })
            }
            (_, Err(e)) => Err(e),
            _ => Ok(None),
        }
    }
}

impl<'a> Reply<'a> {
    /// Views `bytes` as the reply to `func`. Fails only if `bytes` is shorter than the 60-byte
    /// fixed part.
    pub fn parse(func: FuncId, bytes: &'a [u8]) -> Result<Reply<'a>, DecodeError> {
        let (msg, var) = Tapi32Msg::split(bytes)?;
        Ok(Reply { func, msg, var })
    }

    /// The function this is the reply to.
    pub fn func(&self) -> FuncId {
        self.func
    }

    /// The request packet's description.
    pub fn desc(&self) -> &'static PacketDesc {
        self.func.desc()
    }

    /// `Ack_ReturnValue`, classified.
    pub fn return_value(&self) -> ReturnValue {
        ReturnValue::classify(self.func, self.msg.req_func.get())
    }

    /// The fifteen DWORDs.
    pub fn dwords(&self) -> [u32; HEADER_DWORDS] {
        self.msg.dwords()
    }

    /// VarData.
    pub fn var_data(&self) -> VarData<'a> {
        self.var
    }

    /// The DWORD called `name` (spec spelling).
    pub fn get(&self, name: &str) -> Option<u32> {
        self.desc().field(name).map(|(i, _)| self.dwords()[i])
    }

    /// Field `index` with its reply meaning, resolved through [`VarData`].
    pub fn output(&self, index: usize) -> Option<Output<'a>> {
        let field = self.desc().fields.get(index)?;
        Some(self.make_output(index, field))
    }

    /// Field `I` with its reply meaning; the index is checked at compile time (the typed
    /// views of [`views`] use this).
    pub fn output_at<const I: usize>(&self) -> Output<'a> {
        const { assert!(I < HEADER_DWORDS) };
        self.make_output(I, &self.desc().fields[I])
    }

    fn make_output(&self, index: usize, field: &'static FieldDesc) -> Output<'a> {
        let desc = self.desc();
        let dwords = self.dwords();
        let raw = dwords[index];
        let role = reply_role(desc, index);
        let at = Origin {
            packet: desc.ident,
            field: field.name,
            offset: field.offset,
        };
        let data = match role {
            ReplyRole::Structure { .. } => self.var.structure(at, raw, Align::Dword),
            ReplyRole::Data { size } => self.var.bytes(at, raw, dwords[size], Align::Dword),
            _ => Ok(None),
        };
        Output {
            packet: desc.ident,
            index,
            field,
            role,
            raw,
            data,
        }
    }

    /// The output called `name`.
    pub fn output_named(&self, name: &str) -> Option<Output<'a>> {
        self.desc().field(name).and_then(|(i, _)| self.output(i))
    }

    /// Every field, with its reply meaning.
    pub fn outputs(&self) -> impl Iterator<Item = Output<'a>> + '_ {
        (0..HEADER_DWORDS).filter_map(|i| self.output(i))
    }

    /// Appends the reply's bytes exactly as parsed.
    pub fn encode(&self, out: &mut BytesMut) {
        out.put_slice(self.msg.as_bytes());
        out.put_slice(self.var.as_bytes());
    }

    /// A builder holding this reply's values and resolved outputs. Fails on the first output
    /// reference that does not resolve.
    pub fn to_builder(&self) -> Result<ReplyBuilder, DecodeError> {
        let mut b = ReplyBuilder::new(self.func);
        b.dwords = self.dwords();
        b.min_var_len = self.var.len();
        for o in self.outputs() {
            if matches!(o.role, ReplyRole::Structure { .. } | ReplyRole::Data { .. }) {
                b.outputs[o.index] = Some(o.data?.map(<[u8]>::to_vec));
            }
        }
        Ok(b)
    }
}

/// A reply under construction: the return value, the fixed DWORDs, and the outputs laid out
/// in VarData (DWORD-aligned, in field order) with their offsets (and, for
/// [`ReplyRole::Data`], sizes) filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyBuilder {
    func: FuncId,
    dwords: [u32; HEADER_DWORDS],
    outputs: [Option<Option<Vec<u8>>>; HEADER_DWORDS],
    min_var_len: usize,
}

impl ReplyBuilder {
    /// A reply to `func`: success, every other DWORD zero.
    pub fn new(func: FuncId) -> Self {
        ReplyBuilder {
            func,
            dwords: [0; HEADER_DWORDS],
            outputs: Default::default(),
            min_var_len: 0,
        }
    }

    /// Starts from the request's DWORDs (the server answers in the same buffer).
    pub fn from_request_dwords(func: FuncId, dwords: [u32; HEADER_DWORDS]) -> Self {
        let mut b = ReplyBuilder::new(func);
        b.dwords = dwords;
        b.dwords[0] = 0;
        b
    }

    /// Sets `Ack_ReturnValue`.
    pub fn return_value(mut self, v: ReturnValue) -> Self {
        self.dwords[0] = v.value();
        self
    }

    /// Sets the DWORD called `name` (ignored if the packet has no such field).
    pub fn set(mut self, name: &str, v: u32) -> Self {
        if let Some((i, _)) = self.func.desc().field(name) {
            self.dwords[i] = v;
            self.outputs[i] = None;
        }
        self
    }

    /// Gives the output field `name` (a returned structure or data block) its bytes, or
    /// `None` for 0xFFFFFFFF. Ignored for other fields.
    pub fn output(mut self, name: &str, data: Option<&[u8]>) -> Self {
        let desc = self.func.desc();
        if let Some((i, _)) = desc.field(name) {
            if matches!(
                reply_role(desc, i),
                ReplyRole::Structure { .. } | ReplyRole::Data { .. }
            ) {
                self.outputs[i] = Some(data.map(<[u8]>::to_vec));
            }
        }
        self
    }

    /// Makes VarData at least `len` bytes (rounded up to whole DWORDs).
    pub fn var_data_len(mut self, len: usize) -> Self {
        self.min_var_len = len;
        self
    }

    fn layout(&self) -> ([u32; HEADER_DWORDS], usize) {
        let desc = self.func.desc();
        let mut d = self.dwords;
        let mut cursor = 0usize;
        for (i, o) in self.outputs.iter().enumerate() {
            match o {
                None => {}
                Some(None) => d[i] = ABSENT,
                Some(Some(bytes)) => {
                    d[i] = u32::try_from(cursor).unwrap_or(ABSENT);
                    if let ReplyRole::Data { size } = reply_role(desc, i) {
                        d[size] = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
                    }
                    cursor = dword_align(cursor.saturating_add(bytes.len()));
                }
            }
        }
        (d, dword_align(cursor.max(self.min_var_len)))
    }

    /// Appends the encoded reply to `out`.
    pub fn encode(&self, out: &mut BytesMut) {
        let (d, var_len) = self.layout();
        out.reserve(PACKET_HEADER_LEN + var_len);
        put_packet(
            out,
            &d,
            var_len,
            self.outputs.iter().flatten().flatten(),
            |out, b| out.put_slice(b),
        );
    }

    /// The encoded reply.
    pub fn to_bytes(&self) -> BytesMut {
        let mut out = BytesMut::new();
        self.encode(&mut out);
        out
    }
}

/// Parses a reply, failing also when an output reference does not resolve (every
/// [`ReplyRole::Structure`]/[`ReplyRole::Data`] field is checked).
pub fn parse_strict(func: FuncId, bytes: &[u8]) -> Result<Reply<'_>, DecodeError> {
    let r = Reply::parse(func, bytes)?;
    for o in r.outputs() {
        o.data?;
    }
    Ok(r)
}
