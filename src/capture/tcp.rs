//! Per-connection, per-direction TCP reassembly.
//!
//! [`Reassembler`] takes [`TcpSegment`]s in capture order and emits [`StreamEvent`]s: each
//! connection's two byte streams in order, with retransmissions removed, out-of-order
//! segments held back until the bytes before them arrive, and missing bytes reported as a
//! [`StreamEvent::Gap`], never filled in.
//!
//! Policies (spec-notes/capture.md gives the reasons):
//! * **Connections** are keyed by the unordered pair of endpoints. The client is the sender
//!   of a SYN (the receiver of a SYN+ACK). Without a SYN: the endpoint whose port is one of
//!   [`TcpConfig::server_ports`] is the server; otherwise the lower port is the server;
//!   with equal ports, the sender of the first segment is the client.
//! * **Stream offsets** count from 0: the byte after the ISN when the SYN was seen,
//!   otherwise the first byte of the first data segment seen in that direction.
//! * **Overlaps**: the first copy of a byte received wins (it may already have been
//!   delivered); a later copy that differs is reported as
//!   [`ProblemKind::OverlapConflict`]. Delivered bytes are compared against a window of the
//!   last [`TcpConfig::retransmit_window`] bytes.
//! * **Gaps**: a hole before buffered data is declared missing when the receiver has
//!   acknowledged bytes beyond it (the capture missed them), when the buffered bytes exceed
//!   [`TcpConfig::max_buffered_per_direction`] or [`TcpConfig::max_buffered_total`], or when
//!   the connection ends (RST, eviction, end of capture). Delivery resumes with the buffered
//!   data after the hole.
//! * **Memory**: only open connections are held; a connection is dropped when both FINs have
//!   been delivered or on RST. At most [`TcpConfig::max_connections`] are open; beyond that
//!   the least recently active one is closed ([`CloseReason::Evicted`]). A bounded set of
//!   recently closed address pairs makes late segments of a closed connection ignored rather
//!   than opening a ghost connection.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::net::SocketAddr;
use std::ops::Range;

use super::event::{
    CloseReason, ConnId, Direction, Missing, Problem, ProblemKind, StreamEvent, StreamId,
};
use super::packet::TcpSegment;
use super::spare::Spares;
use super::{FastMap, FastSet};

/// Limits and hints of the [`Reassembler`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcpConfig {
    /// Out-of-order bytes held per direction before the hole in front of them is declared a
    /// gap (default 4 MiB).
    pub max_buffered_per_direction: usize,
    /// Out-of-order bytes held over all connections (default 64 MiB).
    pub max_buffered_total: usize,
    /// Simultaneously open connections (default 4096).
    pub max_connections: usize,
    /// Delivered bytes kept per direction to check retransmissions against (default 16 KiB).
    pub retransmit_window: usize,
    /// Closed address pairs remembered to ignore their late segments (default 4096).
    pub recently_closed: usize,
    /// Ports that mark the server when no SYN was seen (default 135, 139, 445, 593).
    pub server_ports: BTreeSet<u16>,
}

impl Default for TcpConfig {
    fn default() -> Self {
        TcpConfig {
            max_buffered_per_direction: 4 << 20,
            max_buffered_total: 64 << 20,
            max_connections: 4096,
            retransmit_window: 16 << 10,
            recently_closed: 4096,
            server_ports: [135, 139, 445, 593].into_iter().collect(),
        }
    }
}

/// Counters of the [`Reassembler`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TcpStats {
    /// Segments processed.
    pub segments: u64,
    /// Connections opened.
    pub connections: u64,
    /// Segments (or parts) that repeated bytes already received.
    pub retransmissions: u64,
    /// Segments that arrived ahead of a hole and were buffered.
    pub out_of_order: u64,
    /// Gaps reported.
    pub gaps: u64,
    /// Overlap conflicts reported.
    pub conflicts: u64,
    /// Connections evicted by the connection limit.
    pub evicted: u64,
    /// Segments ignored: for a recently closed connection, or without data on an unknown
    /// one.
    pub ignored: u64,
}

