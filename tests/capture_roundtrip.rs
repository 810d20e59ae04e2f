//! Round trips through the capture layer: conversations written by `capture::write` read back
//! by `capture::frames`, `tcp`, `smb2` and the transport give exactly the payload streams,
//! for pcap and pcapng, IPv4 and IPv6, with and without an 802.1Q tag.
#![cfg(feature = "pcap")]

#[path = "common/tshark_capture.rs"]
mod tshark_capture;

use std::net::SocketAddr;

use mstrp::capture::write::{CaptureWriter, Format, TcpOptions};
use mstrp::capture::{CloseReason, Direction, Frames, LinkType, StreamId};
use tshark_capture::read;

const C2S: Direction = Direction::ClientToServer;
const S2C: Direction = Direction::ServerToClient;

/// Deterministic pseudo-random bytes (an LCG), never starting like a DCE/RPC header.
pub fn bytes(seed: u32, n: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    (0..n)
        .map(|i| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            if i == 0 { 0x42 } else { (x >> 16) as u8 }
        })
        .collect()
}

fn endpoints(v6: bool, server_port: u16, n: u16) -> (SocketAddr, SocketAddr) {
    if v6 {
        (
            format!("[fd00::10:1]:{}", 49152 + n).parse().unwrap(),
            format!("[fd00::20:2]:{server_port}").parse().unwrap(),
        )
    } else {
        (
            format!("192.168.56.10:{}", 49152 + n).parse().unwrap(),
            format!("192.168.56.20:{server_port}").parse().unwrap(),
        )
    }
}

fn writer(format: Format, vlan: Option<u16>) -> CaptureWriter {
    let w = CaptureWriter::new(format);
    match vlan {
        Some(id) => w.with_vlan(id),
        None => w,
    }
}

/// Every combination of container, IP version and VLAN tagging.
fn variants() -> Vec<(Format, bool, Option<u16>)> {
    let mut v = Vec::new();
    for format in [Format::Pcap, Format::PcapNg] {
        for v6 in [false, true] {
            for vlan in [None, Some(100)] {
                v.push((format, v6, vlan));
            }
        }
    }
    v
}

#[test]
fn tcp_streams_round_trip() {
    for (format, v6, vlan) in variants() {
        let label = format!("{format:?} v6={v6} vlan={vlan:?}");
        let mut w = writer(format, vlan);
        let (client, server) = endpoints(v6, 4444, 1);
        let opts = TcpOptions {
            mss: 536,
            ..TcpOptions::default()
        };
        let (a, b, c, d) = (bytes(1, 3000), bytes(2, 10), bytes(3, 1), bytes(4, 5000));
        let mut conv = w.tcp_conversation_with(client, server, opts);
        conv.client_sends(&a)
            .server_sends(&b)
            .client_sends(&c)
            .server_sends(&d);
        conv.close();
        let file = w.finish();

        let (s, stats) = read(&file);
        assert_eq!(
            s.tcp(),
            vec![StreamId::Tcp(mstrp::capture::ConnId(0))],
            "{label}"
        );
        let t = s.tcp()[0];
        let o = s.opened(t);
        assert_eq!(
            (o.client, o.server, o.frame, o.mid_stream),
            (client, server, 1, false),
            "{label}"
        );
        assert_eq!(s.bytes(t, C2S), [a, c].concat(), "{label}");
        assert_eq!(s.bytes(t, S2C), [b, d].concat(), "{label}");
        assert!(
            s.gaps.is_empty() && s.problems.is_empty(),
            "{label}: {:?} {:?}",
            s.gaps,
            s.problems
        );
        assert_eq!(s.close_reason(t), CloseReason::Fin, "{label}");
        assert_eq!(stats.tcp.retransmissions, 0, "{label}");
        assert_eq!(stats.frames, stats.tcp_segments, "{label}");
    }
}

