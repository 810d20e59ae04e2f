//! Connection-oriented PDUs (`mstrp::rpc::pdu`): known answers typed in as hex from the design
//! note's worked example and from the C706 12.6 layouts, tshark as an independent decoder,
//! property-based round trips of every PDU type, and one negative test per error kind.

#[path = "common/tshark.rs"]
mod tshark;

use mstrp::rpc::faults::{DefResult, FaultStatus, ProviderReason, RejectReason};
use mstrp::rpc::fragments::Reassembler;
use mstrp::rpc::pdu::{
    self, AuthBuilder, BindAckBuilder, BodyBuilder, BuildError, ContextElemBuilder, ContextResult,
    PFC_DID_NOT_EXECUTE, PFC_FIRST_FRAG, PFC_LAST_FRAG, PFC_OBJECT_UUID, PacketType, Pdu, PduBody,
    PduBuilder, PduError, PduErrorKind, VersionT,
};
use mstrp::rpc::uuid::{NDR20, NDR64, SyntaxId, TAPSRV, Uuid};
use proptest::prelude::*;

use tshark::Dir;

/// Bytes from whitespace-separated hex (`"05 00 0b03"`); `x48` repeats zeros: `"00x48"`.
fn hex(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for tok in s.split_whitespace() {
        if let Some((b, n)) = tok.split_once('x') {
            let b = u8::from_str_radix(b, 16).unwrap();
            out.extend(std::iter::repeat_n(b, n.parse().unwrap()));
            continue;
        }
        assert!(tok.len() % 2 == 0, "odd hex token {tok}");
        for i in (0..tok.len()).step_by(2) {
            out.push(u8::from_str_radix(&tok[i..i + 2], 16).unwrap());
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Known answers
// ---------------------------------------------------------------------------------------------

/// The design note's worked example (rpc-and-session.md section 1): Close (Req_Func 9,
/// hLine 0x00010203) sent through ClientRequest (tapsrv opnum 1), 124 bytes.
const CLOSE_REQUEST: &str = "
    05 00 00 03 10000000 7c00 0000 03000000
    64000000 0000 0100
    00000000 0102030405060708090a0b0c0d0e0f10
    3c000000 00000000 3c000000
    09000000 00000000 03020100 00x48
    3c000000 3c000000";

/// Its response, 100 bytes: the header, alloc_hint 76, the conformant-varying buffer
/// (Ack_ReturnValue 0; the rest of the buffer, which the note leaves open, echoes the
/// request's), and *plUsedSize.
const CLOSE_RESPONSE: &str = "
    05 00 02 03 10000000 6400 0000 03000000
    4c000000 0000 00 00
    3c000000 00000000 3c000000
    00000000 00000000 03020100 00x48
    3c000000";

#[test]
fn worked_example_request_parses_field_by_field_and_rebuilds() {
    let bytes = hex(CLOSE_REQUEST);
    assert_eq!(bytes.len(), 124);
    let pdu = Pdu::parse(&bytes).unwrap();
    let h = pdu.header();
    assert_eq!((h.rpc_vers, h.rpc_vers_minor, h.ptype), (5, 0, 0));
    assert_eq!(h.packed_drep, [0x10, 0, 0, 0]);
    assert_eq!(pdu.packet_type(), PacketType::Request);
    assert_eq!(pdu.flags(), PFC_FIRST_FRAG | PFC_LAST_FRAG);
    assert!(pdu.is_first() && pdu.is_last());
    assert_eq!(
        (pdu.frag_length(), pdu.auth_length(), pdu.call_id()),
        (124, 0, 3)
    );
    assert!(pdu.sec_trailer().is_none());
    assert_eq!(pdu.bytes(), &bytes[..]);
    let PduBody::Request(req) = pdu.body() else {
        panic!("not a request")
    };
    assert_eq!(
        (req.alloc_hint(), req.p_cont_id(), req.opnum()),
        (100, 0, 1)
    );
    assert_eq!(req.object(), None);
    let stub = req.stub();
    assert_eq!(stub.len(), 100);
    assert_eq!(stub, &bytes[24..]);
    assert_eq!(&stub[..4], &[0, 0, 0, 0], "context handle attributes");
    assert_eq!(&stub[20..32], &hex("3c000000 00000000 3c000000")[..]);
    assert_eq!(&stub[32..36], &9u32.to_le_bytes(), "Req_Func Close");
    assert_eq!(&stub[40..44], &0x0001_0203u32.to_le_bytes(), "hLine");
    assert_eq!(&stub[92..], &hex("3c000000 3c000000")[..]);

    // From the view, and from an independent builder call.
    assert_eq!(pdu.to_builder().to_bytes().unwrap(), bytes);
    assert_eq!(
        PduBuilder::request(3, 0, 1, stub.to_vec())
            .to_bytes()
            .unwrap(),
        bytes
    );
}

#[test]
fn worked_example_response_parses_field_by_field_and_rebuilds() {
    let bytes = hex(CLOSE_RESPONSE);
    assert_eq!(bytes.len(), 100);
    let pdu = Pdu::parse(&bytes).unwrap();
    assert_eq!(pdu.packet_type(), PacketType::Response);
    assert_eq!(
        (pdu.frag_length(), pdu.auth_length(), pdu.call_id()),
        (100, 0, 3)
    );
    let PduBody::Response(resp) = pdu.body() else {
        panic!("not a response")
    };
    assert_eq!(
        (resp.alloc_hint(), resp.p_cont_id(), resp.cancel_count()),
        (76, 0, 0)
    );
    assert_eq!(resp.stub().len(), 76);
    assert_eq!(&resp.stub()[12..16], &[0, 0, 0, 0], "Ack_ReturnValue");
    assert_eq!(&resp.stub()[72..], &60u32.to_le_bytes(), "*plUsedSize");
    assert_eq!(pdu.to_builder().to_bytes().unwrap(), bytes);
    assert_eq!(
        PduBuilder::response(3, 0, resp.stub().to_vec())
            .to_bytes()
            .unwrap(),
        bytes
    );
}

/// A bind for tapsrv offering NDR20 (context 0) and NDR64 (context 1), laid out by hand from
/// C706 12.6.4.3 (`rpcconn_bind_hdr_t`: max_xmit_frag, max_recv_frag, assoc_group_id,
/// `p_cont_list_t` = n_context_elem, reserved, reserved2, then `p_cont_elem_t`s of p_cont_id,
/// n_transfer_syn, reserved, abstract_syntax, transfer_syntaxes; `p_syntax_id_t` = UUID in
/// NDR little-endian + u16 major + u16 minor, 12.6.3.1).
const TAPSRV_BIND: &str = "
    05 00 0b 03 10000000 7400 0000 02000000
    b810 b810 00000000
    02 00 0000
    0000 01 00
    20655f2f 46ca 6710 b319 00dd010662da 0100 0000
    045d888a eb1c c911 9fe8 08002b104860 0200 0000
    0100 01 00
    20655f2f 46ca 6710 b319 00dd010662da 0100 0000
    33057171 babe 3749 8319 b5dbef9ccc36 0100 0000";

/// The bind_ack (C706 12.6.4.4): the same first fields, `port_any_t` sec_addr (length 13 with
/// the NUL, "\PIPE\tapsrv"), one pad byte to 4-align from the PDU start, `p_result_list_t`:
/// NDR20 accepted, NDR64 rejected (provider_rejection, proposed_transfer_syntaxes_not_supported,
/// nil syntax).
const TAPSRV_BIND_ACK: &str = "
    05 00 0c 03 10000000 5c00 0000 02000000
    b810 b810 f0530000
    0d00 5c504950455c746170737276 00
    00
    02 00 0000
    0000 0000 045d888a eb1c c911 9fe8 08002b104860 0200 0000
    0200 0200 00x20";

#[test]
fn tapsrv_bind_known_answer() {
    let bytes = hex(TAPSRV_BIND);
    assert_eq!(bytes.len(), 116);
    let pdu = Pdu::parse(&bytes).unwrap();
    assert_eq!((pdu.packet_type(), pdu.call_id()), (PacketType::Bind, 2));
    let PduBody::Bind(bind) = pdu.body() else {
        panic!("not a bind")
    };
    assert_eq!(
        (
            bind.max_xmit_frag(),
            bind.max_recv_frag(),
            bind.assoc_group_id()
        ),
        (4280, 4280, 0)
    );
    assert_eq!(bind.n_context_elem(), 2);
    let ctx: Vec<_> = bind.contexts().collect();
    assert_eq!(ctx.len(), 2);
    assert_eq!((ctx[0].p_cont_id(), ctx[0].n_transfer_syn()), (0, 1));
    assert_eq!(ctx[0].abstract_syntax(), TAPSRV);
    assert_eq!(ctx[0].transfer_syntaxes(), &[NDR20]);
    assert_eq!((ctx[1].p_cont_id(), ctx[1].n_transfer_syn()), (1, 1));
    assert_eq!(ctx[1].abstract_syntax(), TAPSRV);
    assert_eq!(ctx[1].transfer_syntaxes(), &[NDR64]);
    assert!(bind.rest().is_empty());
    assert_eq!(pdu.to_builder().to_bytes().unwrap(), bytes);
    let built = PduBuilder::bind(
        2,
        4280,
        4280,
        0,
        vec![
            ContextElemBuilder::new(0, TAPSRV, &[NDR20]),
            ContextElemBuilder::new(1, TAPSRV, &[NDR64]),
        ],
    );
    assert_eq!(built.to_bytes().unwrap(), bytes);
}

#[test]
fn tapsrv_bind_ack_known_answer() {
    let bytes = hex(TAPSRV_BIND_ACK);
    assert_eq!(bytes.len(), 92);
    let pdu = Pdu::parse(&bytes).unwrap();
    assert_eq!((pdu.packet_type(), pdu.call_id()), (PacketType::BindAck, 2));
    let PduBody::BindAck(ack) = pdu.body() else {
        panic!("not a bind_ack")
    };
    assert_eq!(
        (
            ack.max_xmit_frag(),
            ack.max_recv_frag(),
            ack.assoc_group_id()
        ),
        (4280, 4280, 0x53f0)
    );
    assert_eq!(ack.sec_addr(), b"\\PIPE\\tapsrv\0");
    assert_eq!(ack.sec_addr_str(), Some("\\PIPE\\tapsrv"));
    assert_eq!(ack.pad(), &[0]);
    assert_eq!(ack.n_results(), 2);
    let r = ack.results();
    assert_eq!(
        (r[0].result(), r[0].reason(), r[0].transfer_syntax),
        (DefResult::ACCEPTANCE, ProviderReason(0), NDR20)
    );
    assert_eq!(r[1].result(), DefResult::PROVIDER_REJECTION);
    assert_eq!(
        r[1].reason(),
        ProviderReason::PROPOSED_TRANSFER_SYNTAXES_NOT_SUPPORTED
    );
    assert_eq!(r[1].transfer_syntax, SyntaxId::new(Uuid::NIL, 0, 0));
    assert_eq!(pdu.to_builder().to_bytes().unwrap(), bytes);
    let built = PduBuilder::bind_ack(
        2,
        BindAckBuilder::new(
            4280,
            4280,
            0x53f0,
            "\\PIPE\\tapsrv",
            &[
                ContextResult::new(DefResult::ACCEPTANCE, ProviderReason(0), NDR20),
                ContextResult::new(
                    DefResult::PROVIDER_REJECTION,
                    ProviderReason::PROPOSED_TRANSFER_SYNTAXES_NOT_SUPPORTED,
                    SyntaxId::new(Uuid::NIL, 0, 0),
                ),
            ],
        ),
    );
    assert_eq!(built.to_bytes().unwrap(), bytes);
}

/// A fault for an out-of-range opnum (C706 12.6.4.7: alloc_hint, p_cont_id, cancel_count,
/// reserved, status, reserved2), PFC_DID_NOT_EXECUTE set.
const OP_RNG_FAULT: &str = "
    05 00 03 23 10000000 2000 0000 05000000
    00000000 0000 00 00
    0200011c 00000000";

#[test]
fn fault_known_answer() {
    let bytes = hex(OP_RNG_FAULT);
    let pdu = Pdu::parse(&bytes).unwrap();
    assert_eq!((pdu.packet_type(), pdu.call_id()), (PacketType::Fault, 5));
    assert_eq!(pdu.flags() & PFC_DID_NOT_EXECUTE, PFC_DID_NOT_EXECUTE);
    let PduBody::Fault(f) = pdu.body() else {
        panic!("not a fault")
    };
    assert_eq!(f.status(), FaultStatus(0x1C01_0002));
    assert_eq!(f.status(), FaultStatus::NCA_S_OP_RNG_ERROR);
    assert_eq!(f.status().name(), Some("nca_s_op_rng_error"));
    assert_eq!((f.alloc_hint(), f.p_cont_id(), f.cancel_count()), (0, 0, 0));
    assert!(!f.has_extended_error());
    assert!(f.stub().is_empty());
    assert_eq!(pdu.to_builder().to_bytes().unwrap(), bytes);
    let built = PduBuilder::fault(5, 0, FaultStatus::NCA_S_OP_RNG_ERROR)
        .with_flags(PFC_FIRST_FRAG | PFC_LAST_FRAG | PFC_DID_NOT_EXECUTE);
    assert_eq!(built.to_bytes().unwrap(), bytes);
}

/// A request with an NTLM-style trailer laid out by hand ([MS-RPCE] 2.2.2.11): 5 stub bytes,
/// 11 padding octets to 16, sec_trailer (WINNT, PKT_INTEGRITY, pad 11, reserved 0, context 0),
/// a 16-byte token; the trailer is at frag_length - auth_length - 8 = 40.
const SIGNED_REQUEST: &str = "
    05 00 00 03 10000000 4000 1000 07000000
    05000000 0000 0100
    aabbccddee
    00x11
    0a 05 0b 00 00000000
    01000000 11111111 22222222 33333333";

#[test]
fn sec_trailer_known_answer() {
    let bytes = hex(SIGNED_REQUEST);
    assert_eq!(bytes.len(), 64);
    let pdu = Pdu::parse(&bytes).unwrap();
    let t = pdu.sec_trailer().unwrap();
    assert_eq!(t.offset(), 40);
    assert_eq!((t.auth_type(), t.auth_level()), (pdu::RPC_C_AUTHN_WINNT, 5));
    assert_eq!(
        (t.auth_pad_length(), t.auth_reserved(), t.auth_context_id()),
        (11, 0, 0)
    );
    assert_eq!(t.pad(), &[0; 11]);
    assert_eq!(t.auth_value(), &bytes[48..]);
    assert_eq!(pdu.stub(), Some(&hex("aabbccddee")[..]));
    assert_eq!(pdu.to_builder().to_bytes().unwrap(), bytes);
    let built = PduBuilder::request(7, 0, 1, hex("aabbccddee")).with_auth(AuthBuilder::new(
        pdu::RPC_C_AUTHN_WINNT,
        pdu::RPC_C_AUTHN_LEVEL_PKT_INTEGRITY,
        0,
        &bytes[48..],
    ));
    assert_eq!(built.to_bytes().unwrap(), bytes);
}

#[test]
fn object_uuid_request() {
    let obj: Uuid = "01234567-89ab-cdef-0123-456789abcdef".parse().unwrap();
    let bytes = PduBuilder::request(9, 2, 4, vec![1, 2, 3])
        .with_object(obj)
        .to_bytes()
        .unwrap();
    assert_eq!(bytes.len(), 16 + 8 + 16 + 3);
    assert_eq!(bytes[3], PFC_FIRST_FRAG | PFC_LAST_FRAG | PFC_OBJECT_UUID);
    assert_eq!(&bytes[24..40], &obj.0);
    let pdu = Pdu::parse(&bytes).unwrap();
    let PduBody::Request(r) = pdu.body() else {
        panic!()
    };
    assert_eq!(
        (r.object(), r.stub(), r.p_cont_id()),
        (Some(obj), &[1, 2, 3][..], 2)
    );
}

#[test]
fn bind_nak_with_extended_error_signature() {
    // [MS-RPCE] 2.2.2.9: reason, versions, then the Signature and the EEINFO blob.
    let mut rest = pdu::EEINFO_SIGNATURE.0.to_vec();
    rest.extend_from_slice(&[0xEE; 8]);
    let mut b = PduBuilder::bind_nak(
        1,
        RejectReason::PROTOCOL_VERSION_NOT_SUPPORTED,
        Some(vec![VersionT { major: 5, minor: 0 }]),
    );
    if let BodyBuilder::BindNak(n) = &mut b.body {
        n.rest = rest.clone();
    }
    let bytes = b.to_bytes().unwrap();
    assert_eq!(&bytes[16..21], &hex("0400 01 05 00")[..]);
    let pdu = Pdu::parse(&bytes).unwrap();
    let PduBody::BindNak(nak) = pdu.body() else {
        panic!()
    };
    assert_eq!(
        nak.provider_reject_reason(),
        RejectReason::PROTOCOL_VERSION_NOT_SUPPORTED
    );
    assert_eq!(nak.versions(), Some(&[VersionT { major: 5, minor: 0 }][..]));
    assert_eq!(nak.signature(), Some(pdu::EEINFO_SIGNATURE));
    assert_eq!(nak.extended_error(), Some(&[0xEE; 8][..]));
    assert_eq!(pdu.to_builder().to_bytes().unwrap(), bytes);

    // A bind_nak that ends after the reason has no versions.
    let short = hex("05 00 0d 03 10000000 1200 0000 01000000 0200");
    let pdu = Pdu::parse(&short).unwrap();
    let PduBody::BindNak(nak) = pdu.body() else {
        panic!()
    };
    assert_eq!(nak.versions(), None);
    assert_eq!(
        nak.provider_reject_reason(),
        RejectReason::LOCAL_LIMIT_EXCEEDED
    );
    assert_eq!(pdu.to_builder().to_bytes().unwrap(), short);
}

#[test]
fn auth3_shutdown_cancel_orphaned() {
    let a3 = PduBuilder::auth3(
        1,
        AuthBuilder::new(pdu::RPC_C_AUTHN_WINNT, 6, 0, &[0x4e; 20]),
    )
    .to_bytes()
    .unwrap();
    // 16 header + 4 pad + 8 trailer + 20 token; already 4-aligned, so no auth padding.
    assert_eq!(a3.len(), 48);
    let p = Pdu::parse(&a3).unwrap();
    assert!(matches!(p.body(), PduBody::Auth3(_)));
    assert_eq!(p.sec_trailer().unwrap().offset(), 20);
    for (b, t) in [
        (PduBuilder::shutdown(0), PacketType::Shutdown),
        (PduBuilder::co_cancel(4), PacketType::CoCancel),
        (PduBuilder::orphaned(4), PacketType::Orphaned),
    ] {
        let bytes = b.to_bytes().unwrap();
        assert_eq!(bytes.len(), 16);
        let p = Pdu::parse(&bytes).unwrap();
        assert_eq!(p.packet_type(), t);
        assert_eq!(p.to_builder().to_bytes().unwrap(), bytes);
    }
}

#[test]
fn stream_of_back_to_back_pdus() {
    let mut stream = hex(TAPSRV_BIND);
    stream.extend(hex(TAPSRV_BIND_ACK));
    stream.extend(hex(CLOSE_REQUEST));
    stream.extend(hex(CLOSE_RESPONSE));
    let got: Vec<_> = pdu::pdus(&stream)
        .map(|r| r.map(|(at, p)| (at, p.packet_type())))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        got,
        [
            (0, PacketType::Bind),
            (116, PacketType::BindAck),
            (208, PacketType::Request),
            (332, PacketType::Response)
        ]
    );
    assert_eq!(pdu::frag_length(&stream[116..]), Some(92));
    assert_eq!(pdu::frag_length(&stream[..15]), None);
    let (first, rest) = Pdu::parse_prefix(&stream).unwrap();
    assert_eq!(first.bytes().len(), 116);
    assert_eq!(rest.len(), stream.len() - 116);

    // A truncated last PDU: three PDUs, then one error at the fourth's offset, then nothing.
    let cut = &stream[..stream.len() - 1];
    let mut it = pdu::pdus(cut);
    assert_eq!(it.by_ref().take(3).filter(Result::is_ok).count(), 3);
    let e = it.next().unwrap().unwrap_err();
    assert_eq!((e.pdu, e.field, e.offset), ("response", "frag_length", 8));
    assert_eq!(it.position(), 332);
    assert!(it.next().is_none());
}

#[test]
fn error_display_names_pdu_field_and_byte() {
    let mut b = hex(CLOSE_REQUEST);
    b[8] = 200;
    let e = Pdu::parse(&b).unwrap_err();
    assert_eq!(
        e.to_string(),
        "request PDU: field frag_length at byte 8: frag_length 200 exceeds the 124 bytes available"
    );
    let e = Pdu::parse(&[5, 0, 1, 3]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "PDU: field header at byte 0: 4 bytes, but the common header needs 16"
    );
}

// ---------------------------------------------------------------------------------------------
// Negative tests: one per check, with kind, field and offset
// ---------------------------------------------------------------------------------------------

fn parse_err(bytes: &[u8]) -> PduError {
    Pdu::parse(bytes).expect_err("must not parse")
}

fn with(bytes: &str, at: usize, patch: &[u8]) -> Vec<u8> {
    let mut b = hex(bytes);
    b[at..at + patch.len()].copy_from_slice(patch);
    b
}

#[test]
fn error_too_short() {
    let e = parse_err(&hex("05 00 00 03 10000000 7c00 0000 030000"));
    assert_eq!((e.pdu, e.field, e.offset), ("PDU", "header", 0));
    assert_eq!(
        e.kind,
        PduErrorKind::TooShort {
            needed: 16,
            available: 15
        }
    );
}

#[test]
fn error_unsupported_version() {
    let e = parse_err(&with(CLOSE_REQUEST, 0, &[4]));
    assert_eq!((e.pdu, e.field, e.offset), ("request", "rpc_vers", 0));
    assert_eq!(
        e.kind,
        PduErrorKind::UnsupportedVersion { major: 4, minor: 0 }
    );
    let e = parse_err(&with(CLOSE_REQUEST, 1, &[2]));
    assert_eq!((e.field, e.offset), ("rpc_vers_minor", 1));
    assert_eq!(
        e.kind,
        PduErrorKind::UnsupportedVersion { major: 5, minor: 2 }
    );
    // 5.1 is accepted (spec-notes/rpc-pdu.md).
    let minor1 = with(CLOSE_REQUEST, 1, &[1]);
    let p = Pdu::parse(&minor1).unwrap();
    assert_eq!(p.rpc_vers_minor(), 1);
}

#[test]
fn error_unknown_packet_type() {
    for ptype in [1u8, 4, 10, 20, 255] {
        let e = parse_err(&with(CLOSE_REQUEST, 2, &[ptype]));
        assert_eq!((e.pdu, e.field, e.offset), ("PDU", "PTYPE", 2));
        assert_eq!(e.kind, PduErrorKind::UnknownPacketType(ptype));
    }
}

#[test]
fn error_big_endian() {
    let e = parse_err(&with(CLOSE_REQUEST, 4, &[0x00]));
    assert_eq!((e.pdu, e.field, e.offset), ("request", "packed_drep", 4));
    assert_eq!(e.kind, PduErrorKind::BigEndian);
    assert_eq!(
        e.kind.to_string(),
        "big-endian data representation is not supported"
    );
}

#[test]
fn error_unknown_integer_representation() {
    let e = parse_err(&with(CLOSE_REQUEST, 4, &[0x20]));
    assert_eq!((e.field, e.offset), ("packed_drep", 4));
    assert_eq!(e.kind, PduErrorKind::UnknownIntegerRepresentation(2));
}

#[test]
fn error_ebcdic() {
    let e = parse_err(&with(CLOSE_REQUEST, 4, &[0x11]));
    assert_eq!((e.field, e.offset), ("packed_drep", 4));
    assert_eq!(e.kind, PduErrorKind::Ebcdic);
}

#[test]
fn error_unknown_character_representation() {
    let e = parse_err(&with(CLOSE_REQUEST, 4, &[0x12]));
    assert_eq!((e.field, e.offset), ("packed_drep", 4));
    assert_eq!(e.kind, PduErrorKind::UnknownCharacterRepresentation(2));
}

#[test]
fn error_non_ieee_float() {
    let e = parse_err(&with(CLOSE_REQUEST, 5, &[1]));
    assert_eq!((e.pdu, e.field, e.offset), ("request", "packed_drep", 5));
    assert_eq!(e.kind, PduErrorKind::NonIeeeFloat(1));
}

#[test]
fn error_frag_length_too_small() {
    let e = parse_err(&with(CLOSE_REQUEST, 8, &[23, 0]));
    assert_eq!((e.pdu, e.field, e.offset), ("request", "frag_length", 8));
    assert_eq!(
        e.kind,
        PduErrorKind::FragLengthTooSmall {
            frag_length: 23,
            minimum: 24
        }
    );
    // With PFC_OBJECT_UUID the object is part of the fixed fields.
    let e = parse_err(&with(CLOSE_REQUEST, 3, &[0x83, 0x10, 0, 0, 0, 0x27, 0]));
    assert_eq!(
        e.kind,
        PduErrorKind::FragLengthTooSmall {
            frag_length: 39,
            minimum: 40
        }
    );
    let e = parse_err(&with(OP_RNG_FAULT, 8, &[31, 0]));
    assert_eq!((e.pdu, e.field), ("fault", "frag_length"));
}

#[test]
fn error_incomplete() {
    let b = hex(CLOSE_REQUEST);
    let e = parse_err(&b[..123]);
    assert_eq!((e.pdu, e.field, e.offset), ("request", "frag_length", 8));
    assert_eq!(
        e.kind,
        PduErrorKind::Incomplete {
            frag_length: 124,
            available: 123
        }
    );
}

#[test]
fn error_auth_length_too_large() {
    // 124 - 24 fixed = 100 bytes; 93 + 8 > 100.
    let e = parse_err(&with(CLOSE_REQUEST, 10, &[93, 0]));
    assert_eq!((e.pdu, e.field, e.offset), ("request", "auth_length", 10));
    assert_eq!(
        e.kind,
        PduErrorKind::AuthLengthTooLarge {
            auth_length: 93,
            available: 100
        }
    );
    // 92 fits exactly (trailer right after the fixed fields).
    assert!(Pdu::parse(&with(CLOSE_REQUEST, 10, &[92, 0])).is_ok());
}

#[test]
fn error_auth_pad_too_large() {
    // Trailer at 40; the stub area is 40 - 24 = 16 bytes; pad 17 reaches the fixed fields.
    let e = parse_err(&with(SIGNED_REQUEST, 42, &[17]));
    assert_eq!(
        (e.pdu, e.field, e.offset),
        ("request", "auth_pad_length", 42)
    );
    assert_eq!(
        e.kind,
        PduErrorKind::AuthPadTooLarge {
            auth_pad_length: 17,
            available: 16
        }
    );
    // 16 is the whole stub area: an empty stub.
    let all_pad = with(SIGNED_REQUEST, 42, &[16]);
    let p = Pdu::parse(&all_pad).unwrap();
    assert_eq!(p.stub(), Some(&[][..]));
}

#[test]
fn error_missing_sec_trailer() {
    let bytes = hex("05 00 10 03 10000000 1400 0000 01000000 00000000");
    let e = parse_err(&bytes);
    assert_eq!((e.pdu, e.field, e.offset), ("auth3", "auth_length", 10));
    assert_eq!(e.kind, PduErrorKind::MissingSecTrailer);
}

#[test]
fn error_overrun_in_each_variable_part() {
    // bind: n_context_elem 3 but two elements.
    let e = parse_err(&with(TAPSRV_BIND, 24, &[3]));
    assert_eq!((e.pdu, e.field, e.offset), ("bind", "p_cont_elem", 116));
    assert_eq!(
        e.kind,
        PduErrorKind::Overrun {
            needed: 24,
            available: 0
        }
    );
    // bind: the second element claims 2 transfer syntaxes (its count is at 72 + 2).
    let e = parse_err(&with(TAPSRV_BIND, 74, &[2]));
    assert_eq!((e.field, e.offset), ("n_transfer_syn", 74));
    assert_eq!(
        e.kind,
        PduErrorKind::Overrun {
            needed: 40,
            available: 20
        }
    );
    // alter_context has the same layout and names.
    let mut ac = with(TAPSRV_BIND, 74, &[2]);
    ac[2] = 14;
    assert_eq!(parse_err(&ac).pdu, "alter_context");
    // bind_ack: sec_addr.length past the body.
    let e = parse_err(&with(TAPSRV_BIND_ACK, 24, &[0x50, 0]));
    assert_eq!(
        (e.pdu, e.field, e.offset),
        ("bind_ack", "sec_addr.length", 24)
    );
    assert_eq!(
        e.kind,
        PduErrorKind::Overrun {
            needed: 0x50,
            available: 66
        }
    );
    // bind_ack: n_results 3 but two results.
    let e = parse_err(&with(TAPSRV_BIND_ACK, 40, &[3]));
    assert_eq!((e.field, e.offset), ("n_results", 40));
    assert_eq!(
        e.kind,
        PduErrorKind::Overrun {
            needed: 72,
            available: 48
        }
    );
    // bind_ack: the body ends inside the result list header (frag_length 42).
    let mut b = hex(TAPSRV_BIND_ACK);
    b[8] = 42;
    let e = parse_err(&b);
    assert_eq!((e.field, e.offset), ("n_results", 40));
    assert_eq!(
        e.kind,
        PduErrorKind::Overrun {
            needed: 4,
            available: 2
        }
    );
    // bind_ack: the body ends inside the alignment padding (frag_length 39: the string ends
    // at 39 and one pad byte is due).
    let mut b = hex(TAPSRV_BIND_ACK);
    b[8] = 39;
    let e = parse_err(&b);
    assert_eq!((e.field, e.offset), ("pad2", 39));
    // bind_nak: n_protocols 2 but one version.
    let nak = hex("05 00 0d 03 10000000 1500 0000 01000000 0400 02 0500");
    let e = parse_err(&nak);
    assert_eq!((e.pdu, e.field, e.offset), ("bind_nak", "p_protocols", 19));
    assert_eq!(
        e.kind,
        PduErrorKind::Overrun {
            needed: 4,
            available: 2
        }
    );
}

#[test]
fn overrides_write_inconsistent_pdus() {
    let b = PduBuilder::request(1, 0, 0, vec![0; 8])
        .with_frag_length(500)
        .with_auth_length(7)
        .with_drep([0, 0, 0, 0])
        .with_version(5, 3)
        .with_ptype(20)
        .with_flags(0xFF);
    let bytes = b.to_bytes().unwrap();
    assert_eq!(&bytes[..12], &hex("05 03 14 ff 00000000 f401 0700")[..]);
    assert_eq!(bytes.len(), 32);
    let too_long = PduBuilder::request(1, 0, 0, vec![0; 70_000]);
    assert_eq!(
        too_long.to_bytes(),
        Err(BuildError::TooLarge {
            field: "frag_length",
            value: 70_024,
            max: 0xFFFF
        })
    );
}

// ---------------------------------------------------------------------------------------------
// tshark as an independent decoder
// ---------------------------------------------------------------------------------------------

#[test]
fn tshark_agrees_on_types_call_ids_opnums_lengths_and_stubs() {
    if !tshark::available("tshark_agrees_on_types_call_ids_opnums_lengths_and_stubs") {
        return;
    }
    let bind = PduBuilder::bind(
        2,
        4280,
        4280,
        0,
        vec![
            ContextElemBuilder::new(0, TAPSRV, &[NDR20]),
            ContextElemBuilder::new(1, TAPSRV, &[NDR64]),
        ],
    );
    let ack = PduBuilder::bind_ack(
        2,
        BindAckBuilder::new(
            4280,
            4280,
            0x53f0,
            "\\PIPE\\tapsrv",
            &[
                ContextResult::new(DefResult::ACCEPTANCE, ProviderReason(0), NDR20),
                ContextResult::new(
                    DefResult::PROVIDER_REJECTION,
                    ProviderReason::PROPOSED_TRANSFER_SYNTAXES_NOT_SUPPORTED,
                    SyntaxId::new(Uuid::NIL, 0, 0),
                ),
            ],
        ),
    );
    let close = Pdu::parse(&hex(CLOSE_REQUEST))
        .unwrap()
        .stub()
        .unwrap()
        .to_vec();
    let close_resp = Pdu::parse(&hex(CLOSE_RESPONSE))
        .unwrap()
        .stub()
        .unwrap()
        .to_vec();
    // A ClientAttach-sized request (opnum 0) and a 700-byte ClientRequest split into three
    // fragments of at most 300 bytes.
    let attach: Vec<u8> = (0..44u8).collect();
    let big: Vec<u8> = (0..700u32).map(|i| (i * 7 % 251) as u8).collect();
    let frags = pdu::fragment(&PduBuilder::request(5, 0, 1, big.clone()), 300).unwrap();
    assert_eq!(frags.len(), 3);

    let mut pdus: Vec<(Dir, Vec<u8>)> = vec![
        (Dir::ToServer, bind.to_bytes().unwrap()),
        (Dir::ToClient, ack.to_bytes().unwrap()),
        (
            Dir::ToServer,
            PduBuilder::request(3, 0, 1, close.clone())
                .to_bytes()
                .unwrap(),
        ),
        (
            Dir::ToClient,
            PduBuilder::response(3, 0, close_resp.clone())
                .to_bytes()
                .unwrap(),
        ),
        (
            Dir::ToServer,
            PduBuilder::request(4, 0, 0, attach.clone())
                .to_bytes()
                .unwrap(),
        ),
        (
            Dir::ToClient,
            PduBuilder::fault(4, 0, FaultStatus::NCA_S_FAULT_NDR)
                .to_bytes()
                .unwrap(),
        ),
    ];
    for f in &frags {
        pdus.push((Dir::ToServer, f.to_bytes().unwrap()));
    }

    let pcap = tshark::capture(&pdus);
    let rows = tshark::fields(
        &pcap,
        &["--disable-protocol", "tapi"],
        &[
            "frame.number",
            "dcerpc.pkt_type",
            "dcerpc.cn_call_id",
            "dcerpc.opnum",
            "dcerpc.cn_frag_len",
            "dcerpc.cn_flags",
            "dcerpc.cn_alloc_hint",
            "dcerpc.stub_data",
            "dcerpc.cn_status",
            "dcerpc.cn_num_ctx_items",
            "dcerpc.cn_sec_addr",
            "dcerpc.cn_ack_result",
        ],
    );
    assert_eq!(rows.len(), pdus.len(), "{rows:?}");

    let mut reassembler = Reassembler::new();
    for (i, ((_, bytes), row)) in pdus.iter().zip(&rows).enumerate() {
        let p = Pdu::parse(bytes).unwrap();
        let ctx = format!("frame {}: {row:?}", i + 1);
        assert_eq!(row[0], (i + 1).to_string(), "{ctx}");
        assert_eq!(row[1], p.packet_type().value().to_string(), "{ctx}");
        assert_eq!(row[2], p.call_id().to_string(), "{ctx}");
        assert_eq!(row[4], p.frag_length().to_string(), "{ctx}");
        assert_eq!(row[5], format!("0x{:02x}", p.flags()), "{ctx}");
        match p.body() {
            PduBody::Request(r) => {
                assert_eq!(row[3], r.opnum().to_string(), "{ctx}");
                assert_eq!(row[6], r.alloc_hint().to_string(), "{ctx}");
            }
            PduBody::Response(r) => assert_eq!(row[6], r.alloc_hint().to_string(), "{ctx}"),
            PduBody::Fault(f) => {
                assert_eq!(row[8], format!("0x{:08x}", f.status().0), "{ctx}")
            }
            PduBody::Bind(b) => assert_eq!(row[9], b.n_context_elem().to_string(), "{ctx}"),
            PduBody::BindAck(a) => {
                assert_eq!(row[10], a.sec_addr_str().unwrap(), "{ctx}");
                let results: Vec<String> = a
                    .results()
                    .iter()
                    .map(|r| r.result().0.to_string())
                    .collect();
                assert_eq!(row[11], results.join(","), "{ctx}");
            }
            _ => panic!("unexpected PDU in {ctx}"),
        }
        // Stub bytes: tshark prints each single-fragment stub, the first fragment's own bytes,
        // and the reassembled stub on the last fragment; our reassembler must agree.
        if let Some(done) = reassembler.push(&p).unwrap() {
            if p.packet_type() != PacketType::Fault {
                assert_eq!(row[7], tshark::hex(&done.stub), "{ctx}");
            }
        } else if let (true, Some(stub)) = (p.is_first(), p.stub()) {
            assert_eq!(row[7], tshark::hex(stub), "{ctx}");
        }
    }
    let last = rows.last().unwrap();
    assert_eq!(last[7], tshark::hex(&big));
    assert_eq!(rows[2][7], tshark::hex(&close));
    assert_eq!(rows[3][7], tshark::hex(&close_resp));
    assert_eq!(rows[4][7], tshark::hex(&attach));
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

fn arb_syntax() -> impl Strategy<Value = SyntaxId> {
    (any::<[u8; 16]>(), any::<u16>(), any::<u16>())
        .prop_map(|(u, ma, mi)| SyntaxId::new(Uuid(u), ma, mi))
}

fn arb_bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 0..=max)
}

fn arb_auth() -> impl Strategy<Value = AuthBuilder> {
    (any::<[u8; 3]>(), any::<u32>(), arb_bytes(40)).prop_map(|([t, l, r], ctx, value)| {
        AuthBuilder {
            auth_reserved: r,
            ..AuthBuilder::new(t, l, ctx, &value)
        }
    })
}

fn arb_bind_body() -> impl Strategy<Value = pdu::BindBuilder> {
    let ctx = (
        any::<u16>(),
        any::<u8>(),
        arb_syntax(),
        prop::collection::vec(arb_syntax(), 0..4),
    )
        .prop_map(|(id, reserved, abs, ts)| ContextElemBuilder {
            reserved,
            ..ContextElemBuilder::new(id, abs, &ts)
        });
    (
        any::<[u16; 3]>(),
        any::<u32>(),
        any::<u8>(),
        prop::collection::vec(ctx, 0..4),
        arb_bytes(6),
    )
        .prop_map(
            |([x, r, r2], assoc, reserved, contexts, rest)| pdu::BindBuilder {
                max_xmit_frag: x,
                max_recv_frag: r,
                assoc_group_id: assoc,
                n_context_elem: None,
                reserved,
                reserved2: r2,
                contexts,
                rest,
            },
        )
}

fn arb_bind_ack_body() -> impl Strategy<Value = BindAckBuilder> {
    let result = (any::<u16>(), any::<u16>(), arb_syntax())
        .prop_map(|(r, why, ts)| ContextResult::new(DefResult(r), ProviderReason(why), ts));
    (
        any::<[u16; 3]>(),
        any::<u32>(),
        arb_bytes(30),
        any::<u8>(),
        prop::collection::vec(result, 0..4),
        arb_bytes(6),
    )
        .prop_map(
            |([x, r, r2], assoc, sec_addr, reserved, results, rest)| BindAckBuilder {
                max_xmit_frag: x,
                max_recv_frag: r,
                assoc_group_id: assoc,
                sec_addr,
                reserved,
                reserved2: r2,
                results,
                rest,
                ..BindAckBuilder::default()
            },
        )
}

/// Any PDU type with arbitrary field values, consistent lengths, and an optional trailer.
fn arb_pdu() -> impl Strategy<Value = PduBuilder> {
    let body = prop_oneof![
        (
            any::<(u32, u16, u16)>(),
            prop::option::of(any::<[u8; 16]>()),
            arb_bytes(200)
        )
            .prop_map(|((alloc_hint, p_cont_id, opnum), object, stub)| {
                BodyBuilder::Request(pdu::RequestBuilder {
                    alloc_hint,
                    p_cont_id,
                    opnum,
                    object: object.map(Uuid),
                    stub,
                })
            }),
        (any::<(u32, u16, u8, u8)>(), arb_bytes(200)).prop_map(|((a, p, c, r), stub)| {
            BodyBuilder::Response(pdu::ResponseBuilder {
                alloc_hint: a,
                p_cont_id: p,
                cancel_count: c,
                reserved: r,
                stub,
            })
        }),
        (any::<(u32, u16, u8, u8, u32, [u8; 4])>(), arb_bytes(40)).prop_map(
            |((a, p, c, r, s, r2), stub)| BodyBuilder::Fault(pdu::FaultBuilder {
                alloc_hint: a,
                p_cont_id: p,
                cancel_count: c,
                reserved: r,
                status: s,
                reserved2: r2,
                stub,
            })
        ),
        arb_bind_body().prop_map(BodyBuilder::Bind),
        arb_bind_body().prop_map(BodyBuilder::AlterContext),
        arb_bind_ack_body().prop_map(BodyBuilder::BindAck),
        arb_bind_ack_body().prop_map(BodyBuilder::AlterContextResp),
        (
            any::<u16>(),
            prop::option::of(prop::collection::vec(any::<(u8, u8)>(), 0..5)),
            arb_bytes(20)
        )
            .prop_map(|(reason, versions, rest)| {
                // Without versions the body ends after the reason (the parser reads a count
                // from any byte that follows).
                let rest = if versions.is_some() { rest } else { Vec::new() };
                BodyBuilder::BindNak(pdu::BindNakBuilder {
                    provider_reject_reason: reason,
                    n_protocols: None,
                    versions: versions.map(|v| {
                        v.into_iter()
                            .map(|(major, minor)| VersionT { major, minor })
                            .collect()
                    }),
                    rest,
                })
            }),
        (any::<[u8; 4]>(), arb_bytes(6))
            .prop_map(|(pad, rest)| BodyBuilder::Auth3(pdu::Auth3Builder { pad, rest })),
        arb_bytes(6).prop_map(|rest| BodyBuilder::Shutdown(pdu::EmptyBuilder { rest })),
        arb_bytes(6).prop_map(|rest| BodyBuilder::CoCancel(pdu::EmptyBuilder { rest })),
        arb_bytes(6).prop_map(|rest| BodyBuilder::Orphaned(pdu::EmptyBuilder { rest })),
    ];
    (
        body,
        any::<u8>(),
        0u8..=1,
        any::<u32>(),
        prop::option::of(arb_auth()),
    )
        .prop_map(|(body, flags, minor, call_id, auth)| {
            let is_auth3 = matches!(body, BodyBuilder::Auth3(_));
            let mut flags = flags & !PFC_OBJECT_UUID;
            if matches!(&body, BodyBuilder::Request(r) if r.object.is_some()) {
                flags |= PFC_OBJECT_UUID;
            }
            let mut b = PduBuilder::new(call_id, body)
                .with_flags(flags)
                .with_version(5, minor);
            b.auth = match auth {
                // A trailer with an empty token has auth_length 0 and so is not a trailer.
                Some(a) if !a.auth_value.is_empty() => Some(a),
                // rpc_auth_3 must carry one.
                _ if is_auth3 => Some(AuthBuilder::new(10, 6, 0, &[1])),
                _ => None,
            };
            b
        })
}

/// The builder a parse gives back, with the explicit paddings made implicit again when they
/// are the default zeros (asserting they are).
fn normalized(mut b: PduBuilder) -> PduBuilder {
    if let Some(a) = &mut b.auth {
        let pad = a.pad.take().unwrap();
        assert!(pad.iter().all(|&x| x == 0) && pad.len() < 16, "{pad:?}");
    }
    if let BodyBuilder::BindAck(a) | BodyBuilder::AlterContextResp(a) = &mut b.body {
        let pad = a.pad.take().unwrap();
        assert!(pad.iter().all(|&x| x == 0) && pad.len() < 4, "{pad:?}");
    }
    b
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn every_pdu_type_round_trips(b in arb_pdu()) {
        let bytes = b.to_bytes().unwrap();
        let pdu = Pdu::parse(&bytes).unwrap();
        prop_assert_eq!(pdu.packet_type(), b.packet_type());
        prop_assert_eq!(pdu.call_id(), b.call_id);
        prop_assert_eq!(pdu.flags(), b.flags);
        prop_assert_eq!(usize::from(pdu.frag_length()), bytes.len());
        prop_assert_eq!(
            pdu.sec_trailer().map(|t| t.auth_value().to_vec()),
            b.auth.as_ref().map(|a| a.auth_value.clone())
        );
        let back = pdu.to_builder();
        prop_assert_eq!(back.to_bytes().unwrap(), bytes.clone());
        prop_assert_eq!(normalized(back), b);
    }

    #[test]
    fn every_truncation_is_an_error(b in arb_pdu()) {
        let bytes = b.to_bytes().unwrap();
        for len in 0..bytes.len() {
            let e = Pdu::parse(&bytes[..len]).unwrap_err();
            if len < 16 {
                prop_assert_eq!(e.field, "header");
            } else {
                prop_assert_eq!(
                    e.kind,
                    PduErrorKind::Incomplete { frag_length: bytes.len() as u16, available: len }
                );
            }
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in arb_bytes(300)) {
        let _ = Pdu::parse(&bytes);
        for r in pdu::pdus(&bytes) {
            let _ = r;
        }
    }

    /// Bytes behind a plausible header: whatever parses rebuilds to the same bytes.
    #[test]
    fn anything_that_parses_rebuilds_identically(
        ptype in prop::sample::select(vec![0u8, 2, 3, 11, 12, 13, 14, 15, 16, 17, 18, 19]),
        flags in any::<u8>(),
        auth_len in prop_oneof![Just(0u16), 0u16..40],
        body in arb_bytes(200),
    ) {
        let frag = (16 + body.len()) as u16;
        let mut bytes = vec![5, 0, ptype, flags, 0x10, 0, 0, 0];
        bytes.extend_from_slice(&frag.to_le_bytes());
        bytes.extend_from_slice(&auth_len.to_le_bytes());
        bytes.extend_from_slice(&7u32.to_le_bytes());
        bytes.extend_from_slice(&body);
        if let Ok(pdu) = Pdu::parse(&bytes) {
            prop_assert_eq!(pdu.to_builder().to_bytes().unwrap(), bytes);
        }
    }
}
