//! The JSON model of the RPC layer: a method's stub (`trp decode --as rpc`, `trp encode`) and
//! the PDUs of a byte stream (`trp decode --as pdu`).
//!
//! A stub is `{"kind":"rpc","interface":"tapsrv","method":"ClientRequest","opnum":1,
//! "direction":"request","syntax":"NDR20","params":{...}}`, its parameters named exactly as
//! the IDL of [MS-TRP] section 6 names them (`return_value` for the `long` a method returns).
//! Context handles are 40 hex digits, strings JSON strings, integers numbers; a byte array
//! (`pBuffer`) is its three counts, its bytes in hex and what they decode to: the TAPI32_MSG
//! request (`tapi32_msg`), the reply to it (`reply`), or the events (`events`).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::{ErrorJson, EventsJson, ReplyJson, RequestJson, hex, unhex};
use crate::handles::Version;
use crate::requests::FuncId;
use crate::rpc::association::StubInfo;
use crate::rpc::methods::{
    self, ClientAttachRequestBuilder, ClientAttachResponseBuilder, ClientDetachRequestBuilder,
    ClientDetachResponseBuilder, ClientRequestRequestBuilder, ClientRequestResponseBuilder, Counts,
    Direction, Interface, Method, RemoteSPAttachResponseBuilder, RemoteSPDetachRequestBuilder,
    RemoteSPDetachResponseBuilder, RemoteSPEventProcRequestBuilder, Stub, StubBuilder, WStrBuilder,
};
use crate::rpc::ndr::{ConformantVarying, ContextHandle, NdrError, Syntax, WStr};
use crate::rpc::pdu::{Pdu, PduBody, PduError};

/// A `[string] wchar_t*`: its text, or, when the units are not text (an unpaired surrogate,
/// an embedded NUL), the units themselves with the terminating NUL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum WStrJson {
    /// The text, sent with a terminating NUL.
    Text(String),
    /// The exact UTF-16 units sent, NUL included.
    Units {
        /// The units.
        units: Vec<u16>,
    },
}

impl WStrJson {
    pub(crate) fn from_wstr(s: &WStr<'_>) -> WStrJson {
        let text = s.to_string_lossy();
        let wire: Vec<u16> = s.units_with_nul().collect();
        let again: Vec<u16> = text.encode_utf16().chain([0]).collect();
        if wire == again {
            WStrJson::Text(text)
        } else {
            WStrJson::Units { units: wire }
        }
    }

    fn to_builder(&self) -> WStrBuilder {
        match self {
            WStrJson::Text(t) => WStrBuilder::new(t),
            WStrJson::Units { units } => WStrBuilder {
                units: Some(units.clone()),
                ..WStrBuilder::default()
            },
        }
    }
}

/// A conformant-varying byte array (`pBuffer`): counts, bytes, and what the bytes are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BufferJson {
    /// `max_count` (the capacity, `size_is`).
    pub max_count: u64,
    /// `offset` (0).
    pub offset: u64,
    /// `actual_count` (the bytes sent, `length_is`).
    pub actual_count: u64,
    /// The `actual_count` bytes, in hex.
    pub hex: String,
    /// ClientRequest request: the TAPI32_MSG decoded as `trp decode --as request` does.
    #[serde(default, skip_serializing_if = "Option::is_none", skip_deserializing)]
    pub tapi32_msg: Option<RequestJson>,
    /// ClientRequest response: the reply, decoded as `trp decode --as reply` does, when the
    /// request (and so its `Req_Func`) is known.
    #[serde(default, skip_serializing_if = "Option::is_none", skip_deserializing)]
    pub reply: Option<ReplyJson>,
    /// RemoteSPEventProc: the ASYNCEVENTMSG buffer, as `trp decode --as events` does.
    #[serde(default, skip_serializing_if = "Option::is_none", skip_deserializing)]
    pub events: Option<EventsJson>,
    /// Why the bytes do not decode as what they should be.
    #[serde(default, skip_serializing_if = "Option::is_none", skip_deserializing)]
    pub error: Option<ErrorJson>,
}

