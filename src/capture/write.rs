//! A capture writer for tests and sample files: TCP conversations and DCE/RPC-over-SMB2 pipe
//! conversations, laid out as Ethernet frames with correct sequence numbers, acknowledgments
//! and checksums (built with `etherparse`), written as pcap or pcapng (serialised by
//! `pcap-parser`).
//!
//! ```
//! use mstrp::capture::write::{CaptureWriter, Fault, Format};
//!
//! let mut w = CaptureWriter::new(Format::Pcap).with_vlan(7);
//! let mut c = w.tcp_conversation("[fd00::1]:50000".parse()?, "[fd00::2]:4444".parse()?);
//! c.client_sends(&[1; 3000]); // split into MSS-size segments
//! c.fault_next(Fault::Drop); // the next data segment is not captured: a gap
//! c.server_sends(b"reply");
//! c.close();
//! let pcap: Vec<u8> = w.finish();
//! # assert!(!pcap.is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! A conversation borrows the writer, so conversations are written one after the other.
//! Timestamps start at 2026-01-01 00:00:00 UTC and grow by [`CaptureWriter::with_step`]
//! (1 ms by default) per frame.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use etherparse::{PacketBuilder, TcpHeader, TcpOptionElement, VlanId};
use pcap_parser::pcapng::{
    EPB_MAGIC, EnhancedPacketBlock, IDB_MAGIC, InterfaceDescriptionBlock, SHB_MAGIC,
    SectionHeaderBlock,
};
use pcap_parser::{LegacyPcapBlock, Linktype, PcapHeader, ToVec};

use super::event::{Direction, FileId};
pub use super::frames::Format;
use super::smb2::{
    CMD_CLOSE, CMD_CREATE, CMD_IOCTL, CMD_READ, CMD_WRITE, FLAG_ASYNC, FLAG_RELATED, FLAG_RESPONSE,
    FSCTL_PIPE_TRANSCEIVE, SMB2_MAGIC, STATUS_BUFFER_OVERFLOW, STATUS_PENDING, STATUS_SUCCESS,
};

/// The snap length written in the file headers.
const SNAPLEN: u32 = 262_144;
/// 2026-01-01 00:00:00 UTC.
const START: Duration = Duration::from_secs(1_767_225_600);

/// Writes frames into an in-memory pcap or pcapng file.
#[derive(Debug)]
pub struct CaptureWriter {
    format: Format,
    out: Vec<u8>,
    clock: Duration,
    step: Duration,
    vlan: Option<u16>,
    frames: u64,
}

impl CaptureWriter {
    /// A new file of the given format, Ethernet link type.
    pub fn new(format: Format) -> Self {
        let out = match format {
            Format::Pcap => {
                let mut h = PcapHeader::new();
                h.snaplen = SNAPLEN;
                h.network = Linktype::ETHERNET;
                h.to_vec().expect("pcap header")
            }
            Format::PcapNg => {
                let mut shb = SectionHeaderBlock {
                    block_type: SHB_MAGIC,
                    block_len1: 0,
                    bom: 0x1A2B_3C4D,
                    major_version: 1,
                    minor_version: 0,
                    section_len: -1,
                    options: Vec::new(),
                    block_len2: 0,
                };
                let mut idb = InterfaceDescriptionBlock {
                    block_type: IDB_MAGIC,
                    block_len1: 0,
                    linktype: Linktype::ETHERNET,
                    reserved: 0,
                    snaplen: SNAPLEN,
                    options: Vec::new(),
                    block_len2: 0,
                    if_tsresol: 6,
                    if_tsoffset: 0,
                };
                let mut v = shb.to_vec().expect("pcapng section header");
                v.extend(idb.to_vec().expect("pcapng interface description"));
                v
            }
        };
        CaptureWriter {
            format,
            out,
            clock: START,
            step: Duration::from_millis(1),
            vlan: None,
            frames: 0,
        }
    }

