//! From stream events to [MS-TRP] calls: the DCE/RPC PDUs of every TCP stream and SMB2 pipe,
//! reassembled, their presentation contexts mapped to tapsrv and remotesp by the bind, and
//! each request matched with its response or fault by call_id within its association.
//!
//! [`Calls`] is sans-IO like the rest of the crate: it is fed [`StreamEvent`]s and hands back
//! [`Call`]s in the order their requests appear in the capture. It holds the open streams
//! only: per direction, the bytes of one unfinished PDU (at most `frag_length`, 64 KiB) and the
//! fragments of unfinished calls (bounded by [`CallsConfig::reassembly_limit`]), plus the calls
//! waiting for their response (at most [`CallsConfig::max_waiting`]) and the errors not yet
//! taken (at most [`CallsConfig::max_errors`]; the rest are counted in [`CallsStats::errors`]).

use std::borrow::Cow;
use std::collections::{BTreeSet, VecDeque};
use std::fmt;
use std::net::SocketAddr;

use super::FastMap;
use super::event::{CloseReason, Direction as Wire, Missing, ProblemKind, StreamEvent, StreamId};
use super::spare::Spares;
use crate::rpc::association::{Association, StubInfo};
use crate::rpc::faults::FaultStatus;
use crate::rpc::fragments::Reassembler;
use crate::rpc::methods::Interface;
use crate::rpc::ndr::Syntax;
use crate::rpc::pdu::{self, PacketType, Pdu, PduBody};

/// What [`Calls`] follows and how much it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallsConfig {
    /// TCP ports whose streams are DCE/RPC even when the capture holds no bind (`trp pcap
    /// --port`); a context no bind established is then read as tapsrv over NDR20.
    pub rpc_ports: BTreeSet<u16>,
    /// The bound on one call's reassembled stub (default 16 MiB).
    pub reassembly_limit: usize,
    /// How many calls may wait for their response before the oldest is given up (reported
    /// with no response); default 65,536.
    pub max_waiting: usize,
    /// How many errors are held until [`Calls::take_errors`] takes them; beyond that they are
    /// only counted ([`CallsStats::errors`], [`CallsStats::errors_dropped`]). Default 1,000.
    pub max_errors: usize,
}

impl Default for CallsConfig {
    fn default() -> Self {
        CallsConfig {
            rpc_ports: BTreeSet::new(),
            reassembly_limit: crate::rpc::fragments::DEFAULT_LIMIT,
            max_waiting: 65_536,
            max_errors: 1_000,
        }
    }
}

/// How a call travelled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Carrier {
    /// ncacn_ip_tcp: a TCP connection.
    Tcp,
    /// ncacn_np: an SMB2 named pipe (its name, when the CREATE was captured).
    Smb2Pipe(Option<String>),
}

impl Carrier {
    /// `tcp` or `smb2`.
    pub fn name(&self) -> &'static str {
        match self {
            Carrier::Tcp => "tcp",
            Carrier::Smb2Pipe(_) => "smb2",
        }
    }
}

/// A response or a fault: the frame that completed it and its stub.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The frame that completed the response (its last fragment).
    pub frame: u64,
    /// The reassembled stub (a fault's, usually empty).
    pub stub: Vec<u8>,
    /// For a fault, its status.
    pub fault: Option<FaultStatus>,
}

/// One call of tapsrv or remotesp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The frame that completed the request (its last fragment), as Wireshark numbers it.
    pub frame: u64,
    /// The requester's address.
    pub src: SocketAddr,
    /// The server's address.
    pub dst: SocketAddr,
    /// TCP or SMB2.
    pub carrier: Carrier,
    /// `call_id`.
    pub call_id: u32,
    /// What the request is: context, method, `Req_Func`, `lNeededSize`.
    pub info: StubInfo,
    /// The reassembled request stub.
    pub request: Vec<u8>,
    /// The response or fault; `None` when the capture holds none.
    pub answer: Option<Answer>,
}

impl Call {
    /// The interface (always known: only tapsrv and remotesp calls are reported).
    pub fn interface(&self) -> Option<Interface> {
        self.info.interface()
    }

    /// The transfer syntax.
    pub fn syntax(&self) -> Option<Syntax> {
        self.info.syntax()
    }
}

