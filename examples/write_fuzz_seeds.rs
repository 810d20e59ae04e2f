//! Writes the seeds of the `decode_pdu_stream` and `decode_capture` fuzz corpora
//! (`fuzz/corpus/decode_pdu_stream/`, `fuzz/corpus/decode_capture/`):
//!
//! ```text
//! cargo run --features pcap --example write_fuzz_seeds
//! ```
//!
//! `tests/fuzz_corpus_rpc.rs` replays them and fails if the files differ from what this
//! writes. Every seed is small (under 8 KiB) so that the fuzzer mutates it cheaply.
//!
//! PDU streams: the PDUs typed by hand in `tests/common/hand_pdus.rs`; builder-made
//! conversations (bind, bind_ack, a request and a response of each of the six methods, NDR20
//! and NDR64, the 4.1 sample requests as ClientRequest calls); fragmented calls; hostile PDUs
//! (frag_length 0, 15 and 65535, an auth_length past the PDU, big-endian drep, counts over
//! their maximum, lying alloc_hint, counts of contexts and results the PDU does not hold).
//!
//! Captures: TCP and SMB2 conversations written by `capture::write`, with binds and a few
//! calls, a fault, a lost segment, and truncated copies.

#![allow(dead_code)] // also `#[path]`-included by tests/fuzz_corpus_rpc.rs

// Laid out by hand, field by field: not reformatted.
#[rustfmt::skip]
#[path = "../tests/common/hand_pdus.rs"]
mod hand_pdus;

#[path = "../tests/common/rpc_calls.rs"]
mod rpc_calls;

use mstrp::events::{EventBufferBuilder, builders as events};
use mstrp::rpc::faults::{DefResult, FaultStatus, ProviderReason, RejectReason};
use mstrp::rpc::methods::{
    ClientAttachRequestBuilder, ClientAttachResponseBuilder, ClientDetachRequestBuilder,
    ClientDetachResponseBuilder, ClientRequestRequestBuilder, Counts, Method,
    RemoteSPAttachRequestBuilder, RemoteSPAttachResponseBuilder, RemoteSPDetachRequestBuilder,
    RemoteSPDetachResponseBuilder, RemoteSPEventProcRequestBuilder,
    RemoteSPEventProcResponseBuilder,
};
use mstrp::rpc::ndr::Syntax;
use mstrp::rpc::pdu::{
    self, AuthBuilder, BindAckBuilder, ContextElemBuilder, ContextResult, PduBuilder,
};
use mstrp::rpc::uuid::TAPSRV;
pub use rpc_calls::{SAMPLES_4_1, bind, bind_ack, client_request, context_handle};

/// A request and response PDU of `call_id` on `p_cont_id`, opnum `opnum`.
pub fn call_pdus(call_id: u32, p_cont_id: u16, opnum: u16, req: Vec<u8>, resp: Vec<u8>) -> Vec<u8> {
    let mut out = PduBuilder::request(call_id, p_cont_id, opnum, req)
        .to_bytes()
        .expect("request");
    out.extend(
        PduBuilder::response(call_id, p_cont_id, resp)
            .to_bytes()
            .expect("response"),
    );
    out
}

/// A small event buffer for RemoteSPEventProc: a LINE_REPLY and a LINE_GATHERDIGITS.
pub fn event_buffer() -> Vec<u8> {
    let mut b = EventBufferBuilder::new();
    b.push(events::LineReply::new().dw_remote_request_id(7u32));
    b.push(events::LineGatherDigits::new().var_text("0123"));
    b.to_bytes().to_vec()
}

