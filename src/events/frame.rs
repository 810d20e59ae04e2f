//! Event buffers: the ASYNCEVENTMSG fixed part (2.2.5.1) and the framing rules of 3.3.4.2.

use core::fmt;

use zerocopy::byteorder::little_endian::U32;
use zerocopy::{FromBytes, Immutable, IntoBytes, KnownLayout, Unaligned};

use crate::errors::{DecodeError, DecodeErrorKind};
use crate::vardata::VarData;

/// Size in bytes of the fixed part of ASYNCEVENTMSG (2.2.5.1): ten DWORDs.
pub const EVENT_FIXED_LEN: usize = 40;

/// ASYNCEVENTMSG (2.2.5.1): the fixed part every event and completion starts with.
#[derive(
    FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned, Debug, Clone, Copy, PartialEq, Eq,
)]
#[repr(C)]
pub struct AsyncEventMsg {
    /// `TotalSize`: the size in bytes of the packet and any trailing variable-length data.
    pub total_size: U32,
    /// `InitContext`.
    pub init_context: U32,
    /// `PostProcessProcContext` (`fnPostProcessProcHandle` or `lpContext` in the packets).
    pub post_process_proc_context: U32,
    /// `hDevice`.
    pub h_device: U32,
    /// `Msg`: the packet type.
    pub msg: U32,
    /// `OpenContext`.
    pub open_context: U32,
    /// `Param1`.
    pub param1: U32,
    /// `Param2`.
    pub param2: U32,
    /// `Param3`.
    pub param3: U32,
    /// `Param4`.
    pub param4: U32,
}

const _: () = assert!(core::mem::size_of::<AsyncEventMsg>() == EVENT_FIXED_LEN);

/// The name used for errors about the buffer as a whole (3.3.4.2's `pBuffer`/`lSize`).
const BUFFER: &str = "RemoteSPEventProc";
/// The name used for errors about one event's framing.
const TEMPLATE: &str = "ASYNCEVENTMSG";

/// One event of a buffer: exactly `TotalSize` bytes, whose fixed part is known to be present.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct RawEvent<'a> {
    /// Position of the event in its buffer (0 for the first).
    pub index: usize,
    /// Byte offset of the event in its buffer.
    pub offset: usize,
    bytes: &'a [u8],
    header: &'a AsyncEventMsg,
}

impl<'a> RawEvent<'a> {
    /// Views `bytes` as exactly one event: the buffer rules of 3.3.4.2 apply, and `TotalSize`
    /// must cover the whole slice.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, EventError> {
        let mut events = EventBuffer::new(bytes).iter();
        let first = events.next().unwrap_or_else(|| {
            Err(EventError::buffer(
                0,
                0,
                DecodeErrorKind::BufferSize { len: 0 },
            ))
        })?;
        match events.next() {
            None => Ok(first),
            Some(Err(e)) => Err(e),
            Some(Ok(second)) => Err(EventError {
                index: 1,
                offset: second.offset,
                error: DecodeError::new(
                    BUFFER,
                    "pBuffer",
                    second.offset,
                    DecodeErrorKind::TrailingData {
                        len: bytes.len() - second.offset,
                    },
                ),
            }),
        }
    }

    /// The event's bytes (`TotalSize` of them).
    pub const fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The ASYNCEVENTMSG fixed part.
    pub const fn header(&self) -> &'a AsyncEventMsg {
        self.header
    }

    /// `TotalSize`.
    pub fn total_size(&self) -> u32 {
        self.header.total_size.get()
    }

    /// `Msg`.
    pub fn msg(&self) -> u32 {
        self.header.msg.get()
    }

    /// `InitContext`.
    pub fn init_context(&self) -> u32 {
        self.header.init_context.get()
    }

    /// The bytes after the 40-byte template fixed part (a packet with a longer fixed part,
    /// such as LINE_GATHERDIGITS or a special-case completion, starts its own VarData later).
    pub fn var_data(&self) -> VarData<'a> {
        VarData::new(self.bytes.get(EVENT_FIXED_LEN..).unwrap_or_default())
    }

    /// The DWORD at `index` (0 = `TotalSize`), if the event is long enough.
    #[inline]
    pub fn dword(&self, index: usize) -> Option<u32> {
        let start = index.checked_mul(4)?;
        let b = self.bytes.get(start..start.checked_add(4)?)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// The event with index and offset reset to those of a stand-alone event.
    pub const fn detached(self) -> Self {
        RawEvent {
            index: 0,
            offset: 0,
            ..self
        }
    }
}

