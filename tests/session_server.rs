//! ServerSession life cycle ([MS-TRP] 2.2.2, 3.1.4.1-3.1.4.3, section 4; issue 11 "Behaviour").
//! Requests are built with the crate's request builders; replies and events are read back
//! with the crate's decoders, and the expected values come from the spec text quoted.

use mstrp::errors::{ErrorCode, LineErr, PhoneErr, TapiErr};
use mstrp::events::constants::LineCallState;
use mstrp::events::{Event, EventBuffer, Msg};
use mstrp::replies::{Reply, ReturnValue};
use mstrp::requests::{FuncId, builders};
use mstrp::session::server::{ASYNC_EVENTS_FOR_ALL_DEVICES, Delivery};
use mstrp::session::{AsyncCompletion, ServerConfig, ServerSession};
use proptest::prelude::*;

const CAP: u32 = 4096;
const INIT_CONTEXT: u32 = 0x1000;
const OPEN_CONTEXT: u32 = 0x2000;
const H_REMOTE_LINE: u32 = 7;
/// LINECALLPRIVILEGE_OWNER (2.2.3.1.26).
const OWNER: u32 = 4;
/// LINEMEDIAMODE_INTERACTIVEVOICE (2.2.3.1.44).
const VOICE: u32 = 4;

fn rv(func: FuncId, reply: &[u8]) -> ReturnValue {
    Reply::parse(func, reply)
        .expect("reply parses")
        .return_value()
}

fn get(func: FuncId, reply: &[u8], name: &str) -> u32 {
    Reply::parse(func, reply).unwrap().get(name).unwrap()
}

fn err(e: LineErr) -> ReturnValue {
    ReturnValue::Error(ErrorCode::Line(e))
}

struct Client {
    s: ServerSession,
    app: u32,
}

impl Client {
    fn new(config: ServerConfig) -> Client {
        let mut s = ServerSession::new(config);
        let a = s.attach(-1, "", "PC\"ncacn_ip_tcp\"251\"");
        assert_eq!(a.return_value, 0);
        let mut c = Client { s, app: 0 };
        let r = c.req(
            &builders::LineInitialize::new()
                .init_context(INIT_CONTEXT)
                .dw_friendly_name_offset("pc")
                .dw_module_name_offset("pc")
                .dw_api_version(0x0002_0000u32)
                .to_bytes(),
        );
        assert_eq!(rv(FuncId::LineInitialize, &r), ReturnValue::Success);
        c.app = get(FuncId::LineInitialize, &r, "hLineApp");
        c
    }

    fn req(&mut self, bytes: &[u8]) -> Vec<u8> {
        let r = self.s.request(bytes, CAP);
        assert!(r.len() <= CAP as usize);
        r
    }

    fn open(&mut self, device: u32, version: u32) -> (ReturnValue, u32) {
        let r = self.req(
            &builders::LineOpen::new()
                .h_line_app(self.app)
                .dw_device_id(device)
                .dw_negotiated_version(version)
                .open_context(OPEN_CONTEXT)
                .dw_privileges(OWNER)
                .dw_media_modes(VOICE)
                .p_call_params(None::<&[u8]>)
                .h_remote_line(H_REMOTE_LINE)
                .to_bytes(),
        );
        (rv(FuncId::LineOpen, &r), get(FuncId::LineOpen, &r, "hLine"))
    }

    fn make_call(&mut self, h_line: u32, request_id: u32) -> ReturnValue {
        let r = self.req(
            &builders::LineMakeCall::new()
                .dw_request_id(request_id)
                .lp_context(0x3000)
                .h_line(h_line)
                .lph_call_context(0x3001)
                .lpsz_dest_address("+1 425 555 0100")
                .lp_call_params(None::<&[u8]>)
                .to_bytes(),
        );
        rv(FuncId::LineMakeCall, &r)
    }

    fn simple(&mut self, func: FuncId, field: &str, handle: u32) -> ReturnValue {
        let mut b = mstrp::requests::RequestBuilder::new(func);
        let (i, _) = func.desc().field(field).unwrap();
        b.set(i, handle);
        let r = self.req(&b.to_bytes());
        rv(func, &r)
    }

