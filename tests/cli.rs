//! The `trp` command line: decode (request, reply, events, struct:NAME), encode and validate,
//! run as a user would, on the shipped samples and the fuzz corpus.
#![cfg(feature = "cli")]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn trp(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_trp"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    // trp reads standard input only for `-`; when it exits without reading (a bad argument
    // is refused before any input is read), the pipe breaks, and the test then judges the
    // exit status and output. Any other write error is a failure.
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

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn files(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

#[test]
fn decode_text_explains_a_sample() {
    let out = trp(
        &[
            "decode",
            "--as",
            "request",
            "samples/requests/4.3-1-make-call.bin",
        ],
        None,
    );
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("MakeCall (Line Device Requests, [MS-TRP] 2.2.4.1.3.43), Req_Func 48")
    );
    assert!(
        text.contains("lpszDestAddress -> u\"+14255550100\""),
        "{text}"
    );
}

#[test]
fn decode_several_files_at_once() {
    let out = trp(
        &[
            "decode",
            "--json",
            "samples/requests/4.3-2-drop.bin",
            "samples/requests/4.3-3-deallocate-call.bin",
        ],
        None,
    );
    assert!(out.status.success());
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        (lines[0]["name"].as_str(), lines[1]["name"].as_str()),
        (Some("Drop"), Some("DeallocateCall"))
    );
    let text = trp(&["decode", "samples/requests/4.1-3-get-dev-caps.bin"], None);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.lines().count() < 40, "runs of zero lines are squeezed");
    assert!(text.contains("    *"));
}

#[test]
fn decode_json_has_the_documented_shape() {
    let out = trp(
        &[
            "decode",
            "--as",
            "request",
            "--json",
            "samples/requests/4.3-1-make-call.bin",
        ],
        None,
    );
    assert!(out.status.success());
    let v = json_of(&out);
    assert_eq!(v["kind"], "request");
    assert_eq!(v["name"], "MakeCall");
    assert_eq!(v["group"], "Line Device Requests");
    assert_eq!(v["section"], "2.2.4.1.3.43");
    assert_eq!(v["req_func"], 48);
    let fields = v["fields"].as_array().unwrap();
    assert_eq!(fields.len(), 15);
    assert_eq!(
        fields[0],
        serde_json::json!({"name": "Req_Func", "offset": 0, "value": 48})
    );
    assert_eq!(fields[6]["name"], "lpszDestAddress");
    assert_eq!(v["var_data"]["offset"], 60);
    let refs = v["references"].as_array().unwrap();
    assert_eq!(refs[0]["field"], "lpszDestAddress");
    assert_eq!(refs[0]["text"], "+14255550100");
    assert_eq!(
        refs[1],
        serde_json::json!({"field": "lpCallParams", "offset": 4294967295u32, "absent": true})
    );
    // Keys in the documented order.
    let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
    assert_eq!(
        keys,
        [
            "kind",
            "name",
            "group",
            "section",
            "req_func",
            "fields",
            "var_data",
            "references"
        ]
    );
}

#[test]
fn decode_then_encode_reproduces_every_sample_and_corpus_file() {
    let mut n = 0;
    for path in files("samples/requests")
        .into_iter()
        .chain(files("fuzz/corpus/decode_request"))
    {
        let input = std::fs::read(&path).unwrap();
        let p = path.to_str().unwrap();
        let decoded = trp(&["decode", "--json", p], None);
        if input.len() < 60 {
            assert_eq!(decoded.status.code(), Some(2), "{p}");
            continue;
        }
        assert!(decoded.status.success(), "{p}");
        let encoded = trp(&["encode", "-"], Some(&decoded.stdout));
        assert!(
            encoded.status.success(),
            "{p}: {}",
            String::from_utf8_lossy(&encoded.stderr)
        );
        assert_eq!(encoded.stdout, input, "{p}");
        n += 1;
    }
    assert!(n > 140);
}

#[test]
fn hex_in_and_hex_out() {
    let input = std::fs::read(root().join("samples/requests/4.3-3-deallocate-call.bin")).unwrap();
    let hex: String = input.iter().map(|b| format!("{b:02X} ")).collect();
    let decoded = trp(&["decode", "--hex", "--json", "-"], Some(hex.as_bytes()));
    assert!(decoded.status.success());
    let encoded = trp(&["encode", "--hex", "-"], Some(&decoded.stdout));
    assert_eq!(
        String::from_utf8(encoded.stdout).unwrap().trim(),
        hex.replace(' ', "").to_lowercase()
    );
}

