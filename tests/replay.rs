//! Sequence files and their replay (issue 12, "stateful sequences"; `mstrp::session::replay`).
//!
//! Records are written here by hand (`[u32 LE length][bytes]`, the issue's format), requests
//! with the crate's builders, and the expected outcomes come from the spec text quoted.
#![cfg(feature = "serde")]

use mstrp::errors::{ErrorCode, LineErr};
use mstrp::events::{Event, EventBuffer, Msg};
use mstrp::json::replay::ReplayStepJson;
use mstrp::replies::{Reply, ReturnValue};
use mstrp::requests::{FuncId, builders};
use mstrp::session::ServerConfig;
use mstrp::session::replay::{
    MAX_RECORD_LEN, Record, RecordError, RecordFault, Replayer, Step, records,
};

/// A record: `[u32 little-endian length][bytes]` (issue 12).
fn record(bytes: &[u8]) -> Vec<u8> {
    let mut v = u32::try_from(bytes.len()).unwrap().to_le_bytes().to_vec();
    v.extend_from_slice(bytes);
    v
}

fn file_of(msgs: &[Vec<u8>]) -> Vec<u8> {
    msgs.iter().flat_map(|m| record(m)).collect()
}

#[test]
fn records_are_read_in_order_with_their_offsets() {
    let file = file_of(&[vec![1, 2, 3], vec![], vec![9; 60]]);
    let all: Vec<Record<'_>> = records(&file).map(Result::unwrap).collect();
    assert_eq!(all.len(), 3);
    assert_eq!(
        (all[0].index, all[0].offset, all[0].bytes),
        (0, 0, &[1u8, 2, 3][..])
    );
    // 4 + 3 bytes, then 4 + 0.
    assert_eq!((all[1].index, all[1].offset, all[1].bytes.len()), (1, 7, 0));
    assert_eq!(
        (all[2].index, all[2].offset, all[2].bytes.len()),
        (2, 11, 60)
    );
}

#[test]
fn a_truncated_length_prefix_names_the_record_and_its_offset() {
    let mut file = file_of(&[vec![7; 5]]);
    file.extend_from_slice(&[1, 0]); // two bytes of the next prefix
    let all: Vec<_> = records(&file).collect();
    assert_eq!(all.len(), 2);
    assert!(all[0].is_ok());
    let e = all[1].unwrap_err();
    assert_eq!(
        e,
        RecordError {
            index: 1,
            offset: 9,
            fault: RecordFault::TruncatedLength { available: 2 }
        }
    );
    let text = e.to_string();
    assert!(
        text.contains("record 1") && text.contains("offset 9"),
        "{text}"
    );
}

#[test]
fn a_truncated_body_names_the_record_and_its_offset() {
    let mut file = file_of(&[vec![0; 60], vec![0; 60]]);
    file.truncate(file.len() - 1);
    let all: Vec<_> = records(&file).collect();
    assert_eq!(
        all.len(),
        2,
        "the first record, then the error; nothing after it"
    );
    assert_eq!(
        all[1],
        Err(RecordError {
            index: 1,
            offset: 64,
            fault: RecordFault::TruncatedBody {
                len: 60,
                available: 59
            }
        })
    );
}

#[test]
fn a_length_above_the_bound_is_refused_before_reading() {
    let mut file = file_of(&[vec![0; 4]]);
    file.extend_from_slice(&u32::MAX.to_le_bytes());
    file.extend_from_slice(&[0; 16]);
    let all: Vec<_> = records(&file).collect();
    assert_eq!(
        all[1],
        Err(RecordError {
            index: 1,
            offset: 8,
            fault: RecordFault::TooLong { len: u32::MAX }
        })
    );
    assert!(
        all[1]
            .unwrap_err()
            .to_string()
            .contains(&MAX_RECORD_LEN.to_string())
    );
}

fn get(func: FuncId, reply: &[u8], name: &str) -> u32 {
    Reply::parse(func, reply).unwrap().get(name).unwrap()
}

fn rv(func: FuncId, step: &Step) -> ReturnValue {
    ReturnValue::classify(func, step.return_value().unwrap())
}

fn msgs(bytes: &[u8]) -> Vec<u32> {
    EventBuffer::new(bytes)
        .iter()
        .map(|e| e.unwrap().msg())
        .collect()
}