    /// Tags every frame with this 802.1Q VLAN id (0..=4095).
    ///
    /// # Panics
    /// If the id does not fit in 12 bits.
    pub fn with_vlan(mut self, id: u16) -> Self {
        assert!(VlanId::try_new(id).is_ok(), "VLAN id {id} out of range");
        self.vlan = Some(id);
        self
    }

    /// Sets the time between two frames.
    pub fn with_step(mut self, step: Duration) -> Self {
        self.step = step;
        self
    }

    /// The format being written.
    pub fn format(&self) -> Format {
        self.format
    }

    /// How many frames were written.
    pub fn frame_count(&self) -> u64 {
        self.frames
    }

    /// Appends one frame (an Ethernet frame, as is), timestamped one step after the last.
    pub fn raw_frame(&mut self, data: &[u8]) {
        let ts = self.clock;
        self.clock += self.step;
        self.frames += 1;
        let len = data.len() as u32;
        let block = match self.format {
            Format::Pcap => LegacyPcapBlock {
                ts_sec: ts.as_secs() as u32,
                ts_usec: ts.subsec_micros(),
                caplen: len,
                origlen: len,
                data,
            }
            .to_vec(),
            Format::PcapNg => {
                let micros = ts.as_micros() as u64;
                EnhancedPacketBlock {
                    block_type: EPB_MAGIC,
                    block_len1: 0,
                    if_id: 0,
                    ts_high: (micros >> 32) as u32,
                    ts_low: micros as u32,
                    caplen: len,
                    origlen: len,
                    data,
                    options: Vec::new(),
                    block_len2: 0,
                }
                .to_vec()
            }
        };
        self.out.extend(block.expect("frame serialisation"));
    }

    /// Starts a TCP conversation with the default [`TcpOptions`] (the handshake is written
    /// now).
    ///
    /// # Panics
    /// If the two endpoints are not of the same IP version.
    pub fn tcp_conversation(
        &mut self,
        client: SocketAddr,
        server: SocketAddr,
    ) -> TcpConversation<'_> {
        self.tcp_conversation_with(client, server, TcpOptions::default())
    }

    /// Starts a TCP conversation with the given options.
    ///
    /// # Panics
    /// If the two endpoints are not of the same IP version.
    pub fn tcp_conversation_with(
        &mut self,
        client: SocketAddr,
        server: SocketAddr,
        options: TcpOptions,
    ) -> TcpConversation<'_> {
        TcpConversation::new(self, client, server, options)
    }

    /// Starts an SMB2 named-pipe conversation: the TCP handshake, then a CREATE of `pipe`
    /// (for example `tapsrv`) and its response.
    ///
    /// # Panics
    /// If the two endpoints are not of the same IP version.
    pub fn smb_pipe_conversation(
        &mut self,
        client: SocketAddr,
        server: SocketAddr,
        pipe: &str,
    ) -> SmbPipeConversation<'_> {
        self.smb_pipe_conversation_with(client, server, pipe, TcpOptions::default())
    }

    /// Starts an SMB2 named-pipe conversation with the given TCP options.
    ///
    /// # Panics
    /// If the two endpoints are not of the same IP version.
    pub fn smb_pipe_conversation_with(
        &mut self,
        client: SocketAddr,
        server: SocketAddr,
        pipe: &str,
        options: TcpOptions,
    ) -> SmbPipeConversation<'_> {
        SmbPipeConversation::new(TcpConversation::new(self, client, server, options), pipe)
    }

    /// The file's bytes.
    pub fn finish(self) -> Vec<u8> {
        self.out
    }
}

/// How a [`TcpConversation`] is laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcpOptions {
    /// The largest payload per segment (default 1460).
    pub mss: usize,
    /// Write the 3-way handshake (default true); without it the capture starts mid-stream.
    pub handshake: bool,
    /// The client's initial sequence number.
    pub client_isn: u32,
    /// The server's initial sequence number.
    pub server_isn: u32,
    /// After each send, the receiver writes a pure ACK of everything received (default true).
    pub ack_each_send: bool,
    /// The advertised window.
    pub window: u16,
}

