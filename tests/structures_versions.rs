//! Structures read with the negotiated TAPI version (`parse_with`) and without (`parse`, which
//! guesses and reports its reading), in both directions: an older server's layout read by a
//! newer client, and a newer server's layout read by an older client.
//!
//! Every expected offset, size and value below comes from the layouts of [MS-TRP] 2.2.6 and
//! the MinGW-w64 / Windows SDK `tapi.h` (`#pragma pack(1)`, members in declaration order,
//! 16-byte GUIDs and LINEDIALPARAMS, 16-byte SYSTEMTIME), counted by hand in the comments, and
//! the buffers are laid byte by byte; nothing is taken from the code under test.

use mstrp::errors::{DecodeError, DecodeErrorKind as K};
use mstrp::handles::{TAPI_VERSIONS, Version};
use mstrp::structures::{
    self, BuildError, Guid, LINEADDRESSCAPS, LINEADDRESSSTATUS, LINEAGENTCAPS, LINECALLINFO,
    LINECALLPARAMS, LINECALLSTATUS, LINEDEVCAPS, LINEDEVSTATUS, LINEFORWARD, LINEFORWARDLIST,
    PHONEBUTTONINFO, PHONECAPS, PHONESTATUS, STRINGFORMAT_UNICODE, StructBuilder, Text,
};

const V13: Version = Version::TAPI_1_3;
const V14: Version = Version::TAPI_1_4;
const V20: Version = Version::TAPI_2_0;
const V21: Version = Version::TAPI_2_1;
const V22: Version = Version::TAPI_2_2;
const V30: Version = Version::TAPI_3_0;
const V31: Version = Version::TAPI_3_1;

#[path = "common/writer.rs"]
mod writer;
use writer::W;

impl W {
    /// `n` DWORDs numbered `base`, `base + 1`, ... (recognisable member values).
    fn numbered(n: u32, base: u32) -> W {
        let mut w = W::default();
        for i in 0..n {
            w.d(base + i);
        }
        w
    }
    /// dwTotalSize = `total` (a client's buffer, with spare room), dwNeededSize = dwUsedSize =
    /// the length written; the buffer grows to `total`.
    fn full_sizes(&mut self, total: u32) -> &mut Self {
        let used = self.len();
        assert!(total >= used);
        self.put(0, total).put(4, used).put(8, used);
        self.0.resize(total as usize, 0);
        self
    }
}

fn utf16_len(s: &str) -> u32 {
    (s.encode_utf16().count() as u32 + 1) * 2
}

fn guid(seed: u8) -> Guid {
    Guid::new(
        0x0101_0101 * seed as u32,
        0x0202 * seed as u16,
        0x0303 * seed as u16,
        [seed; 8],
    )
}

fn guid_bytes(seed: u8) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&(0x0101_0101 * seed as u32).to_le_bytes());
    b.extend_from_slice(&(0x0202 * seed as u16).to_le_bytes());
    b.extend_from_slice(&(0x0303 * seed as u16).to_le_bytes());
    b.extend_from_slice(&[seed; 8]);
    b
}

fn text(t: Option<Text<'_>>) -> String {
    t.expect("present").to_string()
}

fn kind(e: &DecodeError) -> (&'static str, &'static str, usize) {
    (e.packet, e.field, e.offset)
}

/// The fixed-part size of each version, from tapi.h counted by hand:
///
/// * LINEDEVCAPS: 39 DWORDs (156) + 3 LINEDIALPARAMS (204) + 8 DWORDs to dwDevSpecificOffset
///   = 236 (1.3); dwLineFeatures 240 (1.4); dwSettableDevStatus, dwDeviceClassesSize/Offset
///   252 (2.0); PermanentLineGuid 268 (2.2); dwAddressTypes, ProtocolGuid,
///   dwAvailableTracking 292 (3.0).
/// * LINEADDRESSCAPS: 44 DWORDs to dwCompletionMsgTextOffset = 176; dwAddressFeatures 180
///   (1.4); 12 DWORDs dwPredictiveAutoTransferStates..dwAvailableMediaModes 228 (2.0).
/// * LINECALLINFO: 16 DWORDs + DialParams (80) + 7 DWORDs dwOrigin..dwTrunk (108) + 25 party-id
///   DWORDs (208) + 11 pairs to dwDevSpecificOffset = 296; dwCallTreatment..
///   dwReceivingFlowspecOffset 324 (2.0); five dw...IDAddressType 344 (3.0).
/// * LINECALLPARAMS: 8 DWORDs + DialParams (48) + 8 pairs to dwDevSpecificOffset = 112;
///   dwPredictiveAutoTransferStates..dwCallingPartyIDOffset 176 (2.0); dwAddressType 180 (3.0).
/// * LINECALLSTATUS: 9 DWORDs = 36; dwCallFeatures2 + SYSTEMTIME 56 (2.0).
/// * LINEDEVSTATUS: 19 DWORDs = 76; dwAvailableMediaModes, dwAppInfoSize/Offset 88 (2.0).
/// * LINEAGENTCAPS: 14 DWORDs = 56; ProxyGUID 72 (2.2).
/// * LINEFORWARD: 6 DWORDs = 24; dwCallerAddressType, dwDestAddressType 32 (3.1).
/// * PHONECAPS: 36 DWORDs to dwDevSpecificOffset = 144; 9 DWORDs dwDeviceClassesSize..
///   dwMonitoredHeadsetHookSwitchModes 180 (2.0); PermanentPhoneGuid 196 (2.2).
/// * PHONESTATUS: 25 DWORDs = 100; dwPhoneFeatures 104 (2.0).
/// * PHONEBUTTONINFO: 9 DWORDs = 36; dwButtonState 40 (1.4).
const LAYOUTS: &[(&str, [usize; 7])] = &[
    //                  1.3  1.4  2.0  2.1  2.2  3.0  3.1
    ("LINEDEVCAPS", [236, 240, 252, 252, 268, 292, 292]),
    ("LINEADDRESSCAPS", [176, 180, 228, 228, 228, 228, 228]),
    ("LINECALLINFO", [296, 296, 324, 324, 324, 344, 344]),
    ("LINECALLPARAMS", [112, 112, 176, 176, 176, 180, 180]),
    ("LINECALLSTATUS", [36, 36, 56, 56, 56, 56, 56]),
    ("LINEDEVSTATUS", [76, 76, 88, 88, 88, 88, 88]),
    ("LINEAGENTCAPS", [56, 56, 56, 56, 72, 72, 72]),
    ("LINEFORWARD", [24, 24, 24, 24, 24, 24, 32]),
    ("PHONECAPS", [144, 144, 180, 180, 196, 196, 196]),
    ("PHONESTATUS", [100, 100, 104, 104, 104, 104, 104]),
    ("PHONEBUTTONINFO", [36, 40, 40, 40, 40, 40, 40]),
];

