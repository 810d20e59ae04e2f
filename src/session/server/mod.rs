//! [`ServerSession`]: the server's state for one client binding, answering ClientRequest
//! buffers against the simulated devices of a [`ServerConfig`].
//!
//! One `ServerSession` is one ClientAttach context handle (3.1.4.1): the handle tables of
//! 3.1.1 (LineApp, Line, Call, PhoneApp, Phone, agents) as far as this client is concerned,
//! its negotiated versions, its outstanding asynchronous requests and its event queue. There
//! is **no state shared between clients**: two sessions over the same configuration do not see
//! each other's handles, opens or calls (a call offered with [`ServerSession::offer_call`]
//! reaches only the session it is offered on). The devices themselves are the configuration's
//! and are never modified.
//!
//! Requests are decoded with [`Request::parse`](crate::requests::Request::parse), checked with
//! every rule of 3.1.4.2 ([`crate::validation::Report::for_call_with`]) against this session's
//! tables (which implement [`ServerState`](crate::validation::ServerState)), and answered with
//! [`crate::replies::ReplyBuilder`]; events are built with
//! [`crate::events`]' builders. See the module documentation of [`crate::session`] for the
//! life cycle and `spec-notes/session.md` for the decisions taken where the spec is silent.

mod handlers;
mod phones;
mod state;

use alloc::collections::VecDeque;
use alloc::string::String;
use alloc::vec::Vec;

use bytes::BytesMut;

use super::config::{AsyncCompletion, ServerConfig};
use crate::errors::{ErrorCode, LineErr, TapiErr};
use crate::header::{HEADER_DWORDS, HEADER_LEN};
use crate::replies::{ReplyBuilder, ReturnValue};
use crate::requests::{FuncId, Request};
use crate::validation::{Report, check_client_request};

pub use phones::{
    DISPLAY_COLUMNS, DISPLAY_ROWS, FEATURES, FORCED_PHONE_COMPLETION_RESULT, HOOK_SWITCH_DEVS,
    HOOK_SWITCH_MODES, MAX_LEVEL, NUM_RING_MODES,
};
use state::State;
pub use state::{Call, LineApp, OpenLine, OpenPhone, Owner, Pending, PhoneApp, PhoneSettings};

/// `phAsyncEventsEvent` for `lProcessID` = −1: "the server supports the
/// NegotiateAPIVersionForAllDevices request" (3.1.4.1).
pub const ASYNC_EVENTS_FOR_ALL_DEVICES: u32 = 0xA5C3_69A5;
/// `phAsyncEventsEvent` for `lProcessID` = −3 (MMC) on a 64-bit platform (3.1.4.1). The
/// simulated server presents itself as a 64-bit platform.
pub const ASYNC_EVENTS_MMC_64: u32 = 0x6464_6464;
/// `lProcessID` of a remote client that controls telephony devices (3.1.4.1).
pub const PROCESS_ID_REMOTE: i32 = -1;
/// `lProcessID` of an MMC client that manages the server (3.1.4.1).
pub const PROCESS_ID_MMC: i32 = -3;

/// How events reach the client (3.1.4.1, pszDomainUser).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// A mailslot was named: the client pulls events with GetAsyncEvents (Req_Func 0).
    Pull,
    /// No mailslot: the server calls RemoteSPEventProc on the remotesp endpoint that
    /// `machine` (pszMachine, `NAME"protseq"endpoint"...`) names.
    Push {
        /// pszMachine as the client sent it.
        machine: String,
    },
}

/// The outcome of ClientAttach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attached {
    /// The method's return value (0: success).
    pub return_value: i32,
    /// `phAsyncEventsEvent`.
    pub async_events_event: u32,
    /// How events reach this client.
    pub delivery: Delivery,
}

/// The state of one client binding (see the module documentation).
#[derive(Debug, Clone)]
pub struct ServerSession {
    config: ServerConfig,
    /// `None` before ClientAttach and after ClientDetach.
    state: Option<State>,
    /// Handles are never reused, not even across a detach and a new attach.
    next_handle: u32,
    events: VecDeque<Vec<u8>>,
}

