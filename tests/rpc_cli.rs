//! `trp decode --as rpc`, `trp decode --as pdu` and `trp encode` of stubs (issue 10, item 5),
//! on the PDUs typed by hand from the design note's worked example (tests/common/hand_pdus.rs):
//! the Close request (Req_Func 9, hLine 0x00010203) in a ClientRequest of 60 used bytes in a
//! 60-byte buffer, and its response.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

#[path = "common/hand_pdus.rs"]
mod hand;

/// Request stub: the PDU after its 24-byte header (C706 12.6.4.9).
fn request_stub() -> Vec<u8> {
    hand::bytes(hand::CLOSE_REQUEST)[24..].to_vec()
}

/// Response stub: the PDU after its 24-byte header (C706 12.6.4.10).
fn response_stub() -> Vec<u8> {
    hand::bytes(hand::CLOSE_RESPONSE)[24..].to_vec()
}

fn scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("rpc_cli");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn trp(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_trp"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    // A trp that exits before reading (a refused argument) breaks the pipe; the test then
    // judges its exit status and output. Any other write error is a failure.
    if let Err(e) = input.write_all(stdin.unwrap_or_default()) {
        assert_eq!(
            e.kind(),
            std::io::ErrorKind::BrokenPipe,
            "writing standard input: {e}"
        );
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "trp failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn decode_rpc_prints_the_documented_shape() {
    let f = scratch("close-request.stub", &request_stub());
    let f = f.to_str().unwrap();
    let v = json(&trp(
        &[
            "decode",
            "--as",
            "rpc",
            "--interface",
            "tapsrv",
            "--opnum",
            "1",
            "--dir",
            "request",
            "--json",
            f,
        ],
        None,
    ));
    assert_eq!(v["kind"], "rpc");
    assert_eq!(v["interface"], "tapsrv");
    assert_eq!(v["method"], "ClientRequest");
    assert_eq!(v["opnum"], 1);
    assert_eq!(v["direction"], "request");
    let p = &v["params"];
    // The IDL's parameter names, in IDL order (6.1).
    let names: Vec<&str> = p.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(names, ["phContext", "pBuffer", "lNeededSize", "plUsedSize"]);
    assert_eq!(p["phContext"], "000000000102030405060708090a0b0c0d0e0f10");
    assert_eq!(p["pBuffer"]["max_count"], 60);
    assert_eq!(p["pBuffer"]["offset"], 0);
    assert_eq!(p["pBuffer"]["actual_count"], 60);
    assert_eq!(p["pBuffer"]["hex"], hand::CLOSE_MSG);
    assert_eq!(p["pBuffer"]["tapi32_msg"]["name"], "Close");
    assert_eq!(p["pBuffer"]["tapi32_msg"]["req_func"], 9);
    assert_eq!(p["pBuffer"]["tapi32_msg"]["fields"][2]["name"], "hLine");
    assert_eq!(
        p["pBuffer"]["tapi32_msg"]["fields"][2]["value"],
        0x0001_0203
    );
    assert_eq!(p["lNeededSize"], 60);
    assert_eq!(p["plUsedSize"], 60);
}

#[test]
fn decode_rpc_response_carries_the_reply() {
    let f = scratch("close-response.stub", &response_stub());
    let v = json(&trp(
        &[
            "decode",
            "--as",
            "rpc",
            "--interface",
            "tapsrv",
            "--opnum",
            "1",
            "--dir",
            "response",
            "--request-func",
            "LineClose",
            "--json",
            f.to_str().unwrap(),
        ],
        None,
    ));
    let names: Vec<&str> = v["params"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(names, ["pBuffer", "plUsedSize"]);
    let reply = &v["params"]["pBuffer"]["reply"];
    assert_eq!(reply["kind"], "reply");
    assert_eq!(reply["name"], "Close");
    assert_eq!(reply["return_value"], 0);
    assert!(v["params"]["pBuffer"].get("tapi32_msg").is_none());
}

#[test]
fn encode_reproduces_rpc_stubs_byte_for_byte() {
    for (name, stub, dir) in [
        ("req.stub", request_stub(), "request"),
        ("resp.stub", response_stub(), "response"),
    ] {
        let f = scratch(name, &stub);
        let out = trp(
            &[
                "decode",
                "--as",
                "rpc",
                "--interface",
                "tapsrv",
                "--opnum",
                "1",
                "--dir",
                dir,
                "--json",
                f.to_str().unwrap(),
            ],
            None,
        );
        assert!(out.status.success());
        let again = trp(&["encode", "-"], Some(&out.stdout));
        assert!(
            again.status.success(),
            "{}",
            String::from_utf8_lossy(&again.stderr)
        );
        assert_eq!(again.stdout, stub, "{name}");
    }
}

#[test]
fn encode_takes_edited_counts_for_fuzzing() {
    let f = scratch("req2.stub", &request_stub());
    let out = trp(
        &[
            "decode",
            "--as",
            "rpc",
            "--interface",
            "tapsrv",
            "--opnum",
            "1",
            "--dir",
            "request",
            "--json",
            f.to_str().unwrap(),
        ],
        None,
    );
    let mut v: Value = serde_json::from_slice(&out.stdout).unwrap();
    // A buffer that claims 1024 bytes of capacity while 60 travel (the public PoC's shape).
    v["params"]["pBuffer"]["max_count"] = 1024.into();
    v["params"]["lNeededSize"] = 1024.into();
    let bytes = trp(&["encode", "-"], Some(v.to_string().as_bytes()));
    assert!(bytes.status.success());
    let mut expected = request_stub();
    expected[20..24].copy_from_slice(&1024u32.to_le_bytes());
    let n = expected.len();
    expected[n - 8..n - 4].copy_from_slice(&1024u32.to_le_bytes());
    assert_eq!(bytes.stdout, expected);
}

#[test]
fn ndr_errors_name_method_param_and_offset() {
    // max_count 61 but lNeededSize 60: a Windows server faults with nca_s_fault_ndr.
    let mut stub = request_stub();
    stub[20..24].copy_from_slice(&61u32.to_le_bytes());
    let f = scratch("bad.stub", &stub);
    let out = trp(
        &[
            "decode",
            "--as",
            "rpc",
            "--interface",
            "tapsrv",
            "--opnum",
            "1",
            "--dir",
            "request",
            "--json",
            f.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["kind"], "ndr");
    assert_eq!(v["error"]["packet"], "ClientRequest");
    assert_eq!(v["error"]["field"], "pBuffer");
    assert_eq!(v["error"]["offset"], 20);
    assert!(v["error"]["message"].as_str().unwrap().contains("0x6f7"));
}

#[test]
fn decode_rpc_needs_its_coordinates() {
    let f = scratch("any.stub", &request_stub());
    let out = trp(&["decode", "--as", "rpc", f.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--interface"));
    let out = trp(
        &[
            "decode",
            "--as",
            "rpc",
            "--interface",
            "remotesp",
            "--opnum",
            "3",
            "--dir",
            "request",
            f.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no opnum 3"));
}

#[test]
fn decode_pdu_stream_maps_contexts_from_the_bind() {
    let stream: Vec<u8> = [
        hand::BIND,
        hand::BIND_ACK,
        hand::CLOSE_REQUEST,
        hand::CLOSE_RESPONSE,
        hand::BAD_OPNUM_REQUEST,
        hand::OP_RNG_FAULT,
    ]
    .iter()
    .flat_map(|h| hand::bytes(h))
    .collect();
    let f = scratch("stream.bin", &stream);
    let v = json(&trp(
        &["decode", "--as", "pdu", "--json", f.to_str().unwrap()],
        None,
    ));
    assert_eq!(v["kind"], "pdus");
    assert!(v["error"].is_null());
    let pdus = v["pdus"].as_array().unwrap();
    let types: Vec<&str> = pdus.iter().map(|p| p["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "bind", "bind_ack", "request", "response", "request", "fault"
        ]
    );
    let offsets: Vec<u64> = pdus.iter().map(|p| p["offset"].as_u64().unwrap()).collect();
    assert_eq!(offsets, [0, 72, 132, 256, 356, 380]);
    assert_eq!(pdus[2]["decoded"]["method"], "ClientRequest");
    assert_eq!(
        pdus[2]["decoded"]["params"]["pBuffer"]["tapi32_msg"]["name"],
        "Close"
    );
    // The response is read as the reply to the request with the same call_id.
    assert_eq!(
        pdus[3]["decoded"]["params"]["pBuffer"]["reply"]["name"],
        "Close"
    );
    assert!(pdus[4].get("decoded").is_none(), "opnum 7 is no method");
    assert_eq!(pdus[5]["status"], 0x1C01_0002);
    assert_eq!(pdus[5]["status_name"], "nca_s_op_rng_error");
}

#[test]
fn decode_pdu_stream_stops_at_a_bad_pdu_and_keeps_the_rest() {
    let mut stream = hand::bytes(hand::BIND);
    let mut bad = hand::bytes(hand::CLOSE_REQUEST);
    bad[4] = 0x00; // big-endian integer representation
    stream.extend(bad);
    let f = scratch("bad-stream.bin", &stream);
    let out = trp(
        &["decode", "--as", "pdu", "--json", f.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let mut lines = out.stdout.split(|&b| b == b'\n').filter(|l| !l.is_empty());
    let v: Value = serde_json::from_slice(lines.next().unwrap()).unwrap();
    assert_eq!(v["pdus"].as_array().unwrap().len(), 1);
    assert_eq!(v["error"]["kind"], "pdu");
    assert_eq!(v["error"]["field"], "packed_drep");
    assert_eq!(v["error"]["offset"], 72 + 4);
}