impl fmt::Debug for RawEvent<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawEvent")
            .field("index", &self.index)
            .field("offset", &self.offset)
            .field("total_size", &self.total_size())
            .field("msg", &format_args!("{:#x}", self.msg()))
            .finish()
    }
}

/// A malformed event buffer or event: which event (index and byte offset in the buffer) and
/// what. Events before `index` were well formed and were returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("event {index} at byte {offset}: {error}")]
#[non_exhaustive]
pub struct EventError {
    /// Index of the bad event (the number of well-formed events before it).
    pub index: usize,
    /// Byte offset of the bad event in the buffer.
    pub offset: usize,
    /// What is wrong. Its `offset` is relative to the event, except for errors about the
    /// buffer as a whole (`packet` = `RemoteSPEventProc`), whose `offset` is in the buffer.
    pub error: DecodeError,
}

impl EventError {
    fn buffer(index: usize, offset: usize, kind: DecodeErrorKind) -> Self {
        EventError {
            index,
            offset,
            error: DecodeError::new(BUFFER, "lSize", offset, kind),
        }
    }

    fn total_size(index: usize, offset: usize, kind: DecodeErrorKind) -> Self {
        EventError {
            index,
            offset,
            error: DecodeError::new(TEMPLATE, "TotalSize", 0, kind),
        }
    }

    /// Attaches a position to an error found while decoding the event at `raw`.
    pub fn at(raw: &RawEvent<'_>, error: DecodeError) -> Self {
        EventError {
            index: raw.index,
            offset: raw.offset,
            error,
        }
    }
}

/// An event buffer: the `pBuffer` of RemoteSPEventProc (3.3.4.2, "push") or the events in the
/// VarData of a GetAsyncEvents reply (2.2.4.1.8.1, "pull").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventBuffer<'a> {
    bytes: &'a [u8],
    allow_empty: bool,
}

impl<'a> EventBuffer<'a> {
    /// A pushed buffer (3.3.4.2): it must hold at least one event.
    pub const fn new(bytes: &'a [u8]) -> Self {
        EventBuffer {
            bytes,
            allow_empty: false,
        }
    }

    /// A pushed buffer with the `lSize` RemoteSPEventProc received (`pBuffer` is
    /// `length_is(lSize)`: its first `lSize` bytes). Fails if `lSize` is negative or larger than
    /// the bytes present.
    pub fn with_l_size(bytes: &'a [u8], l_size: i32) -> Result<Self, EventError> {
        match usize::try_from(l_size) {
            Ok(n) if n <= bytes.len() => Ok(EventBuffer::new(&bytes[..n])),
            Ok(n) => Err(EventError::buffer(
                0,
                0,
                DecodeErrorKind::Truncated {
                    needed: n,
                    actual: bytes.len(),
                },
            )),
            _ => Err(EventError::buffer(
                0,
                0,
                DecodeErrorKind::BufferSize {
                    len: i64::from(l_size),
                },
            )),
        }
    }

    /// Pulled events (2.2.4.1.8.1): the first `used` bytes of a GetAsyncEvents reply's
    /// VarData, where `used` is its `dwUsedBufferSize`. Zero events is not an error here.
    pub fn pulled(var_data: &'a [u8], used: u32) -> Result<Self, EventError> {
        let bytes = usize::try_from(used)
            .ok()
            .and_then(|n| var_data.get(..n))
            .ok_or(EventError {
                index: 0,
                offset: 0,
                error: DecodeError::new(
                    "GetAsyncEvents",
                    "dwUsedBufferSize",
                    16,
                    DecodeErrorKind::SizeOutOfBounds {
                        value: 0,
                        size: used,
                        len: var_data.len(),
                    },
                ),
            })?;
        Ok(EventBuffer {
            bytes,
            allow_empty: true,
        })
    }