impl ServerSession {
    /// A session over the devices of `config`, not yet attached.
    pub fn new(config: ServerConfig) -> ServerSession {
        ServerSession {
            config,
            state: None,
            next_handle: 0x0001_0000,
            events: VecDeque::new(),
        }
    }

    /// The configuration the session answers for.
    pub fn config(&self) -> &ServerConfig {
        &self.config
    }

    /// Whether ClientAttach succeeded and ClientDetach has not been called since.
    pub fn is_attached(&self) -> bool {
        self.state.is_some()
    }

    /// ClientAttach (3.1.4.1): starts the session. `lProcessID` −1 gets `phAsyncEventsEvent`
    /// = 0xA5C369A5 (this server supports NegotiateAPIVersionForAllDevices), −3 (MMC) gets
    /// 0x64646464 (a 64-bit platform; the simulated server grants administrator access, so
    /// never −19) and no events; any other value (a local process id) gets 0. A non-empty
    /// `domain_user` names a mailslot: pull model; an empty one: push model on `machine`
    /// (for an MMC client pszDomainUser is the user name and no events are sent at all).
    /// Attaching again starts a new session: everything of the previous one is forgotten.
    pub fn attach(&mut self, process_id: i32, domain_user: &str, machine: &str) -> Attached {
        self.events.clear();
        self.state = Some(State::new(process_id));
        let async_events_event = match process_id {
            PROCESS_ID_REMOTE => ASYNC_EVENTS_FOR_ALL_DEVICES,
            PROCESS_ID_MMC => ASYNC_EVENTS_MMC_64,
            _ => 0,
        };
        let delivery = if domain_user.is_empty() {
            Delivery::Push {
                machine: machine.into(),
            }
        } else {
            Delivery::Pull
        };
        Attached {
            return_value: 0,
            async_events_event,
            delivery,
        }
    }

    /// ClientDetach (3.1.4.3): ends the session; every handle, negotiation, outstanding
    /// request and queued event is forgotten (the seeds: "The service provider must not retain
    /// information from one session to the next"). Returns 0, or TAPIERR_INVALRPCCONTEXT when
    /// the session was not attached.
    pub fn detach(&mut self) -> i32 {
        self.events.clear();
        match self.state.take() {
            Some(_) => 0,
            None => TapiErr::INVALRPCCONTEXT.value() as i32,
        }
    }

    /// ClientRequest (3.1.4.1.2, 3.1.4.2). `buffer` is the pBuffer the client sent (its used
    /// part, `*plUsedSize` bytes) and `capacity` is lNeededSize. Returns the reply pBuffer, at
    /// most `capacity` bytes: `Ack_ReturnValue` in place of `Req_Func`, the output fields
    /// filled, VarData as the function's packet section describes.
    ///
    /// Failures, in order:
    /// * no attached session: `TAPIERR_INVALRPCCONTEXT` (design note, contradiction 6: the
    ///   network layer may fault instead);
    /// * the ClientRequest checks of 3.1.4.2 (lNeededSize < 60: `LINEERR_STRUCTURETOOSMALL`,
    ///   `*plUsedSize` < 4: `LINEERR_INVALPARAM`, an undocumented `Req_Func`:
    ///   `LINEERR_OPERATIONUNAVAIL`, the codes of [`crate::validation::CLIENT_REQUEST_RULES`]);
    /// * the function's 3.1.4.2 rules, stateful ones against this session: the first
    ///   violated rule's error code;
    /// * then the function's own processing.
    ///
    /// A buffer shorter than a TAPI32_MSG is answered with the 60-byte header (zero-filled
    /// past the client's bytes) when `capacity` allows it, else with the client's bytes cut to
    /// `capacity`, the first DWORD replaced by the error when it fits. Never panics.
    pub fn request(&mut self, buffer: &[u8], capacity: u32) -> Vec<u8> {
        let cap = usize::try_from(capacity).unwrap_or(usize::MAX);
        let used = i32::try_from(buffer.len()).unwrap_or(i32::MAX);
        let needed = i32::try_from(capacity).unwrap_or(i32::MAX);
        let mut dwords = [0u32; HEADER_DWORDS];
        for (d, c) in dwords.iter_mut().zip(buffer.chunks_exact(4)) {
            *d = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        }
        let error = |code: ErrorCode| -> Vec<u8> { error_reply(buffer, &dwords, cap, code) };
        if self.state.is_none() {
            return error(ErrorCode::Tapi(TapiErr::INVALRPCCONTEXT));
        }
        if buffer.len() < HEADER_LEN || (capacity as usize) < HEADER_LEN {
            let code = check_client_request(buffer, needed, used)
                .first()
                .map_or(ErrorCode::Line(LineErr::INVALPARAM), |v| v.error());
            return error(code);
        }
        let report = match &self.state {
            Some(state) => Report::for_call_with(
                buffer,
                needed,
                used,
                Some(&StateView {
                    state,
                    config: &self.config,
                }),
                None,
            ),
            None => return error(ErrorCode::Tapi(TapiErr::INVALRPCCONTEXT)),
        };
        if let Some(v) = report.violations.first() {
            return error(v.error());
        }
        let Ok(request) = Request::parse(buffer) else {
            return error(ErrorCode::Line(LineErr::OPERATIONFAILED));
        };
        let Some(func) = request.func() else {
            return error(ErrorCode::Line(LineErr::OPERATIONUNAVAIL));
        };
        let reply = self.dispatch(func, &request, cap);
        let mut out = BytesMut::new();
        reply.encode(&mut out);
        if let Reply::Events(_, ref events) = reply {
            out.extend_from_slice(events);
        }
        if out.len() > cap {
            // The rules of 3.1.4.2 and the room check before dispatch keep every output inside
            // lNeededSize; this is a guard.
            return error(handlers::operation_failed(func));
        }
        out.to_vec()
    }

