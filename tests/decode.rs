//! Decoding by hand-laid bytes: references resolved through VarData, and every structural
//! failure the decoder reports (each with packet, field and byte offset).

use mstrp::errors::{DecodeError, DecodeErrorKind};
use mstrp::handles::{HCall, HLine, RequestId, Version};
use mstrp::header::HEADER_LEN;
use mstrp::requests::{self, FuncId, Request};

/// Lays out a request: Req_Func, Reserved1 = 0, the given parameters (the rest zero), VarData.
fn packet(req_func: u32, params: &[u32], var: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&req_func.to_le_bytes());
    b.extend_from_slice(&0u32.to_le_bytes());
    for i in 0..13 {
        b.extend_from_slice(&params.get(i).copied().unwrap_or(0).to_le_bytes());
    }
    b.extend_from_slice(var);
    b
}

fn utf16z(s: &str) -> Vec<u8> {
    s.encode_utf16()
        .chain([0])
        .flat_map(u16::to_le_bytes)
        .collect()
}

#[test]
fn initialize_strings_resolve() {
    // 2.2.4.1.1.1: hLineApp, hInstance, InitContext, dwFriendlyNameOffset, dwNumDevs,
    // dwModuleNameOffset, dwAPIVersion.
    let mut var = utf16z("HOST"); // offset 0, 10 bytes
    var.extend_from_slice(&[0, 0]); // pad to 12
    var.extend_from_slice(&utf16z("tapi")); // offset 12
    let b = packet(47, &[0, 0, 7, 0, 0, 12, 0x0003_0001], &var);
    let Request::LineInitialize(v) = Request::parse(&b).unwrap() else {
        panic!()
    };
    assert_eq!(v.init_context(), 7);
    assert_eq!(v.dw_api_version(), Version::TAPI_3_1);
    assert_eq!(
        v.dw_friendly_name_offset().resolve().unwrap().unwrap(),
        "HOST"
    );
    assert_eq!(
        v.dw_module_name_offset().resolve().unwrap().unwrap(),
        "tapi"
    );
}

#[test]
fn agent_specific_params_block() {
    // 2.2.4.1.3.3: dwRequestID, lpContext, hLine, dwAddressID, dwAgentExtensionIDIndex,
    // lpParamsContext, lpParams, dwSize.
    let var: Vec<u8> = (0u8..16).collect();
    let b = packet(6, &[5, 0x10, 0x20, 1, 2, 0x30, 4, 8], &var);
    let Request::LineAgentSpecific(v) = Request::parse(&b).unwrap() else {
        panic!()
    };
    assert_eq!(v.dw_request_id(), RequestId(5));
    assert_eq!(v.h_line(), HLine(0x20));
    assert_eq!(v.lp_params().size(), 8);
    assert_eq!(v.lp_params().resolve().unwrap().unwrap(), &var[4..12]);
}

#[test]
fn drop_without_user_user_info() {
    // 2.2.4.1.3.15: dwRequestID, hCall, lpsUserUserInfo = 0xFFFFFFFF, dwSize.
    let b = packet(16, &[0, 0x30001, 0xFFFF_FFFF, 0], &[]);
    let Request::LineDrop(v) = Request::parse(&b).unwrap() else {
        panic!()
    };
    assert_eq!(v.h_call(), HCall(0x30001));
    assert!(v.lps_user_user_info().is_absent());
    assert_eq!(v.lps_user_user_info().resolve(), Ok(None));
}

#[test]
fn make_call_params_structure_is_dw_total_size_long() {
    // 2.2.4.1.3.43: lpCallParams at VarData+4; its dwTotalSize is 12.
    let mut var = vec![0; 4];
    var.extend_from_slice(&12u32.to_le_bytes());
    var.extend_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 9]);
    let b = packet(48, &[0, 0, 1, 0, 0xFFFF_FFFF, 0, 4, 0], &var);
    let Request::LineMakeCall(v) = Request::parse(&b).unwrap() else {
        panic!()
    };
    assert_eq!(v.lp_call_params().structure(), "LINECALLPARAMS");
    assert_eq!(v.lp_call_params().resolve().unwrap().unwrap(), &var[4..16]);
    assert_eq!(v.lpsz_dest_address().resolve(), Ok(None));
}