/// The request and response stubs of every method, in `syntax`.
pub fn every_method(syntax: Syntax) -> Vec<(Method, Vec<u8>, Vec<u8>)> {
    let h = context_handle();
    let (cr_req, cr_resp) = client_request(SAMPLES_4_1[0].1, syntax);
    vec![
        (
            Method::ClientAttach,
            ClientAttachRequestBuilder::new(4242, "DOMAIN\\user", "WORKSTATION1").encode(syntax),
            ClientAttachResponseBuilder {
                pph_context: h,
                ph_async_events_event: 0x1234,
                return_value: 0,
            }
            .encode(syntax),
        ),
        (Method::ClientRequest, cr_req, cr_resp),
        (
            Method::ClientDetach,
            ClientDetachRequestBuilder { pph_context: h }.encode(syntax),
            ClientDetachResponseBuilder::default().encode(syntax),
        ),
        (
            Method::RemoteSPAttach,
            RemoteSPAttachRequestBuilder::default().encode(syntax),
            RemoteSPAttachResponseBuilder {
                pph_context: h,
                return_value: 0,
            }
            .encode(syntax),
        ),
        (
            Method::RemoteSPEventProc,
            RemoteSPEventProcRequestBuilder::new(h, &event_buffer()).encode(syntax),
            RemoteSPEventProcResponseBuilder::default().encode(syntax),
        ),
        (
            Method::RemoteSPDetach,
            RemoteSPDetachRequestBuilder { pph_context: h }.encode(syntax),
            RemoteSPDetachResponseBuilder::default().encode(syntax),
        ),
    ]
}

/// The presentation context [`bind`] gives `method`'s interface.
pub fn p_cont_id(method: Method) -> u16 {
    match method.interface() {
        mstrp::rpc::methods::Interface::Tapsrv => 0,
        mstrp::rpc::methods::Interface::Remotesp => 1,
    }
}

fn syntax_name(syntax: Syntax) -> &'static str {
    match syntax {
        Syntax::Ndr20 => "ndr20",
        Syntax::Ndr64 => "ndr64",
    }
}

fn build(b: &PduBuilder) -> Vec<u8> {
    b.to_bytes().expect("builds")
}

