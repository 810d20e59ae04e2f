//! Replays the fuzz corpus of `decode_structure` (fuzz/corpus/decode_structure/) through the
//! same paths as the fuzz target, so that every stored input (seeds and any crash found) is
//! checked by `cargo test`. The seeds are hand-laid structures; a seed that no longer decodes
//! is a regression.

use std::fs;
use std::path::Path;

#[path = "../fuzz/harness.rs"]
mod harness;

use mstrp::structures::{self, StructBuilder};

#[test]
fn replay_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/decode_structure");
    let mut n = 0;
    for entry in fs::read_dir(&dir).expect("corpus directory") {
        let path = entry.unwrap().path();
        let data = fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let ok = harness::decode_structure(&data);
        // Seeds are named seed-<STRUCT>-*: they must decode and validate.
        if name.starts_with("seed-") {
            assert!(ok, "{name} no longer decodes");
            // Seeds are canonical: the builder reproduces them byte for byte.
            let desc = structures::ALL[data[0] as usize % structures::ALL.len()];
            let s = structures::decode_any(desc.name, &data[1..])
                .unwrap()
                .unwrap();
            let b = StructBuilder::from_raw(&s.raw()).unwrap().to_vec();
            assert_eq!(b, &data[1..], "{name}");
        }
        n += 1;
    }
    assert!(
        n >= structures::ALL.len(),
        "one seed per structure at least ({n})"
    );
}

/// Writes one seed per structure (every item given data, entries with their own strings).
/// Run with `cargo test --test structures_corpus -- --ignored write_seeds` after changing the
/// catalogue.
#[test]
#[ignore]
fn write_seeds() {
    use mstrp::encoding::Payload;
    use mstrp::structures::VarKind;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/decode_structure");
    fs::create_dir_all(&dir).unwrap();
    let item = |b: StructBuilder, v: &structures::VarDesc| match v.kind {
        VarKind::Ascii => b.payload(v.name, Payload::Bytes(b"ascii\0".to_vec())),
        VarKind::Dwords => b.dwords(v.name, &[1, 2, 3]),
        VarKind::Bytes => b.payload(v.name, Payload::Bytes(vec![0xAB; 5])),
        _ => b.payload(v.name, Payload::text(v.name)),
    };
    for (i, d) in structures::ALL.iter().enumerate() {
        let mut b = StructBuilder::new(d);
        if d.field("dwStringFormat").is_some() {
            b = b
                .try_set("dwStringFormat", structures::STRINGFORMAT_UNICODE)
                .unwrap();
        }
        for v in d.vars {
            if let VarKind::TextTable { .. } = v.kind {
                b = b.text_table(v.name, 16, &["first", "second"]);
                continue;
            }
            b = match v.kind.entry() {
                Some(e) => {
                    let list = (0..2)
                        .map(|_| e.vars.iter().fold(StructBuilder::new(e), &item))
                        .collect();
                    b.entries(v.name, list)
                }
                None => item(b, v),
            };
        }
        let mut data = vec![i as u8];
        data.extend(b.to_vec());
        fs::write(dir.join(format!("seed-{}", d.name)), data).unwrap();
    }
}

/// The builder's layout is idempotent on every stored input that validates, including the
/// `regression-*` inputs fuzzing found (a stale (size, offset) pair of an item without data,
/// a member completed by the DWORD padding of a cut fixed part): laying out what the layout
/// reads back as gives the same bytes, and they validate.
#[test]
fn builder_layout_is_idempotent() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/decode_structure");
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let data = fs::read(&path).unwrap();
        let Some((&which, bytes)) = data.split_first() else {
            continue;
        };
        let desc = structures::ALL[which as usize % structures::ALL.len()];
        let Some(Ok(s)) = structures::decode_any(desc.name, bytes) else {
            continue;
        };
        if s.raw().validate().is_err() {
            continue;
        }
        let once = StructBuilder::from_raw(&s.raw()).unwrap().to_vec();
        let again = structures::decode_any(desc.name, &once).unwrap().unwrap();
        again
            .raw()
            .validate()
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let twice = StructBuilder::from_raw(&again.raw())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .to_vec();
        assert_eq!(twice, once, "{}", path.display());
    }
}
