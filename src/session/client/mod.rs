//! [`ClientSession`]: the client role of [MS-TRP] (3.2, 3.3, section 4) as a sans-IO state
//! machine.
//!
//! The session builds the next request for an operation (a TAPI32_MSG, laid out by the
//! [`builders`](crate::requests::builders)), and consumes what comes back: the reply to each
//! ClientRequest ([`ClientSession::on_reply`]) and the event buffers the server pushes through
//! RemoteSPEventProc or returns to GetAsyncEvents ([`ClientSession::on_events`]). It holds what
//! a client must know to use the protocol correctly:
//!
//! * the binding (ClientAttach ⊃ everything; after ClientDetach nothing carries over);
//! * the usage handles `hLineApp`/`hPhoneApp` and `dwNumDevs` (Initialize ⊃ Open, 2.2.2);
//! * per device, the TAPI version the server is willing to use (NegotiateAPIVersion or
//!   NegotiateAPIVersionForAllDevices) and the negotiated extension version;
//! * per open line or phone, the committed version (Open) and the selected extension version
//!   (SelectExtVersion; 0 cancels), and the handle events name it by (`hRemoteLine`);
//! * the calls (MakeCall's completion, LINE_APPNEWCALL, ... until DeallocateCall, Close or
//!   LINE_CLOSE) and their last LINE_CALLSTATE;
//! * the request in flight (RPC is synchronous: one ClientRequest at a time) and the
//!   asynchronous requests awaiting their LINE_REPLY/PHONE_REPLY, each completed exactly once.
//!
//! Out-of-order use is refused before anything is built, with a [`SessionError`] whose
//! Display reads like "Open before Initialize" or "MakeCall on a closed line 0x00020001"; every
//! request is also checked against the stateless rules of 3.1.4.2 ([`crate::validation`])
//! before it leaves.
//!
//! ```
//! use mstrp::handles::{HLineApp, Version};
//! use mstrp::replies::ReplyBuilder;
//! use mstrp::requests::FuncId;
//! use mstrp::session::client::{AttachKind, ClientSession, SessionError};
//!
//! let mut client = ClientSession::new();
//! client.attach(AttachKind::push("CLIENT-PC\"ncacn_ip_tcp\"251\""))?;
//! client.attached(0, 0xA5C3_69A5u32 as i32)?;
//!
//! // Opening a line before Initialize is refused before anything is sent.
//! let err = client.open(0, Version::TAPI_3_1, Default::default()).unwrap_err();
//! assert_eq!(err.to_string(), "Open before Initialize");
//!
//! // Initialize (4.1), and the server's answer: hLineApp and two line devices.
//! let request = client.initialize("WORKSTATION1")?;
//! let reply = ReplyBuilder::from_request_dwords(FuncId::LineInitialize, request.dwords())
//!     .set("hLineApp", 0x0001_0001)
//!     .set("dwNumDevs", 2)
//!     .to_bytes();
//! client.on_reply(&reply)?;
//! assert_eq!(client.line_app().map(|a| a.handle), Some(HLineApp(0x0001_0001)));
//! # Ok::<(), SessionError>(())
//! ```
//!
//! Request ids ([`RequestIds`]): by default the client sends `dwRequestID` = 0 and the server
//! assigns the id it returns in `Ack_ReturnValue` (what the section 4 samples do); with
//! [`RequestIds::ClientChosen`] the client numbers its asynchronous requests itself
//! (1..=0x7FFFFFFF, never reusing an outstanding id), so a completion pushed before the
//! ClientRequest returns can still be matched. See `spec-notes/session-client.md`.

mod error;
mod incoming;
mod ops;

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::String;
use alloc::vec::Vec;

use bytes::BytesMut;

use crate::events::constants::LineCallState;
use crate::events::remote::{Identifier, RemoteState};
use crate::handles::{HCall, HLine, HLineApp, HPhone, HPhoneApp, HandleKind, RequestId, Version};
use crate::header::HEADER_DWORDS;
use crate::replies::{ReplyRole, reply_role};
use crate::requests::{Completion, FuncId, Request, RequestBuilder, Role};

pub use error::{DeviceClass, Op, SessionError};
pub use incoming::{ClientEvent, Effect, ReplyOutcome};
pub use ops::{CallParams, OpenParams, PHONEPRIVILEGE_OWNER};

