//! `mstrp::serve` over a real loopback TCP socket: bind/bind_ack and alter_context (C706
//! 12.6.4), ClientAttach/ClientRequest/ClientDetach ([MS-TRP] 3.1.4.1-3) in NDR20 and NDR64,
//! each fault, fragmented requests and responses, 64 clients at once, and the rundown of a
//! client that disconnects. Known answers are the hand-typed PDUs of the design note's worked
//! example (tests/common/hand_pdus.rs) and tshark's reading of the server's own bytes.
#![cfg(feature = "serve")]

#[path = "common/hand_pdus.rs"]
mod hand_pdus;
#[path = "common/serve_service.rs"]
mod serve_service;
#[path = "common/tshark.rs"]
mod tshark;

use std::sync::atomic::Ordering;

use mstrp::rpc::methods::{ClientDetachResponse, ClientRequestRequestBuilder};
use mstrp::rpc::ndr::{ContextHandle, Syntax};
use mstrp::rpc::pdu::{ContextElemBuilder, PduBuilder, fragment};
use mstrp::rpc::uuid::{NDR20, NDR64, REMOTESP, SyntaxId, TAPSRV, Uuid};
use mstrp::serve::{ASYNC_EVENTS_ALL_DEVICES, ServerOptions};
use serve_service::{Answer, Script, WireClient, eventually, msg, start};
use tshark::Dir;

const FAULT_NDR: u32 = 0x0000_06F7;
const OP_RNG_ERROR: u32 = 0x1C01_0002;
const UNK_IF: u32 = 0x1C01_0003;
const CONTEXT_MISMATCH: u32 = 0x1C00_001A;
const PROTO_ERROR: u32 = 0x1C01_000B;
/// FIRST | LAST | DID_NOT_EXECUTE (C706 12.6.3.1).
const FAULT_FLAGS: u8 = 0x23;

fn server() -> (std::net::SocketAddr, std::sync::Arc<serve_service::Shared>) {
    start(
        Script {
            async_events_event: ASYNC_EVENTS_ALL_DEVICES,
            ..Script::default()
        },
        ServerOptions::default(),
    )
}

/// The hand bind_ack (hand_pdus::BIND_ACK, secondary address "4444", assoc_group 0xf053) with
/// this server's port as the secondary address and its association group.
fn expected_bind_ack(port: u16, group: u32) -> Vec<u8> {
    let hand = hand_pdus::bytes(hand_pdus::BIND_ACK);
    let mut addr = port.to_string().into_bytes();
    addr.push(0);
    let mut b = hand[..16].to_vec();
    b.extend_from_slice(&hand[16..20]); // max_xmit_frag, max_recv_frag 4280
    b.extend_from_slice(&group.to_le_bytes());
    b.extend_from_slice(&(addr.len() as u16).to_le_bytes());
    b.extend_from_slice(&addr);
    while b.len() % 4 != 0 {
        b.push(0);
    }
    b.extend_from_slice(&hand[32..]); // the result list
    let len = b.len() as u16;
    b[8..10].copy_from_slice(&len.to_le_bytes());
    b
}

#[test]
fn hand_bind_gets_the_hand_bind_ack() {
    let (addr, _) = server();
    let mut c = WireClient::connect(addr);
    c.send(&hand_pdus::bytes(hand_pdus::BIND));
    let ack = c.recv().unwrap();
    let group = u32::from_le_bytes(ack[20..24].try_into().unwrap());
    assert_ne!(group, 0, "a new association group for assoc_group_id 0");
    assert_eq!(ack, expected_bind_ack(addr.port(), group));
}

/// The design note's worked example: Close (Req_Func 9) in a 60-byte buffer. The scripted
/// service answers Ack_ReturnValue 0 and the rest of the buffer, which is exactly the hand
/// response.
#[test]
fn the_worked_close_example_round_trips_byte_for_byte() {
    let (addr, _) = server();
    let mut c = WireClient::connect(addr);
    c.send(&hand_pdus::bytes(hand_pdus::BIND));
    c.recv().unwrap();
    let (h, _, ret) = c.attach(-1, "mailslot", "PC");
    assert_eq!(ret, 0);
    let mut req = hand_pdus::bytes(hand_pdus::CLOSE_REQUEST);
    req[24..44].copy_from_slice(&h.to_bytes());
    c.send(&req);
    assert_eq!(
        c.recv().unwrap(),
        hand_pdus::bytes(hand_pdus::CLOSE_RESPONSE)
    );
}