/// Builds the life cycle of section 4 (Initialize, NegotiateAPIVersion, Open, MakeCall,
/// GetAsyncEvents, ShutDown) one request at a time, with the handles the server returned,
/// as a client would; returns the records and the steps seen.
fn life_cycle() -> (Vec<Vec<u8>>, Vec<Step>) {
    let mut r = Replayer::new(ServerConfig::default());
    let mut sent = Vec::new();
    let mut steps = Vec::new();
    let mut send = |r: &mut Replayer, msg: Vec<u8>| -> Step {
        let step = r.step(&Record {
            index: sent.len(),
            offset: 0,
            bytes: &msg,
        });
        sent.push(msg);
        steps.push(step.clone());
        step
    };
    let init = send(
        &mut r,
        builders::LineInitialize::new()
            .init_context(0x1000)
            .dw_friendly_name_offset("replay")
            .dw_module_name_offset("replay")
            .dw_api_version(0x0002_0000u32)
            .to_bytes()
            .to_vec(),
    );
    let app = get(FuncId::LineInitialize, &init.reply, "hLineApp");
    send(
        &mut r,
        builders::LineNegotiateAPIVersion::new()
            .h_line_app(app)
            .dw_device_id(0)
            .dw_version(0x0001_0004u32)
            .dw_version_current(0x0002_0000u32)
            .dw_negotiated_version(0xFFFF_FFFFu32)
            .extension_id(0xFFFF_FFFF)
            .dw_size(16)
            .to_bytes()
            .to_vec(),
    );
    let open = send(
        &mut r,
        builders::LineOpen::new()
            .h_line_app(app)
            .dw_device_id(0)
            .dw_negotiated_version(0x0002_0000u32)
            .open_context(0x2000)
            .dw_privileges(4) // LINECALLPRIVILEGE_OWNER (2.2.3.1.26)
            .dw_media_modes(4) // LINEMEDIAMODE_INTERACTIVEVOICE (2.2.3.1.44)
            .p_call_params(None::<&[u8]>)
            .h_remote_line(7)
            .to_bytes()
            .to_vec(),
    );
    let h_line = get(FuncId::LineOpen, &open.reply, "hLine");
    send(
        &mut r,
        builders::LineMakeCall::new()
            .dw_request_id(0x55)
            .lp_context(0x3000)
            .h_line(h_line)
            .lph_call_context(0x3001)
            .lpsz_dest_address("+1 425 555 0100")
            .lp_call_params(None::<&[u8]>)
            .to_bytes()
            .to_vec(),
    );
    let mut get_events = builders::GetAsyncEvents::new()
        .dw_total_buffer_size(1024)
        .to_bytes()
        .to_vec();
    get_events.extend_from_slice(&[0; 1024]);
    send(&mut r, get_events);
    send(
        &mut r,
        builders::LineShutDown::new()
            .h_line_app(app)
            .to_bytes()
            .to_vec(),
    );
    (sent, steps)
}

#[test]
fn a_life_cycle_replays_with_its_events_attributed_to_the_request_that_produced_them() {
    let (_, steps) = life_cycle();
    let funcs = [
        FuncId::LineInitialize,
        FuncId::LineNegotiateAPIVersion,
        FuncId::LineOpen,
        FuncId::LineMakeCall,
        FuncId::GetAsyncEvents,
        FuncId::LineShutDown,
    ];
    for (step, f) in steps.iter().zip(funcs) {
        assert_eq!(step.func(), Some(f));
        assert_eq!(step.name(), f.desc().name);
    }
    assert_eq!(steps[0].name(), "Initialize");
    // Synchronous requests succeed with TAPI_SUCCESS and queue nothing.
    for i in [0, 1, 2] {
        assert_eq!(rv(funcs[i], &steps[i]), ReturnValue::Success, "step {i}");
        assert!(steps[i].events.is_empty(), "step {i}");
    }
    // 3.1.4.2: an asynchronous request returns the client's dwRequestID when nonzero, and
    // completes with LINE_REPLY (2.2.4.2.1.25) carrying it as dwRemoteRequestID.
    assert_eq!(
        rv(FuncId::LineMakeCall, &steps[3]),
        ReturnValue::RequestId(mstrp::handles::RequestId(0x55))
    );
    let made = &steps[3].events;
    let kinds = msgs(made);
    assert_eq!(kinds[0], Msg::LineReply as u32);
    let first = EventBuffer::new(made).iter().next().unwrap().unwrap();
    let reply = Event::parse(first).unwrap().typed();
    assert_eq!(reply.field("dwRemoteRequestID").unwrap().value, 0x55);
    assert_eq!(reply.field("dwParam2").unwrap().value, 0);
    // A destination was given: LINE_CALLSTATE events follow (spec-notes/session.md).
    assert!(kinds[1..].iter().all(|&m| m == Msg::LineCallState as u32));
    assert!(kinds.len() > 1);
    // GetAsyncEvents produces nothing and hands over exactly what MakeCall queued
    // (2.2.4.1.8.1: dwUsedBufferSize bytes of ASYNCEVENTMSG in VarData).
    let pulled = &steps[4];
    assert_eq!(rv(FuncId::GetAsyncEvents, pulled), ReturnValue::Success);
    assert!(pulled.events.is_empty());
    let used = get(FuncId::GetAsyncEvents, &pulled.reply, "dwUsedBufferSize") as usize;
    assert_eq!(&pulled.reply[60..60 + used], &made[..]);
    assert_eq!(pulled.queued_event_bytes, 0);
    assert_eq!(rv(FuncId::LineShutDown, &steps[5]), ReturnValue::Success);
}