#[test]
fn fixed_part_per_version() {
    for (name, sizes) in LAYOUTS {
        let d = structures::desc_by_name(name).unwrap();
        for (v, size) in TAPI_VERSIONS.iter().zip(sizes) {
            assert_eq!(d.fixed_size(*v), *size, "{name} {v:?}");
        }
    }
    // Every other structure has one layout in every version.
    for d in structures::ALL {
        if LAYOUTS.iter().any(|(n, _)| *n == d.name) {
            continue;
        }
        assert!(d.fields.iter().all(|f| f.since == V13), "{}", d.name);
        for v in TAPI_VERSIONS {
            assert_eq!(d.fixed_size(v), d.size, "{}", d.name);
        }
    }
}

#[test]
fn member_versions_from_the_spec_notes() {
    let since = |s: &str, m: &str| structures::desc_by_name(s).unwrap().field(m).unwrap().since;
    // "available only if the negotiated TAPI version is 2.0 or higher" (2.2.6.23).
    assert_eq!(since("LINEDEVCAPS", "dwSettableDevStatus"), V20);
    assert_eq!(since("LINEDEVCAPS", "PermanentLineGuid"), V22);
    assert_eq!(since("LINEDEVCAPS", "dwAvailableTracking"), V30);
    assert_eq!(since("LINEDEVCAPS", "dwLineFeatures"), V14);
    assert_eq!(since("LINEDEVCAPS", "dwDevSpecificOffset"), V13);
    // "exposed only if a TAPI version of 2.2, 3.0, or 3.1 has been negotiated" (2.2.6.13).
    assert_eq!(since("LINEAGENTCAPS", "ProxyGUID"), V22);
    // "available only if the negotiated version of TAPI is 3.1 or higher" (2.2.6.30).
    assert_eq!(since("LINEFORWARD", "dwCallerAddressType"), V31);
    assert_eq!(since("LINEFORWARD", "dwDestAddressType"), V31);
    // Not marked in 2.2.6.20; SDK `#if (TAPI_CURRENT_VERSION >= 0x00020000)`.
    assert_eq!(
        since("LINECALLPARAMS", "dwPredictiveAutoTransferStates"),
        V20
    );
    assert_eq!(since("LINECALLPARAMS", "dwCallingPartyIDOffset"), V20);
    assert_eq!(since("LINECALLPARAMS", "dwAddressType"), V30);
    // "dwCallTreatment through dwReceivingFlowspecOffset ... 2.0" (2.2.6.19).
    assert_eq!(since("LINECALLINFO", "dwReceivingFlowspecOffset"), V20);
    assert_eq!(since("LINECALLINFO", "dwRedirectingIDAddressType"), V30);
    assert_eq!(since("PHONECAPS", "PermanentPhoneGuid"), V22);
    assert_eq!(since("PHONESTATUS", "dwPhoneFeatures"), V20);
    assert_eq!(since("LINECALLSTATUS", "tStateEntryTime"), V20);
    assert_eq!(since("LINEDEVSTATUS", "dwAppInfoOffset"), V20);
}

// ----- LINEDEVCAPS (2.2.6.23) -----

/// The first 252 bytes of a LINEDEVCAPS (the TAPI 2.0 fixed part): member i (a DWORD at
/// 4 * i) holds 0x100 + i, the dial parameters included; no variable data.
fn linedevcaps_20() -> W {
    let mut w = W::numbered(63, 0x100);
    w.put(32, 0).put(36, 0); // dwLineNameSize/Offset
    w.put(40, STRINGFORMAT_UNICODE); // dwStringFormat
    // dwProviderInfo (12/16), dwSwitchInfo (20/24), dwNumTerminals (204), dwTerminalCaps
    // (208/212), dwTerminalText (216..224), dwDevSpecific (228/232), dwDeviceClasses
    // (244/248): no data.
    for at in [
        12, 16, 20, 24, 204, 208, 212, 216, 220, 224, 228, 232, 244, 248,
    ] {
        w.put(at, 0);
    }
    w
}

/// A TAPI 2.0 server's LINEDEVCAPS (no 2.2/3.x members) with its strings right after the
/// 252-byte fixed part, in a 3.1 client's 512-byte buffer.
fn linedevcaps_from_20_server() -> W {
    let mut w = linedevcaps_20();
    assert_eq!(w.len(), 252);
    w.put(32, utf16_len("Line 1"))
        .put(36, 252)
        .utf16("Line 1")
        .pad();
    let classes_at = w.len();
    w.put(244, 24).put(248, classes_at);
    w.utf16("tapi/line").raw(&[0, 0]); // 20 + 2 + 2 = 24 bytes
    w.pad();
    w.full_sizes(512);
    w
}