/// A connection's two ends, the lesser first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Key(SocketAddr, SocketAddr);

/// Hashed as one `u128` when both ends are IPv4 (nearly always), rather than through
/// `SocketAddr`'s field-by-field `Hash`; equal keys hash alike either way.
impl core::hash::Hash for Key {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        match (self.0, self.1) {
            (SocketAddr::V4(a), SocketAddr::V4(b)) => state.write_u128(
                u128::from(a.ip().to_bits()) << 80
                    | u128::from(a.port()) << 64
                    | u128::from(b.ip().to_bits()) << 16
                    | u128::from(b.port()),
            ),
            (a, b) => {
                a.hash(state);
                b.hash(state);
            }
        }
    }
}

fn key(a: SocketAddr, b: SocketAddr) -> Key {
    if a <= b { Key(a, b) } else { Key(b, a) }
}

/// Buffered bytes of one direction, starting at a stream offset.
#[derive(Debug)]
struct Chunk {
    bytes: Vec<u8>,
    frame: u64,
}

/// One direction of a connection.
#[derive(Debug, Default)]
struct Half {
    /// Whether `next_seq` is known.
    init: bool,
    /// The ISN, when the SYN was seen.
    isn: Option<u32>,
    /// The sequence number of the next byte to deliver.
    next_seq: u32,
    /// Its stream offset.
    next_off: u64,
    /// Out-of-order bytes, by stream offset; never overlapping, all beyond `next_off`.
    ooo: BTreeMap<u64, Chunk>,
    /// Bytes in `ooo`.
    buffered: usize,
    /// The stream offset of the FIN, and its frame.
    fin: Option<(u64, u64)>,
    /// The FIN has been reached.
    finished: bool,
    /// The frame of the last delivered data.
    last_frame: u64,
    /// The highest stream offset the peer acknowledged, and the frame.
    acked: Option<(u64, u64)>,
    /// The last delivered bytes, ending at `next_off`.
    tail: VecDeque<u8>,
    /// The last range reported missing.
    gap: Option<Range<u64>>,
}

impl Half {
    /// The stream offset of a sequence number (within 2 GiB of `next_seq`), possibly
    /// negative for bytes before the stream's start.
    fn offset(&self, seq: u32) -> i64 {
        self.next_off as i64 + i64::from(seq.wrapping_sub(self.next_seq) as i32)
    }

    /// Where the first pending thing (buffered chunk or FIN) after the hole starts.
    fn first_pending(&self) -> Option<(u64, u64)> {
        let chunk = self.ooo.first_key_value().map(|(&o, c)| (o, c.frame));
        let fin = self
            .fin
            .filter(|&(o, _)| o > self.next_off && !self.finished);
        match (chunk, fin) {
            (Some(c), Some(f)) => Some(if c.0 <= f.0 { c } else { f }),
            (c, f) => c.or(f),
        }
    }
}

#[derive(Debug)]
struct Conn {
    id: ConnId,
    client: SocketAddr,
    halves: [Half; 2],
    last_frame: u64,
}

/// The per-connection, per-direction TCP reassembler (sans I/O: feed it segments).
#[derive(Debug)]
pub struct Reassembler {
    config: TcpConfig,
    conns: FastMap<Key, Conn>,
    next_id: u64,
    buffered_total: usize,
    closed: FastSet<Key>,
    closed_order: VecDeque<Key>,
    stats: TcpStats,
    /// Buffers of delivered data handed back by [`Reassembler::recycle`], for the next
    /// segments' bytes.
    spare: Spares,
}

impl Default for Reassembler {
    fn default() -> Self {
        Reassembler::new(TcpConfig::default())
    }
}

/// The output of one step: events go to `out`.
struct Ctx<'a> {
    out: &'a mut Vec<StreamEvent>,
    stats: &'a mut TcpStats,
    buffered_total: &'a mut usize,
    config: &'a TcpConfig,
    spare: &'a mut Spares,
}

