//! What comes back: the reply to the request in flight ([`ClientSession::on_reply`]) and event
//! buffers ([`ClientSession::on_events`]), applied to the session's state.

use alloc::vec::Vec;

use crate::events::completions::SpecialCompletion;
use crate::events::constants::LineCallState;
use crate::events::remote::{Action, Identifier, Rejection, check_event};
use crate::events::{Event, EventBuffer, EventError, EventRole, Msg, RawEvent, ReplyResult};
use crate::handles::{HCall, HLine, HLineApp, HPhone, HPhoneApp, HandleKind, RequestId, Version};
use crate::header::HEADER_DWORDS;
use crate::replies::{Reply, ReturnValue};
use crate::requests::{Completion, FuncId};
use crate::vardata::ABSENT;

use super::{
    App, Awaiting, Binding, ClientSession, DeviceClass, EventModel, InFlight, Op, OpenLine,
    OpenPhone, Pending, RequestIds, SessionError,
};

/// What a reply did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyOutcome {
    /// The request it answered.
    pub pending: Pending,
    /// `Ack_ReturnValue`, classified for the request's function.
    pub result: ReturnValue,
    /// The change it made to the session (none for a failure).
    pub effect: Effect,
}

/// The change a successful reply made.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Effect {
    /// Nothing the session tracks (or the request failed).
    None,
    /// Initialize: `hLineApp` and `dwNumDevs`.
    LineInitialized(App<HLineApp>),
    /// Phone Initialize.
    PhoneInitialized(App<HPhoneApp>),
    /// NegotiateAPIVersion: the version the server is willing to use for the device.
    ApiVersion {
        /// Line or phone.
        class: DeviceClass,
        /// The device.
        device: u32,
        /// The version.
        version: Version,
    },
    /// NegotiateAPIVersionForAllDevices: per device, the version (`None` where the list
    /// holds 0).
    ApiVersions {
        /// Line devices 0.. .
        lines: Vec<Option<Version>>,
        /// Phone devices 0.. .
        phones: Vec<Option<Version>>,
    },
    /// NegotiateExtVersion.
    ExtVersion {
        /// Line or phone.
        class: DeviceClass,
        /// The device.
        device: u32,
        /// The extension version.
        version: Version,
    },
    /// SelectExtVersion (0: cancelled).
    ExtSelected {
        /// Line or phone.
        class: DeviceClass,
        /// The `hLine` or `hPhone`.
        handle: u32,
        /// The extension version.
        version: Version,
    },
    /// Open: the line and the version it is committed to.
    LineOpened {
        /// The handle.
        h_line: HLine,
        /// The device.
        device: u32,
        /// The committed version.
        version: Version,
        /// The handle events name it by.
        event_handle: u32,
    },
    /// Phone Open.
    PhoneOpened {
        /// The handle.
        h_phone: HPhone,
        /// The device.
        device: u32,
        /// The committed version.
        version: Version,
        /// The handle events name it by.
        event_handle: u32,
    },
    /// Close: the line and the calls that went with it.
    LineClosed {
        /// The line.
        h_line: HLine,
        /// Its calls, no longer valid.
        calls: Vec<HCall>,
    },
    /// Phone Close.
    PhoneClosed {
        /// The phone.
        h_phone: HPhone,
    },
    /// ShutDown: everything the app had.
    ShutDown {
        /// Line or phone.
        class: DeviceClass,
        /// Lines closed with it.
        lines: Vec<HLine>,
        /// Phones closed with it.
        phones: Vec<HPhone>,
        /// Calls released with it.
        calls: Vec<HCall>,
        /// Asynchronous requests of the app that will never be matched (their completions
        /// would carry the app's InitContext, now invalid).
        abandoned: Vec<(RequestId, Pending)>,
    },
    /// DeallocateCall.
    CallDeallocated {
        /// The call.
        h_call: HCall,
    },
    /// An asynchronous request was accepted: its completion is awaited under `id`.
    Awaiting {
        /// The request id.
        id: RequestId,
        /// With client-chosen ids: the completion already arrived (pushed before the
        /// ClientRequest returned) and was reported then.
        already_completed: bool,
    },
    /// GetAsyncEvents: the events it returned, applied.
    Events {
        /// The events.
        events: Vec<ClientEvent>,
        /// `dwNeededBufferSize` > `dwUsedBufferSize`: poll again.
        more: bool,
    },
}

