//! Issue 13's out-of-cache experiment: is the walk over a stream of length-prefixed requests
//! bound by its chain of dependent loads (each record's address is the previous one plus the
//! length just read), and does reading ahead, off that chain, make it memory-bound?
//!
//! The stream is the one of `benches/requests.rs`: one packet of every kind plus the section 4
//! samples, each behind its length (u32 LE), repeated until it holds at least 256 MiB and
//! twice the largest cache Linux reports for CPU 0. Each variant is timed `RUNS` times
//! (wall clock, `Instant`); the best and the median are printed, with memcpy of the whole
//! stream (into a buffer already written once) as the yardstick.
//!
//! * `walk`: the bench's `records_only`, each length read, nothing decoded;
//! * `walk+ahead D`: the same walk that also loads the byte `D` bytes past the current record
//!   (a plain load into an accumulator, off the chain, clamped to the end of the stream);
//! * `mstrp`, `mstrp+ahead D`: `Request::parse`, the fifteen DWORDs summed and every
//!   reference resolved (the bench's `mstrp`) over either walk;
//! * `walk burst B/D`, `mstrp burst B/D`: the walks that, `D` bytes before each block of `B`
//!   bytes, load one byte of each of its 64-byte lines in one burst;
//! * `walk+pf D`, `mstrp+pf D`: the walk with a prefetch instruction for the line `D` bytes past
//!   each record (`safe_arch::prefetch_t0`) instead of a load: a prefetch retires at once,
//!   where a load holds the reorder window until its line arrives; `mstrp+pf t1|t2|nta D`
//!   the same with the other hints (`prefetcht1`, `prefetcht2`, `prefetchnta`);
//! * `read every byte`: the stream read once, eight bytes at a time, with no walk (the
//!   benches' `read_every_byte`): what reading the bytes costs when only memory limits it;
//! * `walk records`, `mstrp records`: the same over `mstrp::session::replay::records`, the
//!   library's reader of this layout (a sequence file), which prefetches 4 KiB ahead;
//! * `work K+ahead 4096`, `work K, in cache`: the walk with `K` steps of register-only work
//!   (four instructions each) per record instead of a decoder, out of cache with the read-ahead
//!   and in cache: whether the misses overlap the work or add to it;
//! * `..., in cache`: the same decoders over one pass of the packets (9.6 KB) walked as many
//!   times as the big stream repeats it, the cost when no byte comes from memory.
//!
//! ```text
//! cargo run --release --all-features --example stream_walk        # 7 runs of each
//! cargo run --release --all-features --example stream_walk -- 3   # 3 runs of each
//! cargo run --release --all-features --example stream_walk -- 7 prefetch  # the read-aheads only
//! ```

use std::hint::black_box;
use std::time::{Duration, Instant};

use mstrp::session::replay::records;

#[path = "../tests/common/samples.rs"]
#[allow(dead_code)]
mod samples;

#[path = "../benches/common/request_stream.rs"]
mod request_stream;
use request_stream::{big_stream, mstrp_one, out_of_cache_len, read_all, stream as packets};

/// The bench's walk, with a load `AHEAD` bytes past each record when `AHEAD` is not 0.
#[inline(always)]
fn walk<const AHEAD: usize>(mut s: &[u8], mut f: impl FnMut(&[u8])) -> u64 {
    let mut touched = 0u64;
    while let Some((len, rest)) = s.split_first_chunk::<4>() {
        if AHEAD != 0 {
            // Off the chain: nothing below depends on this byte.
            touched = touched.wrapping_add(u64::from(rest.get(AHEAD).copied().unwrap_or(0)));
        }
        let len = u32::from_le_bytes(*len) as usize;
        let Some((p, rest)) = rest.split_at_checked(len) else {
            break;
        };
        s = rest;
        f(p);
    }
    touched
}

/// The walk with a prefetch instruction for the line `PF` bytes past each record, which,
/// unlike a load, retires without waiting for its line: `HINT` 0 is `prefetcht0` (every
/// cache level), 1 `prefetcht1` (L2 and out), 2 `prefetcht2`, 3 `prefetchnta`.
#[inline(always)]
fn walk_pf<const PF: usize, const HINT: u8>(mut s: &[u8], mut f: impl FnMut(&[u8])) {
    while let Some((len, rest)) = s.split_first_chunk::<4>() {
        if let Some(b) = rest.get(PF) {
            match HINT {
                0 => safe_arch::prefetch_t0(b),
                1 => safe_arch::prefetch_t1(b),
                2 => safe_arch::prefetch_t2(b),
                _ => safe_arch::prefetch_nta(b),
            }
        }
        let len = u32::from_le_bytes(*len) as usize;
        let Some((p, rest)) = rest.split_at_checked(len) else {
            break;
        };
        s = rest;
        f(p);
    }
}

#[inline(never)]
fn decode_pf<const PF: usize, const HINT: u8>(big: &[u8]) -> u64 {
    let mut acc = 0u64;
    walk_pf::<PF, HINT>(big, |p| mstrp_one(p, &mut acc));
    acc
}