impl Reassembler {
    /// A reassembler with the given limits.
    pub fn new(config: TcpConfig) -> Self {
        Reassembler {
            config,
            conns: FastMap::default(),
            next_id: 0,
            buffered_total: 0,
            closed: FastSet::default(),
            closed_order: VecDeque::new(),
            stats: TcpStats::default(),
            spare: Spares::default(),
        }
    }

    /// Hands back the bytes of a delivered [`StreamEvent::Data`], to hold later segments'
    /// bytes (kept while fewer than a few are, and when small enough; dropped otherwise).
    pub fn recycle(&mut self, bytes: Vec<u8>) {
        self.spare.give(bytes);
    }

    /// The configuration.
    pub fn config(&self) -> &TcpConfig {
        &self.config
    }

    /// The counters so far.
    pub fn stats(&self) -> TcpStats {
        self.stats
    }

    /// How many connections are open (held in memory).
    pub fn open_connections(&self) -> usize {
        self.conns.len()
    }

    /// Out-of-order bytes held over all connections.
    pub fn buffered_bytes(&self) -> usize {
        self.buffered_total
    }

    /// Processes one segment of frame `frame`, appending the events it causes to `out`.
    pub fn segment(&mut self, frame: u64, seg: &TcpSegment<'_>, out: &mut Vec<StreamEvent>) {
        self.stats.segments += 1;
        let k = key(seg.src, seg.dst);
        let starts_conn = seg.flags.syn && !seg.flags.ack && !seg.flags.rst;

        if let Some(conn) = self.conns.get(&k) {
            // A SYN from the client with another ISN, or any new SYN after the old connection
            // lost its SYN: a new connection on the same address pair.
            if starts_conn {
                let h = &conn.halves[if seg.src == conn.client { 0 } else { 1 }];
                if h.isn != Some(seg.seq) {
                    self.close(k, frame, CloseReason::Reused, out);
                }
            }
        }
        if !self.conns.contains_key(&k) {
            if self.closed.contains(&k) && !starts_conn {
                self.stats.ignored += 1;
                return;
            }
            if seg.flags.rst || (!seg.flags.syn && seg.payload.is_empty()) {
                self.stats.ignored += 1;
                return;
            }
            self.open(k, frame, seg, out);
        }

        let mut ctx = Ctx {
            out,
            stats: &mut self.stats,
            buffered_total: &mut self.buffered_total,
            config: &self.config,
            spare: &mut self.spare,
        };
        let Some(conn) = self.conns.get_mut(&k) else {
            return;
        };
        conn.last_frame = frame;
        let d = if seg.src == conn.client { 0 } else { 1 };
        let dir = if d == 0 {
            Direction::ClientToServer
        } else {
            Direction::ServerToClient
        };
        let stream = StreamId::Tcp(conn.id);

        if seg.flags.rst {
            self.close(k, frame, CloseReason::Reset, out);
            return;
        }

        let mut data_seq = seg.seq;
        if seg.flags.syn {
            data_seq = seg.seq.wrapping_add(1);
            let h = &mut conn.halves[d];
            let pristine = h.next_off == 0 && h.ooo.is_empty() && h.fin.is_none();
            if !h.init || (h.isn.is_none() && pristine) {
                h.init = true;
                h.isn = Some(seg.seq);
                h.next_seq = data_seq;
                h.next_off = 0;
            }
        }

        if seg.flags.ack {
            let other = &mut conn.halves[1 - d];
            if other.init {
                let off = other.offset(seg.ack);
                if off >= 0 && other.acked.is_none_or(|(a, _)| off as u64 > a) {
                    other.acked = Some((off as u64, frame));
                }
                check_acked(other, stream, dir.reverse(), &mut ctx);
            }
        }

        if !seg.payload.is_empty() || seg.flags.fin {
            let h = &mut conn.halves[d];
            if !h.init {
                h.init = true;
                h.next_seq = data_seq;
                h.next_off = 0;
            }
            let off = h.offset(data_seq);
            let end = off + seg.payload.len() as i64;
            if seg.flags.fin && h.fin.is_none() && end >= h.next_off as i64 {
                h.fin = Some((end as u64, frame));
            }
            // Bytes before the stream's start (seen mid-stream) are dropped.
            let skip = (-off).max(0) as usize;
            if skip < seg.payload.len() {
                let off = (off + skip as i64) as u64;
                take(h, off, &seg.payload[skip..], frame, stream, dir, &mut ctx);
            }
            check_acked(h, stream, dir, &mut ctx);
            check_limits(h, stream, dir, &mut ctx);
            if h.fin.is_some_and(|(o, _)| o == h.next_off) {
                h.finished = true;
            }
        }

        if conn.halves[0].finished && conn.halves[1].finished {
            self.close(k, frame, CloseReason::Fin, out);
        }
    }

