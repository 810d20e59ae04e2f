//! What the capture layer delivers: ordered byte streams as [`StreamEvent`]s.
//!
//! Every stream is a pair of ordered byte streams, one per [`Direction`]. A stream is a TCP
//! connection ([`StreamId::Tcp`]) or one SMB2 named pipe open on such a connection
//! ([`StreamId::Pipe`]); the consumer (the DCE/RPC PDU decoder) keeps one decoder per
//! `(StreamId, Direction)`, appends [`StreamEvent::Data`] bytes to it, and on a
//! [`StreamEvent::Gap`] drops whatever partial PDU it holds and resynchronises on the next
//! bytes.

use std::fmt;
use std::net::SocketAddr;
use std::ops::Range;

use super::frames::FrameError;
use super::packet::Skip;

/// A TCP connection, numbered from 0 in the order connections are first seen (usually the
/// same number as Wireshark's `tcp.stream`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnId(pub u64);

impl fmt::Display for ConnId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "tcp#{}", self.0)
    }
}

/// Which way bytes flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    /// From the client (the connection's initiator; for a pipe, the SMB2 client) to the server.
    ClientToServer,
    /// From the server to the client.
    ServerToClient,
}

impl Direction {
    /// The other direction.
    pub fn reverse(self) -> Direction {
        match self {
            Direction::ClientToServer => Direction::ServerToClient,
            Direction::ServerToClient => Direction::ClientToServer,
        }
    }

    /// 0 for client to server, 1 for server to client.
    pub fn index(self) -> usize {
        match self {
            Direction::ClientToServer => 0,
            Direction::ServerToClient => 1,
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::ClientToServer => "client->server",
            Direction::ServerToClient => "server->client",
        })
    }
}

/// An SMB2 FileId ([MS-SMB2] 2.2.14.1): the handle a CREATE response returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId {
    /// The persistent part.
    pub persistent: u64,
    /// The volatile part.
    pub volatile: u64,
}

impl FileId {
    /// The FileId of a related compound request that means "the file of the previous
    /// request" ([MS-SMB2] 3.2.4.1.4).
    pub const RELATED: FileId = FileId {
        persistent: u64::MAX,
        volatile: u64::MAX,
    };

    /// Reads a FileId from its 16 wire bytes.
    pub fn from_bytes(b: [u8; 16]) -> FileId {
        let mut p = [0u8; 8];
        let mut v = [0u8; 8];
        p.copy_from_slice(&b[..8]);
        v.copy_from_slice(&b[8..]);
        FileId {
            persistent: u64::from_le_bytes(p),
            volatile: u64::from_le_bytes(v),
        }
    }

    /// The 16 wire bytes.
    pub fn to_bytes(self) -> [u8; 16] {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&self.persistent.to_le_bytes());
        b[8..].copy_from_slice(&self.volatile.to_le_bytes());
        b
    }
}

impl fmt::Display for FileId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}{:016x}", self.persistent, self.volatile)
    }
}

/// A byte stream: a TCP connection or a named pipe carried by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StreamId {
    /// The payload of a TCP connection.
    Tcp(ConnId),
    /// An SMB2 named pipe: the connection and the FileId of the open.
    Pipe {
        /// The TCP connection carrying the SMB2 session.
        conn: ConnId,
        /// The pipe's FileId.
        file: FileId,
    },
}

impl StreamId {
    /// The TCP connection the stream lives on.
    pub fn conn(&self) -> ConnId {
        match *self {
            StreamId::Tcp(c) | StreamId::Pipe { conn: c, .. } => c,
        }
    }
}

impl fmt::Display for StreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamId::Tcp(c) => write!(f, "{c}"),
            StreamId::Pipe { conn, file } => write!(f, "{conn}/pipe {file}"),
        }
    }
}

/// The bytes a [`StreamEvent::Gap`] stands for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Missing {
    /// These stream offsets were never captured; the next data starts at `range.end`.
    Bytes(Range<u64>),
    /// An unknown number of bytes may be missing at this stream offset (an SMB2 pipe whose
    /// connection lost bytes: the lost messages may or may not have been for this pipe).
    /// Offsets go on counting the bytes delivered.
    Unknown {
        /// The offset of the next byte that will be delivered.
        at: u64,
    },
}

/// Why a stream ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CloseReason {
    /// Both sides sent FIN and all data up to it was delivered.
    Fin,
    /// A RST.
    Reset,
    /// A new SYN on the same address pair started another connection.
    Reused,
    /// The connection limit was reached and this was the least recently active connection.
    Evicted,
    /// The capture ended while the stream was open.
    EndOfCapture,
    /// The SMB2 CLOSE of the pipe succeeded.
    PipeClosed,
}

/// An event of the capture layer, in capture order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StreamEvent {
    /// A stream starts.
    Opened {
        /// The new stream.
        stream: StreamId,
        /// The client's address (see spec-notes/capture.md for how the client is told).
        client: SocketAddr,
        /// The server's address.
        server: SocketAddr,
        /// The frame that opened it.
        frame: u64,
        /// True when the start was not captured (no SYN; for a pipe, no CREATE): the first
        /// bytes may be in the middle of a PDU.
        mid_stream: bool,
        /// For a pipe, the name its CREATE request gave (for example `tapsrv`), if seen.
        pipe: Option<String>,
    },
    /// Bytes of one direction, in order.
    Data {
        /// The stream.
        stream: StreamId,
        /// The direction.
        dir: Direction,
        /// The frame whose segment carried the bytes (for a pipe, completed the SMB2
        /// message).
        frame: u64,
        /// The offset of `bytes[0]` in this direction of the stream.
        offset: u64,
        /// The bytes.
        bytes: Vec<u8>,
    },
    /// Bytes of one direction are missing; the consumer must resynchronise on the next data.
    Gap {
        /// The stream.
        stream: StreamId,
        /// The direction.
        dir: Direction,
        /// Which bytes.
        missing: Missing,
        /// The frame of the last data delivered before the gap (0 if none was).
        before_frame: u64,
        /// The frame of the first data after the gap, or the frame that revealed it.
        after_frame: u64,
    },
    /// A stream ends; nothing more comes for it.
    Closed {
        /// The stream.
        stream: StreamId,
        /// The frame that closed it (for [`CloseReason::EndOfCapture`], the last frame).
        frame: u64,
        /// Why.
        reason: CloseReason,
    },
    /// Something was skipped or is suspicious; the streams go on.
    Problem(Problem),
}