/// One event, as the session applied it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientEvent {
    /// LINE_REPLY/PHONE_REPLY: an asynchronous request completed (exactly once).
    Completed {
        /// Its id.
        id: RequestId,
        /// The request.
        pending: Pending,
        /// Zero for success, else the LINEERR/PHONEERR code.
        result: ReplyResult,
        /// Calls the completion created (MakeCall's `hCall`, ...), now held.
        new_calls: Vec<HCall>,
    },
    /// A new call (LINE_APPNEWCALL, or an unseen `hCall` in LINE_CALLSTATE below TAPI 2.0).
    NewCall {
        /// The call.
        h_call: HCall,
        /// Its line.
        h_line: HLine,
        /// `Param1` of LINE_APPNEWCALL (address id), 0 otherwise.
        address_id: u32,
        /// `Param3` of LINE_APPNEWCALL (call id), 0 otherwise.
        call_id: u32,
    },
    /// LINE_CALLSTATE.
    CallState {
        /// The call.
        h_call: HCall,
        /// Its line.
        h_line: HLine,
        /// The state.
        state: LineCallState,
        /// `Param2`: the privilege.
        privilege: u32,
        /// `Param3`: the media mode.
        media_mode: u32,
    },
    /// LINE_CLOSE: the line and its calls are no longer valid.
    LineClosed {
        /// The line.
        h_line: HLine,
        /// Its calls.
        calls: Vec<HCall>,
    },
    /// PHONE_CLOSE.
    PhoneClosed {
        /// The phone.
        h_phone: HPhone,
    },
    /// LINE_CREATE/PHONE_CREATE.
    DeviceAdded {
        /// Line or phone.
        class: DeviceClass,
        /// The new device identifier.
        device: u32,
    },
    /// LINE_REMOVE/PHONE_REMOVE.
    DeviceRemoved {
        /// Line or phone.
        class: DeviceClass,
        /// The device identifier.
        device: u32,
    },
    /// An event the session passes on without tracking (decode it from the buffer at
    /// `offset`).
    Other {
        /// Index in the buffer.
        index: usize,
        /// Byte offset.
        offset: usize,
        /// `Msg`.
        msg: u32,
    },
    /// An event remotesp ignores (3.3.4.2) or that contradicts what the session holds.
    Ignored {
        /// Index in the buffer.
        index: usize,
        /// Byte offset.
        offset: usize,
        /// `Msg`.
        msg: u32,
        /// Why.
        reason: SessionError,
    },
}

fn is_phone(func: FuncId) -> bool {
    Op(func).is_phone()
}

fn field(func: FuncId, dwords: &[u32; HEADER_DWORDS], name: &str) -> u32 {
    func.desc().field(name).map_or(0, |(i, _)| dwords[i])
}

fn msg_name(msg: u32) -> &'static str {
    Msg::from_u32(msg).map_or("event", Msg::name)
}

impl ClientSession {
    /// Consumes the reply to the request in flight (the ClientRequest `pBuffer` as it came
    /// back) and applies it.
    pub fn on_reply(&mut self, reply: &[u8]) -> Result<ReplyOutcome, SessionError> {
        self.reply_inner(None, reply)
    }

    /// [`ClientSession::on_reply`], refusing the reply if the request in flight is not `func`
    /// (the request stays in flight then).
    pub fn on_reply_for(
        &mut self,
        func: FuncId,
        reply: &[u8],
    ) -> Result<ReplyOutcome, SessionError> {
        self.reply_inner(Some(func), reply)
    }