    /// Ends the capture: reports what is still missing, delivers what is buffered and
    /// closes every connection ([`CloseReason::EndOfCapture`]). `frame` is the last frame.
    pub fn finish(&mut self, frame: u64, out: &mut Vec<StreamEvent>) {
        let mut open: Vec<(ConnId, Key)> = self.conns.iter().map(|(k, c)| (c.id, *k)).collect();
        open.sort();
        for (_, k) in open {
            self.close(k, frame, CloseReason::EndOfCapture, out);
        }
    }

    fn open(&mut self, k: Key, frame: u64, seg: &TcpSegment<'_>, out: &mut Vec<StreamEvent>) {
        if self.conns.len() >= self.config.max_connections.max(1) {
            let lru = self
                .conns
                .iter()
                .min_by_key(|(_, c)| (c.last_frame, c.id))
                .map(|(k, c)| (*k, c.id));
            if let Some((old, id)) = lru {
                out.push(StreamEvent::Problem(Problem {
                    frame,
                    stream: Some(StreamId::Tcp(id)),
                    kind: ProblemKind::ConnectionEvicted {
                        limit: self.config.max_connections,
                    },
                }));
                self.stats.evicted += 1;
                self.close(old, frame, CloseReason::Evicted, out);
            }
        }
        self.closed.remove(&k);
        let (client, server) = if seg.flags.syn {
            if seg.flags.ack {
                (seg.dst, seg.src)
            } else {
                (seg.src, seg.dst)
            }
        } else {
            let sp = &self.config.server_ports;
            match (sp.contains(&seg.src.port()), sp.contains(&seg.dst.port())) {
                (true, false) => (seg.dst, seg.src),
                (false, true) => (seg.src, seg.dst),
                _ if seg.src.port() < seg.dst.port() => (seg.dst, seg.src),
                _ => (seg.src, seg.dst),
            }
        };
        let id = ConnId(self.next_id);
        self.next_id += 1;
        self.stats.connections += 1;
        out.push(StreamEvent::Opened {
            stream: StreamId::Tcp(id),
            client,
            server,
            frame,
            mid_stream: !seg.flags.syn,
            pipe: None,
        });
        self.conns.insert(
            k,
            Conn {
                id,
                client,
                halves: [Half::default(), Half::default()],
                last_frame: frame,
            },
        );
    }

    /// Flushes and drops a connection.
    fn close(&mut self, k: Key, frame: u64, reason: CloseReason, out: &mut Vec<StreamEvent>) {
        let Some(mut conn) = self.conns.remove(&k) else {
            return;
        };
        let stream = StreamId::Tcp(conn.id);
        let mut ctx = Ctx {
            out,
            stats: &mut self.stats,
            buffered_total: &mut self.buffered_total,
            config: &self.config,
            spare: &mut self.spare,
        };
        for (d, h) in conn.halves.iter_mut().enumerate() {
            let dir = if d == 0 {
                Direction::ClientToServer
            } else {
                Direction::ServerToClient
            };
            while h.first_pending().is_some() {
                force_gap(h, stream, dir, &mut ctx);
            }
            // Bytes the peer acknowledged that were never captured, at the very end.
            let end = h.next_off + u64::from(h.finished);
            if let Some((acked, ack_frame)) = h.acked {
                if acked > end && reason != CloseReason::Reused {
                    ctx.stats.gaps += 1;
                    ctx.out.push(StreamEvent::Gap {
                        stream,
                        dir,
                        missing: Missing::Bytes(h.next_off..acked - u64::from(h.finished)),
                        before_frame: h.last_frame,
                        after_frame: ack_frame,
                    });
                }
            }
        }
        out.push(StreamEvent::Closed {
            stream,
            frame,
            reason,
        });
        if self.config.recently_closed > 0 {
            if self.closed_order.len() >= self.config.recently_closed {
                if let Some(old) = self.closed_order.pop_front() {
                    self.closed.remove(&old);
                }
            }
            if self.closed.insert(k) {
                self.closed_order.push_back(k);
            }
        }
    }
}