    fn async_call_op(&mut self, func: FuncId, h_call: u32) -> ReturnValue {
        let mut b = mstrp::requests::RequestBuilder::new(func);
        let (i, _) = func.desc().field("hCall").unwrap();
        b.set(i, h_call);
        for name in ["lpsUserUserInfo"] {
            if let Some((i, _)) = func.desc().field(name) {
                b.set(i, 0xFFFF_FFFF);
            }
        }
        if let Some((i, _)) = func.desc().field("lpszDestAddress") {
            b.set_payload(i, "100".into());
        }
        let r = self.req(&b.to_bytes());
        rv(func, &r)
    }

    /// The events queued, decoded.
    fn events(&mut self) -> Vec<(Msg, Vec<u32>)> {
        let bytes = self.s.take_events(usize::MAX);
        if bytes.is_empty() {
            return Vec::new();
        }
        EventBuffer::new(&bytes)
            .into_iter()
            .map(|raw| {
                let raw = raw.expect("event frames");
                let dwords: Vec<u32> = raw
                    .bytes()
                    .chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                    .collect();
                let msg = Event::parse(raw)
                    .expect("event decodes")
                    .msg()
                    .expect("a completion packet");
                (msg, dwords)
            })
            .collect()
    }
}

fn replies_for(events: &[(Msg, Vec<u32>)], id: u32) -> usize {
    // LINE_REPLY and every special completion carry the request id at DWORD 6 (2.2.4.2.1.25,
    // 2.2.4.2.2).
    events
        .iter()
        .filter(|(m, d)| *m == Msg::LineReply && d[6] == id)
        .count()
}

// 3.1.4.1: "If lProcessId equals 0xFFFFFFFF (-1) and the server supports the
// NegotiateAPIVersionForAllDevices request, the server MUST set the value of
// phAsyncEventsEvent to 0xa5c369a5."
#[test]
fn attach_remote_client() {
    let mut s = ServerSession::new(ServerConfig::default());
    let a = s.attach(-1, "", "PC\"ncacn_ip_tcp\"251\"");
    assert_eq!(a.async_events_event, 0xA5C3_69A5);
    assert_eq!(a.async_events_event, ASYNC_EVENTS_FOR_ALL_DEVICES);
    assert_eq!(
        a.delivery,
        Delivery::Push {
            machine: "PC\"ncacn_ip_tcp\"251\"".into()
        }
    );
    let a = s.attach(-1, "mailslot", "PC");
    assert_eq!(a.delivery, Delivery::Pull);
    // -3: "0x32323232 for a 32-bit platform or to 0x64646464 for a 64-bit platform".
    let a = s.attach(-3, "admin", "PC");
    assert!([0x3232_3232, 0x6464_6464].contains(&a.async_events_event));
}

// 3.1.4.2: "Fail the request if phContext is not a valid handle"; design note contradiction 6
// (TAPIERR_INVALRPCCONTEXT 0xF101 chosen).
#[test]
fn request_without_attach_and_after_detach_is_refused() {
    let mut s = ServerSession::new(ServerConfig::default());
    let init = builders::LineInitialize::new()
        .dw_friendly_name_offset("pc")
        .dw_module_name_offset("pc")
        .to_bytes();
    let r = s.request(&init, CAP);
    assert_eq!(
        u32::from_le_bytes(r[..4].try_into().unwrap()),
        TapiErr::INVALRPCCONTEXT.value()
    );
    s.attach(-1, "", "PC");
    assert_eq!(
        rv(FuncId::LineInitialize, &s.request(&init, CAP)),
        ReturnValue::Success
    );
    assert_eq!(s.detach(), 0);
    let r = s.request(&init, CAP);
    assert_eq!(u32::from_le_bytes(r[..4].try_into().unwrap()), 0xF101);
}

// 2.2.4.1.1.1: "LINEERR_REINIT ... The application attempted to initialize TAPI twice."
#[test]
fn second_initialize_is_reinit_until_shutdown() {
    let mut c = Client::new(ServerConfig::default());
    let init = builders::LineInitialize::new()
        .dw_friendly_name_offset("pc")
        .dw_module_name_offset("pc")
        .to_bytes();
    assert_eq!(
        rv(FuncId::LineInitialize, &c.req(&init)),
        err(LineErr::REINIT)
    );
    let app = c.app;
    assert_eq!(
        c.simple(FuncId::LineShutDown, "hLineApp", app),
        ReturnValue::Success
    );
    let r = c.req(&init);
    assert_eq!(rv(FuncId::LineInitialize, &r), ReturnValue::Success);
    assert_ne!(
        get(FuncId::LineInitialize, &r, "hLineApp"),
        app,
        "new handle"
    );
    // 2.2.4.1.1.1: dwNumDevs "the number of line devices that are available" (2 by default).
    assert_eq!(get(FuncId::LineInitialize, &r, "dwNumDevs"), 2);
}

