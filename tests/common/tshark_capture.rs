//! Helpers shared by the capture tests (`#[path]`-included): tshark and text2pcap as an
//! independent peer, and the capture layer's events collected into byte streams.
//!
//! Without tshark or text2pcap a test prints that it was skipped and returns, unless
//! `MSTRP_REQUIRE_TSHARK=1`, which turns the absence into a failure.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

use mstrp::capture::{
    self, CloseReason, Direction, FileId, Missing, Problem, StreamEvent, StreamId, TransportConfig,
    TransportStats,
};

/// Whether `tool` can be run; if not, prints a skip message, or panics when
/// `MSTRP_REQUIRE_TSHARK=1`.
pub fn tool(tool: &str) -> bool {
    let ok = Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        let required = std::env::var("MSTRP_REQUIRE_TSHARK").is_ok_and(|v| v == "1");
        assert!(!required, "{tool} not found and MSTRP_REQUIRE_TSHARK=1");
        println!("skipped: {tool} not found (set MSTRP_REQUIRE_TSHARK=1 to make this a failure)");
    }
    ok
}

/// A fresh path in the test's scratch directory.
pub fn tmp_path(name: &str) -> PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("capture-{}-{n}-{name}", std::process::id()))
}

/// Writes `file` to a scratch path and returns the path.
pub fn write_tmp(name: &str, file: &[u8]) -> PathBuf {
    let path = tmp_path(name);
    std::fs::write(&path, file).expect("write scratch file");
    path
}

/// Runs tshark on a capture and returns one row of fields per frame (tab-separated
/// `-T fields` output; multiple occurrences of a field are comma-separated).
pub fn tshark_fields(file: &[u8], fields: &[&str], extra: &[&str]) -> Vec<Vec<String>> {
    let path = write_tmp("fields.cap", file);
    let mut cmd = Command::new("tshark");
    cmd.arg("-r")
        .arg(&path)
        .args(extra)
        .args(["-T", "fields", "-E", "separator=/t"]);
    for f in fields {
        cmd.args(["-e", f]);
    }
    let out = cmd.output().expect("run tshark");
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "tshark failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("tshark output is UTF-8")
        .lines()
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

/// tshark's own reassembly of TCP stream `stream` (`-z follow,tcp,raw`): the first node's
/// address and bytes, then the second's.
pub fn tshark_follow(file: &[u8], stream: u64) -> [(String, Vec<u8>); 2] {
    let path = write_tmp("follow.cap", file);
    let out = Command::new("tshark")
        .arg("-r")
        .arg(&path)
        .args(["-q", "-z", &format!("follow,tcp,raw,{stream}")])
        .output()
        .expect("run tshark");
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "tshark failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let mut nodes = [(String::new(), Vec::new()), (String::new(), Vec::new())];
    let mut in_data = false;
    for line in text.lines() {
        if let Some(a) = line.strip_prefix("Node 0: ") {
            nodes[0].0 = a.to_string();
        } else if let Some(a) = line.strip_prefix("Node 1: ") {
            nodes[1].0 = a.to_string();
            in_data = true;
        } else if line.starts_with("====") {
            in_data = false;
        } else if in_data {
            let (i, hex) = match line.strip_prefix('\t') {
                Some(h) => (1, h),
                None => (0, line),
            };
            nodes[i].1.extend(unhex(hex));
        }
    }
    nodes
}

/// Runs text2pcap on a hex dump and returns the capture file.
pub fn text2pcap(dump: &str, args: &[&str]) -> Vec<u8> {
    let input = write_tmp("dump.txt", dump.as_bytes());
    let output = tmp_path("text2pcap.out");
    let out = Command::new("text2pcap")
        .arg("-q")
        .args(args)
        .arg(&input)
        .arg(&output)
        .output()
        .expect("run text2pcap");
    assert!(
        out.status.success(),
        "text2pcap failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = std::fs::read(&output).expect("text2pcap output");
    let _ = std::fs::remove_file(&input);
    let _ = std::fs::remove_file(&output);
    file
}

/// Hex digits (whitespace and colons ignored) to bytes.
pub fn unhex(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s
        .bytes()
        .filter(|b| b.is_ascii_hexdigit())
        .map(|b| (b as char).to_digit(16).unwrap() as u8)
        .collect();
    assert!(digits.len() % 2 == 0, "odd number of hex digits in {s:?}");
    digits.chunks(2).map(|p| p[0] << 4 | p[1]).collect()
}

/// Bytes as a text2pcap hex dump line body (space-separated).
pub fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A FileId as tshark shows `smb2.fid` (the 16 bytes as a GUID).
pub fn fid_guid(f: FileId) -> String {
    let b = f.to_bytes();
    format!(
        "{:08x}-{:04x}-{:04x}-{:02x}{:02x}-{}",
        u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
        u16::from_le_bytes([b[4], b[5]]),
        u16::from_le_bytes([b[6], b[7]]),
        b[8],
        b[9],
        b[10..]
            .iter()
            .map(|x| format!("{x:02x}"))
            .collect::<String>()
    )
}

/// An opened stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub client: SocketAddr,
    pub server: SocketAddr,
    pub frame: u64,
    pub mid_stream: bool,
    pub pipe: Option<String>,
}

/// A gap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub stream: StreamId,
    pub dir: Direction,
    pub missing: Missing,
    pub before_frame: u64,
    pub after_frame: u64,
}