#[test]
fn smb2_pipe_streams_round_trip() {
    for (format, v6, vlan) in variants() {
        let label = format!("{format:?} v6={v6} vlan={vlan:?}");
        let mut w = writer(format, vlan);
        let (client, server) = endpoints(v6, 445, 2);
        let (r1, s1) = (bytes(10, 72), bytes(11, 60));
        let w1 = bytes(12, 5000); // a WRITE spanning several segments
        let rd = bytes(13, 9000); // a READ response spanning several segments
        let (r2, s2) = (bytes(14, 160), bytes(15, 6000));
        let (cw, cr) = (bytes(16, 33), bytes(17, 77));
        let (pq, pr) = (bytes(18, 24), bytes(19, 40));
        let ro = bytes(20, 3000);
        let mut smb = w.smb_pipe_conversation(client, server, "tapsrv");
        let fid = smb.file_id();
        smb.transceive(&r1, &s1);
        smb.write(&w1).read(&rd);
        smb.transceive_overflow(&r2, &s2, 1024);
        smb.compound_write_read(&cw, &cr);
        smb.pending_next().transceive(&pq, &pr);
        smb.read_overflow(&ro, 100);
        smb.close();
        let file = w.finish();

        let (s, stats) = read(&file);
        assert!(
            s.problems.is_empty() && s.gaps.is_empty(),
            "{label}: {:?}",
            s.problems
        );
        let pipes = s.pipes();
        assert_eq!(pipes.len(), 1, "{label}");
        let p = pipes[0];
        assert_eq!(
            p,
            StreamId::Pipe {
                conn: mstrp::capture::ConnId(0),
                file: fid
            },
            "{label}"
        );
        let o = s.opened(p);
        assert_eq!(o.pipe.as_deref(), Some("tapsrv"), "{label}");
        assert_eq!(
            (o.client, o.server, o.mid_stream),
            (client, server, false),
            "{label}"
        );
        assert_eq!(s.bytes(p, C2S), [r1, w1, r2, cw, pq].concat(), "{label}");
        assert_eq!(
            s.bytes(p, S2C),
            [s1, rd, s2, cr, pr, ro].concat(),
            "{label}"
        );
        assert_eq!(s.close_reason(p), CloseReason::PipeClosed, "{label}");
        // The TCP stream carries SMB2, so it has no raw data events of its own.
        let t = s.tcp()[0];
        assert!(
            s.bytes(t, C2S).is_empty() && s.bytes(t, S2C).is_empty(),
            "{label}"
        );
        assert_eq!(s.close_reason(t), CloseReason::Fin, "{label}");
        assert_eq!(stats.smb2.pipes, 1, "{label}");
        // CREATE, IOCTL, WRITE, READ, IOCTL+READ, WRITE+READ, interim+IOCTL, 2 READ, CLOSE.
        assert_eq!(stats.smb2.messages, 2 * 12 + 1, "{label}");
    }
}

#[test]
fn several_conversations_in_one_capture() {
    let mut w = CaptureWriter::new(Format::PcapNg);
    let (c1, s1) = endpoints(false, 135, 1);
    let (c2, s2) = endpoints(false, 445, 2);
    let (c3, s3) = endpoints(true, 49700, 3);
    let mut a = w.tcp_conversation(c1, s1);
    a.client_sends(b"epm request").server_sends(b"epm reply");
    a.close();
    let mut b = w.smb_pipe_conversation(c2, s2, "tapsrv");
    b.transceive(b"bind", b"bind_ack");
    let fid = b.file_id();
    b.close();
    let mut c = w.tcp_conversation(c3, s3);
    c.client_sends(b"rpc over tcp").server_sends(b"yes");
    c.abandon(); // still open when the capture ends
    let file = w.finish();

    let (s, _) = read(&file);
    use mstrp::capture::ConnId;
    let (t0, t1, t2) = (
        StreamId::Tcp(ConnId(0)),
        StreamId::Tcp(ConnId(1)),
        StreamId::Tcp(ConnId(2)),
    );
    let pipe = StreamId::Pipe {
        conn: ConnId(1),
        file: fid,
    };
    assert_eq!(
        s.opened.iter().map(|o| o.0).collect::<Vec<_>>(),
        vec![t0, t1, pipe, t2]
    );
    assert_eq!(s.bytes(t0, C2S), b"epm request");
    assert_eq!(s.bytes(t0, S2C), b"epm reply");
    assert_eq!(s.bytes(pipe, C2S), b"bind");
    assert_eq!(s.bytes(pipe, S2C), b"bind_ack");
    assert_eq!(s.bytes(t2, C2S), b"rpc over tcp");
    assert_eq!(s.bytes(t2, S2C), b"yes");
    assert_eq!(s.close_reason(t2), CloseReason::EndOfCapture);
    assert_eq!(s.opened(t2).server, s3);
}