impl BufferJson {
    fn from_array(a: &ConformantVarying<'_>) -> BufferJson {
        BufferJson {
            max_count: a.max_count,
            offset: a.offset,
            actual_count: a.actual_count,
            hex: hex(a.bytes()),
            tapi32_msg: None,
            reply: None,
            events: None,
            error: None,
        }
    }

    fn counts(&self) -> Counts {
        Counts {
            max: Some(self.max_count),
            offset: Some(self.offset),
            actual: Some(self.actual_count),
        }
    }

    fn bytes(&self) -> Result<Vec<u8>, RpcJsonError> {
        unhex(&self.hex).map_err(|e| RpcJsonError::Invalid(format!("pBuffer.hex: {e}")))
    }
}

/// The parameters of a stub, named as in the IDL; those a stub does not have are absent.
/// The order is the IDL's for every method.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamsJson {
    /// `*pphContext` (ClientAttach and RemoteSPAttach responses, both detaches).
    #[serde(
        rename = "pphContext",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub pph_context: Option<ContextHandle>,
    /// `phContext` (ClientRequest, RemoteSPEventProc).
    #[serde(rename = "phContext", default, skip_serializing_if = "Option::is_none")]
    pub ph_context: Option<ContextHandle>,
    /// `lProcessID` (ClientAttach request).
    #[serde(
        rename = "lProcessID",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub l_process_id: Option<i32>,
    /// `*phAsyncEventsEvent` (ClientAttach response).
    #[serde(
        rename = "phAsyncEventsEvent",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub ph_async_events_event: Option<i32>,
    /// `pszDomainUser` (ClientAttach request).
    #[serde(
        rename = "pszDomainUser",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub psz_domain_user: Option<WStrJson>,
    /// `pszMachine` (ClientAttach request).
    #[serde(
        rename = "pszMachine",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub psz_machine: Option<WStrJson>,
    /// `pBuffer` (ClientRequest, RemoteSPEventProc request).
    #[serde(rename = "pBuffer", default, skip_serializing_if = "Option::is_none")]
    pub p_buffer: Option<BufferJson>,
    /// `lNeededSize` (ClientRequest request).
    #[serde(
        rename = "lNeededSize",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub l_needed_size: Option<i32>,
    /// `*plUsedSize` (ClientRequest).
    #[serde(
        rename = "plUsedSize",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub pl_used_size: Option<i32>,
    /// `lSize` (RemoteSPEventProc request).
    #[serde(rename = "lSize", default, skip_serializing_if = "Option::is_none")]
    pub l_size: Option<i32>,
    /// The `long` ClientAttach and RemoteSPAttach return.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_value: Option<i32>,
}

/// A method's stub as JSON: what `trp decode --as rpc --json` prints and `trp encode` reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RpcJson {
    /// Always `"rpc"`.
    pub kind: String,
    /// `tapsrv` or `remotesp`.
    pub interface: String,
    /// The method's IDL name.
    pub method: String,
    /// Its opnum.
    pub opnum: u16,
    /// `request` or `response`.
    pub direction: String,
    /// `NDR20` (the default when encoding) or `NDR64`.
    #[serde(default = "ndr20")]
    pub syntax: String,
    /// The parameters.
    pub params: ParamsJson,
    /// The alignment padding bytes, in hex, when any is not zero (absent: zeros).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub padding: Option<String>,
}

fn ndr20() -> String {
    Syntax::Ndr20.name().into()
}

/// What the caller knows about the call a stub belongs to, for decoding `pBuffer`.
#[derive(Debug, Clone, Copy, Default)]
pub struct CallContext {
    /// The `Req_Func` of the ClientRequest a response answers.
    pub req_func: Option<u32>,
    /// The request's `lNeededSize`, which a response's `max_count` must equal.
    pub l_needed_size: Option<i32>,
    /// The TAPI version negotiated, for the structures of a reply.
    pub api_version: Option<Version>,
}

impl From<&StubInfo> for CallContext {
    fn from(i: &StubInfo) -> CallContext {
        CallContext {
            req_func: i.req_func,
            l_needed_size: i.l_needed_size,
            api_version: None,
        }
    }
}

