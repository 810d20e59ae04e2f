//! The JSON model of `trp pcap`: one object per call, then a summary.
//!
//! `{"kind":"call","frame":8,"src":"10.0.0.1:50000","dst":"10.0.0.2:4444","transport":"tcp",
//! "call_id":3,"interface":"tapsrv","opnum":1,"method":"ClientRequest","request":{"params":
//! {...}},"response":{"params":{...}}|null,"fault":null|{"status":469827586,"name":
//! "nca_s_op_rng_error"}}`, `params` as in [`super::rpc::RpcJson`].

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::Serialize;

use super::ErrorJson;
use super::rpc::{CallContext, ParamsJson, RpcJson, decode_stub};
use crate::capture::calls::{Call, CallError, Carrier};
use crate::rpc::methods::Direction;

/// One side of a call: the frame and the decoded parameters, or why they do not decode.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SideJson {
    /// The frame that completed this side (its last fragment).
    pub frame: u64,
    /// The parameters, named as in the IDL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub params: Option<ParamsJson>,
    /// The transfer syntax (`NDR20` or `NDR64`).
    pub syntax: String,
    /// Why the stub does not decode (the NDR check a Windows server would fault on).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorJson>,
    /// The stub, in hex, when it does not decode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stub: Option<String>,
}

/// A fault in answer to a call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FaultJson {
    /// The status.
    pub status: u32,
    /// Its name (`nca_s_op_rng_error`, ...), when it has one.
    pub name: Option<String>,
}

/// One call.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallJson {
    /// Always `"call"`.
    pub kind: String,
    /// The frame that completed the request.
    pub frame: u64,
    /// The requester.
    pub src: String,
    /// The server.
    pub dst: String,
    /// `tcp` or `smb2`.
    pub transport: String,
    /// For SMB2, the pipe's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipe: Option<String>,
    /// `call_id`.
    pub call_id: u32,
    /// `tapsrv` or `remotesp`.
    pub interface: String,
    /// The opnum.
    pub opnum: u16,
    /// The method's IDL name, `null` for an opnum the interface does not have.
    pub method: Option<String>,
    /// The request.
    pub request: SideJson,
    /// The response; `null` when the capture holds none (or a fault came instead).
    pub response: Option<SideJson>,
    /// The fault, `null` when none came.
    pub fault: Option<FaultJson>,
}

fn side(call: &Call, direction: Direction, frame: u64, stub: &[u8]) -> SideJson {
    let syntax = call.syntax();
    let mut j = SideJson {
        frame,
        params: None,
        syntax: syntax.map_or("unknown", |s| s.name()).into(),
        error: None,
        stub: None,
    };
    let (Some(method), Some(syntax)) = (call.info.method, syntax) else {
        j.stub = Some(super::hex(stub));
        return j;
    };
    match decode_stub(
        method,
        direction,
        syntax,
        stub,
        CallContext::from(&call.info),
    ) {
        Ok(RpcJson { params, .. }) => j.params = Some(params),
        Err(e) => {
            j.error = Some(e);
            j.stub = Some(super::hex(stub));
        }
    }
    j
}

impl CallJson {
    /// Describes a call, decoding both stubs.
    pub fn from_call(call: &Call) -> CallJson {
        let (response, fault) = match &call.answer {
            Some(a) => match a.fault {
                Some(status) => (
                    None,
                    Some(FaultJson {
                        status: status.value(),
                        name: status.name().map(Into::into),
                    }),
                ),
                None => (
                    Some(side(call, Direction::Response, a.frame, &a.stub)),
                    None,
                ),
            },
            None => (None, None),
        };
        CallJson {
            kind: "call".into(),
            frame: call.frame,
            src: call.src.to_string(),
            dst: call.dst.to_string(),
            transport: call.carrier.name().into(),
            pipe: match &call.carrier {
                Carrier::Smb2Pipe(p) => p.clone(),
                Carrier::Tcp => None,
            },
            call_id: call.call_id,
            interface: call
                .interface()
                .map_or_else(|| "unknown".into(), |i| i.to_string()),
            opnum: call.info.opnum.unwrap_or(0),
            method: call.info.method.map(|m| m.to_string()),
            request: side(call, Direction::Request, call.frame, &call.request),
            response,
            fault,
        }
    }
}

/// An error of the capture, with its frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaptureErrorJson {
    /// The frame.
    pub frame: u64,
    /// The stream (`client -> server`), when the error belongs to one.
    pub stream: Option<String>,
    /// What.
    pub message: String,
}

impl From<&CallError> for CaptureErrorJson {
    fn from(e: &CallError) -> Self {
        CaptureErrorJson {
            frame: e.frame,
            stream: e.stream.clone(),
            message: e.message.clone(),
        }
    }
}

/// The last line of `trp pcap --json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SummaryJson {
    /// Always `"summary"`.
    pub kind: String,
    /// Frames read.
    pub frames: u64,
    /// Calls printed.
    pub calls: u64,
    /// Frames that were not TCP over IP, or were malformed.
    pub skipped_frames: u64,
    /// Everything that went wrong, in capture order (the first
    /// [`CallsConfig::max_errors`](crate::capture::calls::CallsConfig::max_errors)).
    pub errors: Vec<CaptureErrorJson>,
    /// Errors that went wrong beyond those listed, only counted (absent when none: then
    /// `errors` lists them all).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors_not_listed: Option<u64>,
}