/// Something that went wrong, with the frame it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallError {
    /// The frame (1-based).
    pub frame: u64,
    /// The stream, as `client -> server`.
    pub stream: Option<String>,
    /// What.
    pub message: String,
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "frame {}", self.frame)?;
        if let Some(s) = &self.stream {
            write!(f, " ({s})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Counters of [`Calls`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallsStats {
    /// tapsrv and remotesp calls reported.
    pub calls: u64,
    /// PDUs decoded.
    pub pdus: u64,
    /// Calls of other interfaces (not reported).
    pub other_calls: u64,
    /// Responses and faults whose request the capture does not hold.
    pub unmatched_answers: u64,
    /// Streams that were not DCE/RPC.
    pub other_streams: u64,
    /// Errors reported, including those dropped.
    pub errors: u64,
    /// Errors dropped because [`CallsConfig::max_errors`] were held already.
    pub errors_dropped: u64,
}

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Verdict {
    Unknown,
    Rpc,
    Other,
}

struct Half {
    buf: Vec<u8>,
    synced: bool,
    reasm: Reassembler,
}

struct Stream {
    client: SocketAddr,
    server: SocketAddr,
    carrier: Carrier,
    verdict: Verdict,
    assoc: Association,
    halves: [Half; 2],
    /// call_id → sequence number of the waiting call.
    waiting: FastMap<u32, u64>,
}

impl Stream {
    fn label(&self) -> String {
        match &self.carrier {
            Carrier::Tcp => format!("{} -> {}", self.client, self.server),
            Carrier::Smb2Pipe(Some(p)) => format!("{} -> {} \\pipe\\{p}", self.client, self.server),
            Carrier::Smb2Pipe(None) => format!("{} -> {} (pipe)", self.client, self.server),
        }
    }
}

struct Queued {
    seq: u64,
    call: Call,
    done: bool,
    stream: StreamId,
}

/// The calls held until every earlier request is complete, in request order. Each request
/// takes the next sequence number and calls leave only from the front, so the numbers held
/// are consecutive and a call is found by its distance from the first (and checked).
#[derive(Default)]
struct Queue {
    items: VecDeque<Queued>,
}

impl Queue {
    fn len(&self) -> usize {
        self.items.len()
    }

    /// Appends the call of the newest request (`q.seq` above every one held).
    fn push(&mut self, q: Queued) {
        debug_assert!(self.items.back().is_none_or(|b| b.seq < q.seq));
        self.items.push_back(q);
    }

    fn get_mut(&mut self, seq: &u64) -> Option<&mut Queued> {
        let first = self.items.front()?.seq;
        let i = usize::try_from(seq.checked_sub(first)?).ok()?;
        self.items.get_mut(i).filter(|q| q.seq == *seq)
    }

    fn front_mut(&mut self) -> Option<&mut Queued> {
        self.items.front_mut()
    }

    fn pop_front(&mut self) -> Option<Queued> {
        self.items.pop_front()
    }
}

/// The call decoder: stream events in, calls out, in request order.
pub struct Calls {
    config: CallsConfig,
    streams: FastMap<StreamId, Stream>,
    /// Calls by sequence number: the call, whether it is complete, and its stream.
    queue: Queue,
    next_seq: u64,
    ready: Vec<Call>,
    errors: Vec<CallError>,
    stats: CallsStats,
    /// Stub buffers of calls handed back by [`Calls::drain_calls_with`], for the next calls'
    /// stubs.
    spare: Spares,
}

/// `stub` as an owned buffer: a borrowed one copied into a spare buffer when there is one.
fn owned_stub(spare: &mut Spares, stub: Cow<'_, [u8]>) -> Vec<u8> {
    match stub {
        Cow::Borrowed(b) => spare.copy_of(b),
        Cow::Owned(v) => v,
    }
}

impl fmt::Debug for Calls {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Calls")
            .field("streams", &self.streams.len())
            .field("waiting", &self.queue.len())
            .field("stats", &self.stats)
            .finish()
    }
}

/// True when `b` starts like a connection-oriented PDU header in little-endian NDR: version
/// 5.0, a PTYPE of C706 12.6.4, drep 0x10.
fn plausible_header(b: &[u8]) -> bool {
    b.len() >= 16
        && b[0] == 5
        && b[1] <= 1
        && b[2] <= 19
        && b[4] == 0x10
        && u16::from_le_bytes([b[8], b[9]]) >= 16
}

impl Calls {
    /// A decoder.
    pub fn new(config: CallsConfig) -> Calls {
        Calls {
            config,
            streams: FastMap::default(),
            queue: Queue::default(),
            next_seq: 0,
            ready: Vec::new(),
            errors: Vec::new(),
            stats: CallsStats::default(),
            spare: Spares::default(),
        }
    }

