//! TCP reassembly and SMB2 demultiplexing under faults: out-of-order segments,
//! retransmissions, conflicting overlaps, gaps (with the frames around them), captures that
//! start mid-stream, RST, memory held only for open connections, the connection limit,
//! truncated and damaged files.
#![cfg(feature = "pcap")]

#[path = "common/tshark_capture.rs"]
mod tshark_capture;

use std::net::SocketAddr;

use mstrp::capture::packet::{TcpFlags, TcpSegment};
use mstrp::capture::tcp::Reassembler;
use mstrp::capture::write::{CaptureWriter, Fault, Format, TcpOptions};
use mstrp::capture::{
    self, CloseReason, ConnId, Direction, FrameErrorKind, Frames, Missing, ProblemKind,
    StreamEvent, StreamId, TransportConfig,
};
use tshark_capture::{Streams, read, read_with};

const C2S: Direction = Direction::ClientToServer;
const S2C: Direction = Direction::ServerToClient;
const T0: StreamId = StreamId::Tcp(ConnId(0));

fn sa(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

fn data(n: usize, seed: u8) -> Vec<u8> {
    (0..n)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

fn client() -> SocketAddr {
    sa("10.0.0.1:50000")
}

fn server() -> SocketAddr {
    sa("10.0.0.2:4444")
}

fn mss(n: usize) -> TcpOptions {
    TcpOptions {
        mss: n,
        ..TcpOptions::default()
    }
}

/// Rewrites a capture keeping only the frames `keep` accepts (by 1-based number).
fn refilter(file: &[u8], keep: impl Fn(u64) -> bool) -> Vec<u8> {
    let mut w = CaptureWriter::new(Format::Pcap);
    for f in Frames::new(file).unwrap() {
        let f = f.unwrap();
        if keep(f.number) {
            w.raw_frame(&f.data);
        }
    }
    w.finish()
}

#[test]
fn out_of_order_segments_are_delivered_in_order() {
    let mut w = CaptureWriter::new(Format::PcapNg);
    let a = data(4000, 1);
    let mut c = w.tcp_conversation_with(client(), server(), mss(1000));
    c.fault_next(Fault::SwapWithNext).client_sends(&a);
    c.fault_next(Fault::SwapWithNext).server_sends(&a[..2500]);
    c.close();
    let (s, stats) = read(&w.finish());
    assert_eq!(s.bytes(T0, C2S), a);
    assert_eq!(s.bytes(T0, S2C), &a[..2500]);
    assert!(s.gaps.is_empty() && s.problems.is_empty());
    // Frames 4..=7 carry the client's segments, the first two swapped: the bytes of frame 5
    // (offset 0) come first, then frame 4's (held until then), then 6 and 7.
    assert_eq!(s.frames[&(T0, C2S)], vec![5, 4, 6, 7]);
    assert_eq!(stats.tcp.out_of_order, 2);
}

#[test]
fn retransmissions_are_deduplicated() {
    let mut w = CaptureWriter::new(Format::Pcap);
    let a = data(3000, 2);
    let mut c = w.tcp_conversation_with(client(), server(), mss(1000));
    c.fault_next(Fault::Duplicate).client_sends(&a);
    c.inject(C2S, 500, &a[500..1700]); // spans delivered bytes
    c.fault_next(Fault::Duplicate).server_sends(b"reply");
    c.close();
    let (s, stats) = read(&w.finish());
    assert_eq!(s.bytes(T0, C2S), a);
    assert_eq!(s.bytes(T0, S2C), b"reply");
    assert!(
        s.gaps.is_empty() && s.problems.is_empty(),
        "{:?}",
        s.problems
    );
    assert_eq!(stats.tcp.retransmissions, 3);
}

#[test]
fn conflicting_overlaps_keep_the_first_copy_and_are_reported() {
    let mut w = CaptureWriter::new(Format::Pcap);
    let a = data(3000, 3);
    let mut c = w.tcp_conversation_with(client(), server(), mss(1000));
    // A segment from the future with other bytes than the real ones that follow.
    c.inject(C2S, 2000, &[0xEE; 100]); // frame 4
    c.client_sends(&a); // frames 5, 6, 7; ACK 8
    // A retransmission of delivered bytes, different in 10..20.
    let mut again = a[0..50].to_vec();
    again[10..20].fill(0);
    c.inject(C2S, 0, &again); // frame 9
    c.close();
    let (s, _) = read(&w.finish());
    let mut expected = a.clone();
    expected[2000..2100].fill(0xEE);
    assert_eq!(s.bytes(T0, C2S), expected, "the first copy wins");
    let conflicts: Vec<_> = s
        .problems
        .iter()
        .map(|p| (p.frame, p.stream, p.kind.clone()))
        .collect();
    let differ = |r: std::ops::Range<u64>| ProblemKind::OverlapConflict { dir: C2S, range: r };
    let first_diff = (2000..2100).find(|&i| a[i] != 0xEE).unwrap() as u64;
    let last_diff = (2000..2100).rev().find(|&i| a[i] != 0xEE).unwrap() as u64;
    assert_eq!(
        conflicts,
        vec![
            (7, Some(T0), differ(first_diff..last_diff + 1)),
            (
                9,
                Some(T0),
                differ(10 + (a[10] == 0) as u64..20 - (a[19] == 0) as u64)
            ),
        ]
    );
}

#[test]
fn a_gap_names_the_range_and_the_frames_around_it() {
    for format in [Format::Pcap, Format::PcapNg] {
        let mut w = CaptureWriter::new(format);
        let a = data(3000, 4);
        let mut c = w.tcp_conversation_with(client(), server(), mss(1000));
        c.client_sends(&a[..1000]); // frame 4, ACK 5
        c.fault_next(Fault::Drop).client_sends(&a[1000..]); // (dropped), frame 6, ACK 7
        c.server_sends(b"ok");
        c.close();
        let (s, stats) = read(&w.finish());
        assert_eq!(s.gaps.len(), 1);
        let g = &s.gaps[0];
        assert_eq!((g.stream, g.dir), (T0, C2S));
        assert_eq!(g.missing, Missing::Bytes(1000..2000));
        assert_eq!((g.before_frame, g.after_frame), (4, 6));
        assert_eq!(s.bytes(T0, C2S), [&a[..1000], &a[2000..]].concat());
        assert_eq!(s.bytes(T0, S2C), b"ok");
        assert_eq!(stats.tcp.gaps, 1);
        // The gap comes before the data after it.
        let pos = |pred: &dyn Fn(&StreamEvent) -> bool| s.events.iter().position(pred).unwrap();
        let gap = pos(&|e| matches!(e, StreamEvent::Gap { .. }));
        let after = pos(&|e| matches!(e, StreamEvent::Data { offset: 2000, .. }));
        assert!(gap < after);
        assert_eq!(s.close_reason(T0), CloseReason::Fin);
    }
}

#[test]
fn a_gap_without_acknowledgments_is_reported_when_the_capture_ends() {
    let mut w = CaptureWriter::new(Format::Pcap);
    let a = data(3000, 5);
    let opts = TcpOptions {
        ack_each_send: false,
        ..mss(1000)
    };
    let mut c = w.tcp_conversation_with(client(), server(), opts);
    c.fault_next(Fault::Drop).client_sends(&a);
    c.abandon();
    let (s, _) = read(&w.finish());
    assert_eq!(s.gaps.len(), 1);
    assert_eq!(s.gaps[0].missing, Missing::Bytes(0..1000));
    assert_eq!((s.gaps[0].before_frame, s.gaps[0].after_frame), (0, 4));
    assert_eq!(s.bytes(T0, C2S), &a[1000..]);
    assert_eq!(s.close_reason(T0), CloseReason::EndOfCapture);
}

#[test]
fn the_buffer_limit_forces_a_gap() {
    let mut w = CaptureWriter::new(Format::Pcap);
    let a = data(6000, 6);
    let opts = TcpOptions {
        ack_each_send: false,
        ..mss(1000)
    };
    let mut c = w.tcp_conversation_with(client(), server(), opts);
    c.fault_next(Fault::Drop).client_sends(&a);
    c.abandon();
    let mut config = TransportConfig::default();
    config.tcp.max_buffered_per_direction = 2500;
    let file = w.finish();
    let mut events = capture::open(&file[..], config).unwrap();
    let s = Streams::collect(events.by_ref());
    assert_eq!(events.transport().stats().tcp.gaps, 1);
    assert_eq!(s.gaps.len(), 1);
    // Given up when the third segment after the hole pushed the buffer past 2500 bytes.
    assert_eq!(s.gaps[0].missing, Missing::Bytes(0..1000));
    assert_eq!(s.gaps[0].after_frame, 4);
    assert_eq!(s.frames[&(T0, C2S)], vec![4, 5, 6, 7, 8]);
    assert_eq!(s.bytes(T0, C2S), &a[1000..]);
}

#[test]
fn a_capture_starting_mid_stream() {
    // The whole conversation, then the same capture without its first 6 frames (handshake,
    // the first request and its ACK).
    let mut w = CaptureWriter::new(Format::Pcap);
    let (c0, s0) = (sa("10.0.0.1:49999"), sa("10.0.0.2:135"));
    let mut c = w.tcp_conversation_with(c0, s0, mss(1000));
    c.client_sends(&data(1500, 7)); // frames 4, 5; ACK 6
    c.server_sends(b"first reply"); // frame 7; ACK 8
    c.client_sends(b"second request"); // frame 9; ACK 10
    c.close();
    let cut = refilter(&w.finish(), |n| n > 6);
    let (s, _) = read(&cut);
    let o = s.opened(T0);
    assert!(o.mid_stream);
    // The server sent first, but 135 is a server port.
    assert_eq!((o.client, o.server, o.frame), (c0, s0, 1));
    assert_eq!(s.bytes(T0, S2C), b"first reply");
    assert_eq!(s.bytes(T0, C2S), b"second request");
    assert!(s.gaps.is_empty());
    assert_eq!(s.close_reason(T0), CloseReason::Fin);
}

fn seg<'a>(
    src: &str,
    dst: &str,
    seq: u32,
    ack: u32,
    flags: &str,
    payload: &'a [u8],
) -> TcpSegment<'a> {
    TcpSegment {
        src: sa(src),
        dst: sa(dst),
        seq,
        ack,
        flags: TcpFlags {
            syn: flags.contains('S'),
            ack: flags.contains('A'),
            fin: flags.contains('F'),
            rst: flags.contains('R'),
        },
        payload,
    }
}

