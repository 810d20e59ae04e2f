//! Negative tests for the data structures of 2.2.6: every rule the decoder enforces, each
//! error naming the structure, the member (spec spelling) and its byte offset.

use mstrp::errors::{DecodeError, DecodeErrorKind as K};
use mstrp::structures::{self, LINEAGENTACTIVITYLIST, LINECALLPARAMS, LINEPROVIDERLIST, VARSTRING};

fn le(words: &[u32]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_le_bytes()).collect()
}

/// A 36-byte VARSTRING (2.2.6.46) whose string is (size, offset), Unicode.
fn varstring(used: u32, size: u32, offset: u32) -> Vec<u8> {
    let mut b = le(&[36, 36, used, 3, size, offset]);
    b.extend_from_slice(&[b'A', 0, b'B', 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    b
}

fn string_err(bytes: &[u8]) -> DecodeError {
    VARSTRING::parse(bytes).unwrap().string().unwrap_err()
}

#[test]
fn offset_past_used_size() {
    // dwUsedSize 24: the variable part is not "useful information" and cannot be read.
    let e = string_err(&varstring(24, 6, 24));
    assert_eq!(
        (e.packet, e.field, e.offset),
        ("VARSTRING", "dwStringOffset", 20)
    );
    assert!(matches!(
        e.kind,
        K::SizeOutOfBounds {
            value: 24,
            size: 6,
            len: 24
        }
    ));
    let e = string_err(&varstring(28, 2, 32));
    assert!(matches!(
        e.kind,
        K::OffsetOutOfBounds { value: 32, len: 28 }
    ));
    // Inside dwUsedSize it resolves.
    assert!(
        VARSTRING::parse(&varstring(36, 6, 24))
            .unwrap()
            .string()
            .unwrap()
            .unwrap()
            .eq_str("AB")
    );
}

#[test]
fn offset_into_fixed_part() {
    let e = string_err(&varstring(36, 4, 16));
    assert_eq!(e.field, "dwStringOffset");
    assert!(matches!(
        e.kind,
        K::OverlapsFixedPart {
            value: 16,
            fixed: 24
        }
    ));
}

#[test]
fn misaligned_offsets() {
    // A Unicode string at an odd offset.
    let e = string_err(&varstring(36, 4, 25));
    assert!(matches!(
        e.kind,
        K::Misaligned {
            value: 25,
            align: 2
        }
    ));
    // An entry array at an offset that is not a DWORD multiple.
    let mut b = le(&[40, 40, 40, 1, 12, 26, 0, 0, 0, 0]);
    b.truncate(40);
    let l = LINEAGENTACTIVITYLIST::parse(&b).unwrap();
    let e = l.list().unwrap_err();
    assert_eq!((e.field, e.offset), ("dwListOffset", 20));
    assert!(matches!(
        e.kind,
        K::Misaligned {
            value: 26,
            align: 4
        }
    ));
}

#[test]
fn offset_plus_size_overflows() {
    let e = string_err(&varstring(36, 0x20, 0xFFFF_FFF0));
    assert!(matches!(
        e.kind,
        K::Overflow {
            value: 0xFFFF_FFF0,
            size: 0x20
        }
    ));
}

#[test]
fn used_size_exceeds_total_size() {
    let mut b = varstring(36, 0, 0);
    b[8..12].copy_from_slice(&40u32.to_le_bytes());
    let e = VARSTRING::parse(&b).unwrap_err();
    assert_eq!(
        (e.packet, e.field, e.offset),
        ("VARSTRING", "dwUsedSize", 8)
    );
    assert!(matches!(
        e.kind,
        K::UsedExceedsTotal {
            used: 40,
            total: 36
        }
    ));
}

#[test]
fn total_size_exceeds_buffer() {
    let b = varstring(36, 0, 0);
    let e = VARSTRING::parse(&b[..32]).unwrap_err();
    assert_eq!((e.field, e.offset), ("dwTotalSize", 0));
    assert!(matches!(
        e.kind,
        K::Truncated {
            needed: 36,
            actual: 32
        }
    ));
    let e = VARSTRING::parse(&b[..8]).unwrap_err();
    assert!(matches!(
        e.kind,
        K::Truncated {
            needed: 12,
            actual: 8
        }
    ));
}

#[test]
fn fixed_part_shorter_than_oldest_version() {
    // LINECALLPARAMS has no dwUsedSize: dwTotalSize bounds it, and must cover the oldest
    // fixed part (TAPI 1.3: 112 bytes, up to dwDevSpecificOffset; the SDK adds
    // dwPredictiveAutoTransferStates..dwCallingPartyIDOffset in 2.0, dwAddressType in 3.0).
    let mut b = vec![0u8; 180];
    b[..4].copy_from_slice(&100u32.to_le_bytes());
    let e = LINECALLPARAMS::parse(&b).unwrap_err();
    assert_eq!(
        (e.packet, e.field, e.offset),
        ("LINECALLPARAMS", "dwTotalSize", 0)
    );
    assert!(matches!(
        e.kind,
        K::FixedPartTooShort {
            size: 100,
            min: 112
        }
    ));
    // An entry decoded alone needs its fixed part too.
    let e = structures::decode_any("LINEPROVIDERENTRY", &[0; 8])
        .unwrap()
        .unwrap_err();
    assert!(matches!(e.kind, K::FixedPartTooShort { size: 8, min: 12 }));
}

#[test]
fn entries_exceed_their_array() {
    // dwNumEntries 3 but dwListSize 24 (two LINEAGENTACTIVITYENTRY of 12 bytes).
    let mut b = le(&[48, 48, 48, 3, 24, 24]);
    b.extend_from_slice(&[0; 24]);
    let e = LINEAGENTACTIVITYLIST::parse(&b)
        .unwrap()
        .list()
        .unwrap_err();
    assert_eq!((e.field, e.offset), ("dwListSize", 16));
    assert!(matches!(
        e.kind,
        K::EntriesOutOfBounds {
            count: 3,
            stride: 12,
            size: 24
        }
    ));
}

#[test]
fn odd_unicode_size() {
    let e = string_err(&varstring(36, 5, 24));
    assert_eq!(e.field, "dwStringSize");
    assert!(matches!(e.kind, K::OddStringSize { size: 5 }));
}

#[test]
fn entry_errors_name_the_entry_and_its_position() {
    // Second LINEPROVIDERENTRY's filename points past dwUsedSize.
    let mut b = le(&[48, 48, 48, 2, 24, 24, 1, 0, 0, 2, 8, 60]);
    assert_eq!(b.len(), 48);
    b.extend_from_slice(&[0; 4]);
    let l = LINEPROVIDERLIST::parse(&b).unwrap();
    let entries: Vec<_> = l.provider_list().unwrap().collect();
    assert_eq!(entries[0].provider_filename().unwrap(), None);
    let e = entries[1].provider_filename().unwrap_err();
    assert_eq!(
        (e.packet, e.field, e.offset),
        ("LINEPROVIDERENTRY", "dwProviderFilenameOffset", 44)
    );
    assert!(matches!(
        e.kind,
        K::OffsetOutOfBounds { value: 60, len: 48 }
    ));
    assert_eq!(l.raw().validate().unwrap_err(), e);
}

#[test]
fn unknown_structure_name() {
    assert!(structures::decode_any("LINEDEVCAPZ", &[0; 64]).is_none());
    assert!(structures::desc_by_name("LINEDEVCAPS").is_some());
}

#[test]
fn arbitrary_bytes_never_panic() {
    // Every structure over every prefix of a hostile buffer: sizes and offsets all 0xFF..,
    // or small values.
    let mut hostile = vec![0xFFu8; 400];
    for (i, b) in hostile.iter_mut().enumerate().skip(12) {
        *b = if i % 8 < 4 { (i % 7) as u8 * 4 } else { 0xFF };
    }
    for d in structures::ALL {
        for n in [0, 3, 4, 12, 24, 64, 200, 400] {
            let bytes = &hostile[..n];
            if let Some(Ok(s)) = structures::decode_any(d.name, bytes) {
                let _ = s.raw().validate();
                let _ = format!("{s:?}");
            }
        }
    }
}

/// LINEDEVCAPS `TerminalText` (2.2.6.23) with `dwTerminalTextEntrySize` (byte 216) set to
/// `entry_size`, an 8-byte table and `dwStringFormat` `format`.
fn terminal_text(entry_size: u32, format: u32) -> Vec<u8> {
    use mstrp::encoding::Payload;
    // Raw bytes, not the typed table setter (which writes only well-formed tables).
    structures::LINEDEVCAPS::builder()
        .dw_string_format(format)
        .dw_terminal_text_entry_size(entry_size)
        .into_inner()
        .payload("TerminalText", Payload::Bytes(b"a\0b\0c\0d\0".to_vec()))
        .to_vec()
}

#[test]
fn text_table_entry_size_zero_or_not_dividing() {
    for entry_size in [0, 3, 16] {
        let bytes = terminal_text(entry_size, structures::STRINGFORMAT_ASCII);
        let caps = structures::LINEDEVCAPS::parse(&bytes).unwrap();
        let e = caps.terminal_text().unwrap_err();
        assert_eq!(
            (e.packet, e.field, e.offset),
            ("LINEDEVCAPS", "dwTerminalTextEntrySize", 216),
            "{entry_size}"
        );
        assert!(matches!(
            e.kind,
            K::EntrySizeMismatch { size: 8, entry_size: n } if n == entry_size
        ));
        assert_eq!(caps.raw().validate().unwrap_err(), e);
    }
    // The table type itself refuses an entry size of 0.
    assert_eq!(
        structures::TextTable::new(b"ab", 0, structures::STRINGFORMAT_ASCII),
        Err(0)
    );
    // 8 bytes in 2- or 4-byte ASCII entries are fine.
    let bytes = terminal_text(2, structures::STRINGFORMAT_ASCII);
    let caps = structures::LINEDEVCAPS::parse(&bytes).unwrap();
    assert_eq!(caps.terminal_text().unwrap().unwrap().len(), 4);
}

#[test]
fn text_table_odd_unicode_entry_size() {
    let bytes = terminal_text(1, structures::STRINGFORMAT_UNICODE);
    let e = structures::LINEDEVCAPS::parse(&bytes)
        .unwrap()
        .terminal_text()
        .unwrap_err();
    assert_eq!(e.field, "dwTerminalTextEntrySize");
    assert!(matches!(e.kind, K::OddStringSize { size: 1 }));
    // The same 8 bytes are the UTF-16LE units of "abcd": two 4-byte entries.
    let bytes = terminal_text(4, structures::STRINGFORMAT_UNICODE);
    let table = structures::LINEDEVCAPS::parse(&bytes)
        .unwrap()
        .terminal_text()
        .unwrap()
        .unwrap();
    let texts: Vec<String> = table.iter().map(|t| t.to_string()).collect();
    assert_eq!(texts, ["ab", "cd"]);
}