#[inline(never)]
fn lengths_pf<const PF: usize>(big: &[u8]) -> u64 {
    let mut acc = 0u64;
    walk_pf::<PF, 0>(big, |p| acc += p.len() as u64);
    acc
}

/// The walk that touches the stream in bursts: whenever it comes within `AHEAD` bytes of the
/// next block of `BLOCK` bytes, it loads one byte of each 64-byte line of that block, the
/// loads side by side in the program so that they are in flight together.
#[inline(always)]
fn walk_burst<const BLOCK: usize, const AHEAD: usize>(big: &[u8], mut f: impl FnMut(&[u8])) -> u64 {
    let mut touched = 0u64;
    let mut next_block = AHEAD;
    let mut s = big;
    while let Some((len, rest)) = s.split_first_chunk::<4>() {
        let at = big.len() - s.len();
        if at + AHEAD >= next_block {
            let end = (next_block + BLOCK).min(big.len());
            if let Some(block) = big.get(next_block..end) {
                for b in block.iter().step_by(64) {
                    touched = touched.wrapping_add(u64::from(*b));
                }
            }
            next_block += BLOCK;
        }
        let len = u32::from_le_bytes(*len) as usize;
        let Some((p, rest)) = rest.split_at_checked(len) else {
            break;
        };
        s = rest;
        f(p);
    }
    touched
}

#[inline(never)]
fn decode_burst<const BLOCK: usize, const AHEAD: usize>(big: &[u8]) -> u64 {
    let mut acc = 0u64;
    let t = walk_burst::<BLOCK, AHEAD>(big, |p| mstrp_one(p, &mut acc));
    acc.wrapping_add(t)
}

#[inline(never)]
fn lengths_burst<const BLOCK: usize, const AHEAD: usize>(big: &[u8]) -> u64 {
    let mut acc = 0u64;
    let t = walk_burst::<BLOCK, AHEAD>(big, |p| acc += p.len() as u64);
    acc.wrapping_add(t)
}

/// `K` steps of register-only work on a record's length (no memory access): a stand-in for a
/// decoder's instructions, to see whether a walk's misses overlap work or add to it.
#[inline(always)]
fn filler<const K: usize>(p: &[u8], acc: &mut u64) {
    let n = p.len() as u64;
    let (mut a, mut b, mut c, mut d) = (n, n ^ 1, n ^ 2, n ^ 3);
    for _ in 0..K {
        a = a.wrapping_add(b >> 1);
        b ^= c << 1;
        c = c.wrapping_add(d >> 2);
        d ^= a << 3;
    }
    *acc = acc.wrapping_add(a ^ b ^ c ^ d);
}

#[inline(never)]
fn work<const K: usize, const AHEAD: usize>(big: &[u8]) -> u64 {
    let mut acc = 0u64;
    let t = walk::<AHEAD>(big, |p| filler::<K>(p, &mut acc));
    acc.wrapping_add(t)
}

#[inline(never)]
fn lengths<const AHEAD: usize>(big: &[u8]) -> u64 {
    let mut acc = 0u64;
    let t = walk::<AHEAD>(big, |p| acc += p.len() as u64);
    acc.wrapping_add(t)
}

#[inline(never)]
fn decode<const AHEAD: usize>(big: &[u8]) -> u64 {
    let mut acc = 0u64;
    let t = walk::<AHEAD>(big, |p| mstrp_one(p, &mut acc));
    acc.wrapping_add(t)
}

#[inline(never)]
fn decode_stream(big: &[u8]) -> u64 {
    let mut acc = 0u64;
    for r in records(big) {
        mstrp_one(r.expect("whole records").bytes, &mut acc);
    }
    acc
}

#[inline(never)]
fn lengths_stream(big: &[u8]) -> u64 {
    records(big)
        .map(|r| r.expect("whole records").bytes.len() as u64)
        .sum()
}

fn time(runs: usize, mut f: impl FnMut() -> u64) -> (Duration, Duration) {
    black_box(f()); // warm-up: page faults, frequency
    let mut t: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .collect();
    t.sort();
    (t[0], t[runs / 2])
}

