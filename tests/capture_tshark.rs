//! The capture layer against an independent peer: captures made by `text2pcap` from hex
//! written here (not by `capture::write`) are read back, and the writer's captures are
//! checked by `tshark` (valid TCP with good checksums, the same streams, the same faults, the
//! same SMB2 commands, file name and FileId).
//!
//! Without tshark/text2pcap each test prints that it was skipped, unless
//! `MSTRP_REQUIRE_TSHARK=1`.
#![cfg(feature = "pcap")]

#[path = "common/tshark_capture.rs"]
mod tshark_capture;

use std::net::SocketAddr;

use mstrp::capture::write::{CaptureWriter, Fault, Format, TcpOptions};
use mstrp::capture::{CloseReason, ConnId, Direction, FileId, Frames, LinkType, Missing, StreamId};
use tshark_capture::{
    Streams, fid_guid, hex, read, text2pcap, tool, tshark_fields, tshark_follow, unhex,
};

const C2S: Direction = Direction::ClientToServer;
const S2C: Direction = Direction::ServerToClient;
const T0: StreamId = StreamId::Tcp(ConnId(0));

fn sa(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

/// A text2pcap dump: one packet per entry, `I` (client to server) or `O`.
fn dump(packets: &[(Direction, Vec<u8>)]) -> String {
    let mut s = String::new();
    for (dir, bytes) in packets {
        let d = if *dir == C2S { 'I' } else { 'O' };
        s.push_str(&format!("{d} 000000 {}\n", hex(bytes)));
    }
    s
}

/// text2pcap's dummy TCP headers (`-T`): no handshake, so the reader starts mid-stream.
#[test]
fn text2pcap_dummy_tcp_is_reassembled() {
    if !tool("text2pcap") || !tool("tshark") {
        return;
    }
    let packets = vec![
        (C2S, b"hello ".to_vec()),
        (S2C, b"world".to_vec()),
        (C2S, b"again".to_vec()),
        (S2C, vec![0xAB; 900]),
    ];
    for (ip, client, server) in [
        ("-4", "10.1.2.3:50000", "10.1.2.4:4444"),
        ("-6", "[2001:db8::1]:50000", "[2001:db8::2]:4444"),
    ] {
        for format in ["pcap", "pcapng"] {
            let addrs = if ip == "-4" {
                "10.1.2.3,10.1.2.4"
            } else {
                "2001:db8::1,2001:db8::2"
            };
            let file = text2pcap(
                &dump(&packets),
                &["-D", "-F", format, "-T", "50000,4444", ip, addrs],
            );
            let (s, stats) = read(&file);
            assert_eq!(stats.frames, 4, "{format} {ip}");
            assert_eq!(s.tcp(), vec![T0]);
            let o = s.opened(T0);
            assert!(o.mid_stream);
            // No SYN: neither port is a known server port, so the lower port is the server.
            assert_eq!(
                (o.client, o.server),
                (sa(client), sa(server)),
                "{format} {ip}"
            );
            assert_eq!(s.bytes(T0, C2S), b"hello again");
            assert_eq!(
                s.bytes(T0, S2C),
                [b"world".to_vec(), vec![0xAB; 900]].concat()
            );
            assert!(s.gaps.is_empty() && s.problems.is_empty());
            // tshark's own reassembly agrees.
            let [(n0, b0), (n1, b1)] = tshark_follow(&file, 0);
            assert_eq!((n0.as_str(), b0.as_slice()), (client, s.bytes(T0, C2S)));
            assert_eq!((n1.as_str(), b1.as_slice()), (server, s.bytes(T0, S2C)));
        }
    }
}

/// An Ethernet II frame with an optional 802.1Q tag, IPv4 and TCP, laid out here by hand
/// (checksums left zero: the reader does not check them).
#[allow(clippy::too_many_arguments)]
fn frame(
    vlan: Option<u16>,
    src: SocketAddr,
    dst: SocketAddr,
    seq: u32,
    ack: u32,
    flags: u8,
    payload: &[u8],
) -> Vec<u8> {
    let (std::net::IpAddr::V4(s), std::net::IpAddr::V4(d)) = (src.ip(), dst.ip()) else {
        panic!("IPv4 only");
    };
    let mut f = vec![0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1];
    if let Some(id) = vlan {
        f.extend([0x81, 0x00]);
        f.extend(id.to_be_bytes());
    }
    f.extend([0x08, 0x00]);
    let total = (20 + 20 + payload.len()) as u16;
    f.extend([0x45, 0x00]);
    f.extend(total.to_be_bytes());
    f.extend([0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00]);
    f.extend(s.octets());
    f.extend(d.octets());
    f.extend(src.port().to_be_bytes());
    f.extend(dst.port().to_be_bytes());
    f.extend(seq.to_be_bytes());
    f.extend(ack.to_be_bytes());
    f.extend([0x50, flags, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00]);
    f.extend(payload);
    f
}

const FIN: u8 = 0x01;
const SYN: u8 = 0x02;
const RST: u8 = 0x04;
const ACK: u8 = 0x10;

/// Full frames from hex: handshake, a segment overtaken by the next one, a retransmission,
/// a segment repeating delivered bytes with different contents, FINs.
#[test]
fn text2pcap_frames_out_of_order_and_retransmitted() {
    if !tool("text2pcap") {
        return;
    }
    let (c, s) = (sa("172.16.0.5:61000"), sa("172.16.0.9:135"));
    let (ci, si) = (1000u32, 900_000u32);
    let frames = vec![
        frame(Some(42), c, s, ci, 0, SYN, b""),
        frame(Some(42), s, c, si, ci + 1, SYN | ACK, b""),
        frame(Some(42), c, s, ci + 1, si + 1, ACK, b""),
        frame(Some(42), c, s, ci + 1, si + 1, ACK, b"hello "), // frame 4
        frame(Some(42), c, s, ci + 13, si + 1, ACK, b"world"), // frame 5, ahead of frame 6
        frame(Some(42), c, s, ci + 7, si + 1, ACK, b"there "), // frame 6
        frame(Some(42), c, s, ci + 1, si + 1, ACK, b"hello "), // frame 7, retransmission
        frame(Some(42), c, s, ci + 7, si + 1, ACK, b"THERE "), // frame 8, conflicting copy
        frame(Some(42), s, c, si + 1, ci + 18, ACK, b"ok"),
        frame(Some(42), c, s, ci + 18, si + 3, FIN | ACK, b""),
        frame(Some(42), s, c, si + 3, ci + 19, FIN | ACK, b""),
        frame(Some(42), c, s, ci + 19, si + 4, ACK, b""),
    ];
    let text: String = frames
        .iter()
        .map(|f| format!("000000 {}\n", hex(f)))
        .collect();
    for format in ["pcap", "pcapng"] {
        let file = text2pcap(&text, &["-F", format]);
        let (st, stats) = read(&file);
        assert_eq!(stats.frames, 12);
        let o = st.opened(T0);
        assert_eq!(
            (o.client, o.server, o.frame, o.mid_stream),
            (c, s, 1, false)
        );
        assert_eq!(st.bytes(T0, C2S), b"hello there world");
        assert_eq!(st.bytes(T0, S2C), b"ok");
        // "world" (frame 5) waited for frame 6.
        assert_eq!(st.frames[&(T0, C2S)], vec![4, 6, 5]);
        assert!(st.gaps.is_empty());
        assert_eq!(st.problems.len(), 1, "{:?}", st.problems);
        let p = &st.problems[0];
        assert_eq!(p.frame, 8);
        assert_eq!(
            p.kind,
            mstrp::capture::ProblemKind::OverlapConflict {
                dir: C2S,
                range: 6..11
            }
        );
        assert_eq!(stats.tcp.retransmissions, 2);
        assert_eq!(stats.tcp.out_of_order, 1);
        assert_eq!(st.close_reason(T0), CloseReason::Fin);
        assert_eq!(st.closed[0].2, 11);
    }
}

/// Linux cooked captures (SLL 113, SLL2 276), BSD loopback (0) and raw IP (101), with a RST.
#[test]
fn text2pcap_linux_sll_and_raw_ip() {
    if !tool("text2pcap") {
        return;
    }
    let (c, s) = (sa("10.9.9.1:40000"), sa("10.9.9.2:593"));
    let ip_frames = [
        frame(None, c, s, 5, 0, SYN, b""),
        frame(None, s, c, 70, 6, SYN | ACK, b""),
        frame(None, c, s, 6, 71, ACK, b"abc"),
        frame(None, s, c, 71, 9, ACK, b"defg"),
        frame(None, c, s, 9, 75, RST | ACK, b""),
    ];
    // Strip the 14-byte Ethernet header.
    let ip: Vec<Vec<u8>> = ip_frames.iter().map(|f| f[14..].to_vec()).collect();
    let sll: Vec<Vec<u8>> = ip
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let pkttype: u16 = if i % 2 == 0 { 4 } else { 0 };
            let mut h = pkttype.to_be_bytes().to_vec();
            h.extend([
                0x00, 0x01, 0x00, 0x06, 0x02, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00,
            ]);
            h.extend(p);
            h
        })
        .collect();
    let sll2: Vec<Vec<u8>> = ip
        .iter()
        .map(|p| {
            // Protocol, reserved, interface index, ARPHRD_ETHER, packet type, address length,
            // address.
            let mut h = vec![0x08, 0x00, 0, 0, 0, 0, 0, 2, 0x00, 0x01, 0, 6];
            h.extend([0x02, 0, 0, 0, 0, 1, 0, 0]);
            h.extend(p);
            h
        })
        .collect();
    // BSD loopback: AF_INET (2) in the capturing host's (here little-endian) byte order.
    let null: Vec<Vec<u8>> = ip.iter().map(|p| [&[2, 0, 0, 0][..], p].concat()).collect();
    for (link, packets, lt) in [
        ("113", &sll, LinkType::LINUX_SLL),
        ("276", &sll2, LinkType::LINUX_SLL2),
        ("0", &null, LinkType::NULL),
        ("101", &ip, LinkType::RAW),
    ] {
        let text: String = packets
            .iter()
            .map(|f| format!("000000 {}\n", hex(f)))
            .collect();
        let file = text2pcap(&text, &["-l", link]);
        let frames: Vec<_> = Frames::new(&file[..])
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(frames.iter().all(|f| f.link_type == lt));
        let (st, stats) = read(&file);
        assert_eq!(stats.tcp_segments, 5, "link {link}");
        assert_eq!(st.bytes(T0, C2S), b"abc");
        assert_eq!(st.bytes(T0, S2C), b"defg");
        assert_eq!(st.close_reason(T0), CloseReason::Reset);
    }
}

