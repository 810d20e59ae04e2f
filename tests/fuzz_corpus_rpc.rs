//! Replays the checked-in corpora of the `decode_pdu_stream` and `decode_capture` fuzz targets
//! (`fuzz/corpus/<target>/`) through the fuzz harnesses, so that every CI run exercises them
//! without a fuzzer, and checks that the seeds are what `examples/write_fuzz_seeds.rs`
//! writes.

#[path = "../fuzz/harness.rs"]
mod harness;

#[path = "../examples/write_fuzz_seeds.rs"]
mod write_fuzz_seeds;

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

fn assert_seeds_written(target: &str, seeds: Vec<(String, Vec<u8>)>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    for (name, bytes) in seeds {
        assert!(bytes.len() < 8192, "{name} is small");
        let on_disk = std::fs::read(dir.join(&name)).unwrap_or_default();
        assert!(
            on_disk == bytes,
            "fuzz/corpus/{target}/{name} differs from what \
             `cargo run --features pcap --example write_fuzz_seeds` writes"
        );
    }
}

#[test]
fn decode_pdu_stream_corpus() {
    let files = corpus("decode_pdu_stream");
    assert!(files.len() >= 40, "only {} seeds", files.len());
    let mut pdus = 0;
    for (name, data) in files {
        let r = std::panic::catch_unwind(|| harness::decode_pdu_stream(&data));
        assert!(r.is_ok(), "{name}");
        pdus += r.unwrap();
    }
    assert!(pdus >= 200, "the seeds hold PDUs ({pdus})");
}

#[test]
fn decode_pdu_stream_every_prefix_of_the_seeds() {
    for (name, data) in write_fuzz_seeds::pdu_stream_seeds() {
        for cut in (0..data.len()).step_by(7) {
            let r = std::panic::catch_unwind(|| harness::decode_pdu_stream(&data[..cut]));
            assert!(r.is_ok(), "{name} cut at {cut}");
        }
    }
}

#[test]
fn decode_pdu_stream_seeds_are_up_to_date() {
    assert_seeds_written("decode_pdu_stream", write_fuzz_seeds::pdu_stream_seeds());
}

#[test]
fn the_seed_conversations_decode_every_method() {
    use mstrp::rpc::association::Association;
    use mstrp::rpc::methods::{self, Method};
    for (name, data) in write_fuzz_seeds::pdu_stream_seeds() {
        if !name.ends_with("-every-method.bin") {
            continue;
        }
        let mut assoc = Association::new();
        let mut decoded = Vec::new();
        for item in mstrp::rpc::pdu::pdus(&data) {
            let (_, p) = item.unwrap_or_else(|e| panic!("{name}: {e}"));
            let Some(info) = assoc.classify(&p) else {
                continue;
            };
            let stub = methods::decode(
                info.method.expect("a method"),
                info.direction,
                info.syntax().expect("a syntax"),
                p.stub().unwrap(),
            )
            .unwrap_or_else(|e| panic!("{name}: {e}"));
            decoded.push((stub.method(), stub.direction()));
        }
        assert_eq!(decoded.len(), 12, "{name}");
        for m in Method::ALL {
            assert!(decoded.iter().any(|(dm, _)| *dm == m), "{name}: {m}");
        }
    }
}

#[cfg(feature = "pcap")]
#[test]
fn decode_capture_corpus() {
    let files = corpus("decode_capture");
    assert!(files.len() >= 10, "only {} seeds", files.len());
    let mut calls = 0;
    for (name, data) in files {
        let r = std::panic::catch_unwind(|| harness::decode_capture(&data));
        assert!(r.is_ok(), "{name}");
        calls += r.unwrap();
    }
    assert!(calls >= 20, "the seeds hold calls ({calls})");
}

#[cfg(feature = "pcap")]
#[test]
fn decode_capture_seeds_are_up_to_date() {
    assert_seeds_written("decode_capture", write_fuzz_seeds::capture_seeds());
}

/// The capture seeds hold the calls they were written with, each with its answer.
#[cfg(feature = "pcap")]
#[test]
fn the_capture_seeds_hold_their_calls() {
    use mstrp::capture::{self, calls::Calls};
    let expect = [
        ("tcp-bind-ndr20.pcapng", 3),
        ("tcp-bind-ndr64.pcap", 3),
        ("tcp-4444-no-bind.pcap", 3),
        ("tcp-fragments-and-fault.pcap", 2),
        ("tcp-every-method-ndr64.pcapng", 6),
        ("smb2-tapsrv-bind.pcapng", 3),
        ("smb2-tapsrv-no-bind.pcap", 3),
        ("smb2-other-pipe-bind.pcap", 3),
    ];
    let seeds = write_fuzz_seeds::capture_seeds();
    for (name, n) in expect {
        let (_, bytes) = seeds.iter().find(|(s, _)| s == name).expect(name);
        let (config, calls_config) = harness::capture_configs();
        let mut calls = Calls::new(calls_config);
        for ev in capture::open(&bytes[..], config).unwrap() {
            calls.push(&ev);
        }
        calls.finish();
        let got = calls.take_calls();
        assert_eq!(got.len(), n, "{name}: {:?}", calls.take_errors());
        assert!(got.iter().all(|c| c.answer.is_some()), "{name}");
        assert!(calls.take_errors().is_empty(), "{name}");
    }
}
