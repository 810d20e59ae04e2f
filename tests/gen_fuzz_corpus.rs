//! The generator-driven fuzz harnesses (fuzz/gen_harness.rs: `gen_request`, `gen_structure`,
//! `gen_events`) over their seed corpora (fuzz/corpus/gen_*/), so every CI run exercises them
//! without a fuzzer. The seeds are written by this test with `MSTRP_BLESS=1` and checked
//! against it otherwise: SplitMix64 bytes (`generate::seed_bytes`) behind a prefix that picks
//! each target of `gen_request` (valid, every breakable stateless rule, every resolver check)
//! and each of the 49 structures of `gen_structure`.
#![cfg(all(feature = "arbitrary", feature = "serde", feature = "pcap"))]

#[path = "../fuzz/gen_harness.rs"]
mod gen_harness;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use arbitrary::Unstructured;
use mstrp::generate::{self, coverage};

/// Bytes per seed: enough for the generators (an exhausted input gives the smallest
/// choices), small enough for libFuzzer to mutate cheaply.
const SEED_LEN: usize = 1024;

fn dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target)
}

/// `prefix` followed by seed `n`'s bytes, `SEED_LEN` in all.
fn seed(prefix: &[u8], n: u64) -> Vec<u8> {
    let mut v = prefix.to_vec();
    v.extend_from_slice(&generate::seed_bytes(n)[..SEED_LEN - prefix.len()]);
    v
}

/// The seeds of each target, by file name.
fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    match target {
        "gen_request" => {
            // gen_request reads a u16 first and takes it modulo (targets + 1): 0 is "valid".
            let n = coverage::violation_targets().len() + 1;
            (0..n)
                .map(|k| {
                    let prefix = u16::try_from(k).unwrap().to_le_bytes();
                    let pick = Unstructured::new(&prefix).arbitrary::<u16>().unwrap();
                    assert_eq!(usize::from(pick), k, "arbitrary reads a u16 little-endian");
                    // The first of seeds k, k + 1000, ... the generator makes a request of
                    // (its search for a violating packet can run out of bytes).
                    let targets = coverage::violation_targets();
                    let bytes = (0..16u64)
                        .map(|j| seed(&prefix, k as u64 + 1000 * j))
                        .find(|b| {
                            coverage::from_unstructured(&mut Unstructured::new(b), &targets).is_ok()
                        })
                        .unwrap_or_else(|| panic!("no seed generates target {k}"));
                    (format!("target-{k:03}"), bytes)
                })
                .collect()
        }
        "gen_structure" => {
            let all = generate::structures();
            (0..all.len())
                .map(|k| {
                    let b = (0..=255u8)
                        .find(|b| Unstructured::new(&[*b]).choose_index(all.len()).ok() == Some(k))
                        .expect("a first byte picks each structure");
                    // The second byte: no version for even k, a TAPI version for odd k.
                    let v = if k % 2 == 0 { 0 } else { 128 + k as u8 };
                    (all[k].name.to_string(), seed(&[b, v], k as u64))
                })
                .collect()
        }
        "gen_events" => (0..16u64)
            .map(|k| (format!("seed-{k:02}"), seed(&[(k * 16) as u8], k)))
            .collect(),
        _ => unreachable!(),
    }
}

/// Writes (MSTRP_BLESS=1) or checks the corpus of `target`.
fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let want = seeds(target);
    let d = dir(target);
    if std::env::var_os("MSTRP_BLESS").is_some() {
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        for (name, bytes) in &want {
            std::fs::write(d.join(name), bytes).unwrap();
        }
    }
    let mut have: Vec<(String, Vec<u8>)> = std::fs::read_dir(&d)
        .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
        .map(|e| {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    have.sort();
    let mut sorted = want.clone();
    sorted.sort();
    assert!(
        have == sorted,
        "{} differs from the seeds this test writes; regenerate with MSTRP_BLESS=1 cargo test --all-features --test gen_fuzz_corpus",
        d.display()
    );
    have
}

#[test]
fn gen_request_corpus_reaches_every_target() {
    let mut reached = BTreeSet::new();
    for (name, data) in corpus("gen_request") {
        let r = std::panic::catch_unwind(|| gen_harness::gen_request(&data));
        let target = r.unwrap_or_else(|_| panic!("{name}"));
        let target = target.unwrap_or_else(|| panic!("{name}: nothing generated"));
        reached.insert(match target {
            coverage::Target::Valid => "valid".to_string(),
            coverage::Target::Rule(r, _) => format!("rule {}", r.id),
            coverage::Target::Check(c) => format!("check {}", c.name()),
        });
    }
    let want = coverage::violation_targets().len() + 1;
    assert_eq!(reached.len(), want, "every target has a seed");
}

#[test]
fn gen_structure_corpus_covers_the_49_structures() {
    let files = corpus("gen_structure");
    assert_eq!(files.len(), 49);
    for (name, data) in files {
        let r = std::panic::catch_unwind(|| gen_harness::gen_structure(&data));
        assert!(r.unwrap_or_else(|_| panic!("{name}")), "{name}");
    }
}

#[test]
fn gen_events_corpus() {
    let mut events = 0;
    for (name, data) in corpus("gen_events") {
        let r = std::panic::catch_unwind(|| gen_harness::gen_events(&data));
        events += r.unwrap_or_else(|_| panic!("{name}"));
    }
    assert!(events >= 16, "each seed gives at least one event");
}