/// The seeds of `fuzz/corpus/decode_pdu_stream/`: (file name, bytes).
pub fn pdu_stream_seeds() -> Vec<(String, Vec<u8>)> {
    use hand_pdus::bytes as hex;
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let mut add = |name: &str, bytes: Vec<u8>| out.push((format!("{name}.bin"), bytes));

    // Typed by hand.
    let hand = [
        ("bind", hand_pdus::BIND),
        ("bind-ack", hand_pdus::BIND_ACK),
        ("close-request", hand_pdus::CLOSE_REQUEST),
        ("close-response", hand_pdus::CLOSE_RESPONSE),
        ("op-rng-fault", hand_pdus::OP_RNG_FAULT),
        ("bad-opnum-request", hand_pdus::BAD_OPNUM_REQUEST),
    ];
    let mut conversation = Vec::new();
    for (name, h) in hand {
        add(&format!("hand-{name}"), hex(h));
        conversation.extend(hex(h));
    }
    add("hand-conversation", conversation.clone());
    add(
        "hand-conversation-truncated",
        conversation[..conversation.len() - 20].to_vec(),
    );

    // Builder-made conversations: each method, each syntax.
    for syntax in Syntax::ALL {
        let s = syntax_name(syntax);
        let mut stream = build(&bind(1, syntax));
        stream.extend(build(&bind_ack(1, syntax)));
        for (i, (method, req, resp)) in every_method(syntax).into_iter().enumerate() {
            let call = call_pdus(2 + i as u32, p_cont_id(method), method.opnum(), req, resp);
            add(&format!("{s}-{}", method.name()), call.clone());
            stream.extend(call);
        }
        add(&format!("{s}-every-method"), stream);

        // The 4.1 samples as ClientRequest calls.
        for (i, (name, msg)) in SAMPLES_4_1.iter().enumerate() {
            let mut stream = build(&bind(1, syntax));
            stream.extend(build(&bind_ack(1, syntax)));
            let (req, resp) = client_request(msg, syntax);
            stream.extend(call_pdus(2 + i as u32, 0, 1, req, resp));
            add(&format!("{s}-4.1-{}-{name}", i + 1), stream);
        }
    }

    // Fragmented calls.
    let (init_req, init_resp) = client_request(SAMPLES_4_1[0].1, Syntax::Ndr20);
    let (caps_req, _) = client_request(SAMPLES_4_1[2].1, Syntax::Ndr20);
    let mut stream = build(&bind(1, Syntax::Ndr20));
    stream.extend(build(&bind_ack(1, Syntax::Ndr20)));
    let head = stream.clone();
    let frags = |b: PduBuilder, max: u16| -> Vec<Vec<u8>> {
        pdu::fragment(&b, max).unwrap().iter().map(build).collect()
    };
    for f in frags(PduBuilder::request(2, 0, 1, init_req.clone()), 64) {
        stream.extend(f);
    }
    for f in frags(PduBuilder::response(2, 0, init_resp.clone()), 48) {
        stream.extend(f);
    }
    add("fragmented-call", stream);
    // Two calls' fragments interleaved.
    let a = frags(PduBuilder::request(3, 0, 1, init_req.clone()), 80);
    let b = frags(PduBuilder::request(4, 0, 1, init_req.clone()), 80);
    let mut stream = head.clone();
    for (x, y) in a.iter().zip(&b) {
        stream.extend(x);
        stream.extend(y);
    }
    add("fragmented-interleaved", stream);
    // A call larger than the harness's reassembly limit (GetDevCaps, 1 KiB of VarData).
    let mut stream = head.clone();
    for f in frags(PduBuilder::request(5, 0, 1, caps_req.clone()), 512) {
        stream.extend(f);
    }
    add("fragmented-over-limit", stream);
    // A first fragment whose alloc_hint claims 4 GiB, then a missing first, a duplicate first.
    let mut fs = pdu::fragment(&PduBuilder::request(6, 0, 1, init_req.clone()), 64).unwrap();
    if let pdu::BodyBuilder::Request(r) = &mut fs[0].body {
        r.alloc_hint = u32::MAX;
    }
    let mut stream = head.clone();
    stream.extend(build(&fs[0]));
    stream.extend(build(&fs[0]));
    stream.extend(build(&fs[1].clone().with_flags(0)));
    for f in &fs[1..] {
        stream.extend(build(f));
    }
    stream.extend(build(&PduBuilder::orphaned(6)));
    add("fragmented-lying-alloc-hint", stream);

    // Other PDU types: alter_context, bind_nak, auth3, shutdown, co_cancel, a fault, an
    // authenticated request.
    let mut stream = build(&PduBuilder::alter_context(
        1,
        4280,
        4280,
        7,
        vec![ContextElemBuilder::new(
            2,
            TAPSRV,
            &[Syntax::Ndr64.syntax_id()],
        )],
    ));
    let accept = ContextResult::new(
        DefResult::ACCEPTANCE,
        ProviderReason(0),
        Syntax::Ndr64.syntax_id(),
    );
    stream.extend(build(&PduBuilder::alter_context_resp(
        1,
        BindAckBuilder::new(4280, 4280, 7, "", &[accept]),
    )));
    stream.extend(build(&PduBuilder::bind_nak(
        2,
        RejectReason::PROTOCOL_VERSION_NOT_SUPPORTED,
        None,
    )));
    let auth = AuthBuilder::new(
        pdu::RPC_C_AUTHN_WINNT,
        pdu::RPC_C_AUTHN_LEVEL_PKT_INTEGRITY,
        0,
        &[0xAA; 16],
    );
    stream.extend(build(&PduBuilder::auth3(3, auth.clone())));
    let (req64, _) = client_request(SAMPLES_4_1[4].1, Syntax::Ndr64);
    stream.extend(build(
        &PduBuilder::request(4, 2, 1, req64).with_auth(auth.clone()),
    ));
    stream.extend(build(&PduBuilder::fault(
        4,
        2,
        FaultStatus(mstrp::rpc::ndr::FAULT_NDR),
    )));
    stream.extend(build(&PduBuilder::co_cancel(5)));
    stream.extend(build(&PduBuilder::shutdown(6)));
    add("other-pdu-types", stream);

    // Hostile PDUs, each after a good bind.
    let close = hex(hand_pdus::CLOSE_REQUEST);
    let close_stub = pdu::Pdu::parse(&close).unwrap().stub().unwrap().to_vec();
    let request = || PduBuilder::request(9, 0, 1, close_stub.clone());
    let hostile = |name: &str, bytes: Vec<u8>| {
        let mut s = hex(hand_pdus::BIND);
        s.extend(hex(hand_pdus::BIND_ACK));
        s.extend(bytes);
        (format!("hostile-{name}"), s)
    };
    let mut hostiles = vec![
        hostile("frag-length-0", build(&request().with_frag_length(0))),
        hostile("frag-length-15", build(&request().with_frag_length(15))),
        hostile(
            "frag-length-65535",
            build(&request().with_frag_length(65535)),
        ),
        hostile(
            "auth-length-overrun",
            build(&request().with_auth(auth.clone()).with_auth_length(4000)),
        ),
        hostile(
            "auth-length-no-trailer",
            build(&request().with_auth_length(40)),
        ),
        hostile(
            "big-endian-drep",
            build(&request().with_drep([0x00, 0, 0, 0])),
        ),
        hostile("ebcdic-drep", build(&request().with_drep([0x11, 0, 0, 0]))),
        hostile("version-5.1", build(&request().with_version(5, 1))),
        hostile("version-4.0", build(&request().with_version(4, 0))),
        hostile("unknown-ptype", build(&request().with_ptype(20))),
    ];
    // Counts over their maximum, and counts far past the stub.
    for (name, counts) in [
        (
            "actual-over-max",
            Counts {
                max: Some(8),
                offset: None,
                actual: Some(60),
            },
        ),
        (
            "max-4g",
            Counts {
                max: Some(u64::from(u32::MAX)),
                offset: None,
                actual: None,
            },
        ),
        (
            "actual-4g",
            Counts {
                max: Some(u64::from(u32::MAX)),
                offset: None,
                actual: Some(u64::from(u32::MAX)),
            },
        ),
        (
            "offset-nonzero",
            Counts {
                max: None,
                offset: Some(4),
                actual: None,
            },
        ),
    ] {
        for syntax in Syntax::ALL {
            let b = ClientRequestRequestBuilder {
                p_buffer_counts: counts,
                ..ClientRequestRequestBuilder::new(context_handle(), SAMPLES_4_1[4].1)
            };
            let mut s = build(&bind(1, syntax));
            s.extend(build(&bind_ack(1, syntax)));
            s.extend(build(&PduBuilder::request(9, 0, 1, b.encode(syntax))));
            hostiles.push((format!("hostile-counts-{name}-{}", syntax_name(syntax)), s));
        }
    }
    // A bind claiming 255 contexts, a bind_ack claiming 255 results, a context with 255
    // transfer syntaxes, a sec_addr longer than the PDU.
    let mut b = hex(hand_pdus::BIND);
    b[24] = 0xFF;
    hostiles.push(("hostile-bind-255-contexts".into(), b));
    let mut b = hex(hand_pdus::BIND);
    b[30] = 0xFF;
    hostiles.push(("hostile-bind-255-transfer-syntaxes".into(), b));
    let mut a = hex(hand_pdus::BIND);
    let mut ack = hex(hand_pdus::BIND_ACK);
    ack[32] = 0xFF;
    a.extend(ack);
    hostiles.push(("hostile-bind-ack-255-results".into(), a));
    let mut a = hex(hand_pdus::BIND);
    let mut ack = hex(hand_pdus::BIND_ACK);
    ack[24] = 0xFF;
    a.extend(ack);
    hostiles.push(("hostile-bind-ack-sec-addr-overrun".into(), a));
    // A response whose request was never seen, a stub of the wrong method for the context.
    let mut s = hex(hand_pdus::BIND);
    s.extend(hex(hand_pdus::BIND_ACK));
    s.extend(hex(hand_pdus::CLOSE_RESPONSE));
    s.extend(build(&PduBuilder::request(10, 0, 0, close_stub.clone())));
    s.extend(build(&PduBuilder::request(11, 5, 1, close_stub.clone())));
    hostiles.push(("hostile-unmatched-and-mismatched".into(), s));
    out.extend(hostiles.into_iter().map(|(n, b)| (format!("{n}.bin"), b)));
    out
}