#[test]
fn frames_are_numbered_timestamped_and_typed() {
    for format in [Format::Pcap, Format::PcapNg] {
        let mut w = CaptureWriter::new(format).with_step(std::time::Duration::from_micros(1500));
        let (client, server) = endpoints(false, 4444, 1);
        let mut c = w.tcp_conversation(client, server);
        c.client_sends(&bytes(1, 4000));
        c.close();
        let written = w.frame_count();
        let file = w.finish();
        let mut frames = Frames::new(&file[..]).unwrap();
        assert_eq!(frames.format(), format);
        let all: Vec<_> = frames.by_ref().collect::<Result<_, _>>().unwrap();
        assert_eq!(all.len() as u64, written);
        for (i, f) in all.iter().enumerate() {
            assert_eq!(f.number, i as u64 + 1);
            assert_eq!(f.link_type, LinkType::ETHERNET);
            assert_eq!(f.orig_len as usize, f.data.len());
            assert_eq!(
                f.timestamp.as_secs(),
                1_767_225_600 + (i as u64 * 1500) / 1_000_000
            );
            assert_eq!(
                f.timestamp.subsec_micros() as u64,
                (i as u64 * 1500) % 1_000_000
            );
        }
        assert!(all.windows(2).all(|p| p[0].offset < p[1].offset));
        assert_eq!(frames.frames_read(), written);
    }
}

#[test]
fn sequence_numbers_wrap_around() {
    let mut w = CaptureWriter::new(Format::Pcap);
    let (client, server) = endpoints(false, 4444, 1);
    let opts = TcpOptions {
        client_isn: u32::MAX - 700,
        server_isn: u32::MAX,
        ..TcpOptions::default()
    };
    let (a, b) = (bytes(5, 5000), bytes(6, 3000));
    let mut c = w.tcp_conversation_with(client, server, opts);
    c.client_sends(&a).server_sends(&b);
    c.close();
    let (s, _) = read(&w.finish());
    let t = s.tcp()[0];
    assert_eq!(s.bytes(t, C2S), a);
    assert_eq!(s.bytes(t, S2C), b);
    assert!(s.gaps.is_empty() && s.problems.is_empty());
    assert_eq!(s.close_reason(t), CloseReason::Fin);
}

/// A reader that hands out one byte per call: the frame reader must not depend on how the
/// input is chunked.
struct OneByte<'a>(&'a [u8]);

impl std::io::Read for OneByte<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match (self.0.split_first(), buf.first_mut()) {
            (Some((b, rest)), Some(slot)) => {
                *slot = *b;
                self.0 = rest;
                Ok(1)
            }
            _ => Ok(0),
        }
    }
}

#[test]
fn frames_stream_from_a_reader_one_byte_at_a_time() {
    for format in [Format::Pcap, Format::PcapNg] {
        let mut w = CaptureWriter::new(format);
        let (client, server) = endpoints(false, 445, 1);
        let mut smb = w.smb_pipe_conversation(client, server, "tapsrv");
        smb.transceive(&bytes(1, 20_000), &bytes(2, 70_000));
        smb.close();
        let file = w.finish();
        let whole: Vec<_> = Frames::new(&file[..])
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let limits = mstrp::capture::FrameLimits {
            initial_buffer: 300,
            max_record: 4096,
        };
        let bytewise: Vec<_> = Frames::with_limits(OneByte(&file), limits)
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(whole, bytewise, "{format:?}");
        let (a, _) = read(&file);
        let events =
            mstrp::capture::Transport::default().events(Frames::new(OneByte(&file)).unwrap());
        let b = tshark_capture::Streams::collect(events);
        assert_eq!(a.data, b.data);
    }
}

#[test]
fn a_record_larger_than_the_limit_is_refused() {
    let mut w = CaptureWriter::new(Format::PcapNg);
    let (client, server) = endpoints(false, 4444, 1);
    let opts = TcpOptions {
        mss: 9000,
        ..TcpOptions::default()
    };
    let mut c = w.tcp_conversation_with(client, server, opts);
    c.client_sends(&bytes(1, 9000)); // frame 4 is a 9054-byte jumbo frame
    c.close();
    let file = w.finish();
    let limits = mstrp::capture::FrameLimits {
        initial_buffer: 1024,
        max_record: 4096,
    };
    let got: Vec<_> = Frames::with_limits(&file[..], limits).unwrap().collect();
    assert_eq!(got.len(), 4);
    let err = got[3].clone().unwrap_err();
    assert_eq!(err.frame, 4);
    assert!(
        matches!(
            err.kind,
            mstrp::capture::FrameErrorKind::TooLarge { limit: 4096, .. }
        ),
        "{err}"
    );
}
