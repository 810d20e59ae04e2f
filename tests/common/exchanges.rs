//! The twelve exchanges of [MS-TRP] section 4 (4.1-4.12) as scripts, replayed in memory
//! between a [`ClientSession`] and a [`ServerSession`] (issue 11, item 2), written once for
//! both users: `tests/session_exchanges.rs` runs each one, and
//! `examples/write_capture_samples.rs` (which includes this file with `#[path]`) writes the
//! [`Step`]s each one records as a capture through the RPC layer. Every request the client
//! builds goes through `ServerSession::request`, every reply back through
//! `ClientSession::on_reply`, and every event the server queues reaches the client through
//! `ClientSession::on_events` (the push model: ClientAttach with an empty pszDomainUser, so
//! the server calls RemoteSPEventProc). Each step asserts what the sentence of section 4 quoted
//! above it says; the decisions where section 4 is silent or contradicts section 2 are in
//! `spec-notes/session.md` (Drop is asynchronous, the built-in ACD proxy, MMC clients).
//!
//! What crosses the wire is recorded in [`Exchange::steps`]: ClientAttach, each
//! ClientRequest's buffer and reply, each batch of events the client was given, ClientDetach.
//! Requests a step sends only to show that the server refuses them (a freed handle, a
//! detached session) go to the server directly and are not recorded.
#![allow(dead_code)]

use mstrp::errors::{ErrorCode, LineErr};
use mstrp::events::constants::LineCallState;
use mstrp::events::{EventBuffer, Msg};
use mstrp::handles::{HAgent, HCall, HLine, RequestId, Version};
use mstrp::replies::{Reply, ReturnValue};
use mstrp::requests::{FuncId, builders};
use mstrp::session::client::{
    AttachKind, ClientEvent, ClientSession, Effect, OpenParams, Outgoing, ReplyOutcome,
    SessionError,
};
use mstrp::session::{ServerConfig, ServerSession};
use mstrp::structures::{AnyStructure, StructBuilder, desc_by_name};

/// pszMachine of a push-model client: `NAME"protseq"endpoint"` (3.1.4.1).
/// The client's remotesp endpoint is TCP port 50001 (the port the sample captures use).
pub const MACHINE: &str = "WORKSTATION1\"ncacn_ip_tcp\"50001\"";
/// 3.1.4.1: "If lProcessId equals 0xFFFFFFFF (-1) and the server supports the
/// NegotiateAPIVersionForAllDevices request, the server MUST set the value of
/// phAsyncEventsEvent to 0xa5c369a5."
const NEGOTIATE_ALL: u32 = 0xA5C3_69A5;
/// 3.1.4.1: for lProcessID −3 "0x64646464 for a 64-bit platform".
const MMC_64: u32 = 0x6464_6464;
/// The line device every exchange uses.
const DEVICE: u32 = 0;

/// What a step returns: the request the client built, or why it refused.
type Built = Result<Outgoing, SessionError>;

/// One thing that crossed the wire, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// ClientAttach (3.1.4.1): its parameters and what the server answered.
    Attach {
        /// lProcessID.
        l_process_id: i32,
        /// pszDomainUser (empty: push model, the server calls the client's remotesp).
        domain_user: String,
        /// pszMachine.
        machine: String,
        /// The return value.
        return_value: i32,
        /// phAsyncEventsEvent.
        async_events_event: i32,
    },
    /// ClientRequest (3.1.4.2): the client's buffer, lNeededSize, and the reply buffer.
    Request {
        /// pBuffer as sent (`*plUsedSize` bytes).
        request: Vec<u8>,
        /// lNeededSize.
        needed: u32,
        /// pBuffer as answered.
        reply: Vec<u8>,
    },
    /// Events the client was given, ASYNCEVENTMSGs back to back (RemoteSPEventProc, 3.3.4.2).
    Events(Vec<u8>),
    /// ClientDetach (3.1.4.3) and its return value.
    Detach(i32),
}

/// A client session wired to a server session in memory.
pub struct Exchange {
    /// The client.
    pub client: ClientSession,
    /// The server.
    pub server: ServerSession,
    /// What crossed the wire so far.
    pub steps: Vec<Step>,
}