#[cfg(feature = "pcap")]
pub use capture_seeds::capture_seeds;

#[cfg(feature = "pcap")]
mod capture_seeds {
    use super::*;
    use mstrp::capture::write::{CaptureWriter, Fault, Format};

    fn sa(s: &str) -> std::net::SocketAddr {
        s.parse().expect("address")
    }

    /// A TCP conversation: optionally a bind, then ClientRequest calls of the small 4.1
    /// samples (Initialize, NegotiateAPIVersionForAllDevices, Open).
    fn tcp(
        format: Format,
        server_port: u16,
        syntax: Syntax,
        with_bind: bool,
        gap: bool,
    ) -> Vec<u8> {
        let mut w = CaptureWriter::new(format);
        let mut c =
            w.tcp_conversation(sa("10.0.0.1:50000"), sa(&format!("10.0.0.2:{server_port}")));
        if with_bind {
            c.client_sends(&build(&bind(1, syntax)));
            c.server_sends(&build(&bind_ack(1, syntax)));
        }
        for (i, k) in [0usize, 1, 4].into_iter().enumerate() {
            let (req, resp) = client_request(SAMPLES_4_1[k].1, syntax);
            let id = 2 + i as u32;
            if gap && i == 1 {
                c.fault_next(Fault::Drop);
            }
            c.client_sends(&build(&PduBuilder::request(id, 0, 1, req)));
            c.server_sends(&build(&PduBuilder::response(id, 0, resp)));
        }
        c.close();
        w.finish()
    }

