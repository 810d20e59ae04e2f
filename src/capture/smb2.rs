//! DCE/RPC over SMB2 named pipes: the NetBIOS session service framing on TCP 445, the SMB2
//! header and the commands that move pipe bytes ([MS-SMB2] 2.2).
//!
//! [`Smb2Demux`] takes one TCP connection's two byte streams and turns them into one pair of
//! byte streams per open pipe ([`StreamId::Pipe`]):
//! * CREATE (2.2.13, 2.2.14) names the pipe; its response gives the FileId, matched to the
//!   request by MessageId.
//! * WRITE request data (2.2.21) is client-to-server pipe data; READ response data (2.2.20)
//!   is server-to-client, attributed to the FileId of the READ request with the same
//!   MessageId (the response carries none).
//! * IOCTL with CtlCode FSCTL_PIPE_TRANSCEIVE (2.2.31, 2.2.32, 3.3.5.15.3; [MS-FSCC] 2.3.47,
//!   2.3.48): the request's input is client-to-server data, the response's output
//!   server-to-client.
//! * A READ or IOCTL response with STATUS_BUFFER_OVERFLOW still carries data (3.3.4.4): it is
//!   delivered. Interim responses (STATUS_PENDING with SMB2_FLAGS_ASYNC_COMMAND, 3.3.4.2) are
//!   ignored; the final response arrives with the same MessageId.
//! * CLOSE (2.2.15) ends the pipe stream when its response succeeds.
//! * Compounded messages (NextCommand, 3.2.4.1.4) are split; a related request whose FileId
//!   is all ones uses the file of the previous request in the chain, and data sent on the
//!   file of a CREATE in the same chain waits for that CREATE's response.
//! * TREE_CONNECT responses (2.2.10) mark disk shares, whose files are not pipes; on trees
//!   not seen (a capture started mid-session), every file is taken for a pipe.
//!
//! Nothing before the first CREATE is needed (NEGOTIATE and SESSION_SETUP are not
//! required). Encrypted (transform header 0xFD 'SMB', 2.2.41) and compressed (0xFC 'SMB',
//! 2.2.42) messages and SMB1 are skipped and reported once per connection.

use std::collections::{BTreeMap, VecDeque};
use std::net::SocketAddr;

use super::event::{
    CloseReason, ConnId, Direction, FileId, Missing, Problem, ProblemKind, StreamEvent, StreamId,
};
use super::{FastMap, FastSet};

/// The SMB2 protocol id, 0xFE 'S' 'M' 'B' (2.2.1).
pub const SMB2_MAGIC: [u8; 4] = [0xFE, b'S', b'M', b'B'];
/// The transform header's protocol id, 0xFD 'S' 'M' 'B' (2.2.41).
pub const TRANSFORM_MAGIC: [u8; 4] = [0xFD, b'S', b'M', b'B'];
/// The compression transform header's protocol id, 0xFC 'S' 'M' 'B' (2.2.42).
pub const COMPRESSED_MAGIC: [u8; 4] = [0xFC, b'S', b'M', b'B'];
/// The SMB1 protocol id, 0xFF 'S' 'M' 'B'.
pub const SMB1_MAGIC: [u8; 4] = [0xFF, b'S', b'M', b'B'];

/// SMB2 TREE_CONNECT.
pub const CMD_TREE_CONNECT: u16 = 0x0003;
/// SMB2 CREATE.
pub const CMD_CREATE: u16 = 0x0005;
/// SMB2 CLOSE.
pub const CMD_CLOSE: u16 = 0x0006;
/// SMB2 READ.
pub const CMD_READ: u16 = 0x0008;
/// SMB2 WRITE.
pub const CMD_WRITE: u16 = 0x0009;
/// SMB2 IOCTL.
pub const CMD_IOCTL: u16 = 0x000B;

/// SMB2_FLAGS_SERVER_TO_REDIR: the message is a response.
pub const FLAG_RESPONSE: u32 = 0x0000_0001;
/// SMB2_FLAGS_ASYNC_COMMAND: the header carries an AsyncId.
pub const FLAG_ASYNC: u32 = 0x0000_0002;
/// SMB2_FLAGS_RELATED_OPERATIONS: a related request of a compound.
pub const FLAG_RELATED: u32 = 0x0000_0004;