    fn reply_inner(
        &mut self,
        said: Option<FuncId>,
        bytes: &[u8],
    ) -> Result<ReplyOutcome, SessionError> {
        let Some(f) = self.in_flight else {
            return Err(SessionError::NoRequestInFlight { func: said.map(Op) });
        };
        if let Some(s) = said {
            if s != f.pending.func {
                return Err(SessionError::ReplyMismatch {
                    said: Op(s),
                    waiting: Op(f.pending.func),
                });
            }
        }
        self.in_flight = None;
        let func = f.pending.func;
        let reply = match Reply::parse(func, bytes) {
            Ok(r) => r,
            Err(error) => {
                self.forget_chosen(&f);
                return Err(SessionError::Decode {
                    op: Op(func),
                    error,
                });
            }
        };
        let result = reply.return_value();
        let effect = match result {
            ReturnValue::RequestId(id) => self.track(&f, id)?,
            ReturnValue::Success => {
                // An asynchronous function answered 0 completed at once: nothing to await.
                self.forget_chosen(&f);
                self.apply_success(&f, &reply, bytes)?
            }
            ReturnValue::Error(_) | ReturnValue::Unknown(_) => {
                self.forget_chosen(&f);
                Effect::None
            }
        };
        Ok(ReplyOutcome {
            pending: f.pending,
            result,
            effect,
        })
    }

    /// Drops the entry a client-chosen id made at sending, when no completion will follow.
    fn forget_chosen(&mut self, f: &InFlight) {
        if let Some(id) = f.chosen {
            self.awaiting.remove(&id.0);
            self.completed_early.remove(&id.0);
        }
    }

    fn track(&mut self, f: &InFlight, id: RequestId) -> Result<Effect, SessionError> {
        let op = Op(f.pending.func);
        match (self.config.request_ids, f.chosen) {
            (RequestIds::ClientChosen, Some(sent)) => {
                if sent != id {
                    self.forget_chosen(f);
                    return Err(SessionError::RequestIdMismatch {
                        op,
                        sent,
                        answered: id,
                    });
                }
                if self.completed_early.remove(&id.0) {
                    return Ok(Effect::Awaiting {
                        id,
                        already_completed: true,
                    });
                }
                if let Some(a) = self.awaiting.get_mut(&id.0) {
                    a.acked = true;
                }
                Ok(Effect::Awaiting {
                    id,
                    already_completed: false,
                })
            }
            _ => {
                if self.awaiting.contains_key(&id.0) {
                    return Err(SessionError::DuplicateRequestId { op, id });
                }
                let h_line = self.line_of_request(f.pending.func, &f.dwords);
                self.awaiting.insert(
                    id.0,
                    Awaiting {
                        pending: f.pending,
                        h_line,
                        acked: true,
                    },
                );
                Ok(Effect::Awaiting {
                    id,
                    already_completed: false,
                })
            }
        }
    }

