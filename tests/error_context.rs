//! Errors inside a structure embedded in a packet keep the packet's context (issue 9):
//! `LineMakeCall.lpCallParams -> LINECALLPARAMS.dwOrigAddressOffset (byte 52)`.
//!
//! The bytes are laid out by hand from the diagrams of 2.2.4.1.3.43 (MakeCall: hLine at byte
//! 8, lpszDestAddress at 24, lpCallParams at 32) and 2.2.6.20 (LINECALLPARAMS: eight DWORDs,
//! the 16-byte DialParams at byte 32, then dwOrigAddressSize at byte 48 and
//! dwOrigAddressOffset at 52, as in MinGW-w64's tapi.h; 176-byte fixed part). The issue's
//! example said "byte 76", which is dwCommentOffset in that layout.

use mstrp::errors::{DecodeErrorKind, Origin};
use mstrp::requests::Request;

fn dword(buf: &mut [u8], at: usize, v: u32) {
    buf[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

/// MakeCall with no destination and a LINECALLPARAMS at VarData offset 0 whose
/// dwOrigAddressOffset points past the structure.
fn make_call_with_bad_call_params() -> Vec<u8> {
    let mut b = vec![0u8; 60 + 176];
    dword(&mut b, 0, 48); // Req_Func: MakeCall
    dword(&mut b, 8, 0x1001); // hLine
    dword(&mut b, 24, 0xFFFF_FFFF); // lpszDestAddress: absent
    dword(&mut b, 32, 0); // lpCallParams at VarData offset 0
    dword(&mut b, 60, 176); // dwTotalSize
    dword(&mut b, 60 + 48, 8); // dwOrigAddressSize
    dword(&mut b, 60 + 52, 4096); // dwOrigAddressOffset: outside the 176 bytes
    b
}

#[test]
fn structure_error_names_the_request_field_it_lies_behind() {
    let bytes = make_call_with_bad_call_params();
    let Request::LineMakeCall(call) = Request::parse(&bytes).unwrap() else {
        panic!("Req_Func 48 is MakeCall")
    };
    let err = call.lp_call_params().decode().unwrap_err();
    assert_eq!(err.packet, "LINECALLPARAMS");
    assert_eq!(err.field, "dwOrigAddressOffset");
    assert_eq!(err.offset, 52);
    assert!(matches!(
        err.kind,
        DecodeErrorKind::OffsetOutOfBounds { value: 4096, .. }
            | DecodeErrorKind::SizeOutOfBounds { value: 4096, .. }
    ));
    assert_eq!(
        err.within,
        Some(Origin {
            packet: "LineMakeCall",
            field: "lpCallParams",
            offset: 32
        })
    );
    let text = err.to_string();
    assert!(
        text.starts_with(
            "LineMakeCall.lpCallParams -> LINECALLPARAMS.dwOrigAddressOffset (byte 52): "
        ),
        "{text}"
    );
}

#[test]
fn an_error_in_the_packet_itself_has_no_enclosing_field() {
    let mut bytes = make_call_with_bad_call_params();
    dword(&mut bytes, 32, 2); // lpCallParams misaligned
    let Request::LineMakeCall(call) = Request::parse(&bytes).unwrap() else {
        panic!()
    };
    let err = call.lp_call_params().decode().unwrap_err();
    assert_eq!(
        (err.packet, err.field, err.offset),
        ("LineMakeCall", "lpCallParams", 32)
    );
    assert_eq!(err.within, None);
    assert!(
        err.to_string()
            .starts_with("LineMakeCall.lpCallParams (byte 32): ")
    );
}