/// FSCTL_PIPE_TRANSCEIVE ([MS-FSCC] 2.3.47).
pub const FSCTL_PIPE_TRANSCEIVE: u32 = 0x0011_C017;

/// STATUS_SUCCESS.
pub const STATUS_SUCCESS: u32 = 0;
/// STATUS_PENDING: an interim response.
pub const STATUS_PENDING: u32 = 0x0000_0103;
/// STATUS_BUFFER_OVERFLOW: more pipe data remains to be read (the response carries data).
pub const STATUS_BUFFER_OVERFLOW: u32 = 0x8000_0005;

/// The ShareType of a disk share in a TREE_CONNECT response (2.2.10).
const SHARE_TYPE_DISK: u8 = 0x01;

/// Limits of the SMB2 layer, per connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Smb2Config {
    /// The largest NetBIOS message accepted (default 16 MiB, the 24-bit maximum); a larger
    /// length is taken for lost framing.
    pub max_message: usize,
    /// Requests remembered while waiting for their responses (default 4096).
    pub max_pending: usize,
    /// Pipes open at once (default 1024).
    pub max_pipes: usize,
    /// Bytes held for pipes whose CREATE response has not arrived (default 1 MiB).
    pub max_deferred: usize,
}

impl Default for Smb2Config {
    fn default() -> Self {
        Smb2Config {
            max_message: 0x00FF_FFFF,
            max_pending: 4096,
            max_pipes: 1024,
            max_deferred: 1 << 20,
        }
    }
}

/// Counters of the SMB2 layer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Smb2Stats {
    /// SMB2 messages parsed (each message of a compound counts).
    pub messages: u64,
    /// Messages with a transform header, skipped.
    pub encrypted: u64,
    /// Compressed messages, skipped.
    pub compressed: u64,
    /// SMB1 messages, skipped.
    pub smb1: u64,
    /// Malformed messages.
    pub malformed: u64,
    /// Pipes opened.
    pub pipes: u64,
    /// Times the NetBIOS framing was lost and searched for.
    pub resyncs: u64,
}

/// Does `b` start like a NetBIOS session message carrying an SMB message (any of the four
/// protocol ids)? Only the bytes present are checked.
pub fn looks_like_nbss_smb(b: &[u8]) -> bool {
    let magics = [SMB2_MAGIC, TRANSFORM_MAGIC, COMPRESSED_MAGIC, SMB1_MAGIC];
    !b.is_empty()
        && b[0] == 0
        && magics.iter().any(|m| {
            let rest = b.get(4..).unwrap_or(&[]);
            let n = rest.len().min(4);
            rest[..n] == m[..n]
        })
}

fn u16_at(b: &[u8], o: usize) -> Option<u16> {
    b.get(o..o + 2).map(|x| u16::from_le_bytes([x[0], x[1]]))
}

fn u32_at(b: &[u8], o: usize) -> Option<u32> {
    b.get(o..o + 4)
        .map(|x| u32::from_le_bytes([x[0], x[1], x[2], x[3]]))
}

fn u64_at(b: &[u8], o: usize) -> Option<u64> {
    b.get(o..o + 8).map(|x| {
        let mut a = [0u8; 8];
        a.copy_from_slice(x);
        u64::from_le_bytes(a)
    })
}

fn file_at(b: &[u8], o: usize) -> Option<FileId> {
    b.get(o..o + 16).map(|x| {
        let mut a = [0u8; 16];
        a.copy_from_slice(x);
        FileId::from_bytes(a)
    })
}

/// The NetBIOS framing of one direction.
#[derive(Debug, Default)]
struct Framer {
    buf: Vec<u8>,
    synced: bool,
    /// Bytes skipped while searching.
    skipped: u64,
}

/// A file reference in a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileRef {
    Known(FileId),
    /// The file a CREATE (by MessageId) of the same compound will open.
    FromCreate(u64),
}

#[derive(Debug)]
enum Pending {
    Create { name: String, disk: bool },
    Read(FileRef),
    Ioctl(FileRef),
    Close(FileRef),
    TreeConnect,
}

