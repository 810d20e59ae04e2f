//! Decode throughput of a mixed stream of all 132 request kinds, with two baselines in the
//! same run: `memcpy` of the same bytes, and a straightforward owned parser that allocates a
//! `Vec`/`String` per packet. Results are meant as ratios between the three.
//!
//! ```text
//! cargo bench --bench requests
//! ```
//!
//! The stream is `tests/common/samples.rs::one_of_every_kind()` (every reference present: a
//! UTF-16 string, a 6-byte block or a 12-byte structure) and the section 4 samples.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mstrp::header::HEADER_LEN;
use mstrp::requests::{FuncId, Request, Resolved, Role};

#[path = "../tests/common/samples.rs"]
#[allow(dead_code)]
mod samples;

/// The mixed stream: one buffer per packet.
fn stream() -> Vec<Vec<u8>> {
    let mut v: Vec<Vec<u8>> = samples::one_of_every_kind()
        .into_iter()
        .map(|(_, b)| b.to_vec())
        .collect();
    v.extend(
        samples::request_samples()
            .into_iter()
            .filter(|(_, _, b)| b.len() < 200)
            .map(|(_, _, b)| b.to_vec()),
    );
    v
}

/// The zero-copy path: parse, dispatch, read every field, resolve every reference.
fn mstrp_decode(packets: &[Vec<u8>]) -> u64 {
    let mut acc = 0u64;
    for p in packets {
        let r = Request::parse(p).expect("valid");
        for d in r.dwords() {
            acc = acc.wrapping_add(u64::from(d));
        }
        for reference in r.references() {
            match reference.value {
                Ok(Some(Resolved::Str(s))) => acc += s.len() as u64,
                Ok(Some(v)) => acc += v.as_bytes().len() as u64,
                Ok(None) => acc += 1,
                Err(_) => acc += 2,
            }
        }
    }
    acc
}

/// What a straightforward parser produces: everything owned.
#[allow(dead_code)]
struct OwnedRequest {
    req_func: u32,
    name: String,
    fields: Vec<(String, u32)>,
    var_data: Vec<u8>,
    strings: Vec<String>,
    blocks: Vec<Vec<u8>>,
}

/// A straightforward owned parser over the same metadata: copies the fields, VarData and
/// every referenced item into owned values.
fn owned_parse(p: &[u8]) -> Option<OwnedRequest> {
    if p.len() < HEADER_LEN {
        return None;
    }
    let dword = |i: usize| u32::from_le_bytes(p[4 * i..4 * i + 4].try_into().unwrap());
    let func = FuncId::from_u32(dword(0))?;
    let desc = func.desc();
    let var_data = p[HEADER_LEN..].to_vec();
    let fields: Vec<(String, u32)> = desc
        .fields
        .iter()
        .enumerate()
        .map(|(i, f)| (f.name.to_string(), dword(i)))
        .collect();
    let mut strings = Vec::new();
    let mut blocks = Vec::new();
    for (i, f) in desc.fields.iter().enumerate() {
        let off = dword(i);
        if off == u32::MAX {
            continue;
        }
        let off = off as usize;
        match f.role {
            Role::String { .. } => {
                let units: Vec<u16> = var_data
                    .get(off..)?
                    .chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .take_while(|&u| u != 0)
                    .collect();
                strings.push(String::from_utf16_lossy(&units));
            }
            Role::Bytes { size, .. } => {
                let end = off.checked_add(dword(size) as usize)?;
                blocks.push(var_data.get(off..end)?.to_vec());
            }
            Role::Structure { .. } => {
                let total = u32::from_le_bytes(var_data.get(off..off + 4)?.try_into().ok()?);
                blocks.push(
                    var_data
                        .get(off..off.checked_add(total as usize)?)?
                        .to_vec(),
                );
            }
            _ => {}
        }
    }
    Some(OwnedRequest {
        req_func: dword(0),
        name: desc.name.to_string(),
        fields,
        var_data,
        strings,
        blocks,
    })
}

fn owned_decode(packets: &[Vec<u8>]) -> u64 {
    let mut acc = 0u64;
    for p in packets {
        let r = owned_parse(p).expect("valid");
        acc += r.fields.iter().map(|f| u64::from(f.1)).sum::<u64>();
        acc += (r.strings.len() + r.blocks.len()) as u64;
        black_box(&r);
    }
    acc
}

fn memcpy(packets: &[Vec<u8>], scratch: &mut [u8]) -> u64 {
    let mut acc = 0u64;
    for p in packets {
        let dst = &mut scratch[..p.len()];
        dst.copy_from_slice(black_box(p));
        acc += u64::from(dst[0]);
    }
    acc
}

fn bench(c: &mut Criterion) {
    let packets = stream();
    let bytes: usize = packets.iter().map(Vec::len).sum();
    let mut scratch = vec![0u8; packets.iter().map(Vec::len).max().unwrap()];
    assert_eq!(mstrp_decode(&packets) != 0, owned_decode(&packets) != 0);

    for (group, throughput) in [
        ("requests/bytes", Throughput::Bytes(bytes as u64)),
        (
            "requests/packets",
            Throughput::Elements(packets.len() as u64),
        ),
    ] {
        let mut g = c.benchmark_group(group);
        g.throughput(throughput);
        g.bench_function("memcpy", |b| {
            b.iter(|| memcpy(black_box(&packets), &mut scratch))
        });
        g.bench_function("owned_parser", |b| {
            b.iter(|| owned_decode(black_box(&packets)))
        });
        g.bench_function("mstrp_parse_read_resolve", |b| {
            b.iter(|| mstrp_decode(black_box(&packets)))
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
