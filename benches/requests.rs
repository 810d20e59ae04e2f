//! Decode throughput of mixed request streams (all 132 kinds), every figure a ratio against
//! baselines measured in the same run (issue 13):
//!
//! * `memcpy`: copying the same bytes (per packet in cache; the whole stream in one
//!   `copy_from_slice` out of cache);
//! * `handwritten_owned`: a plain owned parser, `u32::from_le_bytes` per field, one `Vec<u8>`
//!   for VarData, a `String` for each string the packet references, bounds-checked ranges for
//!   the blocks and structures;
//! * `binrw_owned`: the same fields and references decoded with `binrw` derives (`Vec<u8>`
//!   VarData, `NullWideString` strings, `Vec<u8>` blocks and structures);
//! * `mstrp`: `Request::parse`, every field, every reference resolved (checked alignment,
//!   bounds, NUL termination), nothing copied;
//! * `read_every_byte` (out of cache): every byte of the stream read once, eight at a time,
//!   with no walk: what reading these bytes costs when only memory limits it;
//! * `records_only` (out of cache): the walk over the records alone, each length read and
//!   nothing decoded, the floor under any decoder of this stream.
//!
//! The out-of-cache walk is `mstrp::session::replay::records`, the crate's reader of this
//! layout, shared by every decoder here: each record's address is the previous one's plus the
//! length just read (a chain of dependent loads), and the reader prefetches the line 4 KiB
//! ahead, off that chain, so that more than one cache miss is in flight (`examples/stream_walk.rs`
//! measures the walk with and without it). The walk is the stream layout's cost, paid alike
//! by `records_only`, `handwritten_owned` and `mstrp`, so their ratios compare decoders.
//!
//! Streams: `in_cache` is one packet of every kind (every reference present) plus the section
//! 4 samples, 9.5 KB; `out_of_cache` lays the same packets back to back, each behind a 4-byte
//! length as a capture record would hold it, until the stream is at least 256 MiB and twice
//! the largest cache Linux reports for CPU 0 (built once per run).
//!
//! ```text
//! cargo bench --bench requests -- --warm-up-time 1 --measurement-time 3
//! ```

use std::hint::black_box;
use std::io::Cursor;

use binrw::{BinRead, NullWideString, binread};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mstrp::header::HEADER_LEN;
use mstrp::requests::{FuncId, Request, Role};
use mstrp::session::replay;

#[path = "../tests/common/samples.rs"]
#[allow(dead_code)]
mod samples;

#[path = "common/request_stream.rs"]
mod request_stream;
use request_stream::{big_stream, fold_dwords, mstrp_one, out_of_cache_len, read_all, stream};

/// The records of a big stream, read by the crate's reader of this layout (a sequence file,
/// `session::replay::records`, which reads ahead of the record it returns; see the module
/// doc). Every decoder of the out-of-cache stream walks it through this one function, so the
/// walk is a cost they share and their ratios still compare the decoders.
fn records(s: &[u8]) -> impl Iterator<Item = &[u8]> {
    replay::records(s).map(|r| r.expect("whole records").bytes)
}

// ---- the hand-written owned parser ----

/// What a plain hand-written parser produces.
#[allow(dead_code)]
struct OwnedRequest {
    dwords: [u32; 15],
    var_data: Vec<u8>,
    strings: Vec<String>,
    /// (offset, length) of each block or structure inside `var_data`.
    blocks: Vec<(usize, usize)>,
}

fn handwritten_parse(p: &[u8]) -> Option<OwnedRequest> {
    if p.len() < HEADER_LEN {
        return None;
    }
    let mut dwords = [0u32; 15];
    for (i, d) in dwords.iter_mut().enumerate() {
        *d = u32::from_le_bytes(p[4 * i..4 * i + 4].try_into().ok()?);
    }
    let desc = FuncId::from_u32(dwords[0])?.desc();
    let var_data = p[HEADER_LEN..].to_vec();
    let mut strings = Vec::new();
    let mut blocks = Vec::new();
    for (i, f) in desc.fields.iter().enumerate() {
        let off = dwords[i];
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
                strings.push(String::from_utf16(&units).ok()?);
            }
            Role::Bytes { size, .. } => {
                let end = off.checked_add(dwords[size] as usize)?;
                var_data.get(off..end)?;
                blocks.push((off, end - off));
            }
            Role::Structure { .. } => {
                let total = u32::from_le_bytes(var_data.get(off..off + 4)?.try_into().ok()?);
                let end = off.checked_add(total as usize)?;
                var_data.get(off..end)?;
                blocks.push((off, end - off));
            }
            _ => {}
        }
    }
    Some(OwnedRequest {
        dwords,
        var_data,
        strings,
        blocks,
    })
}