impl Default for TcpOptions {
    fn default() -> Self {
        TcpOptions {
            mss: 1460,
            handshake: true,
            client_isn: 0x1000_0000,
            server_isn: 0x8000_0000,
            ack_each_send: true,
            window: 64240,
        }
    }
}

/// A deliberate fault for the next data segment written (either direction).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The segment is sent but not captured: the reader sees a gap.
    Drop,
    /// The segment is captured twice (a retransmission).
    Duplicate,
    /// The segment is captured after the next data segment (out of order). If no data
    /// segment follows before an ACK, FIN or RST, it is written before that.
    SwapWithNext,
}

/// The TCP flags of a written segment.
#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    syn: bool,
    fin: bool,
    rst: bool,
}

/// One TCP connection being written; see [`CaptureWriter::tcp_conversation`].
#[derive(Debug)]
pub struct TcpConversation<'w> {
    w: &'w mut CaptureWriter,
    /// Client, server.
    ends: [SocketAddr; 2],
    macs: [[u8; 6]; 2],
    isn: [u32; 2],
    /// The next sequence number each side sends.
    next: [u32; 2],
    options: TcpOptions,
    fault: Option<Fault>,
    held: Option<Vec<u8>>,
    done: bool,
}

fn mac(addr: &SocketAddr) -> [u8; 6] {
    let tail = match addr.ip() {
        IpAddr::V4(a) => a.octets(),
        IpAddr::V6(a) => {
            let o = a.octets();
            [o[12], o[13], o[14], o[15]]
        }
    };
    [0x02, 0x00, tail[0], tail[1], tail[2], tail[3]]
}

/// Builds an Ethernet (optionally VLAN-tagged) IPv4 or IPv6 packet around a TCP header.
macro_rules! ip_tcp {
    ($builder:expr, $src:expr, $dst:expr, $tcp:expr, $payload:expr) => {{
        let mut v = Vec::new();
        match ($src.ip(), $dst.ip()) {
            (IpAddr::V4(s), IpAddr::V4(d)) => $builder
                .ipv4(s.octets(), d.octets(), 64)
                .tcp_header($tcp)
                .write(&mut v, $payload),
            (IpAddr::V6(s), IpAddr::V6(d)) => $builder
                .ipv6(s.octets(), d.octets(), 64)
                .tcp_header($tcp)
                .write(&mut v, $payload),
            _ => panic!("client and server must both be IPv4 or both IPv6"),
        }
        .expect("packet build");
        v
    }};
}

impl<'w> TcpConversation<'w> {
    fn new(
        w: &'w mut CaptureWriter,
        client: SocketAddr,
        server: SocketAddr,
        options: TcpOptions,
    ) -> Self {
        assert_eq!(
            client.is_ipv4(),
            server.is_ipv4(),
            "client and server must both be IPv4 or both IPv6"
        );
        let isn = [options.client_isn, options.server_isn];
        let mut c = TcpConversation {
            w,
            ends: [client, server],
            macs: [mac(&client), mac(&server)],
            isn,
            next: [isn[0].wrapping_add(1), isn[1].wrapping_add(1)],
            options,
            fault: None,
            held: None,
            done: false,
        };
        if c.options.handshake {
            let mss = [TcpOptionElement::MaximumSegmentSize(
                c.options.mss.min(65535) as u16,
            )];
            let syn = Flags {
                syn: true,
                ..Flags::default()
            };
            let f = c.packet(0, isn[0], None, syn, &mss, &[]);
            c.w.raw_frame(&f);
            let synack = Flags {
                syn: true,
                ..Flags::default()
            };
            let f = c.packet(1, isn[1], Some(c.next[0]), synack, &mss, &[]);
            c.w.raw_frame(&f);
            c.pure_ack(0);
        }
        c
    }