    fn apply_success(
        &mut self,
        f: &InFlight,
        reply: &Reply<'_>,
        bytes: &[u8],
    ) -> Result<Effect, SessionError> {
        let func = f.pending.func;
        let op = Op(func);
        let sent = |name: &str| field(func, &f.dwords, name);
        let got = |name: &str| reply.get(name).unwrap_or(0);
        let bad = |field: &'static str, value: u32, why: &'static str| SessionError::BadReply {
            op,
            field,
            value,
            why,
        };
        let in_range = |v: u32, low: u32, high: u32| low <= v && v <= high;
        Ok(match func {
            FuncId::LineInitialize | FuncId::PhoneInitialize => {
                let (name, class) = if func == FuncId::LineInitialize {
                    ("hLineApp", DeviceClass::Line)
                } else {
                    ("hPhoneApp", DeviceClass::Phone)
                };
                let handle = got(name);
                if handle == 0 || handle == ABSENT {
                    return Err(bad(name, handle, "is not a usage handle"));
                }
                let num_devs = got("dwNumDevs");
                if class == DeviceClass::Line {
                    let app = App {
                        handle: HLineApp(handle),
                        num_devs,
                    };
                    self.line_app = Some(app);
                    self.line_devices.clear();
                    Effect::LineInitialized(app)
                } else {
                    let app = App {
                        handle: HPhoneApp(handle),
                        num_devs,
                    };
                    self.phone_app = Some(app);
                    self.phone_devices.clear();
                    Effect::PhoneInitialized(app)
                }
            }
            FuncId::LineNegotiateAPIVersion | FuncId::PhoneNegotiateAPIVersion => {
                let (device, class) = if func == FuncId::LineNegotiateAPIVersion {
                    (sent("dwDeviceID"), DeviceClass::Line)
                } else {
                    (sent("dwDeviceIDLocal"), DeviceClass::Phone)
                };
                let v = got("dwNegotiatedVersion");
                if !in_range(v, sent("dwVersion"), sent("dwVersionCurrent"))
                    || !Version(v).is_tapi_version()
                {
                    return Err(bad(
                        "dwNegotiatedVersion",
                        v,
                        "is not a TAPI version in the range asked",
                    ));
                }
                self.devices_mut(class).entry(device).or_default().api = Some(Version(v));
                Effect::ApiVersion {
                    class,
                    device,
                    version: Version(v),
                }
            }
            FuncId::NegotiateAPIVersionForAllDevices => {
                let high = sent("dwAPIHighVersion");
                let mut lists = [Vec::new(), Vec::new()];
                for (k, (offset, count)) in [
                    ("dwLineAPIVersionListOffset", sent("dwNumLineDevices")),
                    ("dwPhoneAPIVersionListOffset", sent("dwNumPhoneDevices")),
                ]
                .into_iter()
                .enumerate()
                {
                    if count == 0 {
                        continue;
                    }
                    let out = reply
                        .output_named(offset)
                        .ok_or(bad(offset, 0, "is missing"))?;
                    let data = out
                        .data
                        .map_err(|error| SessionError::Decode { op, error })?
                        .ok_or(bad(offset, ABSENT, "points at no list"))?;
                    let needed = (count as usize).saturating_mul(4);
                    if data.len() < needed {
                        return Err(bad(offset, out.raw, "points at a list shorter than asked"));
                    }
                    for chunk in data[..needed].chunks_exact(4) {
                        let v = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
                        if v != 0 && (v > high || !Version(v).is_tapi_version()) {
                            return Err(bad(offset, v, "lists a version above the one asked"));
                        }
                        lists[k].push((v != 0).then_some(Version(v)));
                    }
                }
                let [lines, phones] = lists;
                for (class, list) in [(DeviceClass::Line, &lines), (DeviceClass::Phone, &phones)] {
                    for (device, v) in list.iter().enumerate() {
                        self.devices_mut(class)
                            .entry(device as u32)
                            .or_default()
                            .api = *v;
                    }
                }
                Effect::ApiVersions { lines, phones }
            }
            FuncId::LineNegotiateExtVersion | FuncId::PhoneNegotiateExtVersion => {
                let class = if func == FuncId::LineNegotiateExtVersion {
                    DeviceClass::Line
                } else {
                    DeviceClass::Phone
                };
                let device = sent("dwDeviceID");
                let v = got("lpdwExtVersion");
                if !in_range(v, sent("dwLowVersion"), sent("dwHighVersion")) {
                    return Err(bad("lpdwExtVersion", v, "is outside the range asked"));
                }
                self.devices_mut(class).entry(device).or_default().ext = Some(Version(v));
                Effect::ExtVersion {
                    class,
                    device,
                    version: Version(v),
                }
            }
            FuncId::LineSelectExtVersion => {
                let h = sent("hLine");
                let v = Version(sent("dwExtVersion"));
                if let Some(l) = self.lines.get_mut(&h) {
                    l.ext = v;
                }
                Effect::ExtSelected {
                    class: DeviceClass::Line,
                    handle: h,
                    version: v,
                }
            }
            FuncId::PhoneSelectExtVersion => {
                let h = sent("hPhone");
                let v = Version(sent("dwExtVersion"));
                if let Some(p) = self.phones.get_mut(&h) {
                    p.ext = v;
                }
                Effect::ExtSelected {
                    class: DeviceClass::Phone,
                    handle: h,
                    version: v,
                }
            }
            FuncId::LineOpen => {
                let h = got("hLine");
                if h == 0 || h == ABSENT || self.lines.contains_key(&h) {
                    return Err(bad("hLine", h, "is not a new line handle"));
                }
                let remote = sent("hRemoteLine");
                let event_handle = if remote != 0 { remote } else { h };
                let device = sent("dwDeviceID");
                let version = Version(sent("dwNegotiatedVersion"));
                self.lines.insert(
                    h,
                    OpenLine {
                        device,
                        version,
                        ext: Version(sent("dwExtVersion")),
                        event_handle,
                        calls: Default::default(),
                    },
                );
                self.line_events.insert(event_handle, h);
                Effect::LineOpened {
                    h_line: HLine(h),
                    device,
                    version,
                    event_handle,
                }
            }
            FuncId::PhoneOpen => {
                let h = got("hPhone");
                if h == 0 || h == ABSENT || self.phones.contains_key(&h) {
                    return Err(bad("hPhone", h, "is not a new phone handle"));
                }
                let remote = sent("hRemotePhone");
                let event_handle = if remote != 0 { remote } else { h };
                let device = sent("dwDeviceID");
                let version = Version(sent("dwNegotiatedVersion"));
                self.phones.insert(
                    h,
                    OpenPhone {
                        device,
                        version,
                        ext: Version(sent("dwExtVersion")),
                        event_handle,
                    },
                );
                self.phone_events.insert(event_handle, h);
                Effect::PhoneOpened {
                    h_phone: HPhone(h),
                    device,
                    version,
                    event_handle,
                }
            }
            FuncId::LineClose => {
                let h = sent("hLine");
                Effect::LineClosed {
                    h_line: HLine(h),
                    calls: self.drop_line(h),
                }
            }
            FuncId::PhoneClose => {
                let h = sent("hPhone");
                self.drop_phone(h);
                Effect::PhoneClosed { h_phone: HPhone(h) }
            }
            FuncId::LineShutDown => self.shut_down(DeviceClass::Line),
            FuncId::PhoneShutDown => self.shut_down(DeviceClass::Phone),
            FuncId::LineDeallocateCall => {
                let h = sent("hCall");
                self.remove_call(h);
                Effect::CallDeallocated { h_call: HCall(h) }
            }
            FuncId::GetAsyncEvents => {
                let buffer = EventBuffer::from_get_async_events_reply(bytes)
                    .map_err(SessionError::Events)?;
                let more = got("dwNeededBufferSize") > got("dwUsedBufferSize");
                let events = self.process_events(buffer)?;
                Effect::Events { events, more }
            }
            _ => Effect::None,
        })
    }