// 3.1.4.2 (52) and issue 11: the highest version in the overlap; INCOMPATIBLEAPIVERSION
// without one.
#[test]
fn negotiate_api_version_over_the_wire() {
    let mut c = Client::new(ServerConfig::default());
    let neg = |app: u32, lo: u32, hi: u32| {
        builders::LineNegotiateAPIVersion::new()
            .h_line_app(app)
            .dw_device_id(0)
            .dw_version(lo)
            .dw_version_current(hi)
            .dw_negotiated_version(0xFFFF_FFFFu32)
            .extension_id(0xFFFF_FFFF)
            .dw_size(16)
            .to_bytes()
    };
    let r = c.req(&neg(c.app, 0x0001_0003, 0x0002_0000));
    assert_eq!(
        rv(FuncId::LineNegotiateAPIVersion, &r),
        ReturnValue::Success
    );
    assert_eq!(
        get(FuncId::LineNegotiateAPIVersion, &r, "dwNegotiatedVersion"),
        0x0002_0000
    );
    // The default devices start at 0x00010004: [1.3, 1.3] has no overlap.
    let r = c.req(&neg(c.app, 0x0001_0003, 0x0001_0003));
    assert_eq!(
        rv(FuncId::LineNegotiateAPIVersion, &r),
        err(LineErr::INCOMPATIBLEAPIVERSION)
    );
    // An unknown app handle: "The server MUST fail if hLineApp is an invalid handle."
    let r = c.req(&neg(c.app + 1000, 0x0001_0003, 0x0002_0000));
    assert_eq!(
        rv(FuncId::LineNegotiateAPIVersion, &r),
        err(LineErr::INVALAPPHANDLE)
    );
    // A device id past dwNumDevs - 1: BADDEVICEID.
    let mut b = neg(c.app, 0x0001_0003, 0x0002_0000).to_vec();
    b[12..16].copy_from_slice(&5u32.to_le_bytes());
    assert_eq!(
        rv(FuncId::LineNegotiateAPIVersion, &c.req(&b)),
        err(LineErr::BADDEVICEID)
    );
}

#[test]
fn phone_negotiation_uses_phoneerr() {
    let mut s = ServerSession::new(ServerConfig::default());
    s.attach(-1, "", "PC");
    let r = s.request(
        &builders::PhoneInitialize::new()
            .dw_friendly_name_offset("pc")
            .dw_module_name_offset("pc")
            .to_bytes(),
        CAP,
    );
    assert_eq!(rv(FuncId::PhoneInitialize, &r), ReturnValue::Success);
    let app = get(FuncId::PhoneInitialize, &r, "hPhoneApp");
    let neg = |lo: u32, hi: u32| {
        builders::PhoneNegotiateAPIVersion::new()
            .h_phone_app(app)
            .dw_device_id_local(0)
            .dw_version(lo)
            .dw_version_current(hi)
            .extension_id(0xFFFF_FFFF)
            .dw_size(16)
            .to_bytes()
    };
    let r = s.request(&neg(0x0001_0003, 0x0003_0001), CAP);
    assert_eq!(
        get(FuncId::PhoneNegotiateAPIVersion, &r, "dwNegotiatedVersion"),
        0x0003_0001
    );
    let r = s.request(&neg(0x0001_0003, 0x0001_0003), CAP);
    assert_eq!(
        rv(FuncId::PhoneNegotiateAPIVersion, &r),
        ReturnValue::Error(ErrorCode::Phone(PhoneErr::INCOMPATIBLEAPIVERSION))
    );
}

