//! The push model ([MS-TRP] 3.1.4.1, 3.3.4): the test listens as the client's remotesp
//! endpoint and checks that the server binds remotesp, calls RemoteSPAttach inside the
//! pending ClientAttach, delivers events by RemoteSPEventProc after ClientRequest, and calls
//! RemoteSPDetach at ClientDetach — with the stubs laid out as the design note's table says
//! (NDR20: CTX = u32 attributes + UUID; CVA = max, offset 0, actual, bytes; then `long`s).
#![cfg(feature = "serve")]

#[path = "common/serve_service.rs"]
mod serve_service;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::Ordering;
use std::sync::mpsc;

use mstrp::rpc::faults::{DefResult, ProviderReason};
use mstrp::rpc::ndr::Syntax;
use mstrp::rpc::pdu::{BindAckBuilder, ContextResult, PduBuilder};
use mstrp::rpc::uuid::{NDR20, REMOTESP};
use mstrp::serve::ServerOptions;
use serve_service::{Answer, Script, WireClient, eventually, msg, start};

/// The remotesp context handle the test's endpoint hands out.
const RSP_HANDLE: [u8; 20] = [
    0, 0, 0, 0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE,
    0xAF, 0xB0,
];

/// One LINE_REPLY (Msg 0x0C) ASYNCEVENTMSG, 40 bytes ([MS-TRP] 2.2.5.1): TotalSize 40,
/// InitContext 0x11, PostProcessProcContext 0x22, hDevice 0x33, Msg 12, OpenContext 0x44,
/// Param1 (request id) 7, Param2 (result) 0, Param3 0, Param4 0.
const EVENT: [u8; 40] = [
    40, 0, 0, 0, 0x11, 0, 0, 0, 0x22, 0, 0, 0, 0x33, 0, 0, 0, 12, 0, 0, 0, 0x44, 0, 0, 0, 7, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
];

#[derive(Debug)]
struct Seen {
    /// The bind's abstract syntax and first transfer syntax of context 0 (bytes 32..72).
    bind_context0: Vec<u8>,
    /// (opnum, stub) of each request.
    calls: Vec<(u16, Vec<u8>)>,
}

fn read_pdu(s: &mut TcpStream) -> Option<Vec<u8>> {
    let mut h = [0u8; 16];
    s.read_exact(&mut h).ok()?;
    let len = usize::from(u16::from_le_bytes([h[8], h[9]]));
    let mut p = h.to_vec();
    p.resize(len, 0);
    s.read_exact(&mut p[16..]).ok()?;
    Some(p)
}

/// A remotesp endpoint for one association: accepts context 0 (NDR20), answers
/// RemoteSPAttach with RSP_HANDLE, RemoteSPEventProc with an empty stub, RemoteSPDetach with
/// a nil handle; reports each request as it arrives.
fn remotesp(listener: TcpListener, tx: mpsc::Sender<(u16, Vec<u8>)>) -> Seen {
    let (mut s, _) = listener.accept().unwrap();
    let bind = read_pdu(&mut s).unwrap();
    assert_eq!(bind[2], 11, "the server binds first");
    let ack = BindAckBuilder::new(
        4280,
        4280,
        0x1234,
        "251",
        &[
            ContextResult::new(DefResult::ACCEPTANCE, ProviderReason(0), NDR20),
            ContextResult::new(
                DefResult::PROVIDER_REJECTION,
                ProviderReason::PROPOSED_TRANSFER_SYNTAXES_NOT_SUPPORTED,
                mstrp::rpc::uuid::SyntaxId::new(mstrp::rpc::uuid::Uuid::NIL, 0, 0),
            ),
        ],
    );
    let call_id = u32::from_le_bytes(bind[12..16].try_into().unwrap());
    s.write_all(&PduBuilder::bind_ack(call_id, ack).to_bytes().unwrap())
        .unwrap();
    let mut seen = Seen {
        bind_context0: bind[32..72].to_vec(),
        calls: Vec::new(),
    };
    while let Some(req) = read_pdu(&mut s) {
        assert_eq!(req[2], 0, "requests only");
        assert_eq!(req[3], 3, "single fragments");
        let call_id = u32::from_le_bytes(req[12..16].try_into().unwrap());
        let opnum = u16::from_le_bytes([req[22], req[23]]);
        let stub = req[24..].to_vec();
        let answer = match opnum {
            0 => [&RSP_HANDLE[..], &[0, 0, 0, 0]].concat(),
            1 => Vec::new(),
            _ => vec![0; 20],
        };
        s.write_all(&PduBuilder::response(call_id, 0, answer).to_bytes().unwrap())
            .unwrap();
        seen.calls.push((opnum, stub.clone()));
        tx.send((opnum, stub)).unwrap();
        if opnum == 2 {
            break;
        }
    }
    seen
}