/// `phAsyncEventsEvent` of a server that supports NegotiateAPIVersionForAllDevices
/// (3.1.4.1).
pub const SUPPORTS_NEGOTIATE_ALL: u32 = 0xA5C3_69A5;

/// `lProcessID` of a client that controls telephony devices (3.1.4.1).
pub const PROCESS_CONTROL: i32 = -1;

/// `lProcessID` of an MMC client that manages the server (3.1.4.1, 4.7).
pub const PROCESS_MMC: i32 = -3;

/// How the client attaches (ClientAttach, 3.1.4.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttachKind {
    /// `lProcessID` −1, `pszDomainUser` empty: events are pushed through RemoteSPEventProc
    /// to the remotesp endpoint `machine` names (`NAME"protseq"endpoint"`).
    Push {
        /// `pszMachine`.
        machine: String,
    },
    /// `lProcessID` −1, `pszDomainUser` a mailslot name: the "pull" model, the client polls
    /// GetAsyncEvents (the server may still fall back to pushing).
    Pull {
        /// `pszDomainUser`: the mailslot.
        mailslot: String,
        /// `pszMachine`.
        machine: String,
    },
    /// `lProcessID` −3: an MMC client (4.7), which gets no events.
    Mmc {
        /// `pszDomainUser`: the user name.
        user: String,
        /// `pszMachine`: the computer name.
        machine: String,
    },
}

impl AttachKind {
    /// [`AttachKind::Push`].
    pub fn push(machine: &str) -> Self {
        AttachKind::Push {
            machine: machine.into(),
        }
    }

    /// [`AttachKind::Pull`].
    pub fn pull(mailslot: &str, machine: &str) -> Self {
        AttachKind::Pull {
            mailslot: mailslot.into(),
            machine: machine.into(),
        }
    }

    /// [`AttachKind::Mmc`].
    pub fn mmc(user: &str, machine: &str) -> Self {
        AttachKind::Mmc {
            user: user.into(),
            machine: machine.into(),
        }
    }

    /// `lProcessID`.
    pub fn l_process_id(&self) -> i32 {
        match self {
            AttachKind::Mmc { .. } => PROCESS_MMC,
            _ => PROCESS_CONTROL,
        }
    }

    /// `pszDomainUser`.
    pub fn psz_domain_user(&self) -> &str {
        match self {
            AttachKind::Push { .. } => "",
            AttachKind::Pull { mailslot, .. } => mailslot,
            AttachKind::Mmc { user, .. } => user,
        }
    }

    /// `pszMachine`.
    pub fn psz_machine(&self) -> &str {
        match self {
            AttachKind::Push { machine }
            | AttachKind::Pull { machine, .. }
            | AttachKind::Mmc { machine, .. } => machine,
        }
    }

    /// The ClientAttach request stub (tapsrv opnum 0) for this kind.
    pub fn request(&self) -> crate::rpc::methods::ClientAttachRequestBuilder {
        crate::rpc::methods::ClientAttachRequestBuilder::new(
            self.l_process_id(),
            self.psz_domain_user(),
            self.psz_machine(),
        )
    }
}

/// How events reach the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventModel {
    /// RemoteSPEventProc.
    Push,
    /// GetAsyncEvents.
    Pull,
    /// None (MMC clients).
    None,
}

/// The outcome of ClientAttach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// How the client attached.
    pub kind: AttachKind,
    /// `phAsyncEventsEvent` as returned.
    pub async_events_event: u32,
}

impl Attachment {
    /// How events reach the client.
    pub fn events(&self) -> EventModel {
        match self.kind {
            AttachKind::Push { .. } => EventModel::Push,
            AttachKind::Pull { .. } => EventModel::Pull,
            AttachKind::Mmc { .. } => EventModel::None,
        }
    }

    /// Whether the server announced NegotiateAPIVersionForAllDevices (`phAsyncEventsEvent` =
    /// 0xA5C369A5 for `lProcessID` −1, 3.1.4.1).
    pub fn supports_negotiate_all(&self) -> bool {
        !matches!(self.kind, AttachKind::Mmc { .. })
            && self.async_events_event == SUPPORTS_NEGOTIATE_ALL
    }
}

/// Who numbers asynchronous requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum RequestIds {
    /// Send `dwRequestID` = 0; the server assigns a positive id and returns it (default).
    #[default]
    ServerAssigned,
    /// Send ids the client chose (1..=0x7FFFFFFF); the server must echo them.
    ClientChosen,
}

