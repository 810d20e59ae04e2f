//! Structures carried in events are read at the negotiated version (issue 9).
//!
//! A GetAgentCaps completion (2.2.4.2.2.10: Totalsize, InitContext, lpContext, hDevice, Msg =
//! LINE_REPLY 0x0C, OpenContext, dwRequestId, Result, lpAgentCapsContext, dwSize, then the
//! LINEAGENTCAPS, QWORD-padded) laid out by hand. LINEAGENTCAPS (2.2.6.13) is 56 bytes before
//! TAPI 2.2 and 72 from 2.2 on (ProxyGUID, "72 bytes" in 2.2.6.28; spec-notes/structures.md
//! section 11).

use mstrp::errors::{DecodeErrorKind, Origin};
use mstrp::events::RawEvent;
use mstrp::events::completions::SpecialCompletion;
use mstrp::handles::Version;
use mstrp::requests::FuncId;

fn completion(caps: &[u8]) -> Vec<u8> {
    let padded = caps.len().div_ceil(8) * 8;
    let total = 40 + padded;
    let mut b = Vec::new();
    for d in [
        total as u32,      // Totalsize
        0x11,              // InitContext
        0x22,              // lpContext
        0x33,              // hDevice
        0x0C,              // Msg: LINE_REPLY
        0x44,              // OpenContext
        7,                 // dwRequestId
        0,                 // Result
        0x55,              // lpAgentCapsContext
        caps.len() as u32, // dwSize
    ] {
        b.extend_from_slice(&d.to_le_bytes());
    }
    b.extend_from_slice(caps);
    b.resize(total, 0);
    b
}

/// A LINEAGENTCAPS of `len` bytes with dwTotalSize = dwNeededSize = dwUsedSize = `len` and
/// every other member zero.
fn agent_caps(len: u32) -> Vec<u8> {
    let mut c = vec![0u8; len as usize];
    for at in [0, 4, 8] {
        c[at..at + 4].copy_from_slice(&len.to_le_bytes());
    }
    c
}

fn caps_reading(
    event: &[u8],
    version: Option<Version>,
) -> Result<usize, mstrp::errors::DecodeError> {
    let raw = RawEvent::parse(event).unwrap();
    let c = SpecialCompletion::parse(FuncId::LineGetAgentCaps, raw)
        .unwrap()
        .expect("GetAgentCaps has a special-case completion");
    let t = c.typed();
    let s = match version {
        Some(v) => t.structure_with(v),
        None => t.structure(),
    }?
    .expect("the completion carries a LINEAGENTCAPS");
    assert_eq!(s.raw().desc().name, "LINEAGENTCAPS");
    Ok(s.raw().reading().fixed_len)
}

#[test]
fn a_2_2_servers_agent_caps_read_at_each_version() {
    let event = completion(&agent_caps(72));
    assert_eq!(caps_reading(&event, None).unwrap(), 72);
    assert_eq!(caps_reading(&event, Some(Version::TAPI_2_2)).unwrap(), 72);
    assert_eq!(caps_reading(&event, Some(Version::TAPI_3_1)).unwrap(), 72);
    // A 2.0 client reads only the 2.0 fixed part: ProxyGUID is not a member there.
    assert_eq!(caps_reading(&event, Some(Version::TAPI_2_0)).unwrap(), 56);
}

#[test]
fn a_2_0_servers_agent_caps_is_too_small_for_a_2_2_session() {
    let event = completion(&agent_caps(56));
    assert_eq!(caps_reading(&event, None).unwrap(), 56);
    assert_eq!(caps_reading(&event, Some(Version::TAPI_2_0)).unwrap(), 56);
    let err = caps_reading(&event, Some(Version::TAPI_2_2)).unwrap_err();
    assert_eq!(err.packet, "LINEAGENTCAPS");
    assert_eq!(
        err.kind,
        DecodeErrorKind::FixedPartTooShort { size: 56, min: 72 }
    );
    assert_eq!(
        err.within,
        Some(Origin {
            packet: "GetAgentCaps",
            field: "VarData",
            offset: 40
        })
    );
}
