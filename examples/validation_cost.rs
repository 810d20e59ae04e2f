//! Instruction-count harness for issue 13's validation goal: `PASSES` passes over the
//! `mixed_132` stream of `benches/validation.rs` (one request of each of the 132 kinds, the
//! builders of `benches/common`), either parsing alone or parsing and running every stateless
//! rule (`validation::validate_into`), the two measurements of the bench.
//!
//! ```text
//! cargo build --release --example validation_cost
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/validation_cost parse 0      # setup alone
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/validation_cost parse 1000
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/validation_cost validate 1000
//! ```
//!
//! Instructions per pass = (total − setup) / passes, from the "Collected" line callgrind
//! prints. Instruction counts do not depend on the load of the machine, unlike wall-clock time.

use std::hint::black_box;

use mstrp::requests::Request;
use mstrp::validation;

#[path = "../benches/common/mod.rs"]
mod common;

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
    let packets: Vec<Vec<u8>> = common::builders()
        .iter()
        .map(|b| b.to_bytes().to_vec())
        .collect();
    let n = match mode.as_str() {
        "parse" => parse(&packets, passes),
        "validate" => parse_validate(&packets, passes),
        other => {
            eprintln!("usage: validation_cost parse|validate [PASSES]  (not {other:?})");
            std::process::exit(2);
        }
    };
    println!("{mode}: {} packets, {passes} passes, {n}", packets.len());
}