    fn packet(
        &self,
        from: usize,
        seq: u32,
        ack: Option<u32>,
        flags: Flags,
        options: &[TcpOptionElement],
        payload: &[u8],
    ) -> Vec<u8> {
        let (src, dst) = (self.ends[from], self.ends[1 - from]);
        let mut h = TcpHeader::new(src.port(), dst.port(), seq, self.options.window);
        h.syn = flags.syn;
        h.fin = flags.fin;
        h.rst = flags.rst;
        h.psh = !payload.is_empty();
        if let Some(a) = ack {
            h.ack = true;
            h.acknowledgment_number = a;
        }
        h.set_options(options).expect("TCP options");
        let eth = PacketBuilder::ethernet2(self.macs[from], self.macs[1 - from]);
        match self.w.vlan {
            Some(id) => {
                let b = eth.single_vlan(VlanId::try_new(id).expect("VLAN id"));
                ip_tcp!(b, src, dst, h, payload)
            }
            None => ip_tcp!(eth, src, dst, h, payload),
        }
    }

    fn flush_held(&mut self) {
        if let Some(f) = self.held.take() {
            self.w.raw_frame(&f);
        }
    }

    /// A pure ACK from side `from` (0 client, 1 server) of everything the other side sent.
    fn pure_ack(&mut self, from: usize) {
        self.flush_held();
        let f = self.packet(
            from,
            self.next[from],
            Some(self.next[1 - from]),
            Flags::default(),
            &[],
            &[],
        );
        self.w.raw_frame(&f);
    }

    /// Writes one data segment, applying the pending fault.
    fn data_segment(&mut self, from: usize, seq: u32, payload: &[u8]) {
        let f = self.packet(
            from,
            seq,
            Some(self.next[1 - from]),
            Flags::default(),
            &[],
            payload,
        );
        match self.fault.take() {
            Some(Fault::Drop) => {}
            Some(Fault::Duplicate) => {
                self.w.raw_frame(&f);
                self.w.raw_frame(&f);
            }
            Some(Fault::SwapWithNext) => {
                self.flush_held();
                self.held = Some(f);
                return;
            }
            None => self.w.raw_frame(&f),
        }
        self.flush_held();
    }

    fn side(dir: Direction) -> usize {
        dir.index()
    }

    /// Sends bytes from one side, in segments of at most the MSS; then (with
    /// [`TcpOptions::ack_each_send`]) the other side acknowledges them.
    pub fn sends(&mut self, dir: Direction, data: &[u8]) -> &mut Self {
        let from = Self::side(dir);
        for chunk in data.chunks(self.options.mss.max(1)) {
            let seq = self.next[from];
            self.data_segment(from, seq, chunk);
            self.next[from] = seq.wrapping_add(chunk.len() as u32);
        }
        if self.options.ack_each_send && !data.is_empty() {
            self.pure_ack(1 - from);
        }
        self
    }

    /// Sends bytes from the client.
    pub fn client_sends(&mut self, data: &[u8]) -> &mut Self {
        self.sends(Direction::ClientToServer, data)
    }

    /// Sends bytes from the server.
    pub fn server_sends(&mut self, data: &[u8]) -> &mut Self {
        self.sends(Direction::ServerToClient, data)
    }

    /// Applies a fault to the next data segment written.
    pub fn fault_next(&mut self, fault: Fault) -> &mut Self {
        self.fault = Some(fault);
        self
    }

    /// Writes one data segment at a stream offset of one direction without changing what
    /// comes next: a retransmission (possibly with different bytes) or a segment from the
    /// future.
    pub fn inject(&mut self, dir: Direction, offset: u64, data: &[u8]) -> &mut Self {
        let from = Self::side(dir);
        let seq = self.isn[from].wrapping_add(1).wrapping_add(offset as u32);
        let f = self.packet(
            from,
            seq,
            Some(self.next[1 - from]),
            Flags::default(),
            &[],
            data,
        );
        self.w.raw_frame(&f);
        self
    }

