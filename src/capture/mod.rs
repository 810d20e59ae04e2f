//! The capture transport layer: from a pcap or pcapng file to ordered byte streams, the
//! input of the DCE/RPC PDU decoder (feature `pcap`).
//!
//! Layers, bottom up:
//! * [`frames`]: the frames of a pcap or pcapng file, streamed from any `Read`;
//! * [`packet`]: a frame's link layer, IPv4/IPv6 and TCP header (Ethernet II, 802.1Q, Linux
//!   cooked capture v1/v2, loopback, raw IP);
//! * [`tcp`]: per-connection, per-direction reassembly, with gaps reported, never guessed;
//! * [`smb2`]: DCE/RPC over SMB2 named pipes (NetBIOS framing, CREATE, WRITE, READ,
//!   IOCTL FSCTL_PIPE_TRANSCEIVE, CLOSE, compounds);
//! * [`Transport`]: the driver that runs the three over a capture and routes each TCP
//!   connection either to the raw stream events or (a server port in
//!   [`TransportConfig::smb_ports`] and bytes that start like NetBIOS + SMB) to the SMB2
//!   layer;
//! * [`write`](mod@write): a capture writer for tests and sample files (TCP conversations and SMB2
//!   pipe conversations, with deliberate faults).
//!
//! The output is a sequence of [`StreamEvent`]s. Each [`StreamId`] is two ordered byte
//! streams, one per [`Direction`]; a DCE/RPC decoder keeps one buffer per
//! `(StreamId, Direction)`, appends [`StreamEvent::Data`] bytes, resynchronises after a
//! [`StreamEvent::Gap`], and drops the state on [`StreamEvent::Closed`]. Whether a TCP stream
//! is DCE/RPC is the consumer's decision (for example by its server port, in
//! [`StreamEvent::Opened`]).
//!
//! ```
//! use mstrp::capture::write::{CaptureWriter, Format};
//! use mstrp::capture::{self, Direction, StreamEvent, StreamId, TransportConfig};
//!
//! // A capture with one SMB2 pipe conversation on \pipe\tapsrv.
//! let mut w = CaptureWriter::new(Format::Pcap);
//! let mut smb = w.smb_pipe_conversation("10.0.0.1:49800".parse()?, "10.0.0.2:445".parse()?, "tapsrv");
//! smb.transceive(b"bind", b"bind_ack");
//! smb.close();
//! let file = w.finish();
//!
//! let mut to_server = Vec::new();
//! let mut name = None;
//! for event in capture::open(&file[..], TransportConfig::default())? {
//!     match event {
//!         StreamEvent::Opened { stream: StreamId::Pipe { .. }, pipe, .. } => name = pipe,
//!         StreamEvent::Data { stream: StreamId::Pipe { .. }, dir: Direction::ClientToServer, bytes, .. } => {
//!             to_server.extend(bytes)
//!         }
//!         _ => {}
//!     }
//! }
//! assert_eq!(name.as_deref(), Some("tapsrv"));
//! assert_eq!(to_server, b"bind");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

/// The hash maps of the capture layer (streams, connections, routes): foldhash instead of
/// std's SipHash, which showed in profiles of `trp pcap`. Keys come from the capture, so the
/// seed is still random per map.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
/// The hash sets of the capture layer, as [`FastMap`].
pub(crate) type FastSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

pub mod calls;
pub mod event;
pub mod frames;
pub mod packet;
pub mod smb2;
mod spare;
pub mod tcp;
pub mod write;

use std::collections::{BTreeSet, VecDeque};
use std::io::Read;

pub use event::{
    CloseReason, ConnId, Direction, FileId, Missing, Problem, ProblemKind, StreamEvent, StreamId,
};
pub use frames::{Frame, FrameError, FrameErrorKind, FrameLimits, Frames, LinkType};

use packet::{Skip, TcpSegment};
use smb2::{Smb2Config, Smb2Demux, Smb2Stats};
use tcp::{Reassembler, TcpConfig, TcpStats};

/// The configuration of a [`Transport`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportConfig {
    /// TCP reassembly limits and server ports.
    pub tcp: TcpConfig,
    /// SMB2 limits.
    pub smb2: Smb2Config,
    /// Server ports whose connections go to the SMB2 layer when their first bytes look like
    /// NetBIOS + SMB (default 445 and 139).
    pub smb_ports: BTreeSet<u16>,
    /// When set, only connections with one of these ports (either side) are followed; the
    /// segments of the others are counted in [`TransportStats::filtered`] and dropped.
    pub only_ports: Option<BTreeSet<u16>>,
    /// How many problems [`Transport::problems`] keeps (default 1000; all are counted and all
    /// are emitted as events).
    pub max_problems: usize,
}

