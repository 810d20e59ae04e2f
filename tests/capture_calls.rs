//! The call decoder of `trp pcap` (`capture::calls`) and the association beneath it
//! (`rpc::association`): contexts from bind and bind_ack (C706 12.6.4.3-4), requests matched
//! to responses and faults by call_id, request order across associations, gaps reported with
//! their frames, streams that are not DCE/RPC left alone, and `--port` for captures that
//! start after the bind. Captures are written with `capture::write`; the PDUs inside are the
//! hand-typed ones of tests/common/hand_pdus.rs where the test is about bytes.
#![cfg(feature = "pcap")]

use mstrp::capture::calls::{Call, Calls, CallsConfig, Carrier};
use mstrp::capture::write::{CaptureWriter, Fault, Format, TcpOptions};
use mstrp::capture::{self, TransportConfig};
use mstrp::rpc::association::Association;
use mstrp::rpc::faults::{DefResult, ProviderReason};
use mstrp::rpc::methods::{Direction, Interface, Method};
use mstrp::rpc::ndr::Syntax;
use mstrp::rpc::pdu::{
    BindAckBuilder, BindBuilder, BodyBuilder, ContextElemBuilder, ContextResult, Pdu, PduBuilder,
};
use mstrp::rpc::uuid::{NDR20, NDR64, REMOTESP, SyntaxId, TAPSRV};

#[path = "common/hand_pdus.rs"]
mod hand;

fn bind(call_id: u32, contexts: &[(u16, SyntaxId, &[SyntaxId])]) -> Vec<u8> {
    PduBuilder::new(
        call_id,
        BodyBuilder::Bind(BindBuilder {
            max_xmit_frag: 4280,
            max_recv_frag: 4280,
            contexts: contexts
                .iter()
                .map(|(id, a, t)| ContextElemBuilder::new(*id, *a, t))
                .collect(),
            ..BindBuilder::default()
        }),
    )
    .to_bytes()
    .unwrap()
}

fn bind_ack(call_id: u32, results: &[ContextResult]) -> Vec<u8> {
    PduBuilder::new(
        call_id,
        BodyBuilder::BindAck(BindAckBuilder::new(4280, 4280, 0x1234, "4444", results)),
    )
    .to_bytes()
    .unwrap()
}

fn accept(t: SyntaxId) -> ContextResult {
    ContextResult::new(
        DefResult::ACCEPTANCE,
        ProviderReason::REASON_NOT_SPECIFIED,
        t,
    )
}

fn reject() -> ContextResult {
    ContextResult::new(
        DefResult::PROVIDER_REJECTION,
        ProviderReason::PROPOSED_TRANSFER_SYNTAXES_NOT_SUPPORTED,
        SyntaxId::new(mstrp::rpc::uuid::Uuid::NIL, 0, 0),
    )
}

fn pdu(bytes: &[u8]) -> Pdu<'_> {
    Pdu::parse(bytes).unwrap()
}

#[test]
fn bind_ack_binds_only_the_accepted_contexts() {
    let mut a = Association::new();
    let b = bind(
        1,
        &[
            (0, TAPSRV, &[NDR20][..]),
            (1, TAPSRV, &[NDR64][..]),
            (2, REMOTESP, &[NDR20][..]),
        ],
    );
    let ack = bind_ack(1, &[reject(), accept(NDR64), accept(NDR20)]);
    a.observe(&pdu(&b));
    assert!(a.proposed_trp());
    assert!(!a.speaks_trp(), "nothing is bound before the bind_ack");
    a.observe(&pdu(&ack));
    assert!(a.context(0).is_none(), "the rejected context stays unbound");
    let c1 = a.context(1).unwrap();
    assert_eq!(c1.interface, Some(Interface::Tapsrv));
    assert_eq!(c1.syntax, Some(Syntax::Ndr64));
    assert!(!c1.assumed);
    assert_eq!(a.context(2).unwrap().interface, Some(Interface::Remotesp));
    // A bind_ack for another call_id answers nothing.
    let mut other = Association::new();
    other.observe(&pdu(&b));
    other.observe(&pdu(&bind_ack(9, &[accept(NDR20)])));
    assert!(other.context(0).is_none());
}