#[test]
fn linedevcaps_20_server_read_by_31_client() {
    let w = linedevcaps_from_20_server();
    let caps = LINEDEVCAPS::parse_with(&w.0, V31).unwrap();
    let r = caps.reading();
    assert_eq!(r.fixed_len, 252);
    assert_eq!(r.versions, Some((V20, V21)));
    assert_eq!(r.negotiated, Some(V31));
    assert!(!r.is_guessed());
    // The 2.0 members are read, the newer ones are absent: the string "Line 1" at 252 is not
    // read as PermanentLineGuid.
    assert_eq!(caps.dw_line_features(), Some(0x100 + 59));
    assert_eq!(caps.dw_settable_dev_status(), Some(0x100 + 60));
    assert_eq!(caps.permanent_line_guid(), None);
    assert_eq!(caps.dw_address_types(), None);
    assert_eq!(caps.protocol_guid(), None);
    assert_eq!(caps.dw_available_tracking(), None);
    assert_eq!(text(caps.line_name().unwrap()), "Line 1");
    let classes: Vec<String> = caps
        .device_classes()
        .unwrap()
        .unwrap()
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(classes, ["tapi/line"]);
    caps.raw().validate().unwrap();

    // Without variable data the 2.0 fixed part ends at dwUsedSize (252).
    let mut bare = linedevcaps_20();
    bare.full_sizes(512);
    let caps = LINEDEVCAPS::parse_with(&bare.0, V31).unwrap();
    assert_eq!(caps.reading().fixed_len, 252);
    assert_eq!(caps.permanent_line_guid(), None);

    // The same bytes read by a 2.2 client: the 2.0 part again.
    let caps = LINEDEVCAPS::parse_with(&w.0, V22).unwrap();
    assert_eq!(caps.reading().fixed_len, 252);
    assert_eq!(caps.permanent_line_guid(), None);
}

#[test]
fn linedevcaps_buffer_smaller_than_the_versions_fixed_part() {
    // A 3.1 client's buffer must hold the 292-byte fixed part: dwTotalSize 288 is refused at
    // dwTotalSize (offset 0), whatever the server wrote.
    let mut w = linedevcaps_20();
    w.full_sizes(288);
    let e = LINEDEVCAPS::parse_with(&w.0, V31).unwrap_err();
    assert_eq!(kind(&e), ("LINEDEVCAPS", "dwTotalSize", 0));
    assert_eq!(
        e.kind,
        K::FixedPartTooShort {
            size: 288,
            min: 292
        }
    );
    // The same structure is fine for a 2.0 client (252 <= 288) and for `parse`.
    assert_eq!(
        LINEDEVCAPS::parse_with(&w.0, V20)
            .unwrap()
            .reading()
            .fixed_len,
        252
    );
    assert_eq!(LINEDEVCAPS::parse(&w.0).unwrap().reading().fixed_len, 252);
}

/// A TAPI 3.1 server's LINEDEVCAPS: the 292-byte fixed part (PermanentLineGuid at 252,
/// dwAddressTypes 268, ProtocolGuid 272, dwAvailableTracking 288), then the line name.
fn linedevcaps_from_31_server() -> W {
    let mut w = linedevcaps_20();
    w.raw(&guid_bytes(7))
        .d(0x0000_0001)
        .raw(&guid_bytes(9))
        .d(0x0000_0002);
    assert_eq!(w.len(), 292);
    w.put(32, utf16_len("Line 1"))
        .put(36, 292)
        .utf16("Line 1")
        .pad();
    w.full_sizes(1024);
    w
}

#[test]
fn linedevcaps_31_server_read_by_older_clients() {
    let w = linedevcaps_from_31_server();
    // 2.0: the 3.x and 2.2 members are ignored, the variable part beyond them still resolves.
    let caps = LINEDEVCAPS::parse_with(&w.0, V20).unwrap();
    assert_eq!(caps.reading().fixed_len, 252);
    assert_eq!(caps.reading().versions, Some((V20, V21)));
    assert_eq!(caps.dw_settable_dev_status(), Some(0x100 + 60));
    assert_eq!(caps.permanent_line_guid(), None);
    assert_eq!(caps.dw_address_types(), None);
    assert_eq!(text(caps.line_name().unwrap()), "Line 1");
    assert!(caps.fixed().is_none());
    caps.raw().validate().unwrap();
    // 2.2: PermanentLineGuid, not the 3.0 members.
    let caps = LINEDEVCAPS::parse_with(&w.0, V22).unwrap();
    assert_eq!(caps.reading().fixed_len, 268);
    assert_eq!(caps.permanent_line_guid(), Some(guid(7)));
    assert_eq!(caps.dw_address_types(), None);
    // 1.4 and 1.3.
    let caps = LINEDEVCAPS::parse_with(&w.0, V14).unwrap();
    assert_eq!(caps.reading().fixed_len, 240);
    assert_eq!(caps.dw_line_features(), Some(0x100 + 59));
    assert_eq!(caps.dw_settable_dev_status(), None);
    let caps = LINEDEVCAPS::parse_with(&w.0, V13).unwrap();
    assert_eq!(caps.reading().fixed_len, 236);
    assert_eq!(caps.dw_line_features(), None);
    assert_eq!(text(caps.line_name().unwrap()), "Line 1");
    // 3.0 and 3.1: everything.
    for v in [V30, V31] {
        let caps = LINEDEVCAPS::parse_with(&w.0, v).unwrap();
        assert_eq!(caps.reading().fixed_len, 292);
        assert_eq!(caps.reading().versions, Some((V30, V31)));
        assert_eq!(caps.protocol_guid(), Some(guid(9)));
        assert_eq!(caps.dw_available_tracking(), Some(2));
    }
}