#[test]
fn set_call_quality_of_service_two_flowspecs() {
    // 2.2.4.1.3.67: two FLOWSPECs (32 bytes each) in VarData (spec-notes/errata.md).
    let var: Vec<u8> = (0u8..64).collect();
    let b = packet(74, &[1, 0x40, 0, 32, 32, 32], &var);
    let Request::LineSetCallQualityOfService(v) = Request::parse(&b).unwrap() else {
        panic!()
    };
    assert_eq!(
        v.lp_sending_flowspec().resolve().unwrap().unwrap(),
        &var[..32]
    );
    assert_eq!(
        v.lp_receiving_flowspec().resolve().unwrap().unwrap(),
        &var[32..]
    );
}

#[test]
fn typed_view_parse_checks_req_func() {
    let b = packet(16, &[], &[]);
    assert!(requests::LineDrop::parse(&b).is_ok());
    assert_eq!(
        requests::LineMakeCall::parse(&b).unwrap_err(),
        DecodeError::new(
            "LineMakeCall",
            "Req_Func",
            0,
            DecodeErrorKind::UnexpectedFunction {
                expected: 48,
                found: 16
            }
        )
    );
}

#[test]
fn line_and_phone_packets_are_told_apart() {
    assert_eq!(FuncId::LineGetDevCaps as u32, 34);
    assert_eq!(FuncId::PhoneGetDevCaps as u32, 95);
    let line = FuncId::LineGetDevCaps.desc();
    let phone = FuncId::PhoneGetDevCaps.desc();
    assert_eq!((line.name, phone.name), ("GetDevCaps", "GetDevCaps"));
    assert_eq!(line.group.title(), "Create Session for Line Device");
    assert_eq!(phone.group.title(), "Create Session for Phone Device");
    assert_eq!(FuncId::ALL.len(), 132);
}

// ---- negative tests -------------------------------------------------------------------

#[test]
fn shorter_than_the_fixed_part() {
    for len in [0, 1, 4, 59] {
        let b = vec![0u8; len];
        let e = Request::parse(&b).unwrap_err();
        assert_eq!(
            e,
            DecodeError::new(
                "TAPI32_MSG",
                "Req_Func",
                len,
                DecodeErrorKind::Truncated {
                    needed: HEADER_LEN,
                    actual: len
                }
            )
        );
    }
    assert!(Request::parse(&[0u8; 60]).is_ok());
}

#[test]
fn undocumented_req_func_is_a_raw_view_and_strictly_rejected() {
    for f in [28u32, 29, 61, 121, 166, 0xFFFF_FFFF] {
        let b = packet(f, &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13], &[0xEE; 4]);
        let Request::Unknown(u) = Request::parse(&b).unwrap() else {
            panic!("{f} should be unknown")
        };
        assert_eq!(u.req_func(), f);
        assert_eq!(u.param(1), Some(1));
        assert_eq!(u.param(13), Some(13));
        assert_eq!(u.param(0), None);
        assert_eq!(u.param(14), None);
        assert_eq!(u.var_data().as_bytes(), &[0xEE; 4]);
        assert_eq!(Request::parse(&b).unwrap().references().count(), 0);
        assert_eq!(
            Request::parse_strict(&b).unwrap_err(),
            DecodeError::new(
                "TAPI32_MSG",
                "Req_Func",
                0,
                DecodeErrorKind::UnknownFunction(f)
            )
        );
    }
}

/// The error of the first reference of a MakeCall whose lpszDestAddress is `off`.
fn dest_address_error(off: u32, var: &[u8]) -> DecodeError {
    let b = packet(48, &[0, 0, 1, 0, off, 0, 0xFFFF_FFFF], var);
    let Request::LineMakeCall(v) = Request::parse(&b).unwrap() else {
        panic!()
    };
    v.lpsz_dest_address().resolve().unwrap_err()
}

fn at_dest(kind: DecodeErrorKind) -> DecodeError {
    DecodeError::new("LineMakeCall", "lpszDestAddress", 24, kind)
}

#[test]
fn misaligned_string_offset() {
    let var = utf16z("12345");
    assert_eq!(
        dest_address_error(1, &var),
        at_dest(DecodeErrorKind::Misaligned { value: 1, align: 2 })
    );
}

