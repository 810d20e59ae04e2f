//! Property tests of the capture layer: arbitrary bytes as a capture file, arbitrary frames
//! in a valid container, mutated real captures and arbitrary SMB2 bytes never panic and keep
//! memory within the limits; any segmentation, reordering and duplication of a stream
//! reassembles to exactly that stream.
#![cfg(feature = "pcap")]

#[path = "common/tshark_capture.rs"]
mod tshark_capture;

use std::sync::OnceLock;

use mstrp::capture::packet::{TcpFlags, TcpSegment};
use mstrp::capture::smb2::{Smb2Config, Smb2Demux};
use mstrp::capture::tcp::{Reassembler, TcpConfig};
use mstrp::capture::write::{CaptureWriter, Fault, Format};
use mstrp::capture::{
    self, ConnId, Direction, FrameLimits, Frames, StreamEvent, StreamId, TransportConfig,
};
use proptest::prelude::*;
use tshark_capture::Streams;

/// Runs bytes through the whole layer; returns the number of events.
fn run(file: &[u8]) -> usize {
    let limits = FrameLimits {
        initial_buffer: 256,
        max_record: 1 << 16,
    };
    let Ok(frames) = Frames::with_limits(file, limits) else {
        return 0;
    };
    let mut config = TransportConfig::default();
    config.tcp.max_connections = 16;
    config.tcp.max_buffered_total = 1 << 16;
    let mut events = capture::Transport::new(config).events(frames);
    let mut n = 0;
    while let Some(e) = events.next() {
        if let StreamEvent::Problem(p) = &e {
            let _ = p.to_string();
        }
        n += 1;
        assert!(events.transport().open_connections() <= 16);
    }
    n
}

fn pcap_header(link: u16) -> Vec<u8> {
    let mut h = vec![
        0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0,
    ];
    h.extend(u32::from(link).to_le_bytes());
    h
}

