//! The request streams of benches/requests.rs, shared with `examples/stream_walk.rs` (the
//! out-of-cache experiment): one packet of every kind plus the section 4 samples, and the same
//! packets laid back to back behind their lengths. The including crate declares `samples`
//! (tests/common/samples.rs) at its root.

use mstrp::requests::{Request, Resolved};

use crate::samples;

/// The in-cache mixed stream: one buffer per packet.
pub fn stream() -> Vec<Vec<u8>> {
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

/// The size of the largest CPU cache Linux reports for CPU 0 (`/sys/devices/system/cpu/cpu0/
/// cache/index*/size`), 0 where it reports none.
pub fn last_level_cache() -> usize {
    (0..8)
        .filter_map(|i| {
            let path = format!("/sys/devices/system/cpu/cpu0/cache/index{i}/size");
            let text = std::fs::read_to_string(path).ok()?;
            let text = text.trim();
            let (digits, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit())?);
            let n: usize = digits.parse().ok()?;
            Some(match unit {
                "K" => n << 10,
                "M" => n << 20,
                "G" => n << 30,
                _ => n,
            })
        })
        .max()
        .unwrap_or(0)
}

/// The out-of-cache stream's least size: 256 MiB, and twice the largest reported cache.
pub fn out_of_cache_len() -> usize {
    (256usize << 20).max(2 * last_level_cache())
}

/// The out-of-cache stream: `packets` repeated, each behind its length (u32 LE), until the
/// stream holds at least `min` bytes. Returns the stream and its packet count.
pub fn big_stream(packets: &[Vec<u8>], min: usize) -> (Vec<u8>, u64) {
    let mut out = Vec::with_capacity(min + 64 * 1024);
    let mut n = 0u64;
    while out.len() < min {
        for p in packets {
            out.extend_from_slice(&(p.len() as u32).to_le_bytes());
            out.extend_from_slice(p);
            n += 1;
        }
    }
    (out, n)
}

/// What every decoder of the bench does with the fifteen DWORDs it decoded: a wrapping `u32`
/// sum, widened once. A consumer only has to depend on every field, so that no decoder's
/// reads are optimised away; this one costs what a user reading the fields would pay, and
/// the same for every decoder (mstrp, handwritten_owned, binrw_owned), so their comparison
/// stays fair. (Until issue 13's third round each DWORD was widened to `u64` before adding,
/// 29 of the 81 instructions of an mstrp packet in cache.)
#[inline(always)]
pub fn fold_dwords(dwords: impl IntoIterator<Item = u32>) -> u64 {
    u64::from(dwords.into_iter().fold(0u32, u32::wrapping_add))
}

/// The zero-copy path: parse, dispatch, read every field, resolve every reference.
/// The per-packet work of the `mstrp` rows (and of the experiment's decoders).
#[inline(always)]
pub fn mstrp_one(p: &[u8], acc: &mut u64) {
    let r = Request::parse(p).expect("valid");
    *acc = acc.wrapping_add(fold_dwords(r.dwords()));
    fold_references(&r, acc);
}

/// Resolves every reference of `r` (alignment, bounds, NUL termination checked) and adds
/// what it found to `acc`: a string's length, a block's or structure's size, 1 for an
/// absent reference, 2 for one that does not resolve.
#[inline(always)]
pub fn fold_references(r: &Request<'_>, acc: &mut u64) {
    for reference in r.references() {
        *acc += match reference.value {
            Ok(Some(Resolved::Str(s))) => s.len() as u64,
            Ok(Some(v)) => v.as_bytes().len() as u64,
            Ok(None) => 1,
            Err(_) => 2,
        };
    }
}

/// Every byte of `big` read once, eight at a time, with no walk: the bound any reader of the
/// out-of-cache stream meets when nothing but memory limits it (the loop vectorises, and the
/// hardware prefetcher sees one sequential stream). Its sum is returned so that no read is
/// optimised away.
#[inline(never)]
pub fn read_all(big: &[u8]) -> u64 {
    big.chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().expect("eight bytes")))
        .fold(0, u64::wrapping_add)
}