    /// The events of a GetAsyncEvents reply (2.2.4.1.8.1: the whole TAPI32_MSG buffer as the
    /// server returned it): `dwUsedBufferSize` bytes of its VarData. The caller checks
    /// `Ack_ReturnValue` (0 on success) first.
    pub fn from_get_async_events_reply(reply: &'a [u8]) -> Result<Self, EventError> {
        let (msg, var) = crate::header::Tapi32Msg::split(reply).map_err(|error| EventError {
            index: 0,
            offset: 0,
            error,
        })?;
        EventBuffer::pulled(var.as_bytes(), msg.params[2].get())
    }

    /// The bytes.
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The events in order, then at most one error (after which iteration ends).
    pub fn iter(&self) -> Events<'a> {
        Events {
            bytes: self.bytes,
            pos: 0,
            index: 0,
            done: false,
            allow_empty: self.allow_empty,
        }
    }

    /// Every well-formed event, and the error that stopped iteration, if any.
    pub fn split(&self) -> (alloc::vec::Vec<RawEvent<'a>>, Option<EventError>) {
        let mut out = alloc::vec::Vec::new();
        for e in self.iter() {
            match e {
                Ok(e) => out.push(e),
                Err(e) => return (out, Some(e)),
            }
        }
        (out, None)
    }
}

impl<'a> IntoIterator for EventBuffer<'a> {
    type Item = Result<RawEvent<'a>, EventError>;
    type IntoIter = Events<'a>;
    fn into_iter(self) -> Events<'a> {
        self.iter()
    }
}

/// Iterator over an [`EventBuffer`]: yields each well-formed event, then the first framing
/// error (with its index and offset), then ends.
///
/// The rules, from 3.3.4.2:
/// * the buffer is at least one fixed part (40 bytes) and DWORD-aligned;
/// * every `TotalSize` is at least 40, DWORD-aligned and does not overflow the buffer;
/// * the buffer holds nothing but whole events.
#[derive(Debug, Clone)]
pub struct Events<'a> {
    bytes: &'a [u8],
    pos: usize,
    index: usize,
    done: bool,
    allow_empty: bool,
}

impl<'a> Events<'a> {
    fn step(&mut self) -> Option<Result<RawEvent<'a>, EventError>> {
        let len = self.bytes.len();
        if self.pos == 0 && len < EVENT_FIXED_LEN && !(self.allow_empty && len == 0) {
            let len = i64::try_from(len).unwrap_or(i64::MAX);
            return Some(Err(EventError::buffer(
                0,
                0,
                DecodeErrorKind::BufferSize { len },
            )));
        }
        let rest = self.bytes.get(self.pos..)?;
        if rest.is_empty() {
            return None;
        }
        let (index, offset) = (self.index, self.pos);
        let Ok((header, _)) = AsyncEventMsg::ref_from_prefix(rest) else {
            let kind = if len % 4 != 0 {
                DecodeErrorKind::BufferSize {
                    len: i64::try_from(len).unwrap_or(i64::MAX),
                }
            } else {
                DecodeErrorKind::TrailingData { len: rest.len() }
            };
            let mut e = EventError::buffer(index, offset, kind);
            e.error.field = "pBuffer";
            return Some(Err(e));
        };
        let total = header.total_size.get();
        if (total as usize) < EVENT_FIXED_LEN {
            return Some(Err(EventError::total_size(
                index,
                offset,
                DecodeErrorKind::TotalSizeTooSmall {
                    total,
                    min: EVENT_FIXED_LEN,
                },
            )));
        }
        if total % 4 != 0 {
            return Some(Err(EventError::total_size(
                index,
                offset,
                DecodeErrorKind::TotalSizeMisaligned { total },
            )));
        }
        let Some(bytes) = usize::try_from(total).ok().and_then(|n| rest.get(..n)) else {
            return Some(Err(EventError::total_size(
                index,
                offset,
                DecodeErrorKind::TotalSizeOverflow {
                    total,
                    available: rest.len(),
                },
            )));
        };
        self.pos += bytes.len();
        self.index += 1;
        Some(Ok(RawEvent {
            index,
            offset,
            bytes,
            header,
        }))
    }
}

impl<'a> Iterator for Events<'a> {
    type Item = Result<RawEvent<'a>, EventError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let item = self.step();
        if !matches!(item, Some(Ok(_))) {
            self.done = true;
        }
        item
    }
}

impl core::iter::FusedIterator for Events<'_> {}