#[derive(Debug)]
struct Pipe {
    offsets: [u64; 2],
    last_frame: u64,
}

#[derive(Debug)]
struct Deferred {
    create: u64,
    dir: Direction,
    frame: u64,
    bytes: Vec<u8>,
}

/// The SMB2 named-pipe demultiplexer of one TCP connection (sans I/O).
#[derive(Debug)]
pub struct Smb2Demux {
    conn: ConnId,
    /// The TCP client and server.
    ends: [SocketAddr; 2],
    framers: [Framer; 2],
    /// Which TCP direction (index) carries requests.
    requests: usize,
    pipes: BTreeMap<FileId, Pipe>,
    pending: BTreeMap<u64, Pending>,
    trees: FastMap<u32, u8>,
    /// Files on disk shares, not pipes.
    not_pipes: FastSet<FileId>,
    not_pipes_order: VecDeque<FileId>,
    /// CREATE results, for compounds (MessageId, FileId).
    created: VecDeque<(u64, FileId)>,
    deferred: Vec<Deferred>,
    deferred_bytes: usize,
    reported: [bool; 3],
    config: Smb2Config,
    stats: Smb2Stats,
}

/// Per-message context: the frame and the output.
struct Out<'a> {
    frame: u64,
    out: &'a mut Vec<StreamEvent>,
}

impl Smb2Demux {
    /// A demultiplexer for connection `conn` between `client` and `server` (the TCP roles;
    /// the SMB2 client is whichever side sends requests). `synced` says whether the streams
    /// start at a message boundary (the SYN was seen); otherwise the first message is
    /// searched for.
    pub fn new(
        conn: ConnId,
        client: SocketAddr,
        server: SocketAddr,
        synced: bool,
        config: Smb2Config,
    ) -> Self {
        let framer = || Framer {
            synced,
            ..Framer::default()
        };
        Smb2Demux {
            conn,
            ends: [client, server],
            framers: [framer(), framer()],
            requests: 0,
            pipes: BTreeMap::new(),
            pending: BTreeMap::new(),
            trees: FastMap::default(),
            not_pipes: FastSet::default(),
            not_pipes_order: VecDeque::new(),
            created: VecDeque::new(),
            deferred: Vec::new(),
            deferred_bytes: 0,
            reported: [false; 3],
            config,
            stats: Smb2Stats::default(),
        }
    }

    /// The counters so far.
    pub fn stats(&self) -> Smb2Stats {
        self.stats
    }

    /// How many pipes are open.
    pub fn open_pipes(&self) -> usize {
        self.pipes.len()
    }

    fn problem(&self, frame: u64, kind: ProblemKind) -> StreamEvent {
        StreamEvent::Problem(Problem {
            frame,
            stream: Some(StreamId::Tcp(self.conn)),
            kind,
        })
    }

    /// Takes in-order bytes of one TCP direction of the connection.
    pub fn data(&mut self, dir: Direction, frame: u64, bytes: &[u8], out: &mut Vec<StreamEvent>) {
        let d = dir.index();
        let mut fr = std::mem::take(&mut self.framers[d]);
        fr.buf.extend_from_slice(bytes);
        let mut pos = 0;
        let mut o = Out { frame, out };
        loop {
            let avail = &fr.buf[pos..];
            if !fr.synced {
                let found = (0..avail.len().saturating_sub(7))
                    .find(|&i| avail[i] == 0 && looks_like_nbss_smb(&avail[i..i + 8]));
                match found {
                    Some(i) => {
                        fr.skipped += i as u64;
                        pos += i;
                        fr.synced = true;
                        if fr.skipped > 0 {
                            self.stats.resyncs += 1;
                            let skipped = std::mem::take(&mut fr.skipped);
                            o.out.push(self.problem(
                                frame,
                                ProblemKind::Smb2Resync {
                                    dir: self.pipe_dir(d),
                                    skipped,
                                },
                            ));
                        }
                        continue;
                    }
                    None => {
                        let keep = avail.len().min(7);
                        let drop = avail.len() - keep;
                        fr.skipped += drop as u64;
                        pos += drop;
                        break;
                    }
                }
            }
            if avail.len() < 4 {
                break;
            }
            let kind = avail[0];
            let len = (usize::from(avail[1]) << 16)
                | (usize::from(avail[2]) << 8)
                | usize::from(avail[3]);
            let bad_header = kind == 0 && avail.len() >= 8 && !looks_like_nbss_smb(&avail[..8]);
            if len > self.config.max_message || bad_header || !matches!(kind, 0 | 0x81..=0x85) {
                // Lost framing: search again from the next byte.
                fr.synced = false;
                fr.skipped += 1;
                pos += 1;
                continue;
            }
            if avail.len() < 4 + len {
                break;
            }
            if kind == 0 && len > 0 {
                let msg = &fr.buf[pos + 4..pos + 4 + len];
                self.message(d, msg, &mut o);
            }
            pos += 4 + len;
        }
        fr.buf.drain(..pos);
        self.framers[d] = fr;
    }