impl RpcJson {
    /// Describes a decoded stub; `call` says what the request was, for a response.
    pub fn from_stub(stub: &Stub<'_>, call: CallContext) -> RpcJson {
        let method = stub.method();
        let mut p = ParamsJson::default();
        let mut pads: Vec<u8> = Vec::new();
        match stub {
            Stub::ClientAttachRequest(s) => {
                p.l_process_id = Some(s.l_process_id());
                p.psz_domain_user = Some(WStrJson::from_wstr(&s.psz_domain_user()));
                p.psz_machine = Some(WStrJson::from_wstr(&s.psz_machine()));
                pads = s.to_builder().padding;
            }
            Stub::ClientAttachResponse(s) => {
                p.pph_context = Some(s.pph_context());
                p.ph_async_events_event = Some(s.ph_async_events_event());
                p.return_value = Some(s.return_value());
            }
            Stub::ClientRequestRequest(s) => {
                p.ph_context = Some(s.ph_context());
                let mut b = BufferJson::from_array(&s.p_buffer());
                match s.tapi32_msg() {
                    Ok(r) => b.tapi32_msg = Some(RequestJson::from_request(&r)),
                    Err(e) => b.error = Some((&e).into()),
                }
                p.p_buffer = Some(b);
                p.l_needed_size = Some(s.l_needed_size());
                p.pl_used_size = Some(s.pl_used_size());
                pads = s.to_builder().padding;
            }
            Stub::ClientRequestResponse(s) => {
                let mut b = BufferJson::from_array(&s.p_buffer());
                if let Some(needed) = call.l_needed_size {
                    if let Err(e) = s.check_l_needed_size(needed) {
                        b.error = Some(ndr_error_json(&e));
                    }
                }
                if b.error.is_none() {
                    match call.req_func.map(|f| (f, FuncId::from_u32(f))) {
                        Some((_, Some(func))) => match s.reply(func) {
                            Ok(r) => {
                                b.reply = Some(ReplyJson::from_reply_with(&r, call.api_version))
                            }
                            Err(e) => b.error = Some((&e).into()),
                        },
                        Some((f, None)) => b.error = Some(unknown_function_error(f)),
                        None => {}
                    }
                }
                p.p_buffer = Some(b);
                p.pl_used_size = Some(s.pl_used_size());
                pads = s.to_builder().padding;
            }
            Stub::ClientDetachRequest(s) => p.pph_context = Some(s.pph_context()),
            Stub::ClientDetachResponse(s) => p.pph_context = Some(s.pph_context()),
            Stub::RemoteSPAttachRequest(_) | Stub::RemoteSPEventProcResponse(_) => {}
            Stub::RemoteSPAttachResponse(s) => {
                p.pph_context = Some(s.pph_context());
                p.return_value = Some(s.return_value());
            }
            Stub::RemoteSPEventProcRequest(s) => {
                p.ph_context = Some(s.ph_context());
                let mut b = BufferJson::from_array(&s.p_buffer());
                b.events = Some(EventsJson::from_bytes(s.p_buffer().bytes()));
                p.p_buffer = Some(b);
                p.l_size = Some(s.l_size());
                pads = s.to_builder().padding;
            }
            Stub::RemoteSPDetachRequest(s) => p.pph_context = Some(s.pph_context()),
            Stub::RemoteSPDetachResponse(s) => p.pph_context = Some(s.pph_context()),
        }
        RpcJson {
            kind: "rpc".into(),
            interface: method.interface().to_string(),
            method: method.to_string(),
            opnum: method.opnum(),
            direction: stub.direction().to_string(),
            syntax: stub.syntax().name().into(),
            params: p,
            padding: pads.iter().any(|&b| b != 0).then(|| hex(&pads)),
        }
    }

