//! How decoding scales with size (issue 13, item 8): the cost per packet as VarData grows and
//! per structure as its entries grow, each next to memcpy of the same bytes measured in the
//! same run. Every input is built once, before anything is timed.
//!
//! * `scaling_request_string`: a MakeCall ([MS-TRP] 2.2.4.1.3.43) of 60 B (the TAPI32_MSG
//!   alone, `lpszDestAddress` absent), 1 KiB and 64 KiB (VarData one `lpszDestAddress` of 481
//!   and 32,737 UTF-16 units and its NUL). Decoding is `Request::parse`, every DWORD, every
//!   reference resolved: the string's NUL is searched for, so every byte is touched.
//! * `scaling_request_block`: an AgentSpecific (2.2.4.1.3.3) of the same sizes, VarData one
//!   `lpParams` block. Resolving a block checks its bounds and touches none of its bytes, so
//!   this cost should stay flat: the bytes touched are the 60 of the header.
//! * `scaling_LINEFORWARDLIST` (2.2.6.31, entries inline after the fixed part, the entry size
//!   guessed from the layout) and `scaling_LINEAGENTGROUPLIST` (2.2.6.11, entries behind a
//!   (size, offset) pair with a count) with 1, 100 and 10,000 entries, each entry with its own
//!   strings (LINEFORWARD: caller and destination address; LINEAGENTGROUPENTRY: the name).
//!   Decoding is the typed `parse`, then every member of the list and of every entry and
//!   every entry's strings through the typed accessors. LINEFORWARDLIST is also decoded with
//!   `parse_with` in the negotiated TAPI 3.1 (`mstrp_tapi31`: the entry size known, not guessed
//!   by validating every entry first).
//!
//! Each benchmark's throughput is the bytes of its input, so criterion's estimates give ns per
//! byte; `benches/plot_scaling.py` draws time against bytes (log-log) from
//! `target/criterion/scaling_*/**/new/estimates.json` into `benches/scaling.png`.
//!
//! ```text
//! cargo bench --bench scaling -- --warm-up-time 1 --measurement-time 3
//! ```

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use mstrp::encoding::Payload;
use mstrp::handles::Version;
use mstrp::header::HEADER_LEN;
use mstrp::requests::{Request, Resolved, builders};
use mstrp::structures::{LINEAGENTGROUPENTRY, LINEAGENTGROUPLIST, LINEFORWARD, LINEFORWARDLIST};

/// The packet sizes of the request series.
const PACKETS: [usize; 3] = [HEADER_LEN, 1024, 64 * 1024];

/// The entry counts of the list series.
const ENTRIES: [usize; 3] = [1, 100, 10_000];

/// A MakeCall of exactly `len` bytes: VarData one destination address (absent at 60 bytes).
fn make_call(len: usize) -> Vec<u8> {
    let mut b = builders::LineMakeCall::new()
        .h_line(0x1001)
        .lpsz_dest_address(Payload::Absent)
        .lp_call_params(Payload::Absent);
    if len > HEADER_LEN {
        // The string and its NUL fill VarData (len - 60 is a multiple of 4: no padding).
        let units = (len - HEADER_LEN) / 2 - 1;
        let text: Vec<u16> = (0..units)
            .map(|i| u16::from(b'0') + (i % 10) as u16)
            .collect();
        b = b.lpsz_dest_address(Payload::Text(text));
    }
    let v = b.to_bytes().to_vec();
    assert_eq!(v.len(), len);
    v
}

/// An AgentSpecific of exactly `len` bytes: VarData one parameter block (absent at 60 bytes).
fn agent_specific(len: usize) -> Vec<u8> {
    let mut b = builders::LineAgentSpecific::new()
        .h_line(0x1001)
        .lp_params(Payload::Absent);
    if len > HEADER_LEN {
        b = b.lp_params(vec![0x5A; len - HEADER_LEN]);
    }
    let v = b.to_bytes().to_vec();
    assert_eq!(v.len(), len);
    v
}

/// Parse, every DWORD, every reference resolved (as `benches/requests.rs` does).
fn request(p: &[u8]) -> u64 {
    let r = Request::parse(p).expect("valid");
    let mut acc = 0u64;
    for d in r.dwords() {
        acc = acc.wrapping_add(u64::from(d));
    }
    for reference in r.references() {
        acc += match reference.value.expect("resolves") {
            Some(Resolved::Str(s)) => s.len() as u64,
            Some(v) => v.as_bytes().len() as u64,
            None => 1,
        };
    }
    acc
}

/// A LINEFORWARDLIST of `n` entries, each with a caller and a destination address.
fn forward_list(n: usize) -> Vec<u8> {
    LINEFORWARDLIST::builder()
        .forward_list((0..n).map(|i| {
            LINEFORWARD::builder()
                .dw_forward_mode(0x10)
                .dw_dest_country_code(1)
                .caller_address(format!("+1 425 555 {:04}", i % 10_000).as_str())
                .dest_address(format!("+1 206 555 {:04}", (i * 7) % 10_000).as_str())
        }))
        .to_vec()
}

/// Decodes without a version (the entry size guessed) and reads everything.
fn read_forward_list(b: &[u8]) -> u64 {
    read_forward_entries(LINEFORWARDLIST::parse(b).expect("valid"))
}

/// Decodes in the negotiated TAPI 3.1 (32-byte entries, nothing guessed) and reads everything.
fn read_forward_list_tapi31(b: &[u8]) -> u64 {
    read_forward_entries(LINEFORWARDLIST::parse_with(b, Version::TAPI_3_1).expect("valid"))
}

