//! Frames of a pcap or pcapng file, read as a stream from any [`std::io::Read`].
//!
//! [`Frames`] wraps the streaming readers of `pcap-parser`: the file is read through a buffer
//! of [`FrameLimits::initial_buffer`] bytes that grows only as far as the largest record
//! needs, and never beyond [`FrameLimits::max_record`]. Nothing else is kept, so memory is
//! bounded whatever the file size.
//!
//! Frames are numbered from 1, in file order, as Wireshark numbers them (every packet record
//! of a pcap file; every Enhanced or Simple Packet Block of a pcapng file, across sections).
//! An error names the frame the damaged record would have been and the byte offset in the
//! file where that record starts, and ends the iteration; the frames before it have been
//! delivered.

use std::fmt;
use std::io::{Cursor, Read};
use std::time::Duration;

use pcap_parser::traits::PcapReaderIterator;
use pcap_parser::{LegacyPcapReader, PcapBlockOwned, PcapError, PcapNGReader, pcapng::Block};

/// A link-layer header type (the LINKTYPE_* registry of tcpdump.org).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LinkType(pub u16);

impl LinkType {
    /// BSD loopback: a 4-byte address family in the host's byte order, then IP.
    pub const NULL: LinkType = LinkType(0);
    /// Ethernet II, with or without 802.1Q tags.
    pub const ETHERNET: LinkType = LinkType(1);
    /// Raw IPv4 or IPv6, told apart by the version nibble.
    pub const RAW: LinkType = LinkType(101);
    /// OpenBSD loopback: a 4-byte address family in network byte order, then IP.
    pub const LOOP: LinkType = LinkType(108);
    /// Linux cooked capture v1 (SLL), 16-byte header.
    pub const LINUX_SLL: LinkType = LinkType(113);
    /// Raw IPv4.
    pub const IPV4: LinkType = LinkType(228);
    /// Raw IPv6.
    pub const IPV6: LinkType = LinkType(229);
    /// Linux cooked capture v2 (SLL2), 20-byte header.
    pub const LINUX_SLL2: LinkType = LinkType(276);
}

impl fmt::Display for LinkType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match *self {
            LinkType::NULL => "NULL",
            LinkType::ETHERNET => "ETHERNET",
            LinkType::RAW => "RAW",
            LinkType::LOOP => "LOOP",
            LinkType::LINUX_SLL => "LINUX_SLL",
            LinkType::IPV4 => "IPV4",
            LinkType::IPV6 => "IPV6",
            LinkType::LINUX_SLL2 => "LINUX_SLL2",
            _ => return write!(f, "LINKTYPE {}", self.0),
        };
        f.write_str(name)
    }
}

/// The container format of a capture file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// The classic libpcap format (microsecond or nanosecond timestamps, either byte order).
    Pcap,
    /// pcapng (sections, interfaces, Enhanced and Simple Packet Blocks).
    PcapNg,
}

/// One captured packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The frame number, from 1, as Wireshark counts it.
    pub number: u64,
    /// The byte offset of the frame's record (pcap) or block (pcapng) in the file.
    pub offset: u64,
    /// When the packet was captured, since the Unix epoch (zero for a pcapng Simple Packet
    /// Block, which has no timestamp).
    pub timestamp: Duration,
    /// The link-layer header type of [`Frame::data`].
    pub link_type: LinkType,
    /// The pcapng interface id (0 for pcap).
    pub interface: u32,
    /// The packet's length on the wire; more than `data.len()` when the capture's snap length
    /// cut it.
    pub orig_len: u32,
    /// The captured bytes, from the link-layer header on.
    pub data: Vec<u8>,
}

/// What went wrong reading a capture file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameErrorKind {
    /// The input is neither pcap nor pcapng (the magic number at offset 0).
    NotACapture,
    /// The file ends inside a header, record or block.
    Truncated,
    /// A record or block is inconsistent (a bad length, a bad block trailer, ...).
    Damaged(String),
    /// A record or block is larger than [`FrameLimits::max_record`].
    TooLarge {
        /// The size the record needs (at least).
        needed: u64,
        /// The configured limit.
        limit: usize,
    },
    /// A pcapng packet names an interface no Interface Description Block declared.
    UnknownInterface(u32),
    /// The reader failed.
    Io(std::io::ErrorKind),
}