// Issue 11: "Open with a version the device cannot support fails with INCOMPATIBLEAPIVERSION";
// Open commits the device until Close.
#[test]
fn open_commits_and_unsupported_open_fails() {
    let mut config = ServerConfig::default();
    config.lines[1].api_versions = [0x0002_0000, 0x0002_0002];
    let mut c = Client::new(config);
    assert_eq!(
        c.open(1, 0x0003_0001).0,
        err(LineErr::INCOMPATIBLEAPIVERSION)
    );
    let (r, h) = c.open(1, 0x0002_0001);
    assert_eq!(r, ReturnValue::Success);
    assert_ne!(h, 0);
    assert_eq!(
        c.s.device_versions(mstrp::validation::Device::Line, 1)
            .committed
            .map(|v| v.0),
        Some(0x0002_0001)
    );
    assert_eq!(
        c.simple(FuncId::LineClose, "hLine", h),
        ReturnValue::Success
    );
    assert_eq!(
        c.s.device_versions(mstrp::validation::Device::Line, 1)
            .committed,
        None
    );
}

// Section 4.3 with immediate completion: MakeCall returns a request id, the MakeCall
// completion (2.2.4.2.2.19) carries the new HCALL, LINE_CALLSTATEs follow; Drop is asynchronous
// (contradiction 4), DeallocateCall releases the handle.
#[test]
fn make_call_drop_deallocate() {
    let mut c = Client::new(ServerConfig::default());
    let (_, h_line) = c.open(0, 0x0002_0000);
    let ReturnValue::RequestId(id) = c.make_call(h_line, 0) else {
        panic!("request id")
    };
    assert!(
        id.0 > 0 && id.0 <= 0x7FFF_FFFF,
        "server-assigned positive id"
    );
    let ev = c.events();
    assert_eq!(replies_for(&ev, id.0), 1);
    let reply = &ev[0].1;
    assert_eq!(reply[1], INIT_CONTEXT, "InitContext of Initialize");
    assert_eq!(reply[2], 0x3000, "lpContext echoed");
    assert_eq!(reply[5], OPEN_CONTEXT);
    assert_eq!(reply[7], 0, "Result: success");
    let h_call = reply[8];
    assert_eq!(reply[9], 0x3001, "lphCallContext echoed");
    let states: Vec<u32> = ev[1..]
        .iter()
        .filter(|(m, _)| *m == Msg::LineCallState)
        .map(|(_, d)| {
            assert_eq!(d[3], h_call);
            assert_eq!(d[9], H_REMOTE_LINE, "hRemoteLine of Open");
            d[6]
        })
        .collect();
    assert_eq!(
        states,
        [
            LineCallState::DIALING.0,
            LineCallState::PROCEEDING.0,
            LineCallState::CONNECTED.0
        ]
    );
    let ReturnValue::RequestId(drop_id) = c.async_call_op(FuncId::LineDrop, h_call) else {
        panic!("Drop is asynchronous")
    };
    let ev = c.events();
    assert_eq!(replies_for(&ev, drop_id.0), 1);
    assert!(
        ev.iter()
            .any(|(m, d)| *m == Msg::LineCallState && d[6] == LineCallState::IDLE.0)
    );
    assert_eq!(
        c.simple(FuncId::LineDeallocateCall, "hCall", h_call),
        ReturnValue::Success
    );
    // "the handle for this call is no longer valid" (4.3).
    assert_eq!(
        c.simple(FuncId::LineDeallocateCall, "hCall", h_call),
        err(LineErr::INVALCALLHANDLE)
    );
}

// 3.1.4.2 / handles.rs: "Zero asks the server to generate one; 1 to 0x7FFFFFFF are used by the
// server as given."
#[test]
fn nonzero_request_id_is_echoed() {
    let mut c = Client::new(ServerConfig::default());
    let (_, h_line) = c.open(0, 0x0002_0000);
    assert_eq!(
        c.make_call(h_line, 0x2A),
        ReturnValue::RequestId(mstrp::handles::RequestId(0x2A))
    );
    assert_eq!(replies_for(&c.events(), 0x2A), 1);
}

