//! Parse alone vs parse + validate (stateless) over a mixed stream of all 132 request kinds.
//! The lead registers it with `[[bench]] name = "validation" harness = false`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mstrp::encoding::Payload;
use mstrp::requests::RequestBuilder;
use mstrp::requests::{FuncId, Request, Role};
use mstrp::validation;

/// One request of every kind, with every reference present and resolvable.
fn stream() -> Vec<Vec<u8>> {
    FuncId::ALL
        .iter()
        .map(|f| {
            let mut b = RequestBuilder::new(*f);
            for (i, fd) in f.desc().fields.iter().enumerate() {
                match fd.role {
                    Role::String { .. } => {
                        b.set_payload(i, Payload::text("+1 425 555 0100"));
                    }
                    Role::Bytes { .. } => {
                        b.set_payload(i, Payload::Bytes(vec![7; 16]));
                    }
                    Role::Structure { .. } => {
                        let mut v = vec![0u8; 180];
                        v[..4].copy_from_slice(&180u32.to_le_bytes());
                        b.set_payload(i, Payload::Bytes(v));
                    }
                    Role::Handle(_) => {
                        b.set(i, 0x1000 + i as u32);
                    }
                    Role::Version => {
                        b.set(i, 0x0002_0000);
                    }
                    Role::OutSize { .. } => {
                        b.set(i, 256);
                    }
                    _ => {}
                }
            }
            b.var_data_len(512);
            b.to_bytes().to_vec()
        })
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
