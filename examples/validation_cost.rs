//! Instruction-count harness for issue 13's validation goal: `PASSES` passes over one request
//! of each of the 132 kinds, the loops of `benches/validation.rs`: parsing alone
//! (`Request::parse`), decoding (parse, every DWORD, every reference resolved: what the
//! `mstrp` rows of `benches/requests.rs` do to a packet), `references` (parse and every
//! reference resolved, no DWORD read), or parsing and running every stateless rule
//! (`validation::validate_into`).
//!
//! Two streams: `builders` (the default), the `mixed_132` stream of `benches/validation.rs`
//! (the builders of `benches/common`, 34 stateless violations a pass), and `valid` (feature
//! `arbitrary`): one generated request of each kind that passes every stateless rule, every
//! reference present (`common::valid_packets`).
//!
//! ```text
//! cargo build --release --all-features --example validation_cost
//! B=target/release/examples/validation_cost
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null $B parse 0      # setup alone
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null $B parse 1000
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null $B decode 1000 valid
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null $B validate 1000 valid
//! ```
//!
//! Instructions per pass = (total − setup) / passes, from the "Collected" line callgrind
//! prints, the setup counted with the same mode and stream. Instruction counts do not depend
//! on the load of the machine, unlike wall-clock time.

use std::hint::black_box;

use mstrp::requests::Request;
use mstrp::validation;

#[path = "../benches/common/mod.rs"]
mod common;
#[path = "../benches/common/request_stream.rs"]
#[allow(dead_code)]
mod request_stream;
#[path = "../tests/common/samples.rs"]
#[allow(dead_code)]
mod samples;

#[inline(never)]
fn parse(packets: &[Vec<u8>], passes: u64) -> usize {
    let mut n = 0usize;
    for _ in 0..passes {
        for p in packets {
            black_box(Request::parse(black_box(p)).unwrap());
            n += 1;
        }
    }
    n
}

#[inline(never)]
fn decode(packets: &[Vec<u8>], passes: u64) -> usize {
    let mut acc = 0u64;
    for _ in 0..passes {
        for p in packets {
            request_stream::mstrp_one(black_box(p), &mut acc);
        }
    }
    black_box(acc) as usize
}

/// Parse and resolve every reference, with no DWORD read: the least a validator of 3.1.4.2
/// must do besides the rules on the fixed part (decode less the fold of the fifteen DWORDs).
#[inline(never)]
fn references(packets: &[Vec<u8>], passes: u64) -> usize {
    let mut acc = 0u64;
    for _ in 0..passes {
        for p in packets {
            let r = Request::parse(black_box(p)).unwrap();
            request_stream::fold_references(&r, &mut acc);
        }
    }
    black_box(acc) as usize
}

#[inline(never)]
fn parse_validate(packets: &[Vec<u8>], passes: u64) -> usize {
    let mut n = 0usize;
    for _ in 0..passes {
        for p in packets {
            let r = Request::parse(black_box(p)).unwrap();
            validation::validate_into(&r, None, &mut |_| n += 1);
        }
    }
    n
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_else(|| "validate".into());
    let passes: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let stream = args.next().unwrap_or_else(|| "builders".into());
    let packets: Vec<Vec<u8>> = match stream.as_str() {
        "builders" => common::builders()
            .iter()
            .map(|b| b.to_bytes().to_vec())
            .collect(),
        #[cfg(feature = "arbitrary")]
        "valid" => common::valid_packets(),
        other => usage(&format!(
            "no stream {other:?} (`valid` needs feature arbitrary)"
        )),
    };
    let n = match mode.as_str() {
        "parse" => parse(&packets, passes),
        "decode" => decode(&packets, passes),
        "references" => references(&packets, passes),
        "validate" => parse_validate(&packets, passes),
        other => usage(&format!("no mode {other:?}")),
    };
    println!(
        "{mode} {stream}: {} packets, {passes} passes, {n}",
        packets.len()
    );
}

fn usage(why: &str) -> ! {
    eprintln!(
        "usage: validation_cost parse|decode|references|validate [PASSES] [builders|valid]: {why}"
    );
    std::process::exit(2);
}