/// The events of a capture, collected; offsets are checked to be contiguous on the way.
#[derive(Debug, Default)]
pub struct Streams {
    /// Opened streams, in order of opening.
    pub opened: Vec<(StreamId, Opened)>,
    /// The bytes of each stream direction.
    pub data: BTreeMap<(StreamId, Direction), Vec<u8>>,
    /// The frames of each Data event of a stream direction.
    pub frames: BTreeMap<(StreamId, Direction), Vec<u64>>,
    pub gaps: Vec<Gap>,
    pub closed: Vec<(StreamId, CloseReason, u64)>,
    pub problems: Vec<Problem>,
    /// Every event, in order.
    pub events: Vec<StreamEvent>,
}

impl Streams {
    /// Collects events, checking that each stream is opened before use and closed once,
    /// and that offsets follow on from the previous data or gap.
    pub fn collect(events: impl IntoIterator<Item = StreamEvent>) -> Streams {
        let mut s = Streams::default();
        let mut next: BTreeMap<(StreamId, Direction), u64> = BTreeMap::new();
        let mut open: BTreeMap<StreamId, bool> = BTreeMap::new();
        for e in events {
            s.events.push(e.clone());
            match e {
                StreamEvent::Opened {
                    stream,
                    client,
                    server,
                    frame,
                    mid_stream,
                    pipe,
                } => {
                    assert!(open.insert(stream, true).is_none(), "{stream} opened twice");
                    s.opened.push((
                        stream,
                        Opened {
                            client,
                            server,
                            frame,
                            mid_stream,
                            pipe,
                        },
                    ));
                }
                StreamEvent::Data {
                    stream,
                    dir,
                    frame,
                    offset,
                    bytes,
                } => {
                    assert_eq!(
                        open.get(&stream),
                        Some(&true),
                        "data on a stream not open: {stream}"
                    );
                    assert!(!bytes.is_empty(), "empty data event");
                    let n = next.entry((stream, dir)).or_insert(0);
                    assert_eq!(offset, *n, "{stream} {dir}: offset does not follow on");
                    *n += bytes.len() as u64;
                    s.data.entry((stream, dir)).or_default().extend(bytes);
                    s.frames.entry((stream, dir)).or_default().push(frame);
                }
                StreamEvent::Gap {
                    stream,
                    dir,
                    missing,
                    before_frame,
                    after_frame,
                } => {
                    assert_eq!(open.get(&stream), Some(&true), "gap on a stream not open");
                    let n = next.entry((stream, dir)).or_insert(0);
                    match &missing {
                        Missing::Bytes(r) => {
                            assert_eq!(
                                r.start, *n,
                                "{stream} {dir}: gap does not start at the next offset"
                            );
                            assert!(r.end > r.start, "empty gap");
                            *n = r.end;
                        }
                        Missing::Unknown { at } => assert_eq!(*at, *n),
                    }
                    s.gaps.push(Gap {
                        stream,
                        dir,
                        missing,
                        before_frame,
                        after_frame,
                    });
                }
                StreamEvent::Closed {
                    stream,
                    frame,
                    reason,
                } => {
                    assert_eq!(
                        open.insert(stream, false),
                        Some(true),
                        "{stream} closed while not open"
                    );
                    s.closed.push((stream, reason, frame));
                }
                StreamEvent::Problem(p) => s.problems.push(p),
            }
        }
        assert!(
            open.values().all(|o| !o),
            "streams left open at the end: {open:?}"
        );
        s
    }

    /// The bytes of one direction of a stream (empty if none).
    pub fn bytes(&self, stream: StreamId, dir: Direction) -> &[u8] {
        self.data.get(&(stream, dir)).map_or(&[], Vec::as_slice)
    }

    /// The TCP streams, in order.
    pub fn tcp(&self) -> Vec<StreamId> {
        self.opened
            .iter()
            .map(|o| o.0)
            .filter(|s| matches!(s, StreamId::Tcp(_)))
            .collect()
    }

    /// The pipe streams, in order.
    pub fn pipes(&self) -> Vec<StreamId> {
        self.opened
            .iter()
            .map(|o| o.0)
            .filter(|s| matches!(s, StreamId::Pipe { .. }))
            .collect()
    }

    /// How a stream was opened.
    pub fn opened(&self, stream: StreamId) -> &Opened {
        &self
            .opened
            .iter()
            .find(|o| o.0 == stream)
            .expect("stream opened")
            .1
    }

    /// How a stream was closed.
    pub fn close_reason(&self, stream: StreamId) -> CloseReason {
        self.closed
            .iter()
            .find(|c| c.0 == stream)
            .expect("stream closed")
            .1
    }
}

/// Reads a capture file through the whole layer.
pub fn read(file: &[u8]) -> (Streams, TransportStats) {
    read_with(file, TransportConfig::default())
}

/// Reads a capture file through the whole layer with a configuration.
pub fn read_with(file: &[u8], config: TransportConfig) -> (Streams, TransportStats) {
    let mut events = capture::open(file, config).expect("a capture file");
    let streams = Streams::collect(events.by_ref());
    (streams, events.transport().stats())
}