/// A failure reading a capture file: what, for which frame, and where in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameError {
    /// The frame the damaged record would have been (1-based; the frames before it were
    /// delivered).
    pub frame: u64,
    /// The byte offset in the file where the damaged header, record or block starts.
    pub offset: u64,
    /// What went wrong.
    pub kind: FrameErrorKind,
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "frame {} (file offset {}): ", self.frame, self.offset)?;
        match &self.kind {
            FrameErrorKind::NotACapture => f.write_str("not a pcap or pcapng file"),
            FrameErrorKind::Truncated => f.write_str("the file is truncated"),
            FrameErrorKind::Damaged(what) => write!(f, "damaged record: {what}"),
            FrameErrorKind::TooLarge { needed, limit } => {
                write!(
                    f,
                    "record needs {needed} bytes, more than the limit of {limit}"
                )
            }
            FrameErrorKind::UnknownInterface(id) => {
                write!(f, "packet on undeclared pcapng interface {id}")
            }
            FrameErrorKind::Io(kind) => write!(f, "read error: {kind}"),
        }
    }
}

impl std::error::Error for FrameError {}

/// Memory limits of a [`Frames`] reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameLimits {
    /// The initial size of the read buffer (default 64 KiB).
    pub initial_buffer: usize,
    /// The largest record or block accepted (default 16 MiB); the buffer never grows beyond
    /// about twice this.
    pub max_record: usize,
}

impl Default for FrameLimits {
    fn default() -> Self {
        FrameLimits {
            initial_buffer: 64 * 1024,
            max_record: 16 * 1024 * 1024,
        }
    }
}

/// How the timestamps of one pcapng interface are encoded.
#[derive(Debug, Clone, Copy)]
struct Interface {
    link_type: LinkType,
    /// Units per second.
    resolution: u64,
    /// Seconds added to every timestamp.
    offset: i64,
}

type Input<R> = std::io::Chain<Cursor<Vec<u8>>, R>;

enum Inner<R: Read> {
    Pcap {
        reader: LegacyPcapReader<Input<R>>,
        link_type: LinkType,
        nanos: bool,
    },
    Ng {
        reader: PcapNGReader<Input<R>>,
        interfaces: Vec<Interface>,
    },
}

/// A streaming iterator over the frames of a pcap or pcapng file.
///
/// ```
/// use mstrp::capture::frames::Frames;
/// use mstrp::capture::write::{CaptureWriter, Format};
///
/// let mut w = CaptureWriter::new(Format::PcapNg);
/// let mut c = w.tcp_conversation("10.0.0.1:50000".parse()?, "10.0.0.2:135".parse()?);
/// c.client_sends(b"hello");
/// c.close();
/// let file = w.finish();
///
/// let frames: Vec<_> = Frames::new(&file[..])?.collect::<Result<_, _>>()?;
/// assert_eq!(frames[0].number, 1);
/// assert_eq!(frames.len(), 8); // 3-way handshake, data, ACK, FIN, FIN, ACK
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Frames<R: Read> {
    inner: Inner<R>,
    format: Format,
    buffering: Buffering,
    /// The number of the last frame delivered.
    number: u64,
    done: bool,
}

impl<R: Read> fmt::Debug for Frames<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Frames")
            .field("format", &self.format)
            .field("number", &self.number)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

fn io_error(frame: u64, offset: u64, e: &std::io::Error) -> FrameError {
    let kind = if e.kind() == std::io::ErrorKind::UnexpectedEof {
        FrameErrorKind::Truncated
    } else {
        FrameErrorKind::Io(e.kind())
    };
    FrameError {
        frame,
        offset,
        kind,
    }
}