// Seed 002: "Closing the phone forces outstanding asynchronous operations to complete
// (possibly with a 'failure' indication)"; every request completes exactly once.
#[test]
fn close_completes_outstanding_requests_once() {
    let config = ServerConfig {
        async_completion: AsyncCompletion::OnClose,
        ..ServerConfig::default()
    };
    let mut c = Client::new(config);
    let (_, h_line) = c.open(0, 0x0002_0000);
    let ReturnValue::RequestId(a) = c.make_call(h_line, 0) else {
        panic!()
    };
    let ReturnValue::RequestId(b) = c.make_call(h_line, 0) else {
        panic!()
    };
    assert_ne!(a, b);
    assert!(c.events().is_empty(), "pending until close");
    assert_eq!(c.s.outstanding_requests(), vec![a.0, b.0]);
    assert_eq!(
        c.simple(FuncId::LineClose, "hLine", h_line),
        ReturnValue::Success
    );
    let ev = c.events();
    for id in [a.0, b.0] {
        assert_eq!(replies_for(&ev, id), 1);
        let d = &ev.iter().find(|(_, d)| d[6] == id).unwrap().1;
        assert_ne!(d[7], 0, "a failure result");
        assert!(ErrorCode::from_u32(d[7]).is_some(), "a documented code");
    }
    assert!(c.s.outstanding_requests().is_empty());
    // Closed line handle refused: "The server MUST fail if hLine is an invalid handle."
    assert_eq!(
        c.simple(FuncId::LineClose, "hLine", h_line),
        err(LineErr::INVALLINEHANDLE)
    );
    assert_eq!(c.make_call(h_line, 0), err(LineErr::INVALLINEHANDLE));
    assert!(c.events().is_empty(), "nothing completes twice");
}

// Issue 11: "Shutdown closes everything the app opened"; the app handle is refused after it.
#[test]
fn shutdown_closes_lines_and_refuses_handles() {
    let config = ServerConfig {
        async_completion: AsyncCompletion::OnClose,
        ..ServerConfig::default()
    };
    let mut c = Client::new(config);
    let (_, h_line) = c.open(0, 0x0002_0000);
    let ReturnValue::RequestId(a) = c.make_call(h_line, 0) else {
        panic!()
    };
    let app = c.app;
    assert_eq!(
        c.simple(FuncId::LineShutDown, "hLineApp", app),
        ReturnValue::Success
    );
    assert_eq!(replies_for(&c.events(), a.0), 1);
    assert!(c.s.open_lines().is_empty());
    assert_eq!(
        c.simple(FuncId::LineShutDown, "hLineApp", app),
        err(LineErr::INVALAPPHANDLE)
    );
    assert_eq!(
        c.simple(FuncId::LineClose, "hLine", h_line),
        err(LineErr::INVALLINEHANDLE)
    );
}

// Section 4.4: LINE_APPNEWCALL then LINE_CALLSTATE(OFFERING); Answer completes with LINE_REPLY.
// 2.2.2: LINE_APPNEWCALL "is sent only if the client has negotiated a TAPI version of 2.0 ...".
#[test]
fn incoming_call_answer_and_blind_transfer() {
    let mut c = Client::new(ServerConfig::default());
    assert_eq!(c.s.offer_call(0), None, "nobody has line 0 open");
    let (_, h_line) = c.open(0, 0x0002_0000);
    let h_call = c.s.offer_call(0).unwrap();
    let ev = c.events();
    assert_eq!(ev[0].0, Msg::LineAppNewCall);
    assert_eq!(ev[0].1[7], h_call, "Param2: hNewCall");
    assert_eq!(ev[1].0, Msg::LineCallState);
    assert_eq!(ev[1].1[6], LineCallState::OFFERING.0);
    let answer = c.async_call_op(FuncId::LineAnswer, h_call);
    let ReturnValue::RequestId(id) = answer else {
        panic!("{answer:?}")
    };
    let ev = c.events();
    assert_eq!(replies_for(&ev, id.0), 1);
    assert!(
        ev.iter()
            .any(|(m, d)| *m == Msg::LineCallState && d[6] == LineCallState::CONNECTED.0)
    );
    // 4.5: "The answered call has transitioned to the idle state upon successful blind transfer".
    let ReturnValue::RequestId(id) = c.async_call_op(FuncId::LineBlindTransfer, h_call) else {
        panic!()
    };
    let ev = c.events();
    assert_eq!(replies_for(&ev, id.0), 1);
    assert!(
        ev.iter()
            .any(|(m, d)| *m == Msg::LineCallState && d[6] == LineCallState::IDLE.0)
    );
    // Answer of an idle call: LINEERR_INVALCALLSTATE.
    assert_eq!(
        c.async_call_op(FuncId::LineAnswer, h_call),
        err(LineErr::INVALCALLSTATE)
    );
    assert_eq!(
        c.simple(FuncId::LineClose, "hLine", h_line),
        ReturnValue::Success
    );
    // Calls end with their line (seed 002).
    assert_eq!(
        c.simple(FuncId::LineDeallocateCall, "hCall", h_call),
        err(LineErr::INVALCALLHANDLE)
    );
}