impl StreamEvent {
    /// The stream the event is about (none for a problem not tied to one).
    pub fn stream(&self) -> Option<StreamId> {
        match self {
            StreamEvent::Opened { stream, .. }
            | StreamEvent::Data { stream, .. }
            | StreamEvent::Gap { stream, .. }
            | StreamEvent::Closed { stream, .. } => Some(*stream),
            StreamEvent::Problem(p) => p.stream,
        }
    }
}

/// Something the capture layer skipped or found suspicious, with the frame it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The frame (1-based).
    pub frame: u64,
    /// The stream, when the problem belongs to one.
    pub stream: Option<StreamId>,
    /// What.
    pub kind: ProblemKind,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "frame {}", self.frame)?;
        if let Some(s) = self.stream {
            write!(f, " ({s})")?;
        }
        write!(f, ": {}", self.kind)
    }
}

/// The kinds of [`Problem`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// The capture file is damaged or truncated here; reading stopped.
    Capture(FrameError),
    /// A frame was skipped because its headers are malformed or cut short.
    Malformed(Skip),
    /// A segment overlapping bytes already received carried different bytes there; the
    /// first bytes received were kept.
    OverlapConflict {
        /// The direction.
        dir: Direction,
        /// The stream offsets that differ (from the first to the last differing byte).
        range: Range<u64>,
    },
    /// Data arrived for stream offsets already given up as a gap; it was dropped.
    LateData {
        /// The direction.
        dir: Direction,
        /// The stream offsets dropped.
        range: Range<u64>,
    },
    /// The connection limit was reached; the least recently active connection was closed.
    ConnectionEvicted {
        /// The limit.
        limit: usize,
    },
    /// SMB2 messages with a transform header (encrypted, [MS-SMB2] 2.2.41) are skipped. Only
    /// the first per connection is reported.
    Smb2Encrypted,
    /// Compressed SMB2 messages ([MS-SMB2] 2.2.42) are skipped. Only the first per
    /// connection is reported.
    Smb2Compressed,
    /// SMB1 messages are skipped (an SMB1 NEGOTIATE may open an SMB2 session). Only the
    /// first per connection is reported.
    Smb1,
    /// An SMB2 message or NetBIOS frame is inconsistent.
    Smb2Malformed(String),
    /// Bytes of a TCP connection carrying SMB2 are missing (the TCP stream's gap; every
    /// pipe open on the connection gets a [`Missing::Unknown`] gap).
    Smb2BytesMissing {
        /// The TCP direction.
        dir: Direction,
        /// The offsets missing in that direction of the TCP stream.
        range: Range<u64>,
    },
    /// The SMB2 layer lost the NetBIOS framing and skipped bytes to find the next message.
    Smb2Resync {
        /// The direction.
        dir: Direction,
        /// How many bytes were skipped.
        skipped: u64,
    },
    /// Pipe data whose file the layer cannot tell (a READ response whose request was not
    /// captured); it was dropped.
    Smb2Unattributed {
        /// The SMB2 command.
        command: u16,
        /// How many data bytes were dropped.
        bytes: usize,
    },
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProblemKind::Capture(e) => write!(f, "capture file: {e}"),
            ProblemKind::Malformed(s) => write!(f, "frame skipped: {s}"),
            ProblemKind::OverlapConflict { dir, range } => write!(
                f,
                "{dir}: retransmitted bytes {}..{} differ from the first copy (kept the first)",
                range.start, range.end
            ),
            ProblemKind::LateData { dir, range } => write!(
                f,
                "{dir}: bytes {}..{} arrived after being reported missing (dropped)",
                range.start, range.end
            ),
            ProblemKind::ConnectionEvicted { limit } => write!(
                f,
                "more than {limit} open connections: closed the least recently active"
            ),
            ProblemKind::Smb2Encrypted => f.write_str("encrypted SMB2 (transform header) skipped"),
            ProblemKind::Smb2Compressed => f.write_str("compressed SMB2 skipped"),
            ProblemKind::Smb1 => f.write_str("SMB1 skipped"),
            ProblemKind::Smb2Malformed(why) => write!(f, "malformed SMB2: {why}"),
            ProblemKind::Smb2BytesMissing { dir, range } => write!(
                f,
                "{dir}: TCP bytes {}..{} carrying SMB2 are missing; open pipes have a gap",
                range.start, range.end
            ),
            ProblemKind::Smb2Resync { dir, skipped } => {
                write!(
                    f,
                    "{dir}: skipped {skipped} bytes to find the next SMB2 message"
                )
            }
            ProblemKind::Smb2Unattributed { command, bytes } => write!(
                f,
                "SMB2 command {command:#x} response with {bytes} data bytes for an unseen request (dropped)"
            ),
        }
    }
}
