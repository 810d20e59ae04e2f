//! The zero-copy claim of the codec, checked with a counting global allocator (issue 13): once
//! the inputs exist, decoding allocates nothing. Counted, for every input:
//!
//! * requests: `Request::parse` of one packet of each of the 132 kinds (every reference
//!   present) and of the section 4 samples, every field (`dwords`, `field_names`, the name and
//!   catalogue entry), every reference resolved, and every structure a reference points at
//!   decoded and walked;
//! * events: framing a buffer holding every event kind (the 32 `Msg` packets, the 26
//!   special-case completions and the ASYNCEVENTMSG template), `Event::parse` or
//!   `SpecialCompletion::parse`, every field with its meaning, VarData and the structure it
//!   holds;
//! * structures: the 49 structures of 2.2.6 (the `decode_structure` fuzz seeds, one per
//!   structure, every item given data): `decode_any`, every member, `validate`, every item read
//!   in every way, every entry walked, the LINEPROXYREQUEST union;
//! * validation: every stateless rule of every request kind (`validate_into`), including the
//!   section 4 samples, which violate none;
//! * encoding: `RequestBuilder::emit` of a builder of every request kind into a caller's
//!   buffer.
//!
//! The library forbids `unsafe`; this test is its own crate, and `GlobalAlloc` can only be
//! implemented with `unsafe impl`. The allocator forwards to `System` and counts, on the
//! thread that asked, only while that thread's counting flag is set, so the test harness's
//! other threads do not disturb the count (the pattern of tests/rpc_zero_alloc.rs).

use std::path::Path;

use mstrp::encoding::Payload;
use mstrp::events::completions::SpecialCompletion;
use mstrp::events::{
    ASYNC_EVENT_MSG, Event, EventBuffer, EventBufferBuilder, EventBuilder, EventDesc, EventKey,
    Meaning, Msg, VarDataDesc, VarValue,
};
use mstrp::requests::{FuncId, Request, RequestBuilder, Resolved, Role};
use mstrp::structures::{self, AnyStructure, MemberValue};
use mstrp::validation;

#[path = "common/samples.rs"]
#[allow(dead_code)]
mod samples;

#[path = "common/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::allocations;

/// The streams of the benches: `valid_packets`, one generated request of each kind that
/// passes every stateless rule, its structures holding data.
#[cfg(feature = "arbitrary")]
#[path = "../benches/common/mod.rs"]
#[allow(dead_code)]
mod bench_streams;

/// The `decode_structure` fuzz seeds: `(name, bytes)` for each of the 49 structures, every
/// variable item given data and every list two entries (tests/structures_corpus.rs writes and
/// checks them).
fn structure_seeds() -> Vec<(&'static str, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/decode_structure");
    structures::ALL
        .iter()
        .map(|d| {
            let data = std::fs::read(dir.join(format!("seed-{}", d.name)))
                .unwrap_or_else(|e| panic!("seed-{}: {e}", d.name));
            (d.name, data[1..].to_vec())
        })
        .collect()
}

/// Walks every member, item and entry of a structure; returns how many things it read.
fn walk_structure(s: &AnyStructure<'_>) -> usize {
    let raw = s.raw();
    let mut n = 0;
    for (_, v) in raw.fields() {
        n += match v {
            Some(MemberValue::Dword(x)) => 1 + (x & 1) as usize,
            Some(_) => 1,
            None => 0,
        };
    }
    raw.validate().expect("a seed validates");
    let _ = raw.reading();
    for item in raw.var_items() {
        n += item.bytes().expect("resolves").map_or(0, <[u8]>::len);
        if let Ok(Some(t)) = item.text() {
            n += usize::from(t.is_textual()) + t.as_bytes().len();
        }
        if let Ok(Some(m)) = item.multi_text() {
            n += m.iter().map(|s| s.len()).sum::<usize>();
        }
        if let Ok(Some(t)) = item.text_table() {
            n += t.iter().map(|t| t.as_bytes().len()).sum::<usize>();
        }
        if let Ok(Some(d)) = item.dwords() {
            n += d.len();
        }
        if let Ok(entries) = item.entries() {
            for e in entries {
                e.validate().expect("an entry of a seed validates");
                n += e.fields().count();
                for inner in e.var_items() {
                    n += inner.bytes().expect("resolves").map_or(0, <[u8]>::len);
                }
            }
        }
    }
    if let AnyStructure::LINEPROXYREQUEST(p) = s {
        let r = p.request();
        n += r.members().count();
        n += r.strings().count();
        n += r.params().expect("resolves").map_or(0, <[u8]>::len);
        if let Some((_, Ok(inner))) = r.structure() {
            inner.raw().validate().expect("validates");
            n += 1;
        }
    }
    n
}