/// Reads every member of the list and of every entry, and every entry's strings.
fn read_forward_entries(l: LINEFORWARDLIST<'_>) -> u64 {
    let mut acc = u64::from(l.dw_total_size()) + u64::from(l.dw_num_entries());
    for e in l.forward_list().expect("valid") {
        acc += u64::from(e.dw_forward_mode())
            + u64::from(e.dw_caller_address_size())
            + u64::from(e.dw_caller_address_offset())
            + u64::from(e.dw_dest_country_code())
            + u64::from(e.dw_dest_address_size())
            + u64::from(e.dw_dest_address_offset())
            + u64::from(e.dw_caller_address_type().unwrap_or(1))
            + u64::from(e.dw_dest_address_type().unwrap_or(1));
        acc += e
            .caller_address()
            .expect("valid")
            .map_or(0, |t| t.as_bytes().len() as u64);
        acc += e
            .dest_address()
            .expect("valid")
            .map_or(0, |t| t.as_bytes().len() as u64);
    }
    acc
}

/// A LINEAGENTGROUPLIST of `n` entries, each with a group ID and a name.
fn agent_group_list(n: usize) -> Vec<u8> {
    LINEAGENTGROUPLIST::builder()
        .list((0..n).map(|i| {
            let i = u32::try_from(i).expect("small");
            LINEAGENTGROUPENTRY::builder()
                .dw_group_id1(i)
                .dw_group_id2(!i)
                .dw_group_id3(0x5A5A_0000 | i)
                .dw_group_id4(7)
                .name(format!("Group {i:05}").as_str())
        }))
        .to_vec()
}

/// Reads every member of the list and of every entry, and every entry's name.
fn read_agent_group_list(b: &[u8]) -> u64 {
    let l = LINEAGENTGROUPLIST::parse(b).expect("valid");
    let mut acc = u64::from(l.dw_total_size())
        + u64::from(l.dw_needed_size())
        + u64::from(l.dw_used_size())
        + u64::from(l.dw_num_entries())
        + u64::from(l.dw_list_size())
        + u64::from(l.dw_list_offset());
    for e in l.list().expect("valid") {
        acc += u64::from(e.dw_group_id1())
            + u64::from(e.dw_group_id2())
            + u64::from(e.dw_group_id3())
            + u64::from(e.dw_group_id4())
            + u64::from(e.dw_name_size())
            + u64::from(e.dw_name_offset());
        acc += e
            .name()
            .expect("valid")
            .map_or(0, |t| t.as_bytes().len() as u64);
    }
    acc
}

/// How a series decodes: (benchmark name, decode and read).
type Decoder = (&'static str, fn(&[u8]) -> u64);

/// One group: for each input, each decoder and `memcpy` of the same bytes.
fn series(c: &mut Criterion, group: &str, inputs: &[(usize, Vec<u8>)], decoders: &[Decoder]) {
    let mut g = c.benchmark_group(group);
    let mut scratch = vec![0u8; inputs.iter().map(|(_, b)| b.len()).max().unwrap_or(0)];
    for (param, bytes) in inputs {
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        for (name, f) in decoders {
            g.bench_with_input(BenchmarkId::new(*name, param), bytes, |b, bytes| {
                b.iter(|| f(black_box(bytes)))
            });
        }
        g.bench_with_input(BenchmarkId::new("memcpy", param), bytes, |b, bytes| {
            b.iter(|| {
                let dst = &mut scratch[..bytes.len()];
                dst.copy_from_slice(black_box(bytes));
                dst[0]
            })
        });
    }
    g.finish();
}

fn bench(c: &mut Criterion) {
    let calls: Vec<(usize, Vec<u8>)> = PACKETS.iter().map(|&n| (n, make_call(n))).collect();
    let blocks: Vec<(usize, Vec<u8>)> = PACKETS.iter().map(|&n| (n, agent_specific(n))).collect();
    let forwards: Vec<(usize, Vec<u8>)> = ENTRIES.iter().map(|&n| (n, forward_list(n))).collect();
    let groups: Vec<(usize, Vec<u8>)> = ENTRIES.iter().map(|&n| (n, agent_group_list(n))).collect();
    // The inputs decode, and every entry is read (the list lengths are what was built).
    for (n, b) in &forwards {
        let l = LINEFORWARDLIST::parse(b).expect("valid");
        assert_eq!(l.forward_list().expect("valid").count(), *n);
        assert!(read_forward_list(b) > 0);
        assert_eq!(read_forward_list(b), read_forward_list_tapi31(b));
    }
    for (n, b) in &groups {
        let l = LINEAGENTGROUPLIST::parse(b).expect("valid");
        assert_eq!(l.list().expect("valid").count(), *n);
        assert_eq!(l.dw_used_size() as usize, b.len());
        assert!(read_agent_group_list(b) > 0);
    }
    for (_, b) in calls.iter().chain(&blocks) {
        assert!(request(b) > 0);
    }

    series(c, "scaling_request_string", &calls, &[("mstrp", request)]);
    series(c, "scaling_request_block", &blocks, &[("mstrp", request)]);
    series(
        c,
        "scaling_LINEFORWARDLIST",
        &forwards,
        &[
            ("mstrp", read_forward_list),
            ("mstrp_tapi31", read_forward_list_tapi31),
        ],
    );
    series(
        c,
        "scaling_LINEAGENTGROUPLIST",
        &groups,
        &[("mstrp", read_agent_group_list)],
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