impl Default for TransportConfig {
    fn default() -> Self {
        TransportConfig {
            tcp: TcpConfig::default(),
            smb2: Smb2Config::default(),
            smb_ports: [139, 445].into_iter().collect(),
            only_ports: None,
            max_problems: 1000,
        }
    }
}

/// What a [`Transport`] saw.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TransportStats {
    /// Frames processed.
    pub frames: u64,
    /// Frames that carried a TCP segment.
    pub tcp_segments: u64,
    /// Frames skipped: a link type not decoded.
    pub skipped_link_type: u64,
    /// Frames skipped: not IP.
    pub skipped_non_ip: u64,
    /// Frames skipped: IP but not TCP.
    pub skipped_non_tcp: u64,
    /// Frames skipped: IP fragments.
    pub skipped_fragments: u64,
    /// Frames skipped: malformed or cut short (each also reported as a problem).
    pub skipped_malformed: u64,
    /// TCP segments dropped by [`TransportConfig::only_ports`].
    pub filtered: u64,
    /// Problems reported.
    pub problems: u64,
    /// TCP reassembly counters.
    pub tcp: TcpStats,
    /// SMB2 counters, over all connections.
    pub smb2: Smb2Stats,
}

/// How a connection's bytes are handled.
#[derive(Debug)]
enum Route {
    /// As a raw TCP stream.
    Raw,
    /// Not decided yet: an SMB port, no data seen.
    Undecided {
        mid_stream: bool,
        client: std::net::SocketAddr,
        server: std::net::SocketAddr,
    },
    /// Through the SMB2 layer.
    Smb(Box<Smb2Demux>),
}

/// The streaming driver: frames in, [`StreamEvent`]s out (sans I/O; see [`Transport::events`]
/// and [`open`] for the iterator over a file).
#[derive(Debug)]
pub struct Transport {
    config: TransportConfig,
    tcp: Reassembler,
    routes: FastMap<ConnId, Route>,
    stats: TransportStats,
    smb_closed: Smb2Stats,
    problems: Vec<Problem>,
    capture_error: Option<FrameError>,
    last_frame: u64,
    scratch: Vec<StreamEvent>,
}

fn add_smb(a: &mut Smb2Stats, b: Smb2Stats) {
    a.messages += b.messages;
    a.encrypted += b.encrypted;
    a.compressed += b.compressed;
    a.smb1 += b.smb1;
    a.malformed += b.malformed;
    a.pipes += b.pipes;
    a.resyncs += b.resyncs;
}

impl Default for Transport {
    fn default() -> Self {
        Transport::new(TransportConfig::default())
    }
}

impl Transport {
    /// A driver with the given configuration.
    pub fn new(config: TransportConfig) -> Self {
        Transport {
            tcp: Reassembler::new(config.tcp.clone()),
            config,
            routes: FastMap::default(),
            stats: TransportStats::default(),
            smb_closed: Smb2Stats::default(),
            problems: Vec::new(),
            capture_error: None,
            last_frame: 0,
            scratch: Vec::new(),
        }
    }

    /// Wraps a frame iterator (such as [`Frames`]) into an iterator of events.
    pub fn events<I>(self, frames: I) -> Events<I>
    where
        I: Iterator<Item = Result<Frame, FrameError>>,
    {
        Events {
            frames,
            transport: self,
            queue: VecDeque::new(),
            buf: Vec::new(),
            done: false,
        }
    }

    /// Hands back an event once consumed: the bytes of a TCP stream's
    /// [`StreamEvent::Data`] are kept by the reassembler for later segments' bytes, so that a
    /// steady stream allocates none (other events are dropped). Dropping an event instead is
    /// as correct.
    pub fn recycle(&mut self, event: StreamEvent) {
        if let StreamEvent::Data {
            stream: StreamId::Tcp(_),
            bytes,
            ..
        } = event
        {
            self.tcp.recycle(bytes);
        }
    }

    /// The counters so far.
    pub fn stats(&self) -> TransportStats {
        let mut s = self.stats;
        s.tcp = self.tcp.stats();
        let mut smb = self.smb_closed;
        for r in self.routes.values() {
            if let Route::Smb(d) = r {
                add_smb(&mut smb, d.stats());
            }
        }
        s.smb2 = smb;
        s
    }