    fn devices_mut(
        &mut self,
        class: DeviceClass,
    ) -> &mut alloc::collections::BTreeMap<u32, super::DeviceVersions> {
        match class {
            DeviceClass::Line => &mut self.line_devices,
            DeviceClass::Phone => &mut self.phone_devices,
        }
    }

    fn shut_down(&mut self, class: DeviceClass) -> Effect {
        let mut lines = Vec::new();
        let mut phones = Vec::new();
        let mut calls = Vec::new();
        match class {
            DeviceClass::Line => {
                let handles: Vec<u32> = self.lines.keys().copied().collect();
                for h in handles {
                    calls.extend(self.drop_line(h));
                    lines.push(HLine(h));
                }
                self.line_app = None;
                self.line_devices.clear();
            }
            DeviceClass::Phone => {
                let handles: Vec<u32> = self.phones.keys().copied().collect();
                for h in handles {
                    self.drop_phone(h);
                    phones.push(HPhone(h));
                }
                self.phone_app = None;
                self.phone_devices.clear();
            }
        }
        let phone = class == DeviceClass::Phone;
        let ids: Vec<u32> = self
            .awaiting
            .iter()
            .filter(|(_, a)| is_phone(a.pending.func) == phone)
            .map(|(id, _)| *id)
            .collect();
        let mut abandoned = Vec::new();
        for id in ids {
            if let Some(a) = self.awaiting.remove(&id) {
                self.completed_early.remove(&id);
                abandoned.push((RequestId(id), a.pending));
            }
        }
        Effect::ShutDown {
            class,
            lines,
            phones,
            calls,
            abandoned,
        }
    }