#[test]
fn unknown_context_handle_is_a_context_mismatch_fault() {
    let (addr, _) = server();
    let mut c = WireClient::connect(addr);
    c.send(&hand_pdus::bytes(hand_pdus::BIND));
    c.recv().unwrap();
    // The hand request's handle 00000000 0102..10 was never issued.
    let answer = c.call_raw(&[hand_pdus::bytes(hand_pdus::CLOSE_REQUEST)]);
    assert_eq!(answer, Answer::Fault(CONTEXT_MISMATCH, FAULT_FLAGS));
    // A detached handle is dead too (3.1.4.3).
    let (h, _, _) = c.attach(-1, "m", "PC");
    assert!(matches!(c.detach(h), Answer::Response(..)));
    assert_eq!(
        c.request(h, &msg(9, 0), 60),
        Answer::Fault(CONTEXT_MISMATCH, FAULT_FLAGS)
    );
    assert_eq!(c.detach(h), Answer::Fault(CONTEXT_MISMATCH, FAULT_FLAGS));
}

#[test]
fn unknown_opnum_is_op_rng_error_as_typed_by_hand() {
    let (addr, _) = server();
    let mut c = WireClient::connect(addr);
    c.send(&hand_pdus::bytes(hand_pdus::BIND));
    c.recv().unwrap();
    c.send(&hand_pdus::bytes(hand_pdus::BAD_OPNUM_REQUEST));
    let fault = c.recv().unwrap();
    // The hand fault with PFC_DID_NOT_EXECUTE set (spec-notes/serve.md).
    let mut expected = hand_pdus::bytes(hand_pdus::OP_RNG_FAULT);
    expected[3] = FAULT_FLAGS;
    assert_eq!(fault, expected);
    assert_eq!(
        u32::from_le_bytes(fault[24..28].try_into().unwrap()),
        OP_RNG_ERROR
    );
}

#[test]
fn a_context_no_bind_accepted_is_unk_if() {
    let (addr, _) = server();
    let mut c = WireClient::connect(addr);
    c.bind(Syntax::Ndr20);
    let pdu = PduBuilder::request(7, 5, 0, Vec::new()).to_bytes().unwrap();
    assert_eq!(c.call_raw(&[pdu]), Answer::Fault(UNK_IF, FAULT_FLAGS));
}

#[test]
fn a_bad_stub_is_the_ndr_errors_fault_status() {
    let (addr, _) = server();
    let mut c = WireClient::connect(addr);
    c.bind(Syntax::Ndr20);
    // ClientAttach stub cut short.
    assert_eq!(
        c.call(0, vec![0xFF; 6]),
        Answer::Fault(FAULT_NDR, FAULT_FLAGS)
    );
    // ClientRequest whose max_count differs from lNeededSize.
    let (h, _, _) = c.attach(-1, "m", "PC");
    let bad = ClientRequestRequestBuilder {
        l_needed_size: Some(100),
        p_buffer_counts: mstrp::rpc::methods::Counts {
            max: Some(60),
            ..Default::default()
        },
        ..ClientRequestRequestBuilder::new(h, &msg(9, 0))
    };
    assert_eq!(
        c.call(1, bad.encode(Syntax::Ndr20)),
        Answer::Fault(FAULT_NDR, FAULT_FLAGS)
    );
    // A nil [in] handle: the decoder's fault_status is context_mismatch.
    assert_eq!(
        c.request(ContextHandle::NIL, &msg(9, 0), 60),
        Answer::Fault(CONTEXT_MISMATCH, FAULT_FLAGS)
    );
    // The connection still serves.
    assert!(matches!(c.request(h, &msg(9, 0), 60), Answer::Response(..)));
}

fn round_trip(syntax: Syntax) {
    let (addr, shared) = server();
    let mut c = WireClient::connect(addr);
    let ack = c.bind(syntax);
    // One result, acceptance (0), the transfer syntax proposed.
    assert_eq!(ack[ack.len() - 24..ack.len() - 20], [0, 0, 0, 0]);
    let id: SyntaxId = syntax.syntax_id();
    assert_eq!(&ack[ack.len() - 20..], zerocopy::IntoBytes::as_bytes(&id));

    let (h, event, ret) = c.attach(-1, "mailslot", "PC\"ncacn_ip_tcp\"251\"");
    assert_eq!((event as u32, ret), (0xA5C3_69A5, 0));
    assert_eq!(h.attributes, 0);
    assert!(!h.is_nil());

    // 1024-byte capacity, 60 bytes used: the reply comes back in the same capacity.
    let m = msg(47, 0x5A);
    let stub = c.request(h, &m, 1024).stub();
    let mut expected_reply = m.clone();
    expected_reply[..4].fill(0);
    let resp = mstrp::rpc::methods::ClientRequestResponse::decode(syntax, &stub).unwrap();
    assert_eq!(resp.p_buffer().bytes(), &expected_reply[..]);
    assert_eq!(resp.p_buffer().max_count, 1024);
    assert_eq!(resp.pl_used_size(), 60);

    let stub = c.detach(h).stub();
    let d = ClientDetachResponse::decode(syntax, &stub).unwrap();
    assert!(d.pph_context().is_nil());
    assert!(eventually(|| shared.live.load(Ordering::SeqCst) == 0));
    let log = shared.lines();
    assert_eq!(
        log,
        [
            "attach -1 \"mailslot\" \"PC\\\"ncacn_ip_tcp\\\"251\\\"\"",
            "request 60 bytes, capacity 1024",
            "detach"
        ]
    );
}