/// One packet of every kind that references a structure, each structure reference given the
/// seed of the structure it names, so the decode of the structure is counted too.
fn with_structures() -> Vec<Vec<u8>> {
    let seeds = structure_seeds();
    FuncId::ALL
        .iter()
        .filter(|f| {
            f.desc()
                .fields
                .iter()
                .any(|fd| matches!(fd.role, Role::Structure { .. }))
        })
        .map(|&func| {
            let mut b = RequestBuilder::new(func);
            for (i, f) in func.desc().fields.iter().enumerate().skip(2) {
                if let Role::Structure { name, .. } = f.role {
                    let (_, bytes) = seeds
                        .iter()
                        .find(|(n, _)| *n == name)
                        .unwrap_or_else(|| panic!("no seed for {name}"));
                    b.set_payload(i, Payload::Bytes(bytes.clone()));
                }
            }
            b.to_bytes().to_vec()
        })
        .collect()
}

#[test]
fn the_counter_counts() {
    let (v, n) = allocations(|| std::hint::black_box(vec![1u8; 100]));
    assert_eq!(v.len(), 100);
    assert!(n >= 1, "a Vec allocation is counted");
    let (_, n) = allocations(|| std::hint::black_box(3 + 4));
    assert_eq!(n, 0);
}

#[test]
fn every_request_kind_parses_reads_and_resolves_without_allocating() {
    let mut packets: Vec<Vec<u8>> = samples::one_of_every_kind()
        .into_iter()
        .map(|(_, b)| b.to_vec())
        .collect();
    assert_eq!(packets.len(), 132);
    packets.extend(with_structures());
    packets.extend(
        samples::request_samples()
            .into_iter()
            .map(|(_, _, b)| b.to_vec()),
    );
    let ((kinds, refs, structs, acc), n) = allocations(|| {
        let (mut kinds, mut refs, mut structs, mut acc) = (0, 0, 0, 0u64);
        for p in &packets {
            let r = Request::parse(p).expect("parses");
            let desc = r.desc().expect("a documented kind");
            kinds += usize::from(r.func().is_some());
            acc = acc.wrapping_add(desc.name.len() as u64);
            for (name, d) in r.field_names().iter().zip(r.dwords()) {
                acc = acc.wrapping_add(u64::from(d) ^ name.len() as u64);
            }
            for reference in r.references() {
                refs += 1;
                match reference.value.expect("resolves") {
                    None => acc += 1,
                    Some(Resolved::Str(s)) => acc += s.units().count() as u64,
                    Some(Resolved::Bytes(b)) => acc += b.len() as u64,
                    Some(Resolved::Structure(b)) => {
                        acc += b.len() as u64;
                        // The structure itself, decoded through the field's reference.
                        if let Role::Structure { name, .. } = reference.field.role
                            && let Some(Ok(s)) = structures::decode_any(name, b)
                        {
                            acc += s.raw().fields().count() as u64;
                            structs += 1;
                        }
                    }
                }
            }
            acc = acc.wrapping_add(r.len() as u64);
        }
        (kinds, refs, structs, acc)
    });
    assert_eq!(kinds, packets.len());
    assert!(refs > 0, "{refs} references");
    assert!(acc != 0);
    assert!(structs > 0, "structure references decode");
    assert_eq!(n, 0, "{n} allocations");
}

#[test]
fn every_event_kind_decodes_without_allocating() {
    let seeds = structure_seeds();
    let seed = |name: &str| {
        seeds
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, b)| b.clone())
            .unwrap_or_else(|| panic!("no seed for {name}"))
    };
    let mut descs: Vec<&'static EventDesc> = Msg::ALL.iter().map(|m| m.desc()).collect();
    descs.extend(SpecialCompletion::ALL.iter().copied());
    descs.push(&ASYNC_EVENT_MSG);
    assert_eq!(descs.len(), 32 + 26 + 1);
    let mut buffer = EventBufferBuilder::new();
    for (k, desc) in descs.iter().enumerate() {
        let mut b = EventBuilder::new(desc);
        for i in 1..desc.fields.len() {
            if i != 4 {
                b.set(i, 0x100 + (k * 32 + i) as u32);
            }
        }
        if desc.key == EventKey::Template {
            b.set(4, 0x1FFF);
        }
        match desc.var {
            VarDataDesc::None => &mut b,
            VarDataDesc::Wchars { .. } => b.set_var_text("0123456789"),
            VarDataDesc::StringAt { .. } => b.set_var_text("dialog"),
            VarDataDesc::Structure(name)
            | VarDataDesc::Sized {
                structure: Some(name),
                ..
            } => b.set_var_data(&seed(name)),
            VarDataDesc::Sized {
                structure: None, ..
            } => b.set_var_data(&[7; 24]),
        };
        buffer.push(b);
    }
    let bytes = buffer.to_bytes().to_vec();

    let ((events, fields, structs, acc), n) = allocations(|| {
        let (mut events, mut fields, mut structs, mut acc) = (0, 0, 0, 0u64);
        for (raw, desc) in EventBuffer::new(&bytes).into_iter().zip(&descs) {
            let raw = raw.expect("frames");
            let t = match desc.key {
                EventKey::Completion(f) => SpecialCompletion::parse(f, raw)
                    .expect("decodes")
                    .expect("a special case")
                    .typed(),
                _ => Event::parse(raw).expect("decodes").typed(),
            };
            assert_eq!(t.desc(), *desc);
            events += 1;
            for f in t.fields() {
                fields += 1;
                acc = acc.wrapping_add(u64::from(f.value));
                acc = acc.wrapping_add(match f.meaning {
                    Meaning::Constant(kind, v) => u64::from(kind.is_documented(v)),
                    Meaning::Result(r) => u64::from(r.0),
                    Meaning::CallStateDetail(_) => 3,
                    _ => 0,
                });
            }
            match t.var_value().expect("resolves") {
                VarValue::Digits(s) | VarValue::Text(s) => acc += s.len() as u64,
                VarValue::Raw(b) => acc += b.len() as u64,
                VarValue::Structure { bytes, .. } | VarValue::Sized { bytes, .. } => {
                    acc += bytes.len() as u64
                }
            }
            if let Some(s) = t.structure().expect("decodes") {
                acc += walk_structure(&s) as u64;
                structs += 1;
            }
        }
        (events, fields, structs, acc)
    });
    assert_eq!(events, descs.len());
    assert!(fields > 6 * events, "{fields} fields");
    assert!(structs > 0);
    assert!(acc != 0);
    assert_eq!(n, 0, "{n} allocations");
}