impl Exchange {
    /// ClientAttach on both sides: "The method returns 0 on success" (4.1).
    fn attach(kind: AttachKind, expected_event: u32) -> Exchange {
        let mut client = ClientSession::new();
        let mut server = ServerSession::new(ServerConfig::default());
        let stub = client.attach(kind.clone()).expect("attach builds");
        assert_eq!(
            stub,
            mstrp::rpc::methods::ClientAttachRequestBuilder::new(
                kind.l_process_id(),
                kind.psz_domain_user(),
                kind.psz_machine()
            )
        );
        let attached = server.attach(
            kind.l_process_id(),
            kind.psz_domain_user(),
            kind.psz_machine(),
        );
        assert_eq!(attached.return_value, 0);
        assert_eq!(attached.async_events_event, expected_event);
        client
            .attached(attached.return_value, attached.async_events_event as i32)
            .expect("attached");
        let steps = vec![Step::Attach {
            l_process_id: kind.l_process_id(),
            domain_user: kind.psz_domain_user().to_string(),
            machine: kind.psz_machine().to_string(),
            return_value: attached.return_value,
            async_events_event: attached.async_events_event as i32,
        }];
        Exchange {
            client,
            server,
            steps,
        }
    }

    /// One ClientRequest: the client's bytes to the server (lNeededSize = the buffer's
    /// length, as the client lays out its output areas in VarData), the reply back.
    fn call(&mut self, out: impl FnOnce(&mut ClientSession) -> Built) -> (ReplyOutcome, Vec<u8>) {
        let out = out(&mut self.client).expect("the client builds the request");
        let func = out.pending.func;
        let bytes = out.into_bytes();
        let capacity = u32::try_from(bytes.len()).unwrap();
        let reply = self.server.request(&bytes, capacity);
        self.steps.push(Step::Request {
            request: bytes.to_vec(),
            needed: capacity,
            reply: reply.clone(),
        });
        let outcome = self
            .client
            .on_reply_for(func, &reply)
            .expect("the client accepts the reply");
        (outcome, reply)
    }

    /// A synchronous request: "returns 0 if it is successful".
    fn sync_ok(&mut self, out: impl FnOnce(&mut ClientSession) -> Built) -> (Effect, Vec<u8>) {
        let (outcome, reply) = self.call(out);
        assert_eq!(
            outcome.result,
            ReturnValue::Success,
            "{:?}",
            outcome.pending
        );
        (outcome.effect, reply)
    }

    /// The events the server has queued, delivered with RemoteSPEventProc.
    fn events(&mut self) -> Vec<ClientEvent> {
        let bytes = self.server.take_events(usize::MAX);
        if bytes.is_empty() {
            return Vec::new();
        }
        self.steps.push(Step::Events(bytes.clone()));
        self.client
            .on_events(&bytes)
            .expect("the client accepts the events")
    }

    /// The events queued, as raw buffer (for values the client does not surface).
    fn raw_events(&mut self) -> Vec<u8> {
        let bytes = self.server.take_events(usize::MAX);
        if !bytes.is_empty() {
            self.steps.push(Step::Events(bytes.clone()));
        }
        bytes
    }

    /// An asynchronous request: "The return value is a positive number that is the request
    /// identifier", then "the LINE_REPLY packet, which matches the request identifier
    /// previously returned ... A return value of 0 indicates that the operation was carried
    /// out successfully". Returns the id and the events that followed the completion.
    fn async_ok(
        &mut self,
        out: impl FnOnce(&mut ClientSession) -> Built,
    ) -> (RequestId, Vec<ClientEvent>) {
        let (id, events) = self.async_request(out);
        let events = self.client.on_events(&events).expect("events accepted");
        (id, completed(events, id))
    }

    /// The request part of [`Exchange::async_ok`]; the raw events are returned undelivered.
    fn async_request(
        &mut self,
        out: impl FnOnce(&mut ClientSession) -> Built,
    ) -> (RequestId, Vec<u8>) {
        let (outcome, _) = self.call(out);
        let ReturnValue::RequestId(id) = outcome.result else {
            panic!(
                "{:?}: not a request id: {:?}",
                outcome.pending, outcome.result
            )
        };
        assert!(id.0 > 0 && id.0 <= 0x7FFF_FFFF, "positive: {id:?}");
        assert!(matches!(outcome.effect, Effect::Awaiting { id: i, .. } if i == id));
        assert!(self.client.outstanding().any(|(i, _)| i == id));
        (id, self.raw_events())
    }

