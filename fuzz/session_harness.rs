//! The stateful fuzz harness: a sequence file (records `[u32 LE length][TAPI32_MSG]`,
//! `mstrp::session::replay`) through an in-process `ServerSession`, shared by the
//! `session_sequence` target and tests/session_sequence_corpus.rs.
//!
//! Invariants for any input: no panic; every reply fits lNeededSize and parses as the reply
//! of its function; every event produced or pulled frames and parses; every asynchronous
//! request completes at most once (a completion's request id was returned by an earlier
//! request at least as many times as it completed); the event queue stays bounded by the
//! requests sent; no single allocation exceeds [`MAX_ALLOCATION`], whatever sizes the
//! requests name (a PhoneGetDevCaps asking for an 890 MB PHONECAPS once made the server build
//! one: spec-notes/session.md note 20).

#![allow(dead_code)]

#[path = "../tests/common/counting_alloc.rs"]
mod counting_alloc;

use std::collections::BTreeMap;

use mstrp::events::{Event, EventBuffer, EventRole, Msg};
use mstrp::replies::{Reply, ReturnValue};
use mstrp::requests::FuncId;
use mstrp::session::replay::{Replayer, records};
use mstrp::session::{AsyncCompletion, ServerConfig};

/// At most this many records are run per input (keeps every input fast).
pub const MAX_STEPS: usize = 64;
/// The most event bytes one request may leave queued: 16 KiB (a Close or ShutDown completes
/// every outstanding request of its line or app: one LINE_REPLY each, so this grows with the
/// steps) and one LINEAGENTGROUPLIST completion as big as its request may ask (0x40000 bytes,
/// 3.1.4.2 rules 26.5 and 152.1).
pub const MAX_EVENT_BYTES_PER_STEP: usize = 16 * 1024 + 0x4_0000;

/// The largest single allocation a sequence may make: four times the longest record
/// (`MAX_RECORD_LEN`, 1 MiB), which bounds lNeededSize and so every reply. What the server
/// holds follows the buffers the client sent, never a size it names.
pub const MAX_ALLOCATION: usize = 4 * mstrp::session::replay::MAX_RECORD_LEN as usize;

pub fn session_sequence(data: &[u8]) {
    let ((), largest) = counting_alloc::largest_allocation(|| run(data));
    assert!(
        largest <= MAX_ALLOCATION,
        "one allocation of {largest} bytes (at most {MAX_ALLOCATION})"
    );
}

fn run(data: &[u8]) {
    // The first byte picks the completion mode, so both paths of 3.1.4.2's asynchronous
    // requests are fuzzed; the rest is the sequence file.
    let Some((&mode, file)) = data.split_first() else {
        return;
    };
    let config = ServerConfig {
        async_completion: if mode & 1 == 0 {
            AsyncCompletion::Immediate
        } else {
            AsyncCompletion::OnClose
        },
        ..ServerConfig::default()
    };
    let mut replayer = Replayer::new(config);
    // request id -> times returned minus times completed.
    let mut open: BTreeMap<u32, i64> = BTreeMap::new();
    for (n, record) in records(file).take(MAX_STEPS).enumerate() {
        let Ok(record) = record else { return };
        let step = replayer.step(&record);
        let cap = record
            .bytes
            .len()
            .max(mstrp::session::replay::DEFAULT_CAPACITY as usize);
        assert!(step.reply.len() <= cap, "reply larger than lNeededSize");
        if let (Some(func), true) = (step.func(), step.reply.len() >= mstrp::header::HEADER_LEN) {
            let reply = Reply::parse(func, &step.reply).expect("a full-size reply parses");
            let rv = reply.return_value();
            if let ReturnValue::RequestId(id) = rv {
                assert_eq!(func.desc().completion, mstrp::requests::Completion::Async);
                *open.entry(id.0).or_default() += 1;
            }
            if func == FuncId::GetAsyncEvents && rv == ReturnValue::Success {
                let used = reply.get("dwUsedBufferSize").unwrap() as usize;
                let pulled = &step.reply[mstrp::header::HEADER_LEN..][..used];
                check_events(pulled);
            }
        }
        for id in check_events(&step.events) {
            let left = open.entry(id).or_default();
            *left -= 1;
            assert!(
                *left >= 0,
                "request id {id} completed more often than it was returned"
            );
        }
        assert!(
            replayer.session().queued_event_bytes() <= (n + 1) * MAX_EVENT_BYTES_PER_STEP,
            "event queue unbounded"
        );
    }
}

/// Every event of `bytes` frames and parses; returns the request ids of the completions
/// (LINE_REPLY / PHONE_REPLY, 2.2.4.2.1.25 and .31, and the special-case completions that
/// start like them, 2.2.4.2.2).
fn check_events(bytes: &[u8]) -> Vec<u32> {
    let mut ids = Vec::new();
    if bytes.is_empty() {
        return ids; // no events (an empty RemoteSPEventProc buffer is not valid framing)
    }
    for raw in EventBuffer::new(bytes).iter() {
        let raw = raw.expect("the session's events frame");
        let msg = raw.msg();
        let event = Event::parse(raw)
            .expect("the session's events parse")
            .typed();
        if msg == Msg::LineReply as u32 || msg == Msg::PhoneReply as u32 {
            if let Some(f) = event
                .fields()
                .find(|f| f.field.role == EventRole::RequestId)
            {
                ids.push(f.value);
            }
        }
    }
    ids
}