/// Takes bytes at stream offset `off` (≥ 0): compares what was already delivered, buffers
/// the rest with first-copy-wins, and delivers what has become contiguous.
fn take(
    h: &mut Half,
    off: u64,
    bytes: &[u8],
    frame: u64,
    stream: StreamId,
    dir: Direction,
    ctx: &mut Ctx<'_>,
) {
    let end = off + bytes.len() as u64;
    let mut conflict: Option<Range<u64>> = None;
    let mut note = |a: u64, b: u64| {
        conflict = Some(match conflict.take() {
            Some(r) => r.start.min(a)..r.end.max(b),
            None => a..b,
        });
    };

    // Already delivered: compare with the tail window.
    if off < h.next_off {
        ctx.stats.retransmissions += 1;
        let tail_start = h.next_off - h.tail.len() as u64;
        let a = off.max(tail_start);
        let b = end.min(h.next_off);
        if let Some((x, y)) = differing(
            a,
            b,
            |o| h.tail[(o - tail_start) as usize],
            |o| bytes[(o - off) as usize],
        ) {
            note(x, y);
        }
        if let Some(gap) = &h.gap {
            let (a, b) = (off.max(gap.start), end.min(gap.end));
            if a < b {
                ctx.out.push(StreamEvent::Problem(Problem {
                    frame,
                    stream: Some(stream),
                    kind: ProblemKind::LateData { dir, range: a..b },
                }));
            }
        }
    }

    // The part at or beyond next_off, into the buffer, filling only uncovered ranges. A piece
    // that continues the stream while nothing is buffered is handed to `drain_from` as is,
    // not through the buffer: the same events in the same order, without a map insert and
    // removal per in-order segment.
    let mut next: Option<Chunk> = None;
    let mut cursor = off.max(h.next_off);
    if cursor < end {
        if cursor > h.next_off {
            ctx.stats.out_of_order += 1;
        }
        // The uncovered ranges: nearly always one, kept aside so that only more allocate.
        let mut first: Option<(u64, u64)> = None;
        let mut more: Vec<(u64, u64)> = Vec::new();
        let mut add = |piece| match first {
            None => first = Some(piece),
            Some(_) => more.push(piece),
        };
        let before = h.ooo.range(..cursor).next_back().map(|(&s, c)| (s, c));
        let overlapping = before
            .into_iter()
            .chain(h.ooo.range(cursor..end).map(|(&s, c)| (s, c)));
        for (cs, c) in overlapping {
            let ce = cs + c.bytes.len() as u64;
            if ce <= cursor {
                continue;
            }
            if cs > cursor {
                add((cursor, cs.min(end)));
            }
            let (a, b) = (cs.max(cursor), ce.min(end));
            if a < b {
                ctx.stats.retransmissions += 1;
                if let Some((x, y)) = differing(
                    a,
                    b,
                    |o| c.bytes[(o - cs) as usize],
                    |o| bytes[(o - off) as usize],
                ) {
                    note(x, y);
                }
            }
            cursor = cursor.max(ce);
            if cursor >= end {
                break;
            }
        }
        if cursor < end {
            add((cursor, end));
        }
        for (a, b) in first.into_iter().chain(more) {
            let piece = ctx
                .spare
                .copy_of(&bytes[(a - off) as usize..(b - off) as usize]);
            if a == h.next_off && h.ooo.is_empty() {
                next = Some(Chunk {
                    bytes: piece,
                    frame,
                });
                continue;
            }
            h.buffered += piece.len();
            *ctx.buffered_total += piece.len();
            h.ooo.insert(
                a,
                Chunk {
                    bytes: piece,
                    frame,
                },
            );
        }
    }

    if let Some(range) = conflict {
        ctx.stats.conflicts += 1;
        ctx.out.push(StreamEvent::Problem(Problem {
            frame,
            stream: Some(stream),
            kind: ProblemKind::OverlapConflict { dir, range },
        }));
    }
    drain_from(h, next, stream, dir, ctx);
}