fn opened(events: &[StreamEvent]) -> (SocketAddr, SocketAddr) {
    match &events[0] {
        StreamEvent::Opened { client, server, .. } => (*client, *server),
        e => panic!("{e:?}"),
    }
}

#[test]
fn the_client_side_is_told_without_a_syn() {
    let cases = [
        // (first segment: src, dst, flags) -> expected client
        ("10.0.0.1:445", "10.0.0.2:50000", "A", "10.0.0.2:50000"), // server port 445 sends first
        ("10.0.0.1:50000", "10.0.0.2:593", "A", "10.0.0.1:50000"),
        ("10.0.0.1:40000", "10.0.0.2:50000", "A", "10.0.0.2:50000"), // the lower port serves
        ("10.0.0.1:50000", "10.0.0.2:40000", "A", "10.0.0.1:50000"),
        ("10.0.0.1:7000", "10.0.0.2:7000", "A", "10.0.0.1:7000"), // equal: the sender
        ("10.0.0.1:40000", "10.0.0.2:50000", "SA", "10.0.0.2:50000"), // SYN+ACK: receiver
        ("10.0.0.1:50000", "10.0.0.2:40000", "S", "10.0.0.1:50000"), // SYN: sender
    ];
    for (src, dst, flags, client) in cases {
        let mut r = Reassembler::default();
        let mut out = Vec::new();
        let payload: &[u8] = if flags.contains('S') { b"" } else { b"x" };
        r.segment(1, &seg(src, dst, 100, 1, flags, payload), &mut out);
        assert_eq!(opened(&out).0, sa(client), "{src} -> {dst} {flags}");
    }
    // A pure ACK of an unknown connection opens nothing.
    let mut r = Reassembler::default();
    let mut out = Vec::new();
    r.segment(
        1,
        &seg("10.0.0.1:1", "10.0.0.2:2", 5, 5, "A", b""),
        &mut out,
    );
    assert!(out.is_empty());
    assert_eq!(r.open_connections(), 0);
}

