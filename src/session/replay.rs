//! Sequence files and their replay against a [`ServerSession`] (issue 12, "stateful
//! sequences"; `trp replay`).
//!
//! A **sequence file** is a series of records, each a `u32` little-endian length followed by
//! that many bytes of one ClientRequest buffer (a TAPI32_MSG, [MS-TRP] 2.2.4.1):
//!
//! ```text
//! [len0: u32 LE][len0 bytes][len1: u32 LE][len1 bytes]...
//! ```
//!
//! [`records`] reads such a file record by record without copying; a record whose length runs
//! past the end of the file, or whose length exceeds [`MAX_RECORD_LEN`], is a [`RecordError`]
//! naming the record's index and byte offset (the records before it are still returned).
//!
//! [`Replayer`] runs records against an in-process [`ServerSession`], attached first as a
//! remote client in the pull model (3.1.4.1: `lProcessID` −1 and a mailslot name, so events are
//! fetched with GetAsyncEvents, Req_Func 0), and reports for every request its reply and the
//! events it produced.
//!
//! ```
//! use mstrp::session::replay::{records, Replayer};
//! use mstrp::session::ServerConfig;
//!
//! // One record: Initialize (Req_Func 47) without its strings, 60 bytes.
//! let mut msg = vec![0u8; 60];
//! msg[..4].copy_from_slice(&47u32.to_le_bytes());
//! let mut file = (msg.len() as u32).to_le_bytes().to_vec();
//! file.extend_from_slice(&msg);
//!
//! let mut replayer = Replayer::new(ServerConfig::default());
//! for record in records(&file) {
//!     let step = replayer.step(&record.unwrap());
//!     assert_eq!(step.req_func, Some(47));
//!     assert_eq!(step.name(), "Initialize");
//! }
//! ```

use alloc::vec::Vec;

use super::config::ServerConfig;
use super::server::{Attached, PROCESS_ID_REMOTE, ServerSession};
use crate::header::HEADER_LEN;
use crate::replies::Reply;
use crate::requests::FuncId;
use crate::requests::known_as::known_as;

/// The largest record a sequence file may hold: 1 MiB. [MS-TRP] bounds no ClientRequest
/// buffer (`lNeededSize` is a `long`, 3.1.4.2); this bound keeps a damaged or hostile length
/// from making a reader allocate or wait for gigabytes. Real requests are a few hundred bytes.
pub const MAX_RECORD_LEN: u32 = 1 << 20;

/// The size of a record's length prefix.
pub const RECORD_HEADER_LEN: usize = 4;

/// How far past the current record [`Records`] asks for the file's next bytes (a prefetch,
/// see `read_ahead`), so that the memory reads of the records to come are under way before the
/// walk reaches them (a hint: it changes no result).
const READ_AHEAD: usize = 4096;

/// One record of a sequence file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record<'a> {
    /// Its index in the file, from 0.
    pub index: usize,
    /// The byte offset of its length prefix in the file.
    pub offset: usize,
    /// The ClientRequest buffer (the record's bytes after the prefix).
    pub bytes: &'a [u8],
}

/// What is wrong with a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordFault {
    /// Fewer than four bytes remain for the length prefix.
    TruncatedLength {
        /// The bytes left in the file.
        available: usize,
    },
    /// The length prefix promises more bytes than the file holds.
    TruncatedBody {
        /// The length prefix.
        len: u32,
        /// The bytes left after the prefix.
        available: usize,
    },
    /// The length prefix exceeds [`MAX_RECORD_LEN`].
    TooLong {
        /// The length prefix.
        len: u32,
    },
}

/// A record that cannot be read: which one, where, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("record {index} at byte offset {offset}: {}", describe(.fault))]
pub struct RecordError {
    /// The index of the record at fault.
    pub index: usize,
    /// The byte offset of its length prefix.
    pub offset: usize,
    /// What is wrong.
    pub fault: RecordFault,
}

