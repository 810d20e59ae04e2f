//! Garbage at the server (issue 11 item 3): random bytes, truncated headers, huge and tiny
//! `frag_length`s, bogus `auth_length`s, bad versions and binds. Each connection gets a
//! fault, a bind_nak or is closed — a bounded number of connections, each bounded in bytes —
//! and a fresh client is served normally afterwards. The server never panics (its threads
//! would take the listener down with them only if the accept loop panicked; a panicking
//! connection thread would leave the fresh client's checks failing).
#![cfg(feature = "serve")]

#[path = "common/serve_service.rs"]
mod serve_service;

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::sync::atomic::Ordering;
use std::time::Duration;

use mstrp::rpc::ndr::Syntax;
use mstrp::rpc::pdu::{AuthBuilder, ContextElemBuilder, PduBuilder};
use mstrp::rpc::uuid::{NDR20, TAPSRV};
use mstrp::serve::ServerOptions;
use proptest::prelude::*;
use serve_service::{Answer, Script, WireClient, eventually, msg, start};

/// Sends `bytes`, half-closes, and reads whatever the server answers until it closes (at
/// most 64 KiB, 10 s). Returns the answer's PDU types.
fn throw(addr: SocketAddr, bytes: &[u8]) -> Vec<u8> {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let _ = s.write_all(bytes);
    let _ = s.shutdown(Shutdown::Write);
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    while out.len() < 65536 {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
    let mut types = Vec::new();
    let mut at = 0;
    while at + 16 <= out.len() {
        types.push(out[at + 2]);
        let len = usize::from(u16::from_le_bytes([out[at + 8], out[at + 9]]));
        if len < 16 {
            break;
        }
        at += len;
    }
    types
}

fn bind_bytes() -> Vec<u8> {
    PduBuilder::bind(
        1,
        4280,
        4280,
        0,
        vec![ContextElemBuilder::new(0, TAPSRV, &[NDR20])],
    )
    .to_bytes()
    .unwrap()
}

fn still_serves(addr: SocketAddr) {
    let mut c = WireClient::connect(addr);
    c.bind(Syntax::Ndr20);
    let (h, _, ret) = c.attach(-1, "m", "PC");
    assert_eq!(ret, 0);
    assert!(matches!(c.request(h, &msg(9, 0), 60), Answer::Response(..)));
    assert!(matches!(c.detach(h), Answer::Response(..)));
}

#[test]
fn typed_garbage_gets_bind_nak_fault_or_close() {
    let (addr, shared) = start(Script::default(), ServerOptions::default());
    let bind = bind_bytes();
    let request_after_bind = |pdu: Vec<u8>| [bind.clone(), pdu].concat();

    // Truncated header: closed without an answer.
    assert_eq!(throw(addr, &bind[..7]), Vec::<u8>::new());
    // frag_length 0xFFFF, above any negotiated size: closed.
    let mut huge = bind.clone();
    huge[8..10].copy_from_slice(&0xFFFFu16.to_le_bytes());
    assert_eq!(throw(addr, &huge), Vec::<u8>::new());
    // frag_length below the header: closed.
    let mut tiny = bind.clone();
    tiny[8..10].copy_from_slice(&4u16.to_le_bytes());
    assert_eq!(throw(addr, &tiny), Vec::<u8>::new());
    // Version 5.7 bind: bind_nak (13).
    let v57 = PduBuilder::bind(
        1,
        4280,
        4280,
        0,
        vec![ContextElemBuilder::new(0, TAPSRV, &[NDR20])],
    )
    .with_version(5, 7)
    .to_bytes()
    .unwrap();
    assert_eq!(throw(addr, &v57), [13]);
    // auth_length larger than the bind: bind_nak.
    let bogus_auth = PduBuilder::bind(
        1,
        4280,
        4280,
        0,
        vec![ContextElemBuilder::new(0, TAPSRV, &[NDR20])],
    )
    .with_auth_length(0x4000)
    .to_bytes()
    .unwrap();
    assert_eq!(throw(addr, &bogus_auth), [13]);
    // A bind with NTLM authentication: no security provider, bind_nak.
    let authed = PduBuilder::bind(
        1,
        4280,
        4280,
        0,
        vec![ContextElemBuilder::new(0, TAPSRV, &[NDR20])],
    )
    .with_auth(AuthBuilder::new(0x0A, 6, 0, b"NTLMSSP\0"))
    .to_bytes()
    .unwrap();
    assert_eq!(throw(addr, &authed), [13]);
    // n_context_elem says 3, one is present: bind_nak.
    let mut short = bind.clone();
    short[24] = 3;
    assert_eq!(throw(addr, &short), [13]);
    // A second bind: bind_ack, then bind_nak.
    assert_eq!(
        throw(addr, &[bind.clone(), bind.clone()].concat()),
        [12, 13]
    );
    // A request before any bind: closed.
    let req = PduBuilder::request(2, 0, 0, vec![]).to_bytes().unwrap();
    assert_eq!(throw(addr, &req), Vec::<u8>::new());
    // A request with a bogus auth_length after bind: bind_ack, then a fault (3).
    let bogus = PduBuilder::request(2, 0, 1, vec![0; 40])
        .with_auth_length(0x300)
        .to_bytes()
        .unwrap();
    assert_eq!(throw(addr, &request_after_bind(bogus)), [12, 3]);
    // An authenticated request on an unauthenticated association: a fault.
    let authed_req = PduBuilder::request(2, 0, 1, vec![0; 40])
        .with_auth(AuthBuilder::new(0x0A, 6, 0, &[0; 16]))
        .to_bytes()
        .unwrap();
    assert_eq!(throw(addr, &request_after_bind(authed_req)), [12, 3]);
    // A big-endian request (frag_length in its byte order): a fault.
    let mut be = PduBuilder::request(2, 0, 1, vec![0; 8])
        .with_drep([0, 0, 0, 0])
        .to_bytes()
        .unwrap();
    be.swap(8, 9);
    assert_eq!(throw(addr, &request_after_bind(be)), [12, 3]);
    // A response sent to the server: closed after the bind_ack.
    let resp = PduBuilder::response(2, 0, vec![]).to_bytes().unwrap();
    assert_eq!(throw(addr, &request_after_bind(resp)), [12]);

    still_serves(addr);
    assert!(eventually(|| shared.live.load(Ordering::SeqCst) == 0));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// Random bytes, alone or after a good bind, never stop the server.
    #[test]
    fn random_bytes_never_stop_the_server(
        noise in proptest::collection::vec(any::<u8>(), 0..3000),
        after_bind in any::<bool>(),
        header_like in any::<bool>(),
    ) {
        use std::sync::OnceLock;
        static SERVER: OnceLock<SocketAddr> = OnceLock::new();
        let addr = *SERVER.get_or_init(|| start(Script::default(), ServerOptions::default()).0);
        let mut bytes = if after_bind { bind_bytes() } else { Vec::new() };
        let mut noise = noise;
        if header_like && noise.len() >= 16 {
            // A plausible header: version 5.0, little-endian, frag_length within the noise.
            noise[0] = 5;
            noise[1] = 0;
            noise[4] = 0x10;
            let len = (noise.len() as u16).max(16);
            noise[8..10].copy_from_slice(&len.to_le_bytes());
        }
        bytes.extend_from_slice(&noise);
        let answer = throw(addr, &bytes);
        // Only bind_ack, bind_nak, alter_context_resp, response or fault come back.
        prop_assert!(answer.iter().all(|t| [2u8, 3, 12, 13, 15].contains(t)), "{answer:?}");
        still_serves(addr);
    }
}