#[test]
fn parse_reports_its_guess() {
    let (w20, w31) = (linedevcaps_from_20_server(), linedevcaps_from_31_server());
    let caps = LINEDEVCAPS::parse(&w20.0).unwrap();
    let r = caps.reading();
    assert!(r.is_guessed());
    assert_eq!(r.fixed_len, 252);
    assert_eq!(r.guessed_version(), Some(V21));
    assert_eq!(r.entry_size, None);
    assert_eq!(
        r.to_string(),
        "LINEDEVCAPS read as the TAPI 2.0-2.1 fixed part (252 bytes), guessed"
    );
    let caps = LINEDEVCAPS::parse(&w31.0).unwrap();
    assert_eq!(caps.reading().guessed_version(), Some(V31));
    let caps = LINEDEVCAPS::parse_with(&w31.0, V22).unwrap();
    assert_eq!(caps.reading().guessed_version(), None);
    assert_eq!(
        caps.reading().to_string(),
        "LINEDEVCAPS read as the TAPI 2.2 fixed part (268 bytes), negotiated TAPI 2.2"
    );
}

// ----- LINEFORWARDLIST (2.2.6.31) and LINEFORWARD (2.2.6.30) -----

/// A LINEFORWARDLIST of two entries of `stride` bytes (24: before TAPI 3.1, 32: 3.1) right
/// after dwTotalSize and dwNumEntries, with entry 0's caller "1" and destination "200" and
/// entry 1's destination "300" after the array. Address types (32-byte entries) are 1 and 2
/// for entry 0, 3 and 4 for entry 1.
fn forward_list(stride: u32) -> W {
    let mut w = W::default();
    w.d(0).d(2);
    let strings = 8 + 2 * stride;
    let (c0, d0, d1) = (strings, strings + 4, strings + 12);
    // Entry 0: dwForwardMode 0x10, caller (4 bytes at c0), country 1, destination (8 at d0).
    w.d(0x10).d(4).d(c0).d(1).d(8).d(d0);
    if stride == 32 {
        w.d(1).d(2);
    }
    // Entry 1: dwForwardMode 0x20, no caller, country 44, destination (8 at d1).
    w.d(0x20).d(0).d(0).d(44).d(8).d(d1);
    if stride == 32 {
        w.d(3).d(4);
    }
    assert_eq!(w.len(), strings);
    w.utf16("1").utf16("200").utf16("300");
    let total = w.len();
    w.put(0, total);
    w
}

#[test]
fn lineforwardlist_24_byte_entries() {
    let w = forward_list(24);
    // Any version before 3.1 reads 24-byte entries.
    for v in [V13, V20, V22, V30] {
        let list = LINEFORWARDLIST::parse_with(&w.0, v).unwrap();
        assert_eq!(list.reading().entry_size, Some(24));
        let e: Vec<LINEFORWARD<'_>> = list.forward_list().unwrap().collect();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].dw_forward_mode(), 0x10);
        assert_eq!(e[0].dw_caller_address_type(), None);
        assert_eq!(text(e[0].caller_address().unwrap()), "1");
        assert_eq!(text(e[0].dest_address().unwrap()), "200");
        assert_eq!(e[1].dw_dest_country_code(), 44);
        assert_eq!(text(e[1].dest_address().unwrap()), "300");
        list.raw().validate().unwrap();
    }
    // 3.1 reads 32-byte entries: entry 0's address types are entry 1's dwForwardMode and
    // dwCallerAddressSize, and its strings (at 56) lie inside the 72-byte array, which a
    // negotiated reading refuses.
    let list = LINEFORWARDLIST::parse_with(&w.0, V31).unwrap();
    assert_eq!(list.reading().entry_size, Some(32));
    let e: Vec<LINEFORWARD<'_>> = list.forward_list().unwrap().collect();
    assert_eq!(e[0].dw_caller_address_type(), Some(0x20));
    assert_eq!(e[0].dw_dest_address_type(), Some(0));
    let err = e[0].caller_address().unwrap_err();
    assert_eq!(
        err.kind,
        K::OverlapsFixedPart {
            value: 56,
            fixed: 72
        }
    );
    assert_eq!(kind(&err), ("LINEFORWARD", "dwCallerAddressOffset", 8 + 8));
    // Guessing picks 24 (the packed, consistent reading) and says so.
    let list = LINEFORWARDLIST::parse(&w.0).unwrap();
    assert_eq!(list.reading().entry_size, Some(24));
    assert!(list.reading().is_guessed());
}

#[test]
fn lineforwardlist_32_byte_entries() {
    let w = forward_list(32);
    let list = LINEFORWARDLIST::parse_with(&w.0, V31).unwrap();
    assert_eq!(list.reading().entry_size, Some(32));
    let e: Vec<LINEFORWARD<'_>> = list.forward_list().unwrap().collect();
    assert_eq!(
        (e[0].dw_caller_address_type(), e[0].dw_dest_address_type()),
        (Some(1), Some(2))
    );
    assert_eq!(
        (e[1].dw_caller_address_type(), e[1].dw_dest_address_type()),
        (Some(3), Some(4))
    );
    assert_eq!(text(e[1].dest_address().unwrap()), "300");
    list.raw().validate().unwrap();
    // A reading before 3.1 steps 24 bytes: entry 0 is right (its first six members), entry 1
    // starts at entry 0's dwCallerAddressType (byte 32): what the negotiated version says.
    for v in [V13, V14, V20, V21, V22, V30] {
        let list = LINEFORWARDLIST::parse_with(&w.0, v).unwrap();
        assert_eq!(list.reading().entry_size, Some(24));
        let e: Vec<LINEFORWARD<'_>> = list.forward_list().unwrap().collect();
        assert_eq!(e[0].dw_forward_mode(), 0x10);
        assert_eq!(e[0].dw_caller_address_type(), None);
        assert_eq!(text(e[0].dest_address().unwrap()), "200");
        assert_eq!(e[1].dw_forward_mode(), 1);
        assert_eq!(e[1].dw_caller_address_size(), 2);
        assert_eq!(e[1].dw_caller_address_offset(), 0x20);
    }
    // Guessing picks 32.
    assert_eq!(
        LINEFORWARDLIST::parse(&w.0).unwrap().reading().entry_size,
        Some(32)
    );
}