    /// Section 4.1 after ClientAttach: Initialize, NegotiateAPIVersionForAllDevices,
    /// GetDevCaps, GetAddressCaps, Open. Returns the open line and its version.
    fn establish(&mut self) -> (HLine, Version) {
        // "The server returns the number of line devices available to the application. The
        // return value of the function is 0 if it is successful".
        let (effect, _) = self.sync_ok(|c| c.initialize("WORKSTATION1"));
        let Effect::LineInitialized(app) = effect else {
            panic!("{effect:?}")
        };
        assert_eq!(
            app.num_devs, 2,
            "the two lines of the default configuration"
        );
        // "The server returns the list of negotiated TAPI and extension versions."
        let (effect, _) = self.sync_ok(|c| {
            c.negotiate_api_version_for_all_devices(app.num_devs, 0, Version::TAPI_3_1)
        });
        let Effect::ApiVersions { lines, phones } = effect else {
            panic!("{effect:?}")
        };
        assert_eq!(lines.len(), 2);
        assert!(phones.is_empty());
        let version = lines[DEVICE as usize].expect("device 0 has a version");
        assert!(version.0 >= 0x0001_0003 && version.0 <= Version::TAPI_3_1.0);
        assert_eq!(self.client.line_device(DEVICE).api, Some(version));
        // "The server returns a packet of LINEDEVCAPS, which is valid for all addresses on
        // the line device."
        let (_, reply) = self.sync_ok(|c| c.get_dev_caps(DEVICE, version, Version(0)));
        let reply = Reply::parse(FuncId::LineGetDevCaps, &reply).unwrap();
        let out = reply.output_named("lpLineDevCaps").unwrap();
        let Some(AnyStructure::LINEDEVCAPS(caps)) = out.structure_with(version).unwrap() else {
            panic!("not a LINEDEVCAPS")
        };
        assert!(caps.line_name().unwrap().unwrap().eq_str("Line 0"));
        // "The server returns a packet of LINEADDRESSCAPS, which is valid for the line address."
        let (_, reply) = self.sync_ok(|c| c.get_address_caps(DEVICE, 0, version, Version(0)));
        let reply = Reply::parse(FuncId::LineGetAddressCaps, &reply).unwrap();
        let out = reply.output_named("lpAddressCaps").unwrap();
        assert!(matches!(
            out.structure_with(version).unwrap(),
            Some(AnyStructure::LINEADDRESSCAPS(_))
        ));
        // "The server opens the line device and returns a handle for the opened line device."
        let (effect, _) = self.sync_ok(|c| c.open(DEVICE, version, OpenParams::default()));
        let Effect::LineOpened { h_line, device, .. } = effect else {
            panic!("{effect:?}")
        };
        assert_eq!(device, DEVICE);
        assert_eq!(self.server.open_lines(), vec![h_line.0]);
        assert!(self.client.line(h_line).is_some());
        (h_line, version)
    }

    /// Section 4.2: Close, Shutdown, ClientDetach.
    fn terminate(&mut self, h_line: HLine) {
        // "The server closes the line and returns 0 if it is successful".
        let (effect, _) = self.sync_ok(|c| c.close(h_line));
        assert!(matches!(effect, Effect::LineClosed { h_line: h, .. } if h == h_line));
        assert!(self.server.open_lines().is_empty());
        self.shutdown_and_detach();
    }