/// The SMB2 messages of one pipe conversation, written out field by field from [MS-SMB2]
/// 2.2 (NetBIOS length, header, body), independent of `capture::write`.
fn smb2_literal_messages() -> Vec<(Direction, String)> {
    // Header: ProtocolId, StructureSize 64, CreditCharge 1, Status, Command, Credits 1,
    // Flags, NextCommand 0, MessageId, ProcessId 0xFEFF, TreeId 1, SessionId 0x11,
    // Signature 0.
    let hdr = |cmd: &str, status: &str, flags: &str, mid: &str| {
        format!(
            "fe534d42 4000 0100 {status} {cmd} 0100 {flags} 00000000 {mid}00000000000000 \
             fffe0000 01000000 1100000000000000 00000000000000000000000000000000"
        )
    };
    let interim = |cmd: &str, mid: &str| {
        format!(
            "fe534d42 4000 0100 03010000 {cmd} 0100 03000000 00000000 {mid}00000000000000 \
             2100000000000000 1100000000000000 00000000000000000000000000000000"
        )
    };
    let ok = "00000000";
    let (req, resp) = ("00000000", "01000000");
    let fid = "1b0a000000000000 0300ffff00000000";
    vec![
        // CREATE "tapsrv": StructureSize 57, flags, impersonation 2, create flags, reserved,
        // access 0x0012019f, attributes 0, share 7, FILE_OPEN, options 0x00400040,
        // NameOffset 0x78, NameLength 12, no contexts, the name in UTF-16LE.
        (
            C2S,
            format!(
                "00000084 {} 3900 00 00 02000000 0000000000000000 0000000000000000 \
              9f011200 00000000 07000000 01000000 40004000 7800 0c00 00000000 00000000 \
              740061007000730072007600",
                hdr("0500", ok, req, "02")
            ),
        ),
        // CREATE response: StructureSize 89, FILE_OPENED, times, sizes, attributes, FileId.
        (
            S2C,
            format!(
                "00000098 {} 5900 00 00 01000000 {} 0010000000000000 0000000000000000 \
              80000000 00000000 {fid} 00000000 00000000",
                hdr("0500", ok, resp, "02"),
                "00".repeat(32)
            ),
        ),
        // IOCTL FSCTL_PIPE_TRANSCEIVE, input 5 bytes at 0x78.
        (
            C2S,
            format!(
                "0000007d {} 3900 0000 17c01100 {fid} 78000000 05000000 00000000 \
              78000000 00000000 00040000 01000000 00000000 0badc0ffee",
                hdr("0b00", ok, req, "03")
            ),
        ),
        // An interim response (STATUS_PENDING, async), ignored.
        (
            S2C,
            format!("00000049 {} 0900 00 00 00000000 00", interim("0b00", "03")),
        ),
        // The IOCTL response: output 6 bytes at 0x70.
        (
            S2C,
            format!(
                "00000076 {} 3100 0000 17c01100 {fid} 70000000 00000000 70000000 \
              06000000 00000000 00000000 deadbeef0001",
                hdr("0b00", ok, resp, "03")
            ),
        ),
        // WRITE 3 bytes at 0x70.
        (
            C2S,
            format!(
                "00000073 {} 3100 7000 03000000 0000000000000000 {fid} 00000000 \
              00000000 0000 0000 00000000 616263",
                hdr("0900", ok, req, "04")
            ),
        ),
        (
            S2C,
            format!(
                "00000050 {} 1100 0000 03000000 00000000 0000 0000",
                hdr("0900", ok, resp, "04")
            ),
        ),
        // READ, answered with STATUS_BUFFER_OVERFLOW and 4 bytes, 2 remaining...
        (
            C2S,
            format!(
                "00000071 {} 3100 50 00 00040000 0000000000000000 {fid} 00000000 \
              00000000 00000000 0000 0000 00",
                hdr("0800", ok, req, "05")
            ),
        ),
        (
            S2C,
            format!(
                "00000054 {} 1100 50 00 04000000 02000000 00000000 78797a7b",
                hdr("0800", "05000080", resp, "05")
            ),
        ),
        // ...then READ again for the last 2 bytes.
        (
            C2S,
            format!(
                "00000071 {} 3100 50 00 00040000 0000000000000000 {fid} 00000000 \
              00000000 00000000 0000 0000 00",
                hdr("0800", ok, req, "06")
            ),
        ),
        (
            S2C,
            format!(
                "00000052 {} 1100 50 00 02000000 00000000 00000000 7c7d",
                hdr("0800", ok, resp, "06")
            ),
        ),
        // CLOSE and its response.
        (
            C2S,
            format!(
                "00000058 {} 1800 0000 00000000 {fid}",
                hdr("0600", ok, req, "07")
            ),
        ),
        (
            S2C,
            format!(
                "0000007c {} 3c00 0000 00000000 {}",
                hdr("0600", ok, resp, "07"),
                "00".repeat(52)
            ),
        ),
    ]
}

