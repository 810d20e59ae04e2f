//! The event stream of benches/events.rs and what each of its benches does per iteration,
//! shared with `examples/events_cost.rs` (callgrind instruction counts of the same loops).

use std::hint::black_box;

use mstrp::events::completions::{Correlator, builders as completions};
use mstrp::events::constants::LineCallState;
use mstrp::events::{Event, EventBuffer, EventBufferBuilder, builders};
use mstrp::handles::RequestId;
use mstrp::requests::FuncId;

/// Events in [`buffer`].
pub const EVENTS: u32 = 1024;

/// 1024 events cycling through LINE_CALLSTATE, LINE_REPLY, a MakeCall completion,
/// LINE_GATHERDIGITS with digits and an AgentSpecific completion with VarData.
pub fn buffer() -> Vec<u8> {
    let mut b = EventBufferBuilder::new();
    for i in 0..EVENTS {
        match i % 5 {
            0 => b.push(
                builders::LineCallState::new()
                    .h_call(i)
                    .call_state(LineCallState::CONNECTED)
                    .h_remote_line(7u32),
            ),
            1 => b.push(builders::LineReply::new().dw_remote_request_id(i)),
            2 => b.push(completions::LineMakeCall::new().dw_request_id(i).h_call(i)),
            3 => b.push(builders::LineGatherDigits::new().var_text("0123456789")),
            _ => b.push(
                completions::LineAgentSpecific::new()
                    .dw_request_id(i)
                    .var_data(&[7; 24]),
            ),
        };
    }
    b.to_bytes().to_vec()
}

/// "frame": iterates the buffer (the 3.3.4.2 rules).
pub fn frame(buf: &[u8]) -> usize {
    EventBuffer::new(black_box(buf)).iter().count()
}

/// "decode": frames every event, decodes it by `Msg` and reads every field, its value and
/// its meaning, through `Event::parse_fields`.
pub fn decode(buf: &[u8]) -> u64 {
    let mut sum = 0u64;
    for raw in EventBuffer::new(black_box(buf)) {
        let Ok(raw) = raw else { break };
        let _ = Event::parse_fields(raw, |f| {
            sum = sum.wrapping_add(u64::from(f.value));
            // The meaning is part of the typed decode: keep the optimiser from skipping it.
            black_box(f.meaning);
        });
    }
    sum
}

/// "correlate": clears `c` (its table keeps its memory: make it with
/// `Correlator::with_capacity`), records the 205 MakeCall requests of the buffer as
/// outstanding, then frames and decodes every event through it.
pub fn correlate(c: &mut Correlator, buf: &[u8]) {
    c.clear();
    for i in (2..EVENTS).step_by(5) {
        c.expect(RequestId(i), FuncId::LineMakeCall, &[]);
    }
    for raw in EventBuffer::new(black_box(buf)) {
        // By reference: the whole result is kept, without a copy of it per event.
        black_box(&c.decode(raw.unwrap()));
    }
}

/// Requests [`correlate`] records.
pub const REQUESTS: usize = (EVENTS as usize - 2).div_ceil(5);