#[inline(always)]
fn handwritten_one(p: &[u8], acc: &mut u64) {
    let r = handwritten_parse(p).expect("valid");
    *acc = acc.wrapping_add(fold_dwords(r.dwords));
    *acc += (r.strings.len() + r.blocks.len()) as u64;
    black_box(&r);
}

// ---- the binrw owned decoder ----

/// TAPI32_MSG as `binrw` derives read it: the 15 DWORDs, then VarData.
#[binread]
#[br(little, import(len: usize))]
#[allow(dead_code)]
struct BinrwMsg {
    req_func: u32,
    reserved1: u32,
    params: [u32; 13],
    #[br(count = len.saturating_sub(HEADER_LEN))]
    var_data: Vec<u8>,
}

/// A structure in VarData: `dwTotalSize`, then the rest of it.
#[binread]
#[br(little)]
#[allow(dead_code)]
struct BinrwStructure {
    total: u32,
    #[br(count = total.saturating_sub(4))]
    rest: Vec<u8>,
}

/// What the binrw decoder produces.
#[allow(dead_code)]
struct BinrwRequest {
    msg: BinrwMsg,
    strings: Vec<String>,
    blocks: Vec<Vec<u8>>,
    structures: Vec<BinrwStructure>,
}

fn binrw_parse(p: &[u8]) -> Option<BinrwRequest> {
    let msg = BinrwMsg::read_args(&mut Cursor::new(p), (p.len(),)).ok()?;
    let desc = FuncId::from_u32(msg.req_func)?.desc();
    let dword = |i: usize| match i {
        0 => msg.req_func,
        1 => msg.reserved1,
        _ => msg.params[i - 2],
    };
    let mut var = Cursor::new(&msg.var_data[..]);
    let (mut strings, mut blocks, mut structures) = (Vec::new(), Vec::new(), Vec::new());
    for (i, f) in desc.fields.iter().enumerate() {
        let off = dword(i);
        if off == u32::MAX {
            continue;
        }
        var.set_position(u64::from(off));
        match f.role {
            Role::String { .. } => {
                let s = NullWideString::read_le(&mut var).ok()?;
                strings.push(String::try_from(s).ok()?);
            }
            Role::Bytes { size, .. } => {
                let count = dword(size) as usize;
                blocks.push(Vec::<u8>::read_le_args(&mut var, binrw::args! { count }).ok()?);
            }
            Role::Structure { .. } => structures.push(BinrwStructure::read(&mut var).ok()?),
            _ => {}
        }
    }
    Some(BinrwRequest {
        msg,
        strings,
        blocks,
        structures,
    })
}

#[inline(always)]
fn binrw_one(p: &[u8], acc: &mut u64) {
    let r = binrw_parse(p).expect("valid");
    let m = &r.msg;
    *acc = acc.wrapping_add(fold_dwords(
        [m.req_func, m.reserved1].into_iter().chain(m.params),
    ));
    *acc += (r.strings.len() + r.blocks.len() + r.structures.len()) as u64;
    black_box(&r);
}

/// Runs a decoder over the in-cache packets. Each decoder is inlined into its own loop, as
/// `memcpy` is into its own (through a function pointer every decoded packet, and no copied
/// one, would pay an indirect call and the accumulator's round trip through memory).
macro_rules! each {
    ($packets:expr, $one:ident) => {{
        let mut acc = 0u64;
        for p in $packets {
            $one(p, &mut acc);
        }
        acc
    }};
}

