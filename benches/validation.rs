//! Parse alone, decode (parse, every DWORD, every reference) and parse + validate (stateless)
//! over one request of each of the 132 kinds: `mixed_132`, the builders of benches/common
//! (every reference present; DWORDs zero where no role sets them, so 34 stateless rules fail
//! a pass), and, with feature `arbitrary`, `valid_132`, one generated request of each kind
//! that passes every stateless rule with every reference present (`common::valid_packets`).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mstrp::requests::Request;
use mstrp::validation;

mod common;
#[path = "common/request_stream.rs"]
#[allow(dead_code)]
mod request_stream;
#[path = "../tests/common/samples.rs"]
#[allow(dead_code)]
mod samples;

/// One request of every kind, with every reference present and resolvable (the builders of
/// benches/common).
fn stream() -> Vec<Vec<u8>> {
    common::builders()
        .iter()
        .map(|b| b.to_bytes().to_vec())
        .collect()
}

/// The three loops over `packets`, in group `name`.
fn group(c: &mut Criterion, name: &str, packets: &[Vec<u8>]) {
    let bytes: u64 = packets.iter().map(|p| p.len() as u64).sum();
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("parse", |b| {
        b.iter(|| {
            for p in packets {
                black_box(Request::parse(black_box(p)).unwrap());
            }
        })
    });
    // What benches/requests.rs does to a packet: what any validator of 3.1.4.2 also does
    // (every reference resolved: alignment, bounds, NUL), without the rules.
    g.bench_function("decode", |b| {
        b.iter(|| {
            let mut acc = 0u64;
            for p in packets {
                request_stream::mstrp_one(black_box(p), &mut acc);
            }
            black_box(acc)
        })
    });
    g.bench_function("parse_validate", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for p in packets {
                let r = Request::parse(black_box(p)).unwrap();
                validation::validate_into(&r, None, &mut |_| n += 1);
            }
            black_box(n)
        })
    });
    g.finish();
}

fn bench(c: &mut Criterion) {
    group(c, "mixed_132", &stream());
    #[cfg(feature = "arbitrary")]
    group(c, "valid_132", &common::valid_packets());
}

criterion_group!(benches, bench);
criterion_main!(benches);