#[test]
fn text2pcap_smb2_pipe_is_demultiplexed() {
    if !tool("text2pcap") || !tool("tshark") {
        return;
    }
    let msgs = smb2_literal_messages();
    for (dir, m) in &msgs {
        let b = unhex(m);
        assert_eq!(
            b.len() - 4,
            u32::from_be_bytes([0, b[1], b[2], b[3]]) as usize,
            "{dir} {m}"
        );
    }
    // One segment per message, except the WRITE request, split across two segments.
    let mut packets = Vec::new();
    for (dir, m) in &msgs {
        let b = unhex(m);
        if b.len() == 0x73 + 4 {
            packets.push((*dir, b[..50].to_vec()));
            packets.push((*dir, b[50..].to_vec()));
        } else {
            packets.push((*dir, b));
        }
    }
    let file = text2pcap(
        &dump(&packets),
        &["-D", "-T", "49800,445", "-4", "10.0.0.1,10.0.0.2"],
    );

    // tshark reads the hand-written messages as intended.
    let rows = tshark_fields(
        &file,
        &["smb2.cmd", "smb2.filename", "smb2.fid", "_ws.malformed"],
        &[],
    );
    let cmds: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        cmds,
        [
            "5", "5", "11", "11", "11", "", "9", "9", "8", "8", "8", "8", "6", "6"
        ]
    );
    assert_eq!(rows[0][1], "tapsrv");
    let fid = FileId {
        persistent: 0x0a1b,
        volatile: 0xffff_0003,
    };
    assert_eq!(rows[1][2], fid_guid(fid));
    assert!(
        rows.iter().all(|r| r[3].is_empty()),
        "tshark finds malformed packets"
    );

    let (s, stats) = read(&file);
    let pipe = StreamId::Pipe {
        conn: ConnId(0),
        file: fid,
    };
    assert_eq!(s.pipes(), vec![pipe]);
    let o = s.opened(pipe);
    assert_eq!(o.pipe.as_deref(), Some("tapsrv"));
    assert_eq!(
        (o.client, o.server),
        (sa("10.0.0.1:49800"), sa("10.0.0.2:445"))
    );
    assert_eq!(s.bytes(pipe, C2S), unhex("0badc0ffee 616263"));
    assert_eq!(s.bytes(pipe, S2C), unhex("deadbeef0001 78797a7b 7c7d"));
    assert_eq!(s.close_reason(pipe), CloseReason::PipeClosed);
    assert!(s.problems.is_empty(), "{:?}", s.problems);
    assert_eq!(stats.smb2.messages, 13);
}

