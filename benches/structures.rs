//! Decode throughput of the 49 data structures of [MS-TRP] 2.2.6 (issue 13, item 6), against
//! memcpy of the same bytes measured in the same run.
//!
//! Each structure of the catalogue (`structures::ALL`) is built once, before anything is
//! timed, with the crate's `StructBuilder`: every variable item given data (a string per text
//! item, `ascii\0`, 5 bytes per block, 3 DWORDs per array, two 16-byte texts per text table),
//! every entry array two entries with their own items, and LINEPROXYREQUEST's union filled
//! (`dwRequestType` GETAGENTGROUPLIST, with the LINEAGENTGROUPLIST it embeds). Decoding is
//! `Raw::parse` (what every typed `X::parse` calls), then [`read_all`]: every fixed member
//! (`Raw::fields`), every (size, offset) pair resolved and read as its kind says (text, text
//! list, text table, DWORDs, bytes, entries, and each entry's own members and items), and for
//! LINEPROXYREQUEST the union's members, strings, parameters and embedded structure.
//!
//! * `structures/mixed_bytes`, `structures/mixed_structures`: the 49 one after the other,
//!   `memcpy` (each into a scratch buffer) vs `mstrp` (decode + read everything) vs
//!   `mstrp_parse` (the decode alone, to split the cost).
//! * `structures/per_structure`: not a criterion group (49 groups cost too much CI time) but a
//!   short loop before them, printed as a table: for each structure the best of 7 batches of
//!   decode + read and of memcpy, in ns per structure, ns per byte and memcpy ÷ decode.
//!
//! ```text
//! cargo bench --bench structures -- --warm-up-time 1 --measurement-time 3
//! ```

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use mstrp::encoding::Payload;
use mstrp::errors::DecodeError;
use mstrp::structures::{
    self, FromRaw, LINEPROXYREQUEST, MemberValue, Raw, StructBuilder, StructDesc, VarKind,
};
use zerocopy::IntoBytes;

/// `structure` with every item given data and every entry array two entries.
fn builder(desc: &'static StructDesc) -> StructBuilder {
    let item = |b: StructBuilder, v: &structures::VarDesc| match v.kind {
        VarKind::Ascii => b.payload(v.name, Payload::Bytes(b"ascii\0".to_vec())),
        VarKind::Dwords => b.dwords(v.name, &[1, 2, 3]),
        VarKind::Bytes => b.payload(v.name, Payload::Bytes(vec![0xAB; 5])),
        VarKind::TextTable { .. } => b.text_table(v.name, 16, &["first", "second"]),
        VarKind::Text | VarKind::MultiText => b.payload(v.name, Payload::text(v.name)),
        VarKind::Entries { entry, .. } | VarKind::InlineEntries { entry } => {
            let list = (0..2)
                .map(|_| {
                    entry.vars.iter().fold(StructBuilder::new(entry), |b, v| {
                        b.payload(v.name, Payload::text(v.name))
                    })
                })
                .collect();
            b.entries(v.name, list)
        }
    };
    let mut b = StructBuilder::new(desc);
    if desc.field("dwStringFormat").is_some() {
        b = b
            .try_set("dwStringFormat", structures::STRINGFORMAT_UNICODE)
            .expect("a DWORD member");
    }
    desc.vars.iter().fold(b, item)
}

/// LINEPROXYREQUEST as a server lays it out (2.2.6.28): the fixed part, the union of the
/// GETAGENTGROUPLIST alternative at byte 28 (`dwAddressID`, then a LINEAGENTGROUPLIST of two
/// named groups), then the client machine and user names. The builder does not know the
/// union, so its names are moved after it.
fn proxy_request() -> Vec<u8> {
    const UNION: usize = structures::proxy::UNION_OFFSET;
    let names = builder(LINEPROXYREQUEST::DESC)
        .try_set(
            "dwRequestType",
            structures::ProxyRequestKind::GetAgentGroupList as u32,
        )
        .expect("a DWORD member")
        .to_vec();
    let mut union = 7u32.to_le_bytes().to_vec(); // dwAddressIDGETAGENTGROUPLIST
    union.extend(builder(structures::LINEAGENTGROUPLIST::DESC).to_vec());
    let shift = u32::try_from(union.len()).expect("small");
    let mut out = names[..UNION].to_vec();
    out.extend(&union);
    out.extend(&names[UNION..]);
    let add = |out: &mut Vec<u8>, at: usize| {
        let v = u32::from_le_bytes(out[at..at + 4].try_into().expect("4 bytes")) + shift;
        out[at..at + 4].copy_from_slice(&v.to_le_bytes());
    };
    add(&mut out, 0); // dwSize
    for v in LINEPROXYREQUEST::DESC.vars {
        add(&mut out, v.offset_at);
    }
    out
}

