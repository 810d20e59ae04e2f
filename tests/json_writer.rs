//! The direct writer of `trp pcap --json` lines (`mstrp::json::writer`) writes, for every call
//! of every capture under `samples/captures/` and of the `decode_capture` fuzz seeds, exactly
//! the bytes serde_json writes for the serde model (`CallJson::from_call`), which stays the
//! reference. The same for damaged copies of each call (stubs cut short, bytes flipped, the
//! answer dropped or turned into a fault), so that the error paths are compared as well.
#![cfg(feature = "json-writer")]

use std::path::Path;

use mstrp::capture::calls::{Call, Calls, CallsConfig};
use mstrp::capture::{self, TransportConfig};
use mstrp::json::capture::CallJson;
use mstrp::json::writer::write_call;
use mstrp::rpc::faults::FaultStatus;

fn files(dir: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect()
}

fn calls_of(bytes: &[u8]) -> Vec<Call> {
    let mut calls = Calls::new(CallsConfig::default());
    let Ok(events) = capture::open(bytes, TransportConfig::default()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for ev in events {
        calls.push(&ev);
        out.extend(calls.take_calls());
    }
    calls.finish();
    out.extend(calls.take_calls());
    out
}

/// Compares the writer with the serde model on one call; the writer appends to a buffer that
/// already holds text, as `trp pcap` reuses it.
fn assert_same(name: &str, call: &Call, buf: &mut Vec<u8>) {
    let expected = serde_json::to_vec(&CallJson::from_call(call)).unwrap();
    buf.clear();
    buf.extend_from_slice(b"previous line\n");
    write_call(call, buf);
    let got = &buf[b"previous line\n".len()..];
    assert!(
        got == expected.as_slice(),
        "{name}, frame {}:\nwriter: {}\nserde:  {}",
        call.frame,
        String::from_utf8_lossy(got),
        String::from_utf8_lossy(&expected)
    );
}

/// Damaged copies of a call: each stub cut at several lengths and with single bytes flipped,
/// the answer dropped, and the answer replaced by a fault.
fn variants(call: &Call) -> Vec<Call> {
    let mut v = Vec::new();
    let cuts = |len: usize| -> Vec<usize> {
        let mut c = vec![0, 1, len / 2, len.saturating_sub(1), len.saturating_sub(4)];
        c.extend((0..len).step_by(23));
        c.retain(|&n| n < len);
        c.sort();
        c.dedup();
        c
    };
    for n in cuts(call.request.len()) {
        let mut c = call.clone();
        c.request.truncate(n);
        v.push(c);
        let mut c = call.clone();
        c.request[n] ^= 0xA5;
        v.push(c);
    }
    if let Some(a) = &call.answer {
        for n in cuts(a.stub.len()) {
            let mut c = call.clone();
            c.answer.as_mut().unwrap().stub.truncate(n);
            v.push(c);
            let mut c = call.clone();
            c.answer.as_mut().unwrap().stub[n] ^= 0x5A;
            v.push(c);
        }
    }
    let mut c = call.clone();
    c.answer = None;
    v.push(c);
    let mut c = call.clone();
    if let Some(a) = c.answer.as_mut() {
        // nca_s_op_rng_error ([C706] appendix E), then a status without a name.
        a.fault = Some(FaultStatus::from_value(0x1c01_0002));
        v.push(c.clone());
        c.answer.as_mut().unwrap().fault = Some(FaultStatus::from_value(0x1234_5678));
        v.push(c);
    }
    v
}

#[test]
fn writer_matches_the_serde_model_on_every_sample_capture() {
    let mut buf = Vec::new();
    let mut total = 0;
    for (name, bytes) in files("samples/captures") {
        let calls = calls_of(&bytes);
        assert!(!calls.is_empty(), "{name} holds calls");
        for call in &calls {
            assert_same(&name, call, &mut buf);
            total += 1;
        }
    }
    assert!(total >= 100, "{total} calls compared");
}

#[test]
fn writer_matches_the_serde_model_on_the_capture_fuzz_seeds() {
    let mut buf = Vec::new();
    let mut total = 0;
    for (name, bytes) in files("fuzz/corpus/decode_capture") {
        for call in &calls_of(&bytes) {
            assert_same(&name, call, &mut buf);
            total += 1;
        }
    }
    assert!(total >= 20, "{total} calls compared");
}

#[test]
fn writer_matches_the_serde_model_on_damaged_calls() {
    let mut buf = Vec::new();
    let mut total = 0;
    let mut failing = 0;
    for (name, bytes) in files("samples/captures")
        .into_iter()
        .chain(files("fuzz/corpus/decode_capture"))
    {
        for call in &calls_of(&bytes) {
            for v in variants(call) {
                assert_same(&name, &v, &mut buf);
                total += 1;
                let line = String::from_utf8_lossy(&buf);
                failing += usize::from(line.contains("\"error\":{"));
            }
        }
    }
    // The damage reaches the error paths.
    assert!(
        failing >= 100,
        "{failing} of {total} damaged calls with an error"
    );
}