    /// Events queued for this client, as ASYNCEVENTMSGs back to back (2.2.4.2, 3.3.4.2): as
    /// many whole events, oldest first, as fit in `max_bytes`. For the push model the network
    /// layer sends them with RemoteSPEventProc; for the pull model GetAsyncEvents (Req_Func
    /// 0) drains them into its reply itself.
    pub fn take_events(&mut self, max_bytes: usize) -> Vec<u8> {
        let mut out = Vec::new();
        while let Some(e) = self.events.front() {
            if out.len().saturating_add(e.len()) > max_bytes {
                break;
            }
            if let Some(e) = self.events.pop_front() {
                out.extend_from_slice(&e);
            }
        }
        out
    }

    /// Whether any event is queued.
    pub fn has_events(&self) -> bool {
        !self.events.is_empty()
    }

    /// The queued events, oldest first, one ASYNCEVENTMSG each (what [`take_events`] would
    /// return, without taking them).
    ///
    /// [`take_events`]: ServerSession::take_events
    pub fn queued_events(&self) -> impl Iterator<Item = &[u8]> + '_ {
        self.events.iter().map(Vec::as_slice)
    }

    /// The bytes of all queued events.
    pub fn queued_event_bytes(&self) -> usize {
        self.events.iter().map(Vec::len).sum()
    }

    /// The request ids of the asynchronous requests that have not completed yet (with
    /// [`AsyncCompletion::OnClose`]), oldest first.
    pub fn outstanding_requests(&self) -> Vec<u32> {
        self.state
            .as_ref()
            .map(|s| s.pending.iter().map(|p| p.request_id).collect())
            .unwrap_or_default()
    }

    /// The version state of a device in this session (negotiated, committed, selected
    /// extension); the default state when nothing was negotiated or the session is detached.
    pub fn device_versions(
        &self,
        device: crate::validation::Device,
        id: u32,
    ) -> super::negotiate::DeviceVersions {
        self.state
            .as_ref()
            .map(|s| s.versions_of(device, id))
            .unwrap_or_default()
    }

    /// The settings of the phone open as `h_phone` (HPHONE): what the successful Set
    /// requests changed, the defaults otherwise; `None` when no such phone is open.
    pub fn phone_settings(&self, h_phone: u32) -> Option<PhoneSettings> {
        self.settings_of(h_phone)
    }

    /// The phone handles (HPHONE) open in this session.
    pub fn open_phones(&self) -> Vec<u32> {
        self.state
            .as_ref()
            .map(|s| s.phones.iter().map(|p| p.h_phone).collect())
            .unwrap_or_default()
    }

    /// The line handles (HLINE) open in this session.
    pub fn open_lines(&self) -> Vec<u32> {
        self.state
            .as_ref()
            .map(|s| s.lines.iter().map(|l| l.h_line).collect())
            .unwrap_or_default()
    }

    /// The call handles (HCALL) live in this session.
    pub fn calls(&self) -> Vec<u32> {
        self.state
            .as_ref()
            .map(|s| s.calls.iter().map(|c| c.h_call).collect())
            .unwrap_or_default()
    }

    /// Simulates an incoming call on line device `device_id` (section 4.4): the first line
    /// this client opened on the device with LINECALLPRIVILEGE_OWNER gets a new call in the
    /// OFFERING state, announced by LINE_APPNEWCALL (2.2.4.2.1.6; only when the line was opened
    /// at TAPI 2.0 or later, 2.2.2) and LINE_CALLSTATE(OFFERING) (2.2.4.2.1.8). Returns the
    /// new HCALL, or `None` when no such line is open.
    pub fn offer_call(&mut self, device_id: u32) -> Option<u32> {
        let h_call = self.next_handle();
        let state = self.state.as_mut()?;
        let line = state
            .lines
            .iter()
            .find(|l| l.device_id == device_id && l.privileges & state::PRIVILEGE_OWNER != 0)?
            .clone();
        let mut call = state.new_call(h_call, &line, state::ORIGIN_INBOUND);
        let offering = crate::events::constants::LineCallState::OFFERING.get();
        if let Some(c) = state.calls.iter_mut().find(|c| c.h_call == h_call) {
            c.state = offering;
            c.states_seen |= offering;
            call = c.clone();
        }
        let app = state.line_app_of(&line);
        if line.version.0 >= crate::handles::Version::TAPI_2_0.0 {
            self.events
                .push_back(handlers::app_new_call(&app, &line, &call));
        }
        self.events.push_back(handlers::call_state(
            &app,
            &line,
            &call,
            crate::events::constants::LineCallState::OFFERING,
        ));
        Some(h_call)
    }

    fn next_handle(&mut self) -> u32 {
        let h = self.next_handle;
        self.next_handle = self.next_handle.checked_add(1).unwrap_or(0x0001_0000);
        h
    }

    fn push_event(&mut self, e: Vec<u8>) {
        // MMC clients get no events (4.7).
        if self
            .state
            .as_ref()
            .is_some_and(|s| s.process_id != PROCESS_ID_MMC)
        {
            self.events.push_back(e);
        }
    }

    fn completion_mode(&self) -> AsyncCompletion {
        self.config.async_completion
    }
}