#[test]
fn undocumented_req_func_prints_params_and_strict_rejects_it() {
    let mut b = vec![0u8; 64];
    b[0] = 29;
    let out = trp(&["decode", "--json", "-"], Some(&b));
    assert!(out.status.success());
    let v = json_of(&out);
    assert_eq!(v["name"], "Unknown");
    assert_eq!(v["fields"][2]["name"], "Param1");
    assert_eq!(v["fields"][14]["name"], "Param13");
    let strict = trp(&["decode", "--strict", "--json", "-"], Some(&b));
    assert_eq!(strict.status.code(), Some(2));
    assert_eq!(json_of(&strict)["error"]["kind"], "unknown_function");
}

/// Req_Func 121 is TRequestMakeCall in public exploit code for CVE-2024-26230
/// (Wa1nut4/CVE-2024-26230, exp/exp.cpp: table offset 0x3C8 / 8); spec-notes/public-sources.md.
#[test]
fn undocumented_req_func_carries_its_known_name() {
    let mut b = vec![0u8; 60];
    b[0] = 121;
    let v = json_of(&trp(&["decode", "--json", "-"], Some(&b)));
    assert_eq!(v["name"], "Unknown");
    assert_eq!(v["known_as"], "TRequestMakeCall");
    let text = trp(&["decode", "-"], Some(&b));
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.starts_with(
            "Unknown (Req_Func 121 is not documented by [MS-TRP]; known as TRequestMakeCall)"
        ),
        "{text}"
    );
    // A value public research does not name has no known_as member at all.
    b[0] = 122;
    let v = json_of(&trp(&["decode", "--json", "-"], Some(&b)));
    assert!(v.get("known_as").is_none());
    // The JSON still encodes back to the same bytes.
    b[0] = 121;
    let json = trp(&["decode", "--json", "-"], Some(&b)).stdout;
    let back = trp(&["encode", "-"], Some(&json));
    assert!(back.status.success());
    assert_eq!(back.stdout, b);
}

#[test]
fn errors_exit_2_with_a_json_error() {
    let out = trp(&["decode", "--json", "-"], Some(&[1, 2, 3]));
    assert_eq!(out.status.code(), Some(2));
    let e = &json_of(&out)["error"];
    assert_eq!(e["kind"], "truncated");
    assert_eq!(e["packet"], "TAPI32_MSG");
    assert_eq!(e["field"], "Req_Func");
    assert_eq!(e["offset"], 3);
    assert!(e["message"].as_str().unwrap().contains("at least 60"));
    assert_eq!(json_of(&out)["file"], "-");
    // In text, the error names the file, then packet, field and byte.
    let text = trp(&["decode", "-"], Some(&[1, 2, 3]));
    assert_eq!(
        String::from_utf8(text.stderr).unwrap().trim_end(),
        "trp: -: TAPI32_MSG.Req_Func (byte 3): buffer holds 3 bytes, at least 60 are required"
    );
    // Bad JSON for encode, bad hex for decode: status 2, no panic.
    assert_eq!(trp(&["encode", "-"], Some(b"{")).status.code(), Some(2));
    assert_eq!(
        trp(&["decode", "--hex", "-"], Some(b"zz")).status.code(),
        Some(2)
    );
    assert_eq!(
        trp(&["decode", "/nonexistent/file"], None).status.code(),
        Some(2)
    );
}

#[test]
fn encode_rejects_renamed_fields() {
    let decoded = trp(
        &["decode", "--json", "samples/requests/4.3-2-drop.bin"],
        None,
    );
    let mut v = json_of(&decoded);
    v["fields"][3]["name"] = "hLine".into();
    let out = trp(&["encode", "-"], Some(v.to_string().as_bytes()));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected \"hCall\""));
}

#[test]
fn reply_decoding_classifies_the_return_value() {
    let mut b = std::fs::read(root().join("samples/requests/4.3-1-make-call.bin")).unwrap();
    b[..4].copy_from_slice(&7u32.to_le_bytes());
    let v = json_of(&trp(
        &[
            "decode",
            "--as",
            "reply",
            "--func",
            "LineMakeCall",
            "--json",
            "-",
        ],
        Some(&b),
    ));
    assert_eq!(
        (
            v["kind"].as_str(),
            v["return_value"].as_u64(),
            v["result"].as_str()
        ),
        (Some("reply"), Some(7), Some("request_id"))
    );
    b[..4].copy_from_slice(&0x8000_0035u32.to_le_bytes());
    let v = json_of(&trp(
        &["decode", "--as", "reply", "--func", "48", "--json", "-"],
        Some(&b),
    ));
    assert_eq!(v["result"], "LINEERR_INVALPOINTER");
    let out = trp(
        &["decode", "--as", "reply", "--func", "GetDevCaps", "-"],
        Some(&b),
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "line and phone GetDevCaps are ambiguous"
    );
}