    /// The first [`TransportConfig::max_problems`] problems.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The error that ended the capture file early, if one did.
    pub fn capture_error(&self) -> Option<&FrameError> {
        self.capture_error.as_ref()
    }

    /// How many TCP connections are open (held in memory).
    pub fn open_connections(&self) -> usize {
        self.tcp.open_connections()
    }

    /// How many SMB2 pipes are open.
    pub fn open_pipes(&self) -> usize {
        self.routes
            .values()
            .map(|r| match r {
                Route::Smb(d) => d.open_pipes(),
                _ => 0,
            })
            .sum()
    }

    /// Processes one frame.
    pub fn push_frame(&mut self, frame: &Frame, out: &mut Vec<StreamEvent>) {
        self.push_packet(frame.number, frame.link_type, &frame.data, out);
    }

    /// Processes one packet: its frame number, link type and bytes.
    pub fn push_packet(
        &mut self,
        frame: u64,
        link: LinkType,
        data: &[u8],
        out: &mut Vec<StreamEvent>,
    ) {
        self.stats.frames += 1;
        self.last_frame = self.last_frame.max(frame);
        match packet::decode(link, data) {
            Ok(seg) => self.push_segment(frame, &seg, out),
            Err(skip) => match skip {
                Skip::LinkType(_) => self.stats.skipped_link_type += 1,
                Skip::NotIp => self.stats.skipped_non_ip += 1,
                Skip::NotTcp => self.stats.skipped_non_tcp += 1,
                Skip::IpFragment => self.stats.skipped_fragments += 1,
                Skip::Malformed(_) => {
                    self.stats.skipped_malformed += 1;
                    self.problem(
                        Problem {
                            frame,
                            stream: None,
                            kind: ProblemKind::Malformed(skip),
                        },
                        out,
                    );
                }
            },
        }
    }

    /// Processes one TCP segment already taken out of frame `frame`.
    pub fn push_segment(&mut self, frame: u64, seg: &TcpSegment<'_>, out: &mut Vec<StreamEvent>) {
        self.stats.tcp_segments += 1;
        self.last_frame = self.last_frame.max(frame);
        if let Some(only) = &self.config.only_ports {
            if !only.contains(&seg.src.port()) && !only.contains(&seg.dst.port()) {
                self.stats.filtered += 1;
                return;
            }
        }
        let mut scratch = std::mem::take(&mut self.scratch);
        self.tcp.segment(frame, seg, &mut scratch);
        for ev in scratch.drain(..) {
            self.route(ev, out);
        }
        self.scratch = scratch;
    }

    /// Records that the capture file ended with an error: a problem event.
    pub fn push_capture_error(&mut self, error: FrameError, out: &mut Vec<StreamEvent>) {
        self.capture_error = Some(error.clone());
        self.problem(
            Problem {
                frame: error.frame,
                stream: None,
                kind: ProblemKind::Capture(error),
            },
            out,
        );
    }

    /// Ends the capture: reports what is still missing, delivers what is buffered, and closes
    /// every stream ([`CloseReason::EndOfCapture`]).
    pub fn finish(&mut self, out: &mut Vec<StreamEvent>) {
        let mut scratch = std::mem::take(&mut self.scratch);
        self.tcp.finish(self.last_frame, &mut scratch);
        for ev in scratch.drain(..) {
            self.route(ev, out);
        }
        self.scratch = scratch;
    }

    fn problem(&mut self, p: Problem, out: &mut Vec<StreamEvent>) {
        self.stats.problems += 1;
        if self.problems.len() < self.config.max_problems {
            self.problems.push(p.clone());
        }
        out.push(StreamEvent::Problem(p));
    }