    /// The method, direction and syntax this JSON describes.
    pub fn target(&self) -> Result<(Method, Direction, Syntax), RpcJsonError> {
        let interface: Interface = self.interface.parse().map_err(|_| {
            RpcJsonError::Invalid(format!("unknown interface {:?}", self.interface))
        })?;
        let method: Method = self
            .method
            .parse()
            .map_err(|_| RpcJsonError::Invalid(format!("unknown method {:?}", self.method)))?;
        if method.interface() != interface || method.opnum() != self.opnum {
            return Err(RpcJsonError::Invalid(format!(
                "{} is opnum {} of {}, not opnum {} of {}",
                method,
                method.opnum(),
                method.interface(),
                self.opnum,
                interface
            )));
        }
        let direction: Direction = self.direction.parse().map_err(|_| {
            RpcJsonError::Invalid(format!("unknown direction {:?}", self.direction))
        })?;
        let syntax = Syntax::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(&self.syntax))
            .ok_or_else(|| RpcJsonError::Invalid(format!("unknown syntax {:?}", self.syntax)))?;
        Ok((method, direction, syntax))
    }

    /// The builder of the stub this JSON describes: every count and size as given, so a
    /// JSON that [`RpcJson::from_stub`] printed encodes to the same bytes.
    pub fn to_builder(&self) -> Result<(StubBuilder, Syntax), RpcJsonError> {
        let (method, direction, syntax) = self.target()?;
        let p = &self.params;
        let padding = match &self.padding {
            Some(h) => unhex(h).map_err(|e| RpcJsonError::Invalid(format!("padding: {e}")))?,
            None => Vec::new(),
        };
        let ctx =
            |v: Option<ContextHandle>, name: &'static str| v.ok_or(RpcJsonError::Missing(name));
        let int = |v: Option<i32>, name: &'static str| v.ok_or(RpcJsonError::Missing(name));
        let buffer = || p.p_buffer.as_ref().ok_or(RpcJsonError::Missing("pBuffer"));
        let b: StubBuilder = match (method, direction) {
            (Method::ClientAttach, Direction::Request) => ClientAttachRequestBuilder {
                l_process_id: int(p.l_process_id, "lProcessID")?,
                psz_domain_user: p
                    .psz_domain_user
                    .as_ref()
                    .ok_or(RpcJsonError::Missing("pszDomainUser"))?
                    .to_builder(),
                psz_machine: p
                    .psz_machine
                    .as_ref()
                    .ok_or(RpcJsonError::Missing("pszMachine"))?
                    .to_builder(),
                padding,
            }
            .into(),
            (Method::ClientAttach, Direction::Response) => ClientAttachResponseBuilder {
                pph_context: ctx(p.pph_context, "pphContext")?,
                ph_async_events_event: int(p.ph_async_events_event, "phAsyncEventsEvent")?,
                return_value: int(p.return_value, "return_value")?,
            }
            .into(),
            (Method::ClientRequest, Direction::Request) => {
                let b = buffer()?;
                ClientRequestRequestBuilder {
                    ph_context: ctx(p.ph_context, "phContext")?,
                    p_buffer: b.bytes()?,
                    l_needed_size: Some(int(p.l_needed_size, "lNeededSize")?),
                    pl_used_size: Some(int(p.pl_used_size, "plUsedSize")?),
                    p_buffer_counts: b.counts(),
                    padding,
                }
                .into()
            }
            (Method::ClientRequest, Direction::Response) => {
                let b = buffer()?;
                ClientRequestResponseBuilder {
                    p_buffer: b.bytes()?,
                    pl_used_size: Some(int(p.pl_used_size, "plUsedSize")?),
                    p_buffer_counts: b.counts(),
                    padding,
                }
                .into()
            }
            (Method::ClientDetach, Direction::Request) => ClientDetachRequestBuilder {
                pph_context: ctx(p.pph_context, "pphContext")?,
            }
            .into(),
            (Method::ClientDetach, Direction::Response) => ClientDetachResponseBuilder {
                pph_context: ctx(p.pph_context, "pphContext")?,
            }
            .into(),
            (Method::RemoteSPAttach, Direction::Response) => RemoteSPAttachResponseBuilder {
                pph_context: ctx(p.pph_context, "pphContext")?,
                return_value: int(p.return_value, "return_value")?,
            }
            .into(),
            (Method::RemoteSPEventProc, Direction::Request) => {
                let b = buffer()?;
                RemoteSPEventProcRequestBuilder {
                    ph_context: ctx(p.ph_context, "phContext")?,
                    p_buffer: b.bytes()?,
                    l_size: Some(int(p.l_size, "lSize")?),
                    p_buffer_counts: b.counts(),
                    padding,
                }
                .into()
            }
            (Method::RemoteSPDetach, Direction::Request) => RemoteSPDetachRequestBuilder {
                pph_context: ctx(p.pph_context, "pphContext")?,
            }
            .into(),
            (Method::RemoteSPDetach, Direction::Response) => RemoteSPDetachResponseBuilder {
                pph_context: ctx(p.pph_context, "pphContext")?,
            }
            .into(),
            (m @ (Method::RemoteSPAttach | Method::RemoteSPEventProc), d) => StubBuilder::new(m, d),
        };
        Ok((b, syntax))
    }

    /// The stub's bytes.
    pub fn encode(&self) -> Result<Vec<u8>, RpcJsonError> {
        let (b, syntax) = self.to_builder()?;
        Ok(b.encode(syntax))
    }
}

