//! Fuzz harnesses, shared by the cargo-fuzz targets (fuzz/fuzz_targets/) and by the plain
//! test that replays the checked-in corpus (tests/fuzz_corpus.rs), so CI exercises them.
//!
//! Each harness states the invariants that must hold for *any* input; a violation panics.

#![allow(dead_code)] // each fuzz target and test uses some of the harnesses

use bytes::BytesMut;
use mstrp::requests::Request;
use mstrp::requests::RequestBuilder;
use mstrp::structures::{self, AnyStructure, StructBuilder};
use mstrp::validation;

/// Parses, reads every field, resolves every reference, prints, and re-encodes.
pub fn decode_request(data: &[u8]) {
    let Ok(request) = Request::parse(data) else {
        assert!(
            data.len() < mstrp::header::HEADER_LEN,
            "only short buffers fail to parse"
        );
        return;
    };
    // Strict parsing differs only on undocumented functions.
    assert_eq!(
        Request::parse_strict(data).is_ok(),
        request.func().is_some()
    );

    // Every field and every reference, through the metadata.
    let dwords = request.dwords();
    assert_eq!(request.field_names().len(), dwords.len());
    let mut all_resolve = true;
    for r in request.references() {
        match r.value {
            Ok(Some(v)) => {
                let bytes = v.as_bytes();
                // What a reference returns lies inside VarData.
                let var = request.var_data().as_bytes();
                let start = bytes.as_ptr() as usize - var.as_ptr() as usize;
                assert!(start + bytes.len() <= var.len());
                assert_eq!(start, r.raw as usize);
            }
            Ok(None) => assert_eq!(r.raw, u32::MAX),
            Err(e) => {
                all_resolve = false;
                assert_eq!(e.field, r.field.name);
                assert_eq!(e.offset, r.field.offset);
            }
        }
    }
    let _ = format!("{request}{request:?}");

    // Byte-exact re-encoding, directly and through the JSON model.
    let mut out = BytesMut::new();
    request.encode(&mut out);
    assert_eq!(&out[..], data);
    #[cfg(feature = "serde")]
    {
        let mut out = BytesMut::new();
        mstrp::json::RequestJson::from_request(&request)
            .encode(&mut out)
            .expect("a decoded request re-encodes");
        assert_eq!(&out[..], data);
    }

    // A packet whose references all resolve rebuilds into a builder that round-trips.
    match RequestBuilder::from_request(&request) {
        Ok(b) => {
            assert!(all_resolve);
            let bytes = b.to_bytes();
            let again = Request::parse(&bytes).expect("builder output parses");
            assert_eq!(RequestBuilder::from_request(&again).expect("resolves"), b);
        }
        Err(_) => assert!(!all_resolve || request.func().is_none()),
    }
}

/// Validation never panics, and a request that passes every stateless rule resolves every
/// reference without error.
pub fn validate_request(data: &[u8]) {
    let Ok(request) = Request::parse(data) else {
        return;
    };
    let violations = validation::validate(&request, None);
    let _ = validation::check_client_request(data, data.len() as i32, data.len() as i32);
    if violations.is_empty() && request.func().is_some() {
        for r in request.references() {
            assert!(
                r.value.is_ok(),
                "{:?} validates but {} does not resolve: {:?}",
                request.func(),
                r.field.name,
                r.value
            );
        }
    }
}

/// Decodes any input as one of the 49 structures of 2.2.6 (the first byte selects which, in
/// `structures::ALL` order) and walks every member, item, entry and the LINEPROXYREQUEST union;
/// a structure that validates reads back through its builder, whose output reads back the same.
/// Returns whether the input decoded and validated.
pub fn decode_structure(data: &[u8]) -> bool {
    let Some((&which, bytes)) = data.split_first() else {
        return false;
    };
    let desc = structures::ALL[which as usize % structures::ALL.len()];
    let Some(Ok(s)) = structures::decode_any(desc.name, bytes) else {
        return false;
    };
    let raw = s.raw();
    let _ = raw.fields().count();
    let ok = raw.validate().is_ok();
    for item in raw.var_items() {
        let _ = item.bytes();
        let _ = item.text().map(|t| t.map(|t| t.to_string()));
        let _ = item.multi_text().map(|m| m.map(|m| m.iter().count()));
        if let Ok(Some(t)) = item.text_table() {
            assert_eq!(t.iter().len(), t.len());
            for text in t.iter() {
                let _ = text.to_string();
            }
        }
        if let Ok(entries) = item.entries() {
            for e in entries {
                let _ = e.validate();
            }
        }
    }
    if let AnyStructure::LINEPROXYREQUEST(p) = s {
        let r = p.request();
        let _ = r.members().count();
        let _ = r.strings().count();
        let _ = r.params();
        if let Some((_, Ok(inner))) = r.structure() {
            let _ = inner.raw().validate();
        }
    }
    if ok {
        // What validates reads back into a builder, and the builder's canonical layout reads
        // back, validates and lays out identically. (Byte equality with the input holds only for canonical
        // inputs, such as the seeds: padding and item order may differ otherwise.)
        let b = StructBuilder::from_raw(&raw).expect("a valid structure reads back");
        let bytes2 = b.to_vec();
        let again = structures::decode_any(desc.name, &bytes2)
            .expect("known structure")
            .expect("the builder's output decodes");
        again
            .raw()
            .validate()
            .expect("the builder's output validates");
        let twice = StructBuilder::from_raw(&again.raw())
            .expect("the builder's output reads back")
            .to_vec();
        // The one exception: LINEFORWARDLIST states neither its entry size nor its version,
        // and where the builder's layout of one entry size also reads as a packed, consistent
        // array of the other, no decoder can tell them apart (spec-notes/structures.md
        // section 4). Everything else lays out identically.
        if inline_strides(&raw) == inline_strides(&again.raw()) {
            assert_eq!(twice, bytes2, "the builder's layout is idempotent");
        }
    }
    ok
}