    /// Section 4.8 (and the end of 4.2): Shutdown, ClientDetach.
    fn shutdown_and_detach(&mut self) {
        // "The server shuts down the abstraction and returns 0 if it is successful".
        let (effect, _) = self.sync_ok(|c| c.shutdown());
        assert!(matches!(effect, Effect::ShutDown { .. }), "{effect:?}");
        self.assert_agree();
        // "the server frees the referenced binding instance and releases the allocated
        // resources associated with the client."
        let abandoned = self.client.detach().expect("detach");
        assert!(abandoned.is_empty());
        let detached = self.server.detach();
        assert_eq!(detached, 0);
        self.steps.push(Step::Detach(detached));
        assert!(!self.server.is_attached());
        assert!(self.client.attachment().is_none());
        // Nothing carries over: the client refuses to build Initialize, and the server, sent
        // one anyway, answers TAPIERR_INVALRPCCONTEXT (0x0000F101, 2.2.5.2) for the freed binding.
        assert!(matches!(
            self.client.initialize("WORKSTATION1"),
            Err(SessionError::NotAttached { .. })
        ));
        let init = builders::LineInitialize::new()
            .dw_friendly_name_offset("WORKSTATION1")
            .dw_module_name_offset("WORKSTATION1")
            .to_bytes();
        let reply = self
            .server
            .request(&init, u32::try_from(init.len()).unwrap());
        assert_eq!(reply[..4], 0x0000_F101u32.to_le_bytes());
    }

    /// Both sides agree: nothing outstanding, no open line, no call, no queued event.
    fn assert_agree(&self) {
        assert_eq!(self.client.outstanding().count(), 0);
        assert!(self.client.in_flight().is_none());
        assert!(self.server.outstanding_requests().is_empty());
        assert!(!self.server.has_events());
        let client_lines: Vec<u32> = self.client.lines().map(|(h, _)| h.0).collect();
        assert_eq!(client_lines, self.server.open_lines());
        let client_calls: Vec<u32> = self.client.calls().map(|(h, _)| h.0).collect();
        assert_eq!(client_calls, self.server.calls());
    }

    /// DeallocateCall (4.3, 4.4, 4.5): "The server closes the call and the handle for this
    /// call is no longer valid. The server returns 0 if the DeallocateCall operation is
    /// successful". A later request on the handle is refused by the client before it is sent
    /// and, sent anyway, fails at the server with LINEERR_INVALCALLHANDLE (2.2.4.1.3.15).
    fn deallocate(&mut self, h_call: HCall) {
        let (effect, _) = self.sync_ok(|c| c.deallocate_call(h_call));
        assert_eq!(effect, Effect::CallDeallocated { h_call });
        assert!(self.client.call(h_call).is_none());
        assert!(!self.server.calls().contains(&h_call.0));
        assert!(self.client.drop_call(h_call, None).is_err());
        let stale = builders::LineDrop::new()
            .h_call(h_call)
            .lps_user_user_info(None::<&[u8]>)
            .to_bytes();
        let reply = self
            .server
            .request(&stale, u32::try_from(stale.len()).unwrap());
        assert_eq!(
            Reply::parse(FuncId::LineDrop, &reply)
                .unwrap()
                .return_value(),
            ReturnValue::Error(ErrorCode::Line(LineErr::INVALCALLHANDLE))
        );
    }

    /// The incoming call of 4.4 and 4.5: LINE_APPNEWCALL, then LINE_CALLSTATE(OFFERING).
    fn incoming_call(&mut self, h_line: HLine) -> HCall {
        let h_call = HCall(
            self.server
                .offer_call(DEVICE)
                .expect("an owner line is open"),
        );
        let events = self.events();
        // "the LINE_APPNEWCALL packet to indicate that a new call has appeared on the line
        // device. The handle to the newly created call is provided as part of this
        // LINE_APPNEWCALL packet."
        assert!(
            matches!(events.first(), Some(ClientEvent::NewCall { h_call: h, h_line: l, .. })
                if *h == h_call && *l == h_line),
            "{events:?}"
        );
        // "the LINE_CALLSTATE packet; the call state is LINECALLSTATE_OFFERING".
        assert!(
            matches!(events.get(1), Some(ClientEvent::CallState { h_call: h, state, .. })
                if *h == h_call && *state == LineCallState::OFFERING),
            "{events:?}"
        );
        assert_eq!(events.len(), 2);
        assert_eq!(
            self.client.call(h_call).map(|c| c.state),
            Some(LineCallState::OFFERING)
        );
        h_call
    }