    /// The seeds of `fuzz/corpus/decode_capture/`: (file name, bytes).
    pub fn capture_seeds() -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<(String, Vec<u8>)> = Vec::new();
        let tcp_bind = tcp(Format::PcapNg, 49700, Syntax::Ndr20, true, false);
        out.push(("tcp-bind-ndr20.pcapng".into(), tcp_bind.clone()));
        out.push((
            "tcp-bind-ndr64.pcap".into(),
            tcp(Format::Pcap, 49700, Syntax::Ndr64, true, false),
        ));
        out.push((
            "tcp-4444-no-bind.pcap".into(),
            tcp(Format::Pcap, 4444, Syntax::Ndr20, false, false),
        ));
        out.push((
            "tcp-lost-segment.pcap".into(),
            tcp(Format::Pcap, 49700, Syntax::Ndr20, true, true),
        ));
        out.push((
            "tcp-bind-truncated-half.pcapng".into(),
            tcp_bind[..tcp_bind.len() / 2].to_vec(),
        ));
        out.push((
            "tcp-bind-truncated-header.pcapng".into(),
            tcp_bind[..30].to_vec(),
        ));

        // Fragmented call, a fault, every method over remotesp and tapsrv.
        let mut w = CaptureWriter::new(Format::Pcap);
        let mut c = w.tcp_conversation(sa("[fd00::1]:50001"), sa("[fd00::2]:49701"));
        c.client_sends(&build(&bind(1, Syntax::Ndr20)));
        c.server_sends(&build(&bind_ack(1, Syntax::Ndr20)));
        let (req, resp) = client_request(SAMPLES_4_1[0].1, Syntax::Ndr20);
        for f in pdu::fragment(&PduBuilder::request(2, 0, 1, req), 64).unwrap() {
            c.client_sends(&build(&f));
        }
        for f in pdu::fragment(&PduBuilder::response(2, 0, resp), 64).unwrap() {
            c.server_sends(&build(&f));
        }
        let (req, _) = client_request(SAMPLES_4_1[4].1, Syntax::Ndr20);
        c.client_sends(&build(&PduBuilder::request(3, 0, 1, req)));
        c.server_sends(&build(&PduBuilder::fault(
            3,
            0,
            FaultStatus(mstrp::rpc::ndr::FAULT_NDR),
        )));
        c.close();
        out.push(("tcp-fragments-and-fault.pcap".into(), w.finish()));