    /// Bytes of one TCP direction were lost: the framing is searched for again, and every
    /// open pipe gets a [`Missing::Unknown`] gap in the direction those bytes feed.
    pub fn gap(
        &mut self,
        dir: Direction,
        before_frame: u64,
        after_frame: u64,
        out: &mut Vec<StreamEvent>,
    ) {
        let d = dir.index();
        let fr = &mut self.framers[d];
        fr.buf.clear();
        fr.synced = false;
        let pdir = self.pipe_dir(d);
        for (file, pipe) in &self.pipes {
            out.push(StreamEvent::Gap {
                stream: StreamId::Pipe {
                    conn: self.conn,
                    file: *file,
                },
                dir: pdir,
                missing: Missing::Unknown {
                    at: pipe.offsets[pdir.index()],
                },
                before_frame,
                after_frame,
            });
        }
    }

    /// The connection ended: every open pipe is closed with `reason`.
    pub fn close(&mut self, frame: u64, reason: CloseReason, out: &mut Vec<StreamEvent>) {
        for file in std::mem::take(&mut self.pipes).into_keys() {
            out.push(StreamEvent::Closed {
                stream: StreamId::Pipe {
                    conn: self.conn,
                    file,
                },
                frame,
                reason,
            });
        }
        self.pending.clear();
        self.deferred.clear();
        self.deferred_bytes = 0;
    }

    /// The pipe direction of bytes in TCP direction `d`.
    fn pipe_dir(&self, d: usize) -> Direction {
        if d == self.requests {
            Direction::ClientToServer
        } else {
            Direction::ServerToClient
        }
    }

    /// One NetBIOS session message.
    fn message(&mut self, d: usize, msg: &[u8], o: &mut Out<'_>) {
        let magic = msg.get(..4).unwrap_or(msg);
        let skipped = if magic == TRANSFORM_MAGIC {
            self.stats.encrypted += 1;
            Some((0, ProblemKind::Smb2Encrypted))
        } else if magic == COMPRESSED_MAGIC {
            self.stats.compressed += 1;
            Some((1, ProblemKind::Smb2Compressed))
        } else if magic == SMB1_MAGIC {
            self.stats.smb1 += 1;
            Some((2, ProblemKind::Smb1))
        } else {
            None
        };
        if let Some((i, kind)) = skipped {
            if !std::mem::replace(&mut self.reported[i], true) {
                o.out.push(self.problem(o.frame, kind));
            }
            return;
        }
        let mut pos = 0;
        let mut last: Option<FileRef> = None;
        loop {
            let m = &msg[pos..];
            if m.len() < 64 || m[..4] != SMB2_MAGIC {
                self.malformed(o, "SMB2 header cut short or wrong protocol id");
                return;
            }
            let next = u32_at(m, 20).unwrap_or(0) as usize;
            let this = if next == 0 {
                m
            } else if next < 64 || next > m.len() || next % 8 != 0 {
                self.malformed(o, "bad NextCommand");
                m
            } else {
                &m[..next]
            };
            self.stats.messages += 1;
            self.command(d, this, &mut last, o);
            if next == 0 || this.len() == m.len() {
                return;
            }
            pos += next;
        }
    }