/// The entry sizes the decoder chose for the inline entry arrays (LINEFORWARDLIST).
fn inline_strides(raw: &structures::Raw<'_>) -> Vec<usize> {
    raw.var_items()
        .filter(|i| matches!(i.desc.kind, structures::VarKind::InlineEntries { .. }))
        .filter_map(|i| i.entries().ok().map(|e| e.stride()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The DCE/RPC layer and the capture layer.
// ---------------------------------------------------------------------------------------------

use mstrp::rpc::association::Association;
use mstrp::rpc::fragments::Reassembler;
use mstrp::rpc::methods::{self, Direction, Method, Stub};
use mstrp::rpc::ndr::Syntax;
use mstrp::rpc::pdu::{self, PacketType, Pdu, PduBody};

/// The bound on one call's reassembled stub in [`decode_pdu_stream`]: small, so that inputs
/// of a few KiB reach it.
pub const PDU_STREAM_REASSEMBLY_LIMIT: usize = 1024;
/// How many calls in flight [`decode_pdu_stream`] lets a reassembler hold before it abandons
/// the oldest, as a caller bounding memory overall does.
pub const PDU_STREAM_MAX_IN_PROGRESS: usize = 4;
/// How many calls the associations of [`decode_pdu_stream`] remember.
pub const PDU_STREAM_MAX_PENDING: usize = 8;

/// Reads any stub as each of the twelve (method, direction) pairs in both transfer syntaxes;
/// whatever decodes reports what it was asked to be, and re-encodes byte for byte.
fn decode_stub_every_way(stub: &[u8]) {
    for method in Method::ALL {
        for direction in Direction::ALL {
            for syntax in Syntax::ALL {
                check_stub(method, direction, syntax, stub, None);
            }
        }
    }
}

/// Decodes `stub` as `method`/`direction`/`syntax`; if it decodes, checks the view and its
/// builder and reads the TAPI32_MSG, reply or events it carries. Returns whether it decoded.
fn check_stub(
    method: Method,
    direction: Direction,
    syntax: Syntax,
    stub: &[u8],
    req_func: Option<u32>,
) -> bool {
    let Ok(s) = methods::decode(method, direction, syntax, stub) else {
        return false;
    };
    assert_eq!(
        (s.method(), s.direction(), s.syntax()),
        (method, direction, syntax)
    );
    assert_eq!(s.as_bytes(), stub);
    let builder = s.to_builder();
    assert_eq!((builder.method(), builder.direction()), (method, direction));
    assert_eq!(
        builder.encode(syntax),
        stub,
        "{method} {direction} {syntax:?}: a decoded stub re-encodes byte for byte"
    );
    match s {
        Stub::ClientRequestRequest(r) => {
            let p = r.p_buffer();
            assert_eq!(p.bytes().len() as u64, p.actual_count);
            assert_eq!(i64::from(r.pl_used_size()), p.bytes().len() as i64);
            if let Ok(request) = r.tapi32_msg() {
                // Borrowed from the stub, not copied.
                assert_eq!(
                    std::ptr::from_ref(request.msg()).cast::<u8>(),
                    p.bytes().as_ptr()
                );
                for reference in request.references() {
                    let _ = reference.value;
                }
            }
            let _ = (r.var_data_len(), r.var_data_capacity());
        }
        Stub::ClientRequestResponse(r) => {
            if let Some(func) = req_func.and_then(mstrp::requests::FuncId::from_u32) {
                let _ = r.reply(func).map(|reply| format!("{reply:?}"));
            }
        }
        Stub::RemoteSPEventProcRequest(r) => {
            if let Ok(events) = r.events() {
                for e in events.iter().take(64) {
                    let Ok(e) = e else { break };
                    let _ = mstrp::events::Event::parse(e).map(|e| e.typed().fields().count());
                }
            }
        }
        _ => {}
    }
    let _ = format!("{s:?}");
    true
}

/// Any bytes as the PDUs of one TCP stream (or named pipe), both directions interleaved.
///
/// * `pdus()` splits at each `frag_length`, contiguously, and stops at the first PDU that
///   does not parse, at the offset where it starts;
/// * every PDU that parses rebuilds byte for byte through `to_builder()`;
/// * every stub, read as each of the twelve stubs in both syntaxes and as the method its
///   context names, re-encodes byte for byte when it decodes;
/// * reassembly with a small limit never buffers or reserves more than the limit per call, and
///   a single-fragment call is borrowed, not copied;
/// * the associations remember at most their bound of calls;
/// * `PdusJson::from_stream` describes the same PDUs and the same error.
///
/// Returns the number of PDUs that parsed.
pub fn decode_pdu_stream(data: &[u8]) -> usize {
    // One association read PDU by PDU (as `trp decode --as pdu` does), one fed reassembled
    // calls (as `capture::calls` does).
    let mut single = Association::new().with_max_pending(PDU_STREAM_MAX_PENDING);
    let mut whole = Association::new().with_max_pending(PDU_STREAM_MAX_PENDING);
    // Requests one way, responses and faults the other.
    let mut reassemblers = [
        Reassembler::with_limit(PDU_STREAM_REASSEMBLY_LIMIT),
        Reassembler::with_limit(PDU_STREAM_REASSEMBLY_LIMIT),
    ];
    let mut stream = pdu::pdus(data);
    let mut expected_at = 0usize;
    let mut parsed = 0usize;
    let mut failed = false;
    while let Some(item) = stream.next() {
        let (at, p) = match item {
            Ok(v) => v,
            Err(e) => {
                let _ = format!("{e}{e:?}");
                assert_eq!(
                    stream.position(),
                    expected_at,
                    "the error is where the PDU starts"
                );
                assert_eq!(stream.remaining(), &data[expected_at..]);
                assert!(Pdu::parse(stream.remaining()).is_err());
                failed = true;
                break;
            }
        };
        parsed += 1;
        assert_eq!(at, expected_at, "PDUs are back to back");
        let bytes = p.bytes();
        assert_eq!(bytes.len(), usize::from(p.frag_length()));
        assert_eq!(pdu::frag_length(&data[at..]), Some(bytes.len()));
        assert_eq!(bytes, &data[at..at + bytes.len()]);
        expected_at = at + bytes.len();
        assert_eq!(stream.position(), expected_at);
        if let Some(t) = p.sec_trailer() {
            assert_eq!(t.auth_value().len(), usize::from(p.auth_length()));
        }
        let _ = format!("{p:?}");

        // Byte-exact rebuild.
        let rebuilt = p
            .to_builder()
            .to_bytes()
            .expect("a parsed PDU's builder builds");
        assert_eq!(rebuilt, bytes, "a parsed PDU rebuilds byte for byte");

        // Every stub as every stub.
        if let Some(stub) = p.stub() {
            decode_stub_every_way(stub);
        }

        // PDU by PDU: the method its context names, for single-fragment calls.
        if let Some(info) = single.classify(&p) {
            assert_eq!(info.call_id, p.call_id());
            let whole_call = p.is_first() && p.is_last();
            if let (Some(method), Some(syntax), Some(stub), true) =
                (info.method, info.syntax(), p.stub(), whole_call)
            {
                if !matches!(p.body(), PduBody::Fault(_)) {
                    check_stub(method, info.direction, syntax, stub, info.req_func);
                }
            }
        }
        assert!(single.pending() <= PDU_STREAM_MAX_PENDING);

        // Reassembled: bounded memory, borrowed single fragments.
        whole.observe(&p);
        let side = usize::from(p.packet_type() != PacketType::Request);
        let r = &mut reassemblers[side];
        let pushed = r.push(&p);
        while r.in_progress().count() > PDU_STREAM_MAX_IN_PROGRESS {
            let oldest = r.in_progress().next().expect("calls in progress");
            assert!(r.abandon(oldest));
        }
        assert!(r.buffered() <= r.reserved());
        assert!(
            r.reserved() <= PDU_STREAM_MAX_IN_PROGRESS * PDU_STREAM_REASSEMBLY_LIMIT,
            "a reassembler reserves at most its limit per call"
        );
        match pushed {
            Ok(Some(call)) => {
                assert_eq!(call.call_id, p.call_id());
                assert!(call.stub.len() <= PDU_STREAM_REASSEMBLY_LIMIT);
                match &call.stub {
                    std::borrow::Cow::Borrowed(s) => {
                        assert_eq!(call.fragments, 1);
                        assert_eq!(s.as_ptr(), p.stub().expect("a stub").as_ptr());
                    }
                    std::borrow::Cow::Owned(_) => assert!(call.fragments > 1),
                }
                let info = match call.opnum {
                    Some(opnum) => whole.request(call.call_id, call.p_cont_id, opnum, &call.stub),
                    None => whole.response(call.call_id, call.p_cont_id),
                };
                if let (Some(method), Some(syntax)) = (info.method, info.syntax()) {
                    check_stub(method, info.direction, syntax, &call.stub, info.req_func);
                }
            }
            Ok(None) => {}
            Err(e) => {
                let _ = format!("{e}{e:?}");
            }
        }
        if let PduBody::Fault(f) = p.body() {
            whole.response(p.call_id(), f.p_cont_id());
        }
        assert!(whole.pending() <= PDU_STREAM_MAX_PENDING);
    }
    if !failed {
        assert_eq!(
            expected_at,
            data.len(),
            "a stream that does not fail is consumed"
        );
    }
    for r in &mut reassemblers {
        let open = r.in_progress().count();
        match r.finish() {
            Ok(()) => assert_eq!(open, 0),
            Err(errors) => assert_eq!(errors.len(), open),
        }
        assert_eq!((r.buffered(), r.in_progress().count()), (0, 0));
    }

    #[cfg(feature = "serde")]
    {
        let j = mstrp::json::rpc::PdusJson::from_stream(data);
        assert_eq!(j.pdus.len(), parsed);
        assert_eq!(j.error.is_some(), failed);
        let _ = format!("{j:?}");
    }
    parsed
}

/// The limits [`decode_capture`] runs the capture layer with: small, so that short inputs
/// reach them.
#[cfg(feature = "pcap")]
pub fn capture_configs() -> (
    mstrp::capture::TransportConfig,
    mstrp::capture::calls::CallsConfig,
) {
    let mut transport = mstrp::capture::TransportConfig::default();
    transport.tcp.max_connections = 8;
    transport.tcp.max_buffered_per_direction = 1 << 15;
    transport.tcp.max_buffered_total = 1 << 16;
    transport.tcp.recently_closed = 8;
    transport.smb2.max_pipes = 4;
    transport.smb2.max_pending = 16;
    transport.smb2.max_deferred = 1 << 14;
    transport.max_problems = 16;
    let calls = mstrp::capture::calls::CallsConfig {
        // 4444 is read as tapsrv over NDR20 without a bind; other ports need one.
        rpc_ports: [4444].into_iter().collect(),
        reassembly_limit: 1 << 14,
        max_waiting: 8,
        max_errors: 32,
    };
    (transport, calls)
}

/// Any bytes as a pcap or pcapng file, through the capture layer and the call decoder, every
/// call through the JSON model: never panics; the streams and calls held stay within the
/// configured bounds; every call counted is reported exactly once, with stubs within the
/// reassembly limit. Returns the number of calls.
#[cfg(feature = "pcap")]
pub fn decode_capture(data: &[u8]) -> u64 {
    use mstrp::capture::{self, calls::Calls};

    let (config, calls_config) = capture_configs();
    let max_connections = config.tcp.max_connections;
    let max_streams = max_connections * (1 + config.smb2.max_pipes);
    let max_waiting = calls_config.max_waiting;
    let limit = calls_config.reassembly_limit;
    let Ok(mut events) = capture::open(data, config) else {
        return 0;
    };
    let mut calls = Calls::new(calls_config);
    let mut reported = 0u64;
    let mut report = |calls: &mut Calls| {
        for call in calls.take_calls() {
            reported += 1;
            assert!(call.interface().is_some(), "only tapsrv and remotesp calls");
            assert!(call.request.len() <= limit);
            if let Some(a) = &call.answer {
                assert!(a.stub.len() <= limit);
            }
            let _ = format!("{call:?}");
            #[cfg(feature = "serde")]
            {
                let j = mstrp::json::capture::CallJson::from_call(&call);
                assert_eq!(j.call_id, call.call_id);
                let _ = format!("{j:?}");
            }
        }
        for e in calls.take_errors() {
            let _ = e.to_string();
        }
    };
    loop {
        let next = events.next();
        match &next {
            Some(ev) => calls.push(ev),
            None => calls.finish(),
        }
        assert!(events.transport().open_connections() <= max_connections);
        assert!(calls.open_streams() <= max_streams, "streams held");
        assert!(calls.held_calls() <= max_waiting, "calls held");
        assert!(calls.waiting_calls() <= max_waiting, "calls waiting");
        report(&mut calls);
        if next.is_none() {
            break;
        }
    }
    assert_eq!(calls.open_streams(), 0);
    assert_eq!(calls.held_calls(), 0);
    let counted = calls.stats().calls;
    assert_eq!(reported, counted, "every call counted is reported once");
    counted
}