/// The client's knobs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// Who numbers asynchronous requests.
    pub request_ids: RequestIds,
    /// `InitContext` of line Initialize: every line event carries it (2.2.4.1.1.1).
    pub line_init_context: u32,
    /// `InitContext` of phone Initialize.
    pub phone_init_context: u32,
    /// The first `hRemoteLine`/`hRemotePhone` the client gives Open; the next opens count up.
    /// `None` sends 0, so events name the line by the server's `hLine` (2.2.4.1.1.5).
    pub first_remote_handle: Option<u32>,
    /// `dwAPIVersion` of Initialize: the highest TAPI version the client supports.
    pub api_version: Version,
    /// Size offered for the structures GetDevCaps, GetAddressCaps, GetServerConfig and
    /// GetAgentGroupList return (lpLineDevCaps, ... = VarData size).
    pub caps_buffer: u32,
    /// `dwTotalBufferSize` (and VarData size) of GetAsyncEvents.
    pub events_buffer: u32,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            request_ids: RequestIds::ServerAssigned,
            line_init_context: 1,
            phone_init_context: 2,
            first_remote_handle: Some(1),
            api_version: Version::TAPI_3_1,
            caps_buffer: 1024,
            events_buffer: 4096,
        }
    }
}

/// What a request was for: its function and a token the session numbered it with (unique
/// within the session's life, counting from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pending {
    /// The function.
    pub func: FuncId,
    /// The token.
    pub token: u64,
}

/// A request ready for ClientRequest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The TAPI32_MSG: `pBuffer`, with `lNeededSize` = `*plUsedSize` = its length (the
    /// output areas are part of VarData).
    pub bytes: BytesMut,
    /// What it is for.
    pub pending: Pending,
    /// The request id the client chose ([`RequestIds::ClientChosen`]), if asynchronous.
    pub request_id: Option<RequestId>,
}

impl Outgoing {
    /// The fifteen fixed DWORDs (e.g. for [`ReplyBuilder::from_request_dwords`](crate::replies::ReplyBuilder::from_request_dwords)).
    pub fn dwords(&self) -> [u32; HEADER_DWORDS] {
        let mut d = [0; HEADER_DWORDS];
        for (i, v) in d.iter_mut().enumerate() {
            *v = self
                .bytes
                .get(i * 4..i * 4 + 4)
                .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
        }
        d
    }

    /// The bytes.
    pub fn into_bytes(self) -> BytesMut {
        self.bytes
    }
}

impl core::ops::Deref for Outgoing {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.bytes
    }
}

/// An initialized app (`hLineApp` or `hPhoneApp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct App<H> {
    /// The usage handle.
    pub handle: H,
    /// `dwNumDevs`, grown by LINE_CREATE/PHONE_CREATE.
    pub num_devs: u32,
}

/// What the client knows about one device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeviceVersions {
    /// The TAPI version the server answered to NegotiateAPIVersion (willing, not committed).
    pub api: Option<Version>,
    /// The extension version the server answered to NegotiateExtVersion.
    pub ext: Option<Version>,
    /// Set by LINE_REMOVE/PHONE_REMOVE.
    pub removed: bool,
}

/// An open line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenLine {
    /// The device.
    pub device: u32,
    /// The committed TAPI version (Open's `dwNegotiatedVersion`).
    pub version: Version,
    /// The selected extension version (Open's `dwExtVersion`, then SelectExtVersion; 0 =
    /// none).
    pub ext: Version,
    /// The handle events name the line by: `hRemoteLine`, or `hLine` when that was 0.
    pub event_handle: u32,
    /// The calls on the line.
    pub calls: BTreeSet<u32>,
}

/// An open phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenPhone {
    /// The device.
    pub device: u32,
    /// The committed TAPI version.
    pub version: Version,
    /// The selected extension version.
    pub ext: Version,
    /// The handle events name the phone by.
    pub event_handle: u32,
}

/// A call the client holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Call {
    /// The line it is on.
    pub h_line: HLine,
    /// The last LINE_CALLSTATE (0 before the first).
    pub state: LineCallState,
}

/// An asynchronous request awaiting its completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Awaiting {
    pending: Pending,
    /// The line the request concerns (for the calls its completion creates).
    h_line: Option<HLine>,
    /// Whether ClientRequest has returned (client-chosen ids are tracked from sending).
    acked: bool,
}