#[test]
fn no_app_new_call_below_tapi_2() {
    let mut c = Client::new(ServerConfig::default());
    c.open(0, 0x0001_0004);
    c.s.offer_call(0).unwrap();
    let ev = c.events();
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].0, Msg::LineCallState);
}

// ClientDetach: "the server frees the referenced binding instance and releases the allocated
// resources associated with the client" (4.2); a new session gets new handles.
#[test]
fn detach_forgets_everything() {
    let mut c = Client::new(ServerConfig::default());
    let (_, h_line) = c.open(0, 0x0002_0000);
    let old_app = c.app;
    assert_eq!(c.s.detach(), 0);
    assert!(!c.s.has_events());
    c.s.attach(-1, "", "PC");
    assert!(c.s.open_lines().is_empty());
    assert_eq!(
        c.simple(FuncId::LineClose, "hLine", h_line),
        err(LineErr::INVALLINEHANDLE)
    );
    let r = c.req(
        &builders::LineInitialize::new()
            .dw_friendly_name_offset("pc")
            .dw_module_name_offset("pc")
            .to_bytes(),
    );
    assert_eq!(rv(FuncId::LineInitialize, &r), ReturnValue::Success);
    assert_ne!(get(FuncId::LineInitialize, &r, "hLineApp"), old_app);
}

// 2.2.4.1.8.1: GetAsyncEvents returns the events in VarData, dwUsedBufferSize <=
// dwTotalBufferSize, dwNeededBufferSize all that is available.
#[test]
fn get_async_events_drains_whole_events() {
    let mut c = Client::new(ServerConfig::default());
    let (_, h_line) = c.open(0, 0x0002_0000);
    c.make_call(h_line, 0);
    let available = c.s.queued_event_bytes();
    assert!(available > 0);
    let r = c.req(
        &builders::GetAsyncEvents::new()
            .dw_total_buffer_size(100)
            .to_bytes()
            .iter()
            .copied()
            .chain([0u8; 100])
            .collect::<Vec<u8>>(),
    );
    assert_eq!(rv(FuncId::GetAsyncEvents, &r), ReturnValue::Success);
    let used = get(FuncId::GetAsyncEvents, &r, "dwUsedBufferSize") as usize;
    assert_eq!(
        get(FuncId::GetAsyncEvents, &r, "dwNeededBufferSize") as usize,
        available
    );
    assert!(used <= 100 && used > 0);
    assert_eq!(r.len(), 60 + used);
    let (events, error) = EventBuffer::new(&r[60..]).split();
    assert!(error.is_none() && !events.is_empty(), "whole events only");
    assert_eq!(c.s.queued_event_bytes(), available - used);
}

// 3.1.4.2: "Fail the request if lNeededSize is less than the size of the structure TAPI32_MSG."
#[test]
fn capacity_below_60_fails_and_reply_fits() {
    let mut s = ServerSession::new(ServerConfig::default());
    s.attach(-1, "", "PC");
    let init = builders::LineInitialize::new()
        .dw_friendly_name_offset("pc")
        .dw_module_name_offset("pc")
        .to_bytes();
    let r = s.request(&init[..40], 40);
    assert!(r.len() <= 40);
    assert_eq!(
        u32::from_le_bytes(r[..4].try_into().unwrap()),
        LineErr::STRUCTURETOOSMALL.value()
    );
}

// 3.1.4.2: "Fail the request if Req_Func in pBuffer is not a valid value."
#[test]
fn unknown_req_func_fails() {
    let mut s = ServerSession::new(ServerConfig::default());
    s.attach(-1, "", "PC");
    let mut b = vec![0u8; 60];
    b[..4].copy_from_slice(&61u32.to_le_bytes());
    let r = s.request(&b, CAP);
    assert_eq!(
        u32::from_le_bytes(r[..4].try_into().unwrap()),
        LineErr::OPERATIONUNAVAIL.value()
    );
}