/// A realistic capture to mutate: TCP with faults and an SMB2 pipe conversation.
fn sample() -> &'static [u8] {
    static S: OnceLock<Vec<u8>> = OnceLock::new();
    S.get_or_init(|| {
        let mut w = CaptureWriter::new(Format::PcapNg).with_vlan(3);
        let mut c = w.tcp_conversation(
            "10.0.0.1:50000".parse().unwrap(),
            "10.0.0.2:135".parse().unwrap(),
        );
        c.client_sends(&[1; 3000]);
        c.fault_next(Fault::SwapWithNext).server_sends(&[2; 3000]);
        c.fault_next(Fault::Drop).client_sends(&[3; 3000]);
        c.close();
        let mut s = w.smb_pipe_conversation(
            "[fd00::1]:50001".parse().unwrap(),
            "[fd00::2]:445".parse().unwrap(),
            "tapsrv",
        );
        s.transceive(&[4; 2000], &[5; 100]).write(b"w").read(b"r");
        s.compound_write_read(b"a", b"b");
        s.close();
        w.finish()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        run(&bytes);
    }

    #[test]
    fn arbitrary_bytes_after_a_capture_magic_never_panic(
        ng in any::<bool>(),
        bytes in proptest::collection::vec(any::<u8>(), 0..2048),
    ) {
        let magic: &[u8] = if ng { &[0x0a, 0x0d, 0x0d, 0x0a] } else { &[0xd4, 0xc3, 0xb2, 0xa1] };
        run(&[magic, &bytes].concat());
    }

    #[test]
    fn arbitrary_frames_in_a_valid_pcap_never_panic(
        link in prop::sample::select(vec![0u16, 1, 101, 108, 113, 228, 229, 276, 7]),
        frames in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..200), 0..20),
        tcp_prefix in any::<bool>(),
    ) {
        let mut file = pcap_header(link);
        for f in &frames {
            // Optionally start like Ethernet + IPv4 + TCP so the deeper layers are reached.
            let mut data = if tcp_prefix && link == 1 {
                let mut p = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00, 0x45, 0];
                p.extend(((40 + f.len()) as u16).to_be_bytes());
                p.extend([0, 0, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 0x01, 0xbd]);
                p
            } else {
                Vec::new()
            };
            data.extend(f);
            file.extend([0; 8]);
            file.extend((data.len() as u32).to_le_bytes());
            file.extend((data.len() as u32).to_le_bytes());
            file.extend(&data);
        }
        run(&file);
    }

    #[test]
    fn mutated_captures_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut file = sample().to_vec();
        for (at, v) in edits {
            let i = at.index(file.len());
            file[i] = v;
        }
        if truncate {
            file.truncate(cut.index(file.len()));
        }
        run(&file);
    }

    #[test]
    fn arbitrary_smb2_bytes_never_panic(
        chunks in proptest::collection::vec((any::<bool>(), proptest::collection::vec(any::<u8>(), 0..300), 0u8..4), 0..24),
    ) {
        let mut d = Smb2Demux::new(
            ConnId(0),
            "10.0.0.1:5".parse().unwrap(),
            "10.0.0.2:445".parse().unwrap(),
            true,
            Smb2Config { max_pending: 8, max_pipes: 4, max_deferred: 256, ..Smb2Config::default() },
        );
        let mut out = Vec::new();
        for (i, (to_server, bytes, shape)) in chunks.into_iter().enumerate() {
            let dir = if to_server { Direction::ClientToServer } else { Direction::ServerToClient };
            // Shape some chunks like a NetBIOS message holding an SMB2 header.
            let bytes = match shape {
                0 => {
                    let len = (64 + bytes.len()) as u32;
                    let mut m = vec![0, (len >> 16) as u8, (len >> 8) as u8, len as u8, 0xFE, b'S', b'M', b'B'];
                    m.extend(bytes.iter().take(56));
                    m.resize(68, 0);
                    m.extend(bytes.iter().skip(56));
                    m.resize(4 + len as usize, 0);
                    m
                }
                1 => {
                    d.gap(dir, i as u64, i as u64 + 1, &mut out);
                    bytes
                }
                _ => bytes,
            };
            d.data(dir, i as u64 + 1, &bytes, &mut out);
            prop_assert!(d.open_pipes() <= 4);
        }
        d.close(99, mstrp::capture::CloseReason::EndOfCapture, &mut out);
    }

    #[test]
    fn arbitrary_segments_keep_the_buffers_bounded(
        segs in proptest::collection::vec(
            (0u8..3, 0u8..3, any::<u32>(), any::<u32>(), 0u8..16, 0usize..600),
            1..60,
        ),
    ) {
        let config = TcpConfig {
            max_buffered_per_direction: 1000,
            max_buffered_total: 1500,
            max_connections: 3,
            retransmit_window: 100,
            recently_closed: 2,
            ..TcpConfig::default()
        };
        let mut r = Reassembler::new(config);
        let mut out = Vec::new();
        let payload = [0x5Au8; 600];
        for (i, (a, b, seq, ack, flags, len)) in segs.into_iter().enumerate() {
            let src = format!("10.0.0.{a}:{}", 1000 + u16::from(a)).parse().unwrap();
            let dst = format!("10.0.1.{b}:{}", 2000 + u16::from(b)).parse().unwrap();
            // Keep sequence numbers close so segments overlap.
            let seg = TcpSegment {
                src,
                dst,
                seq: seq % 4096,
                ack: ack % 4096,
                flags: TcpFlags { syn: flags & 1 != 0, ack: flags & 2 != 0, fin: flags & 4 != 0, rst: flags & 8 != 0 && len % 7 == 0 },
                payload: &payload[..len],
            };
            r.segment(i as u64 + 1, &seg, &mut out);
            prop_assert!(r.buffered_bytes() <= 1500);
            prop_assert!(r.open_connections() <= 3);
        }
        r.finish(1000, &mut out);
        prop_assert_eq!(r.open_connections(), 0);
        prop_assert_eq!(r.buffered_bytes(), 0);
        Streams::collect(out);
    }

    #[test]
    fn any_segmentation_order_and_duplication_reassembles_exactly(
        payload in proptest::collection::vec(any::<u8>(), 1..4000),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..12),
        extra in proptest::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 0..8),
        order in any::<prop::sample::Index>(),
        isn in any::<u32>(),
    ) {
        let n = payload.len();
        let mut points: Vec<usize> = cuts.iter().map(|c| c.index(n)).chain([0, n]).collect();
        points.sort_unstable();
        points.dedup();
        let mut ranges: Vec<(usize, usize)> = points.windows(2).map(|w| (w[0], w[1])).collect();
        // Retransmissions that straddle the original segments.
        for (a, b) in extra {
            let (a, b) = (a.index(n), b.index(n));
            if a != b {
                ranges.push((a.min(b), a.max(b)));
            }
        }
        // A deterministic shuffle driven by `order`.
        let mut seed = order.index(usize::MAX).wrapping_add(1);
        for i in (1..ranges.len()).rev() {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ranges.swap(i, (seed >> 33) % (i + 1));
        }
        let (c, s) = ("10.0.0.1:50000".parse().unwrap(), "10.0.0.2:4444".parse().unwrap());
        let mut r = Reassembler::default();
        let mut out = Vec::new();
        let syn = TcpSegment { src: c, dst: s, seq: isn, ack: 0, flags: TcpFlags { syn: true, ..TcpFlags::default() }, payload: &[] };
        r.segment(1, &syn, &mut out);
        for (i, (a, b)) in ranges.iter().enumerate() {
            let seg = TcpSegment {
                src: c,
                dst: s,
                seq: isn.wrapping_add(1).wrapping_add(*a as u32),
                ack: 0,
                flags: TcpFlags::default(),
                payload: &payload[*a..*b],
            };
            r.segment(i as u64 + 2, &seg, &mut out);
        }
        r.finish(1000, &mut out);
        let st = Streams::collect(out);
        let t = StreamId::Tcp(ConnId(0));
        prop_assert_eq!(st.bytes(t, Direction::ClientToServer), &payload[..]);
        prop_assert!(st.gaps.is_empty());
        prop_assert!(st.problems.is_empty());
    }
}