#[test]
fn the_same_file_replays_to_the_same_steps() {
    let (sent, steps) = life_cycle();
    let file = file_of(&sent);
    let mut r = Replayer::new(ServerConfig::default());
    let again: Vec<Step> = records(&file).map(|rec| r.step(&rec.unwrap())).collect();
    assert_eq!(again.len(), steps.len());
    for (a, b) in again.iter().zip(&steps) {
        assert_eq!((&a.reply, &a.events), (&b.reply, &b.events));
    }
    // Offsets are the records' places in the file.
    assert_eq!(again[1].offset, 4 + sent[0].len());
}

/// The Req_Func sequence of CVE-2026-20931 (issue 12: 47, 61, 121, 0, 86): the undocumented
/// ones are refused with LINEERR_OPERATIONUNAVAIL (3.1.4.2, ClientRequest) and named as
/// public research names them.
#[test]
fn undocumented_functions_are_named_and_refused() {
    let mut r = Replayer::new(ServerConfig::default());
    let msg = |f: u32| {
        let mut m = vec![0u8; 60];
        m[..4].copy_from_slice(&f.to_le_bytes());
        m
    };
    let s61 = r.step(&Record {
        index: 1,
        offset: 0,
        bytes: &msg(61),
    });
    let s121 = r.step(&Record {
        index: 2,
        offset: 0,
        bytes: &msg(121),
    });
    let s200 = r.step(&Record {
        index: 3,
        offset: 0,
        bytes: &msg(200),
    });
    assert_eq!(s61.name(), "LRegisterRequestRecipient");
    assert_eq!(s121.name(), "TRequestMakeCall");
    assert_eq!(s200.name(), "Unknown");
    let unavail = ErrorCode::Line(LineErr::OPERATIONUNAVAIL).value();
    for s in [&s61, &s121, &s200] {
        assert_eq!(s.return_value(), Some(unavail));
        let j = ReplayStepJson::from_step(s);
        assert_eq!(j.result, "LINEERR_OPERATIONUNAVAIL");
    }
}

#[test]
fn a_record_shorter_than_a_dword_has_no_req_func() {
    let mut r = Replayer::new(ServerConfig::default());
    let s = r.step(&Record {
        index: 0,
        offset: 0,
        bytes: &[1, 2],
    });
    assert_eq!(s.req_func, None);
    let j = serde_json::to_value(ReplayStepJson::from_step(&s)).unwrap();
    assert_eq!(j["req_func"], serde_json::Value::Null);
    assert_eq!(j["name"], "Unknown");
}

#[test]
fn the_json_line_has_the_issue_s_members() {
    let (_, steps) = life_cycle();
    let j = serde_json::to_value(ReplayStepJson::from_step(&steps[3])).unwrap();
    assert_eq!(j["index"], 3);
    assert_eq!(j["req_func"], 48);
    assert_eq!(j["name"], "MakeCall");
    assert_eq!(j["return_value"], 0x55);
    assert_eq!(j["result"], "request_id");
    assert_eq!(j["events"][0]["name"], "LINE_REPLY");
    let line = serde_json::to_string(&ReplayStepJson::from_step(&steps[3])).unwrap();
    assert!(
        line.starts_with(
            r#"{"index":3,"req_func":48,"name":"MakeCall","return_value":85,"result":"request_id","events":[{"#
        ),
        "{line}"
    );
}