#[test]
fn responses_are_matched_to_their_request_by_call_id() {
    let mut a = Association::new();
    a.observe(&pdu(&hand::bytes(hand::BIND)));
    a.observe(&pdu(&hand::bytes(hand::BIND_ACK)));
    let req = hand::bytes(hand::CLOSE_REQUEST);
    let info = a.classify(&pdu(&req)).unwrap();
    assert_eq!(info.method, Some(Method::ClientRequest));
    assert_eq!(info.direction, Direction::Request);
    assert_eq!(info.req_func, Some(9), "Close");
    assert_eq!(info.l_needed_size, Some(60));
    assert_eq!(a.pending(), 1);
    let resp = hand::bytes(hand::CLOSE_RESPONSE);
    let info = a.classify(&pdu(&resp)).unwrap();
    assert_eq!(info.direction, Direction::Response);
    assert_eq!(info.method, Some(Method::ClientRequest));
    assert_eq!(info.req_func, Some(9));
    assert_eq!(a.pending(), 0);
    // A second response for the same call_id answers no request.
    let info = a.classify(&pdu(&resp)).unwrap();
    assert_eq!(info.method, None);
    assert_eq!(info.opnum, None);
}

#[test]
fn the_oldest_pending_call_is_forgotten_beyond_the_bound() {
    let mut a = Association::new().with_max_pending(2);
    a.assume(Interface::Tapsrv, Syntax::Ndr20);
    for call_id in 1..=3 {
        a.request(call_id, 0, 2, &[0; 20]);
    }
    assert_eq!(a.pending(), 2);
    assert_eq!(a.response(1, 0).method, None, "call 1 was forgotten");
    assert_eq!(a.response(3, 0).method, Some(Method::ClientDetach));
}

fn run(file: &[u8], config: CallsConfig) -> (Vec<Call>, Calls) {
    let mut calls = Calls::new(config);
    let mut out = Vec::new();
    for ev in capture::open(file, TransportConfig::default()).unwrap() {
        calls.push(&ev);
        out.extend(calls.take_calls());
    }
    calls.finish();
    out.extend(calls.take_calls());
    (out, calls)
}

const CLIENT: &str = "10.0.0.1:50000";
const SERVER: &str = "10.0.0.2:4444";

#[test]
fn a_tcp_association_gives_its_calls_with_responses_and_faults() {
    let mut w = CaptureWriter::new(Format::PcapNg);
    let mut c = w.tcp_conversation(CLIENT.parse().unwrap(), SERVER.parse().unwrap());
    c.client_sends(&hand::bytes(hand::BIND));
    c.server_sends(&hand::bytes(hand::BIND_ACK));
    c.client_sends(&hand::bytes(hand::CLOSE_REQUEST));
    c.server_sends(&hand::bytes(hand::CLOSE_RESPONSE));
    c.client_sends(&hand::bytes(hand::BAD_OPNUM_REQUEST));
    c.server_sends(&hand::bytes(hand::OP_RNG_FAULT));
    c.close();
    let (calls, mut decoder) = run(&w.finish(), CallsConfig::default());
    assert_eq!(calls.len(), 2);
    let close = &calls[0];
    assert_eq!(close.call_id, 3);
    assert_eq!(close.carrier, Carrier::Tcp);
    assert_eq!(close.src.to_string(), CLIENT);
    assert_eq!(close.dst.to_string(), SERVER);
    assert_eq!(close.info.method, Some(Method::ClientRequest));
    assert_eq!(close.request, hand::bytes(hand::CLOSE_REQUEST)[24..]);
    let answer = close.answer.as_ref().unwrap();
    assert_eq!(answer.stub, hand::bytes(hand::CLOSE_RESPONSE)[24..]);
    assert!(answer.fault.is_none());
    assert!(answer.frame > close.frame);
    let bad = &calls[1];
    assert_eq!(bad.info.opnum, Some(7));
    assert_eq!(bad.info.method, None);
    assert_eq!(
        bad.answer.as_ref().unwrap().fault.unwrap().value(),
        0x1C01_0002
    );
    assert!(decoder.take_errors().is_empty());
    assert_eq!(decoder.open_streams(), 0);
    assert_eq!(decoder.held_calls(), 0);
}