fn endpoints(v6: bool) -> (SocketAddr, SocketAddr) {
    if v6 {
        (sa("[fd00::1]:50123"), sa("[fd00::2]:4444"))
    } else {
        (sa("10.0.0.1:50123"), sa("10.0.0.2:4444"))
    }
}

/// tshark accepts the writer's TCP: good IPv4 and TCP checksums, no analysis flags, the same
/// stream numbers, and its own reassembly gives the same bytes as ours.
#[test]
fn tshark_accepts_writer_tcp() {
    if !tool("tshark") {
        return;
    }
    for format in [Format::Pcap, Format::PcapNg] {
        for v6 in [false, true] {
            for vlan in [None, Some(7)] {
                let label = format!("{format:?} v6={v6} vlan={vlan:?}");
                let mut w = CaptureWriter::new(format);
                if let Some(id) = vlan {
                    w = w.with_vlan(id);
                }
                let (c, s) = endpoints(v6);
                let opts = TcpOptions {
                    mss: 700,
                    ..TcpOptions::default()
                };
                let mut a = w.tcp_conversation_with(c, s, opts.clone());
                a.client_sends(&[0x11; 2000])
                    .server_sends(&[0x22; 1500])
                    .client_sends(b"end");
                a.close();
                let (c2, s2) = (SocketAddr::new(c.ip(), 50124), s);
                let mut b = w.tcp_conversation_with(c2, s2, opts);
                b.client_sends(&[0x33; 10]).server_sends(&[0x44; 10]);
                b.close();
                let file = w.finish();

                // IPv6 has no header checksum: that column checks the version instead.
                let (ck, ck_ok) = if v6 {
                    ("ipv6.version", "6")
                } else {
                    ("ip.checksum.status", "1")
                };
                let rows = tshark_fields(
                    &file,
                    &[
                        "frame.number",
                        "tcp.stream",
                        "tcp.len",
                        "tcp.analysis.flags",
                        "tcp.checksum.status",
                        ck,
                        "vlan.id",
                    ],
                    &[
                        "-o",
                        "tcp.check_checksum:TRUE",
                        "-o",
                        "ip.check_checksum:TRUE",
                    ],
                );
                let (st, _) = read(&file);
                assert_eq!(rows.len(), 16 + 10, "{label}");
                for r in &rows {
                    assert_eq!(r[3], "", "{label}: analysis flags on frame {}", r[0]);
                    assert_eq!(r[4], "1", "{label}: TCP checksum of frame {}", r[0]);
                    assert_eq!(r[5], ck_ok, "{label}: IP header of frame {}", r[0]);
                    assert_eq!(
                        r[6],
                        vlan.map(|v| v.to_string()).unwrap_or_default(),
                        "{label}"
                    );
                }
                // Our stream numbers are tshark's, frame by frame.
                for ((stream, dir), frames) in &st.frames {
                    for f in frames {
                        let row = &rows[*f as usize - 1];
                        assert_eq!(row[1], stream.conn().0.to_string(), "{label} {dir}");
                    }
                }
                for n in 0..2u64 {
                    let t = StreamId::Tcp(ConnId(n));
                    let [(_, b0), (_, b1)] = tshark_follow(&file, n);
                    assert_eq!(b0, st.bytes(t, C2S), "{label} stream {n}");
                    assert_eq!(b1, st.bytes(t, S2C), "{label} stream {n}");
                    let len: usize = rows
                        .iter()
                        .filter(|r| r[1] == n.to_string())
                        .map(|r| r[2].parse::<usize>().unwrap())
                        .sum();
                    assert_eq!(len, b0.len() + b1.len(), "{label}");
                }
            }
        }
    }
}