// Section 4.1: GetDevCaps returns a LINEDEVCAPS whose dwTotalSize is the client's size.
#[test]
fn get_dev_caps_fills_the_clients_buffer() {
    let mut c = Client::new(ServerConfig::default());
    let r = c.req(
        &builders::LineGetDevCaps::new()
            .h_line_app(c.app)
            .dw_device_id(0)
            .dw_tspi_version(0x0002_0000u32)
            .lp_line_dev_caps(1024)
            .to_bytes(),
    );
    assert_eq!(rv(FuncId::LineGetDevCaps, &r), ReturnValue::Success);
    let reply = Reply::parse(FuncId::LineGetDevCaps, &r).unwrap();
    let out = reply.output_named("lpLineDevCaps").unwrap();
    let Some(mstrp::structures::AnyStructure::LINEDEVCAPS(caps)) = out
        .structure_with(mstrp::handles::Version(0x0002_0000))
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(caps.dw_total_size(), 1024);
    assert_eq!(caps.dw_num_addresses(), 1);
    assert!(caps.line_name().unwrap().unwrap().eq_str("Line 0"));
}

// spec-notes/session.md note 20: a structure a synchronous request asks for travels back in
// the VarData of its call's buffer, lNeededSize − 60 bytes; one asked for bigger than that
// fails with INVALPOINTER before the server builds anything, as 3.1.4.2 says for every such
// function but PhoneGetDevCaps and GetDevConfig (the fuzz finding: a PhoneGetDevCaps with
// lpPhoneCaps 0x352E3437 made the server build an 890 MB PHONECAPS).
#[test]
fn an_output_bigger_than_the_calls_vardata_fails_before_it_is_built() {
    let mut c = Client::new(ServerConfig::default());
    let app = c.app;
    let dev_caps = |size: u32| {
        builders::LineGetDevCaps::new()
            .h_line_app(app)
            .dw_device_id(0)
            .dw_tspi_version(0x0002_0000u32)
            .lp_line_dev_caps(size)
            .to_bytes()
    };
    let r = c.req(&dev_caps(CAP - 60));
    assert_eq!(rv(FuncId::LineGetDevCaps, &r), ReturnValue::Success);
    assert_eq!(
        r.len(),
        CAP as usize,
        "the whole buffer, the structure filling VarData"
    );
    // For GetDevCaps of a line, 3.1.4.2 says so itself (34.1: "The server MUST fail if the
    // size of VarData is less than the size of lpLineDevCaps", LINEERR_INVALPOINTER).
    for size in [CAP - 59, u32::MAX] {
        let r = c.req(&dev_caps(size));
        assert_eq!(rv(FuncId::LineGetDevCaps, &r), err(LineErr::INVALPOINTER));
    }

    // A phone function fails with the phone family's code (the fuzz input's request, its
    // Reserved DWORDs as they were; PhoneGetDevCaps names no handle its rules check).
    let mut phone = [0u8; 84];
    for (i, v) in [95u32, 0x5F00, 0, 0, 0x0002_0000, 0, 0x352E_3437]
        .into_iter()
        .enumerate()
    {
        phone[i * 4..][..4].copy_from_slice(&v.to_le_bytes());
    }
    let r = c.req(&phone);
    assert_eq!(
        rv(FuncId::PhoneGetDevCaps, &r),
        ReturnValue::Error(ErrorCode::Phone(PhoneErr::INVALPOINTER))
    );
    // GetDevConfig, the other one 3.1.4.2 leaves without that rule (35.1 compares VarData with
    // a VARSTRING's fixed part only).
    let config = |size: u32| {
        builders::LineGetDevConfig::new()
            .dw_device_id(0)
            .lp_device_config(size)
            .lpsz_device_class("tapi/line")
            .to_bytes()
    };
    let r = c.req(&config(CAP - 59));
    assert_eq!(rv(FuncId::LineGetDevConfig, &r), err(LineErr::INVALPOINTER));
    let r = c.req(&config(CAP - 200));
    assert_ne!(rv(FuncId::LineGetDevConfig, &r), err(LineErr::INVALPOINTER));

    // The asynchronous GetAgentGroupList returns its list in a completion, not in the call's
    // VarData: its own rules bound the size (26.5: at most 0x40000), not lNeededSize.
    let (open, h_line) = c.open(0, 0x0002_0000);
    assert_eq!(open, ReturnValue::Success);
    let r = c.req(
        &builders::LineCreateAgent::new()
            .h_line(h_line)
            .lpsz_agent_id("agent7")
            .lpsz_agent_pin(None::<&str>)
            .to_bytes(),
    );
    assert!(matches!(
        rv(FuncId::LineCreateAgent, &r),
        ReturnValue::RequestId(_)
    ));
    let group_list = |size: u32| {
        builders::LineGetAgentGroupList::new()
            .dw_request_id(0)
            .h_line(h_line)
            .lp_agent_group_list_size(size)
            .to_bytes()
    };
    let r = c.req(&group_list(0x4_0000));
    assert!(
        matches!(
            rv(FuncId::LineGetAgentGroupList, &r),
            ReturnValue::RequestId(_)
        ),
        "{:?}",
        rv(FuncId::LineGetAgentGroupList, &r)
    );
    let r = c.req(&group_list(0x4_0001));
    assert_eq!(
        rv(FuncId::LineGetAgentGroupList, &r),
        err(LineErr::INVALPARAM)
    );
}