#[test]
fn calls_come_out_in_request_order_across_associations() {
    // The remotesp callback of ClientAttach (3.1.4.1): the server's RemoteSPAttach request
    // and response come while the client's first request waits for its response.
    let mut w = CaptureWriter::new(Format::Pcap);
    let mut c = w.tcp_conversation(CLIENT.parse().unwrap(), SERVER.parse().unwrap());
    c.client_sends(&hand::bytes(hand::BIND));
    c.server_sends(&hand::bytes(hand::BIND_ACK));
    c.client_sends(&hand::bytes(hand::CLOSE_REQUEST));
    c.abandon();
    let remotesp_bind = bind(1, &[(0, REMOTESP, &[NDR20][..])]);
    let mut cb = w.tcp_conversation(
        "10.0.0.2:49700".parse().unwrap(),
        "10.0.0.1:50001".parse().unwrap(),
    );
    cb.client_sends(&remotesp_bind);
    cb.server_sends(&bind_ack(1, &[accept(NDR20)]));
    cb.client_sends(&PduBuilder::request(1, 0, 0, Vec::new()).to_bytes().unwrap());
    let mut attach = vec![0u8; 24];
    attach[4..20].copy_from_slice(&[7; 16]);
    cb.server_sends(&PduBuilder::response(1, 0, attach).to_bytes().unwrap());
    cb.close();
    // The capture holds no response to the first request (its connection was abandoned).
    let (calls, mut decoder) = run(&w.finish(), CallsConfig::default());
    let methods: Vec<_> = calls.iter().map(|c| c.info.method).collect();
    assert_eq!(
        methods,
        [Some(Method::ClientRequest), Some(Method::RemoteSPAttach)]
    );
    assert!(calls[0].answer.is_none(), "the capture ends before it");
    assert!(calls[1].answer.is_some());
    assert_eq!(calls[1].src.to_string(), "10.0.0.2:49700");
    assert!(decoder.take_errors().is_empty());
}

#[test]
fn a_gap_is_reported_with_its_frames_and_decoding_resumes() {
    let mut w = CaptureWriter::new(Format::Pcap);
    let mut c = w.tcp_conversation(CLIENT.parse().unwrap(), SERVER.parse().unwrap());
    c.client_sends(&hand::bytes(hand::BIND));
    c.server_sends(&hand::bytes(hand::BIND_ACK));
    c.fault_next(Fault::Drop);
    c.client_sends(&hand::bytes(hand::CLOSE_REQUEST));
    c.client_sends(&hand::bytes(hand::BAD_OPNUM_REQUEST));
    c.server_sends(&hand::bytes(hand::OP_RNG_FAULT));
    c.close();
    let (calls, mut decoder) = run(&w.finish(), CallsConfig::default());
    // The Close request was never captured; the next request is found again.
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].info.opnum, Some(7));
    assert!(calls[0].answer.is_some());
    let errors = decoder.take_errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].message.contains("were not captured"),
        "{}",
        errors[0]
    );
    assert!(errors[0].message.contains("bytes 72..196"), "{}", errors[0]);
    assert!(errors[0].frame > 0);
}

#[test]
fn streams_that_are_not_dce_rpc_are_left_alone() {
    let mut w = CaptureWriter::new(Format::Pcap);
    let mut c = w.tcp_conversation(
        "10.0.0.1:50002".parse().unwrap(),
        "10.0.0.2:80".parse().unwrap(),
    );
    c.client_sends(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    c.server_sends(b"HTTP/1.1 204 No Content\r\n\r\n");
    c.close();
    let (calls, mut decoder) = run(&w.finish(), CallsConfig::default());
    assert!(calls.is_empty());
    assert!(decoder.take_errors().is_empty());
    assert_eq!(decoder.stats().other_streams, 1);
}

#[test]
fn without_a_bind_only_listed_ports_are_read_as_tapsrv() {
    let capture = || {
        let mut w = CaptureWriter::new(Format::Pcap);
        let mut c = w.tcp_conversation_with(
            CLIENT.parse().unwrap(),
            SERVER.parse().unwrap(),
            TcpOptions {
                handshake: false,
                ..TcpOptions::default()
            },
        );
        c.client_sends(&hand::bytes(hand::CLOSE_REQUEST));
        c.server_sends(&hand::bytes(hand::CLOSE_RESPONSE));
        c.close();
        w.finish()
    };
    let (calls, _) = run(&capture(), CallsConfig::default());
    assert!(
        calls.is_empty(),
        "no bind, no port: the interface is unknown"
    );
    let config = CallsConfig {
        rpc_ports: [4444].into_iter().collect(),
        ..CallsConfig::default()
    };
    let (calls, _) = run(&capture(), config);
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].info.method, Some(Method::ClientRequest));
    assert!(calls[0].info.context.unwrap().assumed);
    assert!(calls[0].answer.is_some());
}