#[test]
fn push_model_attach_events_detach() {
    let (addr, shared) = start(
        Script {
            push: true,
            events_per_request: EVENT.to_vec(),
            ..Script::default()
        },
        ServerOptions::default(),
    );
    let endpoint = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = endpoint.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    let rsp = std::thread::spawn(move || remotesp(endpoint, tx));

    let mut c = WireClient::connect(addr);
    c.bind(Syntax::Ndr20);
    let machine = format!("127.0.0.1\"ncacn_ip_tcp\"{port}\"");
    let (h, _, ret) = c.attach(-1, "", &machine);
    assert_eq!(ret, 0);
    // RemoteSPAttach came inside ClientAttach: it is already there, with an empty stub.
    assert_eq!(rx.try_recv().unwrap(), (0, Vec::new()));

    assert!(matches!(
        c.request(h, &msg(48, 0), 100),
        Answer::Response(..)
    ));
    let (opnum, stub) = rx.recv().unwrap();
    assert_eq!(opnum, 1, "RemoteSPEventProc");
    // CTX, then max 40, offset 0, actual 40, the event, lSize 40.
    let expected = [
        &RSP_HANDLE[..],
        &[40, 0, 0, 0, 0, 0, 0, 0, 40, 0, 0, 0],
        &EVENT,
        &[40, 0, 0, 0],
    ]
    .concat();
    assert_eq!(stub, expected);

    assert!(matches!(c.detach(h), Answer::Response(..)));
    let seen = rsp.join().unwrap();
    // remotesp 2f5f6521-ca47-1068-b319-00dd010662db v1.0, then NDR20 (design note 1).
    assert_eq!(
        seen.bind_context0,
        [
            zerocopy::IntoBytes::as_bytes(&REMOTESP),
            zerocopy::IntoBytes::as_bytes(&NDR20)
        ]
        .concat()
    );
    assert_eq!(seen.calls.last().unwrap(), &(2, RSP_HANDLE.to_vec()));
    assert_eq!(seen.calls.len(), 3);
    assert!(eventually(|| shared.live.load(Ordering::SeqCst) == 0));
}

#[test]
fn a_callback_that_cannot_connect_fails_the_attach() {
    let (addr, shared) = start(
        Script {
            push: true,
            ..Script::default()
        },
        ServerOptions::default(),
    );
    // A port nobody listens on: bind one, then close it.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut c = WireClient::connect(addr);
    c.bind(Syntax::Ndr20);
    let (h, _, ret) = c.attach(-1, "", &format!("127.0.0.1\"ncacn_ip_tcp\"{port}\""));
    assert_eq!(ret, 0x8000_0048_u32 as i32, "LINEERR_OPERATIONFAILED");
    assert!(h.is_nil());
    assert!(eventually(|| shared.live.load(Ordering::SeqCst) == 0));
}

#[test]
fn a_callback_to_a_host_not_allowed_is_never_attempted() {
    let (addr, _) = start(
        Script {
            push: true,
            ..Script::default()
        },
        ServerOptions::default(),
    );
    let mut c = WireClient::connect(addr);
    c.bind(Syntax::Ndr20);
    // TEST-NET-1 (RFC 5737): not loopback and not in allow_callback.
    let (h, _, ret) = c.attach(-1, "", "192.0.2.1\"ncacn_ip_tcp\"251\"");
    assert_eq!(ret, 0x8000_0048_u32 as i32);
    assert!(h.is_nil());
}