#[test]
fn events_decode_with_error_after_good_events() {
    let path = "samples/events/4.4-appnewcall-callstate-offering.bin";
    let good = std::fs::read(root().join(path)).unwrap();
    let v = json_of(&trp(&["decode", "--as", "events", "--json", path], None));
    assert_eq!(v["kind"], "events");
    assert_eq!(v["events"][0]["name"], "LINE_APPNEWCALL");
    assert_eq!(v["events"][1]["name"], "LINE_CALLSTATE");
    assert_eq!(v["error"], Value::Null);
    // A corrupted TotalSize in the second event: the first still decodes.
    let first = u32::from_le_bytes(good[..4].try_into().unwrap()) as usize;
    let mut bad = good.clone();
    bad[first..first + 4].copy_from_slice(&3u32.to_le_bytes());
    let v = json_of(&trp(
        &["decode", "--as", "events", "--json", "-"],
        Some(&bad),
    ));
    assert_eq!(v["events"].as_array().unwrap().len(), 1);
    assert_eq!(v["error"]["index"], 1);
    assert_eq!(v["error"]["offset"], first);
}

#[test]
fn structure_decoding() {
    let mut b = Vec::new();
    for d in [40u32, 40, 40, 3, 14, 24] {
        b.extend_from_slice(&d.to_le_bytes());
    }
    b.extend(
        "String"
            .encode_utf16()
            .chain([0])
            .flat_map(u16::to_le_bytes),
    );
    b.extend([0, 0]);
    let v = json_of(&trp(
        &["decode", "--as", "struct:VARSTRING", "--json", "-"],
        Some(&b),
    ));
    assert_eq!(v["kind"], "structure");
    assert_eq!(v["section"], "2.2.6.46");
    assert_eq!(v["var_items"][0]["size_field"], "dwStringSize");
    assert_eq!(v["var_items"][0]["text"], "String");
    assert_eq!(
        trp(&["decode", "--as", "struct:NOPE", "-"], Some(&b))
            .status
            .code(),
        Some(2)
    );
}