/// The ClientRequest awaiting its reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct InFlight {
    pending: Pending,
    dwords: [u32; HEADER_DWORDS],
    /// The id the client chose, if any.
    chosen: Option<RequestId>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Binding {
    Detached,
    Attaching(AttachKind),
    Attached(Attachment),
}

/// The client role of [MS-TRP] as a sans-IO state machine (see the module documentation).
#[derive(Debug, Clone)]
pub struct ClientSession {
    config: ClientConfig,
    binding: Binding,
    line_app: Option<App<HLineApp>>,
    phone_app: Option<App<HPhoneApp>>,
    line_devices: BTreeMap<u32, DeviceVersions>,
    phone_devices: BTreeMap<u32, DeviceVersions>,
    lines: BTreeMap<u32, OpenLine>,
    phones: BTreeMap<u32, OpenPhone>,
    /// Event handle (hRemoteLine or hLine) → hLine.
    line_events: BTreeMap<u32, u32>,
    /// Event handle (hRemotePhone or hPhone) → hPhone.
    phone_events: BTreeMap<u32, u32>,
    calls: BTreeMap<u32, Call>,
    in_flight: Option<InFlight>,
    awaiting: BTreeMap<u32, Awaiting>,
    /// Client-chosen ids completed before their ClientRequest returned.
    completed_early: BTreeSet<u32>,
    next_token: u64,
    next_request_id: u32,
    next_remote_handle: u32,
}

impl Default for ClientSession {
    fn default() -> Self {
        Self::new()
    }
}

impl ClientSession {
    /// A detached session with the default [`ClientConfig`].
    pub fn new() -> Self {
        Self::with_config(ClientConfig::default())
    }

    /// A detached session with `config`.
    pub fn with_config(config: ClientConfig) -> Self {
        let next_remote_handle = config.first_remote_handle.unwrap_or(0);
        ClientSession {
            config,
            binding: Binding::Detached,
            line_app: None,
            phone_app: None,
            line_devices: BTreeMap::new(),
            phone_devices: BTreeMap::new(),
            lines: BTreeMap::new(),
            phones: BTreeMap::new(),
            line_events: BTreeMap::new(),
            phone_events: BTreeMap::new(),
            calls: BTreeMap::new(),
            in_flight: None,
            awaiting: BTreeMap::new(),
            completed_early: BTreeSet::new(),
            next_token: 1,
            next_request_id: 1,
            next_remote_handle,
        }
    }

    /// The knobs.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    // ---- ClientAttach / ClientDetach ----

    /// Starts ClientAttach (3.1.4.1): returns the request stub's builder. Refused while
    /// attached or attaching.
    pub fn attach(
        &mut self,
        kind: AttachKind,
    ) -> Result<crate::rpc::methods::ClientAttachRequestBuilder, SessionError> {
        if self.binding != Binding::Detached {
            return Err(SessionError::AlreadyAttached);
        }
        let request = kind.request();
        self.binding = Binding::Attaching(kind);
        Ok(request)
    }

    /// Records ClientAttach's outcome: its return value and `phAsyncEventsEvent`. A nonzero
    /// return value leaves the session detached.
    pub fn attached(
        &mut self,
        return_value: i32,
        async_events_event: i32,
    ) -> Result<&Attachment, SessionError> {
        if !matches!(self.binding, Binding::Attaching(_)) {
            return Err(SessionError::NoAttachOutstanding);
        }
        let Binding::Attaching(kind) = core::mem::replace(&mut self.binding, Binding::Detached)
        else {
            return Err(SessionError::NoAttachOutstanding);
        };
        if return_value != 0 {
            return Err(SessionError::AttachFailed { return_value });
        }
        self.binding = Binding::Attached(Attachment {
            kind,
            async_events_event: async_events_event as u32,
        });
        match &self.binding {
            Binding::Attached(a) => Ok(a),
            _ => Err(SessionError::NoAttachOutstanding),
        }
    }

    /// The attachment, if attached.
    pub fn attachment(&self) -> Option<&Attachment> {
        match &self.binding {
            Binding::Attached(a) => Some(a),
            _ => None,
        }
    }