#[test]
fn misaligned_block_offset() {
    // AgentSpecific.lpParams must be DWORD-aligned (3.1.4.2).
    let b = packet(6, &[0, 0, 1, 0, 0, 0, 2, 4], &[0; 8]);
    let Request::LineAgentSpecific(v) = Request::parse(&b).unwrap() else {
        panic!()
    };
    assert_eq!(
        v.lp_params().resolve().unwrap_err(),
        DecodeError::new(
            "LineAgentSpecific",
            "lpParams",
            32,
            DecodeErrorKind::Misaligned { value: 2, align: 4 }
        )
    );
}

#[test]
fn offset_past_var_data() {
    let var = utf16z("1");
    assert_eq!(
        dest_address_error(8, &var),
        at_dest(DecodeErrorKind::OffsetOutOfBounds { value: 8, len: 4 })
    );
}

#[test]
fn offset_plus_size_overflows() {
    // SetCallData (2.2.4.1.3.64): lpCallData = 4, dwSize = 0xFFFFFFFE.
    let b = packet(71, &[0, 1, 4, 0xFFFF_FFFE], &[0; 8]);
    let Request::LineSetCallData(v) = Request::parse(&b).unwrap() else {
        panic!()
    };
    assert_eq!(
        v.lp_call_data().resolve().unwrap_err(),
        DecodeError::new(
            "LineSetCallData",
            "lpCallData",
            16,
            DecodeErrorKind::Overflow {
                value: 4,
                size: 0xFFFF_FFFE
            }
        )
    );
}

#[test]
fn block_runs_past_var_data() {
    let b = packet(71, &[0, 1, 4, 8], &[0; 8]);
    let Request::LineSetCallData(v) = Request::parse(&b).unwrap() else {
        panic!()
    };
    assert_eq!(
        v.lp_call_data().resolve().unwrap_err().kind,
        DecodeErrorKind::SizeOutOfBounds {
            value: 4,
            size: 8,
            len: 8
        }
    );
}

#[test]
fn unterminated_string() {
    let var: Vec<u8> = "ABCD".encode_utf16().flat_map(u16::to_le_bytes).collect();
    assert_eq!(
        dest_address_error(0, &var),
        at_dest(DecodeErrorKind::Unterminated { value: 0 })
    );
    // A lone byte after the last whole unit is not a terminator either.
    let mut odd = var.clone();
    odd.push(0);
    assert_eq!(
        dest_address_error(0, &odd),
        at_dest(DecodeErrorKind::Unterminated { value: 0 })
    );
}

#[test]
fn structure_with_impossible_total_size() {
    let mut var = vec![0; 4];
    var.extend_from_slice(&2u32.to_le_bytes());
    let b = packet(48, &[0, 0, 1, 0, 0xFFFF_FFFF, 0, 4, 0], &var);
    let Request::LineMakeCall(v) = Request::parse(&b).unwrap() else {
        panic!()
    };
    assert_eq!(
        v.lp_call_params().resolve().unwrap_err().kind,
        DecodeErrorKind::StructureTooSmall { value: 4, total: 2 }
    );
    let mut var = vec![0; 4];
    var.extend_from_slice(&64u32.to_le_bytes());
    let b = packet(48, &[0, 0, 1, 0, 0xFFFF_FFFF, 0, 4, 0], &var);
    let Request::LineMakeCall(v) = Request::parse(&b).unwrap() else {
        panic!()
    };
    assert_eq!(
        v.lp_call_params().resolve().unwrap_err().kind,
        DecodeErrorKind::SizeOutOfBounds {
            value: 4,
            size: 64,
            len: 8
        }
    );
}

#[test]
fn errors_display_packet_field_and_offset() {
    let e = dest_address_error(1, &[0, 0]);
    assert_eq!(
        e.to_string(),
        "LineMakeCall.lpszDestAddress (byte 24): offset 0x1 is not 2-byte aligned"
    );
}

#[test]
fn reserved_values_are_preserved_on_reencode() {
    let mut b = packet(12, &[0x30001, 0xDEAD, 0xBEEF], &[1, 2, 3]);
    b[4..8].copy_from_slice(&0x1234_5678u32.to_le_bytes()); // Reserved1
    let r = Request::parse(&b).unwrap();
    let mut out = bytes::BytesMut::new();
    r.encode(&mut out);
    assert_eq!(&out[..], &b[..]);
}