    /// Answer (4.4, 4.5): a request id, then its LINE_REPLY with result 0.
    fn answer(&mut self, h_call: HCall) {
        let (_, after) = self.async_ok(|c| c.answer(h_call, None));
        assert!(after.iter().any(|e| matches!(e,
            ClientEvent::CallState { h_call: h, state, .. }
                if *h == h_call && *state == LineCallState::CONNECTED)));
        assert_eq!(
            self.client.call(h_call).map(|c| c.state),
            Some(LineCallState::CONNECTED)
        );
    }
}

/// The events after the completion of `id`, asserting that it is the first event, that it
/// completed `id` with result 0 and that nothing else completed.
fn completed(events: Vec<ClientEvent>, id: RequestId) -> Vec<ClientEvent> {
    let mut it = events.into_iter();
    match it.next() {
        Some(ClientEvent::Completed {
            id: got, result, ..
        }) => {
            assert_eq!(got, id);
            assert_eq!(result.0, 0, "LINE_REPLY result");
        }
        other => panic!("expected the completion of {id:?}, got {other:?}"),
    }
    let rest: Vec<ClientEvent> = it.collect();
    assert!(
        !rest
            .iter()
            .any(|e| matches!(e, ClientEvent::Completed { .. })),
        "{rest:?}"
    );
    rest
}

/// The completion packet in `events` answering `id`, with DWORD `index` of it.
fn completion_dword(events: &[u8], id: RequestId, index: usize) -> u32 {
    EventBuffer::new(events)
        .into_iter()
        .map(|e| e.expect("event frames"))
        .find(|e| Msg::from_u32(e.msg()) == Some(Msg::LineReply) && e.dword(6) == Some(id.0))
        .and_then(|e| e.dword(index))
        .expect("the completion")
}

fn push() -> Exchange {
    Exchange::attach(AttachKind::push(MACHINE), NEGOTIATE_ALL)
}

fn mmc() -> Exchange {
    Exchange::attach(AttachKind::mmc("admin", MACHINE), MMC_64)
}

/// [MS-TRP] 4.1.
pub fn section_4_1() -> Exchange {
    let mut x = push();
    let (h_line, _) = x.establish();
    x.assert_agree();
    assert_eq!(x.client.lines().count(), 1);
    x.terminate(h_line);
    x
}

/// [MS-TRP] 4.2.
pub fn section_4_2() -> Exchange {
    let mut x = push();
    let (h_line, _) = x.establish();
    x.terminate(h_line);
    x
}

/// [MS-TRP] 4.3.
pub fn section_4_3() -> Exchange {
    let mut x = push();
    let (h_line, _) = x.establish();
    // "The LINE_REPLY packet that is returned is actually the MakeCall completion packet,
    // and it contains the handle to the newly created call".
    let (id, raw) = x.async_request(|c| c.make_call(h_line, Some("5551234"), 0, None));
    let events = x.client.on_events(&raw).unwrap();
    let Some(ClientEvent::Completed {
        id: got,
        result,
        new_calls,
        ..
    }) = events.first()
    else {
        panic!("{events:?}")
    };
    assert_eq!((*got, result.0), (id, 0));
    assert_eq!(new_calls.len(), 1);
    let h_call = new_calls[0];
    assert_eq!(x.server.calls(), vec![h_call.0]);
    assert_eq!(
        x.client.call(h_call).map(|c| c.state),
        Some(LineCallState::CONNECTED),
        "spec-notes/session.md 9: DIALING, PROCEEDING, CONNECTED"
    );
    // "the client calls ClientRequest with the Drop packet to terminate the call. It uses
    // the HCALL returned by the MakeCall completion packet." Drop is asynchronous
    // (spec-notes/session.md 8): a request id, LINE_REPLY 0, then LINE_CALLSTATE(IDLE).
    let (_, after) = x.async_ok(|c| c.drop_call(h_call, None));
    assert!(after.iter().any(|e| matches!(e,
        ClientEvent::CallState { h_call: h, state, .. }
            if *h == h_call && *state == LineCallState::IDLE)));
    x.deallocate(h_call);
    x.assert_agree();
    x.terminate(h_line);
    x
}

