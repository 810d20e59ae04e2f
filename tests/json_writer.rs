//! The direct writer of `trp pcap --json` lines (`mstrp::json::writer`) writes, for every call
//! of every capture under `samples/captures/` and of the `decode_capture` fuzz seeds, exactly
//! the bytes serde_json writes for the serde model (`CallJson::from_call`), which stays the
//! reference. The same for damaged copies of each call (stubs cut short, bytes flipped, the
//! answer dropped or turned into a fault), so that the error paths are compared as well.
//! The same for the text of `trp pcap` (`TextWriter`) against the way it was printed from a
//! `serde_json::Value` of the serde model.
#![cfg(feature = "json-writer")]

use std::fmt::Write as _;
use std::path::Path;

use mstrp::capture::calls::{Call, Calls, CallsConfig};
use mstrp::capture::{self, TransportConfig};
use mstrp::json::capture::CallJson;
use mstrp::json::writer::{TextStyle, TextWriter, write_call};
use mstrp::rpc::faults::FaultStatus;
use mstrp::rpc::methods::{self, Direction, Method, Stub};
use serde_json::Value;

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

// ---------------------------------------------------------------------------------------------
// The text of `trp pcap` (`TextWriter`), against the way the binary wrote it before: the
// serde model turned into a `serde_json::Value`, members removed with `Map::remove`, and
// printed member by member.

/// Style markers, so that where the codes go is compared too.
const STYLE: TextStyle<'static> = TextStyle {
    heading: ("<h>", "</h>"),
    name: ("<n>", "</n>"),
};

fn paint(style: (&str, &str), text: impl std::fmt::Display) -> String {
    format!("{}{text}{}", style.0, style.1)
}

fn text_of(v: &Value, out: &mut String, indent: usize) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                match v {
                    Value::Object(_) | Value::Array(_) => {
                        writeln!(out, "{pad}{}:", paint(STYLE.heading, k)).unwrap();
                        text_of(v, out, indent + 2);
                    }
                    _ => writeln!(out, "{pad}{}: {v}", paint(STYLE.name, k)).unwrap(),
                }
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                writeln!(out, "{pad}[{i}]").unwrap();
                text_of(v, out, indent + 2);
            }
        }
        other => writeln!(out, "{pad}{other}").unwrap(),
    }
}

fn text_side(mut side: Value, out: &mut String) {
    if let Some(Value::Object(b)) = side.pointer_mut("/params/pBuffer") {
        b.remove("tapi32_msg");
        b.remove("hex");
    }
    if let Some(Value::Object(r)) = side.pointer_mut("/params/pBuffer/reply") {
        for noise in ["kind", "group", "section", "fields", "var_data"] {
            r.remove(noise);
        }
    }
    if let Value::Object(m) = &mut side {
        m.remove("frame");
    }
    text_of(&side, out, 4);
}

fn reference_text(call: &Call) -> String {
    let value = CallJson::from_call(call);
    let mut out = String::new();
    writeln!(
        out,
        "{}  {} -> {}  {}{}  call_id {}  {} (opnum {})",
        paint(STYLE.heading, format_args!("frame {}", value.frame)),
        value.src,
        value.dst,
        value.transport,
        value
            .pipe
            .as_deref()
            .map(|p| format!(" \\pipe\\{p}"))
            .unwrap_or_default(),
        value.call_id,
        paint(
            STYLE.name,
            format_args!(
                "{}.{}",
                value.interface,
                value.method.as_deref().unwrap_or("?")
            )
        ),
        value.opnum
    )
    .unwrap();
    writeln!(out, "  request:").unwrap();
    text_side(serde_json::to_value(&value.request).unwrap(), &mut out);
    if let (Some(Method::ClientRequest), Some(syntax)) = (call.info.method, call.syntax()) {
        if let Ok(Stub::ClientRequestRequest(r)) = methods::decode(
            Method::ClientRequest,
            Direction::Request,
            syntax,
            &call.request,
        ) {
            if let Ok(msg) = r.tapi32_msg() {
                for line in msg.to_string().lines() {
                    writeln!(out, "    {line}").unwrap();
                }
            }
        }
    }
    match (&value.response, &value.fault) {
        (Some(r), _) => {
            writeln!(out, "  response (frame {}):", r.frame).unwrap();
            text_side(serde_json::to_value(r).unwrap(), &mut out);
        }
        (None, Some(f)) => writeln!(
            out,
            "  fault {:#010x} {}",
            f.status,
            f.name.as_deref().unwrap_or("")
        )
        .unwrap(),
        (None, None) => writeln!(out, "  no response in the capture").unwrap(),
    }
    writeln!(out).unwrap();
    out
}

