//! Encoding (issue 13): the request builders over a mixed stream of all 132 kinds, against
//! memcpy of the bytes they produce. Three ways out of the same builders: `to_bytes` (a new
//! `BytesMut` per packet), `encode` into one reused `BytesMut`, and `emit` into one reused
//! caller's `&mut [u8]` (no allocation: tests/zero_alloc.rs).

use std::hint::black_box;

use bytes::BytesMut;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

mod common;
use common::builders;

fn bench(c: &mut Criterion) {
    let builders = builders();
    let packets: Vec<Vec<u8>> = builders.iter().map(|b| b.to_bytes().to_vec()).collect();
    let bytes: usize = packets.iter().map(Vec::len).sum();
    let max = packets.iter().map(Vec::len).max().unwrap_or(0);
    let mut g = c.benchmark_group("encode_mixed_132");
    g.throughput(Throughput::Bytes(bytes as u64));
    let mut buf = vec![0u8; max];
    g.bench_function("memcpy", |b| {
        b.iter(|| {
            for p in &packets {
                buf[..p.len()].copy_from_slice(black_box(p));
                black_box(&buf);
            }
        })
    });
    g.bench_function("to_bytes", |b| {
        b.iter(|| {
            for x in &builders {
                black_box(black_box(x).to_bytes());
            }
        })
    });
    let mut out = BytesMut::with_capacity(max);
    g.bench_function("encode_reused", |b| {
        b.iter(|| {
            for x in &builders {
                out.clear();
                black_box(x).encode(&mut out);
                black_box(&out);
            }
        })
    });
    g.bench_function("emit", |b| {
        b.iter(|| {
            for x in &builders {
                black_box(black_box(x).emit(&mut buf).unwrap());
                black_box(&buf);
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