fn op_strategy() -> impl Strategy<Value = (u8, u32)> {
    (0u8..12, 0u32..6)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    // Never panics on byte soup; the reply fits lNeededSize.
    #[test]
    fn byte_soup(bytes in proptest::collection::vec(any::<u8>(), 0..300), cap in 0u32..400, func in 0u32..170) {
        let mut s = ServerSession::new(ServerConfig::default());
        s.attach(-1, "", "PC");
        let mut b = bytes;
        if b.len() >= 4 { b[..4].copy_from_slice(&func.to_le_bytes()); }
        let r = s.request(&b, cap);
        prop_assert!(r.len() <= cap as usize);
    }

    // Random operation sequences: every async request completes exactly once by the end of
    // the session (after Shutdown), replies fit, no panic.
    #[test]
    fn random_sequences(ops in proptest::collection::vec(op_strategy(), 1..40), on_close in any::<bool>()) {
        let config = ServerConfig {
            async_completion: if on_close { AsyncCompletion::OnClose } else { AsyncCompletion::Immediate },
            ..ServerConfig::default()
        };
        let mut c = Client::new(config);
        let mut lines: Vec<u32> = Vec::new();
        let mut ids: Vec<u32> = Vec::new();
        let mut events = Vec::new();
        for (op, n) in ops {
            let pick = |v: &Vec<u32>| v.get(n as usize % v.len().max(1)).copied().unwrap_or(n);
            let r = match op {
                0 | 1 => { let (r, h) = c.open(n % 3, [0x0001_0004, 0x0002_0000, 0x0003_0001][n as usize % 3]); if r == ReturnValue::Success { lines.push(h); } r }
                2 | 3 => c.make_call(pick(&lines), if n % 2 == 0 { 0 } else { 100 + ids.len() as u32 }),
                4 => { let h = pick(&lines); c.simple(FuncId::LineClose, "hLine", h) }
                5 => { let calls = c.s.calls(); c.async_call_op(FuncId::LineDrop, pick(&calls)) }
                6 => { let calls = c.s.calls(); c.async_call_op(FuncId::LineAnswer, pick(&calls)) }
                7 => { let calls = c.s.calls(); c.simple(FuncId::LineDeallocateCall, "hCall", pick(&calls)) }
                8 => { c.s.offer_call(n % 2); ReturnValue::Success }
                9 => { events.extend(c.events()); ReturnValue::Success }
                10 => { let calls = c.s.calls(); c.async_call_op(FuncId::LineBlindTransfer, pick(&calls)) }
                _ => { let app = c.app; c.simple(FuncId::LineNegotiateExtVersion, "hLineApp", app) }
            };
            if let ReturnValue::RequestId(id) = r { ids.push(id.0); }
        }
        let app = c.app;
        c.simple(FuncId::LineShutDown, "hLineApp", app);
        events.extend(c.events());
        prop_assert!(c.s.outstanding_requests().is_empty());
        for id in ids.iter() {
            // Client-chosen ids are unique here; server ids never collide with outstanding ones.
            let n = replies_for(&events, *id);
            prop_assert!(n >= 1, "request {id} never completed");
        }
        let total_replies = events.iter().filter(|(m, _)| *m == Msg::LineReply).count();
        prop_assert_eq!(total_replies, ids.len(), "one completion per request");
        for h in lines {
            prop_assert_eq!(c.simple(FuncId::LineClose, "hLine", h), err(LineErr::INVALLINEHANDLE));
        }
    }
}