#[test]
fn rst_flushes_and_closes_and_late_segments_are_ignored() {
    let (c, s) = ("10.0.0.1:50000", "10.0.0.2:4444");
    let mut r = Reassembler::default();
    let mut out = Vec::new();
    r.segment(1, &seg(c, s, 99, 0, "S", b""), &mut out);
    r.segment(2, &seg(s, c, 499, 100, "SA", b""), &mut out);
    r.segment(3, &seg(c, s, 100, 500, "A", b"abc"), &mut out);
    r.segment(4, &seg(c, s, 106, 500, "A", b"ghi"), &mut out); // 103..106 never seen
    r.segment(5, &seg(s, c, 500, 103, "AR", b""), &mut out);
    assert_eq!(r.open_connections(), 0);
    let s_ = Streams::collect(out.clone());
    assert_eq!(s_.bytes(T0, C2S), b"abcghi");
    assert_eq!(s_.gaps.len(), 1);
    assert_eq!(s_.gaps[0].missing, Missing::Bytes(3..6));
    assert_eq!((s_.gaps[0].before_frame, s_.gaps[0].after_frame), (3, 4));
    assert_eq!(s_.close_reason(T0), CloseReason::Reset);
    assert_eq!(s_.closed[0].2, 5);
    // A late retransmission after the RST does not open a ghost connection...
    out.clear();
    r.segment(6, &seg(c, s, 103, 500, "A", b"def"), &mut out);
    assert!(out.is_empty());
    assert_eq!(r.open_connections(), 0);
    // ...but a new SYN on the same addresses does.
    r.segment(7, &seg(c, s, 7777, 0, "S", b""), &mut out);
    assert!(matches!(
        out[0],
        StreamEvent::Opened {
            stream: StreamId::Tcp(ConnId(1)),
            ..
        }
    ));
}

