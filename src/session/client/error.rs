//! [`SessionError`]: why the client refused an operation, a reply or an event.

use core::fmt;

use crate::errors::{DecodeError, ErrorCode};
use crate::events::EventError;
use crate::events::remote::Rejection;
use crate::handles::{HCall, HLine, HPhone, RequestId, Version};
use crate::requests::{FuncId, Group};

/// The name of a function as the messages print it: the spec's section title, with `phone`
/// in front for the phone packets (`Open`, `phone Open`, `GetServerConfig`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Op(pub FuncId);

impl Op {
    /// Whether the function is a phone request (2.2.4.1.4 - 2.2.4.1.6).
    pub fn is_phone(self) -> bool {
        matches!(
            self.0.desc().group,
            Group::PhoneSession | Group::PhoneTerminate | Group::Phone
        )
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_phone() {
            f.write_str("phone ")?;
        }
        f.write_str(self.0.desc().name)
    }
}

/// Line or phone, for messages about devices and apps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeviceClass {
    /// Line devices (`Initialize` 47, `hLineApp`).
    Line,
    /// Phone devices (`Initialize` 106, `hPhoneApp`).
    Phone,
}

impl DeviceClass {
    fn initialize(self) -> &'static str {
        match self {
            DeviceClass::Line => "Initialize",
            DeviceClass::Phone => "phone Initialize",
        }
    }

    fn name(self) -> &'static str {
        match self {
            DeviceClass::Line => "line",
            DeviceClass::Phone => "phone",
        }
    }
}

