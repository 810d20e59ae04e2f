//! Event-stream decoding throughput, against a memcpy of the same buffer as the baseline.
//!
//! The buffer holds 1024 events cycling through LINE_CALLSTATE, LINE_REPLY, a MakeCall
//! completion, LINE_GATHERDIGITS with digits and an AgentSpecific completion with VarData.
//! "decode" frames every event (3.3.4.2), decodes it by `Msg` into its typed view and reads
//! every field, its value and its meaning, through `Event::parse_fields` (what a user reading
//! every field should call); "correlate" decodes every event through a `Correlator` that was
//! told about 205 outstanding MakeCall requests. The stream and the loops are in
//! `common/events.rs`, shared with `examples/events_cost.rs` (instruction counts).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mstrp::events::completions::Correlator;

#[path = "common/events.rs"]
mod stream;

fn bench(c: &mut Criterion) {
    let buf = stream::buffer();
    let mut group = c.benchmark_group("events");
    group.throughput(Throughput::Bytes(buf.len() as u64));
    group.bench_function("memcpy", |b| {
        let mut out = vec![0u8; buf.len()];
        b.iter(|| {
            out.copy_from_slice(black_box(&buf));
            black_box(&out);
        })
    });
    group.bench_function("frame", |b| b.iter(|| stream::frame(&buf)));
    group.bench_function("decode", |b| b.iter(|| stream::decode(&buf)));
    group.bench_function("correlate", |b| {
        let mut c = Correlator::with_capacity(stream::REQUESTS);
        b.iter(|| stream::correlate(&mut c, &buf))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