fn main() {
    let mut args = std::env::args().skip(1);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(7);
    // `prefetch`: only the rows that compare the read-aheads (memcpy, the walks, the decoders).
    let all = args.next().as_deref() != Some("prefetch");
    let packets = packets();
    let min = out_of_cache_len();
    let (big, count) = big_stream(&packets, min);
    let mut copy = vec![0u8; big.len()];
    println!("{count} packets, {} bytes, {runs} runs each", big.len());

    // The variants agree on what they read.
    let plain = decode::<0>(&big);
    assert_eq!(
        lengths::<0>(&big),
        (big.len() as u64) - 4 * count,
        "every record walked"
    );
    assert_eq!(
        decode_stream(&big),
        plain,
        "records() walks the same records"
    );
    assert_eq!(
        decode_pf::<2048, 0>(&big),
        plain,
        "the prefetching walk too"
    );
    assert_eq!(lengths_stream(&big), lengths::<0>(&big));

    let memcpy = |copy: &mut [u8]| {
        copy.copy_from_slice(black_box(&big));
        u64::from(copy[0])
    };
    let (memcpy_best, memcpy_median) = time(runs, || memcpy(&mut copy));
    // One pass of the packets (9.6 KB, the stream's first records), walked as many times as
    // the big stream repeats it: the cost when no byte comes from memory.
    let (one, _) = big_stream(&packets, 1);
    let reps = count / packets.len() as u64;
    let one = black_box(&one[..]);
    let in_cache = |runs| {
        time(runs, || {
            (0..reps).map(|_| decode::<0>(black_box(one))).sum()
        })
    };
    let report = |name: &str, (best, median): (Duration, Duration)| {
        println!(
            "{name:<22} best {:>8.2} ms ({:.3}x memcpy)  median {:>8.2} ms ({:.3}x memcpy)  {:.2} ns/packet",
            best.as_secs_f64() * 1e3,
            memcpy_best.as_secs_f64() / best.as_secs_f64(),
            median.as_secs_f64() * 1e3,
            memcpy_median.as_secs_f64() / median.as_secs_f64(),
            median.as_secs_f64() * 1e9 / count as f64,
        )
    };
    report("memcpy", (memcpy_best, memcpy_median));
    let b = black_box(&big[..]);
    report("walk", time(runs, || lengths::<0>(b)));
    report("read every byte", time(runs, || read_all(b)));
    report("walk+pf 1024", time(runs, || lengths_pf::<1024>(b)));
    report("walk+pf 2048", time(runs, || lengths_pf::<2048>(b)));
    report("walk+pf 4096", time(runs, || lengths_pf::<4096>(b)));
    report("walk records", time(runs, || lengths_stream(b)));
    report("mstrp+ahead 2048", time(runs, || decode::<2048>(b)));
    report("mstrp+pf 1024", time(runs, || decode_pf::<1024, 0>(b)));
    report("mstrp+pf 2048", time(runs, || decode_pf::<2048, 0>(b)));
    report("mstrp+pf 3072", time(runs, || decode_pf::<3072, 0>(b)));
    report("mstrp+pf 4096", time(runs, || decode_pf::<4096, 0>(b)));
    report("mstrp+pf 6144", time(runs, || decode_pf::<6144, 0>(b)));
    report("mstrp+pf 8192", time(runs, || decode_pf::<8192, 0>(b)));
    report("mstrp+pf t1 4096", time(runs, || decode_pf::<4096, 1>(b)));
    report("mstrp+pf t2 4096", time(runs, || decode_pf::<4096, 2>(b)));
    report("mstrp+pf nta 4096", time(runs, || decode_pf::<4096, 3>(b)));
    report("mstrp+pf t1 8192", time(runs, || decode_pf::<8192, 1>(b)));
    report("mstrp records", time(runs, || decode_stream(b)));
    report("mstrp, in cache", in_cache(runs));
    report("memcpy again", time(runs, || memcpy(&mut copy)));
    if !all {
        return;
    }
    report("walk+ahead 256", time(runs, || lengths::<256>(b)));
    report("walk+ahead 1024", time(runs, || lengths::<1024>(b)));
    report("walk+ahead 2048", time(runs, || lengths::<2048>(b)));
    report("walk+ahead 4096", time(runs, || lengths::<4096>(b)));
    report("mstrp", time(runs, || decode::<0>(b)));
    report("mstrp+ahead 256", time(runs, || decode::<256>(b)));
    report("mstrp+ahead 1024", time(runs, || decode::<1024>(b)));
    report("mstrp+ahead 4096", time(runs, || decode::<4096>(b)));
    report(
        "walk burst 512/4096",
        time(runs, || lengths_burst::<512, 4096>(b)),
    );
    report(
        "walk burst 1024/4096",
        time(runs, || lengths_burst::<1024, 4096>(b)),
    );
    report(
        "mstrp burst 512/4096",
        time(runs, || decode_burst::<512, 4096>(b)),
    );
    report(
        "mstrp burst 1024/4096",
        time(runs, || decode_burst::<1024, 4096>(b)),
    );
    report(
        "mstrp burst 2048/8192",
        time(runs, || decode_burst::<2048, 8192>(b)),
    );
    // Register-only work of K steps (4 instructions each) per record, out of cache with the
    // read-ahead, then in cache: do the misses overlap the work, or add to it?
    macro_rules! filler_rows {
        ($($k:literal),*) => {$(
            report(concat!("work ", $k, "+ahead 4096"), time(runs, || work::<$k, 4096>(b)));
            report(
                concat!("work ", $k, ", in cache"),
                time(runs, || (0..reps).map(|_| work::<$k, 0>(black_box(one))).sum()),
            );
        )*};
    }
    filler_rows!(0, 8, 16, 32);
    // The same work in cache: one pass of the packets (9.6 KB, the stream's first records),
    // walked as many times as the big stream repeats it: what the decode costs when no byte
    // comes from memory.
    report(
        "walk, in cache",
        time(runs, || {
            (0..reps).map(|_| lengths::<0>(black_box(one))).sum()
        }),
    );
    report(
        "mstrp records, in c.",
        time(runs, || {
            (0..reps).map(|_| decode_stream(black_box(one))).sum()
        }),
    );
}