/// A LINEDEVCAPS whose `TerminalText` table prints one text per terminal.
#[test]
fn structure_text_table() {
    let b = mstrp::structures::LINEDEVCAPS::builder()
        .dw_string_format(mstrp::structures::STRINGFORMAT_UNICODE)
        .terminal_text(12, &["Hand", "Horn"])
        .to_vec();
    let v = json_of(&trp(
        &["decode", "--as", "struct:LINEDEVCAPS", "--json", "-"],
        Some(&b),
    ));
    let item = v["var_items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "TerminalText")
        .unwrap();
    assert_eq!(item["size"], 24);
    assert_eq!(item["text"], serde_json::json!(["Hand", "Horn"]));
}

#[test]
fn validate_exit_status() {
    let ok = trp(
        &["validate", "--json", "samples/requests/4.3-1-make-call.bin"],
        None,
    );
    assert_eq!(ok.status.code(), Some(0));
    assert_eq!(
        json_of(&ok),
        serde_json::json!({"valid": true, "violations": []})
    );
    let bad = trp(
        &[
            "validate",
            "--json",
            "fuzz/corpus/decode_request/hostile-misaligned.bin",
        ],
        None,
    );
    assert_eq!(bad.status.code(), Some(1));
    let v = json_of(&bad);
    assert_eq!(v["valid"], false);
    assert_eq!(v["violations"][0]["rule"], "48.2");
    assert_eq!(v["violations"][0]["error"], "LINEERR_INVALPOINTER");
    assert_eq!(v["violations"][0]["field"], "lpszDestAddress");
}

/// `--api-version`: a 2.0 server's LINEDEVCAPS (252-byte fixed part, the line name right
/// after it; sizes per spec-notes/structures.md section 11, 2.2.6.23) read without a version
/// says it guessed the 2.0-2.1 fixed part; read as TAPI 2.0 it says so; read as TAPI 1.4 only
/// the 240-byte 1.4 fixed part is members. A buffer smaller than the version's fixed part is an
/// error naming dwTotalSize.
#[test]
fn api_version_decides_how_a_structure_is_read() {
    use mstrp::structures::{LINEDEVCAPS, STRINGFORMAT_UNICODE};
    let bytes = LINEDEVCAPS::builder()
        .for_version(mstrp::handles::Version::TAPI_2_0)
        .dw_string_format(STRINGFORMAT_UNICODE)
        .line_name("Line 1")
        .to_vec();
    let decode = |extra: &[&str], input: &[u8]| {
        let mut args = vec!["decode", "--as", "struct:LINEDEVCAPS", "--json"];
        args.extend_from_slice(extra);
        args.push("-");
        trp(&args, Some(input))
    };
    let guessed = json_of(&decode(&[], &bytes));
    assert_eq!(
        guessed["reading"],
        "LINEDEVCAPS read as the TAPI 2.0-2.1 fixed part (252 bytes), guessed"
    );
    let v20 = json_of(&decode(&["--api-version", "0x00020000"], &bytes));
    assert_eq!(
        v20["reading"],
        "LINEDEVCAPS read as the TAPI 2.0-2.1 fixed part (252 bytes), negotiated TAPI 2.0"
    );
    let line_name = |v: &serde_json::Value| {
        v["var_items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["name"] == "LineName")
            .unwrap()["text"]
            .clone()
    };
    assert_eq!(line_name(&v20), "Line 1");
    let v14 = json_of(&decode(&["--api-version", "1.4"], &bytes));
    assert_eq!(
        v14["reading"],
        "LINEDEVCAPS read as the TAPI 1.4 fixed part (240 bytes), negotiated TAPI 1.4"
    );
    // Truncated to 248 bytes (dwTotalSize too): enough for 1.4, not for 2.0.
    let mut short = bytes[..248].to_vec();
    short[..4].copy_from_slice(&248u32.to_le_bytes());
    short[8..12].copy_from_slice(&248u32.to_le_bytes());
    short[32..40].fill(0); // no line name
    let err = decode(&["--api-version", "2.0"], &short);
    assert_eq!(err.status.code(), Some(2));
    let e = json_of(&err);
    assert_eq!(e["error"]["kind"], "fixed_part_too_short");
    assert_eq!(e["error"]["field"], "dwTotalSize");
    assert!(decode(&["--api-version", "1.4"], &short).status.success());
    // Not a version at all.
    assert_eq!(
        decode(&["--api-version", "two"], &bytes).status.code(),
        Some(2)
    );
}

/// `validate --api-version`: GetDevCaps (34) with lpLineDevCaps = 251 bytes. Rule 34.2 fails a
/// buffer smaller than LINEDEVCAPS, whose fixed part is 236 bytes in TAPI 1.3 (the oldest, used
/// when no version is known) and 252 in TAPI 2.0 (spec-notes/structures.md section 11).
#[test]
fn validate_takes_the_negotiated_version() {
    let bytes = mstrp::requests::builders::LineGetDevCaps::new()
        .lp_line_dev_caps(251)
        .to_bytes();
    let run = |extra: &[&str]| {
        let mut args = vec!["validate", "--json"];
        args.extend_from_slice(extra);
        args.push("-");
        trp(&args, Some(&bytes))
    };
    let rules = |out: &Output| -> Vec<String> {
        json_of(out)["violations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["rule"].as_str().unwrap().to_string())
            .collect()
    };
    let oldest = run(&[]);
    assert!(!rules(&oldest).contains(&"34.2".to_string()));
    let v20 = run(&["--api-version", "0x00020000"]);
    assert_eq!(v20.status.code(), Some(1));
    assert!(
        rules(&v20).contains(&"34.2".to_string()),
        "{:?}",
        rules(&v20)
    );
    let v14 = run(&["--api-version", "1.4"]);
    assert!(!rules(&v14).contains(&"34.2".to_string()));
}

/// `trp decode ... | head`: standard output closes early; trp must stop without a panic.
#[test]
fn a_closed_standard_output_is_not_a_panic() {
    let sample = "samples/requests/4.3-1-make-call.bin";
    let mut args = vec!["decode", "--json"];
    args.extend(std::iter::repeat_n(sample, 2000));
    let mut child = Command::new(env!("CARGO_BIN_EXE_trp"))
        .args(&args)
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one byte, then close the pipe while trp still has ~2000 objects to write.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 1];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(out.status.code(), Some(101), "exit status of a panic");
}