#[test]
fn attach_request_detach_in_ndr20() {
    round_trip(Syntax::Ndr20);
}

#[test]
fn attach_request_detach_in_ndr64() {
    round_trip(Syntax::Ndr64);
}

#[test]
fn bind_rejects_other_interfaces_and_transfer_syntaxes_per_context() {
    let (addr, _) = server();
    let mut c = WireClient::connect(addr);
    let other_ts = SyntaxId::new(Uuid([7; 16]), 1, 0);
    let contexts = vec![
        ContextElemBuilder::new(0, REMOTESP, &[NDR20]),
        ContextElemBuilder::new(1, TAPSRV, &[other_ts]),
        ContextElemBuilder::new(2, TAPSRV, &[other_ts, NDR64]),
        ContextElemBuilder::new(3, TAPSRV, &[NDR20]),
    ];
    c.send(
        &PduBuilder::bind(1, 4280, 4280, 0, contexts)
            .to_bytes()
            .unwrap(),
    );
    let ack = c.recv().unwrap();
    let n = ack.len();
    let results: Vec<&[u8]> = (0..4)
        .map(|i| &ack[n - 96 + 24 * i..n - 72 + 24 * i])
        .collect();
    assert_eq!(ack[n - 100], 4, "n_results");
    // provider_rejection (2), abstract_syntax_not_supported (1), nil syntax.
    assert_eq!(results[0], [&[2u8, 0, 1, 0][..], &[0; 20]].concat());
    // provider_rejection, proposed_transfer_syntaxes_not_supported (2).
    assert_eq!(results[1], [&[2u8, 0, 2, 0][..], &[0; 20]].concat());
    // Accepted with the first supported syntax of the list.
    assert_eq!(
        results[2],
        [&[0u8, 0, 0, 0][..], zerocopy::IntoBytes::as_bytes(&NDR64)].concat()
    );
    assert_eq!(
        results[3],
        [&[0u8, 0, 0, 0][..], zerocopy::IntoBytes::as_bytes(&NDR20)].concat()
    );
    // A rejected context cannot carry calls; an accepted one can.
    c.send(&PduBuilder::request(2, 1, 0, Vec::new()).to_bytes().unwrap());
    assert_eq!(c.read_answer(), Answer::Fault(UNK_IF, FAULT_FLAGS));
    c.syntax = Syntax::Ndr64;
    let stub =
        mstrp::rpc::methods::ClientAttachRequestBuilder::new(-1, "m", "PC").encode(Syntax::Ndr64);
    let pdu = PduBuilder::request(3, 2, 0, stub).to_bytes().unwrap();
    assert!(matches!(c.call_raw(&[pdu]), Answer::Response(..)));
}

#[test]
fn alter_context_adds_ndr64_beside_ndr20() {
    let (addr, _) = server();
    let mut c = WireClient::connect(addr);
    c.bind(Syntax::Ndr20);
    let alter = PduBuilder::alter_context(
        2,
        4280,
        4280,
        0,
        vec![ContextElemBuilder::new(1, TAPSRV, &[NDR64])],
    );
    c.send(&alter.to_bytes().unwrap());
    let resp = c.recv().unwrap();
    assert_eq!(resp[2], 15, "alter_context_resp");
    assert_eq!(&resp[24..26], &[0, 0], "no secondary address");
    let n = resp.len();
    assert_eq!(
        &resp[n - 24..],
        [&[0u8, 0, 0, 0][..], zerocopy::IntoBytes::as_bytes(&NDR64)].concat()
    );
    let stub =
        mstrp::rpc::methods::ClientAttachRequestBuilder::new(-1, "m", "PC").encode(Syntax::Ndr64);
    let pdu = PduBuilder::request(3, 1, 0, stub).to_bytes().unwrap();
    let Answer::Response(stub, _) = c.call_raw(&[pdu]) else {
        panic!("no response")
    };
    assert_eq!(stub.len(), 28, "ClientAttach response, NDR64");
}