    /// Consumes a RemoteSPEventProc `pBuffer` (3.3.4.2) and applies its events in order.
    /// Fails as a whole (applying nothing) on a framing error or an invalid InitContext;
    /// events that 3.3.4.2 says to ignore come back as [`ClientEvent::Ignored`].
    pub fn on_events(&mut self, buffer: &[u8]) -> Result<Vec<ClientEvent>, SessionError> {
        match &self.binding {
            Binding::Attached(a) if a.events() == EventModel::None => {
                return Err(SessionError::EventsForMmc);
            }
            Binding::Attached(_) => {}
            _ => {
                return Err(SessionError::NotAttached {
                    what: "RemoteSPEventProc",
                });
            }
        }
        self.process_events(EventBuffer::new(buffer))
    }

    fn process_events(
        &mut self,
        buffer: EventBuffer<'_>,
    ) -> Result<Vec<ClientEvent>, SessionError> {
        let (raws, error) = buffer.split();
        if let Some(e) = error {
            return Err(SessionError::Events(e));
        }
        // The whole-notification checks first: nothing is applied if one fails. An
        // InitContext this client hands out itself (ClientConfig::line_init_context /
        // phone_init_context) whose app is shut down is not garbage but a late event: the
        // server may force-complete the app's requests while shutting it down and deliver
        // them after the ShutDown reply (spec-notes/session-client.md). Such events are
        // ignored one by one below; only a foreign InitContext fails the notification.
        for raw in &raws {
            if let Err(r) = check_event(*raw, &*self) {
                if r.action == Action::Fail && !self.is_own_init_context(r.value) {
                    return Err(SessionError::BadInitContext {
                        index: raw.index,
                        offset: raw.offset,
                        value: r.value,
                    });
                }
            }
        }
        let mut out = Vec::with_capacity(raws.len());
        for raw in raws {
            // The per-event checks against the state as the events before left it.
            match check_event(raw, &*self) {
                Ok(()) => self.apply_event(raw, &mut out),
                Err(r) => out.push(ClientEvent::Ignored {
                    index: raw.index,
                    offset: raw.offset,
                    msg: raw.msg(),
                    reason: SessionError::Rejected(r),
                }),
            }
        }
        Ok(out)
    }

    /// Whether `value` is one of the InitContexts this client puts in Initialize.
    fn is_own_init_context(&self, value: u32) -> bool {
        value == self.config.line_init_context || value == self.config.phone_init_context
    }

