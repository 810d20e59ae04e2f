//! The sample buffers of sections 4.3 and 4.4 (`samples/events/`), regression fixtures: the
//! files on disk are what our own `examples/write_event_samples.rs` writes; what makes them
//! more than a round trip is that their bytes are also compared with a layout written by hand
//! from the diagrams, and they decode (with the correlator for MakeCall's completion) to the
//! values the exchanges state.

#[path = "../examples/write_event_samples.rs"]
#[allow(dead_code)]
mod write_event_samples;

use std::path::Path;

use mstrp::events::completions::{Correlated, Correlator, Reply, SpecialCompletion};
use mstrp::events::constants::LineCallState;
use mstrp::events::remote::{Identifier, KnownIds, check_buffer};
use mstrp::events::{Event, EventBuffer};
use mstrp::handles::{HCall, RequestId};
use mstrp::requests::FuncId;

fn dw(d: &[u32]) -> Vec<u8> {
    d.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples/events")
            .join(name),
    )
    .expect("run `cargo run --example write_event_samples`")
}

#[test]
fn files_are_up_to_date() {
    for (name, bytes) in write_event_samples::samples() {
        assert_eq!(read(name), bytes, "{name}");
    }
}

#[test]
fn incoming_call_matches_the_diagrams() {
    #[rustfmt::skip]
    let want = [
        // LINE_APPNEWCALL (2.2.4.2.1.6)
        dw(&[40, 0x1000, 0, 7, 0x17, 0x2000, 0, 0x0001_0003, 0x102, 0]),
        // LINE_CALLSTATE (2.2.4.2.1.8): LINEOFFERINGMODE_ACTIVE, OFFERING, OWNER, INTERACTIVEVOICE
        dw(&[40, 0x1000, 1, 0x0001_0003, 0x2, 0x2000, 0x2, 0x4, 0x4, 7]),
    ]
    .concat();
    let bytes = read("4.4-appnewcall-callstate-offering.bin");
    assert_eq!(bytes, want);
    let events: Vec<_> = EventBuffer::new(&bytes)
        .iter()
        .map(|r| Event::parse(r.unwrap()).unwrap())
        .collect();
    let Event::LineAppNewCall(new) = events[0] else {
        panic!()
    };
    let Event::LineCallState(state) = events[1] else {
        panic!()
    };
    assert_eq!(new.h_new_call(), state.h_call());
    assert_eq!(state.call_state(), LineCallState::OFFERING);
    let ok = KnownIds::new()
        .with(Identifier::InitContext, 0x1000)
        .with(Identifier::RemoteLine, 7);
    let v = check_buffer(EventBuffer::new(&bytes), &ok);
    assert_eq!((v.accepted.len(), v.ignored.len(), v.failure), (2, 0, None));
}

#[test]
fn make_call_reply_matches_the_diagram_and_correlates() {
    let bytes = read("4.3-makecall-line-reply.bin");
    assert_eq!(
        bytes,
        dw(&[
            52,
            0x1000,
            0x3000,
            0,
            0xC,
            0x2000,
            0x2A,
            0,
            0x0001_0002,
            0x3001,
            0,
            0x101,
            0
        ])
    );
    let raw = EventBuffer::new(&bytes).iter().next().unwrap().unwrap();
    let mut c = Correlator::new();
    c.expect(
        RequestId(0x2A),
        FuncId::LineMakeCall,
        &[("lpContext", 0x3000), ("lphCallContext", 0x3001)],
    );
    let out = c.decode(raw).unwrap();
    assert_eq!(out.context_mismatch(), None);
    let Correlated::Reply {
        reply: Reply::Special(SpecialCompletion::LineMakeCall(m)),
        ..
    } = out
    else {
        panic!("{out:?}")
    };
    assert_eq!(m.h_call(), HCall(0x0001_0002));
    assert!(m.result().is_success());
}

#[test]
fn answer_reply_matches_the_diagram() {
    let bytes = read("4.4-answer-line-reply.bin");
    assert_eq!(
        bytes,
        dw(&[40, 0x1000, 0, 0x0001_0003, 0xC, 0x2000, 0x2B, 0, 0, 0])
    );
    let raw = EventBuffer::new(&bytes).iter().next().unwrap().unwrap();
    let Event::LineReply(r) = Event::parse(raw).unwrap() else {
        panic!()
    };
    assert_eq!(r.dw_remote_request_id(), RequestId(0x2B));
}