    /// Writes a pure ACK from the receiving side of `dir` for everything sent so far.
    pub fn ack(&mut self, dir: Direction) -> &mut Self {
        self.pure_ack(1 - Self::side(dir));
        self
    }

    /// The stream offset of the next byte a side sends.
    pub fn next_offset(&self, dir: Direction) -> u64 {
        let from = Self::side(dir);
        u64::from(self.next[from].wrapping_sub(self.isn[from].wrapping_add(1)))
    }

    /// The client's and the server's addresses.
    pub fn endpoints(&self) -> (SocketAddr, SocketAddr) {
        (self.ends[0], self.ends[1])
    }

    /// Closes the connection: FIN from the client, FIN+ACK from the server, the client's
    /// last ACK.
    pub fn close(mut self) {
        self.fin_close();
    }

    fn fin_close(&mut self) {
        self.flush_held();
        let fin = Flags {
            fin: true,
            ..Flags::default()
        };
        let f = self.packet(0, self.next[0], Some(self.next[1]), fin, &[], &[]);
        self.w.raw_frame(&f);
        self.next[0] = self.next[0].wrapping_add(1);
        let f = self.packet(1, self.next[1], Some(self.next[0]), fin, &[], &[]);
        self.w.raw_frame(&f);
        self.next[1] = self.next[1].wrapping_add(1);
        self.pure_ack(0);
        self.done = true;
    }

    /// Aborts the connection with a RST from the sender of `dir`.
    pub fn reset(mut self, dir: Direction) {
        self.flush_held();
        let from = Self::side(dir);
        let rst = Flags {
            rst: true,
            ..Flags::default()
        };
        let f = self.packet(
            from,
            self.next[from],
            Some(self.next[1 - from]),
            rst,
            &[],
            &[],
        );
        self.w.raw_frame(&f);
        self.done = true;
    }

    /// Stops writing this connection without closing it (the capture ends while it is open).
    pub fn abandon(mut self) {
        self.flush_held();
        self.done = true;
    }
}

impl Drop for TcpConversation<'_> {
    fn drop(&mut self) {
        self.flush_held();
    }
}

/// An SMB2 named-pipe conversation being written; see
/// [`CaptureWriter::smb_pipe_conversation`].
///
/// Each request and response is one NetBIOS session message, sent as its own TCP send.
/// MessageIds count from 1 (0 would be a NEGOTIATE); the session and tree ids are fixed.
#[derive(Debug)]
pub struct SmbPipeConversation<'w> {
    tcp: TcpConversation<'w>,
    msg_id: u64,
    async_id: u64,
    interim_next: bool,
    file: FileId,
    pipe: String,
}

const SESSION_ID: u64 = 0x0000_4400_0000_0011;
const TREE_ID: u32 = 1;

/// NetBIOS session message framing (type 0, 24-bit length).
fn nbss(msg: &[u8]) -> Vec<u8> {
    let len = msg.len() as u32;
    assert!(len < 1 << 24, "SMB2 message too large for NetBIOS framing");
    let mut v = vec![0, (len >> 16) as u8, (len >> 8) as u8, len as u8];
    v.extend_from_slice(msg);
    v
}

/// The 64-byte SMB2 header ([MS-SMB2] 2.2.1).
fn header(cmd: u16, msg_id: u64, status: u32, flags: u32, async_id: Option<u64>) -> Vec<u8> {
    let mut h = Vec::with_capacity(64);
    h.extend_from_slice(&SMB2_MAGIC);
    h.extend_from_slice(&64u16.to_le_bytes());
    h.extend_from_slice(&1u16.to_le_bytes()); // CreditCharge
    h.extend_from_slice(&status.to_le_bytes());
    h.extend_from_slice(&cmd.to_le_bytes());
    h.extend_from_slice(&1u16.to_le_bytes()); // CreditRequest/Response
    let flags = flags | if async_id.is_some() { FLAG_ASYNC } else { 0 };
    h.extend_from_slice(&flags.to_le_bytes());
    h.extend_from_slice(&0u32.to_le_bytes()); // NextCommand
    h.extend_from_slice(&msg_id.to_le_bytes());
    match async_id {
        Some(a) => h.extend_from_slice(&a.to_le_bytes()),
        None => {
            h.extend_from_slice(&0x0000_FEFFu32.to_le_bytes()); // Reserved (ProcessId)
            h.extend_from_slice(&TREE_ID.to_le_bytes());
        }
    }
    h.extend_from_slice(&SESSION_ID.to_le_bytes());
    h.extend_from_slice(&[0u8; 16]); // Signature
    h
}