#[test]
fn lineforwardlist_array_beyond_total_size() {
    // Two 24-byte entries and no strings: 56 bytes. A 3.1 reading needs 8 + 64.
    let mut w = W::default();
    w.d(56).d(2);
    w.raw(&[0; 48]);
    let e = LINEFORWARDLIST::parse_with(&w.0, V31)
        .unwrap()
        .forward_list()
        .unwrap_err();
    assert_eq!(kind(&e), ("LINEFORWARDLIST", "dwNumEntries", 4));
    assert_eq!(
        e.kind,
        K::EntriesOutOfBounds {
            count: 2,
            stride: 32,
            size: 48
        }
    );
    assert_eq!(
        LINEFORWARDLIST::parse_with(&w.0, V30)
            .unwrap()
            .forward_list()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn lineaddressstatus_forward_entries_per_version() {
    // LINEADDRESSSTATUS (2.2.6.7): 16 DWORDs (64 bytes); dwForwardNumEntries 36,
    // dwForwardSize 40, dwForwardOffset 44. One 24-byte LINEFORWARD at 64.
    let mut w = W::numbered(16, 0);
    for at in [36, 40, 44, 48, 52, 56, 60] {
        w.put(at, 0);
    }
    w.put(36, 1).put(40, 24).put(44, 64);
    w.d(0x1).d(0).d(0).d(33).d(0).d(0);
    w.full_sizes(w.len());
    let s = LINEADDRESSSTATUS::parse_with(&w.0, V30).unwrap();
    let f: Vec<LINEFORWARD<'_>> = s.forward().unwrap().collect();
    assert_eq!((f.len(), f[0].dw_dest_country_code()), (1, 33));
    assert_eq!(s.reading().entry_size, Some(24));
    // A 3.1 reading wants 32 bytes per entry: 1 x 32 does not fit in dwForwardSize 24.
    let e = LINEADDRESSSTATUS::parse_with(&w.0, V31)
        .unwrap()
        .forward()
        .unwrap_err();
    assert_eq!(kind(&e), ("LINEADDRESSSTATUS", "dwForwardSize", 40));
    assert_eq!(
        e.kind,
        K::EntriesOutOfBounds {
            count: 1,
            stride: 32,
            size: 24
        }
    );
}

// ----- LINECALLPARAMS (2.2.6.20) -----

/// LINECALLPARAMS with a `fixed`-byte fixed part whose members hold 0x200 + index (pairs
/// zeroed), then DisplayableAddress "Desk" (dwDisplayableAddressSize 56, Offset 60).
fn linecallparams(fixed: u32) -> W {
    let mut w = W::numbered(fixed / 4, 0x200);
    // Pairs: 48..112 (1.3), 116..164 and 168/172 (2.0).
    for at in (48..112)
        .step_by(4)
        .chain((116..164).step_by(4))
        .chain([168, 172])
    {
        if at + 4 <= fixed as usize {
            w.put(at, 0);
        }
    }
    w.put(56, utf16_len("Desk"))
        .put(60, fixed)
        .utf16("Desk")
        .pad();
    let total = w.len();
    w.put(0, total);
    w
}

#[test]
fn linecallparams_per_version() {
    // A 2.0 client's (176 bytes) read by a 3.1 server: dwAddressType (176) is the string.
    let w = linecallparams(176);
    let p = LINECALLPARAMS::parse_with(&w.0, V31).unwrap();
    assert_eq!(p.reading().fixed_len, 176);
    assert_eq!(p.dw_address_type(), None);
    assert_eq!(p.dw_no_answer_timeout(), Some(0x200 + 41));
    assert_eq!(text(p.displayable_address().unwrap()), "Desk");
    // ... and by a 1.4 server: the 2.0 members are not read, the string still resolves.
    let p = LINECALLPARAMS::parse_with(&w.0, V14).unwrap();
    assert_eq!(p.reading().fixed_len, 112);
    assert_eq!(p.dw_predictive_auto_transfer_states(), None);
    assert_eq!(p.dw_no_answer_timeout(), None);
    assert_eq!(text(p.displayable_address().unwrap()), "Desk");
    // A 3.0 client's (180) read by a 2.2 server: dwAddressType ignored.
    let w = linecallparams(180);
    let p = LINECALLPARAMS::parse_with(&w.0, V22).unwrap();
    assert_eq!(p.reading().fixed_len, 176);
    assert_eq!(p.dw_address_type(), None);
    let p = LINECALLPARAMS::parse_with(&w.0, V30).unwrap();
    assert_eq!(p.dw_address_type(), Some(0x200 + 44));
    // A 1.x client's 112-byte structure with no strings in a 2.0 session: dwTotalSize is
    // below the 176 bytes 2.0 defines.
    let mut w = W::numbered(28, 0x200);
    w.put(0, 112);
    let e = LINECALLPARAMS::parse_with(&w.0, V20).unwrap_err();
    assert_eq!(kind(&e), ("LINECALLPARAMS", "dwTotalSize", 0));
    assert_eq!(
        e.kind,
        K::FixedPartTooShort {
            size: 112,
            min: 176
        }
    );
    assert_eq!(
        LINECALLPARAMS::parse_with(&w.0, V14)
            .unwrap()
            .reading()
            .fixed_len,
        112
    );
}

// ----- LINECALLINFO (2.2.6.19) -----

/// A LINECALLINFO fixed part of `fixed` bytes, members 0x300 + index, pairs (the DWORDs at
/// 132..296 except the flags, and 300..324) zeroed, then AppName "App" in a 1024-byte buffer.
fn linecallinfo(fixed: u32) -> W {
    let mut w = W::numbered(fixed / 4, 0x300);
    // Party-id groups at 108 + 20k: flags, then two pairs; then 11 pairs from 208 to 296;
    // then dwCallData/Flowspec pairs 300..324.
    for k in 0..5 {
        for i in 1..5 {
            w.put(108 + 20 * k + 4 * i, 0);
        }
    }
    let flowspecs = if fixed >= 324 { 300..324 } else { 0..0 };
    for at in (208..296).step_by(4).chain(flowspecs.step_by(4)) {
        w.put(at, 0);
    }
    w.put(208, utf16_len("App"))
        .put(212, fixed)
        .utf16("App")
        .pad();
    w.full_sizes(1024);
    w
}

#[test]
fn linecallinfo_per_version() {
    // A 2.0 server's (324) read by a 3.1 client: the address types (324..344) are absent.
    let w = linecallinfo(324);
    let c = LINECALLINFO::parse_with(&w.0, V31).unwrap();
    assert_eq!(c.reading().fixed_len, 324);
    assert_eq!(c.dw_call_treatment(), Some(0x300 + 74));
    assert_eq!(c.dw_caller_id_address_type(), None);
    assert_eq!(c.dw_redirecting_id_address_type(), None);
    assert_eq!(text(c.app_name().unwrap()), "App");
    // A 3.0 server's (344) read by a 2.0 client and by a 1.4 client.
    let w = linecallinfo(344);
    let c = LINECALLINFO::parse_with(&w.0, V20).unwrap();
    assert_eq!(c.reading().fixed_len, 324);
    assert_eq!(c.dw_call_treatment(), Some(0x300 + 74));
    assert_eq!(c.dw_caller_id_address_type(), None);
    assert_eq!(text(c.app_name().unwrap()), "App");
    let c = LINECALLINFO::parse_with(&w.0, V14).unwrap();
    assert_eq!(c.reading().fixed_len, 296);
    assert_eq!(c.dw_call_treatment(), None);
    let c = LINECALLINFO::parse_with(&w.0, V31).unwrap();
    assert_eq!(c.dw_caller_id_address_type(), Some(0x300 + 81));
    assert_eq!(c.dw_redirecting_id_address_type(), Some(0x300 + 85));
}

// ----- LINEADDRESSCAPS (2.2.6.6) -----

#[test]
fn lineaddresscaps_per_version() {
    // A 1.4 server's (180 bytes, dwAddressFeatures at 176), Address "101" at 180
    // (dwAddressSize 16, Offset 20), other pairs (24/28, 160..172) zeroed, in a 2.0 session.
    let mut w = W::numbered(45, 0x400);
    for at in [16, 20, 24, 28, 164, 168, 172] {
        w.put(at, 0);
    }
    w.put(16, utf16_len("101")).put(20, 180).utf16("101").pad();
    w.full_sizes(600);
    let c = LINEADDRESSCAPS::parse_with(&w.0, V20).unwrap();
    assert_eq!(c.reading().fixed_len, 180);
    assert_eq!(c.reading().versions, Some((V14, V14)));
    assert_eq!(c.dw_address_features(), Some(0x400 + 44));
    assert_eq!(c.dw_predictive_auto_transfer_states(), None);
    assert_eq!(c.dw_available_media_modes(), None);
    assert_eq!(text(c.address().unwrap()), "101");
    // The same read in a 1.3 session: dwAddressFeatures is not a 1.3 member.
    let c = LINEADDRESSCAPS::parse_with(&w.0, V13).unwrap();
    assert_eq!(c.reading().fixed_len, 176);
    assert_eq!(c.dw_address_features(), None);
    assert_eq!(text(c.address().unwrap()), "101");
}

// ----- LINECALLSTATUS (2.2.6.17) -----

#[test]
fn linecallstatus_per_version() {
    // A 2.0 server's: 9 DWORDs, dwCallFeatures2 at 36, tStateEntryTime (8 WORDs) at 40.
    let mut w = W::numbered(9, 0x500);
    w.put(28, 0).put(32, 0);
    w.d(0x77);
    for word in [2026u16, 11, 1, 30, 14, 5, 6, 7] {
        w.raw(&word.to_le_bytes());
    }
    w.full_sizes(56);
    let s = LINECALLSTATUS::parse_with(&w.0, V31).unwrap();
    assert_eq!(s.dw_call_features2(), Some(0x77));
    assert_eq!(s.t_state_entry_time().unwrap().w_year.get(), 2026);
    let s = LINECALLSTATUS::parse_with(&w.0, V14).unwrap();
    assert_eq!(s.reading().fixed_len, 36);
    assert_eq!(s.dw_call_features2(), None);
    assert_eq!(s.t_state_entry_time(), None);
    // A 1.4 server's, device-specific bytes at 36, read in a 3.1 session.
    let mut w = W::numbered(9, 0x500);
    w.put(28, 4).put(32, 36).raw(&[1, 2, 3, 4]);
    w.full_sizes(128);
    let s = LINECALLSTATUS::parse_with(&w.0, V31).unwrap();
    assert_eq!(s.reading().fixed_len, 36);
    assert_eq!(s.dw_call_features2(), None);
    assert_eq!(s.dev_specific().unwrap(), Some(&[1u8, 2, 3, 4][..]));
    // A 3.1 client's 40-byte buffer cannot hold the 2.0 fixed part.
    let mut w = W::numbered(9, 0x500);
    w.put(28, 0).put(32, 0);
    w.full_sizes(40);
    let e = LINECALLSTATUS::parse_with(&w.0, V31).unwrap_err();
    assert_eq!(kind(&e), ("LINECALLSTATUS", "dwTotalSize", 0));
    assert_eq!(e.kind, K::FixedPartTooShort { size: 40, min: 56 });
}

// ----- LINEDEVSTATUS (2.2.6.24) -----

#[test]
fn linedevstatus_per_version() {
    // 19 DWORDs (pairs at 60/64, 68/72); 2.0 adds dwAvailableMediaModes 76, dwAppInfoSize 80,
    // dwAppInfoOffset 84; dwNumOpens (12) counts the LINEAPPINFO entries (40 bytes each).
    let mut w = W::numbered(22, 0x600);
    for at in [60, 64, 68, 72] {
        w.put(at, 0);
    }
    w.put(12, 1).put(80, 40).put(84, 88);
    w.raw(&[0; 36]).d(0x0000_0003); // one LINEAPPINFO, dwAddressID 3
    w.full_sizes(256);
    let s = LINEDEVSTATUS::parse_with(&w.0, V30).unwrap();
    assert_eq!(s.dw_available_media_modes(), Some(0x600 + 19));
    let apps: Vec<_> = s.app_info().unwrap().collect();
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0].dw_address_id(), 3);
    assert_eq!(s.reading().entry_size, Some(40));
    // A 1.4 client: no dwAvailableMediaModes, no AppInfo pair.
    let s = LINEDEVSTATUS::parse_with(&w.0, V14).unwrap();
    assert_eq!(s.reading().fixed_len, 76);
    assert_eq!(s.dw_available_media_modes(), None);
    assert_eq!(s.app_info().unwrap().len(), 0);
}