/// Why an [`RpcJson`] cannot be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RpcJsonError {
    /// A parameter the stub needs is absent.
    #[error("params.{0} is missing")]
    Missing(&'static str),
    /// A value is not valid.
    #[error("{0}")]
    Invalid(String),
}

/// The error of a response whose request's `Req_Func` is not documented.
pub(crate) fn unknown_function_error(f: u32) -> ErrorJson {
    ErrorJson {
        kind: "unknown_function".into(),
        packet: "TAPI32_MSG".into(),
        field: "Req_Func".into(),
        offset: 0,
        message: format!(
            "the request's Req_Func {f} is not documented, so the reply's layout is unknown"
        ),
    }
}

/// An NDR error as JSON: kind `ndr`, the method as the packet, the parameter as the field,
/// and the fault status a Windows server answers in the message.
pub fn ndr_error_json(e: &NdrError) -> ErrorJson {
    ErrorJson {
        kind: "ndr".into(),
        packet: e.method.into(),
        field: e.param.into(),
        offset: e.offset,
        message: format!("{e} (a Windows server faults with {:#x})", e.fault_status()),
    }
}

/// A PDU error as JSON.
pub fn pdu_error_json(e: &PduError, at: usize) -> ErrorJson {
    ErrorJson {
        kind: "pdu".into(),
        packet: e.pdu.into(),
        field: e.field.into(),
        offset: at.saturating_add(e.offset),
        message: e.to_string(),
    }
}

/// Decodes `stub` as `method` in `direction` and describes it, or the NDR error.
pub fn decode_stub(
    method: Method,
    direction: Direction,
    syntax: Syntax,
    stub: &[u8],
    call: CallContext,
) -> Result<RpcJson, ErrorJson> {
    methods::decode(method, direction, syntax, stub)
        .map(|s| RpcJson::from_stub(&s, call))
        .map_err(|e| ndr_error_json(&e))
}

/// One PDU of a stream, as `trp decode --as pdu` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PduJson {
    /// Its byte offset in the stream.
    pub offset: usize,
    /// The PDU type's C706 name (`request`, `bind_ack`, ...).
    #[serde(rename = "type")]
    pub ptype: String,
    /// `call_id`.
    pub call_id: u32,
    /// `pfc_flags`.
    pub flags: u8,
    /// `frag_length`.
    pub frag_length: u16,
    /// `auth_length`.
    pub auth_length: u16,
    /// request: `opnum`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opnum: Option<u16>,
    /// request, response, fault: `p_cont_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_cont_id: Option<u16>,
    /// fault: the status and its name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u32>,
    /// fault: the status's name, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_name: Option<String>,
    /// bind, alter_context: the contexts proposed (`p_cont_id`, interface and transfer
    /// syntaxes as `uuid vMAJ.MIN`); bind_ack: the results.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contexts: Vec<String>,
    /// request, response, fault: the stub, in hex.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stub: Option<String>,
    /// The stub decoded, when the interface is known from a bind earlier in the stream and
    /// the PDU is a whole call (not a fragment).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decoded: Option<RpcJson>,
    /// Why the stub does not decode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorJson>,
}

