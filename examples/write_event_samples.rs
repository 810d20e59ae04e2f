//! Writes the event buffers of the section 4.3 and 4.4 exchanges to `samples/events/`, and the
//! seed corpus of the `decode_events` fuzz target to `fuzz/corpus/decode_events/`.
//!
//! ```text
//! cargo run --example write_event_samples
//! ```
//!
//! `tests/events_samples.rs` checks that the files on disk are what this program writes.

use mstrp::events::completions::builders as completions;
use mstrp::events::constants::{LineCallPrivilege, LineCallState, LineMediaMode, LineOfferingMode};
use mstrp::events::{EventBufferBuilder, builders};

/// The client's InitContext (line Initialize) and OpenContext (line Open).
pub const INIT_CONTEXT: u32 = 0x0000_1000;
/// OpenContext of the line Open.
pub const OPEN_CONTEXT: u32 = 0x0000_2000;
/// hRemoteLine: the client's handle for the opened line.
pub const H_REMOTE_LINE: u32 = 0x0000_0007;

/// Section 4.3: the MakeCall completion (2.2.4.2.2.19) sent as LINE_REPLY for request 0x2A.
pub fn make_call_reply() -> Vec<u8> {
    EventBufferBuilder::new()
        .with(
            completions::LineMakeCall::new()
                .init_context(INIT_CONTEXT)
                .lp_context(0x0000_3000)
                .open_context(OPEN_CONTEXT)
                .dw_request_id(0x2Au32)
                .result(0u32)
                .h_call(0x0001_0002u32)
                .lph_call_context(0x0000_3001)
                .dw_address_id(0)
                .dw_call_id(0x0000_0101)
                .dw_related_call_id(0),
        )
        .to_bytes()
        .to_vec()
}

/// Section 4.4: LINE_APPNEWCALL (2.2.4.2.1.6) then LINE_CALLSTATE offering (2.2.4.2.1.8).
pub fn incoming_call() -> Vec<u8> {
    EventBufferBuilder::new()
        .with(
            builders::LineAppNewCall::new()
                .init_context(INIT_CONTEXT)
                .h_remote_line(H_REMOTE_LINE)
                .open_context(OPEN_CONTEXT)
                .address_id(0)
                .h_new_call(0x0001_0003u32)
                .call_id(0x0000_0102)
                .related_call_id(0),
        )
        .with(
            builders::LineCallState::new()
                .init_context(INIT_CONTEXT)
                .fn_post_process_proc_handle(LineOfferingMode::ACTIVE.get())
                .h_call(0x0001_0003u32)
                .open_context(OPEN_CONTEXT)
                .call_state(LineCallState::OFFERING)
                .privilege(LineCallPrivilege::OWNER)
                .media_mode(LineMediaMode::INTERACTIVEVOICE)
                .h_remote_line(H_REMOTE_LINE),
        )
        .to_bytes()
        .to_vec()
}

/// Section 4.4: the LINE_REPLY (2.2.4.2.1.25) for Answer, request 0x2B, success.
pub fn answer_reply() -> Vec<u8> {
    EventBufferBuilder::new()
        .with(
            builders::LineReply::new()
                .init_context(INIT_CONTEXT)
                .h_device(0x0001_0003)
                .open_context(OPEN_CONTEXT)
                .dw_remote_request_id(0x2Bu32)
                .dw_param2(0u32),
        )
        .to_bytes()
        .to_vec()
}

/// The sample files: name and bytes.
pub fn samples() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("4.3-makecall-line-reply.bin", make_call_reply()),
        ("4.4-appnewcall-callstate-offering.bin", incoming_call()),
        ("4.4-answer-line-reply.bin", answer_reply()),
    ]
}

/// The fuzz seeds: the samples, a buffer of every kind, and one buffer per framing error.
pub fn corpus() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = samples()
        .into_iter()
        .map(|(n, b)| (format!("sample-{n}"), b))
        .collect();
    let mut all = EventBufferBuilder::new();
    for m in mstrp::events::Msg::ALL {
        let mut b = mstrp::events::EventBuilder::new(m.desc());
        b.set_var_data(&[0x10, 0, 0, 0, 0x31, 0, 0x32, 0, 0, 0]);
        all.push(b);
    }
    for d in mstrp::events::completions::SpecialCompletion::ALL {
        let mut b = mstrp::events::EventBuilder::new(d);
        b.set(6, 0x2A);
        b.set_var_data(&[0x0C, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
        all.push(b);
    }
    out.push(("every-kind.bin".into(), all.to_bytes().to_vec()));
    let good = answer_reply();
    let with_total = |t: u32| {
        let mut b = good.clone();
        b.extend(good.iter());
        b[40..44].copy_from_slice(&t.to_le_bytes());
        b
    };
    out.push(("short-buffer.bin".into(), good[..36].to_vec()));
    out.push((
        "misaligned-buffer.bin".into(),
        [&good[..], &[1, 2]].concat(),
    ));
    out.push(("total-size-small.bin".into(), with_total(36)));
    out.push(("total-size-misaligned.bin".into(), with_total(42)));
    out.push(("total-size-overflow.bin".into(), with_total(0xFFFF_FFFC)));
    out.push(("trailing-data.bin".into(), [&good[..], &[0; 8]].concat()));
    out
}

#[allow(dead_code)]
fn main() -> std::io::Result<()> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let samples = root.join("samples/events");
    std::fs::create_dir_all(&samples)?;
    for (name, bytes) in self::samples() {
        std::fs::write(samples.join(name), bytes)?;
    }
    let corpus = root.join("fuzz/corpus/decode_events");
    std::fs::create_dir_all(&corpus)?;
    for (name, bytes) in self::corpus() {
        std::fs::write(corpus.join(name), bytes)?;
    }
    Ok(())
}