/// [MS-TRP] 4.4.
pub fn section_4_4() -> Exchange {
    let mut x = push();
    let (h_line, _) = x.establish();
    let h_call = x.incoming_call(h_line);
    // "The client calls the Answer packet ... The return value is a positive number that is
    // the request identifier".
    x.answer(h_call);
    // "When done with the call, the client calls ClientRequest with the Drop packet".
    let (_, after) = x.async_ok(|c| c.drop_call(h_call, None));
    assert!(after.iter().any(|e| matches!(e,
        ClientEvent::CallState { h_call: h, state, .. }
            if *h == h_call && *state == LineCallState::IDLE)));
    x.deallocate(h_call);
    x.assert_agree();
    x.terminate(h_line);
    x
}

/// [MS-TRP] 4.5.
pub fn section_4_5() -> Exchange {
    let mut x = push();
    let (h_line, _) = x.establish();
    let h_call = x.incoming_call(h_line);
    x.answer(h_call);
    // "The client calls the BlindTransfer packet to the server to transfer the answered call.
    // The return value is a positive number that is the request identifier".
    let (_, after) = x.async_ok(|c| c.blind_transfer(h_call, "5559876", 0));
    // "The answered call has transitioned to the idle state upon successful blind transfer,
    // so there is no need to drop the call."
    assert!(after.iter().any(|e| matches!(e,
        ClientEvent::CallState { h_call: h, state, .. }
            if *h == h_call && *state == LineCallState::IDLE)));
    assert_eq!(
        x.client.call(h_call).map(|c| c.state),
        Some(LineCallState::IDLE)
    );
    x.deallocate(h_call);
    x.assert_agree();
    x.terminate(h_line);
    x
}

/// [MS-TRP] 4.6.
pub fn section_4_6() -> Exchange {
    let mut x = push();
    let (h_line, _) = x.establish();
    // "to forward calls on the line address or to modify (including cancel) existing forward
    // instructions": no LINEFORWARDLIST cancels forwarding (2.2.4.1.3.16).
    let (_, after) = x.async_ok(|c| c.forward(h_line, true, 0, None, 0, None));
    assert!(
        !after
            .iter()
            .any(|e| matches!(e, ClientEvent::Ignored { .. })),
        "{after:?}"
    );
    x.assert_agree();
    x.terminate(h_line);
    x
}

/// Section 4.7 after ClientAttach: "The client sends the Initialize buffer for line devices
/// as part of establishing a management session. This is required to get a HLINEAPP handle".
fn establish_management(x: &mut Exchange) {
    let (effect, _) = x.sync_ok(|c| c.initialize("WORKSTATION1"));
    let Effect::LineInitialized(app) = effect else {
        panic!("{effect:?}")
    };
    assert_eq!(x.client.line_app(), Some(app));
    // "The server does not send any events to such an MMC client".
    assert!(!x.server.has_events());
}

/// [MS-TRP] 4.7.
pub fn section_4_7() -> Exchange {
    let mut x = mmc();
    establish_management(&mut x);
    // The MMC client is not sent events: the client refuses a buffer as well.
    assert!(matches!(
        x.client.on_events(&[]),
        Err(SessionError::EventsForMmc)
    ));
    x.assert_agree();
    x.shutdown_and_detach();
    x
}

/// [MS-TRP] 4.8.
pub fn section_4_8() -> Exchange {
    let mut x = mmc();
    establish_management(&mut x);
    x.shutdown_and_detach();
    x
}

/// [MS-TRP] 4.9.
pub fn section_4_9() -> Exchange {
    let mut x = mmc();
    establish_management(&mut x);
    // "The server responds with the server configuration information in the corresponding
    // response packet as given in the description of GetServerConfig packet": a
    // TAPISERVERCONFIG in lpProviderList (2.2.4.1.7.6).
    let (_, reply) = x.sync_ok(|c| c.get_server_config());
    let reply = Reply::parse(FuncId::GetServerConfig, &reply).unwrap();
    let out = reply.output_named("lpProviderList").unwrap();
    assert!(matches!(
        out.structure_with(Version::TAPI_3_1).unwrap(),
        Some(AnyStructure::TAPISERVERCONFIG(_))
    ));
    assert!(!x.server.has_events());
    x.shutdown_and_detach();
    x
}