/// The writer's faults look to tshark as they look to us: a dropped segment is "previous
/// segment not captured" on the frame our gap names as the first after it; a duplicate is a
/// retransmission; a swapped segment arrives out of order.
#[test]
fn tshark_sees_the_writer_faults_where_we_do() {
    if !tool("tshark") {
        return;
    }
    let (c, s) = endpoints(false);
    let mut w = CaptureWriter::new(Format::PcapNg);
    let mut a = w.tcp_conversation(c, s);
    let payload: Vec<u8> = (0..7000u32).map(|i| (i * 7) as u8).collect();
    a.client_sends(&payload[..1000]);
    a.fault_next(Fault::Drop).client_sends(&payload[1000..4000]);
    a.fault_next(Fault::Duplicate).server_sends(b"hello");
    a.fault_next(Fault::SwapWithNext)
        .client_sends(&payload[4000..]);
    a.close();
    let file = w.finish();
    let rows = tshark_fields(
        &file,
        &[
            "frame.number",
            "tcp.analysis.lost_segment",
            "tcp.analysis.retransmission",
            "tcp.analysis.out_of_order",
        ],
        &[],
    );
    let flagged = |col: usize| -> Vec<u64> {
        rows.iter()
            .filter(|r| !r[col].is_empty())
            .map(|r| r[0].parse().unwrap())
            .collect()
    };

    let (st, stats) = read(&file);
    assert_eq!(st.gaps.len(), 1, "{:?}", st.gaps);
    let g = &st.gaps[0];
    assert_eq!(g.missing, Missing::Bytes(1000..2460));
    assert_eq!(g.dir, C2S);
    assert_eq!(flagged(1)[0], g.after_frame, "tshark's lost segment");
    assert_eq!(g.before_frame, 4);
    assert_eq!(
        st.bytes(T0, C2S),
        [&payload[..1000], &payload[2460..]].concat()
    );
    assert_eq!(st.bytes(T0, S2C), b"hello");
    assert_eq!(flagged(2).len(), 1, "tshark's retransmissions");
    assert_eq!(stats.tcp.retransmissions, 1);
    assert_eq!(flagged(3).len(), 1, "tshark's out-of-order segments");
    // Ours also counts the two segments held behind the hole until the ACK revealed it.
    assert_eq!(stats.tcp.out_of_order, 1 + 2);
}

