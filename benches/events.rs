//! Event-stream decoding throughput, against a memcpy of the same buffer as the baseline.
//!
//! The buffer holds 1024 events cycling through LINE_CALLSTATE, LINE_REPLY, a MakeCall
//! completion, LINE_GATHERDIGITS with digits and an AgentSpecific completion with VarData.
//! "decode" frames every event (3.3.4.2), decodes it by `Msg` into its typed view and reads
//! every field, its value and its meaning, through `Event::parse_fields` (what a user reading
//! every field should call); "correlate" decodes every event through a `Correlator` that was
//! told about 205 outstanding MakeCall requests.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mstrp::events::completions::{Correlator, builders as completions};
use mstrp::events::constants::LineCallState;
use mstrp::events::{Event, EventBuffer, EventBufferBuilder, builders};
use mstrp::handles::RequestId;
use mstrp::requests::FuncId;

fn buffer() -> Vec<u8> {
    let mut b = EventBufferBuilder::new();
    for i in 0..1024u32 {
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

fn decode(buf: &[u8]) -> u64 {
    let mut sum = 0u64;
    for raw in EventBuffer::new(buf) {
        let Ok(raw) = raw else { break };
        let _ = Event::parse_fields(raw, |f| {
            sum = sum.wrapping_add(u64::from(f.value));
            // The meaning is part of the typed decode: keep the optimiser from skipping it.
            black_box(f.meaning);
        });
    }
    sum
}

fn bench(c: &mut Criterion) {
    let buf = buffer();
    let mut group = c.benchmark_group("events");
    group.throughput(Throughput::Bytes(buf.len() as u64));
    group.bench_function("memcpy", |b| {
        let mut out = vec![0u8; buf.len()];
        b.iter(|| {
            out.copy_from_slice(black_box(&buf));
            black_box(&out);
        })
    });
    group.bench_function("frame", |b| {
        b.iter(|| EventBuffer::new(black_box(&buf)).iter().count())
    });
    group.bench_function("decode", |b| b.iter(|| decode(black_box(&buf))));
    group.bench_function("correlate", |b| {
        b.iter(|| {
            let mut c = Correlator::new();
            for i in (2..1024u32).step_by(5) {
                c.expect(RequestId(i), FuncId::LineMakeCall, &[]);
            }
            for raw in EventBuffer::new(black_box(&buf)) {
                // By reference: the whole result is kept, without a copy of it per event.
                black_box(&c.decode(raw.unwrap()));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