    fn apply_event(&mut self, raw: RawEvent<'_>, out: &mut Vec<ClientEvent>) {
        let (index, offset, msg) = (raw.index, raw.offset, raw.msg());
        let ignored = |reason| ClientEvent::Ignored {
            index,
            offset,
            msg,
            reason,
        };
        let event = match Event::parse(raw) {
            Ok(e) => e,
            Err(e) => {
                out.push(ignored(SessionError::Events(EventError::at(&raw, e))));
                return;
            }
        };
        let name = msg_name(msg);
        match event {
            Event::LineReply(_) | Event::PhoneReply(_) => match self.complete(raw) {
                Ok(e) => out.push(e),
                Err(reason) => out.push(ignored(reason)),
            },
            Event::LineAppNewCall(e) => {
                let Some(h_line) = self.line_by_event(e.h_remote_line().0) else {
                    out.push(ignored(SessionError::NoDevice { msg: name }));
                    return;
                };
                let version = self.lines.get(&h_line.0).map_or(Version(0), |l| l.version);
                if version < Version::TAPI_2_0 {
                    out.push(ignored(SessionError::AppNewCallBefore20 {
                        h_line,
                        version,
                    }));
                    return;
                }
                let h_call = e.h_new_call();
                if !self.add_call(h_call.0, h_line) {
                    out.push(ignored(SessionError::DuplicateCall { msg: name, h_call }));
                    return;
                }
                out.push(ClientEvent::NewCall {
                    h_call,
                    h_line,
                    address_id: e.address_id(),
                    call_id: e.call_id(),
                });
            }
            Event::LineCallState(e) => {
                let h_call = e.h_call();
                if !self.calls.contains_key(&h_call.0) {
                    // Below TAPI 2.0 an unseen hCall is a new call (2.2.2).
                    let line = self.line_by_event(e.h_remote_line().0);
                    let old = line
                        .and_then(|h| self.lines.get(&h.0))
                        .is_some_and(|l| l.version < Version::TAPI_2_0);
                    match line {
                        Some(h_line) if old && self.add_call(h_call.0, h_line) => {
                            out.push(ClientEvent::NewCall {
                                h_call,
                                h_line,
                                address_id: 0,
                                call_id: 0,
                            });
                        }
                        _ => {
                            out.push(ignored(SessionError::UnknownEventCall {
                                msg: name,
                                h_call,
                            }));
                            return;
                        }
                    }
                }
                let Some(call) = self.calls.get_mut(&h_call.0) else {
                    return;
                };
                call.state = e.call_state();
                out.push(ClientEvent::CallState {
                    h_call,
                    h_line: call.h_line,
                    state: e.call_state(),
                    privilege: e.privilege().0,
                    media_mode: e.media_mode().0,
                });
            }
            Event::LineClose(e) => match self.line_by_event(e.h_remote_line().0) {
                Some(h_line) => {
                    let calls = self.drop_line(h_line.0);
                    out.push(ClientEvent::LineClosed { h_line, calls });
                }
                None => out.push(ignored(SessionError::NoDevice { msg: name })),
            },
            Event::PhoneClose(e) => {
                let handle = e.h_remote_phone().0;
                match self.phone_events.get(&handle).copied() {
                    Some(h) if handle != 0 => {
                        self.drop_phone(h);
                        out.push(ClientEvent::PhoneClosed { h_phone: HPhone(h) });
                    }
                    _ => out.push(ignored(SessionError::NoDevice { msg: name })),
                }
            }
            Event::LineCreate(e) => out.push(self.device_added(DeviceClass::Line, e.device_id())),
            Event::PhoneCreate(e) => out.push(self.device_added(DeviceClass::Phone, e.device_id())),
            Event::LineRemove(e) => {
                out.push(self.device_removed(DeviceClass::Line, e.device_id(), raw))
            }
            Event::PhoneRemove(e) => {
                out.push(self.device_removed(DeviceClass::Phone, e.device_id(), raw))
            }
            _ => out.push(ClientEvent::Other { index, offset, msg }),
        }
    }

    fn line_by_event(&self, handle: u32) -> Option<HLine> {
        if handle == 0 {
            return None;
        }
        self.line_events.get(&handle).map(|h| HLine(*h))
    }