    /// ClientDetach (3.1.4.3): forgets everything (handles, negotiations, calls, outstanding
    /// requests); returns the asynchronous requests that will now never complete. Refused
    /// when not attached or while a ClientRequest awaits its reply.
    pub fn detach(&mut self) -> Result<Vec<(RequestId, Pending)>, SessionError> {
        if !matches!(self.binding, Binding::Attached(_)) {
            return Err(SessionError::NotAttached {
                what: "ClientDetach",
            });
        }
        if let Some(f) = self.in_flight {
            return Err(SessionError::NotSupported {
                op: Op(f.pending.func),
                why: "ClientDetach while this request awaits its reply",
            });
        }
        let abandoned = self
            .awaiting
            .iter()
            .map(|(id, a)| (RequestId(*id), a.pending))
            .collect();
        *self = ClientSession {
            next_token: self.next_token,
            ..ClientSession::with_config(self.config.clone())
        };
        Ok(abandoned)
    }

    /// Forgets the request in flight without a reply (the RPC call failed: a fault, a
    /// timeout). Its effect on the server is unknown; nothing is applied.
    pub fn abandon_in_flight(&mut self) -> Option<Pending> {
        let f = self.in_flight.take()?;
        if let Some(id) = f.chosen {
            self.awaiting.remove(&id.0);
            self.completed_early.remove(&id.0);
        }
        Some(f.pending)
    }

    // ---- queries ----

    /// The request awaiting its ClientRequest reply.
    pub fn in_flight(&self) -> Option<Pending> {
        self.in_flight.map(|f| f.pending)
    }

