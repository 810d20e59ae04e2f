//! Known answers for the NDR20 and NDR64 stubs of the six methods (`mstrp::rpc::methods`).
//!
//! Sources of the expected bytes:
//! * the design note's worked example (shared/design/rpc-and-session.md, section 1): a Close
//!   (Req_Func 9, hLine 0x00010203) sent through ClientRequest, request stub at PDU offset
//!   0x18, response stub at 0x18;
//! * the NDR64 form of the same example, computed by hand from [MS-RPCE] 2.2.5.3.1 (simple
//!   types keep their NDR alignment) and 2.2.5.3.2.3 (a conformant-varying array is preceded
//!   by three unsigned 64-bit integers); the steps are in spec-notes/rpc-ndr.md;
//! * Manticore (github.com/TheManticoreProject/Manticore, GPL-3.0; only byte values taken):
//!   `network/dcerpc/interfaces/2f5f6520-ca46-1067-b319-00dd010662da/1.0/functions/functions_test.go`
//!   (ClientRequest request and response, ClientDetach response),
//!   `network/dcerpc/interfaces/2f5f6521-ca47-1068-b319-00dd010662db/1.0/functions/functions_test.go`
//!   (RemoteSPEventProc request and empty response, RemoteSPDetach response) and
//!   `windows/protocols/ms-trp/structures_test.go` (20-byte context handles sent verbatim),
//!   all at commit 5bb016e3f749d9adf9302c78abb4ceaddf1c398b / add629f28730463fb59eb391da6078460b8721c7;
//! * go-msrpc (github.com/oiweiwei/go-msrpc, `msrpc/trp/tapsrv/v1/v1.go`,
//!   `msrpc/trp/remotesp/v1/v1.go`, MIT) has no test vectors for these interfaces: its
//!   generated codec only confirms the order (max = lNeededSize, offset 0, actual =
//!   *plUsedSize, data, lNeededSize, *plUsedSize; no referent ids; NDR64 counts written as
//!   8-byte integers by `ndr/ndr64.go`). No bytes are taken from it;
//! * smb-rpc 0.10.4 (docs.rs/crate/smb-rpc/0.10.4, `src/ndr64.rs`, test `TestNdrStringPtr`):
//!   an NDR64 `[string] wchar_t*` behind a unique pointer, the independent check of the NDR64
//!   string shape (three 8-byte counts, then the units).

use mstrp::errors::DecodeErrorKind;
use mstrp::requests::{FuncId, Request, builders};
use mstrp::rpc::methods::*;
use mstrp::rpc::ndr::*;