/// A reply under construction: the fixed part (and outputs), plus for GetAsyncEvents the raw
/// events that follow it as VarData.
enum Reply {
    Built(ReplyBuilder),
    Events(ReplyBuilder, Vec<u8>),
}

impl Reply {
    fn encode(&self, out: &mut BytesMut) {
        match self {
            Reply::Built(b) | Reply::Events(b, _) => b.encode(out),
        }
    }
}

/// The reply to a request that failed before processing.
fn error_reply(
    buffer: &[u8],
    dwords: &[u32; HEADER_DWORDS],
    cap: usize,
    code: ErrorCode,
) -> Vec<u8> {
    if cap >= HEADER_LEN {
        let mut d = *dwords;
        d[0] = code.value();
        return d.iter().flat_map(|v| v.to_le_bytes()).collect();
    }
    let mut out: Vec<u8> = buffer.iter().copied().take(cap).collect();
    if out.len() >= 4 {
        out[..4].copy_from_slice(&code.value().to_le_bytes());
    }
    out
}

/// The reply with `Ack_ReturnValue` set to `v` and nothing else changed.
fn plain(func: FuncId, dwords: [u32; HEADER_DWORDS], v: ReturnValue) -> Reply {
    Reply::Built(ReplyBuilder::from_request_dwords(func, dwords).return_value(v))
}

/// The view of a session's tables that validation consults.
struct StateView<'a> {
    state: &'a State,
    config: &'a ServerConfig,
}