/// Reads up to `buf.len()` bytes, stopping early only at the end of the input.
fn read_full<R: Read>(reader: &mut R, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match reader.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

impl<R: Read> Frames<R> {
    /// Opens a capture with the default [`FrameLimits`], telling pcap from pcapng by the
    /// magic number.
    pub fn new(reader: R) -> Result<Self, FrameError> {
        Self::with_limits(reader, FrameLimits::default())
    }

    /// Opens a capture with the given memory limits.
    pub fn with_limits(mut reader: R, limits: FrameLimits) -> Result<Self, FrameError> {
        let limits = FrameLimits {
            initial_buffer: limits.initial_buffer.max(256),
            max_record: limits.max_record.max(64),
        };
        let err = |kind| FrameError {
            frame: 1,
            offset: 0,
            kind,
        };
        // The file header (pcap) or the first Section Header Block (pcapng) is read whole
        // here, so that the parser's first, single read sees all of it.
        let mut head = vec![0u8; 24];
        let n = read_full(&mut reader, &mut head[..8]).map_err(|e| io_error(1, 0, &e))?;
        if n < 4 {
            return Err(err(if n == 0 {
                FrameErrorKind::NotACapture
            } else {
                FrameErrorKind::Truncated
            }));
        }
        let magic = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
        let format = match magic {
            0x0A0D_0D0A => Format::PcapNg,
            0xA1B2_C3D4 | 0xD4C3_B2A1 | 0xA1B2_3C4D | 0x4D3C_B2A1 | 0xA1B2_CD34 | 0x34CD_B2A1 => {
                Format::Pcap
            }
            _ => return Err(err(FrameErrorKind::NotACapture)),
        };
        let head_len = match format {
            Format::Pcap => 24,
            Format::PcapNg => {
                if n < 8 {
                    return Err(err(FrameErrorKind::Truncated));
                }
                // The SHB's length is in the byte order its byte-order magic (offset 8) gives.
                let mut bom = [0u8; 4];
                let m = read_full(&mut reader, &mut bom).map_err(|e| io_error(1, 0, &e))?;
                if m < 4 {
                    return Err(err(FrameErrorKind::Truncated));
                }
                head[8..12].copy_from_slice(&bom);
                let raw = [head[4], head[5], head[6], head[7]];
                let len = match u32::from_le_bytes(bom) {
                    0x1A2B_3C4D => u32::from_le_bytes(raw),
                    0x4D3C_2B1A => u32::from_be_bytes(raw),
                    _ => {
                        return Err(err(FrameErrorKind::Damaged(
                            "bad pcapng byte-order magic".into(),
                        )));
                    }
                } as usize;
                if len < 28 || len % 4 != 0 {
                    return Err(err(FrameErrorKind::Damaged(format!(
                        "bad section header block length {len}"
                    ))));
                }
                if len > limits.max_record {
                    return Err(err(FrameErrorKind::TooLarge {
                        needed: len as u64,
                        limit: limits.max_record,
                    }));
                }
                len
            }
        };
        let have = if format == Format::PcapNg { 12 } else { n };
        head.resize(head_len.max(have), 0);
        let m =
            read_full(&mut reader, &mut head[have..head_len]).map_err(|e| io_error(1, 0, &e))?;
        if have + m < head_len {
            return Err(err(FrameErrorKind::Truncated));
        }
        head.truncate(head_len);
        let input = Cursor::new(head).chain(reader);
        let capacity = limits.initial_buffer.max(head_len + 1);
        let damaged = |e: PcapError<&'static [u8]>| err(FrameErrorKind::Damaged(e.to_string()));
        let inner = match format {
            Format::Pcap => {
                let mut reader = LegacyPcapReader::new(capacity, input).map_err(damaged)?;
                // The first block is the file header.
                let (link_type, nanos, size) = match reader.next() {
                    Ok((size, PcapBlockOwned::LegacyHeader(h))) => (
                        LinkType((h.network.0 as u32 & 0xFFFF) as u16),
                        h.is_nanosecond_precision(),
                        size,
                    ),
                    _ => return Err(err(FrameErrorKind::Damaged("bad pcap header".into()))),
                };
                reader.consume(size);
                Inner::Pcap {
                    reader,
                    link_type,
                    nanos,
                }
            }
            Format::PcapNg => Inner::Ng {
                reader: PcapNGReader::new(capacity, input).map_err(damaged)?,
                interfaces: Vec::new(),
            },
        };
        Ok(Frames {
            inner,
            format,
            buffering: Buffering {
                capacity,
                limits,
                format,
            },
            number: 0,
            done: false,
        })
    }

    /// The container format of the file.
    pub fn format(&self) -> Format {
        self.format
    }

    /// The number of frames delivered so far.
    pub fn frames_read(&self) -> u64 {
        self.number
    }

    /// Reads the next frame; `Ok(None)` at the end of the file.
    fn read_next(&mut self) -> Result<Option<Frame>, FrameError> {
        let next_frame = self.number + 1;
        match &mut self.inner {
            Inner::Pcap {
                reader,
                link_type,
                nanos,
            } => {
                let (link_type, nanos) = (*link_type, *nanos);
                let got = pull(
                    reader,
                    next_frame,
                    &mut self.buffering,
                    |offset, block| match block {
                        PcapBlockOwned::Legacy(b) => {
                            let frac = if nanos {
                                b.ts_usec.min(999_999_999)
                            } else {
                                b.ts_usec.min(999_999) * 1000
                            };
                            Ok(Some(Frame {
                                number: next_frame,
                                offset,
                                timestamp: Duration::new(u64::from(b.ts_sec), frac),
                                link_type,
                                interface: 0,
                                orig_len: b.origlen,
                                data: b.data.to_vec(),
                            }))
                        }
                        _ => Ok(None),
                    },
                )?;
                Ok(got)
            }
            Inner::Ng { reader, interfaces } => {
                pull(reader, next_frame, &mut self.buffering, |offset, block| {
                    let PcapBlockOwned::NG(block) = block else {
                        return Ok(None);
                    };
                    let bad = |kind| FrameError {
                        frame: next_frame,
                        offset,
                        kind,
                    };
                    match block {
                        Block::SectionHeader(_) => {
                            interfaces.clear();
                            Ok(None)
                        }
                        Block::InterfaceDescription(idb) => {
                            interfaces.push(Interface {
                                link_type: LinkType((idb.linktype.0 as u32 & 0xFFFF) as u16),
                                resolution: idb.ts_resolution().unwrap_or(1_000_000).max(1),
                                offset: idb.ts_offset(),
                            });
                            Ok(None)
                        }
                        Block::EnhancedPacket(epb) => {
                            let iface = interfaces
                                .get(epb.if_id as usize)
                                .ok_or_else(|| bad(FrameErrorKind::UnknownInterface(epb.if_id)))?;
                            let raw = (u64::from(epb.ts_high) << 32) | u64::from(epb.ts_low);
                            let data = epb.data.get(..epb.caplen as usize).unwrap_or(epb.data);
                            Ok(Some(Frame {
                                number: next_frame,
                                offset,
                                timestamp: ng_time(raw, iface),
                                link_type: iface.link_type,
                                interface: epb.if_id,
                                orig_len: epb.origlen,
                                data: data.to_vec(),
                            }))
                        }
                        Block::SimplePacket(spb) => {
                            let iface = interfaces
                                .first()
                                .ok_or_else(|| bad(FrameErrorKind::UnknownInterface(0)))?;
                            let len = (spb.origlen as usize).min(spb.data.len());
                            Ok(Some(Frame {
                                number: next_frame,
                                offset,
                                timestamp: Duration::ZERO,
                                link_type: iface.link_type,
                                interface: 0,
                                orig_len: spb.origlen,
                                data: spb.data[..len].to_vec(),
                            }))
                        }
                        _ => Ok(None),
                    }
                })
            }
        }
    }
}

/// Converts a pcapng timestamp in interface units to a time since the epoch.
fn ng_time(raw: u64, iface: &Interface) -> Duration {
    let secs = raw / iface.resolution;
    let frac = raw % iface.resolution;
    let nanos = (u128::from(frac) * 1_000_000_000 / u128::from(iface.resolution)) as u32;
    let secs = secs.saturating_add_signed(iface.offset);
    Duration::new(secs, nanos)
}

/// The state [`pull`] keeps between calls: the buffer size and the limits.
#[derive(Debug, Clone, Copy)]
struct Buffering {
    capacity: usize,
    limits: FrameLimits,
    format: Format,
}

/// Reads blocks until `on_block` makes a frame of one, the file ends (`Ok(None)`) or an error.
fn pull(
    reader: &mut dyn PcapReaderIterator,
    frame: u64,
    buf: &mut Buffering,
    mut on_block: impl FnMut(u64, PcapBlockOwned<'_>) -> Result<Option<Frame>, FrameError>,
) -> Result<Option<Frame>, FrameError> {
    loop {
        let offset = reader.consumed() as u64;
        let err = |kind| FrameError {
            frame,
            offset,
            kind,
        };
        let io = |_: PcapError<&[u8]>| err(FrameErrorKind::Io(std::io::ErrorKind::Other));
        match reader.next() {
            Ok((size, block)) => {
                let got = on_block(offset, block);
                reader.consume(size);
                match got? {
                    Some(f) => return Ok(Some(f)),
                    None => continue,
                }
            }
            Err(PcapError::Eof) => return Ok(None),
            Err(PcapError::UnexpectedEof) => return Err(err(FrameErrorKind::Truncated)),
            Err(PcapError::Incomplete(_)) => {
                let before = reader.data().len();
                reader.refill().map_err(io)?;
                if reader.data().len() == before {
                    if reader.reader_exhausted() {
                        if before == 0 {
                            return Ok(None);
                        }
                        return Err(err(FrameErrorKind::Truncated));
                    }
                    // A full buffer that still does not hold the block.
                    grow(reader, buf, frame, offset)?;
                }
            }
            Err(PcapError::BufferTooSmall) => {
                grow(reader, buf, frame, offset)?;
                reader.refill().map_err(io)?;
            }
            Err(PcapError::ReadError) => {
                return Err(err(FrameErrorKind::Io(std::io::ErrorKind::Other)));
            }
            Err(e) => return Err(err(FrameErrorKind::Damaged(e.to_string()))),
        }
    }
}

/// The size of the record or block at the start of `data`, when its header is there: a pcap
/// record's caplen plus 16 (24 for the "modified" format, a lower bound), a pcapng block's
/// length in either byte order (the smaller, a lower bound).
fn block_len(data: &[u8], format: Format) -> Option<u64> {
    let w = |o: usize| data.get(o..o + 4).map(|b| [b[0], b[1], b[2], b[3]]);
    match format {
        Format::Pcap => {
            w(8).map(|b| u64::from(u32::from_le_bytes(b).min(u32::from_be_bytes(b))) + 16)
        }
        Format::PcapNg => w(4).map(|b| u64::from(u32::from_le_bytes(b).min(u32::from_be_bytes(b)))),
    }
}

/// Doubles the read buffer (at least to the size of the pending block), or fails when the
/// block is larger than the limit.
fn grow(
    reader: &mut dyn PcapReaderIterator,
    buf: &mut Buffering,
    frame: u64,
    offset: u64,
) -> Result<(), FrameError> {
    let limit = buf.limits.max_record;
    let needed = block_len(reader.data(), buf.format).unwrap_or(buf.capacity as u64 + 1);
    // The parser wants one spare byte beyond the block.
    let cap = limit + 1;
    if needed > limit as u64 || buf.capacity >= cap {
        return Err(FrameError {
            frame,
            offset,
            kind: FrameErrorKind::TooLarge {
                needed: needed.max(buf.capacity as u64),
                limit,
            },
        });
    }
    let size = (buf.capacity * 2).max(needed as usize + 1).min(cap);
    reader.grow(size);
    buf.capacity = size;
    Ok(())
}

impl<R: Read> Iterator for Frames<R> {
    type Item = Result<Frame, FrameError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.read_next() {
            Ok(Some(frame)) => {
                self.number = frame.number;
                Some(Ok(frame))
            }
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}