/// Why [`ClientSession`](super::ClientSession) refused something. Operations are refused
/// before a byte is built; replies and event buffers are refused as a whole; single events
/// that 3.3.4.2 says to ignore are reported as [`ClientEvent::Ignored`](super::ClientEvent)
/// with one of these as the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SessionError {
    /// An operation (or `RemoteSPEventProc`) before ClientAttach.
    NotAttached {
        /// What was attempted (`"Initialize"`, `"RemoteSPEventProc"`, ...).
        what: &'static str,
    },
    /// ClientAttach while attached (or while a ClientAttach is outstanding).
    AlreadyAttached,
    /// The ClientAttach outcome while no ClientAttach was started.
    NoAttachOutstanding,
    /// ClientAttach returned a nonzero value (3.1.4.1); the session stays detached.
    AttachFailed {
        /// The return value.
        return_value: i32,
    },
    /// A second ClientRequest while one awaits its reply (RPC calls are synchronous).
    Busy {
        /// The operation attempted.
        op: Op,
        /// The request that awaits its reply.
        waiting: Op,
    },
    /// A line (phone) operation before Initialize (phone Initialize) succeeded.
    NotInitialized {
        /// The operation.
        op: Op,
        /// Which Initialize is missing.
        class: DeviceClass,
    },
    /// Initialize while an app handle of that class is live.
    AlreadyInitialized {
        /// The operation.
        op: Op,
        /// The live handle.
        handle: u32,
    },
    /// An `hLineApp`/`hPhoneApp` that is not the session's.
    UnknownApp {
        /// The operation.
        op: Op,
        /// The handle given.
        handle: u32,
    },
    /// An `hLine` that is not open (never opened, closed, or closed by LINE_CLOSE).
    ClosedLine {
        /// The operation.
        op: Op,
        /// The handle.
        h_line: HLine,
    },
    /// An `hPhone` that is not open.
    ClosedPhone {
        /// The operation.
        op: Op,
        /// The handle.
        h_phone: HPhone,
    },
    /// An `hCall` the client does not hold (never announced, or deallocated, or its line
    /// closed).
    UnknownCall {
        /// The operation.
        op: Op,
        /// The handle.
        h_call: HCall,
    },
    /// A device identifier outside 0..dwNumDevs (2.2.4.1.1.5), or removed.
    BadDevice {
        /// The operation.
        op: Op,
        /// Line or phone.
        class: DeviceClass,
        /// The identifier.
        device: u32,
        /// dwNumDevs.
        count: u32,
    },
    /// A TAPI version that NegotiateAPIVersion (or ForAllDevices) did not answer for the
    /// device.
    VersionNotNegotiated {
        /// The operation.
        op: Op,
        /// The version given.
        version: Version,
        /// The device.
        device: u32,
    },
    /// An extension version that NegotiateExtVersion did not answer for the device.
    ExtVersionNotNegotiated {
        /// The operation.
        op: Op,
        /// The version given.
        version: Version,
        /// The device.
        device: u32,
    },
    /// The operation does not fit how the session was attached.
    NotSupported {
        /// The operation.
        op: Op,
        /// Why.
        why: &'static str,
    },
    /// The request would break a stateless rule of 3.1.4.2 (checked before sending).
    Invalid {
        /// The operation.
        op: Op,
        /// The rule's id, e.g. `"54.3"`.
        rule: &'static str,
        /// The field.
        field: &'static str,
        /// What a conforming server answers.
        error: ErrorCode,
    },
    /// A reply while no ClientRequest awaits one.
    NoRequestInFlight {
        /// The function the caller said the reply is for, if it said.
        func: Option<Op>,
    },
    /// A reply said to be for one function while another awaits its reply.
    ReplyMismatch {
        /// What the caller said.
        said: Op,
        /// What awaits its reply.
        waiting: Op,
    },
    /// A reply that does not decode (the request it answered is forgotten).
    Decode {
        /// The request it answered.
        op: Op,
        /// The error.
        error: DecodeError,
    },
    /// A reply whose filled field holds a value the request cannot have produced (the
    /// request's effect is not applied).
    BadReply {
        /// The request.
        op: Op,
        /// The field, spec spelling.
        field: &'static str,
        /// The value.
        value: u32,
        /// Why it is refused.
        why: &'static str,
    },
    /// With client-chosen request ids, the server answered another id than the one sent.
    RequestIdMismatch {
        /// The request.
        op: Op,
        /// The id sent.
        sent: RequestId,
        /// The id answered.
        answered: RequestId,
    },
    /// The server answered a request id that is already outstanding.
    DuplicateRequestId {
        /// The request.
        op: Op,
        /// The id.
        id: RequestId,
    },
    /// An event buffer breaks the framing rules of 3.3.4.2 (nothing in it is processed).
    Events(EventError),
    /// An event's InitContext names no initialized app (3.3.4.2: the notification fails).
    BadInitContext {
        /// Index of the event in the buffer.
        index: usize,
        /// Its byte offset.
        offset: usize,
        /// The InitContext found.
        value: u32,
    },
    /// Events for an MMC client, which gets none (4.7).
    EventsForMmc,
    /// A check of 3.3.4.2 that makes remotesp ignore one event (unknown request id,
    /// `hRemoteLine`, `hRemotePhone`, device).
    Rejected(Rejection),
    /// A call event (LINE_CALLSTATE, ...) for an `hCall` the client does not hold, on a
    /// line whose version announces calls with LINE_APPNEWCALL (2.2.2).
    UnknownEventCall {
        /// The event's name.
        msg: &'static str,
        /// The handle.
        h_call: HCall,
    },
    /// A new call whose handle is 0 or already held.
    DuplicateCall {
        /// The event's name.
        msg: &'static str,
        /// The handle.
        h_call: HCall,
    },
    /// An event that must name a line or phone and names none (`hRemoteLine` = 0).
    NoDevice {
        /// The event's name.
        msg: &'static str,
    },
    /// LINE_APPNEWCALL on a line opened below TAPI 2.0 (2.2.2: sent only at 2.0+).
    AppNewCallBefore20 {
        /// The line.
        h_line: HLine,
        /// Its committed version.
        version: Version,
    },
    /// A completion of the wrong kind (PHONE_REPLY for a line request or the reverse).
    WrongReplyKind {
        /// The event's name.
        msg: &'static str,
        /// The request.
        op: Op,
        /// Its id.
        id: RequestId,
    },
    /// A completion whose layout does not decode as the completion of its request.
    BadCompletion {
        /// The request.
        op: Op,
        /// Its id.
        id: RequestId,
        /// The error.
        error: DecodeError,
    },
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use SessionError::*;
        match self {
            NotAttached { what } => write!(f, "{what} before ClientAttach"),
            AlreadyAttached => f.write_str("ClientAttach while attached"),
            NoAttachOutstanding => {
                f.write_str("ClientAttach outcome while no ClientAttach is outstanding")
            }
            AttachFailed { return_value } => {
                write!(f, "ClientAttach failed with {return_value:#x}")
            }
            Busy { op, waiting } => write!(f, "{op} while {waiting} awaits its reply"),
            NotInitialized { op, class } => write!(f, "{op} before {}", class.initialize()),
            AlreadyInitialized { op, handle } => {
                write!(f, "{op} while app handle {handle:#010x} is live")
            }
            UnknownApp { op, handle } => write!(f, "{op} with unknown app handle {handle:#010x}"),
            ClosedLine { op, h_line } => write!(f, "{op} on a closed line {:#010x}", h_line.0),
            ClosedPhone { op, h_phone } => {
                write!(f, "{op} on a closed phone {:#010x}", h_phone.0)
            }
            UnknownCall { op, h_call } => write!(f, "{op} of unknown hCall {:#010x}", h_call.0),
            BadDevice {
                op,
                class,
                device,
                count,
            } => write!(
                f,
                "{op} of {} device {device}, not one of the {count} the server reported",
                class.name()
            ),
            VersionNotNegotiated {
                op,
                version,
                device,
            } => write!(
                f,
                "{op} with version {:#010x} not negotiated for device {device}",
                version.0
            ),
            ExtVersionNotNegotiated {
                op,
                version,
                device,
            } => write!(
                f,
                "{op} with extension version {:#010x} not negotiated for device {device}",
                version.0
            ),
            NotSupported { op, why } => write!(f, "{op}: {why}"),
            Invalid {
                op,
                rule,
                field,
                error,
            } => write!(
                f,
                "{op} refused: {field} breaks rule {rule} of 3.1.4.2 (the server would answer {})",
                error.name()
            ),
            NoRequestInFlight { func: Some(op) } => {
                write!(f, "reply for {op} while no request is outstanding")
            }
            NoRequestInFlight { func: None } => {
                f.write_str("reply while no request is outstanding")
            }
            ReplyMismatch { said, waiting } => {
                write!(f, "reply for {said} while {waiting} awaits its reply")
            }
            Decode { op, error } => write!(f, "reply to {op}: {error}"),
            BadReply {
                op,
                field,
                value,
                why,
            } => write!(f, "reply to {op}: {field} = {value:#010x} {why}"),
            RequestIdMismatch { op, sent, answered } => write!(
                f,
                "{op}: the server answered request id {:#x} for the id {:#x} the client chose",
                answered.0, sent.0
            ),
            DuplicateRequestId { op, id } => {
                write!(f, "{op}: request id {:#x} is already outstanding", id.0)
            }
            Events(e) => write!(f, "event buffer: {e}"),
            BadInitContext {
                index,
                offset,
                value,
            } => write!(
                f,
                "event {index} at byte {offset}: InitContext {value:#010x} names no initialized app"
            ),
            EventsForMmc => f.write_str("events for an MMC client, which gets none (4.7)"),
            Rejected(r) => fmt::Display::fmt(r, f),
            UnknownEventCall { msg, h_call } => {
                write!(f, "{msg} for unknown hCall {:#010x}", h_call.0)
            }
            DuplicateCall { msg, h_call } => {
                write!(
                    f,
                    "{msg} announces hCall {:#010x}, which is 0 or already held",
                    h_call.0
                )
            }
            NoDevice { msg } => write!(f, "{msg} names no line or phone"),
            AppNewCallBefore20 { h_line, version } => write!(
                f,
                "LINE_APPNEWCALL on line {:#010x} opened with version {:#010x} (sent only at 2.0+, 2.2.2)",
                h_line.0, version.0
            ),
            WrongReplyKind { msg, op, id } => {
                write!(f, "{msg} completes {op} (request id {:#x})", id.0)
            }
            BadCompletion { op, id, error } => {
                write!(f, "completion of {op} (request id {:#x}): {error}", id.0)
            }
        }
    }
}

impl core::error::Error for SessionError {}