fn describe(fault: &RecordFault) -> alloc::string::String {
    match *fault {
        RecordFault::TruncatedLength { available } => {
            alloc::format!("truncated length prefix ({available} of {RECORD_HEADER_LEN} bytes)")
        }
        RecordFault::TruncatedBody { len, available } => {
            alloc::format!("truncated record: length {len}, only {available} bytes follow")
        }
        RecordFault::TooLong { len } => {
            alloc::format!("length {len} exceeds the bound of {MAX_RECORD_LEN} bytes")
        }
    }
}

/// The records of a sequence file, in order; see [`records`].
#[derive(Debug, Clone)]
pub struct Records<'a> {
    /// The bytes from the next record's length prefix to the end of the file; empty once the
    /// walk has ended, at the end of the file or after a bad record.
    rest: &'a [u8],
    /// The file's length, so that a record's offset is `len - rest.len()`.
    len: usize,
    /// The next record's index.
    index: usize,
}

/// Reads the sequence file `bytes` record by record. The iterator yields every record up to
/// the first bad one, then that record's [`RecordError`], then ends.
pub fn records(bytes: &[u8]) -> Records<'_> {
    Records {
        rest: bytes,
        len: bytes.len(),
        index: 0,
    }
}

/// Starts reading the cache line that holds `byte` into the caches, without waiting for it.
///
/// On x86 with SSE (every x86-64) this is a prefetch instruction (`prefetcht0`, through
/// `safe_arch`, which wraps the intrinsic in a safe function taking a reference): it retires at
/// once, so a decoder's instructions behind it do not wait for the line and many such reads
/// can be in flight at a time. Elsewhere it is a load whose value nothing uses, which starts
/// the miss as well but holds the reorder window until the line arrives.
#[inline(always)]
fn read_ahead(byte: &u8) {
    #[cfg(all(
        any(target_arch = "x86", target_arch = "x86_64"),
        target_feature = "sse"
    ))]
    safe_arch::prefetch_t0(byte);
    #[cfg(not(all(
        any(target_arch = "x86", target_arch = "x86_64"),
        target_feature = "sse"
    )))]
    core::hint::black_box(*byte);
}

/// What is wrong with `rest`, the bytes from a record's length prefix to the end of the file,
/// when they are not a whole record (the cold path of [`Records::next`]; taking no `&mut` to
/// the iterator lets its state stay in registers over a walk).
#[cold]
#[inline(never)]
fn fault(rest: &[u8]) -> RecordFault {
    match rest.split_first_chunk::<RECORD_HEADER_LEN>() {
        None => RecordFault::TruncatedLength {
            available: rest.len(),
        },
        Some((prefix, body)) => {
            let len = u32::from_le_bytes(*prefix);
            if len > MAX_RECORD_LEN {
                RecordFault::TooLong { len }
            } else {
                RecordFault::TruncatedBody {
                    len,
                    available: body.len(),
                }
            }
        }
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<Record<'a>, RecordError>;

    /// Inlined into the caller's loop: a walk over millions of small records would otherwise
    /// pay a call and a return through memory for each.
    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.rest;
        if rest.is_empty() {
            return None;
        }
        // Read ahead: the next record's address is this one's plus the length read below, a
        // chain of dependent loads that keeps one cache miss in flight at a time. Asking for
        // the line `READ_AHEAD` bytes on starts the misses of the records to come while this
        // one is read (`examples/stream_walk.rs` measures the difference).
        if let Some(ahead) = rest.get(READ_AHEAD) {
            read_ahead(ahead);
        }
        // The offset is worked out only where it is used: a caller that reads only the bytes
        // pays nothing for it.
        let offset = self.len - rest.len();
        if let Some((prefix, body)) = rest.split_first_chunk::<RECORD_HEADER_LEN>() {
            let len = u32::from_le_bytes(*prefix);
            // len <= 1 MiB, so the conversion cannot truncate.
            if let (true, Some((msg, after))) =
                (len <= MAX_RECORD_LEN, body.split_at_checked(len as usize))
            {
                let record = Record {
                    index: self.index,
                    offset,
                    bytes: msg,
                };
                self.rest = after;
                self.index += 1;
                return Some(Ok(record));
            }
        }
        // The walk ends at its first bad record.
        self.rest = &[];
        Some(Err(RecordError {
            index: self.index,
            offset,
            fault: fault(rest),
        }))
    }
}

