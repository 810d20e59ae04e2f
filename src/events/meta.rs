//! Metadata derived from the event catalogues: what each event packet and each of its DWORDs
//! is. Decoding, building, printing, JSON and the remotesp checks read these descriptions
//! instead of knowing packets by hand.

use crate::handles::HandleKind;
use crate::requests::FuncId;

use super::constants::ConstKind;

/// How a packet is recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum EventKey {
    /// By its `Msg` value alone (the 32 completion packets of 2.2.4.2.1).
    Msg,
    /// A special-case completion (2.2.4.2.2, 2.2.4.2.3): `Msg` is LINE_REPLY or PHONE_REPLY and
    /// the layout depends on the request that started it.
    Completion(FuncId),
    /// The ASYNCEVENTMSG template itself (2.2.5.1), for a `Msg` the catalogue does not know.
    Template,
}

/// What one fixed DWORD of an event means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum EventRole {
    /// `TotalSize`: the size of the packet and its trailing data.
    TotalSize,
    /// `InitContext`: the session value of the line or phone Initialize request.
    InitContext,
    /// `Msg`: the packet type.
    Msg,
    /// `OpenContext`: the context value of the line or phone Open request.
    OpenContext,
    /// An opaque client value that echoes the field of the original request named here.
    Echo {
        /// The request field's name as the request catalogue spells it (e.g. `lphCallContext`).
        request_field: &'static str,
    },
    /// A handle.
    Handle(HandleKind),
    /// `hDevice`: a call, line or phone handle depending on the packet.
    Device,
    /// A request identifier (`dwRemoteRequestID`, `dwRequestId`).
    RequestId,
    /// The result of an asynchronous request: 0 or a LINEERR/PHONEERR code.
    Result,
    /// A value of a 2.2.3 constant set.
    Constant(ConstKind),
    /// LINE_CALLSTATE `fnPostProcessProcHandle`: a mode whose constant set depends on `Param1`.
    CallStateDetail,
    /// A plain DWORD (identifiers, counts, tick counts, device-specific values).
    Value,
    /// "MUST be ignored on receipt" (or reserved): preserved as received.
    Ignored,
    /// The size of VarData (bytes, or WCHARs for LINE_GATHERDIGITS).
    VarSize,
    /// The offset of VarData from the start of the packet (LINE_CREATEDIALOGINSTANCE).
    VarOffset,
    /// The size of the ASYNCEVENTMSG fixed part (LINE_CREATEDIALOGINSTANCE `Param1`, 40).
    FixedSize,
}

impl EventRole {
    /// A short name for the role, as printed by `trp`.
    pub const fn name(self) -> &'static str {
        match self {
            EventRole::TotalSize => "total_size",
            EventRole::InitContext => "init_context",
            EventRole::Msg => "msg",
            EventRole::OpenContext => "open_context",
            EventRole::Echo { .. } => "context",
            EventRole::Handle(_) => "handle",
            EventRole::Device => "device",
            EventRole::RequestId => "request_id",
            EventRole::Result => "result",
            EventRole::Constant(_) => "constant",
            EventRole::CallStateDetail => "call_state_detail",
            EventRole::Value => "value",
            EventRole::Ignored => "ignored",
            EventRole::VarSize => "var_size",
            EventRole::VarOffset => "var_offset",
            EventRole::FixedSize => "fixed_size",
        }
    }
}

/// What a packet's VarData holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum VarDataDesc {
    /// Nothing is documented (any trailing bytes are kept as raw VarData).
    None,
    /// WCHAR characters at the start of VarData; their count is in field `count`
    /// (LINE_GATHERDIGITS `dwNumDigits`).
    Wchars {
        /// Index of the count field.
        count: usize,
    },
    /// A UTF-16 string, which can be NUL-terminated, at an offset from the start of the packet
    /// (LINE_CREATEDIALOGINSTANCE `Param3`) with a size in bytes (`Param2`).
    StringAt {
        /// Index of the offset field.
        offset: usize,
        /// Index of the size field.
        size: usize,
    },
    /// A self-sized structure (first DWORD `dwTotalSize`) at the start of VarData.
    Structure(&'static str),
    /// `dwSize` bytes at the start of VarData, optionally holding a named structure.
    Sized {
        /// Index of the size field.
        size: usize,
        /// The structure VarData holds, if the section names one.
        structure: Option<&'static str>,
    },
}

/// How a builder pads the packet after VarData.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum Padding {
    /// To a whole number of DWORDs (3.3.4.2: TotalSize is DWORD-aligned).
    Dword,
    /// To a whole number of QWORDs (2.2.4.2.2.1: "the server provides padding to ensure that
    /// the entire packet is aligned on a QWORD boundary").
    Qword,
}