// ----- LINEAGENTCAPS (2.2.6.13) -----

#[test]
fn lineagentcaps_per_version() {
    // 14 DWORDs: dwAgentHandlerInfoSize/Offset 12/16, dwAgentExtensionIDListSize/Offset
    // 48/52; ProxyGUID at 56 (2.2).
    let mut w = W::numbered(14, 0x700);
    for at in [12, 16, 44, 48, 52] {
        w.put(at, 0);
    }
    w.raw(&guid_bytes(5));
    w.put(12, utf16_len("ACD")).put(16, 72).utf16("ACD").pad();
    w.full_sizes(200);
    let c = LINEAGENTCAPS::parse_with(&w.0, V22).unwrap();
    assert_eq!(c.proxy_guid(), Some(guid(5)));
    let c = LINEAGENTCAPS::parse_with(&w.0, V20).unwrap();
    assert_eq!(c.reading().fixed_len, 56);
    assert_eq!(c.proxy_guid(), None);
    assert_eq!(text(c.agent_handler_info().unwrap()), "ACD");
    // A 2.0 agent handler's (string at 56) in a 3.1 session.
    let mut w = W::numbered(14, 0x700);
    for at in [44, 48, 52] {
        w.put(at, 0);
    }
    w.put(12, utf16_len("ACD")).put(16, 56).utf16("ACD").pad();
    w.full_sizes(200);
    let c = LINEAGENTCAPS::parse_with(&w.0, V31).unwrap();
    assert_eq!(c.reading().fixed_len, 56);
    assert_eq!(c.proxy_guid(), None);
    assert_eq!(text(c.agent_handler_info().unwrap()), "ACD");
}