#[test]
fn a_new_syn_on_an_open_pair_starts_another_connection() {
    let (c, s) = ("10.0.0.1:50000", "10.0.0.2:4444");
    let mut r = Reassembler::default();
    let mut out = Vec::new();
    r.segment(1, &seg(c, s, 99, 0, "S", b""), &mut out);
    r.segment(2, &seg(c, s, 99, 0, "S", b""), &mut out); // retransmitted SYN: same connection
    r.segment(3, &seg(c, s, 100, 0, "A", b"old"), &mut out);
    r.segment(4, &seg(c, s, 5000, 0, "S", b""), &mut out);
    r.segment(5, &seg(c, s, 5001, 0, "A", b"new"), &mut out);
    r.finish(5, &mut out);
    let st = Streams::collect(out);
    let t1 = StreamId::Tcp(ConnId(1));
    assert_eq!(st.bytes(T0, C2S), b"old");
    assert_eq!(st.bytes(t1, C2S), b"new");
    assert_eq!(st.close_reason(T0), CloseReason::Reused);
    assert_eq!(st.close_reason(t1), CloseReason::EndOfCapture);
}

#[test]
fn closed_connections_are_dropped() {
    let mut w = CaptureWriter::new(Format::Pcap);
    let n = 2000u16;
    for i in 0..n {
        let c = SocketAddr::new(sa("10.0.0.1:0").ip(), 10000 + i);
        let mut conv = w.tcp_conversation(c, server());
        conv.client_sends(&i.to_le_bytes()).server_sends(b"ok");
        conv.close();
    }
    let file = w.finish();
    let mut events = capture::open(&file[..], TransportConfig::default()).unwrap();
    let mut most_open = 0;
    let mut all = Vec::new();
    while let Some(e) = events.next() {
        most_open = most_open.max(events.transport().open_connections());
        all.push(e);
    }
    assert_eq!(most_open, 1, "only the current connection is held");
    assert_eq!(events.transport().open_connections(), 0);
    let s = Streams::collect(all);
    assert_eq!(s.closed.len(), n as usize);
    assert!(s.closed.iter().all(|c| c.1 == CloseReason::Fin));
    for i in 0..n {
        let t = StreamId::Tcp(ConnId(u64::from(i)));
        assert_eq!(s.bytes(t, C2S), i.to_le_bytes());
    }
}

