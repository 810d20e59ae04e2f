//! Property tests for the data structures: builder -> bytes -> view -> builder is byte-exact,
//! every item reads back as given, older versions decode with newer members absent, and no
//! input makes the decoder panic.

use proptest::prelude::*;

use mstrp::encoding::Payload;
use mstrp::structures::{self, StructBuilder, StructDesc, VarKind};

/// Members a builder fills itself (sizes, offsets, counts and the header).
fn managed(desc: &StructDesc, name: &str) -> bool {
    matches!(
        name,
        "dwTotalSize" | "dwNeededSize" | "dwUsedSize" | "dwSize"
    ) || desc.vars.iter().any(|v| {
        v.size_field == name
            || v.offset_field == name
            || matches!(v.kind, VarKind::Entries { count_field: Some(c), .. } if c == name)
            || matches!(v.kind, VarKind::TextTable { entry_size_field, .. } if entry_size_field == name)
    })
}

/// Fills the unmanaged members of `desc` from `seed` bytes.
fn fill(desc: &'static StructDesc, seed: &[u8]) -> StructBuilder {
    let mut b = StructBuilder::new(desc);
    let mut bytes = seed.iter().copied().cycle();
    for f in desc.fields {
        if f.size == 4 && managed(desc, f.name) {
            continue;
        }
        let v: Vec<u8> = (&mut bytes).take(f.size).collect();
        b = b.set_bytes(f.name, &v);
    }
    b
}

#[derive(Debug, Clone)]
enum Data {
    Text(String),
    Bytes(Vec<u8>),
}

fn data() -> impl Strategy<Value = Option<Data>> {
    prop_oneof![
        Just(None),
        "[a-zA-Z0-9 /.\u{e9}\u{4e2d}]{0,12}".prop_map(|s| Some(Data::Text(s))),
        proptest::collection::vec(1u8..=255, 1..12).prop_map(|b| Some(Data::Bytes(b))),
    ]
}

/// The payload an item of `kind` gets from `d`.
fn payload(kind: VarKind, d: &Data) -> Payload {
    match (kind, d) {
        (VarKind::Text | VarKind::MultiText, Data::Text(s)) => Payload::text(s),
        (VarKind::Text | VarKind::MultiText, Data::Bytes(b)) => {
            Payload::Text(b.iter().map(|x| u16::from(*x)).collect())
        }
        (VarKind::Ascii, Data::Text(s)) => {
            Payload::Bytes(s.bytes().filter(|c| *c != 0).chain([0]).collect())
        }
        (VarKind::Dwords, d) => {
            let n = match d {
                Data::Text(s) => s.len(),
                Data::Bytes(b) => b.len(),
            };
            Payload::Bytes((0..n as u32 * 4).map(|i| i as u8).collect())
        }
        (_, Data::Text(s)) => Payload::Bytes(s.as_bytes().to_vec()),
        (_, Data::Bytes(b)) => Payload::Bytes(b.clone()),
    }
}

/// The two entries a text table gets from `d`: the text and the text reversed (laid out in
/// entries one UTF-16 unit longer than the text needs).
fn table_texts(d: &Data) -> [String; 2] {
    let first: String = match d {
        Data::Text(s) => s.clone(),
        Data::Bytes(b) => b.iter().map(|x| char::from(*x)).collect(),
    };
    let second = first.chars().rev().collect();
    [first, second]
}

/// A builder for `desc` with every item given data from `items` (entries get entries).
fn build(desc: &'static StructDesc, seed: &[u8], items: &[Option<Data>]) -> StructBuilder {
    let mut b = fill(desc, seed);
    if desc.field("dwStringFormat").is_some() {
        b = b
            .try_set("dwStringFormat", structures::STRINGFORMAT_UNICODE)
            .unwrap();
    }
    for (i, v) in desc.vars.iter().enumerate() {
        let Some(d) = items.get(i).cloned().flatten() else {
            continue;
        };
        if let VarKind::TextTable { .. } = v.kind {
            let [first, second] = table_texts(&d);
            let units = first.encode_utf16().count() as u32;
            b = b.text_table(v.name, (units + 2) * 2, &[&first, &second]);
            continue;
        }
        match v.kind.entry() {
            Some(entry) => {
                let n = match &d {
                    Data::Text(s) => s.len() % 3 + 1,
                    Data::Bytes(b) => b.len() % 3 + 1,
                };
                let list = (0..n)
                    .map(|k| {
                        let mut e = fill(
                            entry,
                            &[k as u8 + 1, 0x5A, seed.first().copied().unwrap_or(0)],
                        );
                        for ev in entry.vars {
                            e = e.payload(ev.name, payload(ev.kind, &d));
                        }
                        e
                    })
                    .collect();
                b = b.entries(v.name, list);
            }
            None => b = b.payload(v.name, payload(v.kind, &d)),
        }
    }
    b
}

