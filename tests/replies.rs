//! Reply known-answer tests for the exchanges of sections 4.1 (establish the session) and 4.3
//! (make an outgoing call), with the buffers laid out by hand from the packet diagrams
//! (2.2.4.1.x), plus builder round trips.

use mstrp::errors::{ErrorCode, LineErr, PhoneErr};
use mstrp::handles::RequestId;
use mstrp::replies::{Reply, ReplyBuilder, ReplyRole, ReturnValue, parse_strict};
use mstrp::requests::FuncId;
use proptest::prelude::*;

/// The fixed part from DWORDs in diagram order (Ack_ReturnValue, Reserved1, fields...),
/// zero-filled to 15 DWORDs, then VarData.
fn buffer(dwords: &[u32], var: &[u8]) -> Vec<u8> {
    let mut d = [0u32; 15];
    d[..dwords.len()].copy_from_slice(dwords);
    let mut out = Vec::new();
    for x in d {
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.extend_from_slice(var);
    out
}

/// 4.1 step 2: Initialize (2.2.4.1.1.1). The server returns 0, the new HLINEAPP and the
/// number of line devices; the strings of the request stay in VarData.
#[test]
fn initialize_reply() {
    // "PC" NUL, padded: friendly name and module name at offset 0.
    let var = [b'P', 0, b'C', 0, 0, 0, 0, 0];
    let bytes = buffer(
        &[
            0x0000_0000, // Ack_ReturnValue: success
            0,           // Reserved1
            0x0001_0005, // hLineApp (filled by the server)
            0,           // hInstance
            0x1234,      // InitContext
            0,           // dwFriendlyNameOffset
            3,           // dwNumDevs (filled by the server)
            0,           // dwModuleNameOffset
            0x0003_0001, // dwAPIVersion
        ],
        &var,
    );
    let r = Reply::parse(FuncId::LineInitialize, &bytes).unwrap();
    assert_eq!(r.return_value(), ReturnValue::Success);
    assert_eq!(r.return_value().result_name(), "success");
    let h = r.output_named("hLineApp").unwrap();
    assert_eq!((h.role, h.raw), (ReplyRole::Filled, 0x0001_0005));
    let n = r.output_named("dwNumDevs").unwrap();
    assert_eq!((n.role, n.raw), (ReplyRole::Filled, 3));
    assert_eq!(r.output_named("InitContext").unwrap().role, ReplyRole::Echo);
    assert_eq!(r.output(0).unwrap().role, ReplyRole::ReturnValue);
}

/// 4.1 step 3: NegotiateAPIVersionForAllDevices (2.2.4.1.8.2) for 2 lines and 1 phone: the
/// four lists, laid out by the server, found through their offsets and sizes.
#[test]
fn negotiate_api_version_for_all_devices_reply() {
    let mut var = Vec::new();
    var.extend_from_slice(&0x0002_0000u32.to_le_bytes()); // line 0 API version
    var.extend_from_slice(&0x0003_0001u32.to_le_bytes()); // line 1 API version
    var.extend_from_slice(&[0x11; 32]); // 2 LINEEXTENSIONIDs
    var.extend_from_slice(&0x0002_0002u32.to_le_bytes()); // phone 0 API version
    var.extend_from_slice(&[0x22; 16]); // 1 PHONEEXTENSIONID
    let bytes = buffer(
        &[
            0,
            0,
            0x0001_0005, // hLineApp
            2,           // dwNumLineDevices
            1,           // dwNumPhoneDevices
            0x0003_0001, // dwAPIHighVersion
            0,
            8, // dwLineAPIVersionListOffset, Size
            8,
            32, // dwLineExtensionIDListOffset, Size
            40,
            4, // dwPhoneAPIVersionListOffset, Size
            44,
            16, // dwPhoneExtensionIDListOffset, Size
        ],
        &var,
    );
    let r = parse_strict(FuncId::NegotiateAPIVersionForAllDevices, &bytes).unwrap();
    assert_eq!(r.return_value(), ReturnValue::Success);
    let lines = r.output_named("dwLineAPIVersionListOffset").unwrap();
    assert!(matches!(lines.role, ReplyRole::Data { .. }));
    assert_eq!(lines.data.unwrap().unwrap(), &var[0..8]);
    let ext = r.output_named("dwLineExtensionIDListOffset").unwrap();
    assert_eq!(ext.data.unwrap().unwrap(), &[0x11; 32][..]);
    let pext = r.output_named("dwPhoneExtensionIDListOffset").unwrap();
    assert_eq!(pext.data.unwrap().unwrap(), &[0x22; 16][..]);
}

/// 4.1 step 4: GetDevCaps (2.2.4.1.1.3): lpLineDevCaps is the buffer size in the request and
/// the offset of the LINEDEVCAPS in the reply.
#[test]
fn get_dev_caps_reply() {
    let mut caps = vec![0u8; 240];
    caps[0..4].copy_from_slice(&240u32.to_le_bytes()); // dwTotalSize
    caps[4..8].copy_from_slice(&300u32.to_le_bytes()); // dwNeededSize
    caps[8..12].copy_from_slice(&240u32.to_le_bytes()); // dwUsedSize
    let bytes = buffer(
        &[
            0,
            0,
            0x0001_0005,
            0,
            0x0002_0000,
            0,
            0, /* lpLineDevCaps: offset 0 */
        ],
        &caps,
    );
    let r = parse_strict(FuncId::LineGetDevCaps, &bytes).unwrap();
    let o = r.output_named("lpLineDevCaps").unwrap();
    assert_eq!(
        o.role,
        ReplyRole::Structure {
            name: "LINEDEVCAPS"
        }
    );
    let s = o.data.unwrap().unwrap();
    assert_eq!(s.len(), 240);
    assert_eq!(&s[4..8], &300u32.to_le_bytes());
    // A LINEDEVCAPS claiming more bytes than VarData holds does not resolve.
    let mut bad = bytes.clone();
    bad[60..64].copy_from_slice(&241u32.to_le_bytes());
    assert!(parse_strict(FuncId::LineGetDevCaps, &bad).is_err());
}

/// 4.1 step 5: GetAddressCaps (2.2.4.1.1.4) failing with LINEERR_INVALADDRESSID.
#[test]
fn get_address_caps_error_reply() {
    let bytes = buffer(
        &[0x8000_0011, 0, 0x0001_0005, 0, 7, 0x0002_0000, 0, 180],
        &[],
    );
    let r = Reply::parse(FuncId::LineGetAddressCaps, &bytes).unwrap();
    assert_eq!(
        r.return_value(),
        ReturnValue::Error(ErrorCode::Line(LineErr::INVALADDRESSID))
    );
    assert_eq!(r.return_value().result_name(), "LINEERR_INVALADDRESSID");
}

/// 4.1 step 6: Open (2.2.4.1.1.5): the server returns 0 and the HLINE.
#[test]
fn open_reply() {
    let bytes = buffer(
        &[
            0,
            0,
            0x0001_0005, // hLineApp
            0,           // dwDeviceID
            0x0002_0009, // hLine (filled by the server)
            0x0002_0000, // dwNegotiatedVersion
            0,           // dwExtVersion
            0x55,        // OpenContext
            0x4,         // dwPrivileges: LINECALLPRIVILEGE_OWNER
            0x4,         // dwMediaModes
            0xFFFF_FFFF, // pCallParams
        ],
        &[],
    );
    let r = Reply::parse(FuncId::LineOpen, &bytes).unwrap();
    assert_eq!(r.return_value(), ReturnValue::Success);
    let h = r.output_named("hLine").unwrap();
    assert_eq!((h.role, h.raw), (ReplyRole::Filled, 0x0002_0009));
}

/// 4.3: MakeCall (2.2.4.1.3.43) answers with a positive request id, or an error.
#[test]
fn make_call_reply() {
    let bytes = buffer(
        &[
            0x0000_0007,
            0,
            0,
            0x77,
            0x0002_0009,
            0x88,
            0,
            0,
            0xFFFF_FFFF,
        ],
        &[b'1', 0, 0, 0],
    );
    let r = Reply::parse(FuncId::LineMakeCall, &bytes).unwrap();
    assert_eq!(r.return_value(), ReturnValue::RequestId(RequestId(7)));
    assert_eq!(r.return_value().result_name(), "request_id");
    let bytes = buffer(&[0x8000_0010, 0, 0, 0x77, 0x0002_0009], &[]);
    let r = Reply::parse(FuncId::LineMakeCall, &bytes).unwrap();
    assert_eq!(
        r.return_value(),
        ReturnValue::Error(ErrorCode::Line(LineErr::INVALADDRESS))
    );
}

/// 4.3: Drop (asynchronous, request id) and DeallocateCall (synchronous, 0).
#[test]
fn drop_and_deallocate_replies() {
    let drop = buffer(&[0x0000_0008, 0, 0, 0x0003_0001, 0xFFFF_FFFF, 0], &[]);
    assert_eq!(
        Reply::parse(FuncId::LineDrop, &drop)
            .unwrap()
            .return_value(),
        ReturnValue::RequestId(RequestId(8))
    );
    let dealloc = buffer(&[0, 0, 0x0003_0001], &[]);
    assert_eq!(
        Reply::parse(FuncId::LineDeallocateCall, &dealloc)
            .unwrap()
            .return_value(),
        ReturnValue::Success
    );
    // A synchronous function has no request ids: a positive value is not one.
    let odd = buffer(&[5, 0, 0x0003_0001], &[]);
    assert_eq!(
        Reply::parse(FuncId::LineDeallocateCall, &odd)
            .unwrap()
            .return_value(),
        ReturnValue::Unknown(5)
    );
}

/// Phone codes carry their 0x90000000 base on the wire (2.2.3.2.4); the return tables of the
/// phone packets list them without it, which is not a code (spec-notes/replies.md).
#[test]
fn phone_error_codes_with_base() {
    let r = buffer(&[0x9000_0013, 0, 0x0004_0001], &[]);
    assert_eq!(
        Reply::parse(FuncId::PhoneClose, &r).unwrap().return_value(),
        ReturnValue::Error(ErrorCode::Phone(PhoneErr::INVALPHONEHANDLE))
    );
    let r = buffer(&[0x0000_0013, 0, 0x0004_0001], &[]);
    assert_eq!(
        Reply::parse(FuncId::PhoneClose, &r).unwrap().return_value(),
        ReturnValue::Unknown(0x13)
    );
    // UnCompleteCall/UnPark list LINEERR_RESOURCEUNAVAIL as 0x80000049: that value is
    // LINEERR_OPERATIONUNAVAIL in 2.2.3.1.38, which is authoritative.
    let r = buffer(&[0x8000_0049, 0, 0, 0x0002_0009, 1], &[]);
    assert_eq!(
        Reply::parse(FuncId::LineUnCompleteCall, &r)
            .unwrap()
            .return_value(),
        ReturnValue::Error(ErrorCode::Line(LineErr::OPERATIONUNAVAIL))
    );
}

/// The builder lays out GetDevCaps' reply exactly as the hand-made buffer.
#[test]
fn builder_matches_hand_layout() {
    let mut caps = vec![0u8; 240];
    caps[0..4].copy_from_slice(&240u32.to_le_bytes());
    let hand = buffer(&[0, 0, 0x0001_0005, 0, 0x0002_0000, 0, 0], &caps);
    let built = ReplyBuilder::new(FuncId::LineGetDevCaps)
        .return_value(ReturnValue::Success)
        .set("hLineApp", 0x0001_0005)
        .set("dwTSPIVersion", 0x0002_0000)
        .output("lpLineDevCaps", Some(&caps))
        .to_bytes();
    assert_eq!(&built[..], &hand[..]);
    let r = Reply::parse(FuncId::LineGetDevCaps, &hand).unwrap();
    assert_eq!(&r.to_builder().unwrap().to_bytes()[..], &hand[..]);
}

proptest! {
    /// Byte-exact round trips: any buffer re-encodes as parsed; builder -> bytes -> builder.
    #[test]
    fn round_trips(
        f in prop::sample::select(FuncId::ALL),
        d in prop::collection::vec(any::<u32>(), 15),
        var in prop::collection::vec(any::<u8>(), 0..64),
        out in prop::collection::vec(any::<u8>(), 4..40),
    ) {
        let bytes = buffer(&d, &var);
        let r = Reply::parse(f, &bytes).unwrap();
        let mut enc = bytes::BytesMut::new();
        r.encode(&mut enc);
        prop_assert_eq!(&enc[..], &bytes[..]);

        // A builder with every output given data round-trips through bytes.
        let mut b = ReplyBuilder::new(f).return_value(ReturnValue::classify(f, d[0]));
        for field in f.desc().fields.iter() {
            let mut data = out.clone();
            if let mstrp::requests::Role::OutSize { .. } = field.role {
                let n = data.len() as u32;
                data[..4].copy_from_slice(&n.to_le_bytes());
            }
            b = b.output(field.name, Some(&data));
        }
        let bytes = b.to_bytes();
        let back = parse_strict(f, &bytes).unwrap().to_builder().unwrap();
        prop_assert_eq!(&back.to_bytes()[..], &bytes[..]);
    }
}