#[test]
fn the_connection_limit_evicts_the_least_recently_active() {
    let mut w = CaptureWriter::new(Format::Pcap);
    for i in 0..20u16 {
        let c = SocketAddr::new(sa("10.0.0.1:0").ip(), 10000 + i);
        let mut conv = w.tcp_conversation(c, server());
        conv.client_sends(b"hi");
        conv.abandon();
    }
    let mut config = TransportConfig::default();
    config.tcp.max_connections = 8;
    let file = w.finish();
    let mut events = capture::open(&file[..], config).unwrap();
    let mut all = Vec::new();
    while let Some(e) = events.next() {
        assert!(events.transport().open_connections() <= 8);
        all.push(e);
    }
    let s = Streams::collect(all);
    let evicted: Vec<u64> = s
        .closed
        .iter()
        .filter(|c| c.1 == CloseReason::Evicted)
        .map(|c| c.0.conn().0)
        .collect();
    assert_eq!(evicted, (0..12).collect::<Vec<_>>());
    let reports = s
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::ConnectionEvicted { limit: 8 })
        .count();
    assert_eq!(reports, 12);
    assert_eq!(
        s.closed
            .iter()
            .filter(|c| c.1 == CloseReason::EndOfCapture)
            .count(),
        8
    );
    for i in 0..20 {
        assert_eq!(s.bytes(StreamId::Tcp(ConnId(i)), C2S), b"hi");
    }
}

#[test]
fn a_truncated_file_names_the_frame_and_keeps_what_came_before() {
    for format in [Format::Pcap, Format::PcapNg] {
        let mut w = CaptureWriter::new(format);
        let mut c = w.tcp_conversation_with(client(), server(), mss(1000));
        c.client_sends(&data(3000, 8)); // frames 4, 5, 6; ACK 7
        c.close();
        let file = w.finish();
        let offsets: Vec<u64> = Frames::new(&file[..])
            .unwrap()
            .map(|f| f.unwrap().offset)
            .collect();
        // Cut inside frame 6.
        let cut = &file[..offsets[5] as usize + 30];
        let mut frames = Frames::new(cut).unwrap();
        for n in 1..=5 {
            assert_eq!(frames.next().unwrap().unwrap().number, n);
        }
        let err = frames.next().unwrap().unwrap_err();
        assert_eq!(
            (err.frame, err.offset, err.kind.clone()),
            (6, offsets[5], FrameErrorKind::Truncated)
        );
        assert!(err.to_string().contains("frame 6"), "{err}");
        assert!(frames.next().is_none());

        let mut events = capture::open(cut, TransportConfig::default()).unwrap();
        let s = Streams::collect(events.by_ref());
        assert_eq!(s.bytes(T0, C2S), &data(3000, 8)[..2000]);
        assert_eq!(s.close_reason(T0), CloseReason::EndOfCapture);
        assert!(
            matches!(&s.problems[..], [p] if p.frame == 6 && matches!(p.kind, ProblemKind::Capture(_)))
        );
        assert_eq!(events.transport().capture_error(), Some(&err));

        // Cut inside the file header.
        let err = Frames::new(&file[..10]).unwrap_err();
        assert_eq!(
            (err.frame, err.offset, err.kind),
            (1, 0, FrameErrorKind::Truncated)
        );
    }
    // Not a capture at all.
    for junk in [&b""[..], b"GET / HTTP/1.1\r\n\r\n"] {
        assert_eq!(
            Frames::new(junk).unwrap_err().kind,
            FrameErrorKind::NotACapture
        );
    }
}

