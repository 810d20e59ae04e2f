//! `trp replay` and `trp validate` with several files (issue 12), run as a user would.
#![cfg(feature = "cli")]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn trp(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trp"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// A sequence file of the given ClientRequest buffers: `[u32 LE length][bytes]` each.
fn sequence(name: &str, msgs: &[Vec<u8>], tail: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("mstrp-cli-replay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut bytes = Vec::new();
    for m in msgs {
        bytes.extend_from_slice(&u32::try_from(m.len()).unwrap().to_le_bytes());
        bytes.extend_from_slice(m);
    }
    bytes.extend_from_slice(tail);
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(root().join("samples/requests").join(name)).unwrap()
}

fn bare(req_func: u32) -> Vec<u8> {
    let mut m = vec![0u8; 60];
    m[..4].copy_from_slice(&req_func.to_le_bytes());
    m
}

#[test]
fn replay_prints_one_json_line_per_request() {
    // Section 4.1's Initialize (samples/requests, the spec's bytes), then the CVE-2026-20931
    // Req_Func sequence's undocumented 61 and 121, GetAsyncEvents (0) and ShutDown (86).
    let f = sequence(
        "cve.seq",
        &[
            sample("4.1-1-initialize.bin"),
            bare(61),
            bare(121),
            bare(86),
        ],
        &[],
    );
    let out = trp(&["replay", "--json", f.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let l = lines(&out);
    assert_eq!(l.len(), 4);
    assert_eq!(l[0]["index"], 0);
    assert_eq!(l[0]["req_func"], 47);
    assert_eq!(l[0]["name"], "Initialize");
    assert_eq!(l[0]["return_value"], 0);
    assert_eq!(l[0]["events"], Value::Array(vec![]));
    assert!(
        l[0].get("events_error").is_none(),
        "no events is not an error"
    );
    assert_eq!(l[1]["name"], "LRegisterRequestRecipient");
    assert_eq!(l[1]["result"], "LINEERR_OPERATIONUNAVAIL");
    assert_eq!(l[2]["name"], "TRequestMakeCall");
    assert_eq!(l[3]["name"], "ShutDown");
    for (i, v) in l.iter().enumerate() {
        assert_eq!(v["index"], i);
    }
}

#[test]
fn replay_stops_at_a_truncated_record_with_exit_1() {
    let f = sequence(
        "truncated.seq",
        &[sample("4.1-1-initialize.bin")],
        &[60, 0, 0, 0, 1, 2, 3],
    );
    let first = sample("4.1-1-initialize.bin").len() + 4;
    let out = trp(&["replay", "--json", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let l = lines(&out);
    assert_eq!(l.len(), 2, "the record before, then the error");
    assert_eq!(l[0]["name"], "Initialize");
    let e = &l[1]["error"];
    assert_eq!(e["kind"], "truncated");
    assert_eq!(e["offset"], first);
    let msg = e["message"].as_str().unwrap();
    assert!(
        msg.contains("record 1") && msg.contains(&format!("offset {first}")),
        "{msg}"
    );
}

#[test]
fn replay_refuses_a_length_above_the_bound() {
    let f = sequence("long.seq", &[], &[0, 0, 0x20, 0]); // 2 MiB
    let out = trp(&["replay", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("record 0") && err.contains("exceeds"), "{err}");
}

#[test]
fn replay_text_names_each_request() {
    let f = sequence("text.seq", &[sample("4.1-1-initialize.bin")], &[]);
    let out = trp(&["replay", f.to_str().unwrap()]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("#0 @0  Initialize (Req_Func 47)"),
        "{text}"
    );
}

#[test]
fn replay_reads_the_device_model_of_config() {
    // A device model of three lines is read; a missing file is an error (exit 2).
    let dir = std::env::temp_dir().join(format!("mstrp-cli-replay-cfg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cfg = dir.join("three.toml");
    std::fs::write(
        &cfg,
        ["A", "B", "C"]
            .map(|n| {
                format!(
                    "[[line]]\nname = \"{n}\"\napi_versions = [0x00010004, 0x00030001]\n\
                     ext_versions = [0, 0]\naddresses = 1\n"
                )
            })
            .concat(),
    )
    .unwrap();
    let f = sequence("cfg.seq", &[sample("4.1-1-initialize.bin")], &[]);
    let out = trp(&[
        "replay",
        "--json",
        "--config",
        cfg.to_str().unwrap(),
        f.to_str().unwrap(),
    ]);
    let bad = trp(&[
        "replay",
        "--config",
        "/nonexistent.toml",
        f.to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(out.status.success(), "{out:?}");
    let l = lines(&out);
    assert_eq!(l[0]["return_value"], 0);
}

#[test]
fn validate_prints_one_line_per_file_in_order() {
    let files = [
        "samples/requests/4.1-1-initialize.bin",
        "samples/requests/4.3-1-make-call.bin",
    ];
    let out = trp(&["validate", "--json", files[0], files[1]]);
    let l = lines(&out);
    assert_eq!(l.len(), 2);
    for (v, f) in l.iter().zip(files) {
        assert_eq!(v["file"], f);
        // Each line is the single-file report plus "file".
        let single = trp(&["validate", "--json", f]);
        let mut one = lines(&single).remove(0);
        assert!(one.get("file").is_none(), "single-file output unchanged");
        one.as_object_mut()
            .unwrap()
            .insert("file".into(), Value::from(f));
        assert_eq!(v, &one);
    }
}

#[test]
fn validate_with_several_files_reports_a_missing_one_in_place() {
    let out = trp(&[
        "validate",
        "--json",
        "samples/requests/4.1-1-initialize.bin",
        "/nonexistent.bin",
        "samples/requests/4.3-2-drop.bin",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let l = lines(&out);
    assert_eq!(l.len(), 3);
    assert_eq!(l[1]["file"], "/nonexistent.bin");
    assert!(l[1]["error"].is_object());
    assert_eq!(l[2]["file"], "samples/requests/4.3-2-drop.bin");
}
