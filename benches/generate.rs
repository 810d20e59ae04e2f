//! Generator throughput (issue 12): valid requests generated per second by
//! `mstrp::generate::request`, against baselines measured in the same run on the very bytes
//! it generated:
//!
//! * `parse`: `Request::parse` and every reference resolved (alignment, bounds, NUL);
//! * `parse_validate`: the same plus every stateless rule (`validation::validate`), which the
//!   generator also runs on what it draws (that is how it knows the request is valid);
//! * `generate`: one valid request of a random function (any of the 132) from 1 KiB of
//!   SplitMix64 bytes through an `arbitrary::Unstructured`.
//!
//! Each iteration handles `N` inputs (seeds 0..N), so throughput is in requests/s.
//!
//! ```text
//! cargo bench --bench generate --all-features -- --warm-up-time 1 --measurement-time 3
//! ```

use std::hint::black_box;

use arbitrary::Unstructured;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mstrp::generate;
use mstrp::requests::Request;
use mstrp::validation;

/// Inputs per iteration.
const N: u64 = 1024;
/// Bytes of SplitMix64 output per input.
const INPUT_LEN: usize = 1024;

fn inputs() -> Vec<Vec<u8>> {
    (0..N)
        .map(|s| generate::seed_bytes(s)[..INPUT_LEN].to_vec())
        .collect()
}

fn bench(c: &mut Criterion) {
    let inputs = inputs();
    let generated: Vec<Vec<u8>> = inputs
        .iter()
        .map(|i| generate::request(&mut Unstructured::new(i), None, None).expect("generated"))
        .collect();
    let bytes: usize = generated.iter().map(Vec::len).sum();
    eprintln!(
        "{} requests, {} bytes in all ({} per request on average)",
        generated.len(),
        bytes,
        bytes / generated.len()
    );

    let mut g = c.benchmark_group("valid_requests");
    g.throughput(Throughput::Elements(N));
    g.bench_function("parse", |b| {
        b.iter(|| {
            let mut acc = 0u64;
            for p in &generated {
                let r = Request::parse(black_box(p)).expect("parses");
                for x in r.references() {
                    acc += u64::from(x.value.is_ok());
                }
            }
            acc
        })
    });
    g.bench_function("parse_validate", |b| {
        b.iter(|| {
            let mut acc = 0u64;
            for p in &generated {
                let r = Request::parse(black_box(p)).expect("parses");
                validation::validate_into(&r, None, &mut |_| acc += 1);
            }
            acc
        })
    });
    g.bench_function("generate", |b| {
        b.iter(|| {
            let mut acc = 0usize;
            for i in &inputs {
                let r = generate::request(&mut Unstructured::new(black_box(i)), None, None)
                    .expect("generated");
                acc += r.len();
            }
            acc
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