fn select(f: fn(&StructDesc) -> bool) -> impl Strategy<Value = &'static StructDesc> {
    let all: Vec<&'static StructDesc> = structures::ALL.iter().copied().filter(|d| f(d)).collect();
    proptest::sample::select(all)
}

fn self_sized() -> impl Strategy<Value = &'static StructDesc> {
    select(|d| d.is_self_sized())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn round_trip_is_byte_exact(
        desc in self_sized(),
        seed in proptest::collection::vec(any::<u8>(), 1..32),
        items in proptest::collection::vec(data(), 0..32),
        spare in 0usize..3,
    ) {
        let spare = if desc.header == structures::Header::Full { spare * 4 } else { 0 };
        let b = build(desc, &seed, &items).spare(spare);
        let bytes = b.to_vec();
        let s = structures::decode_any(desc.name, &bytes).unwrap().unwrap();
        let raw = s.raw();
        prop_assert!(raw.is_current());
        raw.validate().unwrap();
        prop_assert_eq!(raw.buffer_too_small(), None);
        let again = StructBuilder::from_raw(&raw).unwrap().to_vec();
        prop_assert_eq!(&again, &bytes);
        // The fixed members read back as set.
        for f in desc.fields {
            if !managed(desc, f.name) && f.size == 4 {
                prop_assert_eq!(raw.value(f).is_some(), true);
            }
        }
        // Every item with data is present and reads back its bytes.
        for (i, v) in desc.vars.iter().enumerate() {
            let given = items.get(i).cloned().flatten();
            if v.kind.entry().is_some() {
                let n = raw.entries_of::<structures::Raw<'_>>(v).unwrap().count();
                prop_assert_eq!(n > 0, given.is_some());
            } else if let (VarKind::TextTable { .. }, Some(d)) = (v.kind, &given) {
                let table = raw.text_table(v).unwrap().unwrap();
                let texts: Vec<String> = table.iter().map(|t| t.to_string()).collect();
                prop_assert_eq!(texts, table_texts(d).to_vec());
            } else if let Some(d) = given {
                let expect = match payload(v.kind, &d) {
                    Payload::Text(u) => u.iter().chain([&0]).flat_map(|x| x.to_le_bytes()).collect(),
                    Payload::Bytes(b) => b,
                    Payload::Absent => Vec::new(),
                };
                let got = raw.var_bytes(v).unwrap().unwrap_or(&[]);
                prop_assert_eq!(got, &expect[..]);
            }
        }
    }

    #[test]
    fn older_versions_read_newer_members_as_absent(
        desc in select(|d| d.is_self_sized() && d.min_size < d.size),
        seed in proptest::collection::vec(any::<u8>(), 1..32),
        items in proptest::collection::vec(data(), 0..32),
        cut in any::<prop::sample::Index>(),
    ) {
        // Cut at a member boundary between the oldest and the newest fixed part.
        let bounds: Vec<usize> = desc.fields.iter().map(|f| f.offset).filter(|o| *o >= desc.min_size).collect();
        let len = *cut.get(&bounds);
        let bytes = build(desc, &seed, &items).fixed_len(len).to_vec();
        let raw = structures::decode_any(desc.name, &bytes).unwrap().unwrap().raw();
        prop_assert_eq!(raw.fixed_bytes().len(), len);
        for (f, v) in raw.fields() {
            prop_assert_eq!(v.is_some(), f.offset + f.size <= len, "{}", f.name);
        }
        raw.validate().unwrap();
        let again = StructBuilder::from_raw(&raw).unwrap().to_vec();
        prop_assert_eq!(again, bytes);
    }

    #[test]
    fn buffer_too_small_round_trips(
        desc in select(|d| d.header == structures::Header::Full),
        extra in 1u32..1000,
    ) {
        let b = StructBuilder::new(desc);
        let used = b.to_vec().len() as u32;
        let bytes = b.needed_size(used + extra).to_vec();
        let raw = structures::decode_any(desc.name, &bytes).unwrap().unwrap().raw();
        prop_assert_eq!(raw.buffer_too_small(), Some(used + extra));
        prop_assert_eq!(StructBuilder::from_raw(&raw).unwrap().to_vec(), bytes);
    }

    #[test]
    fn any_bytes_decode_without_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..400),
        which in any::<prop::sample::Index>(),
    ) {
        let d = which.get(structures::ALL);
        if let Some(Ok(s)) = structures::decode_any(d.name, &bytes) {
            let raw = s.raw();
            let _ = raw.validate();
            for item in raw.var_items() {
                let _ = item.bytes();
                let _ = item.text();
            }
            if raw.validate().is_ok() {
                let _ = StructBuilder::from_raw(&raw).unwrap().to_vec();
            }
        }
    }
}