#[test]
fn a_damaged_record_length_is_reported() {
    let mut w = CaptureWriter::new(Format::Pcap);
    let mut c = w.tcp_conversation(client(), server());
    c.client_sends(b"abc");
    c.close();
    let file = w.finish();
    let offsets: Vec<u64> = Frames::new(&file[..])
        .unwrap()
        .map(|f| f.unwrap().offset)
        .collect();
    // pcap: frame 3's caplen (record offset 8) says 2 GiB.
    let mut bad = file.clone();
    let o = offsets[2] as usize + 8;
    bad[o..o + 4].copy_from_slice(&0x7FFF_FFFFu32.to_le_bytes());
    let got: Vec<_> = Frames::new(&bad[..]).unwrap().collect();
    assert_eq!(got.len(), 3);
    let err = got[2].clone().unwrap_err();
    assert_eq!((err.frame, err.offset), (3, offsets[2]));
    assert!(matches!(err.kind, FrameErrorKind::TooLarge { .. }), "{err}");

    // pcapng: frame 3's block trailer does not repeat its length.
    let mut w = CaptureWriter::new(Format::PcapNg);
    let mut c = w.tcp_conversation(client(), server());
    c.client_sends(b"abc");
    c.close();
    let file = w.finish();
    let frames: Vec<_> = Frames::new(&file[..])
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut bad = file.clone();
    let start = frames[2].offset as usize;
    let len = u32::from_le_bytes(bad[start + 4..start + 8].try_into().unwrap()) as usize;
    bad[start + len - 4] ^= 0xFF;
    let got: Vec<_> = Frames::new(&bad[..]).unwrap().collect();
    assert_eq!(got.len(), 3);
    let err = got[2].clone().unwrap_err();
    assert_eq!((err.frame, err.offset), (3, frames[2].offset));
    assert!(matches!(err.kind, FrameErrorKind::Damaged(_)), "{err}");
}

#[test]
fn frames_that_are_not_tcp_are_counted() {
    let mut w = CaptureWriter::new(Format::Pcap);
    // ARP request.
    let mut arp = vec![0xff; 6];
    arp.extend([2, 0, 0, 0, 0, 1, 0x08, 0x06]);
    arp.extend([
        0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2,
    ]);
    w.raw_frame(&arp);
    // UDP.
    let mut udp = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00];
    udp.extend([
        0x45, 0, 0, 32, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
    ]);
    udp.extend([0x13, 0x88, 0x00, 0x35, 0, 12, 0, 0, b'd', b'n', b's', b'!']);
    w.raw_frame(&udp);
    // TCP cut short: the IPv4 total length promises more than the frame holds.
    let mut tcp = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00];
    tcp.extend([
        0x45, 0, 0, 200, 0, 0, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
    ]);
    tcp.extend([
        0xc3, 0x50, 0x11, 0x5c, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0,
    ]);
    w.raw_frame(&tcp);
    // An IPv4 fragment (more fragments set).
    let mut frag = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00];
    frag.extend([
        0x45, 0, 0, 28, 0, 1, 0x20, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
    ]);
    frag.extend([0; 8]);
    w.raw_frame(&frag);
    let (s, stats) = read(&w.finish());
    assert_eq!(stats.frames, 4);
    assert_eq!(stats.skipped_non_ip, 1);
    assert_eq!(stats.skipped_non_tcp, 1);
    assert_eq!(stats.skipped_malformed, 1);
    assert_eq!(stats.skipped_fragments, 1);
    assert_eq!(stats.tcp_segments, 0);
    assert!(
        matches!(&s.problems[..], [p] if p.frame == 3 && matches!(p.kind, ProblemKind::Malformed(_)))
    );
}