    fn malformed(&mut self, o: &mut Out<'_>, why: &str) {
        self.stats.malformed += 1;
        o.out
            .push(self.problem(o.frame, ProblemKind::Smb2Malformed(why.to_string())));
    }

    /// One SMB2 message (`m` starts at its header; offsets in it are from there).
    fn command(&mut self, d: usize, m: &[u8], last: &mut Option<FileRef>, o: &mut Out<'_>) {
        let status = u32_at(m, 8).unwrap_or(0);
        let cmd = u16_at(m, 12).unwrap_or(0);
        let flags = u32_at(m, 16).unwrap_or(0);
        let msg_id = u64_at(m, 24).unwrap_or(0);
        let tree_id = if flags & FLAG_ASYNC == 0 {
            u32_at(m, 36).unwrap_or(0)
        } else {
            0
        };
        let response = flags & FLAG_RESPONSE != 0;
        self.requests = if response { 1 - d } else { d };
        let body = &m[64..];
        let slice = |off: usize, len: usize| m.get(off..off.checked_add(len)?);
        if !response {
            let resolve = |fid: FileId, last: &Option<FileRef>| {
                if flags & FLAG_RELATED != 0 && fid == FileId::RELATED {
                    *last
                } else {
                    Some(FileRef::Known(fid))
                }
            };
            match cmd {
                CMD_CREATE => {
                    let (Some(off), Some(len)) = (u16_at(body, 44), u16_at(body, 46)) else {
                        return self.malformed(o, "CREATE request cut short");
                    };
                    let Some(raw) = slice(usize::from(off), usize::from(len)) else {
                        return self.malformed(o, "CREATE name outside the message");
                    };
                    let units: Vec<u16> = raw
                        .chunks_exact(2)
                        .map(|c| u16::from_le_bytes([c[0], c[1]]))
                        .collect();
                    let name = String::from_utf16_lossy(&units);
                    let disk = self.trees.get(&tree_id) == Some(&SHARE_TYPE_DISK);
                    self.remember(msg_id, Pending::Create { name, disk });
                    *last = Some(FileRef::FromCreate(msg_id));
                }
                CMD_WRITE => {
                    let (Some(off), Some(len), Some(fid)) =
                        (u16_at(body, 2), u32_at(body, 4), file_at(body, 16))
                    else {
                        return self.malformed(o, "WRITE request cut short");
                    };
                    let Some(data) = slice(usize::from(off), len as usize) else {
                        return self.malformed(o, "WRITE data outside the message");
                    };
                    let file = resolve(fid, last);
                    *last = file;
                    if let Some(file) = file {
                        self.deliver(file, Direction::ClientToServer, data, o);
                    }
                }
                CMD_READ => {
                    let Some(fid) = file_at(body, 16) else {
                        return self.malformed(o, "READ request cut short");
                    };
                    let file = resolve(fid, last);
                    *last = file;
                    if let Some(file) = file {
                        self.remember(msg_id, Pending::Read(file));
                    }
                }
                CMD_IOCTL => {
                    let (Some(ctl), Some(fid), Some(off), Some(len)) = (
                        u32_at(body, 4),
                        file_at(body, 8),
                        u32_at(body, 24),
                        u32_at(body, 28),
                    ) else {
                        return self.malformed(o, "IOCTL request cut short");
                    };
                    let file = resolve(fid, last);
                    *last = file;
                    if ctl != FSCTL_PIPE_TRANSCEIVE {
                        return;
                    }
                    let Some(data) = slice(off as usize, len as usize) else {
                        return self.malformed(o, "IOCTL input outside the message");
                    };
                    if let Some(file) = file {
                        self.deliver(file, Direction::ClientToServer, data, o);
                        self.remember(msg_id, Pending::Ioctl(file));
                    }
                }
                CMD_CLOSE => {
                    let Some(fid) = file_at(body, 8) else {
                        return self.malformed(o, "CLOSE request cut short");
                    };
                    let file = resolve(fid, last);
                    *last = file;
                    if let Some(file) = file {
                        self.remember(msg_id, Pending::Close(file));
                    }
                }
                CMD_TREE_CONNECT => self.remember(msg_id, Pending::TreeConnect),
                _ => {}
            }
            return;
        }

        if status == STATUS_PENDING && flags & FLAG_ASYNC != 0 {
            return;
        }
        let pending = self.pending.remove(&msg_id);
        let with_data = status == STATUS_SUCCESS || status == STATUS_BUFFER_OVERFLOW;
        match cmd {
            CMD_CREATE => {
                let fid = (status == STATUS_SUCCESS && u16_at(body, 0) == Some(89))
                    .then(|| file_at(body, 64))
                    .flatten();
                let Some(fid) = fid else {
                    // A failed CREATE: data waiting for it has nowhere to go.
                    self.drop_deferred(msg_id, o);
                    return;
                };
                match pending {
                    Some(Pending::Create { disk: true, .. }) => {
                        if self.not_pipes.len() >= self.config.max_pipes {
                            if let Some(old) = self.not_pipes_order.pop_front() {
                                self.not_pipes.remove(&old);
                            }
                        }
                        if self.not_pipes.insert(fid) {
                            self.not_pipes_order.push_back(fid);
                        }
                        self.drop_deferred(msg_id, o);
                        return;
                    }
                    Some(Pending::Create { name, .. }) => self.open_pipe(fid, Some(name), false, o),
                    _ => self.open_pipe(fid, None, false, o),
                }
                if self.created.len() >= 64 {
                    self.created.pop_front();
                }
                self.created.push_back((msg_id, fid));
                let (waiting, rest): (Vec<Deferred>, Vec<Deferred>) =
                    std::mem::take(&mut self.deferred)
                        .into_iter()
                        .partition(|w| w.create == msg_id);
                self.deferred = rest;
                for w in waiting {
                    self.deferred_bytes -= w.bytes.len();
                    let mut o2 = Out {
                        frame: w.frame,
                        out: o.out,
                    };
                    self.deliver(FileRef::Known(fid), w.dir, &w.bytes, &mut o2);
                }
            }
            CMD_READ => {
                if !with_data || u16_at(body, 0) != Some(17) {
                    return;
                }
                let (Some(off), Some(len)) = (body.get(2), u32_at(body, 4)) else {
                    return self.malformed(o, "READ response cut short");
                };
                let Some(data) = slice(usize::from(*off), len as usize) else {
                    return self.malformed(o, "READ data outside the message");
                };
                match pending {
                    Some(Pending::Read(file)) => {
                        self.deliver(file, Direction::ServerToClient, data, o)
                    }
                    _ if data.is_empty() => {}
                    _ => {
                        let kind = ProblemKind::Smb2Unattributed {
                            command: cmd,
                            bytes: data.len(),
                        };
                        o.out.push(self.problem(o.frame, kind));
                    }
                }
            }
            CMD_IOCTL => {
                if !with_data || u16_at(body, 0) != Some(49) {
                    return;
                }
                let (Some(ctl), Some(fid), Some(off), Some(len)) = (
                    u32_at(body, 4),
                    file_at(body, 8),
                    u32_at(body, 32),
                    u32_at(body, 36),
                ) else {
                    return self.malformed(o, "IOCTL response cut short");
                };
                if ctl != FSCTL_PIPE_TRANSCEIVE {
                    return;
                }
                let Some(data) = slice(off as usize, len as usize) else {
                    return self.malformed(o, "IOCTL output outside the message");
                };
                let file = match pending {
                    _ if fid != FileId::RELATED => FileRef::Known(fid),
                    Some(Pending::Ioctl(file)) => file,
                    _ => {
                        let kind = ProblemKind::Smb2Unattributed {
                            command: cmd,
                            bytes: data.len(),
                        };
                        return o.out.push(self.problem(o.frame, kind));
                    }
                };
                self.deliver(file, Direction::ServerToClient, data, o);
            }
            CMD_CLOSE => {
                if status != STATUS_SUCCESS {
                    return;
                }
                if let Some(Pending::Close(file)) = pending {
                    if let Some(fid) = self.known(file) {
                        if self.pipes.remove(&fid).is_some() {
                            o.out.push(StreamEvent::Closed {
                                stream: StreamId::Pipe {
                                    conn: self.conn,
                                    file: fid,
                                },
                                frame: o.frame,
                                reason: CloseReason::PipeClosed,
                            });
                        }
                    }
                }
            }
            CMD_TREE_CONNECT
                if status == STATUS_SUCCESS && matches!(pending, Some(Pending::TreeConnect)) =>
            {
                if let Some(&share) = body.get(2) {
                    if self.trees.len() >= self.config.max_pending {
                        self.trees.clear();
                    }
                    self.trees.insert(tree_id, share);
                }
            }
            _ => {}
        }
    }