    /// The counters so far.
    pub fn stats(&self) -> CallsStats {
        self.stats
    }

    /// Streams held.
    pub fn open_streams(&self) -> usize {
        self.streams.len()
    }

    /// Calls held: waiting for a response, or for an earlier request's.
    pub fn held_calls(&self) -> usize {
        self.queue.len()
    }

    /// Calls waiting for their response, over all streams (at most
    /// [`CallsConfig::max_waiting`]).
    pub fn waiting_calls(&self) -> usize {
        self.streams.values().map(|s| s.waiting.len()).sum()
    }

    /// Takes the errors held so far (the first [`CallsConfig::max_errors`] since the last
    /// take; [`CallsStats::errors`] counts them all).
    pub fn take_errors(&mut self) -> Vec<CallError> {
        std::mem::take(&mut self.errors)
    }

    /// Holds `e` for [`Calls::take_errors`] if there is room, and counts it.
    fn error(&mut self, e: CallError) {
        self.stats.errors += 1;
        if self.errors.len() < self.config.max_errors {
            self.errors.push(e);
        } else {
            self.stats.errors_dropped += 1;
        }
    }

    /// Takes the calls complete so far, in request order.
    pub fn take_calls(&mut self) -> Vec<Call> {
        std::mem::take(&mut self.ready)
    }