// SMB2 under faults.

fn smb_server() -> SocketAddr {
    sa("10.0.0.2:445")
}

#[test]
fn an_smb2_connection_resynchronises_after_a_gap() {
    let mut w = CaptureWriter::new(Format::Pcap);
    let mut smb = w.smb_pipe_conversation_with(client(), smb_server(), "tapsrv", mss(1000));
    let fid = smb.file_id();
    let (a, b, c, d, e, f) = (
        data(100, 1),
        data(200, 2),
        data(2500, 3),
        data(300, 4),
        data(150, 5),
        data(50, 6),
    );
    smb.transceive(&a, &b);
    smb.tcp().fault_next(Fault::Drop); // the first segment of c's request, NBSS header included
    smb.transceive(&c, &d);
    smb.transceive(&e, &f);
    smb.close();
    let (s, stats) = read(&w.finish());
    let pipe = StreamId::Pipe {
        conn: ConnId(0),
        file: fid,
    };
    assert_eq!(
        s.bytes(pipe, C2S),
        [a, e].concat(),
        "c is lost with its header"
    );
    // The IOCTL response names its FileId: d is still delivered.
    assert_eq!(s.bytes(pipe, S2C), [b, d, f].concat());
    // The pipe's gap, after the 100 bytes of a.
    let gaps: Vec<_> = s
        .gaps
        .iter()
        .map(|g| (g.stream, g.dir, g.missing.clone()))
        .collect();
    assert_eq!(gaps, [(pipe, C2S, Missing::Unknown { at: 100 })]);
    // The TCP connection's missing segment, as a problem.
    let missing: Vec<_> = s
        .problems
        .iter()
        .filter_map(|p| match &p.kind {
            ProblemKind::Smb2BytesMissing { dir, range } => {
                Some((p.stream, *dir, range.end - range.start))
            }
            _ => None,
        })
        .collect();
    assert_eq!(missing, [(Some(StreamId::Tcp(ConnId(0))), C2S, 1000)]);
    assert_eq!(stats.smb2.resyncs, 1);
    assert!(
        s.problems
            .iter()
            .any(|p| matches!(p.kind, ProblemKind::Smb2Resync { dir: C2S, .. }))
    );
    assert_eq!(s.close_reason(pipe), CloseReason::PipeClosed);
}

#[test]
fn an_smb2_capture_starting_mid_session() {
    let mut w = CaptureWriter::new(Format::Pcap);
    let mut smb = w.smb_pipe_conversation(client(), smb_server(), "tapsrv");
    let fid = smb.file_id();
    // Frames 1-3 handshake, 4 CREATE, 5 ACK, 6 CREATE response, 7 ACK.
    smb.transceive(b"req", b"resp"); // frames 8-11
    smb.read(b"unseen"); // frames 12-15: READ request 12 dropped below
    smb.write(b"more"); // frames 16-19
    smb.close();
    let cut = refilter(&w.finish(), |n| n > 7 && n != 12);
    let (s, stats) = read(&cut);
    let pipe = StreamId::Pipe {
        conn: ConnId(0),
        file: fid,
    };
    let o = s.opened(pipe);
    assert!(o.mid_stream);
    assert_eq!(o.pipe, None);
    assert_eq!((o.client, o.server), (client(), smb_server()));
    assert_eq!(s.bytes(pipe, C2S), b"reqmore");
    assert_eq!(s.bytes(pipe, S2C), b"resp");
    assert!(s.problems.iter().any(|p| p.kind
        == ProblemKind::Smb2Unattributed {
            command: 8,
            bytes: 6
        }));
    assert!(s.opened(StreamId::Tcp(ConnId(0))).mid_stream);
    assert_eq!(stats.smb2.pipes, 1);
}

