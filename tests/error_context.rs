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

/// A TAPI 1.x client's 112-byte LINECALLPARAMS (2.2.6.20 without the 2.0 members;
/// spec-notes/structures.md section 11) inside MakeCall: read as guessed it is the 1.3/1.4
/// fixed part; a session that negotiated 2.0 needs 176 bytes, and the error says where.
#[test]
fn embedded_structure_read_at_the_negotiated_version() {
    use mstrp::handles::Version;
    let mut b = vec![0u8; 60 + 112];
    dword(&mut b, 0, 48);
    dword(&mut b, 24, 0xFFFF_FFFF);
    dword(&mut b, 32, 0);
    dword(&mut b, 60, 112); // dwTotalSize
    let Request::LineMakeCall(call) = Request::parse(&b).unwrap() else {
        panic!()
    };
    let guessed = call.lp_call_params().decode().unwrap().unwrap();
    assert_eq!(guessed.raw().reading().fixed_len, 112);
    let v14 = call
        .lp_call_params()
        .decode_with(Version::TAPI_1_4)
        .unwrap()
        .unwrap();
    assert_eq!(v14.raw().reading().negotiated, Some(Version::TAPI_1_4));
    let err = call
        .lp_call_params()
        .decode_with(Version::TAPI_2_0)
        .unwrap_err();
    assert_eq!(
        err.kind,
        DecodeErrorKind::FixedPartTooShort {
            size: 112,
            min: 176
        }
    );
    assert_eq!(err.within.map(|w| w.field), Some("lpCallParams"));
}

/// GetDevCaps' reply (2.2.4.1.3.28: lpLineDevCaps at DWORD 7 = byte 28) returning a 2.0
/// server's 252-byte LINEDEVCAPS: a 2.0 client reads 252 bytes of members, a 1.4 client 240.
#[test]
fn returned_structure_read_at_the_negotiated_version() {
    use mstrp::handles::Version;
    use mstrp::replies::Reply;
    use mstrp::requests::FuncId;
    let desc = FuncId::LineGetDevCaps.desc();
    let (index, _) = desc
        .field("lpLineDevCaps")
        .expect("GetDevCaps has lpLineDevCaps");
    let mut b = vec![0u8; 60 + 252];
    dword(&mut b, 4 * index, 0);
    for at in [60, 64, 68] {
        dword(&mut b, at, 252); // dwTotalSize, dwNeededSize, dwUsedSize
    }
    let reply = Reply::parse(FuncId::LineGetDevCaps, &b).unwrap();
    let out = reply.output(index).unwrap();
    let read = |v: Option<Version>| {
        let s = match v {
            Some(v) => out.structure_with(v),
            None => out.structure(),
        };
        s.unwrap().unwrap().raw().reading().fixed_len
    };
    assert_eq!(read(None), 252);
    assert_eq!(read(Some(Version::TAPI_2_0)), 252);
    assert_eq!(read(Some(Version::TAPI_1_4)), 240);
    let err = out.structure_with(Version::TAPI_3_0).unwrap_err();
    assert_eq!(
        err.kind,
        DecodeErrorKind::FixedPartTooShort {
            size: 252,
            min: 292
        }
    );
    assert_eq!(err.within.map(|w| w.packet), Some("LineGetDevCaps"));
}