/// The first and last+1 offsets in `a..b` where the two byte sources differ.
fn differing(
    a: u64,
    b: u64,
    old: impl Fn(u64) -> u8,
    new: impl Fn(u64) -> u8,
) -> Option<(u64, u64)> {
    let first = (a..b).find(|&o| old(o) != new(o))?;
    let last = (first..b).rev().find(|&o| old(o) != new(o))?;
    Some((first, last + 1))
}

/// Delivers the buffered chunks that start at `next_off`.
fn drain(h: &mut Half, stream: StreamId, dir: Direction, ctx: &mut Ctx<'_>) {
    drain_from(h, None, stream, dir, ctx);
}

/// [`drain`], delivering `first` (a chunk at `next_off` that was never buffered) before the
/// buffered ones.
fn drain_from(
    h: &mut Half,
    mut first: Option<Chunk>,
    stream: StreamId,
    dir: Direction,
    ctx: &mut Ctx<'_>,
) {
    loop {
        let chunk = match first.take() {
            Some(chunk) => chunk,
            None => {
                let Some(entry) = h.ooo.first_entry() else {
                    break;
                };
                if *entry.key() != h.next_off {
                    break;
                }
                let chunk = entry.remove();
                h.buffered -= chunk.bytes.len();
                *ctx.buffered_total -= chunk.bytes.len();
                chunk
            }
        };
        let n = chunk.bytes.len();
        let window = ctx.config.retransmit_window;
        if window > 0 {
            let keep = n.min(window);
            h.tail.extend(&chunk.bytes[n - keep..]);
            let excess = h.tail.len().saturating_sub(window);
            h.tail.drain(..excess);
        }
        ctx.out.push(StreamEvent::Data {
            stream,
            dir,
            frame: chunk.frame,
            offset: h.next_off,
            bytes: chunk.bytes,
        });
        h.next_off += n as u64;
        h.next_seq = h.next_seq.wrapping_add(n as u32);
        h.last_frame = chunk.frame;
    }
    if h.fin.is_some_and(|(o, _)| o == h.next_off) {
        h.finished = true;
    }
}

/// Declares the hole before the first buffered chunk (or the FIN) missing, then delivers.
fn force_gap(h: &mut Half, stream: StreamId, dir: Direction, ctx: &mut Ctx<'_>) {
    let Some((start, after)) = h.first_pending() else {
        return;
    };
    h.gap = Some(h.next_off..start);
    ctx.stats.gaps += 1;
    ctx.out.push(StreamEvent::Gap {
        stream,
        dir,
        missing: Missing::Bytes(h.next_off..start),
        before_frame: h.last_frame,
        after_frame: after,
    });
    h.next_seq = h.next_seq.wrapping_add((start - h.next_off) as u32);
    h.next_off = start;
    h.tail.clear();
    drain(h, stream, dir, ctx);
}

/// A hole the receiver has acknowledged past was missed by the capture: report it.
fn check_acked(h: &mut Half, stream: StreamId, dir: Direction, ctx: &mut Ctx<'_>) {
    while let (Some((start, _)), Some((acked, _))) = (h.first_pending(), h.acked) {
        if acked < start || start <= h.next_off {
            break;
        }
        force_gap(h, stream, dir, ctx);
    }
}

/// Too much buffered: give up on the hole.
fn check_limits(h: &mut Half, stream: StreamId, dir: Direction, ctx: &mut Ctx<'_>) {
    while !h.ooo.is_empty()
        && (h.buffered > ctx.config.max_buffered_per_direction
            || *ctx.buffered_total > ctx.config.max_buffered_total)
    {
        force_gap(h, stream, dir, ctx);
    }
}