    /// Routes one event of the TCP layer.
    fn route(&mut self, ev: StreamEvent, out: &mut Vec<StreamEvent>) {
        let conn = match &ev {
            StreamEvent::Problem(p) => {
                let p = p.clone();
                return self.problem(p, out);
            }
            StreamEvent::Opened {
                stream: StreamId::Tcp(id),
                client,
                server,
                mid_stream,
                ..
            } => {
                let route = if self.config.smb_ports.contains(&server.port()) {
                    Route::Undecided {
                        mid_stream: *mid_stream,
                        client: *client,
                        server: *server,
                    }
                } else {
                    Route::Raw
                };
                self.routes.insert(*id, route);
                return out.push(ev);
            }
            other => match other.stream() {
                Some(StreamId::Tcp(id)) => id,
                _ => return out.push(ev),
            },
        };
        if let (
            Some(&Route::Undecided {
                mid_stream,
                client,
                server,
            }),
            StreamEvent::Data { bytes, .. },
        ) = (self.routes.get(&conn), &ev)
        {
            // A stream seen from its start is SMB when its first bytes say so; one seen
            // mid-stream on an SMB port is searched for SMB messages.
            let starts_smb = smb2::looks_like_nbss_smb(bytes);
            let route = if mid_stream || starts_smb {
                Route::Smb(Box::new(Smb2Demux::new(
                    conn,
                    client,
                    server,
                    starts_smb,
                    self.config.smb2.clone(),
                )))
            } else {
                Route::Raw
            };
            self.routes.insert(conn, route);
        }
        let mut smb_events = Vec::new();
        let route = self.routes.get_mut(&conn);
        match (route, &ev) {
            (
                Some(Route::Smb(demux)),
                StreamEvent::Data {
                    dir, frame, bytes, ..
                },
            ) => {
                demux.data(*dir, *frame, bytes, &mut smb_events);
            }
            (
                Some(Route::Smb(demux)),
                StreamEvent::Gap {
                    dir,
                    missing,
                    before_frame,
                    after_frame,
                    ..
                },
            ) => {
                // The TCP stream of an SMB2 connection has no data events of its own: its gap
                // is a problem, and every open pipe gets a gap of unknown size.
                if let Missing::Bytes(range) = missing {
                    smb_events.push(StreamEvent::Problem(Problem {
                        frame: *after_frame,
                        stream: Some(StreamId::Tcp(conn)),
                        kind: ProblemKind::Smb2BytesMissing {
                            dir: *dir,
                            range: range.clone(),
                        },
                    }));
                }
                demux.gap(*dir, *before_frame, *after_frame, &mut smb_events);
            }
            (Some(Route::Smb(demux)), StreamEvent::Closed { frame, reason, .. }) => {
                demux.close(*frame, *reason, &mut smb_events);
            }
            _ => {}
        }
        let is_smb = matches!(self.routes.get(&conn), Some(Route::Smb(_)));
        for e in smb_events {
            match e {
                StreamEvent::Problem(p) => self.problem(p, out),
                e => out.push(e),
            }
        }
        match &ev {
            StreamEvent::Closed { .. } => {
                if let Some(Route::Smb(d)) = self.routes.remove(&conn) {
                    add_smb(&mut self.smb_closed, d.stats());
                }
                out.push(ev);
            }
            StreamEvent::Data { .. } | StreamEvent::Gap { .. } if is_smb => {}
            _ => out.push(ev),
        }
    }
}

/// The events of a capture, as an iterator (see [`Transport::events`] and [`open`]).
///
/// A capture file error ends the iteration after a [`ProblemKind::Capture`] problem and the
/// end-of-capture flush; the events of the frames before it have been delivered.
#[derive(Debug)]
pub struct Events<I> {
    frames: I,
    transport: Transport,
    queue: VecDeque<StreamEvent>,
    buf: Vec<StreamEvent>,
    done: bool,
}

impl<I> Events<I> {
    /// The driver (for its statistics and problems).
    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// The driver, once the events are consumed.
    pub fn into_transport(self) -> Transport {
        self.transport
    }

    /// Hands back an event once consumed, so that its buffer holds later bytes (see
    /// [`Transport::recycle`]); dropping it instead is as correct.
    pub fn recycle(&mut self, event: StreamEvent) {
        self.transport.recycle(event);
    }
}

impl<I> Iterator for Events<I>
where
    I: Iterator<Item = Result<Frame, FrameError>>,
{
    type Item = StreamEvent;

    fn next(&mut self) -> Option<StreamEvent> {
        loop {
            if let Some(e) = self.queue.pop_front() {
                return Some(e);
            }
            if self.done {
                return None;
            }
            match self.frames.next() {
                Some(Ok(frame)) => self.transport.push_frame(&frame, &mut self.buf),
                Some(Err(e)) => {
                    self.transport.push_capture_error(e, &mut self.buf);
                    self.transport.finish(&mut self.buf);
                    self.done = true;
                }
                None => {
                    self.transport.finish(&mut self.buf);
                    self.done = true;
                }
            }
            self.queue.extend(self.buf.drain(..));
        }
    }
}

/// Opens a capture file and returns the iterator of its events.
pub fn open<R: Read>(reader: R, config: TransportConfig) -> Result<Events<Frames<R>>, FrameError> {
    Ok(Transport::new(config).events(Frames::new(reader)?))
}