/// One valid instance of every structure, in catalogue order.
fn instances() -> Vec<(&'static StructDesc, Vec<u8>)> {
    structures::ALL
        .iter()
        .map(|d| {
            let bytes = if d.name == "LINEPROXYREQUEST" {
                proxy_request()
            } else {
                builder(d).to_vec()
            };
            (*d, bytes)
        })
        .collect()
}

/// A number that depends on a member's value, so that reading it cannot be left out.
fn member(v: Option<MemberValue>) -> u64 {
    let head = |b: &[u8]| b.iter().take(8).map(|&x| u64::from(x)).sum::<u64>();
    match v {
        None => 1,
        Some(MemberValue::Dword(d)) => u64::from(d),
        Some(MemberValue::Guid(g)) => head(g.as_bytes()),
        Some(MemberValue::DialParams(p)) => head(p.as_bytes()),
        Some(MemberValue::SystemTime(t)) => head(t.as_bytes()),
        Some(MemberValue::Currency(c)) => c as u64,
        Some(MemberValue::Date(d)) => d.to_bits(),
    }
}

/// Reads every member and every item of `raw` (entries recursively): the accessors a caller
/// of the typed view has, through the catalogue's descriptions.
fn read_all(raw: &Raw<'_>) -> Result<u64, DecodeError> {
    let mut acc = 0u64;
    for (_, v) in raw.fields() {
        acc = acc.wrapping_add(member(v));
    }
    for item in raw.var_items() {
        acc += match item.desc.kind {
            VarKind::Text | VarKind::Ascii => item.text()?.map_or(0, |t| t.as_bytes().len() as u64),
            VarKind::MultiText => item
                .multi_text()?
                .map_or(0, |m| m.iter().map(|s| s.len() as u64).sum()),
            VarKind::TextTable { .. } => item
                .text_table()?
                .map_or(0, |t| t.iter().map(|t| t.as_bytes().len() as u64).sum()),
            VarKind::Dwords => item
                .dwords()?
                .map_or(0, |d| d.iter().map(|x| u64::from(x.get())).sum()),
            VarKind::Bytes => item
                .bytes()?
                .map_or(0, |b| b.iter().map(|&x| u64::from(x)).sum()),
            VarKind::Entries { .. } | VarKind::InlineEntries { .. } => {
                let mut n = 0;
                for e in item.entries()? {
                    n += read_all(&e)?;
                }
                n
            }
        };
    }
    if raw.desc().name == "LINEPROXYREQUEST" {
        let r = LINEPROXYREQUEST::from_raw(*raw).request();
        for (_, _, v) in r.members() {
            acc = acc.wrapping_add(member(v));
        }
        for (_, s) in r.strings() {
            acc += s?.map_or(0, |t| t.as_bytes().len() as u64);
        }
        acc += r.params()?.map_or(0, |b| b.len() as u64);
        if let Some((_, inner)) = r.structure() {
            acc += read_all(&inner?.raw())?;
        }
    }
    Ok(acc)
}

/// How much [`read_all`] reads in `raw`: (members, items with data), entries included.
fn shape(raw: &Raw<'_>) -> (usize, usize) {
    let mut members = raw.fields().filter(|(_, v)| v.is_some()).count();
    let mut items = 0;
    for item in raw.var_items() {
        if item.bytes().ok().flatten().is_some() {
            items += 1;
        }
        for e in item.entries().into_iter().flatten() {
            let (m, i) = shape(&e);
            members += m;
            items += i;
        }
    }
    (members, items)
}

/// Decodes `bytes` as `desc` and reads everything.
#[inline]
fn decode(desc: &'static StructDesc, bytes: &[u8]) -> u64 {
    let raw = Raw::parse(desc, bytes).expect("a valid instance");
    read_all(&raw).expect("a valid instance")
}

