//! DCE/RPC stream decoding throughput, against a memcpy of the same bytes as the baseline in
//! the same run. Results are meant as ratios to memcpy (printed at the end of `cargo bench`).
//!
//! ```text
//! cargo bench --bench rpc
//! ```
//!
//! The stream is one association as a TCP stream carries it, both directions interleaved: a
//! bind and bind_ack, then 1024 ClientRequest calls (request and response PDUs, NDR20,
//! unfragmented) cycling through the five 4.1 sample requests (`samples/requests/4.1-*.bin`;
//! Initialize, NegotiateAPIVersionForAllDevices, GetDevCaps, GetAddressCaps, Open), answered
//! with the reply's fixed part (`tests/common/rpc_calls.rs`).
//!
//! * `memcpy`: the stream copied into a buffer allocated beforehand;
//! * `split`: `pdus()` only (each PDU's header parsed and checked, its body located);
//! * `split_decode_tapi32_msg`: also every request stub decoded as a ClientRequest request and
//!   its `pBuffer` parsed as a TAPI32_MSG (`tapi32_msg()`), every response stub as a
//!   ClientRequest response;
//! * `classify_decode_tapi32_msg`: the same with the method found by an `Association` (the
//!   bind's contexts, the calls in flight matched by call_id), as a capture reader does;
//!   `Association::classify_decoded` hands back the stub it decoded, so each stub is
//!   decoded once.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, Throughput, criterion_group};
use mstrp::rpc::association::Association;
use mstrp::rpc::methods::{self, Direction, Method, Stub};
use mstrp::rpc::ndr::Syntax;
use mstrp::rpc::pdu::{self, PduBody};

#[path = "../tests/common/rpc_calls.rs"]
mod rpc_calls;

/// ClientRequest calls in the stream.
const CALLS: u32 = 1024;
const GROUP: &str = "rpc";
const MEMCPY: &str = "memcpy";
const SPLIT: &str = "split";
const DECODE: &str = "split_decode_tapi32_msg";
const CLASSIFY: &str = "classify_decode_tapi32_msg";

/// What every variant folds the PDUs into, so that none is optimized away.
fn fold(acc: u64, v: u32) -> u64 {
    acc.rotate_left(5) ^ u64::from(v)
}

fn split(stream: &[u8]) -> u64 {
    let mut acc = 0;
    for item in pdu::pdus(stream) {
        let (_, p) = item.expect("valid");
        acc = fold(acc, p.call_id());
    }
    acc
}

/// Reads a decoded stub: `Req_Func` and the TAPI32_MSG's first DWORDs for a request, the
/// return value for a response.
fn read(stub: &Stub<'_>) -> u32 {
    match stub {
        Stub::ClientRequestRequest(r) => {
            let msg = r.tapi32_msg().expect("a TAPI32_MSG");
            let d = msg.dwords();
            msg.req_func() ^ d[2] ^ r.l_needed_size() as u32
        }
        Stub::ClientRequestResponse(r) => {
            let b = r.p_buffer().bytes();
            u32::from_le_bytes([b[0], b[1], b[2], b[3]]) ^ r.pl_used_size() as u32
        }
        _ => unreachable!("ClientRequest only"),
    }
}

fn split_decode(stream: &[u8]) -> u64 {
    let mut acc = 0;
    for item in pdu::pdus(stream) {
        let (_, p) = item.expect("valid");
        let direction = match p.body() {
            PduBody::Request(_) => Direction::Request,
            PduBody::Response(_) => Direction::Response,
            _ => continue,
        };
        let stub = p.stub().expect("a stub");
        let s = methods::decode(Method::ClientRequest, direction, Syntax::Ndr20, stub)
            .expect("decodes");
        acc = fold(acc, read(&s));
    }
    acc
}

fn classify_decode(stream: &[u8]) -> u64 {
    let mut assoc = Association::new();
    let mut acc = 0;
    for item in pdu::pdus(stream) {
        let (_, p) = item.expect("valid");
        let Some((info, stub)) = assoc.classify_decoded(&p) else {
            continue;
        };
        let Some(stub) = stub else {
            unreachable!("the bind names the context");
        };
        let s = stub.expect("decodes");
        acc = fold(acc, read(&s) ^ info.req_func.unwrap_or(0));
    }
    acc
}

fn bench(c: &mut Criterion) {
    let stream = rpc_calls::stream(CALLS);
    // The three decoders agree on what they read, and every call was seen.
    assert_eq!(pdu::pdus(&stream).count(), 2 + 2 * CALLS as usize);
    assert_ne!(split_decode(&stream), 0);
    assert_ne!(classify_decode(&stream), 0);

    let mut g = c.benchmark_group(GROUP);
    g.throughput(Throughput::Bytes(stream.len() as u64));
    let mut out = vec![0u8; stream.len()];
    g.bench_function(MEMCPY, |b| {
        b.iter(|| {
            out.copy_from_slice(black_box(&stream));
            black_box(&out);
        })
    });
    g.bench_function(SPLIT, |b| b.iter(|| split(black_box(&stream))));
    g.bench_function(DECODE, |b| b.iter(|| split_decode(black_box(&stream))));
    g.bench_function(CLASSIFY, |b| b.iter(|| classify_decode(black_box(&stream))));
    g.finish();
}

criterion_group!(benches, bench);

/// The mean time per iteration criterion estimated for `function` in this run, in ns.
fn mean_ns(function: &str) -> Option<f64> {
    let base = std::env::var_os("CRITERION_HOME")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("CARGO_TARGET_DIR").map(|d| PathBuf::from(d).join("criterion"))
        })
        .unwrap_or_else(|| PathBuf::from("target/criterion"));
    let text =
        std::fs::read_to_string(base.join(GROUP).join(function).join("new/estimates.json")).ok()?;
    // {"mean":{"confidence_interval":{...},"point_estimate":123.4,...},...}
    let mean = &text[text.find("\"mean\"")?..];
    let at = mean.find("\"point_estimate\":")? + "\"point_estimate\":".len();
    let end = mean[at..].find([',', '}'])?;
    mean[at..at + end].trim().parse().ok()
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    // `cargo bench` passes --bench; `cargo test --benches` runs each function once and does
    // not, and then there is nothing to compare.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let bytes = rpc_calls::stream(CALLS).len() as f64;
    let Some(memcpy) = mean_ns(MEMCPY) else {
        return;
    };
    println!("\nrpc: {bytes} bytes, {CALLS} ClientRequest calls; throughput relative to memcpy:");
    for f in [MEMCPY, SPLIT, DECODE, CLASSIFY] {
        if let Some(ns) = mean_ns(f) {
            println!(
                "  {f:<28} {:>9.1} MiB/s  {:>6.3}x memcpy",
                bytes / ns * 1e9 / (1024.0 * 1024.0),
                memcpy / ns
            );
        }
    }
}