/// Sends NetBIOS-framed messages from the client of a raw TCP conversation to port 445.
fn smb_raw(messages: &[Vec<u8>]) -> Vec<u8> {
    let mut w = CaptureWriter::new(Format::Pcap);
    let mut c = w.tcp_conversation(client(), smb_server());
    for m in messages {
        let mut framed = vec![0, 0, (m.len() >> 8) as u8, m.len() as u8];
        framed.extend(m);
        c.client_sends(&framed);
    }
    c.close();
    w.finish()
}

#[test]
fn encrypted_compressed_and_smb1_messages_are_reported_once() {
    let transform = [&[0xFD, b'S', b'M', b'B'][..], &[0u8; 48], b"ciphertext"].concat();
    let compressed = [&[0xFC, b'S', b'M', b'B'][..], &[0u8; 12], b"lz77"].concat();
    let smb1 = [&[0xFF, b'S', b'M', b'B', 0x72][..], &[0u8; 30]].concat();
    let file = smb_raw(&[
        smb1.clone(),
        transform.clone(),
        transform.clone(),
        compressed.clone(),
        compressed,
        smb1,
    ]);
    let (s, stats) = read(&file);
    let kinds: Vec<_> = s.problems.iter().map(|p| p.kind.clone()).collect();
    assert_eq!(
        kinds,
        [
            ProblemKind::Smb1,
            ProblemKind::Smb2Encrypted,
            ProblemKind::Smb2Compressed
        ]
    );
    assert_eq!(
        (stats.smb2.smb1, stats.smb2.encrypted, stats.smb2.compressed),
        (2, 2, 2)
    );
    assert!(s.pipes().is_empty());
    assert!(s.data.is_empty(), "nothing goes out as raw TCP either");
}

#[test]
fn a_non_smb_stream_on_port_445_stays_raw_tcp() {
    let mut w = CaptureWriter::new(Format::Pcap);
    let mut c = w.tcp_conversation(client(), smb_server());
    c.client_sends(b"GET / HTTP/1.0\r\n\r\n")
        .server_sends(b"HTTP/1.0 200 OK\r\n\r\n");
    c.close();
    let (s, stats) = read(&w.finish());
    assert_eq!(s.bytes(T0, C2S), b"GET / HTTP/1.0\r\n\r\n");
    assert_eq!(s.bytes(T0, S2C), b"HTTP/1.0 200 OK\r\n\r\n");
    assert_eq!(stats.smb2.messages, 0);
}

#[test]
fn only_ports_filters_connections() {
    let mut w = CaptureWriter::new(Format::Pcap);
    let mut a = w.tcp_conversation(sa("10.0.0.1:50000"), sa("10.0.0.2:4444"));
    a.client_sends(b"keep");
    a.close();
    let mut b = w.tcp_conversation(sa("10.0.0.1:50001"), sa("10.0.0.2:80"));
    b.client_sends(b"drop");
    b.close();
    let config = TransportConfig {
        only_ports: Some([4444].into_iter().collect()),
        ..Default::default()
    };
    let (s, stats) = read_with(&w.finish(), config);
    assert_eq!(s.tcp(), vec![T0]);
    assert_eq!(s.opened(T0).server.port(), 4444);
    assert_eq!(s.bytes(T0, C2S), b"keep");
    assert_eq!(stats.filtered, 8);
}