fn decode_all(set: &[(&'static StructDesc, Vec<u8>)]) -> u64 {
    set.iter().map(|(d, b)| decode(d, black_box(b))).sum()
}

fn parse_all(set: &[(&'static StructDesc, Vec<u8>)]) -> usize {
    set.iter()
        .map(|(d, b)| {
            Raw::parse(d, black_box(b))
                .expect("a valid instance")
                .fixed_bytes()
                .len()
        })
        .sum()
}

fn memcpy_all(set: &[(&'static StructDesc, Vec<u8>)], scratch: &mut [u8]) -> u64 {
    let mut acc = 0u64;
    for (_, b) in set {
        let dst = &mut scratch[..b.len()];
        dst.copy_from_slice(black_box(b));
        acc += u64::from(dst[0]);
    }
    acc
}

/// The best time per call of `f`, over 7 batches of about 2 ms each.
fn best_ns(mut f: impl FnMut() -> u64) -> f64 {
    let mut n = 1u32;
    loop {
        let t = Instant::now();
        for _ in 0..n {
            black_box(f());
        }
        if t.elapsed() >= Duration::from_millis(2) {
            break;
        }
        n *= 2;
    }
    (0..7)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..n {
                black_box(f());
            }
            t.elapsed().as_nanos() as f64 / f64::from(n)
        })
        .fold(f64::INFINITY, f64::min)
}

/// One row of the per-structure table.
struct Row {
    name: &'static str,
    len: usize,
    members: usize,
    items: usize,
    /// Decode + read, ns.
    decode: f64,
    /// memcpy, ns.
    memcpy: f64,
}

impl Row {
    fn print(&self) {
        println!(
            "| {} | {} | {} | {} | {:.0} | {:.2} | {:.1} | {:.1} | {:.3} |",
            self.name,
            self.len,
            self.members,
            self.items,
            self.decode,
            self.decode / self.len as f64,
            self.decode / (self.members + self.items) as f64,
            self.memcpy,
            self.memcpy / self.decode
        );
    }
}

/// The per-structure table, slowest decode first, and the sums.
fn per_structure(set: &[(&'static StructDesc, Vec<u8>)]) {
    let mut scratch = vec![0u8; set.iter().map(|(_, b)| b.len()).max().unwrap_or(0)];
    let mut rows: Vec<Row> = set
        .iter()
        .map(|(d, b)| {
            let decode = best_ns(|| decode(d, black_box(b)));
            let memcpy = best_ns(|| {
                let dst = &mut scratch[..b.len()];
                dst.copy_from_slice(black_box(b));
                u64::from(dst[0])
            });
            let (members, items) = shape(&Raw::parse(d, b).expect("a valid instance"));
            Row {
                name: d.name,
                len: b.len(),
                members,
                items,
                decode,
                memcpy,
            }
        })
        .collect();
    rows.sort_by(|a, b| b.decode.total_cmp(&a.decode));
    println!("structures/per_structure (best of 7 batches of ~2 ms; slowest first)");
    println!(
        "| structure | bytes | members | items | decode + read, ns | ns/byte | ns/(member + item) | memcpy, ns | memcpy ÷ decode |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for row in &rows {
        row.print();
    }
    Row {
        name: "all 49 (sum)",
        len: rows.iter().map(|r| r.len).sum(),
        members: rows.iter().map(|r| r.members).sum(),
        items: rows.iter().map(|r| r.items).sum(),
        decode: rows.iter().map(|r| r.decode).sum(),
        memcpy: rows.iter().map(|r| r.memcpy).sum(),
    }
    .print();
}

/// Criterion's filter: the first argument that is neither an option nor an option's value.
fn positional(args: &[String]) -> Option<&String> {
    const WITH_VALUE: &[&str] = &[
        "--color",
        "-c",
        "--save-baseline",
        "-s",
        "--baseline",
        "-b",
        "--baseline-lenient",
        "--load-baseline",
        "--sample-size",
        "--warm-up-time",
        "--measurement-time",
        "--nresamples",
        "--noise-threshold",
        "--confidence-level",
        "--significance-level",
        "--plotting-backend",
        "--output-format",
        "--profile-time",
        "--format",
    ];
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if WITH_VALUE.contains(&a.as_str()) {
            it.next();
        } else if !a.starts_with('-') {
            return Some(a);
        }
    }
    None
}

fn main() {
    let set = instances();
    assert_eq!(set.len(), 49, "the 49 structures of 2.2.6");
    // Every instance decodes and reads without error (the loops below expect it).
    assert!(decode_all(&set) > 0);
    let bytes: usize = set.iter().map(|(_, b)| b.len()).sum();
    let mut scratch = vec![0u8; set.iter().map(|(_, b)| b.len()).max().unwrap_or(0)];

    let mut c = Criterion::default().configure_from_args();
    // The table is a plain loop: run it when no filter is given or the filter names it, and
    // only when benchmarking (`--bench`, as `cargo bench` passes), not in `cargo test
    // --benches`, `--test` or `--list` runs.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick =
        args.iter().any(|a| a == "--test" || a == "--list") || !args.iter().any(|a| a == "--bench");
    let filter = positional(&args);
    if !quick && filter.is_none_or(|f| "structures/per_structure".contains(f.as_str())) {
        per_structure(&set);
    }

    for (group, throughput) in [
        ("structures/mixed_bytes", Throughput::Bytes(bytes as u64)),
        (
            "structures/mixed_structures",
            Throughput::Elements(set.len() as u64),
        ),
    ] {
        let mut g = c.benchmark_group(group);
        g.throughput(throughput);
        g.bench_function("memcpy", |b| {
            b.iter(|| memcpy_all(black_box(&set), &mut scratch))
        });
        g.bench_function("mstrp", |b| b.iter(|| decode_all(black_box(&set))));
        g.bench_function("mstrp_parse", |b| b.iter(|| parse_all(black_box(&set))));
        g.finish();
    }
    c.final_summary();
}