/// [MS-TRP] 4.10.
pub fn section_4_10() -> Exchange {
    let mut x = mmc();
    establish_management(&mut x);
    // "The client sends the SetServerConfig packet with the desired server configuration
    // parameters"; "The server responds with the corresponding response packet": 0.
    let config = StructBuilder::new(desc_by_name("TAPISERVERCONFIG").unwrap()).to_vec();
    let (effect, _) = x.sync_ok(|c| c.set_server_config(&config));
    assert_eq!(effect, Effect::None);
    assert!(!x.server.has_events());
    x.shutdown_and_detach();
    x
}

/// Section 4.11 after 4.1: CreateAgent, answered by the server's built-in ACD proxy
/// (spec-notes/session.md 13). Returns the new HAGENT.
fn create_agent(x: &mut Exchange, h_line: HLine) -> HAgent {
    // "The client sends a CreateAgent packet to server to create an agent. The return value
    // is a positive number that is the request identifier".
    let (id, raw) = x.async_request(|c| c.create_agent(h_line, Some("agent7"), None));
    // The CreateAgent completion (2.2.4.2.2.4): dwSize (DWORD 9) = 4, then the HAGENT.
    assert_eq!(completion_dword(&raw, id, 9), 4);
    let h_agent = HAgent(completion_dword(&raw, id, 10));
    assert_ne!(h_agent.0, 0);
    // "the LINE_REPLY packet, which matches the request identifier previously returned for
    // the proxy request packet. A return value of 0 indicates that the operation was carried
    // out successfully".
    let events = x.client.on_events(&raw).unwrap();
    assert!(completed(events, id).is_empty());
    h_agent
}

/// [MS-TRP] 4.11.
pub fn section_4_11() -> Exchange {
    let mut x = push();
    let (h_line, _) = x.establish();
    create_agent(&mut x, h_line);
    x.assert_agree();
    x.terminate(h_line);
    x
}

/// [MS-TRP] 4.12.
pub fn section_4_12() -> Exchange {
    let mut x = push();
    let (h_line, _) = x.establish();
    let h_agent = create_agent(&mut x, h_line);
    // "The client sends a GetAgentGroupList packet ... The return value is a positive number
    // that is the request identifier"; "generation of LINE_REPLY packet with
    // LINEAGENTGROUPLIST".
    let (id, raw) = x.async_request(|c| c.get_agent_group_list(h_line, 0));
    let size = completion_dword(&raw, id, 9);
    assert!(size > 0, "a LINEAGENTGROUPLIST follows");
    // LINEAGENTGROUPLIST starts with dwTotalSize (2.2.6.11).
    assert_eq!(completion_dword(&raw, id, 10), size);
    assert!(completed(x.client.on_events(&raw).unwrap(), id).is_empty());
    // "The client sends a CreateAgentSession packet to server to create a session for an ACD
    // group. The return value is a positive number that is the request identifier".
    let (id, raw) =
        x.async_request(|c| c.create_agent_session(h_line, h_agent, None, 0, [0x11; 16]));
    assert_eq!(completion_dword(&raw, id, 9), 4, "the new HAGENTSESSION");
    assert!(completed(x.client.on_events(&raw).unwrap(), id).is_empty());
    x.assert_agree();
    x.terminate(h_line);
    x
}

/// One exchange: its section, the short name of its capture
/// (`samples/captures/4.N-<short name>.pcapng`) and its script.
pub type ExchangeScript = (&'static str, &'static str, fn() -> Exchange);

/// The twelve exchanges of section 4, in order.
pub const EXCHANGES: [ExchangeScript; 12] = [
    ("4.1", "establish", section_4_1),
    ("4.2", "terminate", section_4_2),
    ("4.3", "outgoing-call", section_4_3),
    ("4.4", "answer-incoming-call", section_4_4),
    ("4.5", "blind-transfer", section_4_5),
    ("4.6", "forward", section_4_6),
    ("4.7", "management-session", section_4_7),
    ("4.8", "terminate-management-session", section_4_8),
    ("4.9", "get-server-config", section_4_9),
    ("4.10", "set-server-config", section_4_10),
    ("4.11", "acd-proxy-request", section_4_11),
    ("4.12", "agent-session", section_4_12),
];