#[test]
fn fragmented_requests_are_reassembled_and_big_replies_fragmented() {
    let (addr, shared) = server();
    let mut c = WireClient::connect(addr);
    c.bind(Syntax::Ndr20);
    let (h, _, _) = c.attach(-1, "m", "PC");
    // A 10000-byte TAPI32_MSG in 1432-byte fragments; the echo comes back in 4280-byte ones.
    let mut m = msg(47, 0);
    m.resize(10_000, 0xC3);
    let stub = ClientRequestRequestBuilder::new(h, &m).encode(Syntax::Ndr20);
    let template = PduBuilder::request(9, 0, 1, stub);
    let pdus: Vec<Vec<u8>> = fragment(&template, 1432)
        .unwrap()
        .iter()
        .map(|p| p.to_bytes().unwrap())
        .collect();
    assert!(pdus.len() > 7);
    let Answer::Response(stub, fragments) = c.call_raw(&pdus) else {
        panic!("fault")
    };
    assert_eq!(fragments, 3, "10024 stub bytes in 4280-byte fragments");
    let resp = mstrp::rpc::methods::ClientRequestResponse::decode(Syntax::Ndr20, &stub).unwrap();
    assert_eq!(&resp.p_buffer().bytes()[4..], &m[4..]);
    assert!(
        shared
            .lines()
            .contains(&"request 10000 bytes, capacity 10000".to_string())
    );
}

#[test]
fn a_request_over_the_reassembly_bound_is_refused_and_the_connection_closed() {
    let (addr, _) = start(
        Script::default(),
        ServerOptions {
            max_request_stub: 4096,
            ..ServerOptions::default()
        },
    );
    let mut c = WireClient::connect(addr);
    c.bind(Syntax::Ndr20);
    let template = PduBuilder::request(9, 0, 1, vec![0; 8192]);
    let pdus: Vec<Vec<u8>> = fragment(&template, 1432)
        .unwrap()
        .iter()
        .map(|p| p.to_bytes().unwrap())
        .collect();
    for p in &pdus {
        // The server may close before the last fragments arrive.
        let _ = std::io::Write::write_all(&mut c.stream, p);
    }
    assert_eq!(c.read_answer(), Answer::Fault(PROTO_ERROR, FAULT_FLAGS));
    assert!(c.closed());
}

#[test]
fn a_fragment_without_its_first_is_a_proto_error() {
    let (addr, _) = server();
    let mut c = WireClient::connect(addr);
    c.bind(Syntax::Ndr20);
    let pdu = PduBuilder::request(11, 0, 1, vec![0; 8])
        .with_flags(0x02)
        .to_bytes()
        .unwrap();
    assert_eq!(c.call_raw(&[pdu]), Answer::Fault(PROTO_ERROR, FAULT_FLAGS));
    // The connection goes on.
    let (_, _, ret) = c.attach(-1, "m", "PC");
    assert_eq!(ret, 0);
}

#[test]
fn a_failed_attach_returns_a_nil_handle_and_keeps_no_service() {
    let (addr, shared) = start(
        Script {
            return_value: 0x8000_0048_u32 as i32,
            ..Script::default()
        },
        ServerOptions::default(),
    );
    let mut c = WireClient::connect(addr);
    c.bind(Syntax::Ndr20);
    let (h, _, ret) = c.attach(-3, "user", "PC");
    assert_eq!(ret, 0x8000_0048_u32 as i32);
    assert!(h.is_nil());
    assert!(eventually(|| shared.live.load(Ordering::SeqCst) == 0));
    assert_eq!(shared.created.load(Ordering::SeqCst), 1);
}

#[test]
fn sixty_four_clients_at_once() {
    let (addr, shared) = server();
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(64));
    let threads: Vec<_> = (0..64u8)
        .map(|i| {
            let barrier = std::sync::Arc::clone(&barrier);
            std::thread::spawn(move || {
                let mut c = WireClient::connect(addr);
                c.bind(if i % 2 == 0 {
                    Syntax::Ndr20
                } else {
                    Syntax::Ndr64
                });
                let (h, _, ret) = c.attach(-1, "m", "PC");
                assert_eq!(ret, 0);
                barrier.wait();
                for k in 0..10u8 {
                    let m = msg(47, i ^ k);
                    let stub = c.request(h, &m, 200).stub();
                    let r = mstrp::rpc::methods::ClientRequestResponse::decode(c.syntax, &stub)
                        .unwrap();
                    assert_eq!(&r.p_buffer().bytes()[4..], &m[4..], "client {i} call {k}");
                }
                assert!(matches!(c.detach(h), Answer::Response(..)));
                h
            })
        })
        .collect();
    let mut handles: Vec<ContextHandle> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    handles.sort();
    handles.dedup();
    assert_eq!(handles.len(), 64, "every context handle is unique");
    assert!(eventually(|| shared.live.load(Ordering::SeqCst) == 0));
    assert_eq!(shared.created.load(Ordering::SeqCst), 64);
}

