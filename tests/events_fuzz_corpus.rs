//! Replays the seed corpus of the `decode_events` fuzz target (`fuzz/corpus/decode_events/`),
//! and every prefix of each seed, through the same code as the target. Nothing may panic.

use std::path::Path;

#[path = "../examples/write_event_samples.rs"]
#[allow(dead_code)]
mod write_event_samples;

#[test]
fn corpus_replays_without_panicking() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/decode_events");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("corpus directory") {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        for cut in 0..=bytes.len() {
            mstrp::events::exercise(&bytes[..cut]);
        }
        n += 1;
    }
    assert!(n >= 10, "only {n} seeds in {}", dir.display());
}

#[test]
fn corpus_files_are_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/decode_events");
    for (name, bytes) in write_event_samples::corpus() {
        assert_eq!(std::fs::read(dir.join(&name)).unwrap(), bytes, "{name}");
    }
}