    fn device_added(&mut self, class: DeviceClass, device: u32) -> ClientEvent {
        let app_devs = match class {
            DeviceClass::Line => self.line_app.as_mut().map(|a| &mut a.num_devs),
            DeviceClass::Phone => self.phone_app.as_mut().map(|a| &mut a.num_devs),
        };
        if let Some(n) = app_devs {
            *n = (*n).max(device.saturating_add(1));
        }
        if let Some(d) = self.devices_mut(class).get_mut(&device) {
            d.removed = false;
        }
        ClientEvent::DeviceAdded { class, device }
    }

    fn device_removed(
        &mut self,
        class: DeviceClass,
        device: u32,
        raw: RawEvent<'_>,
    ) -> ClientEvent {
        let count = match class {
            DeviceClass::Line => self.line_app.map_or(0, |a| a.num_devs),
            DeviceClass::Phone => self.phone_app.map_or(0, |a| a.num_devs),
        };
        if device >= count {
            // Only the next identifier passes the 3.3.4.2 check without existing.
            return ClientEvent::Ignored {
                index: raw.index,
                offset: raw.offset,
                msg: raw.msg(),
                reason: SessionError::Rejected(Rejection {
                    action: Action::Ignore,
                    what: match class {
                        DeviceClass::Line => Identifier::LineDevice,
                        DeviceClass::Phone => Identifier::PhoneDevice,
                    },
                    field: "Param1",
                    offset: 24,
                    value: device,
                    msg: raw.msg(),
                }),
            };
        }
        self.devices_mut(class).entry(device).or_default().removed = true;
        ClientEvent::DeviceRemoved { class, device }
    }

    /// A LINE_REPLY/PHONE_REPLY whose id is outstanding (checked by 3.3.4.2 before).
    fn complete(&mut self, raw: RawEvent<'_>) -> Result<ClientEvent, SessionError> {
        let id = raw.dword(6).unwrap_or(0);
        let result = raw.dword(7).unwrap_or(0);
        let Some(a) = self.awaiting.get(&id).copied() else {
            // Unreachable after the check; reported rather than assumed.
            return Err(SessionError::Rejected(Rejection {
                action: Action::Ignore,
                what: Identifier::RequestId,
                field: "dwRemoteRequestID",
                offset: 24,
                value: id,
                msg: raw.msg(),
            }));
        };
        let func = a.pending.func;
        let phone_reply = raw.msg() == Msg::PhoneReply as u32;
        if phone_reply != is_phone(func) {
            return Err(SessionError::WrongReplyKind {
                msg: msg_name(raw.msg()),
                op: Op(func),
                id: RequestId(id),
            });
        }
        let mut handles = Vec::new();
        match SpecialCompletion::parse(func, raw) {
            Ok(Some(c)) => {
                if result == 0 {
                    handles.extend(
                        c.typed()
                            .fields()
                            .filter(|f| f.field.role == EventRole::Handle(HandleKind::HCall))
                            .map(|f| f.value)
                            .filter(|v| *v != 0),
                    );
                }
            }
            Ok(None) => {}
            // A failed request may complete with a plain LINE_REPLY.
            Err(_) if result != 0 => {}
            Err(error) => {
                return Err(SessionError::BadCompletion {
                    op: Op(func),
                    id: RequestId(id),
                    error,
                });
            }
        }
        self.awaiting.remove(&id);
        if !a.acked {
            self.completed_early.insert(id);
        }
        let mut new_calls = Vec::new();
        if let Some(h_line) = a.h_line {
            for h in handles {
                if self.add_call(h, h_line) {
                    new_calls.push(HCall(h));
                }
            }
        }
        debug_assert!(func.desc().completion == Completion::Async);
        Ok(ClientEvent::Completed {
            id: RequestId(id),
            pending: a.pending,
            result: ReplyResult(result),
            new_calls,
        })
    }
}