        let mut w = CaptureWriter::new(Format::PcapNg);
        let mut c = w.tcp_conversation(sa("10.0.0.1:50002"), sa("10.0.0.2:49702"));
        c.client_sends(&build(&bind(1, Syntax::Ndr64)));
        c.server_sends(&build(&bind_ack(1, Syntax::Ndr64)));
        for (i, (method, req, resp)) in every_method(Syntax::Ndr64).into_iter().enumerate() {
            let id = 2 + i as u32;
            c.client_sends(&build(&PduBuilder::request(
                id,
                p_cont_id(method),
                method.opnum(),
                req,
            )));
            c.server_sends(&build(&PduBuilder::response(id, p_cont_id(method), resp)));
        }
        c.close();
        out.push(("tcp-every-method-ndr64.pcapng".into(), w.finish()));

        // SMB2 named pipe \pipe\tapsrv: bind and two calls by transceive, one by write/read.
        let smb = |format: Format, pipe: &str, with_bind: bool| {
            let mut w = CaptureWriter::new(format);
            let mut s = w.smb_pipe_conversation(sa("10.0.0.3:50003"), sa("10.0.0.4:445"), pipe);
            if with_bind {
                s.transceive(
                    &build(&bind(1, Syntax::Ndr20)),
                    &build(&bind_ack(1, Syntax::Ndr20)),
                );
            }
            for (i, k) in [0usize, 4].into_iter().enumerate() {
                let (req, resp) = client_request(SAMPLES_4_1[k].1, Syntax::Ndr20);
                let id = 2 + i as u32;
                s.transceive(
                    &build(&PduBuilder::request(id, 0, 1, req)),
                    &build(&PduBuilder::response(id, 0, resp)),
                );
            }
            let (req, resp) = client_request(SAMPLES_4_1[1].1, Syntax::Ndr20);
            s.write(&build(&PduBuilder::request(9, 0, 1, req)))
                .read(&build(&PduBuilder::response(9, 0, resp)));
            s.close();
            w.finish()
        };
        let smb_bind = smb(Format::PcapNg, "tapsrv", true);
        out.push(("smb2-tapsrv-bind.pcapng".into(), smb_bind.clone()));
        out.push((
            "smb2-tapsrv-no-bind.pcap".into(),
            smb(Format::Pcap, "tapsrv", false),
        ));
        out.push((
            "smb2-other-pipe-bind.pcap".into(),
            smb(Format::Pcap, "lsarpc", true),
        ));
        out.push((
            "smb2-tapsrv-truncated.pcapng".into(),
            smb_bind[..smb_bind.len() * 2 / 3].to_vec(),
        ));
        out
    }
}

#[cfg(feature = "pcap")]
fn main() -> std::io::Result<()> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    for (target, seeds) in [
        ("decode_pdu_stream", pdu_stream_seeds()),
        ("decode_capture", capture_seeds()),
    ] {
        let dir = root.join(target);
        std::fs::create_dir_all(&dir)?;
        for (name, bytes) in &seeds {
            assert!(bytes.len() < 8192, "{name}: {} bytes", bytes.len());
            std::fs::write(dir.join(name), bytes)?;
        }
        println!("fuzz/corpus/{target}: {} seeds", seeds.len());
    }
    Ok(())
}

#[cfg(not(feature = "pcap"))]
fn main() {
    eprintln!("run with --features pcap");
}