/// Compares `TextWriter` with the reference on one call, appending to a buffer that already
/// holds text.
fn assert_same_text(name: &str, call: &Call, text: &mut TextWriter, buf: &mut Vec<u8>) {
    let expected = reference_text(call);
    buf.clear();
    buf.extend_from_slice(b"previous call\n");
    text.write_call(call, &STYLE, buf);
    let got = &buf[b"previous call\n".len()..];
    assert!(
        got == expected.as_bytes(),
        "{name}, frame {}:\nwriter:\n{}\nreference:\n{expected}",
        call.frame,
        String::from_utf8_lossy(got),
    );
}

#[test]
fn text_writer_matches_the_value_text_on_every_sample_and_seed() {
    let (mut text, mut buf) = (TextWriter::new(), Vec::new());
    let mut total = 0;
    for (name, bytes) in files("samples/captures")
        .into_iter()
        .chain(files("fuzz/corpus/decode_capture"))
    {
        for call in &calls_of(&bytes) {
            assert_same_text(&name, call, &mut text, &mut buf);
            total += 1;
        }
    }
    assert!(total >= 120, "{total} calls compared");
}

#[test]
fn text_writer_matches_the_value_text_on_damaged_calls() {
    let (mut text, mut buf) = (TextWriter::new(), Vec::new());
    let (mut total, mut failing) = (0, 0);
    for (name, bytes) in files("samples/captures") {
        for call in &calls_of(&bytes) {
            for v in variants(call) {
                assert_same_text(&name, &v, &mut text, &mut buf);
                total += 1;
                failing += usize::from(String::from_utf8_lossy(&buf).contains("<h>error</h>:"));
            }
        }
    }
    // The damage reaches the error paths (an `error` object printed under its name).
    assert!(
        failing >= 100,
        "{failing} of {total} damaged calls with an error"
    );
}

/// `TextWriter::take_not_plain` answers `false` only for text that is plain (printable ASCII
/// and line feeds), which `trp pcap` then writes without scanning it: on every call of the
/// samples and seeds and on their damaged copies, without colour; it is `true` for a pipe
/// named with a non-ASCII letter and for any style with escapes.
#[test]
fn text_writer_reports_text_that_is_not_plain() {
    use mstrp::capture::calls::Carrier;
    use mstrp::json::writer::plain_text;
    let (mut text, mut buf) = (TextWriter::new(), Vec::new());
    let (mut total, mut plain) = (0, 0);
    let mut check = |call: &Call, style: &TextStyle<'_>| {
        buf.clear();
        text.write_call(call, style, &mut buf);
        let not_plain = text.take_not_plain();
        assert!(
            not_plain || plain_text(&buf),
            "frame {}: reported plain, but it is not:\n{}",
            call.frame,
            String::from_utf8_lossy(&buf)
        );
        total += 1;
        plain += usize::from(!not_plain);
        not_plain
    };
    for (_, bytes) in files("samples/captures")
        .into_iter()
        .chain(files("fuzz/corpus/decode_capture"))
    {
        for call in &calls_of(&bytes) {
            for v in std::iter::once(call.clone()).chain(variants(call)) {
                check(&v, &TextStyle::default());
            }
            assert!(check(call, &STYLE), "a style's escapes are not plain");
            let mut c = call.clone();
            c.carrier = Carrier::Smb2Pipe(Some("tapsrv\u{e9}".into()));
            assert!(check(&c, &TextStyle::default()), "a non-ASCII pipe name");
        }
    }
    // Most calls are reported plain (the flag is not set regardless).
    assert!(plain * 2 > total, "{plain} of {total} calls reported plain");
}