/// `lNeededSize` given with a record when no capacity is chosen: the record's length, but at
/// least 4096 bytes, room for the outputs of the usual requests.
pub const DEFAULT_CAPACITY: u32 = 4096;

/// The outcome of one request of a sequence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The record's index.
    pub index: usize,
    /// The record's byte offset in the file.
    pub offset: usize,
    /// The request's `Req_Func` (`None` when the record is shorter than four bytes).
    pub req_func: Option<u32>,
    /// The reply buffer the session returned.
    pub reply: Vec<u8>,
    /// The events this request produced (queued by it), as ASYNCEVENTMSGs back to back.
    pub events: Vec<u8>,
    /// The bytes of events still queued after the request (waiting for GetAsyncEvents).
    pub queued_event_bytes: usize,
}

impl Step {
    /// The documented function, if `Req_Func` is one.
    pub fn func(&self) -> Option<FuncId> {
        self.req_func.and_then(FuncId::from_u32)
    }

    /// The function's name: the spec's ("Initialize"), for an undocumented `Req_Func` the
    /// name public research gives it ([`known_as`]), else `"Unknown"`.
    pub fn name(&self) -> &'static str {
        match (self.func(), self.req_func.and_then(known_as)) {
            (Some(f), _) => f.desc().name,
            (None, Some(k)) => k.name,
            (None, None) => "Unknown",
        }
    }

    /// `Ack_ReturnValue`, the first DWORD of the reply (`None` when the reply is shorter).
    pub fn return_value(&self) -> Option<u32> {
        let d = self.reply.first_chunk::<4>()?;
        Some(u32::from_le_bytes(*d))
    }
}

/// Runs the records of a sequence against one [`ServerSession`] (see the module
/// documentation).
#[derive(Debug, Clone)]
pub struct Replayer {
    session: ServerSession,
    attached: Attached,
    capacity: Option<u32>,
}

impl Replayer {
    /// A session over `config`, attached as a remote client (`lProcessID` −1) in the pull
    /// model (pszDomainUser names a mailslot, 3.1.4.1).
    pub fn new(config: ServerConfig) -> Replayer {
        let mut session = ServerSession::new(config);
        let attached = session.attach(PROCESS_ID_REMOTE, "mstrp-replay", "");
        Replayer {
            session,
            attached,
            capacity: None,
        }
    }

    /// Gives every request `capacity` as `lNeededSize` instead of the default (the record's
    /// length, at least [`DEFAULT_CAPACITY`]).
    pub fn with_capacity(mut self, capacity: u32) -> Replayer {
        self.capacity = Some(capacity);
        self
    }

    /// ClientAttach's outcome.
    pub fn attached(&self) -> &Attached {
        &self.attached
    }

    /// The session, to inspect its state between steps.
    pub fn session(&self) -> &ServerSession {
        &self.session
    }

    /// Sends `record` as one ClientRequest and reports the reply and the events it produced.
    pub fn step(&mut self, record: &Record<'_>) -> Step {
        let bytes = record.bytes;
        let capacity = self.capacity.unwrap_or_else(|| {
            u32::try_from(bytes.len())
                .unwrap_or(u32::MAX)
                .max(DEFAULT_CAPACITY)
        });
        let before = self.session.queued_event_bytes();
        let reply = self.session.request(bytes, capacity);
        // Events leave the queue only from its front, through GetAsyncEvents, whose reply
        // says how many bytes it took (dwUsedBufferSize); new events join at the back.
        let drained = drained_by(&reply, bytes);
        let mut skip = before.saturating_sub(drained);
        let mut events = Vec::new();
        for e in self.session.queued_events() {
            if skip > 0 {
                skip = skip.saturating_sub(e.len());
            } else {
                events.extend_from_slice(e);
            }
        }
        Step {
            index: record.index,
            offset: record.offset,
            req_func: bytes.first_chunk::<4>().map(|d| u32::from_le_bytes(*d)),
            reply,
            events,
            queued_event_bytes: self.session.queued_event_bytes(),
        }
    }
}