/// Which remotesp check of 3.3.4.2 applies to a packet, beyond the InitContext check that
/// applies to all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum RemoteCheck {
    /// No per-Msg check (LINE_GATHERDIGITS, LINE_PROXYREQUEST, LINE_CREATEDIALOGINSTANCE).
    None,
    /// "Ignore the response if hRemoteLine is set and is an invalid handle."
    RemoteLine,
    /// "Ignore the response if hRemotePhone is set and is an invalid handle."
    RemotePhone,
    /// "Ignore the response if dwRemoteRequestID is invalid."
    RequestId,
    /// "Ignore the response if the device identifier passed in Param1 is invalid" (line).
    LineDevice,
    /// The same for a phone device identifier.
    PhoneDevice,
    /// PHONE_BUTTON: "Ignore the response if hDevice is invalid."
    PhoneHandle,
    /// LINE_AGENTSPECIFIC, LINE_DEVSPECIFIC, LINE_DEVSPECIFICFEATURE: "Ignore the response if
    /// param4 is set and is invalid" / "if param4 is not set and hDevice is invalid".
    LineParam4OrDevice,
    /// PHONE_DEVSPECIFIC: hRemotePhone is in Param4 for a call event, else in hDevice.
    PhoneParam4OrDevice,
}

/// One fixed DWORD of an event packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct EventField {
    /// The name as the spec diagram spells it, e.g. `hRemoteLine` or `Param1`.
    pub name: &'static str,
    /// The accessor's name, e.g. `h_remote_line` or `call_state`.
    pub ident: &'static str,
    /// Byte offset in the packet.
    pub offset: usize,
    /// What the DWORD means.
    pub role: EventRole,
}

/// An event packet's description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct EventDesc {
    /// The unique Rust name, e.g. `LineCallState`, or for a special-case completion the
    /// request's `FuncId` name, e.g. `LineMakeCall`.
    pub ident: &'static str,
    /// The spec's name: `LINE_CALLSTATE`; for a special-case completion the section title,
    /// e.g. `MakeCall`.
    pub name: &'static str,
    /// The section number, e.g. `2.2.4.2.1.8`.
    pub section: &'static str,
    /// The `Msg` value the packet carries.
    pub msg: u32,
    /// How the packet is recognised.
    pub key: EventKey,
    /// The fixed DWORDs in wire order.
    pub fields: &'static [EventField],
    /// What VarData holds.
    pub var: VarDataDesc,
    /// How builders pad the packet.
    pub padding: Padding,
    /// The 3.3.4.2 check for this `Msg`.
    pub check: RemoteCheck,
}

impl EventDesc {
    /// The size of the fixed part in bytes (VarData starts here).
    pub const fn fixed_len(&self) -> usize {
        self.fields.len() * 4
    }

    /// The field called `name` (spec spelling) and its index.
    pub fn field(&self, name: &str) -> Option<(usize, &'static EventField)> {
        self.fields.iter().enumerate().find(|(_, f)| f.name == name)
    }

    /// The field whose accessor is `ident`, and its index.
    pub fn field_by_ident(&self, ident: &str) -> Option<(usize, &'static EventField)> {
        self.fields
            .iter()
            .enumerate()
            .find(|(_, f)| f.ident == ident)
    }

    /// The special-case completion's function, if this is one.
    pub const fn func(&self) -> Option<FuncId> {
        match self.key {
            EventKey::Completion(f) => Some(f),
            _ => None,
        }
    }
}

/// The ASYNCEVENTMSG template of 2.2.5.1, used for a `Msg` the catalogue does not know.
pub static ASYNC_EVENT_MSG: EventDesc = EventDesc {
    ident: "AsyncEventMsg",
    name: "ASYNCEVENTMSG",
    section: "2.2.5.1",
    msg: u32::MAX,
    key: EventKey::Template,
    fields: &[
        field("TotalSize", "total_size", 0, EventRole::TotalSize),
        field("InitContext", "init_context", 1, EventRole::InitContext),
        field(
            "PostProcessProcContext",
            "post_process_proc_context",
            2,
            EventRole::Echo {
                request_field: "lpContext",
            },
        ),
        field("hDevice", "h_device", 3, EventRole::Device),
        field("Msg", "msg", 4, EventRole::Msg),
        field("OpenContext", "open_context", 5, EventRole::OpenContext),
        field("Param1", "param1", 6, EventRole::Value),
        field("Param2", "param2", 7, EventRole::Value),
        field("Param3", "param3", 8, EventRole::Value),
        field("Param4", "param4", 9, EventRole::Value),
    ],
    var: VarDataDesc::None,
    padding: Padding::Dword,
    check: RemoteCheck::None,
};

const fn field(name: &'static str, ident: &'static str, i: usize, role: EventRole) -> EventField {
    EventField {
        name,
        ident,
        offset: 4 * i,
        role,
    }
}