#[test]
fn the_number_of_waiting_calls_is_bounded() {
    let mut w = CaptureWriter::new(Format::Pcap);
    let mut c = w.tcp_conversation(CLIENT.parse().unwrap(), SERVER.parse().unwrap());
    c.client_sends(&hand::bytes(hand::BIND));
    c.server_sends(&hand::bytes(hand::BIND_ACK));
    for call_id in 10..20u32 {
        let mut req = hand::bytes(hand::CLOSE_REQUEST);
        req[12..16].copy_from_slice(&call_id.to_le_bytes());
        c.client_sends(&req);
    }
    c.close();
    let mut decoder = Calls::new(CallsConfig {
        max_waiting: 3,
        ..CallsConfig::default()
    });
    let file = w.finish();
    let mut seen = 0;
    for ev in capture::open(&file[..], TransportConfig::default()).unwrap() {
        decoder.push(&ev);
        assert!(decoder.held_calls() <= 3);
        seen += decoder.take_calls().len();
    }
    decoder.finish();
    seen += decoder.take_calls().len();
    assert_eq!(seen, 10, "every request is reported, without a response");
}

/// A call given up because `max_waiting` calls were held no longer waits in its stream: the
/// stream's bookkeeping stays within the bound, and a response that comes after all is
/// counted as unmatched instead of answering a call already reported.
#[test]
fn a_call_given_up_no_longer_waits_for_its_response() {
    let mut w = CaptureWriter::new(Format::Pcap);
    let mut c = w.tcp_conversation(CLIENT.parse().unwrap(), SERVER.parse().unwrap());
    c.client_sends(&hand::bytes(hand::BIND));
    c.server_sends(&hand::bytes(hand::BIND_ACK));
    let with_call_id = |mut pdu: Vec<u8>, call_id: u32| {
        pdu[12..16].copy_from_slice(&call_id.to_le_bytes());
        pdu
    };
    for call_id in 10..20u32 {
        c.client_sends(&with_call_id(hand::bytes(hand::CLOSE_REQUEST), call_id));
    }
    // The answer to the first call, long given up (3 may wait), then to the last one.
    c.server_sends(&with_call_id(hand::bytes(hand::CLOSE_RESPONSE), 10));
    c.server_sends(&with_call_id(hand::bytes(hand::CLOSE_RESPONSE), 19));
    c.close();
    let mut decoder = Calls::new(CallsConfig {
        max_waiting: 3,
        ..CallsConfig::default()
    });
    let file = w.finish();
    let mut calls = Vec::new();
    for ev in capture::open(&file[..], TransportConfig::default()).unwrap() {
        decoder.push(&ev);
        assert!(decoder.waiting_calls() <= 3, "{}", decoder.waiting_calls());
        calls.extend(decoder.take_calls());
    }
    decoder.finish();
    calls.extend(decoder.take_calls());
    assert_eq!(calls.len(), 10);
    assert!(
        calls[0].answer.is_none(),
        "call 10 was reported without its answer"
    );
    assert_eq!(calls[9].call_id, 19);
    assert!(calls[9].answer.is_some(), "call 19 still waited");
    assert_eq!(
        decoder.stats().unmatched_answers,
        1,
        "the late answer to call 10"
    );
}

/// Errors are held up to `max_errors` until taken; beyond that they are only counted, so a
/// long damaged capture read without taking them holds a bounded list. A reader that takes
/// them as it goes sees them all.
#[test]
fn the_errors_held_are_bounded_and_all_are_counted() {
    const GAPS: u64 = 20;
    let capture = || {
        let mut w = CaptureWriter::new(Format::Pcap);
        let mut c = w.tcp_conversation(CLIENT.parse().unwrap(), SERVER.parse().unwrap());
        c.client_sends(&hand::bytes(hand::BIND));
        c.server_sends(&hand::bytes(hand::BIND_ACK));
        for _ in 0..GAPS {
            // A lost segment: one gap, reported when the next segment arrives.
            c.fault_next(Fault::Drop);
            c.client_sends(&hand::bytes(hand::CLOSE_REQUEST));
            c.client_sends(&hand::bytes(hand::BAD_OPNUM_REQUEST));
        }
        c.close();
        w.finish()
    };
    let config = CallsConfig {
        max_errors: 5,
        ..CallsConfig::default()
    };
    let (_, mut decoder) = run(&capture(), config.clone());
    let errors = decoder.take_errors();
    assert_eq!(errors.len(), 5, "{errors:?}");
    assert!(
        errors
            .iter()
            .all(|e| e.message.contains("were not captured"))
    );
    assert_eq!(decoder.stats().errors, GAPS);
    assert_eq!(decoder.stats().errors_dropped, GAPS - 5);

    let mut decoder = Calls::new(config);
    let file = capture();
    let mut taken = 0;
    for ev in capture::open(&file[..], TransportConfig::default()).unwrap() {
        decoder.push(&ev);
        taken += decoder.take_errors().len() as u64;
    }
    decoder.finish();
    taken += decoder.take_errors().len() as u64;
    assert_eq!(taken, GAPS);
    assert_eq!(decoder.stats().errors_dropped, 0);
}