#[test]
fn a_client_that_disconnects_mid_session_leaves_no_service() {
    let (addr, shared) = server();
    let mut c = WireClient::connect(addr);
    c.bind(Syntax::Ndr20);
    for _ in 0..3 {
        let (h, _, _) = c.attach(-1, "m", "PC");
        assert!(matches!(
            c.request(h, &msg(47, 1), 100),
            Answer::Response(..)
        ));
    }
    assert_eq!(shared.live.load(Ordering::SeqCst), 3);
    drop(c);
    assert!(eventually(|| shared.live.load(Ordering::SeqCst) == 0));
    assert_eq!(
        shared.lines().iter().filter(|l| *l == "detach").count(),
        3,
        "each binding instance is run down"
    );
}

#[test]
fn context_handles_belong_to_their_connection() {
    let (addr, _) = server();
    let mut a = WireClient::connect(addr);
    a.bind(Syntax::Ndr20);
    let (h, _, _) = a.attach(-1, "m", "PC");
    let mut b = WireClient::connect(addr);
    b.bind(Syntax::Ndr20);
    assert_eq!(
        b.request(h, &msg(9, 0), 60),
        Answer::Fault(CONTEXT_MISMATCH, FAULT_FLAGS)
    );
    assert!(matches!(a.request(h, &msg(9, 0), 60), Answer::Response(..)));
}

/// tshark's DCE/RPC and TAPI dissectors read the server's own bytes without complaint.
#[test]
fn tshark_reads_a_served_session() {
    if !tshark::available("tshark_reads_a_served_session") {
        return;
    }
    let (addr, _) = server();
    let mut c = WireClient::connect(addr);
    let mut pdus = Vec::new();
    let bind = hand_pdus::bytes(hand_pdus::BIND);
    c.send(&bind);
    pdus.push((Dir::ToServer, bind));
    pdus.push((Dir::ToClient, c.recv().unwrap()));
    let attach = PduBuilder::request(
        2,
        0,
        0,
        mstrp::rpc::methods::ClientAttachRequestBuilder::new(-1, "", "PC").encode(Syntax::Ndr20),
    )
    .to_bytes()
    .unwrap();
    c.send(&attach);
    pdus.push((Dir::ToServer, attach));
    let attach_resp = c.recv().unwrap();
    let h = ContextHandle::from_bytes(attach_resp[24..44].try_into().unwrap());
    pdus.push((Dir::ToClient, attach_resp));
    let mut close = hand_pdus::bytes(hand_pdus::CLOSE_REQUEST);
    close[24..44].copy_from_slice(&h.to_bytes());
    c.send(&close);
    pdus.push((Dir::ToServer, close));
    pdus.push((Dir::ToClient, c.recv().unwrap()));
    let bad = hand_pdus::bytes(hand_pdus::BAD_OPNUM_REQUEST);
    c.send(&bad);
    pdus.push((Dir::ToServer, bad));
    pdus.push((Dir::ToClient, c.recv().unwrap()));

    let pcap = tshark::capture(&pdus);
    let rows = tshark::fields(
        &pcap,
        &[],
        &[
            "dcerpc.pkt_type",
            "dcerpc.cn_call_id",
            "dcerpc.cn_sec_addr",
            "dcerpc.cn_ack_result",
            "dcerpc.cn_status",
            "tapi.hnd",
            "_ws.malformed",
        ],
    );
    assert_eq!(rows.len(), 8, "{rows:?}");
    let col = |i: usize| rows.iter().map(|r| r[i].as_str()).collect::<Vec<_>>();
    assert_eq!(col(0), ["11", "12", "0", "2", "0", "2", "0", "3"]);
    assert_eq!(col(1), ["1", "1", "2", "2", "3", "3", "4", "4"]);
    assert_eq!(rows[1][2], addr.port().to_string());
    assert_eq!(rows[1][3], "0");
    assert_eq!(rows[7][4], "0x1c010002");
    assert!(
        rows[3][5]
            .replace(':', "")
            .contains(&tshark::hex(&h.to_bytes())),
        "{:?}",
        rows[3]
    );
    assert!(col(6).iter().all(|m| m.is_empty()), "{rows:?}");
}