    /// The completed calls, like [`Calls::take_calls`], keeping the list's capacity for the
    /// next ones (no allocation per event once it has grown).
    pub fn drain_calls(&mut self) -> std::vec::Drain<'_, Call> {
        self.ready.drain(..)
    }

    /// The completed calls, like [`Calls::drain_calls`], each lent to `f` in turn; their stub
    /// buffers are then kept for the next calls' stubs, so that a steady stream of calls
    /// allocates none. After an error of `f` the remaining calls are dropped unseen and the
    /// error is returned.
    pub fn drain_calls_with<E>(
        &mut self,
        mut f: impl FnMut(&Call) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut ready = std::mem::take(&mut self.ready);
        let mut result = Ok(());
        for call in ready.drain(..) {
            if result.is_ok() {
                result = f(&call);
            }
            let answer = call.answer.map(|a| a.stub);
            for v in core::iter::once(call.request).chain(answer) {
                self.spare.give(v);
            }
        }
        self.ready = ready;
        result
    }

    /// Processes one stream event.
    pub fn push(&mut self, event: &StreamEvent) {
        match event {
            StreamEvent::Opened {
                stream,
                client,
                server,
                pipe,
                ..
            } => {
                let carrier = match stream {
                    StreamId::Tcp(_) => Carrier::Tcp,
                    StreamId::Pipe { .. } => Carrier::Smb2Pipe(pipe.clone()),
                };
                let mut assoc = Association::new().with_max_pending(self.config.max_waiting);
                let port_listed = self.config.rpc_ports.contains(&server.port())
                    || self.config.rpc_ports.contains(&client.port());
                // A pipe named tapsrv carries tapsrv: read it as such if the bind was missed.
                let tapsrv_pipe = matches!(&carrier, Carrier::Smb2Pipe(Some(p)) if p.eq_ignore_ascii_case("tapsrv"));
                if port_listed || tapsrv_pipe {
                    assoc.assume(Interface::Tapsrv, Syntax::Ndr20);
                }
                let half = || Half {
                    buf: Vec::new(),
                    synced: true,
                    reasm: Reassembler::with_limit(self.config.reassembly_limit),
                };
                self.streams.insert(
                    *stream,
                    Stream {
                        client: *client,
                        server: *server,
                        carrier,
                        verdict: if port_listed {
                            Verdict::Rpc
                        } else {
                            Verdict::Unknown
                        },
                        assoc,
                        halves: [half(), half()],
                        waiting: FastMap::default(),
                    },
                );
            }
            StreamEvent::Data {
                stream,
                dir,
                frame,
                bytes,
                ..
            } => self.data(*stream, *dir, *frame, bytes),
            StreamEvent::Gap {
                stream,
                dir,
                missing,
                before_frame,
                after_frame,
            } => {
                let Some(s) = self.streams.get_mut(stream) else {
                    return;
                };
                if s.verdict == Verdict::Other {
                    return;
                }
                let half = &mut s.halves[dir.index()];
                half.buf.clear();
                half.synced = false;
                let what = match missing {
                    Missing::Bytes(r) => format!("bytes {}..{} of the stream", r.start, r.end),
                    Missing::Unknown { at } => format!("an unknown number of bytes at {at}"),
                };
                let label = s.label();
                self.error(CallError {
                    frame: *after_frame,
                    stream: Some(label),
                    message: format!(
                        "{} were not captured (between frames {before_frame} and {after_frame}); \
                         decoding resumes at the next PDU header",
                        what
                    ),
                });
            }
            StreamEvent::Closed {
                stream,
                frame,
                reason,
            } => self.close(*stream, *frame, *reason),
            StreamEvent::Problem(p) => {
                if let ProblemKind::Capture(e) = &p.kind {
                    self.error(CallError {
                        frame: p.frame,
                        stream: None,
                        message: format!("the capture file is damaged: {e}"),
                    });
                }
            }
        }
    }

    /// Ends the input: every call still waiting is reported without a response.
    pub fn finish(&mut self) {
        let ids: Vec<StreamId> = self.streams.keys().copied().collect();
        for id in ids {
            self.close(id, 0, CloseReason::EndOfCapture);
        }
        for q in std::mem::take(&mut self.queue.items) {
            self.ready.push(q.call);
        }
    }

    fn close(&mut self, id: StreamId, _frame: u64, _reason: CloseReason) {
        let Some(s) = self.streams.remove(&id) else {
            return;
        };
        for seq in s.waiting.values() {
            if let Some(slot) = self.queue.get_mut(seq) {
                slot.done = true;
            }
        }
        self.flush();
    }

    fn data(&mut self, id: StreamId, dir: Wire, frame: u64, bytes: &[u8]) {
        let Some(s) = self.streams.get_mut(&id) else {
            return;
        };
        if s.verdict == Verdict::Other {
            return;
        }
        let d = dir.index();
        let mut input: &[u8] = bytes;
        if !s.halves[d].synced {
            // After a gap: skip to the next plausible header.
            match (0..input.len()).find(|&i| plausible_header(&input[i..])) {
                Some(i) => {
                    input = &input[i..];
                    s.halves[d].synced = true;
                }
                None => return,
            }
        }
        if s.verdict == Verdict::Unknown {
            let head: Vec<u8> = s.halves[d]
                .buf
                .iter()
                .chain(input)
                .take(16)
                .copied()
                .collect();
            if head.len() >= 2 && (head[0] != 5 || head[1] > 1) {
                s.verdict = Verdict::Other;
                s.halves = [
                    Half {
                        buf: Vec::new(),
                        synced: true,
                        reasm: Reassembler::new(),
                    },
                    Half {
                        buf: Vec::new(),
                        synced: true,
                        reasm: Reassembler::new(),
                    },
                ];
                self.stats.other_streams += 1;
                return;
            }
        }
        // Whole PDUs straight from the event's bytes when nothing is buffered; the rest is
        // kept for the next event.
        let mut owned = std::mem::take(&mut s.halves[d].buf);
        let work: &[u8] = if owned.is_empty() {
            input
        } else {
            owned.extend_from_slice(input);
            &owned
        };
        let mut at = 0usize;
        let mut bad: Option<pdu::PduError> = None;
        // Each whole PDU is handled as it is found (the same order as finding them all
        // first: what ends the search is reported after them), with no list to allocate.
        while let Some(rest) = work.get(at..) {
            let Some(len) = pdu::frag_length(rest) else {
                break;
            };
            if len < pdu::COMMON_HEADER_LEN {
                bad = Pdu::parse(rest).err();
                break;
            }
            let Some(whole) = rest.get(..len) else {
                break;
            };
            at += len;
            match Pdu::parse(whole) {
                Ok(p) => self.pdu(id, dir, frame, &p),
                Err(e) => {
                    self.stream_error(id, frame, format!("{e}"));
                    if let Some(s) = self.streams.get_mut(&id) {
                        s.halves[d].synced = false;
                    }
                }
            }
        }
        let Some(s) = self.streams.get_mut(&id) else {
            return;
        };
        if let Some(e) = bad {
            let label = s.label();
            s.halves[d].synced = false;
            self.error(CallError {
                frame,
                stream: Some(label),
                message: e.to_string(),
            });
            return;
        }
        let rest = &work[at.min(work.len())..];
        let mut keep = Vec::new();
        if s.halves[d].synced {
            keep.extend_from_slice(rest);
        }
        s.halves[d].buf = keep;
    }

    fn stream_error(&mut self, id: StreamId, frame: u64, message: String) {
        let stream = self.streams.get(&id).map(Stream::label);
        self.error(CallError {
            frame,
            stream,
            message,
        });
    }

    fn pdu(&mut self, id: StreamId, dir: Wire, frame: u64, p: &Pdu<'_>) {
        self.stats.pdus += 1;
        let Some(s) = self.streams.get_mut(&id) else {
            return;
        };
        match p.packet_type() {
            PacketType::Request | PacketType::Response | PacketType::Fault => {}
            _ => {
                s.assoc.observe(p);
                if matches!(p.body(), PduBody::Bind(_)) && s.assoc.proposed_trp() {
                    s.verdict = Verdict::Rpc;
                }
                return;
            }
        }
        if let PduBody::Fault(f) = p.body() {
            // A fault is never fragmented in practice and ends the call it answers.
            let _ = s.halves[dir.index()].reasm.push(p);
            let call_id = p.call_id();
            s.assoc.response(call_id, f.p_cont_id());
            match s.waiting.remove(&call_id) {
                Some(seq) => {
                    if let Some(q) = self.queue.get_mut(&seq) {
                        q.call.answer = Some(Answer {
                            frame,
                            stub: owned_stub(&mut self.spare, Cow::Borrowed(f.stub())),
                            fault: Some(f.status()),
                        });
                        q.done = true;
                    }
                    self.flush();
                }
                None => {
                    if s.assoc.speaks_trp() {
                        self.stats.unmatched_answers += 1;
                    }
                }
            }
            return;
        }
        let whole = match s.halves[dir.index()].reasm.push(p) {
            Ok(Some(w)) => w,
            Ok(None) => return,
            Err(e) => {
                let label = s.label();
                self.error(CallError {
                    frame,
                    stream: Some(label),
                    message: format!("{} fragment: {e}", p.packet_type()),
                });
                return;
            }
        };
        match p.body() {
            PduBody::Request(_) => {
                let opnum = whole.opnum.unwrap_or(0);
                let info = s
                    .assoc
                    .request(whole.call_id, whole.p_cont_id, opnum, &whole.stub);
                if info.interface().is_none() {
                    self.stats.other_calls += 1;
                    s.assoc.abandon(whole.call_id);
                    return;
                }
                // Requester and server: the side that sent the request is the client of the
                // call (a remotesp callback reverses the TCP roles of tapsrv).
                let (src, dst) = match dir {
                    Wire::ClientToServer => (s.client, s.server),
                    Wire::ServerToClient => (s.server, s.client),
                };
                let seq = self.next_seq;
                self.next_seq += 1;
                if let Some(old) = s.waiting.insert(whole.call_id, seq) {
                    if let Some(slot) = self.queue.get_mut(&old) {
                        slot.done = true;
                    }
                }
                let call = Call {
                    frame,
                    src,
                    dst,
                    carrier: s.carrier.clone(),
                    call_id: whole.call_id,
                    info,
                    request: owned_stub(&mut self.spare, whole.stub),
                    answer: None,
                };
                self.queue.push(Queued {
                    seq,
                    call,
                    done: false,
                    stream: id,
                });
                self.stats.calls += 1;
                if self.queue.len() > self.config.max_waiting {
                    self.give_up_oldest();
                }
                self.flush();
            }
            body => {
                let fault = match body {
                    PduBody::Fault(f) => Some(f.status()),
                    _ => None,
                };
                s.assoc.response(whole.call_id, whole.p_cont_id);
                match s.waiting.remove(&whole.call_id) {
                    Some(seq) => {
                        if let Some(q) = self.queue.get_mut(&seq) {
                            q.call.answer = Some(Answer {
                                frame,
                                stub: owned_stub(&mut self.spare, whole.stub),
                                fault,
                            });
                            q.done = true;
                        }
                        self.flush();
                    }
                    None => {
                        if s.assoc.speaks_trp() {
                            self.stats.unmatched_answers += 1;
                        }
                    }
                }
            }
        }
    }

    /// Reports the oldest call held without its response, and forgets that it waits: a
    /// response that comes later is counted as unmatched.
    fn give_up_oldest(&mut self) {
        let Some(q) = self.queue.front_mut() else {
            return;
        };
        let seq = q.seq;
        q.done = true;
        let (stream, call_id) = (q.stream, q.call.call_id);
        if let Some(s) = self.streams.get_mut(&stream) {
            if s.waiting.get(&call_id) == Some(&seq) {
                s.waiting.remove(&call_id);
                s.assoc.abandon(call_id);
            }
        }
    }

    fn flush(&mut self) {
        while self.queue.front_mut().is_some_and(|q| q.done) {
            if let Some(q) = self.queue.pop_front() {
                self.ready.push(q.call);
            }
        }
    }
}