/// tshark accepts the writer's SMB2: the commands in order, the CREATE's file name, the
/// FileId, no malformed packet, and the pipe data it shows is the data we deliver.
#[test]
fn tshark_accepts_writer_smb2() {
    if !tool("tshark") {
        return;
    }
    for format in [Format::Pcap, Format::PcapNg] {
        for v6 in [false, true] {
            let mut w = CaptureWriter::new(format);
            let (c, s) = if v6 {
                (sa("[fd00::1]:49900"), sa("[fd00::2]:445"))
            } else {
                (sa("10.0.0.1:49900"), sa("10.0.0.2:445"))
            };
            let mut smb = w.smb_pipe_conversation(c, s, "tapsrv");
            let fid = smb.file_id();
            smb.transceive(&[0x42; 3000], &[0x43; 100]);
            smb.write(b"Write").read(&[0x44; 5000]);
            smb.transceive_overflow(b"ioctl", &[0x45; 2000], 700);
            smb.compound_write_read(b"cw", b"cr");
            smb.pending_next().transceive(b"pq", b"pr");
            smb.close();
            let file = w.finish();

            let rows = tshark_fields(
                &file,
                &[
                    "frame.number",
                    "smb2.cmd",
                    "smb2.filename",
                    "smb2.fid",
                    "smb2.flags.response",
                    "data.data",
                    "_ws.malformed",
                    "tcp.checksum.status",
                ],
                &["-o", "tcp.check_checksum:TRUE"],
            );
            let smb_rows: Vec<&Vec<String>> = rows.iter().filter(|r| !r[1].is_empty()).collect();
            let cmds: Vec<&str> = smb_rows.iter().map(|r| r[1].as_str()).collect();
            assert_eq!(
                cmds,
                [
                    "5", "5", "11", "11", "9", "9", "8", "8", "11", "11", "8", "8", "9,8", "9,8",
                    "11", "11", "11", "6", "6"
                ]
            );
            assert_eq!(smb_rows[0][2], "tapsrv");
            assert_eq!(smb_rows[1][3], fid_guid(fid));
            assert!(rows.iter().all(|r| r[6].is_empty() && r[7] == "1"));

            let (st, _) = read(&file);
            let pipe = StreamId::Pipe {
                conn: ConnId(0),
                file: fid,
            };
            let mut tshark_data = [Vec::new(), Vec::new()];
            for r in &smb_rows {
                if r[5].is_empty() {
                    continue;
                }
                let i = if r[4].split(',').next() == Some("1") {
                    1
                } else {
                    0
                };
                for chunk in r[5].split(',') {
                    tshark_data[i].extend(unhex(chunk));
                }
            }
            assert_eq!(tshark_data[0], st.bytes(pipe, C2S));
            assert_eq!(tshark_data[1], st.bytes(pipe, S2C));
            assert_eq!(st.opened(pipe).pipe.as_deref(), Some("tapsrv"));
        }
    }
}