/// The event bytes a successful GetAsyncEvents reply carries (2.2.4.1.8.1), else 0.
fn drained_by(reply: &[u8], request: &[u8]) -> usize {
    let is_get_async_events = request.first_chunk::<4>() == Some(&0u32.to_le_bytes());
    if !is_get_async_events || reply.len() < HEADER_LEN {
        return 0;
    }
    match Reply::parse(FuncId::GetAsyncEvents, reply) {
        Ok(r) if r.dwords()[0] == 0 => r
            .get("dwUsedBufferSize")
            .map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX)),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(bytes: &[u8]) -> Vec<u8> {
        let mut v = (bytes.len() as u32).to_le_bytes().to_vec();
        v.extend_from_slice(bytes);
        v
    }

    /// Records shorter and longer than the read-ahead distance, the file cut at every byte:
    /// the whole records before the cut, then the fault the cut makes, the expected values
    /// taken from the layout (length prefix, then that many bytes), not from the reader.
    #[test]
    fn every_cut_gives_the_whole_records_before_it_then_its_fault() {
        let lens = [0usize, 3, READ_AHEAD - 4, 60, READ_AHEAD + 7, 1];
        let (mut file, mut starts) = (Vec::new(), Vec::new());
        for (i, &n) in lens.iter().enumerate() {
            starts.push(file.len());
            file.extend(record(&vec![i as u8; n]));
        }
        for cut in 0..=file.len() {
            let got: Vec<_> = records(&file[..cut]).collect();
            let whole = (0..lens.len())
                .take_while(|&k| starts[k] + 4 + lens[k] <= cut)
                .count();
            for (k, r) in got.iter().take(whole).enumerate() {
                let r = r.as_ref().expect("a whole record");
                assert_eq!((r.index, r.offset), (k, starts[k]), "cut {cut}");
                assert_eq!(r.bytes, &vec![k as u8; lens[k]][..], "cut {cut}");
            }
            let left = cut - starts.get(whole).copied().unwrap_or(cut);
            if left == 0 {
                assert_eq!(got.len(), whole, "cut {cut}");
                continue;
            }
            let fault = if left < 4 {
                RecordFault::TruncatedLength { available: left }
            } else {
                RecordFault::TruncatedBody {
                    len: lens[whole] as u32,
                    available: left - 4,
                }
            };
            assert_eq!(got.len(), whole + 1, "cut {cut}");
            assert_eq!(
                got[whole],
                Err(RecordError {
                    index: whole,
                    offset: starts[whole],
                    fault
                }),
                "cut {cut}"
            );
        }
    }

    #[test]
    fn an_empty_file_has_no_records() {
        assert_eq!(records(&[]).count(), 0);
    }

    #[test]
    fn a_zero_length_record_is_a_record() {
        let file = record(&[]);
        let all: Vec<_> = records(&file).collect();
        assert_eq!(
            all,
            [Ok(Record {
                index: 0,
                offset: 0,
                bytes: &[]
            })]
        );
    }

    #[test]
    fn a_length_at_the_bound_is_read_and_one_past_is_refused() {
        let mut file = MAX_RECORD_LEN.to_le_bytes().to_vec();
        file.resize(4 + MAX_RECORD_LEN as usize, 0);
        assert_eq!(records(&file).next().unwrap().unwrap().bytes.len(), 1 << 20);
        let file = (MAX_RECORD_LEN + 1).to_le_bytes();
        assert_eq!(
            records(&file).next(),
            Some(Err(RecordError {
                index: 0,
                offset: 0,
                fault: RecordFault::TooLong {
                    len: MAX_RECORD_LEN + 1
                }
            }))
        );
    }
}