/// Little-endian appends.
trait Le {
    fn u8(&mut self, v: u8) -> &mut Self;
    fn u16(&mut self, v: u16) -> &mut Self;
    fn u32(&mut self, v: u32) -> &mut Self;
    fn u64(&mut self, v: u64) -> &mut Self;
    fn bytes(&mut self, v: &[u8]) -> &mut Self;
}

impl Le for Vec<u8> {
    fn u8(&mut self, v: u8) -> &mut Self {
        self.push(v);
        self
    }
    fn u16(&mut self, v: u16) -> &mut Self {
        self.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn u32(&mut self, v: u32) -> &mut Self {
        self.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn u64(&mut self, v: u64) -> &mut Self {
        self.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn bytes(&mut self, v: &[u8]) -> &mut Self {
        self.extend_from_slice(v);
        self
    }
}

impl<'w> SmbPipeConversation<'w> {
    fn new(tcp: TcpConversation<'w>, pipe: &str) -> Self {
        let mut c = SmbPipeConversation {
            tcp,
            msg_id: 1,
            async_id: 0x10,
            interim_next: false,
            file: FileId {
                persistent: 0x0000_0000_0000_0005,
                volatile: 0x0000_0001_0000_0009,
            },
            pipe: pipe.to_string(),
        };
        c.create();
        c
    }

    /// The FileId the CREATE response gave.
    pub fn file_id(&self) -> FileId {
        self.file
    }

    /// The pipe name.
    pub fn pipe(&self) -> &str {
        &self.pipe
    }

    /// The TCP conversation underneath (for faults).
    pub fn tcp(&mut self) -> &mut TcpConversation<'w> {
        &mut self.tcp
    }

    /// Makes the next response asynchronous: an interim STATUS_PENDING response first, then
    /// the final one with the same MessageId.
    pub fn pending_next(&mut self) -> &mut Self {
        self.interim_next = true;
        self
    }

    fn next_id(&mut self) -> u64 {
        let id = self.msg_id;
        self.msg_id += 1;
        id
    }

    fn request(&mut self, msg: Vec<u8>) {
        self.tcp.sends(Direction::ClientToServer, &nbss(&msg));
    }

    /// Sends a response, preceded by an interim one if [`Self::pending_next`] asked.
    fn respond(&mut self, cmd: u16, id: u64, status: u32, body: &[u8]) {
        let async_id = if std::mem::take(&mut self.interim_next) {
            self.async_id += 1;
            let mut m = header(cmd, id, STATUS_PENDING, FLAG_RESPONSE, Some(self.async_id));
            m.u16(9).u8(0).u8(0).u32(0).u8(0); // error response, 1 byte of ErrorData
            self.tcp.sends(Direction::ServerToClient, &nbss(&m));
            Some(self.async_id)
        } else {
            None
        };
        let mut m = header(cmd, id, status, FLAG_RESPONSE, async_id);
        m.extend_from_slice(body);
        self.tcp.sends(Direction::ServerToClient, &nbss(&m));
    }

    fn create(&mut self) {
        let id = self.next_id();
        let name: Vec<u8> = self
            .pipe
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let mut m = header(CMD_CREATE, id, 0, 0, None);
        m.u16(57).u8(0).u8(0).u32(2); // StructureSize, SecurityFlags, oplock, Impersonation
        m.u64(0).u64(0); // SmbCreateFlags, Reserved
        m.u32(0x0012_019F).u32(0).u32(7).u32(1).u32(0x0040_0040); // access, attrs, share, OPEN, options
        m.u16(64 + 56).u16(name.len() as u16).u32(0).u32(0);
        if name.is_empty() {
            m.u8(0);
        } else {
            m.bytes(&name);
        }
        self.request(m);
        let mut r = Vec::new();
        r.u16(89).u8(0).u8(0).u32(1); // StructureSize, oplock, flags, FILE_OPENED
        r.u64(0).u64(0).u64(0).u64(0); // times
        r.u64(4096).u64(0).u32(0x80).u32(0); // AllocationSize, EndofFile, attrs, Reserved2
        r.bytes(&self.file.to_bytes()).u32(0).u32(0);
        self.respond(CMD_CREATE, id, STATUS_SUCCESS, &r);
    }

    fn write_request(&self, id: u64, data: &[u8], flags: u32, file: FileId) -> Vec<u8> {
        let mut m = header(CMD_WRITE, id, 0, flags, None);
        m.u16(49).u16(64 + 48).u32(data.len() as u32).u64(0);
        m.bytes(&file.to_bytes()).u32(0).u32(0).u16(0).u16(0).u32(0);
        m.bytes(data);
        m
    }

    fn read_request(&self, id: u64, len: u32, flags: u32, file: FileId) -> Vec<u8> {
        let mut m = header(CMD_READ, id, 0, flags, None);
        m.u16(49).u8(0x50).u8(0).u32(len).u64(0);
        m.bytes(&file.to_bytes())
            .u32(0)
            .u32(0)
            .u32(0)
            .u16(0)
            .u16(0)
            .u8(0);
        m
    }

    fn read_response_body(data: &[u8], remaining: u32) -> Vec<u8> {
        let mut r = Vec::new();
        r.u16(17)
            .u8(64 + 16)
            .u8(0)
            .u32(data.len() as u32)
            .u32(remaining)
            .u32(0);
        r.bytes(data);
        r
    }

    fn write_response_body(len: usize) -> Vec<u8> {
        let mut r = Vec::new();
        r.u16(17).u16(0).u32(len as u32).u32(0).u16(0).u16(0);
        r
    }

    /// The client writes `data` to the pipe (SMB2 WRITE), and the server confirms.
    pub fn write(&mut self, data: &[u8]) -> &mut Self {
        let id = self.next_id();
        let m = self.write_request(id, data, 0, self.file);
        self.request(m);
        self.respond(
            CMD_WRITE,
            id,
            STATUS_SUCCESS,
            &Self::write_response_body(data.len()),
        );
        self
    }

    /// The client reads from the pipe (SMB2 READ) and the server returns `data`.
    pub fn read(&mut self, data: &[u8]) -> &mut Self {
        self.read_status(data, STATUS_SUCCESS, 0)
    }

    /// A READ whose data does not fit: the first READ response carries `data[..first]` with
    /// STATUS_BUFFER_OVERFLOW, a second READ brings the rest.
    pub fn read_overflow(&mut self, data: &[u8], first: usize) -> &mut Self {
        let first = first.min(data.len());
        let rest = (data.len() - first) as u32;
        self.read_status(&data[..first], STATUS_BUFFER_OVERFLOW, rest);
        self.read_status(&data[first..], STATUS_SUCCESS, 0)
    }

    fn read_status(&mut self, data: &[u8], status: u32, remaining: u32) -> &mut Self {
        let id = self.next_id();
        let m = self.read_request(id, (data.len() as u32).max(4280), 0, self.file);
        self.request(m);
        self.respond(
            CMD_READ,
            id,
            status,
            &Self::read_response_body(data, remaining),
        );
        self
    }

    /// One FSCTL_PIPE_TRANSCEIVE: `request` in, `response` out.
    pub fn transceive(&mut self, request: &[u8], response: &[u8]) -> &mut Self {
        self.transceive_status(request, response, STATUS_SUCCESS)
    }

    fn transceive_status(&mut self, request: &[u8], response: &[u8], status: u32) -> &mut Self {
        let id = self.next_id();
        let mut m = header(CMD_IOCTL, id, 0, 0, None);
        m.u16(57)
            .u16(0)
            .u32(FSCTL_PIPE_TRANSCEIVE)
            .bytes(&self.file.to_bytes());
        m.u32(64 + 56).u32(request.len() as u32).u32(0); // input offset, count, max input
        m.u32(64 + 56).u32(0).u32(4280).u32(1).u32(0); // output offset, count, max, IS_FSCTL
        m.bytes(request);
        self.request(m);
        let mut r = Vec::new();
        r.u16(49)
            .u16(0)
            .u32(FSCTL_PIPE_TRANSCEIVE)
            .bytes(&self.file.to_bytes());
        r.u32(64 + 48)
            .u32(0)
            .u32(64 + 48)
            .u32(response.len() as u32)
            .u32(0)
            .u32(0);
        r.bytes(response);
        self.respond(CMD_IOCTL, id, status, &r);
        self
    }

    /// A transceive whose response does not fit: the IOCTL response carries
    /// `response[..first]` with STATUS_BUFFER_OVERFLOW, and a READ brings the rest.
    pub fn transceive_overflow(
        &mut self,
        request: &[u8],
        response: &[u8],
        first: usize,
    ) -> &mut Self {
        let first = first.min(response.len());
        let rest = &response[first..];
        self.transceive_status(request, &response[..first], STATUS_BUFFER_OVERFLOW);
        self.read_status(rest, STATUS_SUCCESS, 0)
    }

    /// A WRITE of `request` and a READ returning `response`, compounded in one NetBIOS
    /// message each way ([MS-SMB2] 3.2.4.1.4); the READ is a related operation with the
    /// all-ones FileId.
    pub fn compound_write_read(&mut self, request: &[u8], response: &[u8]) -> &mut Self {
        let (wid, rid) = (self.next_id(), self.next_id());
        let mut w = self.write_request(wid, request, 0, self.file);
        while w.len() % 8 != 0 {
            w.push(0);
        }
        let next = w.len() as u32;
        w[20..24].copy_from_slice(&next.to_le_bytes());
        let r = self.read_request(
            rid,
            (response.len() as u32).max(4280),
            FLAG_RELATED,
            FileId::RELATED,
        );
        w.extend(r);
        self.tcp.sends(Direction::ClientToServer, &nbss(&w));

        let mut a = header(CMD_WRITE, wid, STATUS_SUCCESS, FLAG_RESPONSE, None);
        a.extend(Self::write_response_body(request.len()));
        while a.len() % 8 != 0 {
            a.push(0);
        }
        let next = a.len() as u32;
        a[20..24].copy_from_slice(&next.to_le_bytes());
        let mut b = header(
            CMD_READ,
            rid,
            STATUS_SUCCESS,
            FLAG_RESPONSE | FLAG_RELATED,
            None,
        );
        b.extend(Self::read_response_body(response, 0));
        a.extend(b);
        self.tcp.sends(Direction::ServerToClient, &nbss(&a));
        self
    }

    /// CLOSEs the pipe, then closes the TCP connection with FINs.
    pub fn close(mut self) {
        let id = self.next_id();
        let mut m = header(CMD_CLOSE, id, 0, 0, None);
        m.u16(24).u16(0).u32(0).bytes(&self.file.to_bytes());
        self.request(m);
        let mut r = Vec::new();
        r.u16(60)
            .u16(0)
            .u32(0)
            .u64(0)
            .u64(0)
            .u64(0)
            .u64(0)
            .u64(0)
            .u64(0)
            .u32(0);
        self.respond(CMD_CLOSE, id, STATUS_SUCCESS, &r);
        self.tcp.fin_close();
    }

    /// Stops writing without closing the pipe or the connection.
    pub fn abandon(self) {}
}