/// A helper check: [`Streams`] is what the other tests rely on.
#[test]
fn streams_collector_checks_offsets() {
    let mut w = CaptureWriter::new(Format::Pcap);
    let mut a = w.tcp_conversation(sa("10.0.0.1:1234"), sa("10.0.0.2:80"));
    a.client_sends(b"x");
    a.close();
    let file = w.finish();
    let s = Streams::collect(mstrp::capture::open(&file[..], Default::default()).unwrap());
    assert_eq!(s.bytes(T0, C2S), b"x");
}

/// Runs an editcap/mergecap-like tool: `args` then the output path.
fn wireshark_tool(tool_name: &str, args: &[&std::path::Path], out_args: &[&str]) -> Vec<u8> {
    let out = tshark_capture::tmp_path("tool.out");
    let status = std::process::Command::new(tool_name)
        .args(out_args)
        .arg(&out)
        .args(args)
        .output()
        .expect("run tool");
    assert!(
        status.status.success(),
        "{tool_name}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let file = std::fs::read(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    file
}

/// Nanosecond pcap (editcap) and a pcapng with two interfaces of different link types
/// (mergecap of an Ethernet capture and a Linux cooked one).
#[test]
fn editcap_nanoseconds_and_mergecap_interfaces() {
    if !tool("editcap") || !tool("mergecap") || !tool("text2pcap") {
        return;
    }
    let mut w = CaptureWriter::new(Format::Pcap).with_step(std::time::Duration::from_micros(1234));
    let mut c = w.tcp_conversation(sa("10.0.0.1:50000"), sa("10.0.0.2:4444"));
    c.client_sends(&[9; 2000]).server_sends(b"done");
    c.close();
    let eth = w.finish();
    let eth_path = tshark_capture::write_tmp("eth.pcap", &eth);

    // editcap's output path comes before its input.
    let out = tshark_capture::tmp_path("nsec.pcap");
    let st = std::process::Command::new("editcap")
        .args(["-F", "nsecpcap"])
        .arg(&eth_path)
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let nsec = std::fs::read(&out).unwrap();
    assert_eq!(&nsec[..4], &[0x4d, 0x3c, 0xb2, 0xa1], "nanosecond magic");
    let a: Vec<_> = Frames::new(&eth[..]).unwrap().map(Result::unwrap).collect();
    let b: Vec<_> = Frames::new(&nsec[..])
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!((x.timestamp, &x.data), (y.timestamp, &y.data));
    }

    // A Linux cooked capture of another connection, merged in.
    let (c2, s2) = (sa("10.9.9.1:40000"), sa("10.9.9.2:4445"));
    let sll: String = [
        frame(None, c2, s2, 5, 0, SYN, b""),
        frame(None, s2, c2, 70, 6, SYN | ACK, b""),
        frame(None, c2, s2, 6, 71, ACK, b"cooked"),
    ]
    .iter()
    .map(|f| {
        let mut h = vec![0, 4, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00];
        h.extend(&f[14..]);
        format!("000000 {}\n", hex(&h))
    })
    .collect();
    let sll_file = text2pcap(&sll, &["-l", "113", "-F", "pcap"]);
    let sll_path = tshark_capture::write_tmp("sll.pcap", &sll_file);
    let merged = wireshark_tool(
        "mergecap",
        &[&eth_path, &sll_path],
        &["-a", "-F", "pcapng", "-w"],
    );
    let frames: Vec<_> = Frames::new(&merged[..])
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(frames.len(), a.len() + 3);
    assert!(
        frames[..a.len()]
            .iter()
            .all(|f| f.link_type == LinkType::ETHERNET && f.interface == 0)
    );
    assert!(
        frames[a.len()..]
            .iter()
            .all(|f| f.link_type == LinkType::LINUX_SLL && f.interface == 1)
    );
    let (s, _) = read(&merged);
    assert_eq!(s.bytes(T0, C2S), vec![9; 2000]);
    assert_eq!(s.bytes(T0, S2C), b"done");
    assert_eq!(s.bytes(StreamId::Tcp(ConnId(1)), C2S), b"cooked");
    for p in [eth_path, sll_path, out] {
        let _ = std::fs::remove_file(p);
    }
}