impl PduJson {
    /// Describes `pdu`, found at byte `offset` of its stream; `info` is what the association
    /// knows of its stub.
    pub fn from_pdu(pdu: &Pdu<'_>, offset: usize, info: Option<&StubInfo>) -> PduJson {
        let mut j = PduJson {
            offset,
            ptype: pdu.packet_type().to_string(),
            call_id: pdu.call_id(),
            flags: pdu.flags(),
            frag_length: pdu.frag_length(),
            auth_length: pdu.header().auth_length.get(),
            opnum: None,
            p_cont_id: None,
            status: None,
            status_name: None,
            contexts: Vec::new(),
            stub: None,
            decoded: None,
            error: None,
        };
        let stub = match pdu.body() {
            PduBody::Request(r) => {
                j.opnum = Some(r.opnum());
                j.p_cont_id = Some(r.p_cont_id());
                Some(r.stub())
            }
            PduBody::Response(r) => {
                j.p_cont_id = Some(r.p_cont_id());
                Some(r.stub())
            }
            PduBody::Fault(f) => {
                j.p_cont_id = Some(f.p_cont_id());
                j.status = Some(f.status().value());
                j.status_name = f.status().name().map(Into::into);
                Some(f.stub())
            }
            PduBody::Bind(b) | PduBody::AlterContext(b) => {
                for c in b.contexts() {
                    let ts: Vec<String> = c
                        .transfer_syntaxes()
                        .iter()
                        .map(|t| t.to_string())
                        .collect();
                    j.contexts.push(format!(
                        "{}: {} over {}",
                        c.p_cont_id(),
                        c.abstract_syntax(),
                        ts.join(", ")
                    ));
                }
                None
            }
            PduBody::BindAck(a) | PduBody::AlterContextResp(a) => {
                for (i, r) in a.results().iter().enumerate() {
                    j.contexts.push(format!(
                        "{i}: {} ({}), {}",
                        r.result(),
                        r.reason(),
                        r.transfer_syntax
                    ));
                }
                None
            }
            _ => None,
        };
        j.stub = stub.map(hex);
        let whole = pdu.is_first() && pdu.is_last();
        if let (Some(stub), Some(info), true) = (stub, info, whole) {
            if let (Some(method), Some(syntax), false) = (
                info.method,
                info.syntax(),
                matches!(pdu.body(), PduBody::Fault(_)),
            ) {
                match decode_stub(
                    method,
                    info.direction,
                    syntax,
                    stub,
                    CallContext::from(info),
                ) {
                    Ok(d) => j.decoded = Some(d),
                    Err(e) => j.error = Some(e),
                }
            }
        }
        j
    }
}

/// The PDUs of a byte stream: `{"kind":"pdus","pdus":[...],"error":null}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PdusJson {
    /// Always `"pdus"`.
    pub kind: String,
    /// The PDUs before the first that does not parse.
    pub pdus: Vec<PduJson>,
    /// The first PDU that does not parse (its offset in the stream), or `null`.
    pub error: Option<ErrorJson>,
}

impl PdusJson {
    /// Splits `bytes` into PDUs and describes each, decoding stubs of the tapsrv and
    /// remotesp contexts that a bind in the same stream established.
    pub fn from_stream(bytes: &[u8]) -> PdusJson {
        let mut association = crate::rpc::association::Association::new();
        let mut pdus = Vec::new();
        let mut error = None;
        let mut stream = crate::rpc::pdu::pdus(bytes);
        while let Some(item) = stream.next() {
            match item {
                Ok((offset, pdu)) => {
                    let info = association.classify(&pdu);
                    pdus.push(PduJson::from_pdu(&pdu, offset, info.as_ref()));
                }
                Err(e) => {
                    error = Some(pdu_error_json(&e, stream.position()));
                    break;
                }
            }
        }
        PdusJson {
            kind: "pdus".into(),
            pdus,
            error,
        }
    }
}
