//! `trp decode --as auto`: what a buffer most likely is, from its bytes alone.
//!
//! [`detect`] tries, in order: a capture file (the pcap magic 0xA1B2C3D4 / 0xA1B23C4D in
//! either byte order, or the pcapng Section Header Block type 0x0A0D0D0A), a stream of
//! connection-oriented DCE/RPC PDUs (version 5.0, a known PTYPE and a `frag_length` that
//! fits, C706 12.6.3), an ASYNCEVENTMSG buffer ([MS-TRP] 3.3.4.2: `TotalSize` chains that
//! cover the buffer exactly, each event with a documented `Msg`), and a ClientRequest buffer
//! (a documented `Req_Func` whose TAPI32_MSG decodes, 2.2.4.1). A reply cannot be told from
//! a request without knowing the function it answers (`--as reply --func`), so it is never
//! guessed.

use alloc::string::String;
use alloc::vec::Vec;

use serde::Serialize;

use crate::events::{EventBuffer, Msg};
use crate::requests::Request;

/// What [`detect`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DetectedKind {
    /// A pcap or pcapng capture file.
    Capture,
    /// A stream of DCE/RPC PDUs.
    Pdu,
    /// A RemoteSPEventProc buffer of ASYNCEVENTMSG.
    Events,
    /// A ClientRequest buffer.
    Request,
}

/// The guess, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Detected {
    /// What the bytes are taken for.
    pub kind: DetectedKind,
    /// The evidence, for people.
    pub reason: String,
}

fn u32_le(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// Guesses what `bytes` are; `None` when nothing fits.
///
/// ```
/// use mstrp::json::detect::{DetectedKind, detect};
/// let pcapng = [0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0];
/// assert_eq!(detect(&pcapng).unwrap().kind, DetectedKind::Capture);
/// assert!(detect(b"not a packet").is_none());
/// ```
pub fn detect(bytes: &[u8]) -> Option<Detected> {
    let found = |kind, reason: String| Some(Detected { kind, reason });
    match bytes.get(..4) {
        Some([0xd4, 0xc3, 0xb2, 0xa1] | [0xa1, 0xb2, 0xc3, 0xd4]) => {
            return found(DetectedKind::Capture, "pcap magic 0xA1B2C3D4".into());
        }
        Some([0x4d, 0x3c, 0xb2, 0xa1] | [0xa1, 0xb2, 0x3c, 0x4d]) => {
            return found(
                DetectedKind::Capture,
                "pcap magic 0xA1B23C4D (nanoseconds)".into(),
            );
        }
        Some([0x0a, 0x0d, 0x0d, 0x0a]) => {
            return found(
                DetectedKind::Capture,
                "pcapng Section Header Block 0x0A0D0D0A".into(),
            );
        }
        _ => {}
    }
    if let Some(reason) = pdu_header(bytes) {
        return found(DetectedKind::Pdu, reason);
    }
    if let Some(reason) = event_buffer(bytes) {
        return found(DetectedKind::Events, reason);
    }
    if let Ok(request) = Request::parse_strict(bytes) {
        let d = request.desc();
        return found(
            DetectedKind::Request,
            alloc::format!(
                "Req_Func {} ({}) with a TAPI32_MSG that decodes",
                u32_le(bytes, 0).unwrap_or_default(),
                d.map_or("undocumented", |d| d.ident)
            ),
        );
    }
    None
}

/// A connection-oriented PDU header: rpc_vers 5, rpc_vers_minor 0 or 1, PTYPE 0..=19,
/// little- or big-endian `frag_length` of at least the 16-byte header and at most the input.
fn pdu_header(b: &[u8]) -> Option<String> {
    let h = b.get(..16)?;
    if h[0] != 5 || h[1] > 1 || h[2] > 19 {
        return None;
    }
    let frag = if h[4] & 0x10 != 0 {
        u16::from_le_bytes([h[8], h[9]])
    } else {
        u16::from_be_bytes([h[8], h[9]])
    };
    (usize::from(frag) >= 16 && usize::from(frag) <= b.len()).then(|| {
        alloc::format!(
            "DCE/RPC header: version 5.{}, PTYPE {}, frag_length {frag}",
            h[1],
            h[2]
        )
    })
}

/// A pushed event buffer: at least one event, `TotalSize`s covering every byte, every `Msg`
/// documented.
fn event_buffer(b: &[u8]) -> Option<String> {
    let buffer = EventBuffer::new(b);
    let (events, error) = buffer.split();
    if error.is_some() || events.is_empty() {
        return None;
    }
    let covered: usize = events.iter().map(|e| e.total_size() as usize).sum();
    let msgs: Vec<&str> = events
        .iter()
        .map(|e| Msg::from_u32(e.msg()).map(Msg::name))
        .collect::<Option<_>>()?;
    (covered == b.len()).then(|| {
        alloc::format!(
            "{} ASYNCEVENTMSG ({}) whose TotalSize cover the {} bytes",
            events.len(),
            msgs.join(", "),
            b.len()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Samples written by examples/write_capture_samples and the section 4 exchanges.
    #[test]
    fn every_sample_kind() {
        let cases: [(&[u8], DetectedKind); 5] = [
            (
                include_bytes!("../../samples/captures/4.3-tcp.pcapng"),
                DetectedKind::Capture,
            ),
            (
                include_bytes!("../../samples/requests/4.3-1-make-call.bin"),
                DetectedKind::Request,
            ),
            (
                include_bytes!("../../samples/requests/4.1-1-initialize.bin"),
                DetectedKind::Request,
            ),
            (
                include_bytes!("../../samples/events/4.3-makecall-line-reply.bin"),
                DetectedKind::Events,
            ),
            (
                include_bytes!("../../samples/events/4.4-appnewcall-callstate-offering.bin"),
                DetectedKind::Events,
            ),
        ];
        for (bytes, kind) in cases {
            assert_eq!(detect(bytes).map(|d| d.kind), Some(kind));
        }
    }

    #[test]
    fn a_pdu_header() {
        // A bind header as C706 12.6.3.1 lays it out: 5.0, PTYPE 11, little-endian data
        // representation, frag_length 16.
        let bind = [5, 0, 11, 3, 0x10, 0, 0, 0, 16, 0, 0, 0, 1, 0, 0, 0];
        assert_eq!(detect(&bind).unwrap().kind, DetectedKind::Pdu);
        let mut too_long = bind;
        too_long[8] = 17;
        assert_ne!(detect(&too_long).map(|d| d.kind), Some(DetectedKind::Pdu));
    }

    #[test]
    fn classic_pcap_both_byte_orders() {
        assert_eq!(
            detect(&[0xd4, 0xc3, 0xb2, 0xa1]).unwrap().kind,
            DetectedKind::Capture
        );
        assert_eq!(
            detect(&[0xa1, 0xb2, 0x3c, 0x4d]).unwrap().kind,
            DetectedKind::Capture
        );
    }

    #[test]
    fn an_undocumented_req_func_is_not_a_request() {
        let mut b = include_bytes!("../../samples/requests/4.3-1-make-call.bin").to_vec();
        b[..4].copy_from_slice(&121u32.to_le_bytes());
        assert_ne!(detect(&b).map(|d| d.kind), Some(DetectedKind::Request));
    }

    #[test]
    fn short_garbage_is_nothing() {
        assert!(detect(&[1, 2, 3]).is_none());
    }
}