/// Hex (whitespace ignored) to bytes.
fn hex(s: &str) -> Vec<u8> {
    let s: String = s.split_whitespace().collect();
    assert!(s.len() % 2 == 0, "odd hex");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

const CTX_HEX: &str = "00000000 0102030405060708090a0b0c0d0e0f10";

/// The 60-byte Close request: Req_Func 9, Reserved1 0, hLine 0x00010203, Reserved2..13 zero.
const CLOSE_HEX: &str = "09000000 00000000 03020100
    00000000 00000000 00000000 00000000 00000000 00000000
    00000000 00000000 00000000 00000000 00000000 00000000";

/// The 60-byte answer: Ack_ReturnValue 0 (the design note fixes only this DWORD; the rest
/// echoes the request's parameters).
const CLOSE_REPLY_HEX: &str = "00000000 00000000 03020100
    00000000 00000000 00000000 00000000 00000000 00000000
    00000000 00000000 00000000 00000000 00000000 00000000";

/// The design note's request PDU (124 bytes); the stub starts at 0x18.
fn worked_request_pdu() -> Vec<u8> {
    hex(&format!(
        "05000003 10000000 7c00 0000 03000000
         64000000 0000 0100
         {CTX_HEX}
         3c000000 00000000 3c000000
         {CLOSE_HEX}
         3c000000 3c000000"
    ))
}

/// The design note's response PDU (100 bytes); the stub starts at 0x18.
fn worked_response_pdu() -> Vec<u8> {
    hex(&format!(
        "05000203 10000000 6400 0000 03000000
         4c000000 0000 00 00
         3c000000 00000000 3c000000
         {CLOSE_REPLY_HEX}
         3c000000"
    ))
}

fn worked_ctx() -> ContextHandle {
    "000000000102030405060708090a0b0c0d0e0f10".parse().unwrap()
}

#[test]
fn worked_example_request_ndr20() {
    let pdu = worked_request_pdu();
    assert_eq!(pdu.len(), 124);
    let stub = &pdu[0x18..];
    assert_eq!(stub.len(), 100, "alloc_hint 100");
    let v = ClientRequestRequest::decode(Syntax::Ndr20, stub).unwrap();
    assert_eq!(v.ph_context(), worked_ctx());
    assert_eq!(
        v.ph_context().to_hex(),
        "000000000102030405060708090a0b0c0d0e0f10"
    );
    let b = v.p_buffer();
    assert_eq!((b.max_count, b.offset, b.actual_count), (60, 0, 60));
    assert_eq!(
        (b.at, b.offset_at(), b.actual_count_at(), b.data_at()),
        (20, 24, 28, 32)
    );
    assert_eq!(b.bytes(), &hex(CLOSE_HEX)[..]);
    assert_eq!((v.l_needed_size(), v.pl_used_size()), (60, 60));
    assert_eq!(v.var_data_len(), Some(0));
    assert_eq!(v.var_data_capacity(), Some(0));

    let Request::LineClose(close) = v.tapi32_msg().unwrap() else {
        panic!("not Close")
    };
    assert_eq!(close.req_func(), 9);
    assert_eq!(close.h_line().get(), 0x0001_0203);

    // Rebuilt byte for byte, and the same bytes from a builder made by hand.
    assert_eq!(v.to_builder().encode(Syntax::Ndr20), stub);
    let built = ClientRequestRequestBuilder::new(worked_ctx(), &hex(CLOSE_HEX));
    assert_eq!(built, v.to_builder());
    assert_eq!(built.encode(Syntax::Ndr20), stub);
    let Stub::ClientRequestRequest(same) = decode(
        Method::ClientRequest,
        Direction::Request,
        Syntax::Ndr20,
        stub,
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(same, v);
}

#[test]
fn worked_example_response_ndr20() {
    let pdu = worked_response_pdu();
    assert_eq!(pdu.len(), 100);
    let stub = &pdu[0x18..];
    assert_eq!(stub.len(), 76, "alloc_hint 76");
    let v = ClientRequestResponse::decode(Syntax::Ndr20, stub).unwrap();
    let b = v.p_buffer();
    assert_eq!(
        (b.max_count, b.offset, b.actual_count, b.data_at()),
        (60, 0, 60, 12)
    );
    assert_eq!(v.pl_used_size(), 60);
    assert!(v.check_l_needed_size(60).is_ok());
    let e = v.check_l_needed_size(1024).unwrap_err();
    assert_eq!((e.param, e.offset), ("pBuffer", 0));
    let reply = v.reply(FuncId::LineClose).unwrap();
    assert_eq!(reply.dwords()[0], 0, "Ack_ReturnValue");
    assert_eq!(reply.dwords()[2], 0x0001_0203);
    assert_eq!(v.to_builder().encode(Syntax::Ndr20), stub);
    assert_eq!(
        ClientRequestResponseBuilder::new(&hex(CLOSE_REPLY_HEX), 60).encode(Syntax::Ndr20),
        stub
    );
}

/// The NDR64 Close request, computed by hand (spec-notes/rpc-ndr.md, "NDR64 worked example"):
/// CTX at 0, 4 bytes of padding to 24, max/offset/actual as u64 at 24/32/40, the 60 bytes at
/// 48, lNeededSize at 108 (already 4-aligned), *plUsedSize at 112; 116 bytes.
fn close_request_ndr64() -> Vec<u8> {
    hex(&format!(
        "{CTX_HEX}
         00000000
         3c00000000000000 0000000000000000 3c00000000000000
         {CLOSE_HEX}
         3c000000 3c000000"
    ))
}

/// The NDR64 answer: counts at 0/8/16, the 60 bytes at 24, *plUsedSize at 84; 88 bytes.
fn close_response_ndr64() -> Vec<u8> {
    hex(&format!(
        "3c00000000000000 0000000000000000 3c00000000000000
         {CLOSE_REPLY_HEX}
         3c000000"
    ))
}

#[test]
fn worked_example_ndr64() {
    let stub = close_request_ndr64();
    assert_eq!(stub.len(), 116);
    let v = ClientRequestRequest::decode(Syntax::Ndr64, &stub).unwrap();
    assert_eq!(v.ph_context(), worked_ctx());
    let b = v.p_buffer();
    assert_eq!((b.max_count, b.offset, b.actual_count), (60, 0, 60));
    assert_eq!(
        (b.at, b.offset_at(), b.actual_count_at(), b.data_at()),
        (24, 32, 40, 48)
    );
    let Request::LineClose(close) = v.tapi32_msg().unwrap() else {
        panic!("not Close")
    };
    assert_eq!(close.h_line().get(), 0x0001_0203);
    // The same builder encodes both syntaxes.
    let built = ClientRequestRequestBuilder::new(worked_ctx(), &hex(CLOSE_HEX));
    assert_eq!(built.encode(Syntax::Ndr64), stub);
    assert_eq!(v.to_builder().encode(Syntax::Ndr64), stub);
    // An NDR20 reader rejects it and vice versa.
    assert!(ClientRequestRequest::decode(Syntax::Ndr20, &stub).is_err());
    let pdu = worked_request_pdu();
    assert!(ClientRequestRequest::decode(Syntax::Ndr64, &pdu[0x18..]).is_err());

    let resp = close_response_ndr64();
    assert_eq!(resp.len(), 88);
    let r = ClientRequestResponse::decode(Syntax::Ndr64, &resp).unwrap();
    assert_eq!(r.p_buffer().data_at(), 24);
    assert_eq!(r.pl_used_size(), 60);
    assert_eq!(r.reply(FuncId::LineClose).unwrap().dwords()[0], 0);
    assert_eq!(r.to_builder().encode(Syntax::Ndr64), resp);
}

/// ClientAttach in both syntaxes, by hand: lProcessID −1, pszDomainUser "" (push), pszMachine
/// "PC". NDR20: the first string's counts follow the long directly, 2 bytes pad the second
/// string's counts to 4. NDR64: 4 bytes pad the first counts to 8, 6 bytes pad the second.
#[test]
fn client_attach_request_both_syntaxes() {
    let ndr20 = hex("ffffffff
        01000000 00000000 01000000 0000
        0000
        03000000 00000000 03000000 5000 4300 0000");
    let ndr64 = hex("ffffffff
        00000000
        0100000000000000 0000000000000000 0100000000000000 0000
        000000000000
        0300000000000000 0000000000000000 0300000000000000 5000 4300 0000");
    assert_eq!((ndr20.len(), ndr64.len()), (38, 70));
    let b = ClientAttachRequestBuilder::new(-1, "", "PC");
    for (syntax, stub) in [(Syntax::Ndr20, &ndr20), (Syntax::Ndr64, &ndr64)] {
        assert_eq!(&b.encode(syntax), stub, "{syntax}");
        let v = ClientAttachRequest::decode(syntax, stub).unwrap();
        assert_eq!(v.l_process_id(), -1);
        assert_eq!(v.psz_domain_user().to_string_lossy(), "");
        assert_eq!(v.psz_domain_user().actual_count, 1);
        assert_eq!(v.psz_machine().to_string_lossy(), "PC");
        assert_eq!(v.psz_machine().units().collect::<Vec<_>>(), [0x50, 0x43]);
        assert_eq!(v.psz_machine().units_with_nul().count(), 3);
        assert_eq!(v.to_builder(), b);
    }
    assert_eq!(
        ClientAttachRequest::decode(Syntax::Ndr64, &ndr64)
            .unwrap()
            .psz_machine()
            .at,
        40
    );
}

/// smb-rpc's NDR64 string `\\localhostt`: an 8-byte referent id (not used by these
/// methods, skipped), then max 13, offset 0, actual 13 as u64, then 13 UTF-16LE units.
#[test]
fn smb_rpc_ndr64_string() {
    let bytes = hex(
        "0000020000000000 0d00000000000000 0000000000000000 0d00000000000000
        5c005c006c006f00630061006c0068006f007300740074000000",
    );
    let mut r = NdrReader::new("test", Syntax::Ndr64, &bytes);
    assert_eq!(r.bytes("referent", 8).unwrap(), [0, 0, 2, 0, 0, 0, 0, 0]);
    let s = r.wstr("string").unwrap();
    assert_eq!(
        (s.max_count, s.offset, s.actual_count, s.at),
        (13, 0, 13, 8)
    );
    assert_eq!(s.to_string_lossy(), "\\\\localhostt");
    assert!(r.finish().is_ok());
    let mut w = NdrWriter::new(Syntax::Ndr64);
    let units: Vec<u16> = "\\\\localhostt\0".encode_utf16().collect();
    w.bytes(&[0, 0, 2, 0, 0, 0, 0, 0]).wstr(13, 0, 13, &units);
    assert_eq!(w.into_bytes(), bytes);
}

/// The design note's pszMachine form for a push client (3.1.4.1).
#[test]
fn client_attach_request_machine_string() {
    let b = ClientAttachRequestBuilder::new(-1, "", "PC\"ncacn_ip_tcp\"251\"");
    for syntax in Syntax::ALL {
        let stub = b.encode(syntax);
        let v = ClientAttachRequest::decode(syntax, &stub).unwrap();
        assert_eq!(v.psz_machine().to_string(), "PC\"ncacn_ip_tcp\"251\"");
        assert_eq!(v.psz_machine().actual_count, 21);
    }
}

#[test]
fn attach_responses() {
    // ClientAttach response: CTX, phAsyncEventsEvent 0xA5C369A5 (3.1.4.1), return 0; 28 bytes
    // in both syntaxes.
    let stub = hex(&format!("{CTX_HEX} a569c3a5 00000000"));
    for syntax in Syntax::ALL {
        let v = ClientAttachResponse::decode(syntax, &stub).unwrap();
        assert_eq!(v.pph_context(), worked_ctx());
        assert_eq!(v.ph_async_events_event() as u32, 0xA5C3_69A5);
        assert_eq!(v.return_value(), 0);
        assert_eq!(v.to_builder().encode(syntax), stub);
    }
    // RemoteSPAttach: empty request, CTX + return value.
    assert!(RemoteSPAttachRequest::decode(Syntax::Ndr20, &[]).is_ok());
    let stub = hex(&format!("{CTX_HEX} edffffff"));
    let v = RemoteSPAttachResponse::decode(Syntax::Ndr64, &stub).unwrap();
    assert_eq!(v.return_value(), -19);
    assert_eq!(v.to_builder().encode(Syntax::Ndr64), stub);
}

/// Manticore `TestClientRequest_BufferWireShape`: capacity 8, 4 bytes used.
#[test]
fn manticore_client_request_request() {
    let stub = hex("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
        08000000 00000000 04000000 01020304 08000000 04000000");
    let v = ClientRequestRequest::decode(Syntax::Ndr20, &stub).unwrap();
    assert_eq!(v.ph_context().to_bytes(), [0xAA; 20]);
    assert_eq!(v.p_buffer().bytes(), [1, 2, 3, 4]);
    assert_eq!((v.l_needed_size(), v.pl_used_size()), (8, 4));
    let b = v.to_builder();
    assert_eq!(b.l_needed_size, Some(8));
    assert_eq!(b.pl_used_size, None);
    assert_eq!(b.encode(Syntax::Ndr20), stub);
    // Shorter than TAPI32_MSG: the NDR is fine, the message is not.
    assert_eq!(v.var_data_capacity(), None);
    assert!(matches!(
        v.tapi32_msg().unwrap_err().kind,
        DecodeErrorKind::Truncated {
            needed: 60,
            actual: 4
        }
    ));
}

/// Manticore `TestClientRequest_ResponseRoundTrip`: 3 of 8 bytes returned, one pad byte.
#[test]
fn manticore_client_request_response() {
    let stub = hex("08000000 00000000 03000000 deadbe 00 03000000");
    let v = ClientRequestResponse::decode(Syntax::Ndr20, &stub).unwrap();
    assert_eq!(v.p_buffer().bytes(), [0xDE, 0xAD, 0xBE]);
    assert_eq!(v.p_buffer().max_count, 8);
    assert_eq!(v.pl_used_size(), 3);
    assert!(v.check_l_needed_size(8).is_ok());
    assert_eq!(v.to_builder().encode(Syntax::Ndr20), stub);
    assert_eq!(
        ClientRequestResponseBuilder::new(&[0xDE, 0xAD, 0xBE], 8).encode(Syntax::Ndr20),
        stub
    );
}

/// Manticore `TestClientDetach_ResponseRoundTrip` and `TestRemoteSPDetach_ResponseRoundTrip`:
/// 20 zero bytes, the freed handle.
#[test]
fn manticore_detach_responses() {
    let stub = [0u8; 20];
    for syntax in Syntax::ALL {
        let c = ClientDetachResponse::decode(syntax, &stub).unwrap();
        assert!(c.pph_context().is_nil());
        let r = RemoteSPDetachResponse::decode(syntax, &stub).unwrap();
        assert_eq!(r.pph_context(), ContextHandle::NIL);
        assert_eq!(r.to_builder().encode(syntax), stub);
    }
}

/// Manticore `TestRemoteSPEventProc_BufferWireShape` (NDR20) and `_EmptyResponse`; the NDR64
/// form by hand (4 bytes of padding after the handle, u64 counts).
#[test]
fn manticore_remotesp_event_proc() {
    let ndr20 = hex("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
        04000000 00000000 04000000 11223344 04000000");
    let ndr64 = hex("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb 00000000
        0400000000000000 0000000000000000 0400000000000000 11223344 04000000");
    let b = RemoteSPEventProcRequestBuilder::new(
        ContextHandle::from_bytes([0xBB; 20]),
        &[0x11, 0x22, 0x33, 0x44],
    );
    for (syntax, stub) in [(Syntax::Ndr20, &ndr20), (Syntax::Ndr64, &ndr64)] {
        let v = RemoteSPEventProcRequest::decode(syntax, stub).unwrap();
        assert_eq!(v.l_size(), 4);
        assert_eq!(v.p_buffer().bytes(), [0x11, 0x22, 0x33, 0x44]);
        assert_eq!(&b.encode(syntax), stub);
        assert_eq!(v.to_builder(), b);
        // The NDR is valid; 3.3.4.2 rejects a buffer smaller than one ASYNCEVENTMSG.
        let e = v.events().unwrap().iter().next().unwrap().unwrap_err();
        assert!(
            matches!(e.error.kind, DecodeErrorKind::BufferSize { len: 4 }),
            "{e}"
        );
    }
    assert!(RemoteSPEventProcResponse::decode(Syntax::Ndr20, &[]).is_ok());
}

/// Manticore `TestPCONTEXT_HANDLE_TYPE_RoundTrip` / `TYPE2`: 20 octets sent verbatim.
#[test]
fn manticore_context_handles() {
    let one: [u8; 20] = core::array::from_fn(|i| i as u8 + 1);
    let two: [u8; 20] = core::array::from_fn(|i| 0xF0 - i as u8);
    for bytes in [one, two] {
        let h = ContextHandle::from_bytes(bytes);
        assert_eq!(h.to_bytes(), bytes);
        assert!(!h.is_nil());
        let stub = ClientDetachRequestBuilder { pph_context: h }.encode(Syntax::Ndr20);
        assert_eq!(stub, bytes);
        assert_eq!(h.to_hex().parse::<ContextHandle>(), Ok(h));
    }
    assert_eq!(
        ContextHandle::from_bytes(one).to_hex(),
        "0102030405060708090a0b0c0d0e0f1011121314"
    );
}

/// A push of one real event: LINE_REPLY (Msg 0x0C) of 40 bytes through RemoteSPEventProc.
#[test]
fn event_proc_hands_events_on() {
    let event = hex("28000000 11000000 22000000 00000000 0c000000 00000000
        05000000 00000000 00000000 00000000");
    let ctx = worked_ctx();
    for syntax in Syntax::ALL {
        let stub = RemoteSPEventProcRequestBuilder::new(ctx, &event).encode(syntax);
        let v = RemoteSPEventProcRequest::decode(syntax, &stub).unwrap();
        let events: Vec<_> = v
            .events()
            .unwrap()
            .iter()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!((events[0].msg(), events[0].init_context()), (0x0C, 0x11));
        // Zero copy: the event's bytes are the stub's.
        assert!(core::ptr::eq(
            events[0].bytes().as_ptr(),
            stub[stub.len() - 44..].as_ptr()
        ));
    }
}

// -------------------------------------------------------------------------------------------
// The VarData decision: input VarData = *plUsedSize − 60; capacity = lNeededSize − 60.

/// A MakeCall whose lpszDestAddress is at VarData offset 0, sent in a 1024-byte buffer (the
/// shape of public proof-of-concept code: 1024 needed, only the message used).
fn make_call_stub(syntax: Syntax, dest_offset: Option<u32>) -> (Vec<u8>, usize) {
    let mut msg = builders::LineMakeCall::new()
        .h_line(0x1001)
        .lpsz_dest_address("+1 425 555 0100")
        .lp_call_params(None::<&[u8]>)
        .to_bytes()
        .to_vec();
    let field = FuncId::LineMakeCall
        .desc()
        .fields
        .iter()
        .find(|f| f.name == "lpszDestAddress")
        .unwrap()
        .offset;
    if let Some(off) = dest_offset {
        msg[field..field + 4].copy_from_slice(&off.to_le_bytes());
    }
    let used = msg.len();
    let b = ClientRequestRequestBuilder {
        l_needed_size: Some(1024),
        ..ClientRequestRequestBuilder::new(worked_ctx(), &msg)
    };
    (b.encode(syntax), used)
}

#[test]
fn var_data_is_the_transmitted_bytes() {
    for syntax in Syntax::ALL {
        let (stub, used) = make_call_stub(syntax, None);
        let v = ClientRequestRequest::decode(syntax, &stub).unwrap();
        assert_eq!(v.p_buffer().max_count, 1024);
        assert_eq!(v.p_buffer().actual_count as usize, used);
        let var_len = used - 60;
        assert_eq!(var_len, 32, "15 WCHARs and a NUL");
        assert_eq!(v.var_data_len(), Some(var_len as u32));
        assert_eq!(v.var_data_capacity(), Some(964));
        let Request::LineMakeCall(call) = v.tapi32_msg().unwrap() else {
            panic!()
        };
        assert_eq!(call.var_data().as_bytes().len(), var_len);
        let dest = call.lpsz_dest_address().resolve().unwrap().unwrap();
        assert_eq!(dest.to_string(), "+1 425 555 0100");

        // Inside the boundary: the last WCHAR of the transmitted VarData (a NUL) resolves.
        let (stub, _) = make_call_stub(syntax, Some(var_len as u32 - 2));
        let v = ClientRequestRequest::decode(syntax, &stub).unwrap();
        let Request::LineMakeCall(call) = v.tapi32_msg().unwrap() else {
            panic!()
        };
        assert!(call.lpsz_dest_address().resolve().is_ok());

        // Past the transmitted bytes but inside lNeededSize − 60: bytes the client never
        // sent. At exactly var_len the resolver finds no NUL (it admits an offset equal to
        // the length for empty items); beyond it the offset is out of bounds. Both errors
        // name the field.
        let capacity = ClientRequestRequest::decode(syntax, &stub)
            .unwrap()
            .var_data_capacity()
            .unwrap();
        assert_eq!(capacity, 964);
        for (offset, kind) in [
            (
                var_len as u32,
                DecodeErrorKind::Unterminated {
                    value: var_len as u32,
                },
            ),
            (
                var_len as u32 + 2,
                DecodeErrorKind::OffsetOutOfBounds {
                    value: var_len as u32 + 2,
                    len: var_len,
                },
            ),
            (
                capacity - 2,
                DecodeErrorKind::OffsetOutOfBounds {
                    value: capacity - 2,
                    len: var_len,
                },
            ),
        ] {
            assert!(offset < capacity);
            let (stub, _) = make_call_stub(syntax, Some(offset));
            let v = ClientRequestRequest::decode(syntax, &stub).unwrap();
            let Request::LineMakeCall(call) = v.tapi32_msg().unwrap() else {
                panic!()
            };
            let e = call.lpsz_dest_address().resolve().unwrap_err();
            assert_eq!((e.packet, e.field), ("LineMakeCall", "lpszDestAddress"));
            assert_eq!(e.kind, kind);
        }
    }
}

// -------------------------------------------------------------------------------------------
// One negative test per NdrErrorKind: kind, method, param, offset and fault status.

fn check(
    r: Result<impl core::fmt::Debug, NdrError>,
    method: &str,
    param: &str,
    offset: usize,
    kind: NdrErrorKind,
) {
    let e = r.expect_err("must fail");
    assert_eq!(
        (e.method, e.param, e.offset, e.kind),
        (method, param, offset, kind),
        "{e}"
    );
    let status = if kind == NdrErrorKind::NilContextHandle {
        0x1C00_001A
    } else {
        0x6F7
    };
    assert_eq!(e.fault_status(), status);
    let text = e.to_string();
    assert!(text.contains(method) && text.contains(param) && text.contains(&offset.to_string()));
}

fn close_builder() -> ClientRequestRequestBuilder {
    ClientRequestRequestBuilder::new(worked_ctx(), &hex(CLOSE_HEX))
}

#[test]
fn error_truncated() {
    let stub = worked_request_pdu()[0x18..0x18 + 50].to_vec();
    check(
        ClientRequestRequest::decode(Syntax::Ndr20, &stub),
        "ClientRequest",
        "pBuffer",
        32,
        NdrErrorKind::Truncated {
            needed: 60,
            available: 18,
        },
    );
    check(
        ClientDetachRequest::decode(Syntax::Ndr20, &[0; 19]),
        "ClientDetach",
        "pphContext",
        0,
        NdrErrorKind::Truncated {
            needed: 20,
            available: 19,
        },
    );
}

#[test]
fn error_missing_padding() {
    // NDR64: the handle, then only 2 of the 4 padding bytes before the 8-aligned counts.
    let stub = close_request_ndr64()[..22].to_vec();
    check(
        ClientRequestRequest::decode(Syntax::Ndr64, &stub),
        "ClientRequest",
        "pBuffer",
        20,
        NdrErrorKind::MissingPadding {
            align: 8,
            available: 2,
        },
    );
    // NDR20: a 2-byte message, then one of the two padding bytes before lNeededSize.
    let b = ClientRequestRequestBuilder::new(worked_ctx(), &[1, 2]);
    let stub = b.encode(Syntax::Ndr20);
    assert_eq!(stub.len(), 44);
    check(
        ClientRequestRequest::decode(Syntax::Ndr20, &stub[..35]),
        "ClientRequest",
        "lNeededSize",
        34,
        NdrErrorKind::MissingPadding {
            align: 4,
            available: 1,
        },
    );
}

#[test]
fn error_non_zero_offset() {
    let mut b = close_builder();
    b.p_buffer_counts.offset = Some(4);
    check(
        ClientRequestRequest::decode(Syntax::Ndr20, &b.encode(Syntax::Ndr20)),
        "ClientRequest",
        "pBuffer",
        24,
        NdrErrorKind::NonZeroOffset { value: 4 },
    );
    check(
        ClientRequestRequest::decode(Syntax::Ndr64, &b.encode(Syntax::Ndr64)),
        "ClientRequest",
        "pBuffer",
        32,
        NdrErrorKind::NonZeroOffset { value: 4 },
    );
}

#[test]
fn error_actual_exceeds_max() {
    let mut b = close_builder();
    b.p_buffer_counts.max = Some(59);
    check(
        ClientRequestRequest::decode(Syntax::Ndr20, &b.encode(Syntax::Ndr20)),
        "ClientRequest",
        "pBuffer",
        28,
        NdrErrorKind::ActualExceedsMax {
            max: 59,
            actual: 60,
        },
    );
    let mut b = ClientAttachRequestBuilder::new(-1, "", "PC");
    b.psz_machine.counts.max = Some(2);
    check(
        ClientAttachRequest::decode(Syntax::Ndr64, &b.encode(Syntax::Ndr64)),
        "ClientAttach",
        "pszMachine",
        56,
        NdrErrorKind::ActualExceedsMax { max: 2, actual: 3 },
    );
}

#[test]
fn error_max_mismatch() {
    // max_count 1024 but lNeededSize 60: found after reading lNeededSize, reported at max.
    let mut b = close_builder();
    b.p_buffer_counts.max = Some(1024);
    check(
        ClientRequestRequest::decode(Syntax::Ndr20, &b.encode(Syntax::Ndr20)),
        "ClientRequest",
        "pBuffer",
        20,
        NdrErrorKind::MaxMismatch {
            max: 1024,
            against: "lNeededSize",
            expected: 60,
        },
    );
    let mut b = RemoteSPEventProcRequestBuilder::new(worked_ctx(), &[0; 40]);
    b.p_buffer_counts.max = Some(44);
    check(
        RemoteSPEventProcRequest::decode(Syntax::Ndr64, &b.encode(Syntax::Ndr64)),
        "RemoteSPEventProc",
        "pBuffer",
        24,
        NdrErrorKind::MaxMismatch {
            max: 44,
            against: "lSize",
            expected: 40,
        },
    );
}

#[test]
fn error_actual_mismatch() {
    let mut b = close_builder();
    b.pl_used_size = Some(56);
    check(
        ClientRequestRequest::decode(Syntax::Ndr20, &b.encode(Syntax::Ndr20)),
        "ClientRequest",
        "pBuffer",
        28,
        NdrErrorKind::ActualMismatch {
            actual: 60,
            against: "plUsedSize",
            expected: 56,
        },
    );
    let mut b = ClientRequestResponseBuilder::new(&hex(CLOSE_REPLY_HEX), 60);
    b.pl_used_size = Some(64);
    check(
        ClientRequestResponse::decode(Syntax::Ndr64, &b.encode(Syntax::Ndr64)),
        "ClientRequest",
        "pBuffer",
        16,
        NdrErrorKind::ActualMismatch {
            actual: 60,
            against: "plUsedSize",
            expected: 64,
        },
    );
    let mut b = RemoteSPEventProcRequestBuilder::new(worked_ctx(), &[0; 40]);
    b.l_size = Some(44);
    b.p_buffer_counts.max = Some(44);
    check(
        RemoteSPEventProcRequest::decode(Syntax::Ndr20, &b.encode(Syntax::Ndr20)),
        "RemoteSPEventProc",
        "pBuffer",
        28,
        NdrErrorKind::ActualMismatch {
            actual: 40,
            against: "lSize",
            expected: 44,
        },
    );
}

#[test]
fn error_negative_size() {
    let mut b = close_builder();
    b.l_needed_size = Some(-60);
    check(
        ClientRequestRequest::decode(Syntax::Ndr20, &b.encode(Syntax::Ndr20)),
        "ClientRequest",
        "lNeededSize",
        92,
        NdrErrorKind::NegativeSize { value: -60 },
    );
    let mut b = close_builder();
    b.pl_used_size = Some(-1);
    check(
        ClientRequestRequest::decode(Syntax::Ndr64, &b.encode(Syntax::Ndr64)),
        "ClientRequest",
        "plUsedSize",
        112,
        NdrErrorKind::NegativeSize { value: -1 },
    );
    let mut b = RemoteSPEventProcRequestBuilder::new(worked_ctx(), &[]);
    b.l_size = Some(i32::MIN);
    check(
        RemoteSPEventProcRequest::decode(Syntax::Ndr20, &b.encode(Syntax::Ndr20)),
        "RemoteSPEventProc",
        "lSize",
        32,
        NdrErrorKind::NegativeSize { value: i32::MIN },
    );
}

#[test]
fn error_string_max_mismatch() {
    let mut b = ClientAttachRequestBuilder::new(-1, "", "PC");
    b.psz_domain_user.counts.max = Some(8);
    check(
        ClientAttachRequest::decode(Syntax::Ndr20, &b.encode(Syntax::Ndr20)),
        "ClientAttach",
        "pszDomainUser",
        4,
        NdrErrorKind::StringMaxMismatch { max: 8, actual: 1 },
    );
}

#[test]
fn error_unterminated() {
    let mut b = ClientAttachRequestBuilder::new(-1, "", "PC");
    b.psz_machine.units = Some(vec![0x50, 0x43]);
    check(
        ClientAttachRequest::decode(Syntax::Ndr20, &b.encode(Syntax::Ndr20)),
        "ClientAttach",
        "pszMachine",
        32,
        NdrErrorKind::Unterminated { units: 2 },
    );
    // An empty string without even the NUL.
    let mut b = ClientAttachRequestBuilder::new(-1, "", "PC");
    b.psz_domain_user.units = Some(vec![]);
    check(
        ClientAttachRequest::decode(Syntax::Ndr64, &b.encode(Syntax::Ndr64)),
        "ClientAttach",
        "pszDomainUser",
        32,
        NdrErrorKind::Unterminated { units: 0 },
    );
}

#[test]
fn error_count_overflow() {
    // NDR64 counts of 2^63 units: 2^64 bytes cannot be addressed.
    let mut b = ClientAttachRequestBuilder::new(-1, "", "PC");
    b.psz_domain_user.counts = Counts {
        max: Some(1 << 63),
        offset: None,
        actual: Some(1 << 63),
    };
    check(
        ClientAttachRequest::decode(Syntax::Ndr64, &b.encode(Syntax::Ndr64)),
        "ClientAttach",
        "pszDomainUser",
        24,
        NdrErrorKind::CountOverflow { count: 1 << 63 },
    );
}

#[test]
fn error_trailing_bytes() {
    let mut stub = worked_request_pdu()[0x18..].to_vec();
    stub.extend_from_slice(&[0, 0, 0, 0]);
    check(
        ClientRequestRequest::decode(Syntax::Ndr20, &stub),
        "ClientRequest",
        "stub",
        100,
        NdrErrorKind::TrailingBytes { len: 4 },
    );
    check(
        RemoteSPAttachRequest::decode(Syntax::Ndr64, &[0]),
        "RemoteSPAttach",
        "stub",
        0,
        NdrErrorKind::TrailingBytes { len: 1 },
    );
    check(
        RemoteSPEventProcResponse::decode(Syntax::Ndr20, &[0; 4]),
        "RemoteSPEventProc",
        "stub",
        0,
        NdrErrorKind::TrailingBytes { len: 4 },
    );
}

#[test]
fn error_nil_context_handle() {
    let b = ClientRequestRequestBuilder::new(ContextHandle::NIL, &hex(CLOSE_HEX));
    check(
        ClientRequestRequest::decode(Syntax::Ndr20, &b.encode(Syntax::Ndr20)),
        "ClientRequest",
        "phContext",
        0,
        NdrErrorKind::NilContextHandle,
    );
    let b = RemoteSPEventProcRequestBuilder::new(ContextHandle::NIL, &[0; 40]);
    check(
        RemoteSPEventProcRequest::decode(Syntax::Ndr64, &b.encode(Syntax::Ndr64)),
        "RemoteSPEventProc",
        "phContext",
        0,
        NdrErrorKind::NilContextHandle,
    );
    // [in, out] handles may be nil.
    assert!(ClientDetachRequest::decode(Syntax::Ndr20, &[0; 20]).is_ok());
}

#[test]
fn padding_is_not_checked_but_kept() {
    // Non-zero padding (Windows does not look at it) decodes and is rebuilt exactly.
    let mut stub = close_request_ndr64();
    stub[20..24].copy_from_slice(&[0xDE, 0xAD, 0xBE, 0xEF]);
    let v = ClientRequestRequest::decode(Syntax::Ndr64, &stub).unwrap();
    let b = v.to_builder();
    assert_eq!(b.padding, [0xDE, 0xAD, 0xBE, 0xEF]);
    assert_eq!(b.encode(Syntax::Ndr64), stub);
}

#[test]
fn strings_that_are_not_text_round_trip() {
    // A lone surrogate and an embedded NUL are kept as units.
    let mut b = ClientAttachRequestBuilder::new(-3, "user", "HOST");
    b.psz_domain_user.units = Some(vec![0xD800, 0x41, 0]);
    b.psz_machine.units = Some(vec![0x41, 0, 0x42, 0]);
    for syntax in Syntax::ALL {
        let stub = b.encode(syntax);
        let v = ClientAttachRequest::decode(syntax, &stub).unwrap();
        assert_eq!(v.psz_domain_user().to_string_lossy(), "\u{FFFD}A");
        assert_eq!(v.to_builder().encode(syntax), stub);
    }
}

#[test]
fn method_table_matches_the_idl() {
    let d = Method::ClientRequest.desc();
    assert_eq!(
        (d.interface, d.opnum, d.section),
        (Interface::Tapsrv, 1, "3.1.4.2")
    );
    assert_eq!(
        d.request_params,
        ["phContext", "pBuffer", "lNeededSize", "plUsedSize"]
    );
    assert_eq!(d.response_params, ["pBuffer", "plUsedSize"]);
    assert_eq!(
        Method::ClientAttach.params(Direction::Response),
        ["pphContext", "phAsyncEventsEvent", "return_value"]
    );
    assert_eq!(
        Method::lookup(Interface::Remotesp, 1),
        Some(Method::RemoteSPEventProc)
    );
    assert_eq!(Method::lookup(Interface::Remotesp, 3), None);
    assert_eq!(Interface::Remotesp.syntax_id(), mstrp::rpc::uuid::REMOTESP);
    assert_eq!("Response".parse(), Ok(Direction::Response));
    assert_eq!("ndr64".parse(), Ok(Syntax::Ndr64));
    assert_eq!(
        Syntax::from_syntax_id(&mstrp::rpc::uuid::NDR64),
        Some(Syntax::Ndr64)
    );

    // Each IDL line is in [MS-TRP] section 6, whitespace aside (checked when the spec is here).
    let spec =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/spec/MS-TRP/MS-TRP.md");
    let spec = std::fs::read_to_string(&spec)
        .or_else(|_| std::fs::read_to_string("/work/shared/spec/MS-TRP/MS-TRP.md"));
    if let Ok(spec) = spec {
        let six = &spec[spec.find("# 6 Appendix A").unwrap()..];
        let squash = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
        let six = squash(six);
        for m in Method::ALL {
            let idl = squash(m.desc().idl);
            let idl = idl.strip_suffix(';').unwrap();
            assert!(six.contains(idl), "{m}: {idl}");
        }
    }
}