// ----- PHONECAPS (2.2.6.42), PHONESTATUS (2.2.6.46), PHONEBUTTONINFO (2.2.6.41) -----

#[test]
fn phone_structures_per_version() {
    // PHONECAPS: 45 DWORDs (180) then PermanentPhoneGuid (2.2); every pair zeroed.
    let mut w = W::numbered(45, 0x800);
    for at in [
        12, 16, 20, 24, 32, 36, 92, 96, 100, 104, 108, 112, 120, 124, 132, 136, 140, 144,
    ] {
        w.put(at, 0);
    }
    w.put(148, 0).raw(&guid_bytes(3)); // dwDeviceClassesOffset, then the GUID at 180
    w.put(144, 0);
    w.full_sizes(196);
    let c = PHONECAPS::parse_with(&w.0, V31).unwrap();
    assert_eq!(c.permanent_phone_guid(), Some(guid(3)));
    assert_eq!(c.dw_monitored_headset_hook_switch_modes(), Some(0x800 + 44));
    let c = PHONECAPS::parse_with(&w.0, V20).unwrap();
    assert_eq!(c.reading().fixed_len, 180);
    assert_eq!(c.permanent_phone_guid(), None);
    let c = PHONECAPS::parse_with(&w.0, V14).unwrap();
    assert_eq!(c.reading().fixed_len, 144);
    assert_eq!(c.dw_phone_features(), None);

    // PHONESTATUS: 25 DWORDs, dwPhoneFeatures at 100 (2.0).
    let mut w = W::numbered(26, 0x900);
    for at in [72, 76, 80, 84, 88, 92, 96] {
        w.put(at, 0);
    }
    w.full_sizes(104);
    assert_eq!(
        PHONESTATUS::parse_with(&w.0, V20)
            .unwrap()
            .dw_phone_features(),
        Some(0x900 + 25)
    );
    assert_eq!(
        PHONESTATUS::parse_with(&w.0, V14)
            .unwrap()
            .dw_phone_features(),
        None
    );

    // PHONEBUTTONINFO: 9 DWORDs, dwButtonState at 36 (1.4).
    let mut w = W::numbered(10, 0xA00);
    for at in [20, 24, 28, 32] {
        w.put(at, 0);
    }
    w.full_sizes(40);
    assert_eq!(
        PHONEBUTTONINFO::parse_with(&w.0, V14)
            .unwrap()
            .dw_button_state(),
        Some(0xA00 + 9)
    );
    assert_eq!(
        PHONEBUTTONINFO::parse_with(&w.0, V13)
            .unwrap()
            .dw_button_state(),
        None
    );
}

// ----- decode_any_with, builders -----

#[test]
fn decode_any_with_reads_the_versions_layout() {
    let w = linedevcaps_from_31_server();
    let any = structures::decode_any_with("LINEDEVCAPS", &w.0, V20)
        .unwrap()
        .unwrap();
    assert_eq!(any.raw().reading().fixed_len, 252);
    assert_eq!(any.raw().version(), Some(V20));
    assert!(structures::decode_any_with("NOSUCH", &w.0, V20).is_none());
}