    fn remember(&mut self, msg_id: u64, p: Pending) {
        while self.pending.len() >= self.config.max_pending.max(1) {
            self.pending.pop_first();
        }
        self.pending.insert(msg_id, p);
    }

    fn known(&self, file: FileRef) -> Option<FileId> {
        match file {
            FileRef::Known(f) => Some(f),
            FileRef::FromCreate(m) => self.created.iter().find(|c| c.0 == m).map(|c| c.1),
        }
    }

    fn drop_deferred(&mut self, create: u64, o: &mut Out<'_>) {
        let before = self.deferred.len();
        let mut bytes = 0;
        self.deferred.retain(|w| {
            let keep = w.create != create;
            if !keep {
                bytes += w.bytes.len();
            }
            keep
        });
        if self.deferred.len() != before {
            self.deferred_bytes -= bytes;
            let kind = ProblemKind::Smb2Unattributed {
                command: CMD_CREATE,
                bytes,
            };
            o.out.push(self.problem(o.frame, kind));
        }
    }

    fn open_pipe(&mut self, fid: FileId, name: Option<String>, mid_stream: bool, o: &mut Out<'_>) {
        if self.pipes.contains_key(&fid) {
            return;
        }
        if self.pipes.len() >= self.config.max_pipes.max(1) {
            let oldest = self
                .pipes
                .iter()
                .min_by_key(|(_, p)| p.last_frame)
                .map(|(f, _)| *f);
            if let Some(old) = oldest {
                self.pipes.remove(&old);
                o.out.push(StreamEvent::Closed {
                    stream: StreamId::Pipe {
                        conn: self.conn,
                        file: old,
                    },
                    frame: o.frame,
                    reason: CloseReason::Evicted,
                });
            }
        }
        self.stats.pipes += 1;
        self.pipes.insert(
            fid,
            Pipe {
                offsets: [0, 0],
                last_frame: o.frame,
            },
        );
        o.out.push(StreamEvent::Opened {
            stream: StreamId::Pipe {
                conn: self.conn,
                file: fid,
            },
            client: self.ends[self.requests],
            server: self.ends[1 - self.requests],
            frame: o.frame,
            mid_stream,
            pipe: name,
        });
    }