#[test]
fn every_structure_decodes_and_reads_without_allocating() {
    let seeds = structure_seeds();
    assert_eq!(seeds.len(), 49);
    let ((decoded, acc), n) = allocations(|| {
        let (mut decoded, mut acc) = (0, 0usize);
        for (name, bytes) in &seeds {
            let s = structures::decode_any(name, bytes)
                .expect("a known structure")
                .expect("the seed decodes");
            acc += walk_structure(&s);
            decoded += 1;
        }
        (decoded, acc)
    });
    assert_eq!(decoded, 49);
    assert!(acc > 49);
    assert_eq!(n, 0, "{n} allocations");
}

#[test]
fn stateless_validation_allocates_nothing() {
    let mut packets: Vec<Vec<u8>> = samples::request_samples()
        .into_iter()
        .map(|(_, _, b)| b.to_vec())
        .collect();
    let valid = packets.len();
    packets.extend(
        samples::one_of_every_kind()
            .into_iter()
            .map(|(_, b)| b.to_vec()),
    );
    let requests: Vec<Request<'_>> = packets
        .iter()
        .map(|p| Request::parse(p).expect("parses"))
        .collect();
    let (violations, n) = allocations(|| {
        let mut per_packet = [0usize; 160];
        for (i, r) in requests.iter().enumerate() {
            validation::validate_into(r, None, &mut |v| {
                per_packet[i] += 1;
                std::hint::black_box(v);
            });
        }
        per_packet
    });
    assert_eq!(n, 0, "{n} allocations");
    // The section 4 samples are valid packets: no stateless rule fails on them.
    assert_eq!(&violations[..valid], &vec![0; valid][..]);
}

/// Validation of conforming requests whose embedded structures hold data (a LINECALLPARAMS
/// with nine items, LINEFORWARDLIST entries, ...): the fast paths that decide them from one
/// parse, and the full rules for the arrays and string lists they leave, allocate nothing.
#[cfg(feature = "arbitrary")]
#[test]
fn stateless_validation_of_valid_requests_with_data_allocates_nothing() {
    let packets = bench_streams::valid_packets();
    let requests: Vec<Request<'_>> = packets
        .iter()
        .map(|p| Request::parse(p).expect("parses"))
        .collect();
    assert_eq!(requests.len(), 132);
    let (violations, n) = allocations(|| {
        let mut violations = 0usize;
        for r in &requests {
            validation::validate_into(r, None, &mut |v| {
                violations += 1;
                std::hint::black_box(v);
            });
        }
        violations
    });
    assert_eq!(n, 0, "{n} allocations");
    assert_eq!(
        violations, 0,
        "the generated requests pass every stateless rule"
    );
}

#[test]
fn emitting_every_request_kind_into_a_buffer_allocates_nothing() {
    let builders: Vec<RequestBuilder> = samples::one_of_every_kind()
        .iter()
        .map(|(_, b)| &b[..])
        .chain(with_structures().iter().map(|b| &b[..]))
        .map(|b| {
            RequestBuilder::from_request(&Request::parse(b).expect("parses")).expect("resolves")
        })
        .collect();
    assert!(builders.len() > 132);
    let mut buf = vec![0u8; 1 << 16];
    let ((written, total), n) = allocations(|| {
        let (mut written, mut total) = (0usize, 0usize);
        for b in &builders {
            total += b.buffer_len();
            written += b.emit(&mut buf).expect("fits");
        }
        (written, total)
    });
    assert_eq!(n, 0, "{n} allocations");
    assert_eq!(written, total);
}