#[test]
fn typed_builder_for_version() {
    // A 2.0 server's LINEDEVCAPS: the 252-byte fixed part, the line name right after it.
    let bytes = LINEDEVCAPS::builder()
        .for_version(V20)
        .dw_string_format(STRINGFORMAT_UNICODE)
        .dw_num_addresses(2)
        .permanent_line_guid(guid(1)) // not a 2.0 member: not written
        .line_name("Line 1")
        .to_vec();
    let used = 252 + utf16_len("Line 1") as usize; // 266
    assert_eq!(bytes.len(), used + 2); // padded to a DWORD boundary
    let dword = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
    assert_eq!(dword(8), 268); // dwUsedSize
    assert_eq!(dword(32), utf16_len("Line 1")); // dwLineNameSize
    assert_eq!(dword(36), 252); // dwLineNameOffset
    assert_eq!(dword(40), STRINGFORMAT_UNICODE); // dwStringFormat
    assert_eq!(dword(48), 2); // dwNumAddresses
    let caps = LINEDEVCAPS::parse_with(&bytes, V20).unwrap();
    assert_eq!(caps.reading().fixed_len, 252);
    assert_eq!(text(caps.line_name().unwrap()), "Line 1");
    // In a 3.1 client's larger buffer (spare bytes after dwUsedSize), read in 3.1.
    let bytes = LINEDEVCAPS::builder()
        .for_version(V20)
        .line_name("Line 1")
        .spare(100)
        .to_vec();
    let caps = LINEDEVCAPS::parse_with(&bytes, V31).unwrap();
    assert_eq!(caps.reading().fixed_len, 252);
    assert_eq!(caps.permanent_line_guid(), None);

    // Every structure in every version: what the builder writes for a version reads back as
    // that version's fixed part.
    for (name, sizes) in LAYOUTS {
        let d = structures::desc_by_name(name).unwrap();
        for (v, size) in TAPI_VERSIONS.iter().zip(sizes) {
            let b = StructBuilder::new(d).for_version(*v).to_vec();
            let any = structures::decode_any_with(name, &b, *v).unwrap().unwrap();
            assert_eq!(any.raw().reading().fixed_len, *size, "{name} {v:?}");
        }
    }
}

#[test]
fn typed_builder_entries_and_items() {
    let list = LINEFORWARDLIST::builder()
        .forward_list([structures::build::LINEFORWARD::new()
            .for_version(V30)
            .dw_forward_mode(0x10)
            .dest_address("200")])
        .to_vec();
    // dwTotalSize 8 + 24 + 8 ("200" with its NUL), dwNumEntries 1, the destination at 32.
    assert_eq!(&list[..8], &[40, 0, 0, 0, 1, 0, 0, 0]);
    assert_eq!(&list[8..12], &0x10u32.to_le_bytes());
    assert_eq!(&list[24..32], &[8, 0, 0, 0, 32, 0, 0, 0]);
    let l = LINEFORWARDLIST::parse_with(&list, V30).unwrap();
    let e: Vec<_> = l.forward_list().unwrap().collect();
    assert_eq!(text(e[0].dest_address().unwrap()), "200");
}

#[test]
fn try_set_reports_instead_of_panicking() {
    let b = StructBuilder::new(LINEDEVCAPS::DESC);
    assert_eq!(
        b.clone().try_set("dwStringFromat", 3).unwrap_err(),
        BuildError::NoSuchMember {
            structure: "LINEDEVCAPS",
            name: "dwStringFromat".into()
        }
    );
    assert_eq!(
        b.clone().try_set("PermanentLineGuid", 3).unwrap_err(),
        BuildError::WrongSize {
            structure: "LINEDEVCAPS",
            member: "PermanentLineGuid",
            size: 16,
            given: 4
        }
    );
    assert!(matches!(
        b.clone().try_payload("LineNmae", "x"),
        Err(BuildError::NoSuchMember { .. })
    ));
    let bytes = b
        .try_set("dwNumAddresses", 5)
        .unwrap()
        .try_payload("LineName", "x")
        .unwrap()
        .to_vec();
    assert_eq!(&bytes[48..52], &5u32.to_le_bytes());
    // dwLineNameSize 4 ("x" and its NUL), dwLineNameOffset 292 (after the 3.0 fixed part).
    assert_eq!(&bytes[32..40], &[4, 0, 0, 0, 0x24, 1, 0, 0]);
}

/// `parse_with` never panics, whatever the bytes and the version: pseudo-random buffers with
/// plausible size members, for every structure and version, resolved in full.
#[test]
fn parse_with_never_panics() {
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for d in structures::ALL {
        for v in TAPI_VERSIONS {
            for _ in 0..200 {
                let len = (next() % 400) as usize;
                let mut b: Vec<u8> = (0..len).map(|_| next() as u8).collect();
                if len >= 12 && next() % 4 != 0 {
                    let used = (next() % (len as u64 + 1)) as u32;
                    b[..4].copy_from_slice(&(len as u32).to_le_bytes());
                    b[8..12].copy_from_slice(&used.to_le_bytes());
                }
                // Small sizes and offsets, so that pairs often resolve.
                for i in (12..len.saturating_sub(3)).step_by(4) {
                    if next() % 2 == 0 {
                        let small = (next() % (len as u64 + 8)) as u32;
                        b[i..i + 4].copy_from_slice(&small.to_le_bytes());
                    }
                }
                if let Some(Ok(any)) = structures::decode_any_with(d.name, &b, v) {
                    let raw = any.raw();
                    let _ = raw.validate();
                    let r = raw.reading();
                    assert!(r.fixed_len <= d.fixed_size(v), "{} {v:?}", d.name);
                    assert_eq!(r.negotiated, Some(v));
                    for item in raw.var_items() {
                        if let Ok(entries) = item.entries() {
                            for e in entries {
                                let _ = e.validate();
                            }
                        }
                    }
                }
            }
        }
    }
}