    /// The asynchronous requests awaiting LINE_REPLY/PHONE_REPLY, by id.
    pub fn outstanding(&self) -> impl Iterator<Item = (RequestId, FuncId)> + '_ {
        self.awaiting
            .iter()
            .map(|(id, a)| (RequestId(*id), a.pending.func))
    }

    /// The line app, if initialized.
    pub fn line_app(&self) -> Option<App<HLineApp>> {
        self.line_app
    }

    /// The phone app, if initialized.
    pub fn phone_app(&self) -> Option<App<HPhoneApp>> {
        self.phone_app
    }

    /// What the client knows about line device `device`.
    pub fn line_device(&self, device: u32) -> DeviceVersions {
        self.line_devices.get(&device).copied().unwrap_or_default()
    }

    /// What the client knows about phone device `device`.
    pub fn phone_device(&self, device: u32) -> DeviceVersions {
        self.phone_devices.get(&device).copied().unwrap_or_default()
    }

    /// The open line `h_line`.
    pub fn line(&self, h_line: HLine) -> Option<&OpenLine> {
        self.lines.get(&h_line.0)
    }

    /// Every open line.
    pub fn lines(&self) -> impl Iterator<Item = (HLine, &OpenLine)> + '_ {
        self.lines.iter().map(|(h, l)| (HLine(*h), l))
    }

    /// The open phone `h_phone`.
    pub fn phone(&self, h_phone: HPhone) -> Option<&OpenPhone> {
        self.phones.get(&h_phone.0)
    }

    /// Every open phone.
    pub fn phones(&self) -> impl Iterator<Item = (HPhone, &OpenPhone)> + '_ {
        self.phones.iter().map(|(h, p)| (HPhone(*h), p))
    }

    /// The call `h_call`.
    pub fn call(&self, h_call: HCall) -> Option<&Call> {
        self.calls.get(&h_call.0)
    }

    /// Every call the client holds.
    pub fn calls(&self) -> impl Iterator<Item = (HCall, &Call)> + '_ {
        self.calls.iter().map(|(h, c)| (HCall(*h), c))
    }

    // ---- the common path of every request ----

    /// Submits any request (generic path): checks that every handle it names is live
    /// (`hLineApp`, `hLine`, `hCall`, `hPhoneApp`, `hPhone`; agent handles are not tracked),
    /// sets `dwRequestID` for asynchronous functions, checks the stateless rules of 3.1.4.2
    /// and records the request as in flight. The typed operations go through here too.
    pub fn request(&mut self, builder: RequestBuilder) -> Result<Outgoing, SessionError> {
        let func = builder.desc().func;
        self.check_ready(func)?;
        self.check_handles(&builder)?;
        self.submit(builder)
    }

    /// Attached, and nothing in flight.
    fn check_ready(&self, func: FuncId) -> Result<&Attachment, SessionError> {
        let Binding::Attached(a) = &self.binding else {
            return Err(SessionError::NotAttached {
                what: func.desc().name,
            });
        };
        if let Some(f) = self.in_flight {
            return Err(SessionError::Busy {
                op: Op(func),
                waiting: Op(f.pending.func),
            });
        }
        Ok(a)
    }

    fn require_line_app(&self, func: FuncId) -> Result<App<HLineApp>, SessionError> {
        self.line_app.ok_or(SessionError::NotInitialized {
            op: Op(func),
            class: DeviceClass::Line,
        })
    }

    fn require_phone_app(&self, func: FuncId) -> Result<App<HPhoneApp>, SessionError> {
        self.phone_app.ok_or(SessionError::NotInitialized {
            op: Op(func),
            class: DeviceClass::Phone,
        })
    }

    /// The handle fields a request sends (not the ones the server fills).
    fn input_handles(builder: &RequestBuilder) -> impl Iterator<Item = (HandleKind, u32)> + '_ {
        let desc = builder.desc();
        desc.fields
            .iter()
            .enumerate()
            .filter_map(move |(i, f)| match f.role {
                Role::Handle(kind) if reply_role(desc, i) != ReplyRole::Filled => {
                    Some((kind, builder.get(i).unwrap_or(0)))
                }
                _ => None,
            })
    }

    fn check_handles(&self, builder: &RequestBuilder) -> Result<(), SessionError> {
        let func = builder.desc().func;
        let op = Op(func);
        let handles: Vec<(HandleKind, u32)> = Self::input_handles(builder).collect();
        // The app first: "MakeCall before Initialize" reads better than "on a closed line".
        for (kind, _) in &handles {
            match kind {
                HandleKind::HLineApp
                | HandleKind::HLine
                | HandleKind::HCall
                | HandleKind::HAgent
                | HandleKind::HAgentSession => {
                    self.require_line_app(func)?;
                }
                HandleKind::HPhoneApp | HandleKind::HPhone => {
                    self.require_phone_app(func)?;
                }
            }
        }
        for (kind, value) in handles {
            match kind {
                HandleKind::HLineApp => {
                    if self.line_app.map(|a| a.handle.0) != Some(value) {
                        return Err(SessionError::UnknownApp { op, handle: value });
                    }
                }
                HandleKind::HPhoneApp => {
                    if self.phone_app.map(|a| a.handle.0) != Some(value) {
                        return Err(SessionError::UnknownApp { op, handle: value });
                    }
                }
                HandleKind::HLine => {
                    if !self.lines.contains_key(&value) {
                        return Err(SessionError::ClosedLine {
                            op,
                            h_line: HLine(value),
                        });
                    }
                }
                HandleKind::HPhone => {
                    if !self.phones.contains_key(&value) {
                        return Err(SessionError::ClosedPhone {
                            op,
                            h_phone: HPhone(value),
                        });
                    }
                }
                HandleKind::HCall => {
                    if !self.calls.contains_key(&value) {
                        return Err(SessionError::UnknownCall {
                            op,
                            h_call: HCall(value),
                        });
                    }
                }
                HandleKind::HAgent | HandleKind::HAgentSession => {}
            }
        }
        Ok(())
    }

    fn allocate_request_id(&mut self) -> RequestId {
        loop {
            let id = self.next_request_id;
            self.next_request_id = if id >= 0x7FFF_FFFF { 1 } else { id + 1 };
            if !self.awaiting.contains_key(&id) {
                return RequestId(id);
            }
        }
    }

    /// Sets the request id, validates, and records the request as in flight.
    fn submit(&mut self, mut builder: RequestBuilder) -> Result<Outgoing, SessionError> {
        let desc = builder.desc();
        let func = desc.func;
        let id_field = desc.fields.iter().position(|f| f.role == Role::RequestId);
        let chosen = match (desc.completion, id_field, self.config.request_ids) {
            (Completion::Async, Some(i), RequestIds::ClientChosen) => {
                let id = self.allocate_request_id();
                builder.set(i, id.0);
                Some(id)
            }
            (_, Some(i), _) => {
                builder.set(i, 0);
                None
            }
            _ => None,
        };
        let bytes = builder.to_bytes();
        let request = Request::parse(&bytes).map_err(|error| SessionError::Decode {
            op: Op(func),
            error,
        })?;
        if let Some(v) = crate::validation::validate(&request, None).first() {
            return Err(SessionError::Invalid {
                op: Op(func),
                rule: v.id(),
                field: v.field(),
                error: v.error(),
            });
        }
        let dwords = request.dwords();
        let pending = Pending {
            func,
            token: self.next_token,
        };
        self.next_token = self.next_token.saturating_add(1);
        if let Some(id) = chosen {
            let h_line = self.line_of_request(func, &dwords);
            self.awaiting.insert(
                id.0,
                Awaiting {
                    pending,
                    h_line,
                    acked: false,
                },
            );
        }
        self.in_flight = Some(InFlight {
            pending,
            dwords,
            chosen,
        });
        Ok(Outgoing {
            bytes,
            pending,
            request_id: chosen,
        })
    }

    /// The line a request concerns: its `hLine`, or the line of its first `hCall`.
    fn line_of_request(&self, func: FuncId, dwords: &[u32; HEADER_DWORDS]) -> Option<HLine> {
        let desc = func.desc();
        let mut by_call = None;
        for (i, f) in desc.fields.iter().enumerate() {
            match f.role {
                Role::Handle(HandleKind::HLine) if reply_role(desc, i) != ReplyRole::Filled => {
                    return Some(HLine(dwords[i]));
                }
                Role::Handle(HandleKind::HCall) if by_call.is_none() => {
                    by_call = self.calls.get(&dwords[i]).map(|c| c.h_line);
                }
                _ => {}
            }
        }
        by_call
    }

    // ---- state changes shared by replies and events ----

    /// Forgets line `h_line` and its calls; returns the calls.
    fn drop_line(&mut self, h_line: u32) -> Vec<HCall> {
        let Some(line) = self.lines.remove(&h_line) else {
            return Vec::new();
        };
        self.line_events.remove(&line.event_handle);
        let mut calls = Vec::new();
        for c in line.calls {
            self.calls.remove(&c);
            calls.push(HCall(c));
        }
        calls
    }

    fn drop_phone(&mut self, h_phone: u32) -> bool {
        match self.phones.remove(&h_phone) {
            Some(p) => {
                self.phone_events.remove(&p.event_handle);
                true
            }
            None => false,
        }
    }

    /// Registers call `h_call` on `h_line`; false if the line is not open or the handle is 0
    /// or held.
    fn add_call(&mut self, h_call: u32, h_line: HLine) -> bool {
        if h_call == 0 || self.calls.contains_key(&h_call) {
            return false;
        }
        let Some(line) = self.lines.get_mut(&h_line.0) else {
            return false;
        };
        line.calls.insert(h_call);
        self.calls.insert(
            h_call,
            Call {
                h_line,
                state: LineCallState(0),
            },
        );
        true
    }

    fn remove_call(&mut self, h_call: u32) -> bool {
        match self.calls.remove(&h_call) {
            Some(c) => {
                if let Some(l) = self.lines.get_mut(&c.h_line.0) {
                    l.calls.remove(&h_call);
                }
                true
            }
            None => false,
        }
    }

    fn next_remote(&mut self) -> u32 {
        match self.config.first_remote_handle {
            None => 0,
            Some(_) => {
                // Skip 0 (it means "none") and handles in use.
                loop {
                    let h = self.next_remote_handle;
                    self.next_remote_handle = h.wrapping_add(1);
                    if h != 0
                        && !self.line_events.contains_key(&h)
                        && !self.phone_events.contains_key(&h)
                    {
                        return h;
                    }
                }
            }
        }
    }
}

impl RemoteState for ClientSession {
    fn is_valid(&self, what: Identifier, value: u32) -> bool {
        match what {
            Identifier::InitContext => {
                (self.line_app.is_some() && value == self.config.line_init_context)
                    || (self.phone_app.is_some() && value == self.config.phone_init_context)
            }
            Identifier::RemoteLine => self.line_events.contains_key(&value),
            Identifier::RemotePhone => self.phone_events.contains_key(&value),
            Identifier::RequestId => self.awaiting.contains_key(&value),
            // A new device is announced with the next identifier (LINE_CREATE), an existing
            // one removed (LINE_REMOVE): both are at most dwNumDevs.
            Identifier::LineDevice => self.line_app.is_some_and(|a| value <= a.num_devs),
            Identifier::PhoneDevice => self.phone_app.is_some_and(|a| value <= a.num_devs),
        }
    }
}