/// The mstrp loop over the in-cache packets, kept out of line (one call per pass over the
/// 138 packets) so that `valgrind --tool=callgrind --toggle-collect='*mstrp_in_cache*'`
/// counts its instructions alone; the work per packet is `mstrp_one`, inlined as in `each`.
#[inline(never)]
fn mstrp_in_cache(packets: &[Vec<u8>]) -> u64 {
    each!(packets, mstrp_one)
}

/// The mstrp walk over the out-of-cache stream, out of line for the same reason
/// (`--toggle-collect='*mstrp_out_of_cache*'`).
#[inline(never)]
fn mstrp_out_of_cache(big: &[u8]) -> u64 {
    let mut acc = 0u64;
    for p in records(big) {
        mstrp_one(p, &mut acc);
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
    // The three decoders read the same references (the present ones).
    let (mut a, mut b, mut h) = (0u64, 0u64, 0u64);
    for p in &packets {
        let r = Request::parse(p).unwrap();
        a += r.references().filter(|x| x.raw != u32::MAX).count() as u64;
        b += {
            let x = binrw_parse(p).unwrap();
            (x.strings.len() + x.blocks.len() + x.structures.len()) as u64
        };
        h += {
            let x = handwritten_parse(p).unwrap();
            (x.strings.len() + x.blocks.len()) as u64
        };
    }
    assert_eq!((a, a), (b, h), "the decoders read the same references");

    for (group, throughput) in [
        ("requests/in_cache_bytes", Throughput::Bytes(bytes as u64)),
        (
            "requests/in_cache_packets",
            Throughput::Elements(packets.len() as u64),
        ),
    ] {
        let mut g = c.benchmark_group(group);
        g.throughput(throughput);
        g.bench_function("memcpy", |b| {
            b.iter(|| memcpy(black_box(&packets), &mut scratch))
        });
        g.bench_function("binrw_owned", |b| {
            b.iter(|| each!(black_box(&packets), binrw_one))
        });
        g.bench_function("handwritten_owned", |b| {
            b.iter(|| each!(black_box(&packets), handwritten_one))
        });
        g.bench_function("mstrp", |b| b.iter(|| mstrp_in_cache(black_box(&packets))));
        g.finish();
    }

    // Out of cache: at least 256 MiB, and at least twice the last-level cache the machine
    // reports (a VM may report a large one: 300 MiB on the development machine).
    let min = out_of_cache_len();
    let (big, count) = big_stream(&packets, min);
    let mut copy = vec![0u8; big.len()];
    // The records of the big stream, each decoder inlined as in `each`.
    macro_rules! walk {
        ($one:ident) => {{
            let mut acc = 0u64;
            for p in records(black_box(&big)) {
                $one(p, &mut acc);
            }
            acc
        }};
    }
    assert_eq!(records(&big).count() as u64, count);
    eprintln!(
        "requests: in cache {} packets, {bytes} bytes; out of cache {count} packets, {} bytes",
        packets.len(),
        big.len()
    );
    for (group, throughput) in [
        (
            "requests/out_of_cache_bytes",
            Throughput::Bytes(big.len() as u64),
        ),
        ("requests/out_of_cache_packets", Throughput::Elements(count)),
    ] {
        let mut g = c.benchmark_group(group);
        g.throughput(throughput);
        g.sample_size(10);
        g.bench_function("memcpy", |b| {
            b.iter(|| {
                copy.copy_from_slice(black_box(&big));
                black_box(copy[0])
            })
        });
        // Every byte read once with no walk: the bound of any reader of these bytes.
        g.bench_function("read_every_byte", |b| b.iter(|| read_all(black_box(&big))));
        // The walk alone (each record's length read, nothing decoded): its next record's
        // address depends on the length just read, a chain of loads memcpy does not have
        // (the reader's read-ahead keeps misses in flight along it).
        g.bench_function("records_only", |b| {
            b.iter(|| {
                records(black_box(&big))
                    .map(|p| p.len() as u64)
                    .sum::<u64>()
            })
        });
        g.bench_function("handwritten_owned", |b| b.iter(|| walk!(handwritten_one)));
        g.bench_function("mstrp", |b| b.iter(|| mstrp_out_of_cache(black_box(&big))));
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