    fn deliver(&mut self, file: FileRef, dir: Direction, data: &[u8], o: &mut Out<'_>) {
        if data.is_empty() {
            return;
        }
        let fid = match (file, self.known(file)) {
            (_, Some(fid)) => fid,
            (FileRef::FromCreate(create), None) => {
                if self.deferred_bytes + data.len() > self.config.max_deferred {
                    let kind = ProblemKind::Smb2Unattributed {
                        command: CMD_CREATE,
                        bytes: data.len(),
                    };
                    return o.out.push(self.problem(o.frame, kind));
                }
                self.deferred_bytes += data.len();
                self.deferred.push(Deferred {
                    create,
                    dir,
                    frame: o.frame,
                    bytes: data.to_vec(),
                });
                return;
            }
            (FileRef::Known(_), None) => unreachable!("a known FileRef resolves"),
        };
        if self.not_pipes.contains(&fid) {
            return;
        }
        if !self.pipes.contains_key(&fid) {
            self.open_pipe(fid, None, true, o);
        }
        let Some(pipe) = self.pipes.get_mut(&fid) else {
            return;
        };
        let offset = pipe.offsets[dir.index()];
        pipe.offsets[dir.index()] += data.len() as u64;
        pipe.last_frame = o.frame;
        o.out.push(StreamEvent::Data {
            stream: StreamId::Pipe {
                conn: self.conn,
                file: fid,
            },
            dir,
            frame: o.frame,
            offset,
            bytes: data.to_vec(),
        });
    }
}
