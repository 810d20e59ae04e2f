//! Parse alone vs parse + validate (stateless) over a mixed stream of all 132 request kinds.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mstrp::requests::Request;
use mstrp::validation;

mod common;

/// One request of every kind, with every reference present and resolvable (the builders of
/// benches/common).
fn stream() -> Vec<Vec<u8>> {
    common::builders()
        .iter()
        .map(|b| b.to_bytes().to_vec())
        .collect()
}

fn bench(c: &mut Criterion) {
    let packets = stream();
    let bytes: u64 = packets.iter().map(|p| p.len() as u64).sum();
    let mut g = c.benchmark_group("mixed_132");
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("parse", |b| {
        b.iter(|| {
            for p in &packets {
                black_box(Request::parse(black_box(p)).unwrap());
            }
        })
    });
    g.bench_function("parse_validate", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for p in &packets {
                let r = Request::parse(black_box(p)).unwrap();
                validation::validate_into(&r, None, &mut |_| n += 1);
            }
            black_box(n)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
